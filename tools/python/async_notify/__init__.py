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
frames() from that thread. close() there unblocks what subscribe()
blocked, once no other subscribed Device of the thread needs it.

With asyncio, woken by the event loop when poll() says the device is
readable (no signal, no subscribe()):

    with Device("/dev/async_n0") as dev:
        async for frame in dev.aframes():
            print(frame.seq, frame.data)

Leaving the loop early (break, return) is safe: close() stops the event
loop watching the file. Under a flood, aframes() gives the loop a turn
every few reads.

frame() takes a line as a source frame only if it is exactly what the
driver prints, "seq=N ts=T\n" (decimal, no sign or leading zero, at most
2**64 - 1); a writer can still send such a line (async-notify-listen(1)
says how a reader gets source frames alone).

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
import platform
import re
import signal
import struct
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import AsyncGenerator, Dict, Iterator, List, Optional, Set, Tuple

__all__ = [
    "Device", "Frame", "Info", "frame", "record", "ioc_numbers",
    "MODE_LATEST", "MODE_FIFO", "MODE_QUEUE", "FORMAT_TEXT", "FORMAT_BINARY",
    "IOC_CLEAR", "IOC_INFO", "FRAME_MAX", "RECORD",
    "F_SETSIG", "F_SETOWN_EX", "F_OWNER_TID", "__version__",
]


def _version() -> str:
    """The project's version: in a clone, its VERSION file (through
    tools/python/VERSION); installed, the version it was built with;
    copied somewhere without either, "0+unknown", so that the import
    never fails for want of a version."""
    clone = Path(__file__).resolve().parent.parent / "VERSION"
    if clone.is_file():
        return clone.read_text().strip()
    try:
        return metadata.version("async-notify")
    except metadata.PackageNotFoundError:
        return "0+unknown"


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


def ioc_numbers(machine: str) -> Tuple[int, int]:
    """ASYNC_NOTIFY_IOC_CLEAR and _INFO as <linux/ioctl.h> encodes them
    on machine (platform.machine()): _IO(0xA9, 0) and
    _IOR(0xA9, 1, struct async_notify_info)."""
    if machine.startswith(("ppc", "powerpc", "mips", "sparc", "alpha")):
        none, read, dir_shift = 1, 2, 29    # 3 direction bits, 13 size bits
    elif machine.startswith("parisc"):
        none, read, dir_shift = 0, 1, 30
    else:
        none, read, dir_shift = 0, 2, 30    # asm-generic/ioctl.h
    base = _IOC_MAGIC << 8
    return ((none << dir_shift) | base,
            (read << dir_shift) | (_INFO.size << 16) | base | 0x01)


IOC_CLEAR, IOC_INFO = ioc_numbers(platform.machine())
F_SETSIG = getattr(fcntl, "F_SETSIG", 10)   # not exported by every Python
F_SETOWN_EX = getattr(fcntl, "F_SETOWN_EX", 15)
F_OWNER_TID = 0
_F_OWNER_EX = struct.Struct("=ii")          # struct f_owner_ex: type, pid

FRAME_MAX = 64                              # longest source frame, bytes
# The source's text frame, exactly as the driver prints it: decimal
# numbers without sign, space or leading zero, one space between them.
_FRAME = re.compile(rb"seq=(0|[1-9][0-9]*) ts=(0|[1-9][0-9]*)\n")
_U64_MAX = 2**64 - 1
# struct async_notify_record: seq and ts_ns, __aligned_u64, native order.
RECORD = struct.Struct("=QQ")
# aframes(): reads per turn of the event loop, so that a flood neither
# starves the loop's other tasks nor piles frames up in memory.
_READS_PER_TURN = 16


class _Subscribers:
    """The open, subscribed Devices of each thread, and the signals that
    subscribe() blocked there (to unblock when the last one closes)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.devices: Dict[int, List["Device"]] = {}
        self.blocked: Dict[int, Set[int]] = {}


_subscribers = _Subscribers()


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
    m = _FRAME.fullmatch(line) if len(line) <= FRAME_MAX else None
    if m:
        seq, ts_ns = int(m.group(1)), int(m.group(2))
        if seq <= _U64_MAX and ts_ns <= _U64_MAX:
            return Frame(line, seq, ts_ns)
    return Frame(line)


def record(data: bytes) -> Frame:
    """A binary device's source frame: one struct async_notify_record."""
    seq, ts_ns = RECORD.unpack(data)
    return Frame(data, seq, ts_ns)


def _split_lines(data: bytes) -> Tuple[List[bytes], bytes]:
    """The whole lines of data, each with its b"\\n", and the rest."""
    lines = data.split(b"\n")
    rest = lines.pop()
    return [line + b"\n" for line in lines], rest


class Device:
    """An open async-notify device, non-blocking."""

    def __init__(self, path: str, flags: int = os.O_RDONLY) -> None:
        self.fd = os.open(path, flags | os.O_NONBLOCK)
        self.signal: Optional[int] = None
        self.thread: Optional[int] = None
        self.carry = b""
        # aframes(): the loop watching the file, and its wake-up
        self._watch: Optional[Tuple[asyncio.AbstractEventLoop, asyncio.Event]] = None
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
        """Close the file. An aframes() left early stops watching it; the
        signals subscribe() blocked are unblocked when this is the last
        subscribed Device of the thread, if close() runs in that thread.
        """
        if self.fd < 0:
            return
        self._unwatch(self._watch)
        os.close(self.fd)
        self.fd = -1
        if self.signal is not None:
            self._unsubscribe()

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
        """Ask for sig on every new frame (F_SETSIG, SIGIO included).

        The signal goes to the calling thread, which blocks it; other
        threads need not block it. Call frames() from this thread.
        close() there unblocks what this blocked, once no other
        subscribed Device of the thread needs it.
        """
        tid = threading.get_native_id()
        if self.fd < 0:
            raise ValueError("subscribe() on a closed Device")
        if self.thread is not None and self.thread != tid:
            raise RuntimeError("subscribe() again from another thread")
        with _subscribers.lock:
            old = signal.pthread_sigmask(signal.SIG_BLOCK, {sig, signal.SIGIO})
            blocked = _subscribers.blocked.setdefault(tid, set())
            blocked |= {sig, signal.SIGIO} - old
            devices = _subscribers.devices.setdefault(tid, [])
            if self not in devices:
                devices.append(self)
        before = self._signals() if self.signal is not None else set()
        self.signal = sig
        self.thread = tid
        owner = _F_OWNER_EX.pack(F_OWNER_TID, tid)
        fcntl.fcntl(self.fd, F_SETOWN_EX, owner)
        fcntl.fcntl(self.fd, F_SETSIG, sig)
        flags = fcntl.fcntl(self.fd, fcntl.F_GETFL)
        fcntl.fcntl(self.fd, fcntl.F_SETFL, flags | os.O_ASYNC)
        self._release(before - self._signals())

    def _unsubscribe(self) -> None:
        """Forget the subscription of a closed file."""
        with _subscribers.lock:
            devices = _subscribers.devices.get(self.thread or 0, [])
            if self in devices:
                devices.remove(self)
        sigs = self._signals()
        self.signal = None
        self._release(sigs)

    def _release(self, sigs: Set[int]) -> None:
        """Unblock those of sigs that subscribe() blocked in this thread
        and no subscribed Device of it still needs. One still pending
        (from a file now closed or moved to another signal) is taken
        first: unblocked, its default action would end the process."""
        tid = threading.get_native_id()
        if tid != self.thread:
            return
        with _subscribers.lock:
            needed: Set[int] = set()
            for dev in _subscribers.devices.get(tid, []):
                needed |= dev._signals()
            blocked = _subscribers.blocked.get(tid, set())
            free = (sigs & blocked) - needed
            blocked -= free
        if not free:
            return
        while signal.sigtimedwait(free, 0) is not None:
            pass
        signal.pthread_sigmask(signal.SIG_UNBLOCK, free)

    def _lines(self, chunk: bytes) -> List[Frame]:
        """The frames of a read; keep an unfinished last line for the
        next one, unless it is as long as the buffer (a writer's bytes).
        """
        lines, self.carry = _split_lines(self.carry + chunk)
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

    def _read(self) -> Optional[List[Frame]]:
        """The frames of one read, None if there was nothing (EAGAIN)."""
        if self.fd < 0:
            raise ValueError("read from a closed Device")
        try:
            chunk = os.read(self.fd, self.size)
        except BlockingIOError:
            return None
        if not chunk:
            raise OSError(errno.EIO, "end of file: not an async-notify device?")
        return self._records(chunk) if self.binary else self._lines(chunk)

    def read_available(self, max_reads: int = _READS_PER_TURN) -> List[Frame]:
        """The frames there are now: read until EAGAIN, or max_reads
        times (so that a flood cannot keep it reading forever)."""
        frames: List[Frame] = []
        for _ in range(max_reads):
            batch = self._read()
            if batch is None:
                break
            frames.extend(batch)
        return frames

    def frames(self, timeout: Optional[float] = None) -> Iterator[Frame]:
        """Yield frames as they come; stop after timeout s without one.

        Each read's frames are yielded before the next read, and the
        device is read until EAGAIN before each wait (signals coalesce,
        and another Device's frames() may have taken this one's).
        A device that goes away (unbind) raises OSError with ENODEV.
        """
        if self.signal is None:
            raise RuntimeError("subscribe() first")
        if self.thread != threading.get_native_id():
            raise RuntimeError("frames() from another thread than subscribe()")
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            batch = self._read()
            if batch is not None:
                if batch and timeout is not None:
                    deadline = time.monotonic() + timeout
                yield from batch
                continue
            # Any of them means: read until EAGAIN.
            if deadline is None:
                signal.sigwaitinfo(self._signals())
                continue
            left = deadline - time.monotonic()
            if left <= 0 or signal.sigtimedwait(self._signals(), left) is None:
                return

    def _unwatch(self, watch: Optional[Tuple[asyncio.AbstractEventLoop,
                                             asyncio.Event]]) -> None:
        """Stop the loop watching the file, if watch still does."""
        if watch is None or watch is not self._watch:
            return
        self._watch = None
        loop, ready = watch
        loop.remove_reader(self.fd)
        ready.set()     # an aframes() waiting on it finds the file closed

    async def aframes(self, timeout: Optional[float] = None) -> AsyncGenerator[Frame, None]:
        """Yield frames as they come, in the running event loop; stop
        after timeout s without one.

        The loop watches the file (loop.add_reader()) and wakes this
        generator when poll() reports it readable, so no signal and no
        subscribe() is needed, and other tasks run meanwhile: under a
        flood too, as it gives the loop a turn every few reads. A device
        that goes away (unbind: EPOLLHUP | EPOLLERR) raises OSError with
        ENODEV. Leaving the loop early is safe: close() (the end of
        "with Device(...)") stops the watch, as closing the generator
        does.
        """
        if self._watch is not None:
            raise RuntimeError("aframes() is already running on this Device")
        loop = asyncio.get_running_loop()
        ready = asyncio.Event()
        if self.fd < 0:
            raise ValueError("aframes() on a closed Device")
        loop.add_reader(self.fd, ready.set)
        watch = self._watch = (loop, ready)
        try:
            while True:
                # Cleared before reading: readiness that comes after the
                # last read sets it again (poll is level-triggered).
                ready.clear()
                for _ in range(_READS_PER_TURN):
                    batch = self._read()
                    if batch is None:
                        break
                    for f in batch:
                        yield f
                else:
                    await asyncio.sleep(0)      # more to read: the loop's turn
                    continue
                try:
                    await asyncio.wait_for(ready.wait(), timeout)
                except asyncio.TimeoutError:
                    return
        finally:
            self._unwatch(watch)
