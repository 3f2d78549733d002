/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The buffer behind one async-notify device, who holds it open, and what
 * each open file has read of it.
 *
 * Plain logic without locks of its own: the driver calls every function
 * here with the device's mutex held, and KUnit calls the same functions
 * without a device.
 */
#ifndef _ASYNC_NOTIFY_BUF_H
#define _ASYNC_NOTIFY_BUF_H

#include <linux/fs.h>
#include <linux/types.h>

/**
 * struct async_notify_buf - a device's buffer and its users
 * @data: @size bytes while a reader or writer has the device open,
 *	otherwise NULL
 * @size: capacity in bytes
 * @len: latest mode: length of the current frame; fifo mode: bytes queued
 * @head: fifo mode: offset of the oldest queued byte
 * @mode: ASYNC_NOTIFY_MODE_LATEST or ASYNC_NOTIFY_MODE_FIFO
 * @readers: open files that can read
 * @writers: open files that can write
 * @frames: frames stored since the device was bound; also the number of
 *	the current frame in latest mode
 * @overruns: source frames dropped because the fifo had no room
 */
struct async_notify_buf {
	u8 *data;
	size_t size;
	size_t len;
	size_t head;
	u32 mode;
	unsigned int readers;
	unsigned int writers;
	u64 frames;
	u64 overruns;
};

/**
 * struct async_notify_reader - what one open file has read
 * @seen: latest mode: number of the last frame this file read
 * @missed: latest mode: frames replaced before this file read them
 * @overruns: fifo mode: @overruns of the buffer when the file was opened
 */
struct async_notify_reader {
	u64 seen;
	u64 missed;
	u64 overruns;
};

void async_notify_buf_init(struct async_notify_buf *b, u32 mode, size_t size);

static inline bool async_notify_buf_in_use(const struct async_notify_buf *b)
{
	return b->readers || b->writers;
}

int async_notify_buf_get(struct async_notify_buf *b, fmode_t fmode, gfp_t gfp);
bool async_notify_buf_is_last(const struct async_notify_buf *b, fmode_t fmode);
bool async_notify_buf_put(struct async_notify_buf *b, fmode_t fmode);

size_t async_notify_buf_write(struct async_notify_buf *b, const void *src,
			      size_t count);
bool async_notify_buf_push(struct async_notify_buf *b, const void *frame,
			   size_t len);
void async_notify_buf_clear(struct async_notify_buf *b);
size_t async_notify_buf_room(const struct async_notify_buf *b);

void async_notify_reader_init(const struct async_notify_buf *b,
			      struct async_notify_reader *r);
bool async_notify_buf_readable(const struct async_notify_buf *b,
			       const struct async_notify_reader *r);
size_t async_notify_buf_peek(const struct async_notify_buf *b, void *dst,
			     size_t count);
void async_notify_buf_commit(struct async_notify_buf *b,
			     struct async_notify_reader *r, size_t count);
u64 async_notify_buf_missed(const struct async_notify_buf *b,
			    const struct async_notify_reader *r);

#endif /* _ASYNC_NOTIFY_BUF_H */
