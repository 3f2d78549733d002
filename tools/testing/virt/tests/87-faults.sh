# SPDX-License-Identifier: GPL-2.0-only
# needs: debug-kernel
# Open, read, write and bind under injected allocation failures
# (tools/testing/progs/async-notify-faults.c). Each allocation of the call
# fails in turn (/proc/thread-self/fail-nth): the call fails with ENOMEM
# and leaves counts and bytes queued as they were; a failed bind leaves
# the device unbound, and it binds once nothing fails. 95-kmemleak.sh
# then finds nothing leaked. Only the debug kernel has fault injection
# (run skips it elsewhere).
# checks: 19
# timeout: 300
# shellcheck shell=sh

fs=/sys/kernel/debug/failslab
if [ ! -d $fs ]; then
	result faults "no $fs: the debug kernel needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS"
else
	gfp_wait=$(cat $fs/ignore-gfp-wait)
	verbose=$(cat $fs/verbose)
	# GFP_KERNEL allocations may fail too, and quietly: a stack dump per
	# failure would read as a kernel report.
	echo N >$fs/ignore-gfp-wait
	echo 0 >$fs/verbose
	# Not async_burst: its 16 KiB buffer falls back to vmalloc, which
	# reports its own failures with a stack dump.
	echo "faults: failslab with ignore-gfp-wait=N verbose=0; each allocation of each call fails in turn"
	c_test faults async-notify-faults --probe async-notify-2 \
		globalfifo async_queue async_n2 async_n1 async_n0
	echo "$gfp_wait" >$fs/ignore-gfp-wait
	echo "$verbose" >$fs/verbose
fi
