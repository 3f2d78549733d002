# SPDX-License-Identifier: GPL-2.0-only
# Last, on a kernel with kmemleak (the debug kernel): the run leaked no
# kernel memory. Two scans, as is customary: kmemleak reports an object
# only once it is 5 s old and no scan has found a reference to it.
# checks: 1
# shellcheck shell=sh

kml=/sys/kernel/debug/kmemleak
if [ -e $kml ]; then
	why=
	out=/tmp/kmemleak.out
	# The last test's objects are as old as kmemleak's MSECS_MIN_AGE,
	# 5 s, counted from when this file began (the tests before it had
	# ended), in whole seconds, rounded up.
	wait_until uptime_past $(($(cut -d. -f1 /proc/uptime) + 6)) ||
		why="the guest's uptime did not move"
	if echo scan >$kml && echo scan >$kml && cat $kml >$out; then
		n=$(grep -c '^unreferenced object' $out)
		if [ "$n" != 0 ]; then
			head -n 120 $out
			# Where the first leak was allocated: its innermost callers
			# beyond the allocator itself.
			at=$(sed -n '/backtrace:/,/^unreferenced/p' $out |
				sed -n 's/^ *\[<[^]]*>\] \(.*\)/\1/p' |
				grep -v -E '^_*(kmem_cache|kmalloc|kvmalloc|kzalloc|slab)' |
				head -n 3 | awk 'NR > 1 { printf " < " } { printf "%s", $0 }')
			why="$n suspected leaks (listed above), the first allocated in $at"
		fi
	else
		why="cannot scan with $kml"
	fi
	result kmemleak "$why"
else
	echo "SKIP: kmemleak: this kernel has no kmemleak ($kml)" | tee -a "$RESULTS"
fi
