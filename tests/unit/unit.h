/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small unit-test harness: TEST(name) defines and registers a test, CHECK(cond) and
 * CHECK_STR(a, b) record failures with file and line; the runner prints one line per test
 * and "unit: N passed, M failed".
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);
void unit_fail(const char *file, int line, const char *what);
void unit_fail_str(const char *file, int line, const char *expr, const char *got, const char *want);
/* Appends printf's text to the NUL-terminated text in buf (size bytes), cut to fit. */
void unit_append(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST(fn_name)                                                        \
	static void fn_name(void);                                           \
	static struct unit_test fn_name##_entry = {#fn_name, fn_name, NULL}; \
	__attribute__((constructor)) static void fn_name##_register(void)    \
	{                                                                    \
		unit_register(&fn_name##_entry);                             \
	}                                                                    \
	static void fn_name(void)

#define CHECK(cond)                                           \
	do {                                                  \
		if (!(cond))                                  \
			unit_fail(__FILE__, __LINE__, #cond); \
	} while (0)

/* An input and the text a function must make of it, for tables of cases. */
struct unit_case {
	const char *in;
	const char *want;
};

/* CHECK_STR(fn(c.in), c.want) for each case c of the array cases. */
#define CHECK_CASES(fn, cases)                                                     \
	do {                                                                       \
		for (size_t c_ = 0; c_ < sizeof(cases) / sizeof((cases)[0]); c_++) \
			CHECK_STR(fn((cases)[c_].in), (cases)[c_].want);           \
	} while (0)

#define CHECK_STR(got, want)                                                  \
	do {                                                                  \
		const char *got_ = (got), *want_ = (want);                    \
		if (!got_ || strcmp(got_, want_))                             \
			unit_fail_str(__FILE__, __LINE__, #got, got_, want_); \
	} while (0)

#endif
