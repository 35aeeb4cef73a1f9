/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout and open flag names of opensnoop, shared by the BPF program and any C reader. */
#ifndef OPENSNOOP_H
#define OPENSNOOP_H

#define TASK_COMM_LEN 16
#define OPEN_PATH_LEN 255 /* bcc's NAME_MAX buffer: paths show up to 254 characters */
#define OPEN_MODE_LEN 12  /* "%04o" of any 32-bit mode, or "n/a" */

/*
 * open(2)'s flags by the names bcc's -f takes, so the loader parses "-f O_WRONLY" through this
 * type. Not for readers that include <fcntl.h>, whose macros have the same names.
 */
enum open_flag {
	O_RDONLY = 00,
	O_WRONLY = 01,
	O_RDWR = 02,
	O_ACCMODE = 03,
	O_CREAT = 0100,
	O_EXCL = 0200,
	O_NOCTTY = 0400,
	O_TRUNC = 01000,
	O_APPEND = 02000,
	O_NONBLOCK = 04000,
	O_NDELAY = O_NONBLOCK,
	O_DSYNC = 010000,
	O_ASYNC = 020000,
#if defined(__TARGET_ARCH_arm64) || defined(__TARGET_ARCH_arm)
	O_DIRECTORY = 040000,
	O_NOFOLLOW = 0100000,
	O_DIRECT = 0200000,
	O_LARGEFILE = 0400000,
#else
	O_DIRECT = 040000,
	O_LARGEFILE = 0100000,
	O_DIRECTORY = 0200000,
	O_NOFOLLOW = 0400000,
#endif
	O_NOATIME = 01000000,
	O_CLOEXEC = 02000000,
	O_SYNC = 04000000 | O_DSYNC,
	O_RSYNC = O_SYNC,
	O_PATH = 010000000,
	O_TMPFILE = 020000000 | O_DIRECTORY,
};

struct open_event {
	__u64 ts_ns; /* bpf_ktime_get_ns() when open() returned */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	char comm[TASK_COMM_LEN];
	__s32 fd;		  /* the returned fd, or -1 when the open failed */
	__s32 err;		  /* the errno of a failed open, else 0 */
	__u32 flags;		  /* open flags as given (openat2: open_how.flags) */
	char mode[OPEN_MODE_LEN]; /* octal as bcc prints it; "n/a" without O_CREAT or O_TMPFILE */
	char path[OPEN_PATH_LEN];
	__u64 cgroup_id; /* the task's cgroup v2 id: ecli names its container or unit */
};

#endif
