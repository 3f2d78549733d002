/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The text frame of an async-notify device's source, parsed strictly:
 * exactly what the driver prints with ASYNC_NOTIFY_FRAME_FMT, so that
 * nothing else a writer sends passes for a frame by accident:
 *
 *	"seq=" NUMBER " ts=" NUMBER "\n", at most ASYNC_NOTIFY_FRAME_MAX bytes
 *
 * where NUMBER is "0" or a decimal without a leading zero, sign or
 * space, at most 2^64 - 1. The Python module's frame() takes the same
 * grammar; tools/testing/unit/frames.txt holds the lines both are
 * tested with.
 */
#ifndef ASYNC_NOTIFY_FRAME_H
#define ASYNC_NOTIFY_FRAME_H

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include <linux/async_notify.h>

/* Parse NUMBER at *p, before end; move *p past it. 0 on success. */
static inline int an_parse_number(const char **p, const char *end,
				  unsigned long long *val)
{
	const char *s = *p;
	unsigned int digit;

	if (s == end || *s < '0' || *s > '9' || (*s == '0' && s + 1 < end &&
						 s[1] >= '0' && s[1] <= '9'))
		return -1;
	for (*val = 0; s < end && *s >= '0' && *s <= '9'; s++) {
		digit = *s - '0';
		if (*val > (ULLONG_MAX - digit) / 10)
			return -1;
		*val = *val * 10 + digit;
	}
	*p = s;
	return 0;
}

/* Take the literal @lit at *p, before end; move *p past it. */
static inline int an_parse_literal(const char **p, const char *end,
				   const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n))
		return -1;
	*p += n;
	return 0;
}

/*
 * Is the @len bytes at @line (newline included, no NUL needed) a source
 * frame? If so, return 1 with its numbers in @seq and @ts; else 0.
 */
static inline int an_parse_frame(const char *line, size_t len,
				 unsigned long long *seq,
				 unsigned long long *ts)
{
	const char *p = line, *end = line + len;

	if (len > ASYNC_NOTIFY_FRAME_MAX)
		return 0;
	return !an_parse_literal(&p, end, "seq=") &&
	       !an_parse_number(&p, end, seq) &&
	       !an_parse_literal(&p, end, " ts=") &&
	       !an_parse_number(&p, end, ts) &&
	       !an_parse_literal(&p, end, "\n") && p == end;
}

#endif /* ASYNC_NOTIFY_FRAME_H */
