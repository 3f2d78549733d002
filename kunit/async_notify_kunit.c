// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the async-notify buffer: reader and writer counting,
 * allocation on first open and release on last close, latest and fifo
 * storage, the per-file view, and clear. They call the functions the
 * driver calls, on real allocations.
 */

#include <kunit/test.h>
#include <linux/mm.h>

#include <linux/async_notify.h>

#include "../drivers/async_notify_buf.h"

#define TEST_SIZE	16

static const fmode_t test_rd = FMODE_READ;
static const fmode_t test_rdwr = FMODE_READ | FMODE_WRITE;

/* A buffer freed at the end of the test, whatever the test left open. */
static struct async_notify_buf *test_buf(struct kunit *test, u32 mode,
					 size_t size)
{
	struct async_notify_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	async_notify_buf_init(b, mode, size);
	return b;
}

static void test_buf_exit(struct kunit *test)
{
	struct async_notify_buf *b = test->priv;

	if (b)
		kvfree(b->data);
}

static struct async_notify_buf *test_open(struct kunit *test, u32 mode,
					  size_t size, fmode_t fmode)
{
	struct async_notify_buf *b = test_buf(test, mode, size);

	test->priv = b;
	KUNIT_ASSERT_EQ(test, async_notify_buf_get(b, fmode, GFP_KERNEL), 0);
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
	size_t n = async_notify_buf_peek(b, dst, count);

	async_notify_buf_commit(b, r, n);
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
	struct async_notify_buf *b;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		b = test_buf(test, ASYNC_NOTIFY_MODE_LATEST, TEST_SIZE);
		KUNIT_ASSERT_EQ(test, async_notify_buf_get(b, cases[i].fmode,
							   GFP_KERNEL), 0);
		KUNIT_EXPECT_EQ(test, b->readers, cases[i].readers);
		KUNIT_EXPECT_EQ(test, b->writers, cases[i].writers);
		KUNIT_EXPECT_NOT_NULL(test, b->data);
		KUNIT_EXPECT_TRUE(test, async_notify_buf_put(b, cases[i].fmode));
		KUNIT_EXPECT_EQ(test, b->readers, 0);
		KUNIT_EXPECT_EQ(test, b->writers, 0);
		KUNIT_EXPECT_NULL(test, b->data);
	}
}

/* A file opened for ioctl only neither counts nor allocates. */
static void async_notify_test_no_access(struct kunit *test)
{
	struct async_notify_buf *b = test_buf(test, ASYNC_NOTIFY_MODE_LATEST,
					      TEST_SIZE);

	KUNIT_EXPECT_EQ(test, async_notify_buf_get(b, 0, GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_in_use(b));
	KUNIT_EXPECT_NULL(test, b->data);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_is_last(b, 0));
	KUNIT_EXPECT_FALSE(test, async_notify_buf_put(b, 0));
}

/*
 * Three files (reader, writer, reader-writer) closed in each of the six
 * orders: the buffer exists from the first open to the last close, only
 * the last close frees it, and the next open allocates it again.
 */
static void async_notify_test_close_orders(struct kunit *test)
{
	static const fmode_t files[] = { FMODE_READ, FMODE_WRITE,
					 FMODE_READ | FMODE_WRITE };
	static const int orders[][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	struct async_notify_buf *b;
	int o, i;
	u8 *data;

	b = test_buf(test, ASYNC_NOTIFY_MODE_FIFO, TEST_SIZE);
	test->priv = b;
	for (o = 0; o < ARRAY_SIZE(orders); o++) {
		KUNIT_ASSERT_NULL(test, b->data);
		KUNIT_ASSERT_EQ(test, async_notify_buf_get(b, files[0],
							   GFP_KERNEL), 0);
		data = b->data;
		KUNIT_ASSERT_NOT_NULL(test, data);
		for (i = 1; i < ARRAY_SIZE(files); i++) {
			KUNIT_ASSERT_EQ(test, async_notify_buf_get(b, files[i],
								   GFP_KERNEL), 0);
			KUNIT_EXPECT_PTR_EQ(test, b->data, data);
		}
		KUNIT_EXPECT_EQ(test, b->readers, 2);
		KUNIT_EXPECT_EQ(test, b->writers, 2);

		for (i = 0; i < 3; i++) {
			fmode_t fmode = files[orders[o][i]];
			bool last = i == 2;

			KUNIT_EXPECT_EQ_MSG(test,
					    async_notify_buf_is_last(b, fmode),
					    last, "order %d close %d", o, i);
			KUNIT_EXPECT_EQ_MSG(test, async_notify_buf_put(b, fmode),
					    last, "order %d close %d", o, i);
			if (last)
				KUNIT_EXPECT_NULL(test, b->data);
			else
				KUNIT_EXPECT_PTR_EQ(test, b->data, data);
		}
		KUNIT_EXPECT_EQ(test, b->readers, 0);
		KUNIT_EXPECT_EQ(test, b->writers, 0);
	}
}

/* An allocation that cannot succeed: -ENOMEM and the counts unchanged. */
static void async_notify_test_alloc_failure(struct kunit *test)
{
	struct async_notify_buf *b;

	b = test_buf(test, ASYNC_NOTIFY_MODE_LATEST, (size_t)INT_MAX + 1);
	KUNIT_EXPECT_EQ(test, async_notify_buf_get(b, test_rdwr,
						   GFP_KERNEL | __GFP_NOWARN),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, b->readers, 0);
	KUNIT_EXPECT_EQ(test, b->writers, 0);
	KUNIT_EXPECT_NULL(test, b->data);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_in_use(b));
}

static void async_notify_test_latest_replace(struct kunit *test)
{
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_LATEST,
					       TEST_SIZE, test_rdwr);
	struct async_notify_reader r;
	char out[TEST_SIZE + 1];

	async_notify_reader_init(b, &r);
	test_write_str(test, b, "first frame");
	test_write_str(test, b, "second");
	KUNIT_EXPECT_EQ(test, b->frames, 2);
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1), 6);
	KUNIT_EXPECT_STREQ(test, out, "second");
}

static void async_notify_test_latest_truncate(struct kunit *test)
{
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_LATEST,
					       TEST_SIZE, test_rdwr);
	static const char long_msg[] = "0123456789abcdefOVERFLOW";
	struct async_notify_reader r;
	char out[sizeof(long_msg)];

	async_notify_reader_init(b, &r);
	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, long_msg,
						     strlen(long_msg)),
			TEST_SIZE);
	KUNIT_EXPECT_EQ(test, b->len, TEST_SIZE);
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1),
			TEST_SIZE);
	KUNIT_EXPECT_STREQ(test, out, "0123456789abcdef");
	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, long_msg, 0), 0);
	KUNIT_EXPECT_EQ(test, b->len, TEST_SIZE);
	KUNIT_EXPECT_EQ(test, b->frames, 1);
}

static void async_notify_test_latest_sequence(struct kunit *test)
{
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_LATEST,
					       TEST_SIZE, test_rdwr);
	struct async_notify_reader r, late;
	char out[TEST_SIZE + 1];

	async_notify_reader_init(b, &r);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));

	test_write_str(test, b, "one");
	KUNIT_EXPECT_TRUE(test, async_notify_buf_readable(b, &r));
	test_read(b, &r, out, 1);
	KUNIT_EXPECT_STREQ(test, out, "o");
	KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 0);

	/* A file opened now can read the current frame at once. */
	async_notify_reader_init(b, &late);
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

static void async_notify_test_fifo_append_consume(struct kunit *test)
{
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_FIFO,
					       TEST_SIZE, test_rdwr);
	struct async_notify_reader r;
	char out[TEST_SIZE + 1];

	async_notify_reader_init(b, &r);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));
	test_write_str(test, b, "abc");
	test_write_str(test, b, "defgh");
	KUNIT_EXPECT_EQ(test, b->len, 8);
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
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_FIFO,
					       TEST_SIZE, test_rdwr);
	struct async_notify_reader r;
	char out[TEST_SIZE + 1];

	async_notify_reader_init(b, &r);
	test_write_str(test, b, "0123456789ab");
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, 10), 10);
	test_write_str(test, b, "cdefghijkl");
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1), 12);
	KUNIT_EXPECT_STREQ(test, out, "abcdefghijkl");
}

static void async_notify_test_fifo_partial_write(struct kunit *test)
{
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_FIFO,
					       TEST_SIZE, test_rdwr);
	struct async_notify_reader r;
	char out[TEST_SIZE + 1];

	async_notify_reader_init(b, &r);
	test_write_str(test, b, "0123456789");
	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, "ABCDEFGHIJ", 10), 6);
	KUNIT_EXPECT_EQ(test, async_notify_buf_room(b), 0);
	KUNIT_EXPECT_EQ(test, async_notify_buf_write(b, "Z", 1), 0);
	KUNIT_EXPECT_EQ(test, b->frames, 2);
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1),
			TEST_SIZE);
	KUNIT_EXPECT_STREQ(test, out, "0123456789ABCDEF");
}

/* Source frames are stored whole or dropped and counted, never cut. */
static void async_notify_test_fifo_overrun(struct kunit *test)
{
	struct async_notify_buf *b = test_open(test, ASYNC_NOTIFY_MODE_FIFO,
					       TEST_SIZE, test_rd);
	struct async_notify_reader r, late;
	char out[TEST_SIZE + 1];

	async_notify_reader_init(b, &r);
	KUNIT_EXPECT_TRUE(test, async_notify_buf_push(b, "frame-1\n", 8));
	KUNIT_EXPECT_TRUE(test, async_notify_buf_push(b, "frame-2\n", 8));
	KUNIT_EXPECT_FALSE(test, async_notify_buf_push(b, "frame-3\n", 8));
	KUNIT_EXPECT_EQ(test, b->overruns, 1);
	KUNIT_EXPECT_EQ(test, b->frames, 2);
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 1);
	/* A file opened now has missed nothing yet. */
	async_notify_reader_init(b, &late);
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &late), 0);

	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, 4), 4);
	KUNIT_EXPECT_FALSE(test, async_notify_buf_push(b, "frame-4\n", 8));
	KUNIT_EXPECT_EQ(test, b->overruns, 2);
	KUNIT_EXPECT_EQ(test, test_read(b, &r, out, sizeof(out) - 1), 12);
	KUNIT_EXPECT_STREQ(test, out, "e-1\nframe-2\n");
	KUNIT_EXPECT_TRUE(test, async_notify_buf_push(b, "frame-5\n", 8));
	KUNIT_EXPECT_EQ(test, async_notify_buf_missed(b, &r), 2);
}

static void async_notify_test_clear(struct kunit *test)
{
	static const u32 modes[] = { ASYNC_NOTIFY_MODE_LATEST,
				     ASYNC_NOTIFY_MODE_FIFO };
	struct async_notify_buf *b;
	struct async_notify_reader r;
	int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		b = test_buf(test, modes[i], TEST_SIZE);
		KUNIT_ASSERT_EQ(test, async_notify_buf_get(b, test_rdwr,
							   GFP_KERNEL), 0);
		async_notify_reader_init(b, &r);
		test_write_str(test, b, "abcdef");
		KUNIT_EXPECT_TRUE(test, async_notify_buf_readable(b, &r));
		async_notify_buf_clear(b);
		KUNIT_EXPECT_EQ(test, b->len, 0);
		KUNIT_EXPECT_FALSE(test, async_notify_buf_readable(b, &r));
		KUNIT_EXPECT_EQ(test, async_notify_buf_room(b), TEST_SIZE);
		KUNIT_EXPECT_NOT_NULL(test, b->data);
		KUNIT_EXPECT_TRUE(test, async_notify_buf_put(b, test_rdwr));
	}
}

static struct kunit_case async_notify_test_cases[] = {
	KUNIT_CASE(async_notify_test_counts),
	KUNIT_CASE(async_notify_test_no_access),
	KUNIT_CASE(async_notify_test_close_orders),
	KUNIT_CASE(async_notify_test_alloc_failure),
	KUNIT_CASE(async_notify_test_latest_replace),
	KUNIT_CASE(async_notify_test_latest_truncate),
	KUNIT_CASE(async_notify_test_latest_sequence),
	KUNIT_CASE(async_notify_test_fifo_append_consume),
	KUNIT_CASE(async_notify_test_fifo_wrap),
	KUNIT_CASE(async_notify_test_fifo_partial_write),
	KUNIT_CASE(async_notify_test_fifo_overrun),
	KUNIT_CASE(async_notify_test_clear),
	{}
};

static struct kunit_suite async_notify_test_suite = {
	.name = "async_notify",
	.exit = test_buf_exit,
	.test_cases = async_notify_test_cases,
};

kunit_test_suite(async_notify_test_suite);
