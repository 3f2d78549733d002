#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build a DTB for QEMU virt: the board's own tree with the overlays merged in.
#
# Usage: dtb.sh OUT.dtb OVERLAY.dtso...   (overlays applied in that order)
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"
# shellcheck source=tools/testing/qemu/virt.conf
. "$TOP/tools/testing/qemu/virt.conf"

[ $# -ge 2 ] || die "usage: $0 OUT.dtb OVERLAY.dtso..." \
	"name the output and at least one overlay, e.g. dts/async-notify-virt.dtso"
out=$1
shift
for o; do
	[ -f "$o" ] || die "no overlay $o" "check the path"
done
for t in qemu-system-aarch64 dtc fdtput fdtoverlay cpp; do
	command -v $t >/dev/null || die "$t is missing" "run tools/testing/host/deps.sh"
done

eval "$("$TOP/tools/testing/kernels/kernel.sh" "${KVER:-6.1}")"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

log "dumping the virt board's DTB"
# shellcheck disable=SC2086
qemu-system-aarch64 $VIRT_MACHINE -display none \
	-machine dumpdtb="$tmp/virt.dtb" >"$tmp/qemu.log" 2>&1 || true
[ -s "$tmp/virt.dtb" ] || {
	cat "$tmp/qemu.log" >&2
	die "qemu-system-aarch64 did not dump the DTB" "run tools/testing/host/deps.sh"
}
# Upstream overlays say &gpio; QEMU's tree has no labels, so name it here.
fdtput -c "$tmp/virt.dtb" /__symbols__
fdtput -t s "$tmp/virt.dtb" /__symbols__ gpio /pl061@9030000

dtbos=
for o; do
	n=$(basename "$o" .dtso)
	log "compiling $o"
	cpp -nostdinc -I "$DTINC" -undef -x assembler-with-cpp -E "$o" -o "$tmp/$n.pp" ||
		die "cpp failed on $o" "fix the #include or macro named above"
	# As the kernel's own dtbs build: a fragment is no interrupt provider.
	dtc -Wno-interrupt_provider -@ -I dts -O dtb -o "$tmp/$n.dtbo" "$tmp/$n.pp" ||
		die "dtc failed on $o" "fix the error above (line numbers are $o's)"
	dtbos="$dtbos $tmp/$n.dtbo"
done

log "merging into $out"
# shellcheck disable=SC2086
fdtoverlay -i "$tmp/virt.dtb" -o "$tmp/out.dtb" $dtbos ||
	die "fdtoverlay could not apply the overlays" \
		"check that every &{/path} and &label they use exists in QEMU virt's tree"
mv "$tmp/out.dtb" "$out"
