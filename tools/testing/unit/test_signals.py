# SPDX-License-Identifier: GPL-2.0-only
"""subscribe(), frames() and close() with signals: which signal comes,
the thread's mask after close(), and two Devices in one thread. A fifo
sends SIGIO (or the F_SETSIG signal) as the device does."""

import signal
import subprocess

import pytest


def blocked() -> set:
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, []))


def test_subscribe_again_with_sigio(device, fifo) -> None:
    with device() as dev:
        dev.subscribe(signal.SIGRTMIN)
        dev.subscribe()
        fifo.write(b"x\n")
        info = signal.sigtimedwait({signal.SIGIO, signal.SIGRTMIN}, 5)
        assert info is not None
        assert signal.Signals(info.si_signo) == signal.SIGIO


def test_close_unblocks_what_subscribe_blocked(device, fifo) -> None:
    assert signal.SIGIO not in blocked()
    with device() as dev:
        dev.subscribe(signal.SIGRTMIN)
        assert {signal.SIGIO, signal.SIGRTMIN} <= blocked()
        fifo.write(b"pending\n")    # a signal still pending at close()
    assert not {signal.SIGIO, signal.SIGRTMIN} & blocked()
    # A program started now waits with a mask of its own.
    out = subprocess.run(["grep", "^SigBlk:", "/proc/self/status"],
                         capture_output=True, text=True, check=True).stdout
    mask = int(out.split()[1], 16)
    assert not mask & (1 << (signal.SIGIO - 1)), out


def test_close_keeps_what_another_device_needs(device, fifos) -> None:
    other = fifos()
    with device() as a:
        a.subscribe()
        with device(other.path) as b:
            b.subscribe()
        assert signal.SIGIO in blocked()
    assert signal.SIGIO not in blocked()


def test_close_keeps_what_the_thread_blocked_itself(device) -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGIO})
    with device() as dev:
        dev.subscribe()
    assert signal.SIGIO in blocked()


def test_two_frames_generators_in_one_thread(device, fifos) -> None:
    """A wait of one Device's frames() takes the other's signal; the
    other must still see its frame."""
    fa, fb = fifos(), fifos()
    with device(fa.path) as a, device(fb.path) as b:
        a.subscribe()
        b.subscribe()
        ga = a.frames(timeout=0.3)
        gb = b.frames(timeout=3)
        fb.write(b"b0\n")
        assert next(gb).data == b"b0\n"
        fa.write(b"a0\n")
        assert next(ga).data == b"a0\n"
        fb.write(b"b1\n")
        assert list(ga) == []       # waits, takes b's SIGIO, times out
        assert next(gb, None) is not None, "b's frame was never seen"


def test_frames_needs_subscribe(device) -> None:
    with device() as dev:
        with pytest.raises(RuntimeError):
            next(dev.frames(timeout=0))
