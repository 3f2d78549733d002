/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What make bench's guest programs share: the clock, errors, numbers on
 * the command line, CPU pinning and the timeout. Each program includes it
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
