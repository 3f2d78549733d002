# SPDX-License-Identifier: GPL-2.0-only
# The design documents' own programs, unchanged (tools/testing/seeds/),
# and the Python module's reader (tools/python/).
# shellcheck shell=sh

why=
out=/tmp/async_n_test.out
timeout 60 python3 seeds/async_n_test.py >$out 2>&1
expect "status" $? 0
expect_true "the reader never read the first message" grep -q "Read: hey, how are you?" $out
expect_true "the reader did not end by reading 'stop reading'" \
	grep -q "Got 'stop reading' I guess I will stop" $out
expect_true "the reader got no SIGIO" grep -q "got SIGIO from kernelspace" $out
[ -z "$why" ] || cat $out
result design-doc-async_n-python "$why"

why=
out=/tmp/globalfifo_app.out
globalfifo_app >$out 2>&1 &
pid=$!
wait_attr globalfifo readers 1 || why="globalfifo_app did not open /dev/globalfifo"
echo hello >/dev/globalfifo
wait_line $out "receive a signal from globalfifo,signalnum:29" ||
	why="${why:+$why; }its SIGIO handler did not print: '$(cat $out)'"
kill $pid
wait $pid 2>/dev/null
result design-doc-globalfifo-app "$why"

why=
out=/tmp/reader.out
timeout 60 python3 python/reader.py /dev/async_n0 >$out 2>&1 &
pid=$!
wait_attr async_n0 readers 1 || why="reader.py did not open /dev/async_n0"
wait_line $out "subscribed" || why="${why:+$why; }reader.py did not subscribe"
async-notify-write --delay 300 /dev/async_n0 "hey, how are you?" "stop reading"
wait $pid
expect "reader.py status" $? 0
expect_true "reader.py missed the first message" grep -q "Read: hey, how are you?" $out
expect_true "reader.py did not stop on 'stop reading'" grep -q "Got 'stop reading', stopping" $out
[ -z "$why" ] || cat $out
result python-reader "$why"
