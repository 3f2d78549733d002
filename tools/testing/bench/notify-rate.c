// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify-rate: how many events a second reach a reader, and how many are
 * lost, at one rate of an async-notify timer device in fifo mode, read
 * by a SIGIO subscriber or an epoll reader; or, as the ceiling of
 * wake-ups the machine can deliver, of a userspace timerfd.
 *
 * The reader counts what it got and the gaps in the frames' seq; the
 * driver's sysfs counters say what it produced, dropped and overran.
 * The two views must agree. make bench runs it at increasing rates.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* The driver's longest period: writing it stops the ticks for a minute. */
#define PERIOD_MAX_US	60000000U
#define PERIOD_MIN_US	1U
#define MAX_SECONDS	600U
/* How long the driver may take to make its last events into frames. */
#define SETTLE_NS	2000000000ULL
/* The counters must not move for this long to count as settled. */
#define POLL_SETTLE_US	10000

static const char usage[] =
"usage: notify-rate [-c CPU] METHOD DEVICE PERIOD_US SECONDS\n"
"Read a timer source at one period for SECONDS; print one record.\n"
"\n"
"  METHOD DEVICE   sigio or epoll on an async-notify device whose source\n"
"                  is the timer, in fifo mode (its period_us is set);\n"
"                  timerfd (DEVICE: -), the ceiling of wake-ups\n"
"  -c CPU          run on that CPU only\n"
"\n"
"Record (counts over the run):\n"
"  rate METHOD PERIOD_US seconds=S produced=P delivered=D lost=L\n"
"       wakeups=W dropped=X overruns=O agree=A\n"
"    async-notify: P events (sysfs), D frames read, L events missing\n"
"    from the frames' seq, W signals or epoll returns, X and O the\n"
"    sysfs dropped and overruns; A is 1 when the reader and sysfs\n"
"    agree (D = frames stored, L = X + O).\n"
"    timerfd: P expirations, D = W wake-ups (reads), L = P - D\n"
"    expirations that came while the reader had not yet read the last\n"
"    one; X, O and A are 0, 0 and 1.\n"
"\n"
"Exit status: 0 done (losses are results, not errors), 1 error, 2 usage.\n";

struct rate {
	const char *method, *device;
	int fd;
	char sysfs[256];
	unsigned int period_us, seconds;
	unsigned long long next_seq;	/* the seq the reader expects next */
	unsigned long long delivered, lost, wakeups, produced;
	struct counters before, after;
};

/* SIGIOs so far (bench.h says why atomic). */
static atomic_int sigio_count;

static void on_sigio(int sig)
{
	(void)sig;
	sigio_count++;
}

static int set_period(const struct rate *r, unsigned int us)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/period_us", r->sysfs);
	f = fopen(path, "w");
	if (!f)
		return fail(path);
	fprintf(f, "%u\n", us);
	if (fclose(f))
		return fail(path);
	return 0;
}

/* Count the frames "seq=N ts=T\n" of one read and the gaps between them. */
static void take_frames(struct rate *r, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl;
	unsigned long long seq;

	while (p < end && (nl = memchr(p, '\n', end - p))) {
		if (!strncmp(p, "seq=", 4)) {
			seq = strtoull(p + 4, NULL, 10);
			if (seq >= r->next_seq)
				r->lost += seq - r->next_seq;
			r->next_seq = seq + 1;
			r->delivered++;
		}
		p = nl + 1;
	}
}

/* Read until EAGAIN: 0, or -1 on an error. */
static int drain(struct rate *r)
{
	static char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(r->fd, buf, sizeof(buf));
		if (n > 0) {
			take_frames(r, buf, n);
			continue;
		}
		if (!n || errno == EAGAIN)
			return 0;
		if (errno != EINTR)
			return fail("read");
	}
}

static int run_sigio(struct rate *r, sigset_t *old)
{
	int seen = 0;

	while (!stop) {
		while (sigio_count == seen && !stop)
			sigsuspend(old);
		if (sigio_count != seen)
			r->wakeups++;
		seen = sigio_count;
		if (drain(r))
			return -1;
	}
	return 0;
}

static int run_epoll(struct rate *r)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC), n, ret = 0;

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, r->fd, &ev) < 0)
		return fail("epoll");
	while (!ret && !stop) {
		n = epoll_wait(ep, &ev, 1, -1);
		if (n < 0 && errno != EINTR)
			ret = fail("epoll_wait");
		if (n > 0) {
			r->wakeups++;
			ret = drain(r);
		}
	}
	close(ep);
	return ret;
}

static int same(const struct counters *a, const struct counters *b)
{
	return a->events == b->events && a->frames == b->frames &&
	       a->dropped == b->dropped && a->overruns == b->overruns;
}

/*
 * Stop the ticks without closing (closing would discard the buffer):
 * the longest period takes effect from the next tick. Then wait until
 * the counters stop moving (the last events have become frames, or been
 * counted as lost) and read what is left.
 */
static int settle(struct rate *r)
{
	unsigned long long deadline = now_ns() + SETTLE_NS, since;
	struct counters c, last = { 0 };

	if (set_period(r, PERIOD_MAX_US))
		return -1;
	/* The tick already armed at the old period still comes. */
	since = now_ns() + 2ULL * r->period_us * 1000;
	for (;;) {
		if (read_counters(r->sysfs, &c))
			return -1;
		if (now_ns() > since && same(&c, &last))
			break;
		if (now_ns() > deadline) {
			fprintf(stderr,
				"notify-rate: counters still moving after %llu ms: events %llu frames %llu dropped %llu overruns %llu since the start\n",
				SETTLE_NS / 1000000, c.events - r->before.events,
				c.frames - r->before.frames,
				c.dropped - r->before.dropped,
				c.overruns - r->before.overruns);
			return -1;
		}
		last = c;
		usleep(POLL_SETTLE_US);
	}
	return drain(r);
}

static int run_async(struct rate *r, int use_sigio)
{
	struct sigaction sa = { .sa_handler = on_sigio };
	sigset_t block, old;
	int ret;

	/* Closed, the source is stopped: the counters stand still. */
	if (read_counters(r->sysfs, &r->before) || set_period(r, r->period_us))
		return -1;
	r->next_seq = r->before.events + 1;
	r->fd = open(r->device, O_RDONLY | O_NONBLOCK);
	if (r->fd < 0)
		return fail(r->device);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGIO, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGIO);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (use_sigio &&
	    (fcntl(r->fd, F_SETOWN, getpid()) < 0 ||
	     fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) | O_ASYNC)))
		return fail("fcntl");
	alarm(r->seconds);
	ret = use_sigio ? run_sigio(r, &old) : run_epoll(r);
	if (!ret)
		ret = settle(r);
	close(r->fd);
	if (ret || read_counters(r->sysfs, &r->after))
		return -1;
	r->produced = r->after.events - r->before.events;
	/* Events after the last frame read are lost too. */
	r->lost += r->after.events + 1 - r->next_seq;
	return 0;
}

static int run_timerfd(struct rate *r)
{
	struct itimerspec its = { 0 };
	unsigned long long deadline, exp;
	ssize_t n;

	r->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (r->fd < 0)
		return fail("timerfd_create");
	its.it_interval.tv_sec = r->period_us / 1000000;
	its.it_interval.tv_nsec = r->period_us % 1000000 * 1000;
	its.it_value = its.it_interval;
	deadline = now_ns() + r->seconds * 1000000000ULL;
	if (timerfd_settime(r->fd, 0, &its, NULL) < 0)
		return fail("timerfd_settime");
	while (now_ns() < deadline) {
		n = read(r->fd, &exp, sizeof(exp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(exp))
			return fail("read timerfd");
		r->produced += exp;
		r->wakeups++;
	}
	close(r->fd);
	r->delivered = r->wakeups;
	r->lost = r->produced - r->delivered;
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct rate r = { .fd = -1 };
	const char *dev, *base;
	unsigned int cpu;
	int opt, ret, agree = 1;

	while ((opt = getopt(argc, argv, "c:h")) != -1) {
		switch (opt) {
		case 'c':
			if (parse_uint(optarg, 0, CPU_SETSIZE - 1, &cpu) || pin(0, cpu))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 4 ||
	    parse_uint(argv[optind + 2], PERIOD_MIN_US, PERIOD_MAX_US, &r.period_us) ||
	    parse_uint(argv[optind + 3], 1, MAX_SECONDS, &r.seconds)) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	r.method = argv[optind];
	dev = argv[optind + 1];
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	if (!strcmp(r.method, "timerfd")) {
		ret = run_timerfd(&r);
	} else if (!strcmp(r.method, "sigio") || !strcmp(r.method, "epoll")) {
		base = strrchr(dev, '/');
		snprintf(r.sysfs, sizeof(r.sysfs), "/sys/class/misc/%s",
			 base ? base + 1 : dev);
		r.device = dev;
		ret = run_async(&r, !strcmp(r.method, "sigio"));
		agree = r.delivered == r.after.frames - r.before.frames &&
			r.lost == (r.after.dropped - r.before.dropped) +
				  (r.after.overruns - r.before.overruns);
	} else {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (ret)
		return EXIT_FAILURE;
	fprintf(stdout,
		"rate %s %u seconds=%u produced=%llu delivered=%llu lost=%llu wakeups=%llu dropped=%llu overruns=%llu agree=%d\n",
		r.method, r.period_us, r.seconds, r.produced, r.delivered,
		r.lost, r.wakeups, r.after.dropped - r.before.dropped,
		r.after.overruns - r.before.overruns, agree);
	return 0;
}
