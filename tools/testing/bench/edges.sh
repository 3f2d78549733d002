#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench-edges: the highest rate at which async-notify and gpio-cdev
# each deliver every rising edge of the same gpio-sim line.
#
# Usage: edges.sh
# Boots the debug kernel (the one with gpio-sim: tools/testing/kernels/
# debug-kernel.sh, built once into the cache) on QEMU virt with
# dts/async-notify-virt-debug.dtso and runs tools/testing/bench/
# guest-edges: at each gap of GAPS (us between rising edges; 0 is as fast
# as the toggler can write sysfs), EDGES edges through async_sim and
# through a gpio-cdev request of the same line (notify-edges). Keeps the
# console, the records, the summary (summary.txt), edges.json and the
# plot edges.png in build/debug/bench-edges/. GAPS= and EDGES= override
# the defaults. Fails when a run failed or async-notify's counts disagree
# with sysfs; losses are results. The debug kernel's detectors slow every
# path: compare the two interfaces, never with make bench or hardware.
set -eu -o pipefail
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

# From 100 Hz, where both deliver every edge, down to no gap at all (the
# toggler's own ceiling, a few hundred edges a second on this guest).
GAPS=${GAPS:-"10000 5000 3000 2000 1000 500 0"}
EDGES=${EDGES:-1000}
METHODS="async gpio-cdev"
[[ $GAPS =~ ^[0-9]+( [0-9]+)*$ ]] || die "GAPS must be numbers of us, not '$GAPS'" "e.g. GAPS=\"1000 100 0\""
[[ $EDGES =~ ^[1-9][0-9]{0,5}$ ]] || die "EDGES must be 1 to 999999, not '$EDGES'" "e.g. EDGES=1000"
# The reader's guest CPU, as make bench's BENCH_CPU; the toggler, which
# plays the peripheral, has the other one.
cpu=${BENCH_CPU-0}
[[ $cpu =~ ^[01]?$ ]] || die "BENCH_CPU must be 0, 1 or empty, not '$cpu'" "the guest has 2 CPUs"
tcpu=
[ -n "$cpu" ] && tcpu=$((1 - cpu))
export KVER=debug
out=$TOP/build/$KVER/bench-edges
mkdir -p "$out"

log "building notify-edges (static arm64)"
make -s -C "$TOP/tools/testing/bench" CROSS_COMPILE=aarch64-linux-gnu- STATIC=1 \
	O="$out/bin" "$out/bin/notify-edges" >&2 ||
	die "notify-edges does not build for arm64" "see the errors above"
printf 'GAPS="%s"\nEDGES=%s\nMETHODS="%s"\nCPU=%s\nTOGGLER_CPU=%s\n' \
	"$GAPS" "$EDGES" "$METHODS" "$cpu" "$tcpu" >"$out/edges.conf"
"$TOP/tools/testing/image/build-guest.sh" "$out" "$TOP/tools/testing/bench/guest-edges" \
	"$out/bin/notify-edges" "$out/edges.conf"

# Each run's edges at its gap, a second to set up and settle, doubled for
# a slow host; and the debug kernel's boot.
expect_s=0
for g in $GAPS; do
	expect_s=$((expect_s + 2 * (EDGES * g / 1000000 + 1)))
done
timeout=$((600 + 2 * expect_s))
log "booting the debug kernel: $EDGES edges at each gap of $GAPS us, through $METHODS"
start=$SECONDS
st=0
"$TOP/tools/testing/qemu/qemu-virt.sh" --timeout "$timeout" --initrd "$out/initrd.gz" \
	--dtb "$out/virt.dtb" | tee "$out/console.log" |
	sed -u -n "s/^edges: /$ME: guest: /p" >&2 || st=$?
guest_s=$((SECONDS - start))

sed -n 's/^rec: //p' "$out/console.log" >"$out/records.txt"
[ -s "$out/records.txt" ] || die "the guest gave no records (status $st)" "see $out/console.log"
qemu_version=$(qemu-system-aarch64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
krel=$(sed -n 's/^edges: kernel \([^ ,]*\).*/\1/p' "$out/console.log")
where="reader and toggler where the scheduler puts them"
[ -z "$cpu" ] || where="reader on guest CPU $cpu, toggler on CPU $tcpu"
rst=0
{
	echo "make bench-edges, $(date -u '+%Y-%m-%d %H:%M UTC'): Linux $krel (debug) on QEMU $qemu_version virt, TCG (no KVM);"
	echo "$EDGES rising edges of gpio-sim line 0 per gap and interface, $where; the guest ran $guest_s s"
	echo
	python3 "$TOP/tools/testing/bench/edges.py" "$out/records.txt" "$out"
} >"$out/summary.txt" || rst=$?
cat "$out/summary.txt"
plots=()
for m in $METHODS; do
	[ -s "$out/edges-$m.dat" ] && plots+=("'$out/edges-$m.dat' using 1:2 with linespoints title '$m'")
done
if [ ${#plots[@]} -gt 0 ]; then
	gnuplot <<-GP || die "gnuplot failed on $out/edges-*.dat" "is gnuplot-nox installed? (tools/testing/host/deps.sh)"
		set terminal pngcairo size 1000,640
		set output '$out/edges.png'
		set title "Rising edges of one gpio-sim line: delivered / raised, $krel (debug) on QEMU TCG"
		set xlabel 'edges raised per second (log scale)'
		set ylabel 'delivered / raised'
		set logscale x
		set yrange [0:1.05]
		set key bottom left
		set grid
		plot $(IFS=,; echo "${plots[*]}")
	GP
fi
log "console in $out/console.log, records in $out/records.txt"
log "summary in $out/summary.txt, numbers in $out/edges.json, plot in $out/edges.png"
log "took $SECONDS s, of which the guest ran $guest_s s"
[ "$st" = 0 ] || die "the guest run failed (status $st)" "see $out/console.log"
[ "$rst" = 0 ] || die "a run is missing or async-notify's counts disagree with sysfs (see above)" \
	"see $out/console.log"
