# SPDX-License-Identifier: GPL-2.0-only
# The Python module's asyncio interface: `async for frame in
# dev.aframes()`, woken by the event loop when poll() reports the device
# readable, while the loop runs other tasks, and raising ENODEV when the
# device is unbound under it.
# checks: 6
# timeout: 240
# shellcheck shell=sh

# py_async DEV what N: read N frames with aframes() and print them.
#   writer: a second task of the same loop writes "ping K" to DEV each
#           time the reader has taken the previous frame, so the frames
#           only come if aframes() leaves the loop free while it waits;
#   source: frames from DEV's own source;
#   idle:   nothing comes: aframes(timeout=) ends, and the file is no
#           longer watched by the loop.
py_async='
import asyncio, os, sys
sys.path.insert(0, "python")
from async_notify import Device

async def main(path, what, n):
    loop = asyncio.get_running_loop()
    got = []
    with Device(path) as dev:
        print("opened", flush=True)
        taken = asyncio.Event()
        async def writer():
            fd = os.open(path, os.O_WRONLY)
            try:
                for k in range(n):
                    os.write(fd, b"ping %d\n" % k)
                    await taken.wait()
                    taken.clear()
            finally:
                os.close(fd)
        task = loop.create_task(writer()) if what == "writer" else None
        timeout = 0.3 if what == "idle" else 30
        async for frame in dev.aframes(timeout=timeout):
            got.append(frame)
            taken.set()
            if len(got) >= n:
                break
        if task:
            task.cancel()
        watched = dev.fileno() in loop._selector.get_map()
        fd = dev.fileno()
    print("closed file watched", fd in loop._selector.get_map())
    for f in got:
        if f.seq is None:
            print("data", f.data.decode().rstrip("\n"))
        else:
            print("frame", f.seq, f.latency_ns is not None and f.latency_ns > 0)
    seqs = [f.seq for f in got if f.seq is not None]
    print("rising", all(a < b for a, b in zip(seqs, seqs[1:])))
    print("watched", watched)
    return len(got) == n

sys.exit(not asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
'

# A task of the same loop writes; aframes() wakes for each frame.
why=
out=/tmp/py-async-writer.out
timeout 60 python3 -c "$py_async" /dev/globalfifo writer 3 >$out 2>&1
expect "status" $? 0
expect "frames" "$(grep '^data ' $out | tr '\n' ' ')" "data ping 0 data ping 1 data ping 2 "
expect "left with break, then closed" "$(grep '^closed file watched ' $out)" "closed file watched False"
[ -z "$why" ] || cat $out
result python-asyncio-writer "$why"

# The timer source's frames, in latest mode, each woken by poll(): as
# text (async_n1), and as a binary device's records (async_bin, its
# format learnt from the info ioctl).
for spec in source:async_n1 binary:async_bin; do
	why=
	out=/tmp/py-async-${spec%%:*}.out
	timeout 60 python3 -c "$py_async" "/dev/${spec#*:}" source 3 >"$out" 2>&1
	expect "status" $? 0
	expect "source frames with a latency" "$(grep -c '^frame [0-9]* True$' "$out")" 3
	expect "seq rises" "$(grep '^rising ' "$out")" "rising True"
	[ -z "$why" ] || cat "$out"
	result "python-asyncio-${spec%%:*}" "$why"
done

# Nothing comes: the timeout ends the loop, and the file is unwatched.
why=
out=/tmp/py-async-idle.out
timeout 60 python3 -c "$py_async" /dev/globalfifo idle 0 >$out 2>&1
expect "status" $? 0
expect "frames" "$(grep -c '^\(data\|frame\) ' $out)" 0
expect "after the loop" "$(grep '^watched ' $out)" "watched False"
[ -z "$why" ] || cat $out
result python-asyncio-timeout "$why"

# Left with break inside "with Device()", then opened again: the new
# Device gets the same fd number, and its aframes() still wakes.
why=
out=/tmp/py-async-reopen.out
timeout 60 python3 -c '
import asyncio, os, sys
sys.path.insert(0, "python")
from async_notify import Device

async def main(path):
    loop = asyncio.get_running_loop()
    w = os.open(path, os.O_WRONLY)
    with Device(path) as a:
        os.write(w, b"one\n")
        async for f in a.aframes(timeout=30):
            print("first got", f.data.decode().rstrip("\n"))
            break
        fd = a.fileno()
    with Device(path) as b:
        print("same fd", b.fileno() == fd)
        # Written once aframes() waits: only a wake-up brings it.
        loop.call_soon(os.write, w, b"two\n")
        async for f in b.aframes(timeout=30):
            print("second got", f.data.decode().rstrip("\n"))
            break
    os.close(w)

asyncio.run(main(sys.argv[1]))
' /dev/globalfifo >$out 2>&1
expect "status" $? 0
expect "lines" "$(grep 'got ' $out | tr '\n' ' ')" "first got one second got two "
expect "fd" "$(grep '^same fd ' $out)" "same fd True"
[ -z "$why" ] || cat $out
result python-asyncio-reopen "$why"

# Unbound while it waits: the loop wakes (EPOLLHUP) and aframes() raises
# OSError ENODEV, which the program turns into status 4 as the tools do.
why=
out=/tmp/py-async-unbind.out
gpdev=$(basename "$(readlink /sys/class/misc/globalfifo/device)")
timeout 60 python3 -c '
import asyncio, errno, sys
sys.path.insert(0, "python")
from async_notify import Device

async def main():
    with Device("/dev/globalfifo") as dev:
        async for frame in dev.aframes(timeout=30):
            print("got", frame.data.decode().rstrip("\n"), flush=True)
try:
    asyncio.run(main())
except OSError as e:
    print("error", errno.errorcode.get(e.errno, e.errno))
    sys.exit(4 if e.errno == errno.ENODEV else 1)
' >$out 2>&1 &
pid=$!
wait_attr globalfifo readers 1 || note "the program did not open /dev/globalfifo"
async-notify-write /dev/globalfifo hello
wait_line $out "got hello" || note "the program did not read 'hello': '$(cat $out)'"
echo "$gpdev" >/sys/bus/platform/drivers/async-notify/unbind
wait $pid
expect "status after unbind" $? 4
expect "error" "$(grep '^error ' $out)" "error ENODEV"
echo "$gpdev" >/sys/bus/platform/drivers/async-notify/bind
wait_attr globalfifo readers 0 || note "globalfifo not back after bind"
result python-asyncio-unbind "$why"
