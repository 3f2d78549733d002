#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian's arm64 kernel, headers and busybox into the cache; print where.
#
# Usage: kernel.sh [SERIES]     (SERIES: 6.1, the default)
#        KABI=6.1.0-56 kernel.sh   uses that ABI instead of the current one.
# Stdout holds only shell assignments, for eval: KDIR KREL VMLINUZ DTBS
# DTINC BUSYBOX MODDIR. Once unpacked, a run needs no network.
set -eu
# shellcheck source=tools/harness/lib.sh
. "$(dirname "$0")/lib.sh"

SERIES=${1:-6.1}

# Everything that differs between kernel series is set here, and only here:
#   META     the metapackage whose dependency names the current ABI
#   KBUILD   the (amd64) package holding the headers' scripts and tools
#   aptget, aptcache   apt with this series' archive and state
#   prepare ROOT ABI   makes the unpacked headers usable as KDIR
case $SERIES in
6.1)
	META=linux-image-arm64:arm64
	KBUILD=linux-kbuild-6.1
	aptget() { apt-get -q -o APT::Sandbox::User=root "$@"; }
	aptcache() { apt-cache "$@"; }
	LISTS=$(apt-config shell L Dir::State::lists/d | sed "s/^L='\(.*\)'$/\1/")
	prepare() {
		# The headers include the common half by absolute path.
		sed -i "s|^include /usr/src/linux-headers-$2-common/|include $CACHE/kernel-$2/usr/src/linux-headers-$2-common/|" \
			"$1/usr/src/linux-headers-$2-arm64/Makefile"
	}
	;;
*)
	die "unknown kernel series '$SERIES'" "use one of: 6.1"
	;;
esac

# print_vars ABI: the assignments for eval, from the unpacked tree.
print_vars() {
	root=$CACHE/kernel-$1
	krel=$(cd "$root/lib/modules" && ls)
	cat <<-EOF
	KDIR='$root/usr/src/linux-headers-$krel'
	KREL='$krel'
	VMLINUZ='$root/boot/vmlinuz-$krel'
	DTBS='$root/usr/lib/linux-image-$krel'
	DTINC='$root/usr/src/linux-headers-$1-common/include'
	BUSYBOX='$root/bin/busybox'
	MODDIR='$root/lib/modules/$krel'
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
		sed -n 's/^ *Depends: linux-image-\(.*\)-arm64\(:arm64\)\{0,1\}$/\1/p' | head -n 1)
	[ -n "$abi" ] && printf '%s\n%s\n' "$sig" "$abi" >"$abi_memo"
	echo "$abi"
}

apt_update() {
	log "updating the apt lists (apt-get update)"
	rm -f "$abi_memo"
	if ! out=$(aptget update 2>&1) || echo "$out" | grep -q '^[WE]: Failed to fetch'; then
		echo "$out" | grep '^[WE]:' >&2
		die "cannot reach Debian's archive (apt-get update failed)" \
			"check the network and /etc/apt/sources.list*, then run again; or use a kernel already in $CACHE with KABI=<abi>"
	fi
}

done_stamp() { [ -f "$CACHE/kernel-$1/.unpacked" ]; }

# Fast path: already unpacked, no apt and no network.
if [ -n "${KABI:-}" ] && done_stamp "$KABI"; then
	print_vars "$KABI"
	exit 0
fi

dpkg --print-foreign-architectures | grep -qx arm64 ||
	die "dpkg does not know the arm64 architecture" "run tools/harness/deps.sh (as root)"

ABI=${KABI:-}
if [ -z "$ABI" ]; then
	ABI=$(resolve_abi)
	[ -n "$ABI" ] && done_stamp "$ABI" && { print_vars "$ABI"; exit 0; }
	if [ -z "$ABI" ]; then
		log "the apt lists do not name an arm64 kernel for $SERIES"
		apt_update
		ABI=$(resolve_abi)
		[ -n "$ABI" ] || die "apt-cache depends $META names no kernel" \
			"check that /etc/apt/sources.list* has Debian's main archive for this series"
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

pkgs() {
	echo "linux-image-$1-arm64-unsigned:arm64 linux-headers-$1-arm64:arm64" \
		"linux-headers-$1-common $KBUILD busybox-static:arm64"
}

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
		"list the ABIs on offer (apt-cache search --names-only 'linux-image-6.1.*-arm64-unsigned') or unset KABI"
	log "download failed; the apt lists may be stale"
	apt_update
	ABI=$(resolve_abi)
	[ -n "$ABI" ] || die "apt-cache depends $META names no kernel" \
		"check /etc/apt/sources.list*"
	done_stamp "$ABI" && { print_vars "$ABI"; exit 0; }
	# shellcheck disable=SC2046
	debs=$(download $(pkgs "$ABI")) ||
		die "cannot download kernel $ABI from Debian's archive" \
			"check the network and /etc/apt/sources.list*, then run again"
fi

# Unpack into a fresh folder and rename it into place only when complete.
dest=$CACHE/kernel-$ABI
tmp=$dest.partial
log "unpacking kernel $ABI into $dest"
rm -rf "$tmp" "$dest"
mkdir -p "$tmp"
for f in $debs; do
	dpkg-deb -x "$CACHE/debs/$f" "$tmp" ||
		die "cannot unpack $CACHE/debs/$f" "delete it and run again"
done
prepare "$tmp" "$ABI"
krel=$(cd "$tmp/lib/modules" && ls)
# lib/modules/KREL/build and source point at /usr/src: point them inside.
ln -sfn "../../../usr/src/linux-headers-$krel" "$tmp/lib/modules/$krel/build"
ln -sfn "../../../usr/src/linux-headers-$ABI-common" "$tmp/lib/modules/$krel/source"
for f in "usr/src/linux-headers-$krel/scripts/Makefile.build" "boot/vmlinuz-$krel" bin/busybox; do
	[ -e "$tmp/$f" ] || die "unpacked kernel $ABI lacks $f" \
		"the package layout changed: adapt $0"
done
echo "$ABI" >"$tmp/.unpacked"
mv "$tmp" "$dest"
log "kernel $krel ready"
print_vars "$ABI"
