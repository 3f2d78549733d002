#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot Debian's arm64 kernel on QEMU virt (TCG) and serve the guest's requests.
#
# Usage: qemu-virt.sh [--timeout SECS] [--interactive] [--append ARGS]
#                     [--kernel IMAGE] --initrd INITRD --dtb DTB
#
# Prints the guest's console on stdout, line by line. A guest line
# "@@pulse N@@" (N: 1..100) makes the host pulse GPIO line 3 N times
# (pulse.sh), "@@pulse N MS@@" MS milliseconds apart (pulse.sh's floor
# applies); the guest just waits for the interrupts. Ends at the guest's
# "async-notify: guest done rc=N" and exits N; 124 after SECS (default 300);
# 125 when QEMU stops without that line; 1 when the harness itself fails.
# --interactive: the terminal is the console (Ctrl-A X quits), no timeout
# unless given, exits with QEMU's status. QEMU never outlives this script.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"
# shellcheck source=tools/testing/qemu/virt.conf
. "$TOP/tools/testing/qemu/virt.conf"

# shellcheck source=tools/testing/qemu/qemu-console.sh
. "$TOP/tools/testing/qemu/qemu-console.sh"
console_args dtb.sh "$@"

sock=$console_tmp/monitor.sock

# shellcheck disable=SC2206
qemu=(qemu-system-aarch64 $VIRT_MACHINE -nographic -no-reboot
	-kernel "$kernel" -initrd "$initrd" -dtb "$dtb"
	-append "console=ttyAMA0 panic=-1 loglevel=4 ${KARGS:-} $append"
	-monitor "unix:$sock,server=on,wait=off")

if [ -n "$interactive" ]; then
	log "monitor socket: $sock"
	log "pulse GPIO line 3 N times with: $TOP/tools/testing/qemu/pulse.sh $sock N"
	log "Ctrl-A X quits QEMU; leaving the guest's shell powers it off"
	console_interactive "${qemu[@]}"
fi

# A guest line "@@pulse N [MS]@@" pulses GPIO line 3 N times (pulse.sh);
# "@@freeze N@@" stops QEMU for N seconds, so guest time jumps.
pulse_pid=''
console_line() {
	if [[ $1 =~ ^[[:space:]]*@@freeze\ ([1-9])@@[[:space:]]*$ ]]; then
		# At once: the guest asks only when ready (tests/40-timer.sh
		# waits for its listener's first frame; a listener reports a
		# gap only between two frames it saw). The sleep is the stop.
		kill -STOP "$console_qpid"
		sleep "${BASH_REMATCH[1]}"
		kill -CONT "$console_qpid"
		return 0
	fi
	[[ $1 =~ ^[[:space:]]*@@pulse\ ([0-9]+)(\ [0-9]+)?@@[[:space:]]*$ ]] || return 0
	# One monitor client at a time: finish the last request first.
	[ -n "$pulse_pid" ] && { wait "$pulse_pid" || true; }
	# shellcheck disable=SC2086 # the spacing, if any, is one word
	console_spawn "$TOP/tools/testing/qemu/pulse.sh" "$sock" "${BASH_REMATCH[1]}" ${BASH_REMATCH[2]}
	pulse_pid=$console_spawned
}
console_run "${timeout:-300}" "${qemu[@]}" -serial stdio
