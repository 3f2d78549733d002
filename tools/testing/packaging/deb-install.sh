#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The Debian packages on this machine, as a user installs them: dpkg -i
# the three (make deb builds them into build/deb/), then DKMS, through
# the package's own dkms.conf in /usr/src, builds the module for a
# cached Debian arm64 kernel (KVER, 6.1 by default); the tools, their
# man pages and the Python module are usable; dpkg -r then leaves no
# module, no sources and no DKMS state behind. Needs root: it changes
# this machine's packages (it removes them again, also on failure).
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

PATH=/usr/sbin:/usr/bin:/sbin:/bin	# Debian's python3, not a pyenv's
export PATH
[ "$(id -u)" = 0 ] || die "dpkg -i needs root" "run it as root (sudo)"
command -v dkms >/dev/null || die "dkms is missing" "run tools/testing/host/deps.sh"
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
version=$(cd "$TOP" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
files="$deb/async-notify-dkms_${version}_all.deb $deb/async-notify-tools_${version}_$arch.deb
$deb/python3-async-notify_${version}_all.deb"
for f in $files; do
	[ -f "$f" ] || die "no $f" "make deb"
done
eval "$("$TOP/tools/testing/kernels/kernel.sh" "${KVER:-6.1}")"
src=/usr/src/async-notify-$version
tree=/var/lib/dkms/async-notify

removed=
remove() {
	[ -n "$removed" ] && return
	removed=yes
	log "dpkg -r $pkgs"
	# shellcheck disable=SC2086 # the package names
	dpkg -r $pkgs
}
trap remove EXIT

log "dpkg -i $(for f in $files; do basename "$f"; done | tr '\n' ' ')"
# shellcheck disable=SC2086 # the files
dpkg -i $files
[ -f "$src/dkms.conf" ] || die "no $src/dkms.conf after dpkg -i" "see debian/rules (dh_dkms)"
dkms status -m async-notify | grep -q "^async-notify/$version" ||
	die "DKMS does not know async-notify/$version after dpkg -i" "see the postinst's output above"

log "dkms build -m async-notify -v $version -k $KREL -a arm64 --kernelsourcedir $KDIR"
ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- dkms build -m async-notify \
	-v "$version" -k "$KREL" -a arm64 --kernelsourcedir "$KDIR" ||
	{ cat "$tree/$version/build/make.log" >&2 2>/dev/null; die "dkms build failed" "see make.log above"; }
ko=$tree/$version/$KREL/arm64/module/async_notify.ko
[ -f "$ko" ] || die "DKMS built no $ko" "see dkms.conf"
vermagic=$(modinfo -F vermagic "$ko")
echo "deb-install: DKMS built $ko: vermagic $vermagic"
case $vermagic in
"$KREL "*) ;;
*) die "vermagic does not name $KREL" "check MAKE[0] in dkms.conf" ;;
esac
dkms status -m async-notify

/usr/bin/async-notify-listen --help | head -n 1
/usr/bin/async-notify-write --help | head -n 1
for m in async-notify-listen.1 async-notify-write.1 async-notify.4; do
	man -w "${m%.*}" | grep -q "$m" || die "man cannot find $m" "see debian/*.manpages"
done
echo "deb-install: man -w: $(man -w async-notify-listen async-notify-write 4 async-notify | tr '\n' ' ')"
(cd / && /usr/bin/python3 -c 'import async_notify; print("deb-install: import", async_notify.__file__)')

remove
for p in "$src" "$tree" "$ko"; do
	[ ! -e "$p" ] || die "$p is left after dpkg -r" "see the prerm's output above"
done
if dkms status -m async-notify | grep -q .; then
	die "DKMS still lists async-notify after dpkg -r" "dkms remove -m async-notify -v $version --all"
fi
(cd / && ! /usr/bin/python3 -c 'import async_notify' 2>/dev/null) ||
	die "async_notify still imports after dpkg -r" "see python3-async-notify's file list"
echo "deb-install: after dpkg -r: no $src, no $tree, DKMS lists nothing"
