// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify: data-ready events from an interrupt, or from a timer that
 * emulates one, delivered to userspace as frames to read, to poll for and
 * to be signalled about (SIGIO through fcntl F_SETOWN and FASYNC).
 *
 * Each "linux,async-notify" device tree node gets a misc device. Its
 * buffer exists only while the device is open, and so does its source.
 * Documentation/userspace-api/async-notify.rst describes the ABI; this
 * file reads the node and registers the device.
 */

#include <linux/device.h>
#include <linux/idr.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/property.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <linux/async_notify.h>

#include "async_notify.h"

#define ASYNC_NOTIFY_SIZE_DEFAULT	256
#define ASYNC_NOTIFY_SIZE_MIN		ASYNC_NOTIFY_FRAME_MAX
#define ASYNC_NOTIFY_SIZE_MAX		SZ_1M
/* Every source frame, text or binary, fits in the smallest buffer. */
static_assert(sizeof(struct async_notify_record) <= ASYNC_NOTIFY_SIZE_MIN);
/* The names of nodes without a label: async_n0, async_n1, ... */
#define ASYNC_NOTIFY_NAME_PREFIX	"async_n"

/* Indexed by ASYNC_NOTIFY_MODE_*, as "linux,mode" and sysfs spell them. */
const char * const async_notify_mode_names[] = {
	[ASYNC_NOTIFY_MODE_LATEST] = "latest",
	[ASYNC_NOTIFY_MODE_FIFO] = "fifo",
	[ASYNC_NOTIFY_MODE_QUEUE] = "queue",
};

/* Indexed by ASYNC_NOTIFY_FORMAT_*, as "linux,frame-format" spells them. */
const char * const async_notify_format_names[] = {
	[ASYNC_NOTIFY_FORMAT_TEXT] = "text",
	[ASYNC_NOTIFY_FORMAT_BINARY] = "binary",
};

static DEFINE_IDA(async_notify_ida);
/*
 * Held while a probe chooses its name, checks that no bound device has
 * it and registers it, and while an unbind gives its name up, so that
 * two devices never get one name.
 */
static DEFINE_MUTEX(async_notify_names_lock);

static struct platform_driver async_notify_driver;
static const struct of_device_id async_notify_of_match[];

static void async_notify_free(struct kref *ref)
{
	kfree(container_of(ref, struct async_notify, ref));
}

void async_notify_put(void *data)
{
	struct async_notify *an = data;

	kref_put(&an->ref, async_notify_free);
}

/*
 * Read an optional u32 property, which must lie in [@min, @max]. It must
 * be exactly one cell: an empty property or an array is refused, not read
 * as a number (a string whose length is not one cell is refused too).
 */
static int async_notify_read_u32(struct device *dev, const char *prop,
				 u32 min, u32 max, u32 *val)
{
	int ret;

	if (!device_property_present(dev, prop))
		return 0;

	ret = device_property_count_u32(dev, prop);
	if (ret == 1)
		ret = device_property_read_u32(dev, prop, val);
	else if (ret >= 0)
		ret = -EINVAL;
	if (ret)
		return dev_err_probe(dev, ret,
				     "%s must be one u32 from %u to %u\n",
				     prop, min, max);
	if (*val < min || *val > max)
		return dev_err_probe(dev, -EINVAL,
				     "%s = %u is out of range [%u, %u]\n",
				     prop, *val, min, max);
	return 0;
}

/*
 * Read an optional property that must be one string out of @names (as
 * many as @n), into its index; @allowed lists them for the message. An
 * absent property leaves @val, the default, as it is.
 */
static int async_notify_read_choice(struct device *dev, const char *prop,
				    const char * const *names, size_t n,
				    const char *allowed, u32 *val)
{
	const char *name;
	int ret;

	if (!device_property_present(dev, prop))
		return 0;

	ret = device_property_string_array_count(dev, prop);
	if (ret == 1)
		ret = device_property_read_string(dev, prop, &name);
	else if (ret >= 0)
		ret = -EINVAL;
	if (ret)
		return dev_err_probe(dev, ret, "%s must be one string: %s\n",
				     prop, allowed);
	ret = match_string(names, n, name);
	if (ret < 0)
		return dev_err_probe(dev, -EINVAL,
				     "%s = \"%s\" is unknown: use %s\n",
				     prop, name, allowed);
	*val = ret;
	return 0;
}

/*
 * The node's interrupt if it has one, else its timer, else nothing. The
 * interrupt must be edge-triggered. A level-triggered line would fire
 * again as soon as the thread returned: nothing here can quiet the
 * device that drives it. A line without a trigger type may be either:
 * irq_create_fwspec_mapping() stores IRQ_TYPE_NONE from a specifier
 * whose type is 0 and configures no trigger, and request_threaded_irq()
 * without IRQF_TRIGGER_* flags sets none either.
 */
static int async_notify_parse_source(struct platform_device *pdev,
				     struct async_notify *an)
{
	struct device *dev = &pdev->dev;
	unsigned int type;
	int irq;

	irq = platform_get_irq_optional(pdev, 0);
	if (irq > 0) {
		type = irq_get_trigger_type(irq);
		if (type & IRQ_TYPE_LEVEL_MASK)
			return dev_err_probe(dev, -EINVAL,
					     "interrupt %d is level-triggered: use IRQ_TYPE_EDGE_RISING or _FALLING\n",
					     irq);
		if (!(type & IRQ_TYPE_EDGE_BOTH))
			return dev_err_probe(dev, -EINVAL,
					     "interrupt %d has no trigger type: use IRQ_TYPE_EDGE_RISING or _FALLING\n",
					     irq);
		an->source = ASYNC_NOTIFY_SOURCE_IRQ;
		an->irq = irq;
		return 0;
	}
	if (irq != -ENXIO)
		return dev_err_probe(dev, irq, "cannot get the interrupt\n");
	/* -ENXIO also when the node names an interrupt that does not exist */
	if (device_property_present(dev, "interrupts") ||
	    device_property_present(dev, "interrupts-extended"))
		return dev_err_probe(dev, -EINVAL,
				     "interrupts names no interrupt: give one edge-triggered interrupt of an interrupt controller\n");

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

/*
 * Whether @label is a name the binding allows: 1 to 31 printable ASCII
 * characters other than '/' and space, and neither "." nor ".."
 * ('^(?!\.\.?$)[!-.0-~]{1,31}$'), so that it is one path component that
 * names a file, needs no quoting and means the same in every locale.
 */
static bool async_notify_label_valid(const char *label)
{
	size_t len = strnlen(label, ASYNC_NOTIFY_LABEL_MAX);
	size_t i;

	if (!len || len == ASYNC_NOTIFY_LABEL_MAX ||
	    !strcmp(label, ".") || !strcmp(label, ".."))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = label[i];

		if (c <= ' ' || c > '~' || c == '/')
			return false;
	}
	return true;
}

/* The node's label, if it has one; its name is chosen when registering. */
static int async_notify_parse_label(struct device *dev, struct async_notify *an)
{
	const char *label;
	int ret;

	if (!device_property_present(dev, "label"))
		return 0;
	ret = device_property_string_array_count(dev, "label");
	if (ret == 1)
		ret = device_property_read_string(dev, "label", &label);
	else if (ret >= 0)
		ret = -EINVAL;
	if (ret)
		return dev_err_probe(dev, ret,
				     "label must be one string of 1 to %d printable ASCII characters without '/' or space, other than \".\" and \"..\"\n",
				     ASYNC_NOTIFY_LABEL_MAX - 1);
	if (!async_notify_label_valid(label))
		return dev_err_probe(dev, -EINVAL,
				     "label = \"%s\" must be 1 to %d printable ASCII characters without '/' or space, other than \".\" and \"..\"\n",
				     label, ASYNC_NOTIFY_LABEL_MAX - 1);
	strscpy(an->name, label, sizeof(an->name));
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
	spin_lock_init(&an->lock);
	init_waitqueue_head(&an->wait);
	init_waitqueue_head(&an->write_wait);
	atomic64_set(&an->notified, 0);
	async_notify_source_init(an);
	return an;
}

static int async_notify_name_match(struct device *dev, const void *name)
{
	struct async_notify *an = dev_get_drvdata(dev);

	return an && !strcmp(an->name, name);
}

/* The bound async-notify device named @name, with a reference, or NULL. */
static struct device *async_notify_name_user(const char *name)
{
	lockdep_assert_held(&async_notify_names_lock);

	return driver_find_device(&async_notify_driver.driver, NULL, name,
				  async_notify_name_match);
}

/*
 * Whether /dev has @name already, as /dev/null: devtmpfs would make no
 * node for the device then, and its users would open the other file.
 */
static bool async_notify_name_in_dev(const char *name)
{
	char file[sizeof("/dev/") + ASYNC_NOTIFY_LABEL_MAX];
	struct path path;

	snprintf(file, sizeof(file), "/dev/%s", name);
	if (kern_path(file, 0, &path))
		return false;
	path_put(&path);
	return true;
}

/* Whether a node for this driver in the device tree has @name as label. */
static bool async_notify_name_labels_a_node(const char *name)
{
	struct device_node *np;
	const char *label;

	for_each_compatible_node(np, NULL, async_notify_of_match[0].compatible) {
		if (!of_property_read_string(np, "label", &label) &&
		    !strcmp(label, name)) {
			of_node_put(np);
			return true;
		}
	}
	return false;
}

/* Whether @name is free for a node without a label. */
static bool async_notify_name_free_for_id(const char *name)
{
	struct device *other;

	if (async_notify_name_labels_a_node(name) ||
	    async_notify_name_in_dev(name))
		return false;
	other = async_notify_name_user(name);
	put_device(other);
	return !other;
}

/*
 * A node without a label is async_n<N>, with the lowest N that neither a
 * bound device, the label of any node nor a file in /dev holds, so that a
 * label async_n0 is never taken from its node. N follows the order of
 * the probes, as the numbers of other devices do: a label is the stable
 * name.
 */
static int async_notify_name_alloc(struct async_notify *an)
{
	unsigned int min = 0;

	for (;;) {
		an->id = ida_alloc_min(&async_notify_ida, min, GFP_KERNEL);
		if (an->id < 0)
			return an->id;
		snprintf(an->name, sizeof(an->name),
			 ASYNC_NOTIFY_NAME_PREFIX "%d", an->id);
		if (async_notify_name_free_for_id(an->name))
			return 0;
		ida_free(&async_notify_ida, an->id);
		min = an->id + 1;
	}
}

static void async_notify_name_free(struct async_notify *an)
{
	if (an->id >= 0)
		ida_free(&async_notify_ida, an->id);
	an->id = -1;
}

/*
 * Name the device, request its interrupt (under the name, which
 * /proc/interrupts and the IRQ thread show) and register /dev/<name>; a
 * name in use is refused.
 */
static int async_notify_register(struct device *dev, struct async_notify *an)
{
	struct device *other = NULL;
	int ret = 0;

	an->misc.minor = MISC_DYNAMIC_MINOR;
	an->misc.name = an->name;
	an->misc.fops = &async_notify_fops;
	an->misc.parent = dev;
	an->misc.groups = async_notify_groups;
	an->misc.mode = 0600;

	mutex_lock(&async_notify_names_lock);
	if (!an->name[0])
		ret = async_notify_name_alloc(an);
	else
		other = async_notify_name_user(an->name);
	if (other) {
		ret = dev_err_probe(dev, -EEXIST,
				    "label = \"%s\" is the name of %s already\n",
				    an->name, dev_name(other));
		put_device(other);
	} else if (!ret && an->id < 0 && async_notify_name_in_dev(an->name)) {
		ret = dev_err_probe(dev, -EEXIST,
				    "label = \"%s\" is taken: /dev/%s exists\n",
				    an->name, an->name);
	} else if (!ret) {
		ret = async_notify_source_request(an);
		if (!ret) {
			ret = misc_register(&an->misc);
			if (ret) {
				dev_err_probe(dev, ret,
					      "cannot register /dev/%s\n",
					      an->name);
				async_notify_source_free(an);
			}
		}
	}
	if (ret)
		async_notify_name_free(an);
	else
		dev_set_drvdata(dev, an);
	mutex_unlock(&async_notify_names_lock);
	return ret;
}

/*
 * Undo the registration on unbind, and give the interrupt back. Open
 * files keep @an: they see @gone,
 * blocked readers and writers wake with -ENODEV, poll reports a hang-up
 * and subscribers get SIGIO with POLL_HUP.
 */
static void async_notify_unregister(void *data)
{
	struct async_notify *an = data;

	mutex_lock(&async_notify_names_lock);
	dev_set_drvdata(an->dev, NULL);
	misc_deregister(&an->misc);
	async_notify_name_free(an);
	mutex_unlock(&async_notify_names_lock);

	mutex_lock(&an->open_lock);
	async_notify_source_stop(an);
	spin_lock(&an->lock);
	an->gone = true;
	spin_unlock(&an->lock);
	mutex_unlock(&an->open_lock);
	async_notify_source_free(an);

	async_notify_wake(an, POLL_HUP);
	wake_up_interruptible(&an->write_wait);
}

static int async_notify_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	u32 size = ASYNC_NOTIFY_SIZE_DEFAULT;
	struct async_notify *an;
	u32 mode = ASYNC_NOTIFY_MODE_LATEST;
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
	ret = async_notify_read_choice(dev, "linux,mode",
				       async_notify_mode_names,
				       ARRAY_SIZE(async_notify_mode_names),
				       "\"latest\", \"fifo\" or \"queue\"",
				       &mode);
	if (ret)
		return ret;
	async_notify_buf_init(&an->buf, mode, size);
	an->format = ASYNC_NOTIFY_FORMAT_TEXT;
	ret = async_notify_read_choice(dev, "linux,frame-format",
				       async_notify_format_names,
				       ARRAY_SIZE(async_notify_format_names),
				       "\"text\" or \"binary\"", &an->format);
	if (ret)
		return ret;

	ret = async_notify_parse_source(pdev, an);
	if (ret)
		return ret;
	ret = async_notify_parse_label(dev, an);
	if (ret)
		return ret;

	ret = async_notify_register(dev, an);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, async_notify_unregister, an);
	if (ret)
		return ret;

	dev_info(dev, "/dev/%s: %s mode, %s frames, %u bytes, source %s\n",
		 an->name, async_notify_mode_names[mode],
		 async_notify_format_names[an->format], size,
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
