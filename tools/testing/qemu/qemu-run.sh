#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make qemu-run RUN=script [FILES="prog ..."]: boot QEMU virt, run your
# script as /guest/run (module and tools beside it in /guest, on PATH),
# print the console and exit with the script's status.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

[ $# -ge 1 ] || die "usage: $0 SCRIPT [FILE...]" \
	"make qemu-run RUN=my-test.sh FILES=\"my-program\""
KVER=${KVER:-6.1}
out=$TOP/build/$KVER/run
mkdir -p "$out"
"$TOP/tools/testing/image/build-guest.sh" "$out" "$@"
exec "$TOP/tools/testing/qemu/qemu-virt.sh" --timeout "${TIMEOUT:-600}" \
	--initrd "$out/initrd.gz" --dtb "$out/virt.dtb"
