// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-faults: open, read, write and probe under injected
 * allocation failures (Documentation/fault-injection/fault-injection.rst,
 * "Systematic faults using fail-nth"). For N = 1, 2, ... the N-th
 * allocation of one system call fails, until the call makes fewer than
 * N. Some allocations may fail without failing the call (kmemleak's
 * own falls back to a pool, kvmalloc() to vmalloc()). Each call that
 * fails must fail with ENOMEM and change nothing:
 *
 * - open, in every access mode, of a closed device and of one already
 *   open: readers, writers and allocated as they were, and the bytes
 *   another file had queued still there;
 * - read and write (devices without a source, whose state only we
 *   change): the bytes queued, frames and writes as they were, and a
 *   read consumed nothing; a read of one frame allocates nothing at
 *   all (the driver's bounce buffer on the stack), so only a read of a
 *   larger buffer is swept;
 * - bind (--probe PDEV): the device stays unbound, with no /dev node,
 *   and binds once no allocation fails.
 *
 * Needs a kernel with CONFIG_FAULT_INJECTION and CONFIG_FAILSLAB, and
 * failslab's ignore-gfp-wait set to N (GFP_KERNEL allocations may fail)
 * and verbose to 0 (no stack dump per failure).
 *
 * usage: async-notify-faults [--probe PDEV] DEV...
 * Prints "PASS: faults-<call>@<dev>" or "FAIL: ..." for each check.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/async_notify.h>

#define MAX_NTH		1000	/* no call here makes this many allocations */
#define DRIVER		"/sys/bus/platform/drivers/async-notify"
#define PAYLOAD		"seq=1 ts=2\n"
/* ASYNC_NOTIFY_READ_ONSTACK in drivers/async_notify_fops.c */
#define READ_ONSTACK	256

static int nth_fd;
static char why[1024];

static void note(const char *fmt, ...)
{
	size_t len = strlen(why);
	va_list ap;

	if (len)
		len += snprintf(why + len, sizeof(why) - len, "; ");
	if (len >= sizeof(why) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(why + len, sizeof(why) - len, fmt, ap);
	va_end(ap);
}

static void result(const char *name, const char *dev)
{
	if (why[0])
		printf("FAIL: faults-%s@%s: %s\n", name, dev, why);
	else
		printf("PASS: faults-%s@%s\n", name, dev);
	why[0] = 0;
}

/* Make the @n-th allocation of this thread fail; 0 disarms. */
static void fail_nth(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len) {
		printf("FAIL: faults-setup: cannot write /proc/thread-self/fail-nth: %s\n",
		       strerror(errno));
		exit(1);
	}
}

/* Whether the failure asked for was injected, then disarm. */
static int injected(void)
{
	char buf[16] = "";
	int ret;

	ret = pread(nth_fd, buf, sizeof(buf) - 1, 0) > 0 && atoi(buf) == 0;
	fail_nth(0);
	return ret;
}

static int attr_str(const char *dev, const char *name, char *buf, size_t len)
{
	char path[512];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/class/misc/%s/%s", dev, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static long attr(const char *dev, const char *name)
{
	char buf[32];

	return attr_str(dev, name, buf, sizeof(buf)) ? -1 : atol(buf);
}

/* A device with a source: frames and bytes queued change by themselves. */
static int sourced;

/* What an injected failure must not change. */
struct state {
	long readers, writers, allocated, frames, writes;
	long queued;	/* as the holding file sees it, or -1 */
};

static void get_state(const char *dev, int holder, struct state *s)
{
	struct async_notify_info info;

	s->readers = attr(dev, "readers");
	s->writers = attr(dev, "writers");
	s->allocated = attr(dev, "allocated");
	s->frames = attr(dev, "frames");
	s->writes = attr(dev, "writes");
	s->queued = -1;
	if (sourced) {
		s->frames = -1;
		s->writes = -1;
	} else if (holder >= 0 &&
		   !ioctl(holder, ASYNC_NOTIFY_IOC_INFO, &info)) {
		s->queued = info.queued;
	}
}

/* Kept on one line, like every message, so that grep finds it. */
#define CHANGED_FMT "%s changed readers/writers/allocated/queued/frames/writes from %ld/%ld/%ld/%ld/%ld/%ld to %ld/%ld/%ld/%ld/%ld/%ld"

/* Note any difference but in frames and writes, unless @frames too. */
static void same_state(const char *what, const struct state *a,
		       const struct state *b, int frames)
{
	if (a->readers != b->readers || a->writers != b->writers ||
	    a->allocated != b->allocated || a->queued != b->queued ||
	    (frames && (a->frames != b->frames || a->writes != b->writes)))
		note(CHANGED_FMT, what, a->readers, a->writers, a->allocated,
		     a->queued, a->frames, a->writes, b->readers, b->writers,
		     b->allocated, b->queued, b->frames, b->writes);
}

/*
 * A @call on @fd of @dev failed with @e while allocation @n failed: it
 * must fail with ENOMEM and change nothing, frames and writes included.
 */
static void check_failed(const char *call, const char *dev, int fd, int n,
			 int e, const struct state *before)
{
	struct state after;
	char what[32];

	if (e != ENOMEM)
		note("%s with allocation %d failing: %s, not ENOMEM", call, n,
		     strerror(e));
	get_state(dev, fd, &after);
	snprintf(what, sizeof(what), "a failed %s", call);
	same_state(what, before, &after, 1);
}

static const char *const acc_names[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "3" };

/*
 * Open @dev with @acc under a failure at each allocation in turn; with
 * @holder >= 0 another file holds it open with bytes queued.
 */
static void sweep_open(const char *dev, int acc, int holder)
{
	struct state before, after;
	char path[300];
	int n, fd, e, failed = 0;

	snprintf(path, sizeof(path), "/dev/%s", dev);
	for (n = 1; n < MAX_NTH; n++) {
		get_state(dev, holder, &before);
		fail_nth(n);
		fd = open(path, acc | O_NONBLOCK);
		e = errno;
		if (!injected()) {
			if (fd < 0)
				note("open %s failed with no failure injected: %s",
				     acc_names[acc], strerror(e));
			else
				close(fd);
			break;
		}
		if (fd >= 0) {	/* the allocation was optional */
			close(fd);
			continue;
		}
		failed++;
		if (e != ENOMEM)
			note("open %s with allocation %d failing: %s, not ENOMEM",
			     acc_names[acc], n, strerror(e));
		get_state(dev, holder, &after);
		same_state("a failed open", &before, &after, 0);
	}
	printf("faults: open(%s, %s)%s: %d allocations, %d failed opens\n",
	       path, acc_names[acc], holder >= 0 ? " while open" : "", n - 1,
	       failed);
	if (!failed)
		note("no injected failure made open %s fail", acc_names[acc]);
}

/*
 * Read with a failure at each allocation in turn, on @fd, a file of @dev
 * open for reading and writing. A frame is read through the driver's
 * bounce buffer on the stack: reading one allocates nothing. Only a read
 * of more than READ_ONSTACK bytes allocates, and must fail cleanly.
 */
static void sweep_read(const char *dev, int fd, const char *path)
{
	struct async_notify_info info;
	char frame[sizeof(PAYLOAD)];
	struct state before;
	int n, e, failed;
	char *data, *buf;
	size_t len;
	ssize_t ret;

	/* One frame: no allocation to fail. */
	ioctl(fd, ASYNC_NOTIFY_IOC_CLEAR);
	if (write(fd, PAYLOAD, strlen(PAYLOAD)) != (ssize_t)strlen(PAYLOAD))
		note("cannot write a frame: %s", strerror(errno));
	fail_nth(1);
	ret = read(fd, frame, sizeof(frame));
	if (injected())
		note("a read of one frame allocated");
	if (ret != (ssize_t)strlen(PAYLOAD) ||
	    memcmp(frame, PAYLOAD, strlen(PAYLOAD)))
		note("a read of one frame returned %zd, not the frame", ret);
	result("read-frame", dev);

	if (ioctl(fd, ASYNC_NOTIFY_IOC_INFO, &info)) {
		note("ASYNC_NOTIFY_IOC_INFO: %s", strerror(errno));
		result("read", dev);
		return;
	}
	len = info.buffer_size;
	if (len <= READ_ONSTACK) {
		printf("faults: read(%s): no read allocates: %zu bytes fit on the stack\n",
		       path, len);
		return;
	}

	/* A full buffer to read: a failed read must leave it there. */
	data = malloc(len);
	buf = malloc(len);
	if (!data || !buf) {
		note("out of memory");
		goto out;
	}
	for (n = 0; n < (int)len; n++)
		data[n] = 'a' + n % 26;
	ioctl(fd, ASYNC_NOTIFY_IOC_CLEAR);
	if (write(fd, data, len) != (ssize_t)len)
		note("cannot write %zu bytes: %s", len, strerror(errno));
	for (n = 1, failed = 0; n < MAX_NTH; n++) {
		get_state(dev, fd, &before);
		fail_nth(n);
		ret = read(fd, buf, len);
		e = errno;
		if (!injected())
			break;
		if (ret >= 0) {	/* the allocation was optional */
			if (ret != (ssize_t)len || memcmp(buf, data, len))
				note("read with allocation %d failing returned %zd of %zu bytes",
				     n, ret, len);
			if (write(fd, data, len) != (ssize_t)len)
				note("cannot write %zu bytes: %s", len,
				     strerror(errno));
			continue;
		}
		failed++;
		check_failed("read", dev, fd, n, e, &before);
	}
	if (ret != (ssize_t)len || memcmp(buf, data, len))
		note("the read without failure returned %zd, not the %zu bytes",
		     ret, len);
	printf("faults: read(%s) of %zu bytes: %d allocations, %d failed reads, then the bytes\n",
	       path, len, n - 1, failed);
	if (!failed)
		note("no injected failure made a read of %zu bytes fail", len);
out:
	free(data);
	free(buf);
	result("read", dev);
}

/* Write and read with a failure at each allocation in turn. */
static void sweep_rw(const char *dev)
{
	struct state before;
	int n, fd, e, failed;
	char path[300];
	ssize_t ret;

	snprintf(path, sizeof(path), "/dev/%s", dev);
	fd = open(path, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		note("cannot open %s: %s", path, strerror(errno));
		return;
	}
	ioctl(fd, ASYNC_NOTIFY_IOC_CLEAR);

	for (n = 1, failed = 0; n < MAX_NTH; n++) {
		get_state(dev, fd, &before);
		fail_nth(n);
		ret = write(fd, PAYLOAD, strlen(PAYLOAD));
		e = errno;
		if (!injected())
			break;
		if (ret >= 0) {
			ioctl(fd, ASYNC_NOTIFY_IOC_CLEAR);
			continue;
		}
		failed++;
		check_failed("write", dev, fd, n, e, &before);
	}
	printf("faults: write(%s): %d allocations, %d failed writes\n", path,
	       n - 1, failed);
	if (!failed)
		note("no injected failure made write fail");
	result("write", dev);

	sweep_read(dev, fd, path);
	close(fd);
}

static int sysfs_write(const char *file, const char *val)
{
	int fd = open(file, O_WRONLY), ret = 0;

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		ret = -errno;
	if (fd >= 0)
		close(fd);
	return ret;
}

static int bound(const char *pdev)
{
	char path[512];

	snprintf(path, sizeof(path), DRIVER "/%s", pdev);
	return access(path, F_OK) == 0;
}

/* The misc device name of a bound @pdev. */
static int misc_name(const char *pdev, char *name, size_t len)
{
	char path[512];
	struct dirent *e;
	DIR *dir;

	name[0] = 0;
	snprintf(path, sizeof(path), DRIVER "/%s/misc", pdev);
	dir = opendir(path);
	while (dir && (e = readdir(dir)))
		if (e->d_name[0] != '.')
			snprintf(name, len, "%s", e->d_name);
	if (dir)
		closedir(dir);
	return name[0] ? 0 : -1;
}

/* Bind @pdev with a failure at each allocation of the bind in turn. */
static void sweep_probe(const char *pdev)
{
	char name[256], dev[300];
	int n, fd, e, failed = 0, ret;

	if (misc_name(pdev, name, sizeof(name))) {
		note("%s is not bound to async-notify", pdev);
		result("probe", pdev);
		return;
	}
	snprintf(dev, sizeof(dev), "/dev/%.255s", name);
	for (n = 1; n < MAX_NTH; n++) {
		if (bound(pdev) && sysfs_write(DRIVER "/unbind", pdev)) {
			note("cannot unbind %s", pdev);
			break;
		}
		fd = open(DRIVER "/bind", O_WRONLY);
		if (fd < 0) {
			note("cannot open " DRIVER "/bind: %s", strerror(errno));
			break;
		}
		fail_nth(n);
		ret = write(fd, pdev, strlen(pdev));
		e = errno;
		if (!injected()) {
			close(fd);
			if (ret < 0)
				note("bind failed with no failure injected: %s",
				     strerror(e));
			break;
		}
		close(fd);
		if (ret >= 0)	/* the allocation was optional */
			continue;
		failed++;
		if (e != ENOMEM)
			note("bind with allocation %d failing: %s, not ENOMEM",
			     n, strerror(e));
		if (bound(pdev))
			note("%s is bound after a failed bind (allocation %d)",
			     pdev, n);
		if (access(dev, F_OK) == 0)
			note("%s exists after a failed bind (allocation %d)",
			     dev, n);
	}
	printf("faults: bind(%s): %d allocations, %d failed binds, then bound\n",
	       pdev, n - 1, failed);
	if (!failed)
		note("no injected failure made the bind fail");
	result("probe", pdev);

	/* Bound without failures, the device works. */
	fd = open(dev, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		note("cannot open %s after the sweep: %s", dev, strerror(errno));
	} else {
		if (write(fd, PAYLOAD, strlen(PAYLOAD)) < 0)
			note("cannot write %s after the sweep: %s", dev,
			     strerror(errno));
		close(fd);
	}
	result("rebind", pdev);
}

int main(int argc, char **argv)
{
	const char *pdev = NULL;
	int i, acc, holder;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "--probe")) {
		pdev = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 && !pdev) {
		fprintf(stderr, "usage: %s [--probe PDEV] DEV...\n", argv[0]);
		return 2;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0) {
		fprintf(stdout,
			"FAIL: faults-setup: /proc/thread-self/fail-nth: %s: this kernel needs CONFIG_FAULT_INJECTION\n",
			strerror(errno));
		return 1;
	}

	for (i = 1; i < argc; i++) {
		const char *dev = argv[i];
		char path[300], source[16] = "";

		attr_str(dev, "source", source, sizeof(source));
		sourced = strcmp(source, "none") != 0;
		for (acc = 0; acc < 4; acc++)
			sweep_open(dev, acc, -1);
		result("open", dev);

		/* Again, while another file holds it with bytes queued. */
		snprintf(path, sizeof(path), "/dev/%s", dev);
		holder = open(path, O_RDWR | O_NONBLOCK);
		if (holder < 0) {
			note("cannot open %s: %s", path, strerror(errno));
		} else {
			if (write(holder, PAYLOAD, strlen(PAYLOAD)) < 0)
				note("cannot write a frame: %s", strerror(errno));
			for (acc = 0; acc < 4; acc++)
				sweep_open(dev, acc, holder);
			close(holder);
		}
		result("open-while-open", dev);

		/* Only we change a device without a source. */
		if (!sourced)
			sweep_rw(dev);
	}
	if (pdev)
		sweep_probe(pdev);
	return 0;
}
