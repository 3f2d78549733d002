// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify-flows: one point of make bench's interrupt-flow sweep. The test
 * interrupt controller (tools/testing/testchip/an_testchip.c) of one
 * flow raises a burst on one line, at a period and a number of edges
 * per tick, for a number of seconds; one reader takes what an interface
 * delivers: an async-notify device, or gpio-cdev on line 1 of the same
 * chip. Prints what the chip raised, what the reader got, what the
 * interface counted as lost, and the CPU time the reader and the
 * line's IRQ thread took, as one record for flows.py.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/gpio.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>

#include "bench.h"

#define TC_DEBUGFS	"/sys/kernel/debug/an-testchip/an-testchip-"
#define CDEV_LINE	1		/* gpio-cdev's line of each chip */
#define CONSUMER	"notify-flows"	/* of our line request */
#define CHIPS_MAX	16		/* /dev/gpiochip0 to 15 are searched */
/* gpio-cdev's largest event buffer for one line (16 per line, 64 lines). */
#define CDEV_EVENTS	1024
#define PERIOD_MIN_NS	1000U		/* the chip's floor */
#define PERIOD_MAX_NS	1000000000U
#define PER_TICK_MAX	1000U		/* the chip's ceiling */
#define SECONDS_MAX	60U
/* Once the burst ended, the reader stops when nothing came for this long. */
#define QUIET_MS	300
/*
 * How long to wait for the chip's last latched edge, and for the device
 * to have made its last event a frame; and how often to look.
 */
#define SETTLE_MS	2000
#define WATCH_MS	5

static const char usage[] =
"usage: notify-flows [-c CPU] [-t CPU] FLOW METHOD PERIOD_NS PER_TICK SECONDS\n"
"Raise PER_TICK edges every PERIOD_NS for SECONDS on one line of the test\n"
"chip of FLOW (edge, fasteoi, level, nested), read through METHOD until\n"
"nothing more comes; print one record.\n"
"\n"
"  METHOD   gpio-cdev: line 1, rising edges, a 1024-event buffer;\n"
"           else an async-notify device of that chip: /dev/METHOD, on\n"
"           line N where its sysfs device names it (an_FLOW: line 0)\n"
"  -c CPU   run the reader on that CPU only\n"
"  -t CPU   start the chip's timer from that CPU\n"
"\n"
"Record (one line):\n"
"  flow FLOW METHOD PERIOD_NS PER_TICK seconds=S raised=R dispatched=D\n"
"    merged=M irqs=I delivered=X gaps=G events=E frames=F writes=W\n"
"    dropped=P overruns=O reader_ns=RN thread_ns=TN busy_ns=BN\n"
"  R edges the chip raised in S seconds, D handed to the flow handler,\n"
"  M merged by the chip into a latched one (R = D + M); I the line's\n"
"  interrupts in /proc/interrupts; X frames or events read; G the gaps\n"
"  in their sequence numbers, with the events after the last one read;\n"
"  E..O the async-notify device's sysfs counters (-1 for gpio-cdev);\n"
"  RN, TN the CPU time (schedstat) of the reader and of the line's IRQ\n"
"  thread (-1: none, a nested line runs in the chip's work item), BN\n"
"  every CPU's busy time (/proc/stat).\n"
"\n"
"Exit status: 0 done (losses are results, not errors), 1 error, 2 usage.\n";

struct flows {
	const char *flow, *method;
	int async;
	unsigned int line;
	char tc[128];		/* the chip's debugfs folder */
	char sysfs[128];	/* async: the device's sysfs folder */
	int fd;
	unsigned int period_ns, per_tick, seconds;
	int timer_cpu;		/* -1: any */
	/* The control thread's: */
	unsigned long long start_ns, end_ns;
	atomic_int running;
	int control_failed;
	/* The reader's: */
	unsigned long long delivered, gaps, next_seq;
};

/* @val as a number into the file @dir/@name. */
static int write_num(const char *dir, const char *name, unsigned long long val)
{
	char path[256], buf[32];
	int fd, len, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	len = snprintf(buf, sizeof(buf), "%llu\n", val);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(path);
	if (write(fd, buf, len) != len)
		ret = fail(path);
	close(fd);
	return ret;
}

/* The chip's counters of line @line. */
struct chip_line {
	unsigned long long raised, dispatched, merged;
};

static int read_line(const struct flows *f, unsigned int line,
		     struct chip_line *c)
{
	char dir[160];

	snprintf(dir, sizeof(dir), "%s/line%u", f->tc, line);
	return read_attr(dir, "raised", &c->raised) ||
	       read_attr(dir, "dispatched", &c->dispatched) ||
	       read_attr(dir, "merged", &c->merged) ? -1 : 0;
}

/* The Linux IRQ number of the action named @name, or -1; its count in @n. */
static int irq_of(const char *name, long long *n)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[512], *end, *p;
	long long v;
	int irq = -1;

	while (f && irq < 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		end = line + strlen(line) - strlen(name);
		if (end <= line || strcmp(end, name) || end[-1] != ' ')
			continue;
		irq = atoi(line);
		p = strchr(line, ':');
		for (*n = 0; p && (v = strtoll(p + 1, &end, 10), end != p + 1); p = end)
			*n += v;
	}
	if (f)
		fclose(f);
	return irq;
}

/* The first number of @path (a schedstat: the ns on a CPU); -1 if none. */
static long long first_num(const char *path)
{
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* The task whose comm starts with "irq/@irq-": its schedstat path, or "". */
static void irq_thread(int irq, char *path, size_t size)
{
	char prefix[32], comm[64], p[300];
	struct dirent *d;
	DIR *dir = opendir("/proc");
	FILE *f;

	path[0] = '\0';
	snprintf(prefix, sizeof(prefix), "irq/%d-", irq);
	while (dir && !path[0] && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/comm", d->d_name);
		f = fopen(p, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, prefix, strlen(prefix)))
			snprintf(path, size, "/proc/%s/schedstat", d->d_name);
		fclose(f);
	}
	if (dir)
		closedir(dir);
}

/* Every CPU's busy time so far, in ns (/proc/stat: all but idle, iowait). */
static long long busy_ns(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n = 0;

	if (f) {
		n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
		fclose(f);
	}
	if (n != 8)
		return -1;
	return (long long)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) *
	       (long long)(NS_PER_S / sysconf(_SC_CLK_TCK));
}

/* The gpio chip labelled an-testchip-FLOW, as an open fd; -1 if none. */
static int find_chip(const struct flows *f)
{
	struct gpiochip_info info;
	char path[32], label[64];
	int i, fd;

	snprintf(label, sizeof(label), "an-testchip-%s", f->flow);
	for (i = 0; i < CHIPS_MAX; i++) {
		snprintf(path, sizeof(path), "/dev/gpiochip%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &info) &&
		    !strcmp(info.label, label))
			return fd;
		close(fd);
	}
	fprintf(stderr, "notify-flows: no gpio chip labelled %s: is %s in the DTB?\n",
		label, "dts/async-notify-virt-testchip.dtso");
	return -1;
}

/*
 * The line of the chip the async-notify device takes: the hwirq of its
 * interrupt, from /sys/kernel/debug/irq is not always there, so from
 * the device tree node's interrupts-extended (phandle, line, flags).
 */
static int async_line(struct flows *f)
{
	char path[256];
	unsigned char cells[12];
	FILE *fp;

	snprintf(path, sizeof(path),
		 "/sys/class/misc/%s/device/of_node/interrupts-extended", f->method);
	fp = fopen(path, "r");
	if (!fp)
		return fail(path);
	if (fread(cells, 1, sizeof(cells), fp) != sizeof(cells)) {
		fclose(fp);
		fprintf(stderr, "notify-flows: %s: not 3 cells\n", path);
		return -1;
	}
	fclose(fp);
	f->line = cells[4] << 24 | cells[5] << 16 | cells[6] << 8 | cells[7];
	return 0;
}

/* 1 if the sysfs attribute @dir/@name starts with @word, else 0; -1 on error. */
static int attr_is(const char *dir, const char *name, const char *word)
{
	char path[200], val[32];
	FILE *fp;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "r");
	if (!fp)
		return fail(path);
	ok = !!fgets(val, sizeof(val), fp);
	fclose(fp);
	if (!ok) {
		fprintf(stderr, "notify-flows: %s: empty\n", path);
		return -1;
	}
	return !strncmp(val, word, strlen(word));
}

static int setup(struct flows *f)
{
	struct gpio_v2_line_request req;
	char path[128];
	int chip;

	if (f->async) {
		snprintf(path, sizeof(path), "/dev/%s", f->method);
		f->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		return f->fd < 0 ? fail(path) : 0;
	}
	chip = find_chip(f);
	if (chip < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.offsets[0] = CDEV_LINE;
	req.num_lines = 1;
	req.config.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING;
	req.event_buffer_size = CDEV_EVENTS;
	snprintf(req.consumer, sizeof(req.consumer), CONSUMER);
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req) < 0) {
		close(chip);
		return fail("GPIO_V2_GET_LINE_IOCTL");
	}
	close(chip);
	f->fd = req.fd;
	return fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) | O_NONBLOCK) ?
	       fail("fcntl") : 0;
}

/*
 * The control thread: start the burst, and stop it after SECONDS. The
 * burst's ticks are the most SECONDS can hold; a guest too slow for the
 * period takes fewer (the chip's timer skips the ticks it is late for),
 * and what the chip raised in the time says the rate.
 */
static void *control(void *arg)
{
	struct flows *f = arg;
	unsigned long long ticks;
	struct timespec ts;

	ticks = (unsigned long long)f->seconds * NS_PER_S / f->period_ns + 1;
	if ((f->timer_cpu >= 0 && pin(0, f->timer_cpu)) ||
	    write_num(f->tc, "lines", 1ULL << f->line) ||
	    write_num(f->tc, "period_ns", f->period_ns) ||
	    write_num(f->tc, "per_tick", f->per_tick)) {
		f->control_failed = 1;
		f->running = 0;
		return NULL;
	}
	f->start_ns = now_ns();
	if (write_num(f->tc, "burst", ticks)) {
		f->control_failed = 1;
	} else {
		ts.tv_sec = (f->start_ns + f->seconds * NS_PER_S) / NS_PER_S;
		ts.tv_nsec = (f->start_ns + f->seconds * NS_PER_S) % NS_PER_S;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		/* Writing the burst stops the ticks first. */
		if (write_num(f->tc, "burst", 0))
			f->control_failed = 1;
	}
	f->end_ns = now_ns();
	f->running = 0;
	return NULL;
}

/*
 * Wait up to SETTLE_MS for the chip to have no edge latched on the line
 * (raised = dispatched + merged): an edge latched while the line was
 * masked is dispatched when the handler unmasks it.
 */
static int settle(const struct flows *f, struct chip_line *c)
{
	struct timespec ts = { 0, WATCH_MS * 1000000L };
	int waited;

	for (waited = 0; waited <= SETTLE_MS; waited += WATCH_MS) {
		if (read_line(f, f->line, c))
			return -1;
		if (c->raised == c->dispatched + c->merged)
			return 0;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* Text frames "seq=N ts=T\n": count them and their seq's gaps. */
static void take_text(struct flows *f, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl;
	unsigned long long seq;

	for (; p < end && (nl = memchr(p, '\n', end - p)); p = nl + 1) {
		if (strncmp(p, "seq=", 4))
			continue;
		seq = strtoull(p + 4, NULL, 10);
		if (seq > f->next_seq)
			f->gaps += seq - f->next_seq;
		f->next_seq = seq + 1;
		f->delivered++;
	}
}

/* Records with a seq (async-notify's, or gpio-cdev's line_seqno). */
static void take_seq(struct flows *f, unsigned long long seq)
{
	if (seq > f->next_seq)
		f->gaps += seq - f->next_seq;
	f->next_seq = seq + 1;
	f->delivered++;
}

/* Read until EAGAIN: 0, or -1 on an error. */
static int drain(struct flows *f, int binary)
{
	static union {
		char text[65536];
		struct async_notify_record rec[4096];
		struct gpio_v2_line_event ev[CDEV_EVENTS];
	} buf;
	ssize_t n, i;

	for (;;) {
		n = read(f->fd, &buf, sizeof(buf));
		if (n > 0 && !f->async) {
			for (i = 0; i < n / (ssize_t)sizeof(buf.ev[0]); i++)
				take_seq(f, buf.ev[i].line_seqno);
		} else if (n > 0 && binary) {
			for (i = 0; i < n / (ssize_t)sizeof(buf.rec[0]); i++)
				take_seq(f, buf.rec[i].seq);
		} else if (n > 0) {
			take_text(f, buf.text, n);
		} else if (!n || errno == EAGAIN) {
			return 0;
		} else if (errno != EINTR) {
			return fail("read");
		}
	}
}

/*
 * Read until the device has made every event into a frame or counted it
 * dropped. The reader can find nothing while the burst's last events
 * still wait for the IRQ thread (on the other CPU, or behind the
 * reader); sysfs-driver-async-notify's sum, events = frames - writes +
 * dropped (+ overruns in fifo mode), then falls short by what waits, and
 * holds once nothing does. A device that does not add up after
 * SETTLE_MS is left for the record to show.
 */
static int catch_up(struct flows *f, int binary, int fifo)
{
	struct timespec ts = { 0, WATCH_MS * 1000000L };
	unsigned long long writes, taken;
	struct counters c;
	int waited, done;

	for (waited = 0; waited <= SETTLE_MS; waited += WATCH_MS) {
		if (read_counters(f->sysfs, &c) ||
		    read_attr(f->sysfs, "writes", &writes))
			return -1;
		taken = c.frames - writes + c.dropped + (fifo ? c.overruns : 0);
		/* No event comes after the burst: the sum falls short, or holds. */
		if (taken > c.events) {
			fprintf(stderr,
				"notify-flows: %s: frames - writes + dropped%s = %llu, more than its %llu events\n",
				f->method, fifo ? " + overruns" : "", taken,
				c.events);
			return -1;
		}
		done = taken == c.events;
		/* After the sum holds too: the last frames came before it. */
		if (drain(f, binary))
			return -1;
		if (done)
			return 0;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* Read while the burst runs, and until nothing came for QUIET_MS. */
static int read_all(struct flows *f, int binary)
{
	struct pollfd p = { .fd = f->fd, .events = POLLIN };
	int n;

	for (;;) {
		n = poll(&p, 1, QUIET_MS);
		if (n < 0 && errno != EINTR)
			return fail("poll");
		if (n > 0 && drain(f, binary))
			return -1;
		if (!n && !f->running)
			return 0;
		if (stop)
			return -1;
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct flows f = { .fd = -1, .timer_cpu = -1, .line = CDEV_LINE };
	struct counters before = { 0 }, after = { 0 };
	unsigned long long w0 = 0, w1 = 0;
	struct chip_line c0, c1;
	long long irqs0 = 0, irqs1 = 0, r0, r1, t0 = -1, t1 = -1, b0, b1;
	char thread[300];
	pthread_t ctl;
	unsigned int cpu;
	int opt, irq, binary = 0, fifo = 0;

	while ((opt = getopt(argc, argv, "c:t:h")) != -1) {
		switch (opt) {
		case 'c':
			if (parse_uint(optarg, 0, CPU_SETSIZE - 1, &cpu) || pin(0, cpu))
				return EXIT_USAGE;
			break;
		case 't':
			if (parse_uint(optarg, 0, CPU_SETSIZE - 1, &cpu))
				return EXIT_USAGE;
			f.timer_cpu = cpu;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 5 ||
	    parse_uint(argv[optind + 2], PERIOD_MIN_NS, PERIOD_MAX_NS, &f.period_ns) ||
	    parse_uint(argv[optind + 3], 1, PER_TICK_MAX, &f.per_tick) ||
	    parse_uint(argv[optind + 4], 1, SECONDS_MAX, &f.seconds)) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	f.flow = argv[optind];
	f.method = argv[optind + 1];
	f.async = !!strcmp(f.method, "gpio-cdev");
	snprintf(f.tc, sizeof(f.tc), TC_DEBUGFS "%s", f.flow);
	if (access(f.tc, F_OK)) {
		fprintf(stderr, "notify-flows: no %s: %s\n", f.tc,
			"is debugfs mounted and an_testchip.ko loaded?");
		return EXIT_FAILURE;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	if (f.async) {
		snprintf(f.sysfs, sizeof(f.sysfs), "/sys/class/misc/%s", f.method);
		if (async_line(&f) || read_counters(f.sysfs, &before) ||
		    read_attr(f.sysfs, "writes", &w0))
			return EXIT_FAILURE;
		binary = attr_is(f.sysfs, "format", "binary");
		fifo = attr_is(f.sysfs, "mode", "fifo");
		if (binary < 0 || fifo < 0)
			return EXIT_FAILURE;
		f.next_seq = before.events + 1;
	} else {
		f.next_seq = 1;
	}
	if (setup(&f) || read_line(&f, f.line, &c0))
		return EXIT_FAILURE;
	irq = irq_of(f.async ? f.method : CONSUMER, &irqs0);
	if (irq < 0) {
		fprintf(stderr, "notify-flows: no interrupt named %s in /proc/interrupts\n",
			f.async ? f.method : CONSUMER);
		return EXIT_FAILURE;
	}
	irq_thread(irq, thread, sizeof(thread));
	if (thread[0])
		t0 = first_num(thread);
	r0 = first_num("/proc/thread-self/schedstat");
	b0 = busy_ns();
	if (r0 < 0 || b0 < 0) {
		fprintf(stderr, "notify-flows: no /proc/thread-self/schedstat or /proc/stat\n");
		return EXIT_FAILURE;
	}

	/* Time for the burst, the quiet time, and a minute to spare. */
	alarm(f.seconds * 2 + 60);
	f.running = 1;
	errno = pthread_create(&ctl, NULL, control, &f);
	if (errno)
		return fail("pthread_create"), EXIT_FAILURE;
	if (read_all(&f, binary)) {
		if (timed_out)
			fprintf(stderr, "notify-flows: timed out\n");
		return EXIT_FAILURE;
	}
	pthread_join(ctl, NULL);
	if (f.control_failed)
		return EXIT_FAILURE;
	/* Everything counted with the line still requested, then what is left. */
	if (settle(&f, &c1) ||
	    (f.async ? catch_up(&f, binary, fifo) : drain(&f, binary)))
		return EXIT_FAILURE;
	r1 = first_num("/proc/thread-self/schedstat");
	if (thread[0])
		t1 = first_num(thread);
	b1 = busy_ns();
	irq_of(f.async ? f.method : CONSUMER, &irqs1);
	if (f.async) {
		if (read_counters(f.sysfs, &after) || read_attr(f.sysfs, "writes", &w1))
			return EXIT_FAILURE;
		/* Events after the last frame read are gaps too. */
		f.gaps += after.events + 1 - f.next_seq;
	}
	close(f.fd);

	printf("flow %s %s %u %u seconds=%.3f raised=%llu dispatched=%llu merged=%llu irqs=%lld",
	       f.flow, f.method, f.period_ns, f.per_tick,
	       (f.end_ns - f.start_ns) / 1e9, c1.raised - c0.raised,
	       c1.dispatched - c0.dispatched, c1.merged - c0.merged, irqs1 - irqs0);
	printf(" delivered=%llu gaps=%llu", f.delivered, f.gaps);
	if (f.async)
		printf(" events=%llu frames=%llu writes=%llu dropped=%llu overruns=%llu",
		       after.events - before.events, after.frames - before.frames,
		       w1 - w0, after.dropped - before.dropped,
		       after.overruns - before.overruns);
	else
		printf(" events=-1 frames=-1 writes=-1 dropped=-1 overruns=-1");
	printf(" reader_ns=%lld thread_ns=%lld busy_ns=%lld\n", r1 - r0,
	       thread[0] && t0 >= 0 && t1 >= 0 ? t1 - t0 : -1, b1 - b0);
	return 0;
}
