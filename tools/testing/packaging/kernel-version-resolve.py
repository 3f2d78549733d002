#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
# Usage: kernel-version-resolve.py MAJOR MINOR <HEADER >OUT
# For an in-tree patch series: keep of HEADER what kernel MAJOR.MINOR
# builds, resolving its "#if LINUX_VERSION_CODE" tests (and their
# #elif/#else), and drop <linux/version.h>.
import re
import sys

ver = (int(sys.argv[1]), int(sys.argv[2]), 0)
VER = re.compile(r"#\s*(if|elif)\s+LINUX_VERSION_CODE\s*(<|>=)\s*KERNEL_VERSION\((\d+),\s*(\d+),\s*(\d+)\)\s*$")
out, stack = [], []          # frames: [is_version, taken, emitting, converted]
def emitting():
    return all(f[2] for f in stack)
for line in sys.stdin.read().splitlines():
    m = VER.match(line)
    d = line.lstrip()
    if m:
        v = tuple(int(x) for x in m.group(3, 4, 5))
        cond = ver < v if m.group(2) == "<" else ver >= v
        if m.group(1) == "if":
            stack.append([True, cond, cond, False])
        else:
            f = stack[-1]
            f[2] = cond and not f[1]
            f[1] = f[1] or cond
        continue
    if stack and stack[-1][0] and d.startswith("#elif"):
        f = stack[-1]
        if f[1]:
            f[2] = False
        else:
            f[2], f[3], f[1] = True, True, True
            stack[-1] = f
            if all(g[2] for g in stack[:-1]):
                out.append(line.replace("#elif", "#if", 1))
        continue
    if stack and stack[-1][0] and d.startswith("#else"):
        f = stack[-1]
        if f[3]:
            if emitting():
                out.append(line)
        else:
            f[2] = not f[1]
        continue
    if d.startswith("#endif") and stack and stack[-1][0]:
        f = stack.pop()
        if f[3] and emitting():
            out.append(line)
        continue
    if d.startswith("#if"):
        stack.append([False, True, True, False])
    elif d.startswith("#endif"):
        stack.pop()
    if emitting() and line != "#include <linux/version.h>":
        out.append(line)
print("\n".join(out))
