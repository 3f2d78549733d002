# SPDX-License-Identifier: GPL-2.0-only
"""Subscribe to an async-notify device (/dev/async_n0, /dev/<label>).

Blocking, woken by the device's signal:

    with Device("/dev/async_n0") as dev:
        dev.subscribe()                  # F_SETOWN_EX + O_ASYNC: SIGIO
        for frame in dev.frames():       # waits for the signal, no polling
            print(frame.seq, frame.data)

The signal is blocked and taken synchronously with sigtimedwait(), so no
handler races with the reads. Standard signals coalesce, so after each
one the device is read until EAGAIN. The signal is sent to the thread
that subscribed (F_SETOWN_EX), the one whose mask blocks it: call
frames() from that thread.

With asyncio, woken by the event loop when poll() says the device is
readable (no signal, no subscribe()):

    with Device("/dev/async_n0") as dev:
        async for frame in dev.aframes():
            print(frame.seq, frame.data)

A device whose node sets linux,frame-format = "binary" gives each
source frame as a 16-byte struct async_notify_record instead of a line
of text; Device learns which from ASYNC_NOTIFY_IOC_INFO (Info.format)
and yields the same Frame objects for both, seq and ts_ns set, data the
raw bytes.

The ABI is described in Documentation/userspace-api/async-notify.rst
and async-notify(4).
"""

import asyncio
import errno
import fcntl
import os
import re
import signal
import struct
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import AsyncIterator, Iterator, List, Optional, Set, Tuple


def _version() -> str:
    """The project's version: in a clone, its VERSION file (through
    tools/python/VERSION); installed, the version it was built with."""
    clone = Path(__file__).resolve().parent.parent / "VERSION"
    if clone.is_file():
        return clone.read_text().strip()
    return metadata.version("async-notify")


__version__ = _version()

MODE_LATEST = 0
MODE_FIFO = 1
MODE_QUEUE = 2

# Frame formats of the source: Info.format
FORMAT_TEXT = 0                             # b"seq=N ts=T\n" lines
FORMAT_BINARY = 1                           # struct async_notify_record

# struct async_notify_info: three __aligned_u64 then six __u32.
_INFO = struct.Struct("=QQQIIIIII")
_IOC_MAGIC = 0xA9
_IOC_READ = 2
IOC_CLEAR = (_IOC_MAGIC << 8) | 0x00
IOC_INFO = (_IOC_READ << 30) | (_INFO.size << 16) | (_IOC_MAGIC << 8) | 0x01
F_SETSIG = getattr(fcntl, "F_SETSIG", 10)   # not exported by every Python
F_SETOWN_EX = getattr(fcntl, "F_SETOWN_EX", 15)
F_OWNER_TID = 0
_F_OWNER_EX = struct.Struct("=ii")          # struct f_owner_ex: type, pid

FRAME_MAX = 64                              # longest source frame, bytes
_FRAME = re.compile(rb"seq=(\d+) ts=(\d+)\n\Z")
# struct async_notify_record: seq and ts_ns, __aligned_u64, native order.
RECORD = struct.Struct("=QQ")


@dataclass
class Frame:
    """A source frame (seq and ts_ns set) or a writer's bytes (both None)."""
    data: bytes
    seq: Optional[int] = None
    ts_ns: Optional[int] = None

    @property
    def latency_ns(self) -> Optional[int]:
        """CLOCK_MONOTONIC now minus the event's time, for source frames."""
        if self.ts_ns is None:
            return None
        return time.clock_gettime_ns(time.CLOCK_MONOTONIC) - self.ts_ns


@dataclass
class Info:
    """struct async_notify_info: the device as this file sees it."""
    seq: int
    frames: int
    missed: int
    queued: int
    readers: int
    writers: int
    mode: int
    buffer_size: int
    format: int


def frame(line: bytes) -> Frame:
    """A source frame if line is one, else a writer's bytes."""
    m = _FRAME.match(line) if len(line) <= FRAME_MAX else None
    if m:
        return Frame(line, int(m.group(1)), int(m.group(2)))
    return Frame(line)


def record(data: bytes) -> Frame:
    """A binary device's source frame: one struct async_notify_record."""
    seq, ts_ns = RECORD.unpack(data)
    return Frame(data, seq, ts_ns)


def split_lines(data: bytes) -> Tuple[List[bytes], bytes]:
    """The whole lines of data, each with its b"\\n", and the rest."""
    lines = data.split(b"\n")
    rest = lines.pop()
    return [line + b"\n" for line in lines], rest


def parse(chunk: bytes) -> List[Frame]:
    """Split what one read returned into frames, one per line."""
    lines, rest = split_lines(chunk)
    return [frame(line) for line in lines + ([rest] if rest else [])]


class Device:
    """An open async-notify device, non-blocking."""

    def __init__(self, path: str, flags: int = os.O_RDONLY) -> None:
        self.fd = os.open(path, flags | os.O_NONBLOCK)
        self.signal: Optional[int] = None
        self.thread: Optional[int] = None
        self.carry = b""
        try:
            info = self.info()
        except OSError:
            os.close(self.fd)
            raise
        self.size = info.buffer_size
        # Outside latest mode the device is a byte stream: a line (or a
        # record) may come in several reads.
        self.stream = info.mode != MODE_LATEST
        self.binary = info.format == FORMAT_BINARY

    def __enter__(self) -> "Device":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fileno(self) -> int:
        return self.fd

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def info(self) -> Info:
        buf = bytearray(_INFO.size)
        fcntl.ioctl(self.fd, IOC_INFO, buf)
        return Info(*_INFO.unpack(buf))

    def clear(self) -> None:
        """Empty the buffer (the file must be open for writing)."""
        fcntl.ioctl(self.fd, IOC_CLEAR)

    def _signals(self) -> Set[int]:
        """What frames() waits for. With a real-time signal, SIGIO too:
        the kernel sends it instead when the real-time queue is full
        (RLIMIT_SIGPENDING), and unblocked its default action kills."""
        assert self.signal is not None
        return {self.signal, signal.SIGIO}

    def subscribe(self, sig: int = signal.SIGIO) -> None:
        """Ask for sig on every new frame; another signal uses F_SETSIG.

        The signal goes to the calling thread, which blocks it; other
        threads need not block it. Call frames() from this thread.
        """
        self.signal = sig
        self.thread = threading.get_native_id()
        signal.pthread_sigmask(signal.SIG_BLOCK, self._signals())
        owner = _F_OWNER_EX.pack(F_OWNER_TID, self.thread)
        fcntl.fcntl(self.fd, F_SETOWN_EX, owner)
        if sig != signal.SIGIO:
            fcntl.fcntl(self.fd, F_SETSIG, sig)
        flags = fcntl.fcntl(self.fd, fcntl.F_GETFL)
        fcntl.fcntl(self.fd, fcntl.F_SETFL, flags | os.O_ASYNC)

    def _lines(self, chunk: bytes) -> List[Frame]:
        """The frames of a read; keep an unfinished last line for the
        next one, unless it is as long as the buffer (a writer's bytes).
        """
        lines, self.carry = split_lines(self.carry + chunk)
        if self.carry and (not self.stream or len(self.carry) >= self.size):
            lines.append(self.carry)
            self.carry = b""
        return [frame(line) for line in lines]

    def _records(self, chunk: bytes) -> List[Frame]:
        """The records of a read on a binary device. In latest mode a
        read is one frame, and one of another size is a writer's bytes;
        otherwise a record split across reads is kept for the next one
        (writers must write whole records only: async-notify.rst).
        """
        data = self.carry + chunk
        if not self.stream and len(data) != RECORD.size:
            self.carry = b""
            return [Frame(data)]
        end = len(data) - len(data) % RECORD.size
        self.carry = data[end:]
        return [record(data[i:i + RECORD.size])
                for i in range(0, end, RECORD.size)]

    def read_available(self) -> List[Frame]:
        """Every frame there is now: read until EAGAIN."""
        frames: List[Frame] = []
        while True:
            try:
                chunk = os.read(self.fd, self.size)
            except BlockingIOError:
                return frames
            if not chunk:
                raise OSError(errno.EIO, "end of file: not an async-notify device?")
            frames.extend(self._records(chunk) if self.binary
                          else self._lines(chunk))

    def frames(self, timeout: Optional[float] = None) -> Iterator[Frame]:
        """Yield frames as they come; stop after timeout s without one.

        A device that goes away (unbind) raises OSError with ENODEV.
        """
        if self.signal is None:
            raise RuntimeError("subscribe() first")
        if self.thread != threading.get_native_id():
            raise RuntimeError("frames() from another thread than subscribe()")
        while True:
            yield from self.read_available()
            # Any of them means: read until EAGAIN.
            if timeout is None:
                signal.sigwaitinfo(self._signals())
            elif signal.sigtimedwait(self._signals(), timeout) is None:
                return

    async def aframes(self, timeout: Optional[float] = None) -> AsyncIterator[Frame]:
        """Yield frames as they come, in the running event loop; stop
        after timeout s without one.

        The loop watches the file (loop.add_reader()) and wakes this
        generator when poll() reports it readable, so no signal and no
        subscribe() is needed, and other tasks run meanwhile. A device
        that goes away (unbind: EPOLLHUP | EPOLLERR) raises OSError
        with ENODEV. Leaving the loop early keeps the file watched until
        the generator is closed: use contextlib.aclosing() to close it
        at once.
        """
        loop = asyncio.get_running_loop()
        fd = self.fd
        ready = asyncio.Event()
        loop.add_reader(fd, ready.set)
        try:
            while True:
                # Cleared before reading: readiness that comes after the
                # last read sets it again (poll is level-triggered).
                ready.clear()
                for f in self.read_available():
                    yield f
                try:
                    await asyncio.wait_for(ready.wait(), timeout)
                except asyncio.TimeoutError:
                    return
        finally:
            loop.remove_reader(fd)
