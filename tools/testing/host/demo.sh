#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo: boot QEMU virt and show a subscriber receiving SIGIO from real
# GPIO interrupts, the timer source and a writer.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/lib.sh"

KVER=${KVER:-6.1}
out=$TOP/build/$KVER/demo
mkdir -p "$out"
"$TOP/tools/testing/image/build-guest.sh" "$out" demo
cat <<MSG

async-notify demo: QEMU emulates an arm64 "virt" board running Debian's
kernel $(eval "$("$TOP/tools/testing/kernels/kernel.sh" "$KVER")"; echo "$KREL"). The overlay dts/async-notify-virt.dtso adds the
devices listed below; the guest loads the module and subscribes to some. When the guest
asks, this script presses QEMU's power button (GPIO line 3) through the
QEMU monitor: a real interrupt on the emulated pl061 GPIO controller.

MSG
exec "$TOP/tools/testing/qemu/qemu-virt.sh" --timeout 300 --initrd "$out/initrd.gz" \
	--dtb "$out/virt.dtb"
