# SPDX-License-Identifier: GPL-2.0-only
# needs: debug-kernel
# Everything at once on every device (tools/testing/progs/async-notify-
# stress.c): gpio-sim interrupts at a high rate, unbind and rebind, stalled
# copies; then nothing of the module leaks, rmmod is refused while a file
# is open, and the module reloads twice. Only on the debug kernel, the one
# with gpio-sim and the detectors (run skips it elsewhere). 30 s; the
# kernel argument an_stress_duration=N (make stress DURATION=N) sets it.
# checks: 9
# timeout: stress + 120
# shellcheck shell=sh

secs=$(sed -n 's/.*an_stress_duration=\([0-9]*\).*/\1/p' /proc/cmdline)
c_test stress async-notify-stress --duration "${secs:-30}"

# kmemleak reports an object once it is 5 s old (its MSECS_MIN_AGE) and
# unreferenced; an object is the module's if its backtrace names it.
why=
kml=/sys/kernel/debug/kmemleak
out=/tmp/stress-kmemleak.out
# The stress program's last objects are 5 s old (rounded up to whole s).
wait_until uptime_past $(($(cut -d. -f1 /proc/uptime) + 6)) ||
	note "the guest's uptime did not move"
if echo scan >$kml && echo scan >$kml && cat $kml >$out; then
	n=$(awk '/^unreferenced object/ { c += m; m = 0 } /async_notify/ { m = 1 }
		END { print c + m }' $out)
	if [ "$n" != 0 ]; then
		grep -B 2 -A 20 async_notify $out | head -n 60
		why="$n unreferenced objects allocated by async_notify (listed above)"
	fi
else
	why="cannot scan with $kml"
fi
result stress-kmemleak "$why"

why=
devices=
for d in /sys/bus/platform/drivers/async-notify/*/misc/*; do
	devices="$devices $(basename "$d")"
done
exec 3</dev/async_sim
if rmmod async_notify 2>/dev/null; then
	note "rmmod unloaded the module while /dev/async_sim was open"
else
	expect_true "/dev/async_sim gone after a refused rmmod" test -e /dev/async_sim
fi
exec 3<&-
for i in 1 2; do
	rmmod async_notify || note "rmmod $i failed with no file open"
	insmod ./async_notify.ko || note "insmod $i failed"
	for d in $devices; do
		wait_attr "$d" readers 0 || note "$d missing after insmod $i"
	done
done
echo probe >/dev/globalfifo || note "globalfifo unusable after reloading"
result stress-rmmod-busy-then-reload "$why"
