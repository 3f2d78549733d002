# SPDX-License-Identifier: GPL-2.0-only
# needs: debug-kernel
# The KUnit tests as a module, as a kernel builder loads them: kunit.ko,
# then async_notify_kunit.ko, whose suites run while it loads. Each
# suite's KTAP results come from the kernel log. Here,
# unlike under UML, the cases run under KASAN, lockdep and UBSAN on
# arm64 with real preemption, and the module must load: a symbol the
# driver does not export fails the insmod (and the build before it).
# checks: 3
# timeout: 300
# shellcheck shell=sh

why=
insmod ./kunit.ko || why="insmod kunit.ko failed"
[ -n "$why" ] || insmod ./async_notify_kunit.ko ||
	why="insmod async_notify_kunit.ko failed: $(dmesg | grep -i 'unknown symbol' | tail -n 3 | tr '\n' ' ')"
result kunit-module-load "$why"

# kunit_suite SUITE: one result for SUITE, from its KTAP lines in the
# kernel log (debugfs's copy keeps 512 bytes of each case's log: a
# failing case's result line can be cut from it). The suite's lines run
# from "    # Subtest: SUITE" and its plan "    1..N" to its own line,
# "ok K SUITE" or "not ok K SUITE"; a case's line is "    ok N name",
# "    ok N name # SKIP why" or "    not ok N name" (after 6.1, KTAP puts
# "- " before the name).
kunit_suite() {
	_ktap=/tmp/kunit-$1.ktap
	sed -E 's/^\[[ 0-9.]*\] //' /tmp/kunit.log |
		sed -En "/^    # Subtest: $1\$/,/^(not )?ok [0-9]+ (- )?$1\$/p" >"$_ktap"
	_plan=$(sed -n 's/^    1\.\.\([0-9]*\)$/\1/p' "$_ktap")
	_cases=$(grep -cE '^    (not )?ok [0-9]+ ' "$_ktap")
	_failed=$(sed -En 's/^    not ok [0-9]+ (- )?([^ #]*).*/\2/p' "$_ktap" | tr '\n' ' ')
	_skipped=$(grep -cE '^    ok [0-9]+ .*# SKIP' "$_ktap")
	_suite=$(sed -En "s/^((not )?ok) [0-9]+ (- )?$1\$/\1/p" "$_ktap")
	echo "kunit-$1: $_cases of ${_plan:-?} cases, $_skipped skipped, suite $_suite${_failed:+, failed: $_failed}"
	if [ -z "$_suite" ] || [ -z "$_plan" ]; then
		result "kunit-$1" "no KTAP result for the suite in the kernel log: it did not run"
	elif [ "$_suite" != ok ] || [ -n "$_failed" ] || [ "$_cases" != "$_plan" ]; then
		result "kunit-$1" "$_suite, failed: ${_failed:-?}($_cases of $_plan case lines)"
		sed 's/^/    /' "$_ktap"
	elif [ "$_skipped" = "$_cases" ]; then
		skip "kunit-$1" "all $_cases cases skipped: $(sed -n 's/.*# SKIP //p' "$_ktap" | head -n 1)"
	else
		result "kunit-$1" ""
	fi
}

if [ -z "$why" ]; then
	dmesg >/tmp/kunit.log
	kunit_suite async_notify
	kunit_suite async_notify_driver
	rmmod async_notify_kunit || echo "rmmod async_notify_kunit failed"
	rmmod kunit || echo "rmmod kunit failed"
fi
