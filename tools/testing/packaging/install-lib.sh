#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the tests that install make deb's packages on this machine
# (deb-install.sh, autopkgtest.sh): root, Debian's own tools first on
# PATH, one such test at a time, and none of the packages installed
# already, since the test removes them at its end. Sets $pkgs, the
# packages, $deb, their folder, $debver and $arch, their version and
# this machine's architecture.
# shellcheck shell=sh disable=SC2034 # the variables are for the scripts that source it

PATH=/usr/sbin:/usr/bin:/sbin:/bin	# Debian's python3, not a pyenv's
export PATH
[ "$(id -u)" = 0 ] || die "this test installs packages on this machine: it needs root" "run it as root (sudo)"
# One install test at a time on this machine: a make check in another
# clone would install and remove the same packages meanwhile.
exec 9>/run/async-notify-deb-install.lock
flock 9
pkgs="async-notify-dkms async-notify-tools python3-async-notify"
for p in $pkgs; do
	! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		die "$p is installed already: this test would remove it" "dpkg -r $pkgs"
done
deb=$TOP/build/deb
debver=$(cd "$TOP" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
