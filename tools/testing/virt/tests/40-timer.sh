# SPDX-License-Identifier: GPL-2.0-only
# The timer source: events at the configured period, measured against
# the guest's own clock; frames for a subscriber; the timer runs only
# while the device is open.
# checks: 3
# shellcheck shell=sh disable=SC2154 # $pid: set by listen() in lib.sh

why=
n=26
out=/tmp/timer.out
period=$(attr async_n1 period_us)
exec 3</dev/async_n1
e0=$(attr async_n1 events)
t0=$(cut -d' ' -f1 /proc/uptime)
async-notify-listen --count $n --timeout 60 /dev/async_n1 >$out 2>&1
expect "listener status" $? 0
expect "frames" "$(grep -c '^frame ' $out)" $n
sleep 1
e1=$(attr async_n1 events)
t1=$(cut -d' ' -f1 /proc/uptime)
exec 3<&-
# Events counted over the time the device was open, against the period.
measured=$(awk -v e=$((e1 - e0)) -v t0="$t0" -v t1="$t1" \
	'BEGIN { if (e > 0) printf "%d", (t1 - t0) * 1e6 / e }')
expect_true "measured period ${measured:-?} us is not within [0.75, 1.25] x $period us" \
	awk -v m="${measured:-0}" -v p="$period" 'BEGIN { exit !(m >= 0.75 * p && m <= 1.25 * p) }'
echo "timer: period $period us, measured ${measured:-?} us, $(summary $out missed) missed"
result timer-period "$why"

why=
wait_attr async_n1 allocated 0 || why="the buffer was not freed on the last close"
ev=$(attr async_n1 events)
sleep 1
expect "events while closed" "$(attr async_n1 events)" "$ev"
exec 3</dev/async_n1
sleep 1
exec 3<&-
expect_true "events did not move after reopening" \
	test "$(attr async_n1 events)" -gt "$ev"
result timer-runs-only-while-open "$why"

# Periods that pass while the timer cannot run are counted, not lost:
# QEMU is stopped 2 s (100 periods); one frame then carries the gap.
why=
out=/tmp/freeze.out
d0=$(attr async_n1 dropped)
listen $out /dev/async_n1
freeze 2
# The first frame after the freeze carries the gap.
wait_line $out 'missed=[1-9][0-9]' || note "no frame with a gap after the freeze"
kill "$pid"
wait "$pid"
tail -n 5 $out; gap=$(sed -n 's/^frame .* missed=\([0-9]*\)$/\1/p' $out | sort -n | tail -n 1)
expect_true "largest seq gap ${gap:-?} after a 2 s freeze is not 80..120" \
	test "${gap:-0}" -ge 80 -a "${gap:-0}" -le 120
# Latest mode: the gap may also hold a frame replaced before it was read.
dropped=$(($(attr async_n1 dropped) - d0))
expect_true "sysfs dropped grew by $dropped after a 2 s freeze, not 80..120" \
	test "$dropped" -ge 80 -a "$dropped" -le 120
result timer-counts-missed-periods "$why"
