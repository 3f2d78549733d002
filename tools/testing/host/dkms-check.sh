#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build the module the way DKMS does on a device (make dkms-src, dkms
# build), here against Debian's cached arm64 headers, in private DKMS
# trees so the host's DKMS state is untouched. Prints the module's
# vermagic; fails unless it names that kernel.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/lib.sh"

command -v dkms >/dev/null || die "dkms is missing" "run tools/testing/host/deps.sh"
eval "$("$TOP/tools/testing/kernels/kernel.sh" "${KVER:-6.1}")"
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -C "$TOP" dkms-src DKMS_SRC="$tmp/source/async-notify-$version"
mkdir -p "$tmp/tree" "$tmp/install"
log "dkms build -m async-notify -v $version -k $KREL"
ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- dkms build -m async-notify \
	-v "$version" -k "$KREL" -a arm64 --kernelsourcedir "$KDIR" \
	--dkmstree "$tmp/tree" --sourcetree "$tmp/source" \
	--installtree "$tmp/install" >"$tmp/dkms.log" 2>&1 ||
	{ cat "$tmp/dkms.log" >&2; die "dkms build failed" "see its log above"; }
ko=$tmp/tree/async-notify/$version/$KREL/arm64/module/async_notify.ko
[ -f "$ko" ] || die "dkms built no $ko" "see dkms.conf"
vermagic=$(modinfo -F vermagic "$ko")
echo "dkms: async_notify.ko $version: vermagic $vermagic"
case $vermagic in
"$KREL "*) ;;
*) die "vermagic does not name $KREL" "check MAKE[0] in dkms.conf" ;;
esac
