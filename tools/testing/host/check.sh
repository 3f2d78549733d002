#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make check: static checks, then for each kernel (series.sh's: Debian's
# 6.1, 6.12, its PREEMPT_RT flavour 6.12-rt and trixie-backports' newest,
# or KVER=) the W=1 and sparse builds, checkpatch, DKMS, KUnit and the
# QEMU virt and raspi3b suites; the checks that boot no guest and build
# outside this tree run beside the guests (host_checks below), and so
# does, among them, the debug kernel's lane in a full run (debug_lane
# below); their lines come last. KVER=debug runs that lane alone. For 6.1, a
# quick pass of make bench's harness under icount (ICOUNT=1 bench.sh
# --quick), with its guard on the instructions per event, runs too.
# make check-quick (QUICK=1) runs the static checks alone (quick_checks).
#
# Every check prints one line, "PASS: name", "FAIL: name: why (its log)"
# or "SKIP: name: why" (kernel checks as "KVER:name"), and the last line
# is "N passed, M failed, K skipped", whatever happens (an EXIT trap
# prints it); the status is non-zero if anything failed. Logs:
# build/check/. On standard error, each check says when it starts: its
# number of the lane's, the time so far and an estimate of what is left
# from the last run's times ($CACHE/check-times); a long one says every
# minute what it is doing. The run ends with the slowest checks.
#
# To add a check:
# - a host step: a line "step NAME COMMAND..." in quick_checks (static,
#   quick), main_checks (per kernel, beside the guests' suites) or
#   host_checks (builds outside this tree; runs in the background). It is
#   one check: it passes if COMMAND exits 0, its output goes to
#   build/check/NAME.log (":" as "-"). A check that cannot run here is a
#   line "skip NAME WHY" in the same place, never silence.
# - a suite: "suite NAME LOG COMMAND..."; COMMAND prints PASS:, FAIL: and
#   SKIP: lines, each counted as a check. It declares its parts: a line
#   "plan: PART N" for each part it will run, before it runs any, and
#   "--- PART took S s" when that part has ended. A part planned and not
#   ended fails by name ("KVER:PART: did not end"); each part checks its
#   own count (see tools/testing/virt/run, where a guest test file says
#   "# checks: N", and kunit below).
# - a guest test file: tools/testing/virt/tests/NN-name.sh with a
#   "# checks: N" line (and "# timeout: SECS" if it needs over 120 s);
#   see tools/testing/virt/run.
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
# The last run's times, "NAME SECONDS", for the estimates; this run's.
times=$CACHE/check-times
run_times=$logs/times
: >"$run_times"
passed=0 failed=0 skipped=0
lane=''
counting='' steps=0 step=0 est_total=0 est_done=0

# rel PATH: PATH from the top of the tree, as the lines show it.
rel() {
	echo "${1#"$TOP"/}"
}

# mmss SECONDS: "3m05s".
mmss() {
	printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
}

# last_time NAME: NAME's seconds in the last run (nothing if none).
last_time() {
	[ -f "$times" ] && awk -v n="$1" '$1 == n { t = $2 } END { if (t != "") print t }' "$times"
}

result() {	# result NAME WHY (empty WHY: passed)
	if [ -z "$2" ]; then
		echo "PASS: $1"
		passed=$((passed + 1))
	else
		echo "FAIL: $1: $2"
		failed=$((failed + 1))
	fi
}

# skip NAME WHY: a check that cannot run here.
skip() {
	[ -n "$counting" ] && return
	echo "SKIP: $1: $2"
	skipped=$((skipped + 1))
}

# tally FILE: count FILE's PASS, FAIL and SKIP lines.
tally() {
	passed=$((passed + $(grep -c '^PASS: ' "$1")))
	failed=$((failed + $(grep -c '^FAIL: ' "$1")))
	skipped=$((skipped + $(grep -c '^SKIP: ' "$1")))
}

# ticker NAME LOG: every minute, NAME's time and LOG's last line, until
# its standard input (a pipe from begin) closes, when NAME has ended.
ticker() {
	local t=0 st
	while :; do
		IFS= read -r -t 60 _
		st=$?
		[ $st -gt 128 ] || return 0
		t=$((t + 60))
		log "${lane}... $1 for $(mmss $t); $(rel "$2"): $(tail -n 1 "$2" 2>/dev/null | cut -c 1-100)"
	done
}

# begin NAME LOG: when counting, count NAME and return 1; else say that
# NAME starts, with the lane's progress, and start its ticker.
begin() {
	local last left
	last=$(last_time "$1")
	if [ -n "$counting" ]; then
		steps=$((steps + 1))
		est_total=$((est_total + ${last:-0}))
		return 1
	fi
	step=$((step + 1))
	left=$((est_total - est_done))
	[ $left -lt 0 ] && left=0
	if [ "$est_total" = 0 ]; then
		left=''
	elif [ $left -lt 120 ]; then
		left=", about $left s left"
	else
		left=", about $(((left + 59) / 60)) min left"
	fi
	log "${lane}[$step/$steps, $(mmss $((SECONDS - run_start)))$left] $1${last:+ (last run: $last s)}"
	est_done=$((est_done + ${last:-0}))
	exec {ticker_fd}> >(ticker "$1" "$2")
	step_start=$SECONDS
}

# end NAME: stop the ticker and keep NAME's time.
end() {
	exec {ticker_fd}>&-
	ticker_fd=''
	echo "$1 $((SECONDS - step_start))" >>"$run_times"
}

# step NAME COMMAND...: passes if COMMAND does; output in build/check/NAME.log
step() {
	local name=$1 file
	shift
	file=$logs/$(echo "$name" | tr : -).log
	begin "$name" "$file" || return 0
	if "$@" >"$file" 2>&1; then
		result "$name" ""
	else
		result "$name" "$(tail -n 2 "$file" | tr '\n' ' ')($(rel "$file"))"
	fi
	end "$name"
}

# suite NAME LOG COMMAND...: run a test suite, its output in LOG, its
# PASS, FAIL and SKIP lines shown as they come as KVER:test (test alone
# where KVER is unset: host_checks' suites before the kernels), FAIL
# lines with the log's name. A suite that failed without a FAIL line,
# ran nothing, or did not end a part it planned fails too.
suite() {
	local name=$1 out=$logs/$2 st part tag=${KVER:+$KVER:}
	shift 2
	begin "$tag$name" "$out" || return 0
	{ "$@" 2>&1; echo "$?" >"$out.status"; } | tee "$out" |
		sed -un "s/^\(PASS\|FAIL\|SKIP\): /&$tag/p" |
		sed -u "s|^FAIL: .*|& ($(rel "$out"))|" | tee "$out.results"
	st=$(cat "$out.status")
	tally "$out.results"
	while read -r part; do
		result "$tag$part" "did not end: the suite stopped first, with status $st ($(rel "$out"))"
	done < <(awk '/^plan: [^ ]+ [0-9]+$/ { if (!($2 in p)) o[++n] = $2; p[$2] = 1 }
		/^--- [^ ]+ took( |$)/ { delete p[$2] }
		END { for (i = 1; i <= n; i++) if (o[i] in p) print o[i] }' "$out")
	if [ "$(grep -c '' "$out.results")" = 0 ]; then
		result "$tag$name" "no test ran ($(rel "$out"))"
	elif [ "$st" != 0 ] && ! grep -q '^FAIL: ' "$out.results"; then
		result "$tag$name" "exit status $st ($(rel "$out"))"
	fi
	end "$tag$name"
}

# KUnit's own lines, "[PASSED] case", as PASS, FAIL and SKIP lines (all
# of kunit.py's output in build/check/kunit-KVER.full.log). A case that
# took the kernel down is "[CRASHED] case", and a KASAN or lockdep report
# during the driver's cases fails them, its first line shown here. Each
# KUNIT_CASE() of kunit/*.c is a check: one that did not report fails.
kunit() {
	local cases c st t0=$SECONDS
	cases=$(sed -n 's/.*KUNIT_CASE[A-Z_]*(\(async_notify_test_[a-z0-9_]*\).*/kunit-\1/p' "$TOP"/kunit/*.c)
	echo "plan: kunit $(echo "$cases" | grep -c .)"
	"$TT/host/kunit.sh" "$KVER" 2>&1 | tee "$logs/kunit-$KVER.full.log" | sed -n 's/.*\[PASSED\] \(async_notify_test_.*\)/PASS: kunit-\1/p
		s/.*\[FAILED\] \(async_notify_test_.*\)/FAIL: kunit-\1/p
		s/.*\[SKIPPED\] \(async_notify_test_[a-z0-9_]*\).*/SKIP: kunit-\1: skipped by the case (see the full log)/p
		s/.*\[CRASHED\] \(async_notify_test_.*\)/FAIL: kunit-\1 (the kernel crashed)/p
		/Testing complete\|ERROR\|error:\|BUG: \|WARNING: \|possible .*locking\|inconsistent lock state/p' |
		tee "$logs/kunit-$KVER.cases"
	st=${PIPESTATUS[0]}
	if grep -qE '^(PASS|FAIL|SKIP): ' "$logs/kunit-$KVER.cases"; then
		for c in $cases; do
			grep -qE "^(PASS|FAIL|SKIP): $c([: ]|\$)" "$logs/kunit-$KVER.cases" ||
				echo "FAIL: $c: not run (no [PASSED], [FAILED] or [SKIPPED] line in build/check/kunit-$KVER.full.log)"
		done
	else
		echo "FAIL: kunit: no case ran, kunit.sh ended with status $st: $(tail -n 1 "$logs/kunit-$KVER.full.log")"
	fi
	echo "--- kunit took $((SECONDS - t0)) s"
	return "$st"
}

# The module builds with W=1 (and sparse, C=2) without a single warning:
# make succeeds, nothing says "warning:" or "error:" (modpost's "ERROR:"
# included), and the module is this build's. It builds from clean, in a
# folder of its own (build/check/build/KVER-NAME) holding the sources
# DKMS gets (make dkms-src): every file is compiled on every run, and no
# object of the tree's own build (make demo's, say) is reused.
build_module() {	# build_module NAME [MAKE-ARGS...]
	local dir=$logs/build/$KVER-$1 out kenv st=0
	shift
	kenv=$("$TT/kernels/kernel.sh" "$KVER") || { echo "kernel.sh $KVER failed: no kernel tree to build against"; return 1; }
	local KDIR
	eval "$kenv"
	make -s -C "$TOP" dkms-src DKMS_SRC="$dir" || { echo "cannot copy the sources into $dir"; return 1; }
	echo "building in $(rel "$dir") against $KDIR"
	out=$(make -C "$dir" modules KDIR="$KDIR" ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- "$@" 2>&1) || st=$?
	printf '%s\n' "$out"
	[ $st = 0 ] || { echo "make failed with status $st"; return 1; }
	if printf '%s\n' "$out" | grep -iE 'warning:|error:'; then
		return 1
	fi
	[ -f "$dir/async_notify.ko" ] || { echo "no async_notify.ko"; return 1; }
}

# checkpatch.pl of this kernel's source on every C file of the tree.
checkpatch() {
	local st=0 src SRC
	src=$("$TT/kernels/source.sh" "$KVER") ||
		{ echo "no linux-source for $KVER: source.sh failed (above)"; return 1; }
	eval "$src"
	[ -f "${SRC:-}/scripts/checkpatch.pl" ] || { echo "no checkpatch.pl in '${SRC:-}'"; return 1; }
	cd "$TOP" || return 1
	# The design documents' programs are kept unchanged, style and all.
	# 7.x's checkpatch.pl prefers kzalloc_obj(), which 6.1 and 6.12 lack:
	# the code keeps kzalloc(sizeof(*p)), valid in all four. A few files
	# a run, on every core.
	git ls-files -co --exclude-standard '*.c' '*.h' |
		grep -v -e '^tools/testing/seeds/' -e '^drivers/async_notify_compat.h$' |
		xargs -P "$(nproc)" -n 4 perl "$SRC/scripts/checkpatch.pl" --strict \
			--no-tree --quiet --ignore ALLOC_WITH_SIZEOF -f || st=1
	# The compat header is the one place that tests the version.
	perl "$SRC/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--ignore ALLOC_WITH_SIZEOF,LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED \
		-f drivers/async_notify_compat.h || st=1
	return $st
}

binding() {
	local b=$TOP/Documentation/devicetree/bindings
	command -v dt-doc-validate >/dev/null || { echo "dt-doc-validate is missing: run tools/testing/host/deps.sh"; return 1; }
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
		grep -q 'async-notify-bad: linux,buffer-size' "$logs/invalid.out" &&
		grep -q "async-notify-dotdot: label:0: '..' does not match" "$logs/invalid.out"
}

# The guide shows each tool's --help exactly as the tool prints it (and
# the tool prints one).
docs_help() {
	local t st=0
	for t in async-notify-listen async-notify-write; do
		if ! "$logs/host/$t" --help >"$logs/$t.help.raw"; then
			echo "$logs/host/$t --help failed (is tools-build green?)"
			st=1
			continue
		fi
		grep -q '^usage: ' "$logs/$t.help.raw" || { echo "$t --help printed no usage line"; st=1; continue; }
		sed 's/^/    /; s/ *$//' "$logs/$t.help.raw" >"$logs/$t.help"
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
		# The "Exit status:" paragraph, to its end: "N word" each.
		for opt in $(echo "$help" | awk '/^Exit status:/ { p = 1 } p && /^$/ { p = 0 } p' |
			grep -oE '(^|[ :,]) *[0-9]+ [a-z]' | grep -oE '[0-9]+'); do
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
		tools/testing/packaging/*.sh tools/testing/unit/run .ci/run &&
		shellcheck -x -s sh tools/testing/image/init tools/testing/image/demo \
			tools/testing/virt/run tools/testing/virt/lib.sh \
			tools/testing/virt/tests/*.sh tools/testing/raspi/run \
			tools/testing/raspi/defaults.sh tools/testing/raspi/params.sh \
			tools/testing/bench/guest-bench tools/testing/bench/guest-edges \
			tools/testing/bench/guest-flows
}

# The static checks: no kernel, no guest (make check-quick runs these
# alone, the W=1 build for 6.1 included).
quick_checks() {
	static_checks
	step "$KVER:build-w1" build_module w1
	step "$KVER:checkpatch" checkpatch
}

# The checks that depend on no kernel, in make check and check-quick.
static_checks() {
	KVER=6.1
	export KVER
	step tools-build make -C "$TOP/tools" O="$logs/host" CFLAGS="-O2 -Werror"
	step progs-build make -C "$TOP/tools/testing/progs" O="$logs/host" CFLAGS="-O2 -Werror"
	step docs-help docs_help
	step man-pages man_pages
	step shellcheck shellcheck_all
	step binding binding
	step dt-validate dt_validate
}

# The debug kernel's lane (debug-kernel.sh; built on first use): the W=1
# build against its tree and the virt suite under KASAN, lockdep,
# kmemleak, UBSAN and the hang detectors. Part of every full run;
# KVER=debug (make check-debug) runs it alone.
debug_lane() {
	KVER=debug
	export KVER
	step "$KVER:build-w1" build_module w1
	suite virt "virt-$KVER.log" "$TT/virt/test-virt.sh"
}

# The checks that need no guest of the Debian kernels' and build outside
# this tree (KUnit on UML, DKMS and the kernel-tree series build in the
# cache or a temporary folder) and the debug lane run in the
# background, beside the main lane's guests. Their lines are printed
# after the main lane's, from build/check/host-lane.out; the lane's last
# line says it ended.
host_checks() {
	unset KVER	# no kernel's: the suites' lines are not KVER:test
	step python-package "$TT/packaging/python-package.sh"
	step version-bump "$TT/packaging/version-bump.sh"
	suite unit "unit.log" "$TT/unit/run"
	step patches "$TT/packaging/patches-check.sh"
	# The debug lane next, once patches has built the debug kernel: its
	# guest keeps about one core busy for as long as two of the others',
	# so it runs beside the main lane's guests, and the builds below,
	# which use both cores, come last.
	if [ -n "$full_run" ]; then
		debug_lane
	fi
	for KVER in $KVER_LIST; do
		export KVER
		series_set "$KVER"
		step "$KVER:dkms" "$TT/host/dkms-check.sh"
		if [ -n "$SAME_AS" ]; then
			skip "$KVER:kunit" "UML cannot be PREEMPT_RT: it would rerun $SAME_AS:kunit on the same source"
		else
			suite kunit "kunit-$KVER.log" kunit
		fi
	done
}

# The checks beside the guests, kernel by kernel.
main_checks() {
	static_checks
	step deb "$TT/packaging/deb.sh"
	step lintian "$TT/packaging/lintian.sh"
	step deb-contents "$TT/packaging/deb-contents.sh"
	# dpkg -i changes this machine: only as root (a throwaway CI machine).
	if [ "$(id -u)" = 0 ]; then
		step deb-install "$TT/packaging/deb-install.sh"
		step autopkgtest "$TT/packaging/autopkgtest.sh"
		step udev "$TT/packaging/udev-check.sh"
	else
		skip deb-install "dpkg -i needs root"
		skip autopkgtest "the null runner installs the packages: it needs root"
		skip udev "udevadm test on a made-up sysfs needs a mount namespace: root"
	fi

	for KVER in $KVER_LIST; do
		export KVER
		series_set "$KVER"
		step "$KVER:build-w1" build_module w1
		step "$KVER:sparse" build_module sparse C=2
		# A flavour of another series' source: checkpatch.pl would be that
		# one's (and KUnit, in the host lane, would build it again).
		if [ -n "$SAME_AS" ]; then
			skip "$KVER:checkpatch" "$SAME_AS's linux-source and checkpatch.pl, checked as $SAME_AS:checkpatch"
		else
			step "$KVER:checkpatch" checkpatch
		fi
		suite virt "virt-$KVER.log" "$TT/virt/test-virt.sh"
		if [ "$RASPI" = yes ]; then
			suite raspi "raspi-$KVER.log" "$TT/raspi/test-raspi.sh"
		else
			skip "$KVER:raspi" "$RASPI"
		fi
		# make bench's harness end to end, a few events only (make bench
		# itself takes minutes), with the guest's clock counting
		# instructions: its figures per event are then checked against
		# tools/testing/bench/icount-baseline-6.1.txt (icount-guard.py).
		if [ "$KVER" = 6.1 ]; then
			step "$KVER:bench-quick" env ICOUNT=1 "$TT/bench/bench.sh" --quick
		fi
	done

}

# lane_run FUNCTION: count FUNCTION's checks, then run them.
lane_run() {
	counting=1 steps=0 est_total=0
	"$1"
	counting='' step=0 est_done=0
	"$1"
}

# The host lane, in the background, in a process group of its own (the
# EXIT trap ends it); its progress on standard error, its lines in
# build/check/host-lane.out.
host_lane_pid=''
start_host_lane() {
	set -m
	(set +m && lane='host lane: ' && lane_run host_checks && echo "host lane: ended") \
		</dev/null >"$logs/host-lane.out" &
	host_lane_pid=$!
	set +m
}

# The end, however the run ends: stop the host lane if it still runs,
# count its lines, print the summary, the log folder and the slowest
# checks, and keep this run's times for the next one's estimates.
done_all=''
finish() {
	local st=$?
	trap - EXIT INT TERM
	[ -n "$ticker_fd" ] && exec {ticker_fd}>&-
	if [ -n "$host_lane_pid" ]; then
		if [ -z "$done_all" ] && kill -0 "$host_lane_pid" 2>/dev/null; then
			kill -TERM -- "-$host_lane_pid" 2>/dev/null
		fi
		wait "$host_lane_pid" 2>/dev/null
		grep -E '^(PASS|FAIL|SKIP): ' "$logs/host-lane.out"
		tally "$logs/host-lane.out"
		grep -qx 'host lane: ended' "$logs/host-lane.out" ||
			result host-lane "it ended early: $(tail -n 1 "$logs/host-lane.out") (build/check/host-lane.out)"
	fi
	[ -n "$done_all" ] || result check "stopped before its end (status $st); the checks after it did not run"
	log "logs: $(rel "$logs")/; $(mmss $((SECONDS - run_start))) in all; slowest:"
	sort -k 2 -n -r "$run_times" | head -n 5 | while read -r n s; do
		log "  $(mmss "$s") $n"
	done
	# Keep the times of every check that ran; the others', from before.
	{ cat "$run_times"; [ -f "$times" ] && cat "$times"; } |
		awk '!($1 in t) { t[$1] = $2; o[++n] = $1 } END { for (i = 1; i <= n; i++) print o[i], t[o[i]] }' \
		>"$times.$$" && mv "$times.$$" "$times"
	echo "$passed passed, $failed failed, $skipped skipped"
	# An exit without a status in a trap keeps the one from before it.
	[ $failed = 0 ] && [ -n "$done_all" ] && exit 0
	exit 1
}
ticker_fd=''
run_start=$SECONDS
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${QUICK:-}" ]; then
	lane_run quick_checks
elif [ "$KVER_LIST" = debug ]; then
	lane_run debug_lane
else
	start_host_lane
	lane_run main_checks
	if kill -0 "$host_lane_pid" 2>/dev/null; then
		log "waiting for the host lane (build/check/host-lane.out)"
	fi
	wait "$host_lane_pid"
fi
done_all=yes
