#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian 12 packages async-notify needs on the host, or print
# the exact command when not root. Quiet and quick when all are present.
set -eu

PKGS="make gcc libc6-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross
qemu-system-arm device-tree-compiler dt-schema cpio xz-utils socat
flex bison bc libelf-dev libssl-dev dwarves sparse python3 perl kmod dkms
shellcheck python3-libfdt gnuplot-nox mandoc python3-mypy python3-setuptools
python3-venv python3-wheel python3-pytest debhelper dh-dkms dh-python pybuild-plugin-pyproject
lintian libc6:arm64 yamllint python3-docutils autopkgtest udev"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
arm64=yes
dpkg --print-foreign-architectures | grep -qx arm64 || arm64=no

[ -z "$missing" ] && [ $arm64 = yes ] && exit 0

cmd="dpkg --add-architecture arm64 && apt-get update && apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run:  sudo sh -c '$cmd'" >&2
	exit 1
fi
echo "deps: installing$missing (arm64 architecture: $arm64)"
export DEBIAN_FRONTEND=noninteractive
dpkg --add-architecture arm64
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
