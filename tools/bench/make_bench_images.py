#!/usr/bin/env python3
"""Writes 200 JPEG copies (quality 90) of real photographs at longer sides 224, 320, 480 and 640 px,
for the image throughput figures in docs/benchmarks-images.md.

    apt-get download python3-sklearn darknet && for f in *.deb; do dpkg -x "$f" unpacked; done
    python3 tools/bench/make_bench_images.py unpacked /tmp/bench-images
"""
import glob
import os
import sys

from PIL import Image


def main():
    root, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    srcs = sorted(glob.glob(os.path.join(root, "usr/share/darknet/data/*.jpg"))
                  + glob.glob(os.path.join(root, "usr/lib/python3/dist-packages/sklearn/datasets/images/*.jpg")))
    srcs = [s for s in srcs if "kite" not in s]  # 8 photos: dog eagle giraffe horses person scream china flower
    sizes = [224, 320, 480, 640]
    for i in range(200):
        im = Image.open(srcs[i % len(srcs)]).convert("RGB")
        longer = sizes[(i // len(srcs)) % len(sizes)]
        w, h = im.size
        f = longer / max(w, h)
        im = im.resize((max(1, round(w * f)), max(1, round(h * f))), Image.BILINEAR)
        im.save(os.path.join(out, "img%03d.jpg" % i), quality=90)


if __name__ == "__main__":
    main()
