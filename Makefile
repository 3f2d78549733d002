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
# On the target, `make install` builds for the running kernel and installs;
# `make dkms-install` hands the sources to DKMS, which rebuilds the module
# for every new kernel.

KVER ?= 6.1
T := tools/testing

# The Kbuild file picks the objects; out of tree nothing sets the symbol.
# `make modules` is the developers' build, with W=1; `make install` and
# DKMS build as users do, without it. KUNIT=m builds the KUnit tests too,
# as async_notify_kunit.ko, for a kernel with CONFIG_KUNIT (KVER=debug).
KBUILD_VARS := CONFIG_ASYNC_NOTIFY=m
ifeq ($(KUNIT),m)
KBUILD_VARS += CONFIG_ASYNC_NOTIFY_KUNIT_TEST=m
endif

ifeq ($(KDIR),)
modules: deps
	@eval "$$($(T)/kernels/kernel.sh $(KVER))" && \
	$(MAKE) -C "$$KDIR" M=$(CURDIR) ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- $(KBUILD_VARS) W=1 modules
else
modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_VARS) W=1 modules
endif

# The project's one version: everything else takes it from VERSION.
VERSION := $(shell cat $(CURDIR)/VERSION)

# What DKMS builds from: the module's sources and Kbuild, with
# Makefile.dkms as the Makefile and dkms.conf given the version; nothing
# of the test machinery, nothing a build left beside them. The Debian
# package installs the same tree (debian/rules).
DKMS_FILES := Kbuild $(wildcard drivers/*.[ch]) include/uapi/linux/async_notify.h
DKMS_SRC ?= /usr/src/async-notify-$(VERSION)
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build

install:
	$(MAKE) -C $(or $(KDIR),$(RUNNING_KDIR)) M=$(CURDIR) $(KBUILD_VARS) modules
	$(MAKE) -C $(or $(KDIR),$(RUNNING_KDIR)) M=$(CURDIR) $(KBUILD_VARS) modules_install
	depmod -a

dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp --parents $(DKMS_FILES) $(DKMS_SRC)/
	cp Makefile.dkms $(DKMS_SRC)/Makefile
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf

dkms-install: dkms-src
	-dkms remove -m async-notify -v $(VERSION) --all
	dkms add -m async-notify -v $(VERSION)
	dkms install -m async-notify -v $(VERSION)

dkms-uninstall:
	-dkms remove -m async-notify -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

# The Raspberry Pi overlay, compiled as Raspberry Pi compiles its own
# (dts/README.rpi); installed where the firmware looks for dtoverlay= names.
# The raspi3b suite boots this file, and the Debian package installs it.
OVERLAYDIR ?= /boot/firmware/overlays

async-notify.dtbo: dts/async-notify-overlay.dts
	dtc -@ -Wno-label_is_string -Wno-unit_address_vs_reg -I dts -O dtb -o $@ $<

install-overlay: async-notify.dtbo
	install -D -m 0644 async-notify.dtbo $(DESTDIR)$(OVERLAYDIR)/async-notify.dtbo

# The udev rule the Debian package installs: the devices for the group
# gpio (Raspberry Pi OS has it; elsewhere: groupadd --system gpio).
UDEVDIR ?= /etc/udev/rules.d

install-udev:
	install -D -m 0644 udev/60-async-notify.rules $(DESTDIR)$(UDEVDIR)/60-async-notify.rules

deps:
	@$(T)/host/deps.sh

# Debian packages (async-notify-dkms, async-notify-tools for this machine
# and arm64, python3-async-notify) in build/deb/, checked by lintian.
deb: deps
	@$(T)/packaging/deb.sh

# The driver as a git format-patch series against Debian's linux-source-6.1
# (binding, driver under drivers/misc/async-notify/, docs, KUnit), in
# build/patches/; make check applies and builds it (patches-check.sh).
patches: deps
	@$(T)/packaging/patches.sh

demo: deps
	@$(T)/host/demo.sh

check: deps
	@$(T)/host/check.sh

# The static checks of check alone, for the edit-compile loop: the tools,
# the docs, shellcheck, the binding, the overlays, 6.1's W=1 build and
# checkpatch (under a minute with a warm cache).
check-quick: deps
	@QUICK=1 $(T)/host/check.sh

# The debug kernel's lane of check alone (KASAN, lockdep, kmemleak, ...).
check-debug: deps
	@KVER=debug $(T)/host/check.sh

kunit: deps
	@$(T)/host/kunit.sh

# The stress test alone on the debug kernel, for DURATION seconds (30 in
# check): tools/testing/virt/tests/85-stress.sh.
DURATION ?= 600
stress: deps
	@KVER=debug STRESS_DURATION=$(DURATION) $(T)/virt/test-virt.sh stress

qemu-shell: deps
	@$(T)/qemu/qemu-shell.sh

qemu-run: deps
	@$(T)/qemu/qemu-run.sh $(RUN) $(FILES)

# Not part of check: latencies under TCG are for comparing, not judging.
# Then the sweep of rates on each interrupt flow of the test chip.
# ICOUNT=1: the same with the guest's clock counting instructions.
bench: deps
	@$(T)/bench/bench.sh
	@$(T)/bench/flows.sh

# That sweep alone: async-notify and gpio-cdev on every interrupt flow.
bench-flows: deps
	@$(T)/bench/flows.sh

# The highest rate at which async-notify and gpio-cdev each deliver every
# edge of one gpio-sim line: the debug kernel only (the one with gpio-sim).
bench-edges: deps
	@$(T)/bench/edges.sh

clean:
	rm -rf build .tmp_versions modules.order Module.symvers async_notify.mod* \
		async_notify_kunit.mod* async_notify.ko async_notify_kunit.ko async-notify.dtbo
	find . \( -name '*.o' -o -name '.*.cmd' -o -name '*.mod' -o -name '*.mod.c' \) -delete

.PHONY: modules install install-overlay install-udev dkms-src dkms-install dkms-uninstall deps deb patches \
	demo check check-quick check-debug kunit stress qemu-shell qemu-run bench bench-flows bench-edges clean
