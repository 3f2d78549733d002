# SPDX-License-Identifier: GPL-2.0-only
#
# For people: `make demo` shows the driver at work in QEMU, `make check`
# runs every test. Both fetch what they need into the cache folder
# (${XDG_CACHE_HOME:-~/.cache}/async-notify), which is safe to delete.
#
# `make modules` cross-builds async_notify.ko for Debian's arm64 kernel
# (KVER=6.1 by default). Give KDIR (and ARCH, CROSS_COMPILE) to build
# against any other prepared kernel tree instead, e.g. on the target:
#   make modules KDIR=/lib/modules/$(uname -r)/build

KVER ?= 6.1
H := tools/harness

# The Kbuild file picks the objects; out of tree nothing sets the symbol.
KBUILD_VARS := CONFIG_ASYNC_NOTIFY=m W=1

ifeq ($(KDIR),)
modules: deps
	@eval "$$($(H)/kernel.sh $(KVER))" && \
	$(MAKE) -C "$$KDIR" M=$(CURDIR) ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- $(KBUILD_VARS) modules
else
modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_VARS) modules
endif

deps:
	@$(H)/deps.sh

demo: deps
	@$(H)/demo.sh

check: deps
	@$(H)/check.sh

kunit: deps
	@$(H)/kunit.sh

qemu-shell: deps
	@$(H)/qemu-shell.sh

qemu-run: deps
	@$(H)/qemu-run.sh $(RUN) $(FILES)

clean:
	rm -rf build .tmp_versions modules.order Module.symvers async_notify.mod* \
		async_notify.ko
	find . \( -name '*.o' -o -name '.*.cmd' -o -name '*.mod' -o -name '*.mod.c' \) -delete

.PHONY: modules deps demo check kunit qemu-shell qemu-run clean
