#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The patch series (make patches) as a kernel builder takes it: git am
# onto a fresh copy of Debian's linux-source-6.1, checkpatch.pl --strict
# on each patch, make dt_binding_check on the binding, and an in-tree
# arm64 build (defconfig with CONFIG_ASYNC_NOTIFY=m and its KUnit test
# =m) of both modules. The copy is hard-linked to the cached tree (git am
# and the build replace files, never write into them) and deleted after.
set -euo pipefail
# shellcheck source=tools/testing/host/lib.sh
. "$(dirname "$0")/../host/lib.sh"

"$TOP/tools/testing/packaging/patches.sh"
eval "$("$TOP/tools/testing/kernels/source.sh" 6.1)"
series=("$TOP"/build/patches/*.patch)
# A folder of this run's own: two make checks may run at once.
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/patches-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/linux
b=$work/build
kmake=(make -C "$tree" O="$b" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- -j"$(nproc)")

# kunit.sh adds lines to the cached tree while it runs: copy it between
# runs, under the tree's lock (kunit.sh's and source.sh's).
log "copying $SRC (hard links)"
(exec 9>"$SRC.lock" && flock 9 && cp -al "$SRC" "$tree")
cd "$tree"
git init -q
# Debian's .gitignore ignores everything at the top: add them anyway.
git add -f MAINTAINERS drivers/misc/Kconfig drivers/misc/Makefile \
	Documentation/userspace-api/index.rst \
	Documentation/userspace-api/ioctl/ioctl-number.rst
git -c user.name=check -c user.email=check@invalid commit -q -m "$(cat .async-notify-unpacked)"
log "git am ${#series[@]} patches"
git -c user.name=check -c user.email=check@invalid am -q "${series[@]}" ||
	die "the series does not apply to $(cat .async-notify-unpacked)" "see git am's message above"
git log --format='applied: %s' -n ${#series[@]} | tac
[ "$(stat -c %h drivers/misc/Kconfig)" = 1 ] ||
	die "git am wrote into the cached tree's drivers/misc/Kconfig" "delete $SRC; source.sh unpacks it again"

st=0
# The MAINTAINERS entry (patch 1) covers drivers/misc/async-notify/, but
# checkpatch asks again for every patch that adds files without it.
for p in "${series[@]}"; do
	out=$(perl scripts/checkpatch.pl --strict --no-tree --ignore FILE_PATH_CHANGES "$p" 2>&1) || st=1
	echo "checkpatch: $(basename "$p"): $(echo "$out" | grep '^total:')"
	echo "$out" | grep -E '^(ERROR|WARNING|CHECK):' || :
	echo "$out" | grep -q '^total: 0 errors, 0 warnings, 0 checks' || st=1
done
[ $st = 0 ] || die "checkpatch.pl finds fault with the series" "fix tools/testing/packaging/patches.sh or the sources"

log "make dt_binding_check DT_SCHEMA_FILES=misc/linux,async-notify.yaml"
"${kmake[@]}" dt_binding_check DT_SCHEMA_FILES=misc/linux,async-notify.yaml >"$work/dt.log" 2>&1 ||
	{ cat "$work/dt.log"; die "dt_binding_check failed" "see its output above"; }
sed 's/^/dt_binding_check: /' "$work/dt.log"
# It exits 0 even when the example does not match the schema: any line
# but make's and kbuild's own ("  DTEX    file") is a finding.
if grep -vE '^make(\[[0-9]+\])?: (Entering|Leaving) directory|^  [A-Z_]+ +[^ ]+$' "$work/dt.log" | grep -q .; then
	die "dt_binding_check finds fault with the binding" "see the lines above"
fi
grep -q 'DTC_CHK.*linux,async-notify.example.dtb' "$work/dt.log" ||
	die "dt_binding_check did not check the binding's example" "see the lines above"

log "arm64 defconfig + ASYNC_NOTIFY=m, ASYNC_NOTIFY_KUNIT_TEST=m; building in tree"
"${kmake[@]}" -s defconfig
scripts/config --file "$b/.config" -m KUNIT -m ASYNC_NOTIFY -m ASYNC_NOTIFY_KUNIT_TEST \
	-d LOCALVERSION_AUTO
"${kmake[@]}" -s olddefconfig
for c in CONFIG_ASYNC_NOTIFY=m CONFIG_ASYNC_NOTIFY_KUNIT_TEST=m; do
	grep -qx "$c" "$b/.config" || die "Kconfig did not keep $c" "see drivers/misc/async-notify/Kconfig"
done
"${kmake[@]}" modules_prepare >"$work/prepare.log" 2>&1 ||
	{ tail -n 20 "$work/prepare.log"; die "modules_prepare failed" "see above"; }
"${kmake[@]}" W=1 drivers/misc/async-notify/async_notify.ko \
	drivers/misc/async-notify/async_notify_kunit.ko 2>&1 | tee "$work/build.log"
[ "${PIPESTATUS[0]}" = 0 ] || die "the in-tree build failed" "see above"
# Without vmlinux.o (a whole kernel build), modpost cannot resolve the
# kernel's symbols: scripts/Makefile.modpost passes it -w and it warns
# for each. Any other warning or error fails; the symbols are resolved
# below.
if grep -vE 'vmlinux\.o is missing|Modules may not have dependencies|unresolved symbol warnings|^WARNING: modpost: ("[a-z_0-9]+" .* undefined!|suppressed [0-9]+ unresolved)' "$work/build.log" |
	grep -iE 'warning|error'; then
	die "the in-tree build warns" "see above"
fi
for m in async_notify async_notify_kunit; do
	echo "in tree: drivers/misc/async-notify/$m.ko: $(modinfo -F vermagic "$b/drivers/misc/async-notify/$m.ko")"
done

# Resolve them against a kernel's Module.symvers: Debian's lacks KUnit,
# so the debug kernel's (same source, CONFIG_KUNIT=m). Built as external
# modules, the series' files give modpost a Module.symvers to read, and
# an undefined symbol is an error, not a warning. The UAPI header is the
# series' own, which that kernel's source does not have.
eval "$("$TOP/tools/testing/kernels/debug-kernel.sh")"
log "resolving both modules' symbols against $KDIR/Module.symvers"
ext=$work/ext
cp -R drivers/misc/async-notify "$ext"
rm -f "$ext"/*.ko "$ext"/*.o "$ext"/*/*.o
make -C "$KDIR" M="$ext" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- -j"$(nproc)" \
	KCFLAGS="-I$tree/include/uapi" CONFIG_ASYNC_NOTIFY=m CONFIG_ASYNC_NOTIFY_KUNIT_TEST=m \
	modules >"$work/resolve.log" 2>&1 ||
	{ cat "$work/resolve.log"; die "a module uses a symbol no one exports" "see modpost's ERROR lines above"; }
! grep -E 'WARNING: modpost|ERROR: modpost' "$work/resolve.log" ||
	die "modpost finds fault with the modules" "see the lines above"
echo "resolved: async_notify.ko, async_notify_kunit.ko against $(cat "$KDIR/include/config/kernel.release")"
