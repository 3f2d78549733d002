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

Each async-notify figure is taken as a ratio to gpio-cdev's same figure
in the same run, and that ratio is compared with the baseline's: the
kernel's own path cancels out, so a newer point release of the kernel
(which moved gpio-cdev by up to 11 % between 6.1 and 6.12) does not
fail the guard, while work added to async-notify's path does. The
kernel's own interfaces are printed, not guarded. Exits 1 if a guarded
figure is missing from the run or is more than MARGIN over its
baseline, 2 on a bad file; the last line printed names the figures. A
figure more than MARGIN under its baseline is reported, not failed: the
baseline then deserves a commit that lowers it.
"""
import json
import sys

# Two runs of one commit (16 events each) agreed to within 0.4 %; in
# three full runs, every window of 16 events stayed within 4.3 % of
# the baseline's ratios; the ratios to gpio-cdev moved by -8.5 % to
# +6.1 % from 6.1 to 6.12 (Documentation/benchmarks.rst). 1000
# iterations of a loop in async-notify's read() add 2000 instructions
# (16 us) per call to a program's 46 to 108 us.
MARGIN = 0.10
REFERENCE = "gpio-cdev"
GUARDED = "async-"
FIGURES = (
    ("latency", "from_irq_us"),
    ("process CPU", "process_cpu_us"),
    ("IRQ thread CPU", "irq_thread_cpu_us"),
)


def bad_file(msg):
    """The verdict line bench.sh quotes, then exit 2."""
    print(f"icount guard: {msg}")
    sys.exit(2)


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
                bad_file(f"{path}:{n}: want 'INTERFACE LATENCY PROCESS_CPU IRQ_THREAD_CPU' (us or -), not '{line}'")
    if REFERENCE not in base:
        bad_file(f"{path}: no line for {REFERENCE}, the reference")
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
        results = json.load(f)
    run = {r["interface"]: r for r in results["latency"]}
    kernel = results.get("environment", {}).get("kernel", "?")
    bad = []
    print(f"icount guard: medians per event, guest us, 125 instructions each; kernel {kernel}")
    print(f"each async-notify figure as a ratio to {REFERENCE}'s in the same run, against the baseline's (margin {MARGIN:.0%})")
    print(f"{'interface':16} {'figure':15} {'baseline':>9} {'now':>9} {'base/ref':>9} {'now/ref':>9} {'change':>7}")
    for name, figures in base.items():
        guarded = name.startswith(GUARDED)
        for i, ((label, key), b) in enumerate(zip(FIGURES, figures)):
            if b is None:
                continue
            now = median(run.get(name, {}), key)
            ref_b = base[REFERENCE][i]
            ref_now = median(run.get(REFERENCE, {}), key)
            if now is None or ref_now is None:
                print(f"{name:16} {label:15} {b:9.1f} {'-':>9}  not measured")
                if guarded or name == REFERENCE:
                    bad.append(f"{name} {label} (not measured)")
                continue
            if name == REFERENCE:
                print(f"{name:16} {label:15} {b:9.1f} {now:9.1f} {'':9} {'':9} {now / b:7.3f}  the reference: the kernel's own path")
                continue
            rb, rn = b / ref_b, now / ref_now
            change = rn / rb
            verdict = "" if guarded else "  not guarded: the kernel's"
            if guarded and change > 1 + MARGIN:
                verdict = "  MORE"
                bad.append(f"{name} {label} x{change:.3f}")
            elif guarded and change < 1 - MARGIN:
                verdict = "  less: lower the baseline in a commit that says why"
            print(f"{name:16} {label:15} {b:9.1f} {now:9.1f} {rb:9.3f} {rn:9.3f} {change:7.3f}{verdict}")
    if bad:
        print(f"icount guard: over the baseline or not measured: {', '.join(bad)}")
        return 1
    print("icount guard: every async-notify figure within the margin")
    return 0


if __name__ == "__main__":
    sys.exit(main())
