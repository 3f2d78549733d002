#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The design document's reader, done without its one-second sleep loop.

It subscribes to /dev/async_n0 (or the device given) and reacts to each
SIGIO at once, until it reads "stop reading". Run a writer beside it:
    async-notify-write --delay 2000 /dev/async_n0 "hey, how are you?" "stop reading"
"""

import errno
import os
import sys

from async_notify import Device

EXIT_GONE = 4   # the device was unbound, as for the C tools


def listen(path: str) -> int:
    with Device(path) as dev:
        dev.subscribe()
        print(f"READER | PID -> {os.getpid()} | subscribed to {path}", flush=True)
        for frame in dev.frames(timeout=60):
            text = frame.data.decode("utf-8", "replace").rstrip("\n")
            print(f"READER | PID -> {os.getpid()} | Read: {text}", flush=True)
            if "stop reading" in text:
                print(f"READER | PID -> {os.getpid()} | Got '{text}', stopping", flush=True)
                return 0
    print("READER | timed out", file=sys.stderr)
    return 1


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "/dev/async_n0"
    try:
        return listen(path)
    except OSError as e:
        if e.errno != errno.ENODEV:
            raise
        print("READER | the device is gone (unbound)", file=sys.stderr)
        return EXIT_GONE


if __name__ == "__main__":
    sys.exit(main())
