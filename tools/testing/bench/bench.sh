#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: one real interrupt's notification latency through four interfaces, in one QEMU virt boot.
#
# Usage: bench.sh [ROUNDS [PULSES]]   (default 5 rounds of 5 pulses each)
# Boots Debian's arm64 kernel (KVER, default 6.1) on QEMU virt (TCG) with
# dts/async-notify-bench.dtso and runs tools/testing/bench/guest-bench: every
# round, each interface waits for PULSES pulses of GPIO line 3. Prints
# the tables (reStructuredText) on stdout; keeps the console, the raw
# records, the IRQ trace and the tables in build/KVER/bench/. Fails only
# when an interface missed a pulse or the run itself failed: the numbers
# are TCG's, to compare with each other, never with hardware.
set -eu -o pipefail
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

rounds=${1:-${ROUNDS:-5}}
pulses=${2:-${PULSES:-5}}
[[ $rounds =~ ^[1-9][0-9]?$ ]] || die "ROUNDS must be 1 to 99, not '$rounds'" "usage: $0 [ROUNDS [PULSES]]"
[[ $pulses =~ ^[1-9][0-9]?$ ]] || die "PULSES must be 1 to 99, not '$pulses'" "usage: $0 [ROUNDS [PULSES]]"
# The guest CPU the programs run on, the one that takes the interrupt;
# BENCH_CPU= (empty) leaves them to the scheduler.
cpu=${BENCH_CPU-0}
[[ $cpu =~ ^[01]?$ ]] || die "BENCH_CPU must be 0, 1 or empty, not '$cpu'" "the guest has 2 CPUs"
KVER=${KVER:-6.1}
export KVER
out=$TOP/build/$KVER/bench
mkdir -p "$out/modules" "$out/uio"

eval "$("$TOP/tools/testing/kernels/kernel.sh" "$KVER")"

# Debian's modules for evdev, gpio-keys and UIO, uncompressed for busybox insmod.
for m in input/evdev input/keyboard/gpio_keys uio/uio; do
	f=$(find "$MODDIR/kernel/drivers/$m.ko"* 2>/dev/null | head -n 1)
	dst=$out/modules/${m##*/}.ko
	case $f in
	*.ko) cp "$f" "$dst" ;;
	*.ko.xz) xz -dc "$f" >"$dst" ;;
	*.ko.zst) zstd -qdc "$f" >"$dst" ;;
	*.ko.gz) gzip -dc "$f" >"$dst" ;;
	*) die "no ${m##*/}.ko in $MODDIR/kernel/drivers/${m%/*}" \
		"this kernel's config lacks it: make bench needs CONFIG_INPUT_EVDEV, CONFIG_KEYBOARD_GPIO and CONFIG_UIO" ;;
	esac
done

# Debian does not build uio_pdrv_genirq (CONFIG_UIO_PDRV_GENIRQ is not
# set): build the upstream file, unchanged, from Debian's source package.
eval "$("$TOP/tools/testing/kernels/source.sh" "$KVER")"
log "building uio_pdrv_genirq.ko from $SRC for $KREL"
cp "$SRC/drivers/uio/uio_pdrv_genirq.c" "$out/uio/"
echo "obj-m := uio_pdrv_genirq.o" >"$out/uio/Kbuild"
make -C "$KDIR" M="$out/uio" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	modules >"$out/uio/build.log" 2>&1 ||
	{ cat "$out/uio/build.log" >&2; die "uio_pdrv_genirq.ko does not build" "see the errors above"; }

log "building notify-bench (static arm64) and notify-bench-report"
make -s -C "$TOP/tools/testing/bench" CROSS_COMPILE=aarch64-linux-gnu- STATIC=1 \
	O="$out/bin" "$out/bin/notify-bench" >&2 ||
	die "notify-bench does not build for arm64" "see the errors above"
make -s -C "$TOP/tools/testing/bench" O="$out/host" "$out/host/notify-bench-report" >&2 ||
	die "notify-bench-report does not build" "see the errors above"

printf 'ROUNDS=%s\nPULSES=%s\nCPU=%s\n' "$rounds" "$pulses" "$cpu" >"$out/bench.conf"
"$TOP/tools/testing/image/build-guest.sh" "$out" "$TOP/tools/testing/bench/guest-bench" \
	"$out/bin/notify-bench" "$out"/modules/*.ko "$out/uio/uio_pdrv_genirq.ko" \
	"$out/bench.conf"
# build-guest.sh's virt.dtb frees line 3 from gpio-keys for good; ours keeps it.
"$TOP/tools/testing/image/dtb.sh" "$out/bench.dtb" "$TOP/dts/async-notify-bench.dtso"

# A pulse takes 0.4 s, a phase 0.2 s more; the timeout leaves room for a slow host.
timeout=$((120 + rounds * 6 * (pulses + 5)))
log "booting: $rounds rounds x 6 interfaces x $pulses pulses (about $((rounds * 6 * (pulses * 4 + 2) / 10 + 10)) s)"
st=0
"$TOP/tools/testing/qemu/qemu-virt.sh" --timeout "$timeout" --initrd "$out/initrd.gz" \
	--dtb "$out/bench.dtb" | tee "$out/console.log" |
	sed -u -n "s/^bench: /$ME: guest: /p" >&2 || st=$?

sed -n 's/^rec: //p' "$out/console.log" >"$out/records.txt"
sed -n 's/^trace: //p' "$out/console.log" >"$out/trace.txt"
[ -s "$out/records.txt" ] || die "the guest gave no records (status $st)" "see $out/console.log"
rst=0
{
	echo "make bench, $(date -u '+%Y-%m-%d %H:%M UTC'): Linux $KREL on QEMU $(qemu-system-aarch64 --version |
		sed -n '1s/.*version \([^ ]*\).*/\1/p') virt, TCG (no KVM), $(nproc) host cores;"
	if [ -n "$cpu" ]; then where="on guest CPU $cpu"; else where="where the scheduler puts them"; fi
	echo "$rounds rounds of $pulses pulses per interface; programs and IRQ threads $where"
	echo
	"$out/host/notify-bench-report" "$out/records.txt" "$out/trace.txt"
} >"$out/table.txt" || rst=$?
cat "$out/table.txt"
log "console in $out/console.log, records in $out/records.txt, trace in $out/trace.txt"
[ "$st" = 0 ] || die "the guest run failed (status $st)" "see $out/console.log"
[ "$rst" = 0 ] || die "an interface missed pulses (see above)" \
	"see $out/console.log; on a busy host, run again"
