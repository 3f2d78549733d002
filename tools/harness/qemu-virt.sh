#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot Debian's arm64 kernel on QEMU virt (TCG) and serve the guest's requests.
#
# Usage: qemu-virt.sh [--timeout SECS] [--interactive] [--append ARGS]
#                     [--kernel IMAGE] --initrd INITRD --dtb DTB
#
# Prints the guest's console on stdout, line by line. A guest line
# "@@pulse N@@" (N: 1..100) makes the host pulse GPIO line 3 N times
# (pulse.sh); the guest just waits for the interrupts. Ends at the guest's
# "async-notify: guest done rc=N" and exits N; 124 after SECS (default 300);
# 125 when QEMU stops without that line; 1 when the harness itself fails.
# --interactive: the terminal is the console (Ctrl-A X quits), no timeout
# unless given, exits with QEMU's status. QEMU never outlives this script.
set -eu
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tools/harness/virt.conf
. "$TOP/tools/harness/virt.conf"

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
[ -f "$dtb" ] || die "no DTB '$dtb'" "build one with tools/harness/dtb.sh; $usage"
[[ ${timeout:-300} =~ ^[1-9][0-9]*$ ]] || die "bad --timeout '$timeout'" "give whole seconds"
command -v qemu-system-aarch64 >/dev/null || die "qemu-system-aarch64 is missing" "run tools/harness/deps.sh"
if [ -z "$kernel" ]; then
	eval "$("$TOP/tools/harness/kernel.sh" "${KVER:-6.1}")"
	kernel=$VMLINUZ
fi

tmp=$(mktemp -d)
sock=$tmp/monitor.sock
qpid='' pulse_pid=''
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	set +e
	[ -n "$pulse_pid" ] && kill "$pulse_pid" 2>/dev/null
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid"
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$qpid" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$qpid" 2>/dev/null
	fi
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Warnings and errors reach the console; the guest reads dmesg for the rest.
# QEMU dies with this script even when it is killed with SIGKILL.
# shellcheck disable=SC2206
qemu=(setpriv --pdeathsig KILL qemu-system-aarch64 $VIRT_MACHINE -nographic -no-reboot
	-kernel "$kernel" -initrd "$initrd" -dtb "$dtb"
	-append "console=ttyAMA0 panic=-1 loglevel=4 $append"
	-monitor "unix:$sock,server=on,wait=off")
start=$SECONDS

if [ -n "$interactive" ]; then
	log "monitor socket: $sock"
	log "pulse GPIO line 3 N times with: $TOP/tools/harness/pulse.sh $sock N"
	log "Ctrl-A X quits QEMU; leaving the guest's shell powers it off"
	st=0
	if [ -n "$timeout" ]; then
		timeout --foreground "$timeout" "${qemu[@]}" -serial mon:stdio || st=$?
		[ $st = 124 ] && log "timeout after $timeout s"
	else
		"${qemu[@]}" -serial mon:stdio || st=$?
	fi
	exit $st
fi

timeout=${timeout:-300}
mkfifo "$tmp/console"
"${qemu[@]}" -serial stdio <"/dev/null" >"$tmp/console" 2>"$tmp/qemu.log" &
qpid=$!
exec 3<"$tmp/console"
deadline=$((SECONDS + timeout))
rc=
while :; do
	left=$((deadline - SECONDS))
	[ $left -gt 0 ] || { log "timeout after $timeout s"; exit 124; }
	if IFS= read -r -t "$left" line <&3; then
		line=${line%$'\r'}
		printf '%s\n' "$line"
		if [[ $line =~ async-notify:\ guest\ done\ rc=([0-9]+) ]]; then
			rc=${BASH_REMATCH[1]}
			break
		elif [[ $line =~ ^[[:space:]]*@@pulse\ ([0-9]+)@@[[:space:]]*$ ]]; then
			# One monitor client at a time: finish the last request first.
			[ -n "$pulse_pid" ] && { wait "$pulse_pid" || true; }
			"$TOP/tools/harness/pulse.sh" "$sock" "${BASH_REMATCH[1]}" &
			pulse_pid=$!
		fi
	elif [ $? -gt 128 ]; then
		log "timeout after $timeout s"
		exit 124
	else
		[ -n "$line" ] && printf '%s\n' "${line%$'\r'}"
		st=0
		wait "$qpid" || st=$?
		qpid=
		sed "s/^/$ME: qemu: /" "$tmp/qemu.log" >&2
		log "QEMU stopped (status $st) after $((SECONDS - start)) s without the guest's \"async-notify: guest done rc=N\""
		exit 125
	fi
done

# Let the guest power off by itself, showing what it still prints.
while IFS= read -r -t 5 line <&3; do
	printf '%s\n' "${line%$'\r'}"
done
log "guest done rc=$rc after $((SECONDS - start)) s"
exit "$rc"
