// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-listen: subscribe to an async-notify device and print every
 * frame as it arrives, with its latency and what was missed.
 *
 * The signal methods show the right way to use SIGIO: the handler only
 * records that a signal came; the main loop waits for it with
 * sigsuspend() (no sleep, no race) and then reads until EAGAIN, because
 * standard signals coalesce: one SIGIO may stand for several frames.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>

#include "async-notify-frame.h"

#define EXIT_USAGE	2
#define EXIT_TIMEOUT	3
#define EXIT_GONE	4

enum method { M_SIGIO, M_RTSIG, M_THREAD, M_POLL, M_EPOLL, M_BLOCK };

static const char *const method_names[] = {
	[M_SIGIO] = "sigio", [M_RTSIG] = "rtsig", [M_THREAD] = "thread",
	[M_POLL] = "poll", [M_EPOLL] = "epoll", [M_BLOCK] = "block",
};

static const char usage[] =
"usage: async-notify-listen [options] DEVICE\n"
"Subscribe to an async-notify device and print each frame as it arrives.\n"
"\n"
"  -m, --method M    how to wait for frames (default sigio):\n"
"                      sigio   F_SETOWN + O_ASYNC, SIGIO; read until EAGAIN\n"
"                      rtsig   F_SETSIG SIGRTMIN: queued, with si_fd, si_band\n"
"                      thread  F_SETOWN_EX: SIGIO to one thread of the process\n"
"                      poll    poll() for POLLIN\n"
"                      epoll   epoll_wait() for EPOLLIN\n"
"                      block   blocking read()\n"
"  -n, --count N     stop after N frames (default: until SIGINT or SIGTERM);\n"
"                    in fifo mode it takes from the shared queue exactly\n"
"                    N lines (or records), no byte more\n"
"  -t, --timeout S   fail if --count frames have not come within S seconds\n"
"  -q, --quiet       print only the summary line\n"
"  -h, --help        show this help\n"
"\n"
"Output: one line per frame, then a summary:\n"
"  frame seq=12 ts=5012345678 latency_us=85 missed=0\n"
"                                          a frame from the data-ready source\n"
"  data \"hello\"                            a line from a writer, each byte\n"
"                                          outside ASCII 32-126, \" and \\ as \\xHH\n"
"  summary: frames=F source=S data=D missed=M signals=N bad_siginfo=B\n"
"missed counts the gaps in seq: events this listener never saw.\n"
"A frame is exactly \"seq=N ts=T\\n\" (decimal, no sign or leading zero,\n"
"at most 64 bytes); any other line is data. Writers can send such lines\n"
"too: only a device that no file has open for writing gives source\n"
"frames alone. latency_us is negative when ts is in the future.\n"
"A binary device's records (struct async_notify_record) print as frames\n"
"too; there every record-sized piece of a read is a record, except a\n"
"latest-mode frame of another size, which is a writer's data.\n"
"bad_siginfo counts signals with a wrong si_fd or si_band (rtsig), or\n"
"that reached another thread than the one named by F_SETOWN_EX (thread).\n"
"A line that comes in several reads (fifo mode) is printed whole once its\n"
"newline comes, or once it is as long as the device's buffer.\n"
"When it is ready it says on standard error:\n"
"  async-notify-listen: subscribed to DEVICE (M)\n"
"and from then on it sees every frame stored.\n"
"\n"
"Exit status: 0 done, 1 error (output lost too), 2 usage, 3 timeout,\n"
"4 device gone (unbound). SIGINT or SIGTERM before --count frames came\n"
"ends it, after the summary, by that signal.\n";

struct listener {
	const char *path;
	int fd;
	enum method method;
	unsigned long long count;	/* frames to wait for; 0: no limit */
	int quiet;
	int out_errno;		/* the first error writing standard output */
	char *buf;		/* an unfinished line, then what read() returned */
	char *esc;		/* a data line, escaped: 4 bytes per byte */
	size_t size;		/* one read: the device's buffer size */
	size_t carry;		/* bytes of the unfinished line at buf */
	int stream;		/* not latest mode: lines may span reads */
	int binary;		/* frames are struct async_notify_record */
	int have_seq;
	unsigned long long last_seq;
	unsigned long long frames, source, data, missed;
};

/*
 * Written by the signal handlers, read by the waiting loop: lock-free
 * atomics are safe to share with a handler (C11 7.14.1.1).
 */
static atomic_int signals, bad_siginfo, stop, stop_sig, timed_out;
static int expected_fd = -1;
static pid_t signal_tid;	/* thread method: the thread F_SETOWN_EX names */
static int block_fd = -1;	/* the file a blocking read() waits on */

/*
 * In rtsig mode SIGIO means that the real-time signal queue overflowed
 * (RLIMIT_SIGPENDING) and the kernel fell back to plain SIGIO: it too
 * only says "read until EAGAIN", and it carries no si_fd.
 */
static void on_notify(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	signals++;
	/* A real-time signal carries the file and the event: check both. */
	if (sig != SIGIO &&
	    (si->si_fd != expected_fd || !(si->si_band & (POLLIN | POLLHUP))))
		bad_siginfo++;
	/* With F_SETOWN_EX, no other thread may get the signal. */
	if (signal_tid && gettid() != signal_tid)
		bad_siginfo++;
}

/*
 * A blocking read() cannot unblock signals atomically as sigsuspend()
 * does: a signal that comes after the test of stop but before read()
 * sleeps would be lost. So the handler also makes that file
 * non-blocking: such a read() then returns at once. A signal that comes
 * while it sleeps interrupts it (EINTR: no SA_RESTART).
 */
static void on_stop(int sig)
{
	int err = errno;

	if (sig == SIGALRM)
		timed_out = 1;
	else
		stop_sig = sig;
	stop = 1;
	if (block_fd >= 0)
		fcntl(block_fd, F_SETFL, fcntl(block_fd, F_GETFL) | O_NONBLOCK);
	errno = err;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Print to standard output; remember the first error: the run fails. */
static void out(struct listener *l, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vprintf(fmt, ap);
	va_end(ap);
	if ((ret < 0 || ferror(stdout)) && !l->out_errno)
		l->out_errno = errno ? errno : EIO;
}

static int done(const struct listener *l)
{
	return stop || l->out_errno || (l->count && l->frames >= l->count);
}

/* A source frame, text or binary: count it, and the gap before it. */
static void handle_frame(struct listener *l, unsigned long long seq,
			 unsigned long long ts)
{
	unsigned long long gap = 0, now = now_ns();

	if (l->have_seq && seq > l->last_seq && seq - l->last_seq > 1)
		gap = seq - l->last_seq - 1;
	l->missed += gap;
	l->have_seq = 1;
	l->last_seq = seq;
	l->source++;
	if (l->quiet)
		return;
	/* A writer's frame may carry a ts later than now: say so. */
	out(l, "frame seq=%llu ts=%llu latency_us=%s%llu missed=%llu\n", seq, ts,
	    ts > now ? "-" : "", (ts > now ? ts - now : now - ts) / 1000, gap);
}

/*
 * A writer's bytes, quoted, every byte but printable ASCII (and the
 * quote and backslash) as \xHH: no escape sequence reaches a terminal.
 */
static void print_data(struct listener *l, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;
	char *e = l->esc;

	for (; len; len--, s++) {
		c = *s;
		if (c >= ' ' && c <= '~' && c != '"' && c != '\\') {
			*e++ = c;
			continue;
		}
		*e++ = '\\';
		*e++ = 'x';
		*e++ = hex[c >> 4];
		*e++ = hex[c & 15];
	}
	*e = '\0';
	out(l, "data \"%s\"\n", l->esc);
}

/* One line: a source frame, or a writer's bytes. */
static void handle_line(struct listener *l, const char *line, size_t len)
{
	unsigned long long seq, ts;

	l->frames++;
	if (an_parse_frame(line, len, &seq, &ts)) {
		handle_frame(l, seq, ts);
		return;
	}
	l->data++;
	if (!l->quiet)
		print_data(l, line, len && line[len - 1] == '\n' ? len - 1 : len);
}

/*
 * A binary device: what read() returned is records, whole. In latest
 * mode a read is one frame, and one of another size is a writer's data;
 * otherwise the device is a byte stream of records (writers are told not
 * to write anything else), and a record split across reads is kept
 * until its end comes.
 */
static void handle_records(struct listener *l, size_t n)
{
	struct async_notify_record rec;
	size_t len = l->carry + n, off = 0;

	if (!l->stream && len != sizeof(rec)) {
		handle_line(l, l->buf, len);
		l->carry = 0;
		return;
	}
	for (; len - off >= sizeof(rec); off += sizeof(rec)) {
		memcpy(&rec, l->buf + off, sizeof(rec));
		l->frames++;
		handle_frame(l, rec.seq, rec.ts_ns);
	}
	l->carry = len - off;
	memmove(l->buf, l->buf + off, l->carry);
}

/*
 * Split the unfinished line and what read() returned into lines. In
 * latest mode a read is one whole frame. Otherwise the device is a byte
 * stream: a line may come in several reads, so its start is kept until
 * its newline comes, unless it is already as long as the buffer (then
 * it is a writer's bytes, printed as they are: the carry stays bounded).
 */
static void handle_read(struct listener *l, size_t n)
{
	char *p = l->buf, *end = l->buf + l->carry + n, *nl;

	while ((nl = memchr(p, '\n', end - p))) {
		handle_line(l, p, nl + 1 - p);
		p = nl + 1;
	}
	l->carry = end - p;
	if (l->carry && (!l->stream || l->carry >= l->size)) {
		handle_line(l, p, l->carry);
		l->carry = 0;
	}
	memmove(l->buf, p, l->carry);
}

/* Say why waiting failed: the device is gone, or the call's error. */
static int report(const char *what, int err)
{
	if (err == ENODEV)
		fprintf(stderr, "async-notify-listen: the device is gone (unbound)\n");
	else
		fprintf(stderr, "async-notify-listen: %s: %s\n", what, strerror(err));
	return -err;
}

/*
 * How much the next read may take. In fifo mode a read takes what it
 * returns from the queue all readers share (in queue mode, from this
 * reader's own), so with --count it takes no more than the frames still
 * wanted can fill: every line has its newline, every record its 16
 * bytes, so the last frame wanted ends the last read.
 */
static size_t read_size(const struct listener *l)
{
	unsigned long long left = l->count - l->frames;

	if (!l->count || !l->stream || left >= l->size)
		return l->size;
	if (l->binary)
		left = left * sizeof(struct async_notify_record) - l->carry;
	return left < l->size ? left : l->size;
}

/* Read once; return 1 on data, 0 when nothing is there, -errno to stop. */
static int read_once(struct listener *l)
{
	ssize_t n = read(l->fd, l->buf + l->carry, read_size(l));

	if (n > 0) {
		if (l->binary)
			handle_records(l, n);
		else
			handle_read(l, n);
		return 1;
	}
	if (n == 0) {
		/* async-notify never ends a read of a whole buffer with 0. */
		fprintf(stderr, "async-notify-listen: %s: end of file: not async-notify?\n",
			l->path);
		return -EIO;
	}
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	return report("read", errno);
}

/* Standard signals coalesce: read until EAGAIN after each one. */
static int drain(struct listener *l)
{
	int ret = 0;

	while (!done(l) && (ret = read_once(l)) > 0)
		;
	return done(l) ? 0 : ret;
}

static int subscribe(struct listener *l)
{
	struct f_owner_ex owner = { .type = F_OWNER_TID, .pid = gettid() };
	int flags = fcntl(l->fd, F_GETFL);

	if (l->method == M_THREAD) {
		if (fcntl(l->fd, F_SETOWN_EX, &owner) < 0)
			return -errno;
	} else if (fcntl(l->fd, F_SETOWN, getpid()) < 0) {
		return -errno;
	}
	if (l->method == M_RTSIG && fcntl(l->fd, F_SETSIG, SIGRTMIN) < 0)
		return -errno;
	if (fcntl(l->fd, F_SETFL, flags | O_ASYNC | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/*
 * Block the signals that end or wake a wait, and keep them blocked
 * except inside sigsuspend(), ppoll() or epoll_pwait(), which unblock
 * them atomically: one that comes while we read or test stop stays
 * pending and ends the next wait at once, instead of being lost. The
 * wait's mask is the inherited one without them, whatever the parent
 * blocked.
 */
static void block_signals(const struct listener *l, sigset_t *old,
			  sigset_t *wait)
{
	int sigs[] = { SIGINT, SIGTERM, SIGALRM, SIGIO, SIGRTMIN };
	size_t i, n = 3;
	sigset_t set;

	if (l->method == M_SIGIO || l->method == M_RTSIG || l->method == M_THREAD)
		n = 4;
	if (l->method == M_RTSIG)
		n = 5;
	sigemptyset(&set);
	for (i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
	*wait = *old;
	for (i = 0; i < n; i++)
		sigdelset(wait, sigs[i]);
}

/*
 * Take what was there before we waited (it woke nobody), then tell the
 * user (or a test) on stderr that whatever comes next will be seen.
 */
static int ready(struct listener *l)
{
	int ret = l->method == M_BLOCK ? 0 : drain(l);

	if (!ret)
		fprintf(stderr, "async-notify-listen: subscribed to %s (%s)\n",
			l->path, method_names[l->method]);
	return ret;
}

static int wait_signals(struct listener *l)
{
	struct sigaction sa = { .sa_sigaction = on_notify,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	sigset_t old, wait;
	int seen = 0, ret;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGIO, &sa, NULL);
	if (l->method == M_RTSIG)
		sigaction(SIGRTMIN, &sa, NULL);
	block_signals(l, &old, &wait);

	ret = subscribe(l);
	if (ret)
		ret = report("fcntl", -ret);
	else
		ret = ready(l);
	while (!ret && !done(l)) {
		while (signals == seen && !stop)
			sigsuspend(&wait);
		seen = signals;
		ret = drain(l);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static void *signal_thread(void *arg)
{
	sigset_t none;

	/* Not the main thread's mask: sigsuspend() must unblock them all. */
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	signal_tid = gettid();
	return (void *)(long)wait_signals(arg);
}

/*
 * SIGIO goes to a thread of our choosing (F_SETOWN_EX). The main thread
 * blocks the signals that stop us, so they reach that thread's wait,
 * but not SIGIO: the kernel would give a signal sent to the whole
 * process to the main thread first, and the handler counts one that
 * comes there as bad.
 */
static int wait_thread(struct listener *l)
{
	sigset_t set;
	pthread_t t;
	void *ret;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&t, NULL, signal_thread, l)) {
		fprintf(stderr, "async-notify-listen: cannot start a thread\n");
		return -EAGAIN;
	}
	pthread_join(t, &ret);
	return (int)(long)ret;
}

static int wait_poll(struct listener *l)
{
	struct pollfd p = { .fd = l->fd, .events = POLLIN };
	sigset_t old, wait;
	int ret;

	fcntl(l->fd, F_SETFL, fcntl(l->fd, F_GETFL) | O_NONBLOCK);
	block_signals(l, &old, &wait);
	ret = ready(l);
	while (!ret && !done(l)) {
		if (ppoll(&p, 1, NULL, &wait) < 0 && errno != EINTR)
			ret = report("poll", errno);
		else
			ret = drain(l);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static int wait_epoll(struct listener *l)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC), ret;
	sigset_t old, wait;

	fcntl(l->fd, F_SETFL, fcntl(l->fd, F_GETFL) | O_NONBLOCK);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, l->fd, &ev) < 0) {
		ret = report("epoll", errno);
		if (ep >= 0)
			close(ep);
		return ret;
	}
	block_signals(l, &old, &wait);
	ret = ready(l);
	while (!ret && !done(l)) {
		if (epoll_pwait(ep, &ev, 1, -1, &wait) < 0 && errno != EINTR)
			ret = report("epoll_wait", errno);
		else
			ret = drain(l);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(ep);
	return ret;
}

/* End as the signal @sig would have ended us, had we not caught it. */
static void die_of(int sig)
{
	sigset_t set;

	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static int min_zero(int ret)
{
	return ret < 0 ? ret : 0;
}

/* A blocking read() ends on the signals that stop us: unblock them. */
static int wait_block(struct listener *l)
{
	sigset_t set;
	int ret;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	block_fd = l->fd;	/* see on_stop() */
	ret = ready(l);
	while (!ret && !done(l))
		ret = min_zero(read_once(l));
	return ret;
}

/* A decimal number, digits only: strtoull() alone takes " -1". */
static int parse_ull(const char *s, unsigned long long *val)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*val = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

/*
 * Output that could not be written is an error, whatever the path
 * (--help included): check it once stdout is closed, as coreutils'
 * close_stdout() does.
 */
static int stdout_errno;

static void close_stdout(void)
{
	int err = ferror(stdout);

	if (fclose(stdout) && !err)
		stdout_errno = errno;
	else if (!err)
		return;
	fprintf(stderr, "async-notify-listen: write error on standard output: %s\n",
		strerror(stdout_errno ? stdout_errno : EIO));
	_exit(EXIT_FAILURE);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "method", required_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct listener l = { .method = M_SIGIO };
	struct sigaction sa = { .sa_handler = on_stop };
	struct async_notify_info info;
	unsigned long long timeout = 0;
	int opt, ret, timed = 0;
	size_t i;

	atexit(close_stdout);
	while ((opt = getopt_long(argc, argv, "m:n:t:qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			for (i = 0; i < sizeof(method_names) / sizeof(*method_names); i++)
				if (!strcmp(optarg, method_names[i]))
					break;
			if (i == sizeof(method_names) / sizeof(*method_names)) {
				fprintf(stderr, "async-notify-listen: unknown method '%s'\n%s",
					optarg, usage);
				return EXIT_USAGE;
			}
			l.method = i;
			break;
		case 'n':
		case 't':
			if (parse_ull(optarg, opt == 'n' ? &l.count : &timeout) ||
			    (opt == 't' && timeout > UINT_MAX)) {
				fprintf(stderr, "async-notify-listen: bad number '%s'\n", optarg);
				return EXIT_USAGE;
			}
			timed |= opt == 't';
			break;
		case 'q':
			l.quiet = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (timed && !l.count) {
		fprintf(stderr, "async-notify-listen: --timeout needs --count\n%s", usage);
		return EXIT_USAGE;
	}
	l.path = argv[optind];

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);

	l.fd = open(l.path, O_RDONLY);
	if (l.fd < 0) {
		fprintf(stderr, "async-notify-listen: %s: %s\n", l.path,
			strerror(errno));
		return EXIT_FAILURE;
	}
	if (ioctl(l.fd, ASYNC_NOTIFY_IOC_INFO, &info) < 0) {
		if (errno == ENODEV) {
			report("ioctl", ENODEV);
			return EXIT_GONE;
		}
		fprintf(stderr, "async-notify-listen: %s is not an async-notify device: %s\n",
			l.path, strerror(errno));
		return EXIT_FAILURE;
	}
	expected_fd = l.fd;
	l.size = info.buffer_size;
	l.stream = info.mode != ASYNC_NOTIFY_MODE_LATEST;
	l.binary = info.format == ASYNC_NOTIFY_FORMAT_BINARY;
	l.buf = malloc(2 * l.size);	/* the carry is shorter than one read */
	l.esc = malloc(4 * 2 * l.size + 1);
	if (!l.buf || !l.esc) {
		fprintf(stderr, "async-notify-listen: out of memory\n");
		return EXIT_FAILURE;
	}
	alarm(timeout);

	switch (l.method) {
	case M_SIGIO:
	case M_RTSIG:
		ret = wait_signals(&l);
		break;
	case M_THREAD:
		ret = wait_thread(&l);
		break;
	case M_POLL:
		ret = wait_poll(&l);
		break;
	case M_EPOLL:
		ret = wait_epoll(&l);
		break;
	default:
		ret = wait_block(&l);
		break;
	}

	if (l.carry)	/* what came of a line that never ended */
		handle_line(&l, l.buf, l.carry);
	out(&l,
	    "summary: frames=%llu source=%llu data=%llu missed=%llu signals=%d bad_siginfo=%d\n",
	    l.frames, l.source, l.data, l.missed, atomic_load(&signals),
	    atomic_load(&bad_siginfo));
	if (fflush(stdout) && !l.out_errno)
		l.out_errno = errno;
	if (l.out_errno) {
		stdout_errno = l.out_errno;
		return EXIT_FAILURE;	/* close_stdout() says why */
	}
	if (stop_sig && l.count && l.frames < l.count) {
		fprintf(stderr, "async-notify-listen: %s: %llu of %llu frames\n",
			strsignal(stop_sig), l.frames, l.count);
		fclose(stdout);
		die_of(stop_sig);
	}
	if (timed_out && l.count && l.frames < l.count) {
		fprintf(stderr, "async-notify-listen: timeout: %llu of %llu frames\n",
			l.frames, l.count);
		return EXIT_TIMEOUT;
	}
	if (ret < 0)
		return ret == -ENODEV ? EXIT_GONE : EXIT_FAILURE;
	return 0;
}
