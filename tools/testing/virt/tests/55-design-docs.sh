# SPDX-License-Identifier: GPL-2.0-only
# The design documents' own programs, unchanged (tools/testing/seeds/),
# and the Python module (tools/python/): its reader, and a program that
# checks how it splits lines and takes signals.
# checks: 6
# timeout: 240
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
wait_async $pid || why="globalfifo_app did not subscribe to /dev/globalfifo"
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
# Latest mode keeps one frame: the second message goes once the reader
# has printed the first.
async-notify-write /dev/async_n0 "hey, how are you?"
wait_line $out "Read: hey, how are you?" || why="${why:+$why; }reader.py did not print the first message"
async-notify-write /dev/async_n0 "stop reading"
wait $pid
expect "reader.py status" $? 0
expect_true "reader.py missed the first message" grep -q "Read: hey, how are you?" $out
expect_true "reader.py did not stop on 'stop reading'" grep -q "Got 'stop reading', stopping" $out
[ -z "$why" ] || cat $out
result python-reader "$why"

# The Python module, in a small program: py_listen DEV io|rt main|thread N
# subscribes (SIGIO or SIGRTMIN) in the main thread or another one, says
# "subscribed" once it has read what was there, and prints N frames.
py_listen='
import signal, sys, threading
sys.path.insert(0, "python")
from async_notify import Device

def listen(path, sig, n, got):
    with Device(path) as dev:
        dev.subscribe(sig)
        got += dev.read_available()
        print("subscribed", flush=True)
        for frame in dev.frames(timeout=30):
            got.append(frame)
            if len(got) >= n:
                return

path, sig, where, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sig = signal.SIGRTMIN if sig == "rt" else signal.SIGIO
got = []
if where == "thread":
    t = threading.Thread(target=listen, args=(path, sig, n, got))
    t.start()
    t.join()
else:
    listen(path, sig, n, got)
for f in got:
    if f.seq is None:
        print("data", f.data.replace(b"\r", b"<CR>").decode().rstrip("\n"))
    else:
        print("frame", f.seq, f.ts_ns)
sys.exit(len(got) != n)
'

# Lines split across reads are put together; only \n ends a line.
why=
out=/tmp/py-split.out
exec 3<>/dev/globalfifo
printf 'seq=7 ' >&3
python3 -c "$py_listen" /dev/globalfifo io main 2 >$out 2>&1 &
pid=$!
wait_line $out subscribed || why="the program did not subscribe: '$(cat $out)'"
printf 'ts=123\na\rb\n' >&3
wait $pid
expect "status" $? 0
exec 3>&-
expect "frames" "$(grep -v subscribed $out | tr '\n' ' ')" "frame 7 123 data a<CR>b "
result python-split-lines "$why"

# SIGIO goes to the thread that subscribed, not to the main thread,
# which does not block it.
why=
out=/tmp/py-thread.out
python3 -c "$py_listen" /dev/globalfifo io thread 2 >$out 2>&1 &
pid=$!
wait_line $out subscribed || why="the program did not subscribe: '$(cat $out)'"
async-notify-write --delay 100 /dev/globalfifo one two
wait $pid
expect "status" $? 0
expect "frames" "$(grep -v subscribed $out | tr '\n' ' ')" "data one data two "
result python-signal-to-thread "$why"

# A real-time signal queue that overflows falls back to SIGIO: the
# program takes it as "read until EAGAIN" and loses nothing.
why=
n=20
out=/tmp/py-flood.out
# shellcheck disable=SC3045 # busybox sh has ulimit -i
(ulimit -i 4 && exec python3 -c "$py_listen" /dev/globalfifo rt main $n) >$out 2>&1 &
pid=$!
wait_line $out subscribed || why="the program did not subscribe: '$(cat $out)'"
kill -STOP $pid
wait_stopped $pid || why="${why:+$why; }the program did not stop"
# shellcheck disable=SC2046 # one message per number
async-notify-write /dev/globalfifo $(seq $n)
expect "SIGIO pending: the real-time queue overflowed" "$(sigio_pending $pid)" 1
kill -CONT $pid
wait $pid
expect "status" $? 0
expect "lines" "$(grep -c '^data ' $out)" $n
result python-rtsig-overflow "$why"
