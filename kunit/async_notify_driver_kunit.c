// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the async-notify driver itself, not only its buffer:
 * platform devices whose software nodes carry the binding's properties
 * (Documentation/devicetree/bindings/misc/linux,async-notify.yaml), one
 * of them with an interrupt from the kernel's IRQ simulator, probed by
 * the real driver; their files opened, read, written, polled, subscribed
 * to, queried, cleared and closed by kernel threads that race each other,
 * the interrupt and the timer source, while another thread unbinds and
 * binds the devices again. Then the counting invariants: readers and
 * writers back to 0, the buffer freed with the last file, and the
 * accounting identity of Documentation/ABI/testing/sysfs-driver-async-notify.
 * Other cases check reads past the stack's bounce buffer, the sysfs
 * attributes through real sysfs files, the timer's pending queue and
 * late periods with its work item held back, and that numbered frames
 * from racing writers reach racing readers whole, in order and once.
 * Any kernel report during a case (KASAN, lockdep, a sleep in atomic
 * context, a WARN) fails it: reports taint the kernel or turn lockdep off.
 *
 * How the threads use the files, and why that is honest:
 *
 * - Open and close are the kernel's own: file_open_root() on a devtmpfs
 *   mount of the test's own walks to /dev/<label> and runs chrdev_open(),
 *   misc_open() (under misc_mtx, as for a process, so an open races an
 *   unbind exactly as it would from userspace) and the driver's open;
 *   __fput_sync() is fput() done at once (a kernel thread's fput() would
 *   defer it to a work item), so __fput() unsubscribes a FASYNC file and
 *   calls the driver's release before the thread goes on.
 * - Read, write, poll, ioctl and the FASYNC toggle call the file's
 *   f_op as read(2), write(2), poll(2), ioctl(2) and fcntl(F_SETFL) do
 *   once they hold the file, with the checks those make first (the
 *   access mode, the FASYNC flag). Their buffers are user memory: the
 *   threads share an address space made with mm_alloc() and
 *   kthread_use_mm(), as kunit_vm_mmap() does, so every copy_to_user()
 *   and copy_from_user() of the driver is a real one. No fd exists, so
 *   SIGIO goes nowhere: subscribing and kill_fasync() still run.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/irq_sim.h>
#include <linux/irqdomain.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/panic.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/prandom.h>
#include <linux/property.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <linux/async_notify.h>

#include "../drivers/async_notify.h"
#include "../drivers/async_notify_compat.h"

/* How long the race runs, and how long a woken thread may take to end. */
#define TEST_RACE_MS		4000
#define TEST_END_MS		10000
/* Threads that open, use and close files at random; files each holds. */
#define TEST_WORKERS		4
#define TEST_SLOTS		4
/* Between two unbinds, and between two interrupts (pacing, not waits). */
#define TEST_UNBIND_MIN_US	5000
#define TEST_UNBIND_MAX_US	10000
#define TEST_FIRE_MIN_US	500
#define TEST_FIRE_MAX_US	1000
/* Between two looks at whether a thread blocked yet. */
#define TEST_POLL_MIN_US	1000
#define TEST_POLL_MAX_US	2000
/* Interrupts the binary case raises, one record each. */
#define TEST_RECORDS		3
/* Unbound instances the test keeps open to check them at the end. */
#define TEST_PINS		64
/* User memory per thread: a read or write buffer and an info struct. */
#define TEST_UPAGE_INFO		(PAGE_SIZE - sizeof(struct async_notify_info))

struct test_dev {
	const char *label;
	const char *mode;
	u32 mode_id;
	u32 size;
	u32 period_us;		/* the timer source, or 0 */
	bool irq;		/* the IRQ simulator's line */
	const char *format;	/* linux,frame-format, or NULL: absent */
	u32 format_id;
};

/*
 * A buffer larger than the bounce buffer a read keeps on its stack
 * (ASYNC_NOTIFY_READ_ONSTACK, 256 bytes, in async_notify_fops.c), and
 * at most half a page: a racing thread's writes take up to twice the
 * buffer's size from its page.
 */
#define TEST_BIG		1024

/*
 * The pending-queue case's timer period: long enough that a callback
 * runs once per timer interrupt, so that the case sees each one. When a
 * callback takes longer than the period (KASAN under TCG takes more
 * than ASYNC_NOTIFY_PERIOD_MIN_US), hrtimer_interrupt() finds the timer
 * expired again and runs it again in the same interrupt.
 */
#define TEST_PENDING_PERIOD_US	1000

/*
 * One device per source and per mode; the interrupt's frames are
 * binary records, the timer's text by default, the writers' explicitly.
 * Those whose buffer is TEST_BIG take reads past the stack's bounce
 * buffer; the fifo fed by writers alone and the binary timer are there
 * for the byte-integrity and pending-queue cases.
 */
static const struct test_dev test_devs[] = {
	{ "kunit-timer", "fifo", ASYNC_NOTIFY_MODE_FIFO, 256,
	  ASYNC_NOTIFY_PERIOD_MIN_US, false, NULL, ASYNC_NOTIFY_FORMAT_TEXT },
	{ "kunit-irq", "queue", ASYNC_NOTIFY_MODE_QUEUE, 128, 0, true,
	  "binary", ASYNC_NOTIFY_FORMAT_BINARY },
	{ "kunit-writers", "latest", ASYNC_NOTIFY_MODE_LATEST, TEST_BIG, 0,
	  false, "text", ASYNC_NOTIFY_FORMAT_TEXT },
	{ "kunit-fifo", "fifo", ASYNC_NOTIFY_MODE_FIFO, 256, 0, false, NULL,
	  ASYNC_NOTIFY_FORMAT_TEXT },
	{ "kunit-pending", "fifo", ASYNC_NOTIFY_MODE_FIFO, TEST_BIG,
	  TEST_PENDING_PERIOD_US, false, "binary",
	  ASYNC_NOTIFY_FORMAT_BINARY },
};

/* Indexes in test_devs[] of the devices a case needs in particular. */
enum {
	TEST_DEV_TIMER,
	TEST_DEV_IRQ,
	TEST_DEV_WRITERS,
	TEST_DEV_FIFO,
	TEST_DEV_PENDING,
};

#define TEST_DEVS		ARRAY_SIZE(test_devs)
/* Workers, one blocking reader per device, the unbinder, the firer. */
#define TEST_THREADS		(TEST_WORKERS + TEST_DEVS + 2)

struct test_env {
	struct kunit *test;
	struct mm_struct *mm;
	unsigned long ubase;
	struct vfsmount *devfs;
	struct vfsmount *sysfs;
	struct fwnode_handle *sim_fwnode;
	struct irq_domain *sim;
	int virq;
	struct platform_device *pdev[TEST_DEVS];
};

static struct test_env *test_env(struct kunit *test)
{
	return test->priv;
}

static void __user *test_ubuf(struct test_env *env, int thread)
{
	return (void __user *)(env->ubase + thread * PAGE_SIZE);
}

static struct async_notify_info __user *
test_uinfo(struct test_env *env, int thread)
{
	return (void __user *)(env->ubase + thread * PAGE_SIZE +
			       TEST_UPAGE_INFO);
}

/*
 * Before 6.12 a KUnit module cannot make an address space: mm_alloc()
 * is not exported to it. Its cases borrow the one of the process that
 * loads it, insmod's: the suites run in that process's finit_module(),
 * from kunit_module_notify() (lib/kunit/test.c), so suite_init finds it
 * in current->mm. Built in, they run before any process, and make one.
 */
static struct mm_struct *test_loader_mm;

static int test_suite_init(struct kunit_suite *suite)
{
	if (!ASYNC_NOTIFY_KUNIT_USER_MM && current->mm) {
		mmget(current->mm);
		test_loader_mm = current->mm;
	}
	return 0;
}

static void test_suite_exit(struct kunit_suite *suite)
{
	if (test_loader_mm)
		mmput(test_loader_mm);
	test_loader_mm = NULL;
}

/*
 * Give this thread, and through kthread_use_mm() the threads it starts,
 * a user address space with a page per thread, as kunit_vm_mmap() does
 * from 6.12 on: a new one, which goes with the test's thread when it
 * ends, or the loader's, from which test_env_exit() unmaps the pages.
 */
static int test_user_memory(struct test_env *env)
{
	unsigned long addr;

#if ASYNC_NOTIFY_KUNIT_USER_MM
	env->mm = mm_alloc();
	if (!env->mm)
		return -ENOMEM;
	env->mm->task_size = TASK_SIZE;
	arch_pick_mmap_layout(env->mm, &current->signal->rlim[RLIMIT_STACK]);
#else
	if (!test_loader_mm) {
		kunit_skip(env->test, "no loading process to borrow an mm from");
		return -EOPNOTSUPP;
	}
	mmget(test_loader_mm);	/* this thread's exit puts it */
	env->mm = test_loader_mm;
#endif
	kthread_use_mm(env->mm);

	addr = vm_mmap(NULL, 0, TEST_THREADS * PAGE_SIZE,
		       PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(addr))
		return (long)addr;
	env->ubase = addr;
	return 0;
}

/* /dev as devtmpfs has it, whether or not anything mounted it. */
static int test_mount_devtmpfs(struct test_env *env)
{
	struct file_system_type *type = get_fs_type("devtmpfs");

	if (!type)
		return -ENODEV;
	env->devfs = vfs_kern_mount(type, 0, "devtmpfs", NULL);
	module_put(type->owner);
	if (IS_ERR(env->devfs)) {
		int ret = PTR_ERR(env->devfs);

		env->devfs = NULL;
		return ret;
	}
	return 0;
}

/* One line of the IRQ simulator, edge-triggered, for "kunit-irq". */
static int test_irq_sim(struct test_env *env)
{
	env->sim_fwnode = irq_domain_alloc_named_fwnode("async-notify-kunit");
	if (!env->sim_fwnode)
		return -ENOMEM;
	env->sim = irq_domain_create_sim(env->sim_fwnode, 1);
	if (IS_ERR(env->sim)) {
		int ret = PTR_ERR(env->sim);

		env->sim = NULL;
		return ret;
	}
	env->virq = irq_create_mapping(env->sim, 0);
	return env->virq ? 0 : -ENXIO;
}

/*
 * Register a platform device of the driver's name with @props as its
 * software node and @res as its resources; the driver probes it before
 * this returns. NULL if registration itself failed.
 */
static struct platform_device *
test_register(const struct property_entry *props, const struct resource *res,
	      unsigned int num_res)
{
	struct platform_device_info info = {
		.name = "async-notify",
		.id = PLATFORM_DEVID_AUTO,
		.properties = props,
		.res = res,
		.num_res = num_res,
	};
	struct platform_device *pdev = platform_device_register_full(&info);

	return IS_ERR(pdev) ? NULL : pdev;
}

static struct platform_device *test_register_dev(struct test_env *env, int i)
{
	const struct test_dev *d = &test_devs[i];
	struct property_entry props[6] = { };
	struct resource res = DEFINE_RES_IRQ(env->virq);
	int n = 0;

	props[n++] = PROPERTY_ENTRY_STRING("label", d->label);
	props[n++] = PROPERTY_ENTRY_STRING("linux,mode", d->mode);
	props[n++] = PROPERTY_ENTRY_U32("linux,buffer-size", d->size);
	if (d->period_us)
		props[n++] = PROPERTY_ENTRY_U32("linux,period-us",
						d->period_us);
	if (d->format)
		props[n++] = PROPERTY_ENTRY_STRING("linux,frame-format",
						   d->format);
	res.flags |= IORESOURCE_IRQ_HIGHEDGE;
	return test_register(props, d->irq ? &res : NULL, d->irq ? 1 : 0);
}

/* The bound instance of device @i, or NULL. */
static struct async_notify *test_an(struct test_env *env, int i)
{
	return dev_get_drvdata(&env->pdev[i]->dev);
}

static int test_env_init(struct kunit *test)
{
	struct test_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	int i, ret;

	if (!env)
		return -ENOMEM;
	env->test = test;
	test->priv = env;

	ret = test_mount_devtmpfs(env);
	if (ret) {
		kunit_err(test, "cannot mount devtmpfs (CONFIG_DEVTMPFS?): %d\n",
			  ret);
		return ret;
	}
	ret = test_irq_sim(env);
	if (ret) {
		/* UML has spare interrupt numbers only with PCI_MSI. */
		kunit_err(test, "cannot create the IRQ simulator: %d (no free interrupt number? UML needs CONFIG_PCI_MSI)\n",
			  ret);
		return ret;
	}
	for (i = 0; i < TEST_DEVS; i++) {
		env->pdev[i] = test_register_dev(env, i);
		if (!env->pdev[i] || !test_an(env, i)) {
			kunit_err(test, "%s did not probe\n", test_devs[i].label);
			return -ENODEV;
		}
	}
	return 0;
}

static void test_env_exit(struct kunit *test)
{
	struct test_env *env = test_env(test);
	int i;

	if (!env)
		return;
	for (i = 0; i < TEST_DEVS; i++)
		platform_device_unregister(env->pdev[i]);
	if (env->virq)
		irq_dispose_mapping(env->virq);
	if (env->sim)
		irq_domain_remove_sim(env->sim);
	if (env->sim_fwnode)
		irq_domain_free_fwnode(env->sim_fwnode);
	if (env->devfs)
		mntput(env->devfs);
	if (env->sysfs)
		mntput(env->sysfs);
	/* The cases end in the thread that mapped them (6.1's KUnit). */
	if (env->ubase && env->mm == test_loader_mm && current->mm == env->mm)
		vm_munmap(env->ubase, TEST_THREADS * PAGE_SIZE);
}

/* open(2) of /dev/<label of device @i>: chrdev_open(), misc_open(), ... */
static struct file *test_open(struct test_env *env, int i, int flags)
{
	struct path root = { .mnt = env->devfs, .dentry = env->devfs->mnt_root };

	return file_open_root(&root, test_devs[i].label, flags, 0);
}

/* close(2) of the last descriptor, done at once. */
static void test_close(struct file *file)
{
	__fput_sync(file);
}

static ssize_t test_read(struct file *file, void __user *ubuf, size_t count)
{
	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	return file->f_op->read(file, ubuf, count, NULL);
}

static ssize_t test_write(struct file *file, const void __user *ubuf,
			  size_t count)
{
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	return file->f_op->write(file, ubuf, count, NULL);
}

static long test_ioctl(struct file *file, unsigned int cmd, void __user *arg)
{
	return file->f_op->unlocked_ioctl(file, cmd, (unsigned long)arg);
}

/* ASYNC_NOTIFY_IOC_INFO of @file into @info, through thread 0's page. */
static long test_info(struct test_env *env, struct file *file,
		      struct async_notify_info *info)
{
	long ret = test_ioctl(file, ASYNC_NOTIFY_IOC_INFO, test_uinfo(env, 0));

	if (ret)
		return ret;
	if (copy_from_user(info, test_uinfo(env, 0), sizeof(*info)))
		return -EFAULT;
	return 0;
}

/* fcntl(F_SETFL) turning O_ASYNC on or off, as setfl() does it. */
static int test_fasync(struct file *file, bool on)
{
	int ret;

	if (!!(file->f_flags & FASYNC) == on)
		return 0;
	ret = file->f_op->fasync(0, file, on);
	if (ret < 0)
		return ret;
	spin_lock(&file->f_lock);
	if (on)
		file->f_flags |= FASYNC;
	else
		file->f_flags &= ~FASYNC;
	spin_unlock(&file->f_lock);
	return 0;
}

static struct async_notify *test_file_an(struct file *file)
{
	struct async_notify_file *af = file->private_data;

	return af->an;
}

/* The counters an instance's files and sysfs show, read under the locks. */
struct test_counts {
	unsigned int readers, writers;
	bool allocated, gone;
	u64 events, dropped, frames, writes, overruns;
};

static void test_counts(struct async_notify *an, struct test_counts *c)
{
	c->events = async_notify_event_counter(an, &an->events);
	c->dropped = async_notify_event_counter(an, &an->dropped);
	spin_lock(&an->lock);
	c->readers = an->buf.readers;
	c->writers = an->buf.writers;
	c->allocated = async_notify_buf_allocated(&an->buf);
	c->gone = an->gone;
	c->frames = an->buf.frames;
	c->writes = an->buf.writes;
	c->overruns = an->buf.overruns;
	spin_unlock(&an->lock);
}

/*
 * With the source stopped: events = frames - writes + dropped, plus
 * overruns in fifo mode (sysfs-driver-async-notify, "dropped").
 */
static void test_expect_identity(struct kunit *test, struct async_notify *an,
				 const char *when)
{
	struct test_counts c;
	u64 lost;

	test_counts(an, &c);
	lost = an->buf.mode == ASYNC_NOTIFY_MODE_FIFO ? c.overruns : 0;
	KUNIT_EXPECT_EQ_MSG(test, c.events, c.frames - c.writes + c.dropped + lost,
			    "%s %s: events %llu, frames %llu, writes %llu, dropped %llu, overruns %llu",
			    an->name, when, c.events, c.frames, c.writes,
			    c.dropped, c.overruns);
}

/* The kernel's taint flags: get_taint() is not exported to modules. */
static unsigned long test_taints(void)
{
	unsigned long mask = 0;
	int i;

	for (i = 0; i < TAINT_FLAGS_COUNT; i++)
		if (test_taint(i))
			mask |= BIT(i);
	return mask;
}

/*
 * Kernel reports since @taint: KASAN, lockdep, sleeping in atomic, WARN.
 * A kind that had tainted the kernel before goes unseen: .kunitconfig
 * keeps the boot free of WARNs.
 */
static void test_expect_no_report(struct kunit *test, unsigned long taint,
				  int locks)
{
	KUNIT_EXPECT_EQ_MSG(test, test_taints() & ~taint, 0UL,
			    "the kernel was tainted: a report is in the log above");
	KUNIT_EXPECT_EQ_MSG(test, debug_locks, locks,
			    "lockdep turned itself off: a report is in the log above");
}

/* Every device probed its properties from the software node. */
static void async_notify_test_driver_probe(struct kunit *test)
{
	struct test_env *env = test_env(test);
	int i;

	for (i = 0; i < TEST_DEVS; i++) {
		const struct test_dev *d = &test_devs[i];
		struct async_notify *an = test_an(env, i);

		KUNIT_ASSERT_NOT_NULL(test, an);
		KUNIT_EXPECT_STREQ(test, an->name, d->label);
		KUNIT_EXPECT_EQ(test, an->buf.mode, d->mode_id);
		KUNIT_EXPECT_EQ(test, an->buf.size, d->size);
		KUNIT_EXPECT_EQ(test, an->format, d->format_id);
		KUNIT_EXPECT_EQ(test, an->source,
				d->irq ? ASYNC_NOTIFY_SOURCE_IRQ :
				d->period_us ? ASYNC_NOTIFY_SOURCE_TIMER :
					       ASYNC_NOTIFY_SOURCE_NONE);
		KUNIT_EXPECT_EQ(test, an->period_us, d->period_us);
		if (d->irq)
			KUNIT_EXPECT_EQ(test, an->irq, env->virq);
	}
}

/*
 * Each rule of the driver's probe, broken alone, fails it: the rules of
 * async_notify_read_u32(), async_notify_read_choice(), _parse_source()
 * and _parse_label(), one entry each, and a level-triggered interrupt
 * last. Every other property of an entry is absent or valid, so only
 * that rule can refuse it.
 */
static void async_notify_test_driver_probe_invalid(struct kunit *test)
{
	struct test_env *env = test_env(test);
	static const u32 two_sizes[] = { 256, 512 };
	static const u32 two_periods[] = { 1000, 2000 };
	static const char * const two_modes[] = { "fifo", "queue" };
	static const char * const two_labels[] = { "kunit-a", "kunit-b" };
	static const char * const two_formats[] = { "text", "binary" };
	static const char * const what[] = {
		"buffer size of two cells", "buffer too small",
		"buffer too large", "mode of two strings", "mode as a u32",
		"unknown mode", "frame format of two strings",
		"frame format as a u32", "unknown frame format",
		"frame format of an empty string", "frame format without a value",
		"interrupts naming no interrupt",
		"period of two cells", "period too short", "period too long",
		"label of two strings", "label as a u32", "empty label",
		"label with '/'", "label with a space", "label too long",
		"label of a bound device",
		"level-triggered interrupt",
	};
	const struct property_entry bad[][2] = {
		{ PROPERTY_ENTRY_U32_ARRAY("linux,buffer-size", two_sizes) },
		{ PROPERTY_ENTRY_U32("linux,buffer-size",
				     ASYNC_NOTIFY_FRAME_MAX - 1) },
		/* The binding's maximum is 1 MiB. */
		{ PROPERTY_ENTRY_U32("linux,buffer-size", SZ_1M + 1) },
		{ PROPERTY_ENTRY_STRING_ARRAY("linux,mode", two_modes) },
		{ PROPERTY_ENTRY_U32("linux,mode", ASYNC_NOTIFY_MODE_FIFO) },
		{ PROPERTY_ENTRY_STRING("linux,mode", "lifo") },
		{ PROPERTY_ENTRY_STRING_ARRAY("linux,frame-format",
					      two_formats) },
		{ PROPERTY_ENTRY_U32("linux,frame-format",
				     ASYNC_NOTIFY_FORMAT_BINARY) },
		{ PROPERTY_ENTRY_STRING("linux,frame-format", "Binary") },
		{ PROPERTY_ENTRY_STRING("linux,frame-format", "") },
		{ PROPERTY_ENTRY_BOOL("linux,frame-format") },
		/* The property without a resource: platform_get_irq() -ENXIO */
		{ PROPERTY_ENTRY_U32("interrupts", 1) },
		{ PROPERTY_ENTRY_U32_ARRAY("linux,period-us", two_periods) },
		{ PROPERTY_ENTRY_U32("linux,period-us",
				     ASYNC_NOTIFY_PERIOD_MIN_US - 1) },
		/* The binding's maximum is 60 s. */
		{ PROPERTY_ENTRY_U32("linux,period-us", 60 * USEC_PER_SEC + 1) },
		{ PROPERTY_ENTRY_STRING_ARRAY("label", two_labels) },
		{ PROPERTY_ENTRY_U32("label", 1) },
		{ PROPERTY_ENTRY_STRING("label", "") },
		{ PROPERTY_ENTRY_STRING("label", "a/b") },
		/* The binding's pattern: '^[!-.0-~]{1,31}$' */
		{ PROPERTY_ENTRY_STRING("label", "a b") },
		{ PROPERTY_ENTRY_STRING("label",
					"a-label-of-thirty-two-characters") },
		{ PROPERTY_ENTRY_STRING("label", test_devs[0].label) },
		{ },
	};
	struct resource level = DEFINE_RES_IRQ(env->virq);
	struct platform_device *pdev;
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(what) != ARRAY_SIZE(bad));
	level.flags |= IORESOURCE_IRQ_HIGHLEVEL;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		bool irq = i == ARRAY_SIZE(bad) - 1;

		pdev = test_register(bad[i], irq ? &level : NULL, irq);
		KUNIT_ASSERT_NOT_NULL(test, pdev);
		KUNIT_EXPECT_NULL_MSG(test, pdev->dev.driver,
				      "%s: probe succeeded", what[i]);
		KUNIT_EXPECT_NULL_MSG(test, dev_get_drvdata(&pdev->dev),
				      "%s", what[i]);
		platform_device_unregister(pdev);
	}
	/* The devices that were there are still bound. */
	for (i = 0; i < TEST_DEVS; i++)
		KUNIT_EXPECT_NOT_NULL(test, test_an(env, i));
}

/* Copy what a read left in this thread's user page, NUL-terminated. */
static void test_fetch(struct kunit *test, const void __user *ubuf, char *dst,
		       size_t n)
{
	KUNIT_ASSERT_EQ(test, copy_from_user(dst, ubuf, n), 0);
	dst[n] = '\0';
}

/*
 * One thread, every file operation, on the latest-mode device that only
 * writers feed: the counts, the buffer's life, poll, both ioctls,
 * subscribing, and a subscribed file's close.
 */
static void async_notify_test_driver_fops(struct kunit *test)
{
	static const char msg[] = "hello";
	unsigned long taint = test_taints();
	int locks = debug_locks;
	struct test_env *env = test_env(test);
	const int dev = TEST_DEV_WRITERS, size = test_devs[dev].size;
	struct async_notify *an = test_an(env, dev);
	struct async_notify_info info;
	void __user *ubuf;
	struct file *rw, *ro;
	struct test_counts c;
	char out[ASYNC_NOTIFY_FRAME_MAX + 1];

	KUNIT_ASSERT_EQ(test, test_user_memory(env), 0);
	ubuf = test_ubuf(env, 0);

	rw = test_open(env, dev, O_RDWR | O_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rw));
	test_counts(an, &c);
	KUNIT_EXPECT_EQ(test, c.readers, 1);
	KUNIT_EXPECT_EQ(test, c.writers, 1);
	KUNIT_EXPECT_TRUE(test, c.allocated);

	KUNIT_EXPECT_EQ(test, test_read(rw, ubuf, size), -EAGAIN);
	KUNIT_EXPECT_EQ(test, vfs_poll(rw, NULL), EPOLLOUT | EPOLLWRNORM);
	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, msg, sizeof(msg) - 1), 0);
	KUNIT_EXPECT_EQ(test, test_write(rw, ubuf, sizeof(msg) - 1),
			sizeof(msg) - 1);
	KUNIT_EXPECT_EQ(test, vfs_poll(rw, NULL),
			EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM);

	KUNIT_ASSERT_EQ(test, test_info(env, rw, &info), 0);
	KUNIT_EXPECT_EQ(test, info.frames, 1);
	KUNIT_EXPECT_EQ(test, info.queued, sizeof(msg) - 1);
	KUNIT_EXPECT_EQ(test, info.readers, 1);
	KUNIT_EXPECT_EQ(test, info.writers, 1);
	KUNIT_EXPECT_EQ(test, info.mode, ASYNC_NOTIFY_MODE_LATEST);
	KUNIT_EXPECT_EQ(test, info.buffer_size, size);
	KUNIT_EXPECT_EQ(test, test_ioctl(rw, _IO(ASYNC_NOTIFY_IOC_MAGIC, 0x7f),
					 NULL), -ENOTTY);

	KUNIT_EXPECT_EQ(test, test_read(rw, ubuf, size), sizeof(msg) - 1);
	test_fetch(test, ubuf, out, sizeof(msg) - 1);
	KUNIT_EXPECT_STREQ(test, out, msg);
	KUNIT_EXPECT_EQ(test, test_read(rw, ubuf, size), -EAGAIN);

	/* A reader only: counted, cannot write or clear; clear empties. */
	ro = test_open(env, dev, O_RDONLY | O_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ro));
	test_counts(an, &c);
	KUNIT_EXPECT_EQ(test, c.readers, 2);
	KUNIT_EXPECT_EQ(test, c.writers, 1);
	KUNIT_EXPECT_EQ(test, test_write(ro, ubuf, 1), -EBADF);
	KUNIT_EXPECT_EQ(test, test_ioctl(ro, ASYNC_NOTIFY_IOC_CLEAR, NULL),
			-EBADF);
	KUNIT_EXPECT_EQ(test, test_write(rw, ubuf, 1), 1);
	KUNIT_EXPECT_EQ(test, vfs_poll(ro, NULL) & EPOLLIN, EPOLLIN);
	KUNIT_EXPECT_EQ(test, test_ioctl(rw, ASYNC_NOTIFY_IOC_CLEAR, NULL), 0);
	KUNIT_EXPECT_EQ(test, vfs_poll(ro, NULL) & EPOLLIN, 0);

	/* Subscribing and unsubscribing; a close unsubscribes too. */
	KUNIT_EXPECT_EQ(test, test_fasync(ro, true), 0);
	KUNIT_EXPECT_NOT_NULL(test, READ_ONCE(an->fasync));
	KUNIT_EXPECT_EQ(test, test_fasync(ro, false), 0);
	KUNIT_EXPECT_NULL(test, READ_ONCE(an->fasync));
	KUNIT_EXPECT_EQ(test, test_fasync(ro, true), 0);
	KUNIT_EXPECT_EQ(test, test_write(rw, ubuf, 1), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&an->notified), 1);

	/* The buffer outlives the first close and goes with the last. */
	test_close(rw);
	test_counts(an, &c);
	KUNIT_EXPECT_EQ(test, c.readers, 1);
	KUNIT_EXPECT_EQ(test, c.writers, 0);
	KUNIT_EXPECT_TRUE(test, c.allocated);
	KUNIT_EXPECT_EQ(test, test_read(ro, ubuf, size), 1);
	test_close(ro);
	test_counts(an, &c);
	KUNIT_EXPECT_EQ(test, c.readers, 0);
	KUNIT_EXPECT_EQ(test, c.writers, 0);
	KUNIT_EXPECT_FALSE(test, c.allocated);
	KUNIT_EXPECT_NULL(test, READ_ONCE(an->fasync));
	KUNIT_EXPECT_EQ(test, kref_read(&an->ref), 1);
	test_expect_no_report(test, taint, locks);
}

/* Wait until @file has something to read; false if nothing came. */
static bool test_wait_readable(struct file *file)
{
	unsigned long limit = jiffies + msecs_to_jiffies(TEST_END_MS);

	while (!(vfs_poll(file, NULL) & EPOLLIN) && time_before(jiffies, limit))
		usleep_range(TEST_POLL_MIN_US, TEST_POLL_MAX_US);
	return vfs_poll(file, NULL) & EPOLLIN;
}

/* @n bytes, byte i being i * 7 + @salt: a byte out of place shows. */
static void test_pattern(u8 *p, size_t n, u8 salt)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(i * 7 + salt);
}

/*
 * A read that can take more than the stack's bounce buffer holds gets
 * it all, through a bounce buffer from the heap: a whole frame of 1000
 * bytes, then 300 bytes of the next (latest mode: the rest is not
 * returned to this file).
 */
static void async_notify_test_driver_read_bounce(struct kunit *test)
{
	static const size_t lens[] = { 1000, 300 };
	unsigned long taint = test_taints();
	int locks = debug_locks;
	struct test_env *env = test_env(test);
	const int dev = TEST_DEV_WRITERS;
	u8 *in, *out;
	void __user *ubuf;
	struct file *rw;
	int i;

	KUNIT_ASSERT_EQ(test, test_user_memory(env), 0);
	in = kunit_kzalloc(test, TEST_BIG, GFP_KERNEL);
	out = kunit_kzalloc(test, TEST_BIG + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	ubuf = test_ubuf(env, 0);
	rw = test_open(env, dev, O_RDWR | O_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rw));

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		test_pattern(in, TEST_BIG, i);
		KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, in, TEST_BIG), 0);
		KUNIT_EXPECT_EQ(test, test_write(rw, ubuf, 1000), 1000);
		memset(out, 0, TEST_BIG);
		KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, out, TEST_BIG), 0);
		KUNIT_EXPECT_EQ_MSG(test, test_read(rw, ubuf, lens[i]), lens[i],
				    "a read of %zu bytes of a 1000-byte frame",
				    lens[i]);
		test_fetch(test, ubuf, out, TEST_BIG);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(out, in, lens[i]), 0,
				    "the %zu bytes read are not the frame's first",
				    lens[i]);
		KUNIT_EXPECT_NULL(test, memchr_inv(out + lens[i], 0,
						   TEST_BIG - lens[i]));
		KUNIT_EXPECT_EQ(test, test_read(rw, ubuf, TEST_BIG), -EAGAIN);
	}
	test_close(rw);
	test_expect_no_report(test, taint, locks);
}

/* A mount of sysfs of the case's own, for the sysfs case. */
static int test_mount_sysfs(struct test_env *env)
{
	struct file_system_type *type = get_fs_type("sysfs");

	if (!type)
		return -ENODEV;
	env->sysfs = vfs_kern_mount(type, SB_KERNMOUNT, "sysfs", NULL);
	module_put(type->owner);
	if (IS_ERR(env->sysfs)) {
		int ret = PTR_ERR(env->sysfs);

		env->sysfs = NULL;
		return ret;
	}
	return 0;
}

/* open(2) of /sys/class/misc/<label of device @i>/<@attr>. */
static struct file *test_open_attr(struct test_env *env, int i,
				   const char *attr, int flags)
{
	struct path root = { .mnt = env->sysfs, .dentry = env->sysfs->mnt_root };
	char path[96];

	snprintf(path, sizeof(path), "class/misc/%s/%s", test_devs[i].label,
		 attr);
	return file_open_root(&root, path, flags, 0);
}

/* cat of an attribute, into @buf; its length or an error. */
static ssize_t test_attr_show(struct test_env *env, int i, const char *attr,
			      char *buf, size_t size)
{
	struct file *f = test_open_attr(env, i, attr, O_RDONLY);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, size - 1, &pos);
	buf[n > 0 ? n : 0] = '\0';
	fput(f);
	return n;
}

/* echo -n @val > the attribute: what write(2) returns. */
static ssize_t test_attr_store(struct test_env *env, int i, const char *attr,
			       const char *val, size_t len)
{
	struct file *f = test_open_attr(env, i, attr, O_WRONLY);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, len, &pos);
	fput(f);
	return n;
}

static void test_expect_attr(struct kunit *test, int i, const char *attr,
			     const char *want)
{
	char buf[64];
	ssize_t n = test_attr_show(test_env(test), i, attr, buf, sizeof(buf));

	KUNIT_EXPECT_EQ_MSG(test, n, (ssize_t)strlen(want), "%s/%s",
			    test_devs[i].label, attr);
	KUNIT_EXPECT_STREQ_MSG(test, buf, want, "%s/%s", test_devs[i].label,
			       attr);
}

/* An attribute that shows a number: @want. */
static void test_expect_attr_u64(struct kunit *test, int i, const char *attr,
				 u64 want)
{
	char s[24];

	snprintf(s, sizeof(s), "%llu\n", want);
	test_expect_attr(test, i, attr, s);
}

/*
 * The attributes of Documentation/ABI/testing/sysfs-driver-async-notify
 * through real sysfs files: what each shows before and while a file is
 * open and after the source stopped, against the instance's own state;
 * period_us only on a timer device, and its strict parsing: plain
 * decimal from 50 to 60000000 and an optional newline, everything else
 * refused with EINVAL (ERANGE past u32) and the period left as it was.
 */
static void async_notify_test_driver_sysfs(struct kunit *test)
{
	static const struct {
		const char *val;
		int ret;	/* 0: taken */
		u32 period;	/* the period after the write */
	} periods[] = {
		{ "100", 0, 100 },
		{ "50\n", 0, ASYNC_NOTIFY_PERIOD_MIN_US },
		{ "60000000", 0, ASYNC_NOTIFY_PERIOD_MAX_US },
		{ "49", -EINVAL, ASYNC_NOTIFY_PERIOD_MAX_US },
		{ "60000001", -EINVAL, ASYNC_NOTIFY_PERIOD_MAX_US },
		{ "0", -EINVAL, ASYNC_NOTIFY_PERIOD_MAX_US },
		{ "2500\n", 0, 2500 },
		{ "0100", -EINVAL, 2500 },
		{ "+100", -EINVAL, 2500 },
		{ "-100", -EINVAL, 2500 },
		{ "0x64", -EINVAL, 2500 },
		{ " 100", -EINVAL, 2500 },
		{ "100 ", -EINVAL, 2500 },
		{ "100\n\n", -EINVAL, 2500 },
		{ "1e3", -EINVAL, 2500 },
		{ "\n", -EINVAL, 2500 },
		{ "4294967296", -ERANGE, 2500 },
		{ "99999999999999999999", -ERANGE, 2500 },
	};
	unsigned long taint = test_taints();
	int locks = debug_locks;
	struct test_env *env = test_env(test);
	const int wdev = TEST_DEV_WRITERS, tdev = TEST_DEV_TIMER;
	struct async_notify *an = test_an(env, tdev);
	struct test_counts c;
	struct file *rw, *ro;
	char buf[64];
	u32 period;
	int i;

	KUNIT_ASSERT_EQ(test, test_mount_sysfs(env), 0);
	KUNIT_ASSERT_NOT_NULL(test, an);

	/* What probe read, and a device nobody has open. */
	test_expect_attr(test, wdev, "mode", "latest\n");
	test_expect_attr(test, wdev, "format", "text\n");
	test_expect_attr(test, wdev, "source", "none\n");
	test_expect_attr_u64(test, wdev, "buffer_size", TEST_BIG);
	test_expect_attr(test, tdev, "mode", "fifo\n");
	test_expect_attr(test, tdev, "source", "timer\n");
	test_expect_attr(test, TEST_DEV_IRQ, "mode", "queue\n");
	test_expect_attr(test, TEST_DEV_IRQ, "format", "binary\n");
	test_expect_attr(test, TEST_DEV_IRQ, "source", "irq\n");
	test_expect_attr_u64(test, TEST_DEV_IRQ, "buffer_size", 128);
	test_expect_attr_u64(test, wdev, "readers", 0);
	test_expect_attr_u64(test, wdev, "writers", 0);
	test_expect_attr_u64(test, wdev, "allocated", 0);
	KUNIT_EXPECT_EQ(test, test_attr_show(env, wdev, "period_us", buf,
					     sizeof(buf)), -ENOENT);
	KUNIT_EXPECT_EQ(test, test_attr_show(env, TEST_DEV_IRQ, "period_us",
					     buf, sizeof(buf)), -ENOENT);

	/* The counts of open files, and the buffer they hold. */
	rw = test_open(env, wdev, O_RDWR | O_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rw));
	ro = test_open(env, wdev, O_RDONLY | O_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ro));
	test_expect_attr_u64(test, wdev, "readers", 2);
	test_expect_attr_u64(test, wdev, "writers", 1);
	test_expect_attr_u64(test, wdev, "allocated", 1);
	test_close(rw);
	test_expect_attr_u64(test, wdev, "readers", 1);
	test_expect_attr_u64(test, wdev, "writers", 0);
	test_close(ro);
	test_expect_attr_u64(test, wdev, "allocated", 0);

	/* A timer that ran: its counters as the instance has them. */
	test_expect_attr_u64(test, tdev, "period_us", ASYNC_NOTIFY_PERIOD_MIN_US);
	ro = test_open(env, tdev, O_RDONLY | O_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ro));
	KUNIT_EXPECT_TRUE(test, test_wait_readable(ro));
	test_close(ro);
	test_counts(an, &c);
	KUNIT_EXPECT_GT(test, c.events, 0);
	test_expect_attr_u64(test, tdev, "events", c.events);
	test_expect_attr_u64(test, tdev, "dropped", c.dropped);
	test_expect_attr_u64(test, tdev, "frames", c.frames);
	test_expect_attr_u64(test, tdev, "writes", c.writes);
	test_expect_attr_u64(test, tdev, "overruns", c.overruns);
	test_expect_attr_u64(test, tdev, "notifications",
			     atomic64_read(&an->notified));

	for (i = 0; i < ARRAY_SIZE(periods); i++) {
		size_t len = strlen(periods[i].val);

		KUNIT_EXPECT_EQ_MSG(test,
				    test_attr_store(env, tdev, "period_us",
						    periods[i].val, len),
				    periods[i].ret ? periods[i].ret : (ssize_t)len,
				    "write of \"%s\"", periods[i].val);
		period = READ_ONCE(an->period_us);
		KUNIT_EXPECT_EQ_MSG(test, period, periods[i].period,
				    "after \"%s\"", periods[i].val);
		test_expect_attr_u64(test, tdev, "period_us", periods[i].period);
	}
	test_expect_no_report(test, taint, locks);
}

/*
 * A binary device stores each source frame as one struct
 * async_notify_record, which a read takes whole: the event's number
 * and its time, taken between raising the interrupt and the frame's
 * arrival. ASYNC_NOTIFY_IOC_INFO reports the format of each device.
 */
static void async_notify_test_driver_binary(struct kunit *test)
{
	unsigned long taint = test_taints();
	int locks = debug_locks;
	struct test_env *env = test_env(test);
	const int dev = TEST_DEV_IRQ, text_dev = TEST_DEV_TIMER;
	struct async_notify_record rec;
	struct async_notify_info info;
	struct file *file, *text;
	u64 before, after;
	void __user *ubuf;
	int i;

	KUNIT_ASSERT_EQ(test, test_an(env, dev)->format,
			ASYNC_NOTIFY_FORMAT_BINARY);
	KUNIT_ASSERT_EQ(test, test_user_memory(env), 0);
	ubuf = test_ubuf(env, 0);
	file = test_open(env, dev, O_RDONLY | O_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));

	for (i = 1; i <= TEST_RECORDS; i++) {
		before = ktime_get_ns();
		KUNIT_ASSERT_EQ(test, irq_set_irqchip_state(env->virq,
							    IRQCHIP_STATE_PENDING,
							    true), 0);
		KUNIT_ASSERT_TRUE_MSG(test, test_wait_readable(file),
				      "no frame %d ms after interrupt %d",
				      TEST_END_MS, i);
		after = ktime_get_ns();
		KUNIT_EXPECT_EQ(test, test_read(file, ubuf, test_devs[dev].size),
				sizeof(rec));
		KUNIT_ASSERT_EQ(test, copy_from_user(&rec, ubuf, sizeof(rec)),
				0);
		KUNIT_EXPECT_EQ(test, rec.seq, i);
		KUNIT_EXPECT_GE(test, rec.ts_ns, before);
		KUNIT_EXPECT_LE(test, rec.ts_ns, after);
	}

	KUNIT_ASSERT_EQ(test, test_info(env, file, &info), 0);
	KUNIT_EXPECT_EQ(test, info.format, ASYNC_NOTIFY_FORMAT_BINARY);
	test_close(file);

	text = test_open(env, text_dev, O_RDONLY | O_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(text));
	KUNIT_ASSERT_EQ(test, test_info(env, text, &info), 0);
	KUNIT_EXPECT_EQ(test, info.format, ASYNC_NOTIFY_FORMAT_TEXT);
	test_close(text);
	test_expect_no_report(test, taint, locks);
}

/* A blocked reader of the writers-only device, for the unbind case. */
struct test_blocked {
	struct test_env *env;
	struct file *file;
	struct completion done;
	long ret;
};

static int test_blocked_read(void *data)
{
	struct test_blocked *b = data;

	allow_signal(SIGKILL);	/* the rescue if the unbind wakes nobody */
	mmget(b->env->mm);	/* the test may end before this thread */
	kthread_use_mm(b->env->mm);
	b->ret = test_read(b->file, test_ubuf(b->env, 0),
			   test_devs[TEST_DEV_WRITERS].size);
	kthread_unuse_mm(b->env->mm);
	mmput(b->env->mm);
	complete(&b->done);
	return 0;
}

/*
 * Unbinding wakes a reader blocked on the device with -ENODEV, and the
 * instance outlives the unbind until the reader's file is closed.
 */
static void async_notify_test_driver_unbind_wakes(struct kunit *test)
{
	struct test_env *env = test_env(test);
	const int dev = TEST_DEV_WRITERS;
	struct async_notify *an = test_an(env, dev);
	struct test_blocked b = { .env = env };
	struct task_struct *task;
	unsigned long limit;

	KUNIT_ASSERT_EQ(test, test_user_memory(env), 0);
	init_completion(&b.done);
	b.file = test_open(env, dev, O_RDONLY);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b.file));
	task = kthread_run(test_blocked_read, &b, "an-kunit-blocked");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));

	/* The handshake: the reader waits on the device's queue. */
	limit = jiffies + msecs_to_jiffies(TEST_END_MS);
	while (!wq_has_sleeper(&an->wait) && time_before(jiffies, limit))
		usleep_range(TEST_POLL_MIN_US, TEST_POLL_MAX_US);
	KUNIT_EXPECT_TRUE_MSG(test, wq_has_sleeper(&an->wait),
			      "the reader never blocked");

	device_release_driver(&env->pdev[dev]->dev);
	if (!wait_for_completion_timeout(&b.done,
					 msecs_to_jiffies(TEST_END_MS))) {
		KUNIT_FAIL(test, "the reader is still blocked %d ms after the unbind",
			   TEST_END_MS);
		send_sig(SIGKILL, task, 1);
		wait_for_completion(&b.done);
	} else {
		KUNIT_EXPECT_EQ(test, b.ret, -ENODEV);
	}
	KUNIT_EXPECT_EQ(test, kref_read(&an->ref), 1);
	KUNIT_EXPECT_TRUE(test, an->gone);
	test_close(b.file);
	KUNIT_EXPECT_EQ(test, device_attach(&env->pdev[dev]->dev), 1);
}

/* Timer callbacks the pending-queue case lets overflow the queue. */
#define TEST_OVERFLOW		4
/*
 * Periods the first callback of the pending-queue case runs late. A
 * period is at least hrtimer_resolution long: without high-resolution
 * timers (UML's), a tick.
 */
#define TEST_LATE_PERIODS	20

/* @an's events, and a count of the changes seen: timer callbacks. */
struct test_ticks {
	u64 first, last;
	u64 seqs[ASYNC_NOTIFY_PENDING + TEST_OVERFLOW + 1];
	unsigned int n;
};

/*
 * Read past every frame in @af's buffer, as a read that copies nothing
 * out, using @scratch of @size bytes.
 */
static void test_skip_frames(struct async_notify *an,
			     struct async_notify_file *af, void *scratch,
			     size_t size)
{
	size_t n;
	u64 pos;

	spin_lock(&an->lock);
	while ((n = async_notify_buf_peek(&an->buf, &af->rd, scratch, size,
					  &pos)))
		async_notify_buf_commit(&an->buf, &af->rd, n, pos);
	spin_unlock(&an->lock);
}

static void test_tick(struct async_notify *an, struct test_ticks *tk)
{
	u64 ev = async_notify_event_counter(an, &an->events);

	if (ev == tk->last)
		return;
	tk->last = ev;
	tk->seqs[tk->n % ARRAY_SIZE(tk->seqs)] = ev;
	tk->n++;
}

/*
 * The pending queue and the timer's accounting, with the work item that
 * makes frames held back: this thread keeps the CPU (UML has one) with
 * preemption off while the hard timer callback goes on queueing events,
 * until TEST_OVERFLOW callbacks more than ASYNC_NOTIFY_PENDING have
 * queued one. The first callback runs TEST_LATE_PERIODS periods late,
 * as after a stretch with interrupts off: the timer is restarted with
 * its expiry that far in the past. Then: every period counted in
 * events, each one a late callback missed in dropped, and the oldest
 * event dropped for each callback past a full queue; when the work item
 * runs at last, one batch of the ASYNC_NOTIFY_PENDING newest events,
 * each frame carrying the number of the last period of its callback.
 */
static void async_notify_test_driver_pending(struct kunit *test)
{
	unsigned long taint = test_taints();
	int locks = debug_locks;
	struct test_env *env = test_env(test);
	const int dev = TEST_DEV_PENDING;
	struct async_notify *an = test_an(env, dev);
	struct async_notify_record *rec;
	struct async_notify_file *af;
	struct test_ticks *tk;
	unsigned long flags, limit;
	u64 dropped0, frames0, events, dropped, deadline;
	u64 frames, overruns, pos;
	unsigned int pending0, pending, i, j, oldest;
	struct file *f;
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, an);
	tk = kunit_kzalloc(test, sizeof(*tk), GFP_KERNEL);
	rec = kunit_kzalloc(test, ASYNC_NOTIFY_PENDING * sizeof(*rec),
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tk);
	KUNIT_ASSERT_NOT_NULL(test, rec);

	f = test_open(env, dev, O_RDONLY | O_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	af = f->private_data;

	/*
	 * The open started the timer: stop it, let its work item make what
	 * it queued into frames and read past them, so that the batch below
	 * is all the buffer holds.
	 */
	hrtimer_cancel(&an->timer);
	flush_work(&an->work);
	test_skip_frames(an, af, rec, ASYNC_NOTIFY_PENDING * sizeof(*rec));

	preempt_disable();
	raw_spin_lock_irqsave(&an->event_lock, flags);
	tk->first = an->events;
	dropped0 = an->dropped;
	pending0 = kfifo_len(&an->pending);
	raw_spin_unlock_irqrestore(&an->event_lock, flags);
	tk->last = tk->first;
	frames0 = READ_ONCE(an->buf.frames);

	hrtimer_start(&an->timer,
		      ktime_sub_ns(ktime_get(), TEST_LATE_PERIODS *
				   max_t(u64, hrtimer_resolution,
					 (u64)test_devs[dev].period_us *
					 NSEC_PER_USEC)),
		      HRTIMER_MODE_ABS_HARD);

	deadline = ktime_get_ns() + (u64)TEST_END_MS * NSEC_PER_MSEC;
	while (tk->n < ASYNC_NOTIFY_PENDING + TEST_OVERFLOW &&
	       ktime_get_ns() < deadline) {
		test_tick(an, tk);
		cpu_relax();
	}
	/* Freeze the source: what is pending now is what the batch gets. */
	hrtimer_cancel(&an->timer);
	test_tick(an, tk);
	raw_spin_lock_irqsave(&an->event_lock, flags);
	events = an->events;
	dropped = an->dropped;
	pending = kfifo_len(&an->pending);
	raw_spin_unlock_irqrestore(&an->event_lock, flags);
	frames = READ_ONCE(an->buf.frames);
	/* With PREEMPT, the work item runs here. */
	preempt_enable();

	KUNIT_EXPECT_EQ_MSG(test, frames, frames0,
			    "the work item ran while this thread held the CPU");
	KUNIT_ASSERT_GE_MSG(test, tk->n, ASYNC_NOTIFY_PENDING + TEST_OVERFLOW,
			    "only %u timer callbacks in %d ms", tk->n,
			    TEST_END_MS);
	kunit_info(test, "%u callbacks: %llu events, %llu dropped\n", tk->n,
		   events - tk->first, dropped - dropped0);
	KUNIT_EXPECT_EQ(test, pending, ASYNC_NOTIFY_PENDING);
	/* The late callback: the periods it missed are events too. */
	KUNIT_EXPECT_GE(test, events - tk->first,
			(u64)tk->n + TEST_LATE_PERIODS);
	KUNIT_EXPECT_EQ_MSG(test, dropped - dropped0,
			    (events - tk->first - tk->n) +
			    (pending0 + tk->n - ASYNC_NOTIFY_PENDING),
			    "%u callbacks, %llu events: the late periods and the overflow",
			    tk->n, events - tk->first);

	/* One batch: the newest events, each a frame, nothing else. */
	limit = jiffies + msecs_to_jiffies(TEST_END_MS);
	while (READ_ONCE(an->buf.frames) - frames0 < ASYNC_NOTIFY_PENDING &&
	       time_before(jiffies, limit))
		usleep_range(TEST_POLL_MIN_US, TEST_POLL_MAX_US);
	spin_lock(&an->lock);
	frames = an->buf.frames;
	overruns = an->buf.overruns;
	n = async_notify_buf_peek(&an->buf, &af->rd, rec,
				  ASYNC_NOTIFY_PENDING * sizeof(*rec), &pos);
	spin_unlock(&an->lock);
	KUNIT_EXPECT_EQ(test, frames - frames0, ASYNC_NOTIFY_PENDING);
	KUNIT_EXPECT_EQ(test, overruns, 0);
	KUNIT_EXPECT_EQ(test, n, ASYNC_NOTIFY_PENDING * sizeof(*rec));
	n /= sizeof(*rec);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_EQ_MSG(test, rec[n - 1].seq, events,
			    "the batch ends with the last event");
	for (i = 1; i < n; i++) {
		KUNIT_EXPECT_GT(test, rec[i].seq, rec[i - 1].seq);
		KUNIT_EXPECT_GT(test, rec[i].ts_ns, rec[i - 1].ts_ns);
	}
	/* Each callback this thread saw since the batch's first is in it. */
	oldest = tk->n > ASYNC_NOTIFY_PENDING ? tk->n - ASYNC_NOTIFY_PENDING : 0;
	for (i = 0, j = oldest; j < tk->n; j++) {
		u64 seq = tk->seqs[j % ARRAY_SIZE(tk->seqs)];

		if (seq < rec[0].seq)
			continue;
		while (i < n && rec[i].seq < seq)
			i++;
		KUNIT_EXPECT_TRUE_MSG(test, i < n && rec[i].seq == seq,
				      "callback %u's event %llu is not in the batch",
				      j, seq);
	}

	test_close(f);
	test_expect_identity(test, an, "after the stall");
	test_expect_no_report(test, taint, locks);
}

/*
 * Byte integrity while writers and readers race: writers store numbered
 * frames, readers check that every frame they get is whole, comes after
 * the one before from the same writer, and reaches one read of a file
 * at most (one read in all, in fifo mode, whose readers share the bytes).
 */
#define TEST_INTEGRITY_MS	1500
#define TEST_IWRITERS		2	/* per device */
#define TEST_IFRAMES		16384	/* per writer, at most */
/* How long the lock that page faults wait for is held, and let go. */
#define TEST_HOLD_MIN_US	1000
#define TEST_HOLD_MAX_US	2000

/* A frame's head; in latest mode the pattern of test_pattern() follows. */
struct test_frame {
	u32 writer;
	u32 seq;	/* from 1, per writer */
	u32 len;	/* of the frame, head included */
	u32 check;
};

static u32 test_frame_check(const struct test_frame *h)
{
	return (h->writer * 0x9e3779b1U) ^ (h->seq * 0x85ebca6bU) ^ h->len;
}

/* Where the frames that a file (fifo mode: any file) reads are counted. */
struct test_sink {
	unsigned long *got[TEST_IWRITERS];
	atomic64_t frames;
};

struct test_ithread {
	struct test_env *env;
	struct task_struct *task;
	struct completion done;
	struct rnd_state rnd;
	void __user *ubuf;
	struct file *file;
	struct test_sink *sink;
	char name[TASK_COMM_LEN];
	int group;		/* its test_igroups[] entry */
	u32 mode;
	size_t size;		/* the device's buffer */
	int writer;		/* a writer's number, or -1 for a reader */
	u32 seq;		/* a writer's last frame; a reader's below */
	u32 last[TEST_IWRITERS];	/* the last frame read of each writer */
	u64 reads;
	int bad;
	char why[128];
};

static bool test_iwstop;

static __printf(2, 3) void test_ibad(struct test_ithread *t,
				     const char *fmt, ...)
{
	va_list args;

	if (!t->bad++) {
		va_start(args, fmt);
		vsnprintf(t->why, sizeof(t->why), fmt, args);
		va_end(args);
	}
}

/*
 * Replace this thread's page with one not yet faulted in: its next
 * user copy takes a page fault, which waits for mmap_lock while the
 * holder has it, between a read's peek and its commit.
 */
static int test_unmap_page(struct test_ithread *t)
{
	unsigned long addr = (unsigned long)t->ubuf;

	addr = vm_mmap(NULL, addr, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_FIXED | MAP_ANONYMOUS | MAP_PRIVATE, 0);
	return IS_ERR_VALUE(addr) ? (long)addr : 0;
}

/* Check the frames of one read and count them. */
static void test_ireceive(struct test_ithread *t, const u8 *buf, size_t n)
{
	const size_t head = sizeof(struct test_frame);
	size_t off = 0, i;

	if (t->mode != ASYNC_NOTIFY_MODE_LATEST && n % head) {
		test_ibad(t, "a read of %zu bytes: not whole frames", n);
		return;
	}
	while (off < n) {
		struct test_frame h;
		u32 len;

		memcpy(&h, buf + off, head);
		len = t->mode == ASYNC_NOTIFY_MODE_LATEST ? n : head;
		if (h.writer >= TEST_IWRITERS || !h.seq ||
		    h.seq > TEST_IFRAMES || h.len != len ||
		    h.check != test_frame_check(&h)) {
			test_ibad(t, "a frame cut or mixed: writer %u seq %u len %u of %u",
				  h.writer, h.seq, h.len, len);
			return;
		}
		for (i = 0; i < len - head; i++) {
			if (buf[off + head + i] != (u8)(i * 7 + h.seq + h.writer)) {
				test_ibad(t, "writer %u frame %u: byte %zu differs",
					  h.writer, h.seq, i);
				return;
			}
		}
		if (h.seq <= t->last[h.writer])
			test_ibad(t, "writer %u frame %u after frame %u",
				  h.writer, h.seq, t->last[h.writer]);
		t->last[h.writer] = h.seq;
		if (test_and_set_bit(h.seq - 1, t->sink->got[h.writer]))
			test_ibad(t, "writer %u frame %u read twice", h.writer,
				  h.seq);
		atomic64_inc(&t->sink->frames);
		off += len;
	}
}

static int test_ireader(void *data)
{
	struct test_ithread *t = data;
	u8 *buf = kmalloc(TEST_BIG, GFP_KERNEL);
	size_t count;
	long ret;

	allow_signal(SIGKILL);	/* the rescue of a reader nothing woke */
	mmget(t->env->mm);	/* the test may end before this thread */
	kthread_use_mm(t->env->mm);
	while (buf) {
		/* Latest mode: a whole frame; else whole frames of a head. */
		count = t->mode == ASYNC_NOTIFY_MODE_LATEST ? t->size :
			sizeof(struct test_frame) *
			(1 + prandom_u32_state(&t->rnd) % 8);
		ret = test_read(t->file, t->ubuf, count);
		t->reads++;
		if (ret == -ENODEV || (ret == -ERESTARTSYS &&
				       fatal_signal_pending(current)))
			break;
		if (ret <= 0 || ret > count) {
			test_ibad(t, "a read of %zu: %ld", count, ret);
			break;
		}
		if (copy_from_user(buf, t->ubuf, ret)) {
			test_ibad(t, "the copy back failed");
			break;
		}
		test_ireceive(t, buf, ret);
		ret = test_unmap_page(t);
		if (ret) {
			test_ibad(t, "vm_mmap: %ld", ret);
			break;
		}
		cond_resched();
	}
	if (!buf)
		test_ibad(t, "no memory");
	kfree(buf);
	kthread_unuse_mm(t->env->mm);
	mmput(t->env->mm);
	complete(&t->done);
	return 0;
}

static int test_iwriter(void *data)
{
	struct test_ithread *t = data;
	u8 *buf = kmalloc(TEST_BIG, GFP_KERNEL);
	struct test_frame h = { .writer = t->writer };
	long ret;

	allow_signal(SIGKILL);	/* the rescue of a writer nothing woke */
	mmget(t->env->mm);	/* the test may end before this thread */
	kthread_use_mm(t->env->mm);
	while (buf && !READ_ONCE(test_iwstop) && t->seq < TEST_IFRAMES) {
		h.seq = t->seq + 1;
		h.len = sizeof(h);
		if (t->mode == ASYNC_NOTIFY_MODE_LATEST)
			h.len += prandom_u32_state(&t->rnd) %
				 (t->size - sizeof(h) + 1);
		h.check = test_frame_check(&h);
		memcpy(buf, &h, sizeof(h));
		test_pattern(buf + sizeof(h), h.len - sizeof(h), h.seq + h.writer);
		if (copy_to_user(t->ubuf, buf, h.len)) {
			test_ibad(t, "the copy to user memory failed");
			break;
		}
		/* Fifo mode: room is whole frames, so a write takes all. */
		ret = test_write(t->file, t->ubuf, h.len);
		if (ret == -ERESTARTSYS && fatal_signal_pending(current))
			break;
		if (ret != h.len) {
			test_ibad(t, "a write of %u: %ld", h.len, ret);
			break;
		}
		t->seq = h.seq;
		ret = test_unmap_page(t);
		if (ret) {
			test_ibad(t, "vm_mmap: %ld", ret);
			break;
		}
		cond_resched();
	}
	if (!buf)
		test_ibad(t, "no memory");
	kfree(buf);
	kthread_unuse_mm(t->env->mm);
	mmput(t->env->mm);
	complete(&t->done);
	return 0;
}

/*
 * Takes mmap_lock for writing and sleeps with it, again and again: a
 * read whose copy to its page faults meanwhile sleeps between its peek
 * and its commit, and so does a writer in its copy from userspace, so
 * other reads of the same bytes run in between even where the kernel
 * cannot preempt.
 */
static int test_iholder(void *data)
{
	struct test_ithread *t = data;

	while (!READ_ONCE(test_iwstop)) {
		mmap_write_lock(t->env->mm);
		usleep_range(TEST_HOLD_MIN_US, TEST_HOLD_MAX_US);
		mmap_write_unlock(t->env->mm);
		usleep_range(TEST_HOLD_MIN_US, TEST_HOLD_MAX_US);
	}
	complete(&t->done);
	return 0;
}

/* The readers of one device: files, threads on them, and the sinks. */
struct test_igroup {
	int dev;
	int files;		/* reader files */
	int threads;		/* reader threads; file = thread % files */
};

static const struct test_igroup test_igroups[] = {
	/* Two files on one fifo share its bytes: one sink for both. */
	{ TEST_DEV_FIFO, 2, 2 },
	/* Each file has its queue: a sink each. */
	{ TEST_DEV_IRQ, 2, 2 },
	/* Two threads read one file, a third another: a sink per file. */
	{ TEST_DEV_WRITERS, 2, 3 },
};

#define TEST_IGROUPS		ARRAY_SIZE(test_igroups)
#define TEST_IFILES		2
#define TEST_IREADERS		3
#define TEST_ITHREADS		(TEST_IGROUPS * (TEST_IWRITERS + TEST_IREADERS) + 1)

struct test_integrity {
	struct test_ithread th[TEST_ITHREADS];
	struct file *files[TEST_IGROUPS][TEST_IFILES];
	struct file *wfiles[TEST_IGROUPS][TEST_IWRITERS];
	struct test_sink sinks[TEST_IGROUPS][TEST_IFILES];
	int nth;
};

static struct test_ithread *test_ispawn(struct kunit *test,
					struct test_integrity *ti,
					int (*fn)(void *), const char *what,
					unsigned long ubase, u32 seed)
{
	struct test_ithread *t = &ti->th[ti->nth];

	t->ubuf = (void __user *)(ubase + ti->nth * PAGE_SIZE);
	init_completion(&t->done);
	prandom_seed_state(&t->rnd, (u64)seed << 8 | ti->nth);
	snprintf(t->name, sizeof(t->name), "an-kunit-%s%d", what, ti->nth);
	t->task = kthread_run(fn, t, "%s", t->name);
	if (IS_ERR(t->task)) {
		KUNIT_FAIL(test, "cannot start %s %d: %pe", what, ti->nth,
			   t->task);
		t->task = NULL;
		complete(&t->done);
		WRITE_ONCE(test_iwstop, true);
	}
	ti->nth++;
	return t;
}

static void test_ijoin(struct kunit *test, struct test_ithread *t)
{
	if (wait_for_completion_timeout(&t->done,
					msecs_to_jiffies(TEST_END_MS)))
		return;
	KUNIT_FAIL(test, "%s still blocked %d ms after the unbind", t->name,
		   TEST_END_MS);
	send_sig(SIGKILL, t->task, 1);
	wait_for_completion(&t->done);
}

/* Bytes the readers of group @g have not read yet. */
static size_t test_iqueued(struct test_env *env, struct test_integrity *ti,
			   int g)
{
	struct async_notify *an = test_an(env, test_igroups[g].dev);
	struct async_notify_file *af;
	size_t queued = 0;
	int i;

	spin_lock(&an->lock);
	for (i = 0; i < test_igroups[g].files; i++) {
		af = ti->files[g][i]->private_data;
		if (an->buf.mode != ASYNC_NOTIFY_MODE_LATEST)
			queued += async_notify_buf_queued(&an->buf, &af->rd);
	}
	spin_unlock(&an->lock);
	return queued;
}

/*
 * Writers store numbered frames on a fifo, a queue and a latest device
 * (frames of up to TEST_BIG bytes there, through the read's heap bounce
 * buffer) while readers read them, two threads sharing one file in
 * latest mode, and a thread holds mmap_lock now and then so that reads
 * and writes wait in their user copies. Every frame read is whole and
 * in order; none is read twice by a file (fifo: by anyone); fifo
 * readers get every frame; a queue or latest file reads or counts as
 * missed each frame stored while it was open.
 */
static void async_notify_test_driver_integrity(struct kunit *test)
{
	unsigned long taint = test_taints();
	int locks = debug_locks;
	struct test_env *env = test_env(test);
	u32 seed = get_random_u32();
	struct test_integrity *ti;
	struct test_ithread *t, *holder;
	u64 written[TEST_IGROUPS] = { }, reads = 0;
	unsigned long ubase, limit;
	int g, i, w;

	KUNIT_ASSERT_EQ(test, test_user_memory(env), 0);
	ti = kunit_kzalloc(test, sizeof(*ti), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ti);
	ubase = vm_mmap(NULL, 0, TEST_ITHREADS * PAGE_SIZE,
			PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ubase));
	for (g = 0; g < TEST_IGROUPS; g++) {
		const struct test_igroup *ig = &test_igroups[g];

		for (i = 0; i < ig->files; i++) {
			for (w = 0; w < TEST_IWRITERS; w++) {
				ti->sinks[g][i].got[w] =
					kunit_kzalloc(test, BITS_TO_LONGS(TEST_IFRAMES) *
						      sizeof(long), GFP_KERNEL);
				KUNIT_ASSERT_NOT_NULL(test, ti->sinks[g][i].got[w]);
			}
			ti->files[g][i] = test_open(env, ig->dev, O_RDONLY);
			KUNIT_ASSERT_FALSE(test, IS_ERR(ti->files[g][i]));
		}
		for (w = 0; w < TEST_IWRITERS; w++) {
			ti->wfiles[g][w] = test_open(env, ig->dev, O_WRONLY);
			KUNIT_ASSERT_FALSE(test, IS_ERR(ti->wfiles[g][w]));
		}
	}
	kunit_info(test, "seed %u, %d ms\n", seed, TEST_INTEGRITY_MS);

	WRITE_ONCE(test_iwstop, false);
	for (g = 0; g < TEST_IGROUPS; g++) {
		const struct test_igroup *ig = &test_igroups[g];

		for (i = 0; i < ig->threads; i++) {
			t = &ti->th[ti->nth];
			t->env = env;
			t->file = ti->files[g][i % ig->files];
			t->sink = &ti->sinks[g][ig->dev == TEST_DEV_FIFO ?
						0 : i % ig->files];
			t->mode = test_devs[ig->dev].mode_id;
			t->size = test_devs[ig->dev].size;
			t->group = g;
			t->writer = -1;
			test_ispawn(test, ti, test_ireader, "ireader", ubase, seed);
		}
		for (w = 0; w < TEST_IWRITERS; w++) {
			t = &ti->th[ti->nth];
			t->env = env;
			t->file = ti->wfiles[g][w];
			t->mode = test_devs[ig->dev].mode_id;
			t->size = test_devs[ig->dev].size;
			t->group = g;
			t->writer = w;
			test_ispawn(test, ti, test_iwriter, "iwriter", ubase, seed);
		}
	}
	holder = &ti->th[ti->nth];
	holder->env = env;
	holder->writer = -1;
	test_ispawn(test, ti, test_iholder, "iholder", ubase, seed);

	msleep(TEST_INTEGRITY_MS);
	WRITE_ONCE(test_iwstop, true);
	for (i = 0; i < ti->nth; i++) {
		if (ti->th[i].writer >= 0 || &ti->th[i] == holder)
			test_ijoin(test, &ti->th[i]);
	}

	/* The readers take what is left, then an unbind ends their reads. */
	limit = jiffies + msecs_to_jiffies(TEST_END_MS);
	for (g = 0; g < TEST_IGROUPS; g++) {
		while (test_iqueued(env, ti, g) && time_before(jiffies, limit))
			usleep_range(TEST_POLL_MIN_US, TEST_POLL_MAX_US);
		KUNIT_EXPECT_EQ_MSG(test, test_iqueued(env, ti, g), 0,
				    "%s: bytes left unread",
				    test_devs[test_igroups[g].dev].label);
		device_release_driver(&env->pdev[test_igroups[g].dev]->dev);
	}
	for (i = 0; i < ti->nth; i++) {
		if (ti->th[i].writer < 0 && &ti->th[i] != holder)
			test_ijoin(test, &ti->th[i]);
	}

	for (i = 0, t = ti->th; i < ti->nth; i++, t++) {
		KUNIT_EXPECT_EQ_MSG(test, t->bad, 0, "%s: %s", t->name, t->why);
		reads += t->reads;
		if (t->writer >= 0)
			written[t->group] += t->seq;
	}
	for (g = 0; g < TEST_IGROUPS; g++) {
		const struct test_igroup *ig = &test_igroups[g];
		struct async_notify *an;
		struct async_notify_file *af;
		u64 got, missed, readable;

		an = test_file_an(ti->files[g][0]);
		KUNIT_EXPECT_EQ_MSG(test, an->buf.writes, written[g], "%s",
				    test_devs[ig->dev].label);
		for (i = 0; i < ig->files; i++) {
			af = ti->files[g][i]->private_data;
			spin_lock(&an->lock);
			missed = async_notify_buf_missed(&an->buf, &af->rd);
			readable = async_notify_buf_readable(&an->buf, &af->rd);
			spin_unlock(&an->lock);
			got = atomic64_read(&ti->sinks[g][i].frames);
			if (ig->dev == TEST_DEV_FIFO) {
				if (i == 0)
					KUNIT_EXPECT_EQ_MSG(test, got, written[g],
							    "%s: frames read of those written",
							    test_devs[ig->dev].label);
				continue;
			}
			KUNIT_EXPECT_EQ_MSG(test, got + missed + readable,
					    written[g],
					    "%s file %d: %llu read, %llu missed, %llu readable",
					    test_devs[ig->dev].label, i, got,
					    missed, readable);
		}
	}
	kunit_info(test, "%llu fifo, %llu queue and %llu latest frames written; %llu reads\n",
		   written[0], written[1], written[2], reads);

	for (g = 0; g < TEST_IGROUPS; g++) {
		for (i = 0; i < test_igroups[g].files; i++)
			test_close(ti->files[g][i]);
		for (w = 0; w < TEST_IWRITERS; w++)
			test_close(ti->wfiles[g][w]);
		KUNIT_EXPECT_EQ(test,
				device_attach(&env->pdev[test_igroups[g].dev]->dev),
				1);
	}
	vm_munmap(ubase, TEST_ITHREADS * PAGE_SIZE);	/* a borrowed mm lives on */
	test_expect_no_report(test, taint, locks);
}

/* A thread of the race, and what it did. */
struct test_thread {
	struct test_env *env;
	int id;
	int dev;		/* a blocking reader's device */
	struct task_struct *task;
	struct completion done;
	struct rnd_state rnd;
	u64 ops;
	u64 bytes;
	u64 errors;		/* expected failures: EAGAIN, ENODEV, ... */
	int bad;		/* broken invariants and unexpected errors */
	char why[128];
	/* The unbinder's instances, open, to check at the end. */
	struct file *pins[TEST_PINS];
	int npins;
	u64 unbinds;
};

static bool test_stop;

static __printf(2, 3) void test_bad(struct test_thread *t, const char *fmt, ...)
{
	va_list args;

	if (!t->bad++) {
		va_start(args, fmt);
		vsnprintf(t->why, sizeof(t->why), fmt, args);
		va_end(args);
	}
}

/* A result that is neither a success nor one of @ok (0-terminated). */
static bool test_result(struct test_thread *t, const char *op, long ret,
			const int *ok)
{
	if (ret >= 0)
		return true;
	/* test_join() killed a thread that nothing woke: it failed already. */
	if (ret == -ERESTARTSYS && fatal_signal_pending(current))
		return false;
	for (; *ok; ok++) {
		if (ret == -*ok) {
			t->errors++;
			return false;
		}
	}
	test_bad(t, "%s: unexpected error %ld", op, ret);
	return false;
}

static const int test_open_ok[] = { ENOENT, ENODEV, ENXIO, 0 };
static const int test_io_ok[] = { EAGAIN, ENODEV, EBADF, 0 };
static const int test_gone_ok[] = { ENODEV, EBADF, 0 };

struct test_slot {
	struct file *file;
	int dev;		/* the test_devs[] entry it opened */
	u64 seq;		/* the newest event this file was told of */
};

static void test_slot_close(struct test_slot *s)
{
	test_close(s->file);
	s->file = NULL;
}

/* One random operation on a random slot of @t. */
static void test_worker_op(struct test_thread *t, struct test_slot *slots)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR };
	struct test_env *env = t->env;
	u32 r = prandom_u32_state(&t->rnd);
	struct test_slot *s = &slots[r % TEST_SLOTS];
	void __user *ubuf = test_ubuf(env, t->id);
	struct async_notify_info info;
	struct file *f = s->file;
	const struct test_dev *d;
	size_t size, count;
	__poll_t mask;
	long ret;

	r /= TEST_SLOTS;
	if (!f) {
		/* Mostly non-blocking; a blocked call ends by a wake-up. */
		f = test_open(env, r % TEST_DEVS,
			      modes[(r / TEST_DEVS) % ARRAY_SIZE(modes)] |
			      ((r / TEST_DEVS / 4) % 4 ? O_NONBLOCK : 0));
		if (test_result(t, "open", IS_ERR(f) ? PTR_ERR(f) : 0,
				test_open_ok)) {
			s->file = f;
			s->dev = r % TEST_DEVS;
			s->seq = 0;
		}
		return;
	}

	/*
	 * Whichever instance the open found (the node may have changed
	 * hands since), it was probed from this entry's properties.
	 */
	d = &test_devs[s->dev];
	size = d->size;
	switch (r % 8) {
	case 0:
		test_slot_close(s);
		break;
	case 1:
	case 2:
		count = 1 + (r / 8) % size;
		ret = test_read(f, ubuf, count);
		if (test_result(t, "read", ret, test_io_ok)) {
			if (!ret || ret > count)
				test_bad(t, "read of %zu returned %ld", count,
					 ret);
			t->bytes += ret;
		}
		break;
	case 3:
	case 4:
		count = 1 + (r / 8) % (2 * size);
		ret = test_write(f, ubuf, count);
		if (test_result(t, "write", ret, test_io_ok) &&
		    (!ret || ret > min(count, size)))
			test_bad(t, "write of %zu returned %ld", count, ret);
		break;
	case 5:
		mask = vfs_poll(f, NULL);
		if (mask & EPOLLHUP && !READ_ONCE(test_file_an(f)->gone))
			test_bad(t, "poll: EPOLLHUP on a bound device");
		break;
	case 6:
		if ((r / 8) % 2) {
			ret = test_ioctl(f, ASYNC_NOTIFY_IOC_CLEAR, NULL);
			test_result(t, "clear", ret, test_gone_ok);
			break;
		}
		ret = test_ioctl(f, ASYNC_NOTIFY_IOC_INFO, test_uinfo(env, t->id));
		if (!test_result(t, "info", ret, test_gone_ok))
			break;
		if (copy_from_user(&info, test_uinfo(env, t->id),
				   sizeof(info))) {
			test_bad(t, "info: the copy back failed");
			break;
		}
		if (info.mode != d->mode_id || info.buffer_size != size ||
		    info.format != d->format_id || info.queued > size ||
		    info.readers < !!(f->f_mode & FMODE_READ) ||
		    info.writers < !!(f->f_mode & FMODE_WRITE) ||
		    info.seq < s->seq)
			test_bad(t,
				 "info of %s: mode %u size %u format %u queued %u readers %u writers %u seq %llu after %llu",
				 d->label, info.mode, info.buffer_size,
				 info.format, info.queued, info.readers,
				 info.writers, info.seq, s->seq);
		s->seq = info.seq;
		break;
	case 7:
		ret = test_fasync(f, !(f->f_flags & FASYNC));
		test_result(t, "fasync", ret, test_gone_ok);
		break;
	}
}

static int test_worker(void *data)
{
	struct test_thread *t = data;
	struct test_slot slots[TEST_SLOTS] = { };
	int i;

	allow_signal(SIGKILL);	/* the rescue of a worker nothing woke */
	mmget(t->env->mm);	/* the test may end before this thread */
	kthread_use_mm(t->env->mm);
	while (!READ_ONCE(test_stop)) {
		test_worker_op(t, slots);
		t->ops++;
		cond_resched();
	}
	for (i = 0; i < TEST_SLOTS; i++) {
		if (slots[i].file)
			test_slot_close(&slots[i]);
	}
	kthread_unuse_mm(t->env->mm);
	mmput(t->env->mm);
	complete(&t->done);
	return 0;
}

/*
 * Blocking reads of one device, from open to -ENODEV: an unbind must
 * wake it, and then it opens the device bound again. The test's end
 * unbinds every device, so this thread ends only if that wakes it.
 */
static int test_reader(void *data)
{
	struct test_thread *t = data;
	void __user *ubuf = test_ubuf(t->env, t->id);
	size_t size = test_devs[t->dev].size;
	struct file *f;
	long ret;

	allow_signal(SIGKILL);	/* the rescue of a reader nothing woke */
	mmget(t->env->mm);	/* the test may end before this thread */
	kthread_use_mm(t->env->mm);
	while (!READ_ONCE(test_stop)) {
		f = test_open(t->env, t->dev, O_RDONLY);
		t->ops++;
		if (!test_result(t, "open", IS_ERR(f) ? PTR_ERR(f) : 0,
				 test_open_ok)) {
			cond_resched();
			continue;
		}
		do {
			ret = test_read(f, ubuf, size);
			t->ops++;
			if (ret > 0)
				t->bytes += ret;
			cond_resched();
		} while (ret > 0);
		if (ret != -ENODEV && !signal_pending(current))
			test_bad(t, "blocking read: %ld", ret);
		test_close(f);
		if (signal_pending(current))
			break;
	}
	kthread_unuse_mm(t->env->mm);
	mmput(t->env->mm);
	complete(&t->done);
	return 0;
}

/*
 * Unbind a device while files are open on it, check the instance it
 * leaves, and bind it again. An open file of each unbound instance is
 * kept (up to TEST_PINS) for the checks at the end.
 */
static void test_unbind(struct test_thread *t, int i)
{
	struct test_env *env = t->env;
	struct platform_device *pdev = env->pdev[i];
	struct async_notify *an;
	struct test_counts c;
	struct file *pin;

	pin = test_open(env, i, O_RDONLY | O_NONBLOCK);
	if (IS_ERR(pin)) {
		test_bad(t, "open of bound %s: %ld", test_devs[i].label,
			 PTR_ERR(pin));
		pin = NULL;
	}
	device_release_driver(&pdev->dev);
	t->unbinds++;
	if (pin) {
		an = test_file_an(pin);
		test_counts(an, &c);
		if (!c.gone || an->running)
			test_bad(t, "%s: unbound, not gone or running", an->name);
		if (c.events != c.frames - c.writes + c.dropped +
		    (an->buf.mode == ASYNC_NOTIFY_MODE_FIFO ? c.overruns : 0))
			test_bad(t,
				 "%s unbound: events %llu, frames %llu, writes %llu, dropped %llu, overruns %llu",
				 an->name, c.events, c.frames, c.writes,
				 c.dropped, c.overruns);
		if (t->npins < TEST_PINS)
			t->pins[t->npins++] = pin;
		else
			test_close(pin);
	}
	if (device_attach(&pdev->dev) != 1 || !test_an(env, i))
		test_bad(t, "%s did not bind again", test_devs[i].label);
}

static int test_unbinder(void *data)
{
	struct test_thread *t = data;
	int i = 0;

	mmget(t->env->mm);	/* the test may end before this thread */
	kthread_use_mm(t->env->mm);
	while (!READ_ONCE(test_stop)) {
		test_unbind(t, i);
		i = (i + 1) % TEST_DEVS;
		t->ops++;
		usleep_range(TEST_UNBIND_MIN_US, TEST_UNBIND_MAX_US);
	}
	kthread_unuse_mm(t->env->mm);
	mmput(t->env->mm);
	complete(&t->done);
	return 0;
}

/* The IRQ simulator's line, raised from process context. */
static int test_firer(void *data)
{
	struct test_thread *t = data;
	int ret;

	while (!READ_ONCE(test_stop)) {
		ret = irq_set_irqchip_state(t->env->virq, IRQCHIP_STATE_PENDING,
					    true);
		if (ret)
			test_bad(t, "irq_set_irqchip_state: %d", ret);
		t->ops++;
		usleep_range(TEST_FIRE_MIN_US, TEST_FIRE_MAX_US);
	}
	complete(&t->done);
	return 0;
}

static void test_start(struct kunit *test, struct test_thread *t,
		       int (*fn)(void *), const char *what, u32 seed)
{
	init_completion(&t->done);
	prandom_seed_state(&t->rnd, (u64)seed << 8 | t->id);
	t->task = kthread_run(fn, t, "an-kunit-%s%d", what, t->id);
	if (IS_ERR(t->task)) {
		/* Not an assert: the threads already started must be joined. */
		KUNIT_FAIL(test, "cannot start %s %d: %pe", what, t->id, t->task);
		t->task = NULL;
		complete(&t->done);
		WRITE_ONCE(test_stop, true);
	}
}

/* Wait for @t; one that nothing woke fails the test and is killed. */
static void test_join(struct kunit *test, struct test_thread *t,
		      const char *what)
{
	if (wait_for_completion_timeout(&t->done,
					msecs_to_jiffies(TEST_END_MS)))
		return;
	KUNIT_FAIL(test, "%s %d still blocked %d ms after the unbind: was it woken?",
		   what, t->id, TEST_END_MS);
	send_sig(SIGKILL, t->task, 1);
	wait_for_completion(&t->done);
}

/*
 * The race: workers open, use and close files of all three devices at
 * random, a blocking reader per device reads until an unbind wakes it,
 * one thread unbinds and binds the devices again, one raises the
 * interrupt. Then every device is unbound with its reader blocked, and
 * every instance left must have counted its files out, kept its buffer
 * while a file was open and balanced its events.
 */
static void async_notify_test_driver_race(struct kunit *test)
{
	struct test_env *env = test_env(test);
	unsigned long taint = test_taints();
	int locks = debug_locks;
	struct test_thread *threads, *t, *unbinder, *firer;
	struct file *final[TEST_DEVS];
	u64 ops = 0, bytes = 0, errors = 0, irq_events = 0, timer_events = 0;
	struct async_notify *an;
	struct test_counts c;
	unsigned long start, ms;
	u32 seed = get_random_u32();
	int i, instances = 0;

	KUNIT_ASSERT_EQ(test, test_user_memory(env), 0);
	threads = kunit_kcalloc(test, TEST_THREADS, sizeof(*threads),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, threads);
	unbinder = &threads[TEST_WORKERS + TEST_DEVS];
	firer = unbinder + 1;
	for (i = 0; i < TEST_THREADS; i++) {
		threads[i].env = env;
		threads[i].id = i;
	}
	kunit_info(test, "seed %u, %d ms, %d workers\n", seed, TEST_RACE_MS,
		   TEST_WORKERS);

	WRITE_ONCE(test_stop, false);
	start = jiffies;
	for (i = 0; i < TEST_DEVS; i++) {
		t = &threads[TEST_WORKERS + i];
		t->dev = i;
		test_start(test, t, test_reader, "reader", seed);
	}
	for (i = 0; i < TEST_WORKERS; i++)
		test_start(test, &threads[i], test_worker, "worker", seed);
	test_start(test, unbinder, test_unbinder, "unbinder", seed);
	test_start(test, firer, test_firer, "firer", seed);

	msleep(TEST_RACE_MS);
	WRITE_ONCE(test_stop, true);
	test_join(test, firer, "firer");
	test_join(test, unbinder, "unbinder");

	/*
	 * Unbind every device with a file of it kept open: that must wake
	 * each thread blocked on it, which then closes its files and ends.
	 */
	for (i = 0; i < TEST_DEVS; i++) {
		final[i] = test_open(env, i, O_RDONLY | O_NONBLOCK);
		KUNIT_EXPECT_FALSE(test, IS_ERR(final[i]));
		if (IS_ERR(final[i]))
			final[i] = NULL;
		device_release_driver(&env->pdev[i]->dev);
	}
	for (i = 0; i < TEST_WORKERS; i++)
		test_join(test, &threads[i], "worker");
	for (i = 0; i < TEST_DEVS; i++)
		test_join(test, &threads[TEST_WORKERS + i], "reader");
	ms = jiffies_to_msecs(jiffies - start);

	for (i = 0; i < TEST_THREADS; i++) {
		t = &threads[i];
		KUNIT_EXPECT_EQ_MSG(test, t->bad, 0, "thread %d: %s", i, t->why);
		ops += t->ops;
		bytes += t->bytes;
		errors += t->errors;
	}

	/*
	 * Every instance, with only its pin open: counted out but for the
	 * pin, its buffer still there for it, no reference but the pin's,
	 * its events balanced. Closing the pin frees it all.
	 */
	for (i = 0; i < unbinder->npins + TEST_DEVS; i++) {
		struct file *pin = i < unbinder->npins ? unbinder->pins[i] :
				   final[i - unbinder->npins];

		if (!pin)
			continue;
		an = test_file_an(pin);
		test_counts(an, &c);
		KUNIT_EXPECT_TRUE(test, c.gone);
		KUNIT_EXPECT_EQ_MSG(test, c.readers, 1, "%s pin %d", an->name, i);
		KUNIT_EXPECT_EQ_MSG(test, c.writers, 0, "%s pin %d", an->name, i);
		KUNIT_EXPECT_TRUE_MSG(test, c.allocated, "%s pin %d", an->name, i);
		KUNIT_EXPECT_EQ_MSG(test, kref_read(&an->ref), 1,
				    "%s pin %d: references besides the pin's",
				    an->name, i);
		test_expect_identity(test, an, "at the end");
		if (an->source == ASYNC_NOTIFY_SOURCE_IRQ)
			irq_events += c.events;
		else if (an->source == ASYNC_NOTIFY_SOURCE_TIMER)
			timer_events += c.events;
		instances++;
		test_close(pin);
	}

	/* Bound again, with no file open: nothing counted, nothing held. */
	for (i = 0; i < TEST_DEVS; i++) {
		KUNIT_EXPECT_EQ(test, device_attach(&env->pdev[i]->dev), 1);
		an = test_an(env, i);
		KUNIT_ASSERT_NOT_NULL(test, an);
		test_counts(an, &c);
		KUNIT_EXPECT_EQ(test, c.readers, 0);
		KUNIT_EXPECT_EQ(test, c.writers, 0);
		KUNIT_EXPECT_FALSE(test, c.allocated);
	}

	kunit_info(test, "%llu operations in %lu ms (%llu/s), %llu of them expected errors; %llu bytes read; %llu unbinds; %llu interrupts raised, %llu irq and %llu timer events in the %d instances checked\n",
		   ops, ms, ms ? ops * MSEC_PER_SEC / ms : 0, errors, bytes,
		   unbinder->unbinds, firer->ops, irq_events, timer_events,
		   instances);
	KUNIT_EXPECT_GT(test, unbinder->unbinds, 0);
	test_expect_no_report(test, taint, locks);
}

static struct kunit_case async_notify_driver_test_cases[] = {
	KUNIT_CASE(async_notify_test_driver_probe),
	KUNIT_CASE(async_notify_test_driver_probe_invalid),
	KUNIT_CASE(async_notify_test_driver_fops),
	KUNIT_CASE(async_notify_test_driver_read_bounce),
	KUNIT_CASE(async_notify_test_driver_sysfs),
	KUNIT_CASE(async_notify_test_driver_binary),
	KUNIT_CASE(async_notify_test_driver_unbind_wakes),
	KUNIT_CASE(async_notify_test_driver_pending),
	KUNIT_CASE(async_notify_test_driver_integrity),
	KUNIT_CASE(async_notify_test_driver_race),
	{}
};

static struct kunit_suite async_notify_driver_test_suite = {
	.name = "async_notify_driver",
	.suite_init = test_suite_init,
	.suite_exit = test_suite_exit,
	.init = test_env_init,
	.exit = test_env_exit,
	.test_cases = async_notify_driver_test_cases,
};

kunit_test_suite(async_notify_driver_test_suite);
