#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The Debian packages on this machine, as a user installs them: with the
# headers of a kernel installed (Debian's arm64 kernel from the cache,
# KVER, 6.1 by default, put where headers go: /lib/modules/KREL/build),
# dpkg -i the three (make deb builds them into build/deb/), and the
# package's postinst has DKMS build and install the module for each
# installed kernel's headers (cross-built: ARCH and CROSS_COMPILE reach
# DKMS as they would for a user's cross build); the overlay, the udev
# rule and its group, the tools, their man pages and the Python module
# are there; dpkg -r then leaves no module, no sources and no DKMS state
# behind. Needs root: it changes this machine's packages (it removes
# them again, and the headers' link, also on failure).
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

# shellcheck source=tools/testing/packaging/install-lib.sh
. "$(dirname "$0")/install-lib.sh"
command -v dkms >/dev/null || die "dkms is missing" "run tools/testing/host/deps.sh"
version=$(cat "$TOP/VERSION")
files="$deb/async-notify-dkms_${debver}_all.deb $deb/async-notify-tools_${debver}_$arch.deb
$deb/python3-async-notify_${debver}_all.deb"
for f in $files; do
	[ -f "$f" ] || die "no $f" "make deb"
done
eval "$("$TOP/tools/testing/kernels/kernel.sh" "${KVER:-6.1}")"
src=/usr/src/async-notify-$version
tree=/var/lib/dkms/async-notify

# The kernel's headers, installed as a headers package would: only if
# this machine has no such kernel (its own is not Debian's).
mods=/lib/modules/$KREL
[ ! -e "$mods" ] || die "$mods exists: this test would change it" "run it on a machine without that kernel"

removed=
remove() {
	[ -n "$removed" ] && return
	removed=yes
	log "dpkg -r $pkgs; rm -r $mods"
	# shellcheck disable=SC2086 # the package names
	dpkg -r $pkgs
	rm -rf "$mods"
}
trap remove EXIT
mkdir -p "$mods"
ln -s "$KDIR" "$mods/build"

log "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- dpkg -i $(for f in $files; do basename "$f"; done | tr '\n' ' ')"
# shellcheck disable=SC2086 # the files
ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- dpkg -i $files
[ -f "$src/dkms.conf" ] || die "no $src/dkms.conf after dpkg -i" "see debian/rules (dh_dkms)"
# DKMS names the module's architecture after this machine (x86_64);
# the vermagic below says what it was built for.
status=$(dkms status -m async-notify -v "$version" -k "$KREL")
echo "deb-install: dkms status: $status"
case $status in
*": installed"*) ;;
*) die "dpkg -i did not have DKMS build and install the module for $KREL" "see the postinst's output above" ;;
esac
ko=$mods/updates/dkms/async_notify.ko
[ -f "$ko" ] || die "DKMS installed no $ko" "see dkms.conf"
vermagic=$(modinfo -F vermagic "$ko")
echo "deb-install: dpkg -i had DKMS install $ko: vermagic $vermagic"
case $vermagic in
"$KREL "*) ;;
*) die "vermagic does not name $KREL" "check MAKE[0] in dkms.conf" ;;
esac

for f in /boot/firmware/overlays/async-notify.dtbo /usr/lib/udev/rules.d/60-async-notify.rules; do
	[ -f "$f" ] || die "no $f after dpkg -i" "see debian/rules and debian/async-notify-dkms.install"
done
getent group gpio >/dev/null || die "no group gpio after dpkg -i" "see debian/async-notify-dkms.postinst"
echo "deb-install: installed the overlay, the udev rule and the group: $(getent group gpio)"

/usr/bin/async-notify-listen --help | head -n 1
/usr/bin/async-notify-write --help | head -n 1
for m in async-notify-listen.1 async-notify-write.1 async-notify.4; do
	man -w "${m%.*}" | grep -q "$m" || die "man cannot find $m" "see debian/*.manpages"
done
echo "deb-install: man -w: $(man -w async-notify-listen async-notify-write 4 async-notify | tr '\n' ' ')"
v=$(cd / && /usr/bin/python3 -c 'import async_notify; print(async_notify.__version__)')
[ "$v" = "$version" ] || die "async_notify.__version__ is '$v', not $version" "see tools/python"
echo "deb-install: import async_notify: __version__ $v"

remove
for p in "$src" "$tree" "$ko" /boot/firmware/overlays/async-notify.dtbo /usr/lib/udev/rules.d/60-async-notify.rules; do
	[ ! -e "$p" ] || die "$p is left after dpkg -r" "see the prerm's output above"
done
if dkms status -m async-notify | grep -q .; then
	die "DKMS still lists async-notify after dpkg -r" "dkms remove -m async-notify -v $version --all"
fi
(cd / && ! /usr/bin/python3 -c 'import async_notify' 2>/dev/null) ||
	die "async_notify still imports after dpkg -r" "see python3-async-notify's file list"
echo "deb-install: after dpkg -r: no $src, no $tree, DKMS lists nothing"
