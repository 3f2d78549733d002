#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The Python package as its users get it: mypy (strict) accepts it, pip
# installs it from tools/python into a fresh virtual environment with no
# package index (the build backend is Debian's setuptools, seen through
# --system-site-packages), and a program outside the tree imports it,
# both interfaces there, and type-checks against its py.typed hints.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

# Debian's Python: the one python3-setuptools and python3-mypy serve,
# whatever python3 comes first on PATH.
py=/usr/bin/python3
for m in mypy setuptools venv; do
	"$py" -c "import $m" 2>/dev/null ||
		die "$py lacks the $m module" "run tools/testing/host/deps.sh"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# mypy's cache goes to the temporary folder, not into the tree.
log "mypy --strict tools/python"
(cd "$TOP/tools/python" && "$py" -m mypy --cache-dir "$tmp/mypy-cache")

# pip builds in the folder it is given: build a copy, not the clone.
cp -RL "$TOP/tools/python" "$tmp/src"
log "python3 -m venv --system-site-packages; pip install --no-index --no-build-isolation tools/python"
"$py" -m venv --system-site-packages "$tmp/venv"
"$tmp/venv/bin/pip" install --no-index --no-build-isolation --quiet "$tmp/src"
"$tmp/venv/bin/pip" show async-notify | sed -n 's/^\(Name\|Version\|Location\): /pip show: &/p'
version=$("$tmp/venv/bin/pip" show async-notify | sed -n 's/^Version: //p')
[ "$version" = "$(cat "$TOP/VERSION")" ] ||
	die "pip installed version '$version', VERSION says $(cat "$TOP/VERSION")" \
		"tools/python/VERSION must lead to the top VERSION file"

cat >"$tmp/user.py" <<'PY'
import contextlib

import async_notify
from async_notify import Device, Frame


async def first(path: str) -> Frame:
    with Device(path) as dev:
        async with contextlib.aclosing(dev.aframes(timeout=1.0)) as frames:
            async for frame in frames:
                return frame
    raise TimeoutError(path)


def blocking(path: str) -> int:
    with Device(path) as dev:
        dev.subscribe()
        return sum(1 for _ in dev.frames(timeout=1.0))


print("import:", async_notify.__file__)
PY
cd "$tmp"
out=$("$tmp/venv/bin/python" user.py)
echo "$out"
case $out in
"import: $tmp/venv/"*) ;;
*) die "async_notify was not imported from the virtual environment" \
	"see pyproject.toml's [tool.setuptools]" ;;
esac
log "mypy --strict on a program that uses the installed package"
"$tmp/venv/bin/python" -m mypy --strict --cache-dir "$tmp/mypy-cache" user.py
