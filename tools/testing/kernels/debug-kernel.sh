#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build the debug kernel for QEMU virt into the cache; print where, as
# kernel.sh does (`kernel.sh debug` runs this).
#
# Usage: eval "$(tools/testing/kernels/debug-kernel.sh)"
# Stdout holds only shell assignments: those of kernel.sh (KDIR KREL
# VMLINUZ DTBS DTINC BUSYBOX MODDIR), KARGS, the kernel command line
# the debug kernel boots with, and KSCAN=1: the console is scanned for
# the kernel's reports, which fail the run (qemu-console.sh).
#
# The kernel is Debian's linux-source-6.1 (source.sh) configured as
# allnoconfig + tools/testing/kernels/debug.config (KASAN, lockdep, kmemleak,
# UBSAN, debug objects, the hang detectors, fault injection, gpio-sim),
# built with Debian 12's cross compiler in $CACHE/debug-6.1, which is
# also KDIR. The build is stamped with the checksum of the fragment and
# the source: it is redone only when one of them changes. The first
# build takes about 4 minutes on two cores; later runs print at once.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

SERIES=6.1
FRAGMENT=$TOP/tools/testing/kernels/debug.config
OUT=$CACHE/debug-$SERIES
STAMP=$OUT/.async-notify-debug
MAKE_ARGS="ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
# Any report ends the run (KASAN, UBSAN, WARN, an oops, a hung task, a
# soft lockup: a hung guest would otherwise hold the suite until its
# timeout) or is on the console for the host to see (lockdep, RCU
# stalls): the guest's `dmesg -n 1` cannot lower the console below
# warnings.
KARGS='panic_on_warn=1 kasan.fault=panic oops=panic hung_task_panic=1 softlockup_panic=1 panic_print=0x20 sysctl.kernel.printk="5 4 5 7"'

[ -f "$FRAGMENT" ] || die "$FRAGMENT is missing" "restore it from git"

# Busybox and the DT headers come from Debian's 6.1 packages; kernel.sh
# has said why when it fails.
debian=$("$TOP/tools/testing/kernels/kernel.sh" "$SERIES") || exit 1
eval "$debian"
src_env=$("$TOP/tools/testing/kernels/source.sh" "$SERIES") || exit 1
eval "$src_env"

want=$(cat "$FRAGMENT" "$SRC/.async-notify-unpacked" | cksum | cut -d' ' -f1)

print_vars() {
	cat <<-EOF
	KDIR='$OUT'
	KREL='$(cat "$OUT/include/config/kernel.release")'
	VMLINUZ='$OUT/arch/arm64/boot/Image'
	DTBS='$DTBS'
	DTINC='$DTINC'
	BUSYBOX='$BUSYBOX'
	MODDIR=''
	KARGS='$KARGS'
	KSCAN=1
	EOF
}

built() { [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; }

if built; then
	print_vars
	exit 0
fi

for t in aarch64-linux-gnu-gcc flex bison bc; do
	command -v $t >/dev/null || die "$t is missing, needed to build the debug kernel" \
		"run tools/testing/host/deps.sh (as root)"
done

# One build at a time; whoever waited may find it done.
exec 9>"$CACHE/debug-$SERIES.lock"
flock 9
if built; then
	print_vars
	exit 0
fi

mkdir -p "$OUT"
rm -f "$STAMP"
log "configuring the debug kernel in $OUT (allnoconfig + $FRAGMENT)"
# shellcheck disable=SC2086 # MAKE_ARGS is two assignments
if ! make -C "$SRC" O="$OUT" $MAKE_ARGS KCONFIG_ALLCONFIG="$FRAGMENT" \
	allnoconfig >"$OUT/config.log" 2>&1; then
	tail -n 20 "$OUT/config.log" >&2
	die "make allnoconfig failed in $OUT" "see the errors above ($OUT/config.log)"
fi

# Kconfig drops an option whose dependencies are off, silently: every
# option the fragment sets must be in .config as given.
missing=$(sed -n 's/^\(CONFIG_[A-Z0-9_]*=.*\)$/\1/p' "$FRAGMENT" |
	while IFS= read -r opt; do
		grep -qxF "$opt" "$OUT/.config" || printf ' %s' "${opt%%=*}"
	done)
# shellcheck disable=SC2013 # option names, one word each
for opt in $(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$FRAGMENT"); do
	if grep -q "^$opt=" "$OUT/.config"; then
		missing="$missing $opt(should be unset)"
	fi
done
[ -z "$missing" ] || die "the debug kernel's .config lacks:$missing (a dependency is off)" \
	"add the missing dependencies to $FRAGMENT (see $OUT/.config and 'make -C $SRC O=$OUT ARCH=arm64 menuconfig', '/' searches)"

log "building the debug kernel (Image, Module.symvers) with -j$(nproc): about 4 minutes on two cores; log in $OUT/build.log"
start=$(date +%s)
# shellcheck disable=SC2086
if ! make -C "$SRC" O="$OUT" $MAKE_ARGS -j"$(nproc)" Image modules \
	>"$OUT/build.log" 2>&1; then
	grep -E 'error|Error' "$OUT/build.log" | tail -n 20 >&2
	die "the debug kernel does not build" "see the errors above ($OUT/build.log)"
fi
for f in arch/arm64/boot/Image Module.symvers scripts/mod/modpost; do
	[ -e "$OUT/$f" ] || die "the debug kernel's build left no $OUT/$f" "see $OUT/build.log"
done
echo "$want" >"$STAMP"
log "debug kernel $(cat "$OUT/include/config/kernel.release") built in $(($(date +%s) - start)) s"
print_vars
