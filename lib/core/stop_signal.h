/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one stop flag of a run: SIGINT and SIGTERM raise it, and so does the end of --duration.
 * Every step that can take long (loading variants, polling events, waiting for a slow reader
 * of stdout) looks at it, so that a stop is honoured within a fraction of a second.
 */
#ifndef CORE_STOP_SIGNAL_H
#define CORE_STOP_SIGNAL_H

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
 * out_buf's give_up: after a stop, once stdout's reader has been waited for 300 ms in all (a
 * stalled or crawling reader), what it did not take is dropped. A reader that keeps up is
 * never waited for, so it gets everything, exit maps included.
 */
bool stop_signal_output_overdue(uint64_t waited_ms);

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t stop_signal_now_ms(void);

#endif
