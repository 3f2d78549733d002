# SPDX-License-Identifier: GPL-2.0-only
# The kernel series async-notify is tested on (KVER=), and everything that differs between them.
# shellcheck shell=sh
# shellcheck disable=SC2034,SC2317 # set and defined for the scripts that source this
#
# Sourced after lib.sh by kernel.sh, source.sh, kunit.sh and check.sh.
# SERIES_ALL lists the series `make check` runs; series_set NAME sets:
#   META      the metapackage whose dependency names the current ABI
#   FLAVOUR   Debian's flavour: the image's and the release's suffix
#   UNSIGNED  the image package's suffix: Debian 12 and 13 ship the
#             modules in linux-image-<abi>-<flavour>-unsigned; 7.x's split
#             linux-image-<abi>-<flavour> pulls them in by dependency
#   COMMON    the arch-independent headers: linux-headers-<abi>-COMMON
#   EXTRA     further packages to fetch beside busybox-static
#   KTAG      the cache folder is kernel-<abi>KTAG (flavours of one ABI)
#   TREE      headers: KDIR is the headers package; source: a tree that
#             kernel.sh prepares from SRC_SERIES's linux-source with
#             Debian 12's gcc-12 (Debian 13's headers need gcc-14, glibc 2.38)
#   SRC_SERIES  whose source.sh tree it is built from (and KUnit runs in)
#   SRC_PKG   that linux-source package; empty: the one the archive's
#             linux-source metapackage names (it moves with the series)
#   SAME_AS   another series with the very same source: checks of the
#             source alone (checkpatch, KUnit on UML) repeat that one's
#   RASPI     yes: the raspi3b suite runs on it; otherwise why not
#   KEEP      options of Debian's .config that linux-source's Kconfig
#             cannot hold together, kept in the prepared tree all the same
#   aptget, aptcache   apt with this series' archive and state
#   LISTS     where that apt keeps its lists; SOURCES its sources, for messages
#   UPDATE_AS_ROOT     yes: only root may update those lists (the host's)

SERIES_ALL="6.1 6.12 6.12-rt backports"

series_set() {
	META=linux-image-arm64:arm64
	FLAVOUR=arm64
	UNSIGNED=-unsigned
	COMMON=common
	EXTRA=
	KTAG=
	TREE=source
	SRC_SERIES=$1
	SRC_PKG=linux-source-$1
	SAME_AS=
	KEEP=
	RASPI=yes
	case $1 in
	6.1)
		# Debian 12's own kernel. linux-kbuild: the (amd64) host tools
		# the headers' scripts link points to.
		EXTRA=linux-kbuild-6.1
		TREE=headers
		RASPI="no Raspberry Pi OS kernel of this series (the overlay is for 6.12 and later)"
		series_apt host
		;;
	6.12)
		# Debian 13's, Raspberry Pi OS's series.
		series_apt debian13
		;;
	6.12-rt)
		# Debian 13's PREEMPT_RT flavour: the same source, its own config.
		META=linux-image-rt-arm64:arm64
		FLAVOUR=rt-arm64
		COMMON=common-rt
		KTAG=-rt
		SRC_SERIES=6.12
		SRC_PKG=linux-source-6.12
		SAME_AS=6.12
		# The suite tests the overlay on the Pi's DTB, and both come
		# from the same source as 6.12's; RT's own behaviour is the
		# virt suite's to test.
		RASPI="the same source and raspi3b DTB as 6.12, whose raspi suite runs"
		# Debian builds it with PREEMPT beside PREEMPT_RT (the separate
		# PREEMPT_RT option of 6.13), which 6.12's Kconfig makes a choice:
		# olddefconfig would drop PREEMPT, and with it the vermagic's
		# "preempt" that the kernel wants to see.
		KEEP="PREEMPT PREEMPT_BUILD UNINLINE_SPIN_UNLOCK"
		series_apt debian13
		;;
	backports)
		# The newest kernel Debian 13 has: trixie-backports' (7.3 on
		# 2026-11-23), whatever its version.
		UNSIGNED=
		SRC_PKG=
		series_apt debian13-backports
		;;
	*)
		die "unknown kernel series '$1'" "use one of: $SERIES_ALL"
		;;
	esac
}

# series_apt ARCHIVE: aptget, aptcache, LISTS, SOURCES, UPDATE_AS_ROOT for
# the host's own archive, or Debian 13's (debian13-apt.sh).
series_apt() {
	case $1 in
	host)
		aptget() { apt_sandboxed apt-get "$@"; }
		aptcache() { apt-cache "$@"; }
		LISTS=$(apt-config shell L Dir::State::lists/d | sed "s/^L='\(.*\)'$/\1/")
		SOURCES="/etc/apt/sources.list*"
		UPDATE_AS_ROOT=yes
		;;
	debian13*)
		# shellcheck source=tools/testing/kernels/debian13-apt.sh
		. "$TOP/tools/testing/kernels/debian13-apt.sh"
		d13_init "$1"
		aptget() { d13_apt apt-get "$@"; }
		aptcache() { d13_apt apt-cache "$@"; }
		LISTS=$D13_STATE/lists/
		SOURCES=$D13_LIST
		UPDATE_AS_ROOT=
		;;
	esac
}

# As root apt drops to the _apt user, who cannot write into the cache.
apt_sandboxed() {
	apt_cmd=$1
	shift
	[ "$(id -u)" = 0 ] && set -- -o APT::Sandbox::User=root "$@"
	"$apt_cmd" -q "$@"
}
