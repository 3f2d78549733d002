# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the guest tests (busybox sh). A test gathers its failed
# expectations in $why and ends with one PASS or FAIL line.
# shellcheck shell=sh

RESULTS=/tmp/results
: >"$RESULTS"

# result NAME WHY: PASS when WHY is empty, else FAIL with WHY.
result() {
	if [ -z "$2" ]; then
		echo "PASS: $1" | tee -a "$RESULTS"
	else
		echo "FAIL: $1: $2" | tee -a "$RESULTS"
	fi
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
	what=$1
	shift
	"$@" || why="${why:+$why; }$what"
}

# wait_line FILE PATTERN: wait up to 10 s for a line matching PATTERN.
wait_line() {
	i=0
	until grep -q "$2" "$1"; do
		i=$((i + 1))
		[ $i -gt 1000 ] && return 1
		usleep 10000
	done
}

# wait_stopped PID: wait up to 10 s until the process is stopped.
wait_stopped() {
	i=0
	until grep -q '^State:.*stopped' "/proc/$1/status" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 1000 ] && return 1
		usleep 10000
	done
}

# sigio_pending PID: 1 if SIGIO (29) is pending for the process or for
# its main thread, else 0.
sigio_pending() {
	t=$(sed -n 's/^SigPnd:[[:space:]]*//p' "/proc/$1/status")
	p=$(sed -n 's/^ShdPnd:[[:space:]]*//p' "/proc/$1/status")
	echo $(((0x${t:-0} | 0x${p:-0}) >> 28 & 1))
}

attr() {
	cat "/sys/class/misc/$1/$2"
}

# wait_attr DEV ATTR VALUE: wait up to 10 s until the attribute is VALUE.
wait_attr() {
	i=0
	while [ "$(attr "$1" "$2")" != "$3" ]; do
		i=$((i + 1))
		[ $i -gt 1000 ] && return 1
		usleep 10000
	done
}

# Ask the host to pulse QEMU's GPIO line 3 (the power button) N times.
pulse() {
	echo "@@pulse $1@@"
}

# Ask the host to stop QEMU for N seconds: guest time jumps by N s.
freeze() {
	echo "@@freeze $1@@"
}

# summary FILE FIELD: a field of async-notify-listen's summary line.
summary() {
	sed -n "s/^summary: .* $2=\([0-9]*\).*/\1/p" "$1"
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
