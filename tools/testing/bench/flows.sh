#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench-flows (and the last step of make bench): on each interrupt
# flow of the test interrupt controller, the rates async-notify and
# gpio-cdev survive.
#
# Usage: flows.sh [--quick]
# Boots Debian's arm64 kernel (KVER, default 6.1) on QEMU virt with
# dts/async-notify-virt-testchip.dtso and dts/async-notify-bench-flows.dtso
# and runs tools/testing/bench/guest-flows: FLOW_RUNS passes (default 3) in
# which, on each flow (edge, fasteoi, level, nested), each interface
# (async-notify's binary and text fifo, binary and text queue, and
# gpio-cdev on a twin line of the same chip) reads a burst of SECONDS
# (SECONDS_PER_POINT, default 1) at each point of POINTS:
# PERIOD_NSxPER_TICK, from 1 kHz up
# to the chip's 1 us floor, then several edges back to back per tick,
# past the guest's ceiling. Prints the tables and each goal of
# Documentation/benchmarks.rst ("Interrupt flows"), met or missed, for
# each run and over the runs (flows.py); plots the sweep (flows.png).
# Keeps the console, the records, summary.txt, flows.json and the plot
# in build/KVER/bench-flows/. Fails when a run failed or a record does
# not add up (raised = delivered + counted loss): losses and missed goals
# are results. --quick: one run of two points, the binary fifo and
# gpio-cdev only, in build/KVER/bench-flows-quick/ (make check, through
# bench.sh --quick). The numbers are TCG's: compare the interfaces of
# one run, never with hardware.
set -eu -o pipefail
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

quick=
if [ "${1:-}" = --quick ]; then
	quick=yes
	shift
fi
[ $# = 0 ] || die "usage: $0 [--quick]" "FLOW_RUNS=, SECONDS_PER_POINT=, POINTS=, FLOWS= and METHODS= set the sweep"
ALL_POINTS="1000000x1 500000x1 200000x1 100000x1 50000x1 20000x1 10000x1 1000x1 1000x4 1000x16"
QUICK_POINTS="200000x1 1000x8"
ALL_METHODS="fifo-bin fifo-text queue-bin queue-text gpio-cdev"
QUICK_METHODS="fifo-bin gpio-cdev"
if [ -n "$quick" ]; then
	runs=${FLOW_RUNS:-1} seconds=${SECONDS_PER_POINT:-1} points=${POINTS:-$QUICK_POINTS}
	methods=${METHODS:-$QUICK_METHODS}
else
	runs=${FLOW_RUNS:-3} seconds=${SECONDS_PER_POINT:-1} points=${POINTS:-$ALL_POINTS}
	methods=${METHODS:-$ALL_METHODS}
fi
ALL_FLOWS="edge fasteoi level nested"
flows=${FLOWS:-$ALL_FLOWS}
[[ $runs =~ ^[1-9]$ ]] || die "FLOW_RUNS must be 1 to 9, not '$runs'" "FLOW_RUNS=3 gives three runs"
[[ $seconds =~ ^[1-9][0-9]?$ ]] || die "SECONDS_PER_POINT must be 1 to 99, not '$seconds'" "e.g. SECONDS_PER_POINT=2"
[[ $points =~ ^[1-9][0-9]*x[1-9][0-9]*( [1-9][0-9]*x[1-9][0-9]*)*$ ]] ||
	die "POINTS must be PERIOD_NSxPER_TICK words, not '$points'" "e.g. POINTS=\"100000x1 1000x8\""
for f in $flows; do
	case " $ALL_FLOWS " in
	*" $f "*) ;;
	*) die "FLOWS: no flow '$f'" "name edge, fasteoi, level or nested" ;;
	esac
done
for m in $methods; do
	case " $ALL_METHODS " in
	*" $m "*) ;;
	*) die "METHODS: no interface '$m'" "name some of $ALL_METHODS" ;;
	esac
done
# The reader's guest CPU, as make bench's BENCH_CPU; the chip's timer,
# which plays the peripheral, is started from the other one.
cpu=${BENCH_CPU-0}
[[ $cpu =~ ^[01]?$ ]] || die "BENCH_CPU must be 0, 1 or empty, not '$cpu'" "the guest has 2 CPUs"
tcpu=
[ -n "$cpu" ] && tcpu=$((1 - cpu))
KVER=${KVER:-6.1}
export KVER
# ICOUNT=1 (make bench ICOUNT=1): the guest's clock counts instructions
# (tools/testing/qemu/virt.conf); its results keep apart.
icount=
[ "${ICOUNT:-0}" = 1 ] && icount=yes
out=$TOP/build/$KVER/bench-flows${icount:+-icount}${quick:+-quick}
mkdir -p "$out"

log "building notify-flows (static arm64)"
make -s -C "$TOP/tools/testing/bench" CROSS_COMPILE=aarch64-linux-gnu- STATIC=1 \
	O="$out/bin" "$out/bin/notify-flows" >&2 ||
	die "notify-flows does not build for arm64" "see the errors above"
printf 'RUNS=%s\nSECONDS_PER_POINT=%s\nPOINTS="%s"\nFLOWS="%s"\nMETHODS="%s"\nCPU=%s\nTIMER_CPU=%s\n' \
	"$runs" "$seconds" "$points" "$flows" "$methods" "$cpu" "$tcpu" >"$out/flows.conf"
"$TOP/tools/testing/image/build-guest.sh" "$out" "$TOP/tools/testing/bench/guest-flows" \
	"$out/bin/notify-flows" "$out/flows.conf"
"$TOP/tools/testing/image/dtb.sh" "$out/flows.dtb" "$TOP/dts/async-notify-virt-testchip.dtso" \
	"$TOP/dts/async-notify-bench-flows.dtso"

# Each point: its burst, the reader's quiet time and setting up, about
# two seconds more; doubled for a slow host, with the boot.
npoints=$(($(wc -w <<<"$points") * $(wc -w <<<"$methods") * $(wc -w <<<"$flows") * runs))
expect_s=$((npoints * (seconds + 2)))
timeout=$((300 + 2 * expect_s))
log "booting: $runs runs of $npoints bursts of $seconds s over flows $flows (about $expect_s s)"
start=$SECONDS
st=0
"$TOP/tools/testing/qemu/qemu-virt.sh" --timeout "$timeout" --initrd "$out/initrd.gz" \
	--dtb "$out/flows.dtb" | tee "$out/console.log" |
	sed -u -n "s/^flows: /$ME: guest: /p" >&2 || st=$?
guest_s=$((SECONDS - start))

sed -n 's/^rec: //p' "$out/console.log" >"$out/records.txt"
[ -s "$out/records.txt" ] || die "the guest gave no records (status $st)" "see $out/console.log"
qemu_version=$(qemu-system-aarch64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
krel=$(sed -n 's/^flows: kernel \([^ ,]*\).*/\1/p' "$out/console.log")
where="the reader and IRQ threads where the scheduler puts them"
[ -z "$cpu" ] || where="the reader on guest CPU $cpu, the chip's timer on CPU $tcpu"
rm -f "$out"/flows-*.dat
rst=0
{
	echo "make bench-flows, $(date -u '+%Y-%m-%d %H:%M UTC'): Linux $krel on QEMU $qemu_version virt, TCG (no KVM),"
	echo "$(nproc) host cores; $runs runs, a burst of $seconds s at each point ($points: period ns x edges per tick);"
	echo "$where; the guest ran $guest_s s${icount:+; guest time counts instructions (ICOUNT=1)}"
	echo
	python3 "$TOP/tools/testing/bench/flows.py" "$out/records.txt" "$out"
} >"$out/summary.txt" || rst=$?
cat "$out/summary.txt"
grep '^goal' "$out/summary.txt" >"$out/goals.txt" || true

# flows.png: for each flow, delivered / raised (top) and the CPU per
# event (bottom) against the rate raised, every run's points.
lossy=() cpu_plots=() panels=
for f in $flows; do
	ratio=() cpus=()
	for m in $methods; do
		d=$out/flows-$f-$m.dat
		[ -s "$d" ] || continue
		ratio+=("'$d' using 1:2 with points title '$m'")
		cpus+=("'$d' using 1:3 with points title '$m'")
	done
	[ ${#ratio[@]} -gt 0 ] || continue
	lossy+=("set title '$f: delivered / raised'; plot $(IFS=,; echo "${ratio[*]}")")
	cpu_plots+=("set title '$f: CPU us per event'; plot $(IFS=,; echo "${cpus[*]}")")
	panels=$((${panels:-0} + 1))
done
if [ -n "$panels" ]; then
	gnuplot <<-GP || die "gnuplot failed on $out/flows-*.dat" "is gnuplot-nox installed? (tools/testing/host/deps.sh)"
		set terminal pngcairo size $((450 * panels)),900
		set output '$out/flows.png'
		set multiplot layout 2,$panels title "Test-chip bursts through async-notify and gpio-cdev, $krel on QEMU TCG, $runs runs (compare ratios only)"
		set logscale x
		set xlabel 'edges raised per second (log scale)'
		set grid
		set key bottom left
		set yrange [0:1.05]
		$(printf '%s\n' "${lossy[@]}")
		set yrange [*:*]
		set logscale y
		set key top right
		set ylabel 'reader + IRQ thread (nested: reader)'
		$(printf '%s\n' "${cpu_plots[@]}")
		unset multiplot
	GP
fi
log "console in $out/console.log, records in $out/records.txt"
log "summary in $out/summary.txt, goals in $out/goals.txt, numbers in $out/flows.json, plot in $out/flows.png"
log "took $SECONDS s, of which the guest ran $guest_s s"
[ "$st" = 0 ] || die "the guest run failed (status $st)" "see $out/console.log"
[ "$rst" = 0 ] || die "a record does not add up or is missing (the FAIL lines above)" \
	"see $out/console.log and $out/records.txt"
[ -s "$out/flows.png" ] || die "no plot in $out/flows.png" "see gnuplot's errors above"
