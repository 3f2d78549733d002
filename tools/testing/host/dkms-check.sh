#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build the module the way DKMS does on a device (make dkms-src, dkms
# build), here against Debian's cached arm64 headers, in private DKMS
# trees so the host's DKMS state is untouched. Prints the module's
# vermagic; fails unless it names that kernel. Then the same tree without
# CONFIG_OF (as on most x86 kernels): DKMS must skip it (status 77,
# BUILD_EXCLUSIVE_CONFIG), not build a module no device can bind.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/lib.sh"

command -v dkms >/dev/null || die "dkms is missing" "run tools/testing/host/deps.sh"
eval "$("$TOP/tools/testing/kernels/kernel.sh" "${KVER:-6.1}")"
version=$(cat "$TOP/VERSION")
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

# The tree's .config without CONFIG_OF, in a copy of just what dkms reads.
mkdir -p "$tmp/no-of" "$tmp/tree2"
sed '/^CONFIG_OF=/d' "$KDIR/.config" >"$tmp/no-of/.config"
log "dkms build -k $KREL with a .config without CONFIG_OF: must be skipped"
st=0
ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- dkms build -m async-notify \
	-v "$version" -k "$KREL" -a arm64 --kernelsourcedir "$tmp/no-of" \
	--dkmstree "$tmp/tree2" --sourcetree "$tmp/source" \
	--installtree "$tmp/install" >"$tmp/dkms2.log" 2>&1 || st=$?
[ $st = 77 ] || { cat "$tmp/dkms2.log" >&2; die "dkms build without CONFIG_OF exited $st, not 77 (skipped)" \
	'dkms.conf needs BUILD_EXCLUSIVE_CONFIG="CONFIG_OF"'; }
echo "dkms: without CONFIG_OF: $(grep -m1 -i 'exclusive\|skip' "$tmp/dkms2.log" || echo skipped) (status 77)"
