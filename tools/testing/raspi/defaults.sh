# SPDX-License-Identifier: GPL-2.0-only
# config.txt: dtoverlay=async-notify,timer
# The overlay with its defaults, plus the timer instance: the interrupt
# instance on GPIO 17 of the BCM2835 GPIO controller, the timer delivering
# frames to a SIGIO subscriber.
# checks: 3
# shellcheck shell=sh

why=
expect "DT interrupts (gpio, IRQ_TYPE_EDGE_RISING)" "$(dt_cells async-notify interrupts)" "17 1"
expect "DT pins" "$(dt_cells soc/gpio@7e200000/async_notify_pins brcm,pins)" 17
if [ -c /dev/async_n0 ]; then
	expect "async_n0 source" "$(attr async_n0 source)" irq
	expect "async_n0 mode" "$(attr async_n0 mode)" latest
	expect "async_n0 buffer_size" "$(attr async_n0 buffer_size)" 256
else
	why="${why:+$why; }/dev/async_n0 is missing"
fi
echo "raspi: pinmux: $(pin_line 17)"
expect "GPIO 17 muxed as an input by" "$(pin_owner 17)" async-notify
result defaults-gpio-probe "$why"

# The interrupt is requested on the BCM2835 GPIO controller at probe, and
# held while the device is bound, open or not.
why=
line=$(irq_line 17 async_n0)
echo "raspi: async_n0 bound: ${line:-no pinctrl-bcm2835 17 line in /proc/interrupts}"
expect_true "/proc/interrupts has no 'pinctrl-bcm2835 17 Edge async_n0' before any open" \
	test -n "$line"
exec 3</dev/async_n0
expect_true "/proc/interrupts has no 'pinctrl-bcm2835 17 Edge async_n0' while open" \
	test -n "$(irq_line 17 async_n0)"
exec 3<&-
expect_true "/proc/interrupts has no 'pinctrl-bcm2835 17 Edge async_n0' after the close" \
	test -n "$(irq_line 17 async_n0)"
result defaults-gpio-irq-on-bcm2835 "$why"

why=
if [ -c /dev/async_t0 ]; then
	expect "async_t0 source" "$(attr async_t0 source)" timer
	expect "async_t0 period_us" "$(attr async_t0 period_us)" 20000
	expect "async_t0 mode" "$(attr async_t0 mode)" latest
	expect_frames async_t0 5
else
	why="/dev/async_t0 is missing"
fi
result defaults-timer-sigio "$why"
