/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place where async-notify adapts to the kernel it is built for,
 * so that the driver reads like current mainline code. Each entry names
 * the kernel version that changed the interface and why we need it.
 */
#ifndef _ASYNC_NOTIFY_COMPAT_H
#define _ASYNC_NOTIFY_COMPAT_H

#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/version.h>

/*
 * Linux 6.13 added hrtimer_setup(), which sets the callback together with
 * the clock and mode; 6.15 removed hrtimer_init().
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/*
 * Linux 6.2 added <kunit/visibility.h>: symbols exported only to KUnit
 * test modules, in the EXPORTED_FOR_KUNIT_TESTING namespace. 6.13 made
 * namespaces strings, which MODULE_IMPORT_NS() now takes quoted.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#include <kunit/visibility.h>
#elif IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_IF_KUNIT(symbol) \
	EXPORT_SYMBOL_NS(symbol, EXPORTED_FOR_KUNIT_TESTING)
#else
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define ASYNC_NOTIFY_IMPORT_KUNIT_NS() \
	MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#else
#define ASYNC_NOTIFY_IMPORT_KUNIT_NS() \
	MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#endif

/*
 * The driver's KUnit cases give their threads a user address space with
 * mm_alloc() and arch_pick_mmap_layout(), as kunit_vm_mmap() does. Linux
 * 6.12 exports both to KUnit modules; before, only built-in tests reach
 * them, and a module borrows the address space of the process loading it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define ASYNC_NOTIFY_KUNIT_USER_MM	1
#else
#define ASYNC_NOTIFY_KUNIT_USER_MM	IS_BUILTIN(CONFIG_ASYNC_NOTIFY_KUNIT_TEST)
#endif

#endif /* _ASYNC_NOTIFY_COMPAT_H */
