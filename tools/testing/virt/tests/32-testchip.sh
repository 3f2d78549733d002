# SPDX-License-Identifier: GPL-2.0-only
# The test interrupt controller (tools/testing/testchip/an_testchip.c) on
# each interrupt flow: bursts of 1 to 1000 interrupts at the chip's
# highest rate reach async-notify with every interrupt counted (raised
# = dispatched = events = frames - writes + dropped + overruns after
# each burst, the controller merging none but an expander's), a
# nested-threaded line (a GPIO expander's) gives a frame per interrupt,
# and under a sustained rate readers and subscribers hear of every 32
# frames at the latest.
# checks: 6
# timeout: 420
# shellcheck shell=sh disable=SC2154 # $pid: set by listen() in lib.sh

TC=/sys/kernel/debug/an-testchip

tc() {	# tc FLOW FILE: read a file of FLOW's chip
	cat "$TC/an-testchip-$1/$2"
}

tc_set() {	# tc_set FLOW FILE VALUE
	echo "$3" >"$TC/an-testchip-$1/$2"
}

# settled FLOW DEV D0 E0: no edge latched on line 0, and DEV counted an
# event for each interrupt dispatched since D0 (with E0 events before).
settled() {
	[ "$(tc "$1" line0/raised)" = \
		$(($(tc "$1" line0/dispatched) + $(tc "$1" line0/merged))) ] &&
		[ $(($(attr "$2" events) - $4)) = $(($(tc "$1" line0/dispatched) - $3)) ]
}

burst_done() {	# burst_done FLOW
	[ "$(tc "$1" burst)" = 0 ]
}

# BURSTxPER_TICK: ticks of one edge each, 1 us apart (as fast as the
# timer goes), and single ticks of back-to-back edges.
SPECS="1x1 10x1 100x1 1000x1 1x10 1x100 1x1000"

for flow in edge fasteoi level nested; do
	why=
	dev=an_$flow
	if [ ! -d "$TC/an-testchip-$flow" ] || [ ! -c "/dev/$dev" ]; then
		result "testchip-$flow" "no chip or no /dev/$dev: $(dmesg | grep -i testchip | tail -n 3)"
		continue
	fi
	tc_set "$flow" period_ns 1000
	for spec in $SPECS; do
		exec 3<"/dev/$dev"	# the source runs while a file is open
		burst=${spec%x*}
		per=${spec#*x}
		r0=$(tc "$flow" line0/raised)
		d0=$(tc "$flow" line0/dispatched)
		m0=$(tc "$flow" line0/merged)
		e0=$(attr "$dev" events)
		tc_set "$flow" per_tick "$per"
		tc_set "$flow" burst "$burst"
		wait_until burst_done "$flow" || note "$spec: the burst did not end"
		if ! wait_until settled "$flow" "$dev" "$d0" "$e0"; then
			note "$spec: dispatched $(($(tc "$flow" line0/dispatched) - d0)) but $(($(attr "$dev" events) - e0)) events"
			break	# each wait would time out alike
		fi
		expect "$spec raised" $(($(tc "$flow" line0/raised) - r0)) $((burst * per))
		# Only an expander merges edges (before its thread reads
		# them): no other flow masks the line while async-notify's
		# thread runs.
		[ "$flow" = nested ] ||
			expect "$spec merged by the controller" $(($(tc "$flow" line0/merged) - m0)) 0
		exec 3<&-
		note "$(unaccounted "$dev")"
	done
	exec 3<&-
	expect "$dev events = dispatched" "$(attr "$dev" events)" "$(tc "$flow" line0/dispatched)"
	result "testchip-$flow" "$why"
done

# A sustained rate for 5 s: ticks of 8 edges, 200 us apart (40,000
# edges a second asked, more than the guest can take), for as many ticks
# as the chip makes in that time (the debug guest's timer makes a quarter
# of them: a count of ticks would last 20 s there).
# No stretch of time without a notification sees more than 32 frames
# made (async-notify-batch), and a SIGIO subscriber that reads until
# EAGAIN hears all along.
why=
out=/tmp/testchip-sustained.out
# shellcheck disable=SC2034 # read by listen() in lib.sh
LISTEN_LIMIT=300
listen $out --quiet /dev/an_edge
tc_set edge period_ns 200000
tc_set edge per_tick 8
start=$(date +%s)
tc_set edge burst 1000000
(sleep 5 && tc_set edge burst 0) &
stopper=$!
batch=$(async-notify-batch an_edge an-testchip-edge 2>&1) ||
	note "async-notify-batch failed: $batch"
seconds=$(($(date +%s) - start))
kill "$stopper" 2>/dev/null
wait "$stopper" 2>/dev/null
burst_done edge || { note "the burst did not stop after 5 s"; tc_set edge burst 0; }
kill -INT "$pid"
wait "$pid"
echo "sustained: $seconds s: $batch; $(tail -n 1 $out)"
[ "$seconds" -ge 5 ] || note "the run took $seconds s, not 5"
most=$(echo "$batch" | sed -n 's/.* most_without=\([0-9]*\)$/\1/p')
expect_true "at most 32 frames between notifications: $batch" test "${most:-99}" -le 32
expect_true "the subscriber got $(summary $out signals) signals in $seconds s" \
	test "$(summary $out signals)" -ge "$seconds"
[ "$(summary $out source)" -gt 0 ] || note "the subscriber read no frame"
note "$(unaccounted an_edge)"
result testchip-sustained "$why"

# A storm: 300 ticks of 1000 back-to-back edges on CPU 0, where the IRQ
# thread runs too (where the kernel lets it be moved), so that it hardly
# ever gets the CPU between two interrupts. The kernel's detector of
# unhandled interrupts (note_interrupt(), kernel/irq/spurious.c, which
# judges each 100,000 interrupts) must not take the line away:
# afterwards a single edge is still an event, and every interrupt is
# counted. The debug kernel, where KASAN makes each interrupt slow, gets
# 110 ticks: one window of the detector.
why=
ticks=300
debug_kernel && ticks=110
thread_of() {	# thread_of DEV: the pid of DEV's IRQ thread
	for _p in /proc/[0-9]*; do
		case $(cat "$_p/comm" 2>/dev/null) in
		irq/*-"$1") echo "${_p#/proc/}" ;;
		esac
	done
}
exec 3</dev/an_edge
tpid=$(thread_of an_edge)
[ -n "$tpid" ] || note "no IRQ thread for an_edge"
# After 6.12 (7.3 here), setup_irq_thread() binds the thread with
# kthread_bind_mask(), which sets PF_NO_SETAFFINITY: moving it
# fails, the thread runs where the kernel puts it, and the storm is only
# harder to raise.
taskset -p 1 "$tpid" >/dev/null 2>&1 ||
	echo "storm: the IRQ thread cannot be moved on $(uname -r)"
tc_set edge lines 1
tc_set edge period_ns 1000
tc_set edge per_tick 1000
d0=$(tc edge line0/dispatched)
e0=$(attr an_edge events)
storm_start=$(date +%s)
taskset -c 0 sh -c "echo $ticks >$TC/an-testchip-edge/burst"
_tries=0
until burst_done edge || [ $_tries -gt 1200 ]; do
	_tries=$((_tries + 1))
	usleep 100000
done
burst_done edge || note "the storm did not end within 120 s"
echo "storm: $ticks ticks of 1000 edges in $(($(date +%s) - storm_start)) s"
wait_until settled edge an_edge "$d0" "$e0" ||
	note "dispatched $(($(tc edge line0/dispatched) - d0)) but $(($(attr an_edge events) - e0)) events"
tc_set edge per_tick 1
d0=$(tc edge line0/dispatched)
e0=$(attr an_edge events)
tc_set edge burst 1
wait_until burst_done edge || note "the last burst did not end"
wait_until settled edge an_edge "$d0" "$e0" ||
	note "after the storm, an edge gave $(($(attr an_edge events) - e0)) events"
dmesg | grep -E 'nobody cared|Disabling IRQ' | tail -n 2 >/tmp/testchip-storm.dmesg
[ ! -s /tmp/testchip-storm.dmesg ] ||
	note "the kernel disabled the line: $(tr '\n' ' ' </tmp/testchip-storm.dmesg)"
exec 3<&-
note "$(unaccounted an_edge)"
result testchip-storm "$why"
