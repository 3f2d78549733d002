#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench RUNS=N: each headline ratio of N runs, and its spread.

Usage: spread.py [--goals] RESULTS.json...  (bench.sh keeps one per run,
beside its profile.txt)

Prints one line per ratio: its value in each run, in order, then the
lowest and the highest. A ratio a run lacks is shown as "-". Then each
goal of the benchmark (Documentation/benchmarks.rst), its lowest and
highest ratio and in how many runs it was met; and, for each goal missed
in a run, the rows of the runs' profiles that compare the two
interfaces' paths (the time each was awake per event, and the calls
traced below it), or the loss-free rates of timerfd, which bound the
readers'. --goals prints the goals only (bench.sh, for one run).
"""
import json
import os
import re
import sys

# The goals: what, the ratio, and the most (<=) or least (>=) it may be.
GOALS = (
    ("binary blocking read, p50 <= 1.00", "async-read-bin / gpio-cdev p50", "<=", 1.00),
    ("binary blocking read, p99 <= 1.00", "async-read-bin / gpio-cdev p99", "<=", 1.00),
    ("binary blocking read, CPU <= 1.10", "async-read-bin / gpio-cdev process_cpu", "<=", 1.10),
    ("binary epoll, p50 <= 1.00", "async-epoll-bin / gpio-cdev-epoll p50", "<=", 1.00),
    ("binary epoll, p99 <= 1.00", "async-epoll-bin / gpio-cdev-epoll p99", "<=", 1.00),
    ("binary epoll, CPU <= 1.10", "async-epoll-bin / gpio-cdev-epoll process_cpu", "<=", 1.10),
    ("SIGIO p50 <= UIO's SIGIO", "async-sigio / uio-sigio p50", "<=", 1.00),
    ("SIGIO p99 <= UIO's SIGIO", "async-sigio / uio-sigio p99", "<=", 1.00),
    ("SIGIO CPU <= UIO's SIGIO", "async-sigio / uio-sigio process_cpu", "<=", 1.00),
    ("fan-out per file, latency <= UIO's", "fan-out per file latency / UIO", "<=", 1.00),
    ("fan-out per file, kernel CPU <= UIO's", "fan-out per file kernel_cpu / UIO", "<=", 1.00),
    ("SIGIO loss-free >= 0.9 of ceiling", "loss-free sigio / timerfd ceiling", ">=", 0.9),
    ("epoll loss-free >= 0.9 of ceiling", "loss-free epoll / timerfd ceiling", ">=", 0.9),
    ("SIGIO loss-free >= 0.9 of timerfd's", "loss-free sigio / timerfd loss-free", ">=", 0.9),
    ("epoll loss-free >= 0.9 of timerfd's", "loss-free epoll / timerfd loss-free", ">=", 0.9),
)

# For a missed goal, by the start of its ratio's name: the profile rows
# (interface, call path) that compare where the two spend their time.
WHERE = (
    ("async-read-bin / gpio-cdev ", (("async-read-bin", "vfs_read > async_notify_read"),
                                     ("gpio-cdev", "vfs_read > linereq_read"))),
    ("async-epoll-bin / gpio-cdev-epoll ", (("async-epoll-bin", "do_epoll_wait"),
                                            ("gpio-cdev-epoll", "do_epoll_wait"),
                                            ("async-epoll-bin", "vfs_read > async_notify_read"),
                                            ("gpio-cdev-epoll", "vfs_read > linereq_read"))),
    ("async-sigio / uio-sigio ", (("async-sigio", "irq_thread_fn > async_notify_irq_thread"),
                                  ("async-read-bin", "irq_thread_fn > async_notify_irq_thread"),
                                  ("async-sigio", "vfs_read > async_notify_read"),
                                  ("uio-sigio", "vfs_read > uio_read"))),
    # Each subscribed file is read until EAGAIN on SIGIO, as async-sigio's.
    ("fan-out per file ", (("async-sigio", "irq_thread_fn > async_notify_irq_thread"),
                           ("async-sigio", "vfs_read > async_notify_read"),
                           ("uio-sigio", "vfs_read > uio_read"))),
)

# profile.txt: "async-read-bin: 20 events", then awake rows
# "      146.3 us    21.0  vfs_read > async_notify_read".
HEAD = re.compile(r"^(\S+): \d+ events$")
AWAKE = re.compile(r"^\s+([\d.]+) us\s+([\d.]+)\s+(\S.*?)(?:  \(.*)?$")


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


def awake(path):
    """{(interface, call path): (us awake, calls below)} of one profile.txt."""
    rows, label = {}, None
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = HEAD.match(line.rstrip("\n"))
                if m:
                    label = m.group(1)
                    continue
                m = AWAKE.match(line.rstrip("\n"))
                if m and label:
                    rows[label, m.group(3)] = (float(m.group(1)), float(m.group(2)))
    except OSError:
        pass
    return rows


def goals(paths, runs):
    """Each goal over the runs; then what bounds each one missed."""
    print(f"{'goal':<38}  {'lowest':>6}  {'highest':>7}  met")
    missed = []
    for what, name, op, bound in GOALS:
        vals = [r[name] for r in runs if name in r]
        if not vals:
            continue
        met = sum(v <= bound if op == "<=" else v >= bound for v in vals)
        print(f"{what:<38}  {min(vals):6.2f}  {max(vals):7.2f}  {met} of {len(vals)}")
        if met < len(vals):
            missed.append(name)
    profiles = [awake(os.path.join(os.path.dirname(p), "profile.txt")) for p in paths]
    for prefix, rows in WHERE:
        if not any(n.startswith(prefix) for n in missed):
            continue
        print()
        print(f"{prefix.strip()} missed a goal; the profile, per event (us awake, calls below):")
        print(f"  {'':<16} " + "  ".join(f"{'run ' + str(i + 1):>12}" for i in range(len(profiles))))
        for label, call in rows:
            cells = [prof.get((label, call)) for prof in profiles]
            text = "  ".join(f"{c[0]:6.1f} {c[1]:5.1f}" if c else f"{'-':>12}" for c in cells)
            print(f"  {label:<16} {text}  {call}")
    if any(n.startswith("loss-free") for n in missed):
        print()
        print("a loss-free goal was missed; timerfd's own loss-free rate and its ceiling of")
        print("wake-ups bound every reader of this guest (Hz, per run):")
        for p in paths:
            with open(p, encoding="utf-8") as f:
                lf = json.load(f).get("loss_free", {})
            print(f"  timerfd loss-free {lf.get('timerfd_hz', 0):6.0f}  ceiling "
                  f"{lf.get('timerfd_wakeups_per_s', 0):6.0f}  sigio {lf.get('sigio_hz', 0):6.0f}"
                  f"  epoll {lf.get('epoll_hz', 0):6.0f}")


def main(args):
    only_goals = args[:1] == ["--goals"]
    paths = args[1:] if only_goals else args
    if not paths:
        sys.exit(__doc__)
    runs = [ratios(p) for p in paths]
    if only_goals:
        goals(paths, runs)
        return
    names = list(dict.fromkeys(n for r in runs for n in r))
    width = max(len(n) for n in names) if names else 0
    print(f"{'ratio':<{width}}  " + "  ".join(f"run {i + 1:<2}" for i in range(len(runs)))
          + "    min    max")
    for n in names:
        vals = [r.get(n) for r in runs]
        have = [v for v in vals if v is not None]
        cells = "  ".join(f"{v:6.2f}" if v is not None else f"{'-':>6}" for v in vals)
        print(f"{n:<{width}}  {cells}  {min(have):5.2f}  {max(have):5.2f}")
    print()
    goals(paths, runs)


if __name__ == "__main__":
    main(sys.argv[1:])
