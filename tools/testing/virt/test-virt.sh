#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run the guest test suite on QEMU virt; print the console; exit non-zero
# if a test failed.
#
# Usage: test-virt.sh [WORD...]   only the tests/*.sh whose names contain a
#                                 WORD, e.g. test-virt.sh irq timer
# STRESS_DURATION=SECONDS runs the stress test (KVER=debug) that long.
set -eu
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

KVER=${KVER:-6.1}
out=$TOP/build/$KVER/test
mkdir -p "$out"
"$TOP/tools/testing/image/build-guest.sh" "$out" test
only=$(echo "$*" | tr ' ' ,)
# nokaslr: with KASLR, arm64 unmaps the kernel at EL0 even on a CPU that
# Meltdown does not affect ("kernel page table isolation forced ON by
# KASLR": unmap_kernel_at_el0(), arch/arm64/kernel/cpufeature.c), and
# each page-table switch at a syscall costs QEMU a TLB flush: 15% of the
# suite's CPU time. Nothing the tests check depends on either.
args="nokaslr${only:+ an_tests=$only}${STRESS_DURATION:+ an_stress_duration=$STRESS_DURATION}"
# The whole guest's limit, past every file's own ("# timeout:"): the
# debug kernel's suite takes 11 minutes alone, and half as long again
# beside another guest (make check runs the debug lane beside the main
# lane's guests).
limit=900
[ "$KVER" = debug ] && limit=1800
log "booting QEMU virt with the test suite${only:+ ($only)}"
exec "$TOP/tools/testing/qemu/qemu-virt.sh" --timeout $((limit + ${STRESS_DURATION:-0})) \
	--initrd "$out/initrd.gz" --dtb "$out/virt.dtb" ${args:+--append "$args"}
