# SPDX-License-Identifier: GPL-2.0-only
# The instances of dts/async-notify-virt.dtso probe as described.
# checks: 2
# shellcheck shell=sh

why=
for spec in async_n0:irq:latest:256:text async_n1:timer:latest:256:text \
	globalfifo:none:fifo:4096:text async_burst:timer:fifo:16384:text \
	async_queue:none:queue:256:text async_bin:timer:fifo:256:binary \
	async_n2:none:latest:256:text async_n3:none:latest:256:text \
	async_tqueue:timer:queue:256:text; do
	IFS=: read -r dev source mode size format <<-EOT
	$spec
	EOT
	if [ ! -c "/dev/$dev" ]; then
		why="${why:+$why; }/dev/$dev is missing"
		continue
	fi
	expect "$dev source" "$(attr "$dev" source)" "$source"
	expect "$dev mode" "$(attr "$dev" mode)" "$mode"
	expect "$dev buffer_size" "$(attr "$dev" buffer_size)" "$size"
	expect "$dev format" "$(attr "$dev" format)" "$format"
	expect "$dev format mode" "$(stat -c %a "/sys/class/misc/$dev/format")" 444
	for a in readers writers allocated events dropped frames writes notifications overruns; do
		[ -r "/sys/class/misc/$dev/$a" ] || why="${why:+$why; }$dev/$a missing"
	done
done
expect "async_n1 period_us mode" "$(stat -c %a /sys/class/misc/async_n1/period_us)" 644
expect "async_n1 period_us" "$(attr async_n1 period_us)" 20000
expect_true "period_us on an irq instance" test ! -e /sys/class/misc/async_n0/period_us
result load "$why"

# The interrupt is requested at probe, and its line is masked while the
# device is closed: edges of the test chip's line 0 then reach no handler
# (the chip latches the last one, as a controller's pending bit does, and
# hands it over when the next open unmasks the line).
why=
expect_true "/proc/interrupts has no pl061 line 3 for async_n0 before any open" \
	grep -Eq '9030000\.pl061 +3 +Edge +async_n0$' /proc/interrupts
tc=/sys/kernel/debug/an-testchip/an-testchip-edge
echo 1 >$tc/lines
echo 1 >$tc/per_tick
echo 100000 >$tc/period_ns
d0=$(cat $tc/line0/dispatched)
e0=$(attr an_edge events)
echo 10 >$tc/burst
wait_until test "$(cat $tc/burst)" = 0 || note "the test chip's burst did not end"
expect "edges dispatched while an_edge is closed" $(($(cat $tc/line0/dispatched) - d0)) 0
expect "an_edge events while closed" $(($(attr an_edge events) - e0)) 0
exec 3</dev/an_edge
wait_until events_past an_edge $((e0 + 1)) || note "no event for the latched edge at open"
expect "an_edge events after the open" $(($(attr an_edge events) - e0)) 1
exec 3<&-
result irq-masked-while-closed "$why"
