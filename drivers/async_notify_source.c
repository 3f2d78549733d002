// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify: the data-ready source. The interrupt's hard half, or the
 * hrtimer that emulates it, stamps each event and queues it; the IRQ
 * thread, or a work item, makes the queued events into frames and tells
 * readers and subscribers once per batch.
 */

#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>

#include <linux/async_notify.h>

#include "async_notify.h"
#include "async_notify_compat.h"

const char * const async_notify_source_names[] = {
	[ASYNC_NOTIFY_SOURCE_NONE] = "none",
	[ASYNC_NOTIFY_SOURCE_IRQ] = "irq",
	[ASYNC_NOTIFY_SOURCE_TIMER] = "timer",
};

/*
 * Record @count data-ready events, the last of them now; only that one
 * can become a frame (a timer that ran late lost the others). With
 * @pending full the oldest event gives way, so the newest is never lost.
 */
static void async_notify_event(struct async_notify *an, u64 count)
{
	struct async_notify_event ev = { .ts_ns = ktime_get_ns() };
	unsigned long flags;

	raw_spin_lock_irqsave(&an->event_lock, flags);
	an->events += count;
	an->dropped += count - 1;
	ev.seq = an->events;
	if (kfifo_is_full(&an->pending)) {
		kfifo_skip(&an->pending);
		an->dropped++;
	}
	kfifo_put(&an->pending, ev);
	raw_spin_unlock_irqrestore(&an->event_lock, flags);
}

/* Read a counter that @event_lock protects. */
u64 async_notify_event_counter(struct async_notify *an, const u64 *counter)
{
	unsigned long flags;
	u64 val;

	raw_spin_lock_irqsave(&an->event_lock, flags);
	val = *counter;
	raw_spin_unlock_irqrestore(&an->event_lock, flags);
	return val;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_event_counter);

/* Tell readers and pollers, and subscribers with @band (POLL_IN, POLL_HUP). */
void async_notify_wake(struct async_notify *an, int band)
{
	wake_up_interruptible(&an->wait);
	if (READ_ONCE(an->fasync)) {
		atomic64_inc(&an->notified);
		kill_fasync(&an->fasync, SIGIO, band);
	}
}

/*
 * Make the events pending when the batch starts into frames, then
 * announce them once, as evdev does for a report. Events that arrive
 * meanwhile are the next batch's: their hard handler set IRQTF_RUNTHREAD
 * (__irq_wake_thread()), and queue_work() queues a running work item
 * again. So however fast events come, readers and subscribers hear of
 * every ASYNC_NOTIFY_PENDING frames at the latest. Both sources end
 * here, in process context.
 */
static void async_notify_deliver(struct async_notify *an)
{
	struct async_notify_event ev[ASYNC_NOTIFY_PENDING];
	char frame[ASYNC_NOTIFY_FRAME_MAX];
	struct async_notify_record rec;
	unsigned long flags;
	bool stored = false;
	unsigned int i, n;
	const void *data;
	size_t len;

	raw_spin_lock_irqsave(&an->event_lock, flags);
	n = kfifo_out(&an->pending, ev, ARRAY_SIZE(ev));
	raw_spin_unlock_irqrestore(&an->event_lock, flags);

	for (i = 0; i < n; i++) {
		if (an->format == ASYNC_NOTIFY_FORMAT_BINARY) {
			rec.seq = ev[i].seq;
			rec.ts_ns = ev[i].ts_ns;
			data = &rec;
			len = sizeof(rec);
		} else {
			data = frame;
			len = scnprintf(frame, sizeof(frame),
					ASYNC_NOTIFY_FRAME_FMT, ev[i].seq,
					ev[i].ts_ns);
		}
		spin_lock(&an->lock);
		stored |= async_notify_buf_push(&an->buf, data, len);
		spin_unlock(&an->lock);
	}
	if (stored)
		async_notify_wake(an, POLL_IN);
}

/*
 * The event is stamped and queued: the interrupt is handled. Returning
 * IRQ_WAKE_THREAD instead would leave note_interrupt() to count it as
 * unhandled whenever the thread had not run since the last one, and a
 * storm of edges faster than the thread would then have the line
 * disabled ("nobody cared").
 */
static irqreturn_t async_notify_irq(int irq, void *data)
{
	async_notify_event(data, 1);
	irq_wake_thread(irq, data);
	return IRQ_HANDLED;
}

static irqreturn_t async_notify_irq_thread(int irq, void *data)
{
	async_notify_deliver(data);
	return IRQ_HANDLED;
}

/*
 * A nested-threaded interrupt (a GPIO expander on I2C or SPI) runs only
 * the thread function, once per interrupt, from the expander's own
 * thread: __setup_irq() replaced async_notify_irq() with
 * irq_nested_primary_handler(). Stamp the event here, then.
 */
static irqreturn_t async_notify_irq_nested(int irq, void *data)
{
	async_notify_event(data, 1);
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

void async_notify_source_init(struct async_notify *an)
{
	raw_spin_lock_init(&an->event_lock);
	INIT_KFIFO(an->pending);
	/* Hard: the callback only stamps and queues, on PREEMPT_RT too. */
	hrtimer_setup(&an->timer, async_notify_timer, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_HARD);
	INIT_WORK(&an->work, async_notify_work);
}

/*
 * Request the interrupt at probe, disabled (IRQF_NO_AUTOEN: __setup_irq()
 * leaves the line off, depth 1); async_notify_source_start() enables it
 * on the first open. Requesting it here, not in open, keeps the setup
 * (the action, the IRQ thread) out of misc_open(), which holds the
 * global misc_mtx, and makes a line that another driver holds fail the
 * probe, where it can be fixed, rather than every open.
 *
 * IRQF_NO_THREAD keeps async_notify_irq() in hard interrupt context on
 * PREEMPT_RT too (irq_setup_forced_threading() leaves the action alone),
 * so each event is stamped when it arrives. No IRQF_ONESHOT: the hard
 * handler has nothing to quiet (the line is edge-triggered), and with it
 * handle_fasteoi_irq() and handle_level_irq() would keep the line masked
 * until the thread returned, while the controller merged every edge of
 * that time into one that no counter sees.
 */
int async_notify_source_request(struct async_notify *an)
{
	irq_handler_t thread_fn = async_notify_irq_thread;
	int ret;

	if (an->source != ASYNC_NOTIFY_SOURCE_IRQ)
		return 0;
	if (irq_check_status_bit(an->irq, IRQ_NESTED_THREAD))
		thread_fn = async_notify_irq_nested;
	ret = request_threaded_irq(an->irq, async_notify_irq, thread_fn,
				   IRQF_NO_THREAD | IRQF_NO_AUTOEN, an->name,
				   an);
	if (ret == -EBUSY)
		return dev_err_probe(an->dev, ret,
				     "cannot request interrupt %d: another device holds it\n",
				     an->irq);
	if (ret)
		return dev_err_probe(an->dev, ret,
				     "cannot request interrupt %d\n", an->irq);
	/*
	 * Mask the line at the controller while the device is closed, as
	 * free_irq() would: a lazy disable_irq() (irq_disable()) leaves it
	 * unmasked, and the IRQ core would keep an edge of that time
	 * (IRQS_PENDING) to replay at the next enable_irq(). The line is
	 * ours and off (IRQF_NO_AUTOEN) until the device is registered.
	 */
	irq_set_status_flags(an->irq, IRQ_DISABLE_UNLAZY);
	return 0;
}

/* Give the interrupt back at unbind, or when probe fails after the request. */
void async_notify_source_free(struct async_notify *an)
{
	if (an->source != ASYNC_NOTIFY_SOURCE_IRQ)
		return;
	free_irq(an->irq, an);
	irq_clear_status_flags(an->irq, IRQ_DISABLE_UNLAZY);
}

void async_notify_source_start(struct async_notify *an)
{
	lockdep_assert_held(&an->open_lock);

	switch (an->source) {
	case ASYNC_NOTIFY_SOURCE_IRQ:
		enable_irq(an->irq);
		break;
	case ASYNC_NOTIFY_SOURCE_TIMER:
		hrtimer_start(&an->timer, async_notify_period(an),
			      HRTIMER_MODE_REL_HARD);
		break;
	case ASYNC_NOTIFY_SOURCE_NONE:
		break;
	}
	an->running = true;
}

/*
 * Stop the source and wait until none of its handlers is running. The
 * events it had not made into frames yet never will be: count them as
 * dropped, so that every event is accounted for.
 *
 * disable_irq(), not disable_irq_nosync(): it returns only once the hard
 * handler and the thread (woken or running) are done (synchronize_irq()),
 * and a nested thread function too (IRQD_IRQ_INPROGRESS), so none of them
 * touches the buffer that the last close frees next.
 */
void async_notify_source_stop(struct async_notify *an)
{
	unsigned long flags;

	lockdep_assert_held(&an->open_lock);

	if (!an->running)
		return;

	switch (an->source) {
	case ASYNC_NOTIFY_SOURCE_IRQ:
		disable_irq(an->irq);
		break;
	case ASYNC_NOTIFY_SOURCE_TIMER:
		hrtimer_cancel(&an->timer);
		cancel_work_sync(&an->work);
		break;
	case ASYNC_NOTIFY_SOURCE_NONE:
		break;
	}
	an->running = false;

	raw_spin_lock_irqsave(&an->event_lock, flags);
	an->dropped += kfifo_len(&an->pending);
	kfifo_reset(&an->pending);
	raw_spin_unlock_irqrestore(&an->event_lock, flags);
}
