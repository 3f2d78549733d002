# SPDX-License-Identifier: GPL-2.0-only
# The instances of dts/async-notify-virt.dtso probe as described.
# checks: 3
# shellcheck shell=sh

why=
for spec in async_n0:irq:latest:256:text async_n1:timer:latest:256:text \
	globalfifo:none:fifo:4096:text async_burst:timer:fifo:16384:text \
	async_queue:none:queue:256:text async_bin:timer:fifo:256:binary \
	async_n2:none:latest:256:text; do
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

# The interrupt is requested on open and freed on the last close.
why=
expect "pl061 line 3 before open" "$(irq_count)" ""
exec 3</dev/async_n0
expect_true "/proc/interrupts has no pl061 line 3 for async_n0" \
	grep -Eq '9030000\.pl061 +3 +Edge +async_n0$' /proc/interrupts
exec 3<&-
expect "pl061 line 3 after close" "$(irq_count)" ""
result irq-requested-while-open "$why"

# An open that cannot request the interrupt fails and counts nothing.
why=
exec 3</dev/async_n0
if true 2>/dev/null </dev/async_busy; then
	why="async_busy opened while async_n0 holds the interrupt"
fi
expect "async_busy after the failed open" \
	"$(attr async_busy readers) $(attr async_busy writers) $(attr async_busy allocated)" "0 0 0"
exec 3<&-
result open-fails-if-irq-busy "$why"
