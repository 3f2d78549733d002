#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build a Raspberry Pi 3 B DTB with a Raspberry Pi overlay and its parameters applied.
#
# Usage: dtb-raspi.sh OUT.dtb OVERLAY.dts|OVERLAY.dtbo [PARAM[=VALUE][,...]...]
#   e.g. dtb-raspi.sh rpi.dtb dts/async-notify-overlay.dts gpio_pin=27,mode=fifo
# does what "dtoverlay=async-notify,gpio_pin=27,mode=fifo" in config.txt
# does on a Pi: the base is the kernel package's broadcom/bcm2837-rpi-3-b.dtb
# (KVER picks the kernel), given the "gpio" label Raspberry Pi's own DTBs
# have; the parameters are applied from the overlay's __overrides__ table
# (overlay-params.py), then fdtoverlay merges it.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

[ $# -ge 2 ] || die "usage: $0 OUT.dtb OVERLAY.dts|OVERLAY.dtbo [PARAM[=VALUE][,...]...]" \
	"name the output and the overlay, e.g. dts/async-notify-overlay.dts"
out=$1
ovl=$2
shift 2
[ -f "$ovl" ] || die "no overlay $ovl" "check the path"
for t in dtc fdtput fdtoverlay; do
	command -v $t >/dev/null || die "$t is missing" "run tools/testing/host/deps.sh"
done
# Debian's python3-libfdt serves Debian's python3, which may not be first on PATH.
py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null && "$p" -c 'import libfdt' 2>/dev/null; then
		py=$p
		break
	fi
done
[ -n "$py" ] || die "no python3 with the libfdt module" "apt-get install python3-libfdt"

eval "$("$TOP/tools/testing/kernels/kernel.sh" "${KVER:-6.1}")"
base=$DTBS/broadcom/bcm2837-rpi-3-b.dtb
[ -f "$base" ] || die "the kernel package has no $base" \
	"the package layout changed: adapt $0"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

cp "$base" "$tmp/base.dtb"
# Upstream Pi DTBs have no __symbols__; Raspberry Pi's label the GPIO "gpio".
fdtput -c "$tmp/base.dtb" /__symbols__ 2>/dev/null || true
fdtput -t s "$tmp/base.dtb" /__symbols__ gpio /soc/gpio@7e200000

case $ovl in
*.dtbo)
	cp "$ovl" "$tmp/in.dtbo"
	;;
*)
	log "compiling $ovl"
	# As Raspberry Pi builds its overlays: a parameter may be called
	# "label", and fragment@N with __dormant__ has no reg.
	dtc -@ -Wno-label_is_string -Wno-unit_address_vs_reg \
		-I dts -O dtb -o "$tmp/in.dtbo" "$ovl" ||
		die "dtc failed on $ovl" "fix the error above (line numbers are $ovl's)"
	;;
esac

log "applying parameters: ${*:-none}"
"$py" "$TOP/tools/testing/image/overlay-params.py" "$tmp/in.dtbo" "$tmp/params.dtbo" "$@" ||
	die "cannot apply the parameters '$*'" "see the reason above"

log "merging into $out"
fdtoverlay -i "$tmp/base.dtb" -o "$tmp/out.dtb" "$tmp/params.dtbo" ||
	die "fdtoverlay could not apply $ovl" \
		"check that every &label it uses is in the base's __symbols__ (only gpio is added)"
mv "$tmp/out.dtb" "$out"
