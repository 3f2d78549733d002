#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Validate DTBs against the project's binding and dt-schema's core schemas.
# Prints what concerns linux,async-notify nodes; fails if there is any.
# The boards' own nodes are not ours to judge and are left out.
#
# Usage: dt-check.sh DTB...
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 DTB..." "name the DTBs to validate"
command -v dt-validate >/dev/null || die "dt-validate is missing" "run tools/testing/host/deps.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dt-mk-schema -j "$TOP/Documentation/devicetree/bindings" >"$tmp/schema.json" ||
	die "dt-mk-schema failed on the binding" "run dt-doc-validate on it"
failed=0
for dtb; do
	[ -f "$dtb" ] || die "no DTB $dtb" "build it first (tools/testing/image/dtb.sh)"
	dt-validate -s "$tmp/schema.json" "$dtb" >"$tmp/out" 2>&1 || true
	if grep -q '^Traceback' "$tmp/out"; then
		cat "$tmp/out" >&2
		die "dt-validate crashed on $dtb" "see its messages above"
	fi
	# A message is two lines: what is wrong, then "From schema: FILE".
	grep -B1 'From schema: .*/linux,async-notify\.yaml' "$tmp/out" |
		grep -v '^--$' >"$tmp/ours" || true
	if [ -s "$tmp/ours" ]; then
		cat "$tmp/ours"
		failed=1
	fi
done
exit $failed
