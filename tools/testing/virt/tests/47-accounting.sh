# SPDX-License-Identifier: GPL-2.0-only
# Every event is accounted for: after a burst that the driver could not
# keep up with, latest mode holds the newest frame and counts the rest as
# dropped, and a close while events wait counts them as dropped too; so
# do open and close cycles against a fast timer.
# checks: 5
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
