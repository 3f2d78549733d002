#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fetch and unpack Debian's kernel source for SERIES; print SRC=<tree> for eval.
#
# Usage: eval "$(tools/testing/kernels/source.sh [SERIES])"	(SERIES: see series.sh; 6.1 by default)
#        SRCVER=6.12.117-1 source.sh 6.12   that Debian version exactly
#
# The tree lands in $CACHE/linux-source-<SRC_SERIES> (6.12-rt shares
# 6.12's) and is reused once its stamp file exists, so later runs neither
# touch the network nor unpack again. Without SRCVER any version already
# unpacked will do; with it, a tree of another version is replaced
# (kernel.sh asks for the version it boots). The package and its archive
# are series.sh's.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"
# shellcheck source=tools/testing/kernels/series.sh
. "$TOP/tools/testing/kernels/series.sh"

SERIES=${1:-6.1}
series_set "$SERIES"

DEBS=$CACHE/debs
DST=$CACHE/linux-source-$SRC_SERIES
STAMP=$DST/.async-notify-unpacked
WANT=${SRCVER:-}

# The tree is there, and of the wanted version if one was asked for (the
# stamp holds the name of the .deb it came from).
ready() {
	[ -f "$STAMP" ] && { [ -z "$WANT" ] || [ "$(sed 's/^[^_]*_//' "$STAMP")" = "${WANT}_all.deb" ]; }
}

if ready; then
	echo "SRC=$DST"
	exit 0
fi

mkdir -p "$DEBS"
# One fetch or unpack at a time. Children inherit the lock, so an unpack
# whose script was killed still holds it until its tar has exited.
exec 9>"$CACHE/linux-source-$SRC_SERIES.lock"
flock 9
if ready; then
	echo "SRC=$DST"
	exit 0
fi

# The source package: Debian names it linux-source-<major>.<minor>; a
# series that moves finds it through the linux-source metapackage.
meta_source() {
	aptcache depends linux-source 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-source-[0-9.]*\)$/\1/p' | head -n 1
}
PKG=$SRC_PKG
if [ -z "$PKG" ] && [ -n "$WANT" ]; then
	PKG=linux-source-$(echo "$WANT" | cut -d. -f1,2)
elif [ -z "$PKG" ]; then
	PKG=$(meta_source)
	if [ -z "$PKG" ]; then
		log "apt does not know linux-source for $SERIES yet: apt-get update"
		aptget update >&2 || die "apt-get update failed: the Debian archive is unreachable" \
			"check network access to the archive in $SOURCES, then rerun"
		PKG=$(meta_source)
		[ -n "$PKG" ] || die "the metapackage linux-source names no linux-source-<version>" \
			"check that $SOURCES has Debian's archive for $SERIES"
	fi
fi

# known SPEC: apt has PKG or PKG=VERSION (apt-cache show says nothing for
# an unknown version, and succeeds).
known() {
	aptcache show "$1" 2>/dev/null | grep -q '^Package:'
}

# fetch SPEC: download PKG or PKG=VERSION into $DEBS.
fetch() {
	if ! known "$1"; then
		[ -z "$UPDATE_AS_ROOT" ] || [ "$(id -u)" = 0 ] ||
			die "apt does not know $1 (package lists missing?)" "run as root: apt-get update"
		log "apt does not know $1 yet: apt-get update"
		aptget update >&2 ||
			die "apt-get update failed: the Debian archive is unreachable" \
				"check network access to the archive in $SOURCES, then rerun"
		known "$1" ||
			die "Debian's archive has no $1" \
				"list the versions on offer (apt-cache policy $PKG with $SOURCES), or unset SRCVER"
	fi
	log "downloading $1 into $DEBS"
	tmp=$DEBS/.download.$$
	rm -rf "$tmp" && mkdir "$tmp"
	if ! (cd "$tmp" && aptget download "$1" >&2); then
		rm -rf "$tmp"
		die "could not download $1 from the Debian archive" \
			"check network access (apt-get update with $SOURCES), or put ${PKG}_*.deb into $DEBS"
	fi
	mv "$tmp"/*.deb "$DEBS"/
	rmdir "$tmp"
}

if [ -n "$WANT" ]; then
	deb=$DEBS/${PKG}_${WANT}_all.deb
	[ -f "$deb" ] || fetch "$PKG=$WANT"
	[ -f "$deb" ] || die "the download of $PKG=$WANT is not named $(basename "$deb")" \
		"the archive's file naming changed: adapt $0"
else
	deb=$(find "$DEBS" -maxdepth 1 -name "${PKG}_*.deb" | sort -V | tail -n 1)
	if [ -z "$deb" ]; then
		fetch "$PKG"
		deb=$(find "$DEBS" -maxdepth 1 -name "${PKG}_*.deb" | sort -V | tail -n 1)
	fi
fi

# No stamp (or another version): nothing there can be trusted, unpack from scratch.
log "unpacking $(basename "$deb") into $DST"
tmp=$CACHE/.unpack-$PKG
rm -rf "$DST" "$tmp"
if ! { dpkg-deb -x "$deb" "$tmp" && mkdir -p "$DST" &&
	tar -xJf "$tmp/usr/src/$PKG.tar.xz" --no-same-owner --strip-components=1 -C "$DST"; }; then
	die "unpacking $deb failed" "delete $deb and rerun to download it again"
fi
rm -rf "$tmp"
if [ ! -f "$DST/Makefile" ] || [ ! -f "$DST/tools/testing/kunit/kunit.py" ]; then
	die "$deb did not hold a kernel tree with kunit.py" \
		"delete $deb and rerun to download it again"
fi
basename "$deb" >"$STAMP"
log "kernel source ready in $DST"
echo "SRC=$DST"
