// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify-edges: how many rising edges of one gpio-sim line reach a
 * reader, through async-notify or through gpio-cdev, when a thread
 * raises them one every GAP_US; make bench-edges runs it at shorter and
 * shorter gaps to find the highest toggle rate at which each interface
 * delivers every edge.
 *
 * The line is line 0 of the gpio-sim chip of dts/async-notify-virt-debug.
 * dtso (the debug kernel only): async_sim, a fifo, holds its interrupt
 * while bound; gpio-cdev takes it with a rising-edge request. One at a
 * time: neither shares the interrupt, so gpio-cdev's run unbinds
 * async_sim and async's binds it again. The toggler writes the line's
 * sysfs pull, up then down; gpio-sim raises an interrupt on the way up
 * unless the interrupt is masked (an IRQF_ONESHOT handler's thread is
 * still running), when the edge is gone before any driver sees it.
 */

#define _GNU_SOURCE
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

#include "bench.h"

#define SIM_LABEL	"async-sim"	/* the gpio-sim chip's label */
#define SIM_LINE	0		/* the line async_sim is fed by */
#define SIM_DEV		"async_sim"	/* its async-notify device */
#define SIM_SYSFS	"/sys/class/misc/" SIM_DEV
#define SIM_PDEV	"async-notify-sim"	/* its platform device */
#define DRIVER		"/sys/bus/platform/drivers/async-notify"
#define CONSUMER	"notify-edges"	/* of our line requests */
#define CHIPS_MAX	16		/* /dev/gpiochip0 to 15 are searched */
/* gpio-cdev's largest event buffer for one line (16 per line, 64 lines). */
#define CDEV_EVENTS	1024
#define GAP_MAX_US	1000000U
#define EDGES_MAX	1000000U
/* After the last edge, the reader stops once nothing came for this long. */
#define QUIET_MS	500

static const char usage[] =
"usage: notify-edges [-c CPU] [-t CPU] METHOD GAP_US EDGES\n"
"Raise EDGES rising edges on gpio-sim line 0, one every GAP_US (0: as\n"
"fast as the toggler can), read by METHOD; print one record.\n"
"\n"
"  METHOD   async: /dev/" SIM_DEV " (fifo mode), poll() then read until EAGAIN;\n"
"           gpio-cdev: line 0 with rising-edge detection, the same way\n"
"  -c CPU   run the reader on that CPU only\n"
"  -t CPU   run the toggler on that CPU only (the peripheral's own,\n"
"           best another than the reader's)\n"
"\n"
"Record:\n"
"  edges METHOD GAP_US toggled=T seconds=S irqs=I delivered=D dropped=X agree=A\n"
"    T rising edges raised in S seconds; I interrupts the handler took\n"
"    (/proc/interrupts); D events read; X events the interface took but\n"
"    did not deliver: async, the gaps in the frames' seq up to sysfs\n"
"    events; gpio-cdev, I - D (its buffer's drops). T - I edges came\n"
"    while the interrupt was masked. Every edge was delivered when\n"
"    D = T. A is 1 when async's counts agree with sysfs (events = I,\n"
"    frames = D, dropped + overruns = X); always 1 for gpio-cdev.\n"
"\n"
"Exit status: 0 done (losses are results, not errors), 1 error, 2 usage.\n";

struct edges {
	const char *method;
	int async;		/* the method: async-notify, else gpio-cdev */
	int fd;			/* what the reader reads */
	int hold;		/* async: line 0 held as an input */
	char pull[128];		/* line 0's sim_gpio0/pull */
	unsigned int gap_us, edges;
	int toggler_cpu;	/* -1: any */
	/* The toggler's: */
	unsigned long long start_ns, end_ns;
	unsigned int toggled;
	atomic_int toggling;
	/* The reader's: */
	unsigned long long delivered, dropped;
	unsigned long long next_seq;	/* async: the seq expected next */
};

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return fail(path);
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = fail(path);
	close(fd);
	return ret;
}

/* Interrupts taken by the handler named @name, summed over CPUs; -1 if none. */
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

static int line_request(int chip, unsigned long long flags)
{
	struct gpio_v2_line_request req;

	memset(&req, 0, sizeof(req));
	req.offsets[0] = SIM_LINE;
	req.num_lines = 1;
	req.config.flags = flags;
	req.event_buffer_size = CDEV_EVENTS;
	snprintf(req.consumer, sizeof(req.consumer), CONSUMER);
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req) < 0)
		return fail("GPIO_V2_GET_LINE_IOCTL");
	return req.fd;
}

/* The gpio-sim chip labelled SIM_LABEL, and line 0's pull; its fd or -1. */
static int find_chip(struct edges *e)
{
	struct gpiochip_info info;
	char path[32];
	int i, fd;

	for (i = 0; i < CHIPS_MAX; i++) {
		snprintf(path, sizeof(path), "/dev/gpiochip%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &info) &&
		    !strcmp(info.label, SIM_LABEL)) {
			snprintf(e->pull, sizeof(e->pull),
				 "/sys/bus/gpio/devices/gpiochip%d/sim_gpio%d/pull",
				 i, SIM_LINE);
			return fd;
		}
		close(fd);
	}
	fprintf(stderr, "notify-edges: no gpio chip labelled " SIM_LABEL
		" (dts/async-notify-virt-debug.dtso, the debug kernel only)\n");
	return -1;
}

/*
 * gpio-sim's interrupt domain ignores the device tree's trigger: a
 * rising-edge request sets it, and it stays once released. Until then
 * async_sim cannot probe (its interrupt has no trigger type), and while
 * bound it holds the interrupt: unbind it for the request, bind it after
 * for async. gpio-sim raises interrupts only on a requested input, so
 * for async_sim the line is then held as a plain input.
 */
static int setup(struct edges *e)
{
	int chip = find_chip(e), fd;

	if (chip < 0 || write_str(e->pull, "pull-down"))
		return -1;
	if (!access(DRIVER "/" SIM_PDEV, F_OK) &&
	    write_str(DRIVER "/unbind", SIM_PDEV))
		return close(chip), -1;
	fd = line_request(chip, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING);
	if (fd >= 0 && e->async) {
		close(fd);
		fd = write_str(DRIVER "/bind", SIM_PDEV);
		e->hold = fd ? -1 : line_request(chip, GPIO_V2_LINE_FLAG_INPUT);
		fd = e->hold < 0 ? -1 : open("/dev/" SIM_DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 && e->hold >= 0)
			fail("/dev/" SIM_DEV);
	}
	close(chip);
	if (fd < 0)
		return -1;
	e->fd = fd;
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) ? fail("fcntl") : 0;
}

/* The toggler: EDGES rising edges, one every GAP_US from the first. */
static void *toggle(void *arg)
{
	struct edges *e = arg;
	int fd = open(e->pull, O_WRONLY | O_CLOEXEC);
	unsigned long long next;
	struct timespec ts;

	if (fd < 0) {
		fail(e->pull);
	} else if (e->toggler_cpu >= 0 && pin(0, e->toggler_cpu)) {
		close(fd);
		fd = -1;
	}
	e->start_ns = now_ns();
	next = e->start_ns;
	while (fd >= 0 && e->toggled < e->edges && !stop) {
		if (pwrite(fd, "pull-up", 7, 0) != 7 ||
		    pwrite(fd, "pull-down", 9, 0) != 9) {
			fail(e->pull);
			break;
		}
		e->toggled++;
		next += e->gap_us * NS_PER_US;
		ts.tv_sec = next / NS_PER_S;
		ts.tv_nsec = next % NS_PER_S;
		if (e->gap_us)
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	e->end_ns = now_ns();
	if (fd >= 0)
		close(fd);
	e->toggling = 0;
	return NULL;
}

/* Count the text frames "seq=N ts=T\n" of one read and their seq's gaps. */
static void take_frames(struct edges *e, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl;
	unsigned long long seq;

	for (; p < end && (nl = memchr(p, '\n', end - p)); p = nl + 1) {
		if (strncmp(p, "seq=", 4))
			continue;
		seq = strtoull(p + 4, NULL, 10);
		if (seq > e->next_seq)
			e->dropped += seq - e->next_seq;
		e->next_seq = seq + 1;
		e->delivered++;
	}
}

/* Read until EAGAIN: 0, or -1 on an error. */
static int drain(struct edges *e)
{
	static union {
		char text[65536];
		struct gpio_v2_line_event ev[CDEV_EVENTS];
	} buf;
	ssize_t n;

	for (;;) {
		n = read(e->fd, &buf, sizeof(buf));
		if (n > 0 && e->async)
			take_frames(e, buf.text, n);
		else if (n > 0)
			e->delivered += n / sizeof(buf.ev[0]);
		else if (!n || errno == EAGAIN)
			return 0;
		else if (errno != EINTR)
			return fail("read");
	}
}

/* Read while the toggler runs, and until nothing came for QUIET_MS. */
static int read_all(struct edges *e)
{
	struct pollfd p = { .fd = e->fd, .events = POLLIN };
	int n;

	for (;;) {
		n = poll(&p, 1, QUIET_MS);
		if (n < 0 && errno != EINTR)
			return fail("poll");
		if (n > 0 && drain(e))
			return -1;
		if (!n && !e->toggling)
			return 0;
		if (stop)
			return -1;
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct edges e = { .fd = -1, .hold = -1, .toggler_cpu = -1 };
	struct counters before = { 0 }, after;
	long long irqs0, irqs1;
	const char *irq_name;
	pthread_t toggler;
	unsigned int cpu;
	int opt, agree;

	while ((opt = getopt(argc, argv, "c:t:h")) != -1) {
		switch (opt) {
		case 'c':
			if (parse_uint(optarg, 0, CPU_SETSIZE - 1, &cpu) || pin(0, cpu))
				return EXIT_USAGE;
			break;
		case 't':
			if (parse_uint(optarg, 0, CPU_SETSIZE - 1, &cpu))
				return EXIT_USAGE;
			e.toggler_cpu = cpu;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 3 ||
	    (strcmp(argv[optind], "async") && strcmp(argv[optind], "gpio-cdev")) ||
	    parse_uint(argv[optind + 1], 0, GAP_MAX_US, &e.gap_us) ||
	    parse_uint(argv[optind + 2], 1, EDGES_MAX, &e.edges)) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	e.method = argv[optind];
	e.async = !strcmp(e.method, "async");
	irq_name = e.async ? SIM_DEV : CONSUMER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	if (setup(&e))
		return EXIT_FAILURE;
	/* After setup: binding async_sim starts its counters afresh. */
	if (e.async && read_counters(SIM_SYSFS, &before))
		return EXIT_FAILURE;
	e.next_seq = before.events + 1;
	irqs0 = irq_count(irq_name);
	if (irqs0 < 0) {
		fprintf(stderr, "notify-edges: no interrupt named %s in /proc/interrupts\n",
			irq_name);
		return EXIT_FAILURE;
	}
	/* Time enough for every edge at the gap, and a minute to spare. */
	alarm((unsigned long long)e.edges * e.gap_us / 1000000 + 60);
	e.toggling = 1;
	errno = pthread_create(&toggler, NULL, toggle, &e);
	if (errno)
		return fail("pthread_create"), EXIT_FAILURE;
	if (read_all(&e)) {
		if (timed_out)
			fprintf(stderr, "notify-edges: timed out\n");
		return EXIT_FAILURE;
	}
	pthread_join(toggler, NULL);
	if (e.toggled != e.edges) {
		fprintf(stderr, "notify-edges: the toggler raised %u of %u edges\n",
			e.toggled, e.edges);
		return EXIT_FAILURE;
	}
	irqs1 = irq_count(irq_name);
	close(e.fd);
	agree = 1;
	if (e.async) {
		close(e.hold);
		if (read_counters(SIM_SYSFS, &after))
			return EXIT_FAILURE;
		/* Events after the last frame read are dropped too. */
		e.dropped += after.events + 1 - e.next_seq;
		agree = after.events - before.events == (unsigned long long)(irqs1 - irqs0) &&
			e.delivered == after.frames - before.frames &&
			e.dropped == (after.dropped - before.dropped) +
				     (after.overruns - before.overruns);
	} else {
		e.dropped = irqs1 - irqs0 - e.delivered;
	}
	printf("edges %s %u toggled=%u seconds=%.3f irqs=%lld delivered=%llu",
	       e.method, e.gap_us, e.toggled, (e.end_ns - e.start_ns) / 1e9,
	       irqs1 - irqs0, e.delivered);
	printf(" dropped=%llu agree=%d\n", e.dropped, agree);
	return 0;
}
