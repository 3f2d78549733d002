# SPDX-License-Identifier: GPL-2.0-only
# Every event is accounted for: after a burst that the driver could not
# keep up with, latest mode holds the newest frame and counts the rest as
# dropped, and a close while events wait counts them as dropped too; so
# do open and close cycles against a fast timer. In queue mode only a
# reader starts the source.
# checks: 6
# shellcheck shell=sh

# set_period DEV US: set DEV's timer period; print the old one.
set_period() {
	attr "$1" period_us
	echo "$2" >"/sys/class/misc/$1/period_us"
}

old=$(set_period async_n1 1000)
c_test starve@async_n1 async-notify-starve /dev/async_n1 300 quiet
set_period async_n1 "$old" >/dev/null
old=$(set_period async_burst 1000)
c_test starve@async_burst async-notify-starve /dev/async_burst 300 close
set_period async_burst "$old" >/dev/null

for d in async_n1 async_burst; do
	why=
	old=$(set_period $d 1000)
	i=0
	while [ $i -lt 50 ]; do
		exec 3<"/dev/$d"
		usleep $((i * 200))
		exec 3<&-
		i=$((i + 1))
	done
	set_period $d "$old" >/dev/null
	note "$(unaccounted $d)"
	result "open-close-cycles-accounted@$d" "$why"
done

# Queue mode: the source fills the readers' queues, so it runs only while
# a reader is open. A writer alone starts nothing: no events, no frames,
# no signals. async_n1's timer, open meanwhile, says when 100 ms passed.
# n1_ticks N: wait until async_n1 counted N more events.
n1_ticks() {
	_e=$(attr async_n1 events)
	wait_until events_past async_n1 $((_e + $1))
}
why=
d=async_tqueue
exec 5</dev/async_n1
exec 4>/dev/$d
e0=$(attr $d events)
f0=$(attr $d frames)
n1_ticks 5 || note "async_n1's timer did not run"
expect "$d events with a writer alone" $(($(attr $d events) - e0)) 0
expect "$d frames with a writer alone" $(($(attr $d frames) - f0)) 0
expect "$d allocated with a writer alone" "$(attr $d allocated)" 0
exec 3</dev/$d
wait_until events_past $d $((e0 + 1)) || note "$d's timer did not run with a reader"
exec 3<&-
e1=$(attr $d events)
n1_ticks 5 || note "async_n1's timer did not run"
expect "$d events after its reader closed, a writer still open" $(($(attr $d events) - e1)) 0
note "$(unaccounted $d)"
exec 4>&-
exec 5<&-
result queue-source-needs-reader "$why"
