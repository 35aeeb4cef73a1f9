// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "object/output_sizes.h"

#define LOOK_BACK 64

/* helper id -> the register holding the size it is passed */
static int size_register(int32_t helper)
{
	switch (helper) {
	case BPF_FUNC_ringbuf_output:
		return BPF_REG_3;
	case BPF_FUNC_ringbuf_reserve:
		return BPF_REG_2;
	case BPF_FUNC_perf_event_output:
		return BPF_REG_5;
	}
	return -1;
}

static bool is_jump(const struct bpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT;
}

static bool is_helper_call(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->src_reg == 0;
}

/* Marks every instruction some jump lands on: a value can reach it along another path. */
static void mark_targets(const struct bpf_insn *insns, size_t n, bool *target)
{
	size_t i;
	long to;

	for (i = 0; i < n; i++) {
		if (!is_jump(&insns[i]))
			continue;
		to = (long)i + 1 +
		     (BPF_CLASS(insns[i].code) == BPF_JMP32 && BPF_OP(insns[i].code) == BPF_JA
			      ? insns[i].imm
			      : insns[i].off);
		if (to >= 0 && (size_t)to < n)
			target[to] = true;
	}
}

/* The constant in reg when instruction at reaches call, or -1 when not found. */
static long constant_before(const struct bpf_insn *insns, const bool *target, size_t call, int reg)
{
	size_t k = call, stop = call > LOOK_BACK ? call - LOOK_BACK : 0;
	const struct bpf_insn *in;

	while (k-- > stop) {
		in = &insns[k];
		if (target[k + 1] || in->code == (BPF_JMP | BPF_CALL))
			return -1; /* another path in, or a call that clobbers r1-r5 */
		if (k > 0 && insns[k - 1].code == (BPF_LD | BPF_IMM | BPF_DW))
			continue; /* the second half of a 64-bit load */
		/* a jump falls through with its registers as they were */
		if (in->dst_reg != reg || is_jump(in) || BPF_CLASS(in->code) == BPF_STX ||
		    BPF_CLASS(in->code) == BPF_ST)
			continue;
		if ((in->code == (BPF_ALU64 | BPF_MOV | BPF_K) ||
		     in->code == (BPF_ALU | BPF_MOV | BPF_K)) &&
		    in->imm >= 0)
			return in->imm;
		if ((in->code == (BPF_ALU64 | BPF_MOV | BPF_X) ||
		     in->code == (BPF_ALU | BPF_MOV | BPF_X)) &&
		    !in->off) {
			reg = in->src_reg;
			continue;
		}
		return -1; /* computed some other way */
	}
	return -1;
}

static void add_size(struct output_sizes *out, long size)
{
	int i;

	out->calls++;
	if (size <= 0) {
		out->unknown++;
		return;
	}
	for (i = 0; i < out->nr; i++)
		if (out->sizes[i] == (uint32_t)size)
			return;
	if (out->nr < OUTPUT_SIZES_MAX)
		out->sizes[out->nr++] = size;
}

static void scan_program(const struct bpf_program *prog, struct output_sizes *out)
{
	const struct bpf_insn *insns = bpf_program__insns(prog);
	size_t n = bpf_program__insn_cnt(prog), i;
	bool *target = calloc(n + 1, sizeof(*target));
	int reg;

	if (!target || !insns)
		goto out;
	mark_targets(insns, n, target);
	for (i = 0; i < n; i++) {
		if (!is_helper_call(&insns[i]) || (reg = size_register(insns[i].imm)) < 0)
			continue;
		add_size(out, constant_before(insns, target, i, reg));
	}
out:
	free(target);
}

bool output_prints(struct bpf_object *obj)
{
	struct bpf_program *prog;
	const struct bpf_insn *in;
	size_t i, n;

	bpf_object__for_each_program(prog, obj) {
		in = bpf_program__insns(prog);
		n = bpf_program__insn_cnt(prog);
		for (i = 0; in && i < n; i++)
			if (is_helper_call(&in[i]) && (in[i].imm == BPF_FUNC_trace_printk ||
						       in[i].imm == BPF_FUNC_trace_vprintk))
				return true;
	}
	return false;
}

void output_sizes_find(struct bpf_object *obj, struct output_sizes *out)
{
	struct bpf_program *prog;

	memset(out, 0, sizeof(*out));
	bpf_object__for_each_program(prog, obj)
		scan_program(prog, out);
}
