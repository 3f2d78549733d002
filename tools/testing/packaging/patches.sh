#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make patches: the driver as a git format-patch series against Debian's
# linux-source-6.1, for a kernel tree (a vendor tree, Yocto, Buildroot):
#   1 the binding, 2 the driver with its UAPI header, Kconfig and Makefile
#   under drivers/misc/async-notify/, 3 the documentation, 4 KUnit.
# Written to build/patches/. The series is made in a small git repository
# holding only the files of the tree it changes, as they are in Debian's
# source, so `git am` applies it to the whole tree (patches-check.sh does).
set -euo pipefail
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

eval "$("$TOP/tools/testing/kernels/source.sh" 6.1)"
out=$TOP/build/patches
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
who="async-notify developers <async-notify@lists.invalid>"
# Reproducible: the series carries the date of the commit it is made from.
date=$(git -C "$TOP" log -1 --format=%cD 2>/dev/null || date -R)
export GIT_AUTHOR_NAME=${who% <*} GIT_AUTHOR_EMAIL=async-notify@lists.invalid
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date

base="MAINTAINERS drivers/misc/Kconfig drivers/misc/Makefile
Documentation/userspace-api/index.rst
Documentation/userspace-api/ioctl/ioctl-number.rst"
log "base: $(cat "$SRC/.async-notify-unpacked") ($(echo "$base" | tr '\n' ' '))"
git init -q "$tmp/linux"
cd "$tmp/linux"
for f in $base; do
	mkdir -p "$(dirname "$f")"
	cp "$SRC/$f" "$f"
done
git add .
git commit -q -m "linux-source-6.1 $(sed 's/^linux-source-6.1_\(.*\)_all.deb$/\1/' "$SRC/.async-notify-unpacked")"

commit() {	# commit SUBJECT BODY
	git add -A
	git commit -q -s -F - <<-MSG
	$1

	$2
	MSG
}

# maintainers FILE...: add F: lines for FILE... to our MAINTAINERS entry,
# made first, before "ASYNCHRONOUS TRANSFERS/TRANSFORMS" (the file's
# alphabetical order); its F: lines stay sorted.
maintainers() {
	/usr/bin/python3 - "$who" "$@" <<-'PY'
	import sys
	who, files = sys.argv[1], sys.argv[2:]
	text = open("MAINTAINERS").read()
	head = "ASYNC-NOTIFY DRIVER\n"
	if head not in text:
	    at = text.index("ASYNCHRONOUS TRANSFERS/TRANSFORMS")
	    text = text[:at] + head + "M:\t%s\nS:\tMaintained\n\n" % who + text[at:]
	start = text.index(head)
	end = text.index("\n\n", start) + 1
	lines = text[start:end].splitlines()
	f = sorted(set([l for l in lines if l.startswith("F:")] + ["F:\t" + x for x in files]))
	block = "\n".join([l for l in lines if not l.startswith("F:")] + f) + "\n"
	open("MAINTAINERS", "w").write(text[:start] + block + text[end:])
	PY
}

bind=Documentation/devicetree/bindings/misc/linux,async-notify.yaml
mkdir -p "$(dirname "$bind")"
cp "$TOP/$bind" "$bind"
maintainers "$bind"
commit "dt-bindings: misc: Add linux,async-notify" \
"Describe a device that turns a data-ready event into frames userspace
can read, poll for and be signalled about (SIGIO): an edge-triggered
interrupt (typically a GPIO line), or a timer that emulates one, or no
source at all for a software buffer fed by writers. linux,mode chooses
how frames are buffered (the newest only, a shared byte queue, or a
queue per reader), linux,buffer-size its size and linux,period-us the
timer's period; a label names the /dev node.

The node describes no particular chip: it is the data-ready line of any
sensor or converter whose data a userspace program collects, hence the
linux, prefix."

d=drivers/misc/async-notify
mkdir -p "$d" include/uapi/linux
cp "$TOP"/drivers/*.[ch] "$d/"
rm -f "$d"/*.mod.c
# The compat header serves every kernel the project builds for; in the
# tree it holds what 6.1 needs, without version tests.
"$TOP/tools/testing/packaging/kernel-version-resolve.py" 6 1 \
	<"$TOP/drivers/async_notify_compat.h" >"$d/async_notify_compat.h"
cp "$TOP/include/uapi/linux/async_notify.h" include/uapi/linux/
# The driver's Kconfig entry: the project's first one.
sed -n '1p; /^config ASYNC_NOTIFY$/,/^config /{/^config ASYNC_NOTIFY_KUNIT_TEST/!p}' "$TOP/Kconfig" |
	sed '${/^$/d}' >"$d/Kconfig"
cat >"$d/Makefile" <<-'MK'
	# SPDX-License-Identifier: GPL-2.0-only
	obj-$(CONFIG_ASYNC_NOTIFY) += async_notify.o
	async_notify-y := async_notify_main.o async_notify_source.o \
		async_notify_fops.o async_notify_sysfs.o async_notify_buf.o
MK
sed -i 's|^source "drivers/misc/mchp_pci1xxxx/Kconfig"$|&\nsource "drivers/misc/async-notify/Kconfig"|' drivers/misc/Kconfig
grep -q async-notify drivers/misc/Kconfig || die "no place for the Kconfig line in drivers/misc/Kconfig" "see $0"
# shellcheck disable=SC2016 # a make variable
printf 'obj-$(CONFIG_ASYNC_NOTIFY)\t+= async-notify/\n' >>drivers/misc/Makefile
maintainers "$d/" include/uapi/linux/async_notify.h
commit "misc: async-notify: Add a driver for data-ready notification" \
"Programs that collect a sensor's or converter's data on embedded Linux
are told that data is ready by an interrupt line. gpio-cdev gives them
the edge but no buffer and no signal, UIO a count but no timestamp and
no queue. async-notify makes each event a frame, \"seq=N ts=T\\n\" with the
CLOCK_MONOTONIC time taken in the hard interrupt handler, that userspace
reads, polls for or is signalled about (F_SETOWN and O_ASYNC, or
F_SETSIG for a real-time signal with si_fd and si_band).

Each linux,async-notify node is a misc device, /dev/<label> or
/dev/async_n<N>. Its buffer and its source exist only while it is open.
A buffer holds the newest frame (latest), a byte queue shared by readers
(fifo) or a queue per reader (queue, as evdev's clients have). Events
are stamped and queued in the hard handler and made into frames in the
IRQ thread, so a burst gives a frame per event, and every event is
either delivered or counted (sysfs: events, frames, writes, dropped,
overruns). Writers add frames of their own. Copies to userspace are made
without the driver's locks held. Unbinding with files open wakes
everyone with ENODEV and POLL_HUP.

The UAPI header holds the frame format and two ioctls: one empties the
buffer, one reports the device as the calling file sees it."

for f in async-notify.rst async-notify-guide.rst; do
	cp "$TOP/Documentation/userspace-api/$f" Documentation/userspace-api/
done
mkdir -p Documentation/ABI/testing
cp "$TOP/Documentation/ABI/testing/sysfs-driver-async-notify" Documentation/ABI/testing/
sed -i 's|^   futex2$|&\n   async-notify\n   async-notify-guide|' Documentation/userspace-api/index.rst
awk '/^0xAA  / && !done { printf "%-6s%-7s%-58s%s\n", "0xA9", "00-01", "uapi/linux/async_notify.h", "async-notify driver"; done = 1 } { print }' \
	Documentation/userspace-api/ioctl/ioctl-number.rst >ioctl.new
mv ioctl.new Documentation/userspace-api/ioctl/ioctl-number.rst
maintainers Documentation/ABI/testing/sysfs-driver-async-notify \
	Documentation/userspace-api/async-notify.rst Documentation/userspace-api/async-notify-guide.rst
commit "docs: userspace-api: Document async-notify" \
"Describe the async-notify character device: its nodes and their
lifetime, the frame format, the three buffer modes, blocking, poll and
signals, the ioctls, unbinding and the errors; a guide for people who
write subscribers (which way of waiting to choose, how never to lose a
frame, a device tree node for a board); and the sysfs attributes, in
Documentation/ABI. Register the ioctl magic 0xA9 it uses."

# One module of two suites; in one folder the buffer's file needs a name
# other than the module's.
cp "$TOP/kunit/async_notify_kunit.c" "$d/async_notify_buf_kunit.c"
cp "$TOP/kunit/async_notify_driver_kunit.c" "$d/"
sed -i 's|#include "\.\./drivers/|#include "|' "$d/async_notify_buf_kunit.c" \
	"$d/async_notify_driver_kunit.c"
{ echo; sed -n '/^config ASYNC_NOTIFY_KUNIT_TEST$/,$p' "$TOP/Kconfig"; } >>"$d/Kconfig"
# shellcheck disable=SC2016 # make variables
printf 'obj-$(CONFIG_ASYNC_NOTIFY_KUNIT_TEST) += async_notify_kunit.o\nasync_notify_kunit-y := async_notify_buf_kunit.o async_notify_driver_kunit.o\n' >>"$d/Makefile"
cp "$TOP/kunit/.kunitconfig" "$d/.kunitconfig"
commit "misc: async-notify: Add KUnit tests" \
"Test the buffer logic, which holds no locks and is reached through
EXPORT_SYMBOL_IF_KUNIT(): frames in each mode, partial reads, overruns
and their counting, the readers' and writers' counts and when the
buffer is allocated and freed. Test the driver itself too: platform
devices with software nodes probed by the real driver, invalid
properties, an unbind waking a blocked reader, and kernel threads racing
every file operation against unbind. The tests are a module of their own,
async_notify_kunit, so the driver carries none of them. Run them with

  tools/testing/kunit/kunit.py run \\
      --kunitconfig=drivers/misc/async-notify"

rm -rf "$out"
mkdir -p "$out"
git format-patch -q --base=HEAD~4 -o "$out" HEAD~4
ls "$out"
