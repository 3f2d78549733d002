#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Write udev-sysfs.txt, what udev-check.sh builds its sysfs from: boot
# QEMU virt (KVER, 6.1 by default) with the module and
# dts/async-notify-virt.dtso, and keep what udev-sysfs-guest.sh prints of
# the guest's sysfs. Run it again when the driver changes how its
# devices appear (names, parents, uevent).
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

here=$TOP/tools/testing/packaging
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/udev-sysfs-guest.sh" "$tmp/run"
log "booting QEMU virt (KVER=${KVER:-6.1}) to read its sysfs"
"$TOP/tools/testing/qemu/qemu-run.sh" "$tmp/run" >"$tmp/console" 2>&1 ||
	{ tail -n 20 "$tmp/console" >&2; die "the guest failed" "see its console above"; }
grep -q '^udev-sysfs: end ' "$tmp/console" ||
	{ tail -n 20 "$tmp/console" >&2; die "the guest printed no sysfs" "see its console above"; }
{
	echo "# What udev reads in sysfs for two async-notify devices and another misc"
	echo "# device, as a QEMU virt guest showed it: written by udev-sysfs.sh, read"
	echo "# by udev-check.sh."
	sed -n 's/\r$//; s/^udev-sysfs: //p' "$tmp/console"
} >"$here/udev-sysfs.txt"
log "wrote tools/testing/packaging/udev-sysfs.txt ($(grep -c '^device ' "$here/udev-sysfs.txt") devices)"
