// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the async-notify buffer: reader and writer counting,
 * allocation on first open and release on last close, the latest, fifo
 * and queue modes, each file's view, reads that copy without the lock,
 * and clear. They call the functions the driver calls, on real
 * allocations.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/module.h>

#include <linux/async_notify.h>

#include "../drivers/async_notify_buf.h"
#include "../drivers/async_notify_compat.h"

#define TEST_SIZE	16

static const fmode_t test_rd = FMODE_READ;
static const fmode_t test_wr = FMODE_WRITE;
static const fmode_t test_rdwr = FMODE_READ | FMODE_WRITE;

/* A buffer whose memory is freed at the end of the test, whatever it left. */
static struct async_notify_buf *test_buf(struct kunit *test, u32 mode,
					 size_t size)
{
	struct async_notify_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	async_notify_buf_init(b, mode, size);
	test->priv = b;
	return b;
}

static void test_buf_exit(struct kunit *test)
{
	struct async_notify_buf *b = test->priv;
	struct async_notify_reader *r;

	if (!b)
		return;
	kvfree(b->ring.data);
	list_for_each_entry(r, &b->queues, node)
		kvfree(r->queue.data);
}

/* Open a file of @fmode, as the driver does: prepare, then get. */
static bool test_get(struct kunit *test, struct async_notify_buf *b,
		     struct async_notify_reader *r, fmode_t fmode)
{
	KUNIT_ASSERT_EQ(test, async_notify_buf_prepare(b, r, fmode, GFP_KERNEL),
			0);
	return async_notify_buf_get(b, r, fmode);
}

/* Close it: put, then release. */
static bool test_put(struct async_notify_buf *b, struct async_notify_reader *r,
		     fmode_t fmode)
{
	bool last = async_notify_buf_put(b, r, fmode);

	async_notify_buf_release(r);
	return last;
}

static struct async_notify_buf *test_open(struct kunit *test, u32 mode,
					  size_t size, fmode_t fmode,
					  struct async_notify_reader *r)
{
	struct async_notify_buf *b = test_buf(test, mode, size);

	test_get(test, b, r, fmode);
	return b;
}

static void test_write_str(struct kunit *test, struct async_notify_buf *b,
			   const char *s)
{
	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, s, strlen(s)),
			strlen(s));
}

/* Peek and commit everything @r can read, as read() does. */
static size_t test_read(struct async_notify_buf *b,
			struct async_notify_reader *r, char *dst, size_t count)
{
	u64 pos;
	size_t n = async_notify_buf_peek(b, r, dst, count, &pos);

	if (n && !async_notify_buf_commit(b, r, n, pos))
		n = 0;
	dst[n] = '\0';
	return n;
}

static void async_notify_test_counts(struct kunit *test)
{
	static const struct {
		fmode_t fmode;
		unsigned int readers, writers;
	} cases[] = {
		{ FMODE_READ, 1, 0 },
		{ FMODE_WRITE, 0, 1 },
		{ FMODE_READ | FMODE_WRITE, 1, 1 },
	};
	struct async_notify_reader r;
	struct async_notify_buf *b;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		b = test_buf(test, ASYNC_NOTIFY_MODE_LATEST, TEST_SIZE);
		KUNIT_EXPECT_TRUE(test, test_get(test, b, &r, cases[i].fmode));
		KUNIT_EXPECT_EQ(test, b->readers, cases[i].readers);
		KUNIT_EXPECT_EQ(test, b->writers, cases[i].writers);
		KUNIT_EXPECT_NOT_NULL(test, b->ring.data);
		KUNIT_EXPECT_TRUE(test, async_notify_buf_allocated(b));
		KUNIT_EXPECT_TRUE(test, test_put(b, &r, cases[i].fmode));
		KUNIT_EXPECT_EQ(test, b->readers, 0);
		KUNIT_EXPECT_EQ(test, b->writers, 0);
		KUNIT_EXPECT_NULL(test, b->ring.data);
		KUNIT_EXPECT_FALSE(test, async_notify_buf_allocated(b));
	}
}

/* A file opened for ioctl only neither counts nor allocates. */
static void async_notify_test_no_access(struct kunit *test)
{
	struct async_notify_buf *b = test_buf(test, ASYNC_NOTIFY_MODE_LATEST,
					      TEST_SIZE);
	struct async_notify_reader r;

	KUNIT_EXPECT_FALSE(test, test_get(test, b, &r, 0));
	KUNIT_EXPECT_NULL(test, r.spare);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_in_use(b));
	KUNIT_EXPECT_FALSE(test, async_notify_buf_allocated(b));
	KUNIT_EXPECT_FALSE(test, async_notify_buf_is_last(b, 0));
	KUNIT_EXPECT_FALSE(test, test_put(b, &r, 0));
}

/* A reader, a writer and a file for both, and the six orders to close them in. */
static const fmode_t test_files[] = { FMODE_READ, FMODE_WRITE,
				      FMODE_READ | FMODE_WRITE };
static const int test_orders[][3] = {
	{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
	{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
};

/*
 * Three files (reader, writer, reader-writer) closed in each of the six
 * orders: the buffer exists from the first open to the last close, only
 * the last close frees it, and the next open allocates it again.
 */
static void async_notify_test_close_orders(struct kunit *test)
{
	struct async_notify_reader r[ARRAY_SIZE(test_files)];
	struct async_notify_buf *b;
	int o, i;
	u8 *data;

	b = test_buf(test, ASYNC_NOTIFY_MODE_FIFO, TEST_SIZE);
	for (o = 0; o < ARRAY_SIZE(test_orders); o++) {
		KUNIT_ASSERT_NULL(test, b->ring.data);
		KUNIT_EXPECT_TRUE(test, test_get(test, b, &r[0], test_files[0]));
		data = b->ring.data;
		KUNIT_ASSERT_NOT_NULL(test, data);
		for (i = 1; i < ARRAY_SIZE(test_files); i++) {
			KUNIT_EXPECT_FALSE(test, test_get(test, b, &r[i],
							  test_files[i]));
			KUNIT_EXPECT_NULL(test, r[i].spare);
			KUNIT_EXPECT_PTR_EQ(test, b->ring.data, data);
		}
		KUNIT_EXPECT_EQ(test, b->readers, 2);
		KUNIT_EXPECT_EQ(test, b->writers, 2);

		for (i = 0; i < ARRAY_SIZE(test_files); i++) {
			int f = test_orders[o][i];
			bool last = i == ARRAY_SIZE(test_files) - 1;

			KUNIT_EXPECT_EQ_MSG(test,
					    async_notify_buf_is_last(b, test_files[f]),
					    last, "order %d close %d", o, i);
			KUNIT_EXPECT_EQ_MSG(test,
					    async_notify_buf_put(b, &r[f], test_files[f]),
					    last, "order %d close %d", o, i);
			/* Only the last close gives the buffer up. */
			KUNIT_EXPECT_PTR_EQ(test, r[f].spare, last ? data : NULL);
			async_notify_buf_release(&r[f]);
			KUNIT_EXPECT_PTR_EQ(test, b->ring.data, last ? NULL : data);
		}
		KUNIT_EXPECT_EQ(test, b->readers, 0);
		KUNIT_EXPECT_EQ(test, b->writers, 0);
	}
}

/*
 * The close that stops the source is the one that gives the buffer up:
 * async_notify_buf_frees(), asked before each close, is true exactly for
 * the close after which nothing is allocated, in every mode and order of
 * closing a reader, a writer and a file for both. In queue mode that is
 * the last reader's close, whatever writers stay open.
 */
static void async_notify_test_frees(struct kunit *test)
{
	static const u32 modes[] = { ASYNC_NOTIFY_MODE_LATEST,
				     ASYNC_NOTIFY_MODE_FIFO,
				     ASYNC_NOTIFY_MODE_QUEUE };
	struct async_notify_reader r[ARRAY_SIZE(test_files)];
	struct async_notify_buf *b;
	bool frees, had;
	int m, o, i, f;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		b = test_buf(test, modes[m], TEST_SIZE);
		for (o = 0; o < ARRAY_SIZE(test_orders); o++) {
			for (i = 0; i < ARRAY_SIZE(test_files); i++)
				test_get(test, b, &r[i], test_files[i]);
			KUNIT_EXPECT_TRUE(test, async_notify_buf_allocated(b));
			for (i = 0; i < ARRAY_SIZE(test_files); i++) {
				f = test_orders[o][i];
				had = async_notify_buf_allocated(b);
				frees = async_notify_buf_frees(b, test_files[f]);
				test_put(b, &r[f], test_files[f]);
				KUNIT_EXPECT_EQ_MSG(test, frees,
						    had && !async_notify_buf_allocated(b),
						    "mode %u order %d close %d", modes[m],
						    o, i);
			}
			KUNIT_EXPECT_FALSE(test, async_notify_buf_allocated(b));
		}
	}
}

/*
 * Which opens need memory, seen through an allocation that cannot
 * succeed: in latest and fifo modes the first reader or writer needs the
 * buffer, in queue mode each reader its own queue; a writer in queue
 * mode and a file for ioctls only need none. One that needs memory gets
 * -ENOMEM with nothing kept in its reader state, whatever was there.
 */
static void async_notify_test_alloc_failure(struct kunit *test)
{
	static const u32 modes[] = { ASYNC_NOTIFY_MODE_LATEST,
				     ASYNC_NOTIFY_MODE_FIFO,
				     ASYNC_NOTIFY_MODE_QUEUE };
	static const fmode_t fmodes[] = { 0, FMODE_READ, FMODE_WRITE,
					  FMODE_READ | FMODE_WRITE };
	struct async_notify_reader r;
	struct async_notify_buf *b;
	int m, f, want;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		b = test_buf(test, modes[m], (size_t)INT_MAX + 1);
		for (f = 0; f < ARRAY_SIZE(fmodes); f++) {
			if (!fmodes[f])
				want = 0;
			else if (modes[m] == ASYNC_NOTIFY_MODE_QUEUE)
				want = fmodes[f] & FMODE_READ ? -ENOMEM : 0;
			else
				want = -ENOMEM;
			memset(&r, 0xa5, sizeof(r));
			KUNIT_EXPECT_EQ_MSG(test,
					    async_notify_buf_prepare(b, &r, fmodes[f],
								     GFP_KERNEL | __GFP_NOWARN),
					    want, "mode %u, f_mode %#x", modes[m],
					    (unsigned int)fmodes[f]);
			KUNIT_EXPECT_NULL_MSG(test, r.spare, "mode %u, f_mode %#x",
					      modes[m], (unsigned int)fmodes[f]);
			KUNIT_EXPECT_TRUE(test, list_empty(&r.node));
		}
	}
}

static void async_notify_test_latest_replace(struct kunit *test)
{
	struct async_notify_reader r;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_LATEST,
					       TEST_SIZE, test_rdwr, &r);
	char out[TEST_SIZE + 1];

	test_write_str(test, b, "first frame");
	test_write_str(test, b, "second");
	KUNIT_EXPECT_EQ(test, b->frames, 2);
	KUNIT_EXPECT_EQ(test, b->writes, 2);
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1), 6);
	KUNIT_EXPECT_STREQ(test, out, "second");
}

static void async_notify_test_latest_truncate(struct kunit *test)
{
	static const char long_msg[] = "0123456789abcdefOVERFLOW";
	struct async_notify_reader r;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_LATEST,
					       TEST_SIZE, test_rdwr, &r);
	char out[sizeof(long_msg)];

	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, long_msg,
						     strlen(long_msg)),
			TEST_SIZE);
	KUNIT_EXPECT_EQ(test, async_notify_buf_queued(b, &r), TEST_SIZE);
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1),
			TEST_SIZE);
	KUNIT_EXPECT_STREQ(test, out, "0123456789abcdef");
	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, long_msg, 0), 0);
	KUNIT_EXPECT_EQ(test, async_notify_buf_queued(b, &r), TEST_SIZE);
	KUNIT_EXPECT_EQ(test, b->frames, 1);
}

static void async_notify_test_latest_sequence(struct kunit *test)
{
	struct async_notify_reader r, late;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_LATEST,
					       TEST_SIZE, test_rdwr, &r);
	char out[TEST_SIZE + 1];

	KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));

	test_write_str(test, b, "one");
	KUNIT_EXPECT_TRUE(test, async_notify_buf_readable(b, &r));
	test_read(b, &r, out, 1);
	KUNIT_EXPECT_STREQ(test, out, "o");
	KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 0);

	/* A file opened now can read the current frame at once. */
	test_get(test, b, &late, test_rd);
	KUNIT_EXPECT_TRUE(test, async_notify_buf_readable(b, &late));
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &late), 0);

	/* Two frames before the next read: the first one is missed. */
	test_write_str(test, b, "two");
	test_write_str(test, b, "three");
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 1);
	KUNIT_EXPECT_TRUE(test, async_notify_buf_readable(b, &r));
	test_read(b, &r, out, sizeof(out) - 1);
	KUNIT_EXPECT_STREQ(test, out, "three");
	KUNIT_EXPECT_EQ(test, r.seen, 3);
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 1);
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &late), 2);
}

/*
 * A read that copied frame 1 and commits after frame 2 replaced it has
 * read frame 1: frame 2 stays readable, and nothing counts as missed.
 */
static void async_notify_test_latest_commit_late(struct kunit *test)
{
	struct async_notify_reader r;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_LATEST,
					       TEST_SIZE, test_rdwr, &r);
	char out[TEST_SIZE + 1];
	size_t n;
	u64 pos;

	test_write_str(test, b, "one");
	n = async_notify_buf_peek(b, &r, out, sizeof(out) - 1, &pos);
	KUNIT_EXPECT_EQ(test, n, 3);
	test_write_str(test, b, "two");
	KUNIT_EXPECT_TRUE(test, async_notify_buf_commit(b, &r, n, pos));
	KUNIT_EXPECT_TRUE(test, async_notify_buf_readable(b, &r));
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 0);
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1), 3);
	KUNIT_EXPECT_STREQ(test, out, "two");
}

/*
 * Two reads of one file that copied the same frame: the first to commit
 * read it; the other's copy is stale, and so is a copy of a frame older
 * than the one read since. The file reads each frame once.
 */
static void async_notify_test_latest_commit_twice(struct kunit *test)
{
	struct async_notify_reader r;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_LATEST,
					       TEST_SIZE, test_rdwr, &r);
	char out[TEST_SIZE + 1];
	u64 pos1, pos2;
	size_t n1, n2;

	test_write_str(test, b, "one");
	n1 = async_notify_buf_peek(b, &r, out, sizeof(out) - 1, &pos1);
	n2 = async_notify_buf_peek(b, &r, out, sizeof(out) - 1, &pos2);
	KUNIT_EXPECT_EQ(test, n1, 3);
	KUNIT_EXPECT_EQ(test, n2, 3);
	KUNIT_EXPECT_TRUE(test, async_notify_buf_commit(b, &r, n2, pos2));
	KUNIT_EXPECT_FALSE(test, async_notify_buf_commit(b, &r, n1, pos1));
	KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));

	/* A copy of "two", committed after "three" was read: stale too. */
	test_write_str(test, b, "two");
	n1 = async_notify_buf_peek(b, &r, out, sizeof(out) - 1, &pos1);
	test_write_str(test, b, "three");
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1), 5);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_commit(b, &r, n1, pos1));
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 1);
}

static void async_notify_test_fifo_append_consume(struct kunit *test)
{
	struct async_notify_reader r;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_FIFO,
					       TEST_SIZE, test_rdwr, &r);
	char out[TEST_SIZE + 1];

	KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));
	test_write_str(test, b, "abc");
	test_write_str(test, b, "defgh");
	KUNIT_EXPECT_EQ(test, async_notify_buf_queued(b, &r), 8);
	KUNIT_EXPECT_EQ(test, async_notify_buf_room(b), TEST_SIZE - 8);

	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, 2), 2);
	KUNIT_EXPECT_STREQ(test, out, "ab");
	KUNIT_EXPECT_TRUE(test, async_notify_buf_readable(b, &r));
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1), 6);
	KUNIT_EXPECT_STREQ(test, out, "cdefgh");
	KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));
	KUNIT_EXPECT_EQ(test, async_notify_buf_room(b), TEST_SIZE);
}

/* A write wraps around the end of the ring and reads back in order. */
static void async_notify_test_fifo_wrap(struct kunit *test)
{
	struct async_notify_reader r;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_FIFO,
					       TEST_SIZE, test_rdwr, &r);
	char out[TEST_SIZE + 1];

	test_write_str(test, b, "0123456789ab");
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, 10), 10);
	test_write_str(test, b, "cdefghijkl");
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1), 12);
	KUNIT_EXPECT_STREQ(test, out, "abcdefghijkl");
}

static void async_notify_test_fifo_partial_write(struct kunit *test)
{
	struct async_notify_reader r;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_FIFO,
					       TEST_SIZE, test_rdwr, &r);
	char out[TEST_SIZE + 1];

	test_write_str(test, b, "0123456789");
	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, "ABCDEFGHIJ", 10), 6);
	KUNIT_EXPECT_EQ(test, async_notify_buf_room(b), 0);
	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, "Z", 1), 0);
	KUNIT_EXPECT_EQ(test, b->frames, 2);
	KUNIT_EXPECT_EQ(test, b->writes, 2);
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1),
			TEST_SIZE);
	KUNIT_EXPECT_STREQ(test, out, "0123456789ABCDEF");
}

/* Source frames are stored whole or dropped and counted, never cut. */
static void async_notify_test_fifo_overrun(struct kunit *test)
{
	struct async_notify_reader r, late;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_FIFO,
					       TEST_SIZE, test_rd, &r);
	char out[TEST_SIZE + 1];

	KUNIT_EXPECT_TRUE(test, async_notify_buf_push(b, "frame-1\n", 8));
	KUNIT_EXPECT_TRUE(test, async_notify_buf_push(b, "frame-2\n", 8));
	KUNIT_EXPECT_FALSE(test, async_notify_buf_push(b, "frame-3\n", 8));
	KUNIT_EXPECT_EQ(test, b->overruns, 1);
	KUNIT_EXPECT_EQ(test, b->frames, 2);
	KUNIT_EXPECT_EQ(test, b->writes, 0);
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 1);
	/* A file opened now has missed nothing yet. */
	test_get(test, b, &late, test_rd);
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &late), 0);

	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, 4), 4);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_push(b, "frame-4\n", 8));
	KUNIT_EXPECT_EQ(test, b->overruns, 2);
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1), 12);
	KUNIT_EXPECT_STREQ(test, out, "e-1\nframe-2\n");
	KUNIT_EXPECT_TRUE(test, async_notify_buf_push(b, "frame-5\n", 8));
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 2);
}

/*
 * Two readers share a fifo. One copies without the lock while the other
 * consumes the same bytes: the first one's commit is refused, so no byte
 * is read twice, and its next read gets what follows.
 */
static void async_notify_test_fifo_stale_commit(struct kunit *test)
{
	struct async_notify_reader r1, r2;
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_FIFO,
					       TEST_SIZE, test_rdwr, &r1);
	char out[TEST_SIZE + 1];
	size_t n;
	u64 pos;

	test_get(test, b, &r2, test_rd);
	test_write_str(test, b, "abcd");
	n = async_notify_buf_peek(b, &r1, out, 2, &pos);
	KUNIT_EXPECT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, test_read(b, &r2, out, 2), 2);
	KUNIT_EXPECT_STREQ(test, out, "ab");
	KUNIT_EXPECT_FALSE(test, async_notify_buf_commit(b, &r1, n, pos));
	KUNIT_EXPECT_EQ(test, async_notify_buf_queued(b, &r1), 2);

	/* A clear between the copy and the commit makes it stale too. */
	n = async_notify_buf_peek(b, &r1, out, 2, &pos);
	async_notify_buf_clear(b);
	test_write_str(test, b, "efgh");
	KUNIT_EXPECT_FALSE(test, async_notify_buf_commit(b, &r1, n, pos));
	KUNIT_EXPECT_EQ(test, test_read(b, &r1, out, sizeof(out) - 1), 4);
	KUNIT_EXPECT_STREQ(test, out, "efgh");
}

/*
 * Queue mode: every reader gets every frame, from the source and from
 * writers; a writer alone allocates nothing; each reader's queue is its
 * own and so is its overflow.
 */
static void async_notify_test_queue_fan_out(struct kunit *test)
{
	struct async_notify_reader w, r1, r2;
	struct async_notify_buf *b = test_buf(test, ASYNC_NOTIFY_MODE_QUEUE,
					      TEST_SIZE);
	char out[TEST_SIZE + 1];

	KUNIT_EXPECT_TRUE(test, test_get(test, b, &w, test_wr));
	KUNIT_EXPECT_FALSE(test, async_notify_buf_allocated(b));
	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, "lost", 4), 4);

	test_get(test, b, &r1, test_rd);
	test_get(test, b, &r2, test_rd);
	KUNIT_EXPECT_TRUE(test, async_notify_buf_allocated(b));
	KUNIT_EXPECT_NULL(test, r1.spare);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r1));

	KUNIT_EXPECT_TRUE(test, async_notify_buf_push(b, "frame-1\n", 8));
	test_write_str(test, b, "hi\n");
	KUNIT_EXPECT_EQ(test, test_read(b, &r1, out, sizeof(out) - 1), 11);
	KUNIT_EXPECT_STREQ(test, out, "frame-1\nhi\n");
	KUNIT_EXPECT_EQ(test, async_notify_buf_queued(b, &r2), 11);

	/* r2 has room for 5 bytes: the next frame is its overrun alone. */
	KUNIT_EXPECT_TRUE(test, async_notify_buf_push(b, "frame-2\n", 8));
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r1), 0);
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r2), 1);
	KUNIT_EXPECT_EQ(test, b->overruns, 1);
	KUNIT_EXPECT_EQ(test, b->frames, 4);
	KUNIT_EXPECT_EQ(test, test_read(b, &r1, out, sizeof(out) - 1), 8);
	KUNIT_EXPECT_STREQ(test, out, "frame-2\n");
	KUNIT_EXPECT_EQ(test, test_read(b, &r2, out, sizeof(out) - 1), 11);
	KUNIT_EXPECT_STREQ(test, out, "frame-1\nhi\n");

	/* A reader's close frees its queue and only its queue. */
	KUNIT_EXPECT_FALSE(test, async_notify_buf_put(b, &r1, test_rd));
	KUNIT_EXPECT_NOT_NULL(test, r1.spare);
	async_notify_buf_release(&r1);
	KUNIT_EXPECT_TRUE(test, async_notify_buf_push(b, "frame-3\n", 8));
	KUNIT_EXPECT_EQ(test, test_read(b, &r2, out, sizeof(out) - 1), 8);
	KUNIT_EXPECT_STREQ(test, out, "frame-3\n");
	KUNIT_EXPECT_FALSE(test, test_put(b, &r2, test_rd));
	KUNIT_EXPECT_FALSE(test, async_notify_buf_allocated(b));
	KUNIT_EXPECT_TRUE(test, test_put(b, &w, test_wr));
}

static void async_notify_test_clear(struct kunit *test)
{
	static const u32 modes[] = { ASYNC_NOTIFY_MODE_LATEST,
				     ASYNC_NOTIFY_MODE_FIFO,
				     ASYNC_NOTIFY_MODE_QUEUE };
	struct async_notify_reader r;
	struct async_notify_buf *b;
	int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		b = test_buf(test, modes[i], TEST_SIZE);
		test_get(test, b, &r, test_rdwr);
		test_write_str(test, b, "abcdef");
		KUNIT_EXPECT_TRUE(test, async_notify_buf_readable(b, &r));
		async_notify_buf_clear(b);
		KUNIT_EXPECT_EQ(test, async_notify_buf_queued(b, &r), 0);
		KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));
		KUNIT_EXPECT_EQ(test, async_notify_buf_room(b), TEST_SIZE);
		KUNIT_EXPECT_TRUE(test, async_notify_buf_allocated(b));
		KUNIT_EXPECT_TRUE(test, test_put(b, &r, test_rdwr));
	}
}

static struct kunit_case async_notify_test_cases[] = {
	KUNIT_CASE(async_notify_test_counts),
	KUNIT_CASE(async_notify_test_no_access),
	KUNIT_CASE(async_notify_test_close_orders),
	KUNIT_CASE(async_notify_test_frees),
	KUNIT_CASE(async_notify_test_alloc_failure),
	KUNIT_CASE(async_notify_test_latest_replace),
	KUNIT_CASE(async_notify_test_latest_truncate),
	KUNIT_CASE(async_notify_test_latest_sequence),
	KUNIT_CASE(async_notify_test_latest_commit_late),
	KUNIT_CASE(async_notify_test_latest_commit_twice),
	KUNIT_CASE(async_notify_test_fifo_append_consume),
	KUNIT_CASE(async_notify_test_fifo_wrap),
	KUNIT_CASE(async_notify_test_fifo_partial_write),
	KUNIT_CASE(async_notify_test_fifo_overrun),
	KUNIT_CASE(async_notify_test_fifo_stale_commit),
	KUNIT_CASE(async_notify_test_queue_fan_out),
	KUNIT_CASE(async_notify_test_clear),
	{}
};

static struct kunit_suite async_notify_test_suite = {
	.name = "async_notify",
	.exit = test_buf_exit,
	.test_cases = async_notify_test_cases,
};

kunit_test_suite(async_notify_test_suite);

MODULE_DESCRIPTION("KUnit tests for the async-notify buffer and driver");
MODULE_LICENSE("GPL");
ASYNC_NOTIFY_IMPORT_KUNIT_NS();
