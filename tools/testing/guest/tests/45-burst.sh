# SPDX-License-Identifier: GPL-2.0-only
# A burst of timer frames while the subscriber is stopped: in fifo mode a
# SIGIO subscriber that reads until EAGAIN misses nothing; in latest mode
# it reports the overwritten frames as gaps in seq instead of hiding them.
# shellcheck shell=sh

# burst DEV OUT: a SIGIO listener for 200 frames (5 ms apart), stopped
# for 0.5 s on the way.
burst() {
	async-notify-listen --count 200 --timeout 60 "/dev/$1" >"$2" 2>&1 &
	pid=$!
	wait_attr "$1" readers 1 || why="${why:+$why; }the listener did not open $1"
	sleep 0.2
	kill -STOP $pid
	sleep 0.5
	kill -CONT $pid
	wait $pid
	expect "$1 listener status" $? 0
	first=$(sed -n 's/^frame seq=\([0-9]*\) .*/\1/p' "$2" | head -n 1)
	last=$(sed -n 's/^frame seq=\([0-9]*\) .*/\1/p' "$2" | tail -n 1)
	span=$((last - first + 1))
	# Every event in the span was either received or reported missed.
	expect "$1 frames + missed" "$(($(summary "$2" source) + $(summary "$2" missed)))" "$span"
}

why=
ov=$(attr async_burst overruns)
burst async_burst /tmp/burst-fifo.out
expect "fifo frames missed" "$(summary /tmp/burst-fifo.out missed)" 0
expect "fifo overruns" "$(attr async_burst overruns)" "$ov"
echo "burst: fifo: $(grep '^summary' /tmp/burst-fifo.out)"
result burst-fifo-loses-nothing "$why"

why=
old=$(attr async_n1 period_us)
echo "$(attr async_burst period_us)" >/sys/class/misc/async_n1/period_us
burst async_n1 /tmp/burst-latest.out
echo "$old" >/sys/class/misc/async_n1/period_us
missed=$(summary /tmp/burst-latest.out missed)
expect_true "latest mode reported ${missed:-no} missed frames for a 0.5 s stop at 5 ms" \
	test "${missed:-0}" -ge 50
echo "burst: latest: $(grep '^summary' /tmp/burst-latest.out)"
result burst-latest-reports-missed "$why"
