#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make check's guard on the instructions per event (bench.sh --quick, ICOUNT=1).

Usage: icount-guard.py BASELINE RESULTS.json

Under -icount a guest microsecond is a number of instructions (125 at
shift 3), so three medians of make bench's, per interface, count work:
the latency from the hard IRQ to the program, the program's CPU time
per event and the IRQ thread's ("-" where the interface has none).
BASELINE (tools/testing/bench/icount-baseline-KVER.txt) has a line
"INTERFACE LATENCY PROCESS_CPU IRQ_THREAD_CPU" for each interface.
Prints each figure beside its baseline and exits 1 if one is missing
from the run or is more than MARGIN over its baseline; 2 on a bad file.
A figure more than MARGIN under its baseline is reported, not failed:
the baseline then deserves a commit that lowers it.
"""
import json
import sys

# Two runs of one commit agreed to within 3.6 % (Documentation/
# benchmarks.rst); 1000 iterations of a loop in async-notify's read()
# add 2000 instructions (16 us) per call to a program's 46 to 108 us.
MARGIN = 0.10
FIGURES = (
    ("latency", "from_irq_us"),
    ("process CPU", "process_cpu_us"),
    ("IRQ thread CPU", "irq_thread_cpu_us"),
)


def load_baseline(path):
    base = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            try:
                if len(words) != 1 + len(FIGURES):
                    raise ValueError
                base[words[0]] = [None if w == "-" else float(w)
                                  for w in words[1:]]
            except ValueError:
                sys.exit(f"{path}:{n}: want 'INTERFACE LATENCY PROCESS_CPU IRQ_THREAD_CPU' (us or -), not '{line}'")
    if not base:
        sys.exit(f"{path}: no interface")
    return base


def median(entry, key):
    s = entry.get(key)
    return s["p50"] if s and s.get("n") else None


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    base = load_baseline(sys.argv[1])
    with open(sys.argv[2]) as f:
        run = {r["interface"]: r for r in json.load(f)["latency"]}
    bad = []
    print(f"icount guard: medians per event, guest us, 125 instructions each (margin {MARGIN:.0%})")
    print(f"{'interface':16} {'figure':15} {'baseline':>9} {'now':>9} {'ratio':>6}")
    for name, figures in base.items():
        for (label, key), b in zip(FIGURES, figures):
            if b is None:
                continue
            now = median(run.get(name, {}), key)
            if now is None:
                print(f"{name:16} {label:15} {b:9.1f} {'-':>9} {'-':>6}  not measured")
                bad.append(f"{name} {label}")
                continue
            ratio = now / b
            verdict = ""
            if ratio > 1 + MARGIN:
                verdict = "  MORE"
                bad.append(f"{name} {label}")
            elif ratio < 1 - MARGIN:
                verdict = "  less: lower the baseline in a commit that says why"
            print(f"{name:16} {label:15} {b:9.1f} {now:9.1f} {ratio:6.3f}{verdict}")
    if bad:
        print(f"icount guard: over the baseline or not measured: {', '.join(bad)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
