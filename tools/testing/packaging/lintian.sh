#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lintian on what make deb built (build/deb/*.changes: the source package
# and every binary package), failing on warnings too. lintian is not
# meant to run as root: as root this runs it as the user nobody, on a
# copy of the packages nobody can read.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

command -v lintian >/dev/null || die "lintian is missing" "run tools/testing/host/deps.sh"
deb=$TOP/build/deb
ls "$deb"/*.changes >/dev/null 2>&1 || die "no build/deb/*.changes" "make deb"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
cp "$deb"/*.changes "$deb"/*.buildinfo "$deb"/*.deb "$deb"/*.dsc "$deb"/*.tar.* "$tmp/"
chmod 0644 "$tmp"/*
set -- lintian --fail-on error,warning --display-info "$tmp"/*.changes
if [ "$(id -u)" = 0 ]; then
	log "as the user nobody: $*"
	(cd "$tmp" && runuser -u nobody -- env HOME="$tmp" "$@")
else
	log "$*"
	(cd "$tmp" && "$@")
fi
