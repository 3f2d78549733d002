#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make check: static checks, then for each kernel (series.sh's: Debian's
# 6.1, 6.12, its PREEMPT_RT flavour 6.12-rt and trixie-backports' newest,
# or KVER=) the W=1 and sparse builds, checkpatch, DKMS, KUnit and the
# QEMU virt and raspi3b suites; the checks that boot no guest and build
# outside this tree run beside the guests (host_lane below), and their
# lines come last. Every check prints PASS or FAIL (kernel checks as
# "KVER:name"), or SKIP with the reason; the last line is "N passed, M
# failed" and the status is non-zero if anything failed. Logs:
# build/check/. After the guests, a full run boots the debug kernel's
# lane (debug_lane below); KVER=debug runs that lane alone. For 6.1, a quick
# pass of make bench's harness (bench.sh --quick) runs too.
set -u
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tools/testing/kernels/series.sh
. "$(dirname "$0")/../kernels/series.sh"

full_run=yes
[ -n "${KVER:-}" ] && full_run=
KVER_LIST=${KVER:-$SERIES_ALL}
for KVER in $KVER_LIST; do
	[ "$KVER" = debug ] || series_set "$KVER"	# dies on a name it does not know
done
TT=$TOP/tools/testing
logs=$TOP/build/check
mkdir -p "$logs"
passed=0 failed=0

result() {	# result NAME WHY (empty WHY: passed)
	if [ -z "$2" ]; then
		echo "PASS: $1"
		passed=$((passed + 1))
	else
		echo "FAIL: $1: $2"
		failed=$((failed + 1))
	fi
}

# step NAME COMMAND...: passes if COMMAND does; output in build/check/NAME.log
step() {
	local name=$1 file
	shift
	file=$(echo "$name" | tr : -)
	log "$name"
	if "$@" >"$logs/$file.log" 2>&1; then
		result "$name" ""
	else
		result "$name" "$(tail -n 2 "$logs/$file.log" | tr '\n' ' ')(build/check/$file.log)"
	fi
}

# suite NAME LOG COMMAND...: run a test suite, its output in LOG, and
# count its PASS and FAIL lines as KVER:test; a suite that failed without
# a FAIL line, or ran nothing, fails as a whole.
suite() {
	local name=$1 file=$2 out=$logs/$2 st p f
	shift 2
	log "$KVER:$name"
	"$@" >"$out" 2>&1
	st=$?
	grep -E '^(PASS|FAIL): ' "$out" | sed "s/^\(PASS\|FAIL\): /&$KVER:/" >"$out.results"
	cat "$out.results"
	p=$(grep -c '^PASS: ' "$out.results")
	f=$(grep -c '^FAIL: ' "$out.results")
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $((p + f)) = 0 ]; then
		result "$KVER:$name" "no test ran (build/check/$file)"
	elif [ "$st" != 0 ] && [ "$f" = 0 ]; then
		result "$KVER:$name" "exit status $st (build/check/$file)"
	fi
}

# KUnit's own lines, "[PASSED] case", as PASS and FAIL lines (all of
# kunit.py's output in build/check/kunit-KVER.full.log). A case that
# took the kernel down is "[CRASHED] case", and a KASAN or lockdep report
# during the driver's cases fails them, its first line shown here.
kunit() {
	"$TT/host/kunit.sh" "$KVER" 2>&1 | tee "$logs/kunit-$KVER.full.log" | sed -n 's/.*\[PASSED\] \(async_notify_test_.*\)/PASS: kunit-\1/p
		s/.*\[FAILED\] \(async_notify_test_.*\)/FAIL: kunit-\1/p
		s/.*\[CRASHED\] \(async_notify_test_.*\)/FAIL: kunit-\1 (the kernel crashed)/p
		/Testing complete\|ERROR\|error:\|BUG: \|WARNING: \|possible .*locking\|inconsistent lock state/p'
	return "${PIPESTATUS[0]}"
}

# The module builds with W=1 (and sparse, C=2) without a single warning:
# make succeeds, nothing says "warning:" or "error:" (modpost's "ERROR:"
# included), and the module is this build's, not one left from before.
build_module() {
	local out st=0
	rm -f "$TOP/async_notify.ko"
	out=$(make -C "$TOP" modules KVER="$KVER" "$@" 2>&1) || st=$?
	printf '%s\n' "$out"
	[ $st = 0 ] || { echo "make failed with status $st"; return 1; }
	if printf '%s\n' "$out" | grep -iE 'warning:|error:'; then
		return 1
	fi
	[ -f "$TOP/async_notify.ko" ] || { echo "no async_notify.ko"; return 1; }
}

checkpatch() {
	local f st=0
	eval "$("$TT/kernels/source.sh" "$KVER")"
	# The design documents' programs are kept unchanged, style and all.
	for f in $(cd "$TOP" && git ls-files -co --exclude-standard '*.c' '*.h' |
		grep -v '^tools/testing/seeds/'); do
		# 7.x's checkpatch.pl prefers kzalloc_obj(), which 6.1 and 6.12
		# lack: the code keeps kzalloc(sizeof(*p)), valid in all four.
		ignore="--ignore ALLOC_WITH_SIZEOF"
		# The compat header is the one place that tests the version.
		[ "$f" = drivers/async_notify_compat.h ] &&
			ignore="--ignore ALLOC_WITH_SIZEOF,LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED"
		# shellcheck disable=SC2086 # one option and its value
		(cd "$TOP" && perl "$SRC/scripts/checkpatch.pl" --strict --no-tree \
			--quiet $ignore -f "$f") || st=1
	done
	return $st
}

binding() {
	local b=$TOP/Documentation/devicetree/bindings
	dt-doc-validate -u "$b" "$b/misc/linux,async-notify.yaml" 2>&1 | tee /dev/stderr |
		grep -q . && return 1
	return 0
}

# The overlays agree with the binding, and a node that does not is caught.
dt_validate() {
	"$TT/image/dtb.sh" "$logs/virt.dtb" "$TOP/dts/async-notify-virt.dtso" &&
		"$TT/image/dtb-raspi.sh" "$logs/raspi.dtb" "$TOP/dts/async-notify-overlay.dts" timer &&
		"$TT/host/dt-check.sh" "$logs/virt.dtb" "$logs/raspi.dtb" || return 1
	"$TT/image/dtb.sh" "$logs/invalid.dtb" "$TOP/dts/async-notify-virt.dtso" \
		"$TOP/dts/async-notify-virt-invalid.dtso" || return 1
	! "$TT/host/dt-check.sh" "$logs/invalid.dtb" >"$logs/invalid.out" &&
		grep -q 'async-notify-bad: linux,buffer-size' "$logs/invalid.out"
}

# The guide shows each tool's --help exactly as the tool prints it.
docs_help() {
	local t st=0
	for t in async-notify-listen async-notify-write; do
		"$logs/host/$t" --help | sed 's/^/    /; s/ *$//' >"$logs/$t.help"
		python3 -c 'import sys; sys.exit(open(sys.argv[1]).read() not in open(sys.argv[2]).read())' \
			"$logs/$t.help" "$TOP/Documentation/userspace-api/async-notify-guide.rst" ||
			{ echo "$t --help differs from the guide"; st=1; }
	done
	return $st
}

# The man pages: mandoc finds no problem, down to style, and each tool's
# page names every option its --help lists and every exit status it gives.
man_pages() {
	local t opt help st=0
	mandoc -T lint -W style "$TOP"/tools/man/*.[14] || st=1
	for t in async-notify-listen async-notify-write; do
		help=$("$logs/host/$t" --help) || { echo "$t --help failed"; st=1; continue; }
		for opt in $(echo "$help" | grep -oE -- '--[a-z]+' | sort -u); do
			grep -qF -- "${opt//-/\\-}" "$TOP/tools/man/$t.1" ||
				{ echo "tools/man/$t.1 lacks $opt"; st=1; }
		done
		for opt in $(echo "$help" | sed -n 's/^Exit status: //p' |
			grep -oE '[0-9]+'); do
			grep -qx "\.B $opt" "$TOP/tools/man/$t.1" ||
				{ echo "tools/man/$t.1 lacks exit status $opt"; st=1; }
		done
	done
	return $st
}

# Every shell script, host and guest (busybox sh) alike.
shellcheck_all() {
	cd "$TOP" || return 1
	shellcheck -x tools/testing/host/*.sh tools/testing/kernels/*.sh \
		tools/testing/image/*.sh tools/testing/qemu/*.sh \
		tools/testing/virt/test-virt.sh tools/testing/raspi/test-raspi.sh \
		tools/testing/bench/bench.sh tools/testing/bench/edges.sh tools/testing/bench/flows.sh \
		tools/testing/packaging/*.sh .ci/run &&
		shellcheck -x -s sh tools/testing/image/init tools/testing/image/demo \
			tools/testing/virt/run tools/testing/virt/lib.sh \
			tools/testing/virt/tests/*.sh tools/testing/raspi/run \
			tools/testing/raspi/defaults.sh tools/testing/raspi/params.sh \
			tools/testing/bench/guest-bench tools/testing/bench/guest-edges \
			tools/testing/bench/guest-flows
}

# The debug kernel's lane (debug-kernel.sh; built on first use): the W=1
# build against its tree and the virt suite under KASAN, lockdep,
# kmemleak, UBSAN and the hang detectors. Part of every full run;
# KVER=debug (make check-debug) runs it alone.
debug_lane() {
	KVER=debug
	export KVER
	step "$KVER:build-w1" build_module
	suite virt "virt-$KVER.log" "$TT/virt/test-virt.sh"
}
if [ "$KVER_LIST" = debug ]; then
	debug_lane
	echo "$passed passed, $failed failed"
	[ $failed = 0 ]
	exit
fi

# The checks that need neither a guest nor the module built in this tree
# (KUnit on UML, DKMS and the kernel-tree series build elsewhere, in the
# cache or a temporary folder) run in the background, on the core the
# guest leaves free. Their lines are printed after the guests' and the
# debug lane's, from build/check/host-lane.out; the lane's last line
# says it ended.
host_lane() {
	step python-package "$TT/packaging/python-package.sh"
	step patches "$TT/packaging/patches-check.sh"
	for KVER in $KVER_LIST; do
		export KVER
		series_set "$KVER"
		step "$KVER:dkms" "$TT/host/dkms-check.sh"
		if [ -n "$SAME_AS" ]; then
			echo "SKIP: $KVER:kunit: UML cannot be PREEMPT_RT: it would rerun $SAME_AS:kunit on the same source"
		else
			suite kunit "kunit-$KVER.log" kunit
		fi
	done
	echo "host lane: ended"
}
host_lane >"$logs/host-lane.out" 2>&1 &
host_lane_pid=$!
# Stopped (^C), the run stops its lane too: the whole process group.
trap 'trap - INT TERM; kill 0' INT TERM

# Checks that do not depend on the kernel.
KVER=6.1
export KVER
step tools-build make -C "$TOP/tools" O="$logs/host" CFLAGS="-O2 -Werror"
step progs-build make -C "$TOP/tools/testing/progs" O="$logs/host" CFLAGS="-O2 -Werror"
step docs-help docs_help
step man-pages man_pages
step deb "$TT/packaging/deb.sh"
# dpkg -i changes this machine: only as root (a throwaway CI machine).
if [ "$(id -u)" = 0 ]; then
	step deb-install "$TT/packaging/deb-install.sh"
else
	echo "SKIP: deb-install: dpkg -i needs root"
fi
step shellcheck shellcheck_all
step binding binding
step dt-validate dt_validate

for KVER in $KVER_LIST; do
	export KVER
	series_set "$KVER"
	step "$KVER:build-w1" build_module
	step "$KVER:sparse" build_module C=2
	# A flavour of another series' source: checkpatch.pl would be that
	# one's (and KUnit, in the host lane, would build it again).
	if [ -n "$SAME_AS" ]; then
		echo "SKIP: $KVER:checkpatch: $SAME_AS's linux-source and checkpatch.pl, checked as $SAME_AS:checkpatch"
	else
		step "$KVER:checkpatch" checkpatch
	fi
	suite virt "virt-$KVER.log" "$TT/virt/test-virt.sh"
	if [ "$RASPI" = yes ]; then
		suite raspi "raspi-$KVER.log" "$TT/raspi/test-raspi.sh"
	else
		echo "SKIP: $KVER:raspi: $RASPI"
	fi
	# make bench's harness end to end, a few events only (make bench
	# itself takes minutes, and its numbers are not checks).
	if [ "$KVER" = 6.1 ]; then
		step "$KVER:bench-quick" "$TT/bench/bench.sh" --quick
	fi
done

# Before the wait: with an empty cache the host lane's KUnit builds
# outlast the guests, and the debug kernel's build fills that time.
if [ -n "$full_run" ]; then
	debug_lane
fi

log "waiting for the host lane (build/check/host-lane.out)"
wait $host_lane_pid
grep -E '^(PASS|FAIL|SKIP): ' "$logs/host-lane.out"
passed=$((passed + $(grep -c '^PASS: ' "$logs/host-lane.out")))
failed=$((failed + $(grep -c '^FAIL: ' "$logs/host-lane.out")))
grep -qx 'host lane: ended' "$logs/host-lane.out" ||
	result host-lane "it ended early: $(tail -n 1 "$logs/host-lane.out") (build/check/host-lane.out)"

echo "$passed passed, $failed failed"
[ $failed = 0 ]
