# SPDX-License-Identifier: GPL-2.0-only
# needs: debug-kernel
# make bench-edges' program (tools/testing/bench/notify-edges.c) at 100
# edges a second, slow enough to lose none: every rising edge of gpio-sim
# line 0 is an interrupt and reaches async_sim's reader; async-notify's
# counts agree with sysfs. gpio-cdev on the same line is the reference:
# each edge must be an interrupt there too, but gpio-cdev may deliver
# fewer events when the emulated guest runs its IRQ thread more than
# 10 ms late beside another guest: two hard interrupts before the thread
# runs make one event (gpiolib-cdev.c: edge_irq_handler() keeps one
# timestamp, edge_irq_thread() makes one event per wake-up). That is
# said, not failed.
# checks: 2
# shellcheck shell=sh

EDGES=100
GAP_US=10000
for m in async gpio-cdev; do
	why=
	rec=$(notify-edges "$m" $GAP_US $EDGES 2>&1) || note "notify-edges $m failed: $rec"
	case $m:$rec in
	*"edges $m $GAP_US toggled=$EDGES "*" irqs=$EDGES delivered=$EDGES dropped=0 agree=1") ;;
	gpio-cdev:"edges $m $GAP_US toggled=$EDGES "*" irqs=$EDGES delivered="*)
		echo "edges@gpio-cdev: the reference delivered fewer events than interrupts: $rec"
		;;
	*) note "an edge was lost or miscounted: $rec" ;;
	esac
	result "edges@$m" "$why"
done
