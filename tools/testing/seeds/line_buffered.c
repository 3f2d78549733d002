// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linked into the design document's programs for the tests: their stdout
 * is a file there, not a terminal, and a program killed while waiting
 * would lose what it printed. Line buffering is what a terminal gives.
 */
#include <stdio.h>

static void __attribute__((constructor)) line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}
