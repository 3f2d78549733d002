/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What make bench's guest programs share: the clock, errors, numbers on
 * the command line, sysfs counters, CPU pinning and the timeout. Each program includes it
 * once; everything here is static.
 */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS_PER_S	1000000000ULL
#define NS_PER_US	1000ULL
#define EXIT_USAGE	2
#define EXIT_TIMEOUT	3

/*
 * Set by the handlers, read by the waiting loops: lock-free atomics are
 * safe to share with a handler (C11 7.14.1.1).
 */
static atomic_int stop, timed_out;

static inline unsigned long long clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static inline unsigned long long now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* Say what failed and why (errno); -1, to return. */
static inline int fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	return -1;
}

/* SIGALRM: the program's time is up. */
static inline void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	stop = 1;
}

/* @s as a decimal number from @min to @max, into @val; -1 if it is not. */
static inline int parse_uint(const char *s, unsigned int min, unsigned int max,
			     unsigned int *val)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max)
		return -1;
	*val = v;
	return 0;
}

/* What sysfs counts of an async-notify device, in /sys/class/misc/NAME. */
struct counters {
	unsigned long long events, frames, dropped, overruns;
};

/* The number in the sysfs attribute @dir/@name, into @val; -1 if none. */
static inline int read_attr(const char *dir, const char *name,
			    unsigned long long *val)
{
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return fail(path);
	ok = fscanf(f, "%llu", val) == 1;
	fclose(f);
	if (!ok) {
		fprintf(stderr, "%s: %s: not a number\n",
			program_invocation_short_name, path);
		return -1;
	}
	return 0;
}

/* The counters of the device whose sysfs folder is @dir. */
static inline int read_counters(const char *dir, struct counters *c)
{
	return read_attr(dir, "events", &c->events) ||
	       read_attr(dir, "frames", &c->frames) ||
	       read_attr(dir, "dropped", &c->dropped) ||
	       read_attr(dir, "overruns", &c->overruns) ? -1 : 0;
}

/* Run task @pid (0: this one) on @cpu only. */
static inline int pin(int pid, unsigned int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(pid, sizeof(set), &set) < 0)
		return fail("sched_setaffinity");
	return 0;
}

#endif /* BENCH_H */
