# SPDX-License-Identifier: GPL-2.0-only
# needs: debug-kernel
# make bench-edges' program (tools/testing/bench/notify-edges.c) at 100
# edges a second, slow enough to lose none: every rising edge of gpio-sim
# line 0 is an interrupt and reaches async_sim's reader, and gpio-cdev's
# on the same line; async-notify's counts agree with sysfs.
# checks: 2
# shellcheck shell=sh

EDGES=100
GAP_US=10000
for m in async gpio-cdev; do
	why=
	rec=$(notify-edges "$m" $GAP_US $EDGES 2>&1) || note "notify-edges $m failed: $rec"
	case $rec in
	"edges $m $GAP_US toggled=$EDGES "*" irqs=$EDGES delivered=$EDGES dropped=0 agree=1") ;;
	*) note "an edge was lost or miscounted: $rec" ;;
	esac
	result "edges@$m" "$why"
done
