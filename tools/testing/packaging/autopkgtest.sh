#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# debian/tests (autopkgtest) against the packages make deb built, with
# the null runner: on this machine, which it changes (apt installs the
# packages), so root only, one at a time, and the packages are removed
# again, also on failure. The dkms test also builds for Debian's arm64
# kernel from the cache (KVER, 6.1 by default; ASYNC_NOTIFY_KDIRS), as
# this x86_64 machine's own kernels have no CONFIG_OF or no headers.
# Every test must pass: a skipped one fails here. Output:
# build/deb/autopkgtest/.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

# shellcheck source=tools/testing/packaging/install-lib.sh
. "$(dirname "$0")/install-lib.sh"
command -v autopkgtest >/dev/null || die "autopkgtest is missing" "run tools/testing/host/deps.sh"
files="$deb/async-notify_$debver.dsc $deb/async-notify-dkms_${debver}_all.deb
$deb/async-notify-tools_${debver}_$arch.deb $deb/python3-async-notify_${debver}_all.deb"
for f in $files; do
	[ -f "$f" ] || die "no $f" "make deb"
done
eval "$("$TOP/tools/testing/kernels/kernel.sh" "${KVER:-6.1}")"

remove() {
	log "dpkg -P $pkgs"
	# shellcheck disable=SC2086 # the package names
	dpkg -P $pkgs >/dev/null 2>&1 || true
}
trap remove EXIT

out=$deb/autopkgtest
rm -rf "$out"
log "autopkgtest (null runner) on $(for f in $files; do basename "$f"; done | xargs)"
st=0
# shellcheck disable=SC2086 # the files
autopkgtest --output-dir "$out" --env "ASYNC_NOTIFY_KDIRS=$KDIR" \
	$files -- null || st=$?
echo "autopkgtest: summary:"
sed 's/^/autopkgtest:   /' "$out/summary"
[ $st = 0 ] || die "autopkgtest exited $st (2: a test was skipped, 4: one failed, 8: none ran)" \
	"see the output above and build/deb/autopkgtest/"
for t in tools python dkms; do
	grep -Eq "^$t +PASS" "$out/summary" || die "the $t test did not pass" "see build/deb/autopkgtest/$t-stdout"
done
