# SPDX-License-Identifier: GPL-2.0-only
# Shared by the harness scripts: the cache folder, logging and failing with a fix.
# shellcheck shell=sh

CACHE=${ASYNC_NOTIFY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/async-notify}
# shellcheck disable=SC2034 # for the scripts that source this
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
ME=$(basename "$0" .sh)

log() {
	echo "$ME: $*" >&2
}

# die REASON FIX: say what went wrong and how to fix it, then fail.
die() {
	echo "$ME: error: $1" >&2
	[ -n "${2:-}" ] && echo "$ME: fix: $2" >&2
	exit 1
}

mkdir -p "$CACHE"
