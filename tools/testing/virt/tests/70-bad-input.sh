# SPDX-License-Identifier: GPL-2.0-only
# Bad input is refused with a clear error: sysfs writes, and device tree
# nodes that are each wrong in one way (dts/async-notify-virt-invalid.dtso).
# checks: 24
# shellcheck shell=sh

why=
f=/sys/class/misc/async_n1/period_us
old=$(cat $f)
for bad in 0 49 60000001 abc -5 "" 0x3e8 0x186a0 0100 +100 4294967296; do
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

dmesg >/tmp/dmesg.txt
# One node each in dts/async-notify-virt-invalid.dtso: it is not bound, it
# has no /dev node, and the kernel log has exactly one line of the driver
# about it, which names the property and what it allows. (Newer kernels'
# driver core adds "probe with driver async-notify failed with error -22"
# of its own: not the driver's line.)
while IFS='|' read -r node label msg; do
	why=
	lines=$(grep -F "async-notify $node: " /tmp/dmesg.txt |
		grep -v ': probe with driver async-notify failed with error ')
	expect "lines of the driver about $node in dmesg" \
		"$(printf '%s' "$lines" | grep -c '')" 1
	case $lines in
	*"$msg"*) echo "$node: ${lines#*] }" ;;
	*) note "no probe error '$msg' for $node in dmesg" ;;
	esac
	expect_true "$node is bound" \
		test ! -e "/sys/bus/platform/drivers/async-notify/$node"
	case $label in
	. | .. | null) ;; # /dev has these, whatever the driver does
	*) expect_true "/dev/$label exists" test ! -e "/dev/$label" ;;
	esac
	expect_true "$node has a misc device" \
		test ! -e "/sys/bus/platform/devices/$node/misc"
	result "dt-invalid@$node" "$why"
done <<'NODES'
async-notify-bad|async_bad|linux,buffer-size = 0 is out of range [64, 1048576]
async-notify-huge|async_huge|linux,buffer-size = 1073741824 is out of range [64, 1048576]
async-notify-novalue|async_novalue|linux,buffer-size must be one u32 from 64 to 1048576
async-notify-modetype|async_modetype|linux,mode must be one string: "latest", "fifo" or "queue"
async-notify-periodtype|async_periodtype|linux,period-us must be one u32 from 50 to 60000000
async-notify-lifo|async_lifo|linux,mode = "lifo" is unknown: use "latest", "fifo" or "queue"
async-notify-formattype|async_formattype|linux,frame-format must be one string: "text" or "binary"
async-notify-format|async_format|linux,frame-format = "raw" is unknown: use "text" or "binary"
async-notify-formats|async_formats|linux,frame-format must be one string: "text" or "binary"
async-notify-fast|async_fast|linux,period-us = 49 is out of range [50, 60000000]
async-notify-slow|async_slow|linux,period-us = 60000001 is out of range [50, 60000000]
async-notify-longlabel|async_this_label_is_far_too_long|label = "async_this_label_is_far_too_long" must be 1 to 31 printable ASCII characters without '/' or space
async-notify-slash|async/slash|label = "async/slash" must be 1 to 31 printable ASCII characters without '/' or space
async-notify-space|async space|label = "async space" must be 1 to 31 printable ASCII characters without '/' or space
async-notify-dot|.|label = "." must be 1 to 31 printable ASCII characters without '/' or space, other than "." and ".."
async-notify-dotdot|..|label = ".." must be 1 to 31 printable ASCII characters without '/' or space, other than "." and ".."
async-notify-devnull|null|label = "null" is taken: /dev/null exists
async-notify-noirq|async_noirq|interrupts names no interrupt: give one edge-triggered interrupt of an interrupt controller
async-notify-level|async_level|is level-triggered: use IRQ_TYPE_EDGE_RISING or _FALLING
async-notify-notype|async_notype|has no trigger type: use IRQ_TYPE_EDGE_RISING or _FALLING
NODES

# The refused nodes take nothing from the valid ones.
why=
for d in async_n0 async_n1 globalfifo async_burst async_queue async_bin \
	async_twin async_n2 async_n3 async_tqueue; do
	expect_true "/dev/$d is missing" test -c "/dev/$d"
done
result dt-valid-nodes-probed "$why"

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
expect "the unlabelled nodes' devices" \
	"$(for n in async_n2 async_n3; do basename "$(readlink /sys/class/misc/$n/device)"; done | sort | tr '\n' ' ')" \
	"async-notify-anon async-notify-anon2 "
result dt-names-unique "$why"

# An interrupt line is not shared: of two nodes on one, the second to
# probe is refused, and the first holds the line. (dev_err_probe() names
# the error as -EBUSY with CONFIG_SYMBOLIC_ERRNAME, which the debug
# kernel lacks, else as -16.)
why=
if [ -e /sys/bus/platform/drivers/async-notify/async-notify-busy-a ]; then
	bound=a other=b
else
	bound=b other=a
fi
expect_true "async-notify-busy-$other is bound too" \
	test ! -e /sys/bus/platform/drivers/async-notify/async-notify-busy-$other
expect_true "/dev/async_busy_$other exists" test ! -e /dev/async_busy_$other
expect_true "no probe error for async-notify-busy-$other in dmesg" \
	grep -Eq "async-notify-busy-$other: error -(EBUSY|16): cannot request interrupt [0-9]+: another device holds it" /tmp/dmesg.txt
expect_true "/proc/interrupts has no pl061 line 6 for async_busy_$bound" \
	grep -Eq "9030000\.pl061 +6 +Edge +async_busy_$bound\$" /proc/interrupts
result dt-irq-not-shared "$why"
