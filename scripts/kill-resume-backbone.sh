#!/bin/sh
# kill -9 during backbone training, then --resume: same metrics and weights as an uninterrupted run (issue 13).
# Run in a directory holding train.jsonl (64 reviews) and valid.jsonl (16), e.g. from `sdk-cli sample`:
#   SDK_ASSETS_DIR=/work/shared/assets scripts/kill-resume-backbone.sh
# Needs sdk-cli/target/sdk-cli.jar (mvn -o -q -pl sdk-cli -am package -DskipTests).
set -u
CLI="java -Xmx1g -jar $(cd "$(dirname "$0")/.." && pwd)/sdk-cli/target/sdk-cli.jar"
ARGS="finetune --task text-classification --engine djl --train train.jsonl --valid valid.jsonl --train-backbone last:1 \
  --max-length 32 --epochs 2 --batch-size 8 --micro-batch 4 --backbone-lr 1e-4 --checkpoint-every 2 --seed 7 --quiet"
rm -rf a b b.checkpoint
$CLI $ARGS --output a > a.out 2> a.err
$CLI $ARGS --output b > b1.out 2> b1.err &
PID=$!
while :; do
  if [ -f b.checkpoint/checkpoint.json ] && python3 -c "import json,sys; sys.exit(0 if json.load(open('b.checkpoint/checkpoint.json'))['step'] >= 10 else 1)" 2>/dev/null; then
    kill -9 $PID; break
  fi
  sleep 0.2
done
wait $PID; echo "killed: exit $?"
python3 -c "import json; d=json.load(open('b.checkpoint/checkpoint.json')); print('checkpoint: step', d['step'], 'epochsDone', d['epochsDone'], 'stepInEpoch', d['stepInEpoch'])"
ls b.checkpoint; ls -d b 2>/dev/null || echo "no b/ directory after the kill"
$CLI $ARGS --output b --resume > b2.out 2> b2.err
echo "resumed: exit $?"
tail -1 a.out > a.json; tail -1 b2.out > b.json
cmp a.json b.json && echo "metrics JSON identical"
cmp a/head.bin b/head.bin && echo "head.bin identical"
cmp a/backbone.pt b/backbone.pt && echo "backbone.pt identical"
cut -d, -f1-7 a/history.csv > a.h; cut -d, -f1-7 b/history.csv > b.h; cmp a.h b.h && echo "history (without seconds) identical"
