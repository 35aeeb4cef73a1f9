// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <signal.h>
#include <string.h>
#include <time.h>
#include "core/stop_signal.h"

/* after a stop, a reader that is behind is waited for this long in all, then dropped */
#define OUTPUT_GRACE_MS 300

static volatile sig_atomic_t raised;
static uint64_t deadline_ms;

static void on_signal(int sig)
{
	(void)sig;
	raised = 1;
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
	if (!raised && deadline_ms && stop_signal_now_ms() >= deadline_ms)
		raised = 1;
	return raised;
}

bool stop_signal_output_overdue(uint64_t waited_ms)
{
	static uint64_t waited_before_stop = UINT64_MAX;

	if (!stop_signal_raised())
		return false;
	if (waited_before_stop == UINT64_MAX)
		waited_before_stop = waited_ms;
	return waited_ms - waited_before_stop >= OUTPUT_GRACE_MS;
}
