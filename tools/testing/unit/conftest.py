# SPDX-License-Identifier: GPL-2.0-only
"""Shared by the host unit tests: where the programs are, fifos that
stand in for a device, and a signal mask put back after each test."""

import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterator, List, Optional

import pytest

UNIT = Path(__file__).resolve().parent
TOP = UNIT.parents[2]
BUILD = Path(os.environ.get("UNIT_BUILD", TOP / "build" / "unit"))
sys.path.insert(0, str(TOP / "tools" / "python"))

import async_notify  # noqa: E402  (from this tree, not an installed copy)
from async_notify import Device, Info  # noqa: E402

F_SETPIPE_SZ = 1031


class Fifo:
    """A named pipe, held open for reading and writing, so that a
    reader never sees its end and a writer never blocks on open."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        os.mkfifo(self.path)
        self.fd = os.open(self.path, os.O_RDWR | os.O_NONBLOCK)

    def write(self, data: bytes) -> None:
        assert os.write(self.fd, data) == len(data)

    def take(self) -> bytes:
        """What is still queued in the pipe, taken."""
        data = b""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                return data
            data += chunk

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture
def fifos(tmp_path: Path) -> Iterator[Callable[[], Fifo]]:
    made: List[Fifo] = []

    def make() -> Fifo:
        f = Fifo(tmp_path / f"dev{len(made)}")
        made.append(f)
        return f

    yield make
    for f in made:
        f.close()


@pytest.fixture
def fifo(fifos: Callable[[], Fifo]) -> Fifo:
    return fifos()


@pytest.fixture
def device(monkeypatch: pytest.MonkeyPatch,
           fifo: Fifo) -> Callable[..., Device]:
    """device(path=fifo, mode=, size=, fmt=): a Device on a fifo, its
    info ioctl answered as a device in that mode would."""
    conf = {"mode": async_notify.MODE_FIFO, "size": 256,
            "fmt": async_notify.FORMAT_TEXT}

    def info(self: Device) -> Info:
        return Info(0, 0, 0, 0, 1, 0, conf["mode"], conf["size"], conf["fmt"])

    monkeypatch.setattr(Device, "info", info)

    def make(path: Optional[str] = None, mode: int = async_notify.MODE_FIFO,
             size: int = 256, fmt: int = async_notify.FORMAT_TEXT) -> Device:
        conf.update(mode=mode, size=size, fmt=fmt)
        return Device(path or fifo.path)

    return make


@pytest.fixture(autouse=True)
def signal_mask() -> Iterator[None]:
    """Put the thread's signal mask back, and take what a test left
    pending, so that no test sees another's signals."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    yield
    sigs = {signal.SIGIO, signal.SIGRTMIN}
    signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    while signal.sigtimedwait(sigs, 0) is not None:
        pass
    signal.pthread_sigmask(signal.SIG_SETMASK, old)


def program(name: str) -> str:
    path = BUILD / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run make -C tools/testing/unit")
    return str(path)


def tool_env(mode: int = 0, size: int = 256, fmt: int = 0) -> dict:
    """The environment in which the tools take a fifo for a device."""
    env = dict(os.environ)
    env.update(LD_PRELOAD=program("fake-ioctl.so"), FAKE_MODE=str(mode),
               FAKE_SIZE=str(size), FAKE_FORMAT=str(fmt))
    return env


def wait_line(stream, text: str, timeout: float = 10.0) -> str:
    """Read stream (a pipe) until a line holds text; fail after timeout."""
    seen = b""
    while text.encode() not in seen:
        ready, _, _ = select.select([stream], [], [], timeout)
        if not ready:
            pytest.fail(f"no '{text}' within {timeout} s; got {seen!r}")
        chunk = os.read(stream.fileno(), 4096)
        if not chunk:
            pytest.fail(f"end of output before '{text}'; got {seen!r}")
        seen += chunk
    return seen.decode()


def listen(fifo: Fifo, *args: str, mode: int = 0, size: int = 256,
           block: frozenset = frozenset(), stdout=subprocess.PIPE,
           **popen) -> subprocess.Popen:
    """Start async-notify-listen on fifo with args, its signal mask
    blocking block as a parent's would; return once it subscribed."""
    def mask() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, block)

    p = subprocess.Popen([program("async-notify-listen"), *args, fifo.path],
                         stdout=stdout, stderr=subprocess.PIPE,
                         env=tool_env(mode, size), preexec_fn=mask, **popen)
    wait_line(p.stderr, "subscribed to")
    return p


def finish(p: subprocess.Popen, timeout: float = 20.0):
    """Wait for p (killed after timeout, which fails the test)."""
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        pytest.fail(f"still running after {timeout} s: killed")
    return p.returncode, (out or b"").decode(), (err or b"").decode()
