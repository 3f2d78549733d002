#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build the test initramfs: busybox, tools/testing/image/init, and DIR as /guest.
#
# Usage: initramfs.sh OUT.cpio.gz DIR [ROOT...]
# The guest runs /guest/run if DIR has one, otherwise a shell. Each ROOT
# folder is merged into / (e.g. Python from tools/testing/host/python.sh).
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

[ $# -ge 2 ] || die "usage: $0 OUT.cpio.gz DIR [ROOT...]" \
	"name the image to write and the folder to put in it as /guest"
out=$1
dir=$2
shift 2
[ -d "$dir" ] || die "no folder $dir" "give the folder that holds /guest/run and its files"
command -v cpio >/dev/null || die "cpio is missing" "run tools/testing/host/deps.sh"

eval "$("$TOP/tools/testing/kernels/kernel.sh" "${KVER:-6.1}")"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out.partial"' EXIT
trap 'exit 130' INT TERM

root=$tmp/root
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root"
cp "$BUSYBOX" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$TOP/tools/testing/image/init" "$root/init"
chmod 755 "$root/init" "$root/bin/busybox"
# The kernel opens /dev/console for init before anything is mounted.
if [ "$(id -u)" = 0 ]; then
	mknod -m 600 "$root/dev/console" c 5 1
fi
for extra; do
	cp -R "$extra/." "$root/"
done
mkdir "$root/guest"
cp -R "$dir/." "$root/guest/"

log "packing $dir as /guest into $out"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$out.partial"
mv "$out.partial" "$out"
