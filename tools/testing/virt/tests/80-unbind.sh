# SPDX-License-Identifier: GPL-2.0-only
# Unbind with open files, a blocked reader and a subscriber; every tool
# exits with status 4 when its device goes; rebind; then unload and load
# the module twice.
# checks: 6
# shellcheck shell=sh

c_test abi-unbind@globalfifo async-notify-abi unbind /dev/globalfifo
c_test abi-unbind-subscribe@globalfifo async-notify-abi unbind-subscribe /dev/globalfifo

gpdev=$(basename "$(readlink /sys/class/misc/globalfifo/device)")

# Every tool exits with status 4 when the device goes away under it:
# the listener on each method, the Python reader, and writers blocked on
# a full fifo, in write() and in poll() (-N). Each is ended after 30 s
# (timeout) if the unbind does not end it: a status of 143, not 4.
why=
pids=
for m in sigio rtsig thread poll epoll block; do
	timeout 30 async-notify-listen --method $m /dev/globalfifo >/tmp/gone-$m.out 2>&1 &
	pids="$pids $m:$!"
	wait_line /tmp/gone-$m.out "subscribed to" || why="${why:+$why; }$m did not subscribe"
done
timeout 30 python3 python/reader.py /dev/globalfifo >/tmp/gone-reader.out 2>&1 &
pids="$pids reader.py:$!"
wait_line /tmp/gone-reader.out "subscribed to" || why="${why:+$why; }reader.py did not subscribe"
echo "$gpdev" >/sys/bus/platform/drivers/async-notify/unbind
for p in $pids; do
	wait "${p#*:}"
	expect "${p%:*}: status after unbind" $? 4
done
echo "$gpdev" >/sys/bus/platform/drivers/async-notify/bind
for opt in --delay=0 -N; do
	wait_attr globalfifo readers 0 || why="${why:+$why; }globalfifo not back after bind"
	head -c 5000 /dev/zero | timeout 30 async-notify-write $opt /dev/globalfifo 2>/dev/null &
	pid=$!
	wait_attr globalfifo writers 1 || why="${why:+$why; }the writer did not open globalfifo"
	echo "$gpdev" >/sys/bus/platform/drivers/async-notify/unbind
	wait $pid
	expect "writer $opt: status after unbind" $? 4
	echo "$gpdev" >/sys/bus/platform/drivers/async-notify/bind
done
wait_attr globalfifo readers 0 || why="${why:+$why; }globalfifo not back after bind"
result unbind-exit-status "$why"

# The interrupt is held from probe to unbind, whether files are open or not.
why=
pdev=$(basename "$(readlink /sys/class/misc/async_n0/device)")
exec 3</dev/async_n0
expect_true "async_n0 does not hold pl061 line 3 while open, before the unbind" \
	test -n "$(grep -E 'pl061 +3 +Edge +async_n0$' /proc/interrupts)"
echo "$pdev" >/sys/bus/platform/drivers/async-notify/unbind
expect_true "async_n0 still holds pl061 line 3 after unbind with a file open" \
	test -z "$(grep -E 'pl061 +3 +Edge +async_n0$' /proc/interrupts)"
exec 3<&-
echo "$pdev" >/sys/bus/platform/drivers/async-notify/bind
wait_attr async_n0 readers 0 || why="${why:+$why; }async_n0 not back after bind"
expect_true "async_n0 does not hold pl061 line 3 again after bind, before any open" \
	test -n "$(grep -E 'pl061 +3 +Edge +async_n0$' /proc/interrupts)"
result unbind-stops-source "$why"

# An unlabelled device's number follows the order of the probes: unbind
# both unlabelled nodes (with a file of one still open) and bind back the
# one with the higher number alone: it takes the lowest free one. Binding
# them in their first order gives the first names back.
why=
drv=/sys/bus/platform/drivers/async-notify
node_of() {	# node_of NAME: the platform device of /dev/NAME
	basename "$(readlink "/sys/class/misc/$1/device")"
}
name_of() {	# name_of NODE: the name of NODE's device, or why none
	ls "/sys/bus/platform/devices/$1/misc" 2>&1
}
lo=$(node_of async_n2)
hi=$(node_of async_n3)
echo "unlabelled: $lo is async_n2, $hi is async_n3"
exec 3</dev/async_n2
echo "$lo" >$drv/unbind
echo "$hi" >$drv/unbind
echo "$hi" >$drv/bind
expect "$hi's name, bound back first" "$(name_of "$hi")" async_n2
echo "$lo" >$drv/bind
expect "$lo's name, bound back second" "$(name_of "$lo")" async_n3
exec 3<&-
echo "$lo" >$drv/unbind
echo "$hi" >$drv/unbind
echo "$lo" >$drv/bind
echo "$hi" >$drv/bind
expect "names, bound back in the first order" "$(name_of "$lo") $(name_of "$hi")" \
	"async_n2 async_n3"
result unbind-names-follow-probe-order "$why"

why=
for i in 1 2; do
	rmmod async_notify || why="${why:+$why; }rmmod $i failed"
	for d in async_n0 async_n1 globalfifo; do
		[ -e /dev/$d ] && why="${why:+$why; }/dev/$d left after rmmod $i"
	done
	insmod ./async_notify.ko || why="${why:+$why; }insmod $i failed"
	for d in async_n0 async_n1 globalfifo async_queue async_n2 async_n3; do
		wait_attr $d readers 0 || why="${why:+$why; }$d missing after insmod $i"
	done
done
echo probe >/dev/globalfifo || why="${why:+$why; }globalfifo unusable after reloading"
result module-reload "$why"
