#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench-flows' report: notify-flows' records as tables and goals.

Usage: flows.py RECORDS OUTDIR

RECORDS holds the guest's lines "RUN METHOD flow FLOW DEVICE PERIOD_NS
PER_TICK seconds=S raised=R ..." (notify-flows -h says each field).
Checks every record's identity, raised = delivered + counted loss:

  the chip     raised = dispatched + merged, interrupts = dispatched
  async-notify events = dispatched, events = frames - writes + dropped
               (+ overruns in fifo mode), delivered + gaps = events,
               gaps = dropped + overruns: nothing lost uncounted
  gpio-cdev    delivered + gaps <= dispatched; the difference is the
               interrupts its thread merged (gpio-cdev counts nothing
               for them: only the chip's count shows them)

Prints, in reStructuredText, a table per run: for each flow and
interface the highest rate delivered without loss (delivered = raised),
the rate and share delivered at the fastest point, and the CPU per event
at the reference point: the fastest point at which the binary fifo and
gpio-cdev both lost nothing, else the slowest. Then each goal, met or missed, for each run
and over the runs. Writes OUTDIR/flows.json and, for the plot,
OUTDIR/flows-FLOW-METHOD.dat (raised/s, delivered/raised, CPU us per
event). Exits 1 when a record does not add up or is missing.
"""
import json
import sys

FLOWS = ("edge", "fasteoi", "level", "nested")
ASYNC = ("fifo-bin", "fifo-text", "queue-bin", "queue-text")
METHODS = ASYNC + ("gpio-cdev",)
# The goals (Documentation/benchmarks.rst, "Interrupt flows").
CPU_RATIO_MAX = 1.1


def parse(path):
    """The records, each a dict, in the order they were run."""
    recs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.split()
            if len(w) < 7 or w[2] != "flow":
                continue
            rec = {"run": int(w[0]), "method": w[1], "flow": w[3], "device": w[4],
                   "period_ns": int(w[5]), "per_tick": int(w[6])}
            for kv in w[7:]:
                key, _, val = kv.partition("=")
                rec[key] = float(val) if key == "seconds" else int(val)
            recs.append(rec)
    return recs


def check(r):
    """Fill in r's rate, losses and CPU; the reasons it does not add up."""
    why = []
    d = r["dispatched"]
    r["rate"] = r["raised"] / r["seconds"] if r["seconds"] > 0 else 0.0
    r["lost"] = r["raised"] - r["delivered"]
    if r["raised"] != d + r["merged"]:
        why.append(f"chip raised {r['raised']} != dispatched {d} + merged {r['merged']}")
    if r["irqs"] != d:
        why.append(f"/proc/interrupts {r['irqs']} != dispatched {d}")
    if r["method"] == "gpio-cdev":
        # Interrupts whose event gpio-cdev's thread folded into another.
        r["uncounted"] = d - r["delivered"] - r["gaps"]
        if r["uncounted"] < 0:
            why.append(f"gpio-cdev delivered {r['delivered']} + gaps {r['gaps']} > dispatched {d}")
    else:
        r["uncounted"] = 0
        fifo = r["method"].startswith("fifo")
        stored = r["frames"] - r["writes"] + r["dropped"] + (r["overruns"] if fifo else 0)
        if r["events"] != d:
            why.append(f"events {r['events']} != dispatched {d}")
        if r["events"] != stored:
            why.append(f"events {r['events']} != frames {r['frames']} - writes {r['writes']}"
                       f" + dropped {r['dropped']}" + (f" + overruns {r['overruns']}" if fifo else ""))
        if r["delivered"] + r["gaps"] != r["events"]:
            why.append(f"delivered {r['delivered']} + gaps {r['gaps']} != events {r['events']}")
        if r["gaps"] != r["dropped"] + r["overruns"]:
            why.append(f"gaps {r['gaps']} != dropped {r['dropped']} + overruns {r['overruns']}")
    # The CPU per event delivered: reader and IRQ thread. A nested line
    # has no IRQ thread: both interfaces' thread functions run in the
    # chip's work item, which is not measured, so there the reader's
    # alone. Every CPU's busy time (/proc/stat) is in the records only:
    # sampled at the tick, it is too coarse for a second's run.
    n = max(r["delivered"], 1)
    r["reader_us"] = r["reader_ns"] / n / 1000
    r["thread_us"] = r["thread_ns"] / n / 1000 if r["thread_ns"] >= 0 else None
    r["cpu_us"] = r["reader_us"] + (r["thread_us"] or 0)
    r["lossfree"] = r["lost"] == 0 and not why
    r["why"] = why
    return why


def rst(head, rows):
    """An RST simple table."""
    widths = [max(len(c) for c in col) for col in zip(head, *rows)]
    rule = "  ".join("=" * w for w in widths)
    out = [rule, "  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip(), rule]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    out.append(rule)
    return "\n".join(out)


def point(r):
    """A record's point of the sweep: (period ns, edges per tick)."""
    return (r["period_ns"], r["per_tick"])


def asked(p):
    """The rate a point asks for, edges a second."""
    return p[1] * 1e9 / p[0]


def summarize(recs):
    """Per flow and method of one run: the figures of the table and goals."""
    out = {}
    for flow in FLOWS:
        by = {m: [r for r in recs if r["flow"] == flow and r["method"] == m] for m in METHODS}
        # The reference point: the fastest (by the rate asked) at which
        # the binary fifo and gpio-cdev both lost nothing.
        ok_a = {point(r) for r in by["fifo-bin"] if r["lossfree"]}
        ok_c = {point(r) for r in by["gpio-cdev"] if r["lossfree"]}
        both = ok_a & ok_c
        # Else the slowest point, where each lost least.
        pts = {point(r) for r in by["fifo-bin"]} & {point(r) for r in by["gpio-cdev"]}
        if both:
            ref = max(both, key=asked)
        else:
            ref = min(pts, key=asked) if pts else None
        for m in METHODS:
            rs = by[m]
            if not rs:
                continue
            free = [r["rate"] for r in rs if r["lossfree"]]
            fast = max(rs, key=lambda r: asked(point(r)))
            at = [r for r in rs if point(r) == ref]
            out[(flow, m)] = {
                "lossfree_rate": max(free) if free else 0.0,
                "fastest_rate": fast["rate"],
                "fastest_delivered": fast["delivered"] / fast["raised"] if fast["raised"] else 0.0,
                "fastest_lost": fast["lost"],
                "fastest_counted": fast["merged"] + fast["gaps"],
                "fastest_uncounted": fast["uncounted"],
                "ref": ref,
                "ref_lossfree": bool(both),
                "ref_rate": at[0]["rate"] if at else None,
                "reader_us": at[0]["reader_us"] if at else None,
                "thread_us": at[0]["thread_us"] if at else None,
                "cpu_us": at[0]["cpu_us"] if at else None,
            }
    return out


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def goals(s):
    """Each goal of one run's summary: (name, met, text)."""
    res = []
    for flow in FLOWS:
        c = s.get((flow, "gpio-cdev"))
        if not c:
            continue
        lower = [m for m in ASYNC if (flow, m) in s and s[(flow, m)]["lossfree_rate"] < c["lossfree_rate"]]
        rates = ", ".join(f"{m} {s[(flow, m)]['lossfree_rate']:.0f}" for m in ASYNC if (flow, m) in s)
        res.append((f"loss-free rate, {flow}", not lower,
                    f"async-notify {rates}/s; gpio-cdev {c['lossfree_rate']:.0f}/s"
                    + (f" (below: {', '.join(lower)})" if lower else "")))
        a = s.get((flow, "fifo-bin"))
        if not a or a["cpu_us"] is None or c["cpu_us"] is None or c["cpu_us"] <= 0:
            res.append((f"CPU per event, {flow}", False, "no point read by both"))
            continue
        ratio = a["cpu_us"] / c["cpu_us"]
        what = "reader + IRQ thread" if a["thread_us"] is not None else "reader only (no IRQ thread)"
        res.append((f"CPU per event, {flow}", ratio <= CPU_RATIO_MAX,
                    f"binary fifo {a['cpu_us']:.2f} us, gpio-cdev {c['cpu_us']:.2f} us: "
                    f"{ratio:.2f}x (at most {CPU_RATIO_MAX}x), {what}, at {a['ref_rate']:.0f}/s"
                    + ("" if a["ref_lossfree"] else " (the slowest point: no point lossless for both)")))
    return res


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: flows.py RECORDS OUTDIR")
    recs = parse(sys.argv[1])
    outdir = sys.argv[2]
    status = 0
    if not recs:
        print("FAIL: no record")
        return 1
    for r in recs:
        for why in check(r):
            print(f"FAIL: run {r['run']} {r['flow']} {r['method']} at {r['period_ns']} ns x "
                  f"{r['per_tick']}: {why}: this is a failure, not a figure")
            status = 1
    runs = sorted({r["run"] for r in recs})
    flows = [f for f in FLOWS if any(r["flow"] == f for r in recs)]
    methods = [m for m in METHODS if any(r["method"] == m for r in recs)]
    points = sorted({point(r) for r in recs}, key=asked)
    for run in runs:
        for f in flows:
            for m in methods:
                have = {point(r) for r in recs if r["run"] == run and r["flow"] == f and r["method"] == m}
                if have != set(points):
                    print(f"FAIL: run {run} {f} {m}: {len(points) - len(have)} points missing")
                    status = 1
    summaries, allgoals = {}, {}
    head = ("flow", "interface", "loss-free/s", "fastest/s", "delivered", "lost: counted",
            "uncounted", "at/s", "reader us", "thread us")
    for run in runs:
        s = summarize([r for r in recs if r["run"] == run])
        summaries[run] = s
        rows = []
        for (flow, m), v in s.items():
            rows.append((flow, m, f"{v['lossfree_rate']:.0f}", f"{v['fastest_rate']:.0f}",
                         f"{100 * v['fastest_delivered']:.1f}%",
                         str(v["fastest_counted"]), str(v["fastest_uncounted"]),
                         fmt(v["ref_rate"], ".0f"), fmt(v["reader_us"], ".2f"),
                         fmt(v["thread_us"], ".2f")))
        print(f"Run {run}: the highest rate with no loss; at the fastest point, the share "
              "delivered and the losses counted (the chip's merged and the interface's own) "
              "and not counted by the interface; CPU per event delivered at the reference point "
              "(the fastest where the binary fifo and gpio-cdev both lost nothing, else the slowest)")
        print()
        print(rst(head, rows))
        print()
        for name, met, text in goals(s):
            allgoals.setdefault(name, []).append(met)
            print(f"goal run {run}: {name}: {'met' if met else 'MISSED'}: {text}")
        print()
    for name, mets in allgoals.items():
        missed = len(mets) - sum(mets)
        print(f"goal over {len(mets)} runs: {name}: "
              + (f"MISSED in {missed} of {len(mets)}" if missed else f"met in all {len(mets)}"))
    for f in flows:
        for m in methods:
            rows = sorted((r for r in recs if r["flow"] == f and r["method"] == m),
                          key=lambda r: r["rate"])
            with open(f"{outdir}/flows-{f}-{m}.dat", "w", encoding="utf-8") as out:
                out.write("# raised/s delivered/raised cpu_us_per_event run\n")
                for r in rows:
                    ratio = r["delivered"] / r["raised"] if r["raised"] else 0
                    out.write(f"{r['rate']:.1f} {ratio:.4f} {r['cpu_us']:.3f} {r['run']}\n")
    with open(f"{outdir}/flows.json", "w", encoding="utf-8") as out:
        json.dump({"records": recs,
                   "runs": {str(run): {f"{k[0]} {k[1]}": v for k, v in s.items()}
                            for run, s in summaries.items()},
                   "goals": {k: v for k, v in allgoals.items()}}, out, indent=1)
    return status


if __name__ == "__main__":
    sys.exit(main())
