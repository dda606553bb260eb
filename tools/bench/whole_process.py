#!/usr/bin/env python3
"""Whole-process CPU time of embedding contenders, interleaved rounds, medians.

Each contender runs in its own JVM (dev.nnsdk.bench.WholeProcess) under /usr/bin/time; rounds are
interleaved (round r runs every contender once, in an order rotated by r) so a change in machine load
hits all contenders alike. Prints a Markdown table: median CPU s (user+sys of the whole process),
median wall s, texts/s (wall), peak RSS, CPU ratio to the first contender and min/mean cosine of each
contender's vectors to the first contender's.

usage: whole_process.py ROUNDS INPUT LIMIT 'LABEL|KIND|MODEL|ENGINE|THREADS|BATCH|JVMARGS' ...
e.g.   whole_process.py 3 /tmp/imdb60.jsonl 2000 'lc4j|langchain4j|all-minilm-l6-v2|onnx|0|32|' \
           'sdk|sdk|all-minilm-l6-v2|onnx|0|32|' 'sdk-old|sdk|all-minilm-l6-v2|onnx|2|32|-Dnnsdk.batchParallelism=1 -Dnnsdk.tokenBudget=1024'
JVMARGS tokens of the form env:NAME=VALUE set an environment variable for that contender instead.
Run from the repository root after `mvn -B -o -q package -DskipTests -pl examples -am`.
"""
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile

import numpy as np

CP = "examples/target/sdk-cli.jar:examples/target/lib/*"


def run(spec, inp, limit, vec_path):
    label, kind, model, engine, threads, batch, jvm = spec
    env = dict(os.environ)
    for tok in [t for t in jvm.split() if t.startswith("env:")]:
        k, v = tok[4:].split("=", 1)
        env[k] = v
    jvm = " ".join(t for t in jvm.split() if not t.startswith("env:"))
    cmd = ["/usr/bin/time", "-f", "TIME %U %S %e %M", "java", "-Xmx1g"] + jvm.split() + [
        "-cp", CP, "dev.nnsdk.bench.WholeProcess", kind, model, engine, threads, batch, inp, str(limit), vec_path]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    t = [l for l in p.stderr.splitlines() if l.startswith("TIME ")]
    if p.returncode != 0 or not t:
        sys.exit("failed: %s\n%s\n%s" % (" ".join(cmd), p.stdout[-2000:], p.stderr[-4000:]))
    u, s, e, m = t[-1].split()[1:]
    res = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])
    res.update(cpu=float(u) + float(s), wall=float(e), rssMiB=int(m) / 1024.0)
    return res


def vectors(path):
    with open(path, "rb") as f:
        n, d = struct.unpack(">ii", f.read(8))
        return np.frombuffer(f.read(), dtype=">f4").astype(np.float64).reshape(n, d)


def main():
    rounds, inp, limit = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    specs = [s.split("|") for s in sys.argv[4:]]
    tmp = tempfile.mkdtemp(prefix="wholeproc")
    results = {s[0]: [] for s in specs}
    for r in range(rounds):
        order = specs[r % len(specs):] + specs[:r % len(specs)]
        for s in order:
            res = run(s, inp, limit, os.path.join(tmp, s[0] + ".bin"))
            results[s[0]].append(res)
            print("round %d %-28s cpu %6.1f s wall %6.1f s rss %5.0f MiB load %.1f s embed %.1f s" % (
                r + 1, s[0], res["cpu"], res["wall"], res["rssMiB"], res["loadSeconds"], res["embedSeconds"]),
                file=sys.stderr, flush=True)
    ref = vectors(os.path.join(tmp, specs[0][0] + ".bin"))
    base = statistics.median(x["cpu"] for x in results[specs[0][0]])
    print("| contender | CPU s (median, all rounds) | wall s | texts/s (wall) | peak RSS MiB | speed-up (CPU) vs %s | min / mean cosine to %s |"
          % (specs[0][0], specs[0][0]))
    print("|---|---|---|---|---|---|---|")
    for s in specs:
        xs = results[s[0]]
        cpu = statistics.median(x["cpu"] for x in xs)
        wall = statistics.median(x["wall"] for x in xs)
        v = vectors(os.path.join(tmp, s[0] + ".bin"))
        cos = np.sum(v * ref, axis=1) / np.linalg.norm(v, axis=1) / np.linalg.norm(ref, axis=1)
        print("| %s | %.1f (%s) | %.1f | %.1f | %.0f | %.2fx | %.6f / %.6f |" % (
            s[0], cpu, ", ".join("%.1f" % x["cpu"] for x in xs), wall, xs[0]["texts"] / wall,
            statistics.median(x["rssMiB"] for x in xs), base / cpu, cos.min(), cos.mean()))


if __name__ == "__main__":
    main()
