#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run the KUnit tests under User Mode Linux in Debian's kernel source tree.
#
# Usage: tools/testing/host/kunit.sh [SERIES [KUNIT_PY_RUN_ARGS...]]
#   SERIES is a series.sh series (6.1 by default); further arguments go to
#   `kunit.py run` (e.g. a test filter glob). Prints kunit.py's output and
#   exits with its status.
#
# For the run, the project is linked into the tree as
# drivers/misc/async-notify with its Kconfig and Makefile lines; they are
# taken out again at the end, so the shared tree never points at a clone
# that may be deleted. Objects go to O=$CACHE/kunit-<SRC_SERIES>-kasan
# (the series whose source it is; the suffix keeps them apart from the
# builds without sanitizers that older clones make in kunit-<SRC_SERIES>):
# the clone is never written to, and later runs rebuild only what changed.
#
# kunit/.kunitconfig turns on KASAN and lockdep; where this series' UML
# can preempt (it selects no ARCH_NO_PREEMPT: 6.12 and later), PREEMPT and
# DEBUG_ATOMIC_SLEEP are added too.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tools/testing/kernels/series.sh
. "$TOP/tools/testing/kernels/series.sh"

SERIES=${1:-6.1}
[ $# -gt 0 ] && shift
series_set "$SERIES"

# source.sh has said why when it fails.
src_env=$("$TOP/tools/testing/kernels/source.sh" "$SERIES") || exit 1
eval "$src_env"
BUILD=$CACHE/kunit-$SRC_SERIES-kasan
LINK=$SRC/drivers/misc/async-notify
KCONFIG_LINE='source "drivers/misc/async-notify/Kconfig"'
# shellcheck disable=SC2016 # a make variable, for the Makefile
MAKEFILE_LINE='obj-$(CONFIG_ASYNC_NOTIFY) += async-notify/'

[ -f "$TOP/kunit/.kunitconfig" ] ||
	die "$TOP/kunit/.kunitconfig is missing" "restore it from git"

# One lock per cache tree: the source tree's, which source.sh takes to
# unpack it and patches-check.sh to copy it. This run writes into it (the
# link, the Kconfig and Makefile lines) and into its build folder.
exec 9>"$SRC.lock"
flock -n 9 || { log "waiting for $SRC.lock: another run holds it"; flock 9; }

if [ -e "$LINK" ] && [ ! -L "$LINK" ]; then
	die "$LINK exists and is not a symlink" "remove it; this script links the clone there"
fi
ln -sfn "$TOP" "$LINK"
log "$LINK -> $TOP (for this run)"
# shellcheck disable=SC2317 # called by the trap
unlink_project() {
	rm -f "$LINK"
	sed -i "\|^$KCONFIG_LINE\$|d" "$SRC/drivers/misc/Kconfig"
	sed -i "\|^obj-\$(CONFIG_ASYNC_NOTIFY) += async-notify/\$|d" "$SRC/drivers/misc/Makefile"
}
trap unlink_project EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! grep -qxF "$KCONFIG_LINE" "$SRC/drivers/misc/Kconfig"; then
	last=$(grep -n '^endmenu' "$SRC/drivers/misc/Kconfig" | tail -n 1 | cut -d: -f1)
	[ -n "$last" ] || die "no endmenu in $SRC/drivers/misc/Kconfig" \
		"delete $SRC and rerun to unpack it again"
	sed -i "${last}i $KCONFIG_LINE" "$SRC/drivers/misc/Kconfig"
	log "added the Kconfig source line to drivers/misc/Kconfig"
fi
if ! grep -qxF "$MAKEFILE_LINE" "$SRC/drivers/misc/Makefile"; then
	echo "$MAKEFILE_LINE" >>"$SRC/drivers/misc/Makefile"
	log "added the obj- line to drivers/misc/Makefile"
fi

# Objects built from another clone may be newer than this clone's sources:
# after a switch, build the project's objects again.
# A series that moved to a newer source starts from an empty folder.
if [ "$(cat "$BUILD/.async-notify-source" 2>/dev/null)" != "$(cat "$SRC/.async-notify-unpacked")" ]; then
	rm -rf "$BUILD"
	mkdir -p "$BUILD"
	cp "$SRC/.async-notify-unpacked" "$BUILD/.async-notify-source"
fi
if [ "$(cat "$BUILD/.async-notify-top" 2>/dev/null)" != "$TOP" ]; then
	rm -rf "$BUILD/drivers/misc/async-notify"
	echo "$TOP" >"$BUILD/.async-notify-top"
fi

if grep -qx '[[:space:]]*select ARCH_NO_PREEMPT' "$SRC/arch/um/Kconfig"; then
	log "this UML cannot preempt: no DEBUG_ATOMIC_SLEEP (KASAN and lockdep only)"
else
	set -- --kconfig_add CONFIG_PREEMPT=y \
		--kconfig_add CONFIG_DEBUG_ATOMIC_SLEEP=y "$@"
	log "this UML can preempt: PREEMPT and DEBUG_ATOMIC_SLEEP as well"
fi

# 6.1's and 6.12's kunit.py turn on UML's PCI over virtio, whose MSI
# interrupt numbers the IRQ simulator of the driver's cases needs, but
# leave its virtio device ID unset; its driver then WARNs at boot, and
# that taint would hide a WARN (or a sleep in atomic context) during the
# cases. Any ID does: kunit.py gives UML no virtio device at all.
VIRTIO_ID_NONE=1234
if grep -qx 'CONFIG_UML_PCI_OVER_VIRTIO=y' "$SRC/tools/testing/kunit/configs/arch_uml.config"; then
	set -- --kconfig_add "CONFIG_UML_PCI_OVER_VIRTIO_DEVICE_ID=$VIRTIO_ID_NONE" "$@"
fi

log "kunit.py run in $SRC, build folder $BUILD"
cd "$SRC"
if python3 tools/testing/kunit/kunit.py run --kunitconfig="$TOP/kunit" \
	--build_dir="$BUILD" --jobs="$(nproc)" "$@"; then
	rc=0
else
	rc=$?
	log "kunit.py failed with status $rc"
fi
exit $rc
