#!/usr/bin/env python3
"""Writes the seed inputs of BinaryReadersFuzzTest (head.bin, recommender.bin, archives).

Run from the repository root: python3 model-zoo/src/test/python/make_binary_seeds.py
"""
import io, os, struct, tarfile, zipfile

base = "model-zoo/src/test/resources/dev/nnsdk/zoo/BinaryReadersFuzzTestInputs"

def put(method, name, data):
    d = os.path.join(base, method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

# head.bin: "NNHD", little-endian version 1, layers, then per layer in, out, out*in weights, out biases
def head(layers):
    b = b"NNHD" + struct.pack("<ii", 1, len(layers))
    for i, o in layers:
        b += struct.pack("<ii", i, o) + struct.pack("<%df" % (i * o), *([0.5] * (i * o))) + struct.pack("<%df" % o, *([0.1] * o))
    return b
put("readHead", "linear-2x2", head([(2, 2)]))
put("readHead", "mlp-3-4-2", head([(3, 4), (4, 2)]))
put("readHead", "huge-layer", b"NNHD" + struct.pack("<iiii", 1, 1, 0x7fffffff, 0x7fffffff))

# recommender.bin: big-endian (DataOutputStream): "NNREC", version, dim, backbone, featureDim, users, ...
def s(x):
    x = x.encode()
    return struct.pack(">i", len(x)) + x
def rec(users, items, dim=2, feat=0):
    b = b"NNREC" + struct.pack(">ii", 1, dim) + s("all-minilm-l6-v2") + struct.pack(">i", feat)
    b += struct.pack(">i", len(users)) + b"".join(s(u) for u in users)
    b += struct.pack(">%df" % (len(users) * dim), *([0.25] * (len(users) * dim)))
    b += struct.pack(">i", len(items)) + b"".join(s(i) + s("text of " + i) for i in items)
    b += struct.pack(">%df" % (len(items) * dim), *([0.5] * (len(items) * dim)))
    b += struct.pack(">%df" % len(items), *([0.0] * len(items)))
    b += struct.pack(">%di" % len(items), *([1] * len(items)))
    b += struct.pack(">%df" % (feat * dim), *([0.0] * (feat * dim)))
    b += struct.pack(">%di" % (len(users) + 1), *range(len(users) + 1))
    b += struct.pack(">i", len(users)) + struct.pack(">%di" % len(users), *([0] * len(users)))
    return b
put("readRecommender", "two-users-two-items", rec(["u1", "u2"], ["i1", "i2"]))
put("readRecommender", "with-projection", rec(["u"], ["i"], dim=2, feat=3))
put("readRecommender", "claims-2g-users", b"NNREC" + struct.pack(">ii", 1, 8) + s("b") + struct.pack(">ii", 0, 0x7fffffff))

# archives: the first byte chooses the format (even: .zip, odd: .tar.gz), the rest is the file
z = io.BytesIO()
with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
    f.writestr("onnx/model.onnx", b"\x08\x07" * 64)
    f.writestr("tokenizer.json", b"{}")
put("extractArchive", "zip-two-files", b"\x00" + z.getvalue())
z = io.BytesIO()
with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
    f.writestr("../escape", b"x")
put("extractArchive", "zip-slip", b"\x00" + z.getvalue())
t = io.BytesIO()
with tarfile.open(fileobj=t, mode="w:gz") as f:
    data = b"model bytes"
    info = tarfile.TarInfo("model.onnx"); info.size = len(data)
    f.addfile(info, io.BytesIO(data))
    link = tarfile.TarInfo("link"); link.type = tarfile.SYMTYPE; link.linkname = "/etc/passwd"
    f.addfile(link)
put("extractArchive", "tgz-with-link", b"\x01" + t.getvalue())
