# SPDX-License-Identifier: GPL-2.0-only
# Real interrupts: each pulse of QEMU's GPIO line 3 gives a subscriber of
# async_n0 one SIGIO and one frame, numbered without gaps, and only then.
# checks: 1
# shellcheck shell=sh disable=SC2154 # $pid: set by listen() in lib.sh

why=
n=5
out=/tmp/irq.out
# A second reader keeps the line enabled when the listener exits.
exec 3</dev/async_n0
ev0=$(attr async_n0 events)
fr0=$(attr async_n0 frames)
no0=$(attr async_n0 notifications)
irq0=$(irq_count)

listen $out --count $n --timeout 60 /dev/async_n0
# The line is quiet until the host pulses it: nothing before the first
# pulse, and (below) the interrupts, events and frames are exactly n.
expect "frames before any pulse" "$(grep -c '^frame ' $out)" 0
expect "interrupts before any pulse" "$(($(irq_count) - irq0))" 0

# One pulse at a time, each once the last one's frame is in: pulses
# timed by the host alone can merge into one edge under load.
p=1
while [ $p -le $n ]; do
	pulse_seen $out $p || note "no frame for pulse $p"
	p=$((p + 1))
done
wait "$pid"
rc=$?
cat $out
expect "listener status" $rc 0
expect "frames" "$(grep -c '^frame ' $out)" $n
expect "SIGIO signals" "$(summary $out signals)" $n
expect "frames missed" "$(summary $out missed)" 0
first=$(sed -n 's/^frame seq=\([0-9]*\) .*/\1/p' $out | head -n 1)
last=$(sed -n 's/^frame seq=\([0-9]*\) .*/\1/p' $out | tail -n 1)
expect "sequence span" "$((last - first + 1))" $n
expect "interrupts counted" "$(($(irq_count) - irq0))" $n
expect "sysfs events" "$(($(attr async_n0 events) - ev0))" $n
expect "sysfs frames" "$(($(attr async_n0 frames) - fr0))" $n
expect "frames with latency_us over 10 s" \
	"$(awk -F'latency_us=' '/^frame / && $2 + 0 > 10000000' $out | wc -l)" 0
expect "sysfs notifications" "$(($(attr async_n0 notifications) - no0))" $n
exec 3<&-
note "$(unaccounted async_n0)"
result irq-sigio "$why"
