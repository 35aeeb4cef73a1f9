// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* prog_returns: whether every path of a program returns one constant (cgroup programs: 1). */
#include <errno.h>
#include "check/prog_returns.h"
#include "unit.h"

/* clang-format off */
#define MOV_K(dst, k)	 {BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, k}
#define MOV32_K(dst, k)	 {BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, k}
#define MOV_X(dst, src)	 {BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0}
#define ADD_K(dst, k)	 {BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, k}
#define JEQ_K(dst, k, o) {BPF_JMP | BPF_JEQ | BPF_K, dst, 0, o, k}
#define JA(o)		 {BPF_JMP | BPF_JA, 0, 0, o, 0}
#define CALL(f)		 {BPF_JMP | BPF_CALL, 0, 0, 0, f}
#define LDX(dst, src)	 {BPF_LDX | BPF_MEM | BPF_W, dst, src, 0, 0}
#define EXIT		 {BPF_JMP | BPF_EXIT, 0, 0, 0, 0}
#define N(a)		 (sizeof(a) / sizeof((a)[0]))
/* clang-format on */

TEST(prog_returns_a_constant_on_every_path)
{
	struct bpf_insn one[] = {MOV_K(0, 1), EXIT};
	struct bpf_insn one32[] = {MOV32_K(0, 1), EXIT};
	/* both branches set r0 = 1 and meet at one exit */
	struct bpf_insn branches[] = {JEQ_K(1, 0, 2), MOV_K(0, 1), JA(1), MOV_K(0, 1), EXIT};
	/* a callee-saved register holds the constant across a helper call */
	struct bpf_insn saved[] = {MOV_K(6, 1), CALL(BPF_FUNC_ktime_get_ns), MOV_X(0, 6), EXIT};
	/* a loop that keeps r0 */
	struct bpf_insn loop[] = {MOV_K(0, 1), LDX(2, 1), ADD_K(2, -1), JEQ_K(2, 0, -3), EXIT};
	size_t where = 99;

	CHECK(prog_returns_always(one, N(one), 1, &where) == 0);
	CHECK(prog_returns_always(one32, N(one32), 1, &where) == 0);
	CHECK(prog_returns_always(branches, N(branches), 1, &where) == 0);
	CHECK(prog_returns_always(saved, N(saved), 1, &where) == 0);
	CHECK(prog_returns_always(loop, N(loop), 1, &where) == 0);
}

TEST(prog_returns_that_could_differ_are_found)
{
	struct bpf_insn zero[] = {MOV_K(0, 0), EXIT};
	struct bpf_insn one_path[] = {JEQ_K(1, 0, 2), MOV_K(0, 1), EXIT, MOV_K(0, 0), EXIT};
	struct bpf_insn joined[] = {MOV_K(0, 1), JEQ_K(1, 0, 1), MOV_K(0, 0), EXIT};
	struct bpf_insn computed[] = {LDX(0, 1), EXIT};
	struct bpf_insn after_call[] = {MOV_K(0, 1), CALL(BPF_FUNC_ktime_get_ns), EXIT};
	struct bpf_insn arith[] = {MOV_K(0, 1), ADD_K(0, 0), EXIT};
	struct bpf_insn tail[] = {CALL(BPF_FUNC_tail_call), MOV_K(0, 1), EXIT};
	struct bpf_insn outside[] = {JA(5), EXIT};
	struct bpf_insn falls_off[] = {MOV_K(0, 1)};
	size_t where = 99;

	CHECK(prog_returns_always(zero, N(zero), 1, &where) == -EDOM && where == 1);
	CHECK(prog_returns_always(one_path, N(one_path), 1, &where) == -EDOM && where == 4);
	CHECK(prog_returns_always(joined, N(joined), 1, &where) == -EDOM && where == 3);
	CHECK(prog_returns_always(computed, N(computed), 1, &where) == -EDOM);
	CHECK(prog_returns_always(after_call, N(after_call), 1, &where) == -EDOM);
	CHECK(prog_returns_always(arith, N(arith), 1, &where) == -EDOM);
	CHECK(prog_returns_always(tail, N(tail), 1, &where) == -EDOM && where == 0);
	CHECK(prog_returns_always(outside, N(outside), 1, &where) == -EINVAL && where == 0);
	CHECK(prog_returns_always(falls_off, N(falls_off), 1, &where) == -EINVAL);
	CHECK(prog_returns_always(zero, N(zero), 0, &where) == 0);
}
