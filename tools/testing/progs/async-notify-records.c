// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-records: check the frame format of an async-notify device
 * (Documentation/userspace-api/async-notify.rst, "Frames").
 *
 * usage: async-notify-records text DEVICE
 *        async-notify-records binary DEVICE COUNT
 * "text": ASYNC_NOTIFY_IOC_INFO reports ASYNC_NOTIFY_FORMAT_TEXT and a
 * source frame is a line of ASYNC_NOTIFY_FRAME_FMT. "binary": INFO reports
 * ASYNC_NOTIFY_FORMAT_BINARY, and COUNT reads of one struct
 * async_notify_record each return all of its bytes, with seq strictly
 * increasing and ts_ns a CLOCK_MONOTONIC time just past.
 * Prints "PASS: <format>-records@<device>" or "FAIL: ...: <reason>",
 * after a line "  failed: <check>" for each check that failed, and exits
 * 1 on failure. DEVICE needs a source, and no other reader.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>

/*
 * How old a record may be when read: frames wait for the reader at most
 * one period of the guest's timer source, but QEMU's TCG emulation can
 * stall the guest for a good part of a second. A clock or a unit other
 * than CLOCK_MONOTONIC's nanoseconds is off by far more.
 */
#define MAX_AGE_NS	2000000000ULL

static const char *devname;
static char first_failure[256];
static int failures;

static void check(int ok, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (ok)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("  failed: %s\n", why);
	if (!failures++)
		snprintf(first_failure, sizeof(first_failure), "%s", why);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* INFO's format is @want. */
static void check_format(int fd, unsigned int want)
{
	struct async_notify_info i;

	memset(&i, 0xff, sizeof(i));
	if (ioctl(fd, ASYNC_NOTIFY_IOC_INFO, &i) < 0)
		check(0, "ASYNC_NOTIFY_IOC_INFO: %s", strerror(errno));
	else
		check(i.format == want, "INFO format %u (want %u)", i.format,
		      want);
}

/* One source frame of a text device is one ASYNC_NOTIFY_FRAME_FMT line. */
static void test_text(int fd)
{
	char frame[ASYNC_NOTIFY_FRAME_MAX + 1];
	unsigned long long seq, ts;
	ssize_t n;

	check_format(fd, ASYNC_NOTIFY_FORMAT_TEXT);
	n = read(fd, frame, ASYNC_NOTIFY_FRAME_MAX);
	if (n < 0) {
		check(0, "read: %s", strerror(errno));
		return;
	}
	frame[n] = '\0';
	check(sscanf(frame, ASYNC_NOTIFY_FRAME_FMT, &seq, &ts) == 2 &&
	      n > 0 && frame[n - 1] == '\n', "frame \"%s\" is no text frame", frame);
}

/* Each read of a record's size takes one record, whole. */
static void test_binary(int fd, int count)
{
	struct async_notify_record rec, last = { 0, 0 };
	unsigned long long now;
	ssize_t n;
	int i;

	check_format(fd, ASYNC_NOTIFY_FORMAT_BINARY);
	for (i = 0; i < count && !failures; i++) {
		n = read(fd, &rec, sizeof(rec));
		now = now_ns();
		if (n < 0) {
			check(0, "read %d: %s", i, strerror(errno));
			break;
		}
		check(n == sizeof(rec), "read %d returned %zd bytes (want %zu)",
		      i, n, sizeof(rec));
		check(rec.seq > last.seq, "read %d: seq %llu after %llu", i,
		      (unsigned long long)rec.seq,
		      (unsigned long long)last.seq);
		check(rec.ts_ns > last.ts_ns && rec.ts_ns <= now &&
		      now - rec.ts_ns < MAX_AGE_NS,
		      "read %d: ts_ns %llu, after %llu, CLOCK_MONOTONIC now %llu: not within %llu ns before now",
		      i, (unsigned long long)rec.ts_ns,
		      (unsigned long long)last.ts_ns, now, MAX_AGE_NS);
		last = rec;
	}
	printf("%d records, the last seq=%llu ts_ns=%llu\n", i,
	       (unsigned long long)last.seq, (unsigned long long)last.ts_ns);
}

int main(int argc, char **argv)
{
	const char *format = argc > 1 ? argv[1] : "";
	int binary = !strcmp(format, "binary");
	int count = argc > 3 ? atoi(argv[3]) : 0;
	int fd;

	if (!(binary && argc == 4 && count > 0) &&
	    !(!strcmp(format, "text") && argc == 3)) {
		fprintf(stderr,
			"usage: %s text DEVICE\n       %s binary DEVICE COUNT\n",
			argv[0], argv[0]);
		return 2;
	}
	devname = strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = open(argv[2], O_RDONLY);
	if (fd < 0) {
		printf("FAIL: %s-records@%s: open %s: %s\n", format, devname,
		       argv[2], strerror(errno));
		return 1;
	}
	if (binary)
		test_binary(fd, count);
	else
		test_text(fd);
	close(fd);

	if (failures) {
		printf("FAIL: %s-records@%s: %s\n", format, devname,
		       first_failure);
		return 1;
	}
	printf("PASS: %s-records@%s\n", format, devname);
	return 0;
}
