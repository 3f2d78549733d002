#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# One version, in VERSION: in a copy of the tree, give VERSION a new
# version (and debian/changelog its entry, as a release would), change a
# sentence of Documentation/userspace-api/async-notify.rst, build the
# packages (deb.sh) and check them (deb-contents.sh): every place shows
# the new version, and async-notify(4) has the new sentence, not the old.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

new=9.8.7
rst=Documentation/userspace-api/async-notify.rst
old_sentence='The device is a stream: it cannot seek'
new_sentence='The device is a stream, as version-bump.sh says: it cannot seek'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

log "copying the tree to $tmp/tree"
mkdir "$tmp/tree"
(cd "$TOP" && git ls-files -co --exclude-standard | while read -r f; do
	[ -e "$f" ] || [ -L "$f" ] && printf '%s\n' "$f"
done | tar -cf - -T -) | tar -xf - -C "$tmp/tree"
old=$(cat "$tmp/tree/VERSION")
[ "$old" != "$new" ] || die "VERSION is $new already" "pick another version in $0"
grep -q "$old_sentence" "$tmp/tree/$rst" ||
	die "$rst no longer says '$old_sentence'" "pick another sentence in $0"

log "VERSION $old -> $new; a changelog entry for $new-1; $rst: '$new_sentence'"
echo "$new" >"$tmp/tree/VERSION"
{
	printf 'async-notify (%s-1) unstable; urgency=medium\n\n  * New version.\n\n' "$new"
	printf ' -- %s  %s\n\n' "$(cd "$TOP" && dpkg-parsechangelog -S Maintainer)" "$(date -R)"
	cat "$TOP/debian/changelog"
} >"$tmp/tree/debian/changelog"
sed -i "s/$old_sentence/$new_sentence/" "$tmp/tree/$rst"
(cd "$tmp/tree" && git init -q && git add -A)

log "building the packages of the copy (log: $tmp/deb.log)"
DEB_CROSS=no "$tmp/tree/tools/testing/packaging/deb.sh" >"$tmp/deb.log" 2>&1 ||
	{ tail -n 20 "$tmp/deb.log" >&2; die "make deb failed with VERSION $new" "see the log above"; }
"$tmp/tree/tools/testing/packaging/deb-contents.sh"
page=$(dpkg-deb --fsys-tarfile "$tmp/tree/build/deb/async-notify-dkms_$new-1_all.deb" |
	tar -xOf - ./usr/share/man/man4/async-notify.4.gz | zcat | tr '\n' ' ' | sed 's/\\-/-/g')
case $page in
*"as version-bump.sh says"*) ;;
*) die "async-notify(4) lacks the rst's new sentence" "tools/Makefile must make the page from $rst" ;;
esac
case $page in
*"stream: it cannot seek"*) die "async-notify(4) still has the rst's old sentence" "tools/Makefile must make the page from $rst" ;;
esac
echo "version-bump: VERSION $new reached every place, and async-notify(4) has the rst's new sentence"
