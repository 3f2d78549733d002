# SPDX-License-Identifier: GPL-2.0-only
# A burst of timer frames while the subscriber is stopped: in fifo mode a
# SIGIO subscriber that reads until EAGAIN misses nothing; in latest mode
# it reports the overwritten frames as gaps in seq instead of hiding them.
# checks: 2
# shellcheck shell=sh disable=SC2154 # $pid: set by listen() in lib.sh

# burst DEV OUT: a SIGIO listener for 200 frames, stopped on the way
# while DEV counts 100 events; sets $dropped to the events the driver
# itself dropped meanwhile.
burst() {
	d0=$(attr "$1" dropped)
	listen "$2" --count 200 --timeout 60 "/dev/$1"
	count_lines "$2" '^frame ' 10 || note "$1: no frames before the stop"
	kill -STOP "$pid"
	_e=$(attr "$1" events)
	wait_until events_past "$1" $((_e + 100)) || note "$1: no 100 events while stopped"
	kill -CONT "$pid"
	wait "$pid"
	expect "$1 listener status" $? 0
	wait_attr "$1" readers 0 || why="${why:+$why; }$1 still open"
	dropped=$(($(attr "$1" dropped) - d0))
	# The driver's counters account for every event of the burst.
	note "$(unaccounted "$1")"
	echo "burst: $1: $(grep '^summary' "$2"), dropped by the driver: $dropped"
}

why=
ov=$(attr async_burst overruns)
burst async_burst /tmp/burst-fifo.out
expect "fifo overruns" "$(attr async_burst overruns)" "$ov"
# The subscriber lost nothing: each gap in seq is an event the timer
# dropped before any frame existed (0 unless the emulated CPU stalled).
expect_true "fifo: $(summary /tmp/burst-fifo.out missed) missed but only $dropped dropped by the timer" \
	test "$(summary /tmp/burst-fifo.out missed)" -le "$dropped"
result burst-fifo-loses-nothing "$why"

why=
old=$(attr async_n1 period_us)
attr async_burst period_us >/sys/class/misc/async_n1/period_us
burst async_n1 /tmp/burst-latest.out
echo "$old" >/sys/class/misc/async_n1/period_us
missed=$(summary /tmp/burst-latest.out missed)
expect_true "latest mode reported ${missed:-no} missed frames for a 1 s stop at 10 ms" \
	test "$((${missed:-0} - dropped))" -ge 50
result burst-latest-reports-missed "$why"
