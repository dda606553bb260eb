#!/usr/bin/env python3
"""Generates the `resnet-tiny-fixture` model of the zoo and the expected outputs the tests compare with.

Runs on Debian's PyTorch (`apt-get install -y python3-torch python3-pil`, torch 1.13):

    /usr/bin/python3 model-zoo/src/main/python/make_resnet_fixture.py

Writes (all deterministic; seed 0):
  model-zoo/src/main/resources/dev/nnsdk/zoo/fixtures/resnet-tiny/model.onnx             (opset 13, dynamic batch)
  model-zoo/src/main/resources/dev/nnsdk/zoo/fixtures/resnet-tiny/model.torchscript.pt   (torch.jit.trace)
  integration-tests/src/test/resources/images/resnet-tiny-expected.json

The network is a small, untrained ResNet: a 3x3 stride-2 stem, three BasicBlocks (16, 32, 64 channels,
the last two with stride 2 and a 1x1 projection shortcut), global average pooling and a linear layer.
Input is `input` float32 [batch, 3, 64, 64] (NCHW, RGB, ImageNet mean/std). `forward` returns
(`features` [batch, 64], `logits` [batch, 4]); the SDK applies the softmax. BatchNorm running
statistics and affine parameters are made non-trivial (random affine parameters, then forward passes in
train mode on shifted and scaled random data before switching to eval), so the normalisation path is
really exercised. The ONNX exporter folds BatchNorm into the convolutions; TorchScript keeps it.

The expected outputs come from a reference preprocessing written with torch ops, which the Java
ImagePreprocessor must reproduce: decode the PNG to RGB uint8; resize so the shorter side is 72 with
`F.interpolate(mode="bilinear", align_corners=False)` (no antialiasing; the longer side is
`int(72 * long / short)`, as torchvision computes it); centre-crop 64x64 with the offsets
`int(round((size - 64) / 2))`; divide by 255; subtract the ImageNet mean and divide by the std.
"""
import hashlib
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
OUT_MODEL = os.path.join(REPO, "model-zoo", "src", "main", "resources", "dev", "nnsdk", "zoo", "fixtures", "resnet-tiny")
IMAGES = os.path.join(REPO, "integration-tests", "src", "test", "resources", "images")
PHOTOS = ["china.png", "dog.png", "eagle.png", "flower.png", "horses.png"]

LABELS = ["apple", "banana", "cherry", "date"]
SIZE = 64
SHORTER = 72
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        s = x if self.shortcut is None else self.shortcut(x)
        return F.relu(y + s)


class TinyResNet(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = BasicBlock(16, 16, 1)
        self.layer2 = BasicBlock(16, 32, 2)
        self.layer3 = BasicBlock(32, 64, 2)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.stem(x))))
        features = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return features, self.fc(features)


def build():
    torch.manual_seed(0)
    m = TinyResNet(len(LABELS))
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            nn.init.uniform_(mod.weight, 0.5, 1.5)
            nn.init.uniform_(mod.bias, -0.2, 0.2)
    with torch.no_grad():
        m.fc.weight.mul_(8.0)  # spread the logits so the softmax is far from uniform
    m.train()
    with torch.no_grad():
        for _ in range(30):
            x = torch.randn(16, 3, SIZE, SIZE) * 1.3 + 0.25
            m(x)
    m.eval()
    return m


def preprocess(path):
    rgb = np.asarray(Image.open(path).convert("RGB"))          # H, W, 3 uint8
    x = torch.from_numpy(rgb.copy()).permute(2, 0, 1).float().unsqueeze(0)
    h, w = rgb.shape[0], rgb.shape[1]
    if h <= w:
        nh, nw = SHORTER, int(SHORTER * w / h)
    else:
        nh, nw = int(SHORTER * h / w), SHORTER
    x = F.interpolate(x, size=(nh, nw), mode="bilinear", align_corners=False)
    top = int(round((nh - SIZE) / 2.0))
    left = int(round((nw - SIZE) / 2.0))
    x = x[:, :, top:top + SIZE, left:left + SIZE]
    x = x / 255.0
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (x - mean) / std


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    torch.set_num_threads(1)
    m = build()
    os.makedirs(OUT_MODEL, exist_ok=True)
    example = torch.zeros(2, 3, SIZE, SIZE)
    ts_path = os.path.join(OUT_MODEL, "model.torchscript.pt")
    onnx_path = os.path.join(OUT_MODEL, "model.onnx")
    with torch.no_grad():
        traced = torch.jit.trace(m, example)
    traced.save(ts_path)
    torch.onnx.export(m, example, onnx_path, opset_version=13, input_names=["input"],
                      output_names=["features", "logits"],
                      dynamic_axes={"input": {0: "batch"}, "features": {0: "batch"}, "logits": {0: "batch"}},
                      do_constant_folding=True)

    inputs = torch.cat([preprocess(os.path.join(IMAGES, p)) for p in PHOTOS])
    with torch.no_grad():
        features, logits = m(inputs)
        probs = torch.softmax(logits, dim=1)
        t_features, t_logits = torch.jit.load(ts_path)(inputs)
    assert torch.allclose(features, t_features, atol=1e-6) and torch.allclose(logits, t_logits, atol=1e-6)
    expected = {
        "model": "resnet-tiny-fixture",
        "torch": torch.__version__,
        "labels": LABELS,
        "preprocessing": "shorter side 72 (F.interpolate bilinear, align_corners=False, no antialias), "
                         "centre crop 64, /255, ImageNet mean/std, NCHW",
        "images": [
            {"file": p,
             "features": [round(float(v), 7) for v in features[i]],
             "logits": [round(float(v), 7) for v in logits[i]],
             "probs": [round(float(v), 8) for v in probs[i]]}
            for i, p in enumerate(PHOTOS)
        ],
        # The whole preprocessed input of the first photo, to test the preprocessor on its own.
        "input": {"file": PHOTOS[0], "shape": list(inputs[0:1].shape),
                  "values": [round(float(v), 6) for v in inputs[0].flatten()]},
    }
    with open(os.path.join(IMAGES, "resnet-tiny-expected.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))
        f.write("\n")
    for p in (onnx_path, ts_path):
        print(os.path.relpath(p, REPO), os.path.getsize(p), sha256(p))
    for i, p in enumerate(PHOTOS):
        print(p, [round(float(v), 4) for v in probs[i]])


if __name__ == "__main__":
    main()
