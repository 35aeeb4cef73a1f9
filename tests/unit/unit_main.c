// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Runs every registered test; a test fails when any of its checks fails. */
#include <stdarg.h>
#include <stdlib.h>
#include "unit.h"

static struct unit_test *tests, **tail = &tests;
static int current_failures;

void unit_register(struct unit_test *t)
{
	*tail = t;
	tail = &t->next;
}

void unit_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "    %s:%d: CHECK(%s) failed\n", file, line, what);
	current_failures++;
}

void unit_fail_str(const char *file, int line, const char *expr, const char *got, const char *want)
{
	fprintf(stderr, "    %s:%d: %s is \"%s\", expected \"%s\"\n", file, line, expr,
		got ? got : "(null)", want);
	current_failures++;
}

void unit_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0;
	struct unit_test *t;

	for (t = tests; t; t = t->next) {
		if (only && !strstr(t->name, only))
			continue;
		current_failures = 0;
		t->fn();
		if (current_failures) {
			failed++;
			printf("FAIL %s\n", t->name);
		} else {
			passed++;
			printf("ok   %s\n", t->name);
		}
		fflush(stdout);
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
