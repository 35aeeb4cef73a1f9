// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A source that makes ecc's scanner work: the event struct is defined here (no header), and
 * comments, strings, macros, anonymous structs and nested structs must not be taken for it.
 * Comments like this one name a struct fake_in_block { int b; }; and /// @cmdarg {"long": "no"}
 */
// struct fake_in_line_comment { int a; };
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "emit_event.bpf.h"

#define DECLARE(n)     \
	struct n {     \
		int x; \
	}
#define LONG_MACRO(n)    \
	struct n##_too { \
		int y;   \
	}

struct tricky_event {
	__u64 value;
	struct {
		int inner;
	} nested;
	char text[16];
};

/* emit_event.bpf.h's EXPORT_EVENT_TYPE repeats the pointer ecc adds: a tentative definition */
EXPORT_EVENT_TYPE(tricky_event);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static const char fake[] = "struct fake_in_string { int c; }; /// @cmdarg {\"long\": \"no\"}";

/// A long option
/// spread over
///
/// four lines.
static const volatile unsigned long long min_value = 7;

/// @cmdarg {"long": "names",
///          "short": "n",
///          "help": "braces } inside { strings"}
const volatile char names[2][8] = {"a", "b"};

/// A plain global gets its help too
volatile __u64 seen_count = 0;

/// @description "a bool"
/// and more text
const volatile bool verbose_mode = false;

/// A comment above a map: maps take no help, ecc ignores it
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} unused_array SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int handle_getpgid(void *ctx)
{
	struct tricky_event e = {};
	unsigned int i;

	if (verbose_mode && bpf_get_current_pid_tgid() < min_value)
		return 0;
	e.value = min_value + sizeof(struct tricky_event);
	for (i = 0; i < sizeof(e.text) && i < sizeof(names); i++)
		e.text[i] = ((const volatile char *)names)[i];
	e.text[0] = fake[0];
	seen_count++;
	emit_event(ctx, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
