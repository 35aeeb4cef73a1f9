// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "check/prog_returns.h"

#define NR_REGS 11

enum kind { UNSEEN, KNOWN, UNKNOWN };

struct reg {
	enum kind kind;
	int64_t value;
};

struct state {
	bool seen;
	struct reg r[NR_REGS];
};

static bool join(struct state *into, const struct state *from)
{
	bool changed = !into->seen;
	int i;

	if (!into->seen) {
		*into = *from;
		return true;
	}
	for (i = 0; i < NR_REGS; i++) {
		struct reg *a = &into->r[i];
		const struct reg *b = &from->r[i];

		if (a->kind == UNKNOWN || b->kind == UNSEEN)
			continue;
		if (a->kind == UNSEEN ||
		    (b->kind == KNOWN && a->kind == KNOWN && a->value == b->value))
			continue;
		a->kind = UNKNOWN;
		changed = true;
	}
	return changed;
}

static void set(struct state *s, int reg, enum kind kind, int64_t value)
{
	if (reg >= 0 && reg < NR_REGS) {
		s->r[reg].kind = kind;
		s->r[reg].value = value;
	}
}

/* The state after insn i (an ALU, load or store; jumps are handled by the caller). */
static void step(const struct bpf_insn *in, struct state *s)
{
	__u8 cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	if ((cls == BPF_ALU64 || cls == BPF_ALU) && op == BPF_MOV) {
		if (BPF_SRC(in->code) == BPF_K && in->off == 0)
			set(s, in->dst_reg, KNOWN,
			    cls == BPF_ALU64 ? (int64_t)in->imm : (int64_t)(uint32_t)in->imm);
		else if (in->off == 0 && in->src_reg < NR_REGS && cls == BPF_ALU64)
			s->r[in->dst_reg % NR_REGS] = s->r[in->src_reg];
		else
			set(s, in->dst_reg, UNKNOWN, 0);
	} else if (cls == BPF_ALU64 || cls == BPF_ALU || cls == BPF_LDX || cls == BPF_LD) {
		set(s, in->dst_reg, UNKNOWN, 0);
		if (cls == BPF_LD && BPF_MODE(in->code) != BPF_IMM)
			set(s, 0, UNKNOWN, 0); /* LD_ABS and LD_IND write r0 */
	} else if (cls == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC && (in->imm & BPF_FETCH)) {
		/* a fetching atomic writes src_reg (cmpxchg writes r0) */
		set(s, in->imm == BPF_CMPXCHG ? 0 : in->src_reg, UNKNOWN, 0);
	}
}

static size_t width(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW) ? 2 : 1;
}

int prog_returns_always(const struct bpf_insn *insns, size_t n, int64_t want, size_t *where)
{
	struct state *st = calloc(n ? n : 1, sizeof(*st)), cur;
	size_t *work = calloc(n ? n : 1, sizeof(*work)), nw = 0, i, to;
	bool *queued = calloc(n ? n : 1, sizeof(*queued));
	int err = 0, r;

	if (!st || !work || !queued) {
		err = -ENOMEM;
		goto out;
	}
	memset(&cur, 0, sizeof(cur));
	cur.seen = true;
	for (r = 0; r < NR_REGS; r++)
		cur.r[r].kind = UNKNOWN;
	if (n) {
		join(&st[0], &cur);
		work[nw++] = 0;
		queued[0] = true;
	}
	while (nw && !err) {
		const struct bpf_insn *in;
		size_t next[2], nn = 0;
		__u8 cls, op;

		i = work[--nw];
		queued[i] = false;
		cur = st[i];
		in = &insns[i];
		cls = BPF_CLASS(in->code);
		op = BPF_OP(in->code);

		if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_EXIT) {
			if (cur.r[0].kind != KNOWN || cur.r[0].value != want) {
				*where = i;
				err = -EDOM;
			}
			continue;
		}
		/* a tail call's return is the called program's, whatever that may be */
		if (cls == BPF_JMP && op == BPF_CALL && in->src_reg == 0 &&
		    in->imm == BPF_FUNC_tail_call) {
			*where = i;
			err = -EDOM;
			continue;
		}
		if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_CALL) {
			for (r = 0; r <= 5; r++)
				set(&cur, r, UNKNOWN, 0);
			next[nn++] = i + 1;
		} else if (cls == BPF_JMP && op == BPF_JA) {
			next[nn++] = i + 1 + in->off;
		} else if (cls == BPF_JMP32 && op == BPF_JA) {
			next[nn++] = i + 1 + in->imm;
		} else if (cls == BPF_JMP || cls == BPF_JMP32) {
			next[nn++] = i + 1;
			next[nn++] = i + 1 + in->off;
		} else {
			step(in, &cur);
			next[nn++] = i + width(in);
		}
		while (nn--) {
			to = next[nn];
			if (to >= n) {
				*where = i;
				err = -EINVAL;
				break;
			}
			if (join(&st[to], &cur) && !queued[to]) {
				queued[to] = true;
				work[nw++] = to;
			}
		}
	}
out:
	free(st);
	free(work);
	free(queued);
	return err;
}
