#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench RUNS=N: each headline ratio of N runs, and its spread.

Usage: spread.py RESULTS.json...  (bench.sh keeps one per run)

Prints one line per ratio: its value in each run, in order, then the
lowest and the highest. A ratio a run lacks is shown as "-".
"""
import json
import sys


def ratios(path):
    """The headline ratios of one run's results.json, by name."""
    with open(path, encoding="utf-8") as f:
        res = json.load(f)
    out = {}
    for r in res.get("ratios", []):
        for key in ("p50", "p99", "process_cpu"):
            if key in r:
                out[f"{r['ours']} / {r['peer']} {key}"] = r[key]
    for key, val in res.get("loss_free", {}).items():
        if key.endswith("_over_ceiling"):
            out[f"loss-free {key[:-len('_over_ceiling')]} / timerfd ceiling"] = val
        elif key.endswith("_over_timerfd"):
            out[f"loss-free {key[:-len('_over_timerfd')]} / timerfd loss-free"] = val
    fan = (res.get("fanout") or {}).get("ours_over_peer") or {}
    for key, val in fan.items():
        out[f"fan-out per file {key} / UIO"] = val
    return out


def main(paths):
    if not paths:
        sys.exit(__doc__)
    runs = [ratios(p) for p in paths]
    names = list(dict.fromkeys(n for r in runs for n in r))
    width = max(len(n) for n in names) if names else 0
    print(f"{'ratio':<{width}}  " + "  ".join(f"run {i + 1:<2}" for i in range(len(runs)))
          + "    min    max")
    for n in names:
        vals = [r.get(n) for r in runs]
        have = [v for v in vals if v is not None]
        cells = "  ".join(f"{v:6.2f}" if v is not None else f"{'-':>6}" for v in vals)
        print(f"{n:<{width}}  {cells}  {min(have):5.2f}  {max(have):5.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
