/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a BPF program returns, read from its instructions before anything is loaded: whether
 * every path through it ends returning one constant. A cgroup socket program that returns 0
 * denies the call it sees (a bind, a connect, a socket); a tracing tool must never change a
 * call's outcome, so its cgroup programs must return 1 on every path.
 *
 * The analysis follows each path of the program's own instructions, keeping which registers
 * hold a known constant (a move of a constant, or of a register that holds one); a call
 * leaves r0-r5 unknown, and any other write to a register makes it unknown; a tail call could
 * return anything. Calls into the
 * program's subprograms are not followed (what they return is not the program's return).
 * Conservative: a program whose return value depends on what it computed is "could differ".
 */
#ifndef CHECK_PROG_RETURNS_H
#define CHECK_PROG_RETURNS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

/*
 * 0 when every exit returns want; else -EDOM with *where the first exit found that may not,
 * or -EINVAL with *where an instruction that jumps outside the program.
 */
int prog_returns_always(const struct bpf_insn *insns, size_t n, int64_t want, size_t *where);

#endif
