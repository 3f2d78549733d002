# SPDX-License-Identifier: GPL-2.0-only
# Readers and writers are counted from the open mode; the buffer exists
# from the first open to the last close.
# checks: 1
# shellcheck shell=sh

why=
d=globalfifo
state() {
	echo "$(attr $d readers) $(attr $d writers) $(attr $d allocated)"
}
expect "closed" "$(state)" "0 0 0"
exec 3</dev/$d
expect "O_RDONLY" "$(state)" "1 0 1"
exec 4>/dev/$d
expect "+O_WRONLY" "$(state)" "1 1 1"
exec 5<>/dev/$d
expect "+O_RDWR" "$(state)" "2 2 1"
exec 3<&-
expect "-O_RDONLY" "$(state)" "1 2 1"
exec 5<&-
expect "-O_RDWR" "$(state)" "0 1 1"
exec 4>&-
expect "all closed: freed" "$(state)" "0 0 0"
exec 4>/dev/$d
expect "open again: allocated" "$(state)" "0 1 1"
exec 4>&-
no=$(attr $d notifications)
echo x >/dev/$d
expect "notifications without a subscriber" "$(attr $d notifications)" "$no"
result counting "$why"
