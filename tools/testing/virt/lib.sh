# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the guest tests (busybox sh). A test gathers its failed
# expectations in $why and ends with one PASS, FAIL or SKIP line (result,
# skip); a test file declares how many of those it prints ("# checks: N",
# see run). The helpers' own variables start with "_", so that they never
# change a test's.
# shellcheck shell=sh

# Every PASS and FAIL line of the boot (run empties it at the start).
RESULTS=/tmp/results

# debug_kernel: the guest runs the debug kernel (tools/testing/kernels/
# debug.config), whose gpio-sim and detectors some tests need.
debug_kernel() {
	case $(uname -r) in
	*async-notify-debug*) return 0 ;;
	esac
	return 1
}

# result NAME WHY: PASS when WHY is empty, else FAIL with WHY.
result() {
	if [ -z "$2" ]; then
		echo "PASS: $1" | tee -a "$RESULTS"
	else
		echo "FAIL: $1: $2" | tee -a "$RESULTS"
	fi
}

# skip NAME WHY: a check that cannot run here, and why.
skip() {
	echo "SKIP: $1: $2" | tee -a "$RESULTS"
}

# expect WHAT ACTUAL WANTED: note a failure unless ACTUAL = WANTED.
expect() {
	[ "$2" = "$3" ] || why="${why:+$why; }$1: got '$2', want '$3'"
}

# note TEXT: add TEXT, unless it is empty, to this test's failures.
note() {
	[ -z "$1" ] || why="${why:+$why; }$1"
}

# expect_true WHAT COMMAND...: note a failure unless COMMAND succeeds.
expect_true() {
	_what=$1
	shift
	"$@" || why="${why:+$why; }$_what"
}

# uptime_s: _now, the whole seconds since boot (no fork: a command
# substitution would be one).
uptime_s() {
	read -r _now _ </proc/uptime
	_now=${_now%.*}
}

# wait_until COMMAND...: run COMMAND every 10 ms until it succeeds; fail
# after 1000 tries (10 s when COMMAND is quick), and after WAIT_MAX_S
# however slow each try is: a COMMAND of many forks can take seconds a
# try on the debug kernel beside other guests. Every wait of the tests
# is one of these, never a sleep.
WAIT_MAX_S=60
wait_until() {
	_tries=0
	uptime_s
	_end=$((_now + WAIT_MAX_S))
	until "$@"; do
		_tries=$((_tries + 1))
		[ $_tries -gt 1000 ] && return 1
		uptime_s
		[ "$_now" -lt $_end ] || return 1
		usleep 10000
	done
}

# wait_line FILE PATTERN: wait for a line matching PATTERN.
wait_line() {
	wait_until grep -q "$2" "$1"
}

# listen OUT LISTENER-ARGS...: start async-notify-listen in the background,
# its output in OUT, and return once it has subscribed (it says so), so
# that nothing sent from then on is missed; its pid is in $pid. Give
# --count with --timeout; a listener without --count (one that a test
# ends) is ended after $LISTEN_LIMIT s in any case.
LISTEN_LIMIT=60
listen() {
	_out=$1
	shift
	# Empty OUT first: the background shell may not have opened it yet
	# when wait_line looks, and a line left by an earlier listener would
	# pass for this one's.
	: >"$_out"
	# busybox timeout runs the listener as itself: $! is its pid.
	timeout "$LISTEN_LIMIT" async-notify-listen "$@" >"$_out" 2>&1 &
	# shellcheck disable=SC2034 # for the tests
	pid=$!
	wait_line "$_out" "subscribed to" ||
		note "the listener $* did not subscribe: $(cat "$_out")"
}

# has_async PID: a file of process PID has O_ASYNC set (fdinfo flags,
# octal 020000): it has subscribed.
has_async() {
	cat /proc/"$1"/fdinfo/* 2>/dev/null |
		awk '/^flags:/ { if (int(substr($2, length($2) - 4, 1)) % 4 >= 2) f = 1 }
			END { exit !f }'
}

# wait_async PID: wait until process PID has subscribed.
wait_async() {
	wait_until has_async "$1"
}

# has_lines FILE PATTERN N: FILE has N lines matching PATTERN.
has_lines() {
	[ "$(grep -c "$2" "$1")" -ge "$3" ]
}

# count_lines FILE PATTERN N: wait until FILE has N lines matching PATTERN.
count_lines() {
	wait_until has_lines "$@"
}

# c_test NAME PROGRAM ARGS...: run a test program that prints its own
# PASS and FAIL lines, streaming them (a line may be a request to the
# host); NAME fails too if the program printed no result, or ended with
# a status other than 0, or 1 after a FAIL line.
c_test() {
	_name=$1
	shift
	{ "$@" 2>&1; echo "c_test: exit $?"; } | tee /tmp/c_test.out |
		grep -v '^c_test: exit '
	grep -E '^(PASS|FAIL): ' /tmp/c_test.out >>"$RESULTS"
	_st=$(sed -n 's/^c_test: exit //p' /tmp/c_test.out)
	if ! grep -qE '^(PASS|FAIL): ' /tmp/c_test.out ||
		{ [ "${_st:-255}" != 0 ] &&
			! { [ "$_st" = 1 ] && grep -q '^FAIL: ' /tmp/c_test.out; }; }; then
		result "$_name" "$1 ended with status ${_st:-?} and $(grep -cE '^(PASS|FAIL): ' /tmp/c_test.out) results"
	fi
}

# wait_stopped PID: wait up to 10 s until the process is stopped.
wait_stopped() {
	_tries=0
	until grep -q '^State:.*stopped' "/proc/$1/status" 2>/dev/null; do
		_tries=$((_tries + 1))
		[ $_tries -gt 1000 ] && return 1
		usleep 10000
	done
}

# sigio_pending PID: 1 if SIGIO (29) is pending for the process or for
# its main thread, else 0.
sigio_pending() {
	_thread=$(sed -n 's/^SigPnd:[[:space:]]*//p' "/proc/$1/status")
	_process=$(sed -n 's/^ShdPnd:[[:space:]]*//p' "/proc/$1/status")
	echo $(((0x${_thread:-0} | 0x${_process:-0}) >> 28 & 1))
}

attr() {
	cat "/sys/class/misc/$1/$2"
}

# attr_is DEV ATTR VALUE: the attribute is VALUE.
attr_is() {
	[ "$(attr "$1" "$2")" = "$3" ]
}

# wait_attr DEV ATTR VALUE: wait until the attribute is VALUE.
wait_attr() {
	wait_until attr_is "$@"
}

# Ask the host to pulse QEMU's GPIO line 3 (the power button) N times.
pulse() {
	echo "@@pulse $1@@"
}

# pulse_seen OUT N: ask the host for one pulse and wait until OUT shows
# the Nth frame. The host starts a pulse only once the last one is over
# (tools/testing/qemu/pulse.sh), so each is an edge of its own.
pulse_seen() {
	pulse 1
	count_lines "$1" '^frame ' "$2"
}

# Ask the host to stop QEMU for N seconds: guest time jumps by N s. The
# host stops it as soon as it reads the line: what must happen before the
# stop (a listener's first frame, say) must be waited for before this.
freeze() {
	echo "@@freeze $1@@"
}

# summary FILE FIELD: a field of async-notify-listen's summary line.
summary() {
	sed -n "s/^summary: .* $2=\([0-9]*\).*/\1/p" "$1"
}

# events_past DEV N: DEV has counted N events or more.
events_past() {
	[ "$(attr "$1" events)" -ge "$2" ]
}

# uptime_past S: the guest has been up S seconds or more.
uptime_past() {
	[ "$(cut -d. -f1 /proc/uptime)" -ge "$1" ]
}

# The interrupt count of the pl061 line 3, summed over CPUs.
irq_count() {
	awk '/9030000\.pl061 +3 +Edge/ { n = 0; for (i = 2; i <= NF; i++)
		if ($i ~ /^[0-9]+$/) n += $i; else break; print n }' /proc/interrupts
}

# unaccounted DEV: empty if DEV's counters add up (its source must be
# stopped: no file open); else what is off. Documentation/userspace-api/
# async-notify.rst, "Accounting": events = frames - writes + dropped, plus
# overruns in fifo mode.
unaccounted() {
	set -- "$1" "$(attr "$1" events)" "$(attr "$1" frames)" \
		"$(attr "$1" writes)" "$(attr "$1" dropped)" "$(attr "$1" overruns)"
	if [ "$(attr "$1" mode)" = fifo ]; then
		[ "$2" = $(($3 - $4 + $5 + $6)) ] && return
	else
		[ "$2" = $(($3 - $4 + $5)) ] && return
	fi
	echo "$1: events=$2 frames=$3 writes=$4 dropped=$5 overruns=$6 do not add up"
}

# open_files: the async-notify devices that some file holds open, as
# "DEV readers=N writers=M" (nothing if all are closed). The suite asks
# after every file: read, not $(attr ...), which would fork twice per
# device, and a fork is slow on the debug kernel.
open_files() {
	for _dev in /sys/bus/platform/drivers/async-notify/*/misc/*; do
		[ -d "$_dev" ] || continue
		read -r _r <"$_dev/readers" || _r=
		read -r _w <"$_dev/writers" || _w=
		[ "$_r$_w" = 00 ] || echo "${_dev##*/} readers=$_r writers=$_w"
	done
}

# all_closed: no file holds an async-notify device open.
all_closed() {
	[ -z "$(open_files)" ]
}
