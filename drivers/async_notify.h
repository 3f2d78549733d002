/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * async-notify: one device instance, shared by the source (source.c), the
 * file operations (fops.c), the sysfs attributes (sysfs.c) and probe
 * (main.c).
 *
 * Locks, outermost first:
 *
 * - @open_lock (mutex), process context only: serialises open, release,
 *   subscribing (fasync) and unbind, which count files in and out, start
 *   and stop the source, allocate and free the buffer and set @gone. The
 *   source never takes it, so the source can be stopped and waited for
 *   under it.
 * - @lock (spinlock), process context only (file operations, sysfs, the
 *   IRQ thread, the timer's work item): @buf, every open file's reader
 *   state, and @gone. Held only for short copies within kernel memory:
 *   never across a user copy, an allocation, a wait or kill_fasync(). On
 *   PREEMPT_RT it becomes a sleeping lock, which every one of those
 *   contexts may take.
 * - @event_lock (raw spinlock), any context including the hard interrupt
 *   handler and the hrtimer callback (hard interrupt context on
 *   PREEMPT_RT too, HRTIMER_MODE_REL_HARD), always with interrupts
 *   disabled: @events, @dropped and @pending.
 *
 * On PREEMPT_RT, where spinlock_t, rwlock_t and wait queues sleep:
 *
 * - The primary interrupt handler still runs in hard interrupt context:
 *   it is requested with IRQF_NO_THREAD, which forced threading leaves
 *   alone (irq_setup_forced_threading()), so events are stamped when
 *   the edge arrives. It is requested without IRQF_ONESHOT, so no flow
 *   handler keeps the line masked while the thread runs (with it,
 *   handle_fasteoi_irq() and handle_level_irq() would): an edge during
 *   the thread runs the handler again and the thread again. A
 *   nested-threaded line (a GPIO expander's) has no primary handler:
 *   its thread function stamps, in the expander's thread.
 * - The primary handler and the hrtimer callback only stamp and queue
 *   under @event_lock; then the handler wakes its thread
 *   (irq_wake_thread(), under the descriptor's raw lock) and the
 *   callback calls queue_work(), whose pool lock is raw. Neither wakes
 *   a reader nor signals: the wait queues' spinlock_t and fasync's
 *   rwlock_t sleep.
 * - The IRQ thread and the work item take @lock, wake readers and call
 *   kill_fasync(); the sysfs counters take @event_lock briefly.
 */
#ifndef _ASYNC_NOTIFY_H
#define _ASYNC_NOTIFY_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kfifo.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "async_notify_buf.h"

#define ASYNC_NOTIFY_LABEL_MAX		32
/*
 * 20 kHz, as fast as real data-ready lines go (ADCs, IMUs). A tick costs
 * one hard hrtimer callback of bounded work (stamp, kfifo_put, queue the
 * work item); the work item makes every pending event into frames in one
 * batch and a late tick counts the periods it missed, so the work per
 * period stays constant however far a reader falls behind, and what the
 * pending queue (ASYNC_NOTIFY_PENDING) or the buffer cannot hold is
 * counted as dropped or overruns. What bounds the period is the
 * interrupt load: a few microseconds of entry, callback and exit every
 * 50 us is under a tenth of a Raspberry Pi 3's core. make bench
 * measures the rate delivered without loss (Documentation/benchmarks.rst).
 */
#define ASYNC_NOTIFY_PERIOD_MIN_US	50
#define ASYNC_NOTIFY_PERIOD_MAX_US	(60 * USEC_PER_SEC)
/*
 * Events the source may run ahead of the frames (a power of two), and so
 * the most frames one batch makes before readers and subscribers hear.
 */
#define ASYNC_NOTIFY_PENDING		32

enum async_notify_source {
	ASYNC_NOTIFY_SOURCE_NONE,
	ASYNC_NOTIFY_SOURCE_IRQ,
	ASYNC_NOTIFY_SOURCE_TIMER,
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
 * @id: index from the driver's IDA while bound, or -1 with a label
 * @format: ASYNC_NOTIFY_FORMAT_*: how source frames are stored; set at
 *	probe, never changed
 * @source: what produces data-ready events
 * @irq: the interrupt, for ASYNC_NOTIFY_SOURCE_IRQ: requested from probe
 *	to unbind, enabled only while @running
 * @period_us: the timer period, for ASYNC_NOTIFY_SOURCE_TIMER; written
 *	from sysfs, read by the timer (READ_ONCE/WRITE_ONCE)
 * @timer: emulates the interrupt
 * @work: makes the timer's events into frames in process context
 * @open_lock: see the top of this file
 * @running: the source is started; under @open_lock
 * @lock: see the top of this file
 * @buf: the buffer and its users
 * @gone: the device was unbound; set once, under @open_lock and @lock
 * @wait: readers and pollers wait here for a frame, or for @gone
 * @write_wait: writers wait here for room in a fifo, or for @gone; so
 *	do pollers, on both queues
 * @fasync: subscribers; fasync_helper() and kill_fasync() lock it
 * @event_lock: see the top of this file
 * @events: events since the device was bound
 * @dropped: events that never became frames: timer periods that passed
 *	while the timer could not run, the oldest events when @pending
 *	overflowed, and events still pending when the source stopped
 * @pending: events not yet made into frames
 * @notified: calls of kill_fasync() while there were subscribers
 */
struct async_notify {
	struct kref ref;
	struct device *dev;
	struct miscdevice misc;
	char name[ASYNC_NOTIFY_LABEL_MAX];
	int id;

	u32 format;
	enum async_notify_source source;
	int irq;
	u32 period_us;
	struct hrtimer timer;
	struct work_struct work;

	struct mutex open_lock;		/* serialises open, release, unbind */
	bool running;

	spinlock_t lock;		/* the buffer, its readers, @gone */
	struct async_notify_buf buf;
	bool gone;
	wait_queue_head_t wait;
	wait_queue_head_t write_wait;
	struct fasync_struct *fasync;

	raw_spinlock_t event_lock;	/* the source's events, any context */
	u64 events;
	u64 dropped;
	DECLARE_KFIFO(pending, struct async_notify_event, ASYNC_NOTIFY_PENDING);

	atomic64_t notified;
};

/* An open file: its device and its view of the buffer. */
struct async_notify_file {
	struct async_notify *an;
	struct async_notify_reader rd;
};

extern const char * const async_notify_source_names[];
extern const char * const async_notify_mode_names[];
extern const char * const async_notify_format_names[];
extern const struct file_operations async_notify_fops;
extern const struct attribute_group *async_notify_groups[];

void async_notify_source_init(struct async_notify *an);
int async_notify_source_request(struct async_notify *an);
void async_notify_source_free(struct async_notify *an);
void async_notify_source_start(struct async_notify *an);
void async_notify_source_stop(struct async_notify *an);
u64 async_notify_event_counter(struct async_notify *an, const u64 *counter);
void async_notify_wake(struct async_notify *an, int band);
void async_notify_put(void *data);

#endif /* _ASYNC_NOTIFY_H */
