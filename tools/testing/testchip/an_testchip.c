// SPDX-License-Identifier: GPL-2.0-only
/*
 * an-testchip: a test GPIO controller whose lines raise interrupts from an
 * hrtimer, in the interrupt flow its device tree node names, so that
 * async-notify and gpio-cdev can be tested and measured on every flow a
 * board has, at rates no line of QEMU's boards reaches:
 *
 *   edge     handle_edge_irq(): the line is never masked while its
 *            handlers run (pl061, bcm2835 edge lines)
 *   fasteoi  handle_fasteoi_irq(): a GIC SPI; an IRQF_ONESHOT action
 *            keeps the line masked until its thread returns
 *   level    handle_level_irq(): masked while the hard handler runs, and
 *            with IRQF_ONESHOT until the thread returns
 *   nested   handle_nested_irq() from a work item, as the I2C and SPI
 *            expanders (pca953x, mcp23s08) call it from their interrupt
 *            thread: only the actions' thread functions run
 *
 * Each line latches one raised edge, as a controller's pending bit does.
 * An edge raised while one is latched merges into it, and is counted as
 * merged: no driver can see it. A latched edge is dispatched to the flow
 * handler as soon as the line is unmasked, so for every line
 * raised = dispatched + merged + (1 while an edge is latched).
 *
 * The hrtimer (hard interrupt context, PREEMPT_RT included) and the
 * irq_work that dispatches an edge latched while the line was masked are
 * serialised by @dispatch_lock, so that a line is never in its flow
 * handler on two CPUs at once: a real controller does not deliver an
 * interrupt again before the CPU has taken it.
 *
 * Control and counters, in /sys/kernel/debug/an-testchip/<device>/:
 *   burst      write N: N ticks, one every period_ns, on the CPU that
 *              wrote; read: ticks left. Writing stops the ticks in
 *              progress first.
 *   period_ns  time from tick to tick (the timer skips ticks it was too
 *              late for: raised says what happened)
 *   per_tick   edges raised back to back on each line in one tick
 *   lines      bit mask of the lines a tick raises
 *   flow       the flow's name
 *   line<N>/raised, line<N>/dispatched, line<N>/merged
 */

#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/gpio/driver.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "async_notify_compat.h"

#define AN_TESTCHIP_LINES_MAX		32	/* bits of the lines mask */
#define AN_TESTCHIP_LINES_DEFAULT	4
#define AN_TESTCHIP_PERIOD_DEFAULT_NS	(100 * NSEC_PER_USEC)
#define AN_TESTCHIP_PERIOD_MIN_NS	NSEC_PER_USEC
#define AN_TESTCHIP_PERIOD_MAX_NS	(60 * NSEC_PER_SEC)
#define AN_TESTCHIP_PER_TICK_MAX	1000

enum an_testchip_flow {
	AN_TESTCHIP_EDGE,
	AN_TESTCHIP_FASTEOI,
	AN_TESTCHIP_LEVEL,
	AN_TESTCHIP_NESTED,
};

static const char * const an_testchip_flow_names[] = {
	[AN_TESTCHIP_EDGE] = "edge",
	[AN_TESTCHIP_FASTEOI] = "fasteoi",
	[AN_TESTCHIP_LEVEL] = "level",
	[AN_TESTCHIP_NESTED] = "nested",
};

static const irq_flow_handler_t an_testchip_flow_handlers[] = {
	[AN_TESTCHIP_EDGE] = handle_edge_irq,
	[AN_TESTCHIP_FASTEOI] = handle_fasteoi_irq,
	[AN_TESTCHIP_LEVEL] = handle_level_irq,
	/* Never called: the work item calls handle_nested_irq(). */
	[AN_TESTCHIP_NESTED] = handle_simple_irq,
};

/* A debugfs setting of a chip: its value, within bounds. */
struct an_testchip_setting {
	struct an_testchip *tc;
	u64 *val;
	u64 min;
	u64 max;
};

/* The settings' files, in the order of an_testchip.settings. */
static const char * const an_testchip_setting_names[] = {
	"period_ns", "per_tick", "lines",
};

struct an_testchip_line {
	u64 raised;
	u64 dispatched;
	u64 merged;
	bool latched;
	bool masked;
};

/**
 * struct an_testchip - one test controller
 * @gc: its GPIO chip, with the interrupt domain
 * @flow: how its lines' interrupts are handled
 * @timer: raises the edges, in hard interrupt context
 * @kick: dispatches edges latched while their line was masked
 * @nested_work: dispatches a nested chip's edges, as an expander's thread
 * @dispatch_lock: held by @timer and @kick while they raise and dispatch
 * @lock: everything below; any context, interrupts disabled. The flow
 *	handlers call the irq_chip operations, which take it, so it is
 *	never held across a dispatch.
 * @burst: ticks left
 * @period_ns: from tick to tick
 * @per_tick: edges raised on each line in one tick
 * @lines: the lines each tick raises
 * @line: each line's state and counters
 * @settings: the debugfs files of @period_ns, @per_tick and @lines
 */
struct an_testchip {
	struct gpio_chip gc;
	enum an_testchip_flow flow;
	struct hrtimer timer;
	struct irq_work kick;
	struct work_struct nested_work;
	raw_spinlock_t dispatch_lock;	/* serialises dispatches */

	raw_spinlock_t lock;		/* the lines, the burst */
	u64 burst;
	u64 period_ns;
	u64 per_tick;
	u64 lines;
	struct an_testchip_line line[AN_TESTCHIP_LINES_MAX];
	struct an_testchip_setting settings[ARRAY_SIZE(an_testchip_setting_names)];
};

static struct dentry *an_testchip_debugfs;

/*
 * Hand @hwirq's latched edge to its flow handler if the line is not
 * masked. Hard interrupt context, under @dispatch_lock.
 */
static void an_testchip_dispatch(struct an_testchip *tc, unsigned int hwirq)
{
	struct an_testchip_line *l = &tc->line[hwirq];
	bool go;

	lockdep_assert_held(&tc->dispatch_lock);

	raw_spin_lock(&tc->lock);
	go = l->latched && !l->masked;
	if (go) {
		l->latched = false;
		l->dispatched++;
	}
	raw_spin_unlock(&tc->lock);
	if (go)
		generic_handle_domain_irq(tc->gc.irq.domain, hwirq);
}

static void an_testchip_dispatch_all(struct an_testchip *tc)
{
	unsigned int hwirq;

	for (hwirq = 0; hwirq < tc->gc.ngpio; hwirq++)
		an_testchip_dispatch(tc, hwirq);
}

/* An expander's interrupt thread: tell each line's action in turn. */
static void an_testchip_nested_work(struct work_struct *work)
{
	struct an_testchip *tc = container_of(work, struct an_testchip,
					      nested_work);
	struct an_testchip_line *l;
	unsigned int hwirq;
	unsigned long flags;
	bool go;

	for (hwirq = 0; hwirq < tc->gc.ngpio; hwirq++) {
		l = &tc->line[hwirq];
		raw_spin_lock_irqsave(&tc->lock, flags);
		go = l->latched && !l->masked;
		if (go) {
			l->latched = false;
			l->dispatched++;
		}
		raw_spin_unlock_irqrestore(&tc->lock, flags);
		if (go)
			handle_nested_irq(irq_find_mapping(tc->gc.irq.domain,
							   hwirq));
	}
}

/* Dispatch what is latched on unmasked lines, from the right context. */
static void an_testchip_kick_dispatch(struct an_testchip *tc)
{
	if (tc->flow == AN_TESTCHIP_NESTED)
		queue_work(system_highpri_wq, &tc->nested_work);
	else
		irq_work_queue(&tc->kick);
}

static void an_testchip_kick(struct irq_work *work)
{
	struct an_testchip *tc = container_of(work, struct an_testchip, kick);

	raw_spin_lock(&tc->dispatch_lock);
	an_testchip_dispatch_all(tc);
	raw_spin_unlock(&tc->dispatch_lock);
}

/* Latch an edge on @hwirq, or count it merged into the one latched. */
static void an_testchip_raise(struct an_testchip *tc, unsigned int hwirq)
{
	struct an_testchip_line *l = &tc->line[hwirq];

	raw_spin_lock(&tc->lock);
	l->raised++;
	if (l->latched)
		l->merged++;
	l->latched = true;
	raw_spin_unlock(&tc->lock);
}

static enum hrtimer_restart an_testchip_tick(struct hrtimer *timer)
{
	struct an_testchip *tc = container_of(timer, struct an_testchip,
					      timer);
	unsigned long lines, hwirq;
	u64 i, per_tick, period_ns;
	bool more;

	raw_spin_lock(&tc->lock);
	lines = tc->lines;
	per_tick = tc->per_tick;
	period_ns = tc->period_ns;
	more = tc->burst && --tc->burst;
	raw_spin_unlock(&tc->lock);

	raw_spin_lock(&tc->dispatch_lock);
	for (i = 0; i < per_tick; i++) {
		for_each_set_bit(hwirq, &lines, tc->gc.ngpio) {
			an_testchip_raise(tc, hwirq);
			if (tc->flow != AN_TESTCHIP_NESTED)
				an_testchip_dispatch(tc, hwirq);
		}
	}
	raw_spin_unlock(&tc->dispatch_lock);
	if (tc->flow == AN_TESTCHIP_NESTED)
		queue_work(system_highpri_wq, &tc->nested_work);

	if (!more)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(period_ns));
	return HRTIMER_RESTART;
}

static struct an_testchip *an_testchip_from_irq(struct irq_data *d)
{
	return gpiochip_get_data(irq_data_get_irq_chip_data(d));
}

static void an_testchip_irq_mask(struct irq_data *d)
{
	struct an_testchip *tc = an_testchip_from_irq(d);
	irq_hw_number_t hwirq = irqd_to_hwirq(d);
	unsigned long flags;

	raw_spin_lock_irqsave(&tc->lock, flags);
	tc->line[hwirq].masked = true;
	raw_spin_unlock_irqrestore(&tc->lock, flags);
	gpiochip_disable_irq(&tc->gc, hwirq);
}

static void an_testchip_irq_unmask(struct irq_data *d)
{
	struct an_testchip *tc = an_testchip_from_irq(d);
	irq_hw_number_t hwirq = irqd_to_hwirq(d);
	unsigned long flags;
	bool latched;

	gpiochip_enable_irq(&tc->gc, hwirq);
	raw_spin_lock_irqsave(&tc->lock, flags);
	tc->line[hwirq].masked = false;
	latched = tc->line[hwirq].latched;
	raw_spin_unlock_irqrestore(&tc->lock, flags);
	if (latched)
		an_testchip_kick_dispatch(tc);
}

/* The latch is cleared when an edge is dispatched: nothing to do. */
static void an_testchip_irq_ack(struct irq_data *d)
{
}

static void an_testchip_irq_eoi(struct irq_data *d)
{
}

/* Any trigger: the flow is the chip's, whatever the consumer asks. */
static int an_testchip_irq_set_type(struct irq_data *d, unsigned int type)
{
	return IRQ_SET_MASK_OK;
}

static const struct irq_chip an_testchip_irq_chip = {
	.name = "an-testchip",
	.irq_ack = an_testchip_irq_ack,
	.irq_eoi = an_testchip_irq_eoi,
	.irq_mask = an_testchip_irq_mask,
	.irq_unmask = an_testchip_irq_unmask,
	.irq_set_type = an_testchip_irq_set_type,
	.flags = IRQCHIP_IMMUTABLE,
	GPIOCHIP_IRQ_RESOURCE_HELPERS,
};

/* Input lines that read low: only their interrupts matter. */
static int an_testchip_get_direction(struct gpio_chip *gc, unsigned int off)
{
	return GPIO_LINE_DIRECTION_IN;
}

static int an_testchip_direction_input(struct gpio_chip *gc, unsigned int off)
{
	return 0;
}

static int an_testchip_get(struct gpio_chip *gc, unsigned int off)
{
	return 0;
}

static int an_testchip_burst_get(void *data, u64 *val)
{
	struct an_testchip *tc = data;
	unsigned long flags;

	raw_spin_lock_irqsave(&tc->lock, flags);
	*val = tc->burst;
	raw_spin_unlock_irqrestore(&tc->lock, flags);
	return 0;
}

static int an_testchip_burst_set(void *data, u64 val)
{
	struct an_testchip *tc = data;
	unsigned long flags;

	hrtimer_cancel(&tc->timer);
	raw_spin_lock_irqsave(&tc->lock, flags);
	tc->burst = val;
	raw_spin_unlock_irqrestore(&tc->lock, flags);
	if (val)
		hrtimer_start(&tc->timer, 0, HRTIMER_MODE_REL_PINNED_HARD);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(an_testchip_burst_fops, an_testchip_burst_get,
			 an_testchip_burst_set, "%llu\n");

static int an_testchip_setting_get(void *data, u64 *val)
{
	struct an_testchip_setting *set = data;
	unsigned long flags;

	raw_spin_lock_irqsave(&set->tc->lock, flags);
	*val = *set->val;
	raw_spin_unlock_irqrestore(&set->tc->lock, flags);
	return 0;
}

static int an_testchip_setting_set(void *data, u64 val)
{
	struct an_testchip_setting *set = data;
	unsigned long flags;

	if (val < set->min || val > set->max)
		return -EINVAL;
	raw_spin_lock_irqsave(&set->tc->lock, flags);
	*set->val = val;
	raw_spin_unlock_irqrestore(&set->tc->lock, flags);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(an_testchip_setting_fops, an_testchip_setting_get,
			 an_testchip_setting_set, "%llu\n");

static int an_testchip_flow_show(struct seq_file *s, void *unused)
{
	struct an_testchip *tc = s->private;

	seq_printf(s, "%s\n", an_testchip_flow_names[tc->flow]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(an_testchip_flow);

static void an_testchip_debugfs_remove(void *data)
{
	debugfs_remove_recursive(data);
}

static int an_testchip_debugfs_add(struct device *dev, struct an_testchip *tc)
{
	const struct an_testchip_setting settings[] = {	/* by name */
		{ tc, &tc->period_ns, AN_TESTCHIP_PERIOD_MIN_NS,
		  AN_TESTCHIP_PERIOD_MAX_NS },
		{ tc, &tc->per_tick, 1, AN_TESTCHIP_PER_TICK_MAX },
		{ tc, &tc->lines, 1, U32_MAX },
	};
	struct dentry *dir, *line;
	char name[sizeof("line65535")];
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(settings) != ARRAY_SIZE(tc->settings));
	dir = debugfs_create_dir(dev_name(dev), an_testchip_debugfs);
	debugfs_create_file_unsafe("burst", 0600, dir, tc,
				   &an_testchip_burst_fops);
	for (i = 0; i < ARRAY_SIZE(tc->settings); i++) {
		tc->settings[i] = settings[i];
		debugfs_create_file_unsafe(an_testchip_setting_names[i], 0600,
					   dir, &tc->settings[i],
					   &an_testchip_setting_fops);
	}
	debugfs_create_file("flow", 0400, dir, tc, &an_testchip_flow_fops);
	for (i = 0; i < tc->gc.ngpio; i++) {
		snprintf(name, sizeof(name), "line%u", i);
		line = debugfs_create_dir(name, dir);
		debugfs_create_u64("raised", 0400, line, &tc->line[i].raised);
		debugfs_create_u64("dispatched", 0400, line,
				   &tc->line[i].dispatched);
		debugfs_create_u64("merged", 0400, line, &tc->line[i].merged);
	}
	return devm_add_action_or_reset(dev, an_testchip_debugfs_remove, dir);
}

/* Stop raising and dispatching before the chip goes away. */
static void an_testchip_stop(void *data)
{
	struct an_testchip *tc = data;

	hrtimer_cancel(&tc->timer);
	irq_work_sync(&tc->kick);
	cancel_work_sync(&tc->nested_work);
}

static int an_testchip_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct gpio_irq_chip *girq;
	struct an_testchip *tc;
	u32 ngpio = AN_TESTCHIP_LINES_DEFAULT;
	const char *flow;
	unsigned int i;
	int ret;

	tc = devm_kzalloc(dev, sizeof(*tc), GFP_KERNEL);
	if (!tc)
		return -ENOMEM;

	ret = device_property_read_string(dev, "linux,flow", &flow);
	if (ret)
		return dev_err_probe(dev, ret, "linux,flow is missing\n");
	ret = match_string(an_testchip_flow_names,
			   ARRAY_SIZE(an_testchip_flow_names), flow);
	if (ret < 0)
		return dev_err_probe(dev, ret, "linux,flow = \"%s\" is unknown\n",
				     flow);
	tc->flow = ret;
	device_property_read_u32(dev, "ngpios", &ngpio);
	if (!ngpio || ngpio > AN_TESTCHIP_LINES_MAX)
		return dev_err_probe(dev, -EINVAL, "ngpios must be 1 to %d\n",
				     AN_TESTCHIP_LINES_MAX);

	raw_spin_lock_init(&tc->lock);
	raw_spin_lock_init(&tc->dispatch_lock);
	tc->period_ns = AN_TESTCHIP_PERIOD_DEFAULT_NS;
	tc->per_tick = 1;
	tc->lines = BIT(0);
	/* As a controller comes out of reset: starting a line unmasks it. */
	for (i = 0; i < ngpio; i++)
		tc->line[i].masked = true;
	hrtimer_setup(&tc->timer, an_testchip_tick, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_HARD);
	tc->kick = IRQ_WORK_INIT_HARD(an_testchip_kick);
	INIT_WORK(&tc->nested_work, an_testchip_nested_work);

	tc->gc.label = dev_name(dev);
	tc->gc.parent = dev;
	tc->gc.owner = THIS_MODULE;
	tc->gc.base = -1;
	tc->gc.ngpio = ngpio;
	tc->gc.can_sleep = tc->flow == AN_TESTCHIP_NESTED;
	tc->gc.get_direction = an_testchip_get_direction;
	tc->gc.direction_input = an_testchip_direction_input;
	tc->gc.get = an_testchip_get;

	girq = &tc->gc.irq;
	gpio_irq_chip_set_chip(girq, &an_testchip_irq_chip);
	girq->handler = an_testchip_flow_handlers[tc->flow];
	girq->default_type = IRQ_TYPE_NONE;
	girq->threaded = tc->flow == AN_TESTCHIP_NESTED;

	ret = devm_gpiochip_add_data(dev, &tc->gc, tc);
	if (ret)
		return dev_err_probe(dev, ret, "cannot add the GPIO chip\n");
	/* After the chip's removal action: it runs first. */
	ret = devm_add_action_or_reset(dev, an_testchip_stop, tc);
	if (ret)
		return ret;
	ret = an_testchip_debugfs_add(dev, tc);
	if (ret)
		return ret;

	dev_info(dev, "%u lines, %s flow\n", ngpio,
		 an_testchip_flow_names[tc->flow]);
	return 0;
}

static const struct of_device_id an_testchip_of_match[] = {
	{ .compatible = "linux,async-notify-testchip" },
	{ }
};
MODULE_DEVICE_TABLE(of, an_testchip_of_match);

static struct platform_driver an_testchip_driver = {
	.probe = an_testchip_probe,
	.driver = {
		.name = "an-testchip",
		.of_match_table = an_testchip_of_match,
	},
};

static int __init an_testchip_init(void)
{
	int ret;

	an_testchip_debugfs = debugfs_create_dir("an-testchip", NULL);
	ret = platform_driver_register(&an_testchip_driver);
	if (ret)
		debugfs_remove_recursive(an_testchip_debugfs);
	return ret;
}
module_init(an_testchip_init);

static void __exit an_testchip_exit(void)
{
	platform_driver_unregister(&an_testchip_driver);
	debugfs_remove_recursive(an_testchip_debugfs);
}
module_exit(an_testchip_exit);

MODULE_DESCRIPTION("Test GPIO controller raising interrupts in every flow");
MODULE_AUTHOR("async-notify developers");
MODULE_LICENSE("GPL");
