#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The udev rule (udev/60-async-notify.rules) matches the devices as the
# kernel really shows them: from udev-sysfs.txt (what a guest's sysfs
# showed, udev-sysfs.sh), build a sysfs of those devices, their parents
# and drivers, put it over /sys in a mount namespace of this process
# alone, with the rule as the only one, and run udevadm test on each:
# the async-notify devices must get the group gpio and mode 0660, the
# other misc device must not. Needs root (mount namespace).
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

rule=${UDEV_RULE:-$TOP/udev/60-async-notify.rules}
fixture=$TOP/tools/testing/packaging/udev-sysfs.txt
[ "$(id -u)" = 0 ] || die "a mount namespace needs root" "run it as root"
command -v udevadm >/dev/null || die "udevadm is missing" "run tools/testing/host/deps.sh"
[ -f "$fixture" ] || die "no $fixture" "tools/testing/packaging/udev-sysfs.sh"

if [ "${1:-}" != --inside ]; then
	exec unshare -m --propagation private "$0" --inside
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sys=$tmp/sys

# The fixture's lines: "device PATH", "class-link LINK", "uevent PATH
# LINE", "dev PATH MAJ:MIN", "subsystem PATH TARGET", "driver PATH TARGET".
devices=
while read -r kind a b; do
	case $kind in
	device) devices="$devices $a"; mkdir -p "$tmp$a" ;;
	class-link) mkdir -p "$tmp${a%/*}"; ln -s "$(echo "$devices" | awk '{print $NF}')" "$tmp$a" ;;
	uevent) mkdir -p "$tmp$a"; echo "$b" >>"$tmp$a/uevent" ;;
	dev) echo "$b" >"$tmp$a/dev" ;;
	subsystem|driver) mkdir -p "$tmp$b"; ln -sfn "$b" "$tmp$a/$kind" ;;
	end) echo "udev-check: sysfs as a guest on $a showed it (udev-sysfs.txt)" ;;
	esac
done <<EOT
$(grep -v '^#' "$fixture")
EOT
# Absolute links as in the guest's sysfs: they resolve once it is /sys.
mount --bind "$sys" /sys
mkdir -p "$tmp/rules" "$tmp/empty"
cp "$rule" "$tmp/rules/"
mount --bind "$tmp/rules" /usr/lib/udev/rules.d
mount --bind "$tmp/empty" /etc/udev/rules.d
[ -d /run/udev/rules.d ] && mount --bind "$tmp/empty" /run/udev/rules.d
# The rule names the group gpio, which Raspberry Pi OS has (the package
# creates it); here it may not exist.
if ! getent group gpio >/dev/null; then
	cp /etc/group "$tmp/group"
	echo "gpio:x:999:" >>"$tmp/group"
	mount --bind "$tmp/group" /etc/group
fi
gid=$(getent group gpio | cut -d: -f3)
# sd-device refuses a /sys that is no sysfs; systemd's own tests of
# udev with a made-up sysfs turn that check off the same way.
SYSTEMD_DEVICE_VERIFY_SYSFS=0
export SYSTEMD_DEVICE_VERIFY_SYSFS

st=0
for d in $devices; do
	name=${d##*/}
	out=$(udevadm test --action=add "$d" 2>&1) || { echo "$out"; die "udevadm test $d failed" "see its output above"; }
	if echo "$out" | grep -q "^DEVNAME=/dev/$name\$" &&
		echo "$out" | grep -Eq "$(basename "$rule"):[0-9]+ GROUP $gid\$" &&
		echo "$out" | grep -Eq "$(basename "$rule"):[0-9]+ MODE 0660\$"; then
		got=matched
	else
		got="not matched"
	fi
	driver=$(grep "^driver ${d%/misc/*} " "$fixture" | awk '{print $3}')
	case $driver in
	*/drivers/async-notify) want=matched ;;
	*) want="not matched" ;;
	esac
	echo "udev-check: /dev/$name (parent's driver: ${driver:-none}): $got"
	echo "$out" | grep -E "GROUP|MODE" | sed 's/^/udev-check:   /'
	[ "$got" = "$want" ] || { echo "udev-check: error: /dev/$name: $got, want $want"; st=1; }
done
[ $st = 0 ] || die "the rule does not match as it should" "see udev/60-async-notify.rules and the output above"
