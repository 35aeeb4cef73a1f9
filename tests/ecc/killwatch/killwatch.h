/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* killwatch's event: one kill() call. The first struct here is the event type. */
#ifndef KILLWATCH_H
#define KILLWATCH_H

struct kill_event {
	__u32 pid;    /* the caller */
	__s32 target; /* kill()'s pid argument */
	__s32 sig;
	char comm[16];
	char tag[8];
};

#endif
