#!/usr/bin/env bash
# Cosine checks over 2,000 IMDB reviews for docs/benchmarks.md ("Graph optimisation and static int8"): fused vs
# unoptimised fp32, static int8 vs fp32, alone vs batch of 32. Run from the repository root after building benchmarks.

CP=benchmarks/target/classes:$(cat benchmarks/target/cp.txt)
IMDB=${SDK_ASSETS_DIR:?set SDK_ASSETS_DIR}/datasets/imdb/reviews.jsonl.gz
O=/tmp/cos2000; mkdir -p $O
export SDK_CACHE_DIR=${SDK_CACHE_DIR:-/tmp/bench-graph/cache}
for c in "sdk-noopt all-minilm-l6-v2 noopt" "sdk all-minilm-l6-v2 fused" "sdk all-minilm-l6-v2-int8-static int8s"; do
  set -- $c
  java -Xmx2g -cp $CP dev.nnsdk.bench.EmbedProcess embed $1 $2 $IMDB 2000 60 $O/$3.bin > $O/$3.log 2>&1
done
java -cp $CP dev.nnsdk.bench.EmbedProcess compare $O/noopt.bin $O/fused.bin > $O/fused.txt
java -cp $CP dev.nnsdk.bench.EmbedProcess compare $O/noopt.bin $O/int8s.bin > $O/int8s.txt
java -cp $CP dev.nnsdk.bench.EmbedProcess batchcheck sdk all-minilm-l6-v2-int8-static $IMDB > $O/batch.txt 2>/dev/null
java -cp $CP dev.nnsdk.bench.EmbedProcess batchcheck sdk all-minilm-l6-v2 $IMDB > $O/batch-fp32.txt 2>/dev/null
