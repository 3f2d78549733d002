#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run the Raspberry Pi overlay checks on QEMU raspi3b; exit non-zero if one failed.
#
# Usage: test-raspi.sh [BOOT...]   only those boots, e.g. test-raspi.sh params
#        RASPI_OVERLAY=FILE.dtbo test-raspi.sh   boot that overlay instead
#
# Each tools/testing/raspi/BOOT.sh is one boot: its "# config.txt:" line
# names the overlay parameters (dts/async-notify-overlay.dts, applied by
# dtb-raspi.sh as the firmware would) and the file checks the result in
# the guest. Before booting, the host checks three parameters that need no
# guest. Prints every console, one PASS/FAIL line per check, and ends with
# "raspi: N passed, M failed". Logs and DTBs: build/KVER/raspi/.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

KVER=${KVER:-6.1}
export KVER
TT=$TOP/tools/testing
T=$TOP/tools/testing/raspi
out=$TOP/build/$KVER/raspi
mkdir -p "$out"
# The overlay the top Makefile compiles, which the Debian package
# installs (deb-contents.sh compares them), or RASPI_OVERLAY, a .dtbo to
# boot instead (e.g. the one a package installed); kept in $out.
if [ -n "${RASPI_OVERLAY:-}" ]; then
	cp "$RASPI_OVERLAY" "$out/async-notify.dtbo"
else
	make -s -C "$TOP" async-notify.dtbo
	cp "$TOP/async-notify.dtbo" "$out/async-notify.dtbo"
fi
OVERLAY=$out/async-notify.dtbo
log "overlay: ${RASPI_OVERLAY:-async-notify.dtbo (make)}, sha256 $(sha256sum "$OVERLAY" | cut -c1-16)"
: >"$out/host.results"

host_result() {	# host_result NAME WHY (empty WHY: passed)
	if [ -z "$2" ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: $2"
	fi | tee -a "$out/host.results"
}

# The boots: every *.sh here but this script.
boot_files=$(for f in "$T"/*.sh; do
	[ "$(basename "$f")" = test-raspi.sh ] || echo "$f"
done)
boots=
for f in $boot_files; do
	b=$(basename "$f" .sh)
	if [ $# -gt 0 ]; then
		case " $* " in *" $b "*) ;; *) continue ;; esac
	fi
	grep -q '^# config.txt: dtoverlay=async-notify' "$f" ||
		die "$f has no '# config.txt: dtoverlay=async-notify[,PARAMS]' line" \
			"add one: it names the boot's overlay parameters"
	boots="$boots $b"
done
[ -n "$boots" ] || die "no boot named '$*'" \
	"choose from: $(for f in $boot_files; do basename "$f" .sh; done | xargs)"

log "host checks of the overlay parameters"
why=
if "$TT/image/dtb-raspi.sh" "$out/irq-off.dtb" "$OVERLAY" irq=off,timer 2>"$out/irq-off.log"; then
	nodes=$(fdtget -l "$out/irq-off.dtb" / | grep async | xargs)
	[ "$nodes" = async-notify-timer ] || why="root nodes '$nodes', want 'async-notify-timer'"
	fdtget -l "$out/irq-off.dtb" /soc/gpio@7e200000 | grep -q async &&
		why="${why:+$why; }the pin node is still there"
else
	why="dtb-raspi.sh failed: $(tail -n 1 "$out/irq-off.log")"
fi
host_result host-param-irq-off-timer "$why"
why=
if "$TT/image/dtb-raspi.sh" "$out/bad.dtb" "$OVERLAY" mode=fast 2>"$out/bad.log"; then
	why="mode=fast was accepted"
else
	grep -q "value 'fast' is not one of {latest,fifo,queue}" "$out/bad.log" ||
		why="no clear reason: $(tail -n 2 "$out/bad.log" | xargs)"
fi
host_result host-param-bad-value-refused "$why"
why=
if "$TT/image/dtb-raspi.sh" "$out/queue.dtb" "$OVERLAY" mode=queue,timer 2>"$out/queue.log"; then
	for n in async-notify async-notify-timer; do
		m=$(fdtget "$out/queue.dtb" "/$n" linux,mode 2>&1)
		[ "$m" = queue ] || why="${why:+$why; }$n: linux,mode '$m', want 'queue'"
	done
else
	why="dtb-raspi.sh failed: $(tail -n 1 "$out/queue.log")"
fi
host_result host-param-mode-queue "$why"

# shellcheck disable=SC2086 # paths without spaces
"$TT/image/build-guest.sh" "$out" "$T/run" "$TOP/tools/testing/virt/lib.sh" $boot_files

for b in $boots; do
	params=$(sed -n 's/^# config.txt: dtoverlay=async-notify,\{0,1\}//p' "$T/$b.sh")
	# shellcheck disable=SC2086 # config.txt's comma list, no spaces
	"$TT/image/dtb-raspi.sh" "$out/$b.dtb" "$OVERLAY" $params
	log "booting raspi3b for '$b' (dtoverlay=async-notify${params:+,$params})"
	start=$(date +%s)
	{
		st=0
		"$TT/qemu/qemu-raspi.sh" --timeout 600 --initrd "$out/initrd.gz" \
			--dtb "$out/$b.dtb" --append "an_raspi=$b" || st=$?
		echo $st >"$out/$b.status"
	} | tee "$out/$b.log"
	st=$(cat "$out/$b.status")
	log "boot '$b' ended with status $st after $(($(date +%s) - start)) s"
	grep -E '^(PASS|FAIL|SKIP): ' "$out/$b.log" >"$out/$b.results" || true
	# A boot that failed without saying which check did fails as a whole.
	if [ "$st" != 0 ] && ! grep -q '^FAIL: ' "$out/$b.results"; then
		echo "FAIL: $b-boot: qemu-raspi.sh exited $st (build/$KVER/raspi/$b.log)" |
			tee -a "$out/$b.results"
	fi
done

passed=0 failed=0
for r in "$out/host.results" $(for b in $boots; do echo "$out/$b.results"; done); do
	passed=$((passed + $(grep -c '^PASS: ' "$r" || true)))
	failed=$((failed + $(grep -c '^FAIL: ' "$r" || true)))
done
echo "raspi: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
