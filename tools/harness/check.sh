#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make check: build with W=1, static checks, KUnit and the QEMU suite.
# Every check prints PASS or FAIL; the last line is "N passed, M failed"
# and the status is non-zero if anything failed. Logs: build/check/.
set -u
. "$(dirname "$0")/lib.sh"

KVER=${KVER:-6.1}
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

log "W=1 build of async_notify.ko for Linux $KVER"
if ! make -C "$TOP" modules KVER="$KVER" >"$logs/build.log" 2>&1; then
	result build "the module does not build (build/check/build.log)"
elif grep -q 'warning:' "$logs/build.log"; then
	result build "$(grep -m1 'warning:' "$logs/build.log")"
else
	result build ""
fi

log "userspace tools with -Werror"
make -s -C "$TOP/tools" O="$logs/host" CFLAGS="-O2 -Werror" >"$logs/tools.log" 2>&1
result tools-build "$([ $? = 0 ] || echo "see build/check/tools.log")"

log "checkpatch --strict on the C files and headers"
eval "$("$TOP/tools/harness/source.sh" "$KVER")"
cfiles=$(cd "$TOP" && git ls-files -co --exclude-standard '*.c' '*.h')
: >"$logs/checkpatch.log"
why=
for f in $cfiles; do
	(cd "$TOP" && perl "$SRC/scripts/checkpatch.pl" --strict --no-tree --quiet \
		-f "$f") >>"$logs/checkpatch.log" 2>&1 ||
		why="${why:+$why, }$f"
done >/dev/null
result checkpatch "${why:+not clean: $why}"

log "dt-doc-validate on the binding"
bindings=$TOP/Documentation/devicetree/bindings
dt-doc-validate -u "$bindings" "$bindings/misc/linux,async-notify.yaml" >"$logs/binding.log" 2>&1
result binding "$([ -s "$logs/binding.log" ] && head -n 2 "$logs/binding.log")"

log "KUnit (UML)"
"$TOP/tools/harness/kunit.sh" "$KVER" >"$logs/kunit.log" 2>&1
st=$?
sed -n 's/.*\[PASSED\] \(async_notify_test_.*\)/PASS: kunit-\1/p
	s/.*\[FAILED\] \(async_notify_test_.*\)/FAIL: kunit-\1: see build\/check\/kunit.log/p' \
	"$logs/kunit.log" >"$logs/kunit.results"
suite kunit $st "$logs/kunit.results"

log "the QEMU virt suite"
"$TOP/tools/harness/test-virt.sh" >"$logs/virt.log" 2>&1
st=$?
grep -E '^(PASS|FAIL): ' "$logs/virt.log" >"$logs/virt.results"
suite virt $st "$logs/virt.results"

echo "$passed passed, $failed failed"
[ $failed = 0 ]
