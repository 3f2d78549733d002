#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot Debian's arm64 kernel on QEMU's Raspberry Pi 3 Model B (raspi3b, TCG).
#
# Usage: qemu-raspi.sh [--timeout SECS] [--interactive] [--append ARGS]
#                      [--kernel IMAGE] --initrd INITRD --dtb DTB
#
# DTB: a Raspberry Pi 3 B tree, e.g. from tools/testing/image/dtb-raspi.sh.
# Prints the guest's console on stdout, line by line. Ends at the guest's
# "async-notify: guest done rc=N" and exits N; 124 after SECS (default
# 300); 125 when QEMU stops without that line; 1 when the harness itself
# fails. The board does not power off: QEMU is killed once the guest halts.
# --interactive: the terminal is the console (Ctrl-A X quits, as leaving
# the guest's shell only halts it), no timeout unless given, exits with
# QEMU's status. QEMU never outlives this script.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

# The board's fixed memory size; the console is its PL011 (ttyAMA0).
RASPI_MACHINE="-M raspi3b -m 1G"

# shellcheck source=tools/testing/qemu/qemu-console.sh
. "$TOP/tools/testing/qemu/qemu-console.sh"
console_args dtb-raspi.sh "$@"

# shellcheck disable=SC2206
qemu=(qemu-system-aarch64 $RASPI_MACHINE -display none -no-reboot
	-kernel "$kernel" -initrd "$initrd" -dtb "$dtb"
	-append "console=ttyAMA0 panic=-1 loglevel=4 $append")

if [ -n "$interactive" ]; then
	log "Ctrl-A X quits QEMU (leaving the guest's shell only halts the board)"
	console_interactive "${qemu[@]}"
fi

log "booting $(basename "$kernel") on raspi3b with $(basename "$dtb")"
# After the marker the guest halts ("reboot: System halted") and QEMU idles.
CONSOLE_LAST='reboot: System halted' CONSOLE_QUIET=2 \
	console_run "${timeout:-300}" "${qemu[@]}" -monitor none -serial stdio
