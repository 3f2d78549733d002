# SPDX-License-Identifier: GPL-2.0-only
# Last: every device's counters add up over the whole run, and the kernel
# log has no warning, bug, oops, stack dump or hung task.
# checks: 2
# shellcheck shell=sh

why=
for d in /sys/bus/platform/drivers/async-notify/*/misc/*; do
	d=$(basename "$d")
	if wait_attr "$d" readers 0 && wait_attr "$d" writers 0; then
		note "$(unaccounted "$d")"
	else
		note "$d is still open"
	fi
done
result accounting-all-devices "$why"

why=
bad=$(dmesg | grep -E 'WARNING|BUG|Oops|Call trace|INFO: task .* blocked' | head -n 5)
[ -z "$bad" ] || why="dmesg: $bad"
result dmesg-clean "$why"
