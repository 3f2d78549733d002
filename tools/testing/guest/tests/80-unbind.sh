# SPDX-License-Identifier: GPL-2.0-only
# Unbind with open files, a blocked reader and a subscriber; rebind; then
# unload and load the module twice.
# shellcheck shell=sh

async-notify-abi unbind /dev/globalfifo | tee -a "$RESULTS"

why=
pdev=$(basename "$(readlink /sys/class/misc/async_n0/device)")
exec 3</dev/async_n0
echo "$pdev" >/sys/bus/platform/drivers/async-notify/unbind
expect_true "async_n0 still holds pl061 line 3 after unbind with a file open" \
	test -z "$(grep -E 'pl061 +3 +Edge +async_n0$' /proc/interrupts)"
exec 3<&-
echo "$pdev" >/sys/bus/platform/drivers/async-notify/bind
wait_attr async_n0 readers 0 || why="${why:+$why; }async_n0 not back after bind"
result unbind-stops-source "$why"

# An unlabelled device keeps its name across unbind and bind, even with
# a file of the old one still open.
why=
exec 3</dev/async_n2
echo async-notify-anon >/sys/bus/platform/drivers/async-notify/unbind
echo async-notify-anon >/sys/bus/platform/drivers/async-notify/bind
expect "name after rebind" "$(ls /sys/bus/platform/devices/async-notify-anon/misc 2>&1)" async_n2
exec 3<&-
result unbind-keeps-name "$why"

why=
for i in 1 2; do
	rmmod async_notify || why="${why:+$why; }rmmod $i failed"
	for d in async_n0 async_n1 globalfifo; do
		[ -e /dev/$d ] && why="${why:+$why; }/dev/$d left after rmmod $i"
	done
	insmod ./async_notify.ko || why="${why:+$why; }insmod $i failed"
	for d in async_n0 async_n1 globalfifo async_queue async_n2; do
		wait_attr $d readers 0 || why="${why:+$why; }$d missing after insmod $i"
	done
done
echo probe >/dev/globalfifo || why="${why:+$why; }globalfifo unusable after reloading"
result module-reload "$why"
