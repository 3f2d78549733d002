// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-abi: check the documented ABI of an async-notify device
 * (Documentation/userspace-api/async-notify.rst), one promise at a time.
 *
 * usage: async-notify-abi TEST DEVICE
 * "text" and "binary" check the frame format ("Frames"): INFO reports it,
 * a text device's source frame is a line of ASYNC_NOTIFY_FRAME_FMT, and
 * each read of one struct async_notify_record from a binary device
 * returns all of it, with seq strictly increasing and ts_ns a
 * CLOCK_MONOTONIC time just past (DEVICE needs a source and no other
 * reader).
 * "sigio" checks what a subscriber of a timer DEVICE in fifo mode gets
 * ("Asynchronous notification"): one signal per batch of frames, each
 * with si_code POLL_IN, si_band POLLIN | POLLRDNORM and si_fd, and as
 * many signals as the notifications attribute counts rounds; a batch is
 * made by keeping every CPU busy above the kernel's workers for HOG_MS
 * (DEVICE needs no other reader and a period well under HOG_MS).
 * Prints one line, "PASS: abi-<test>@<device>" or "FAIL: abi-<test>@<device>:
 * <reason>", after a line "  failed: <check>" for each check that failed,
 * and exits 1 on failure.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>
#include <linux/userfaultfd.h>

#define WAIT_MS		300		/* a call still running then is blocked */
/*
 * How old a record may be when read: frames wait for the reader at most
 * one period of the guest's timer source, but QEMU's TCG emulation can
 * stall the guest for a good part of a second. A clock or a unit other
 * than CLOCK_MONOTONIC's nanoseconds is off by far more.
 */
#define MAX_AGE_NS	2000000000ULL
#define RECORDS		20	/* a binary test reads this many */

/* A page no access is allowed to: the kernel must answer EFAULT. */
static char *bad_ptr;

static const char *test, *devname;
static char first_failure[256];
static int failures;

static void check(int ok, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (ok)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("  failed: %s\n", why);
	if (!failures++)
		snprintf(first_failure, sizeof(first_failure), "%s", why);
}

static int open_dev(const char *dev, int flags)
{
	int fd = open(dev, flags);

	if (fd < 0) {
		printf("FAIL: abi-%s@%s: open %s: %s\n", test, devname, dev,
		       strerror(errno));
		exit(1);
	}
	return fd;
}

static struct async_notify_info info(int fd)
{
	struct async_notify_info i;

	memset(&i, 0xff, sizeof(i));
	if (ioctl(fd, ASYNC_NOTIFY_IOC_INFO, &i) < 0)
		check(0, "ASYNC_NOTIFY_IOC_INFO: %s", strerror(errno));
	return i;
}

/* Result of a call: its value, or -errno. */
static long result(long ret)
{
	return ret < 0 ? -errno : ret;
}

static short revents(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

static void clear(int fd)
{
	if (ioctl(fd, ASYNC_NOTIFY_IOC_CLEAR) < 0)
		check(0, "ASYNC_NOTIFY_IOC_CLEAR: %s", strerror(errno));
}

/* read() and write() of zero bytes return 0 and store nothing. */
static void test_zero_length(const char *dev)
{
	int fd = open_dev(dev, O_RDWR | O_NONBLOCK);
	unsigned long long frames = info(fd).frames;
	char c;

	check(result(read(fd, &c, 0)) == 0, "read of 0 bytes returns 0");
	check(result(write(fd, &c, 0)) == 0, "write of 0 bytes returns 0");
	check(info(fd).frames == frames, "no frame stored by them");
	close(fd);
}

/* A bad pointer fails with EFAULT and leaves the buffer as it was. */
static void test_efault(const char *dev)
{
	int fd = open_dev(dev, O_RDWR | O_NONBLOCK);
	struct async_notify_info before;
	char buf[16] = "";
	long ret;

	clear(fd);
	write(fd, "good", 4);
	before = info(fd);
	ret = result(write(fd, bad_ptr, 8));
	check(ret == -EFAULT, "write from a bad pointer: %ld (want %d)", ret, -EFAULT);
	check(info(fd).frames == before.frames && info(fd).queued == before.queued,
	      "the failed write stored nothing");
	ret = result(read(fd, bad_ptr, sizeof(buf)));
	check(ret == -EFAULT, "read to a bad pointer: %ld (want %d)", ret, -EFAULT);
	ret = result(read(fd, buf, sizeof(buf)));
	check(ret == 4 && !memcmp(buf, "good", 4),
	      "the failed read consumed nothing: then read %ld bytes \"%.*s\"",
	      ret, ret > 0 ? (int)ret : 0, buf);
	close(fd);
}

/* A sysfs attribute of the device, as a number. */
static unsigned long long sysfs_u64(const char *dev, const char *attr)
{
	char path[256];
	unsigned long long v = ~0ULL;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/misc/%s/%s",
		 strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev, attr);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = ~0ULL;
		fclose(f);
	}
	return v;
}

/* Unknown ioctls fail with ENOTTY; INFO and CLEAR do what they say. */
static void test_ioctl(const char *dev)
{
	int rw = open_dev(dev, O_RDWR | O_NONBLOCK);
	int ro = open_dev(dev, O_RDONLY | O_NONBLOCK);
	struct async_notify_info i;
	long ret;
	char c;

	ret = result(ioctl(rw, _IO(ASYNC_NOTIFY_IOC_MAGIC, 0x7f)));
	check(ret == -ENOTTY, "unknown ioctl: %ld (want %d)", ret, -ENOTTY);
	ret = result(ioctl(rw, ASYNC_NOTIFY_IOC_INFO, bad_ptr));
	check(ret == -EFAULT, "INFO to a bad pointer: %ld (want %d)", ret, -EFAULT);

	write(rw, "abc", 3);
	i = info(ro);
	check(i.readers >= 2 && i.writers >= 1 && i.queued >= 3 &&
	      i.buffer_size >= ASYNC_NOTIFY_FRAME_MAX &&
	      i.format == ASYNC_NOTIFY_FORMAT_TEXT &&
	      i.mode <= ASYNC_NOTIFY_MODE_QUEUE,
	      "INFO of a text device: readers=%u writers=%u queued=%u size=%u mode=%u format=%u",
	      i.readers, i.writers, i.queued, i.buffer_size, i.mode, i.format);

	ret = result(ioctl(ro, ASYNC_NOTIFY_IOC_CLEAR));
	check(ret == -EBADF, "CLEAR on a read-only file: %ld (want %d)", ret, -EBADF);
	ret = result(ioctl(rw, ASYNC_NOTIFY_IOC_CLEAR));
	check(ret == 0 && info(rw).queued == 0, "CLEAR empties the buffer");
	ret = result(read(ro, &c, 1));
	check(ret == -EAGAIN, "nothing to read after CLEAR: %ld (want %d)", ret, -EAGAIN);
	close(ro);
	close(rw);
}

/* Latest mode: a write longer than the buffer is truncated to it. */
static void test_oversize(const char *dev)
{
	int fd = open_dev(dev, O_RDWR | O_NONBLOCK);
	size_t size = info(fd).buffer_size;
	char *msg = malloc(size + 100), *out = malloc(size + 100);
	long ret;
	size_t i;

	for (i = 0; i < size + 100; i++)
		msg[i] = 'a' + i % 26;
	ret = result(write(fd, msg, size + 100));
	check(ret == (long)size, "write of %zu bytes took %ld (want %zu)",
	      size + 100, ret, size);
	ret = result(read(fd, out, size + 100));
	check(ret == (long)size && !memcmp(out, msg, size),
	      "read back %ld bytes, the first %zu of the message", ret, size);
	free(msg);
	free(out);
	close(fd);
}

/* The newest child's pipe: it writes a byte just before its call. */
static int ready_pipe[2] = { -1, -1 };

/* Child: the call that may block comes next. */
static void ready(void)
{
	if (write(ready_pipe[1], "r", 1) != 1)
		_exit(3);
}

/*
 * Start a child that runs @fn(fd) and reports by its exit status. The
 * child shares the open file (in latest mode, what it has read); @fn
 * makes it blocking, so the parent must not rely on O_NONBLOCK after.
 * Only the child holds the write end of its pipe: if it dies before it
 * calls ready(), the parent reads end of file instead of waiting.
 */
static pid_t child(int (*fn)(int), int fd)
{
	pid_t pid;

	if (pipe(ready_pipe) < 0)
		return -1;
	pid = fork();
	if (!pid) {
		close(ready_pipe[0]);
		_exit(fn(fd));
	}
	close(ready_pipe[1]);
	return pid;
}

/* The newest child reached its call (1), or ended before it (0). */
static int started(void)
{
	char c;
	int n = read(ready_pipe[0], &c, 1);

	close(ready_pipe[0]);
	return n == 1;
}

/* Wait for a child: its status if it exited within @ms, else -1. */
static int reap(pid_t pid, int ms)
{
	int status, i;

	for (i = 0; i < ms / 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* The scheduler state of @pid ('S': sleeping, interruptibly), or 0. */
static char state(pid_t pid)
{
	char path[64], buf[256], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * The newest child reached its call, went to sleep in it, and is still
 * asleep WAIT_MS later.
 */
static int blocked(pid_t pid)
{
	int i;

	if (!started())
		return 0;
	for (i = 0; i < WAIT_MS / 10 && state(pid) != 'S'; i++)
		usleep(10000);
	usleep(WAIT_MS * 1000);
	return state(pid) == 'S' && waitpid(pid, &i, WNOHANG) == 0;
}

/* Child: a blocking read must return "late". */
static int read_late(int fd)
{
	char buf[16];
	long n;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	ready();
	n = read(fd, buf, sizeof(buf));
	return n == 4 && !memcmp(buf, "late", 4) ? 0 : 1;
}

/* Latest mode: per-file sequence, O_NONBLOCK, poll and blocking reads. */
static void test_latest(const char *dev)
{
	int wr = open_dev(dev, O_WRONLY);
	int fd = open_dev(dev, O_RDONLY | O_NONBLOCK);
	char buf[64];
	long ret;
	pid_t pid;
	int st;

	ret = result(read(fd, buf, sizeof(buf)));
	while (ret > 0)		/* a frame from before we opened is fine */
		ret = result(read(fd, buf, sizeof(buf)));
	check(ret == -EAGAIN, "O_NONBLOCK read with no new frame: %ld (want %d)",
	      ret, -EAGAIN);
	/* poll reports only what the file can do: a reader never POLLOUT. */
	check(revents(fd) == 0, "poll of a reader without a new frame: %#x (want 0)",
	      revents(fd));

	{
		struct pollfd p = { .fd = wr, .events = POLLRDNORM | POLLWRNORM };

		check(poll(&p, 1, 0) == 1 && p.revents == POLLWRNORM,
		      "poll of a writer for POLLRDNORM|POLLWRNORM: %#x (want POLLWRNORM)",
		      p.revents);
	}
	write(wr, "one", 3);
	check(revents(fd) == POLLIN,
	      "poll of a reader with a new frame: %#x (want POLLIN)", revents(fd));
	check(revents(wr) == POLLOUT,
	      "poll of a writer with a new frame: %#x (want POLLOUT)", revents(wr));
	ret = result(read(fd, buf, sizeof(buf)));
	check(ret == 3 && !memcmp(buf, "one", 3), "read returns the frame: %ld", ret);
	ret = result(read(fd, buf, sizeof(buf)));
	check(ret == -EAGAIN, "the same frame is not read twice: %ld", ret);

	write(wr, "two", 3);
	write(wr, "three", 5);
	ret = result(read(fd, buf, sizeof(buf)));
	check(ret == 5 && !memcmp(buf, "three", 5), "read returns the newest frame");
	check(info(fd).missed == 1, "the replaced frame counts as missed: %llu",
	      (unsigned long long)info(fd).missed);

	pid = child(read_late, fd);
	check(blocked(pid), "a blocking read without a new frame blocks");
	write(wr, "late", 4);
	st = reap(pid, 5000);
	check(st == 0, "the blocked read returns the next frame (child status %d)", st);
	close(fd);
	close(wr);
}

/* A read of one open file, stalled in its copy to a userfaultfd page. */
struct stalled_read {
	int fd;
	char *page;
	long ret;
};

static void *stalled_read(void *arg)
{
	struct stalled_read *s = arg;

	s->ret = result(read(s->fd, s->page, 16));
	return NULL;
}

/*
 * Latest mode: two reads of one open file do not both return a frame.
 * A read stalls in its copy to userspace, on a page registered with
 * userfaultfd, while a second read of the same file takes the frame.
 * Once the page is there, the first read finds the frame read and, the
 * file being O_NONBLOCK, fails with EAGAIN (DEVICE needs no source).
 */
static void test_latest_shared(const char *dev)
{
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_api api = { .api = UFFD_API };
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_zeropage zero = { };
	struct stalled_read s = { };
	struct pollfd pfd;
	struct uffd_msg msg;
	pthread_t reader;
	char buf[16];
	int uffd, wr;
	long ret;

	wr = open_dev(dev, O_WRONLY);
	s.fd = open_dev(dev, O_RDONLY | O_NONBLOCK);
	while (read(s.fd, buf, sizeof(buf)) > 0)	/* a frame from before */
		;
	uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) < 0) {
		check(0, "userfaultfd: %s", strerror(errno));
		goto out;
	}
	s.page = mmap(NULL, page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (unsigned long)s.page;
	reg.range.len = page;
	if (s.page == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) {
		check(0, "a userfaultfd page: %s", strerror(errno));
		goto out;
	}

	check(write(wr, "one", 3) == 3, "write of a frame: %s", strerror(errno));
	pthread_create(&reader, NULL, stalled_read, &s);
	pfd = (struct pollfd){ .fd = uffd, .events = POLLIN };
	if (poll(&pfd, 1, 5000) != 1 ||
	    read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT) {
		pthread_join(reader, NULL);
		check(0, "the first read did not stall in its copy (it returned %ld)",
		      s.ret);
		goto out;
	}
	ret = result(read(s.fd, buf, sizeof(buf)));
	check(ret == 3 && !memcmp(buf, "one", 3),
	      "a second read, while the first is in its copy, gets the frame: %ld",
	      ret);

	zero.range.start = (unsigned long)s.page;
	zero.range.len = page;
	if (ioctl(uffd, UFFDIO_ZEROPAGE, &zero) < 0)
		check(0, "UFFDIO_ZEROPAGE: %s", strerror(errno));
	pthread_join(reader, NULL);
	check(s.ret == -EAGAIN,
	      "the stalled read returns %ld once its copy ends (want %d: the file read that frame)",
	      s.ret, -EAGAIN);
out:
	if (uffd >= 0)
		close(uffd);
	close(s.fd);
	close(wr);
}

/* Child: a blocking write to a full fifo must wait, then take bytes. */
static int write_late(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	ready();
	return write(fd, "late", 4) > 0 ? 0 : 1;
}

/* Child: poll() of a full fifo must wait, then report POLLOUT. */
static int poll_late(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	ready();
	return poll(&p, 1, -1) == 1 && (p.revents & POLLOUT) ? 0 : 1;
}

/* The objects slab cache @name holds (num_objs in /proc/slabinfo), or -1. */
static long slab_objects(const char *name)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	long active, total, n = -1;
	char line[512], cache[64];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld %ld", cache, &active, &total) == 3 &&
		    !strcmp(cache, name))
			n = total;
	fclose(f);
	return n;
}

#define ACCOUNT_READERS	512	/* the queues the test makes the kernel allocate */

/*
 * Queue mode: a reader's queue is memory that userspace makes the kernel
 * allocate, so it is charged to the opener's memory cgroup. Charged
 * (__GFP_ACCOUNT) small allocations come from the kmalloc-cg-<size>
 * caches: ACCOUNT_READERS more readers of DEVICE, whose buffer_size must
 * be a kmalloc size, make that cache grow by about as many objects.
 */
static void test_account(const char *dev)
{
	int fd[ACCOUNT_READERS], n;
	long before, after;
	char cache[32];

	fd[0] = open_dev(dev, O_RDONLY);
	snprintf(cache, sizeof(cache), "kmalloc-cg-%u", info(fd[0]).buffer_size);
	before = slab_objects(cache);
	check(before >= 0, "no cache %s in /proc/slabinfo", cache);
	for (n = 1; before >= 0 && n < ACCOUNT_READERS; n++) {
		fd[n] = open(dev, O_RDONLY);
		if (fd[n] < 0) {
			check(0, "open of reader %d: %s", n, strerror(errno));
			break;
		}
	}
	after = slab_objects(cache);
	check(before < 0 || after - before >= (n - 1) / 2,
	      "%d more readers' queues added %ld objects to %s (want at least %d: charged to the opener)",
	      n - 1, after - before, cache, (n - 1) / 2);
	while (n--)
		close(fd[n]);
}

/* Fifo mode: append, consume, partial writes, blocking both ways. */
static void test_fifo(const char *dev)
{
	int fd = open_dev(dev, O_RDWR | O_NONBLOCK);
	size_t size = info(fd).buffer_size;
	char *big = calloc(1, size + 10), buf[16];
	long ret;
	pid_t pid;
	int st, ro, wo;

	clear(fd);
	ret = result(read(fd, buf, sizeof(buf)));
	check(ret == -EAGAIN, "O_NONBLOCK read of an empty fifo: %ld (want %d)",
	      ret, -EAGAIN);
	check(revents(fd) == POLLOUT, "poll of an empty fifo: %#x (want POLLOUT)",
	      revents(fd));

	write(fd, "abc", 3);
	write(fd, "def", 3);
	check(revents(fd) == (POLLIN | POLLOUT), "poll with bytes queued: %#x",
	      revents(fd));
	ret = result(read(fd, buf, 4));
	check(ret == 4 && !memcmp(buf, "abcd", 4), "writes append, reads consume");
	ret = result(read(fd, buf, sizeof(buf)));
	check(ret == 2 && !memcmp(buf, "ef", 2), "the rest follows in order");

	write(fd, "xyz", 3);
	ret = result(write(fd, big, size + 10));
	check(ret == (long)size - 3, "partial write takes the room left: %ld (want %zu)",
	      ret, size - 3);
	ret = result(write(fd, "!", 1));
	check(ret == -EAGAIN, "O_NONBLOCK write to a full fifo: %ld (want %d)",
	      ret, -EAGAIN);
	check(revents(fd) == POLLIN, "poll of a full fifo: %#x (want POLLIN)",
	      revents(fd));

	pid = child(write_late, fd);
	check(blocked(pid), "a blocking write to a full fifo blocks");
	read(fd, buf, 8);
	st = reap(pid, 5000);
	check(st == 0, "the blocked write completes once there is room (status %d)", st);

	write(fd, big, size);
	pid = child(poll_late, fd);
	check(blocked(pid), "poll for POLLOUT of a full fifo blocks");
	read(fd, buf, 8);
	st = reap(pid, 5000);
	check(st == 0, "a read wakes poll for POLLOUT (status %d)", st);

	/*
	 * poll() reports only what the file can do: POLLIN to a file that
	 * can read, POLLOUT to one that can write; a write-only file waits
	 * for room like any writer.
	 */
	ro = open_dev(dev, O_RDONLY | O_NONBLOCK);
	wo = open_dev(dev, O_WRONLY | O_NONBLOCK);
	write(fd, "abc", 3);
	check(revents(ro) == POLLIN,
	      "poll of a read-only file with bytes queued: %#x (want POLLIN)",
	      revents(ro));
	check(revents(wo) == POLLOUT,
	      "poll of a write-only file with bytes queued: %#x (want POLLOUT)",
	      revents(wo));
	write(fd, big, size);
	pid = child(poll_late, wo);
	check(blocked(pid), "poll for POLLOUT of a full fifo, write-only, blocks");
	read(fd, buf, 8);
	st = reap(pid, 5000);
	check(st == 0, "a read wakes a write-only poll for POLLOUT (status %d)", st);
	close(wo);
	close(ro);

	write(fd, big, size);
	pid = child(write_late, fd);
	check(blocked(pid), "a blocking write to a full fifo blocks (2)");
	clear(fd);
	st = reap(pid, 5000);
	check(st == 0, "CLEAR wakes the blocked writer (status %d)", st);

	clear(fd);
	pid = child(read_late, fd);
	check(blocked(pid), "a blocking read of an empty fifo blocks");
	write(fd, "late", 4);
	st = reap(pid, 5000);
	check(st == 0, "the blocked read returns the bytes written (status %d)", st);
	free(big);
	close(fd);
}

/* Child: a blocking read must fail with ENODEV when the device goes. */
static int read_gone(int fd)
{
	char buf[8];

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	ready();
	return read(fd, buf, sizeof(buf)) < 0 && errno == ENODEV ? 0 : 1;
}

/*
 * Child: block SIGIO, to take it with sigtimedwait() into @set, and have
 * @fd's signal be SIGIO with siginfo (F_SETSIG), which carries si_code
 * and si_band. Subscribing (O_ASYNC) is left to the caller.
 */
static int own_sigio(int fd, sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGIO);
	sigprocmask(SIG_BLOCK, set, NULL);
	return fcntl(fd, F_SETOWN, getpid()) < 0 || fcntl(fd, F_SETSIG, SIGIO) < 0 ?
	       -1 : 0;
}

/* Child: subscribe, and wait for SIGIO with POLL_HUP and its band. */
static int wait_hup(int fd)
{
	struct timespec timeout = { .tv_sec = 30 };
	sigset_t set;
	siginfo_t si;

	if (own_sigio(fd, &set) < 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC) < 0)
		return 2;
	ready();
	if (sigtimedwait(&set, &si, &timeout) < 0)
		return 3;
	return si.si_code == POLL_HUP && si.si_band == (POLLHUP | POLLERR) &&
	       si.si_fd == fd ? 0 : 1;
}

/* Write @what to the driver's sysfs file @file (bind or unbind). */
static int driver_ctl(const char *file, const char *what)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/async-notify/%s", file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ok = write(fd, what, strlen(what)) == (ssize_t)strlen(what);
	close(fd);
	return ok ? 0 : -errno;
}

/* The platform device behind /dev/<name>. */
static int platform_name(const char *dev, char *name, size_t size)
{
	char link[256], target[256];
	const char *base = strrchr(dev, '/');
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/class/misc/%s/device", base ? base + 1 : dev);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(name, size, "%s", base ? base + 1 : target);
	return 0;
}

static int wait_for_node(const char *dev, int present)
{
	int i;

	for (i = 0; i < 200; i++) {
		if ((access(dev, F_OK) == 0) == present)
			return 1;
		usleep(10000);
	}
	return 0;
}

/*
 * Unbind with a reader blocked, a subscriber registered and a file open:
 * everything fails cleanly, as "Unbinding" in the ABI document lists,
 * nothing crashes; then bind again.
 */
static void test_unbind(const char *dev)
{
	int fd = open_dev(dev, O_RDWR | O_NONBLOCK);
	int rd = open_dev(dev, O_RDONLY);
	int sub = open_dev(dev, O_RDONLY);
	pid_t reader, subscriber;
	char name[256], c;
	long ret;
	int st;

	if (platform_name(dev, name, sizeof(name)) < 0) {
		check(0, "no platform device behind %s", dev);
		return;
	}
	clear(fd);
	subscriber = child(wait_hup, sub);
	if (!started())
		check(0, "the subscriber ended before it subscribed (status %d)",
		      reap(subscriber, 1000));
	reader = child(read_gone, rd);
	check(blocked(reader), "the reader blocks before the unbind");

	ret = driver_ctl("unbind", name);
	check(ret == 0, "unbind %s: %ld", name, ret);
	check(wait_for_node(dev, 0), "%s disappears", dev);

	st = reap(reader, 5000);
	check(st == 0, "the blocked reader wakes with ENODEV (status %d)", st);
	st = reap(subscriber, 5000);
	check(st == 0, "the subscriber gets SIGIO: POLL_HUP, POLLHUP|POLLERR (status %d)", st);
	check(revents(fd) == (POLLHUP | POLLERR), "poll after unbind: %#x (want POLLHUP|POLLERR)",
	      revents(fd));
	ret = result(read(fd, &c, 1));
	check(ret == -ENODEV, "read after unbind: %ld (want %d)", ret, -ENODEV);
	ret = result(write(fd, "x", 1));
	check(ret == -ENODEV, "write after unbind: %ld (want %d)", ret, -ENODEV);
	ret = result(ioctl(fd, ASYNC_NOTIFY_IOC_INFO, &(struct async_notify_info){}));
	check(ret == -ENODEV, "INFO after unbind: %ld (want %d)", ret, -ENODEV);
	ret = result(ioctl(fd, ASYNC_NOTIFY_IOC_CLEAR));
	check(ret == -ENODEV, "CLEAR after unbind: %ld (want %d)", ret, -ENODEV);
	ret = result(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC));
	check(ret == -ENODEV, "subscribing after unbind: %ld (want %d)", ret, -ENODEV);
	ret = result(ioctl(fd, FIOASYNC, &(int){ 1 }));
	check(ret == -ENODEV, "FIOASYNC on after unbind: %ld (want %d)", ret, -ENODEV);
	/* What is decided before the device matters answers as before. */
	ret = result(ioctl(rd, ASYNC_NOTIFY_IOC_CLEAR));
	check(ret == -EBADF, "CLEAR of a reader after unbind: %ld (want %d)", ret, -EBADF);
	ret = result(read(fd, &c, 0));
	check(ret == 0, "read of 0 bytes after unbind: %ld (want 0)", ret);
	ret = result(write(fd, &c, 0));
	check(ret == 0, "write of 0 bytes after unbind: %ld (want 0)", ret);
	ret = result(ioctl(fd, _IO(ASYNC_NOTIFY_IOC_MAGIC, 0x7f)));
	check(ret == -ENOTTY, "unknown ioctl after unbind: %ld (want %d)", ret, -ENOTTY);
	ret = result(fcntl(sub, F_SETFL, fcntl(sub, F_GETFL) | O_ASYNC));
	check(ret == 0 && (fcntl(sub, F_GETFL) & O_ASYNC),
	      "F_SETFL with O_ASYNC on a file subscribed before the unbind: %ld (want 0, still subscribed)",
	      ret);
	ret = result(fcntl(sub, F_SETFL, fcntl(sub, F_GETFL) & ~O_ASYNC));
	check(ret == 0, "unsubscribing after unbind: %ld (want 0)", ret);
	close(fd);
	close(rd);
	close(sub);

	ret = driver_ctl("bind", name);
	check(ret == 0, "bind %s again: %ld", name, ret);
	check(wait_for_node(dev, 1), "%s comes back", dev);
	fd = open(dev, O_RDWR | O_NONBLOCK);
	check(fd >= 0 && info(fd).frames == 0 && write(fd, "new", 3) == 3,
	      "the new device works and starts afresh");
	close(fd);
}

#define RACE_ROUNDS	100
#define RACE_SPREAD_US	4000	/* about as long as an unbind takes */

/*
 * Child: subscribe at a random moment around the unbind. Refused
 * (ENODEV) is right; so is a subscription that then gets POLL_HUP. A
 * subscription that succeeds but never hears of the unbind is the race.
 */
static int subscribe_racing(int fd)
{
	struct timespec timeout = { .tv_sec = 2 };
	sigset_t set;
	siginfo_t si;

	if (own_sigio(fd, &set) < 0)
		return 2;
	srand(getpid());
	ready();
	usleep(rand() % RACE_SPREAD_US);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC) < 0)
		return errno == ENODEV ? 0 : 3;
	return sigtimedwait(&set, &si, &timeout) == SIGIO &&
	       si.si_code == POLL_HUP ? 0 : 1;
}

/*
 * Subscribing races unbind: every subscriber is either refused or told
 * of the unbind. The race window is narrow: this tries it many times.
 */
static void test_unbind_subscribe(const char *dev)
{
	int round, fd, st, hangs = 0, other = 0;
	char name[256];
	pid_t pid;

	if (platform_name(dev, name, sizeof(name)) < 0) {
		check(0, "no platform device behind %s", dev);
		return;
	}
	for (round = 0; round < RACE_ROUNDS; round++) {
		fd = open_dev(dev, O_RDONLY);
		pid = child(subscribe_racing, fd);
		if (!started()) {
			check(0, "round %d: the subscriber did not start (status %d)",
			      round, reap(pid, 1000));
			close(fd);
			break;
		}
		usleep(rand() % (RACE_SPREAD_US / 2));
		check(driver_ctl("unbind", name) == 0, "round %d: unbind", round);
		st = reap(pid, 5000);
		hangs += st == 1;
		other += st != 0 && st != 1;
		close(fd);
		check(driver_ctl("bind", name) == 0 && wait_for_node(dev, 1),
		      "round %d: bind again", round);
	}
	check(!hangs, "%d of %d subscribers got no POLL_HUP although subscribing worked",
	      hangs, RACE_ROUNDS);
	check(!other, "%d subscribers failed otherwise", other);
}

/* Read what @fd has now (O_NONBLOCK): the bytes as a string, or "". */
static const char *take(int fd)
{
	static char buf[512];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/*
 * Queue mode: every reader gets every frame in its own queue; one whose
 * queue is full misses the frame, alone, and counts it; writes never
 * block; a file opened later starts empty.
 */
static void test_queue(const char *dev)
{
	int wr = open_dev(dev, O_WRONLY);
	int r1 = open_dev(dev, O_RDONLY | O_NONBLOCK);
	int r2 = open_dev(dev, O_RDONLY | O_NONBLOCK);
	unsigned long long overruns = sysfs_u64(dev, "overruns");
	struct async_notify_info i1, i2;
	size_t size = info(r1).buffer_size;
	char *fill = malloc(size);
	int late;
	long ret;

	check(info(r1).mode == ASYNC_NOTIFY_MODE_QUEUE, "INFO mode %u (want queue)",
	      info(r1).mode);
	write(wr, "one\n", 4);
	check(revents(r1) == POLLIN && revents(r2) == POLLIN,
	      "both readers poll readable, and only that: %#x %#x (want POLLIN)",
	      revents(r1), revents(r2));
	check(revents(wr) == POLLOUT, "the writer polls writable only: %#x (want POLLOUT)",
	      revents(wr));
	check(info(r2).queued == 4, "INFO queued counts the file's own queue: %u",
	      info(r2).queued);
	check(!strcmp(take(r1), "one\n"), "the first reader gets the frame");
	check(!strcmp(take(r2), "one\n"), "the second reader gets it too");
	ret = result(read(r1, fill, 1));
	check(ret == -EAGAIN, "an empty queue: %ld (want %d)", ret, -EAGAIN);

	/* Fill r2's queue; r1 reads its copy: the next frame is r2's loss. */
	memset(fill, 'x', size);
	ret = result(write(wr, fill, size));
	check(ret == (long)size, "a write of the whole size: %ld", ret);
	check(read(r1, fill, size) == (long)size, "the first reader drains it");
	ret = result(write(wr, "two\n", 4));
	check(ret == 4, "a write while a queue is full does not block: %ld", ret);
	check(!strcmp(take(r1), "two\n"), "the reader with room gets it");
	i1 = info(r1);
	i2 = info(r2);
	check(i1.missed == 0 && i2.missed == 1, "missed %llu and %llu (want 0 and 1)",
	      (unsigned long long)i1.missed, (unsigned long long)i2.missed);
	check(sysfs_u64(dev, "overruns") == overruns + 1,
	      "sysfs overruns grew by %llu (want 1)", sysfs_u64(dev, "overruns") - overruns);
	check(read(r2, fill, size) == (long)size && result(read(r2, fill, 1)) == -EAGAIN,
	      "the full reader gets what it had, then nothing");

	late = open_dev(dev, O_RDONLY | O_NONBLOCK);
	write(wr, "three\n", 6);
	check(!strcmp(take(late), "three\n"), "a file opened later gets only what came after");
	free(fill);
	close(late);
	close(r2);
	close(r1);
	close(wr);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* INFO's format is @want. */
static void check_format(int fd, unsigned int want)
{
	struct async_notify_info i;

	memset(&i, 0xff, sizeof(i));
	if (ioctl(fd, ASYNC_NOTIFY_IOC_INFO, &i) < 0)
		check(0, "ASYNC_NOTIFY_IOC_INFO: %s", strerror(errno));
	else
		check(i.format == want, "INFO format %u (want %u)", i.format,
		      want);
}

/* One source frame of a text device is one ASYNC_NOTIFY_FRAME_FMT line. */
static void test_text(const char *dev)
{
	int fd = open(dev, O_RDONLY);
	char frame[ASYNC_NOTIFY_FRAME_MAX + 1];
	unsigned long long seq, ts;
	ssize_t n;

	if (fd < 0) {
		check(0, "open %s: %s", dev, strerror(errno));
		return;
	}
	check_format(fd, ASYNC_NOTIFY_FORMAT_TEXT);
	n = read(fd, frame, ASYNC_NOTIFY_FRAME_MAX);
	if (n < 0) {
		check(0, "read: %s", strerror(errno));
	} else {
		frame[n] = '\0';
		check(sscanf(frame, ASYNC_NOTIFY_FRAME_FMT, &seq, &ts) == 2 &&
		      n > 0 && frame[n - 1] == '\n',
		      "frame \"%s\" is no text frame", frame);
	}
	close(fd);
}

/* Each read of a record's size takes one record, whole. */
static void test_binary(const char *dev)
{
	struct async_notify_record rec, last = { 0, 0 };
	int fd = open(dev, O_RDONLY);
	unsigned long long now;
	ssize_t n;
	int i;

	if (fd < 0) {
		check(0, "open %s: %s", dev, strerror(errno));
		return;
	}
	check_format(fd, ASYNC_NOTIFY_FORMAT_BINARY);
	for (i = 0; i < RECORDS && !failures; i++) {
		n = read(fd, &rec, sizeof(rec));
		now = now_ns();
		if (n < 0) {
			check(0, "read %d: %s", i, strerror(errno));
			break;
		}
		check(n == sizeof(rec), "read %d returned %zd bytes (want %zu)",
		      i, n, sizeof(rec));
		check(rec.seq > last.seq, "read %d: seq %llu after %llu", i,
		      (unsigned long long)rec.seq,
		      (unsigned long long)last.seq);
		check(rec.ts_ns > last.ts_ns && rec.ts_ns <= now &&
		      now - rec.ts_ns < MAX_AGE_NS,
		      "read %d: ts_ns %llu, after %llu, CLOCK_MONOTONIC now %llu: not within %llu ns before now",
		      i, (unsigned long long)rec.ts_ns,
		      (unsigned long long)last.ts_ns, now, MAX_AGE_NS);
		last = rec;
	}
	printf("%d records, the last seq=%llu ts_ns=%llu\n", i,
	       (unsigned long long)last.seq, (unsigned long long)last.ts_ns);
	close(fd);
}

/*
 * How long every CPU is kept busy above the kernel's workers: the timer
 * goes on queueing events (up to 32) that no work item makes into frames
 * meanwhile, so they make one batch when it ends.
 */
#define HOG_MS		300
/* Frames a batch must have over its signals: a third of the stall's. */
#define BATCH_MIN	10
/* The signals taken after the stall's first, each within FOLLOW_MS. */
#define FOLLOW_MAX	5
#define FOLLOW_MS	100

/* Child: keep CPU @cpu busy for HOG_MS at a real-time priority. */
static int hog(int cpu)
{
	struct sched_param sp = { .sched_priority = 1 };
	unsigned long long end;
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(cpu, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus) < 0 ||
	    sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
		return 2;
	end = now_ns() + HOG_MS * 1000000ULL;
	while (now_ns() < end)
		;
	return 0;
}

/* Keep every CPU busy for HOG_MS; 0 if each child could. */
static int stall_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN), i;
	pid_t pids[64];
	int st, bad = 0;

	if (n < 1 || n > 64)
		return -1;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (!pids[i])
			_exit(hog(i));
	}
	for (i = 0; i < n; i++) {
		if (pids[i] < 0 || waitpid(pids[i], &st, 0) != pids[i] ||
		    !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	return bad;
}

/* Read @fd (O_NONBLOCK) until EAGAIN; the frames read. */
static int drain_frames(int fd, int binary)
{
	char buf[4096];
	int frames = 0;
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (binary) {
			frames += n / sizeof(struct async_notify_record);
			continue;
		}
		for (i = 0; i < n; i++)
			frames += buf[i] == '\n';
	}
	return frames;
}

/* The signal of a source batch: SIGRTMIN (F_SETSIG), POLL_IN, its band. */
static void check_siginfo(const siginfo_t *si, int fd)
{
	check(si->si_signo == SIGRTMIN && si->si_code == POLL_IN &&
	      si->si_band == (POLLIN | POLLRDNORM) && si->si_fd == fd,
	      "a signal %d (want %d) with si_code %d (want POLL_IN %d), si_band %#lx (want POLLIN|POLLRDNORM %#x), si_fd %d (want %d)",
	      si->si_signo, SIGRTMIN, si->si_code, POLL_IN,
	      (long)si->si_band, POLLIN | POLLRDNORM, si->si_fd, fd);
}

/* Take the signals pending now; how many. */
static int take_signals(const sigset_t *set, int fd)
{
	struct timespec zero = { 0 };
	siginfo_t si;
	int n = 0;

	while (sigtimedwait(set, &si, &zero) > 0) {
		check_siginfo(&si, fd);
		n++;
	}
	return n;
}

/*
 * A subscriber with a real-time signal, which queues: the events of a
 * stall of every CPU make one batch of frames and one signal (two, if
 * the stall began during a delivery), and every signal is one round of
 * the notifications attribute.
 */
static void test_sigio(const char *dev)
{
	int fd = open_dev(dev, O_RDONLY | O_NONBLOCK);
	struct timespec wait = { .tv_sec = 5 };
	struct timespec follow = { .tv_nsec = FOLLOW_MS * 1000000L };
	unsigned long long n0, n1;
	int binary, frames, signals, batch, st, i;
	sigset_t set;
	siginfo_t si;

	binary = info(fd).format == ASYNC_NOTIFY_FORMAT_BINARY;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGIO);	/* sent instead if SIGRTMIN cannot queue */
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* Rounds count only while someone subscribes: from here, us alone. */
	n0 = sysfs_u64(dev, "notifications");
	if (fcntl(fd, F_SETOWN, getpid()) < 0 || fcntl(fd, F_SETSIG, SIGRTMIN) < 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC) < 0) {
		check(0, "subscribing: %s", strerror(errno));
		close(fd);
		return;
	}
	frames = drain_frames(fd, binary);
	signals = take_signals(&set, fd);

	st = stall_cpus();
	check(st == 0, "%d CPUs could not be kept busy (SCHED_FIFO)", st);
	if (sigtimedwait(&set, &si, &wait) < 0) {
		check(0, "no signal within 5 s of the stall: %s", strerror(errno));
	} else {
		check_siginfo(&si, fd);
		/*
		 * Read the batch, and take the signals of the batches that
		 * follow within a few signals: the hogs can preempt a
		 * delivery in flight when the stall begins, which splits the
		 * stall's events in two batches (seen on 6.12-rt: 2 frames,
		 * then 28). A batch of one frame, as the timer makes after
		 * the stall, adds as many frames as signals.
		 */
		batch = drain_frames(fd, binary);
		st = take_signals(&set, fd);
		for (i = 0; i < FOLLOW_MAX && sigtimedwait(&set, &si, &follow) > 0; i++) {
			check_siginfo(&si, fd);
			batch += drain_frames(fd, binary);
			st += 1 + take_signals(&set, fd);
		}
		printf("after a %d ms stall: %d frames, %d signals\n", HOG_MS,
		       batch, 1 + st);
		check(batch - (1 + st) >= BATCH_MIN,
		      "%d frames came with %d signals after the stall: want one signal for a batch of more than %d",
		      batch, 1 + st, BATCH_MIN);
		frames += batch;
		signals += 1 + st;
	}

	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_ASYNC) < 0)
		check(0, "unsubscribing: %s", strerror(errno));
	n1 = sysfs_u64(dev, "notifications");
	frames += drain_frames(fd, binary);
	signals += take_signals(&set, fd);
	printf("%d frames, %d signals, %llu rounds of notifications\n", frames,
	       signals, n1 - n0);
	check(signals == (int)(n1 - n0),
	      "%d signals for %llu rounds of notifications: want one each",
	      signals, n1 - n0);
	close(fd);
}

static const struct {
	const char *name;
	void (*fn)(const char *dev);
} tests[] = {
	{ "zero-length", test_zero_length },
	{ "efault", test_efault },
	{ "ioctl", test_ioctl },
	{ "oversize", test_oversize },
	{ "latest", test_latest },
	{ "latest-shared", test_latest_shared },
	{ "fifo", test_fifo },
	{ "queue", test_queue },
	{ "account", test_account },
	{ "unbind", test_unbind },
	{ "unbind-subscribe", test_unbind_subscribe },
	{ "text", test_text },
	{ "binary", test_binary },
	{ "sigio", test_sigio },
};

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	bad_ptr = mmap(NULL, getpagesize(), PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (bad_ptr == MAP_FAILED) {
		perror("async-notify-abi: mmap");
		return 1;
	}
	if (argc == 3) {
		devname = strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2];
		for (i = 0; i < sizeof(tests) / sizeof(*tests); i++) {
			if (!strcmp(argv[1], tests[i].name)) {
				test = tests[i].name;
				tests[i].fn(argv[2]);
				if (failures)
					printf("FAIL: abi-%s@%s: %s\n", test, devname,
					       first_failure);
				else
					printf("PASS: abi-%s@%s\n", test, devname);
				return failures ? 1 : 0;
			}
		}
	}
	fprintf(stderr, "usage: async-notify-abi TEST DEVICE\ntests:");
	for (i = 0; i < sizeof(tests) / sizeof(*tests); i++)
		fprintf(stderr, " %s", tests[i].name);
	fputc('\n', stderr);
	return 2;
}
