// SPDX-License-Identifier: GPL-2.0-only
/*
 * fake-ioctl.so, for LD_PRELOAD: answers ASYNC_NOTIFY_IOC_INFO on any
 * file, so that the tools run on the host against a fifo (a named pipe
 * reads, polls and signals as a device would). The answer comes from
 * the environment: FAKE_MODE (0 latest, 1 fifo, 2 queue), FAKE_SIZE
 * (buffer_size, 256 if unset) and FAKE_FORMAT (0 text, 1 binary).
 * Every other request goes to the C library's ioctl().
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/async_notify.h>

static unsigned int env(const char *name, unsigned int def)
{
	const char *s = getenv(name);

	return s ? strtoul(s, NULL, 10) : def;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, void *);
	struct async_notify_info *info;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req != ASYNC_NOTIFY_IOC_INFO) {
		if (!real)
			real = (int (*)(int, unsigned long, void *))dlsym(RTLD_NEXT, "ioctl");
		return real(fd, req, arg);
	}
	info = arg;
	memset(info, 0, sizeof(*info));
	info->readers = 1;
	info->mode = env("FAKE_MODE", ASYNC_NOTIFY_MODE_LATEST);
	info->buffer_size = env("FAKE_SIZE", 256);
	info->format = env("FAKE_FORMAT", ASYNC_NOTIFY_FORMAT_TEXT);
	return 0;
}
