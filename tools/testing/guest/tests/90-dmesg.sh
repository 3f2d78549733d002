# SPDX-License-Identifier: GPL-2.0-only
# Last: the kernel log has no warning, bug, oops or hung task.
# shellcheck shell=sh

why=
bad=$(dmesg | grep -E 'WARNING|BUG|Oops|INFO: task .* blocked' | head -n 5)
[ -z "$bad" ] || why="dmesg: $bad"
result dmesg-clean "$why"
