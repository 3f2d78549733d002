#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian's arm64 kernel, headers and busybox into the cache; print where.
#
# Usage: kernel.sh [SERIES]     (SERIES: 6.1, the default, 6.12, 6.12-rt
#                               or backports; see series.sh)
#        KABI=6.1.0-56 kernel.sh   uses that ABI instead of the current one
#        (KABI=6.12.117+deb13 kernel.sh 6.12 for Debian 13's).
#        kernel.sh debug   the debug kernel, built by debug-kernel.sh
# Stdout holds only shell assignments, for eval: KDIR KREL VMLINUZ DTBS
# DTINC BUSYBOX MODDIR. Once unpacked, a run needs no network.
#
# 6.1 is Debian 12's own kernel: KDIR is its headers package. Debian 13's
# headers need gcc-14 and glibc 2.38, so for its kernels KDIR is a tree
# prepared once from their linux-source (source.sh) with Debian's .config
# and Module.symvers, built with Debian 12's aarch64-linux-gnu-gcc-12.
# Either way `make -C $KDIR M=DIR ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
# modules` builds a module that the booted kernel loads. Debian 13's apt
# lists are the cache's own: delete $CACHE/apt-debian13* to look for a
# newer ABI.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"
# shellcheck source=tools/testing/kernels/series.sh
. "$TOP/tools/testing/kernels/series.sh"

SERIES=${1:-6.1}
# Built from source rather than downloaded, with KASAN, lockdep and more.
[ "$SERIES" = debug ] && exec "$TOP/tools/testing/kernels/debug-kernel.sh"
# Everything that differs between kernel series is set there, and only there.
series_set "$SERIES"

# Where the packages put things: /usr/lib/modules since Debian 13, /lib
# before; the image and its DTBs in /boot and /usr/lib/linux-image-<release>
# until 7.x's split packages moved both under /usr/lib/modules/<release>.
MODS=usr/lib/modules
BB=usr/bin/busybox
[ "$TREE" = headers ] && MODS=lib/modules BB=bin/busybox
vmlinuz() {	# vmlinuz ROOT KREL
	for f in "$1/boot/vmlinuz-$2" "$1/$MODS/$2/vmlinuz"; do
		[ -f "$f" ] && { echo "$f"; return; }
	done
}
dtbs() {	# dtbs ROOT KREL
	for f in "$1/usr/lib/linux-image-$2" "$1/$MODS/$2/dtb"; do
		[ -d "$f" ] && { echo "$f"; return; }
	done
}

# pkgs ABI: the packages to fetch. The image's own dependencies that name
# the ABI are its parts (7.x: linux-base-, linux-binary-, linux-modules-).
pkgs() {
	image=linux-image-$1-$FLAVOUR$UNSIGNED:arm64
	parts=$(aptcache depends "$image" 2>/dev/null |
		sed -n 's/^ *Depends: \(.*\)$/\1/p' | grep -F -- "-$1-") || true
	# shellcheck disable=SC2086 # lists of package names
	echo "$image" $parts "linux-headers-$1-$FLAVOUR:arm64" \
		"linux-headers-$1-$COMMON" $EXTRA busybox-static:arm64
}

# kdir KREL: KDIR, relative to the unpacked tree.
kdir() {
	case $TREE in
	headers) echo "usr/src/linux-headers-$1" ;;
	source) echo build ;;
	esac
}

# prepare ROOT ABI KREL DEBS: make the unpacked tree usable as KDIR.
prepare() {
	case $TREE in
	headers)
		# The headers include the common half by absolute path.
		sed -i "s|^include /usr/src/linux-headers-$2-$COMMON/|include $1/usr/src/linux-headers-$2-$COMMON/|" \
			"$1/usr/src/linux-headers-$3/Makefile"
		;;
	source)
		prepare_source "$@"
		;;
	esac
}

# ROOT/build becomes a tree to build modules for KREL in: the linux-source
# of the image's exact version (the shared tree of source.sh), the
# headers' .config and their Module.symvers.
prepare_source() {
	hdr=$1/usr/src/linux-headers-$3
	out=$1/build
	ver=
	for f in $4; do
		case $f in
		linux-image-*) ver=$(dpkg-deb -f "$CACHE/debs/$f" Version) ;;
		esac
	done
	[ -n "$ver" ] || die "no linux-image package among the downloads" "adapt pkgs() in $0"
	# Without pahole olddefconfig drops DEBUG_INFO_BTF_MODULES, struct
	# module shrinks and the kernel refuses the module.
	for t in pahole aarch64-linux-gnu-gcc-12 flex bison bc; do
		command -v $t >/dev/null || die "$t is missing, needed to prepare the $SERIES build tree" \
			"run tools/testing/host/deps.sh (as root)"
	done
	src_env=$(SRCVER=$ver "$TOP/tools/testing/kernels/source.sh" "$SERIES") || exit 1
	eval "$src_env"
	upstream=$(make -s --no-print-directory -C "$SRC" kernelversion)
	case $3 in
	"$upstream"[+-]*) ;;
	*) die "linux-source $upstream ($SRC) does not match kernel $3" \
		"delete $SRC and run again" ;;
	esac
	log "preparing a module build tree for $3 in $out (olddefconfig modules_prepare, about a minute)"
	mkdir -p "$out"
	# Debian's top Makefile reads this from the build folder, as in
	# its own headers: `make -C KDIR M=...` needs no CC (nor ARCH).
	cat >"$out/.kernelvariables" <<-EOF
	# Written by async-notify's tools/testing/kernels/kernel.sh: modules for Debian's
	# $3, built with Debian 12's cross compiler.
	override ARCH = arm64
	CROSS_COMPILE ?= aarch64-linux-gnu-
	CC = \$(CROSS_COMPILE)gcc-12
	EOF
	cp "$hdr/.config" "$out/.config"
	if ! make -C "$SRC" O="$out" -j"$(nproc)" LOCALVERSION="${3#"$upstream"}" \
		olddefconfig modules_prepare >"$out/prepare.log" 2>&1; then
		tail -n 20 "$out/prepare.log" >&2
		die "make olddefconfig modules_prepare failed for $3" "see the errors above"
	fi
	cp "$hdr/Module.symvers" "$out/Module.symvers"
	# Module builds (M=) do not run syncconfig: what is written into the
	# three config files now stays.
	for o in $KEEP; do
		grep -qx "CONFIG_$o=y" "$hdr/.config" || continue
		grep -qx "CONFIG_$o=y" "$out/.config" && continue
		log "keeping CONFIG_$o=y of Debian's config"
		echo "CONFIG_$o=y" | tee -a "$out/.config" >>"$out/include/config/auto.conf"
		echo "#define CONFIG_$o 1" >>"$out/include/generated/autoconf.h"
	done
	[ "$(cat "$out/include/config/kernel.release")" = "$3" ] ||
		die "the build tree says release $(cat "$out/include/config/kernel.release"), not $3" \
			"check LOCALVERSION in $0 and $SRC/localversion*"
	# What decides whether the kernel takes the module must not change.
	for o in DEBUG_INFO_BTF_MODULES MODVERSIONS MODULE_UNLOAD PREEMPT_RT PREEMPT_BUILD; do
		grep -qx "CONFIG_$o=y" "$hdr/.config" || continue
		grep -qx "CONFIG_$o=y" "$out/.config" ||
			die "CONFIG_$o got lost in olddefconfig: modules would not load into $3" \
				"see $out/prepare.log; run tools/testing/host/deps.sh"
	done
	# make C=1 and C=2 in this tree run a sparse that understands it.
	check=$("$TOP/tools/testing/host/sparse.sh" "$SRC") || exit 1
	[ "$check" = sparse ] || echo "CHECK = $check" >>"$out/.kernelvariables"
	cp "$SRC/.async-notify-unpacked" "$out/.async-notify-source"
}

# intact ROOT: the prepared tree still holds (no network, quick). A built
# tree refers to the shared source tree: it must still be the one it was
# prepared from (kunit.sh's additions do not matter).
intact() {
	[ "$TREE" = headers ] && return 0
	[ -f "$1/build/.async-notify-source" ] &&
		[ "$(cat "$CACHE/linux-source-$SRC_SERIES/.async-notify-unpacked" 2>/dev/null)" = \
			"$(cat "$1/build/.async-notify-source")" ]
}

# print_vars ABI: the assignments for eval, from the unpacked tree.
print_vars() {
	root=$CACHE/kernel-$1$KTAG
	krel=$(cd "$root/$MODS" && ls)
	cat <<-EOF
	KDIR='$root/$(kdir "$krel")'
	KREL='$krel'
	VMLINUZ='$(vmlinuz "$root" "$krel")'
	DTBS='$(dtbs "$root" "$krel")'
	DTINC='$root/usr/src/linux-headers-$1-$COMMON/include'
	BUSYBOX='$root/$BB'
	MODDIR='$root/$MODS/$krel'
	EOF
}

# Memo of the ABI the apt lists name, keyed by the lists' size and time:
# apt-cache alone takes over a second here (no package cache is kept).
abi_memo=$CACHE/abi-$SERIES
lists_sig() {
	stat -c '%n %s %Y' "$LISTS"*_Packages* 2>/dev/null | cksum
}

resolve_abi() {
	sig=$(lists_sig)
	if [ -f "$abi_memo" ] && [ "$(sed -n 1p "$abi_memo")" = "$sig" ]; then
		sed -n 2p "$abi_memo"
		return
	fi
	abi=$(aptcache depends "$META" 2>/dev/null |
		sed -n "s/^ *Depends: linux-image-\(.*\)-$FLAVOUR\(:arm64\)\{0,1\}\$/\1/p" | head -n 1)
	[ -n "$abi" ] && printf '%s\n%s\n' "$sig" "$abi" >"$abi_memo"
	echo "$abi"
}

apt_update() {
	log "updating the apt lists (apt-get update)"
	rm -f "$abi_memo"
	if ! out=$(aptget update 2>&1) || echo "$out" | grep -q '^[WE]: Failed to fetch'; then
		echo "$out" | grep '^[WE]:' >&2
		die "cannot reach Debian's archive (apt-get update failed)" \
			"check the network and $SOURCES, then run again; or use a kernel already in $CACHE with KABI=<abi>"
	fi
}

done_stamp() { [ -f "$CACHE/kernel-$1$KTAG/.unpacked" ] && intact "$CACHE/kernel-$1$KTAG"; }

# Fast path: already unpacked, no apt and no network.
if [ -n "${KABI:-}" ] && done_stamp "$KABI"; then
	print_vars "$KABI"
	exit 0
fi

dpkg --print-foreign-architectures | grep -qx arm64 ||
	die "dpkg does not know the arm64 architecture" "run tools/testing/host/deps.sh (as root)"

ABI=${KABI:-}
if [ -z "$ABI" ]; then
	ABI=$(resolve_abi)
	[ -n "$ABI" ] && done_stamp "$ABI" && { print_vars "$ABI"; exit 0; }
	if [ -z "$ABI" ]; then
		log "the apt lists do not name an arm64 kernel for $SERIES"
		apt_update
		ABI=$(resolve_abi)
		[ -n "$ABI" ] || die "apt-cache depends $META names no kernel" \
			"check that $SOURCES has Debian's main archive for this series"
	fi
fi

# One fetch and unpack at a time; whoever waited may find it done.
# Whatever an interrupted run leaves half done is removed.
tmp=
trap 'rm -rf ${tmp:+"$tmp"}' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
exec 9>"$CACHE/kernel.lock"
flock 9
if done_stamp "$ABI"; then
	print_vars "$ABI"
	exit 0
fi

# download PKGS...: fetch the .debs not yet in $CACHE/debs; print their names.
# A download lands in a folder of its own first, so a cut one is never used.
download() {
	part=$CACHE/debs/.kernel-partial
	mkdir -p "$CACHE/debs"
	rm -rf "$part"
	uris=$(aptget download --print-uris "$@" 2>&1) || { echo "$uris" | grep "^E:" >&2; return 1; }
	files=$(echo "$uris" | sed -n "s/^'[^']*' \([^ ]*\) .*/\1/p")
	[ "$(echo "$files" | wc -w)" = $# ] || { echo "$uris" >&2; return 1; }
	want=
	for f in $files; do
		[ -f "$CACHE/debs/$f" ] && continue
		case $f in
		*_arm64.deb) want="$want ${f%%_*}:arm64" ;;
		*) want="$want ${f%%_*}" ;;
		esac
	done
	if [ -n "$want" ]; then
		log "downloading$want"
		mkdir "$part"
		# shellcheck disable=SC2086
		(cd "$part" && aptget download $want >&2) || { rm -rf "$part"; return 1; }
		mv "$part"/*.deb "$CACHE/debs/" && rmdir "$part" || return 1
	fi
	echo "$files"
}

# shellcheck disable=SC2046
if ! debs=$(download $(pkgs "$ABI")); then
	[ -n "${KABI:-}" ] && die "cannot download the packages of kernel ABI $ABI" \
		"list the ABIs on offer (apt-cache search --names-only 'linux-image-.*-$FLAVOUR$UNSIGNED\$', with $SOURCES) or unset KABI"
	log "download failed; the apt lists may be stale"
	apt_update
	ABI=$(resolve_abi)
	[ -n "$ABI" ] || die "apt-cache depends $META names no kernel" \
		"check $SOURCES"
	done_stamp "$ABI" && { print_vars "$ABI"; exit 0; }
	# shellcheck disable=SC2046
	debs=$(download $(pkgs "$ABI")) ||
		die "cannot download kernel $ABI from Debian's archive" \
			"check the network and $SOURCES, then run again"
fi

# Unpack into a fresh folder and rename it into place once unpacked (a
# tree built from source must be made where it stays); it counts as done
# only with its stamp, and a run that fails before that removes it.
dest=$CACHE/kernel-$ABI$KTAG
tmp=$dest.partial
log "unpacking kernel $ABI into $dest"
rm -rf "$tmp" "$dest"
mkdir -p "$tmp"
for f in $debs; do
	dpkg-deb -x "$CACHE/debs/$f" "$tmp" ||
		die "cannot unpack $CACHE/debs/$f" "delete it and run again"
done
krel=$(cd "$tmp/$MODS" 2>/dev/null && ls)
[ -n "$krel" ] || die "unpacked kernel $ABI has no $MODS/<release>" \
	"the package layout changed: adapt MODS in $0"
if [ -z "$(vmlinuz "$tmp" "$krel")" ] || [ -z "$(dtbs "$tmp" "$krel")" ]; then
	die "unpacked kernel $ABI has no vmlinuz or no DTBs where $0 looks" \
		"the package layout changed: adapt vmlinuz() and dtbs() in $0"
fi
for f in "usr/src/linux-headers-$ABI-$COMMON/include" "usr/src/linux-headers-$krel/.config" "$BB"; do
	[ -e "$tmp/$f" ] || die "unpacked kernel $ABI lacks $f" \
		"the package layout changed: adapt $0"
done
mv "$tmp" "$dest"
tmp=$dest
prepare "$dest" "$ABI" "$krel" "$debs"
for f in Makefile scripts/mod/modpost; do
	[ -e "$dest/$(kdir "$krel")/$f" ] || die "$dest/$(kdir "$krel") lacks $f: no kernel build tree" \
		"the package layout changed: adapt $0"
done
# MODS/KREL/build and source point at /usr/src: point them inside.
up=$(echo "$MODS/$krel" | sed 's|[^/][^/]*|..|g')
ln -sfn "$up/$(kdir "$krel")" "$dest/$MODS/$krel/build"
ln -sfn "$up/usr/src/linux-headers-$ABI-$COMMON" "$dest/$MODS/$krel/source"
echo "$ABI" >"$dest/.unpacked"
tmp=
log "kernel $krel ready"
print_vars "$ABI"
