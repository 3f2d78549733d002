// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-hostile: random syscalls with bad arguments on every
 * async-notify device, for a bounded time. Every error must be one that
 * Documentation/userspace-api/async-notify.rst ("Errors") lists for that
 * call, and the sysfs attributes' errors the ones
 * Documentation/ABI/testing/sysfs-driver-async-notify lists; the
 * readers and writers counts must match the files this program holds,
 * and be 0 (with allocated 0) once it has closed them all.
 *
 * usage: async-notify-hostile [--duration SECONDS] [--seed N]
 *
 * The seed is printed first: --seed replays the same sequence of calls
 * (the timer sources' frames still arrive when they will).
 *
 * Calls: open (every access mode, random flags), close, read and write
 * (random counts; pointers valid, NULL, unmapped, read-only, in the
 * kernel's half, or running into an unmapped page half way), poll,
 * fcntl (F_SETFL toggling O_ASYNC or with random flags, F_SETSIG with
 * any number, F_SETOWN, F_SETOWN_EX with bad pointers and garbage too),
 * lseek, mmap (valid and random arguments: the device has no mmap),
 * ioctl (random numbers and arguments, the two real ones with bad
 * pointers, and the VFS's FIONBIO and FIOASYNC with bad pointers), and
 * garbage written to every writable sysfs file of the devices. Blocking
 * calls are ended by a SIGALRM.
 * Prints "PASS: hostile-<check>" or "FAIL: ..." for each check.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>

#define MAX_DEVS	16
#define MAX_FILES	8	/* open at once */
#define MAX_ATTRS	8	/* writable sysfs files per device */
#define MAX_REPORTS	10	/* wrong errors printed in full */
#define VALID_LEN	(2 << 20)	/* the largest count we pass a valid buffer */
#define BLOCK_US	20000	/* a blocking call is interrupted after this */
#define CHECK_EVERY	64	/* calls between two checks of the counts */
#define DRIVERS		"/sys/bus/platform/drivers/async-notify"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct dev {
	char name[256];
	char mode[16];		/* latest, fifo or queue */
	char source[16];	/* irq, timer or none */
	int readers, writers;	/* files we hold */
	int nattrs;
	char attrs[MAX_ATTRS][256];
	char saved[MAX_ATTRS][64];	/* to restore afterwards */
};

struct file {
	int fd;			/* -1: free slot */
	struct dev *dev;
	int accmode;		/* O_RDONLY, O_WRONLY, O_RDWR or 3 */
};

static struct dev devs[MAX_DEVS];
static int ndevs;
static struct file files[MAX_FILES];
static uint64_t rng;
static long calls, wrong, count_errors, poll_errors, fio_calls;

/*
 * Allowed errors are bit masks of errno values (all below ERRNO_BITS: on
 * Linux, EOPNOTSUPP is 95), so one expression per call reads like the
 * documentation's list.
 */
#define ERRNO_BITS	128
#define E(e)	((__uint128_t)1 << (e))

static long errs[ERRNO_BITS];	/* errors seen, per errno */

/* xorshift64*: the same seed, the same calls. */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static unsigned int below(unsigned int n)
{
	return rnd() % n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *ename(int e)
{
	static const char *const names[] = {
		[EAGAIN] = "EAGAIN", [EBADF] = "EBADF", [EBUSY] = "EBUSY",
		[EFAULT] = "EFAULT", [EINTR] = "EINTR", [EINVAL] = "EINVAL",
		[ENODEV] = "ENODEV", [ENOMEM] = "ENOMEM", [ENOTTY] = "ENOTTY",
		[ESPIPE] = "ESPIPE", [ERANGE] = "ERANGE", [ESRCH] = "ESRCH",
		[EPERM] = "EPERM", [E2BIG] = "E2BIG", [ENXIO] = "ENXIO",
		[EACCES] = "EACCES", [EOVERFLOW] = "EOVERFLOW",
		[EOPNOTSUPP] = "EOPNOTSUPP",
	};

	if (e > 0 && e < (int)ARRAY_SIZE(names) && names[e])
		return names[e];
	return strerrorname_np(e) ? strerrorname_np(e) : "E?";
}

static void print_mask(__uint128_t allowed)
{
	int e;

	if (!allowed)
		printf(" none");
	for (e = 1; e < ERRNO_BITS; e++)
		if (allowed & E(e))
			printf(" %s", ename(e));
}

/*
 * Check the result of one call: ret < 0 with errno not in @allowed is a
 * failure, reported with @fmt (what was called, and how).
 */
static void check(long ret, __uint128_t allowed, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	calls++;
	if (ret >= 0)
		return;
	if (e > 0 && e < ERRNO_BITS)
		errs[e]++;
	if (e > 0 && e < ERRNO_BITS && (allowed & E(e)))
		return;
	if (wrong++ < MAX_REPORTS) {
		printf("hostile: wrong error: ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf(" = -1 %s; the documentation allows:", ename(e));
		print_mask(allowed);
		printf("\n");
	}
}

/* Pointers, good and bad. */
static char *valid;		/* VALID_LEN bytes, read-write */
static char *readonly;		/* one page, PROT_READ */
static char *unmapped;		/* a page that was unmapped */
static char *half;		/* the last page before an unmapped one */
static long page;

enum ptr_kind { PTR_VALID, PTR_NULL, PTR_UNMAPPED, PTR_READONLY, PTR_KERNEL,
		PTR_HALF, PTR_KINDS };
static const char *const ptr_names[] = {
	"valid", "NULL", "unmapped", "read-only", "kernel", "half-mapped",
};

static void *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("FAIL: hostile-setup: mmap: %s\n", strerror(errno));
		exit(1);
	}
	return p;
}

static void setup_pointers(void)
{
	page = sysconf(_SC_PAGESIZE);
	valid = map(VALID_LEN, PROT_READ | PROT_WRITE);
	memset(valid, 'v', VALID_LEN);
	readonly = map(page, PROT_READ);
	unmapped = map(page, PROT_READ);
	munmap(unmapped, page);
	half = map(2 * page, PROT_READ | PROT_WRITE);
	memset(half, 'h', page);
	munmap(half + page, page);
}

/*
 * A pointer of kind @k for a buffer of @count bytes. A half-mapped one
 * leaves fewer than @count bytes before the hole, so the copy faults
 * part of the way through.
 */
static void *pointer(enum ptr_kind k, size_t count)
{
	switch (k) {
	case PTR_VALID:
		return valid;
	case PTR_NULL:
		return NULL;
	case PTR_UNMAPPED:
		return unmapped;
	case PTR_READONLY:
		return readonly;
	case PTR_KERNEL:
		return (void *)(uintptr_t)0xffff800008000000ULL;
	default:
		if (count < 2)
			return half + page - 1;
		return half + page - 1 - below(count - 1 < (size_t)page ?
					       count - 1 : (size_t)page - 1);
	}
}

/* A count: 0, small, about a frame, about the buffer, large or huge. */
static size_t random_count(void)
{
	switch (below(8)) {
	case 0:
		return 0;
	case 1:
		return 1 + below(8);
	case 2:
		return ASYNC_NOTIFY_FRAME_MAX - 1 + below(3);
	case 3:
		return 255 + below(3);
	case 4:
		return below(page * 2);
	case 5:
		return 4095 + below(3);
	case 6:
		return below(VALID_LEN);
	default:
		return below(20000);
	}
}

static int sysfs_read(const char *dev, const char *attr, char *buf, size_t len)
{
	char path[1024];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/class/misc/%s/%s", dev, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static long sysfs_num(const char *dev, const char *attr)
{
	char buf[64];

	return sysfs_read(dev, attr, buf, sizeof(buf)) ? -1 : atol(buf);
}

static void find_attrs(struct dev *d)
{
	char path[1024];
	struct dirent *e;
	struct stat st;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/class/misc/%s", d->name);
	dir = opendir(path);
	while (dir && (e = readdir(dir)) && d->nattrs < MAX_ATTRS) {
		snprintf(path, sizeof(path), "/sys/class/misc/%s/%s",
			 d->name, e->d_name);
		if (lstat(path, &st) || !S_ISREG(st.st_mode) ||
		    !(st.st_mode & 0200))
			continue;
		snprintf(d->attrs[d->nattrs], sizeof(d->attrs[0]), "%s",
			 e->d_name);
		/* uevent reads back what no write takes: nothing to restore */
		d->saved[d->nattrs][0] = 0;
		if (strcmp(e->d_name, "uevent") &&
		    sysfs_read(d->name, e->d_name, d->saved[d->nattrs],
			       sizeof(d->saved[0])))
			d->saved[d->nattrs][0] = 0;	/* write-only */
		d->nattrs++;
	}
	if (dir)
		closedir(dir);
}

/* Every bound device: DRIVERS/<platform device>/misc/<name>. */
static void find_devices(void)
{
	struct dirent *p, *m;
	char path[1024];
	DIR *pd, *md;

	pd = opendir(DRIVERS);
	while (pd && (p = readdir(pd))) {
		snprintf(path, sizeof(path), DRIVERS "/%s/misc", p->d_name);
		md = opendir(path);
		while (md && (m = readdir(md)) && ndevs < MAX_DEVS) {
			struct dev *d = &devs[ndevs];

			if (m->d_name[0] == '.')
				continue;
			snprintf(d->name, sizeof(d->name), "%s", m->d_name);
			sysfs_read(d->name, "mode", d->mode, sizeof(d->mode));
			sysfs_read(d->name, "source", d->source,
				   sizeof(d->source));
			find_attrs(d);
			ndevs++;
		}
		if (md)
			closedir(md);
	}
	if (pd)
		closedir(pd);
}

static void on_signal(int sig)
{
	(void)sig;
}

/* A no-op handler, without SA_RESTART, for every signal we may get. */
static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int s;

	for (s = 1; s <= SIGRTMAX; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGSEGV &&
		    s != SIGBUS && s != SIGILL && s != SIGFPE)
			sigaction(s, &sa, NULL);
}

/* Interrupt the next blocking call after BLOCK_US, or disarm with 0. */
static void alarm_us(long us)
{
	struct itimerval it = { .it_value = { 0, us } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * A signal we can be sent: any but those a handler cannot catch, those
 * that mean a fault, and glibc's own two below SIGRTMIN; 0 is SIGIO.
 */
static int safe_signal(void)
{
	int s;

	do
		s = below(SIGRTMAX + 1);
	while (s == SIGKILL || s == SIGSTOP || s == SIGSEGV || s == SIGBUS ||
	       s == SIGILL || s == SIGFPE || (s > 31 && s < SIGRTMIN));
	return s;
}

static int fmode_read(const struct file *f)
{
	return f->accmode == O_RDONLY || f->accmode == O_RDWR;
}

static int fmode_write(const struct file *f)
{
	return f->accmode == O_WRONLY || f->accmode == O_RDWR;
}

static const char *const acc_names[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "3" };

static void do_open(struct file *f)
{
	static const int extra[] = { O_NONBLOCK, O_CLOEXEC, O_NOCTTY, O_APPEND,
				     O_SYNC, O_NOATIME, O_TRUNC, O_DSYNC };
	struct dev *d = &devs[below(ndevs)];
	int flags = below(4), i, fd;
	char path[300];

	for (i = 0; i < (int)ARRAY_SIZE(extra); i++)
		if (below(2))
			flags |= extra[i];
	snprintf(path, sizeof(path), "/dev/%s", d->name);
	if (!(flags & O_NONBLOCK))
		alarm_us(BLOCK_US);	/* open may wait for another open */
	fd = open(path, flags);
	alarm_us(0);
	/* "open()" in the errors table */
	check(fd, E(ENOMEM) | E(EINTR) | E(ENODEV),
	      "open(%s, %s|%#x)", path, acc_names[flags & 3], flags & ~3);
	if (fd < 0)
		return;
	f->fd = fd;
	f->dev = d;
	f->accmode = flags & 3;
	d->readers += fmode_read(f);
	d->writers += fmode_write(f);
}

static void do_close(struct file *f)
{
	check(close(f->fd), 0, "close(%s)", f->dev->name);
	f->dev->readers -= fmode_read(f);
	f->dev->writers -= fmode_write(f);
	f->fd = -1;
}

static int nonblocking(const struct file *f)
{
	return fcntl(f->fd, F_GETFL) & O_NONBLOCK;
}

static void do_read(struct file *f)
{
	enum ptr_kind k = below(3) ? PTR_VALID : below(PTR_KINDS);
	size_t count = random_count();
	int nb = nonblocking(f);
	ssize_t n;

	if (!nb)
		alarm_us(BLOCK_US);
	n = read(f->fd, pointer(k, count), count);
	alarm_us(0);
	check(n, E(EFAULT) | E(ENODEV) | E(ENOMEM) |
	      (fmode_read(f) ? 0 : E(EBADF)) | (nb ? E(EAGAIN) : E(EINTR)),
	      "read(%s %s%s, %s, %zu)", f->dev->name, acc_names[f->accmode],
	      nb ? "|O_NONBLOCK" : "", ptr_names[k], count);
}

static void do_write(struct file *f)
{
	enum ptr_kind k = below(3) ? PTR_VALID : below(PTR_KINDS);
	size_t count = random_count();
	int nb = nonblocking(f), fifo = !strcmp(f->dev->mode, "fifo");
	ssize_t n;

	if (!nb)
		alarm_us(BLOCK_US);
	n = write(f->fd, pointer(k, count), count);
	alarm_us(0);
	/* Only fifo mode's writes wait for room. */
	check(n, E(EFAULT) | E(ENODEV) | E(ENOMEM) |
	      (fmode_write(f) ? 0 : E(EBADF)) |
	      (fifo ? (nb ? E(EAGAIN) : E(EINTR)) : 0),
	      "write(%s %s%s, %s, %zu)", f->dev->name, acc_names[f->accmode],
	      nb ? "|O_NONBLOCK" : "", ptr_names[k], count);
}

static void do_poll(struct file *f)
{
	const short known = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM |
			    POLLHUP | POLLERR;
	struct pollfd p = { .fd = f->fd, .events = rnd() };
	int n;

	n = poll(&p, 1, below(2));
	check(n, E(EINTR), "poll(%s)", f->dev->name);
	if (n > 0 && (p.revents & ~known)) {
		if (poll_errors++ < MAX_REPORTS)
			printf("hostile: poll(%s) gave revents %#x: the documentation lists %#x\n",
			       f->dev->name, p.revents, known);
	}
}

static void do_fcntl(struct file *f)
{
	/* Not signals: F_SETSIG's EINVAL (0 is SIGIO, so valid). */
	const int bad_signals[] = { -1, SIGRTMAX + 1, INT_MAX, INT_MIN };
	struct f_owner_ex own;
	int fl, newfl, sig, ret;
	pid_t who;

	switch (below(5)) {
	case 0:	/* subscribe or unsubscribe, and other flags */
		fl = fcntl(f->fd, F_GETFL);
		newfl = fl ^ O_ASYNC;
		if (below(2))
			newfl ^= O_NONBLOCK;
		if (!below(8))
			newfl ^= O_DIRECT;
		ret = fcntl(f->fd, F_SETFL, newfl);
		/* O_DIRECT: fcntl(2)'s EINVAL, for files without direct I/O */
		check(ret, E(ENODEV) | E(ENOMEM) |
		      ((newfl & O_DIRECT) ? E(EINVAL) : 0),
		      "fcntl(%s, F_SETFL, %#x)", f->dev->name, newfl);
		break;
	case 1:	/* a signal, valid or not */
		sig = below(3) ? safe_signal() : (int)rnd();
		if (!below(4))	/* just past the ends */
			sig = bad_signals[below(ARRAY_SIZE(bad_signals))];
		ret = fcntl(f->fd, F_SETSIG, sig);
		check(ret, (sig < 0 || sig > SIGRTMAX) ? E(EINVAL) : 0,
		      "fcntl(%s, F_SETSIG, %d)", f->dev->name, sig);
		break;
	case 2:	/* this process, its group, nobody, or no such process */
		switch (below(4)) {
		case 0:
			who = getpid();
			break;
		case 1:
			who = -getpgrp();
			break;
		case 2:
			who = 0;
			break;
		default:
			who = 0x3ffffff0;
		}
		ret = fcntl(f->fd, F_SETOWN, who);
		check(ret, who == 0x3ffffff0 ? E(ESRCH) : 0,
		      "fcntl(%s, F_SETOWN, %d)", f->dev->name, who);
		break;
	case 3:	/* any flags: setfl() ignores those it does not know */
		newfl = (int)rnd();
		if (below(2))
			newfl |= O_ASYNC;
		ret = fcntl(f->fd, F_SETFL, newfl);
		check(ret, E(ENODEV) | E(ENOMEM) |
		      ((newfl & O_DIRECT) ? E(EINVAL) : 0),
		      "fcntl(%s, F_SETFL, %#x)", f->dev->name, newfl);
		break;
	default: {	/* F_SETOWN_EX, with a bad pointer or a bad type too */
		enum ptr_kind k = below(2) ? PTR_VALID : below(PTR_KINDS);
		void *p = k == PTR_VALID ? &own : pointer(k, sizeof(own));

		own.type = below(4) ? (int)below(3) : (int)rnd();
		own.pid = below(2) ? gettid() : 0x3ffffff0;
		if (own.type == F_OWNER_PGRP && own.pid != 0x3ffffff0)
			own.pid = getpgrp();
		/* garbage, but never a process that lives (pid_max <= 2^22) */
		if (!below(4))
			own.pid = (int)(rnd() | (1U << 30));
		if (k == PTR_HALF)	/* the second half faults */
			p = half + page - sizeof(own) / 2;
		ret = fcntl(f->fd, F_SETOWN_EX, p);
		/* The VFS's errors, as fcntl(2) lists them */
		check(ret, E(EFAULT) | E(EINVAL) | E(ESRCH),
		      "fcntl(%s, F_SETOWN_EX, %s {%d, %d})", f->dev->name,
		      ptr_names[k], own.type, own.pid);
		if (ret == 0 && k != PTR_VALID && k != PTR_READONLY) {
			errno = 0;
			check(-1, 0, "fcntl(%s, F_SETOWN_EX, %s) succeeded",
			      f->dev->name, ptr_names[k]);
		}
	}
	}
}

/*
 * FIONBIO and FIOASYNC, which the VFS answers for any file: it reads an
 * int at the pointer (EFAULT) and, for FIOASYNC, calls the driver's
 * fasync() when the int turns O_ASYNC on or off (ENODEV, ENOMEM, as for
 * F_SETFL). The read-only page holds a 0, so it is a good pointer here.
 */
static void do_fio(struct file *f, enum ptr_kind k)
{
	int fioasync = below(2), on = below(2) ? 0 : (int)rnd();
	int readable = k == PTR_VALID || k == PTR_READONLY, garbage = 0;
	unsigned long arg;
	long ret;

	if (k == PTR_VALID) {
		arg = (uintptr_t)&on;
	} else if (!below(4)) {
		arg = rnd();
		garbage = 1;
		readable = 0;
	} else {
		arg = (uintptr_t)pointer(k, sizeof(on));
	}
	fio_calls++;
	ret = ioctl(f->fd, fioasync ? FIOASYNC : FIONBIO, arg);
	/* A random number is most likely no mapped int. */
	check(ret, (readable ? 0 : E(EFAULT)) |
	      (fioasync ? E(ENODEV) | E(ENOMEM) : 0),
	      "ioctl(%s, %s, %s %#lx -> %d)", f->dev->name,
	      fioasync ? "FIOASYNC" : "FIONBIO",
	      garbage ? "random" : ptr_names[k], arg,
	      readable ? (k == PTR_VALID ? on : 0) : -1);
}

/*
 * mmap(): the device has none, so the VFS refuses every mapping, with
 * ENODEV once the arguments pass its own checks (do_mmap() in
 * mm/mmap.c): EACCES before that for a file not open for reading, or
 * a shared writable mapping of a file not open for writing. Random
 * arguments may fail any of do_mmap()'s checks first; they never have
 * MAP_FIXED (it would replace this program's own pages if a defect let
 * it by).
 */
static void do_mmap(struct file *f)
{
	static const int types[] = { MAP_SHARED, MAP_PRIVATE,
				     MAP_SHARED_VALIDATE };
	int prot, flags, random = below(2);
	__uint128_t allowed;
	size_t len;
	off_t off;
	void *p;

	if (random) {
		len = below(2) ? random_count() : rnd();
		off = below(2) ? (off_t)page * below(16) : (off_t)rnd();
		prot = rnd();
		/* nor an anonymous mapping, which needs no file at all */
		flags = rnd() & ~(MAP_FIXED | MAP_FIXED_NOREPLACE |
				  MAP_ANONYMOUS);
		allowed = E(EACCES) | E(EAGAIN) | E(EINVAL) | E(ENODEV) |
			  E(ENOMEM) | E(EOPNOTSUPP) | E(EOVERFLOW) | E(EPERM);
	} else {
		len = page * (1 + below(4));
		off = (off_t)page * below(4);
		prot = below(2) ? PROT_READ : PROT_READ | PROT_WRITE;
		flags = types[below(ARRAY_SIZE(types))];
		if (!fmode_read(f) || (flags != MAP_PRIVATE &&
				       (prot & PROT_WRITE) && !fmode_write(f)))
			allowed = E(EACCES);
		else
			allowed = E(ENODEV);
	}
	p = mmap(NULL, len, prot, flags, f->fd, off);
	check(p == MAP_FAILED ? -1 : 0, allowed,
	      "mmap(%s %s, %zu, %#x, %#x, %#llx)", f->dev->name,
	      acc_names[f->accmode], len, prot, flags, (long long)off);
	if (p != MAP_FAILED) {
		munmap(p, len);
		errno = 0;
		check(-1, 0, "mmap(%s) succeeded", f->dev->name);
	}
}

/*
 * The generic ioctls the VFS answers before the driver sees them (FIOCLEX,
 * FIONBIO, FIFREEZE, FS_IOC_*, FICLONE, FIBMAP, ...): types 'T', 'X',
 * 'f', 0x94, 0x15 and 0. Their errors are the VFS's, not the driver's.
 */
static int vfs_ioctl_type(unsigned int cmd)
{
	unsigned int t = _IOC_TYPE(cmd);

	return t == 'T' || t == 'X' || t == 'f' || t == 0x94 || t == 0x15 ||
	       t == 0;
}

static void do_ioctl(struct file *f)
{
	enum ptr_kind k = below(2) ? PTR_VALID : below(PTR_KINDS);
	unsigned long arg;
	unsigned int cmd;
	long ret;

	switch (below(5)) {
	case 0:
		cmd = ASYNC_NOTIFY_IOC_CLEAR;
		arg = rnd();
		ret = ioctl(f->fd, cmd, arg);
		check(ret, E(ENODEV) | (fmode_write(f) ? 0 : E(EBADF)),
		      "ioctl(%s %s, ASYNC_NOTIFY_IOC_CLEAR, %#lx)",
		      f->dev->name, acc_names[f->accmode], arg);
		return;
	case 1:
		if (k == PTR_HALF)	/* the structure straddles the hole */
			arg = (uintptr_t)(half + page -
					  sizeof(struct async_notify_info) / 2);
		else
			arg = (uintptr_t)pointer(k, 1);
		ret = ioctl(f->fd, ASYNC_NOTIFY_IOC_INFO, arg);
		check(ret, E(ENODEV) | (k == PTR_VALID ? 0 : E(EFAULT)),
		      "ioctl(%s, ASYNC_NOTIFY_IOC_INFO, %s)", f->dev->name,
		      ptr_names[k]);
		return;
	case 2:
		do_fio(f, k);
		return;
	case 3:	/* the driver's magic, any number, direction and size */
		cmd = _IOC(below(4), ASYNC_NOTIFY_IOC_MAGIC, below(256),
			   below(1 << _IOC_SIZEBITS));
		break;
	default:
		do
			cmd = rnd();
		while (vfs_ioctl_type(cmd));
	}
	if (cmd == ASYNC_NOTIFY_IOC_CLEAR || cmd == ASYNC_NOTIFY_IOC_INFO)
		return;
	arg = below(2) ? (uintptr_t)pointer(k, 64) : rnd();
	ret = ioctl(f->fd, cmd, arg);
	check(ret, E(ENOTTY), "ioctl(%s, %#x, %#lx)", f->dev->name, cmd, arg);
	if (ret >= 0) {
		errno = 0;
		check(-1, 0, "ioctl(%s, %#x) succeeded", f->dev->name, cmd);
	}
}

static void do_lseek(struct file *f)
{
	off_t off = rnd();
	int whence = below(5);

	check(lseek(f->fd, off, whence), E(ESPIPE), "lseek(%s, %lld, %d)",
	      f->dev->name, (long long)off, whence);
}

/* Garbage: bytes, numbers in and out of range, signs, bases, spaces. */
static size_t garbage(char *buf, size_t len)
{
	static const char *const words[] = {
		"", "\n", " ", "-1", "0", "999", "1000", "60000000",
		"60000001", "4294967295", "4294967296", "0x3e8", "01750",
		"+1000", "1000 ", " 1000", "1e3", "1000\n\n", "nan", "add",
		"99999999999999999999999999",
	};
	size_t n, i;

	switch (below(4)) {
	case 0:
		n = below(len);
		for (i = 0; i < n; i++)
			buf[i] = rnd();
		return n;
	case 1:
		return snprintf(buf, len, "%lld", (long long)rnd() >>
				below(64));
	case 2:
		return snprintf(buf, len, "%u", 1000 + below(60000000));
	default:
		return snprintf(buf, len, "%s",
				words[below(ARRAY_SIZE(words))]);
	}
}

/*
 * Errors of a write to a sysfs file, from the sysfs ABI documentation:
 * period_us: EINVAL, ERANGE; any attribute: EFAULT for a bad buffer.
 * uevent is the driver core's (Documentation/ABI/testing/sysfs-uevent):
 * EINVAL for what is not an action.
 */
static __uint128_t sysfs_allowed(const char *attr)
{
	if (!strcmp(attr, "period_us"))
		return E(EINVAL) | E(ERANGE) | E(EFAULT);
	if (!strcmp(attr, "uevent"))
		return E(EINVAL) | E(EFAULT);
	return E(EFAULT);
}

static void do_sysfs(void)
{
	struct dev *d = &devs[below(ndevs)];
	enum ptr_kind k = below(4) ? PTR_VALID : below(PTR_KINDS);
	char path[1024], buf[256];
	const char *attr;
	size_t n;
	int fd;

	if (!d->nattrs)
		return;
	attr = d->attrs[below(d->nattrs)];
	n = garbage(buf, sizeof(buf));
	/* uevent: nothing that names an action ("add", "change", ...) */
	if (!strcmp(attr, "uevent") && n >= 3 &&
	    (!strncmp(buf, "add", 3) || !strncmp(buf, "cha", 3) ||
	     !strncmp(buf, "rem", 3) || !strncmp(buf, "mov", 3) ||
	     !strncmp(buf, "onl", 3) || !strncmp(buf, "off", 3) ||
	     !strncmp(buf, "bin", 3) || !strncmp(buf, "unb", 3)))
		buf[0] = '#';
	snprintf(path, sizeof(path), "/sys/class/misc/%s/%s", d->name, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		check(fd, 0, "open(%s)", path);
		return;
	}
	if (k == PTR_VALID) {
		check(write(fd, buf, n), sysfs_allowed(attr),
		      "write(%s, \"%.*s\", %zu)", path, (int)n, buf, n);
	} else {
		n = n ? n : 1;
		check(write(fd, pointer(k, n), n), sysfs_allowed(attr),
		      "write(%s, %s, %zu)", path, ptr_names[k], n);
	}
	close(fd);
}

/* The counts in sysfs are the files this program holds. */
static void check_counts(const char *when)
{
	long r, w;
	int i;

	for (i = 0; i < ndevs; i++) {
		r = sysfs_num(devs[i].name, "readers");
		w = sysfs_num(devs[i].name, "writers");
		if (r == devs[i].readers && w == devs[i].writers)
			continue;
		if (count_errors++ < MAX_REPORTS)
			fprintf(stdout,
				"hostile: %s: %s has readers=%ld writers=%ld, this program holds %d and %d\n",
				when, devs[i].name, r, w, devs[i].readers,
				devs[i].writers);
	}
}

static void restore_attrs(void)
{
	char path[1024];
	int i, j, fd;

	for (i = 0; i < ndevs; i++) {
		for (j = 0; j < devs[i].nattrs; j++) {
			if (!devs[i].saved[j][0])
				continue;
			snprintf(path, sizeof(path), "/sys/class/misc/%.255s/%.255s",
				 devs[i].name, devs[i].attrs[j]);
			fd = open(path, O_WRONLY);
			if (fd < 0 || write(fd, devs[i].saved[j],
					    strlen(devs[i].saved[j])) < 0)
				printf("hostile: cannot restore %s to %s: %s\n",
				       path, devs[i].saved[j],
				       strerror(errno));
			if (fd >= 0)
				close(fd);
		}
	}
}

static void bad_usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--duration SECONDS] [--seed N]\n", argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	double duration = 10, start, loop_s;
	static const char *const op_names[] = {
		"open/close", "read", "write", "poll", "fcntl", "ioctl",
		"lseek", "mmap", "sysfs",
	};
	long ops[ARRAY_SIZE(op_names)] = { 0 };
	int i, e, left;

	rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--duration") && i + 1 < argc)
			duration = atof(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rng = strtoull(argv[++i], NULL, 0);
		else
			bad_usage(argv[0]);
	}
	if (!rng)
		rng = 1;	/* xorshift's one bad seed */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* F_SETOWN to our group must signal nobody else */
	setpgid(0, 0);
	printf("hostile: seed=%llu duration=%gs (replay: %s --seed %llu --duration %g)\n",
	       (unsigned long long)rng, duration, argv[0],
	       (unsigned long long)rng, duration);

	find_devices();
	if (!ndevs) {
		printf("FAIL: hostile-setup: no device under %s: is async_notify loaded?\n",
		       DRIVERS);
		return 1;
	}
	printf("hostile: devices:");
	for (i = 0; i < ndevs; i++) {
		printf(" %s (%s, %s; writable:", devs[i].name, devs[i].mode,
		       devs[i].source);
		for (e = 0; e < devs[i].nattrs; e++)
			printf(" %s", devs[i].attrs[e]);
		printf(")");
	}
	printf("\n");
	setup_pointers();
	setup_signals();
	for (i = 0; i < MAX_FILES; i++)
		files[i].fd = -1;
	check_counts("before");

	start = now();
	while (now() - start < duration) {
		struct file *f = &files[below(MAX_FILES)];
		int op = below(17);

		if (calls % CHECK_EVERY == 0)
			check_counts("during the run");
		if (op >= 15) {
			ops[8]++;
			do_sysfs();
			continue;
		}
		if (f->fd < 0 || op == 0) {
			ops[0]++;
			if (f->fd >= 0)
				do_close(f);
			else
				do_open(f);
			continue;
		}
		switch (op) {
		case 1 ... 3:
			ops[1]++;
			do_read(f);
			break;
		case 4 ... 6:
			ops[2]++;
			do_write(f);
			break;
		case 7 ... 8:
			ops[3]++;
			do_poll(f);
			break;
		case 9 ... 10:
			ops[4]++;
			do_fcntl(f);
			break;
		case 11 ... 12:
			ops[5]++;
			do_ioctl(f);
			break;
		case 13:
			ops[6]++;
			do_lseek(f);
			break;
		default:
			ops[7]++;
			do_mmap(f);
		}
	}

	/* The end apart: a slow close or sysfs write shows there. */
	loop_s = now() - start;
	printf("hostile: %ld calls in %.1f s; closing the files left open\n",
	       calls, loop_s);
	check_counts("with files open at the end");
	for (i = 0; i < MAX_FILES; i++)
		if (files[i].fd >= 0)
			do_close(&files[i]);
	restore_attrs();
	printf("hostile: closed and sysfs restored in %.1f s; calls:",
	       now() - start - loop_s);
	for (i = 0; i < (int)ARRAY_SIZE(op_names); i++)
		printf(" %s=%ld", op_names[i], ops[i]);
	printf(" (ioctl FIONBIO/FIOASYNC=%ld)", fio_calls);
	printf("\nhostile: errors returned:");
	for (e = 1; e < ERRNO_BITS; e++)
		if (errs[e])
			printf(" %s=%ld", ename(e), errs[e]);
	printf("\n");

	if (wrong)
		fprintf(stdout,
			"FAIL: hostile-errnos: %ld calls returned an error the documentation does not list (the first %d above); replay with --seed\n",
			wrong, MAX_REPORTS);
	else
		printf("PASS: hostile-errnos\n");
	if (poll_errors)
		fprintf(stdout,
			"FAIL: hostile-poll-events: %ld polls returned undocumented events (above)\n",
			poll_errors);
	else
		printf("PASS: hostile-poll-events\n");

	/* Every file is closed: no reader, no writer, no memory. */
	left = 0;
	for (i = 0; i < ndevs; i++) {
		long r = sysfs_num(devs[i].name, "readers");
		long w = sysfs_num(devs[i].name, "writers");
		long a = sysfs_num(devs[i].name, "allocated");

		if (r || w || a) {
			fprintf(stdout,
				"hostile: after closing every file, %s has readers=%ld writers=%ld allocated=%ld\n",
				devs[i].name, r, w, a);
			left++;
		}
	}
	if (left || count_errors)
		fprintf(stdout,
			"FAIL: hostile-counts: %d devices not back to 0, %ld mismatches during the run (above)\n",
			left, count_errors);
	else
		printf("PASS: hostile-counts\n");
	return wrong || poll_errors || left || count_errors;
}
