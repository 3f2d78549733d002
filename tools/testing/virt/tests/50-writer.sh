# SPDX-License-Identifier: GPL-2.0-only
# Writers to readers: the exact text with SIGIO (latest), appended and
# consumed bytes (fifo), and the blocking, O_NONBLOCK and poll rules.
# checks: 17
# shellcheck shell=sh disable=SC2154 # $pid: set by listen() in lib.sh

why=
out=/tmp/writer.out
msg="hello from the writer"
listen $out --count 1 --timeout 30 /dev/async_n0
async-notify-write /dev/async_n0 "$msg"
expect "writer status" $? 0
wait "$pid"
expect "listener status" $? 0
expect "text received" "$(grep '^data ' $out)" "data \"$msg\""
expect "SIGIO signals" "$(summary $out signals)" 1
result writer-latest "$why"

why=
listen $out --count 3 --timeout 30 /dev/globalfifo
printf 'one\ntwo\nthree\n' | async-notify-write --delay 100 /dev/globalfifo
wait "$pid"
expect "listener status" $? 0
expect "lines received" "$(grep '^data ' $out | tr '\n' ' ')" 'data "one" data "two" data "three" '
result writer-fifo "$why"

for t in zero-length efault ioctl oversize latest latest-shared; do
	c_test "abi-$t@async_n0" async-notify-abi $t /dev/async_n0
done
for t in zero-length efault ioctl fifo; do
	c_test "abi-$t@globalfifo" async-notify-abi $t /dev/globalfifo
done
for t in zero-length efault ioctl queue; do
	c_test "abi-$t@async_queue" async-notify-abi $t /dev/async_queue
done
if grep -q '^kmalloc-cg-' /proc/slabinfo 2>/dev/null; then
	c_test abi-account@async_queue async-notify-abi account /dev/async_queue
else
	skip abi-account@async_queue "$(uname -r) has no memory cgroup kmem accounting (no kmalloc-cg-* caches in /proc/slabinfo)"
fi
