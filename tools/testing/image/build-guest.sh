#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build what a QEMU virt guest runs: the module, static arm64 tools, the
# guest's scripts, the initramfs and the merged DTB.
#
# Usage: build-guest.sh OUTDIR test|demo|shell|RUN-SCRIPT [FILE...]
#   test   /guest/run is the test suite, with Python; the DTB adds an
#          invalid node
#   demo   /guest/run is the demo
#   shell  no /guest/run: the guest starts a shell
#   RUN-SCRIPT  your own /guest/run, with FILEs copied into /guest too
# Writes OUTDIR/initrd.gz and OUTDIR/virt.dtb. KVER picks the kernel.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

[ $# -ge 2 ] || die "usage: $0 OUTDIR test|demo|shell|RUN-SCRIPT [FILE...]" \
	"name an output folder and what the guest should run"
out=$(mkdir -p "$1" && cd "$1" && pwd)	# make -C runs elsewhere
what=$2
shift 2
KVER=${KVER:-6.1}
eval "$("$TOP/tools/testing/kernels/kernel.sh" "$KVER")"

guest=$out/guest
rm -rf "$guest"
mkdir -p "$guest"

# The modules build in this output folder, from copies of their
# sources, never in the tree: a guest of another kernel may be building
# there at the same time (make check runs the debug lane beside the
# others), and a build in the tree would mix their objects. The debug
# kernel has KUnit as a module: its guest loads the KUnit tests as
# async_notify_kunit.ko (tests/15-kunit.sh), with kunit.ko.
src=$out/src
rm -rf "$src"
mkdir -p "$src"
(cd "$TOP" && cp --parents Kbuild drivers/*.[ch] include/uapi/linux/async_notify.h \
	kunit/*.c tools/testing/testchip/Kbuild tools/testing/testchip/an_testchip.c \
	"$src/") || die "cannot copy the driver's sources into $src" "is $out writable?"
kunit=
[ "$KVER" = debug ] && kunit=CONFIG_ASYNC_NOTIFY_KUNIT_TEST=m
log "building async_notify.ko${kunit:+ and async_notify_kunit.ko} for $KREL in $src"
# shellcheck disable=SC2086 # $kunit: one word or none
make -s -C "$KDIR" M="$src" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- W=1 \
	CONFIG_ASYNC_NOTIFY=m $kunit modules >"$out/module.log" 2>&1 ||
	{ cat "$out/module.log" >&2; die "the module does not build" "see the errors above"; }
cp "$src/async_notify.ko" "$guest/"
if [ -n "$kunit" ]; then
	cp "$src/async_notify_kunit.ko" "$KDIR/lib/kunit/kunit.ko" "$guest/"
fi

log "building the test interrupt controller, an_testchip.ko"
make -s -C "$KDIR" M="$src/tools/testing/testchip" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- W=1 \
	modules >"$out/testchip.log" 2>&1 ||
	{ cat "$out/testchip.log" >&2; die "an_testchip.ko does not build" "see the errors above"; }
! grep -iE 'warning:|error:' "$out/testchip.log" >&2 ||
	die "an_testchip.ko builds with warnings" "see them above"
cp "$src/tools/testing/testchip/an_testchip.ko" "$guest/"

log "building the tools and the test programs for the guest (static arm64)"
for d in tools tools/testing/progs; do
	make -s -C "$TOP/$d" CROSS_COMPILE=aarch64-linux-gnu- STATIC=1 O="$guest" >&2 ||
		die "$d does not build for arm64" "see the errors above"
done

overlays=$TOP/dts/async-notify-virt.dtso
# gpio-sim, whose lines raise interrupts, is only in the debug kernel.
[ "$KVER" = debug ] && overlays="$overlays $TOP/dts/async-notify-virt-debug.dtso"
# The test interrupt controller's chips and devices, but for the demo.
[ "$what" = demo ] || overlays="$overlays $TOP/dts/async-notify-virt-testchip.dtso"
roots=
case $what in
test)
	# make bench-edges' program, which tests/88-edges.sh runs slowly.
	make -s -C "$TOP/tools/testing/bench" CROSS_COMPILE=aarch64-linux-gnu- STATIC=1 \
		O="$guest" "$guest/notify-edges" >&2 ||
		die "notify-edges does not build for arm64" "see the errors above"
	# Only the files the tests name, never a whole folder: a cache or a
	# build left in the tree (mypy's, say) stays out of the image.
	mkdir -p "$guest/tests" "$guest/seeds" "$guest/python/async_notify"
	cp "$TOP/tools/testing/virt/run" "$TOP/tools/testing/virt/lib.sh" "$guest/"
	cp "$TOP"/tools/testing/virt/tests/*.sh "$guest/tests/"
	cp "$TOP/tools/testing/seeds/async_n_test.py" "$guest/seeds/"
	cp "$TOP/tools/python/reader.py" "$TOP/VERSION" "$guest/python/"
	cp "$TOP"/tools/python/async_notify/*.py "$TOP/tools/python/async_notify/py.typed" \
		"$guest/python/async_notify/"
	overlays="$overlays $TOP/dts/async-notify-virt-invalid.dtso"
	eval "$("$TOP/tools/testing/host/python.sh")"
	roots=$ROOT
	;;
demo)
	cp "$TOP/tools/testing/image/demo" "$guest/run"
	;;
shell)
	;;
*)
	[ -f "$what" ] || die "no script '$what'" "give test, demo, shell or a script for /guest/run"
	cp "$what" "$guest/run"
	for f; do
		cp -R "$f" "$guest/" || die "cannot copy '$f'" "check the path"
	done
	;;
esac

# shellcheck disable=SC2086 # lists of paths without spaces
"$TOP/tools/testing/image/dtb.sh" "$out/virt.dtb" $overlays
# shellcheck disable=SC2086
"$TOP/tools/testing/image/initramfs.sh" "$out/initrd.gz" "$guest" $roots
