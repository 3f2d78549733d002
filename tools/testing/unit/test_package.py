# SPDX-License-Identifier: GPL-2.0-only
"""The Python package's surface: its public names, the Python it
claims, and the ioctl numbers it computes for each architecture."""

import platform
import subprocess
import sys
import tomllib

import pytest

import async_notify
from conftest import TOP, program


def test_all_names_the_public_interface() -> None:
    names = async_notify.__all__
    assert {"Device", "Frame", "Info", "frame", "IOC_INFO"} <= set(names)
    for name in names:
        assert hasattr(async_notify, name), name
    assert "parse" not in dir(async_notify)     # no carry between reads


def test_requires_the_python_that_is_tested() -> None:
    with open(TOP / "tools" / "python" / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    assert project["requires-python"] == ">=3.11"
    assert sys.version_info >= (3, 11)


def test_ioctl_numbers_match_the_uapi_header() -> None:
    out = subprocess.run([program("ioc-numbers")], check=True,
                         capture_output=True, text=True).stdout
    clear, info = (int(x) for x in out.split())
    assert async_notify.ioc_numbers(platform.machine()) == (clear, info)
    assert (async_notify.IOC_CLEAR, async_notify.IOC_INFO) == (clear, info)


# By hand from each architecture's <asm/ioctl.h>: _IO(0xA9, 0) and
# _IOR(0xA9, 1, 48 bytes). Generic: read = 2 << 30, size << 16. Power,
# MIPS, SPARC, Alpha: none = 1 << 29, read = 2 << 29. PA-RISC: read = 1 << 30.
@pytest.mark.parametrize("machine,clear,info", [
    ("x86_64", 0x0000A900, 0x8030A901),
    ("aarch64", 0x0000A900, 0x8030A901),
    ("armv7l", 0x0000A900, 0x8030A901),
    ("riscv64", 0x0000A900, 0x8030A901),
    ("s390x", 0x0000A900, 0x8030A901),
    ("ppc64le", 0x2000A900, 0x4030A901),
    ("ppc64", 0x2000A900, 0x4030A901),
    ("mips64", 0x2000A900, 0x4030A901),
    ("mips", 0x2000A900, 0x4030A901),
    ("sparc64", 0x2000A900, 0x4030A901),
    ("alpha", 0x2000A900, 0x4030A901),
    ("parisc64", 0x0000A900, 0x4030A901),
])
def test_ioctl_numbers_per_architecture(machine: str, clear: int, info: int) -> None:
    assert async_notify.ioc_numbers(machine) == (clear, info)
