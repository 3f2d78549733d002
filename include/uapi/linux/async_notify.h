/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * async-notify: data-ready events read, polled or signalled (SIGIO)
 * through /dev/async_n0, /dev/async_n1, ... or /dev/<label>.
 *
 * Documentation/userspace-api/async-notify.rst describes this ABI.
 */
#ifndef _UAPI_LINUX_ASYNC_NOTIFY_H
#define _UAPI_LINUX_ASYNC_NOTIFY_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Buffer modes: struct async_notify_info.mode */
#define ASYNC_NOTIFY_MODE_LATEST	0	/* a frame replaces the last */
#define ASYNC_NOTIFY_MODE_FIFO		1	/* frames queue, reads consume */
#define ASYNC_NOTIFY_MODE_QUEUE		2	/* a queue per reader: each gets all */

/* Frame formats of the source: struct async_notify_info.format */
#define ASYNC_NOTIFY_FORMAT_TEXT	0	/* ASYNC_NOTIFY_FRAME_FMT lines */
#define ASYNC_NOTIFY_FORMAT_BINARY	1	/* struct async_notify_record */

/*
 * A frame from the data-ready source of a text device (the default) is
 * one line of text: the event's sequence number (1 for the first event
 * after the device is bound) and its CLOCK_MONOTONIC time in
 * nanoseconds, both in decimal. A gap in the sequence counts events that
 * never became a frame. Parse it with sscanf(line, ASYNC_NOTIFY_FRAME_FMT,
 * &seq, &ts_ns) into unsigned long longs.
 */
#define ASYNC_NOTIFY_FRAME_FMT		"seq=%llu ts=%llu\n"
/*
 * The longest frame the source makes, in bytes, text or binary; no
 * buffer is smaller. A frame a writer stores can be as long as the
 * buffer (struct async_notify_info.buffer_size).
 */
#define ASYNC_NOTIFY_FRAME_MAX		64

/**
 * struct async_notify_record - a frame of a binary device, taken whole
 * @seq: the event's sequence number, as seq in a text frame
 * @ts_ns: its CLOCK_MONOTONIC time in nanoseconds, as ts in a text frame
 *
 * A device whose node sets linux,frame-format = "binary" stores each
 * source frame as this record, in the CPU's byte order, instead of text.
 */
struct async_notify_record {
	__aligned_u64 seq;
	__aligned_u64 ts_ns;
};

/**
 * struct async_notify_info - the state of a device, as one file sees it
 * @seq: number of the newest data-ready event, 0 if none yet
 * @frames: frames stored since the device was bound, from the source
 *	and from writers
 * @missed: frames this file can no longer read: in latest mode, frames
 *	replaced (or cleared) before this file read them; in fifo mode,
 *	source frames dropped for want of room since this file was opened;
 *	in queue mode, frames this file's queue had no room for
 * @queued: bytes waiting now: in the buffer, or in queue mode in this
 *	file's own queue
 * @readers: open files that can read
 * @writers: open files that can write
 * @mode: ASYNC_NOTIFY_MODE_LATEST, _FIFO or _QUEUE
 * @buffer_size: capacity of the buffer (in queue mode, of each reader's
 *	queue) in bytes
 * @format: the source's frames: ASYNC_NOTIFY_FORMAT_TEXT (0) or _BINARY
 */
struct async_notify_info {
	__aligned_u64 seq;
	__aligned_u64 frames;
	__aligned_u64 missed;
	__u32 queued;
	__u32 readers;
	__u32 writers;
	__u32 mode;
	__u32 buffer_size;
	__u32 format;
};

#define ASYNC_NOTIFY_IOC_MAGIC		0xA9

/* Empty the buffer. The file must be open for writing. */
#define ASYNC_NOTIFY_IOC_CLEAR		_IO(ASYNC_NOTIFY_IOC_MAGIC, 0x00)
/* Fill a struct async_notify_info. */
#define ASYNC_NOTIFY_IOC_INFO		_IOR(ASYNC_NOTIFY_IOC_MAGIC, 0x01, \
					     struct async_notify_info)

#endif /* _UAPI_LINUX_ASYNC_NOTIFY_H */
