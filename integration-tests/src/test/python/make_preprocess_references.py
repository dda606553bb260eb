#!/usr/bin/env python3
"""Reference outputs for every image preprocessing mode of ImagePreprocessor, computed with PIL (decoding, grey to
RGB) and PyTorch (F.interpolate on float tensors, without antialiasing) on the real photos in
integration-tests/src/test/resources/images/.

Run with Debian's python3-torch / python3-pil / python3-numpy:
    /usr/bin/python3 integration-tests/src/test/python/make_preprocess_references.py

Writes integration-tests/src/test/resources/preprocess/: cases.json (each case's image spec, in model.json's `image`
schema, and its photo) and CASE.bin (the float32 little-endian tensor, in the case's layout), plus dog-grey.png
(the dog photo converted to 8-bit grey by PIL, for the grey-to-RGB case).
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, "..", "resources", "images")
OUT = os.path.join(HERE, "..", "resources", "preprocess")
IMAGENET = {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}

CASES = [
    ("stretch-bilinear", "dog.png", dict(width=48, height=40, resize="stretch", interpolation="bilinear", range="0-1", **IMAGENET)),
    ("stretch-bilinear-align-corners-nhwc", "eagle.png", dict(width=48, height=40, resize="stretch", interpolation="bilinear-align-corners", range="0-1", layout="NHWC")),
    ("shorter-crop-bilinear", "china.png", dict(width=48, height=48, resize="shorter-then-center-crop", resizeShorter=56, interpolation="bilinear", range="0-1", **IMAGENET)),
    ("shorter-crop-bicubic", "horses.png", dict(width=40, height=40, resize="shorter-then-center-crop", resizeShorter=46, interpolation="bicubic", range="0-1", **IMAGENET)),
    ("keep-aspect-pad-right-bottom", "flower.png", dict(width=64, height=32, resize="keep-aspect-pad", padPosition="right-bottom", padValue=0, interpolation="bilinear", range="-1-1")),
    ("keep-aspect-pad-center-114", "dog.png", dict(width=48, height=48, resize="keep-aspect-pad", padPosition="center", padValue=114, interpolation="bilinear", range="0-1")),
    ("keep-aspect-pad-center-tall", "eagle.png", dict(width=30, height=50, resize="keep-aspect-pad", padPosition="center", padValue=[124, 116, 104], interpolation="nearest", range="0-255")),
    ("bgr-caffe", "horses.png", dict(width=48, height=40, resize="stretch", interpolation="bilinear", channels="BGR", range="0-255", mean=[103.94, 116.78, 123.68], std=[1, 1, 1])),
    ("stretch-bicubic", "flower.png", dict(width=50, height=34, resize="stretch", interpolation="bicubic", range="0-1")),
    ("stretch-nearest", "china.png", dict(width=37, height=29, resize="stretch", interpolation="nearest", range="0-1")),
    ("stretch-area", "dog.png", dict(width=48, height=40, resize="stretch", interpolation="area", range="0-1", **IMAGENET)),
    ("upscale-bicubic", "eagle.png", dict(width=120, height=80, resize="stretch", interpolation="bicubic", range="0-1")),
    ("grey-to-rgb", "dog-grey.png", dict(width=48, height=40, resize="stretch", interpolation="bilinear", range="0-1", **IMAGENET)),
]

RANGES = {"0-1": (1 / 255, 0.0), "0-255": (1.0, 0.0), "-1-1": (2 / 255, -1.0)}


def resize(x, h, w, mode):
    if x.shape[2] == h and x.shape[3] == w:
        return x
    if mode == "bilinear":
        return F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)
    if mode == "bilinear-align-corners":
        return F.interpolate(x, size=(h, w), mode="bilinear", align_corners=True)
    if mode == "bicubic":
        return F.interpolate(x, size=(h, w), mode="bicubic", align_corners=False)
    return F.interpolate(x, size=(h, w), mode=mode)          # nearest, area


def reference(photo, c):
    img = Image.open(os.path.join(IMAGES if photo != "dog-grey.png" else OUT, photo)).convert("RGB")
    x = torch.tensor(np.asarray(img), dtype=torch.float64).permute(2, 0, 1)[None]      # 1,3,H,W in 0-255, float64: the reference is exact to float32 output precision
    ih, iw = x.shape[2], x.shape[3]
    w, h = c["width"], c["height"]
    mode = c.get("interpolation", "bilinear")
    if c["resize"] == "stretch":
        y = resize(x, h, w, mode)
    elif c["resize"] == "shorter-then-center-crop":
        s = c["resizeShorter"]
        rh, rw = (int(s * ih / iw), s) if iw <= ih else (s, int(s * iw / ih))
        r = resize(x, rh, rw, mode)
        top, left = int(round((rh - h) / 2.0)), int(round((rw - w) / 2.0))   # torchvision CenterCrop
        y = r[:, :, top:top + h, left:left + w]
    else:
        sc = min(w / iw, h / ih)
        nw = max(1, min(w, math.floor(iw * sc + 0.5)))
        nh = max(1, min(h, math.floor(ih * sc + 0.5)))
        r = resize(x, nh, nw, mode)
        pad = c.get("padValue", 0)
        pad = [pad] * 3 if not isinstance(pad, list) else pad
        y = torch.tensor(pad, dtype=torch.float64).view(1, 3, 1, 1).expand(1, 3, h, w).clone()
        left, top = ((w - nw) // 2, (h - nh) // 2) if c.get("padPosition") == "center" else (0, 0)
        y[:, :, top:top + nh, left:left + nw] = r
    if c.get("channels", "RGB") == "BGR":
        y = y.flip(1)
    scale, offset = RANGES[c["range"]]
    mean = torch.tensor(c.get("mean", [0, 0, 0]), dtype=torch.float64).view(1, 3, 1, 1)
    std = torch.tensor(c.get("std", [1, 1, 1]), dtype=torch.float64).view(1, 3, 1, 1)
    y = (y * scale + offset - mean) / std
    if c.get("layout", "NCHW") == "NHWC":
        y = y.permute(0, 2, 3, 1)
    return y.contiguous().numpy().astype("<f4")


def main():
    os.makedirs(OUT, exist_ok=True)
    Image.open(os.path.join(IMAGES, "dog.png")).convert("L").save(os.path.join(OUT, "dog-grey.png"))
    index = []
    for name, photo, spec in CASES:
        y = reference(photo, spec)
        y.tofile(os.path.join(OUT, name + ".bin"))
        index.append({"name": name, "photo": photo, "image": spec, "values": int(y.size)})
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"cases": index}, f, indent=1)
    print(len(index), "cases written to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
