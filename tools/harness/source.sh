#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fetch and unpack Debian's kernel source for SERIES; print SRC=<tree> for eval.
#
# Usage: eval "$(tools/harness/source.sh [SERIES])"	(SERIES: 6.1, the default, or 6.12)
#        SRCVER=6.12.117-1 source.sh 6.12   that Debian version exactly
#
# The tree lands in $CACHE/linux-source-SERIES and is reused once its stamp
# file exists, so later runs neither touch the network nor unpack again.
# Without SRCVER any version already unpacked will do; with it, a tree of
# another version is replaced (kernel.sh asks for the version it boots).
# 6.1 comes from the host's Debian 12 archive, 6.12 from Debian 13's
# through debian13-apt.sh (its own apt state in the cache).
set -eu
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

SERIES=${1:-6.1}

# Each series in one place: its package, apt for its suite and what to check
# when that apt fails.
case $SERIES in
6.1)
	PKG=linux-source-6.1
	apt_get() { apt-get -q "$@"; }
	apt_cache() { apt-cache "$@"; }
	SOURCES="/etc/apt/sources.list*"
	UPDATE_AS_ROOT=yes
	;;
6.12)
	PKG=linux-source-6.12
	# shellcheck source=tools/harness/debian13-apt.sh
	. "$TOP/tools/harness/debian13-apt.sh"
	apt_get() { d13_apt apt-get "$@"; }
	apt_cache() { d13_apt apt-cache "$@"; }
	SOURCES=$D13_LIST
	UPDATE_AS_ROOT=
	;;
*)
	die "unknown kernel series '$SERIES'" "use one of: 6.1 6.12"
	;;
esac

DEBS=$CACHE/debs
DST=$CACHE/$PKG
STAMP=$DST/.async-notify-unpacked
WANT=${SRCVER:-}

# The tree is there, and of the wanted version if one was asked for.
ready() {
	[ -f "$STAMP" ] && { [ -z "$WANT" ] || [ "$(cat "$STAMP")" = "${PKG}_${WANT}_all.deb" ]; }
}

if ready; then
	echo "SRC=$DST"
	exit 0
fi

mkdir -p "$DEBS"
# One fetch or unpack at a time. Children inherit the lock, so an unpack
# whose script was killed still holds it until its tar has exited.
exec 9>"$CACHE/$PKG.lock"
flock 9
if ready; then
	echo "SRC=$DST"
	exit 0
fi

# known SPEC: apt has PKG or PKG=VERSION (apt-cache show says nothing for
# an unknown version, and succeeds).
known() {
	apt_cache show "$1" 2>/dev/null | grep -q '^Package:'
}

# fetch SPEC: download PKG or PKG=VERSION into $DEBS.
fetch() {
	if ! known "$1"; then
		[ -z "$UPDATE_AS_ROOT" ] || [ "$(id -u)" = 0 ] ||
			die "apt does not know $1 (package lists missing?)" "run as root: apt-get update"
		log "apt does not know $1 yet: apt-get update"
		apt_get update >&2 ||
			die "apt-get update failed: the Debian archive is unreachable" \
				"check network access to the archive in $SOURCES, then rerun"
		known "$1" ||
			die "Debian's archive has no $1" \
				"list the versions on offer (apt-cache policy $PKG with $SOURCES), or unset SRCVER"
	fi
	log "downloading $1 into $DEBS"
	tmp=$DEBS/.download.$$
	rm -rf "$tmp" && mkdir "$tmp"
	sandbox=
	[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	if ! (cd "$tmp" && apt_get $sandbox download "$1" >&2); then
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
