/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The event of opencount.bpf.c, found by ecc as the first struct of this header. */
#ifndef OPENCOUNT_H
#define OPENCOUNT_H

struct open_event {
	int pid;
	char comm[16];
};

#endif
