// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify: data-ready events from an interrupt, or from a timer that
 * emulates one, delivered to userspace as frames to read, to poll for and
 * to be signalled about (SIGIO through fcntl F_SETOWN and FASYNC).
 *
 * Each "linux,async-notify" device tree node gets a misc device. Its
 * buffer exists only while the device is open, and so does its source.
 * Documentation/userspace-api/async-notify.rst describes the ABI.
 */

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/kfifo.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/property.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/async_notify.h>

#include "async_notify_buf.h"

#define ASYNC_NOTIFY_SIZE_DEFAULT	256
#define ASYNC_NOTIFY_SIZE_MIN		ASYNC_NOTIFY_FRAME_MAX
#define ASYNC_NOTIFY_SIZE_MAX		SZ_1M
/* A shorter period would keep an emulated CPU busy with ticks alone. */
#define ASYNC_NOTIFY_PERIOD_MIN_US	1000
#define ASYNC_NOTIFY_PERIOD_MAX_US	(60 * USEC_PER_SEC)
#define ASYNC_NOTIFY_LABEL_MAX		32
/* Events the source may run ahead of the frames (power of two). */
#define ASYNC_NOTIFY_PENDING		32
#define ASYNC_NOTIFY_NAME_PREFIX	"async_n"

enum async_notify_source {
	ASYNC_NOTIFY_SOURCE_NONE,
	ASYNC_NOTIFY_SOURCE_IRQ,
	ASYNC_NOTIFY_SOURCE_TIMER,
};

static const char * const async_notify_source_names[] = {
	[ASYNC_NOTIFY_SOURCE_NONE] = "none",
	[ASYNC_NOTIFY_SOURCE_IRQ] = "irq",
	[ASYNC_NOTIFY_SOURCE_TIMER] = "timer",
};

/* Indexed by ASYNC_NOTIFY_MODE_*, as "linux,mode" and sysfs spell them. */
static const char * const async_notify_mode_names[] = {
	[ASYNC_NOTIFY_MODE_LATEST] = "latest",
	[ASYNC_NOTIFY_MODE_FIFO] = "fifo",
};

/**
 * struct async_notify_event - a data-ready event, stamped where it happened
 * @seq: its number: events since the device was bound
 * @ts_ns: its CLOCK_MONOTONIC time
 */
struct async_notify_event {
	u64 seq;
	u64 ts_ns;
};

/**
 * struct async_notify - one device instance
 * @ref: one reference for the bound device and one per open file: open
 *	files outlive an unbind, so this is not devm memory
 * @dev: the platform device; used only while bound
 * @misc: the character device
 * @name: its name: the node's label, or async_n<id>
 * @id: index from async_notify_ida, or -1 with a label
 * @source: what produces data-ready events
 * @irq: the interrupt, for ASYNC_NOTIFY_SOURCE_IRQ
 * @period_us: the timer period, for ASYNC_NOTIFY_SOURCE_TIMER; written
 *	from sysfs, read by the timer (READ_ONCE/WRITE_ONCE)
 * @timer: emulates the interrupt
 * @work: runs the timer's frames in process context
 * @open_lock: serialises open, release and unbind, which start and stop
 *	the source and allocate and free the buffer. Taken before @lock,
 *	in process context only; the source never takes it, so the source
 *	can be stopped and waited for under it.
 * @running: the source is started; under @open_lock
 * @lock: protects @buf, every open file's reader state and @gone. Taken
 *	in process context: file operations, sysfs, the IRQ thread and
 *	@work. Never held across kill_fasync() or a wait.
 * @buf: the buffer and its users
 * @gone: the device was unbound; set once, under @lock
 * @gen: bumped under @lock at every change a waiter may be waiting for,
 *	read without it (READ_ONCE) in wait conditions
 * @wait: readers, writers and pollers wait here for @gen to change
 * @fasync: subscribers; fasync_helper() and kill_fasync() lock it
 * @event_lock: protects @events, @dropped and @pending; taken in hard
 *	IRQ, timer and process context, so always with interrupts disabled
 * @events: events since the device was bound
 * @dropped: events that never became frames: timer periods that passed
 *	while the timer could not run, and events that found @pending full
 * @pending: events not yet made into frames
 * @notified: rounds of SIGIO sent to subscribers
 */
struct async_notify {
	struct kref ref;
	struct device *dev;
	struct miscdevice misc;
	char name[ASYNC_NOTIFY_LABEL_MAX];
	int id;

	enum async_notify_source source;
	int irq;
	u32 period_us;
	struct hrtimer timer;
	struct work_struct work;

	/* Serialises open, release and unbind; the source never takes it. */
	struct mutex open_lock;
	bool running;

	/* Protects the buffer, the readers' state and @gone. */
	struct mutex lock;
	struct async_notify_buf buf;
	bool gone;
	unsigned long gen;
	wait_queue_head_t wait;
	struct fasync_struct *fasync;

	raw_spinlock_t event_lock;
	u64 events;
	u64 dropped;
	DECLARE_KFIFO(pending, struct async_notify_event, ASYNC_NOTIFY_PENDING);

	atomic64_t notified;
};

/* An open file: its device and what it has read. */
struct async_notify_file {
	struct async_notify *an;
	struct async_notify_reader rd;
};

static DEFINE_IDA(async_notify_ida);

static void async_notify_free(struct kref *ref)
{
	struct async_notify *an = container_of(ref, struct async_notify, ref);

	if (an->id >= 0)
		ida_free(&async_notify_ida, an->id);
	kfree(an);
}

static void async_notify_put(void *data)
{
	struct async_notify *an = data;

	kref_put(&an->ref, async_notify_free);
}

/*
 * Record @count data-ready events, the last of them now; only that one
 * becomes a frame (a timer that ran late lost the others).
 */
static void async_notify_event(struct async_notify *an, u64 count)
{
	struct async_notify_event ev = { .ts_ns = ktime_get_ns() };
	unsigned long flags;

	raw_spin_lock_irqsave(&an->event_lock, flags);
	an->events += count;
	an->dropped += count - 1;
	ev.seq = an->events;
	if (!kfifo_put(&an->pending, ev))
		an->dropped++;
	raw_spin_unlock_irqrestore(&an->event_lock, flags);
}

/* Read a counter that @event_lock protects. */
static u64 async_notify_read_event_counter(struct async_notify *an, u64 *counter)
{
	unsigned long flags;
	u64 val;

	raw_spin_lock_irqsave(&an->event_lock, flags);
	val = *counter;
	raw_spin_unlock_irqrestore(&an->event_lock, flags);
	return val;
}

/* Tell waiters that the buffer changed; @band signals subscribers too. */
static void async_notify_wake(struct async_notify *an, int band)
{
	wake_up_interruptible(&an->wait);
	if (band && READ_ONCE(an->fasync)) {
		atomic64_inc(&an->notified);
		kill_fasync(&an->fasync, SIGIO, band);
	}
}

static void async_notify_changed(struct async_notify *an)
{
	lockdep_assert_held(&an->lock);
	WRITE_ONCE(an->gen, an->gen + 1);
}

/* Take the oldest pending event; false when there is none. */
static bool async_notify_next_event(struct async_notify *an,
				    struct async_notify_event *ev)
{
	unsigned long flags;
	bool got;

	raw_spin_lock_irqsave(&an->event_lock, flags);
	got = kfifo_get(&an->pending, ev);
	raw_spin_unlock_irqrestore(&an->event_lock, flags);
	return got;
}

/*
 * Make every pending event into a frame, then announce them once. Both
 * sources end here, in process context.
 */
static void async_notify_deliver(struct async_notify *an)
{
	char frame[ASYNC_NOTIFY_FRAME_MAX];
	struct async_notify_event ev;
	bool stored = false;
	int len;

	while (async_notify_next_event(an, &ev)) {
		len = scnprintf(frame, sizeof(frame), ASYNC_NOTIFY_FRAME_FMT,
				ev.seq, ev.ts_ns);
		mutex_lock(&an->lock);
		if (async_notify_buf_push(&an->buf, frame, len)) {
			async_notify_changed(an);
			stored = true;
		}
		mutex_unlock(&an->lock);
	}
	if (stored)
		async_notify_wake(an, POLL_IN);
}

static irqreturn_t async_notify_irq(int irq, void *data)
{
	async_notify_event(data, 1);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t async_notify_irq_thread(int irq, void *data)
{
	async_notify_deliver(data);
	return IRQ_HANDLED;
}

static ktime_t async_notify_period(struct async_notify *an)
{
	return ns_to_ktime((u64)READ_ONCE(an->period_us) * NSEC_PER_USEC);
}

/* Every period that passed is an event, even if the callback ran late. */
static enum hrtimer_restart async_notify_timer(struct hrtimer *timer)
{
	struct async_notify *an = container_of(timer, struct async_notify,
					       timer);
	u64 periods;

	periods = hrtimer_forward_now(timer, async_notify_period(an));
	async_notify_event(an, periods);
	queue_work(system_highpri_wq, &an->work);
	return HRTIMER_RESTART;
}

static void async_notify_work(struct work_struct *work)
{
	async_notify_deliver(container_of(work, struct async_notify, work));
}

static int async_notify_source_start(struct async_notify *an)
{
	unsigned long flags;
	int ret = 0;

	lockdep_assert_held(&an->open_lock);

	/* Events left from the last run (its work was cancelled) are stale. */
	raw_spin_lock_irqsave(&an->event_lock, flags);
	kfifo_reset(&an->pending);
	raw_spin_unlock_irqrestore(&an->event_lock, flags);

	switch (an->source) {
	case ASYNC_NOTIFY_SOURCE_IRQ:
		ret = request_threaded_irq(an->irq, async_notify_irq,
					   async_notify_irq_thread,
					   IRQF_ONESHOT, an->name, an);
		break;
	case ASYNC_NOTIFY_SOURCE_TIMER:
		hrtimer_start(&an->timer, async_notify_period(an),
			      HRTIMER_MODE_REL);
		break;
	case ASYNC_NOTIFY_SOURCE_NONE:
		break;
	}
	an->running = !ret;
	return ret;
}

/* Stop the source and wait until none of its handlers is running. */
static void async_notify_source_stop(struct async_notify *an)
{
	lockdep_assert_held(&an->open_lock);
	lockdep_assert_not_held(&an->lock);

	if (!an->running)
		return;

	switch (an->source) {
	case ASYNC_NOTIFY_SOURCE_IRQ:
		free_irq(an->irq, an);
		break;
	case ASYNC_NOTIFY_SOURCE_TIMER:
		hrtimer_cancel(&an->timer);
		cancel_work_sync(&an->work);
		break;
	case ASYNC_NOTIFY_SOURCE_NONE:
		break;
	}
	an->running = false;
}

static struct async_notify *async_notify_from_misc(struct miscdevice *misc)
{
	return container_of(misc, struct async_notify, misc);
}

/* Count a file in; the first reader or writer starts the source. */
static int async_notify_get(struct async_notify *an,
			    struct async_notify_file *af, fmode_t fmode)
{
	bool first = !async_notify_buf_in_use(&an->buf);
	int ret;

	lockdep_assert_held(&an->open_lock);

	mutex_lock(&an->lock);
	ret = async_notify_buf_get(&an->buf, fmode, GFP_KERNEL);
	async_notify_reader_init(&an->buf, &af->rd);
	mutex_unlock(&an->lock);
	if (ret || !first || !async_notify_buf_in_use(&an->buf))
		return ret;

	ret = async_notify_source_start(an);
	if (ret) {
		dev_err(an->dev, "cannot start the %s source: %d\n",
			async_notify_source_names[an->source], ret);
		mutex_lock(&an->lock);
		async_notify_buf_put(&an->buf, fmode);
		mutex_unlock(&an->lock);
	}
	return ret;
}

static int async_notify_open(struct inode *inode, struct file *file)
{
	struct async_notify *an = async_notify_from_misc(file->private_data);
	struct async_notify_file *af;
	int ret;

	af = kzalloc(sizeof(*af), GFP_KERNEL);
	if (!af)
		return -ENOMEM;
	af->an = an;

	/*
	 * misc_open() calls us under misc_mtx, which misc_deregister() also
	 * takes, so the device is still bound here and @ref is held.
	 */
	ret = mutex_lock_interruptible(&an->open_lock);
	if (ret)
		goto err_free_file;
	ret = async_notify_get(an, af, file->f_mode);
	mutex_unlock(&an->open_lock);
	if (ret)
		goto err_free_file;

	kref_get(&an->ref);
	file->private_data = af;
	return stream_open(inode, file);

err_free_file:
	kfree(af);
	return ret;
}

static int async_notify_release(struct inode *inode, struct file *file)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;

	/* __fput() has already unsubscribed the file from @fasync. */
	mutex_lock(&an->open_lock);
	if (async_notify_buf_is_last(&an->buf, file->f_mode))
		async_notify_source_stop(an);
	mutex_lock(&an->lock);
	async_notify_buf_put(&an->buf, file->f_mode);
	mutex_unlock(&an->lock);
	mutex_unlock(&an->open_lock);

	kfree(af);
	kref_put(&an->ref, async_notify_free);
	return 0;
}

static bool async_notify_ready(struct async_notify_file *af, bool write)
{
	struct async_notify_buf *b = &af->an->buf;

	return write ? async_notify_buf_room(b) : async_notify_buf_readable(b, &af->rd);
}

/*
 * Wait until @af can read (or, with @write, write) and return 0 with
 * @lock held; otherwise return the error with it released.
 */
static int async_notify_lock_ready(struct async_notify_file *af,
				   bool nonblock, bool write)
{
	struct async_notify *an = af->an;
	unsigned long gen;
	int ret;

	for (;;) {
		if (mutex_lock_interruptible(&an->lock))
			return -ERESTARTSYS;
		if (an->gone) {
			ret = -ENODEV;
			break;
		}
		if (async_notify_ready(af, write))
			return 0;
		if (nonblock) {
			ret = -EAGAIN;
			break;
		}
		gen = an->gen;
		mutex_unlock(&an->lock);

		if (wait_event_interruptible(an->wait,
					     READ_ONCE(an->gen) != gen))
			return -ERESTARTSYS;
	}
	mutex_unlock(&an->lock);
	return ret;
}

static ssize_t async_notify_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	ssize_t ret;
	size_t n;
	void *kbuf;

	if (!count)
		return 0;

	count = min(count, an->buf.size);
	kbuf = kvmalloc(count, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;

	ret = async_notify_lock_ready(af, file->f_flags & O_NONBLOCK, false);
	if (ret)
		goto out_free;

	/*
	 * Nothing is consumed unless it reached the reader, so the copy is
	 * made under @lock. The source's hard half never waits for it; the
	 * thread or work item that stores the next frame may wait for a
	 * reader's page fault, and the event waits in @pending meanwhile.
	 */
	n = async_notify_buf_peek(&an->buf, kbuf, count);
	if (copy_to_user(ubuf, kbuf, n)) {
		ret = -EFAULT;
	} else {
		async_notify_buf_commit(&an->buf, &af->rd, n);
		async_notify_changed(an);
		ret = n;
	}
	mutex_unlock(&an->lock);
	if (ret > 0)
		async_notify_wake(an, 0);
out_free:
	kvfree(kbuf);
	return ret;
}

static ssize_t async_notify_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	ssize_t ret;
	void *kbuf;

	if (!count)
		return 0;

	/* Copy first: a bad pointer must leave the buffer as it was. */
	count = min(count, an->buf.size);
	kbuf = vmemdup_user(ubuf, count);
	if (IS_ERR(kbuf))
		return PTR_ERR(kbuf);

	ret = async_notify_lock_ready(af, file->f_flags & O_NONBLOCK, true);
	if (ret)
		goto out_free;

	ret = async_notify_buf_write(&an->buf, kbuf, count);
	async_notify_changed(an);
	mutex_unlock(&an->lock);
	async_notify_wake(an, POLL_IN);
out_free:
	kvfree(kbuf);
	return ret;
}

static __poll_t async_notify_poll(struct file *file, poll_table *wait)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	__poll_t mask = 0;

	poll_wait(file, &an->wait, wait);

	mutex_lock(&an->lock);
	if (an->gone) {
		mask = EPOLLHUP | EPOLLERR;
	} else {
		if (async_notify_ready(af, false))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (async_notify_ready(af, true))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	mutex_unlock(&an->lock);
	return mask;
}

static int async_notify_fasync(int fd, struct file *file, int on)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;

	if (on && READ_ONCE(an->gone))
		return -ENODEV;
	return fasync_helper(fd, file, on, &an->fasync);
}

static long async_notify_clear(struct file *file)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;

	mutex_lock(&an->lock);
	if (an->gone) {
		mutex_unlock(&an->lock);
		return -ENODEV;
	}
	async_notify_buf_clear(&an->buf);
	async_notify_changed(an);
	mutex_unlock(&an->lock);

	async_notify_wake(an, 0);
	return 0;
}

static long async_notify_get_info(struct file *file, void __user *uinfo)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	struct async_notify_info info;
	struct async_notify_buf *b = &an->buf;

	memset(&info, 0, sizeof(info));

	info.seq = async_notify_read_event_counter(an, &an->events);

	mutex_lock(&an->lock);
	if (an->gone) {
		mutex_unlock(&an->lock);
		return -ENODEV;
	}
	info.frames = b->frames;
	info.missed = async_notify_buf_missed(b, &af->rd);
	info.queued = b->len;
	info.readers = b->readers;
	info.writers = b->writers;
	info.mode = b->mode;
	info.buffer_size = b->size;
	mutex_unlock(&an->lock);

	return copy_to_user(uinfo, &info, sizeof(info)) ? -EFAULT : 0;
}

static long async_notify_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	switch (cmd) {
	case ASYNC_NOTIFY_IOC_CLEAR:
		return async_notify_clear(file);
	case ASYNC_NOTIFY_IOC_INFO:
		return async_notify_get_info(file, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations async_notify_fops = {
	.owner = THIS_MODULE,
	.open = async_notify_open,
	.release = async_notify_release,
	.read = async_notify_read,
	.write = async_notify_write,
	.poll = async_notify_poll,
	.fasync = async_notify_fasync,
	.unlocked_ioctl = async_notify_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* sysfs: the misc device's attributes (Documentation/ABI/testing/). */

static struct async_notify *async_notify_from_dev(struct device *dev)
{
	return async_notify_from_misc(dev_get_drvdata(dev));
}

/* A counter of the buffer, read under @lock. */
#define ASYNC_NOTIFY_BUF_ATTR(_name, _field)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct async_notify *an = async_notify_from_dev(dev);		\
	u64 val;							\
									\
	mutex_lock(&an->lock);						\
	val = an->buf._field;						\
	mutex_unlock(&an->lock);					\
	return sysfs_emit(buf, "%llu\n", val);				\
}									\
static DEVICE_ATTR_RO(_name)

ASYNC_NOTIFY_BUF_ATTR(buffer_size, size);
ASYNC_NOTIFY_BUF_ATTR(readers, readers);
ASYNC_NOTIFY_BUF_ATTR(writers, writers);
ASYNC_NOTIFY_BUF_ATTR(frames, frames);
ASYNC_NOTIFY_BUF_ATTR(overruns, overruns);

static ssize_t allocated_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);
	bool allocated;

	mutex_lock(&an->lock);
	allocated = an->buf.data;
	mutex_unlock(&an->lock);
	return sysfs_emit(buf, "%d\n", allocated);
}
static DEVICE_ATTR_RO(allocated);

static ssize_t mode_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%s\n", async_notify_mode_names[an->buf.mode]);
}
static DEVICE_ATTR_RO(mode);

static ssize_t source_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%s\n", async_notify_source_names[an->source]);
}
static DEVICE_ATTR_RO(source);

static ssize_t events_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%llu\n",
			  async_notify_read_event_counter(an, &an->events));
}
static DEVICE_ATTR_RO(events);

static ssize_t dropped_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%llu\n",
			  async_notify_read_event_counter(an, &an->dropped));
}
static DEVICE_ATTR_RO(dropped);

static ssize_t notifications_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%lld\n", atomic64_read(&an->notified));
}
static DEVICE_ATTR_RO(notifications);

static ssize_t period_us_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(an->period_us));
}

/* A new period takes effect from the next tick. */
static ssize_t period_us_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct async_notify *an = async_notify_from_dev(dev);
	u32 period;
	int ret;

	ret = kstrtou32(buf, 0, &period);
	if (ret)
		return ret;
	if (period < ASYNC_NOTIFY_PERIOD_MIN_US ||
	    period > ASYNC_NOTIFY_PERIOD_MAX_US)
		return -EINVAL;

	WRITE_ONCE(an->period_us, period);
	return count;
}
static DEVICE_ATTR_RW(period_us);

static struct attribute *async_notify_attrs[] = {
	&dev_attr_mode.attr,
	&dev_attr_source.attr,
	&dev_attr_buffer_size.attr,
	&dev_attr_readers.attr,
	&dev_attr_writers.attr,
	&dev_attr_allocated.attr,
	&dev_attr_events.attr,
	&dev_attr_dropped.attr,
	&dev_attr_frames.attr,
	&dev_attr_notifications.attr,
	&dev_attr_overruns.attr,
	&dev_attr_period_us.attr,
	NULL
};

static umode_t async_notify_attr_visible(struct kobject *kobj,
					 struct attribute *attr, int n)
{
	struct async_notify *an = async_notify_from_dev(kobj_to_dev(kobj));

	if (attr == &dev_attr_period_us.attr &&
	    an->source != ASYNC_NOTIFY_SOURCE_TIMER)
		return 0;
	return attr->mode;
}

static const struct attribute_group async_notify_group = {
	.attrs = async_notify_attrs,
	.is_visible = async_notify_attr_visible,
};
__ATTRIBUTE_GROUPS(async_notify);

/* Probe: properties, source and name, then the character device. */

/* Read an optional u32 property, which must lie in [@min, @max]. */
static int async_notify_read_u32(struct device *dev, const char *prop,
				 u32 min, u32 max, u32 *val)
{
	int ret;

	if (!device_property_present(dev, prop))
		return 0;

	ret = device_property_read_u32(dev, prop, val);
	if (ret)
		return dev_err_probe(dev, ret, "%s must be one u32\n", prop);
	if (*val < min || *val > max)
		return dev_err_probe(dev, -EINVAL,
				     "%s = %u is out of range [%u, %u]\n",
				     prop, *val, min, max);
	return 0;
}

static int async_notify_parse_mode(struct device *dev, u32 *mode)
{
	const char *name;
	int ret;

	*mode = ASYNC_NOTIFY_MODE_LATEST;
	if (!device_property_present(dev, "linux,mode"))
		return 0;

	ret = device_property_read_string(dev, "linux,mode", &name);
	if (ret)
		return dev_err_probe(dev, ret, "linux,mode must be a string\n");
	ret = match_string(async_notify_mode_names,
			   ARRAY_SIZE(async_notify_mode_names), name);
	if (ret < 0)
		return dev_err_probe(dev, -EINVAL,
				     "linux,mode = \"%s\" is unknown: use \"latest\" or \"fifo\"\n",
				     name);
	*mode = ret;
	return 0;
}

/* The node's interrupt if it has one, else its timer, else nothing. */
static int async_notify_parse_source(struct platform_device *pdev,
				     struct async_notify *an)
{
	struct device *dev = &pdev->dev;
	int irq;

	irq = platform_get_irq_optional(pdev, 0);
	if (irq > 0) {
		an->source = ASYNC_NOTIFY_SOURCE_IRQ;
		an->irq = irq;
		return 0;
	}
	if (irq != -ENXIO)
		return dev_err_probe(dev, irq, "cannot get the interrupt\n");

	if (!device_property_present(dev, "linux,period-us")) {
		an->source = ASYNC_NOTIFY_SOURCE_NONE;
		return 0;
	}
	an->source = ASYNC_NOTIFY_SOURCE_TIMER;
	return async_notify_read_u32(dev, "linux,period-us",
				     ASYNC_NOTIFY_PERIOD_MIN_US,
				     ASYNC_NOTIFY_PERIOD_MAX_US,
				     &an->period_us);
}

/* The node's label, or async_n<id> from the allocator. */
static int async_notify_parse_name(struct device *dev, struct async_notify *an)
{
	const char *label;
	int ret;

	if (device_property_read_string(dev, "label", &label)) {
		an->id = ida_alloc(&async_notify_ida, GFP_KERNEL);
		if (an->id < 0)
			return an->id;
		snprintf(an->name, sizeof(an->name),
			 ASYNC_NOTIFY_NAME_PREFIX "%d", an->id);
		return 0;
	}

	ret = strscpy(an->name, label, sizeof(an->name));
	if (ret <= 0 || strchr(label, '/'))
		return dev_err_probe(dev, -EINVAL,
				     "label = \"%s\" must be 1 to %d characters without '/'\n",
				     label, ASYNC_NOTIFY_LABEL_MAX - 1);
	return 0;
}

static struct async_notify *async_notify_alloc(struct device *dev)
{
	struct async_notify *an;

	an = kzalloc(sizeof(*an), GFP_KERNEL);
	if (!an)
		return NULL;

	kref_init(&an->ref);
	an->dev = dev;
	an->id = -1;
	mutex_init(&an->open_lock);
	mutex_init(&an->lock);
	init_waitqueue_head(&an->wait);
	raw_spin_lock_init(&an->event_lock);
	INIT_KFIFO(an->pending);
	hrtimer_init(&an->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	an->timer.function = async_notify_timer;
	INIT_WORK(&an->work, async_notify_work);
	return an;
}

/*
 * Undo the registration on unbind. Open files keep @an: they see @gone,
 * blocked readers and writers wake with -ENODEV, poll reports a hang-up
 * and subscribers get SIGIO with POLL_HUP.
 */
static void async_notify_unregister(void *data)
{
	struct async_notify *an = data;

	misc_deregister(&an->misc);

	mutex_lock(&an->open_lock);
	async_notify_source_stop(an);
	mutex_lock(&an->lock);
	an->gone = true;
	async_notify_changed(an);
	mutex_unlock(&an->lock);
	mutex_unlock(&an->open_lock);

	async_notify_wake(an, POLL_HUP);
}

static int async_notify_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	u32 size = ASYNC_NOTIFY_SIZE_DEFAULT;
	struct async_notify *an;
	u32 mode;
	int ret;

	an = async_notify_alloc(dev);
	if (!an)
		return -ENOMEM;
	ret = devm_add_action_or_reset(dev, async_notify_put, an);
	if (ret)
		return ret;

	ret = async_notify_read_u32(dev, "linux,buffer-size",
				    ASYNC_NOTIFY_SIZE_MIN,
				    ASYNC_NOTIFY_SIZE_MAX, &size);
	if (ret)
		return ret;
	ret = async_notify_parse_mode(dev, &mode);
	if (ret)
		return ret;
	async_notify_buf_init(&an->buf, mode, size);

	ret = async_notify_parse_source(pdev, an);
	if (ret)
		return ret;
	ret = async_notify_parse_name(dev, an);
	if (ret)
		return ret;

	an->misc.minor = MISC_DYNAMIC_MINOR;
	an->misc.name = an->name;
	an->misc.fops = &async_notify_fops;
	an->misc.parent = dev;
	an->misc.groups = async_notify_groups;
	an->misc.mode = 0600;
	ret = misc_register(&an->misc);
	if (ret)
		return dev_err_probe(dev, ret, "cannot register /dev/%s\n",
				     an->name);
	ret = devm_add_action_or_reset(dev, async_notify_unregister, an);
	if (ret)
		return ret;

	dev_info(dev, "/dev/%s: %s mode, %u bytes, source %s\n", an->name,
		 async_notify_mode_names[mode], size,
		 async_notify_source_names[an->source]);
	return 0;
}

static const struct of_device_id async_notify_of_match[] = {
	{ .compatible = "linux,async-notify" },
	{ }
};
MODULE_DEVICE_TABLE(of, async_notify_of_match);

static struct platform_driver async_notify_driver = {
	.probe = async_notify_probe,
	.driver = {
		.name = "async-notify",
		.of_match_table = async_notify_of_match,
	},
};
module_platform_driver(async_notify_driver);

MODULE_DESCRIPTION("Data-ready events as reads, poll and SIGIO");
MODULE_AUTHOR("async-notify developers");
MODULE_LICENSE("GPL");
