# SPDX-License-Identifier: GPL-2.0-only
# The binary frame format (linux,frame-format = "binary"): async_bin's
# timer stores struct async_notify_record, read whole, with seq rising
# and ts_ns a CLOCK_MONOTONIC time just past; a text device says text;
# async-notify-listen prints the records as frames.
# checks: 4
# shellcheck shell=sh

c_test abi-binary@async_bin async-notify-abi binary /dev/async_bin
c_test abi-text@async_n1 async-notify-abi text /dev/async_n1

n=20

why=
expect "async_bin format" "$(attr async_bin format)" binary
expect "async_n1 format" "$(attr async_n1 format)" text
result binary-sysfs-format "$why"

# The listener learns the format from ASYNC_NOTIFY_IOC_INFO.
why=
out=/tmp/binary-listen.out
for m in block sigio; do
	async-notify-listen --method $m --count $n --timeout 60 /dev/async_bin \
		>$out 2>&1
	expect "listener $m status" $? 0
	expect "listener $m frame lines" \
		"$(grep -cE '^frame seq=[0-9]+ ts=[0-9]+ latency_us=[0-9]+ missed=[0-9]+$' $out)" $n
	expect "listener $m data lines" "$(grep -c '^data ' $out)" 0
done
result binary-listen "$why"
