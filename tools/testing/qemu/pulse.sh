#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Pulse QEMU virt's power-button GPIO line (pl061 line 3) N times.
#
# Usage: pulse.sh SOCKET N [MS]   (SOCKET: the HMP monitor's unix socket)
# Each system_powerdown raises the line for 100 ms (QEMU's gpio-key
# device, on the guest's clock); pulses are MS milliseconds apart
# (default 400). A command that comes while the line is still high only
# keeps it high longer, so the floor is the pulse plus a margin for the
# host's scheduling of QEMU's main loop: every pulse stays its own edge.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

PULSE_MS=100
MIN_SPACING_MS=$((PULSE_MS + 50))
MAX_SPACING_MS=5000

[ $# = 2 ] || [ $# = 3 ] || die "usage: $0 SOCKET N [MS]" "qemu-virt.sh prints the monitor socket's path"
sock=$1
n=$2
ms=${3:-400}
case $n in
[1-9] | [1-9][0-9] | 100) ;;
*) die "N must be 1 to 100, not '$n'" "give a count from 1 to 100" ;;
esac
case $ms in
*[!0-9]* | '' | 0*) die "MS must be a number of milliseconds, not '$ms'" "give $MIN_SPACING_MS to $MAX_SPACING_MS" ;;
esac
if [ "$ms" -lt $MIN_SPACING_MS ] || [ "$ms" -gt $MAX_SPACING_MS ]; then
	die "MS must be $MIN_SPACING_MS to $MAX_SPACING_MS, not $ms" \
		"a pulse lasts $PULSE_MS ms: closer pulses would merge into one edge"
fi
[ -S "$sock" ] || die "no monitor socket at $sock" "is QEMU (tools/testing/qemu/qemu-virt.sh) running?"

spacing=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
log "$n pulse(s), $ms ms apart"
i=0
while [ "$i" -lt "$n" ]; do
	echo system_powerdown
	sleep "$spacing"
	i=$((i + 1))
done | socat - "UNIX-CONNECT:$sock" >/dev/null ||
	die "cannot talk to the monitor at $sock" "is QEMU (tools/testing/qemu/qemu-virt.sh) running?"
