#!/usr/bin/env python3
"""Diff two /proc/PID/smaps snapshots by mapping (docs/reliability.md, "Soak"): which mappings' resident
pages grew between them. Usage: smaps_diff.py BEFORE AFTER [TOP]. Prints totals by kind (file-backed by
library, glibc arena heaps = 64 MiB-aligned anonymous regions, other anonymous by size class) and the TOP
(20) mappings whose Rss changed most."""
import re
import sys
from collections import defaultdict


def read(path):
    maps = {}
    cur = None
    for line in open(path):
        m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(.*)$', line)
        if m:
            start, end = int(m.group(1), 16), int(m.group(2), 16)
            cur = {'start': start, 'size': end - start, 'perm': m.group(3), 'name': m.group(4).strip(), 'Rss': 0,
                   'Anonymous': 0}
            maps[start] = cur
            continue
        m = re.match(r'^(\w+):\s+(\d+) kB', line)
        if m and cur is not None:
            cur[m.group(1)] = int(m.group(2))
    return maps


def kind(mp):
    name = mp['name']
    if name and not name.startswith('['):
        return 'file ' + name.split('/')[-1]
    if name:
        return name
    if mp['start'] % (64 << 20) == 0 and mp['size'] <= (64 << 20):
        return 'anon 64MiB-aligned (glibc arena heap)'
    mib = mp['size'] / (1 << 20)
    for lim in (1, 8.1, 64, 256, 1024):
        if mib <= lim:
            return 'anon <= %g MiB' % lim
    return 'anon > 1 GiB'


def main():
    a, b = read(sys.argv[1]), read(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    tot = defaultdict(lambda: [0, 0, 0])
    for m in a.values():
        tot[kind(m)][0] += m['Rss']
    for m in b.values():
        tot[kind(m)][1] += m['Rss']
        tot[kind(m)][2] += 1
    print('%-50s %12s %12s %10s %6s' % ('kind', 'before kB', 'after kB', 'delta', 'maps'))
    for k, v in sorted(tot.items(), key=lambda kv: -abs(kv[1][1] - kv[1][0])):
        if v[0] or v[1]:
            print('%-50s %12d %12d %+10d %6d' % (k[:50], v[0], v[1], v[1] - v[0], v[2]))
    print('%-50s %12d %12d %+10d' % ('TOTAL', sum(v[0] for v in tot.values()), sum(v[1] for v in tot.values()),
                                     sum(v[1] - v[0] for v in tot.values())))
    deltas = []
    for s in set(a) | set(b):
        ra = a[s]['Rss'] if s in a else 0
        rb = b[s]['Rss'] if s in b else 0
        m = b.get(s) or a.get(s)
        deltas.append((rb - ra, s, m, s in a, s in b))
    deltas.sort(key=lambda d: -abs(d[0]))
    print('\ntop mappings by Rss change:')
    for d, s, m, ina, inb in deltas[:top]:
        print('%+9d kB  %012x size %8d kB %s %s%s' % (d, s, m['size'] // 1024, m['perm'], kind(m),
                                                     '' if ina and inb else (' (new)' if inb else ' (gone)')))


main()
