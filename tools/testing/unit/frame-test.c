// SPDX-License-Identifier: GPL-2.0-only
/*
 * frame-test TABLE: what the listener's parser (async-notify-frame.h)
 * makes of each line of TABLE (frames.txt): one output line per entry,
 * "frame:SEQ:TS" or "data", for the unit tests to compare with the
 * entry's verdict.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "async-notify-frame.h"

/* Decode the escapes of frames.txt (\n \t \\ \xHH) in place. */
static size_t unescape(char *s)
{
	char *in = s, *o = s, hex[3] = "";

	while (*in) {
		if (*in != '\\') {
			*o++ = *in++;
			continue;
		}
		switch (in[1]) {
		case 'n':
			*o++ = '\n';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'x':
			memcpy(hex, in + 2, 2);
			*o++ = (char)strtoul(hex, NULL, 16);
			in += 2;
			break;
		default:
			*o++ = in[1];
			break;
		}
		in += 2;
	}
	return o - s;
}

int main(int argc, char **argv)
{
	unsigned long long seq, ts;
	char *entry = NULL, *line;
	size_t cap = 0, len;
	ssize_t n;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: frame-test TABLE\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	while ((n = getline(&entry, &cap, f)) > 0) {
		if (entry[0] == '#' || entry[0] == '\n')
			continue;
		if (entry[n - 1] == '\n')
			entry[n - 1] = '\0';
		line = strchr(entry, ' ');
		if (!line) {
			fprintf(stderr, "frame-test: no line in entry '%s'\n", entry);
			return 1;
		}
		len = unescape(++line);
		if (an_parse_frame(line, len, &seq, &ts))
			printf("frame:%llu:%llu\n", seq, ts);
		else
			printf("data\n");
	}
	free(entry);
	fclose(f);
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}
