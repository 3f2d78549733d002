// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify-fanout: one interrupt to FILES subscribed files at once. The
 * files are spread over min(FILES, MAX_PROCS) forked processes; each
 * process subscribes its files with F_SETOWN + O_ASYNC and, on SIGIO,
 * reads every one of them until EAGAIN. Per event, the times the first
 * and the last file had it; per run, the CPU time the kernel spent
 * (/proc/stat) and the subscribers' own (getrusage).
 *
 * make bench runs it on an async-notify device in latest mode, where
 * every file reads every frame, and on UIO (uio_pdrv_genirq), the peer
 * whose files also each get SIGIO; notify-bench-report fits the cost
 * per subscriber.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>

#include "bench.h"

/* Two CPUs in the guest: more processes only queue behind each other. */
#define MAX_PROCS	8
#define MAX_FILES	1024
#define MAX_EVENTS	100
#define MAX_TIMEOUT_S	600

static const char usage[] =
"usage: notify-fanout [options] METHOD DEVICE FILES\n"
"Subscribe FILES files of DEVICE to SIGIO, over min(FILES, 8) processes,\n"
"and wait until every file had EVENTS events.\n"
"\n"
"  METHOD            async: an async-notify device in latest mode (each\n"
"                    file reads each frame); uio: a /dev/uioN of\n"
"                    uio_pdrv_genirq (the first file enables the IRQ\n"
"                    again after each event)\n"
"  -n, --count N     events to wait for (default 20)\n"
"  -t, --timeout S   give up after S seconds (default 60)\n"
"  -c, --cpu CPU     run every process on that CPU only\n"
"  -l, --label L     the name in the records (default: METHOD)\n"
"  -r, --ready FILE  create FILE once every file is subscribed\n"
"  -h, --help        show this help\n"
"\n"
"Records (times in ns, CLOCK_MONOTONIC):\n"
"  fanout LABEL FILES SEQ GOT FIRST LAST STAMP\n"
"    the event SEQ reached GOT of the FILES files, the first at FIRST,\n"
"    the last at LAST (after its read() returned); STAMP: the frame's\n"
"    ts, 0 for UIO\n"
"  fanout-run LABEL files=F procs=P wanted=N events=E complete=C\n"
"             kernel_ns=K subscribers_ns=S\n"
"    N: -n; E: events any file had; C: events that reached all F files\n"
"    (both N when every file had every event); K: system + irq + softirq time\n"
"    of all CPUs (/proc/stat) from the subscription to the end; S: the\n"
"    processes' user + system time (getrusage)\n"
"\n"
"Exit status: 0 every file had every event, 1 error, 2 usage, 3 timeout.\n";

enum method { M_ASYNC, M_UIO };

/* One event as one process saw it, or (merged) as all of them did. */
struct hit {
	unsigned long long seq, first, last, stamp;
	unsigned int files;
};

struct fanout {
	enum method method;
	const char *device, *label, *ready;
	unsigned int files, procs, want, timeout_s;
	int cpu;			/* -1: no pinning */
	int results[2];			/* pipe: children's hits to the parent */
	int subscribed[2];		/* pipe: a byte per ready child */
};

/* One child: its files, what each has had, and the events it saw. */
struct subscriber {
	const struct fanout *f;
	int fd[MAX_FILES];
	unsigned int got[MAX_FILES];
	unsigned int nfds, index;
	struct hit hits[MAX_EVENTS];
	unsigned int nhits;
};

/* SIGIOs so far (bench.h says why atomic). */
static atomic_int sigio_count;

static void on_sigio(int sig)
{
	(void)sig;
	sigio_count++;
}

/* Note that one more file had event @seq at @t. */
static void note(struct subscriber *s, unsigned long long seq,
		 unsigned long long stamp, unsigned long long t)
{
	struct hit *h;
	unsigned int i;

	for (i = 0; i < s->nhits && s->hits[i].seq != seq; i++)
		;
	if (i == s->nhits) {
		if (s->nhits == MAX_EVENTS)
			return;
		s->nhits++;
		s->hits[i] = (struct hit){ .seq = seq, .first = t,
					   .stamp = stamp };
	}
	h = &s->hits[i];
	h->last = t;
	h->files++;
}

/* One read of file @k: 1 if it had an event, 0 on EAGAIN, -1 on error. */
static int take(struct subscriber *s, unsigned int k)
{
	unsigned long long seq, stamp = 0;
	char buf[ASYNC_NOTIFY_FRAME_MAX + 1];
	unsigned int count;
	ssize_t n;

	if (s->f->method == M_UIO) {
		n = read(s->fd[k], &count, sizeof(count));
		seq = count;
		if (n > 0 && n != sizeof(count))
			n = -1;
	} else {
		n = read(s->fd[k], buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			if (sscanf(buf, ASYNC_NOTIFY_FRAME_FMT, &seq, &stamp) != 2)
				return -1;
		}
	}
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : fail("read");
	if (!n)
		return -1;
	note(s, seq, stamp, now_ns());
	s->got[k]++;
	return 1;
}

/* Read every file until EAGAIN; the first process enables UIO's IRQ. */
static int drain(struct subscriber *s)
{
	const int one = 1;
	unsigned int k;
	int any = 0, r;

	for (k = 0; k < s->nfds; k++) {
		while ((r = take(s, k)) > 0)
			any = 1;
		if (r < 0)
			return -1;
	}
	if (any && s->f->method == M_UIO && !s->index &&
	    write(s->fd[0], &one, sizeof(one)) != sizeof(one))
		return fail("write (irq enable)");
	return 0;
}

static int all_done(const struct subscriber *s)
{
	unsigned int k;

	for (k = 0; k < s->nfds; k++)
		if (s->got[k] < s->f->want)
			return 0;
	return 1;
}

static int subscribe(struct subscriber *s, unsigned int nfds)
{
	int flags = s->f->method == M_UIO ? O_RDWR : O_RDONLY;
	unsigned int k;

	for (k = 0; k < nfds; k++) {
		s->fd[k] = open(s->f->device, flags | O_NONBLOCK | O_CLOEXEC);
		if (s->fd[k] < 0)
			return fail(s->f->device);
		s->nfds++;
		if (fcntl(s->fd[k], F_SETOWN, getpid()) < 0 ||
		    fcntl(s->fd[k], F_SETFL,
			  fcntl(s->fd[k], F_GETFL) | O_ASYNC) < 0)
			return fail("fcntl");
	}
	return 0;
}

/* The subscriber of the user's guide: sigsuspend(), read until EAGAIN. */
static int wait_events(struct subscriber *s, sigset_t *old)
{
	int seen = 0;

	while (!stop && !all_done(s)) {
		while (sigio_count == seen && !stop)
			sigsuspend(old);
		seen = sigio_count;
		if (drain(s))
			return -1;
	}
	return timed_out ? EXIT_TIMEOUT : 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail("write (results)");
		p += n;
		len -= n;
	}
	return 0;
}

/* Child @index of the run: its share of the files, then its hits. */
static int child(const struct fanout *f, unsigned int index)
{
	static struct subscriber s;
	struct sigaction sa = { .sa_handler = on_sigio };
	unsigned int nfds = f->files / f->procs +
			    (index < f->files % f->procs);
	sigset_t block, old;
	int ret;

	s.f = f;
	s.index = index;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGIO, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGIO);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (subscribe(&s, nfds) || write_all(f->subscribed[1], "", 1))
		return EXIT_FAILURE;
	alarm(f->timeout_s);
	ret = wait_events(&s, &old);
	if (ret < 0 || write_all(f->results[1], s.hits,
				 s.nhits * sizeof(*s.hits)))
		return EXIT_FAILURE;
	return ret;
}

/* Kernel time of all CPUs so far: system + irq + softirq, in ns. */
static int kernel_ns(unsigned long long *ns)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *st = fopen("/proc/stat", "r");
	int ok;

	if (!st)
		return fail("/proc/stat");
	ok = fscanf(st, "cpu %llu %llu %llu %llu %llu %llu %llu", &user,
		    &nice, &sys, &idle, &iowait, &irq, &softirq) == 7;
	fclose(st);
	if (!ok || hz <= 0) {
		fputs("notify-fanout: /proc/stat: no cpu line\n", stderr);
		return -1;
	}
	*ns = (sys + irq + softirq) * (NS_PER_S / hz);
	return 0;
}

/* Every hit with the same seq merged into one, in @hits. */
static unsigned int merge(struct hit *hits, unsigned int n)
{
	unsigned int i, j, out = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < out && hits[j].seq != hits[i].seq; j++)
			;
		if (j == out) {
			hits[out++] = hits[i];
			continue;
		}
		if (hits[i].first < hits[j].first)
			hits[j].first = hits[i].first;
		if (hits[i].last > hits[j].last)
			hits[j].last = hits[i].last;
		hits[j].files += hits[i].files;
	}
	return out;
}

/* Everything the children sent, until the last of them closed its end. */
static int collect(const struct fanout *f, struct hit *hits, unsigned int *n)
{
	size_t cap = (size_t)f->procs * MAX_EVENTS * sizeof(*hits), len = 0;
	ssize_t r;

	for (;;) {
		r = read(f->results[0], (char *)hits + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail("read (results)");
		if (!r || len + r == cap) {
			len += r;
			break;
		}
		len += r;
	}
	*n = merge(hits, len / sizeof(*hits));
	return 0;
}

/* Wait for every child: 0 if all did well, else the worst status. */
static int reap(const struct fanout *f, const pid_t *pids)
{
	unsigned int i;
	int status, ret = 0;

	for (i = 0; i < f->procs; i++) {
		if (waitpid(pids[i], &status, 0) < 0)
			return fail("waitpid");
		if (!WIFEXITED(status))
			ret = EXIT_FAILURE;
		else if (WEXITSTATUS(status) && ret != EXIT_FAILURE)
			ret = WEXITSTATUS(status);
	}
	return ret;
}

/* Wait until every child subscribed, then say so with the ready file. */
static int announce(const struct fanout *f)
{
	unsigned int n = 0;
	char c;
	ssize_t r;
	int fd;

	while (n < f->procs) {
		r = read(f->subscribed[0], &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fputs("notify-fanout: a subscriber failed before it was ready\n",
			      stderr);
			return -1;
		}
		n++;
	}
	if (!f->ready)
		return 0;
	fd = open(f->ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail(f->ready);
	close(fd);
	return 0;
}

static unsigned long long tv_ns(const struct timeval *tv)
{
	return tv->tv_sec * NS_PER_S + tv->tv_usec * NS_PER_US;
}

static void print(const struct fanout *f, const struct hit *hits,
		  unsigned int n, unsigned long long kernel)
{
	unsigned int i, complete = 0;
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	for (i = 0; i < n; i++) {
		printf("fanout %s %u %llu %u %llu %llu %llu\n", f->label,
		       f->files, hits[i].seq, hits[i].files, hits[i].first,
		       hits[i].last, hits[i].stamp);
		complete += hits[i].files == f->files;
	}
	printf("fanout-run %s files=%u procs=%u wanted=%u events=%u complete=%u ",
	       f->label, f->files, f->procs, f->want, n, complete);
	printf("kernel_ns=%llu subscribers_ns=%llu\n", kernel,
	       tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime));
}

static int spawn(struct fanout *f, pid_t *pids)
{
	unsigned int i;

	for (i = 0; i < f->procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return fail("fork");
		if (!pids[i]) {
			close(f->results[0]);
			close(f->subscribed[0]);
			_exit(child(f, i));
		}
	}
	close(f->results[1]);
	close(f->subscribed[1]);
	return 0;
}

static void stop_children(const struct fanout *f, const pid_t *pids)
{
	unsigned int i;

	for (i = 0; i < f->procs; i++)
		kill(pids[i], SIGTERM);
	reap(f, pids);
}

static int run(struct fanout *f)
{
	static struct hit hits[MAX_PROCS * MAX_EVENTS];
	static pid_t pids[MAX_PROCS];
	unsigned long long k0, k1;
	unsigned int n = 0;
	int ret;

	if (pipe(f->results) || pipe(f->subscribed))
		return fail("pipe");
	/* Children see the results pipe until the output is written. */
	fflush(stdout);
	if (spawn(f, pids))
		return EXIT_FAILURE;
	if (announce(f) || kernel_ns(&k0) || collect(f, hits, &n)) {
		stop_children(f, pids);
		return EXIT_FAILURE;
	}
	ret = reap(f, pids);
	if (kernel_ns(&k1))
		return EXIT_FAILURE;
	print(f, hits, n, k1 - k0);
	return ret;
}

static int parse_args(struct fanout *f, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "label", required_argument, NULL, 'l' },
		{ "ready", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	unsigned int cpu;
	int opt;

	while ((opt = getopt_long(argc, argv, "n:t:c:l:r:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (parse_uint(optarg, 1, MAX_EVENTS, &f->want))
				return -1;
			break;
		case 't':
			if (parse_uint(optarg, 1, MAX_TIMEOUT_S, &f->timeout_s))
				return -1;
			break;
		case 'c':
			if (parse_uint(optarg, 0, CPU_SETSIZE - 1, &cpu) || pin(0, cpu))
				return -1;
			break;
		case 'l':
			f->label = optarg;
			break;
		case 'r':
			f->ready = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (argc - optind != 3 ||
	    parse_uint(argv[optind + 2], 1, MAX_FILES, &f->files))
		return -1;
	if (!strcmp(argv[optind], "async"))
		f->method = M_ASYNC;
	else if (!strcmp(argv[optind], "uio"))
		f->method = M_UIO;
	else
		return -1;
	f->device = argv[optind + 1];
	if (!f->label)
		f->label = argv[optind];
	f->procs = f->files < MAX_PROCS ? f->files : MAX_PROCS;
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct fanout f = { .want = 20, .timeout_s = 60 };

	if (parse_args(&f, argc, argv)) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	return run(&f);
}
