# SPDX-License-Identifier: GPL-2.0-only
# A reader stalled in a page fault (userfaultfd) holds up nobody: sysfs,
# poll, open (of this and of another misc device) and delivery to another
# reader go on, in every mode and with every source.
# checks: 24
# shellcheck shell=sh

# Any other misc device will do; the kernel's PM QoS node is always there.
other=/dev/cpu_dma_latency
[ -c $other ] || other=/dev/globalfifo
for d in async_n0 async_n1 globalfifo async_queue; do
	c_test "stall@$d" async-notify-stall /dev/$d $other
done
