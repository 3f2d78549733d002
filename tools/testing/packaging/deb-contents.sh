#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What make deb built (build/deb/, or DEB_DIR) holds what it should:
# VERSION's version in every place it appears (the packages, dkms.conf
# and the /usr/src folder, the Python package's metadata and
# __version__, the manual pages' .TH lines); async-notify-dkms ships the
# module's sources, Kbuild, the DKMS Makefile and dkms.conf and nothing
# else, builds without W=1 and only on kernels with CONFIG_OF; the
# Raspberry Pi overlay it installs is byte for byte the async-notify.dtbo
# that make builds and the raspi3b suite boots; the udev rule is the
# tree's. Prints each check; fails on the first that does not hold.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

deb=${DEB_DIR:-$TOP/build/deb}
version=$(cat "$TOP/VERSION")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() {
	echo "deb-contents: ok: $*"
}

for p in async-notify-dkms_all async-notify-tools_$(dpkg --print-architecture) python3-async-notify_all; do
	f=$(ls "$deb/${p%_*}_$version"-*"_${p##*_}.deb" 2>/dev/null) ||
		die "no ${p%_*} $version package in $deb" "make deb"
	v=$(dpkg-deb -f "$f" Version)
	[ "${v%-*}" = "$version" ] || die "$(basename "$f") is version $v" "see debian/changelog"
	dpkg-deb -x "$f" "$tmp/root"
done
ok "the packages are version $version-*"

src=$tmp/root/usr/src/async-notify-$version
[ -d "$src" ] || die "async-notify-dkms has no /usr/src/async-notify-$version" "see DKMS_SRC in debian/rules"
(cd "$src" && find . -type f | sed 's|^\./||' | sort) >"$tmp/shipped"
(cd "$TOP" && { printf '%s\n' Kbuild Makefile dkms.conf include/uapi/linux/async_notify.h; ls drivers/*.[ch]; } | sort) >"$tmp/want"
diff -u "$tmp/want" "$tmp/shipped" ||
	die "/usr/src/async-notify-$version holds other files than the module's sources, Kbuild, Makefile and dkms.conf (- wanted, + shipped)" \
		"see DKMS_FILES and dkms-src in the top Makefile"
ok "/usr/src/async-notify-$version: $(wc -l <"$tmp/shipped") files: the sources, Kbuild, Makefile, dkms.conf"
cmp "$src/Makefile" "$TOP/Makefile.dkms" || die "the DKMS Makefile is not Makefile.dkms" "see dkms-src in the top Makefile"
! grep -n 'W=1\|tools/testing' "$src/Makefile" "$src/Kbuild" ||
	die "the DKMS build would use W=1 or the test machinery" "keep them out of Makefile.dkms and Kbuild"
grep -qx "PACKAGE_VERSION=\"$version\"" "$src/dkms.conf" ||
	die "dkms.conf: $(grep PACKAGE_VERSION "$src/dkms.conf")" "dh_dkms -V in debian/rules puts VERSION there"
grep -qx 'BUILD_EXCLUSIVE_CONFIG="CONFIG_OF"' "$src/dkms.conf" ||
	die "dkms.conf does not limit DKMS to kernels with CONFIG_OF" 'add BUILD_EXCLUSIVE_CONFIG="CONFIG_OF"'
ok "dkms.conf: PACKAGE_VERSION=\"$version\", BUILD_EXCLUSIVE_CONFIG=\"CONFIG_OF\"; no W=1"

dist=$tmp/root/usr/lib/python3/dist-packages
grep -qx "Version: $version" "$dist/async_notify-$version.dist-info/METADATA" ||
	die "python3-async-notify has no async_notify-$version.dist-info saying Version: $version" \
		"tools/python/pyproject.toml reads the version from tools/python/VERSION"
v=$(cd / && PYTHONPATH=$dist /usr/bin/python3 -c 'import async_notify; print(async_notify.__version__)')
[ "$v" = "$version" ] || die "async_notify.__version__ is '$v'" "see _version() in tools/python/async_notify/__init__.py"
ok "python3-async-notify: async_notify-$version.dist-info, __version__ $v"

for m in man1/async-notify-listen.1 man1/async-notify-write.1 man4/async-notify.4; do
	th=$(zcat "$tmp/root/usr/share/man/$m.gz" | grep '^\.TH')
	case $th in
	*"\"async-notify $version\""*) ok "$m: $th" ;;
	*) die "$m: $th does not name async-notify $version" "tools/Makefile puts VERSION into the .TH lines" ;;
	esac
done

zcat "$tmp/root/usr/share/man/man4/async-notify.4.gz" >"$tmp/async-notify.4"
mandoc -T lint -W warning "$tmp/async-notify.4" ||
	die "mandoc finds fault with async-notify(4)" "see its rule in tools/Makefile"
ok "man4/async-notify.4: mandoc -T lint -W warning finds nothing"

make -s -C "$TOP" async-notify.dtbo
cmp "$tmp/root/boot/firmware/overlays/async-notify.dtbo" "$TOP/async-notify.dtbo" ||
	die "the packaged overlay differs from make's async-notify.dtbo, which the raspi3b suite boots" \
		"build both with the async-notify.dtbo rule of the top Makefile"
ok "/boot/firmware/overlays/async-notify.dtbo is byte for byte make's async-notify.dtbo ($(wc -c <"$TOP/async-notify.dtbo") bytes)"
cmp "$tmp/root/usr/lib/udev/rules.d/60-async-notify.rules" "$TOP/udev/60-async-notify.rules" ||
	die "the packaged udev rule differs from udev/60-async-notify.rules" "see debian/async-notify-dkms.install"
ok "/usr/lib/udev/rules.d/60-async-notify.rules is udev/60-async-notify.rules"
