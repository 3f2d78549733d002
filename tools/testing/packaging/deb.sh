#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make deb: build the Debian packages with Debian's tools (debhelper,
# dh-dkms, dh-python) from a copy of this tree, so the clone stays clean:
# the source package (3.0 (quilt), debian/README.source says why), then
# async-notify-dkms and python3-async-notify (all), async-notify-tools
# for this machine's architecture and, cross-built, for arm64 (not with
# DEB_CROSS=no). Everything lands in build/deb/; lintian.sh checks it.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

for c in dpkg-buildpackage dh dh_dkms dh_python3 dtc rst2man aarch64-linux-gnu-gcc; do
	command -v $c >/dev/null || die "$c is missing" "run tools/testing/host/deps.sh"
done
[ -f /usr/share/dh-python/dhpython/build/plugin_pyproject.py ] ||
	die "pybuild's pyproject plugin is missing" "run tools/testing/host/deps.sh"

# The one version is VERSION's; the changelog's newest entry must be of
# it (the part before the Debian revision).
version=$(cat "$TOP/VERSION")
debver=$(cd "$TOP" && dpkg-parsechangelog -S Version)
[ "${debver%-*}" = "$version" ] ||
	die "debian/changelog's newest entry is $debver, VERSION is $version" \
		"add an entry for $version-1 to debian/changelog (dch -v $version-1), or fix VERSION"

# Debian's tools, and Debian's python3 for pybuild, whatever else
# (a pyenv, a venv) comes first on PATH.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
out=$TOP/build/deb
rm -rf "$out"
mkdir -p "$out"

# copy DIR: the tree as git sees it (tracked and new files, not ignored
# ones, not deleted ones), without build output.
copy() {
	mkdir -p "$1"
	(cd "$TOP" && git ls-files -co --exclude-standard | while read -r f; do
		[ -e "$f" ] || [ -L "$f" ] && printf '%s\n' "$f"
	done | tar -cf - -T -) | tar -xf - -C "$1"
}

# The upstream tarball is the tree without debian/, as a release would be.
host=$(dpkg --print-architecture)
src=async-notify-$version
log "async-notify_$version.orig.tar.xz: the tree without debian/"
copy "$out/$host/$src"
tar -C "$out/$host" --exclude="$src/debian" --sort=name --owner=0 --group=0 \
	--numeric-owner --mtime=@0 -cJf "$out/$host/async-notify_$version.orig.tar.xz" "$src"

log "building the source package, async-notify-dkms, python3-async-notify and async-notify-tools:$host (log: build/deb/build-$host.log)"
(cd "$out/$host/$src" && dpkg-buildpackage -us -uc) >"$out/build-$host.log" 2>&1 ||
	{ tail -n 30 "$out/build-$host.log" >&2; die "dpkg-buildpackage failed" "see build/deb/build-$host.log"; }
rm -rf "${out:?}/$host/$src"
mv "$out/$host"/* "$out/"

# Only the tools depend on the architecture (-B). -d: the build
# dependencies are the host's (debhelper, dh-dkms, ...); the cross
# compiler and libc6-dev-arm64-cross come from deps.sh.
if [ "${DEB_CROSS:-yes}" != no ]; then
	log "cross-building async-notify-tools:arm64 (log: build/deb/build-arm64.log)"
	copy "$out/arm64/$src"
	(cd "$out/arm64/$src" && dpkg-buildpackage -a arm64 -B -d -us -uc) \
		>"$out/build-arm64.log" 2>&1 ||
		{ tail -n 30 "$out/build-arm64.log" >&2; die "the arm64 cross build failed" "see build/deb/build-arm64.log"; }
	mv "$out/arm64"/*.deb "$out/arm64"/*.changes "$out/arm64"/*.buildinfo "$out/"
fi
rm -rf "${out:?}/$host" "${out:?}/arm64"
for d in "$out"/*.deb; do
	echo "deb: $(basename "$d"): $(dpkg-deb -f "$d" Architecture) $(dpkg-deb -c "$d" | grep -c '^-') files"
done
