#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fetch and unpack Debian's kernel source for SERIES; print SRC=<tree> for eval.
#
# Usage: eval "$(tools/harness/source.sh [SERIES])"	(SERIES: 6.1, the default)
#
# The tree lands in $CACHE/linux-source-SERIES and is reused once its stamp
# file exists, so later runs neither touch the network nor unpack again.
set -eu
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

SERIES=${1:-6.1}

# Each series in one place: its package and the apt options for its suite.
# Debian 13's 6.12 goes here with its own apt state folder (see PLATFORM.md:
# -o Dir::Etc::sourcelist=FILE -o Dir::Etc::sourceparts=/dev/null
# -o Dir::State::Lists=DIR -o Dir::Cache=DIR), created before use.
APT_OPTS=
case $SERIES in
6.1)	PKG=linux-source-6.1 ;;
*)	die "unknown kernel series '$SERIES'" "use one of: 6.1" ;;
esac

DEBS=$CACHE/debs
DST=$CACHE/$PKG
STAMP=$DST/.async-notify-unpacked

if [ -f "$STAMP" ]; then
	echo "SRC=$DST"
	exit 0
fi

mkdir -p "$DEBS"
# One fetch or unpack at a time. Children inherit the lock, so an unpack
# whose script was killed still holds it until its tar has exited.
exec 9>"$CACHE/$PKG.lock"
flock 9
if [ -f "$STAMP" ]; then
	echo "SRC=$DST"
	exit 0
fi

# shellcheck disable=SC2086
apt_get() { apt-get -q $APT_OPTS "$@"; }

deb=$(find "$DEBS" -maxdepth 1 -name "${PKG}_*.deb" | sort -V | tail -n 1)
if [ -z "$deb" ]; then
	# shellcheck disable=SC2086
	if ! apt-cache $APT_OPTS show "$PKG" >/dev/null 2>&1; then
		[ "$(id -u)" = 0 ] || die "apt does not know $PKG (package lists missing?)" \
			"run as root: apt-get update"
		log "apt does not know $PKG yet: apt-get update"
		apt_get update >&2 ||
			die "apt-get update failed: the Debian archive is unreachable" \
				"check network access to the archive in /etc/apt/sources.list*, then rerun"
	fi
	log "downloading $PKG into $DEBS"
	tmp=$DEBS/.download.$$
	rm -rf "$tmp" && mkdir "$tmp"
	sandbox=
	[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	if ! (cd "$tmp" && apt_get $sandbox download "$PKG" >&2); then
		rm -rf "$tmp"
		die "could not download $PKG from the Debian archive" \
			"check network access (apt-get update), or put ${PKG}_*.deb into $DEBS"
	fi
	mv "$tmp"/*.deb "$DEBS"/
	rmdir "$tmp"
	deb=$(find "$DEBS" -maxdepth 1 -name "${PKG}_*.deb" | sort -V | tail -n 1)
fi

# No stamp: nothing there can be trusted, unpack from scratch.
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
