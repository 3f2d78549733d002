#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian's arm64 Python and the libraries it loads into the cache,
# as a root tree to merge into a guest's initramfs. Prints ROOT=<dir>.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/lib.sh"

PKGS="python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libc6
zlib1g libexpat1 libffi8 libbz2-1.0 liblzma5"
root=$CACHE/python-arm64
stamp=$root/.complete

if [ ! -f "$stamp" ]; then
	debs=$CACHE/debs/python-arm64
	mkdir -p "$debs"
	log "downloading Python for arm64: $(echo "$PKGS" | tr '\n' ' ')"
	for p in $PKGS; do
		ls "$debs/${p}_"*_arm64.deb >/dev/null 2>&1 && continue
		(cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$p:arm64" >&2) ||
			die "cannot download $p:arm64" \
				"run as root: dpkg --add-architecture arm64 && apt-get update"
	done
	rm -rf "$root" "$root.partial"
	mkdir -p "$root.partial"
	for d in "$debs"/*.deb; do
		dpkg-deb -x "$d" "$root.partial"
	done
	# What a test guest never loads: documentation, locales, charsets.
	rm -rf "$root.partial/usr/share" "$root.partial/usr/lib/aarch64-linux-gnu/gconv"
	ln -sf python3.11 "$root.partial/usr/bin/python3"
	touch "$root.partial/.complete"
	mv "$root.partial" "$root"
fi
echo "ROOT='$root'"
