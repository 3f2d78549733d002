#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest side of udev-sysfs.sh: load the module and print, for two
# async-notify devices (one named async_n<N>, one by its label) and one
# misc device of no async-notify driver, what udev reads in sysfs: the
# device's path, its uevent, dev and subsystem, and up its parents each
# one's uevent, subsystem and driver. One "udev-sysfs: " line each.
# shellcheck shell=sh

grep -q '^async_notify ' /proc/modules || insmod /guest/async_notify.ko || exit 1
i=0
while [ ! -e /sys/class/misc/globalfifo ] && [ $i -lt 100 ]; do
	sleep 0.1	# a bounded wait for the probes
	i=$((i + 1))
done
for name in async_n0 globalfifo cpu_dma_latency; do
	d=$(readlink -f "/sys/class/misc/$name") || exit 1
	echo "udev-sysfs: device $d"
	echo "udev-sysfs: class-link /sys/class/misc/$name"
	while [ "$d" != /sys/devices ] && [ "$d" != / ]; do
		[ -f "$d/uevent" ] && while IFS= read -r l; do
			echo "udev-sysfs: uevent $d $l"
		done <"$d/uevent"
		[ -f "$d/dev" ] && echo "udev-sysfs: dev $d $(cat "$d/dev")"
		[ -L "$d/subsystem" ] && echo "udev-sysfs: subsystem $d $(readlink -f "$d/subsystem")"
		[ -L "$d/driver" ] && echo "udev-sysfs: driver $d $(readlink -f "$d/driver")"
		d=${d%/*}
	done
done
echo "udev-sysfs: end $(uname -r)"
