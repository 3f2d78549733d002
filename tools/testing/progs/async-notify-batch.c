// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-batch: while a burst of the test interrupt controller
 * (tools/testing/testchip/an_testchip.c) runs, sample a device's sysfs
 * frames and notifications as fast as it can, and print the most frames
 * the device made between two samples that saw no notification at all.
 *
 * A batch makes at most 32 frames and then notifies, so no stretch of
 * time without a notification sees more than 32 frames made. A driver
 * whose batch goes on while events keep coming shows more.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
"usage: async-notify-batch DEVICE CHIP\n"
"Sample /sys/class/misc/DEVICE/{frames,notifications} until the burst of\n"
"/sys/kernel/debug/an-testchip/CHIP/burst is over; print\n"
"  batch DEVICE samples=N frames=F notifications=M most_without=W\n"
"Exit status: 0 done, 1 error, 2 usage.\n";

static int open_or_die(const char *fmt, const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), fmt, name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "async-notify-batch: %s: %s\n", path,
			strerror(errno));
		exit(1);
	}
	return fd;
}

/* sysfs attributes seek; debugfs's simple attributes do not. */
static unsigned long long read_u64(int fd)
{
	char buf[32];
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0 && errno == ESPIPE)
		n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0) {
		perror("async-notify-batch: pread");
		exit(1);
	}
	buf[n] = '\0';
	return strtoull(buf, NULL, 10);
}

static unsigned long long burst_left(const char *path)
{
	unsigned long long left;
	int fd = open_or_die("%s", path);

	left = read_u64(fd);
	close(fd);
	return left;
}

int main(int argc, char **argv)
{
	unsigned long long n, f0, n0, pn, start, last, worst = 0, samples = 0;
	char burst[256];
	int frames, notified;

	if (argc != 3) {
		fputs(usage, stderr);
		return 2;
	}
	frames = open_or_die("/sys/class/misc/%s/frames", argv[1]);
	notified = open_or_die("/sys/class/misc/%s/notifications", argv[1]);
	snprintf(burst, sizeof(burst), "/sys/kernel/debug/an-testchip/%s/burst",
		 argv[2]);

	/*
	 * A window starts with a read of notifications and the read of
	 * frames after it; it grows while later reads of notifications give
	 * the same count, so no notification came anywhere in it, however
	 * long this process was preempted between two reads.
	 */
	n0 = read_u64(notified);
	f0 = read_u64(frames);
	pn = n0;
	start = f0;
	last = f0;
	while (samples % 64 || burst_left(burst)) {
		n = read_u64(notified);
		if (n != pn) {
			pn = n;
			start = read_u64(frames);
			last = start;
		} else {
			if (last - start > worst)
				worst = last - start;
			last = read_u64(frames);
		}
		samples++;
	}
	printf("batch %s samples=%llu frames=%llu notifications=%llu most_without=%llu\n",
	       argv[1], samples, read_u64(frames) - f0,
	       read_u64(notified) - n0, worst);
	return 0;
}
