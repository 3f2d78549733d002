# SPDX-License-Identifier: GPL-2.0-only
# Last, on a kernel with kmemleak (the debug kernel): the run leaked no
# kernel memory. Two scans, as is customary: kmemleak reports an object
# only once it is 5 s old and no scan has found a reference to it.
# shellcheck shell=sh

kml=/sys/kernel/debug/kmemleak
if [ -e $kml ]; then
	why=
	out=/tmp/kmemleak.out
	sleep 5
	if echo scan >$kml && echo scan >$kml && cat $kml >$out; then
		n=$(grep -c '^unreferenced object' $out)
		if [ "$n" != 0 ]; then
			head -n 120 $out
			# Where the first leak was allocated, innermost call first.
			bt=$(sed -n '/backtrace:/,/^unreferenced/p' $out |
				sed -n 's/^ *\[<[^]]*>\] \([^ ]*\).*/\1/p' | head -n 6 | tr '\n' ' ')
			why="$n suspected leaks (listed above); the first allocated by: $bt"
		fi
	else
		why="cannot scan with $kml"
	fi
	result kmemleak "$why"
else
	echo "SKIP: kmemleak: this kernel has no kmemleak ($kml)" | tee -a "$RESULTS"
fi
