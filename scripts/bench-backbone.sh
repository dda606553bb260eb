#!/bin/sh
# Backbone fine-tuning benchmark (issue 13): IMDB 4,000 train / 2,000 test (docs/finetuning.md's protocol),
# all-minilm-l6-v2 trained end to end at 256 word pieces on djl, then evaluate, export-onnx and the export's label
# agreement with the saved model on all 2,000 test reviews (test accuracy from predict's labels, so the 2,000 reviews
# run once on djl). Wall time and peak RSS from /usr/bin/time -v.
#
#   SDK_ASSETS_DIR=/work/shared/assets scripts/bench-backbone.sh OUT_DIR [LAYERS] [EPOCHS] [extra finetune options...]
#
# Needs sdk-cli/target/sdk-cli.jar (mvn -o -q -pl sdk-cli -am package -DskipTests). CPU-heavy: run one at a time.
set -eu
OUT=${1:?output directory}
LAYERS=${2:-all}
EPOCHS=${3:-1}
shift 3 2>/dev/null || shift $#
: "${SDK_ASSETS_DIR:?set SDK_ASSETS_DIR}"
CLI="java -Xmx2g -jar $(dirname "$0")/../sdk-cli/target/sdk-cli.jar"
mkdir -p "$OUT"
lscpu | grep 'Model name' > "$OUT/cpu.txt"
[ -f "$OUT/train.jsonl" ] || $CLI sample --input "$SDK_ASSETS_DIR/datasets/imdb/reviews.jsonl.gz" --train-size 4000 \
    --test-size 2000 --seed 42 --train-output "$OUT/train.jsonl" --test-output "$OUT/test.jsonl"
/usr/bin/time -v -o "$OUT/finetune.time" $CLI finetune --task text-classification --backbone all-minilm-l6-v2 \
    --engine djl --train "$OUT/train.jsonl" --output "$OUT/model" --train-backbone "$LAYERS" --max-length 256 \
    --epochs "$EPOCHS" --batch-size 32 --micro-batch 8 --seed 42 --checkpoint-every 20 --overwrite "$@" \
    > "$OUT/finetune.out" 2> "$OUT/finetune.err"
/usr/bin/time -v -o "$OUT/export.time" $CLI export-onnx --model "$OUT/model" --output "$OUT/model.onnx" --overwrite \
    > "$OUT/export.out" 2> "$OUT/export.err"
rm -f "$OUT/pred-djl.jsonl" "$OUT/pred-onnx.jsonl"
/usr/bin/time -v -o "$OUT/predict.time" $CLI predict --model "$OUT/model" --input "$OUT/test.jsonl" --output "$OUT/pred-djl.jsonl" --engine djl \
    2> "$OUT/pred-djl.err"
$CLI predict --model "$OUT/model.onnx" --input "$OUT/test.jsonl" --output "$OUT/pred-onnx.jsonl" --engine onnx \
    2> "$OUT/pred-onnx.err"
python3 - "$OUT" <<'EOF'
import json, sys
out = sys.argv[1]
truth = [json.loads(l)["label"] for l in open(out + "/test.jsonl")]
a = [json.loads(l) for l in open(out + "/pred-djl.jsonl")]
b = [json.loads(l) for l in open(out + "/pred-onnx.jsonl")]
same = sum(x["label"] == y["label"] for x, y in zip(a, b))
dp = max(abs(x["score"] - y["score"]) for x, y in zip(a, b))
print("test accuracy (djl, %d reviews): %.4f" % (len(truth), sum(x["label"] == t for x, t in zip(a, truth)) / len(truth)))
print("export vs djl: %d / %d same labels, max |d top score| %.2e" % (same, len(a), dp))
EOF
for f in finetune predict export; do
  grep -E 'Elapsed|Maximum resident|User time|System time' "$OUT/$f.time" | sed "s/^/$f: /"
done
tail -1 "$OUT/finetune.out"
