# SPDX-License-Identifier: GPL-2.0-only
# Bad input is refused with a clear error: sysfs writes, and a device
# tree node with an invalid property (dts/async-notify-virt-invalid.dtso).
# shellcheck shell=sh

why=
f=/sys/class/misc/async_n1/period_us
old=$(cat $f)
for bad in 0 999 60000001 abc -5 ""; do
	if echo "$bad" >$f 2>/dev/null; then
		why="${why:+$why; }period_us accepted '$bad'"
	fi
done
expect "period_us after bad writes" "$(cat $f)" "$old"
for good in 1000 60000000 25000; do
	echo $good >$f || why="${why:+$why; }period_us refused $good"
done
expect "period_us after a good write" "$(cat $f)" 25000
echo "$old" >$f
result sysfs-invalid-write "$why"

why=
dmesg >/tmp/dmesg.txt
expect_true "no probe error naming linux,buffer-size in dmesg" \
	grep -q 'async-notify-bad: .*linux,buffer-size = 0 is out of range \[64, 1048576\]' /tmp/dmesg.txt
expect_true "/dev/async_bad exists" test ! -e /dev/async_bad
result dt-invalid-property "$why"
