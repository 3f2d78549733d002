#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench-edges' report: the records of notify-edges, as tables.

Usage: edges.py RECORDS OUTDIR

RECORDS holds notify-edges' lines, "edges METHOD GAP_US toggled=T
seconds=S irqs=I delivered=D dropped=X agree=A". Prints, in
reStructuredText, one table per interface and the highest rate at which
each delivered every edge; writes OUTDIR/edges.json and, for the plot,
OUTDIR/edges-METHOD.dat (edges raised per second, delivered / raised).
Exits 1 when an interface has no record or a record's counts disagree
with sysfs.
"""
import json
import sys

METHODS = ("async", "gpio-cdev")
NAMES = {"async": "async-notify (async_sim, fifo)", "gpio-cdev": "gpio-cdev v2"}


def parse(path):
    """The records, each a dict, in the order they were run."""
    recs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.split()
            if len(words) < 3 or words[0] != "edges":
                continue
            rec = {"method": words[1], "gap_us": int(words[2])}
            for w in words[3:]:
                key, _, val = w.partition("=")
                rec[key] = float(val) if key == "seconds" else int(val)
            rec["raised_hz"] = rec["toggled"] / rec["seconds"] if rec["seconds"] else 0.0
            rec["every_edge"] = rec["delivered"] == rec["toggled"]
            recs.append(rec)
    return recs


def table(recs):
    """One interface's records as an RST table."""
    head = ("gap (us)", "raised/s", "interrupts", "delivered", "dropped", "every edge")
    rows = [(str(r["gap_us"]), f"{r['raised_hz']:.0f}", str(r["irqs"]),
             f"{r['delivered']} of {r['toggled']}", str(r["dropped"]),
             "yes" if r["every_edge"] else "no") for r in recs]
    widths = [max(len(c) for c in col) for col in zip(head, *rows)]
    rule = "  ".join("=" * w for w in widths)
    out = [rule, "  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip(), rule]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    out.append(rule)
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: edges.py RECORDS OUTDIR")
    recs = parse(sys.argv[1])
    outdir = sys.argv[2]
    status = 0
    best = {}
    bounded = {}
    for m in METHODS:
        mine = [r for r in recs if r["method"] == m]
        if not mine:
            print(f"error: no record of {m}", file=sys.stderr)
            status = 1
            continue
        print(NAMES[m])
        print("-" * len(NAMES[m]))
        print()
        print(table(mine))
        print()
        clean = [r for r in mine if r["every_edge"]]
        best[m] = max((r["raised_hz"] for r in clean), default=0.0)
        # Every edge at the toggler's fastest: the interface's own bound
        # is higher than this guest can raise edges.
        if max(mine, key=lambda r: r["raised_hz"])["every_edge"]:
            bounded[m] = True
        with open(f"{outdir}/edges-{m}.dat", "w", encoding="utf-8") as f:
            f.write("# raised/s delivered/raised gap_us\n")
            for r in sorted(mine, key=lambda r: r["raised_hz"]):
                f.write(f"{r['raised_hz']:.1f} {r['delivered'] / r['toggled']:.4f} {r['gap_us']}\n")
    bad = [r for r in recs if not r.get("agree")]
    for r in bad:
        print(f"error: {r['method']} at a gap of {r['gap_us']} us: the reader's counts "
              "disagree with sysfs", file=sys.stderr)
        status = 1
    ratio = None
    if best.get("async") and best.get("gpio-cdev"):
        ratio = round(best["async"] / best["gpio-cdev"], 2)
    print("Highest rate with every edge delivered")
    print("--------------------------------------")
    print()
    for m, hz in best.items():
        if not hz:
            print(f"* {NAMES[m]}: none (lost edges at every gap)")
        elif m in bounded:
            print(f"* {NAMES[m]}: at least {hz:.0f} edges/s, the toggler's fastest")
        else:
            print(f"* {NAMES[m]}: {hz:.0f} edges/s")
    if ratio is not None and len(bounded) == len(METHODS):
        print("* both delivered every edge at the toggler's fastest: no ratio"
              " of the interfaces' own bounds")
        ratio = None
    if ratio is not None:
        print(f"* async-notify / gpio-cdev: {ratio:.2f}")
    with open(f"{outdir}/edges.json", "w", encoding="utf-8") as f:
        json.dump({"records": recs, "every_edge_hz": best,
                   "bounded_by_toggler": sorted(bounded),
                   "async_over_gpio_cdev": ratio}, f, indent=2)
        f.write("\n")
    sys.exit(status)


if __name__ == "__main__":
    main()
