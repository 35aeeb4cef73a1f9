/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one stop flag of a run: SIGINT and SIGTERM raise it, and so does the end of --duration.
 * Every step that can take long (loading variants, polling events, waiting for a slow reader
 * of stdout) looks at it, so that a stop is honoured within a fraction of a second.
 */
#ifndef STOP_SIGNAL_H
#define STOP_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

/*
 * SIGINT and SIGTERM raise the flag, SIGPIPE becomes an EPIPE write. main installs them as its
 * first step, so a signal at any point (even while the package is read) ends in a clean exit.
 * No SA_RESTART: a signal interrupts a poll or a blocked write at once.
 */
void stop_signal_install(void);

/* After this many milliseconds from now the flag counts as raised (0: never). */
void stop_signal_deadline(uint64_t ms);

bool stop_signal_raised(void);

/*
 * Raised a while ago (200 ms): output still waiting for stdout is then given up, so that a
 * stalled or crawling reader cannot hold a stopped run (out_buf's give_up).
 */
bool stop_signal_output_overdue(void);

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t stop_signal_now_ms(void);

#endif
