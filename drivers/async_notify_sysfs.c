// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify: the misc device's sysfs attributes, as described in
 * Documentation/ABI/testing/sysfs-driver-async-notify.
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "async_notify.h"

static struct async_notify *async_notify_from_dev(struct device *dev)
{
	struct miscdevice *misc = dev_get_drvdata(dev);

	return container_of(misc, struct async_notify, misc);
}

/* A counter of the buffer, read under @lock. */
#define ASYNC_NOTIFY_BUF_ATTR(_name, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct async_notify *an = async_notify_from_dev(dev);		\
	struct async_notify_buf *b = &an->buf;				\
	u64 val;							\
									\
	spin_lock(&an->lock);						\
	val = (_expr);							\
	spin_unlock(&an->lock);						\
	return sysfs_emit(buf, "%llu\n", val);				\
}									\
static DEVICE_ATTR_RO(_name)

ASYNC_NOTIFY_BUF_ATTR(buffer_size, b->size);
ASYNC_NOTIFY_BUF_ATTR(readers, b->readers);
ASYNC_NOTIFY_BUF_ATTR(writers, b->writers);
ASYNC_NOTIFY_BUF_ATTR(allocated, async_notify_buf_allocated(b));
ASYNC_NOTIFY_BUF_ATTR(frames, b->frames);
ASYNC_NOTIFY_BUF_ATTR(writes, b->writes);
ASYNC_NOTIFY_BUF_ATTR(overruns, b->overruns);

/* The counters of the source, read under @event_lock. */
static ssize_t events_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%llu\n",
			  async_notify_event_counter(an, &an->events));
}
static DEVICE_ATTR_RO(events);

static ssize_t dropped_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%llu\n",
			  async_notify_event_counter(an, &an->dropped));
}
static DEVICE_ATTR_RO(dropped);

static ssize_t notifications_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%lld\n", atomic64_read(&an->notified));
}
static DEVICE_ATTR_RO(notifications);

static ssize_t mode_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%s\n", async_notify_mode_names[an->buf.mode]);
}
static DEVICE_ATTR_RO(mode);

static ssize_t format_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%s\n", async_notify_format_names[an->format]);
}
static DEVICE_ATTR_RO(format);

static ssize_t source_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%s\n", async_notify_source_names[an->source]);
}
static DEVICE_ATTR_RO(source);

static ssize_t period_us_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct async_notify *an = async_notify_from_dev(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(an->period_us));
}

/*
 * A new period takes effect from the next tick. Only plain decimal is
 * taken: kstrtou32() alone would read "0100" as 100 and accept a '+',
 * where the ABI refuses octal and signs.
 */
static ssize_t period_us_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct async_notify *an = async_notify_from_dev(dev);
	u32 period;
	int ret;

	if (buf[0] < '1' || buf[0] > '9')
		return -EINVAL;
	ret = kstrtou32(buf, 10, &period);
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
	&dev_attr_format.attr,
	&dev_attr_source.attr,
	&dev_attr_buffer_size.attr,
	&dev_attr_readers.attr,
	&dev_attr_writers.attr,
	&dev_attr_allocated.attr,
	&dev_attr_events.attr,
	&dev_attr_dropped.attr,
	&dev_attr_frames.attr,
	&dev_attr_writes.attr,
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

const struct attribute_group *async_notify_groups[] = {
	&async_notify_group,
	NULL
};
