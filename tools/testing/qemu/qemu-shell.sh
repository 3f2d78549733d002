#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make qemu-shell: an interactive QEMU virt guest with the module and the
# tools in /guest (on PATH). Load the module with: insmod /guest/async_notify.ko
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

KVER=${KVER:-6.1}
out=$TOP/build/$KVER/shell
mkdir -p "$out"
"$TOP/tools/testing/image/build-guest.sh" "$out" shell
log "in the guest: insmod /guest/async_notify.ko; async-notify-listen /dev/async_n0"
exec "$TOP/tools/testing/qemu/qemu-virt.sh" --interactive --initrd "$out/initrd.gz" \
	--dtb "$out/virt.dtb"
