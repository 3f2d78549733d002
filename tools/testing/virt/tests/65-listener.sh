# SPDX-License-Identifier: GPL-2.0-only
# async-notify-listen prints what writers send line by line, whole, on
# every method: lines longer than a frame, lines split across reads, one
# line per command-line message; and an rtsig subscriber survives a
# real-time signal queue that overflows.
# checks: 6
# shellcheck shell=sh disable=SC2154 # $pid: set by listen() in lib.sh

# zeros N: N "0" characters.
zeros() {
	head -c "$1" /dev/zero | tr '\0' 0
}

# A writer's line longer than a frame is data, whole (or as truncated by
# a smaller buffer), even when it starts like a frame.
why=
out=/tmp/long.out
for size in 200 1000; do
	msg="seq=1 ts=$(zeros $((size - 10)))1"
	for spec in globalfifo:4096 async_n0:256; do
		dev=${spec%:*}
		buf=${spec#*:}
		want=$(printf '%s' "$msg" | head -c "$buf")
		for m in sigio rtsig thread poll epoll block; do
			listen $out --method $m --count 1 --timeout 30 "/dev/$dev"
			echo "$msg" | async-notify-write "/dev/$dev" 2>/dev/null
			wait "$pid"
			expect "$dev $size bytes $m: status" $? 0
			expect "$dev $size bytes $m: data lines" "$(grep -c '^data ' $out)" 1
			expect "$dev $size bytes $m: data lines that are the message's first $buf bytes" \
				"$(grep -cxF "data \"$want\"" $out)" 1
		done
	done
done
result listen-long-lines "$why"

# A line that comes in two reads is one line: here a frame.
why=
out=/tmp/split.out
exec 3<>/dev/globalfifo
printf 'seq=7 ' >&3
listen $out --count 1 --timeout 30 /dev/globalfifo
printf 'ts=123\n' >&3
wait "$pid"
expect "listener status" $? 0
exec 3>&-
expect "frame" "$(sed -n 's/^frame \(seq=[0-9]* ts=[0-9]*\) .*/\1/p' $out)" "seq=7 ts=123"
expect "data lines" "$(grep -c '^data ' $out)" 0
result listen-split-line "$why"

# Each command-line message is one line, even when read in one go.
why=
out=/tmp/lines.out
exec 3<>/dev/globalfifo
async-notify-write /dev/globalfifo one two
expect "writer status" $? 0
async-notify-listen --count 2 --timeout 30 /dev/globalfifo >$out 2>&1
expect "listener status" $? 0
exec 3>&-
expect "lines received" "$(grep '^data ' $out | tr '\n' ' ')" 'data "one" data "two" '
result writer-one-line-per-message "$why"

# --count in fifo mode takes exactly its lines from the queue all
# readers share, and leaves the rest to the next reader.
why=
out=/tmp/count.out
exec 3<>/dev/globalfifo
async-notify-write /dev/globalfifo one two three
async-notify-listen --count 1 --timeout 30 /dev/globalfifo >$out 2>&1
expect "first listener status" $? 0
expect "first listener's lines" "$(grep '^data ' $out | tr '\n' ' ')" 'data "one" '
async-notify-listen --count 2 --timeout 30 /dev/globalfifo >$out 2>&1
expect "second listener status" $? 0
expect "second listener's lines" "$(grep '^data ' $out | tr '\n' ' ')" 'data "two" data "three" '
exec 3>&-
result listen-count-takes-exactly "$why"

# More notifications than RLIMIT_SIGPENDING allows real-time signals:
# the kernel sends SIGIO instead, which must not kill an rtsig listener.
why=
n=20
out=/tmp/flood.out
# shellcheck disable=SC3045 # busybox sh has ulimit -i
(ulimit -i 4 && exec async-notify-listen --method rtsig --count $n --timeout 30 \
	/dev/globalfifo) >$out 2>&1 &
pid=$!
wait_line $out "subscribed to" || why="the listener did not subscribe"
kill -STOP $pid
wait_stopped $pid || why="${why:+$why; }the listener did not stop"
# shellcheck disable=SC2046 # one message per number
async-notify-write /dev/globalfifo $(seq $n)
expect "SIGIO pending: the real-time queue overflowed" "$(sigio_pending $pid)" 1
kill -CONT $pid
wait "$pid"
expect "listener status" $? 0
expect "lines" "$(summary $out data)" $n
expect "signals with a wrong si_fd or si_band" "$(summary $out bad_siginfo)" 0
result listen-rtsig-overflow "$why"

# --timeout needs --count, and ends the wait of every method, as does
# SIGTERM.
why=
async-notify-listen --timeout 1 /dev/globalfifo >/dev/null 2>&1
expect "status of --timeout without --count" $? 2
for m in sigio rtsig thread poll epoll block; do
	async-notify-listen --method $m --count 1 --timeout 1 /dev/globalfifo >/dev/null 2>&1
	expect "$m: status after --timeout" $? 3
	listen /tmp/term.out --method $m /dev/globalfifo
	kill -TERM $pid
	wait "$pid"
	expect "$m: status after SIGTERM" $? 0
done
result listen-timeout-and-sigterm "$why"
