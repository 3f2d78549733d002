// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-stress: every file operation at once, on every device,
 * against real interrupts at a high rate and devices that come and go
 * (issue 9, item 3). For the debug kernel, whose detectors turn a race
 * into a report on the console.
 *
 * usage: async-notify-stress [--duration SECONDS] [--seed N]
 *
 * First, for ALONE_MS, only the gpio-sim toggler, async_sim's reader and
 * the gpio-cdev reference run: the interrupt rate the guest can raise by
 * itself. Then, for SECONDS (60 by default):
 * - CHAOS_THREADS threads and CHAOS_PROCS processes open and close every
 *   device in all access modes (and 3, ioctl only), read (blocking,
 *   O_NONBLOCK, poll, epoll), write, toggle O_ASYNC, set F_SETSIG and
 *   F_SETOWN_EX, call both ioctls, fork with their files open, read every
 *   sysfs attribute and write period_us (STRESS_PERIOD_US, and a bad value);
 * - the workers' reads now and then copy into a page that stalls on
 *   userfaultfd for STALL_MS;
 * - a thread toggles gpio-sim lines 0 and 1 as fast as it can: line 0
 *   interrupts async_sim, gpio-cdev counts the edges of line 1;
 * - a thread unbinds and rebinds every device but async_sim in turn,
 *   each time with a reader blocked in read(), which the unbind must
 *   wake within UNBIND_WAKE_MS;
 * - a dedicated reader per device checks that the seq of the frames it
 *   gets strictly increases (per binding: a rebind restarts seq at 1).
 *
 * async_sim is never unbound, and only its dedicated reader reads it or
 * writes it (the others open it, poll it, subscribe, ...), so that at the
 * end its frames add up (Documentation/ABI/testing/
 * sysfs-driver-async-notify): events = frames received + overruns +
 * dropped, counted from this program's open to the last close.
 *
 * Every call that can block is watched: after KICK_MS it is interrupted
 * with a signal (EINTR, as for any interruptible sleep); one still not
 * returned after HANG_MS is a hang, reported as a FAIL, and the program
 * ends instead of hanging. Prints one "PASS: stress-<check>" or "FAIL:
 * stress-<check>: why" line per check, then the operation counts.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/gpio.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>

#define CHAOS_THREADS	4
#define CHAOS_PROCS	2
#define MAX_FILES	8	/* files a chaos worker keeps open at once */
#define MAX_DEVS	16
#define READ_SIZE	65536	/* more than any buffer: reads take whole frames */
#define KICK_MS		200	/* interrupt a blocking call after this */
/*
 * A call still blocked after this hangs: the debug kernel's hung-task
 * timeout. Under the chaos the emulated debug guest has taken 10 s over
 * one fork() (in dup_mmap(), with a dozen threads faulting on the mm).
 */
#define HANG_MS		20000
#define UNBIND_WAKE_MS	5000	/* unbind must wake a blocked reader by then */
#define UNBIND_PACE_MS	100	/* a device stays bound this long between unbinds */
#define STALL_MS	50	/* a userfaultfd stall lasts this long */
#define STALL_PAGES	CHAOS_THREADS
#define TOGGLER_PRIO	1	/* SCHED_FIFO, below the IRQ threads' 50 */
#define SETTLE_MS	5000	/* counters must settle within this at the end */
#define ALONE_MS	5000	/* the toggler alone first: the guest's own rate */
/*
 * The timers' period during the run. The driver's floor is 50 us, but the
 * emulated debug guest cannot carry nine devices at 20 kHz beside the
 * rest: at 50 us a fork stalled past the hang watchdog. 1 ms keeps
 * every timer firing as fast as that guest can serve it.
 */
#define STRESS_PERIOD_US	"1000"
#define SIM_LABEL	"async-sim"	/* dts/async-notify-virt-debug.dtso */
#define SIM_DEV		"async_sim"
#define SIM_PDEV	"async-notify-sim"	/* its platform device */
#define DRIVER		"/sys/bus/platform/drivers/async-notify"
#define CONSUMER	"async-notify-stress"	/* of our GPIO lines */

enum op {
	OP_OPEN, OP_CLOSE, OP_READ, OP_READ_NB, OP_POLL, OP_EPOLL, OP_WRITE,
	OP_ASYNC, OP_SETSIG, OP_SETOWN_EX, OP_IOC_INFO, OP_IOC_CLEAR, OP_FORK,
	OP_SYSFS_READ, OP_SYSFS_WRITE, OP_STALL, OP_UNBIND, OP_BIND,
	OP_TOGGLE, OP_KICK, OP_N
};

static const char * const op_names[OP_N] = {
	"open", "close", "read", "read-nonblock", "poll", "epoll", "write",
	"o_async", "f_setsig", "f_setown_ex", "ioctl-info", "ioctl-clear",
	"fork", "sysfs-read", "sysfs-write", "stalled-read", "unbind", "bind",
	"gpio-toggle", "signal-kick",
};

/* Chaos workers' ops: all but the ones other threads do. */
#define CHAOS_OPS	(OP_STALL + 1)

struct dev {
	char name[64];
	char pdev[64];		/* platform device, for unbind and bind */
	bool timer;		/* has period_us */
	bool accounting;	/* async_sim: only its dedicated reader consumes */
};

/* A call being watched: who makes it, which, since when. */
struct slot {
	pid_t tid;		/* 0: free */
	pid_t tgid;
	int op;
	int dev;
	long long since_ms;	/* 0: not in a call */
	unsigned long call;	/* counts calls, so a new one is told apart */
	int hang_reported;
};

/* The chaos workers, each with a forked child at most, and the rest. */
#define SLOTS	(2 * (CHAOS_THREADS + CHAOS_PROCS) + MAX_DEVS + 8)

/* Shared with the forked workers. */
struct shared {
	long ops[OP_N];
	long unexpected;
	long hangs;
	int stop;
	int go;		/* the toggler's time alone is over: chaos begins */
	struct slot slots[SLOTS];
};

static struct shared *sh;
static struct dev devs[MAX_DEVS];
static int ndevs;
static unsigned int seed;
static int failed;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

static void count(int op)
{
	__atomic_add_fetch(&sh->ops[op], 1, __ATOMIC_RELAXED);
}

static bool stopping(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED);
}

static void say(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&print_lock);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
	pthread_mutex_unlock(&print_lock);
}

static void result(const char *name, const char *why)
{
	if (why && *why) {
		say("FAIL: stress-%s: %s\n", name, why);
		failed = 1;
	} else {
		say("PASS: stress-%s\n", name);
	}
}

/* xorshift32, one state per worker: replayable from the seed. */
static unsigned int rnd(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static struct slot *slot_get(void)
{
	pid_t tid = gettid();
	int i;

	for (i = 0; i < SLOTS; i++) {
		pid_t free_tid = 0;

		if (__atomic_compare_exchange_n(&sh->slots[i].tid, &free_tid, tid,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST)) {
			sh->slots[i].tgid = getpid();
			sh->slots[i].hang_reported = 0;
			return &sh->slots[i];
		}
	}
	fprintf(stderr, "async-notify-stress: out of watchdog slots\n");
	exit(2);
}

static void slot_put(struct slot *s)
{
	__atomic_store_n(&s->tid, 0, __ATOMIC_SEQ_CST);
}

static void watch(struct slot *s, int op, int dev)
{
	s->op = op;
	s->dev = dev;
	__atomic_add_fetch(&s->call, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->since_ms, now_ms(), __ATOMIC_SEQ_CST);
}

static void unwatch(struct slot *s)
{
	__atomic_store_n(&s->since_ms, 0, __ATOMIC_SEQ_CST);
}

/*
 * An errno a call may return in this chaos: the device unbound (ENODEV),
 * gone from /dev (ENOENT, ENXIO), nothing to read or no room (EAGAIN),
 * a signal (EINTR), a file not open for it (EBADF), a stall interrupted
 * (EFAULT, stalled reads only). Anything else is counted and shown.
 */
static void check_errno(int op, int dev, int err)
{
	switch (err) {
	case ENODEV: case ENOENT: case ENXIO: case EAGAIN: case EINTR:
	case EBADF:
		return;
	case EFAULT:
		if (op == OP_STALL)
			return;
		break;
	}
	if (__atomic_add_fetch(&sh->unexpected, 1, __ATOMIC_RELAXED) <= 5)
		say("stress: unexpected error: %s on %s: %s\n", op_names[op],
		    dev >= 0 ? devs[dev].name : "-", strerror(err));
}

static void on_signal(int sig)
{
	(void)sig;
}

/*
 * SIGUSR1 interrupts a call (no SA_RESTART). SIGIO and F_SETSIG's signal
 * are blocked, in every thread and process: the driver sends them all
 * the same (that is what is under test), but a thread that took each of
 * them, one a millisecond from each of many files, would do nothing else
 * under TCG, its open() restarted after every one.
 */
static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t set;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int read_attr(const struct dev *d, const char *attr, char *buf, size_t len)
{
	char path[sizeof(d->name) + 64];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/class/misc/%s/%.32s", d->name, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static long long attr_num(const struct dev *d, const char *attr)
{
	char buf[64];

	return read_attr(d, attr, buf, sizeof(buf)) > 0 ? atoll(buf) : -1;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int set_period_min(const struct dev *d)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/class/misc/%.63s/period_us", d->name);
	return write_file(path, STRESS_PERIOD_US);
}

static void find_devices(void)
{
	DIR *dir = opendir(DRIVER);
	struct dirent *e;
	char path[512];

	if (!dir) {
		printf("FAIL: stress-setup: %s: %s\n", DRIVER, strerror(errno));
		exit(1);
	}
	while ((e = readdir(dir)) && ndevs < MAX_DEVS) {
		struct dev *d = &devs[ndevs];
		struct dirent *m;
		DIR *misc;

		snprintf(path, sizeof(path), DRIVER "/%s/misc", e->d_name);
		misc = opendir(path);
		if (!misc)
			continue;
		while ((m = readdir(misc)))
			if (m->d_name[0] != '.')
				snprintf(d->name, sizeof(d->name), "%.63s", m->d_name);
		closedir(misc);
		snprintf(d->pdev, sizeof(d->pdev), "%.63s", e->d_name);
		snprintf(path, sizeof(path), "/sys/class/misc/%.63s/period_us", d->name);
		d->timer = !access(path, F_OK);
		d->accounting = !strcmp(d->name, SIM_DEV);
		ndevs++;
	}
	closedir(dir);
}

static int dev_open(int i, int flags)
{
	char path[sizeof(devs[i].name) + 8];

	snprintf(path, sizeof(path), "/dev/%.63s", devs[i].name);
	return open(path, flags);
}

/* ---- userfaultfd stalls ---- */

static int uffd = -1;
static char *stall_area;
static size_t page_size;
static pthread_mutex_t stall_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int stall_busy;	/* bitmap of pages in use */

static void *stall_server(void *arg)
{
	struct pollfd p = { .fd = uffd, .events = POLLIN };
	struct uffdio_zeropage zero = { 0 };
	struct uffd_msg msg;

	(void)arg;
	while (!stopping()) {
		if (poll(&p, 1, KICK_MS) != 1 ||
		    read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
		    msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		sleep_ms(STALL_MS);
		zero.range.start = msg.arg.pagefault.address & ~(page_size - 1);
		zero.range.len = page_size;
		ioctl(uffd, UFFDIO_ZEROPAGE, &zero);	/* EEXIST if it gave up */
	}
	return NULL;
}

static int stall_setup(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	pthread_t t;

	page_size = getpagesize();
	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) < 0)
		return -errno;
	stall_area = mmap(NULL, STALL_PAGES * page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stall_area == MAP_FAILED)
		return -errno;
	reg.range.start = (unsigned long)stall_area;
	reg.range.len = STALL_PAGES * page_size;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0)
		return -errno;
	return pthread_create(&t, NULL, stall_server, NULL) ? -EAGAIN : 0;
}

/* A read whose copy to userspace stalls: into a page not yet there. */
static void stalled_read(struct slot *s, int fd, int dev)
{
	int i;
	char *page = NULL;
	ssize_t n;

	pthread_mutex_lock(&stall_lock);
	for (i = 0; i < STALL_PAGES; i++)
		if (!(stall_busy & (1u << i))) {
			stall_busy |= 1u << i;
			page = stall_area + i * page_size;
			break;
		}
	pthread_mutex_unlock(&stall_lock);
	if (!page)
		return;
	watch(s, OP_STALL, dev);
	n = read(fd, page, ASYNC_NOTIFY_FRAME_MAX);
	unwatch(s);
	if (n < 0)
		check_errno(OP_STALL, dev, errno);
	count(OP_STALL);
	madvise(page, page_size, MADV_DONTNEED);	/* the next read stalls again */
	pthread_mutex_lock(&stall_lock);
	stall_busy &= ~(1u << i);
	pthread_mutex_unlock(&stall_lock);
}

/* ---- chaos workers ---- */

struct file {
	int fd;
	int dev;
	int mode;	/* O_ACCMODE */
};

static const char * const attrs[] = {
	"mode", "source", "buffer_size", "readers", "writers", "allocated",
	"events", "dropped", "frames", "writes", "notifications", "overruns",
	"period_us",
};

/* Whether @op may consume or add frames of async_sim: only its reader may. */
static bool consumes(int op)
{
	return op == OP_READ || op == OP_READ_NB || op == OP_WRITE ||
	       op == OP_IOC_CLEAR || op == OP_STALL;
}

/* A forked child's calls on @f, each watched, then its exit: no return. */
static void fork_child(struct file *f, char *buf)
{
	struct slot *s = slot_get();
	struct async_notify_info info;

	watch(s, OP_IOC_INFO, f->dev);
	ioctl(f->fd, ASYNC_NOTIFY_IOC_INFO, &info);
	if (!devs[f->dev].accounting) {
		watch(s, OP_READ_NB, f->dev);
		fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) | O_NONBLOCK);
		(void)!read(f->fd, buf, 64);
	}
	watch(s, OP_ASYNC, f->dev);
	fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) ^ O_ASYNC);
	unwatch(s);
	slot_put(s);
	_exit(0);
}

static void do_file_op(struct slot *s, unsigned int *rs, struct file *f, int op,
		       char *buf)
{
	struct async_notify_info info;
	struct f_owner_ex owner;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	struct pollfd p;
	int fl, ret = 0, ep;
	pid_t pid;

	if (devs[f->dev].accounting && consumes(op))
		op = OP_IOC_INFO;
	watch(s, op, f->dev);
	switch (op) {
	case OP_READ:
		fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) & ~O_NONBLOCK);
		ret = read(f->fd, buf, READ_SIZE);
		break;
	case OP_READ_NB:
		fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) | O_NONBLOCK);
		ret = read(f->fd, buf, READ_SIZE);
		break;
	case OP_POLL:
		p = (struct pollfd){ .fd = f->fd, .events = POLLIN | POLLOUT };
		ret = poll(&p, 1, rnd(rs) % 20);
		break;
	case OP_EPOLL:
		ep = epoll_create1(EPOLL_CLOEXEC);
		ret = epoll_ctl(ep, EPOLL_CTL_ADD, f->fd, &ev);
		if (!ret)
			ret = epoll_wait(ep, &ev, 1, rnd(rs) % 20);
		close(ep);
		break;
	case OP_WRITE:
		if (rnd(rs) & 1)
			fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) | O_NONBLOCK);
		else
			fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) & ~O_NONBLOCK);
		ret = write(f->fd, "w\n", 2);
		break;
	case OP_ASYNC:
		fl = fcntl(f->fd, F_GETFL);
		fcntl(f->fd, F_SETOWN, getpid());
		ret = fcntl(f->fd, F_SETFL, fl ^ O_ASYNC);
		break;
	case OP_SETSIG:
		ret = fcntl(f->fd, F_SETSIG, rnd(rs) & 1 ? SIGRTMIN + 1 : 0);
		break;
	case OP_SETOWN_EX:
		owner.type = F_OWNER_TID;
		owner.pid = gettid();
		ret = fcntl(f->fd, F_SETOWN_EX, &owner);
		break;
	case OP_IOC_INFO:
		ret = ioctl(f->fd, ASYNC_NOTIFY_IOC_INFO, &info);
		break;
	case OP_IOC_CLEAR:
		ret = ioctl(f->fd, ASYNC_NOTIFY_IOC_CLEAR);
		break;
	case OP_FORK:
		/*
		 * The child uses the inherited file, then exits. The watch
		 * covers fork() and each of the child's calls, in a slot of
		 * its own, not the wait: a child that waits for a CPU the
		 * chaos holds does not hang in the driver.
		 */
		pid = fork();
		if (pid == 0)
			fork_child(f, buf);
		unwatch(s);
		ret = pid < 0 ? -1 : 0;
		if (ret < 0)
			check_errno(op, f->dev, errno);
		while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		count(op);
		return;
	case OP_STALL:
		unwatch(s);
		stalled_read(s, f->fd, f->dev);
		return;
	}
	unwatch(s);
	if (ret < 0)
		check_errno(op, f->dev, errno);
	count(op);
}

static void do_sysfs(struct slot *s, unsigned int *rs)
{
	int i = rnd(rs) % ndevs, ret;
	char buf[64], path[256];
	bool bad;

	if (!devs[i].timer || rnd(rs) % 4) {
		watch(s, OP_SYSFS_READ, i);
		ret = read_attr(&devs[i], attrs[rnd(rs) % (sizeof(attrs) / sizeof(*attrs))],
				buf, sizeof(buf));
		unwatch(s);
		if (ret < 0 && ret != -ENOENT)	/* period_us of others, or unbound */
			check_errno(OP_SYSFS_READ, i, -ret);
		count(OP_SYSFS_READ);
		return;
	}
	/* The minimum, mostly; now and then a value the ABI refuses. */
	bad = !(rnd(rs) % 8);
	snprintf(path, sizeof(path), "/sys/class/misc/%.63s/period_us", devs[i].name);
	watch(s, OP_SYSFS_WRITE, i);
	ret = write_file(path, bad ? "0" : STRESS_PERIOD_US);
	unwatch(s);
	/* Or unbound: before the open (ENOENT) or after it (ENODEV). */
	if (bad && ret != -EINVAL && ret != -ENOENT && ret != -ENODEV)
		say("stress: period_us=0 on %s: %s, want EINVAL\n", devs[i].name,
		    ret ? strerror(-ret) : "accepted"),
		__atomic_add_fetch(&sh->unexpected, 1, __ATOMIC_RELAXED);
	else if (!bad && ret < 0)
		check_errno(OP_SYSFS_WRITE, i, -ret);
	count(OP_SYSFS_WRITE);
}

/* A device for a chaos worker. */
static int pick_dev(unsigned int *rs)
{
	return rnd(rs) % ndevs;
}

static void chaos(int id, bool in_process)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, 3 };
	struct file files[MAX_FILES];
	struct slot *s = slot_get();
	unsigned int rs = seed * 2654435761u + id + 1;
	char *buf = malloc(READ_SIZE);
	int n = 0, i;

	if (!buf)
		exit(2);
	while (!__atomic_load_n(&sh->go, __ATOMIC_RELAXED) && !stopping())
		sleep_ms(10);
	while (!stopping()) {
		int op = rnd(&rs) % (CHAOS_OPS + 2);	/* +2: more opens and closes */

		if (op >= CHAOS_OPS)
			op = op == CHAOS_OPS ? OP_OPEN : OP_CLOSE;
		if (op == OP_OPEN || !n) {
			if (n == MAX_FILES) {
				op = OP_CLOSE;
			} else {
				struct file *f = &files[n];

				f->dev = pick_dev(&rs);
				f->mode = modes[rnd(&rs) % 4];
				watch(s, OP_OPEN, f->dev);
				f->fd = dev_open(f->dev, f->mode |
						 (rnd(&rs) & 1 ? O_NONBLOCK : 0));
				unwatch(s);
				count(OP_OPEN);
				if (f->fd >= 0)
					n++;
				else
					check_errno(OP_OPEN, f->dev, errno);
				continue;
			}
		}
		if (op == OP_CLOSE) {
			i = rnd(&rs) % n;
			watch(s, OP_CLOSE, files[i].dev);
			close(files[i].fd);
			unwatch(s);
			count(OP_CLOSE);
			files[i] = files[--n];
			continue;
		}
		if (op == OP_SYSFS_READ || op == OP_SYSFS_WRITE) {
			do_sysfs(s, &rs);
			continue;
		}
		if (op == OP_FORK && in_process)
			op = OP_IOC_INFO;
		do_file_op(s, &rs, &files[rnd(&rs) % n], op, buf);
	}
	for (i = 0; i < n; i++)
		close(files[i].fd);
	free(buf);
	slot_put(s);
}

static void *chaos_thread(void *arg)
{
	chaos((int)(long)arg, false);
	return NULL;
}

/* ---- the watchdog ---- */

static void show_stack(const char *task_dir, const char *what)
{
	char path[320], buf[4096];
	int fd, n;

	snprintf(path, sizeof(path), "%s/stack", task_dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	say("stress: %s, kernel stack:\n%s", what, buf);
}

/*
 * What a hang waits for: the kernel stacks of every task in D state
 * (ours, and kernel threads such as an IRQ thread or a worker), since
 * the one that holds the lock is as telling as the one that waits.
 */
static void show_blocked_tasks(void)
{
	DIR *procs = opendir("/proc"), *tasks;
	struct dirent *p, *t;
	char dir[300], stat[512], what[300], *st;
	int fd, n;

	while (procs && (p = readdir(procs))) {
		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		snprintf(dir, sizeof(dir), "/proc/%.16s/task", p->d_name);
		tasks = opendir(dir);
		while (tasks && (t = readdir(tasks))) {
			if (t->d_name[0] == '.')
				continue;
			snprintf(dir, sizeof(dir), "/proc/%.16s/task/%.16s", p->d_name, t->d_name);
			snprintf(stat, sizeof(stat), "%s/stat", dir);
			fd = open(stat, O_RDONLY);
			if (fd < 0)
				continue;
			n = read(fd, stat, sizeof(stat) - 1);
			close(fd);
			if (n <= 0)
				continue;
			stat[n] = '\0';
			st = strrchr(stat, ')');
			if (!st || st[1] != ' ' || st[2] != 'D')
				continue;
			*st = '\0';
			snprintf(what, sizeof(what), "task %.16s (%.64s) in D state", t->d_name,
				 strchr(stat, '(') ? strchr(stat, '(') + 1 : "?");
			show_stack(dir, what);
		}
		if (tasks)
			closedir(tasks);
	}
	if (procs)
		closedir(procs);
}

static void report_hang(const struct slot *s, long long ms)
{
	say("FAIL: stress-hang: %s on %s blocked for %lld ms, signals did not end it\n",
	    op_names[s->op], s->dev >= 0 ? devs[s->dev].name : "-", ms);
}

static void *watchdog(void *arg)
{
	char dir[64];
	int i;

	(void)arg;
	while (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED) < 2) {
		long long now = now_ms();

		for (i = 0; i < SLOTS; i++) {
			struct slot *s = &sh->slots[i];
			pid_t tid = __atomic_load_n(&s->tid, __ATOMIC_SEQ_CST);
			long long since = __atomic_load_n(&s->since_ms, __ATOMIC_SEQ_CST);

			if (!tid || !since || now - since < KICK_MS)
				continue;
			if (now - since >= HANG_MS && !s->hang_reported) {
				s->hang_reported = 1;
				__atomic_add_fetch(&sh->hangs, 1, __ATOMIC_SEQ_CST);
				report_hang(s, now - since);
				failed = 1;
				snprintf(dir, sizeof(dir), "/proc/%d/task/%d", s->tgid, tid);
				show_stack(dir, "the blocked call");
				show_blocked_tasks();
			}
			if (!syscall(SYS_tgkill, s->tgid, tid, SIGUSR1))
				count(OP_KICK);
		}
		sleep_ms(KICK_MS / 4);
	}
	return NULL;
}

/* ---- the dedicated readers ---- */

struct dreader {
	int dev;
	pthread_t thread;
	long frames;		/* source frames received (all bindings) */
	long bindings;		/* files opened: one per binding */
	long violations;
	char first_violation[160];
	int fd;			/* async_sim: kept open until told */
	int release;		/* async_sim: close now */
	long long last_seq;
};

static struct dreader dreaders[MAX_DEVS];

/* Parse whole lines; seq must strictly increase. */
static void parse_frames(struct dreader *r, char *line, size_t *have)
{
	char *p = line, *nl;
	unsigned long long seq, ts;

	while ((nl = memchr(p, '\n', line + *have - p))) {
		*nl = '\0';
		if (sscanf(p, "seq=%llu ts=%llu", &seq, &ts) == 2 && !strncmp(p, "seq=", 4)) {
			if ((long long)seq <= r->last_seq) {
				if (!r->violations++)
					snprintf(r->first_violation, sizeof(r->first_violation),
						 "seq %llu after %lld", seq, r->last_seq);
			}
			r->last_seq = seq;
			r->frames++;
		}
		p = nl + 1;
	}
	*have = line + *have - p;
	memmove(line, p, *have);
	if (*have > READ_SIZE / 2)	/* a writer's line without end: skip */
		*have = 0;
}

static void *dedicated_reader(void *arg)
{
	struct dreader *r = arg;
	struct slot *s = slot_get();
	char *buf = malloc(READ_SIZE), *line = malloc(READ_SIZE);
	size_t have = 0;
	ssize_t n;
	struct pollfd p;

	while (buf && line) {
		if (stopping() && !devs[r->dev].accounting)
			break;
		if (r->fd < 0) {
			r->fd = dev_open(r->dev, O_RDONLY | O_NONBLOCK);
			if (r->fd < 0) {	/* unbound: wait for the bind */
				sleep_ms(10);
				continue;
			}
			r->bindings++;
			r->last_seq = 0;
			have = 0;
		}
		p = (struct pollfd){ .fd = r->fd, .events = POLLIN };
		watch(s, OP_POLL, r->dev);
		poll(&p, 1, KICK_MS / 2);
		unwatch(s);
		watch(s, OP_READ_NB, r->dev);
		n = read(r->fd, line + have, READ_SIZE - have);
		unwatch(s);
		if (n > 0) {
			have += n;
			parse_frames(r, line, &have);
			continue;
		}
		if (n < 0 && errno == ENODEV) {	/* unbound: a new binding */
			close(r->fd);
			r->fd = -1;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			check_errno(OP_READ_NB, r->dev, errno);
		if (__atomic_load_n(&r->release, __ATOMIC_SEQ_CST))
			break;
	}
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(buf);
	free(line);
	slot_put(s);
	return NULL;
}

/* ---- gpio-sim: the interrupt line and its reference ---- */

static char pull0[256], pull1[256];
static int ref_fd = -1, hold_fd = -1;
static long raised;
static long ref_edges, ref_lost;
static long long ref_irqs0;

/* Interrupts of the handler named @name so far, summed over CPUs. */
static long long irq_count(const char *name)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[512], *end, *p;
	long long n = -1, v;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		end = line + strlen(line) - strlen(name);
		if (end <= line || strcmp(end, name) || end[-1] != ' ')
			continue;
		p = strchr(line, ':');
		for (n = 0; p && (v = strtoll(p + 1, &end, 10), end != p + 1); p = end)
			n += v;
	}
	if (f)
		fclose(f);
	return n;
}

static int line_request(int chip, unsigned int line, unsigned long long flags)
{
	struct gpio_v2_line_request req;

	memset(&req, 0, sizeof(req));
	req.offsets[0] = line;
	req.num_lines = 1;
	req.config.flags = flags;
	req.event_buffer_size = 1024;
	snprintf(req.consumer, sizeof(req.consumer), CONSUMER);
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req) < 0)
		return -errno;
	return req.fd;
}

/*
 * Find the chip, make line 0 interrupt async_sim on rising edges and
 * line 1 report its rising edges to us. gpio-sim raises an interrupt
 * only on a requested input, and its IRQ domain ignores the trigger cell
 * of the device tree: a rising-edge request sets the trigger type, which
 * stays when it is released. Until then async_sim cannot probe (its
 * interrupt has no trigger type), and once bound it holds the interrupt:
 * bind it after the request. A plain input request then keeps the line
 * an input while async_sim has the interrupt.
 */
static const char *gpio_setup(void)
{
	static char why[256];
	struct gpiochip_info info;
	char path[64];
	int i, chip = -1, fd;

	for (i = 0; i < 16 && chip < 0; i++) {
		snprintf(path, sizeof(path), "/dev/gpiochip%d", i);
		fd = open(path, O_RDWR);
		if (fd < 0)
			continue;
		if (!ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &info) &&
		    !strcmp(info.label, SIM_LABEL)) {
			chip = fd;
			snprintf(pull0, sizeof(pull0),
				 "/sys/bus/gpio/devices/gpiochip%d/sim_gpio0/pull", i);
			snprintf(pull1, sizeof(pull1),
				 "/sys/bus/gpio/devices/gpiochip%d/sim_gpio1/pull", i);
		} else {
			close(fd);
		}
	}
	if (chip < 0)
		return "no gpio chip labelled " SIM_LABEL
		       " (dts/async-notify-virt-debug.dtso, debug kernel only)";
	write_file(pull0, "pull-down");
	write_file(pull1, "pull-down");
	/* Bound already (by an earlier run): line 0 has its trigger. */
	if (access(DRIVER "/" SIM_PDEV, F_OK)) {
		fd = line_request(chip, 0, GPIO_V2_LINE_FLAG_INPUT |
				  GPIO_V2_LINE_FLAG_EDGE_RISING);
		if (fd < 0) {
			snprintf(why, sizeof(why), "rising-edge request of line 0: %s",
				 strerror(-fd));
			close(chip);
			return why;
		}
		close(fd);
		fd = write_file(DRIVER "/bind", SIM_PDEV);
		if (fd < 0) {
			snprintf(why, sizeof(why), "bind " SIM_PDEV ": %s", strerror(-fd));
			close(chip);
			return why;
		}
	}
	hold_fd = line_request(chip, 0, GPIO_V2_LINE_FLAG_INPUT);
	ref_fd = line_request(chip, 1, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING);
	close(chip);
	if (hold_fd < 0 || ref_fd < 0) {
		snprintf(why, sizeof(why), "input request of lines 0 and 1: %s",
			 strerror(-(hold_fd < 0 ? hold_fd : ref_fd)));
		return why;
	}
	ref_irqs0 = irq_count(CONSUMER);
	if (ref_irqs0 < 0)
		return "line 1's interrupt (\"" CONSUMER "\") is not in /proc/interrupts";
	return NULL;
}

/*
 * Toggle both lines: each rising edge of line 0 is an interrupt raised.
 * As a real-time thread (below the IRQ threads, which run at 50), so
 * that the interrupt rate does not depend on how the chaos is going.
 */
static void *toggle_lines(void *arg)
{
	int f0 = open(pull0, O_WRONLY), f1 = open(pull1, O_WRONLY);
	struct sched_param sp = { .sched_priority = TOGGLER_PRIO };

	(void)arg;
	if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		say("stress: the toggler runs without SCHED_FIFO\n");
	while (f0 >= 0 && f1 >= 0 && !stopping()) {
		if (pwrite(f0, "pull-up", 7, 0) == 7)
			__atomic_add_fetch(&raised, 1, __ATOMIC_RELAXED);
		pwrite(f1, "pull-up", 7, 0);
		pwrite(f0, "pull-down", 9, 0);
		pwrite(f1, "pull-down", 9, 0);
		if (__atomic_load_n(&sh->go, __ATOMIC_RELAXED))
			count(OP_TOGGLE);	/* the chaos's operations */
	}
	close(f0);
	close(f1);
	return NULL;
}

/*
 * gpio-cdev's events of line 1; line_seqno counts every event, even ones
 * its buffer dropped.
 */
static void *reference(void *arg)
{
	struct gpio_v2_line_event ev[64];
	struct pollfd p = { .fd = ref_fd, .events = POLLIN };
	ssize_t n;
	int i;

	(void)arg;
	fcntl(ref_fd, F_SETFL, O_NONBLOCK);
	for (;;) {
		poll(&p, 1, KICK_MS);
		n = read(ref_fd, ev, sizeof(ev));
		if (n <= 0) {
			if (__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST) >= 2)
				break;
			continue;
		}
		for (i = 0; i < n / (ssize_t)sizeof(*ev); i++) {
			ref_lost += ev[i].line_seqno - ref_edges - 1;
			ref_edges = ev[i].line_seqno;
		}
	}
	return NULL;
}

/* ---- unbind and bind ---- */

struct waiter {
	int fd;
	int err;
};

/* A reader blocked in read() until its device goes. */
static void *blocked_reader(void *arg)
{
	struct waiter *w = arg;
	char buf[256];

	while (read(w->fd, buf, sizeof(buf)) >= 0)
		;
	w->err = errno;
	return NULL;
}

static bool wait_bound(const struct dev *d)
{
	char path[128];
	long long t0 = now_ms();

	snprintf(path, sizeof(path), "/dev/%.63s", d->name);
	while (access(path, F_OK)) {
		if (now_ms() - t0 > SETTLE_MS)
			return false;
		sleep_ms(10);
	}
	return true;
}

static long unbind_checks, unbind_fails;

static void *unbinder(void *arg)
{
	struct slot *s = slot_get();
	struct timespec deadline;
	struct waiter w;
	pthread_t t;
	int i = 0, ret;

	(void)arg;
	while (!stopping()) {
		struct dev *d = &devs[i++ % ndevs];
		bool waiting;

		if (d->accounting)
			continue;
		w.fd = unbind_fails ? -1 : dev_open(d - devs, O_RDONLY);
		w.err = 0;
		waiting = w.fd >= 0 && !pthread_create(&t, NULL, blocked_reader, &w);
		watch(s, OP_UNBIND, d - devs);
		ret = write_file(DRIVER "/unbind", d->pdev);
		unwatch(s);
		count(OP_UNBIND);
		if (ret < 0)
			check_errno(OP_UNBIND, d - devs, -ret);
		if (waiting) {
			clock_gettime(CLOCK_REALTIME, &deadline);
			deadline.tv_sec += UNBIND_WAKE_MS / 1000;
			unbind_checks++;
			if (pthread_timedjoin_np(t, NULL, &deadline)) {
				unbind_fails++;
				say("FAIL: stress-unbind-wakes-readers: %s: %s\n",
				    d->name, "a reader still blocked after unbind");
				failed = 1;
				pthread_detach(t);
			} else {
				if (w.err != ENODEV)
					say("stress: %s: a blocked reader got %s, want ENODEV\n",
					    d->name, strerror(w.err)),
					unbind_fails++;
				close(w.fd);
			}
		} else if (w.fd >= 0) {
			close(w.fd);
		}
		watch(s, OP_BIND, d - devs);
		ret = write_file(DRIVER "/bind", d->pdev);
		unwatch(s);
		count(OP_BIND);
		if (ret < 0 || !wait_bound(d)) {
			say("FAIL: stress-rebind: %s did not come back: %s\n", d->name,
			    ret < 0 ? strerror(-ret) : "no /dev node");
			failed = 1;
			break;
		}
		if (d->timer)	/* a new binding starts at the DT's period */
			set_period_min(d);
		sleep_ms(UNBIND_PACE_MS);
	}
	slot_put(s);
	return NULL;
}

/* ---- the end ---- */

/* Join @t, unless it hangs: then say so and leave it. */
static void join(pthread_t t, const char *what)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += HANG_MS / 1000;
	if (pthread_timedjoin_np(t, NULL, &deadline)) {
		say("FAIL: stress-hang: the %s did not end within %d ms of the stop\n",
		    what, HANG_MS);
		__atomic_add_fetch(&sh->hangs, 1, __ATOMIC_SEQ_CST);
		failed = 1;
	}
}

static bool closed_everywhere(char *why, size_t len)
{
	int i;

	*why = '\0';
	for (i = 0; i < ndevs; i++) {
		long long r = attr_num(&devs[i], "readers"), w = attr_num(&devs[i], "writers");
		long long a = attr_num(&devs[i], "allocated");

		if (r || w || a)
			snprintf(why + strlen(why), len - strlen(why),
				 "%s%s: readers=%lld writers=%lld allocated=%lld",
				 *why ? "; " : "", devs[i].name, r, w, a);
	}
	return !*why;
}

static const char *prog = "async-notify-stress";

static void show_usage(void)
{
	fprintf(stderr, "usage: %s [--duration SECONDS] [--seed N]\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ }
	};
	long long ev0, fr0, dr0, ov0, wr0, t0, t1, ev, fr, dr, ov, wr, alone;
	pthread_t threads[CHAOS_THREADS], wd, tog, ref, unb;
	pid_t procs[CHAOS_PROCS];
	struct dreader *sim = NULL;
	int duration = 60, c, i;
	char why[1024];
	const char *err;
	long long irqs;
	long raised_alone;
	double secs;
	long total;

	seed = time(NULL);
	while ((c = getopt_long(argc, argv, "d:s:", opts, NULL)) != -1) {
		if (c == 'd')
			duration = atoi(optarg);
		else if (c == 's')
			seed = strtoul(optarg, NULL, 0);
		else
			show_usage();
	}
	if (duration <= 0 || optind != argc)
		show_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	setup_signals();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	/* First: async_sim can probe only once line 0 has its trigger. */
	err = gpio_setup();
	if (err) {
		result("setup", err);
		return 1;
	}
	find_devices();
	printf("stress: %d s, seed %u, %d devices:", duration, seed, ndevs);
	for (i = 0; i < ndevs; i++)
		printf(" %s%s", devs[i].name, devs[i].accounting ? "(accounting)" : "");
	printf("\n");

	/* async_sim's counters from a stopped source, so that they add up. */
	for (i = 0; i < ndevs; i++)
		if (devs[i].accounting)
			sim = &dreaders[i];
	if (!sim) {
		result("setup", "no " SIM_DEV " device (dts/async-notify-virt-debug.dtso)");
		return 1;
	}
	if (!closed_everywhere(why, sizeof(why))) {
		result("setup", why);
		return 1;
	}
	i = stall_setup();
	if (i) {
		result("setup", strerror(-i));
		return 1;
	}
	for (i = 0; i < ndevs; i++)
		if (devs[i].timer)
			set_period_min(&devs[i]);
	ev0 = attr_num(&devs[sim - dreaders], "events");
	fr0 = attr_num(&devs[sim - dreaders], "frames");
	dr0 = attr_num(&devs[sim - dreaders], "dropped");
	ov0 = attr_num(&devs[sim - dreaders], "overruns");
	wr0 = attr_num(&devs[sim - dreaders], "writes");

	/* The processes first, from a process with one thread. */
	for (i = 0; i < CHAOS_PROCS; i++) {
		procs[i] = fork();
		if (procs[i] == 0) {
			/* A registration is the mm's: the child needs its own. */
			int err = stall_setup();

			if (err) {
				say("FAIL: stress-setup: userfaultfd in process %d: %s\n",
				    getpid(), strerror(-err));
				_exit(1);
			}
			chaos(CHAOS_THREADS + i, true);
			_exit(0);
		}
	}
	pthread_create(&wd, NULL, watchdog, NULL);
	for (i = 0; i < ndevs; i++) {
		dreaders[i].dev = i;
		dreaders[i].fd = -1;
		if (devs[i].accounting) {
			/* Open before the first interrupt: the identity starts here. */
			dreaders[i].fd = dev_open(i, O_RDONLY | O_NONBLOCK);
			if (dreaders[i].fd < 0) {
				result("setup", "cannot open " SIM_DEV);
				return 1;
			}
			dreaders[i].bindings = 1;
		}
	}
	pthread_create(&sim->thread, NULL, dedicated_reader, sim);
	pthread_create(&ref, NULL, reference, NULL);
	pthread_create(&tog, NULL, toggle_lines, NULL);
	/* The toggler alone (no other device open: no timer runs). */
	t0 = now_ms();
	sleep_ms(ALONE_MS);
	raised_alone = __atomic_load_n(&raised, __ATOMIC_RELAXED);
	alone = now_ms() - t0;
	say("stress: alone: %ld interrupts in %.1f s (%.0f/s)\n", raised_alone,
	    alone / 1000.0, raised_alone * 1000.0 / alone);

	t0 = now_ms();
	for (i = 0; i < ndevs; i++)
		if (&dreaders[i] != sim)
			pthread_create(&dreaders[i].thread, NULL, dedicated_reader,
				       &dreaders[i]);
	__atomic_store_n(&sh->go, 1, __ATOMIC_SEQ_CST);
	pthread_create(&unb, NULL, unbinder, NULL);
	for (i = 0; i < CHAOS_THREADS; i++)
		pthread_create(&threads[i], NULL, chaos_thread, (void *)(long)i);

	while (now_ms() - t0 < duration * 1000LL && !sh->hangs)
		sleep_ms(KICK_MS);

	/* Stop; a thread that does not end within HANG_MS hangs. */
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	t1 = now_ms();
	secs = (t1 - t0) / 1000.0;
	join(tog, "gpio toggler");
	for (i = 0; i < CHAOS_THREADS; i++)
		join(threads[i], "chaos thread");
	for (i = 0; i < CHAOS_PROCS; i++) {
		while (!waitpid(procs[i], NULL, WNOHANG) && now_ms() - t1 < HANG_MS)
			sleep_ms(10);
		if (!kill(procs[i], 0) && !waitpid(procs[i], NULL, WNOHANG)) {
			say("FAIL: stress-hang: chaos process %d runs %d ms after the stop\n",
			    procs[i], HANG_MS);
			__atomic_add_fetch(&sh->hangs, 1, __ATOMIC_SEQ_CST);
			failed = 1;
		}
	}
	join(unb, "unbinder");
	for (i = 0; i < ndevs; i++)
		if (&dreaders[i] != sim)
			join(dreaders[i].thread, "dedicated reader");

	/* async_sim: read all that is left, then close: the source stops. */
	while (now_ms() - t1 < SETTLE_MS &&
	       attr_num(&devs[sim - dreaders], "frames") - fr0 != sim->frames)
		sleep_ms(10);
	__atomic_store_n(&sim->release, 1, __ATOMIC_SEQ_CST);
	join(sim->thread, "dedicated reader of " SIM_DEV);
	close(hold_fd);
	__atomic_store_n(&sh->stop, 2, __ATOMIC_SEQ_CST);
	join(ref, "gpio-cdev reader");
	join(wd, "watchdog");

	/* The checks. */
	result("no-hang", sh->hangs ? "see the stress-hang lines above" : NULL);
	snprintf(why, sizeof(why), "%ld unexpected errors (the first are above)",
		 sh->unexpected);
	result("errors-are-documented", sh->unexpected ? why : NULL);
	snprintf(why, sizeof(why), "%ld of %ld blocked readers", unbind_fails, unbind_checks);
	result("unbind-wakes-readers", unbind_fails || !unbind_checks ? why : NULL);

	t0 = now_ms();
	while (!closed_everywhere(why, sizeof(why)) && now_ms() - t0 < SETTLE_MS)
		sleep_ms(10);
	result("all-closed", why);

	*why = '\0';
	for (i = 0; i < ndevs; i++) {
		struct dreader *r = &dreaders[i];

		say("stress: reader of %s: %ld frames, %ld bindings, %ld out of order\n",
		    devs[i].name, r->frames, r->bindings, r->violations);
		if (r->violations)
			snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s%.63s: %.60s",
				 *why ? "; " : "", devs[i].name, r->first_violation);
	}
	result("seq-increases", why);

	ev = attr_num(&devs[sim - dreaders], "events") - ev0;
	fr = attr_num(&devs[sim - dreaders], "frames") - fr0;
	dr = attr_num(&devs[sim - dreaders], "dropped") - dr0;
	ov = attr_num(&devs[sim - dreaders], "overruns") - ov0;
	wr = attr_num(&devs[sim - dreaders], "writes") - wr0;
	say("stress: %s: events=%lld frames=%lld writes=%lld overruns=%lld dropped=%lld\n",
	    SIM_DEV, ev, fr, wr, ov, dr);
	say("stress: %s: its reader received %ld frames\n", SIM_DEV, sim->frames);
	*why = '\0';
	if (ev != sim->frames + ov + dr)
		snprintf(why, sizeof(why),
			 "events %lld != received %ld + overruns %lld + dropped %lld",
			 ev, sim->frames, ov, dr);
	else if (fr != sim->frames || wr)
		snprintf(why, sizeof(why),
			 "sysfs frames %lld (writes %lld), but the reader received %ld",
			 fr, wr, sim->frames);
	else if (!ev)
		snprintf(why, sizeof(why), "no interrupt reached %s", SIM_DEV);
	result("fifo-accounting@" SIM_DEV, why);

	/*
	 * The reference: line 1's interrupts as the kernel counts them. The
	 * events gpio-cdev reports are fewer under load: it counts in its
	 * IRQ thread, which runs once for all the edges that came before
	 * it could run (6.1's edge_irq_thread()); async-notify counts each
	 * in the hard handler.
	 */
	irqs = irq_count(CONSUMER) - ref_irqs0;
	say("stress: interrupts raised (rising edges of line 0): %ld\n", raised);
	say("stress: %s events: %lld\n", SIM_DEV, ev);
	say("stress: line 1's interrupts: %lld, gpio-cdev events: %ld\n", irqs, ref_edges);
	*why = '\0';
	if (ev != raised || irqs != raised)
		snprintf(why, sizeof(why), "raised %ld, %s counted %lld, line 1 had %lld",
			 raised, SIM_DEV, ev, irqs);
	result("interrupts-counted", why);

	say("stress: ran %.1f s; operations (count, per second):\n", secs);
	total = 0;
	for (i = 0; i < OP_N; i++) {
		say("stress:   %-14s %9ld %9.0f\n", op_names[i], sh->ops[i],
		    sh->ops[i] / secs);
		if (i < CHAOS_OPS)
			total += sh->ops[i];
	}
	for (i = 0, fr = 0; i < ndevs; i++)
		fr += dreaders[i].frames;
	say("stress: %ld file and sysfs operations (%.0f/s)\n", total, total / secs);
	say("stress: %ld interrupts with the chaos (%.0f/s)\n", raised - raised_alone,
	    (raised - raised_alone) / secs);
	say("stress: %lld source frames to the dedicated readers\n", fr);
	return failed;
}
