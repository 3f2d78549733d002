# SPDX-License-Identifier: GPL-2.0-only
# apt on Debian 13's archive beside the host's Debian 12, with its own state in the cache.
# shellcheck shell=sh
#
# Sourced after lib.sh. Only `apt-get update`, `apt-get download`,
# `apt-get source --download-only` and apt-cache look-ups go through here,
# never an install: Debian 13's packages need a newer glibc than Debian 12
# has. The sources are debian13.list (arm64 only: arch "all" packages are
# in those indices too), debian13-backports.list, which adds
# trixie-backports and prefers it, or debian-sid-src.list (sparse.sh);
# the lists and apt's cache live in $D13_STATE, one folder per sources
# list, so the host's apt state is never touched. One apt call at a time
# on that state (flock).

# d13_init LIST: which sources d13_apt reads: tools/testing/kernels/LIST.list.
d13_init() {
	D13_LIST=$TOP/tools/testing/kernels/$1.list
	D13_STATE=$CACHE/apt-$1
	D13_RELEASE=
	if [ "$1" = debian13-backports ]; then
		D13_RELEASE=trixie-backports
	fi
}

# d13_apt apt-get|apt-cache ARGS...: run that apt command on Debian 13's archive.
d13_apt() {
	d13_cmd=$1
	shift
	mkdir -p "$D13_STATE/lists/partial" "$D13_STATE/cache/archives/partial"
	# As root apt drops to the _apt user, who cannot write into the cache.
	[ "$(id -u)" = 0 ] && set -- -o APT::Sandbox::User=root "$@"
	# Backports are pinned below the release unless they are the default.
	[ -n "$D13_RELEASE" ] && set -- -o "APT::Default-Release=$D13_RELEASE" "$@"
	flock "$D13_STATE/lock" "$d13_cmd" -q \
		-o "Dir::Etc::sourcelist=$D13_LIST" -o Dir::Etc::sourceparts=/dev/null \
		-o "Dir::State::Lists=$D13_STATE/lists" -o "Dir::Cache=$D13_STATE/cache" "$@"
}
