// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify buffer logic: allocation on first open and release on last
 * close, "latest" (replace) and "fifo" (append/consume) storage, and the
 * per-file view of what is new. The caller holds the device's mutex.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/string.h>

#include <linux/async_notify.h>

#include "async_notify_buf.h"

/* An open file counts as a reader, a writer, both (O_RDWR) or neither. */
static unsigned int async_notify_is_reader(fmode_t fmode)
{
	return fmode & FMODE_READ ? 1 : 0;
}

static unsigned int async_notify_is_writer(fmode_t fmode)
{
	return fmode & FMODE_WRITE ? 1 : 0;
}

void async_notify_buf_init(struct async_notify_buf *b, u32 mode, size_t size)
{
	*b = (struct async_notify_buf) { .mode = mode, .size = size };
}

/**
 * async_notify_buf_get - count a new open file in
 * @b: the buffer
 * @fmode: the file's f_mode
 * @gfp: allocation flags for the buffer
 *
 * The first reader or writer allocates the buffer. A file that neither
 * reads nor writes (opened for ioctl only) is not counted.
 *
 * Return: 0, or -ENOMEM with the counts left as they were.
 */
int async_notify_buf_get(struct async_notify_buf *b, fmode_t fmode, gfp_t gfp)
{
	if (!async_notify_is_reader(fmode) && !async_notify_is_writer(fmode))
		return 0;

	if (!b->data) {
		b->data = kvmalloc(b->size, gfp);
		if (!b->data)
			return -ENOMEM;
		b->len = 0;
		b->head = 0;
	}
	b->readers += async_notify_is_reader(fmode);
	b->writers += async_notify_is_writer(fmode);
	return 0;
}

/* Whether putting a file of @fmode would leave no reader or writer. */
bool async_notify_buf_is_last(const struct async_notify_buf *b, fmode_t fmode)
{
	unsigned int readers = async_notify_is_reader(fmode);
	unsigned int writers = async_notify_is_writer(fmode);

	return (readers || writers) &&
	       b->readers == readers && b->writers == writers;
}

/**
 * async_notify_buf_put - count an open file out
 * @b: the buffer
 * @fmode: the file's f_mode, as given to async_notify_buf_get()
 *
 * Return: true if that was the last reader or writer and the buffer was
 * freed.
 */
bool async_notify_buf_put(struct async_notify_buf *b, fmode_t fmode)
{
	bool last = async_notify_buf_is_last(b, fmode);

	b->readers -= async_notify_is_reader(fmode);
	b->writers -= async_notify_is_writer(fmode);
	if (!last)
		return false;

	kvfree(b->data);
	b->data = NULL;
	b->len = 0;
	b->head = 0;
	return true;
}

static void async_notify_buf_append(struct async_notify_buf *b,
				    const u8 *src, size_t n)
{
	size_t tail = (b->head + b->len) % b->size;
	size_t first = min(n, b->size - tail);

	memcpy(b->data + tail, src, first);
	memcpy(b->data, src + first, n - first);
	b->len += n;
}

/**
 * async_notify_buf_write - store a writer's bytes
 * @b: the buffer, allocated
 * @src: the bytes
 * @count: how many
 *
 * Latest mode replaces the frame with at most @size bytes of @src. Fifo
 * mode appends what fits. Storing anything makes a new frame.
 *
 * Return: the number of bytes taken.
 */
size_t async_notify_buf_write(struct async_notify_buf *b, const void *src,
			      size_t count)
{
	size_t n;

	n = min(count, async_notify_buf_room(b));
	if (!n)
		return 0;

	if (b->mode == ASYNC_NOTIFY_MODE_LATEST)
		async_notify_buf_clear(b);
	async_notify_buf_append(b, src, n);
	b->frames++;
	return n;
}

/**
 * async_notify_buf_push - store a frame from the data-ready source
 * @b: the buffer
 * @frame: the frame
 * @len: its length, at most @size
 *
 * A frame is stored whole or not at all: when the fifo has no room for
 * it, it is dropped and counted in @overruns.
 *
 * Return: true if the frame was stored.
 */
bool async_notify_buf_push(struct async_notify_buf *b, const void *frame,
			   size_t len)
{
	/* The source runs only while the buffer exists. */
	if (WARN_ON_ONCE(!b->data || len > b->size))
		return false;

	if (b->mode == ASYNC_NOTIFY_MODE_FIFO && len > async_notify_buf_room(b)) {
		b->overruns++;
		return false;
	}
	async_notify_buf_write(b, frame, len);
	return true;
}

void async_notify_buf_clear(struct async_notify_buf *b)
{
	b->len = 0;
	b->head = 0;
}

/* Bytes a write can take now: latest mode always replaces the whole frame. */
size_t async_notify_buf_room(const struct async_notify_buf *b)
{
	if (b->mode == ASYNC_NOTIFY_MODE_LATEST)
		return b->size;
	return b->size - b->len;
}

/* A new file can read the current frame, if there is one. */
void async_notify_reader_init(const struct async_notify_buf *b,
			      struct async_notify_reader *r)
{
	r->seen = b->frames - (b->len ? 1 : 0);
	r->missed = 0;
	r->overruns = b->overruns;
}

bool async_notify_buf_readable(const struct async_notify_buf *b,
			       const struct async_notify_reader *r)
{
	if (b->mode == ASYNC_NOTIFY_MODE_LATEST)
		return b->len && b->frames != r->seen;
	return b->len;
}

/* Copy up to @count of the oldest bytes to @dst; return how many. */
size_t async_notify_buf_peek(const struct async_notify_buf *b, void *dst,
			     size_t count)
{
	size_t n = min(count, b->len);
	size_t first = min(n, b->size - b->head);

	memcpy(dst, b->data + b->head, first);
	memcpy((u8 *)dst + first, b->data, n - first);
	return n;
}

/**
 * async_notify_buf_commit - finish a read of @count bytes by @r
 * @b: the buffer
 * @r: the reader
 * @count: bytes that reached the reader, as returned by the peek
 *
 * Latest mode marks the current frame read, whatever part of it was
 * read, and counts the frames replaced since the last read as missed.
 * Fifo mode consumes the bytes.
 */
void async_notify_buf_commit(struct async_notify_buf *b,
			     struct async_notify_reader *r, size_t count)
{
	if (b->mode == ASYNC_NOTIFY_MODE_LATEST) {
		r->missed += b->frames - r->seen - 1;
		r->seen = b->frames;
		return;
	}
	b->head = (b->head + count) % b->size;
	b->len -= count;
	if (!b->len)
		b->head = 0;
}

/* Frames @r can no longer read (see struct async_notify_info.missed). */
u64 async_notify_buf_missed(const struct async_notify_buf *b,
			    const struct async_notify_reader *r)
{
	if (b->mode == ASYNC_NOTIFY_MODE_FIFO)
		return b->overruns - r->overruns;
	return r->missed + b->frames - r->seen -
	       (async_notify_buf_readable(b, r) ? 1 : 0);
}
