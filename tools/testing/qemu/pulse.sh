#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Pulse QEMU virt's power-button GPIO line (pl061 line 3) N times.
#
# Usage: pulse.sh SOCKET N   (SOCKET: the HMP monitor's unix socket)
# Each system_powerdown raises the line for about 100 ms; pulses are 400 ms
# apart so that every one is a separate rising edge.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

[ $# = 2 ] || die "usage: $0 SOCKET N" "qemu-virt.sh prints the monitor socket's path"
sock=$1
n=$2
case $n in
[1-9] | [1-9][0-9] | 100) ;;
*) die "N must be 1 to 100, not '$n'" "give a count from 1 to 100" ;;
esac
[ -S "$sock" ] || die "no monitor socket at $sock" "is QEMU (tools/testing/qemu/qemu-virt.sh) running?"

log "$n pulse(s)"
i=0
while [ "$i" -lt "$n" ]; do
	echo system_powerdown
	sleep 0.4
	i=$((i + 1))
done | socat - "UNIX-CONNECT:$sock" >/dev/null ||
	die "cannot talk to the monitor at $sock" "is QEMU (tools/testing/qemu/qemu-virt.sh) running?"
