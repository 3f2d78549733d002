// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify-bench-report: make bench's tables from notify-bench's records and
 * the irq:irq_handler_entry trace of the same run.
 *
 * Each interface's latency is measured twice: from its own timestamp of
 * the event (none for UIO) and from the hard IRQ's tracepoint, the one
 * reference all interfaces share. The tables are reStructuredText.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IFACES	16
#define MAX_COLS	8
#define CELL		24
#define MAX_CPUS	8
/* The event that woke a program is the last IRQ less than this before. */
#define MATCH_NS	1000000000LL

static const char usage[] =
"usage: notify-bench-report RECORDS TRACE\n"
"Print make bench's tables from notify-bench records and the text of an\n"
"irq:irq_handler_entry trace taken with trace_clock mono.\n"
"Exit status: 0 every interface delivered every pulse, 1 otherwise or on\n"
"error, 2 usage.\n";

struct series {
	long long *v;
	size_t n, cap;
};

struct iface {
	char label[32];
	struct series own;	/* wake - the interface's timestamp */
	struct series irq;	/* wake - the hard IRQ's tracepoint */
	struct series offset;	/* the interface's timestamp - the IRQ's */
	struct series read;	/* data - wake: the read after waking */
	struct series cpu;	/* the process's CPU time per event */
	struct series thread;	/* the IRQ thread's */
	struct series parse;	/* sscanf() of a text frame */
	unsigned long long pulses, events, gaps, signals;
};

static struct iface ifaces[MAX_IFACES];
static int nifaces;
static struct series irqs;
static unsigned int irq_cpus[MAX_CPUS];

static void add(struct series *s, long long v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v) {
			fputs("notify-bench-report: out of memory\n", stderr);
			exit(EXIT_FAILURE);
		}
	}
	s->v[s->n++] = v;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static void sort(struct series *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_ll);
}

static long long median(const struct series *s)
{
	return s->n % 2 ? s->v[s->n / 2] :
		(s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
}

/* Nearest rank: the smallest value at or above 90% of the samples. */
static long long p90(const struct series *s)
{
	return s->v[(9 * s->n + 9) / 10 - 1];
}

static struct iface *find(const char *label)
{
	int i;

	for (i = 0; i < nifaces; i++)
		if (!strcmp(ifaces[i].label, label))
			return &ifaces[i];
	if (nifaces == MAX_IFACES) {
		fputs("notify-bench-report: too many interfaces\n", stderr);
		exit(EXIT_FAILURE);
	}
	snprintf(ifaces[nifaces].label, sizeof(ifaces[0].label), "%s", label);
	return &ifaces[nifaces++];
}

/* "  <idle>-0  [001] d.h1.  45.123456: irq_handler_entry: irq=40 ..." */
static int read_trace(const char *path)
{
	unsigned long long sec, usec;
	char line[512], *p;
	unsigned int cpu;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, ": irq_handler_entry:");
		if (!p)
			continue;
		*p = '\0';
		p = strchr(line, '[');
		if (p && sscanf(p, "[%u]", &cpu) == 1 && cpu < MAX_CPUS)
			irq_cpus[cpu]++;
		p = strrchr(line, ' ');
		if (p && sscanf(p, " %llu.%6llu", &sec, &usec) == 2)
			add(&irqs, sec * 1000000000LL + usec * 1000LL);
	}
	fclose(f);
	sort(&irqs);
	return 0;
}

/* The last traced IRQ at or before @t, or -1. */
static long long irq_before(long long t)
{
	size_t lo = 0, hi = irqs.n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (irqs.v[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? irqs.v[lo - 1] : -1;
}

/* @v: WAKE DATA STAMP CPU THREAD PARSE of an event record. */
static void add_event(struct iface *x, const long long *v)
{
	long long wake = v[0], data = v[1], stamp = v[2], cpu = v[3];
	long long thread = v[4], irq = irq_before(wake);

	if (cpu >= 0)
		add(&x->cpu, cpu);
	if (thread >= 0)
		add(&x->thread, thread);
	add(&x->parse, v[5]);
	if (stamp)
		add(&x->own, wake - stamp);
	add(&x->read, data - wake);
	if (irq < 0 || wake - irq > MATCH_NS)
		return;
	add(&x->irq, wake - irq);
	if (stamp)
		add(&x->offset, stamp - irq);
}

static void add_phase(struct iface *x, const char *rest)
{
	unsigned long long pulses, events, signals, gaps;

	if (sscanf(rest, " pulses=%llu events=%llu signals=%llu gaps=%llu",
		   &pulses, &events, &signals, &gaps) != 4)
		return;
	x->pulses += pulses;
	x->events += events;
	x->signals += signals;
	x->gaps += gaps;
}

static int read_records(const char *path)
{
	char line[512], label[32];
	long long v[6];
	int off;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "event %31s %lld %lld %lld %lld %lld %lld",
			   label, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) == 7)
			add_event(find(label), v);
		else if (sscanf(line, "phase %31s%n", label, &off) == 1)
			add_phase(find(label), line + off);
	}
	fclose(f);
	return 0;
}

static void print_rule(const int *w, int ncols)
{
	int c;

	for (c = 0; c < ncols; c++)
		printf("%.*s%s", w[c], "========================",
		       c + 1 < ncols ? "  " : "\n");
}

/* A reStructuredText simple table; the first row is the header. */
static void print_table(char cells[][MAX_COLS][CELL], int nrows, int ncols)
{
	int w[MAX_COLS] = { 0 }, r, c, len;

	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			len = strlen(cells[r][c]);
			if (len > w[c])
				w[c] = len;
		}
	print_rule(w, ncols);
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++)
			printf(c ? "  %*s" : "%-*s", w[c], cells[r][c]);
		printf("\n");
		if (!r)
			print_rule(w, ncols);
	}
	print_rule(w, ncols);
	printf("\n");
}

static void us(char *cell, long long ns)
{
	snprintf(cell, CELL, "%lld", (ns + (ns < 0 ? -500 : 500)) / 1000);
}

static void dash(char *cell)
{
	snprintf(cell, CELL, "-");
}

/* The median of @s in us, or "-". */
static void median_us(char *cell, const struct series *s)
{
	if (s->n)
		us(cell, median(s));
	else
		dash(cell);
}

static void ratio(char *cell, const struct series *s, const struct series *ref)
{
	if (s->n && ref && ref->n && median(ref) > 0)
		snprintf(cell, CELL, "%.2f", (double)median(s) / median(ref));
	else
		dash(cell);
}

/* Min, median, p90 and max of @s in cells 0..3, the ratio to @ref's in 4. */
static void stats(char cells[][CELL], const struct series *s,
		  const struct series *ref)
{
	int c;

	if (!s->n) {
		for (c = 0; c < 5; c++)
			dash(cells[c]);
		return;
	}
	us(cells[0], s->v[0]);
	us(cells[1], median(s));
	us(cells[2], p90(s));
	us(cells[3], s->v[s->n - 1]);
	ratio(cells[4], s, ref);
}

static void set_header(char row[][CELL], const char *const *names, int n)
{
	int c;

	for (c = 0; c < n; c++)
		snprintf(row[c], CELL, "%s", names[c]);
}

static void own_table(const struct iface *ref)
{
	static const char *const head[] = {
		"interface", "events", "min", "median", "p90", "max",
		"x gpio-cdev"
	};
	char cells[MAX_IFACES + 1][MAX_COLS][CELL];
	int i;

	set_header(cells[0], head, 7);
	for (i = 0; i < nifaces; i++) {
		const struct iface *x = &ifaces[i];
		char (*row)[CELL] = cells[i + 1];

		snprintf(row[0], CELL, "%.23s", x->label);
		snprintf(row[1], CELL, "%llu/%llu", x->events, x->pulses);
		stats(&row[2], &x->own, ref ? &ref->own : NULL);
	}
	printf("Latency from the interface's own timestamp of the event to the program (us):\n\n");
	print_table(cells, nifaces + 1, 7);
}

static void irq_table(const struct iface *ref)
{
	static const char *const head[] = {
		"interface", "matched", "min", "median", "p90", "max",
		"x gpio-cdev", "stamp-IRQ"
	};
	char cells[MAX_IFACES + 1][MAX_COLS][CELL];
	int i;

	set_header(cells[0], head, 8);
	for (i = 0; i < nifaces; i++) {
		const struct iface *x = &ifaces[i];
		char (*row)[CELL] = cells[i + 1];

		snprintf(row[0], CELL, "%.23s", x->label);
		snprintf(row[1], CELL, "%zu/%llu", x->irq.n, x->events);
		stats(&row[2], &x->irq, ref ? &ref->irq : NULL);
		median_us(row[7], &x->offset);
	}
	printf("Latency from the hard IRQ (tracepoint irq_handler_entry) to the program (us);\n"
	       "stamp-IRQ: median of the interface's timestamp minus the tracepoint's:\n\n");
	print_table(cells, nifaces + 1, 8);
}

static void cost_table(const struct iface *ref)
{
	static const char *const head[] = {
		"interface", "read after wake", "process CPU", "x gpio-cdev",
		"of it sscanf", "IRQ thread CPU", "signals"
	};
	char cells[MAX_IFACES + 1][MAX_COLS][CELL];
	int i;

	set_header(cells[0], head, 7);
	for (i = 0; i < nifaces; i++) {
		const struct iface *x = &ifaces[i];
		char (*row)[CELL] = cells[i + 1];

		snprintf(row[0], CELL, "%.23s", x->label);
		median_us(row[1], &x->read);
		median_us(row[2], &x->cpu);
		ratio(row[3], &x->cpu, ref ? &ref->cpu : NULL);
		median_us(row[4], &x->parse);
		median_us(row[5], &x->thread);
		snprintf(row[6], CELL, "%llu", x->signals);
	}
	printf("Per event, medians (us): the read after waking up, and CPU time since the\n"
	       "last event, of the process and of the IRQ thread (none: \"-\"):\n\n");
	print_table(cells, nifaces + 1, 7);
}

int main(int argc, char **argv)
{
	const struct iface *ref = NULL;
	int i, bad = 0;

	if (argc != 3) {
		fputs(usage, stderr);
		return 2;
	}
	if (read_trace(argv[2]) || read_records(argv[1]))
		return EXIT_FAILURE;
	if (!nifaces) {
		fprintf(stderr, "notify-bench-report: no records in %s\n", argv[1]);
		return EXIT_FAILURE;
	}
	for (i = 0; i < nifaces; i++) {
		sort(&ifaces[i].own);
		sort(&ifaces[i].irq);
		sort(&ifaces[i].offset);
		sort(&ifaces[i].read);
		sort(&ifaces[i].cpu);
		sort(&ifaces[i].thread);
		sort(&ifaces[i].parse);
		if (!strcmp(ifaces[i].label, "gpio-cdev"))
			ref = &ifaces[i];
	}
	own_table(ref);
	irq_table(ref);
	cost_table(ref);
	printf("Hard IRQs traced: %zu;", irqs.n);
	for (i = 0; i < MAX_CPUS; i++)
		if (irq_cpus[i])
			printf(" on CPU %d: %u;", i, irq_cpus[i]);
	printf("\n");

	for (i = 0; i < nifaces; i++) {
		const struct iface *x = &ifaces[i];

		if (x->pulses && x->events == x->pulses && !x->gaps)
			continue;
		printf("%s: %llu of %llu pulses delivered, %llu lost\n",
		       x->label, x->events, x->pulses, x->gaps);
		bad = 1;
	}
	if (!bad)
		printf("Every interface delivered every pulse.\n");
	return bad;
}
