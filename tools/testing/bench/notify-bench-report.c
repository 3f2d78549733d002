// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify-bench-report: make bench's tables from notify-bench's records and
 * the irq:irq_handler_entry trace of the same run.
 *
 * Each interface's latency is measured twice: from its own timestamp of
 * the event (none for UIO) and from the hard IRQ's tracepoint, the one
 * reference all interfaces share. The tables are reStructuredText;
 * optionally the same numbers go to a JSON file, with the environment the
 * run gives, and each interface's latency from the hard IRQ to a CDF data
 * file for plotting.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_IFACES	16
#define MAX_COLS	10
#define CELL		24
#define MAX_CPUS	8
/*
 * An event's IRQ is the last traced one less than this before it: before
 * its stamp, or without one before the program got control. A second
 * covers the design document's reader, which wakes once a second.
 */
#define MATCH_NS	1000000000LL

static const char usage[] =
"usage: notify-bench-report [-j JSON] [-e ENV] [-d DIR] RECORDS TRACE\n"
"Print make bench's tables from notify-bench records and the text of an\n"
"irq:irq_handler_entry trace taken with trace_clock mono.\n"
"  -j JSON  write the numbers to JSON too (times in us)\n"
"  -e ENV   KEY=VALUE lines: the run's environment, for the JSON\n"
"  -d DIR   write DIR/cdf-LABEL.dat: latency from the hard IRQ (us)\n"
"           and the fraction of events at or below it, per interface;\n"
"           DIR/rate-READER.dat and DIR/fanout-INTERFACE.dat for the plots\n"
"Exit status: 0 every interface delivered every pulse, every rate\n"
"reader's counts agree with sysfs', every fan-out file read every event\n"
"and sysfs allocated read 0, 1, 0 around an open; 1 otherwise or on\n"
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

/* One notify-rate record: a reader at one period of the timer source. */
struct rate {
	char method[16];
	unsigned int period_us, seconds;
	unsigned long long produced, delivered, lost, wakeups, dropped, overruns;
	int agree;
};

#define MAX_RATES	64
static struct rate rates[MAX_RATES];
static int nrates;
static struct series irqs;
static unsigned int irq_cpus[MAX_CPUS];

/* One notify-fanout run: one interface at one number of subscribed files. */
struct fanout {
	char label[32];
	unsigned int files, procs, wanted, events, complete;
	unsigned long long kernel_ns, subscribers_ns;
	struct series irq;	/* the last file's read - the hard IRQ */
	struct series stamp;	/* the last file's read - the frame's ts */
	struct series spread;	/* the last file's read - the first file's */
};

#define MAX_FANOUTS	16
static struct fanout fanouts[MAX_FANOUTS];
static int nfanouts;

/* The fan-out peers: ours over the peer, per subscriber. */
#define FANOUT_OURS	"fanout-async"
#define FANOUT_PEER	"fanout-uio"

/* The guest's slab memory for the bound devices, and for one open file. */
struct memory {
	struct series bound;	/* bytes per bound device, each round */
	struct series bound_driver;	/* of them, the driver's own */
	struct series open;	/* bytes one open took, each round */
	struct series open_driver;	/* of them, the driver's own */
	struct series freed;	/* bytes its close gave back, each round */
	unsigned int devices;
	long long buffer_size;
	int allocated[3];	/* sysfs allocated: closed, open, closed again */
	int bad_allocated;	/* a round where it did not read 0, 1, 0 */
};

static struct memory mem;

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

/* Nearest rank: the smallest value at or above @pct % of the samples. */
static long long pctl(const struct series *s, unsigned int pct)
{
	size_t rank = (pct * s->n + 99) / 100;

	return s->v[rank ? rank - 1 : 0];
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

/*
 * @v: WAKE DATA STAMP CPU THREAD PARSE of an event record. The hard IRQ
 * handler stamps the event, so its IRQ is the last one before the stamp:
 * more IRQs may come before the program gets control (the sleep loop).
 */
static void add_event(struct iface *x, const long long *v)
{
	long long wake = v[0], data = v[1], stamp = v[2], cpu = v[3];
	long long thread = v[4], irq = irq_before(stamp ? stamp : wake);

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

static void add_rate(const char *line)
{
	struct rate *r = &rates[nrates];

	if (nrates == MAX_RATES) {
		fputs("notify-bench-report: too many rate records\n", stderr);
		exit(EXIT_FAILURE);
	}
	if (sscanf(line,
		   "rate %15s %u seconds=%u produced=%llu delivered=%llu lost=%llu wakeups=%llu dropped=%llu overruns=%llu agree=%d",
		   r->method, &r->period_us, &r->seconds, &r->produced,
		   &r->delivered, &r->lost, &r->wakeups, &r->dropped,
		   &r->overruns, &r->agree) == 10 && r->period_us && r->seconds)
		nrates++;
}

static struct fanout *find_fanout(const char *label, unsigned int files)
{
	struct fanout *x;
	int i;

	for (i = 0; i < nfanouts; i++)
		if (!strcmp(fanouts[i].label, label) && fanouts[i].files == files)
			return &fanouts[i];
	if (nfanouts == MAX_FANOUTS) {
		fputs("notify-bench-report: too many fan-out runs\n", stderr);
		exit(EXIT_FAILURE);
	}
	x = &fanouts[nfanouts++];
	snprintf(x->label, sizeof(x->label), "%s", label);
	x->files = files;
	return x;
}

/* "fanout LABEL FILES SEQ GOT FIRST LAST STAMP": one event's receipts. */
static void add_fanout(const char *line)
{
	long long seq, first, last, stamp, irq;
	unsigned int files, got;
	struct fanout *x;
	char label[32];

	if (sscanf(line, "fanout %31s %u %lld %u %lld %lld %lld", label,
		   &files, &seq, &got, &first, &last, &stamp) != 7)
		return;
	x = find_fanout(label, files);
	add(&x->spread, last - first);
	if (stamp)
		add(&x->stamp, last - stamp);
	irq = irq_before(first);
	if (irq >= 0 && last - irq <= MATCH_NS)
		add(&x->irq, last - irq);
}

/* "fanout-run LABEL files=F procs=P wanted=N events=E complete=C ..." */
static void add_fanout_run(const char *line)
{
	unsigned int files, procs, wanted, events, complete;
	unsigned long long kernel, subscribers;
	struct fanout *x;
	char label[32];

	if (sscanf(line,
		   "fanout-run %31s files=%u procs=%u wanted=%u events=%u complete=%u kernel_ns=%llu subscribers_ns=%llu",
		   label, &files, &procs, &wanted, &events, &complete, &kernel,
		   &subscribers) != 8)
		return;
	x = find_fanout(label, files);
	x->procs = procs;
	x->wanted = wanted;
	x->events = events;
	x->complete = complete;
	x->kernel_ns = kernel;
	x->subscribers_ns = subscribers;
}

/*
 * "memory-bound devices=N bytes=B driver=D": slab bytes that binding N
 * devices holds, D of them the driver's own; "memory-open buffer_size=S
 * bytes=B driver=D freed=F allocated=A,A,A": those one open file holds
 * and its close gives back.
 */
static void add_memory(const char *line)
{
	long long bytes, driver, freed, size;
	unsigned int devices;
	int *a = mem.allocated;

	if (sscanf(line, "memory-bound devices=%u bytes=%lld driver=%lld",
		   &devices, &bytes, &driver) == 3 && devices) {
		mem.devices = devices;
		add(&mem.bound, bytes / devices);
		add(&mem.bound_driver, driver / devices);
	} else if (sscanf(line,
			  "memory-open buffer_size=%lld bytes=%lld driver=%lld freed=%lld allocated=%d,%d,%d",
			  &size, &bytes, &driver, &freed, &a[0], &a[1], &a[2]) == 7) {
		mem.buffer_size = size;
		add(&mem.open, bytes);
		add(&mem.open_driver, driver);
		add(&mem.freed, freed);
		mem.bad_allocated |= a[0] || a[1] != 1 || a[2];
	}
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
		if (!strncmp(line, "rate ", 5))
			add_rate(line);
		else if (!strncmp(line, "fanout-run ", 11))
			add_fanout_run(line);
		else if (!strncmp(line, "fanout ", 7))
			add_fanout(line);
		else if (!strncmp(line, "memory-", 7))
			add_memory(line);
		else if (sscanf(line, "event %31s %lld %lld %lld %lld %lld %lld",
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

/* The p99 of @s over @ref's. */
static void ratio99(char *cell, const struct series *s, const struct series *ref)
{
	if (s->n && ref && ref->n && pctl(ref, 99) > 0)
		snprintf(cell, CELL, "%.2f", (double)pctl(s, 99) / pctl(ref, 99));
	else
		dash(cell);
}

/*
 * Min, median, p90, p99 and max of @s in cells 0..4, the ratios of the
 * medians and of the p99s to @ref's in 5 and 6.
 */
static void stats(char cells[][CELL], const struct series *s,
		  const struct series *ref)
{
	int c;

	if (!s->n) {
		for (c = 0; c < 7; c++)
			dash(cells[c]);
		return;
	}
	us(cells[0], s->v[0]);
	us(cells[1], median(s));
	us(cells[2], pctl(s, 90));
	us(cells[3], pctl(s, 99));
	us(cells[4], s->v[s->n - 1]);
	ratio(cells[5], s, ref);
	ratio99(cells[6], s, ref);
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
		"interface", "events", "min", "p50", "p90", "p99", "max",
		"p50 x ref", "p99 x ref"
	};
	char cells[MAX_IFACES + 1][MAX_COLS][CELL];
	int i;

	set_header(cells[0], head, 9);
	for (i = 0; i < nifaces; i++) {
		const struct iface *x = &ifaces[i];
		char (*row)[CELL] = cells[i + 1];

		snprintf(row[0], CELL, "%.23s", x->label);
		snprintf(row[1], CELL, "%llu/%llu", x->events, x->pulses);
		stats(&row[2], &x->own, ref ? &ref->own : NULL);
	}
	printf("Latency from the interface's own timestamp of the event to the program (us);\n"
	       "ref: gpio-cdev's blocking read:\n\n");
	print_table(cells, nifaces + 1, 9);
}

static void irq_table(const struct iface *ref)
{
	static const char *const head[] = {
		"interface", "matched", "min", "p50", "p90", "p99", "max",
		"p50 x ref", "p99 x ref", "stamp-IRQ"
	};
	char cells[MAX_IFACES + 1][MAX_COLS][CELL];
	int i;

	set_header(cells[0], head, 10);
	for (i = 0; i < nifaces; i++) {
		const struct iface *x = &ifaces[i];
		char (*row)[CELL] = cells[i + 1];

		snprintf(row[0], CELL, "%.23s", x->label);
		snprintf(row[1], CELL, "%zu/%llu", x->irq.n, x->events);
		stats(&row[2], &x->irq, ref ? &ref->irq : NULL);
		median_us(row[9], &x->offset);
	}
	printf("Latency from the hard IRQ (tracepoint irq_handler_entry) to the program (us);\n"
	       "ref: gpio-cdev's blocking read; stamp-IRQ: median of the interface's\n"
	       "timestamp minus the tracepoint's:\n\n");
	print_table(cells, nifaces + 1, 10);
}

static void cost_table(const struct iface *ref)
{
	static const char *const head[] = {
		"interface", "read after wake", "process CPU", "x ref",
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
	       "last event, of the process and of the IRQ thread (none: \"-\");\n"
	       "ref: gpio-cdev's blocking read:\n\n");
	print_table(cells, nifaces + 1, 7);
}

static double rate_hz(const struct rate *r)
{
	return 1e6 / r->period_us;
}

static double per_s(const struct rate *r, unsigned long long n)
{
	return (double)n / r->seconds;
}

/* The highest rate @method delivered without loss, 0 if none. */
static double loss_free(const char *method)
{
	double best = 0;
	int i;

	for (i = 0; i < nrates; i++)
		if (!strcmp(rates[i].method, method) && !rates[i].lost &&
		    rates[i].produced && rate_hz(&rates[i]) > best)
			best = rate_hz(&rates[i]);
	return best;
}

/* The most wake-ups a second timerfd's reader got: the guest's ceiling. */
static double wakeup_ceiling(void)
{
	double best = 0;
	int i;

	for (i = 0; i < nrates; i++)
		if (!strcmp(rates[i].method, "timerfd") &&
		    per_s(&rates[i], rates[i].wakeups) > best)
			best = per_s(&rates[i], rates[i].wakeups);
	return best;
}

static int rate_table(void)
{
	static const char *const head[] = {
		"rate (Hz)", "reader", "produced", "delivered", "lost",
		"dropped", "overruns", "agree", "wake-ups/s", "delivered %"
	};
	char cells[MAX_RATES + 1][MAX_COLS][CELL];
	static const char *const readers[] = { "sigio", "epoll" };
	double ceiling = wakeup_ceiling(), timerfd = loss_free("timerfd"), best;
	int i, bad = 0;
	size_t k;

	if (!nrates)
		return 0;
	set_header(cells[0], head, 10);
	for (i = 0; i < nrates; i++) {
		const struct rate *r = &rates[i];
		char (*row)[CELL] = cells[i + 1];

		snprintf(row[0], CELL, "%.0f", rate_hz(r));
		snprintf(row[1], CELL, "%.15s", r->method);
		snprintf(row[2], CELL, "%llu", r->produced);
		snprintf(row[3], CELL, "%llu", r->delivered);
		snprintf(row[4], CELL, "%llu", r->lost);
		snprintf(row[5], CELL, "%llu", r->dropped);
		snprintf(row[6], CELL, "%llu", r->overruns);
		snprintf(row[7], CELL, "%s", r->agree ? "yes" : "NO");
		snprintf(row[8], CELL, "%.0f", per_s(r, r->wakeups));
		snprintf(row[9], CELL, "%.2f", r->produced ?
			 100.0 * r->delivered / r->produced : 0);
		bad |= !r->agree;
	}
	printf("Loss-free rate: the timer source in fifo mode, read by a SIGIO subscriber\n"
	       "(read until EAGAIN) and by an epoll reader; timerfd: a userspace timer at\n"
	       "the same rate, whose wake-ups are the guest's ceiling. lost: from the\n"
	       "frames' seq (timerfd: expirations without a wake-up); dropped, overruns:\n"
	       "sysfs; agree: the reader's counts equal sysfs':\n\n");
	print_table(cells, nrates + 1, 10);
	printf("timerfd's ceiling: %.0f wake-ups/s; its highest loss-free rate: %.0f Hz.",
	       ceiling, timerfd);
	for (k = 0; k < sizeof(readers) / sizeof(*readers); k++) {
		best = loss_free(readers[k]);
		printf(" Highest loss-free rate, %s: %.0f Hz (%.2f of the ceiling",
		       readers[k], best, ceiling > 0 ? best / ceiling : 0);
		if (timerfd > 0)
			printf(", %.2f of timerfd's", best / timerfd);
		printf(").");
	}
	printf("\n\n");
	if (bad)
		printf("The reader's counts and sysfs' disagree (agree: NO above).\n\n");
	return bad;
}

static void json_rates(FILE *f)
{
	static const char *const readers[] = { "sigio", "epoll" };
	double ceiling = wakeup_ceiling(), timerfd = loss_free("timerfd");
	size_t k;
	int i;

	fprintf(f, ",\n  \"rate\": [");
	for (i = 0; i < nrates; i++) {
		const struct rate *r = &rates[i];

		fprintf(f, "%s\n    {\"reader\": \"%s\", \"period_us\": %u, ",
			i ? "," : "", r->method, r->period_us);
		fprintf(f, "\"rate_hz\": %.0f, \"seconds\": %u, ",
			rate_hz(r), r->seconds);
		fprintf(f, "\"produced\": %llu, \"delivered\": %llu, \"lost\": %llu, ",
			r->produced, r->delivered, r->lost);
		fprintf(f, "\"wakeups\": %llu, \"dropped\": %llu, \"overruns\": %llu, ",
			r->wakeups, r->dropped, r->overruns);
		fprintf(f, "\"agree\": %s}", r->agree ? "true" : "false");
	}
	fprintf(f, "\n  ],\n  \"loss_free\": {\"timerfd_wakeups_per_s\": %.0f",
		ceiling);
	fprintf(f, ", \"timerfd_hz\": %.0f", timerfd);
	for (k = 0; k < sizeof(readers) / sizeof(*readers); k++) {
		fprintf(f, ", \"%s_hz\": %.0f, \"%s_over_ceiling\": %.3f",
			readers[k], loss_free(readers[k]), readers[k],
			ceiling > 0 ? loss_free(readers[k]) / ceiling : 0);
		if (timerfd > 0)	/* no ratio to a rate timerfd never had */
			fprintf(f, ", \"%s_over_timerfd\": %.3f", readers[k],
				loss_free(readers[k]) / timerfd);
	}
	fprintf(f, "}");
}

/* DIR/rate-METHOD.dat: rate (Hz) and delivered/produced, per reader. */
static int write_rate_data(const char *dir)
{
	char path[4096];
	int i, j;
	FILE *f;

	for (i = 0; i < nrates; i++) {
		for (j = 0; j < i && strcmp(rates[j].method, rates[i].method); j++)
			;
		if (j < i)
			continue;
		snprintf(path, sizeof(path), "%.4000s/rate-%.15s.dat", dir, rates[i].method);
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			return -1;
		}
		fprintf(f, "# %s: rate (Hz), delivered / produced\n", rates[i].method);
		for (j = i; j < nrates; j++)
			if (!strcmp(rates[j].method, rates[i].method) && rates[j].produced)
				fprintf(f, "%.0f %.4f\n", rate_hz(&rates[j]),
					(double)rates[j].delivered / rates[j].produced);
		if (fclose(f))
			return -1;
	}
	return 0;
}

static void json_stats(FILE *f, const char *name, const struct series *s)
{
	fprintf(f, ",\n      \"%s\": ", name);
	if (!s->n) {
		fprintf(f, "null");
		return;
	}
	fprintf(f, "{\"n\": %zu, \"min\": %.1f, \"p50\": %.1f, ",
		s->n, s->v[0] / 1e3, median(s) / 1e3);
	fprintf(f, "\"p90\": %.1f, \"p99\": %.1f, \"max\": %.1f}",
		pctl(s, 90) / 1e3, pctl(s, 99) / 1e3, s->v[s->n - 1] / 1e3);
}

static double median_us_of(const struct series *s)
{
	return s->n ? median(s) / 1e3 : 0;
}

/* The median time from the hard IRQ to the last subscriber's read. */
static double fanout_last_us(const struct fanout *x)
{
	return median_us_of(&x->irq);
}

/* Kernel CPU time (system + irq + softirq, all CPUs) per event. */
static double fanout_kernel_us(const struct fanout *x)
{
	return x->events ? x->kernel_ns / 1e3 / x->events : 0;
}

/* The subscribers' own CPU time (user + system) per event. */
static double fanout_subscribers_us(const struct fanout *x)
{
	return x->events ? x->subscribers_ns / 1e3 / x->events : 0;
}

/* Least-squares slope of @y against the files of @label's runs; 0 if < 2. */
static double fanout_slope(const char *label,
			   double (*y)(const struct fanout *))
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0, d;
	int i;

	for (i = 0; i < nfanouts; i++) {
		const struct fanout *x = &fanouts[i];

		if (strcmp(x->label, label) || !x->events)
			continue;
		sx += x->files;
		sy += y(x);
		sxx += (double)x->files * x->files;
		sxy += x->files * y(x);
		n++;
	}
	d = n * sxx - sx * sx;
	return n > 1 && d > 0 ? (n * sxy - sx * sy) / d : 0;
}

static double over(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static void fanout_row(char row[][CELL], const struct fanout *x)
{
	snprintf(row[0], CELL, "%.23s", x->label);
	snprintf(row[1], CELL, "%u", x->files);
	snprintf(row[2], CELL, "%u", x->procs);
	snprintf(row[3], CELL, "%u/%u", x->complete, x->wanted);
	median_us(row[4], &x->irq);
	if (x->irq.n)
		us(row[5], pctl(&x->irq, 99));
	else
		dash(row[5]);
	median_us(row[6], &x->stamp);
	median_us(row[7], &x->spread);
	snprintf(row[8], CELL, "%.0f", fanout_kernel_us(x));
	snprintf(row[9], CELL, "%.0f", fanout_subscribers_us(x));
}

/* Has @label at least two runs, to fit a slope to? */
static int fanout_fits(const char *label)
{
	int i, n = 0;

	for (i = 0; i < nfanouts; i++)
		n += !strcmp(fanouts[i].label, label) && fanouts[i].events;
	return n > 1;
}

/* The slopes of one interface, per subscribed file. */
static void fanout_slopes(const char *label)
{
	if (!fanout_fits(label)) {
		printf("%s: fewer than two runs, no slope\n", label);
		return;
	}
	printf("%s: %.2f us of latency, %.2f us of kernel CPU, %.2f us of subscribers' CPU\n",
	       label, fanout_slope(label, fanout_last_us),
	       fanout_slope(label, fanout_kernel_us),
	       fanout_slope(label, fanout_subscribers_us));
}

/* The fan-out runs and their cost per subscriber: 1 if one missed events. */
static int fanout_table(void)
{
	static const char *const head[] = {
		"interface", "files", "procs", "complete", "IRQ to last p50",
		"p99", "ts to last p50", "first to last p50", "kernel CPU",
		"subscribers CPU"
	};
	char cells[MAX_FANOUTS + 1][MAX_COLS][CELL];
	int i, bad = 0;

	if (!nfanouts)
		return 0;
	set_header(cells[0], head, 10);
	for (i = 0; i < nfanouts; i++) {
		fanout_row(cells[i + 1], &fanouts[i]);
		bad |= !fanouts[i].wanted ||
		       fanouts[i].complete != fanouts[i].wanted;
	}
	printf("Fan-out: one pulse to FILES files subscribed with O_ASYNC, over PROCS\n"
	       "processes that read until EAGAIN on SIGIO (async-notify in latest mode;\n"
	       "UIO's FASYNC as the peer); complete: events every file read, of those\n"
	       "pulsed. Per event (us): from the hard IRQ and from the frame's ts to the\n"
	       "last file's read, from the first file's read to the last; kernel CPU:\n"
	       "system + irq + softirq of all CPUs (/proc/stat); subscribers CPU: their\n"
	       "user + system:\n\n");
	print_table(cells, nfanouts + 1, 10);
	printf("Per subscribed file (least-squares slope over files):\n");
	fanout_slopes(FANOUT_OURS);
	fanout_slopes(FANOUT_PEER);
	if (fanout_fits(FANOUT_OURS) && fanout_fits(FANOUT_PEER))
		printf("async-notify over UIO per subscribed file: latency %.2f, kernel CPU %.2f\n",
		       over(fanout_slope(FANOUT_OURS, fanout_last_us),
			    fanout_slope(FANOUT_PEER, fanout_last_us)),
		       over(fanout_slope(FANOUT_OURS, fanout_kernel_us),
			    fanout_slope(FANOUT_PEER, fanout_kernel_us)));
	printf("\n");
	if (bad)
		printf("A fan-out run missed events (complete above).\n\n");
	return bad;
}

static void json_slopes(FILE *f, const char *label)
{
	if (!fanout_fits(label)) {
		fprintf(f, "\"%s\": null", label);
		return;
	}
	fprintf(f, "\"%s\": {\"latency\": %.3f, \"kernel_cpu\": %.3f, \"subscribers_cpu\": %.3f}",
		label, fanout_slope(label, fanout_last_us),
		fanout_slope(label, fanout_kernel_us),
		fanout_slope(label, fanout_subscribers_us));
}

static void json_fanout(FILE *f)
{
	int i;

	fprintf(f, ",\n  \"fanout\": {\"runs\": [");
	for (i = 0; i < nfanouts; i++) {
		const struct fanout *x = &fanouts[i];

		fprintf(f, "%s\n    {\"interface\": \"%s\", \"files\": %u, ",
			i ? "," : "", x->label, x->files);
		fprintf(f, "\"procs\": %u, \"wanted\": %u, \"events\": %u, ",
			x->procs, x->wanted, x->events);
		fprintf(f, "\"complete\": %u, ", x->complete);
		fprintf(f, "\"kernel_cpu_us\": %.1f, \"subscribers_cpu_us\": %.1f",
			fanout_kernel_us(x), fanout_subscribers_us(x));
		json_stats(f, "irq_to_last_us", &x->irq);
		json_stats(f, "ts_to_last_us", &x->stamp);
		json_stats(f, "first_to_last_us", &x->spread);
		fprintf(f, "}");
	}
	fprintf(f, "\n  ],\n  \"slope_us_per_file\": {");
	json_slopes(f, FANOUT_OURS);
	fprintf(f, ", ");
	json_slopes(f, FANOUT_PEER);
	fprintf(f, "},\n  \"ours_over_peer\": ");
	if (fanout_fits(FANOUT_OURS) && fanout_fits(FANOUT_PEER))
		fprintf(f, "{\"latency\": %.3f, \"kernel_cpu\": %.3f}}",
			over(fanout_slope(FANOUT_OURS, fanout_last_us),
			     fanout_slope(FANOUT_PEER, fanout_last_us)),
			over(fanout_slope(FANOUT_OURS, fanout_kernel_us),
			     fanout_slope(FANOUT_PEER, fanout_kernel_us)));
	else
		fprintf(f, "null}");
}

/* DIR/fanout-LABEL.dat: files, latency to the last file, kernel CPU. */
static int write_fanout_data(const char *dir)
{
	char path[4096];
	int i, j;
	FILE *f;

	for (i = 0; i < nfanouts; i++) {
		for (j = 0; j < i && strcmp(fanouts[j].label, fanouts[i].label); j++)
			;
		if (j < i)
			continue;
		snprintf(path, sizeof(path), "%.4000s/%.31s.dat", dir, fanouts[i].label);
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			return -1;
		}
		fprintf(f, "# %s: files, IRQ to last read p50 (us), kernel CPU/event (us)\n",
			fanouts[i].label);
		/* Log scales: a run without a latency has no point. */
		for (j = i; j < nfanouts; j++)
			if (!strcmp(fanouts[j].label, fanouts[i].label) &&
			    fanouts[j].irq.n)
				fprintf(f, "%u %.1f %.1f\n", fanouts[j].files,
					fanout_last_us(&fanouts[j]),
					fanout_kernel_us(&fanouts[j]));
		if (fclose(f))
			return -1;
	}
	return 0;
}

/* "median (min to max)" of @s, or "-". */
static void range(char *cell, const struct series *s)
{
	if (s->n)
		snprintf(cell, CELL, "%lld (%lld to %lld)", median(s), s->v[0],
			 s->v[s->n - 1]);
	else
		dash(cell);
}

/* The memory table: 1 if sysfs allocated is not 0, 1, 0 as it must. */
static int memory_table(void)
{
	static const char *const head[] = {
		"when", "slab bytes", "of them in-module", "driver's accounting"
	};
	char cells[4][MAX_COLS][CELL];
	const int *a = mem.allocated;

	if (!mem.bound.n || !mem.open.n)
		return 0;
	set_header(cells[0], head, 4);
	snprintf(cells[1][0], CELL, "bound, closed");
	range(cells[1][1], &mem.bound);
	range(cells[1][2], &mem.bound_driver);
	snprintf(cells[1][3], CELL, "allocated=%d: 0", a[0]);
	snprintf(cells[2][0], CELL, "first open holds");
	range(cells[2][1], &mem.open);
	range(cells[2][2], &mem.open_driver);
	snprintf(cells[2][3], CELL, "allocated=%d: %lld", a[1], mem.buffer_size);
	snprintf(cells[3][0], CELL, "last close frees");
	range(cells[3][1], &mem.freed);
	dash(cells[3][2]);
	snprintf(cells[3][3], CELL, "allocated=%d: 0", a[2]);
	printf("Memory: slab bytes (kmalloc and kmem_cache objects, from the kmem trace\n"
	       "events), median (min to max) of %zu rounds: per bound device, from\n"
	       "binding %u devices; what one reader's open of the timer device (fifo,\n"
	       "buffer_size %lld) holds and its close gives back. Of them in-module: those\n"
	       "whose call site is in the module (not devm_*, kvmalloc() or the driver\n"
	       "core's). The driver's accounting: sysfs allocated (last round) and the\n"
	       "buffer bytes it stands for:\n\n",
	       mem.bound.n, mem.devices, mem.buffer_size);
	print_table(cells, 4, 4);
	if (mem.bad_allocated)
		printf("sysfs allocated did not read 0, 1, 0 around an open (last %d, %d, %d)\n\n",
		       a[0], a[1], a[2]);
	return mem.bad_allocated;
}

static void json_bytes(FILE *f, const char *name, const struct series *s)
{
	fprintf(f, ", \"%s\": {\"n\": %zu, \"min\": %lld, \"p50\": %lld, \"max\": %lld}",
		name, s->n, s->v[0], median(s), s->v[s->n - 1]);
}

static void json_memory(FILE *f)
{
	if (!mem.bound.n || !mem.open.n)
		return;
	fprintf(f, ",\n  \"memory\": {\"devices\": %u, \"buffer_size\": %lld, ",
		mem.devices, mem.buffer_size);
	fprintf(f, "\"allocated\": [%d, %d, %d], \"allocated_ok\": %s",
		mem.allocated[0], mem.allocated[1], mem.allocated[2],
		mem.bad_allocated ? "false" : "true");
	json_bytes(f, "bound_bytes_per_device", &mem.bound);
	json_bytes(f, "bound_driver_bytes_per_device", &mem.bound_driver);
	json_bytes(f, "open_bytes", &mem.open);
	json_bytes(f, "open_driver_bytes", &mem.open_driver);
	json_bytes(f, "freed_on_close_bytes", &mem.freed);
	fprintf(f, "}");
}

static const struct iface *lookup(const char *label)
{
	int i;

	for (i = 0; i < nifaces; i++)
		if (!strcmp(ifaces[i].label, label))
			return &ifaces[i];
	return NULL;
}

/*
 * The comparisons the benchmark exists for: each async-notify way of
 * waiting against the peer interface that waits the same way.
 */
static const struct {
	const char *what, *ours, *peer;
} pairs[] = {
	{ "blocking read", "async-read", "gpio-cdev" },
	{ "blocking read, binary frames", "async-read-bin", "gpio-cdev" },
	{ "epoll", "async-epoll", "gpio-cdev-epoll" },
	{ "epoll, binary frames", "async-epoll-bin", "gpio-cdev-epoll" },
	{ "SIGIO", "async-sigio", "uio-sigio" },
	{ "F_SETSIG + sigwaitinfo", "async-rtsig", "uio-sigio" },
};

#define NPAIRS	(sizeof(pairs) / sizeof(*pairs))

static double rat(long long a, long long b)
{
	return b > 0 ? (double)a / b : 0;
}

static void headline(void)
{
	static const char *const head[] = {
		"async-notify", "over", "p50", "p99", "process CPU"
	};
	char cells[NPAIRS + 1][MAX_COLS][CELL];
	const struct iface *a, *p;
	size_t i;
	int n = 1;

	set_header(cells[0], head, 5);
	for (i = 0; i < NPAIRS; i++) {
		a = lookup(pairs[i].ours);
		p = lookup(pairs[i].peer);
		if (!a || !p)
			continue;
		snprintf(cells[n][0], CELL, "%s", pairs[i].ours);
		snprintf(cells[n][1], CELL, "%s", pairs[i].peer);
		ratio(cells[n][2], &a->irq, &p->irq);
		ratio99(cells[n][3], &a->irq, &p->irq);
		ratio(cells[n][4], &a->cpu, &p->cpu);
		n++;
	}
	if (n == 1)
		return;
	printf("Headline ratios: latency from the hard IRQ (p50, p99) and process CPU\n"
	       "per event (median), async-notify over the peer that waits the same way:\n\n");
	print_table(cells, n, 5);
}

/* @s as a JSON string; control characters are left out. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= ' ')
			fputc(*s, f);
	}
	fputc('"', f);
}

static int write_env(FILE *f, const char *path)
{
	char line[512], *eq;
	int first = 1;
	FILE *e;

	fprintf(f, "  \"environment\": {");
	if (path) {
		e = fopen(path, "r");
		if (!e) {
			perror(path);
			return -1;
		}
		while (fgets(line, sizeof(line), e)) {
			line[strcspn(line, "\n")] = '\0';
			eq = strchr(line, '=');
			if (!eq)
				continue;
			*eq = '\0';
			fprintf(f, "%s\n    ", first ? "" : ",");
			json_str(f, line);
			fprintf(f, ": ");
			json_str(f, eq + 1);
			first = 0;
		}
		fclose(e);
	}
	fprintf(f, "\n  },\n");
	return 0;
}

static void json_ratios(FILE *f)
{
	const struct iface *a, *p;
	int first = 1;
	size_t k;

	fprintf(f, "  \"ratios\": [");
	for (k = 0; k < NPAIRS; k++) {
		a = lookup(pairs[k].ours);
		p = lookup(pairs[k].peer);
		if (!a || !p || !a->irq.n || !p->irq.n)
			continue;
		fprintf(f, "%s\n    {\"what\": \"%s\", ",
			first ? "" : ",", pairs[k].what);
		fprintf(f, "\"ours\": \"%s\", \"peer\": \"%s\", ",
			pairs[k].ours, pairs[k].peer);
		fprintf(f, "\"p50\": %.3f, \"p99\": %.3f",
			rat(median(&a->irq), median(&p->irq)),
			rat(pctl(&a->irq, 99), pctl(&p->irq, 99)));
		if (a->cpu.n && p->cpu.n)
			fprintf(f, ", \"process_cpu\": %.3f",
				rat(median(&a->cpu), median(&p->cpu)));
		fprintf(f, "}");
		first = 0;
	}
	fprintf(f, "\n  ]");
}

static int write_json(const char *path, const char *env)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "{\n");
	if (write_env(f, env)) {
		fclose(f);
		return -1;
	}
	fprintf(f, "  \"hard_irqs_traced\": %zu,\n  \"latency\": [", irqs.n);
	for (i = 0; i < nifaces; i++) {
		const struct iface *x = &ifaces[i];

		fprintf(f, "%s\n    {\"interface\": ", i ? "," : "");
		json_str(f, x->label);
		fprintf(f, ", \"pulses\": %llu, \"events\": %llu, ",
			x->pulses, x->events);
		fprintf(f, "\"lost\": %llu, \"signals\": %llu",
			x->gaps, x->signals);
		json_stats(f, "from_irq_us", &x->irq);
		json_stats(f, "from_own_stamp_us", &x->own);
		json_stats(f, "stamp_minus_irq_us", &x->offset);
		json_stats(f, "read_after_wake_us", &x->read);
		json_stats(f, "process_cpu_us", &x->cpu);
		json_stats(f, "irq_thread_cpu_us", &x->thread);
		json_stats(f, "sscanf_us", &x->parse);
		fprintf(f, "}");
	}
	fprintf(f, "\n  ],\n");
	json_ratios(f);
	json_rates(f);
	json_fanout(f);
	json_memory(f);
	fprintf(f, "\n}\n");
	return fclose(f) ? -1 : 0;
}

static int write_cdfs(const char *dir)
{
	char path[4096];
	size_t k;
	int i;
	FILE *f;

	for (i = 0; i < nifaces; i++) {
		const struct series *s = &ifaces[i].irq;

		snprintf(path, sizeof(path), "%s/cdf-%s.dat", dir, ifaces[i].label);
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			return -1;
		}
		fprintf(f, "# %s: latency from the hard IRQ (us), fraction of events\n",
			ifaces[i].label);
		for (k = 0; k < s->n; k++)
			fprintf(f, "%.1f %.4f\n", s->v[k] / 1e3, (double)(k + 1) / s->n);
		if (fclose(f))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *json = NULL, *env = NULL, *cdf_dir = NULL;
	const struct iface *ref = NULL;
	int i, opt, bad = 0, disagree;

	while ((opt = getopt(argc, argv, "j:e:d:")) != -1) {
		switch (opt) {
		case 'j':
			json = optarg;
			break;
		case 'e':
			env = optarg;
			break;
		case 'd':
			cdf_dir = optarg;
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (read_trace(argv[optind + 1]) || read_records(argv[optind]))
		return EXIT_FAILURE;
	if (!nifaces && !nrates && !nfanouts) {
		fprintf(stderr, "notify-bench-report: no records in %s\n", argv[1]);
		return EXIT_FAILURE;
	}
	sort(&mem.bound);
	sort(&mem.bound_driver);
	sort(&mem.open);
	sort(&mem.open_driver);
	sort(&mem.freed);
	for (i = 0; i < nfanouts; i++) {
		sort(&fanouts[i].irq);
		sort(&fanouts[i].stamp);
		sort(&fanouts[i].spread);
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
	headline();
	own_table(ref);
	irq_table(ref);
	cost_table(ref);
	disagree = rate_table();
	disagree |= fanout_table();
	disagree |= memory_table();
	if ((json && write_json(json, env)) ||
	    (cdf_dir && (write_cdfs(cdf_dir) || write_rate_data(cdf_dir) ||
			 write_fanout_data(cdf_dir))))
		return EXIT_FAILURE;
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
	return bad || disagree;
}
