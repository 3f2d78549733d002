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
