#!/usr/bin/python3
"""scikit-learn LogisticRegression on the very features a fine-tuning run trained on (issue 13's reference).

The SDK caches backbone features as <SDK_CACHE_DIR>/features/<key>.bin (int32 n, int32 d, float32[n*d], little-endian).
This script re-creates the SDK's seeded stratified split (dev.nnsdk.training.data.Stratified: per label in label
order, java.util.Collections.shuffle with java.util.Random(seed), first round(count * fraction) to validation) to get
the labels of the train / validation feature files, then fits scikit-learn's LogisticRegression (Debian's
python3-sklearn 1.2.1) with its defaults, raw and standardised, and prints validation and test accuracy.

  /usr/bin/python3 scripts/logreg_reference.py idx  TRAIN_LABELS.gz LIMIT TEST_LABELS.gz TEST_LIMIT train.bin valid.bin test.bin
  /usr/bin/python3 scripts/logreg_reference.py jsonl train.jsonl test.jsonl train.bin valid.bin test.bin
"""
import gzip, json, struct, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

MASK = (1 << 48) - 1


class JavaRandom:
    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & MASK

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & MASK
        return self.seed >> (48 - bits)

    def next_int(self, bound):
        r = self.next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if u - r + m < 2 ** 31:
                return r
            u = self.next(31)


def validation_mask(label_of_each, labels, fraction, seed):
    by = {l: [] for l in labels}
    for i, l in enumerate(label_of_each):
        by[l].append(i)
    rnd = JavaRandom(seed)
    valid = [False] * len(label_of_each)
    for l in labels:
        idx = by[l]
        for i in range(len(idx), 1, -1):
            j = rnd.next_int(i)
            idx[i - 1], idx[j] = idx[j], idx[i - 1]
        n = int(np.floor(len(idx) * fraction + 0.5))
        if n == 0 and len(idx) >= 2:
            n = 1
        for i in idx[:n]:
            valid[i] = True
    return valid


def features(path):
    with open(path, 'rb') as f:
        n, d = struct.unpack('<ii', f.read(8))
        return np.frombuffer(f.read(), dtype='<f4').reshape(n, d).astype(np.float64)


def idx_labels(path, limit):
    with gzip.open(path) as f:
        data = f.read()
    return [str(b) for b in data[8:8 + limit]]


def jsonl_labels(path):
    out = []
    with open(path) as f:
        for line in f:
            if line.strip():
                out.append(str(json.loads(line)['label']))
    return out


def main():
    if sys.argv[1] == 'idx':
        all_labels = idx_labels(sys.argv[2], int(sys.argv[3]))
        test_labels = idx_labels(sys.argv[4], int(sys.argv[5]))
        labels = [str(i) for i in range(10)]
        files = sys.argv[6:9]
    else:
        all_labels = jsonl_labels(sys.argv[2])
        test_labels = jsonl_labels(sys.argv[3])
        labels = sorted(set(all_labels))
        files = sys.argv[4:7]
    valid = validation_mask(all_labels, labels, 0.1, 42)
    y_train = np.array([labels.index(l) for l, v in zip(all_labels, valid) if not v])
    y_valid = np.array([labels.index(l) for l, v in zip(all_labels, valid) if v])
    y_test = np.array([labels.index(l) for l in test_labels])
    x_train, x_valid, x_test = (features(f) for f in files)
    assert len(x_train) == len(y_train) and len(x_valid) == len(y_valid) and len(x_test) == len(y_test), \
        (x_train.shape, len(y_train), x_valid.shape, len(y_valid), x_test.shape, len(y_test))
    for name, scale in (('raw', False), ('standardised', True)):
        for max_iter in (100, 1000):
            xt, xv, xs = x_train, x_valid, x_test
            if scale:
                s = StandardScaler().fit(xt)
                xt, xv, xs = s.transform(xt), s.transform(xv), s.transform(xs)
            clf = LogisticRegression(max_iter=max_iter).fit(xt, y_train)
            print('LogisticRegression(C=1, max_iter=%d) %s features: validation %.4f test %.4f (iterations %s)'
                  % (max_iter, name, clf.score(xv, y_valid), clf.score(xs, y_test), clf.n_iter_))


if __name__ == '__main__':
    main()
