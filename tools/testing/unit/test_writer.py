# SPDX-License-Identifier: GPL-2.0-only
"""async-notify-write on the host, a fifo for the device: input that
cannot be read, and a last line without its newline."""

import os
import subprocess

from conftest import program, tool_env


def write(fifo, *args: str, stdin=None, data=None):
    return subprocess.run([program("async-notify-write"), fifo.path, *args],
                          stdin=stdin, input=data, capture_output=True,
                          env=tool_env(1))


def test_unreadable_input_fails(fifo) -> None:
    d = os.open("/", os.O_RDONLY)   # read() of a directory: EISDIR
    try:
        r = write(fifo, stdin=d)
    finally:
        os.close(d)
    assert r.returncode == 1 and b"Is a directory" in r.stderr, r


def test_last_line_gets_its_newline(fifo) -> None:
    assert write(fifo, data=b"a\nb").returncode == 0
    assert write(fifo, "c").returncode == 0
    assert fifo.take() == b"a\nb\nc\n"


def test_messages_are_lines(fifo) -> None:
    assert write(fifo, "one", "two\n").returncode == 0
    assert fifo.take() == b"one\ntwo\n"
