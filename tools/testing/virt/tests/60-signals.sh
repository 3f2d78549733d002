# SPDX-License-Identifier: GPL-2.0-only
# Ways to be notified: F_SETSIG real-time signals carry si_fd and si_band;
# a batch of timer frames is one signal, with POLL_IN and its band, and
# each round of the notifications attribute one signal; three subscribing
# processes each get every notification; every method of
# async-notify-listen receives frames.
# checks: 9
# shellcheck shell=sh disable=SC2154 # $pid: set by listen() in lib.sh

why=
n=10
out=/tmp/rtsig.out
async-notify-listen --method rtsig --count $n --timeout 60 /dev/async_n1 >$out 2>&1
expect "listener status" $? 0
expect "frames" "$(summary $out source)" $n
expect "real-time signals" "$(summary $out signals)" $n
expect "signals with a wrong si_fd or si_band" "$(summary $out bad_siginfo)" 0
result f-setsig-rtsig "$why"

c_test abi-sigio@async_burst async-notify-abi sigio /dev/async_burst

why=
n=3
for i in 1 2 3; do
	listen /tmp/sub$i.out --count $n --timeout 30 /dev/async_n0
	eval "pid$i=$pid"
done
# Latest mode keeps one frame: each message goes once every subscriber
# has printed the one before.
i=0
for msg in first second third; do
	async-notify-write /dev/async_n0 "$msg"
	i=$((i + 1))
	for s in 1 2 3; do
		count_lines /tmp/sub$s.out '^data ' $i || note "subscriber $s did not print '$msg'"
	done
done
for i in 1 2 3; do
	eval "wait \$pid$i"
	expect "subscriber $i status" $? 0
	expect "subscriber $i frames" "$(summary /tmp/sub$i.out data)" $n
	expect "subscriber $i signals" "$(summary /tmp/sub$i.out signals)" $n
done
result three-subscribers "$why"

for m in sigio rtsig thread poll epoll block; do
	why=
	out=/tmp/method.out
	listen $out --method $m --count 2 --timeout 30 /dev/globalfifo
	printf 'a\nb\n' | async-notify-write --delay 100 /dev/globalfifo
	wait "$pid"
	expect "listener status" $? 0
	expect "lines" "$(grep -c '^data ' $out)" 2
	# A real-time signal carries si_fd and si_band to check, and
	# F_SETOWN_EX names the thread that must get the signal.
	case $m in
	rtsig | thread)
		expect "signals with a wrong si_fd, si_band or thread" \
			"$(summary $out bad_siginfo)" 0 ;;
	esac
	result "listen-method-$m" "$why"
done
