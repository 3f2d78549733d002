#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot Debian's arm64 kernel on QEMU's Raspberry Pi 3 Model B (raspi3b, TCG).
#
# Usage: qemu-raspi.sh [--timeout SECS] [--interactive] [--append ARGS]
#                      [--kernel IMAGE] --initrd INITRD --dtb DTB
#
# DTB: a Raspberry Pi 3 B tree, e.g. from tools/harness/dtb-raspi.sh.
# Prints the guest's console on stdout, line by line. Ends at the guest's
# "async-notify: guest done rc=N" and exits N; 124 after SECS (default
# 300); 125 when QEMU stops without that line; 1 when the harness itself
# fails. The board does not power off: QEMU is killed once the guest halts.
# --interactive: the terminal is the console (Ctrl-A X quits, as leaving
# the guest's shell only halts it), no timeout unless given, exits with
# QEMU's status. QEMU never outlives this script.
set -eu
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

# The board's fixed memory size; the console is its PL011 (ttyAMA0).
RASPI_MACHINE="-M raspi3b -m 1G"

usage="usage: $0 [--timeout SECS] [--interactive] [--append ARGS] [--kernel IMAGE] --initrd INITRD --dtb DTB"
timeout='' interactive='' append='' kernel='' initrd='' dtb=''
while [ $# -gt 0 ]; do
	case $1 in
	--interactive) interactive=1; shift; continue ;;
	--timeout | --append | --kernel | --initrd | --dtb)
		[ $# -ge 2 ] || die "$1 needs a value" "$usage" ;;
	*) die "unknown argument '$1'" "$usage" ;;
	esac
	case $1 in
	--timeout) timeout=$2 ;;
	--append) append=$2 ;;
	--kernel) kernel=$2 ;;
	--initrd) initrd=$2 ;;
	--dtb) dtb=$2 ;;
	esac
	shift 2
done
[ -f "$initrd" ] || die "no initramfs '$initrd'" "build one with tools/harness/initramfs.sh; $usage"
[ -f "$dtb" ] || die "no DTB '$dtb'" "build one with tools/harness/dtb-raspi.sh; $usage"
[[ ${timeout:-300} =~ ^[1-9][0-9]*$ ]] || die "bad --timeout '$timeout'" "give whole seconds"
command -v qemu-system-aarch64 >/dev/null || die "qemu-system-aarch64 is missing" "run tools/harness/deps.sh"
if [ -z "$kernel" ]; then
	eval "$("$TOP/tools/harness/kernel.sh" "${KVER:-6.1}")"
	kernel=$VMLINUZ
fi

# shellcheck source=tools/harness/qemu-console.sh
. "$TOP/tools/harness/qemu-console.sh"

# shellcheck disable=SC2206
qemu=(qemu-system-aarch64 $RASPI_MACHINE -display none -no-reboot
	-kernel "$kernel" -initrd "$initrd" -dtb "$dtb"
	-append "console=ttyAMA0 panic=-1 loglevel=4 $append")

if [ -n "$interactive" ]; then
	log "Ctrl-A X quits QEMU (leaving the guest's shell only halts the board)"
	st=0
	if [ -n "$timeout" ]; then
		timeout --foreground "$timeout" setpriv --pdeathsig KILL "${qemu[@]}" \
			-serial mon:stdio || st=$?
		[ $st = 124 ] && log "timeout after $timeout s"
	else
		setpriv --pdeathsig KILL "${qemu[@]}" -serial mon:stdio || st=$?
	fi
	exit $st
fi

log "booting $(basename "$kernel") on raspi3b with $(basename "$dtb")"
# After the marker the guest halts ("reboot: System halted") and QEMU idles.
CONSOLE_LAST='reboot: System halted' CONSOLE_QUIET=2 \
	console_run "${timeout:-300}" "${qemu[@]}" -monitor none -serial stdio
