/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What libbpf says while an object is opened, loaded and attached. libbpf reports through one
 * print callback: with -v everything is printed as it comes; otherwise its warnings are kept
 * to explain a failure in one line. A rejected program's verifier log arrives as one warning
 * between "-- BEGIN PROG LOAD LOG --" and "-- END PROG LOAD LOG --"; its last meaningful line
 * (not the "processed N insns" summary) is the verifier's reason.
 */
#ifndef LOAD_LIBBPF_LOG_H
#define LOAD_LIBBPF_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* Installs the callback; verbose 1 prints libbpf's warnings, 2 its debug messages too. */
void libbpf_log_init(int verbose);

/* Forgets what was said: each load attempt is explained by its own messages. */
void libbpf_log_reset(void);

/* One warning as libbpf formats it: what the callback does with each (tests call it too). */
void libbpf_log_take_warning(const char *msg);

/* libbpf warned since the last reset, so -v would show more than the one line. */
bool libbpf_log_has_warnings(void);

/*
 * Why a load failed, for err from bpf_object__load: "prog 'NAME': verifier: <last line>" when
 * the kernel gave a log, "prog 'NAME': <cause>" when it gave none, else libbpf's first warning,
 * else strerror(-err).
 */
void libbpf_log_load_reason(int err, char *buf, size_t size);

/*
 * The program a failed load is blamed on: the one libbpf says failed to load, else the one its
 * first warning names (a relocation it could not make); NULL when it names none.
 */
const char *libbpf_log_failed_program(void);

/* With -v, on kernels that ignore the memlock limit: what an EPERM as root means instead. */
void libbpf_log_explain_eperm(void);
/* libbpf's first warning without its "libbpf: " and "prog 'NAME': " prefixes, else strerror. */
const char *libbpf_log_first_warning(int err);

/*
 * err's text, with the kernel's own errnos named ("not supported by this kernel (ENOTSUPP)" for
 * 524, which strerror calls "Unknown error 524"); buf holds it when strerror's will not do.
 */
const char *libbpf_log_strerror(int err, char *buf, size_t size);

#endif
