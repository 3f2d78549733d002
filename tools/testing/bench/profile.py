#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Sum make bench's function_graph profile per interface and call path.

usage: profile.py PULSES TRACE LABEL...

TRACE holds guest-bench's profile: each line is an interface's label, then
a line of the function_graph tracer (options funcgraph-proc and
funcgraph-tail on), rooted at vfs_read, do_epoll_wait and irq_thread_fn.
Only the benchmark program's calls and IRQ threads count, not the shell's.
For each interface, prints every call path's calls, time per call and
time per event (of PULSES), then the time each root and each call it
made directly spent awake per event: its time less that of the sleeping
calls below it (a blocking read's or epoll_wait's wait for the event). Exits 1 if one of
the LABELs, the interfaces profiled, has no root at all in TRACE: the
profile did not work.
"""

import re
import sys
from collections import defaultdict

# Whose calls count: the benchmark program and the IRQ threads.
OWNERS = ("notify-", "irq/")
# Calls that wait: their time is the wait for the event, not work.
SLEEPS = {"schedule", "schedule_timeout", "schedule_hrtimeout_range"}
# What a line is when it is not the interface's.
NOTES = {"seq_read": "  (the benchmark's own reads of /proc: CPU times)"}
# Paths below this many us per event are left out, but for the roots'
# children; so is what a sleeping call does.
MIN_US_PER_EVENT = 1.0

# " 0)  notify--85    |   1.250 us    |    __kmalloc_node();"
LINE = re.compile(r"^\s*(\d+)\)\s*(\S+)\s*\|\s*(?:[-+!#*@$]\s*)?([\d.]+ us)?\s*\|(.*)$")


def name_of(code):
    """A call's name, without its module: "async_notify_read"."""
    return code.split("(")[0].split(" [")[0].strip()


def parse(lines):
    """{label: {path: [calls, total_us]}}, from the labelled trace lines."""
    calls = defaultdict(lambda: defaultdict(lambda: [0, 0.0]))
    stacks = defaultdict(list)
    for raw in lines:
        label, _, line = raw.rstrip("\n").partition(" ")
        m = LINE.match(line)
        if not m:
            continue
        _, owner, dur, code = m.groups()
        code = code.strip()
        stack = stacks[label, owner]
        if code.endswith("{"):
            stack.append(name_of(code))
            continue
        if code.startswith("}"):
            # "} /* vfs_read */": the end of the call on top of the stack.
            name = name_of(code.split("/*")[-1].split("*/")[0])
            if not stack or stack[-1] != name:
                stack.clear()  # started before the trace did
                continue
            path = tuple(stack)
            stack.pop()
        elif code.endswith(";"):
            path = tuple(stack) + (name_of(code),)
        else:
            continue
        if dur and owner.startswith(OWNERS):
            entry = calls[label][path]
            entry[0] += 1
            entry[1] += float(dur.split()[0])
    return calls


def awake_us(paths, root):
    """The root's time less that of the outermost sleeping calls below it."""
    total = paths[root][1]
    for path, (_, us) in paths.items():
        if path[: len(root)] != root or path == root:
            continue
        if path[-1] in SLEEPS and not SLEEPS & set(path[len(root):-1]):
            total -= us
    return total


def traced_below(paths, root):
    """Calls traced below the root, but for what the sleeping calls did."""
    return sum(n for path, (n, _) in paths.items()
               if len(path) > len(root) and path[: len(root)] == root
               and not SLEEPS & set(path[len(root):-1]))


def report(label, paths, pulses):
    print(f"{label}: {pulses} events")
    print(f"  {'calls/event':>11} {'us/call':>9} {'us/event':>9}  call path")
    for path in sorted(paths):
        n, us = paths[path]
        if len(path) > 2 and us / pulses < MIN_US_PER_EVENT:
            continue
        if SLEEPS & set(path[:-1]):
            continue  # the context switch around the sleep
        sleep = "  (sleeps)" if path[-1] in SLEEPS else ""
        print(f"  {n / pulses:11.2f} {us / n:9.1f} {us / pulses:9.1f}  "
              f"{'  ' * (len(path) - 1)}{path[-1]}{sleep}")
    print("  awake per event, less the sleeping calls below, and the calls")
    print("  traced below it per event (each adds the tracer's own cost):")
    for path in sorted(p for p in paths if len(p) <= 2):
        us = awake_us(paths, path) / pulses
        if us >= MIN_US_PER_EVENT and path[-1] not in SLEEPS:
            below = traced_below(paths, path) / pulses
            note = NOTES.get(path[-1], "")
            print(f"  {us:9.1f} us  {below:6.1f}  {' > '.join(path)}{note}")
    print()


def main():
    if len(sys.argv) < 4 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: profile.py PULSES TRACE LABEL...")
    pulses = int(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        lines = f.readlines()
    labels = sys.argv[3:]
    calls = parse(lines)
    status = 0
    for label in labels:
        paths = calls.get(label, {})
        if not any(len(p) == 1 for p in paths):
            print(f"{label}: no call to {', '.join(('vfs_read', 'do_epoll_wait', 'irq_thread_fn'))} traced",
                  file=sys.stderr)
            status = 1
            continue
        report(label, paths, pulses)
    sys.exit(status)


if __name__ == "__main__":
    main()
