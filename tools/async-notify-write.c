// SPDX-License-Identifier: GPL-2.0-only
/*
 * async-notify-write: write messages to an async-notify device, each one
 * a frame, and so a notification for every subscriber.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/async_notify.h>

#define EXIT_USAGE	2
#define EXIT_GONE	4

static const char usage[] =
"usage: async-notify-write [options] DEVICE [MESSAGE...]\n"
"Write each MESSAGE, or each line of standard input, to DEVICE.\n"
"\n"
"  -d, --delay MS    wait MS milliseconds after each message\n"
"  -N, --nonblock    open with O_NONBLOCK and wait with poll() when a fifo\n"
"                    is full, instead of blocking in write()\n"
"  -h, --help        show this help\n"
"\n"
"Each message is one line: a MESSAGE, or the last line of standard\n"
"input, gets a newline if it has none; other lines keep their own.\n"
"In latest mode each message is one write(), one frame: a message longer\n"
"than the buffer is truncated (with a warning). In the other modes a\n"
"message is appended whole, in as many writes as the room allows.\n"
"A message may look like a source frame (\"seq=N ts=T\"): readers cannot\n"
"tell it from one; see async-notify-write(1).\n"
"\n"
"Exit status: 0 done, 1 error (reading standard input, or writing the\n"
"help, too), 2 usage, 4 device gone (unbound).\n";

/* Say why writing failed; return the exit status for it. */
static int write_error(int err)
{
	if (err == ENODEV)
		fprintf(stderr, "async-notify-write: the device is gone (unbound)\n");
	else
		fprintf(stderr, "async-notify-write: write: %s\n", strerror(err));
	return err == ENODEV ? EXIT_GONE : EXIT_FAILURE;
}

/* Write @msg as the mode wants it; return 0 or an exit status. */
static int put(int fd, const struct async_notify_info *info,
	       const char *msg, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, msg + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* revents is only valid when poll() succeeded. */
			n = poll(&p, 1, -1);
			if (n < 0 && errno != EINTR)
				return write_error(errno);
			if (n > 0 && p.revents & (POLLHUP | POLLERR))
				return write_error(ENODEV);
			continue;
		}
		if (n < 0)
			return write_error(errno);
		done += n;
		if (info->mode == ASYNC_NOTIFY_MODE_LATEST)
			break;	/* one write is one frame, however long */
	}
	if (done < len)
		fprintf(stderr, "async-notify-write: message truncated to %zu of %zu bytes\n",
			done, len);
	return 0;
}

/*
 * A message is one line, so that in a fifo messages do not run into each
 * other or into the source's frames: add its newline if it has none.
 */
static int put_line(int fd, const struct async_notify_info *info,
		    const char *arg, size_t len)
{
	char *msg;
	int ret;

	if (len && arg[len - 1] == '\n')
		return put(fd, info, arg, len);
	msg = malloc(len + 1);
	if (!msg) {
		fprintf(stderr, "async-notify-write: out of memory\n");
		return EXIT_FAILURE;
	}
	memcpy(msg, arg, len);
	msg[len] = '\n';
	ret = put(fd, info, msg, len + 1);
	free(msg);
	return ret;
}

/*
 * Output that could not be written is an error, --help's too: check it
 * once stdout is closed, as coreutils' close_stdout() does.
 */
static void close_stdout(void)
{
	int err = ferror(stdout);

	if (!fclose(stdout) && !err)
		return;
	fprintf(stderr, "async-notify-write: write error on standard output: %s\n",
		strerror(err ? EIO : errno));
	_exit(EXIT_FAILURE);
}

static void delay(unsigned long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "nonblock", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct async_notify_info info;
	unsigned long delay_ms = 0;
	int flags = O_WRONLY;
	char *line = NULL, *end;
	size_t cap = 0;
	ssize_t len;
	int opt, fd, i, ret = 0;

	atexit(close_stdout);
	while ((opt = getopt_long(argc, argv, "d:Nh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			errno = 0;
			delay_ms = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-') {
				fprintf(stderr, "async-notify-write: bad delay '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'N':
			flags |= O_NONBLOCK;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}

	fd = open(argv[optind], flags);
	if (fd < 0) {
		fprintf(stderr, "async-notify-write: %s: %s\n", argv[optind],
			strerror(errno));
		return EXIT_FAILURE;
	}
	if (ioctl(fd, ASYNC_NOTIFY_IOC_INFO, &info) < 0) {
		if (errno == ENODEV)
			return write_error(ENODEV);
		fprintf(stderr, "async-notify-write: %s is not an async-notify device: %s\n",
			argv[optind], strerror(errno));
		return EXIT_FAILURE;
	}

	if (optind + 1 < argc) {
		for (i = optind + 1; i < argc && !ret; i++) {
			ret = put_line(fd, &info, argv[i], strlen(argv[i]));
			if (!ret && delay_ms)
				delay(delay_ms);
		}
	} else {
		while (!ret && (len = getline(&line, &cap, stdin)) > 0) {
			ret = put_line(fd, &info, line, len);
			if (!ret && delay_ms)
				delay(delay_ms);
		}
		/* getline() says -1 for an error as for the end: tell them apart. */
		if (!ret && ferror(stdin)) {
			fprintf(stderr, "async-notify-write: standard input: %s\n",
				strerror(errno));
			ret = EXIT_FAILURE;
		}
		free(line);
	}
	if (close(fd) < 0 && !ret)
		ret = write_error(errno);
	return ret;
}
