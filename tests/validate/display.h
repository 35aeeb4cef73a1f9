/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The record of display.bpf.c: one member of each kind the display formats are checked against. */
#ifndef DISPLAY_H
#define DISPLAY_H

#define ARG_COUNT 4
#define ARG_LEN	  16

struct point {
	__s32 x;
	__s32 y;
};

struct shape_event {
	__u64 ts_ns;
	__u32 pid;
	struct point pt;
	char mark;
	char comm[16];
	char args[ARG_COUNT][ARG_LEN];
	__u32 flags;
};

enum open_flag {
	FLAG_READ = 1,
	FLAG_WRITE = 2,
	FLAG_APPEND = 4,
};

#endif
