// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify: the character device's file operations. Every user copy
 * is made without a lock held, so a reader or writer stalled in a page
 * fault holds up nobody: not the source, not other files, not sysfs,
 * not open() (which misc_open() calls under the global misc_mtx).
 */

#include <linux/fs.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/async_notify.h>

#include "async_notify.h"

static struct async_notify *async_notify_from_misc(struct miscdevice *misc)
{
	return container_of(misc, struct async_notify, misc);
}

/* Count @af out; the buffer it gave up is freed after the lock. */
static void async_notify_file_put(struct async_notify *an,
				  struct async_notify_file *af, fmode_t fmode)
{
	lockdep_assert_held(&an->open_lock);

	spin_lock(&an->lock);
	async_notify_buf_put(&an->buf, &af->rd, fmode);
	spin_unlock(&an->lock);
	async_notify_buf_release(&af->rd);
}

/*
 * Count @af in; the open that allocates the buffer starts the source,
 * which fills it: the first reader or writer's, and in queue mode, where
 * the buffer is the readers' queues, the first reader's. What an open or
 * a read makes the kernel allocate is charged to the caller's memory
 * cgroup (GFP_KERNEL_ACCOUNT): a queue or bounce buffer can be 1 MiB.
 */
static int async_notify_file_get(struct async_notify *an,
				 struct async_notify_file *af, fmode_t fmode)
{
	int ret;

	lockdep_assert_held(&an->open_lock);

	ret = async_notify_buf_prepare(&an->buf, &af->rd, fmode,
				       GFP_KERNEL_ACCOUNT);
	if (ret)
		return ret;
	spin_lock(&an->lock);
	async_notify_buf_get(&an->buf, &af->rd, fmode);
	spin_unlock(&an->lock);
	/* Allocation changes only under @open_lock, which we hold. */
	if (!an->running && async_notify_buf_allocated(&an->buf))
		async_notify_source_start(an);
	return 0;
}

static int async_notify_open(struct inode *inode, struct file *file)
{
	struct async_notify *an = async_notify_from_misc(file->private_data);
	struct async_notify_file *af;
	int ret;

	af = kzalloc(sizeof(*af), GFP_KERNEL_ACCOUNT);
	if (!af)
		return -ENOMEM;
	af->an = an;

	/*
	 * misc_open() calls us under misc_mtx, which misc_deregister() also
	 * takes, so the device is still bound here and @ref is held.
	 */
	/* A signal ends the wait: open() restarts (SA_RESTART) or gets EINTR. */
	if (mutex_lock_interruptible(&an->open_lock)) {
		ret = -ERESTARTSYS;
		goto err_free_file;
	}
	ret = async_notify_file_get(an, af, file->f_mode);
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

	/*
	 * __fput() has already unsubscribed the file from @fasync. The close
	 * that frees the buffer stops the source first.
	 */
	mutex_lock(&an->open_lock);
	if (async_notify_buf_frees(&an->buf, file->f_mode))
		async_notify_source_stop(an);
	async_notify_file_put(an, af, file->f_mode);
	mutex_unlock(&an->open_lock);

	kfree(af);
	async_notify_put(an);
	return 0;
}

/* Whether a write would not block. */
static bool async_notify_has_room(struct async_notify *an)
{
	bool ready;

	spin_lock(&an->lock);
	ready = an->gone || async_notify_buf_room(&an->buf);
	spin_unlock(&an->lock);
	return ready;
}

/* A full fifo: -EAGAIN, a signal, or 0 once something changed. */
static int async_notify_wait_room(struct async_notify *an, bool nonblock)
{
	if (nonblock)
		return -EAGAIN;
	if (wait_event_interruptible(an->write_wait, async_notify_has_room(an)))
		return -ERESTARTSYS;
	return 0;
}

/*
 * A read or a clear made room: wake the writers and pollers that wait
 * for it, if any (only a fifo can be full). wq_has_sleeper() orders the
 * change of @buf, made under @lock, before the look at the queue; a
 * writer or poller checks for room under @lock after it queued itself.
 */
static void async_notify_wake_writers(struct async_notify *an)
{
	if (an->buf.mode == ASYNC_NOTIFY_MODE_FIFO &&
	    wq_has_sleeper(&an->write_wait))
		wake_up_interruptible_poll(&an->write_wait,
					   EPOLLOUT | EPOLLWRNORM);
}

/*
 * A read copies through a bounce buffer on the stack when what it can
 * take fits: every source frame does (ASYNC_NOTIFY_FRAME_MAX), and all of
 * a buffer of the default size. Only a read that can take more, because
 * more is waiting for this file, allocates one.
 */
#define ASYNC_NOTIFY_READ_ONSTACK	256
static_assert(ASYNC_NOTIFY_READ_ONSTACK >= ASYNC_NOTIFY_FRAME_MAX);

/* One pass of a read: what it asked for, and what it found. */
struct async_notify_take {
	size_t count;	/* bytes asked for, at most the buffer's size */
	void *kbuf;	/* the bounce buffer */
	size_t room;	/* its size */
	size_t n;	/* bytes copied into it */
	u64 pos;	/* where they were, for the commit */
	bool grow;	/* more is waiting than @room holds */
	int err;	/* -ENODEV once unbound */
};

/*
 * Under @lock, copy what this file can read into the bounce buffer.
 * True when the read can go on: bytes were copied, a larger bounce
 * buffer is needed, or the device is gone. It is also the read's wait
 * condition, so that one hold of @lock both finds a frame and takes it.
 */
static bool async_notify_peek(struct async_notify_file *af,
			      struct async_notify_take *t)
{
	struct async_notify *an = af->an;
	bool readable;

	spin_lock(&an->lock);
	t->err = an->gone ? -ENODEV : 0;
	readable = !t->err && async_notify_buf_readable(&an->buf, &af->rd);
	t->grow = readable &&
		  min(t->count, async_notify_buf_queued(&an->buf, &af->rd)) >
		  t->room;
	t->n = readable && !t->grow ?
	       async_notify_buf_peek(&an->buf, &af->rd, t->kbuf,
				     min(t->count, t->room), &t->pos) : 0;
	spin_unlock(&an->lock);
	return t->err || t->grow || t->n;
}

/*
 * Copy what this file can read into the bounce buffer under @lock, copy
 * that to userspace without it, then consume it under @lock again unless
 * another reader took or cleared those bytes meanwhile; then start over.
 * Nothing is consumed that did not reach the reader. The wait has no
 * check of its own before it queues the reader: the peek just made it.
 * Writers and pollers wait for room only while there is none (a write
 * takes what fits), so only a read that found the fifo full wakes them.
 */
static ssize_t async_notify_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	u8 onstack[ASYNC_NOTIFY_READ_ONSTACK];
	struct async_notify_take t = {
		.kbuf = onstack,
		.room = sizeof(onstack),
	};
	bool done = false;
	bool full = false;
	ssize_t ret;

	if (!count)
		return 0;

	t.count = min(count, an->buf.size);
	while (!done) {
		if (!async_notify_peek(af, &t)) {
			if (file->f_flags & O_NONBLOCK)
				t.err = -EAGAIN;
			else if (__wait_event_interruptible(an->wait,
							    async_notify_peek(af, &t)))
				t.err = -ERESTARTSYS;
		}
		ret = t.err;
		if (ret)
			break;
		if (t.grow) {
			t.kbuf = kvmalloc(t.count, GFP_KERNEL_ACCOUNT);
			if (!t.kbuf) {
				ret = -ENOMEM;
				break;
			}
			t.room = t.count;
			continue;
		}

		if (copy_to_user(ubuf, t.kbuf, t.n)) {
			ret = -EFAULT;
			break;
		}
		spin_lock(&an->lock);
		full = !async_notify_buf_room(&an->buf);
		done = async_notify_buf_commit(&an->buf, &af->rd, t.n, t.pos);
		spin_unlock(&an->lock);
		ret = t.n;
	}
	if (t.kbuf && t.kbuf != onstack)
		kvfree(t.kbuf);
	if (ret > 0 && full)
		async_notify_wake_writers(an);
	return ret;
}

static ssize_t async_notify_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	ssize_t ret;
	void *kbuf;
	size_t n;

	if (!count)
		return 0;

	/* Copy first: a bad pointer must leave the buffer as it was. */
	count = min(count, an->buf.size);
	kbuf = vmemdup_user(ubuf, count);
	if (IS_ERR(kbuf))
		return PTR_ERR(kbuf);

	do {
		spin_lock(&an->lock);
		ret = an->gone ? -ENODEV : 0;
		n = ret ? 0 : async_notify_buf_write(&an->buf, kbuf, count);
		spin_unlock(&an->lock);
		if (!ret && !n)
			ret = async_notify_wait_room(an, file->f_flags & O_NONBLOCK);
	} while (!ret && !n);
	kvfree(kbuf);
	if (ret)
		return ret;
	async_notify_wake(an, POLL_IN);
	return n;
}

static __poll_t async_notify_poll(struct file *file, poll_table *wait)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	__poll_t mask = 0;

	/*
	 * A file is told only what it can do, as gpiolib-cdev's are: a frame
	 * (EPOLLIN) if it can read, room (EPOLLOUT) if it can write. It
	 * waits for that alone; unbind wakes both queues.
	 */
	if (file->f_mode & FMODE_READ)
		poll_wait(file, &an->wait, wait);
	if (file->f_mode & FMODE_WRITE)
		poll_wait(file, &an->write_wait, wait);

	spin_lock(&an->lock);
	if (an->gone) {
		mask = EPOLLHUP | EPOLLERR;
	} else {
		if ((file->f_mode & FMODE_READ) &&
		    async_notify_buf_readable(&an->buf, &af->rd))
			mask |= EPOLLIN | EPOLLRDNORM;
		if ((file->f_mode & FMODE_WRITE) &&
		    async_notify_buf_room(&an->buf))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	spin_unlock(&an->lock);
	return mask;
}

/*
 * Subscribing takes @open_lock, which unbind holds while it sets @gone,
 * so a subscriber is either refused or added before unbind sends
 * POLL_HUP. Unsubscribing always works.
 */
static int async_notify_fasync(int fd, struct file *file, int on)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	int ret;

	if (!on)
		return fasync_helper(fd, file, on, &an->fasync);

	mutex_lock(&an->open_lock);
	ret = an->gone ? -ENODEV : fasync_helper(fd, file, on, &an->fasync);
	mutex_unlock(&an->open_lock);
	return ret;
}

static long async_notify_clear(struct file *file)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	int ret = 0;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;

	spin_lock(&an->lock);
	if (an->gone)
		ret = -ENODEV;
	else
		async_notify_buf_clear(&an->buf);
	spin_unlock(&an->lock);

	if (!ret)
		async_notify_wake_writers(an);
	return ret;
}

static long async_notify_get_info(struct file *file, void __user *uinfo)
{
	struct async_notify_file *af = file->private_data;
	struct async_notify *an = af->an;
	struct async_notify_buf *b = &an->buf;
	struct async_notify_info info;
	int ret = 0;

	memset(&info, 0, sizeof(info));
	info.seq = async_notify_event_counter(an, &an->events);

	spin_lock(&an->lock);
	if (an->gone) {
		ret = -ENODEV;
	} else {
		info.frames = b->frames;
		info.missed = async_notify_buf_missed(b, &af->rd);
		info.queued = async_notify_buf_queued(b, &af->rd);
		info.readers = b->readers;
		info.writers = b->writers;
		info.mode = b->mode;
		info.buffer_size = b->size;
		info.format = an->format;
	}
	spin_unlock(&an->lock);
	if (ret)
		return ret;

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

const struct file_operations async_notify_fops = {
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
