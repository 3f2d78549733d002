// SPDX-License-Identifier: GPL-2.0-only
/* ioc-numbers: the UAPI header's ioctl numbers on this machine. */

#include <stdio.h>

#include <linux/async_notify.h>

int main(void)
{
	printf("%lu %lu\n", (unsigned long)ASYNC_NOTIFY_IOC_CLEAR,
	       (unsigned long)ASYNC_NOTIFY_IOC_INFO);
	return 0;
}
