#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make check: the W=1 build, static checks, DKMS, KUnit and the QEMU suite.
# Every check prints PASS or FAIL; the last line is "N passed, M failed"
# and the status is non-zero if anything failed. Logs: build/check/.
set -u
. "$(dirname "$0")/lib.sh"

KVER=${KVER:-6.1}
export KVER
H=$TOP/tools/harness
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
	local name=$1
	shift
	log "$name"
	if "$@" >"$logs/$name.log" 2>&1; then
		result "$name" ""
	else
		result "$name" "$(tail -n 2 "$logs/$name.log" | tr '\n' ' ')(build/check/$name.log)"
	fi
}

# suite NAME STATUS RESULTS: count the PASS and FAIL lines of a suite; a
# suite that failed without a FAIL line, or ran nothing, fails as a whole.
suite() {
	local p f
	cat "$3"
	p=$(grep -c '^PASS: ' "$3")
	f=$(grep -c '^FAIL: ' "$3")
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $((p + f)) = 0 ]; then
		result "$1" "no test ran (build/check/$1.log)"
	elif [ "$2" != 0 ] && [ "$f" = 0 ]; then
		result "$1" "exit status $2 (build/check/$1.log)"
	fi
}

# The module builds with W=1 (and sparse, C=2) without a single warning.
build_module() {
	make -C "$TOP" modules KVER="$KVER" "$@" 2>&1 | tee /dev/stderr |
		grep -E 'warning:|error:' && return 1
	[ -f "$TOP/async_notify.ko" ]
}

checkpatch() {
	local f st=0
	eval "$("$H/source.sh" "$KVER")"
	# The design documents' programs are kept unchanged, style and all.
	for f in $(cd "$TOP" && git ls-files -co --exclude-standard '*.c' '*.h' |
		grep -v '^tools/testing/seeds/'); do
		(cd "$TOP" && perl "$SRC/scripts/checkpatch.pl" --strict --no-tree \
			--quiet -f "$f") || st=1
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
	"$H/dtb.sh" "$logs/virt.dtb" "$TOP/dts/async-notify-virt.dtso" &&
		"$H/dtb-raspi.sh" "$logs/raspi.dtb" "$TOP/dts/async-notify-overlay.dts" timer &&
		"$H/dt-check.sh" "$logs/virt.dtb" "$logs/raspi.dtb" || return 1
	"$H/dtb.sh" "$logs/invalid.dtb" "$TOP/dts/async-notify-virt.dtso" \
		"$TOP/dts/async-notify-virt-invalid.dtso" || return 1
	! "$H/dt-check.sh" "$logs/invalid.dtb" >"$logs/invalid.out" &&
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

step build-w1 build_module
step tools-build make -C "$TOP/tools" O="$logs/host" CFLAGS="-O2 -Werror"
step docs-help docs_help
step sparse build_module C=2
step checkpatch checkpatch
step binding binding
step dt-validate dt_validate
step dkms "$H/dkms-check.sh"

log "KUnit (UML)"
"$H/kunit.sh" "$KVER" >"$logs/kunit.log" 2>&1
st=$?
sed -n 's/.*\[PASSED\] \(async_notify_test_.*\)/PASS: kunit-\1/p
	s/.*\[FAILED\] \(async_notify_test_.*\)/FAIL: kunit-\1: see build\/check\/kunit.log/p' \
	"$logs/kunit.log" >"$logs/kunit.results"
suite kunit $st "$logs/kunit.results"

log "the QEMU virt suite"
"$H/test-virt.sh" >"$logs/virt.log" 2>&1
st=$?
grep -E '^(PASS|FAIL): ' "$logs/virt.log" >"$logs/virt.results"
suite virt $st "$logs/virt.results"

log "the QEMU raspi3b checks"
"$H/test-raspi.sh" >"$logs/raspi.log" 2>&1
st=$?
grep -E '^(PASS|FAIL): ' "$logs/raspi.log" >"$logs/raspi.results"
suite raspi $st "$logs/raspi.results"

echo "$passed passed, $failed failed"
[ $failed = 0 ]
