/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The buffer behind one async-notify device, who holds it open, and what
 * each open file has read of it.
 *
 * Plain logic without locks of its own, so that KUnit can call the same
 * functions without a device. The driver serialises every call that
 * counts files in or out (prepare, get, put, release) with a mutex, and
 * holds its buffer spinlock for get, put and every other function;
 * prepare and release allocate and free, so they run without it.
 */
#ifndef _ASYNC_NOTIFY_BUF_H
#define _ASYNC_NOTIFY_BUF_H

#include <linux/fs.h>
#include <linux/list.h>
#include <linux/types.h>

/**
 * struct async_notify_ring - a byte queue of the buffer's size
 * @data: the bytes, or NULL while not allocated
 * @head: offset of the oldest byte
 * @len: bytes queued
 * @taken: bytes ever consumed or cleared: a read that copied without the
 *	lock may consume only if this has not moved meanwhile
 */
struct async_notify_ring {
	u8 *data;
	size_t head;
	size_t len;
	u64 taken;
};

/**
 * struct async_notify_buf - a device's buffer and its users
 * @ring: latest mode: the current frame; fifo mode: the shared queue;
 *	allocated from the first open of a reader or writer to the last
 *	close. Unused in queue mode.
 * @queues: queue mode: every reading file's struct async_notify_reader
 * @size: capacity in bytes of @ring, or of each reader's queue
 * @mode: ASYNC_NOTIFY_MODE_*
 * @readers: open files that can read
 * @writers: open files that can write
 * @frames: frames stored since the device was bound, from the source and
 *	from writers; in latest mode also the number of the current frame
 * @writes: those of @frames that writers stored
 * @overruns: fifo mode: source frames dropped because the queue had no
 *	room; queue mode: frames a reader's queue had no room for, once
 *	for each such reader
 */
struct async_notify_buf {
	struct async_notify_ring ring;
	struct list_head queues;
	size_t size;
	u32 mode;
	unsigned int readers;
	unsigned int writers;
	u64 frames;
	u64 writes;
	u64 overruns;
};

/**
 * struct async_notify_reader - one open file's view of the buffer
 * @queue: queue mode, a reading file: its own queue
 * @node: queue mode, a reading file: its place in the buffer's @queues
 * @spare: memory between prepare and get, or between put and release
 * @seen: latest mode: number of the last frame this file read
 * @missed: latest mode: frames replaced before this file read them;
 *	queue mode: frames its queue had no room for
 * @overruns: fifo mode: @overruns of the buffer when the file was opened
 */
struct async_notify_reader {
	struct async_notify_ring queue;
	struct list_head node;
	void *spare;
	u64 seen;
	u64 missed;
	u64 overruns;
};

void async_notify_buf_init(struct async_notify_buf *b, u32 mode, size_t size);

static inline bool async_notify_buf_in_use(const struct async_notify_buf *b)
{
	return b->readers || b->writers;
}

int async_notify_buf_prepare(const struct async_notify_buf *b,
			     struct async_notify_reader *r, fmode_t fmode,
			     gfp_t gfp);
bool async_notify_buf_get(struct async_notify_buf *b,
			  struct async_notify_reader *r, fmode_t fmode);
bool async_notify_buf_is_last(const struct async_notify_buf *b, fmode_t fmode);
bool async_notify_buf_frees(const struct async_notify_buf *b, fmode_t fmode);
bool async_notify_buf_put(struct async_notify_buf *b,
			  struct async_notify_reader *r, fmode_t fmode);
void async_notify_buf_release(struct async_notify_reader *r);
bool async_notify_buf_allocated(const struct async_notify_buf *b);

size_t async_notify_buf_write(struct async_notify_buf *b, const void *src,
			      size_t count);
bool async_notify_buf_push(struct async_notify_buf *b, const void *frame,
			   size_t len);
void async_notify_buf_clear(struct async_notify_buf *b);
size_t async_notify_buf_room(const struct async_notify_buf *b);

bool async_notify_buf_readable(const struct async_notify_buf *b,
			       const struct async_notify_reader *r);
size_t async_notify_buf_peek(const struct async_notify_buf *b,
			     const struct async_notify_reader *r, void *dst,
			     size_t count, u64 *pos);
bool async_notify_buf_commit(struct async_notify_buf *b,
			     struct async_notify_reader *r, size_t count,
			     u64 pos);
u64 async_notify_buf_missed(const struct async_notify_buf *b,
			    const struct async_notify_reader *r);
size_t async_notify_buf_queued(const struct async_notify_buf *b,
			       const struct async_notify_reader *r);

#endif /* _ASYNC_NOTIFY_BUF_H */
