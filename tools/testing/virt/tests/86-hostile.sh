# SPDX-License-Identifier: GPL-2.0-only
# Hostile input: random syscalls with bad pointers, counts, flags and
# ioctls on every device, and garbage in every writable sysfs file
# (tools/testing/progs/async-notify-hostile.c). Every error must be one
# the ABI documentation lists; the counts end at 0. The seed is printed:
# boot with KARGS=an_seed=N to replay a run (an_hostile_s=S sets its
# length in seconds).
# checks: 3
# The debug kernel's 30 s run took 32 s alone and 99 s beside the other
# guests, most of it after the loop (the program prints both parts).
# timeout: 300
# shellcheck shell=sh

seed=$(sed -n 's/.*an_seed=\([0-9]*\).*/\1/p' /proc/cmdline)
secs=$(sed -n 's/.*an_hostile_s=\([0-9]*\).*/\1/p' /proc/cmdline)
# Longer on the debug kernel, whose detectors are the point of the run.
debug_kernel && secs=${secs:-30}
c_test hostile async-notify-hostile --duration "${secs:-10}" ${seed:+--seed "$seed"}
