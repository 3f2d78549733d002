# SPDX-License-Identifier: GPL-2.0-only
"""async-notify-listen on the host: a fifo for the device (fake-ioctl.so
answers the info ioctl), driven as users drive it: started with signals
blocked, writing to a full disk or a closed pipe, stopped early, fed
lines that only look like frames."""

import re
import signal
import struct
import subprocess

import pytest

from conftest import finish, listen, program, tool_env, wait_line

WAKE = {"sigio": {signal.SIGIO}, "rtsig": {signal.SIGIO, signal.SIGRTMIN},
        "thread": {signal.SIGIO}}


@pytest.mark.parametrize("method", sorted(WAKE))
def test_wakes_with_its_signal_blocked_by_the_parent(fifo, method) -> None:
    p = listen(fifo, "-m", method, "-n", "1", "-t", "5",
               block=frozenset(WAKE[method]))
    fifo.write(b"hello\n")
    st, out, err = finish(p)
    assert (st, out.splitlines()[0]) == (0, 'data "hello"'), err


@pytest.mark.parametrize("method", ["sigio", "rtsig", "thread", "poll", "epoll", "block"])
def test_timeout_with_sigalrm_blocked_by_the_parent(fifo, method) -> None:
    p = listen(fifo, "-m", method, "-n", "1", "-t", "1",
               block=frozenset({signal.SIGALRM, signal.SIGTERM, signal.SIGINT}))
    st, _, err = finish(p, timeout=10)
    assert st == 3, err


def test_output_to_a_full_disk_fails(fifo) -> None:
    with open("/dev/full", "wb") as full:
        p = listen(fifo, "-n", "1", "-t", "5", stdout=full)
        fifo.write(b"hello\n")
        st, _, err = finish(p)
    assert st == 1 and "write error" in err, (st, err)


def test_output_to_a_closed_pipe_with_sigpipe_ignored_fails(fifo) -> None:
    # Python ignores SIGPIPE, and restore_signals=False passes that on.
    p = listen(fifo, "-n", "2", "-t", "5", restore_signals=False)
    p.stdout.close()
    fifo.write(b"one\ntwo\n")
    st, _, err = finish(p)
    assert st == 1 and "Broken pipe" in err, (st, err)


@pytest.mark.parametrize("tool", ["async-notify-listen", "async-notify-write"])
def test_help_to_a_full_disk_fails(tool) -> None:
    with open("/dev/full", "wb") as full:
        st = subprocess.run([program(tool), "--help"], stdout=full,
                            stderr=subprocess.PIPE).returncode
    assert st == 1


def test_count_takes_exactly_n_frames_from_a_fifo(fifo) -> None:
    fifo.write(b"seq=1 ts=1\nseq=2 ts=2\nseq=3 ts=3\nseq=4")
    p = listen(fifo, "-n", "1", "-t", "5", mode=1)
    st, out, err = finish(p)
    assert st == 0, err
    assert [l.split()[0] for l in out.splitlines()] == ["frame", "summary:"], out
    assert "frames=1 " in out
    assert fifo.take() == b"seq=2 ts=2\nseq=3 ts=3\nseq=4"


def test_count_takes_exactly_n_records_from_a_binary_fifo(fifo) -> None:
    recs = b"".join(struct.pack("=QQ", i, i) for i in range(1, 4))
    fifo.write(recs + b"\x01\x02")
    p = subprocess.Popen([program("async-notify-listen"), "-n", "2", "-t", "5",
                          fifo.path], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=tool_env(1, 256, 1))
    st, out, err = finish(p)
    assert st == 0 and "frames=2 " in out, (out, err)
    assert fifo.take() == recs[32:] + b"\x01\x02"


def test_latency_of_a_frame_from_the_future_is_negative(fifo) -> None:
    p = listen(fifo, "-n", "1", "-t", "5")
    fifo.write(b"seq=1 ts=18446744073709551615\n")
    st, out, err = finish(p)
    assert st == 0, err
    assert re.search(r"latency_us=-[0-9]+ ", out), out


def test_loose_lines_are_data(fifo) -> None:
    p = listen(fifo, "-n", "2", "-t", "5", mode=1)
    fifo.write(b"seq= -1 ts=+7\nseq=9\tts=5\n")
    st, out, err = finish(p)
    assert st == 0, err
    assert "source=0 data=2 missed=0" in out, out


def test_missed_does_not_wrap(fifo) -> None:
    p = listen(fifo, "-n", "2", "-t", "5", mode=1)
    fifo.write(b"seq=18446744073709551615 ts=1\nseq=1 ts=2\n")
    st, out, err = finish(p)
    assert st == 0 and "missed=0 signals" in out, out


def test_data_is_escaped(fifo) -> None:
    p = listen(fifo, "-n", "1", "-t", "5")
    fifo.write(b'\x1b[31mred "q" \\ \xc3\xa9\n')
    st, out, err = finish(p)
    assert st == 0, err
    assert out.splitlines()[0] == r'data "\x1b[31mred \x22q\x22 \x5c \xc3\xa9"'


@pytest.mark.parametrize("arg", [" -1", "-1", "+1", "", "1x", " 1"])
def test_bad_count_is_a_usage_error(fifo, arg) -> None:
    p = subprocess.Popen([program("async-notify-listen"), "-n", arg, fifo.path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=tool_env())
    st, _, err = finish(p, timeout=10)
    assert st == 2, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopped_before_count_is_not_success(fifo, sig) -> None:
    p = listen(fifo, "-n", "5", "-t", "30")
    fifo.write(b"one\n")
    wait_line(p.stdout, 'data "one"')
    p.send_signal(sig)
    st, out, err = finish(p)
    assert st == -sig, (st, err)
    assert "summary: frames=1 " in out, out


def test_stopped_without_count_is_success(fifo) -> None:
    p = listen(fifo)
    p.send_signal(signal.SIGTERM)
    st, _, err = finish(p)
    assert st == 0, err


def test_help_says_writers_can_forge_frames() -> None:
    out = subprocess.run([program("async-notify-listen"), "--help"],
                         capture_output=True, text=True).stdout
    assert "Writers can send such lines" in out
