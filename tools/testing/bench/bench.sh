#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: one real interrupt's notification latency through every interface, in one QEMU virt boot.
#
# Usage: bench.sh [--quick] [ROUNDS [PULSES]]
#   (default 4 rounds of 50 pulses: 200 events per interface;
#   RUNS=N runs it N times and prints each ratio's spread and each
#   goal over the runs)
# Boots Debian's arm64 kernel (KVER, default 6.1) on QEMU virt (TCG) with
# dts/async-notify-bench.dtso and runs tools/testing/bench/guest-bench: every
# round, each interface waits for PULSES pulses of GPIO line 3, SPACING ms
# apart (default and floor: pulse.sh's). Prints the tables
# (reStructuredText) on stdout; keeps the console, the raw records, the
# IRQ trace, the tables (summary.txt), results.json and the plots in
# build/KVER/bench/. Then the loss-free rate: the timer instance in fifo
# mode at 100 Hz to 20 kHz, read by a SIGIO subscriber and an epoll reader,
# and a userspace timerfd at the same rates (notify-rate). In the first
# round, the fan-out: 1, 8, 64 and 512 files subscribed to SIGIO over
# up to 8 processes, on async-notify (latest mode) and on UIO, FANOUT
# pulses each (default 20; notify-fanout); then the memory: the slab
# bytes per bound device and for one open file, beside sysfs allocated
# (notify-memory). After the rounds, the profile: 20 pulses through
# gpio-cdev, async-notify and UIO's SIGIO with the function_graph tracer
# on the read, epoll and IRQ-thread paths, summed per call path by
# profile.py into profile.txt; then each goal of Documentation/
# benchmarks.rst, met or not, with the profile rows of one missed
# (spread.py --goals, into goals.txt). Fails only when an interface missed
# a pulse, a rate reader's counts disagree with sysfs', a fan-out file
# missed an event, allocated does not read 0, 1, 0 around an open, the
# profile traced nothing, or the run itself failed: the numbers are
# TCG's, to compare with each other, never with hardware.
# ICOUNT=1 (make bench ICOUNT=1): the same run with the guest's clock
# counting instructions (tools/testing/qemu/virt.conf): each time from
# one point of the guest's code to another is the instructions run
# between them, 8 ns each, and does not move with the host's load; every
# interface but evdev, the rates to 10 kHz, the fan-out to 64 files;
# the results go to build/KVER/bench-icount/ (bench-icount-quick/).
# --quick: 1 round of 3 pulses through gpio-cdev and async-notify's
# blocking reads only (and their profile), the fan-out with 1 and 8
# files on async-notify only, in build/KVER/bench-quick/: proves the
# harness works from the boot to the JSON and the plots, in seconds.
# With ICOUNT=1 (make check's 6.1:bench-quick), 16 pulses through every
# interface but the sleep loop and evdev, then icount-guard.py against
# icount-baseline-KVER.txt. Then the interrupt-flow sweep's quick pass
# (flows.sh --quick), which make bench runs in full after this script.
set -eu -o pipefail
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

ALL_IFACES="gpio-cdev gpio-cdev-epoll async-read async-read-bin async-epoll async-epoll-bin async-poll async-sigio async-rtsig sleep-loop uio uio-sigio evdev"
QUICK_IFACES="gpio-cdev async-read async-read-bin"
# The loss-free rate test: the timer's periods (us), from 100 Hz, where
# every reader of this guest is loss-free, to 20 kHz (the driver's floor,
# ASYNC_NOTIFY_PERIOD_MIN_US), each read for RATE_SECONDS by each reader.
ALL_RATE_PERIODS="10000 5000 2000 1000 500 200 100 50"
ALL_RATE_METHODS="sigio epoll timerfd"
QUICK_RATE_PERIODS=1000
QUICK_RATE_METHODS="sigio timerfd"
# The fan-out: numbers of subscribed files, and the interfaces.
ALL_FANOUT_FILES="1 8 64 512"
ALL_FANOUT_METHODS="async uio"
QUICK_FANOUT_FILES="1 8"
QUICK_FANOUT_METHODS=async
# The profile (function_graph): the interfaces, and pulses for each.
ALL_PROFILE_IFACES="gpio-cdev gpio-cdev-epoll async-read-bin async-epoll-bin async-sigio uio-sigio"
QUICK_PROFILE_IFACES="gpio-cdev async-read-bin"
ALL_PROFILE_PULSES=20
# Rounds of unbinding and binding every async-notify device.
ALL_MEM_ROUNDS=5
QUICK_MEM_ROUNDS=1
# ICOUNT=1 runs every interface but evdev: under icount gpio-keys'
# debounce timer lost events (1 of 5 in a quick run, 25 of 50 in each
# round of a full one). With --quick (make check's guard) it also leaves
# out the sleep loop (a second a wake-up, not a path) and sends 16
# pulses each: in 4 to 13 % of events the program's CPU time is about 22
# us higher, and a median of 4 CPU figures took two such events in a CI
# run (async-rtsig 91.0 against 79.7). Over every window of 16 events in
# three full runs, the guard's ratios stayed within 1.1 % (the program's
# CPU) and 4.3 % (the IRQ thread's) of the baseline. Its full run's rate
# periods stop at 10 kHz: at 50 us the guest's CPU 0 never left the
# kernel and a reader's second had not ended after three minutes
# (Documentation/benchmarks.rst).
ICOUNT_IFACES="gpio-cdev gpio-cdev-epoll async-read async-read-bin async-epoll async-epoll-bin async-poll async-sigio async-rtsig sleep-loop uio uio-sigio"
ICOUNT_QUICK_IFACES="gpio-cdev gpio-cdev-epoll async-read async-read-bin async-epoll async-epoll-bin async-poll async-sigio async-rtsig uio uio-sigio"
ICOUNT_QUICK_PULSES=16
ICOUNT_RATE_PERIODS="10000 5000 2000 1000 500 200 100"
# And its fan-out stops at 64 files: with 512, one of two full runs had
# 17 of 20 events complete on async-notify and 18 of 20 on UIO.
ICOUNT_FANOUT_FILES="1 8 64"
# tools/testing/qemu/pulse.sh's MIN_SPACING_MS: a pulse (100 ms) and a margin.
MIN_SPACING_MS=150

quick=
if [ "${1:-}" = --quick ]; then
	quick=yes
	shift
fi
if [ -n "$quick" ]; then
	rounds=${1:-1} pulses=${2:-3} ifaces=$QUICK_IFACES
	rate_periods=$QUICK_RATE_PERIODS rate_methods=$QUICK_RATE_METHODS rate_seconds=1
	fanout_files=$QUICK_FANOUT_FILES fanout_methods=$QUICK_FANOUT_METHODS
	fanout_pulses=$pulses mem_rounds=$QUICK_MEM_ROUNDS
	profile_ifaces=$QUICK_PROFILE_IFACES profile_pulses=$pulses
	# make check's icount guard: a few pulses through each interface
	# it guards.
	if [ "${ICOUNT:-0}" = 1 ]; then
		pulses=${2:-$ICOUNT_QUICK_PULSES} ifaces=$ICOUNT_QUICK_IFACES
	fi
else
	rounds=${1:-${ROUNDS:-4}} pulses=${2:-${PULSES:-50}} ifaces=$ALL_IFACES
	rate_periods=$ALL_RATE_PERIODS rate_methods=$ALL_RATE_METHODS rate_seconds=3
	fanout_files=$ALL_FANOUT_FILES fanout_methods=$ALL_FANOUT_METHODS
	fanout_pulses=${FANOUT:-20} mem_rounds=$ALL_MEM_ROUNDS
	profile_ifaces=$ALL_PROFILE_IFACES profile_pulses=$ALL_PROFILE_PULSES
	if [ "${ICOUNT:-0}" = 1 ]; then
		ifaces=$ICOUNT_IFACES rate_periods=$ICOUNT_RATE_PERIODS
		fanout_files=$ICOUNT_FANOUT_FILES
	fi
fi
spacing=${SPACING:-$MIN_SPACING_MS}
[[ $rounds =~ ^[1-9][0-9]?$ ]] || die "ROUNDS must be 1 to 99, not '$rounds'" "usage: $0 [--quick] [ROUNDS [PULSES]]"
[[ $pulses =~ ^([1-9][0-9]?|100)$ ]] || die "PULSES must be 1 to 100, not '$pulses'" "usage: $0 [--quick] [ROUNDS [PULSES]]"
[[ $fanout_pulses =~ ^([1-9][0-9]?|100)$ ]] || die "FANOUT must be 1 to 100, not '$fanout_pulses'" "FANOUT= sets the pulses per fan-out run"
if ! [[ $spacing =~ ^[1-9][0-9]{0,3}$ ]] || [ "$spacing" -lt $MIN_SPACING_MS ]; then
	die "SPACING must be $MIN_SPACING_MS to 5000 (ms), not '$spacing'" "a pulse lasts 100 ms: closer pulses merge"
fi
# The guest CPU the programs run on, the one that takes the interrupt;
# BENCH_CPU= (empty) leaves them to the scheduler.
cpu=${BENCH_CPU-0}
[[ $cpu =~ ^[01]?$ ]] || die "BENCH_CPU must be 0, 1 or empty, not '$cpu'" "the guest has 2 CPUs"
KVER=${KVER:-6.1}
export KVER
icount=
case ${ICOUNT:-0} in
0) ;;
1) icount=yes ;;
*) die "ICOUNT must be 0 or 1, not '$ICOUNT'" "ICOUNT=1 counts instructions instead of time" ;;
esac
export ICOUNT=${icount:+1}
# shellcheck source=tools/testing/qemu/virt.conf
. "$TOP/tools/testing/qemu/virt.conf"
# What the times are, for the tables and the plots.
if [ -n "$icount" ]; then
	clock="guest time under -icount shift=$VIRT_ICOUNT_SHIFT: 1 us is $((1000 >> VIRT_ICOUNT_SHIFT)) instructions"
else
	clock="host time under TCG: compare ratios only"
fi
# --quick and ICOUNT=1 keep apart from a full run's results.
out=$TOP/build/$KVER/bench${icount:+-icount}${quick:+-quick}
mkdir -p "$out/modules" "$out/uio"

# RUNS=N: N runs, one after the other, each kept in run-K/; then each
# headline ratio's spread over them (spread.txt). The last run's tables
# and plots stay where one run's are.
runs=${RUNS:-1}
[[ $runs =~ ^[1-9]$ ]] || die "RUNS must be 1 to 9, not '$runs'" "RUNS=3 gives the spread over three runs"
if [ "$runs" -gt 1 ]; then
	rm -rf "$out"/run-[1-9]
	for k in $(seq "$runs"); do
		log "run $k of $runs"
		RUNS=1 "$0" ${quick:+--quick} "$@" || die "run $k of $runs failed" "see its errors above"
		mkdir -p "$out/run-$k"
		cp "$out/summary.txt" "$out/results.json" "$out/profile.txt" "$out/goals.txt" "$out/run-$k/"
	done
	python3 "$TOP/tools/testing/bench/spread.py" "$out"/run-[1-9]/results.json |
		tee "$out/spread.txt"
	log "each ratio over $runs runs in $out/spread.txt, each run in $out/run-K/"
	exit 0
fi

# plot_cdf: latency-cdf.png, each interface's CDF of the latency from
# the hard IRQ, from the report's cdf-LABEL.dat files.
plot_cdf() {
	local f plots=() label
	for f in "$out"/cdf-*.dat; do
		[ -s "$f" ] || continue
		label=${f##*/cdf-}
		plots+=("'$f' using 1:2 with steps title '${label%.dat}'")
	done
	[ ${#plots[@]} -gt 0 ] || return 0
	gnuplot <<-GP || die "gnuplot failed on $out/cdf-*.dat" "is gnuplot-nox installed? (tools/testing/host/deps.sh)"
		set terminal pngcairo size 1000,640
		set output '$out/latency-cdf.png'
		set title "Latency from the hard IRQ to the program, $KREL on QEMU ($clock)"
		set xlabel 'latency from the hard IRQ (us, log scale)'
		set ylabel 'fraction of events'
		set yrange [0:1]
		set logscale x
		set key bottom right
		set grid
		plot $(IFS=,; echo "${plots[*]}")
	GP
}

# plot_fanout: fanout.png, the latency to the last subscriber and the
# kernel CPU per event against the subscribed files, from the report's
# fanout-INTERFACE.dat files (none without a run that has a latency).
plot_fanout() {
	local f lat=() kcpu=() label
	for f in "$out"/fanout-*.dat; do
		grep -q '^[0-9]' "$f" 2>/dev/null || continue
		label=${f##*/fanout-}
		lat+=("'$f' using 1:2 with linespoints title '${label%.dat}'")
		kcpu+=("'$f' using 1:3 with linespoints title '${label%.dat}'")
	done
	[ ${#lat[@]} -gt 0 ] || return 0
	gnuplot <<-GP || die "gnuplot failed on $out/fanout-*.dat" "is gnuplot-nox installed? (tools/testing/host/deps.sh)"
		set terminal pngcairo size 1200,560
		set output '$out/fanout.png'
		set multiplot layout 1,2 title "Fan-out: one pulse to N files subscribed to SIGIO, $KREL on QEMU ($clock)"
		set xlabel 'subscribed files (log scale)'
		set logscale x 2
		set key top left
		set grid
		set logscale y 2
		set ylabel 'hard IRQ to the last file read, p50 (us, log scale)'
		plot $(IFS=,; echo "${lat[*]}")
		# Tick-sampled: small runs can read 0.
		unset logscale y
		set ylabel 'kernel CPU per event (us)'
		plot $(IFS=,; echo "${kcpu[*]}")
		unset multiplot
	GP
}

# plot_rate: rate-delivered.png, delivered/produced against the rate for
# each reader, from the report's rate-METHOD.dat files.
plot_rate() {
	local f plots=() m
	for f in "$out"/rate-*.dat; do
		[ -s "$f" ] || continue
		m=${f##*/rate-}
		plots+=("'$f' using 1:2 with linespoints title '${m%.dat}'")
	done
	[ ${#plots[@]} -gt 0 ] || return 0
	gnuplot <<-GP || die "gnuplot failed on $out/rate-*.dat" "is gnuplot-nox installed? (tools/testing/host/deps.sh)"
		set terminal pngcairo size 1000,640
		set output '$out/rate-delivered.png'
		set title "Timer source in fifo mode: delivered / produced, $KREL on QEMU ($clock)"
		set xlabel 'events per second (log scale)'
		set ylabel 'delivered / produced'
		set logscale x
		set yrange [0:1.05]
		set key bottom left
		set grid
		plot $(IFS=,; echo "${plots[*]}")
	GP
}

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

log "building notify-bench, -rate, -fanout and -memory (static arm64) and notify-bench-report"
make -s -C "$TOP/tools/testing/bench" CROSS_COMPILE=aarch64-linux-gnu- STATIC=1 \
	O="$out/bin" "$out/bin/notify-bench" "$out/bin/notify-rate" "$out/bin/notify-fanout" \
	"$out/bin/notify-memory" >&2 ||
	die "a guest program (notify-bench, -rate, -fanout, -memory) does not build for arm64" "see the errors above"
make -s -C "$TOP/tools/testing/bench" O="$out/host" "$out/host/notify-bench-report" >&2 ||
	die "notify-bench-report does not build" "see the errors above"

{
	printf 'ROUNDS=%s\nPULSES=%s\nSPACING=%s\nCPU=%s\nIFACES="%s"\n' \
		"$rounds" "$pulses" "$spacing" "$cpu" "$ifaces"
	printf 'RATE_PERIODS="%s"\nRATE_METHODS="%s"\nRATE_SECONDS=%s\n' \
		"$rate_periods" "$rate_methods" "$rate_seconds"
	printf 'FANOUT_FILES="%s"\nFANOUT_METHODS="%s"\nFANOUT_PULSES=%s\nMEM_ROUNDS=%s\n' \
		"$fanout_files" "$fanout_methods" "$fanout_pulses" "$mem_rounds"
	printf 'PROFILE_IFACES="%s"\nPROFILE_PULSES=%s\n' "$profile_ifaces" "$profile_pulses"
} >"$out/bench.conf"
"$TOP/tools/testing/image/build-guest.sh" "$out" "$TOP/tools/testing/bench/guest-bench" \
	"$out/bin/notify-bench" "$out/bin/notify-rate" "$out/bin/notify-fanout" "$out/bin/notify-memory" "$out"/modules/*.ko \
	"$out/uio/uio_pdrv_genirq.ko" "$out/bench.conf"
# build-guest.sh's virt.dtb frees line 3 from gpio-keys for good; ours keeps it.
"$TOP/tools/testing/image/dtb.sh" "$out/bench.dtb" "$TOP/dts/async-notify-bench.dtso"

# A phase: its pulses, about a second to start and to let the line fall;
# the timeout doubles that for a slow host.
nifaces=$(wc -w <<<"$ifaces")
phase_s=$(((pulses * spacing + 999) / 1000 + 1))
# A rate run: its seconds and up to two to settle.
rate_s=$(($(wc -w <<<"$rate_periods") * $(wc -w <<<"$rate_methods") * (rate_seconds + 2)))
# A fan-out run: its pulses, and as long again to fork and subscribe.
fanout_s=$(($(wc -w <<<"$fanout_files") * $(wc -w <<<"$fanout_methods") *
	2 * ((fanout_pulses * spacing + 999) / 1000 + 1)))
# The profile: a phase per interface.
profile_s=$(($(wc -w <<<"$profile_ifaces") * ((profile_pulses * spacing + 999) / 1000 + 1)))
expect_s=$((rounds * nifaces * phase_s + rate_s + fanout_s + profile_s + 20))
timeout=$((120 + 2 * expect_s))
log "booting: $rounds rounds x $nifaces interfaces x $pulses pulses $spacing ms apart, then the rates (about $expect_s s)"
start=$SECONDS
st=0
"$TOP/tools/testing/qemu/qemu-virt.sh" --timeout "$timeout" --initrd "$out/initrd.gz" \
	--dtb "$out/bench.dtb" | tee "$out/console.log" |
	sed -u -n "s/^bench: /$ME: guest: /p" >&2 || st=$?
guest_s=$((SECONDS - start))

sed -n 's/^rec: //p' "$out/console.log" >"$out/records.txt"
sed -n 's/^trace: //p' "$out/console.log" >"$out/trace.txt"
sed -n 's/^prof: //p' "$out/console.log" >"$out/profile-trace.txt"
[ -s "$out/records.txt" ] || die "the guest gave no records (status $st)" "see $out/console.log"

qemu_version=$(qemu-system-aarch64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
smp=$(sed -n 's/.*-smp \([0-9]*\).*/\1/p' <<<"$VIRT_MACHINE")
if [ -n "$cpu" ]; then where="on guest CPU $cpu"; else where="where the scheduler puts them"; fi
cat >"$out/env.txt" <<ENV
date=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
kernel=$KREL
qemu=$qemu_version
accel=TCG (no KVM)
clock=$clock
machine=virt
smp=$smp
host_cores=$(nproc)
pinning=programs and IRQ threads $where
rounds=$rounds
pulses_per_round=$pulses
pulse_spacing_ms=$spacing
interfaces=$ifaces
rate_periods_us=$rate_periods
rate_seconds=$rate_seconds
fanout_files=$fanout_files
fanout_interfaces=$fanout_methods
fanout_pulses=$fanout_pulses
memory_rounds=$mem_rounds
rate_buffer_bytes=$(sed -n '/async-notify-rate/,/};/s/.*buffer-size = <\([0-9]*\)>.*/\1/p' "$TOP/dts/async-notify-bench.dtso")
guest_seconds=$guest_s
ENV
rm -f "$out"/cdf-*.dat "$out"/rate-*.dat "$out"/fanout-*.dat
rst=0
{
	echo "make bench, $(date -u '+%Y-%m-%d %H:%M UTC'): Linux $KREL on QEMU $qemu_version virt, TCG (no KVM),"
	echo "-smp $smp, $(nproc) host cores; $rounds rounds of $pulses pulses per interface, $spacing ms apart;"
	echo "programs and IRQ threads $where; the guest ran $guest_s s;"
	echo "times: $clock"
	echo
	"$out/host/notify-bench-report" -j "$out/results.json" -e "$out/env.txt" \
		-d "$out" "$out/records.txt" "$out/trace.txt"
} >"$out/summary.txt" || rst=$?
cat "$out/summary.txt"
pst=0
# shellcheck disable=SC2086 # one word an interface
python3 "$TOP/tools/testing/bench/profile.py" "$profile_pulses" "$out/profile-trace.txt" \
	$profile_ifaces >"$out/profile.txt" || pst=$?
cat "$out/profile.txt"
# Each goal of Documentation/benchmarks.rst, met or not, and for one
# missed the profile's rows that show what bounds it.
python3 "$TOP/tools/testing/bench/spread.py" --goals "$out/results.json" >"$out/goals.txt" ||
	die "spread.py failed on $out/results.json" "see its errors above"
cat "$out/goals.txt"
plot_cdf
plot_rate
plot_fanout
python3 -m json.tool "$out/results.json" >/dev/null ||
	die "$out/results.json is not valid JSON" "a bug in notify-bench-report's -j output"
# A failed run may lack a plot: its own error, below, says why.
for f in latency-cdf.png rate-delivered.png fanout.png; do
	[ -s "$out/$f" ] || [ "$st$rst" != 00 ] || die "no plot in $out/$f" "see gnuplot's errors above"
done
log "console in $out/console.log, records in $out/records.txt, trace in $out/trace.txt"
log "profile in $out/profile.txt, from the function_graph trace in $out/profile-trace.txt"
log "summary in $out/summary.txt, goals in $out/goals.txt, numbers in $out/results.json, plots in $out/*.png"
log "took $SECONDS s, of which the guest ran $guest_s s"
[ "$st" = 0 ] || die "the guest run failed (status $st)" "see $out/console.log"
[ "$pst" = 0 ] || die "the profile traced no call for an interface (see above)" \
	"see $out/profile-trace.txt and $out/console.log"
[ "$rst" = 0 ] || die "an interface or a fan-out file missed pulses, a rate reader disagrees with sysfs, or allocated is wrong (see above)" \
	"see $out/console.log; on a busy host, run again"
# make check's guard: the instructions per event against the baseline.
baseline=$TOP/tools/testing/bench/icount-baseline-$KVER.txt
if [ -n "$icount" ] && [ -n "$quick" ]; then
	if [ -f "$baseline" ]; then
		gst=0
		python3 "$TOP/tools/testing/bench/icount-guard.py" "$baseline" "$out/results.json" \
			>"$out/guard.txt" || gst=$?
		cat "$out/guard.txt"
		[ "$gst" = 0 ] ||
			die "$(tail -n 1 "$out/guard.txt") (against $baseline)" \
				"see the table above or $out/guard.txt: find what the change added, or raise the baseline in a commit that says why"
	else
		log "no $baseline: nothing to guard on $KVER"
	fi
fi
if [ -n "$quick" ]; then
	log "the interrupt-flow sweep, quick pass"
	"$TOP/tools/testing/bench/flows.sh" --quick
fi
