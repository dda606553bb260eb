#!/bin/sh
# Image backbone fine-tuning benchmark (issue 13): Fashion-MNIST, the first 10,000 training images (10% stratified
# validation split, seed 42: the frozen protocol of docs/finetuning.md) / the first 2,000 test images, the zoo's
# mobilenet-v2-nsfw TorchScript trained end to end on djl, then evaluate (test accuracy), export-onnx and the export's
# label agreement with the saved model on all 2,000 test images (written as PNG files once, then predict on djl with
# the saved directory and on onnx with the exported file), then evaluate on the IDX file. Wall, CPU and peak RSS from
# /usr/bin/time -v.
#
#   [SEED=42] SDK_ASSETS_DIR=/work/shared/assets scripts/bench-backbone-image.sh OUT_DIR [LAYERS] [EPOCHS] [extra finetune options...]
#
# Needs sdk-cli/target/sdk-cli.jar (mvn -o -q -pl sdk-cli -am package -DskipTests). CPU-heavy: run one at a time.
set -eu
OUT=${1:?output directory}
LAYERS=${2:-last:11}
EPOCHS=${3:-1}
shift 3 2>/dev/null || shift $#
: "${SDK_ASSETS_DIR:?set SDK_ASSETS_DIR}"
F=$SDK_ASSETS_DIR/datasets/fashion-mnist
CLI="java -Xmx2g -jar $(dirname "$0")/../sdk-cli/target/sdk-cli.jar"
mkdir -p "$OUT"
lscpu | grep 'Model name' > "$OUT/cpu.txt"
/usr/bin/time -v -o "$OUT/finetune.time" $CLI finetune --task image-classification --backbone mobilenet-v2-nsfw \
    --engine djl --train "$F/train-images-idx3-ubyte.gz" --limit 10000 --output "$OUT/model" --train-backbone "$LAYERS" \
    --epochs "$EPOCHS" --batch-size 32 --micro-batch 16 --seed ${SEED:-42} --checkpoint-every 50 --overwrite "$@" \
    > "$OUT/finetune.out" 2> "$OUT/finetune.err"
/usr/bin/time -v -o "$OUT/export.time" $CLI export-onnx --model "$OUT/model" --output "$OUT/model.onnx" --overwrite \
    > "$OUT/export.out" 2> "$OUT/export.err"
# The 2,000 test images as PNG files (lossless grey, as the IDX pixels), named by index, with their labels.
python3 - "$F" "$OUT/test-png" <<'EOF'
import gzip, os, struct, sys, zlib
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
img = gzip.open(src + "/t10k-images-idx3-ubyte.gz").read()
lab = gzip.open(src + "/t10k-labels-idx1-ubyte.gz").read()
names = open(src + "/labels.txt").read().split("\n")
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
with open(out + "/labels.tsv", "w") as tsv:
    for i in range(2000):
        px = img[16 + i * 784: 16 + (i + 1) * 784]
        raw = b"".join(b"\0" + px[r * 28:(r + 1) * 28] for r in range(28))
        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 28, 28, 8, 0, 0, 0, 0)) \
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
        open("%s/%04d.png" % (out, i), "wb").write(png)
        tsv.write("%04d.png\t%s\n" % (i, names[lab[8 + i]]))
EOF
rm -f "$OUT/pred-djl.jsonl" "$OUT/pred-onnx.jsonl"
/usr/bin/time -v -o "$OUT/predict.time" $CLI predict --model "$OUT/model" --input "$OUT/test-png" \
    --output "$OUT/pred-djl.jsonl" --engine djl --quiet 2> "$OUT/pred-djl.err"
$CLI predict --model "$OUT/model.onnx" --input "$OUT/test-png" --output "$OUT/pred-onnx.jsonl" --engine onnx --quiet \
    2> "$OUT/pred-onnx.err"
python3 - "$OUT" <<'EOF'
import json, os, sys
out = sys.argv[1]
truth = dict(l.rstrip("\n").split("\t") for l in open(out + "/test-png/labels.tsv"))
a = {os.path.basename(r["file"]): r for r in map(json.loads, open(out + "/pred-djl.jsonl"))}
b = {os.path.basename(r["file"]): r for r in map(json.loads, open(out + "/pred-onnx.jsonl"))}
same = sum(a[k]["label"] == b[k]["label"] for k in a)
dp = max(abs(a[k]["score"] - b[k]["score"]) for k in a)
print("test accuracy (djl, predict on %d PNG files): %.4f" % (len(a), sum(a[k]["label"] == truth[k] for k in a) / len(a)))
print("export vs djl: %d / %d same labels, max |d top score| %.2e" % (same, len(a), dp))
EOF
# evaluate last (the same 2,000 images from the IDX file; its accuracy must equal predict's above)
/usr/bin/time -v -o "$OUT/evaluate.time" $CLI evaluate --model "$OUT/model" --data "$F/t10k-images-idx3-ubyte.gz" \
    --limit 2000 --engine djl --quiet > "$OUT/evaluate.out" 2> "$OUT/evaluate.err"
echo "evaluate: $(tail -1 "$OUT/evaluate.out" | cut -c1-60)"
for f in finetune evaluate predict export; do
  grep -E 'Elapsed|Maximum resident|User time|System time' "$OUT/$f.time" | sed "s/^/$f: /"
done
tail -1 "$OUT/finetune.out"
