#!/usr/bin/env bash
# Regenerates the legacy saved-model fixtures of this directory with the CLI of the release BEFORE issue 11
# (commit ae35c9b). Usage, from the repository root of a checkout of that commit's sibling:
#
#   git worktree add /tmp/old-release ae35c9b
#   (cd /tmp/old-release && mvn -B -o -q package -DskipTests)        # never `install`
#   SDK_ASSETS_DIR=/work/shared/assets \
#     integration-tests/src/test/resources/legacy/make-legacy-fixtures.sh /tmp/old-release/examples/target/sdk-cli.jar
#
# Needs python3 with numpy (only to write the Fashion-MNIST PNGs). Everything is seeded (seed 42), so the
# model directories and expected outputs come out the same on every run on the same machine.
set -euo pipefail
JAR=${1:?usage: make-legacy-fixtures.sh OLD_SDK_CLI_JAR}
ASSETS=${SDK_ASSETS_DIR:?set SDK_ASSETS_DIR to the shared assets directory}
OUT=$(cd "$(dirname "$0")" && pwd)
CLI=(java -Xmx1g -jar "$JAR")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$OUT"
rm -rf text-classifier image-classifier recommender inputs expected
mkdir -p inputs expected

# (a) text classifier: 200 IMDB reviews (100 per label) on all-minilm-l6-v2 (onnx); 8 held-out reviews to predict.
"${CLI[@]}" sample --input "$ASSETS/datasets/imdb/reviews.jsonl.gz" --train-size 200 --test-size 8 --seed 42 \
    --train-output "$WORK/imdb-train.jsonl" --test-output inputs/texts.jsonl
"${CLI[@]}" finetune --task text-classification --backbone all-minilm-l6-v2 --engine onnx \
    --train "$WORK/imdb-train.jsonl" --output text-classifier --epochs 5 --seed 42 --quiet > "$WORK/text-metrics.txt"
"${CLI[@]}" predict --model text-classifier --engine onnx --input inputs/texts.jsonl \
    --output expected/text-classifier.predict.jsonl --top 2 --quiet

# (b) image classifier: 3 Fashion-MNIST classes x 20 training PNGs (first of each class in the training set)
#     on resnet-tiny-fixture (onnx); 2 test-set PNGs per class to predict.
python3 - "$ASSETS/datasets/fashion-mnist" "$WORK/images" inputs/images <<'PY'
import gzip, struct, sys, zlib, os
import numpy as np
src, train_dir, predict_dir = sys.argv[1:4]
names = [l.strip() for l in open(os.path.join(src, "labels.txt")) if l.strip()]
classes = [0, 1, 8]  # T-shirt/top, Trouser, Bag
def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8)
def png(path, img):
    h, w = img.shape
    raw = b"".join(b"\x00" + img[y].tobytes() for y in range(h))
    def chunk(t, d):
        c = t + d
        return struct.pack(">I", len(d)) + c + struct.pack(">I", zlib.crc32(c) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
def safe(s):
    return "".join(ch if ch.isalnum() else "-" for ch in s).strip("-").lower()
for split, per_class, out, nested in (("train", 20, train_dir, True), ("t10k", 2, predict_dir, False)):
    images = idx(os.path.join(src, split + "-images-idx3-ubyte.gz"))
    labels = idx(os.path.join(src, split + "-labels-idx1-ubyte.gz"))
    for c in classes:
        d = os.path.join(out, safe(names[c])) if nested else out
        os.makedirs(d, exist_ok=True)
        for k, i in enumerate(np.nonzero(labels == c)[0][:per_class]):
            png(os.path.join(d, "%s-%02d.png" % (safe(names[c]), k) if not nested else "%05d.png" % i), images[i])
PY
"${CLI[@]}" finetune --task image-classification --backbone resnet-tiny-fixture --engine onnx \
    --train "$WORK/images" --output image-classifier --epochs 5 --seed 42 --quiet > "$WORK/image-metrics.txt"
"${CLI[@]}" predict --model image-classifier --engine onnx --input inputs/images \
    --output expected/image-classifier.predict.jsonl --top 3 --quiet
"${CLI[@]}" classify-image --model image-classifier --engine onnx --input inputs/images \
    --output expected/image-classifier.classify-image.jsonl --top-k 3 --quiet

# (c) recommender: the ratings of MovieLens-small users 1..12, and only the movies they rated,
#     on the default item text encoder all-minilm-l6-v2 (onnx).
zcat "$ASSETS/datasets/movielens-small/ratings.csv.gz" | awk -F, 'NR == 1 || ($1 >= 1 && $1 <= 12)' > "$WORK/ratings.csv"
awk -F, 'NR > 1 { print $2 }' "$WORK/ratings.csv" | sort -u > "$WORK/items.txt"
zcat "$ASSETS/datasets/movielens-small/movies.csv.gz" \
    | awk -F, 'NR == FNR { keep[$1] = 1; next } FNR == 1 || ($1 in keep)' "$WORK/items.txt" - > "$WORK/movies.csv"
"${CLI[@]}" finetune --task recommendation --backbone all-minilm-l6-v2 --engine onnx \
    --train "$WORK/ratings.csv" --items "$WORK/movies.csv" --item-fields title,genres \
    --output recommender --epochs 5 --seed 42 --quiet > "$WORK/rec-metrics.txt"
: > expected/recommender.recommend.jsonl
for user in 1 2 5 12; do
    "${CLI[@]}" recommend --model recommender --engine onnx --user "$user" --k 5 >> expected/recommender.recommend.jsonl
done
echo "ratings: $(($(wc -l < "$WORK/ratings.csv") - 1)), items: $(($(wc -l < "$WORK/movies.csv") - 1))"
tail -n 1 "$WORK/text-metrics.txt" "$WORK/image-metrics.txt" "$WORK/rec-metrics.txt"
du -sh text-classifier image-classifier recommender inputs expected
