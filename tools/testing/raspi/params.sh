# SPDX-License-Identifier: GPL-2.0-only
# config.txt: dtoverlay=async-notify,gpio_pin=27,mode=fifo,edge=falling,buffer_size=1024,period_us=50000,timer_label=tick
# Every parameter reaches the probed devices: the interrupt moves to GPIO
# 27 (falling edge), both instances use a 1024-byte fifo, the timer runs
# every 50 ms as /dev/tick.
# checks: 2
# shellcheck shell=sh

why=
expect "DT interrupts (gpio, IRQ_TYPE_EDGE_FALLING)" "$(dt_cells async-notify interrupts)" "27 2"
expect "DT pins" "$(dt_cells soc/gpio@7e200000/async_notify_pins brcm,pins)" 27
if [ -c /dev/async_n0 ]; then
	expect "async_n0 source" "$(attr async_n0 source)" irq
	expect "async_n0 mode" "$(attr async_n0 mode)" fifo
	expect "async_n0 buffer_size" "$(attr async_n0 buffer_size)" 1024
else
	why="${why:+$why; }/dev/async_n0 is missing"
fi
echo "raspi: pinmux: $(pin_line 27)"
expect "GPIO 27 muxed as an input by" "$(pin_owner 27)" async-notify
expect "GPIO 17 muxed as an input by" "$(pin_owner 17)" ""
exec 3</dev/async_n0
line=$(irq_line 27 async_n0)
echo "raspi: open async_n0: ${line:-no pinctrl-bcm2835 27 line in /proc/interrupts}"
expect_true "/proc/interrupts has no 'pinctrl-bcm2835 27 Edge async_n0'" test -n "$line"
expect "GPIO 17 interrupt" "$(irq_line 17 async_n0)" ""
exec 3<&-
result params-gpio-pin-mode-size "$why"

why=
if [ -c /dev/tick ]; then
	expect "tick source" "$(attr tick source)" timer
	expect "tick period_us" "$(attr tick period_us)" 50000
	expect "tick mode" "$(attr tick mode)" fifo
	expect "tick buffer_size" "$(attr tick buffer_size)" 1024
	expect_frames tick 5
else
	why="/dev/tick is missing"
fi
expect_true "/dev/async_t0 exists though timer_label=tick" test ! -e /dev/async_t0
result params-timer-label-period "$why"
