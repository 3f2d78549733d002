#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Print a sparse that the kernel source tree SRC accepts, for make C=1 or C=2.
#
# Usage: sparse.sh SRC
#
# The host's sparse if SRC's scripts/checker-valid.sh takes it (Debian
# 12's 0.6.4 does up to 6.x; 7.x's headers need __typeof_unqual__).
# Otherwise sparse is built from Debian unstable's source package (only
# `apt-get source --download-only`, through debian13-apt.sh) into
# $CACHE/sparse, once, in seconds.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tools/testing/kernels/debian13-apt.sh
. "$TOP/tools/testing/kernels/debian13-apt.sh"

{ [ $# = 1 ] && [ -f "$1/Makefile" ]; } || die "usage: $0 SRC" "name a kernel source tree"
src=$1
dir=$CACHE/sparse

# valid SPARSE: SRC's own test of its checker (absent before 6.15: any will do).
valid() {
	[ ! -f "$src/scripts/checker-valid.sh" ] ||
		[ "$(sh "$src/scripts/checker-valid.sh" "$1" --arch=arm64 -mlittle-endian -m64 2>/dev/null)" = 1 ]
}

if command -v sparse >/dev/null && valid sparse; then
	echo sparse
	exit 0
fi
exec 9>"$CACHE/sparse.lock"
flock 9
if [ -x "$dir/sparse" ] && valid "$dir/sparse"; then
	echo "$dir/sparse"
	exit 0
fi

d13_init debian-sid-src
tmp=$CACHE/.sparse-build
rm -rf "$tmp" "$dir"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
log "the host's sparse is too old for $src: building Debian unstable's"
d13_apt apt-get update >&2 ||
	die "apt-get update failed for $D13_LIST" "check network access to Debian's archive"
(cd "$tmp" && d13_apt apt-get source --download-only sparse >&2) ||
	die "cannot download sparse's source package" "check $D13_LIST"
tar -xzf "$tmp"/sparse_*.orig.tar.gz -C "$tmp" ||
	die "cannot unpack sparse's source" "delete $tmp and run again"
if ! make -C "$tmp"/sparse-*/ -j"$(nproc)" HAVE_LIBXML=no HAVE_GTK=no \
	HAVE_SQLITE=no HAVE_LLVM=no sparse >"$tmp/build.log" 2>&1; then
	tail -n 20 "$tmp/build.log" >&2
	die "sparse does not build" "see the errors above"
fi
mkdir -p "$dir"
cp "$tmp"/sparse-*/sparse "$dir/sparse"
valid "$dir/sparse" || { rm -rf "$dir"; die "even Debian unstable's sparse fails $src/scripts/checker-valid.sh" \
	"install a newer sparse on PATH"; }
log "sparse from $(basename "$tmp"/sparse_*.dsc .dsc) ready in $dir"
echo "$dir/sparse"
