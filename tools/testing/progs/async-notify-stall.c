// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-stall: a reader stalled in a page fault must hold up
 * nobody (Documentation/userspace-api/async-notify.rst, "Buffer modes").
 *
 * usage: async-notify-stall DEVICE OTHER
 *
 * A reader of DEVICE reads into a page registered with userfaultfd, so
 * its copy to userspace stalls until this program resolves the fault.
 * Meanwhile each of these must complete within LIMIT_MS: reading a sysfs
 * attribute of DEVICE, poll() on another file of DEVICE, a second open of
 * DEVICE, an open of the misc device OTHER (misc_open() holds the global
 * misc_mtx while it calls a driver's open), and a new frame reaching
 * another reader: the next tick of a timer source, an interrupt asked of
 * the host ("@@pulse 1@@") for an interrupt source, a write otherwise.
 * Prints "PASS: stall-<check>@<device>" or "FAIL: ..." for each.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>

#define LIMIT_MS	1000
/* An interrupt also waits for the host to pulse the line. */
#define PULSE_LIMIT_MS	3000

static const char *dev, *other, *devname;
static int reader2;	/* drained before the stall: reads only new frames */

struct check {
	const char *name;
	int (*fn)(void);	/* 0 when done right, else an errno */
	int limit_ms;
	pthread_t thread;
	int done;		/* under lock */
	int err;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed;	/* on CLOCK_MONOTONIC, set up in main() */

static void die(const char *what)
{
	printf("FAIL: stall@%s: %s: %s\n", devname, what, strerror(errno));
	exit(1);
}

static int check_sysfs(void)
{
	char path[256], buf[32];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/class/misc/%s/readers", devname);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 ? 0 : EIO;
}

static int check_poll(void)
{
	struct pollfd p = { .fd = reader2, .events = POLLIN };

	return poll(&p, 1, 0) < 0 ? errno : 0;
}

static int open_close(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int check_open(void)
{
	return open_close(dev);
}

static int check_open_other(void)
{
	return open_close(other);
}

static char *source_name(void)
{
	static char buf[16];
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/misc/%s/source", devname);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die("cannot read the source attribute");
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* A new frame reaches the second reader. */
static int check_deliver(void)
{
	const char *src = source_name();
	char buf[256];
	int fd;

	if (!strcmp(src, "irq")) {
		printf("@@pulse 1@@\n");
	} else if (strcmp(src, "timer")) {
		fd = open(dev, O_WRONLY | O_NONBLOCK);
		if (fd < 0)
			return errno;
		if (write(fd, "next\n", 5) != 5) {
			close(fd);
			return errno;
		}
		close(fd);
	}
	fcntl(reader2, F_SETFL, fcntl(reader2, F_GETFL) & ~O_NONBLOCK);
	return read(reader2, buf, sizeof(buf)) > 0 ? 0 : errno;
}

static struct check checks[] = {
	{ .name = "sysfs", .fn = check_sysfs, .limit_ms = LIMIT_MS },
	{ .name = "poll", .fn = check_poll, .limit_ms = LIMIT_MS },
	{ .name = "open", .fn = check_open, .limit_ms = LIMIT_MS },
	{ .name = "open-other-misc", .fn = check_open_other, .limit_ms = LIMIT_MS },
	{ .name = "deliver", .fn = check_deliver, .limit_ms = LIMIT_MS },
};

static void *run_check(void *arg)
{
	struct check *c = arg;
	int err = c->fn();

	pthread_mutex_lock(&lock);
	c->err = err;
	c->done = 1;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	return NULL;
}

struct stalled {
	int fd;
	char *page;
	long ret;
	int err;
};

static void *stalled_read(void *arg)
{
	struct stalled *s = arg;

	s->ret = read(s->fd, s->page, ASYNC_NOTIFY_FRAME_MAX);
	s->err = errno;
	return NULL;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Wait until check @c is done or its time is up; say which. */
static int wait_check(struct check *c, const struct timespec *t0)
{
	struct timespec deadline = *t0;
	int done;

	deadline.tv_sec += c->limit_ms / 1000;
	deadline.tv_nsec += (c->limit_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&lock);
	while (!c->done &&
	       pthread_cond_timedwait(&changed, &lock, &deadline) != ETIMEDOUT)
		;
	done = c->done;
	pthread_mutex_unlock(&lock);
	return done;
}

int main(int argc, char **argv)
{
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct stalled s = { 0 };
	struct uffdio_zeropage zero;
	struct uffd_msg msg;
	struct uffdio_api api = { .api = UFFD_API };
	struct async_notify_info info;
	struct pollfd pfd;
	pthread_condattr_t cattr;
	struct timespec t0;
	pthread_t reader;
	char drain[256];
	size_t page = getpagesize(), i;
	int uffd, wr, failed = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: async-notify-stall DEVICE OTHER\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = argv[1];
	other = argv[2];
	devname = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	pthread_cond_init(&changed, &cattr);

	/* A frame for the stalled reader, and a second reader past it. */
	s.fd = open(dev, O_RDONLY | O_NONBLOCK);
	reader2 = open(dev, O_RDONLY | O_NONBLOCK);
	wr = open(dev, O_WRONLY | O_NONBLOCK);
	if (s.fd < 0 || reader2 < 0 || wr < 0)
		die("open");
	if (ioctl(wr, ASYNC_NOTIFY_IOC_CLEAR) < 0 || write(wr, "stall\n", 6) != 6 ||
	    ioctl(wr, ASYNC_NOTIFY_IOC_INFO, &info) < 0)
		die("write the frame to stall on");
	close(wr);
	/* In a fifo both readers share the frame; otherwise each has it. */
	if (info.mode != ASYNC_NOTIFY_MODE_FIFO)
		while (read(reader2, drain, sizeof(drain)) > 0)
			;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) < 0)
		die("userfaultfd");
	s.page = mmap(NULL, page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s.page == MAP_FAILED)
		die("mmap");
	reg.range.start = (unsigned long)s.page;
	reg.range.len = page;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0)
		die("UFFDIO_REGISTER");

	/* The reader stalls in its copy to userspace: the fault is ours. */
	pthread_create(&reader, NULL, stalled_read, &s);
	pfd = (struct pollfd){ .fd = uffd, .events = POLLIN };
	if (poll(&pfd, 1, 5000) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT) {
		errno = ETIMEDOUT;
		die("the reader did not fault on the registered page");
	}

	for (i = 0; i < sizeof(checks) / sizeof(*checks); i++) {
		if (!strcmp(checks[i].name, "deliver") && !strcmp(source_name(), "irq"))
			checks[i].limit_ms = PULSE_LIMIT_MS;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pthread_create(&checks[i].thread, NULL, run_check, &checks[i]);
		if (!wait_check(&checks[i], &t0)) {
			printf("FAIL: stall-%s@%s: not done within %d ms of a reader's stall\n",
			       checks[i].name, devname, checks[i].limit_ms);
			failed = 1;
		} else if (checks[i].err) {
			printf("FAIL: stall-%s@%s: %s\n", checks[i].name, devname,
			       strerror(checks[i].err));
			failed = 1;
		} else {
			printf("PASS: stall-%s@%s (%ld ms)\n", checks[i].name,
			       devname, ms_since(&t0));
		}
	}

	/* Resolve the fault: whatever waited behind the reader goes on. */
	zero.range.start = (unsigned long)s.page;
	zero.range.len = page;
	zero.mode = 0;
	if (ioctl(uffd, UFFDIO_ZEROPAGE, &zero) < 0)
		die("UFFDIO_ZEROPAGE");
	pthread_join(reader, NULL);
	for (i = 0; i < sizeof(checks) / sizeof(*checks); i++)
		pthread_join(checks[i].thread, NULL);
	/*
	 * The reader gets a frame, "stall\n" unless a timer replaced it; in
	 * a fifo the other reader may have taken it, and the stalled read
	 * then finds the fifo empty.
	 */
	if (s.ret > 0) {
		printf("PASS: stall-reader-gets-its-frame@%s\n", devname);
	} else if (s.ret < 0 && s.err == EAGAIN &&
		   info.mode == ASYNC_NOTIFY_MODE_FIFO) {
		printf("PASS: stall-reader-gets-its-frame@%s (taken by the other reader)\n",
		       devname);
	} else {
		printf("FAIL: stall-reader-gets-its-frame@%s: read returned %ld (%s)\n",
		       devname, s.ret, s.ret < 0 ? strerror(s.err) : "data");
		failed = 1;
	}
	return failed;
}
