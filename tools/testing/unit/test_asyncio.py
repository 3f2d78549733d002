# SPDX-License-Identifier: GPL-2.0-only
"""aframes() as programs use it: left early with break, and under a
flood. A fifo stands in for the device: the loop polls it the same way.
"""

import asyncio
import fcntl
import time
from typing import List, Tuple

from async_notify import MODE_FIFO
from conftest import F_SETPIPE_SZ


def test_break_then_a_new_device_on_the_same_fd(device, fifo) -> None:
    """break out of async for within "with Device()": the next Device,
    which gets the same fd number, still wakes, and nothing watches the
    closed file."""
    async def main() -> Tuple[List[bytes], bool, bool, float]:
        loop = asyncio.get_running_loop()
        with device() as a:
            fifo.write(b"one\n")
            async for f in a.aframes(timeout=5):
                break
            fd = a.fileno()
        watched_after_close = fd in loop._selector.get_map()  # type: ignore[attr-defined]
        got: List[bytes] = []
        start = time.monotonic()
        with device() as b:
            same_fd = b.fileno() == fd
            # Written once aframes() waits: only a wake-up brings it.
            loop.call_soon(fifo.write, b"two\n")
            async for f in b.aframes(timeout=5):
                got.append(f.data)
                break
        return got, same_fd, watched_after_close, time.monotonic() - start

    got, same_fd, watched, took = asyncio.run(asyncio.wait_for(main(), 20))
    assert same_fd
    assert got == [b"two\n"], f"the second device got {got} after {took:.1f} s"
    assert not watched, "the loop still watched the closed file"


def test_generator_closed_later_leaves_the_new_device_watched(device, fifo) -> None:
    """The first generator's cleanup, run after its Device was closed
    and another opened on the same fd, must not unwatch the new one."""
    async def main() -> List[bytes]:
        loop = asyncio.get_running_loop()
        with device() as a:
            fifo.write(b"one\n")
            gen = a.aframes(timeout=5)
            await gen.__anext__()
        fifo.write(b"two\n")
        with device() as b:
            got: List[bytes] = []
            async for f in b.aframes(timeout=5):
                got.append(f.data)
                await gen.aclose()          # the old generator ends now
                loop.call_soon(fifo.write, b"three\n")
                if len(got) == 2:
                    break
            return got

    assert asyncio.run(asyncio.wait_for(main(), 20)) == [b"two\n", b"three\n"]


def test_flood_leaves_the_loop_its_turns(device, fifo) -> None:
    """Under a flood, frames come while there is more to read, and the
    loop's other callbacks run among them."""
    fcntl.fcntl(fifo.fd, F_SETPIPE_SZ, 1 << 20)
    total = 100000
    fifo.write(b"x\n" * total)

    async def main() -> List[int]:
        loop = asyncio.get_running_loop()
        n = 0
        when: List[int] = []
        loop.call_soon(lambda: when.append(n))
        with device(mode=MODE_FIFO, size=64) as dev:
            async for _ in dev.aframes(timeout=5):
                n += 1
                if n == total:
                    break
        return when

    when = asyncio.run(asyncio.wait_for(main(), 60))
    assert when and when[0] < total // 10, \
        f"another callback ran only after {when} of {total} frames"
