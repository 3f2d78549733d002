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
# Over 50 periods at least (the listener's 26 frames, then more): the
# time the events took, against the period.
wait_until events_past async_n1 $((e0 + 50)) || note "async_n1 counted no 50 events"
e1=$(attr async_n1 events)
t1=$(cut -d' ' -f1 /proc/uptime)
exec 3<&-
measured=$(awk -v e=$((e1 - e0)) -v t0="$t0" -v t1="$t1" \
	'BEGIN { if (e > 0) printf "%d", (t1 - t0) * 1e6 / e }')
expect_true "measured period ${measured:-?} us is not within [0.75, 1.25] x $period us" \
	awk -v m="${measured:-0}" -v p="$period" 'BEGIN { exit !(m >= 0.75 * p && m <= 1.25 * p) }'
echo "timer: period $period us, measured ${measured:-?} us, $(summary $out missed) missed"
result timer-period "$why"

# Closed, async_n1 counts nothing while async_burst, open, counts 50
# of its periods (as long as 25 of async_n1's or more); reopened, it
# counts again.
why=
wait_attr async_n1 allocated 0 || why="the buffer was not freed on the last close"
ev=$(attr async_n1 events)
exec 4</dev/async_burst
b0=$(attr async_burst events)
wait_until events_past async_burst $((b0 + 50)) || note "async_burst counted no 50 events"
exec 4<&-
expect "events while closed" "$(attr async_n1 events)" "$ev"
exec 3</dev/async_n1
wait_until events_past async_n1 $((ev + 1)) || note "events did not move after reopening"
exec 3<&-
result timer-runs-only-while-open "$why"

# Periods that pass while the timer cannot run are counted, not lost:
# QEMU is stopped 2 s (100 periods); one frame then carries the gap.
why=
out=/tmp/freeze.out
d0=$(attr async_n1 dropped)
listen $out /dev/async_n1
# The stop must come after the listener's first frame: the gap is seen
# between two frames, and a listener whose first frame came after the
# stop has nothing to measure it against (its first frame says missed=0).
count_lines $out '^frame ' 1 || note "no frame before the freeze"
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
