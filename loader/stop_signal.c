// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <signal.h>
#include <string.h>
#include <time.h>
#include "stop_signal.h"

/* after a stop, output that a reader still takes (slowly) gets this long before it is dropped */
#define OUTPUT_GRACE_MS 200

static volatile sig_atomic_t raised;
static volatile uint64_t raised_at_ms;
static uint64_t deadline_ms;

static void raise_flag(uint64_t now)
{
	if (!raised) {
		raised_at_ms = now;
		raised = 1;
	}
}

static void on_signal(int sig)
{
	(void)sig;
	raise_flag(stop_signal_now_ms()); /* clock_gettime() is async-signal-safe */
}

void stop_signal_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

uint64_t stop_signal_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void stop_signal_deadline(uint64_t ms)
{
	deadline_ms = ms ? stop_signal_now_ms() + ms : 0;
}

bool stop_signal_raised(void)
{
	uint64_t now;

	if (!raised && deadline_ms && (now = stop_signal_now_ms()) >= deadline_ms)
		raise_flag(now);
	return raised;
}

bool stop_signal_output_overdue(void)
{
	return stop_signal_raised() && stop_signal_now_ms() - raised_at_ms >= OUTPUT_GRACE_MS;
}
