#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make deb: build the Debian packages with Debian's tools (debhelper,
# dh-dkms, dh-python) from a copy of this tree, so the clone stays clean:
# async-notify-dkms and python3-async-notify (all), async-notify-tools
# for this machine's architecture and, cross-built, for arm64. Then
# lintian on them: any error fails. Everything lands in build/deb/.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

for c in dpkg-buildpackage dh dh_dkms dh_python3 lintian aarch64-linux-gnu-gcc; do
	command -v $c >/dev/null || die "$c is missing" "run tools/testing/host/deps.sh"
done
[ -f /usr/share/dh-python/dhpython/build/plugin_pyproject.py ] ||
	die "pybuild's pyproject plugin is missing" "run tools/testing/host/deps.sh"

# One version everywhere: the Debian changelog, dkms.conf (and so the
# /usr/src folder debian/async-notify-dkms.install names), pyproject.toml.
version=$(cd "$TOP" && dpkg-parsechangelog -S Version)
dkms=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
py=$(sed -n 's/^version = "\(.*\)"/\1/p' "$TOP/tools/python/pyproject.toml")
if [ "$version" != "$dkms" ] || [ "$version" != "$py" ]; then
	die "versions differ: debian/changelog $version, dkms.conf $dkms, pyproject.toml $py" \
		"give all three the same version"
fi
grep -q "usr/src/async-notify-$version/" "$TOP/debian/async-notify-dkms.install" ||
	die "debian/async-notify-dkms.install does not install into usr/src/async-notify-$version/" \
		"change the folder there to the version"

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
		[ -e "$f" ] && printf '%s\n' "$f"
	done | tar -cf - -T -) | tar -xf - -C "$1"
}

host=$(dpkg --print-architecture)
log "building async-notify-dkms, python3-async-notify and async-notify-tools:$host (log: build/deb/build-$host.log)"
copy "$out/$host/async-notify-$version"
(cd "$out/$host/async-notify-$version" && dpkg-buildpackage -b -us -uc) \
	>"$out/build-$host.log" 2>&1 ||
	{ tail -n 30 "$out/build-$host.log" >&2; die "dpkg-buildpackage failed" "see build/deb/build-$host.log"; }

# Only the tools depend on the architecture (-B). -d: the build
# dependencies are the host's (debhelper, dh-dkms, ...); the cross
# compiler and libc6-dev-arm64-cross come from deps.sh.
log "cross-building async-notify-tools:arm64 (log: build/deb/build-arm64.log)"
copy "$out/arm64/async-notify-$version"
(cd "$out/arm64/async-notify-$version" && dpkg-buildpackage -a arm64 -B -d -us -uc) \
	>"$out/build-arm64.log" 2>&1 ||
	{ tail -n 30 "$out/build-arm64.log" >&2; die "the arm64 cross build failed" "see build/deb/build-arm64.log"; }

mv "$out/$host"/*.deb "$out/$host"/*.changes "$out/$host"/*.buildinfo \
	"$out/arm64"/*.deb "$out/arm64"/*.changes "$out/arm64"/*.buildinfo "$out/"
rm -rf "${out:?}/$host" "${out:?}/arm64"
for d in "$out"/*.deb; do
	echo "deb: $(basename "$d"): $(dpkg-deb -f "$d" Architecture) $(dpkg-deb -c "$d" | grep -c '^-') files"
done

log "lintian build/deb/*.changes"
lintian --fail-on error --info "$out"/*.changes
