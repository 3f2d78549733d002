// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-starve: a burst the driver cannot keep up with loses no
 * event from its counters, and latest mode then holds the newest frame
 * (Documentation/userspace-api/async-notify.rst, "Frames", "Accounting").
 *
 * usage: async-notify-starve DEVICE MS quiet|close
 *
 * DEVICE has a timer source and no other open file. One SCHED_FIFO busy
 * thread per CPU starves the driver's work item for MS ms while the
 * hrtimer, in hard interrupt context, goes on stamping events: far more
 * than the 32 that can wait. At the end of the burst, while the events
 * still wait, one of the busy threads either quiets the source (its
 * period becomes a minute; the caller restores it) or closes the device,
 * which stops the source. Then:
 *   quiet: the frame a reader gets is the newest event (latest mode);
 *   both:  events = frames - writes + dropped (+ overruns in fifo mode).
 * Prints "PASS: starve-<check>@<device>" or "FAIL: ..." for each.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>

/* As many events as the driver can hold back before the oldest give way. */
#define PENDING		32
/* The source's last tick after the burst comes within this many ms. */
#define QUIET_MS	20
#define QUIET_PERIOD	"60000000"
/* The driver catches up with a burst within this many ms. */
#define SETTLE_MS	2000

static const char *devname;
static struct timespec until, until_quiet;
static int fd, closing;

static void die(const char *what)
{
	printf("FAIL: starve@%s: %s: %s\n", devname, what, strerror(errno));
	exit(1);
}

static void add_ms(struct timespec *t, int ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static void spin_until(const struct timespec *t)
{
	struct timespec now;

	do
		clock_gettime(CLOCK_MONOTONIC, &now);
	while (now.tv_sec < t->tv_sec ||
	       (now.tv_sec == t->tv_sec && now.tv_nsec < t->tv_nsec));
}

static char *attr_path(const char *attr)
{
	static char path[256];

	snprintf(path, sizeof(path), "/sys/class/misc/%s/%s", devname, attr);
	return path;
}

static unsigned long long attr_u64(const char *attr)
{
	unsigned long long v;
	FILE *f = fopen(attr_path(attr), "r");

	if (!f || fscanf(f, "%llu", &v) != 1)
		die(attr_path(attr));
	fclose(f);
	return v;
}

/* End the burst: quiet the source, or stop it by closing the device. */
static int end_burst(void)
{
	int period, ok;

	if (closing)
		return close(fd);
	period = open(attr_path("period_us"), O_WRONLY);
	if (period < 0)
		return -1;
	ok = write(period, QUIET_PERIOD, strlen(QUIET_PERIOD)) ==
	     (ssize_t)strlen(QUIET_PERIOD);
	close(period);
	return ok ? 0 : -1;
}

/*
 * Spin on CPU @arg at a real-time priority until @until; the first one
 * then ends the burst, and all spin on until the source's last tick.
 */
static void *hog(void *arg)
{
	struct sched_param sp = { .sched_priority = 10 };
	cpu_set_t cpu;

	CPU_ZERO(&cpu);
	CPU_SET((long)arg, &cpu);
	if (pthread_setaffinity_np(pthread_self(), sizeof(cpu), &cpu) ||
	    pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		return (void *)1;
	spin_until(&until);
	if (!arg && end_burst())
		return (void *)1;
	spin_until(&until_quiet);
	return NULL;
}

static void starve_all_cpus(int ms)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), i;
	pthread_t *hogs = calloc(cpus, sizeof(*hogs));
	void *ret;

	if (!hogs)
		die("calloc");
	clock_gettime(CLOCK_MONOTONIC, &until);
	add_ms(&until, ms);
	until_quiet = until;
	add_ms(&until_quiet, QUIET_MS);
	for (i = 0; i < cpus; i++)
		if (pthread_create(&hogs[i], NULL, hog, (void *)i))
			die("pthread_create");
	for (i = 0; i < cpus; i++) {
		pthread_join(hogs[i], &ret);
		if (ret)
			die("a busy thread could not take its CPU or end the burst");
	}
	free(hogs);
}

/* Wait up to @ms for a frame of the source; return its seq. */
static unsigned long long next_frame(int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[ASYNC_NOTIFY_FRAME_MAX + 1];
	unsigned long long seq;
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		die("read");
	buf[n] = '\0';
	if (sscanf(buf, "seq=%llu", &seq) != 1) {
		errno = EPROTO;
		die("not a frame of the source");
	}
	return seq;
}

/*
 * With the source quiet, the frame a reader gets once the driver has
 * caught up: it must reach the newest event within @ms.
 */
static unsigned long long settled_frame(unsigned long long newest, int ms)
{
	unsigned long long seq = 0, got;
	int waited;

	for (waited = 0; waited < ms && seq != newest; waited += 10) {
		got = next_frame(10);
		if (got)
			seq = got;
	}
	return seq;
}

static void result(int ok, const char *check, const char *fmt,
		   unsigned long long a, unsigned long long b)
{
	if (ok) {
		printf("PASS: starve-%s@%s\n", check, devname);
		return;
	}
	printf("FAIL: starve-%s@%s: ", check, devname);
	printf(fmt, a, b);
	putchar('\n');
}

int main(int argc, char **argv)
{
	unsigned long long seq0, events, counted, seq = 0;
	char mode[16] = "";
	FILE *f;
	int ms, ok;

	ms = argc == 4 ? atoi(argv[2]) : 0;
	if (ms <= 0 || (strcmp(argv[3], "quiet") && strcmp(argv[3], "close"))) {
		fprintf(stderr, "usage: async-notify-starve DEVICE MS quiet|close\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	devname = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	closing = !strcmp(argv[3], "close");
	f = fopen(attr_path("mode"), "r");
	if (!f || !fgets(mode, sizeof(mode), f))
		die("mode");
	fclose(f);
	fd = open(argv[1], O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		die("open");

	/* The source runs: its events go on while the busy threads spin. */
	if (!next_frame(5000))
		die("no frame from the source");
	seq0 = attr_u64("events");
	starve_all_cpus(ms);
	events = attr_u64("events");
	if (!closing) {
		seq = settled_frame(events, SETTLE_MS);
		close(fd);
	}
	printf("starve: %llu events in %d ms, then %s\n", events - seq0, ms,
	       argv[3]);
	if (events - seq0 <= 2 * PENDING) {
		printf("FAIL: starve-burst@%s: only %llu events while starved, want over %d\n",
		       devname, events - seq0, 2 * PENDING);
		return 1;
	}

	ok = 1;
	if (!closing) {
		result(seq == events, "latest-is-newest",
		       "the frame after the burst is seq %llu, but the newest event is %llu",
		       seq, events);
		ok = seq == events;
	}
	counted = attr_u64("frames") - attr_u64("writes") + attr_u64("dropped");
	if (!strcmp(mode, "fifo\n"))
		counted += attr_u64("overruns");
	result(counted == events, "accounted",
	       "%llu events, but frames, dropped and overruns add up to %llu",
	       events, counted);
	return ok && counted == events ? 0 : 1;
}
