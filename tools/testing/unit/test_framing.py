# SPDX-License-Identifier: GPL-2.0-only
"""The text frame's one grammar, in Python (frame()) and in C (the
listener's async-notify-frame.h, through frame-test), on the shared
table frames.txt; and how a Device cuts reads into frames."""

import re
import subprocess
from typing import List, Tuple

import pytest

from async_notify import FORMAT_BINARY, MODE_FIFO, MODE_LATEST, RECORD, frame
from conftest import UNIT, program

TABLE = UNIT / "frames.txt"


def unescape(s: str) -> bytes:
    """frames.txt's escapes: \\n, \\t, \\\\ and \\xHH."""
    def one(m: "re.Match[str]") -> str:
        c = m.group(1)
        return {"n": "\n", "t": "\t"}.get(c[0], c[0]) if c[0] != "x" \
            else chr(int(c[1:], 16))
    return re.sub(r"\\(x[0-9a-fA-F]{2}|.)", one, s).encode("latin-1")


def entries() -> List[Tuple[str, bytes]]:
    out = []
    for raw in TABLE.read_text().split("\n")[:-1]:
        if raw.startswith("#") or not raw:
            continue
        verdict, line = raw.split(" ", 1)
        out.append((verdict, unescape(line)))
    return out


ENTRIES = entries()


def verdict(f: object) -> str:
    seq, ts = getattr(f, "seq"), getattr(f, "ts_ns")
    return "data" if seq is None else f"frame:{seq}:{ts}"


@pytest.mark.parametrize("want,line", ENTRIES, ids=[repr(l) for _, l in ENTRIES])
def test_python_frame(want: str, line: bytes) -> None:
    assert verdict(frame(line)) == want


@pytest.fixture(scope="module")
def c_verdicts() -> List[str]:
    out = subprocess.run([program("frame-test"), str(TABLE)], check=True,
                         capture_output=True, text=True).stdout
    return out.splitlines()


@pytest.mark.parametrize("i", range(len(ENTRIES)), ids=[repr(l) for _, l in ENTRIES])
def test_c_parser(c_verdicts: List[str], i: int) -> None:
    assert len(c_verdicts) == len(ENTRIES)
    assert c_verdicts[i] == ENTRIES[i][0]


def test_lines_keep_an_unfinished_line(device) -> None:
    with device(mode=MODE_FIFO) as dev:
        assert dev._lines(b"hello\nseq=1 ") == [frame(b"hello\n")]
        got = dev._lines(b"ts=2\n")
        assert [(f.seq, f.ts_ns) for f in got] == [(1, 2)]


def test_lines_latest_mode_read_is_whole(device) -> None:
    with device(mode=MODE_LATEST) as dev:
        assert [f.data for f in dev._lines(b"seq=1 ts=2")] == [b"seq=1 ts=2"]
        assert dev.carry == b""


def test_lines_carry_stays_bounded(device) -> None:
    with device(mode=MODE_FIFO, size=8) as dev:
        assert [f.data for f in dev._lines(b"12345678")] == [b"12345678"]


def test_records_split_across_reads(device) -> None:
    rec = RECORD.pack(7, 99)
    with device(mode=MODE_FIFO, fmt=FORMAT_BINARY) as dev:
        assert dev._records(rec[:5]) == []
        got = dev._records(rec[5:] + rec)
        assert [(f.seq, f.ts_ns) for f in got] == [(7, 99), (7, 99)]


def test_records_latest_mode_other_size_is_data(device) -> None:
    with device(mode=MODE_LATEST, fmt=FORMAT_BINARY) as dev:
        got = dev._records(b"hi\n")
        assert [(f.data, f.seq) for f in got] == [(b"hi\n", None)]
