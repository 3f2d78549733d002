# SPDX-License-Identifier: GPL-2.0-only
# Bad input is refused with a clear error: sysfs writes, and a device
# tree node with an invalid property (dts/async-notify-virt-invalid.dtso).
# shellcheck shell=sh

why=
f=/sys/class/misc/async_n1/period_us
old=$(cat $f)
for bad in 0 49 60000001 abc -5 "" 0x3e8 0x186a0 4294967296; do
	if echo "$bad" >$f 2>/dev/null; then
		why="${why:+$why; }period_us accepted '$bad'"
	fi
done
expect "period_us after bad writes" "$(cat $f)" "$old"
for good in 50 60000000 25000; do
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

# A level-triggered interrupt would storm: the node is refused.
why=
expect_true "no probe error for the level-triggered node in dmesg" \
	grep -q 'async-notify-level: .*interrupt [0-9]* is level-triggered' /tmp/dmesg.txt
expect_true "/dev/async_level exists" test ! -e /dev/async_level
result dt-level-trigger-refused "$why"

# Names: a label that is taken is refused with a message, not a sysfs
# warning; a node without a label skips the names labels took.
why=
twin=$(basename "$(readlink /sys/class/misc/async_twin/device)")
case $twin in
async-notify-twin-a) other=async-notify-twin-b ;;
async-notify-twin-b) other=async-notify-twin-a ;;
*) other=none; note "/dev/async_twin belongs to '$twin'" ;;
esac
expect_true "no probe error for $other in dmesg" \
	grep -q "$other: .*label = \"async_twin\" is the name of $twin already" /tmp/dmesg.txt
expect_true "sysfs complained of a duplicate name" \
	test -z "$(grep 'duplicate filename' /tmp/dmesg.txt)"
expect "the unlabelled node's device" "$(basename "$(readlink /sys/class/misc/async_n2/device)")" \
	async-notify-anon
result dt-names-unique "$why"
