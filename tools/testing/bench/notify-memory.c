// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify-memory: the slab memory an async-notify device holds while
 * bound and closed, and what one open file adds, to the byte, for make
 * bench's memory test; beside the driver's own accounting (sysfs
 * allocated and buffer_size).
 *
 * /proc/slabinfo cannot say it: SLUB counts every object of a CPU's
 * active slab as in use, so its totals move by whole slabs (4 KiB to
 * 32 KiB), and shrinking the caches to settle them allocates again. So
 * the kmem trace events (kmalloc, kmem_cache_alloc and their frees) are
 * traced, in a tracefs instance of our own, while the devices are bound
 * or the file is opened and closed: what was allocated in that window
 * and not freed by its end is what the operation holds. Frees that wait
 * for an RCU grace period are let through (membarrier) before the end.
 * Every file of ours that the window uses (tracing_on, trace_marker, the
 * bind and allocated attributes) is opened before it and closed after:
 * their opens would be counted otherwise, and kernfs frees what it keeps
 * per open attribute with kfree_rcu(), later than a grace period.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

#define TRACEFS		"/sys/kernel/tracing"
#define INSTANCE	TRACEFS "/instances/notify-memory"
#define MISC_SYSFS	"/sys/class/misc"
/* Per CPU: room for the events of a bind or an open many times over. */
#define TRACE_BUFFER_KB	"4096"
/* Grace periods to wait: the second lets the first one's callbacks run. */
#define GRACE_PERIODS	2
#define MAX_LIVE	65536
/* How the driver's own allocations name their call site. */
#define DRIVER_SITE	"[async_notify]"
#define MARK		"notify-memory: mark"

static const char usage[] =
"usage: notify-memory bind DRIVER DEVICE...\n"
"       notify-memory open DEVICE\n"
"bind: bind each platform DEVICE (unbound) to DRIVER\n"
"(/sys/bus/platform/drivers/NAME) and print the slab bytes that holds:\n"
"  memory-bound devices=N bytes=B driver=D\n"
"    B: all of it; D: of it, what the driver allocated itself\n"
"open: open an async-notify DEVICE (/dev/NAME) for reading, close it,\n"
"and print what that took and gave back:\n"
"  memory-open buffer_size=S bytes=B driver=D freed=F allocated=A0,A1,A2\n"
"    S: sysfs buffer_size; B: slab bytes the open holds (D of them the\n"
"    driver's own); F: those the close gave back; A0, A1, A2: sysfs\n"
"    allocated before the open, while open and after the close.\n"
"Needs tracefs at " TRACEFS " and the kmem trace events.\n"
"Exit status: 0 done, 1 error, 2 usage.\n";

static const char *const alloc_events[] = { "kmalloc", "kmem_cache_alloc" };
static const char *const free_events[] = { "kfree", "kmem_cache_free" };

#define N_ALLOC	(sizeof(alloc_events) / sizeof(*alloc_events))
#define N_FREE	(sizeof(free_events) / sizeof(*free_events))

/* An object allocated in the window and not yet freed. */
struct live {
	char ptr[24];
	long long bytes;
	int driver;		/* the driver's own allocation */
	int before_mark;
};

/* Our files that stay open across the window. */
struct window {
	int on;			/* the instance's tracing_on */
	int marker;		/* its trace_marker */
};

/* What a window of the trace left allocated. */
struct tally {
	struct live *live;
	size_t n;
	long long at_mark, driver_at_mark, freed_after_mark;
	int marked;
};

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return fail(path);
	n = write(fd, s, strlen(s));
	close(fd);
	if (n != (ssize_t)strlen(s))
		return fail(path);
	return 0;
}

static int set_event(const char *event, const char *on)
{
	char path[256];

	snprintf(path, sizeof(path), INSTANCE "/events/kmem/%s/enable", event);
	return write_file(path, on);
}

/* Write @s at offset 0 of the open attribute @fd. */
static int put(int fd, const char *s, const char *what)
{
	if (pwrite(fd, s, strlen(s), 0) != (ssize_t)strlen(s))
		return fail(what);
	return 0;
}

/* Our own instance, empty, with the kmem events on. */
static int trace_start(struct window *w)
{
	size_t i;

	if (mkdir(INSTANCE, 0755) && errno != EEXIST)
		return fail(INSTANCE);
	if (write_file(INSTANCE "/tracing_on", "0") ||
	    write_file(INSTANCE "/buffer_size_kb", TRACE_BUFFER_KB) ||
	    write_file(INSTANCE "/trace", ""))
		return -1;
	for (i = 0; i < N_ALLOC; i++)
		if (set_event(alloc_events[i], "1"))
			return -1;
	for (i = 0; i < N_FREE; i++)
		if (set_event(free_events[i], "1"))
			return -1;
	w->on = open(INSTANCE "/tracing_on", O_WRONLY);
	w->marker = open(INSTANCE "/trace_marker", O_WRONLY);
	if (w->on < 0 || w->marker < 0)
		return fail(INSTANCE);
	return put(w->on, "1", "tracing_on");
}

/* Let the frees that wait for an RCU grace period happen. */
static int settle_rcu(void)
{
	int i;

	for (i = 0; i < GRACE_PERIODS; i++)
		if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) < 0)
			return fail("membarrier");
	return 0;
}

/* The mark between the open and the close; trace_marker cannot seek. */
static int mark(const struct window *w)
{
	if (write(w->marker, MARK, strlen(MARK)) != (ssize_t)strlen(MARK))
		return fail("trace_marker");
	return 0;
}

static int trace_stop(struct window *w)
{
	int ret = settle_rcu() || put(w->on, "0", "tracing_on");

	close(w->on);
	close(w->marker);
	return ret;
}

static void trace_remove(void)
{
	if (rmdir(INSTANCE))
		fail(INSTANCE);
}

/* The value of "KEY=" in @line, up to the next blank, into @val. */
static int field(const char *line, const char *key, char *val, size_t size)
{
	const char *p = strstr(line, key);
	size_t len;

	if (!p)
		return -1;
	p += strlen(key);
	len = strcspn(p, "\n\t ");
	if (len >= size)
		return -1;
	memcpy(val, p, len);
	val[len] = '\0';
	return 0;
}

/* Is @line the event @name ("...: NAME: ...")? */
static int is_event(const char *line, const char *const *names, size_t n)
{
	char want[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), ": %s: ", names[i]);
		if (strstr(line, want))
			return 1;
	}
	return 0;
}

static long long live_bytes(const struct tally *t, int driver_only)
{
	long long sum = 0;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!driver_only || t->live[i].driver)
			sum += t->live[i].bytes;
	return sum;
}

static int on_alloc(struct tally *t, const char *line)
{
	char ptr[24], bytes[24], site[128];
	struct live *l;

	if (field(line, "ptr=", ptr, sizeof(ptr)) ||
	    field(line, "bytes_alloc=", bytes, sizeof(bytes)) ||
	    field(line, "call_site=", site, sizeof(site)))
		return 0;
	if (t->n == MAX_LIVE) {
		fputs("notify-memory: too many objects in the window\n", stderr);
		return -1;
	}
	l = &t->live[t->n++];
	snprintf(l->ptr, sizeof(l->ptr), "%s", ptr);
	l->bytes = atoll(bytes);
	l->driver = !!strstr(line, DRIVER_SITE);
	l->before_mark = !t->marked;
	return 0;
}

static void on_free(struct tally *t, const char *line)
{
	char ptr[24];
	size_t i;

	if (field(line, "ptr=", ptr, sizeof(ptr)))
		return;
	for (i = t->n; i-- > 0; ) {
		if (strcmp(t->live[i].ptr, ptr))
			continue;
		if (t->marked && t->live[i].before_mark)
			t->freed_after_mark += t->live[i].bytes;
		t->live[i] = t->live[--t->n];
		return;
	}
}

/* Replay the window's trace: what was allocated and not freed. */
static int tally(struct tally *t)
{
	FILE *f = fopen(INSTANCE "/trace", "r");
	char line[1024];
	int ret = 0;

	if (!f)
		return fail(INSTANCE "/trace");
	t->live = calloc(MAX_LIVE, sizeof(*t->live));
	if (!t->live) {
		fclose(f);
		return fail("calloc");
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		if (is_event(line, alloc_events, N_ALLOC)) {
			ret = on_alloc(t, line);
		} else if (is_event(line, free_events, N_FREE)) {
			on_free(t, line);
		} else if (strstr(line, MARK)) {
			t->marked = 1;
			t->at_mark = live_bytes(t, 0);
			t->driver_at_mark = live_bytes(t, 1);
		}
	}
	fclose(f);
	return ret;
}

static int open_attr(const char *name, const char *attr)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), MISC_SYSFS "/%.64s/%s", name, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail(path);
	return fd;
}

/* The number in the open attribute @fd, read again from its start. */
static int get(int fd, long long *val)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return fail("sysfs attribute");
	buf[n] = '\0';
	*val = atoll(buf);
	return 0;
}

/* Bind @devs to @driver in one window. */
static int bind_window(const char *driver, char **devs, int n)
{
	struct tally t = { 0 };
	struct window w;
	char path[512];
	int i, fd, ret;

	snprintf(path, sizeof(path), "%.500s/bind", driver);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return fail(path);
	ret = trace_start(&w);
	for (i = 0; !ret && i < n; i++)
		ret = put(fd, devs[i], path);
	ret = trace_stop(&w) || ret || tally(&t);
	close(fd);
	if (!ret)
		printf("memory-bound devices=%d bytes=%lld driver=%lld\n", n,
		       live_bytes(&t, 0), live_bytes(&t, 1));
	free(t.live);
	return ret;
}

/* Open and close @dev in one window, with the mark between. */
static int open_window(const char *dev)
{
	const char *name = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
	int size_fd = open_attr(name, "buffer_size");
	int alloc_fd = open_attr(name, "allocated");
	long long size, a[3];
	struct tally t = { 0 };
	struct window w;
	int fd, ret;

	ret = size_fd < 0 || alloc_fd < 0 || get(size_fd, &size) ||
	      get(alloc_fd, &a[0]) || trace_start(&w);
	fd = ret ? -1 : open(dev, O_RDONLY | O_NONBLOCK);
	if (!ret && fd < 0) {
		ret = fail(dev);
		trace_stop(&w);
	}
	if (!ret) {
		ret = settle_rcu() || mark(&w) ||
		      get(alloc_fd, &a[1]);
		close(fd);
		ret = trace_stop(&w) || ret || get(alloc_fd, &a[2]) ||
		      tally(&t);
	}
	if (size_fd >= 0)
		close(size_fd);
	if (alloc_fd >= 0)
		close(alloc_fd);
	if (!ret && !t.marked) {
		fputs("notify-memory: the mark is not in the trace\n", stderr);
		ret = -1;
	}
	if (!ret) {
		printf("memory-open buffer_size=%lld bytes=%lld driver=%lld ",
		       size, t.at_mark, t.driver_at_mark);
		printf("freed=%lld allocated=%lld,%lld,%lld\n",
		       t.freed_after_mark, a[0], a[1], a[2]);
	}
	free(t.live);
	return ret;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc == 2 && !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "bind")) {
		ret = bind_window(argv[2], argv + 3, argc - 3);
	} else if (argc == 3 && !strcmp(argv[1], "open")) {
		ret = open_window(argv[2]);
	} else {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	trace_remove();
	return ret ? EXIT_FAILURE : 0;
}
