// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify-bench: wait for N interrupts through one interface and record,
 * for each, the kernel's timestamp of the event and when this program got
 * control, both CLOCK_MONOTONIC; then what the waiting cost in CPU time.
 *
 * The interfaces: async-notify with SIGIO, an F_SETSIG real-time signal
 * taken with sigwaitinfo(), poll(), epoll or a blocking read() (text or
 * binary frames, as the device gives them), or the design document's
 * reader, a flag and a one-second sleep loop; gpio-cdev
 * v2 line events, read blocking or after epoll; evdev (gpio-keys); UIO
 * (uio_pdrv_genirq), read blocking or after its SIGIO.
 * notify-bench-report turns the records into make bench's tables.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>
#include <linux/gpio.h>
#include <linux/input.h>

#include "bench.h"

/* The largest count, timeout, IRQ or line number on the command line. */
#define MAX_NUMBER	1000000U

static const char usage[] =
"usage: notify-bench [options] METHOD DEVICE [LINE]\n"
"Wait for interrupts through one interface; print one record per event.\n"
"\n"
"  METHOD DEVICE     sigio, rtsig, poll, epoll, block or sleep (the\n"
"                    design document's sleep loop) on an async-notify\n"
"                    device; gpio-cdev or gpio-cdev-epoll on a\n"
"                    /dev/gpiochipN (LINE, default 3); evdev on a\n"
"                    /dev/input/eventN (KEY_POWER presses); uio or\n"
"                    uio-sigio on a /dev/uioN\n"
"  -n, --count N     events to wait for (default 25)\n"
"  -t, --timeout S   give up after S seconds (default 60)\n"
"  -c, --cpu CPU     run on that CPU only, and so does the IRQ thread\n"
"  -i, --irq IRQ     the Linux IRQ number: its thread's CPU time is\n"
"                    measured too, if it has one (irq/IRQ-*)\n"
"  -l, --label L     the name in the records (default: METHOD)\n"
"  -r, --ready FILE  create FILE once waiting (pulse after that)\n"
"  -h, --help        show this help\n"
"\n"
"Records, printed once all events are in; times in ns:\n"
"  event LABEL WAKE DATA STAMP CPU THREAD PARSE\n"
"    WAKE: this program got control; DATA: it had read the event;\n"
"    STAMP: the interface's timestamp of the event, 0 if it has none\n"
"    (all three CLOCK_MONOTONIC); CPU: this process's CPU time since\n"
"    the last event; THREAD: the IRQ thread's; -1 if not measured;\n"
"    PARSE: the time sscanf() took on a text frame, 0 for binary ones\n"
"  phase LABEL pulses=N events=E signals=S gaps=G\n"
"    S: signals (SIGIO, or rtsig's); G: events the interface says\n"
"    were lost\n"
"\n"
"Exit status: 0 all N events, 1 error, 2 usage, 3 timeout.\n";

struct sample {
	unsigned long long wake, data, stamp, parse;
	long long cpu, thread;
};

struct bench {
	const char *label;
	const char *device;
	unsigned int line;
	unsigned int want;
	unsigned int got;
	unsigned long long gaps;
	unsigned long long last_seq;
	int have_seq;
	int binary;			/* frames are struct async_notify_record */
	int fd;
	int thread;			/* the IRQ thread's pid, 0 if none */
	unsigned long long cpu_mark;	/* process CPU time at the last charge */
	long long thread_mark;		/* its runtime then, -1 if unknown */
	struct sample *s;
};

/*
 * SIGIOs so far, and the time of the first since the loop last took it
 * (bench.h says why atomic).
 */
static atomic_int sigio_count;
static atomic_ullong sigio_wake_ns;

/* rtsig's signal: queued, one per kill_fasync(), with the fd in siginfo. */
#define RTSIG		(SIGRTMIN + 1)

static void on_sigio(int sig)
{
	(void)sig;
	if (!sigio_wake_ns)
		sigio_wake_ns = now_ns();
	sigio_count++;
}

static int done(const struct bench *b)
{
	return stop || b->got >= b->want;
}

/* Kept in memory: writing the records now would add to the CPU time. */
static void record(struct bench *b, unsigned long long wake,
		   unsigned long long data, unsigned long long stamp,
		   unsigned long long parse)
{
	struct sample *s;

	if (b->got == b->want)
		return;
	s = &b->s[b->got++];

	/* An event that came while we read was not what woke us. */
	s->wake = stamp > wake ? data : wake;
	s->data = data;
	s->stamp = stamp;
	s->parse = parse;
	s->cpu = -1;
	s->thread = -1;
}

/* Count the events between this sequence number and the last one. */
static void check_seq(struct bench *b, unsigned long long seq)
{
	if (b->have_seq && seq > b->last_seq + 1)
		b->gaps += seq - b->last_seq - 1;
	b->have_seq = 1;
	b->last_seq = seq;
}

/* The pid of the thread "irq/IRQ-...", or 0 if there is none. */
static int irq_thread(int irq)
{
	char path[64], comm[32], want[32];
	struct dirent *d;
	int pid = 0;
	DIR *proc;
	FILE *f;

	if (irq < 0)
		return 0;
	snprintf(want, sizeof(want), "irq/%d-", irq);
	proc = opendir("/proc");
	while (proc && !pid && (d = readdir(proc))) {
		if (strspn(d->d_name, "0123456789") != strlen(d->d_name) ||
		    strlen(d->d_name) > 20)
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, want, strlen(want)))
			pid = atoi(d->d_name);
		fclose(f);
	}
	if (proc)
		closedir(proc);
	return pid;
}

/* A task's time on the CPU in ns (schedstat), or -1. */
static long long task_runtime(int pid)
{
	unsigned long long ns;
	char path[64];
	FILE *f;
	int ok;

	if (!pid)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%llu", &ns) == 1;
	fclose(f);
	return ok ? (long long)ns : -1;
}

/*
 * Charge the CPU time since the last charge, ours and the IRQ thread's,
 * to the events from @first on: those of this wake-up. Wake-ups without
 * an event (evdev's key releases) are charged to the next event. The
 * first event has no previous one to count from and is not charged.
 */
static void charge(struct bench *b, unsigned int first)
{
	unsigned long long cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	unsigned int i, n = b->got - first;
	long long thr;

	if (!n)
		return;
	thr = task_runtime(b->thread);
	for (i = first; i < b->got; i++) {
		if (!i)
			continue;
		b->s[i].cpu = (cpu - b->cpu_mark) / n;
		if (thr >= 0 && b->thread_mark >= 0)
			b->s[i].thread = (thr - b->thread_mark) / n;
	}
	b->thread_mark = thr;
	/* Reading the thread's runtime is not the event's cost. */
	b->cpu_mark = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

/* Record the binary frames of one async-notify read: nothing to parse. */
static void async_records(struct bench *b, const char *buf, size_t len,
			  unsigned long long wake, unsigned long long data)
{
	struct async_notify_record rec;
	size_t off;

	for (off = 0; off + sizeof(rec) <= len; off += sizeof(rec)) {
		memcpy(&rec, buf + off, sizeof(rec));
		check_seq(b, rec.seq);
		record(b, wake, data, rec.ts_ns, 0);
	}
}

/*
 * Record the frames of one async-notify read. Text frames "seq=N ts=T\n"
 * are recorded with the time sscanf() took: what a text frame costs the
 * reader.
 */
static void async_frames(struct bench *b, const char *buf, size_t len,
			 unsigned long long wake, unsigned long long data)
{
	unsigned long long seq, ts, t0, t1;
	const char *p = buf, *end = buf + len, *nl;
	int ok;

	if (b->binary) {
		async_records(b, buf, len, wake, data);
		return;
	}
	while (p < end && (nl = memchr(p, '\n', end - p))) {
		t0 = now_ns();
		ok = sscanf(p, ASYNC_NOTIFY_FRAME_FMT, &seq, &ts) == 2;
		t1 = now_ns();
		if (ok) {
			check_seq(b, seq);
			record(b, wake, data, ts, t1 - t0);
		}
		p = nl + 1;
	}
}

/*
 * Read until EAGAIN, as a subscriber must, even after the last frame we
 * wait for; every frame is charged to the same wake-up.
 */
static int async_drain(struct bench *b, unsigned long long wake)
{
	char buf[4096];
	ssize_t n;

	while (!stop) {
		n = read(b->fd, buf, sizeof(buf));
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 :
				fail("read");
		if (!n)
			return 0;
		async_frames(b, buf, n, wake, now_ns());
	}
	return 0;
}

static int run_async_block(struct bench *b)
{
	unsigned long long t;
	unsigned int first;
	char buf[4096];
	ssize_t n;

	while (!done(b)) {
		first = b->got;
		n = read(b->fd, buf, sizeof(buf));
		t = now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? fail("read") : -1;
		async_frames(b, buf, n, t, t);
		charge(b, first);
	}
	return 0;
}

static int run_async_poll(struct bench *b)
{
	struct pollfd p = { .fd = b->fd, .events = POLLIN };
	unsigned int first;
	int ret = 0;

	fcntl(b->fd, F_SETFL, fcntl(b->fd, F_GETFL) | O_NONBLOCK);
	while (!ret && !done(b)) {
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return fail("poll");
		}
		first = b->got;
		ret = async_drain(b, now_ns());
		charge(b, first);
	}
	return ret;
}

/* One epoll instance watching b->fd for input, or -1. */
static int epoll_on(struct bench *b)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		return fail("epoll_create1");
	if (epoll_ctl(ep, EPOLL_CTL_ADD, b->fd, &ev) < 0) {
		fail("epoll_ctl");
		close(ep);
		return -1;
	}
	return ep;
}

/* epoll_wait() until b->fd is readable: 1, 0 on EINTR, -1 on error. */
static int epoll_in(int ep)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, -1);

	if (n < 0 && errno != EINTR)
		return fail("epoll_wait");
	return n > 0;
}

static int run_async_epoll(struct bench *b)
{
	unsigned int first;
	int ep, ret = 0, n;

	fcntl(b->fd, F_SETFL, fcntl(b->fd, F_GETFL) | O_NONBLOCK);
	ep = epoll_on(b);
	if (ep < 0)
		return -1;
	while (!ret && !done(b)) {
		n = epoll_in(ep);
		if (n <= 0) {
			ret = n;
			continue;
		}
		first = b->got;
		ret = async_drain(b, now_ns());
		charge(b, first);
	}
	close(ep);
	return ret;
}

/*
 * F_SETSIG: the real-time signal stays blocked and sigwaitinfo() takes
 * it, with no handler and no signal frame; then read until EAGAIN.
 */
static int run_async_rtsig(struct bench *b)
{
	unsigned long long wake;
	unsigned int first;
	sigset_t set;
	siginfo_t si;
	int ret = 0;

	sigemptyset(&set);
	sigaddset(&set, RTSIG);
	sigaddset(&set, SIGALRM);
	while (!ret && !done(b)) {
		if (sigwaitinfo(&set, &si) < 0) {
			if (errno != EINTR)
				ret = fail("sigwaitinfo");
			continue;
		}
		wake = now_ns();
		if (si.si_signo == SIGALRM) {
			on_alarm(SIGALRM);
			continue;
		}
		sigio_count++;
		if (si.si_fd != b->fd) {
			fprintf(stderr, "notify-bench: signal for fd %d, not %d\n",
				si.si_fd, b->fd);
			return -1;
		}
		first = b->got;
		ret = async_drain(b, wake);
		charge(b, first);
	}
	return ret;
}

static int setup_rtsig(struct bench *b)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, RTSIG);
	/* sigwaitinfo() takes the timeout too: no handler interrupts it. */
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	if (fcntl(b->fd, F_SETSIG, RTSIG) < 0 ||
	    fcntl(b->fd, F_SETOWN, getpid()) < 0 ||
	    fcntl(b->fd, F_SETFL, fcntl(b->fd, F_GETFL) | O_ASYNC | O_NONBLOCK) < 0)
		return fail("fcntl");
	return 0;
}

/* The subscriber of the user's guide: sigsuspend(), read until EAGAIN. */
static int run_async_sigio(struct bench *b, sigset_t *old)
{
	unsigned long long wake;
	unsigned int first;
	int seen = 0, ret = 0;

	while (!ret && !done(b)) {
		while (sigio_count == seen && !stop)
			sigsuspend(old);
		seen = sigio_count;
		wake = sigio_wake_ns;
		sigio_wake_ns = 0;
		first = b->got;
		ret = async_drain(b, wake);
		charge(b, first);
	}
	return ret;
}

static int setup_sigio(struct bench *b, sigset_t *old)
{
	struct sigaction sa = { .sa_handler = on_sigio,
				.sa_flags = SA_RESTART };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGIO, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGIO);
	sigprocmask(SIG_BLOCK, &block, old);
	if (fcntl(b->fd, F_SETOWN, getpid()) < 0 ||
	    fcntl(b->fd, F_SETFL, fcntl(b->fd, F_GETFL) | O_ASYNC | O_NONBLOCK) < 0)
		return fail("fcntl");
	return 0;
}

/*
 * The design document's reader: the SIGIO handler only sets a flag, and
 * the program sleeps a second at a time and reads when it finds the flag
 * set. A signal does not cut the second short: the document's reader is
 * Python, whose time.sleep() sleeps on after a handler ran (PEP 475).
 */
static int run_async_sleep(struct bench *b)
{
	struct timespec next;
	unsigned int first;
	int seen = 0, ret = 0;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!ret && !done(b)) {
		next.tv_sec++;
		while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
						&next, NULL) == EINTR)
			;
		if (sigio_count == seen)
			continue;
		seen = sigio_count;
		first = b->got;
		ret = async_drain(b, now_ns());
		charge(b, first);
	}
	return ret;
}

/* As setup_sigio(), but SIGIO stays unblocked: it comes during the sleep. */
static int setup_sleep(struct bench *b, sigset_t *old)
{
	if (setup_sigio(b, old))
		return -1;
	sigprocmask(SIG_SETMASK, old, NULL);
	return 0;
}

static int setup_gpio_cdev(struct bench *b)
{
	struct gpio_v2_line_request req;
	int chip = open(b->device, O_RDONLY | O_CLOEXEC);

	if (chip < 0)
		return fail(b->device);
	memset(&req, 0, sizeof(req));
	req.offsets[0] = b->line;
	req.num_lines = 1;
	snprintf(req.consumer, sizeof(req.consumer), "notify-bench");
	req.config.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING;
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req) < 0) {
		fail("GPIO_V2_GET_LINE_IOCTL");
		close(chip);
		return -1;
	}
	close(chip);
	b->fd = req.fd;
	return 0;
}

/* timestamp_ns is CLOCK_MONOTONIC unless the request asked otherwise. */
static int run_gpio_cdev(struct bench *b)
{
	struct gpio_v2_line_event ev;
	unsigned long long t;
	unsigned int first;
	ssize_t n;

	while (!done(b)) {
		first = b->got;
		n = read(b->fd, &ev, sizeof(ev));
		t = now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(ev))
			return n < 0 ? fail("read") : -1;
		check_seq(b, ev.line_seqno);
		if (ev.id == GPIO_V2_LINE_EVENT_RISING_EDGE)
			record(b, t, t, ev.timestamp_ns, 0);
		charge(b, first);
	}
	return 0;
}

/* epoll_wait(), then read the line's events until EAGAIN. */
static int run_gpio_cdev_epoll(struct bench *b)
{
	struct gpio_v2_line_event ev;
	unsigned long long t;
	unsigned int first;
	int ep, ret = 0;
	ssize_t n;

	fcntl(b->fd, F_SETFL, fcntl(b->fd, F_GETFL) | O_NONBLOCK);
	ep = epoll_on(b);
	if (ep < 0)
		return -1;
	while (!ret && !done(b)) {
		ret = epoll_in(ep);
		if (ret <= 0)
			continue;
		ret = 0;
		t = now_ns();
		first = b->got;
		while ((n = read(b->fd, &ev, sizeof(ev))) == sizeof(ev)) {
			check_seq(b, ev.line_seqno);
			if (ev.id == GPIO_V2_LINE_EVENT_RISING_EDGE)
				record(b, t, now_ns(), ev.timestamp_ns, 0);
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			ret = fail("read");
		charge(b, first);
	}
	close(ep);
	return ret;
}

static int setup_evdev(struct bench *b)
{
	int clk = CLOCK_MONOTONIC;

	if (ioctl(b->fd, EVIOCSCLOCKID, &clk) < 0)
		return fail("EVIOCSCLOCKID");
	return 0;
}

/* gpio-keys reports both edges: only presses are the pulses' events. */
static int run_evdev(struct bench *b)
{
	struct input_event ev[16];
	unsigned long long t, stamp;
	unsigned int first;
	ssize_t n, i;

	while (!done(b)) {
		first = b->got;
		n = read(b->fd, ev, sizeof(ev));
		t = now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? fail("read") : -1;
		for (i = 0; i < n / (ssize_t)sizeof(*ev) && !done(b); i++) {
			if (ev[i].type == EV_SYN && ev[i].code == SYN_DROPPED)
				b->gaps++;
			if (ev[i].type != EV_KEY || ev[i].code != KEY_POWER ||
			    ev[i].value != 1)
				continue;
			stamp = ev[i].input_event_sec * 1000000000ULL +
				ev[i].input_event_usec * 1000ULL;
			record(b, t, t, stamp, 0);
		}
		charge(b, first);
	}
	return 0;
}

/*
 * read() gives the interrupt count; uio_pdrv_genirq disabled the line in
 * its handler, so write 1 to enable it again.
 */
static int run_uio(struct bench *b)
{
	const int one = 1;
	unsigned long long t;
	unsigned int count, first;
	ssize_t n;

	while (!done(b)) {
		first = b->got;
		n = read(b->fd, &count, sizeof(count));
		t = now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(count))
			return n < 0 ? fail("read") : -1;
		check_seq(b, count);
		record(b, t, t, 0, 0);
		if (write(b->fd, &one, sizeof(one)) != sizeof(one))
			return fail("write (irq enable)");
		charge(b, first);
	}
	return 0;
}

/*
 * UIO's SIGIO (uio_event_notify() calls kill_fasync()): the same
 * sigsuspend() loop as async-notify's subscriber, then the count, read
 * without blocking, and the write that enables the interrupt again.
 */
static int run_uio_sigio(struct bench *b, sigset_t *old)
{
	const int one = 1;
	unsigned long long wake;
	unsigned int count, first;
	int seen = 0;
	ssize_t n;

	while (!done(b)) {
		while (sigio_count == seen && !stop)
			sigsuspend(old);
		if (stop)
			break;
		seen = sigio_count;
		wake = sigio_wake_ns;
		sigio_wake_ns = 0;
		first = b->got;
		n = read(b->fd, &count, sizeof(count));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n != sizeof(count))
			return n < 0 ? fail("read") : -1;
		check_seq(b, count);
		record(b, wake, now_ns(), 0, 0);
		if (write(b->fd, &one, sizeof(one)) != sizeof(one))
			return fail("write (irq enable)");
		charge(b, first);
	}
	return 0;
}

enum method {
	M_SIGIO, M_RTSIG, M_POLL, M_EPOLL, M_BLOCK, M_SLEEP, M_GPIO_CDEV,
	M_GPIO_CDEV_EPOLL, M_EVDEV, M_UIO, M_UIO_SIGIO,
};

static const char *const method_names[] = {
	[M_SIGIO] = "sigio", [M_RTSIG] = "rtsig", [M_POLL] = "poll",
	[M_EPOLL] = "epoll", [M_BLOCK] = "block", [M_SLEEP] = "sleep",
	[M_GPIO_CDEV] = "gpio-cdev",
	[M_GPIO_CDEV_EPOLL] = "gpio-cdev-epoll", [M_EVDEV] = "evdev",
	[M_UIO] = "uio", [M_UIO_SIGIO] = "uio-sigio",
};

static int parse_method(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(method_names) / sizeof(*method_names); i++)
		if (!strcmp(s, method_names[i]))
			return i;
	return -1;
}

static int setup(struct bench *b, enum method m, sigset_t *old)
{
	struct async_notify_info info;

	if (m == M_GPIO_CDEV || m == M_GPIO_CDEV_EPOLL)
		return setup_gpio_cdev(b);
	b->fd = open(b->device, m == M_UIO || m == M_UIO_SIGIO ? O_RDWR : O_RDONLY);
	if (b->fd < 0)
		return fail(b->device);
	switch (m) {
	case M_EVDEV:
		return setup_evdev(b);
	case M_UIO:
		return 0;
	case M_UIO_SIGIO:
		return setup_sigio(b, old);
	default:
		break;
	}
	if (ioctl(b->fd, ASYNC_NOTIFY_IOC_INFO, &info) < 0)
		return fail("ASYNC_NOTIFY_IOC_INFO");
	b->binary = info.format == ASYNC_NOTIFY_FORMAT_BINARY;
	switch (m) {
	case M_RTSIG:
		return setup_rtsig(b);
	case M_SIGIO:
		return setup_sigio(b, old);
	case M_SLEEP:
		return setup_sleep(b, old);
	default:
		return 0;
	}
}

static int run(struct bench *b, enum method m, sigset_t *old)
{
	switch (m) {
	case M_SIGIO:
		return run_async_sigio(b, old);
	case M_RTSIG:
		return run_async_rtsig(b);
	case M_POLL:
		return run_async_poll(b);
	case M_EPOLL:
		return run_async_epoll(b);
	case M_BLOCK:
		return run_async_block(b);
	case M_SLEEP:
		return run_async_sleep(b);
	case M_GPIO_CDEV:
		return run_gpio_cdev(b);
	case M_GPIO_CDEV_EPOLL:
		return run_gpio_cdev_epoll(b);
	case M_EVDEV:
		return run_evdev(b);
	case M_UIO_SIGIO:
		return run_uio_sigio(b, old);
	default:
		return run_uio(b);
	}
}

static int touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return fail(path);
	close(fd);
	return 0;
}

/* The state letter of a task (/proc/PID/stat), or 0. */
static char task_state(int pid)
{
	char path[64], state = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = 0;
	fclose(f);
	return state;
}

/*
 * An IRQ thread sets its own CPUs once, when it first runs, from the
 * IRQ's effective affinity; a GPIO line's has none, so it may run on any
 * CPU. Pin it once it waits for its first interrupt.
 */
static int pin_irq_thread(int pid, int cpu)
{
	int i;

	for (i = 0; i < 100 && task_state(pid) != 'S'; i++)
		usleep(10000);
	if (task_state(pid) != 'S') {
		fprintf(stderr, "notify-bench: IRQ thread %d does not wait\n", pid);
		return -1;
	}
	return pin(pid, cpu);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "irq", required_argument, NULL, 'i' },
		{ "label", required_argument, NULL, 'l' },
		{ "ready", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct bench b = { .want = 25, .line = 3, .fd = -1 };
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned int timeout = 60, irq_nr, cpu_nr, i;
	const char *ready = NULL;
	int opt, m, ret, irq = -1, cpu = -1;
	sigset_t old;

	while ((opt = getopt_long(argc, argv, "n:c:t:i:l:r:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
		case 'c':
		case 't':
		case 'i':
			if (parse_uint(optarg, 0, MAX_NUMBER, opt == 'n' ? &b.want :
				       opt == 'c' ? &cpu_nr :
				       opt == 't' ? &timeout : &irq_nr)) {
				fprintf(stderr, "notify-bench: bad number '%s'\n", optarg);
				return EXIT_USAGE;
			}
			if (opt == 'i')
				irq = irq_nr;
			if (opt == 'c')
				cpu = cpu_nr;
			break;
		case 'l':
			b.label = optarg;
			break;
		case 'r':
			ready = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	m = optind < argc ? parse_method(argv[optind]) : -1;
	if (!b.want || m < 0 || argc - optind < 2 || argc - optind > 3 ||
	    (argc - optind == 3 && ((m != M_GPIO_CDEV && m != M_GPIO_CDEV_EPOLL) ||
				    parse_uint(argv[optind + 2], 0, MAX_NUMBER, &b.line)))) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	b.device = argv[optind + 1];
	if (!b.label)
		b.label = method_names[m];
	b.s = calloc(b.want, sizeof(*b.s));
	if (!b.s) {
		fputs("notify-bench: out of memory\n", stderr);
		return EXIT_FAILURE;
	}

	if (cpu >= 0 && pin(0, cpu))
		return EXIT_FAILURE;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&old);
	if (setup(&b, m, &old))
		return EXIT_FAILURE;

	/* The IRQ thread, if any, exists once the line is requested. */
	b.thread = irq_thread(irq);
	if (b.thread && cpu >= 0 && pin_irq_thread(b.thread, cpu))
		return EXIT_FAILURE;
	b.thread_mark = task_runtime(b.thread);
	if (ready && touch(ready))
		return EXIT_FAILURE;
	alarm(timeout);
	b.cpu_mark = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	ret = run(&b, m, &old);
	alarm(0);

	for (i = 0; i < b.got; i++)
		printf("event %s %llu %llu %llu %lld %lld %llu\n", b.label,
		       b.s[i].wake, b.s[i].data, b.s[i].stamp, b.s[i].cpu,
		       b.s[i].thread, b.s[i].parse);
	printf("phase %s pulses=%u events=%u signals=%d gaps=%llu\n",
	       b.label, b.want, b.got, atomic_load(&sigio_count), b.gaps);
	if (timed_out && b.got < b.want) {
		fprintf(stderr, "notify-bench: %s: timeout: %u of %u events\n",
			b.label, b.got, b.want);
		return EXIT_TIMEOUT;
	}
	return ret ? EXIT_FAILURE : 0;
}
