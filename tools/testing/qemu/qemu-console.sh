# SPDX-License-Identifier: GPL-2.0-only
# Shared by the QEMU boot scripts: run QEMU, relay its console, end on the guest's marker.
# shellcheck shell=bash
#
# Source after lib.sh, from bash. Then:
#   console_args DTB-TOOL "$@"   parses and checks the common options;
#   console_interactive QEMU-COMMAND...   runs QEMU on the terminal;
#   console_run TIMEOUT QEMU-COMMAND...
# starts QEMU with its serial console on a pipe (give "-serial stdio" in
# the command), prints each console line on stdout and passes it to the
# function console_line, if the caller defined one. It ends at the guest's
# "async-notify: guest done rc=N" and exits N; 124 after TIMEOUT seconds;
# 125 when QEMU stops without that line. After the marker it keeps
# printing until QEMU stops, CONSOLE_QUIET seconds pass without output
# (default 5), or a line matches CONSOLE_LAST (an extended regex). QEMU
# never outlives the caller: it is killed on exit, however that happens.
#
# With KSCAN=1 (the debug kernel's kernel.sh variables say so) the console
# is also scanned for kernel reports: KASAN, UBSAN, lockdep, sleeping in
# atomic context, WARN, oops and panic, kmemleak, hung tasks, RCU stalls
# and workqueue lockups. A run that showed one ends with a line "FAIL:
# kernel-report: FIRST-LINE" and the report quoted, and fails (status 1
# unless it failed already), whether the guest finished or panicked.

# console_args DTB-TOOL "$@": the boot scripts' common options, checked,
# into timeout, interactive, append, kernel, initrd and dtb.
# shellcheck disable=SC2034 # they are the caller's
console_args() {
	local tool=$1 usage
	shift
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
	[ -f "$initrd" ] || die "no initramfs '$initrd'" "build one with tools/testing/image/initramfs.sh; $usage"
	[ -f "$dtb" ] || die "no DTB '$dtb'" "build one with tools/testing/image/$tool; $usage"
	[[ ${timeout:-300} =~ ^[1-9][0-9]*$ ]] || die "bad --timeout '$timeout'" "give whole seconds"
	command -v qemu-system-aarch64 >/dev/null || die "qemu-system-aarch64 is missing" "run tools/testing/host/deps.sh"
	if [ -z "$kernel" ]; then
		eval "$("$TOP/tools/testing/kernels/kernel.sh" "${KVER:-6.1}")"
		kernel=$VMLINUZ
	fi
}

# console_interactive QEMU-COMMAND...: the terminal is the console (and
# QEMU's monitor, Ctrl-A C); --timeout still applies. Exits with QEMU.
console_interactive() {
	local st=0
	if [ -n "$timeout" ]; then
		timeout --foreground "$timeout" setpriv --pdeathsig KILL "$@" \
			-serial mon:stdio || st=$?
		[ $st = 124 ] && log "timeout after $timeout s"
	else
		setpriv --pdeathsig KILL "$@" -serial mon:stdio || st=$?
	fi
	exit $st
}

console_tmp=$(mktemp -d)
console_qpid=''
console_children=''

# shellcheck disable=SC2317 # called by the trap
console_cleanup() {
	set +e
	# Only helpers still running: a PID reaped before may have been reused.
	for p in $console_children; do
		jobs -rp | grep -qx "$p" && kill -- "-$p" 2>/dev/null
	done
	if [ -n "$console_qpid" ] && kill -0 "$console_qpid" 2>/dev/null; then
		kill "$console_qpid"
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$console_qpid" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$console_qpid" 2>/dev/null
	fi
	wait 2>/dev/null
	rm -rf "$console_tmp"
}
trap console_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Lines that start a kernel report; the report is this line and the
# CONSOLE_REPORT_LINES (default 40) after it.
console_report_re='(^|[^A-Z])(BUG|WARNING|UBSAN): |Unable to handle kernel |Internal error: |Kernel panic - not syncing|INFO: task .* blocked for more than|INFO: rcu.*detected.* stall|INFO: trying to register non-static key|kmemleak: [0-9]+ new suspected memory leaks|unreferenced object 0x'
console_report_left=0

# console_scan LINE: keep LINE if it starts or continues a kernel report.
console_scan() {
	[ "${KSCAN:-}" = 1 ] || return 0
	if [[ $1 =~ $console_report_re ]]; then
		[ -f "$console_tmp/report" ] || printf '%s\n' "$1" >"$console_tmp/report.first"
		console_report_left=$((${CONSOLE_REPORT_LINES:-40} + 1))
	fi
	if [ "$console_report_left" -gt 0 ]; then
		printf '%s\n' "$1" >>"$console_tmp/report"
		console_report_left=$((console_report_left - 1))
	fi
}

# console_exit STATUS: exit, failing with the reports if the console showed any.
console_exit() {
	local st=$1
	if [ -f "$console_tmp/report" ]; then
		echo "FAIL: kernel-report: $(sed 's/^\[ *[0-9.]*\] //' "$console_tmp/report.first")"
		sed 's/^/    | /' "$console_tmp/report"
		log "the kernel reported a problem (quoted above, after the FAIL line)"
		[ "$st" = 0 ] && st=1
	fi
	exit "$st"
}

# console_spawn COMMAND...: start a helper in a session of its own, its
# PID in $console_spawned; on exit the helper and its children (a
# pipeline's, say) are killed too, if it still runs.
console_spawned=''
console_spawn() {
	setsid "$@" &
	console_spawned=$!
	console_children="$console_children $console_spawned"
}

console_run() {
	local timeout=$1 start=$SECONDS deadline left line rc st
	shift
	mkfifo "$console_tmp/console"
	# Warnings and errors reach the console; the guest reads dmesg for the rest.
	# QEMU dies with this script even when it is killed with SIGKILL.
	setpriv --pdeathsig KILL "$@" <"/dev/null" >"$console_tmp/console" \
		2>"$console_tmp/qemu.log" &
	console_qpid=$!
	exec 3<"$console_tmp/console"
	deadline=$((SECONDS + timeout))
	rc=
	while :; do
		left=$((deadline - SECONDS))
		[ $left -gt 0 ] || { log "timeout after $timeout s"; console_exit 124; }
		if IFS= read -r -t "$left" line <&3; then
			line=${line%$'\r'}
			printf '%s\n' "$line"
			console_scan "$line"
			if [[ $line =~ async-notify:\ guest\ done\ rc=([0-9]+) ]]; then
				rc=${BASH_REMATCH[1]}
				break
			fi
			if declare -F console_line >/dev/null; then
				console_line "$line"
			fi
		elif [ $? -gt 128 ]; then
			log "timeout after $timeout s"
			console_exit 124
		else
			if [ -n "$line" ]; then
				printf '%s\n' "${line%$'\r'}"
				console_scan "${line%$'\r'}"
			fi
			st=0
			wait "$console_qpid" || st=$?
			console_qpid=
			sed "s/^/$ME: qemu: /" "$console_tmp/qemu.log" >&2
			log "QEMU stopped (status $st) after $((SECONDS - start)) s without the guest's \"async-notify: guest done rc=N\""
			console_exit 125
		fi
	done

	# Let the guest finish, showing what it still prints.
	while IFS= read -r -t "${CONSOLE_QUIET:-5}" line <&3; do
		line=${line%$'\r'}
		printf '%s\n' "$line"
		console_scan "$line"
		[ -n "${CONSOLE_LAST:-}" ] && [[ $line =~ $CONSOLE_LAST ]] && break
	done
	log "guest done rc=$rc after $((SECONDS - start)) s"
	console_exit "$rc"
}
