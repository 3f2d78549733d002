// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify buffer logic: allocation on first open and release on last
 * close, the three modes ("latest" replaces, "fifo" appends to a queue
 * that readers share, "queue" appends to each reader's own queue), and
 * each file's view of what is new. The locking rules are in the header.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/string.h>

#include <linux/async_notify.h>

#include "async_notify_buf.h"
#include "async_notify_compat.h"

static bool async_notify_is_reader(fmode_t fmode)
{
	return fmode & FMODE_READ;
}

static bool async_notify_is_writer(fmode_t fmode)
{
	return fmode & FMODE_WRITE;
}

static bool async_notify_counts(fmode_t fmode)
{
	return async_notify_is_reader(fmode) || async_notify_is_writer(fmode);
}

/* Queue mode gives each reading file a queue of its own. */
static bool async_notify_has_queue(const struct async_notify_buf *b,
				   fmode_t fmode)
{
	return b->mode == ASYNC_NOTIFY_MODE_QUEUE &&
	       async_notify_is_reader(fmode);
}

static void async_notify_ring_append(struct async_notify_ring *q,
				     size_t size, const u8 *src, size_t n)
{
	size_t tail = (q->head + q->len) % size;
	size_t first = min(n, size - tail);

	memcpy(q->data + tail, src, first);
	memcpy(q->data, src + first, n - first);
	q->len += n;
}

/* Empty @q; a read that copied from it before cannot consume any more. */
static void async_notify_ring_clear(struct async_notify_ring *q)
{
	q->taken += q->len;
	q->len = 0;
	q->head = 0;
}

static size_t async_notify_ring_peek(const struct async_notify_ring *q,
				     size_t size, void *dst, size_t count)
{
	size_t n = min(count, q->len);
	size_t first = min(n, size - q->head);

	memcpy(dst, q->data + q->head, first);
	memcpy((u8 *)dst + first, q->data, n - first);
	return n;
}

static void async_notify_ring_consume(struct async_notify_ring *q,
				      size_t size, size_t n)
{
	q->head = (q->head + n) % size;
	q->len -= n;
	q->taken += n;
	if (!q->len)
		q->head = 0;
}

void async_notify_buf_init(struct async_notify_buf *b, u32 mode, size_t size)
{
	*b = (struct async_notify_buf) { .mode = mode, .size = size };
	INIT_LIST_HEAD(&b->queues);
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_init);

/**
 * async_notify_buf_prepare - allocate what a new open file needs
 * @b: the buffer
 * @r: the new file's reader state, to be counted in by get
 * @fmode: the file's f_mode
 * @gfp: allocation flags
 *
 * The first reader or writer needs the buffer (latest and fifo modes); a
 * reader in queue mode needs its own queue. The memory waits in @r until
 * async_notify_buf_get() or async_notify_buf_release().
 *
 * Return: 0, or -ENOMEM with nothing allocated.
 */
int async_notify_buf_prepare(const struct async_notify_buf *b,
			     struct async_notify_reader *r, fmode_t fmode,
			     gfp_t gfp)
{
	*r = (struct async_notify_reader) { };
	INIT_LIST_HEAD(&r->node);

	if (async_notify_has_queue(b, fmode) ||
	    (b->mode != ASYNC_NOTIFY_MODE_QUEUE && async_notify_counts(fmode) &&
	     !b->ring.data)) {
		r->spare = kvmalloc(b->size, gfp);
		if (!r->spare)
			return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_prepare);

/* A file counted in now can read the current frame, if there is one. */
static void async_notify_reader_init(const struct async_notify_buf *b,
				     struct async_notify_reader *r)
{
	r->seen = b->frames - (b->ring.len ? 1 : 0);
	r->missed = 0;
	r->overruns = b->overruns;
}

/**
 * async_notify_buf_get - count a new open file in
 * @b: the buffer
 * @r: its reader state, after async_notify_buf_prepare()
 * @fmode: the file's f_mode
 *
 * A file that neither reads nor writes (opened for ioctls only) is not
 * counted and keeps nothing allocated.
 *
 * Return: true if it is the first reader or writer.
 */
bool async_notify_buf_get(struct async_notify_buf *b,
			  struct async_notify_reader *r, fmode_t fmode)
{
	bool first = !async_notify_buf_in_use(b);

	async_notify_reader_init(b, r);
	if (!async_notify_counts(fmode))
		return false;

	if (async_notify_has_queue(b, fmode)) {
		r->queue = (struct async_notify_ring) { .data = r->spare };
		list_add_tail(&r->node, &b->queues);
		r->spare = NULL;
	} else if (r->spare) {
		b->ring = (struct async_notify_ring) { .data = r->spare };
		r->spare = NULL;
	}
	b->readers += async_notify_is_reader(fmode);
	b->writers += async_notify_is_writer(fmode);
	return first;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_get);

/* Whether putting a file of @fmode would leave no reader or writer. */
bool async_notify_buf_is_last(const struct async_notify_buf *b, fmode_t fmode)
{
	return async_notify_counts(fmode) &&
	       b->readers == async_notify_is_reader(fmode) &&
	       b->writers == async_notify_is_writer(fmode);
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_is_last);

/**
 * async_notify_buf_frees - whether putting a file of @fmode frees the buffer
 * @b: the buffer
 * @fmode: the file's f_mode
 *
 * The buffer is the ring in latest and fifo modes, which the last reader
 * or writer gives up, and the readers' queues in queue mode, the last of
 * which goes with the last reader. The source, which fills it, must stop
 * first.
 */
bool async_notify_buf_frees(const struct async_notify_buf *b, fmode_t fmode)
{
	if (b->mode == ASYNC_NOTIFY_MODE_QUEUE)
		return async_notify_has_queue(b, fmode) && b->readers == 1;
	return async_notify_buf_is_last(b, fmode);
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_frees);

/**
 * async_notify_buf_put - count an open file out
 * @b: the buffer
 * @r: its reader state
 * @fmode: the file's f_mode, as given to async_notify_buf_get()
 *
 * The memory the file gives up (its queue, or the buffer if it was the
 * last reader or writer) waits in @r for async_notify_buf_release().
 *
 * Return: true if that was the last reader or writer.
 */
bool async_notify_buf_put(struct async_notify_buf *b,
			  struct async_notify_reader *r, fmode_t fmode)
{
	bool last = async_notify_buf_is_last(b, fmode);

	if (!async_notify_counts(fmode))
		return false;

	b->readers -= async_notify_is_reader(fmode);
	b->writers -= async_notify_is_writer(fmode);
	if (async_notify_has_queue(b, fmode)) {
		list_del_init(&r->node);
		r->spare = r->queue.data;
		r->queue = (struct async_notify_ring) { };
	} else if (last) {
		r->spare = b->ring.data;
		b->ring = (struct async_notify_ring) { };
	}
	return last;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_put);

/* Free what prepare allocated (without a get) or what put gave up. */
void async_notify_buf_release(struct async_notify_reader *r)
{
	kvfree(r->spare);
	r->spare = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_release);

/* Whether the device holds buffer memory now (sysfs "allocated"). */
bool async_notify_buf_allocated(const struct async_notify_buf *b)
{
	return b->ring.data || !list_empty(&b->queues);
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_allocated);

/* Latest mode: @n bytes of @src become the current frame. */
static void async_notify_buf_replace(struct async_notify_buf *b,
				     const void *src, size_t n)
{
	async_notify_ring_clear(&b->ring);
	async_notify_ring_append(&b->ring, b->size, src, n);
}

/* Queue mode: @n bytes into every reader's queue that has room for all. */
static void async_notify_buf_fan_out(struct async_notify_buf *b,
				     const void *src, size_t n)
{
	struct async_notify_reader *r;

	list_for_each_entry(r, &b->queues, node) {
		if (b->size - r->queue.len < n) {
			r->missed++;
			b->overruns++;
			continue;
		}
		async_notify_ring_append(&r->queue, b->size, src, n);
	}
}

/**
 * async_notify_buf_write - store a writer's bytes as a frame
 * @b: the buffer, allocated
 * @src: the bytes
 * @count: how many
 *
 * Latest mode replaces the frame with at most @size bytes of @src. Fifo
 * mode appends what fits. Queue mode gives at most @size bytes to every
 * reader whose queue has room for them all, and counts an overrun for
 * each other reader.
 *
 * Return: the number of bytes taken; 0 only when the fifo is full.
 */
size_t async_notify_buf_write(struct async_notify_buf *b, const void *src,
			      size_t count)
{
	size_t n = min(count, async_notify_buf_room(b));

	if (!n)
		return 0;

	switch (b->mode) {
	case ASYNC_NOTIFY_MODE_LATEST:
		async_notify_buf_replace(b, src, n);
		break;
	case ASYNC_NOTIFY_MODE_FIFO:
		async_notify_ring_append(&b->ring, b->size, src, n);
		break;
	case ASYNC_NOTIFY_MODE_QUEUE:
		async_notify_buf_fan_out(b, src, n);
		break;
	}
	b->frames++;
	b->writes++;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_write);

/**
 * async_notify_buf_push - store a frame from the data-ready source
 * @b: the buffer
 * @frame: the frame
 * @len: its length, at most @size
 *
 * A frame is stored whole or not at all: when the fifo has no room for
 * it, it is dropped and counted in @overruns; in queue mode, so is each
 * reader's copy that does not fit.
 *
 * Return: true if the frame was stored.
 */
bool async_notify_buf_push(struct async_notify_buf *b, const void *frame,
			   size_t len)
{
	/* The source runs only while the buffer exists, in every mode. */
	if (WARN_ON_ONCE(len > b->size || !async_notify_buf_allocated(b)))
		return false;

	switch (b->mode) {
	case ASYNC_NOTIFY_MODE_LATEST:
		async_notify_buf_replace(b, frame, len);
		break;
	case ASYNC_NOTIFY_MODE_FIFO:
		if (len > async_notify_buf_room(b)) {
			b->overruns++;
			return false;
		}
		async_notify_ring_append(&b->ring, b->size, frame, len);
		break;
	case ASYNC_NOTIFY_MODE_QUEUE:
		async_notify_buf_fan_out(b, frame, len);
		break;
	}
	b->frames++;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_push);

/* Drop everything stored: the frame, the fifo, or every reader's queue. */
void async_notify_buf_clear(struct async_notify_buf *b)
{
	struct async_notify_reader *r;

	async_notify_ring_clear(&b->ring);
	list_for_each_entry(r, &b->queues, node)
		async_notify_ring_clear(&r->queue);
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_clear);

/* Bytes a write can take now: only a fifo can be full. */
size_t async_notify_buf_room(const struct async_notify_buf *b)
{
	if (b->mode == ASYNC_NOTIFY_MODE_FIFO)
		return b->size - b->ring.len;
	return b->size;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_room);

bool async_notify_buf_readable(const struct async_notify_buf *b,
			       const struct async_notify_reader *r)
{
	switch (b->mode) {
	case ASYNC_NOTIFY_MODE_LATEST:
		return b->ring.len && b->frames != r->seen;
	case ASYNC_NOTIFY_MODE_QUEUE:
		return r->queue.len;
	default:
		return b->ring.len;
	}
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_readable);

/**
 * async_notify_buf_peek - copy what @r would read, without consuming it
 * @b: the buffer
 * @r: the reader
 * @dst: where to copy
 * @count: at most this many bytes
 * @pos: set to what async_notify_buf_commit() needs to check the copy
 *
 * Return: the number of bytes copied; 0 if @r has nothing to read.
 */
size_t async_notify_buf_peek(const struct async_notify_buf *b,
			     const struct async_notify_reader *r, void *dst,
			     size_t count, u64 *pos)
{
	const struct async_notify_ring *q = &b->ring;

	if (!async_notify_buf_readable(b, r))
		return 0;
	if (b->mode == ASYNC_NOTIFY_MODE_QUEUE)
		q = &r->queue;
	*pos = b->mode == ASYNC_NOTIFY_MODE_LATEST ? b->frames : q->taken;
	return async_notify_ring_peek(q, b->size, dst, count);
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_peek);

/**
 * async_notify_buf_commit - finish a read of @count bytes by @r
 * @b: the buffer
 * @r: the reader
 * @count: bytes that reached the reader, as returned by the peek
 * @pos: as set by the peek
 *
 * Latest mode marks the frame read, whatever part of it was read, and
 * counts the frames replaced before it as missed, unless another read of
 * the same file marked it or a newer frame read since the peek. Fifo and
 * queue modes consume the bytes, unless someone consumed or cleared the
 * queue since the peek. In both cases the copy is then stale and nothing
 * changes: each frame reaches one read of a file at most.
 *
 * Return: false if the copy is stale and the read must start again.
 */
bool async_notify_buf_commit(struct async_notify_buf *b,
			     struct async_notify_reader *r, size_t count,
			     u64 pos)
{
	struct async_notify_ring *q = &b->ring;

	if (b->mode == ASYNC_NOTIFY_MODE_LATEST) {
		if (pos <= r->seen)
			return false;
		r->missed += pos - r->seen - 1;
		r->seen = pos;
		return true;
	}
	if (b->mode == ASYNC_NOTIFY_MODE_QUEUE)
		q = &r->queue;
	if (q->taken != pos)
		return false;
	async_notify_ring_consume(q, b->size, count);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_commit);

/* Frames @r can no longer read (see struct async_notify_info.missed). */
u64 async_notify_buf_missed(const struct async_notify_buf *b,
			    const struct async_notify_reader *r)
{
	switch (b->mode) {
	case ASYNC_NOTIFY_MODE_LATEST:
		return r->missed + b->frames - r->seen -
		       (async_notify_buf_readable(b, r) ? 1 : 0);
	case ASYNC_NOTIFY_MODE_FIFO:
		return b->overruns - r->overruns;
	default:
		return r->missed;
	}
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_missed);

/* Bytes waiting: in the buffer, or in @r's own queue in queue mode. */
size_t async_notify_buf_queued(const struct async_notify_buf *b,
			       const struct async_notify_reader *r)
{
	if (b->mode == ASYNC_NOTIFY_MODE_QUEUE)
		return r->queue.len;
	return b->ring.len;
}
EXPORT_SYMBOL_IF_KUNIT(async_notify_buf_queued);
