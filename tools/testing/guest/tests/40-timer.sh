# SPDX-License-Identifier: GPL-2.0-only
# The timer source: frames at the configured period, measured on the
# frames' own timestamps; the timer runs only while the device is open.
# shellcheck shell=sh

why=
n=26
out=/tmp/timer.out
period=$(attr async_n1 period_us)
async-notify-listen --count $n --timeout 60 /dev/async_n1 >$out 2>&1
expect "listener status" $? 0
# Mean period over the frames, in microseconds, and frames missed.
measured=$(awk -F'[ =]' '/^frame / { if (!s0) { s0 = $3; t0 = $5 } s = $3; t = $5 }
	END { if (s > s0) printf "%d", (t - t0) / (s - s0) / 1000 }' $out)
expect_true "mean period ${measured:-?} us is not within [0.75, 1.5] x $period us" \
	awk -v m="${measured:-0}" -v p="$period" 'BEGIN { exit !(m >= 0.75 * p && m <= 1.5 * p) }'
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
async-notify-listen /dev/async_n1 >$out 2>&1 &
pid=$!
wait_attr async_n1 readers 1 || why="the listener did not open async_n1"
freeze 2
sleep 3
kill $pid
wait $pid
tail -n 5 $out; gap=$(sed -n 's/^frame .* missed=\([0-9]*\)$/\1/p' $out | sort -n | tail -n 1)
expect_true "largest seq gap ${gap:-?} after a 2 s freeze is not 80..120" \
	test "${gap:-0}" -ge 80 -a "${gap:-0}" -le 120
# Latest mode: the gap may also hold a frame replaced before it was read.
dropped=$(($(attr async_n1 dropped) - d0))
expect_true "sysfs dropped grew by $dropped after a 2 s freeze, not 80..120" \
	test "$dropped" -ge 80 -a "$dropped" -le 120
result timer-counts-missed-periods "$why"
