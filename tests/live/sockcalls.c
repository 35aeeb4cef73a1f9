// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Binds and accepts made the ways the 64-bit bind()/accept() syscalls do not show them: through
 * io_uring (IORING_OP_BIND, IORING_OP_ACCEPT into a descriptor, a direct descriptor or
 * multishot) and through 32-bit syscalls (int $0x80: i386 bind and accept4, and socketcall).
 * Python has neither, so the live tests run this. liburing is not used: a ring is two mmap'd
 * queues and three syscalls.
 *
 *   sockcalls COMM OP ARGS... [OP ARGS...]
 *
 * names itself COMM, checks the operations, waits for a line (or end of file) on stdin, so the
 * test knows its pid before tracing starts, then performs each operation in order (keeping
 * every socket open, so a later bind can collide with an earlier one) and prints one JSON line
 * per operation: what a tracer must report for it, or {"op": ..., "skip": "why"} when this
 * kernel refuses the mechanism.
 *
 *   uring-bind V ADDR PORT           TCP socket (IPv4 or 6) bound through IORING_OP_BIND
 *   uring-bind-skip V ADDR PORT      the same with IOSQE_CQE_SKIP_SUCCESS
 *   uring-bind-overflow V ADDR PORT  the same when the completion queue is full
 *   i386-bind V ADDR PORT            int $0x80 bind (361)
 *   socketcall-bind V ADDR PORT      int $0x80 socketcall(SYS_BIND)
 *   uring-accept V                   a connection (from 127.0.0.2 over IPv4) accepted with
 *   uring-accept-async V               IORING_OP_ACCEPT: into a descriptor; by an io-wq
 *   uring-accept-direct V              worker (IOSQE_ASYNC); into a direct descriptor the
 *   uring-accept-slot V                kernel picks, or slot 3; with IOSQE_CQE_SKIP_SUCCESS
 *   uring-accept-skip V                or when the completion queue is full
 *   uring-accept-overflow V
 *   uring-accept-multishot V N       N connections accepted by one multishot request
 *   uring-accept-peer V              IORING_OP_ACCEPT asking for the peer's address
 *   i386-accept4 V                   int $0x80 accept4 (364)
 *   i386-accept4-peer V              the same asking for the peer's address
 *   socketcall-accept V              int $0x80 socketcall(SYS_ACCEPT)
 *   socketcall-accept4 V             int $0x80 socketcall(SYS_ACCEPT4)
 *   accept-nopeer V                  accept4(fd, NULL, NULL, 0), as libuv calls it (the other
 *                                    accepts above ask for no address either, unless -peer)
 *   sqpoll                           later io_uring operations use a ring with an SQPOLL
 *                                    thread (iou-sqp-PID), which issues and completes them
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Debian 12's uapi headers (Linux 6.1) predate IORING_OP_BIND; the number is uapi. */
#define URING_OP_BIND	   56
#define I386_NR_GETPID	   20
#define I386_NR_SOCKETCALL 102
#define I386_NR_BIND	   361
#define I386_NR_ACCEPT4	   364
#define SOCKETCALL_BIND	   2
#define SOCKETCALL_ACCEPT  5
#define SOCKETCALL_ACCEPT4 18
#define ASK_PEER	   0x10000 /* with I386_NR_ACCEPT4: asking for the peer's address */
#define DIRECT_SLOTS	   8
#define DIRECT_SLOT	   3 /* the slot uring-accept-slot asks for */
#define MAX_SOCKETS	   64

struct ring {
	int fd;
	unsigned cq_entries;
	unsigned sq_prepared; /* the tail once what ring_sqe prepared is published */
	unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

/* Below 4 GiB, where int $0x80 can point: sockaddrs, lengths, socketcall's argument words. */
struct low_mem {
	struct sockaddr_storage addr;
	uint32_t len;
	uint32_t args[4];
};

static struct low_mem *low;
static unsigned ring_setup_flags; /* IORING_SETUP_SQPOLL after the op sqpoll */
static int ring_state = 1;	  /* 1: not open yet, 0: open, -errno: refused */
static sigjmp_buf int80_fault;

static void fail(const char *what)
{
	fprintf(stderr, "sockcalls: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void on_sigsegv(int sig __attribute__((unused)))
{
	siglongjmp(int80_fault, 1);
}

#ifndef MAP_32BIT
#define MAP_32BIT 0 /* x86-64's; elsewhere no 32-bit syscall needs memory below 4 GiB */
#endif

#if defined(__x86_64__)
/* int $0x80 from a 64-bit process: the i386 syscall table, 32-bit arguments. */
static long int80(long nr, long a, long b, long c, long d)
{
	long ret;

	asm volatile("int $0x80"
		     : "=a"(ret)
		     : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
		     : "memory", "r8", "r9", "r10", "r11");
	return ret;
}
#else
/* Another architecture's 32-bit syscalls need a 32-bit program: not this helper's. */
static long int80(long nr, long a, long b, long c, long d)
{
	return -ENOSYS;
}
#endif

/* NULL when this kernel runs 32-bit syscalls, else why not (no ia32 emulation: SIGSEGV). */
static const char *int80_refused(void)
{
	struct sigaction sa = {.sa_handler = on_sigsegv}, old;

#if !defined(__x86_64__)
	(void)sa;
	(void)old;
	return "int $0x80 is x86-64's: this helper was built for another architecture, whose "
	       "32-bit syscalls it cannot make";
#endif
	const char *why = NULL;

	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(int80_fault, 1))
		why = "int $0x80 raised SIGSEGV: this kernel runs no 32-bit syscalls "
		      "(CONFIG_IA32_EMULATION off, or ia32_emulation=0)";
	else if (int80(I386_NR_GETPID, 0, 0, 0, 0) != getpid())
		why = "int $0x80 getpid did not return the pid";
	sigaction(SIGSEGV, &old, NULL);
	return why;
}

static void *ring_map(int fd, size_t size, off_t off)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

/* 0, or -errno from io_uring_setup (ENOSYS: not built in; EPERM: io_uring_disabled). */
static int ring_open(struct ring *r)
{
	struct io_uring_params p;
	size_t sq_size, cq_size;
	char *sq, *cq;

	memset(&p, 0, sizeof(p));
	p.flags = ring_setup_flags;
	p.sq_thread_idle = 1000;
	r->fd = syscall(__NR_io_uring_setup, 8, &p);
	if (r->fd < 0)
		return -errno;
	r->cq_entries = p.cq_entries;
	sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sq = ring_map(r->fd, sq_size, IORING_OFF_SQ_RING);
	cq = ring_map(r->fd, cq_size, IORING_OFF_CQ_RING);
	r->sqes = ring_map(r->fd, p.sq_entries * sizeof(struct io_uring_sqe), IORING_OFF_SQES);
	if (!sq || !cq || !r->sqes)
		fail("mmap of the io_uring queues");
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->sq_prepared = *r->sq_tail;
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/*
 * The next SQE, zeroed. It is published (the tail moved past it) only by ring_enter, once the
 * caller has filled it: an SQPOLL thread reads the queue whenever it likes, and would take a
 * half-written SQE (a NOP, while it is still zero).
 */
static struct io_uring_sqe *ring_sqe(struct ring *r)
{
	unsigned i = r->sq_prepared++ & *r->sq_mask;

	memset(&r->sqes[i], 0, sizeof(r->sqes[i]));
	r->sq_array[i] = i;
	return &r->sqes[i];
}

/* Submits what ring_sqe prepared and waits for at least `wait` completions. */
static void ring_enter(struct ring *r, unsigned submit, unsigned wait)
{
	unsigned flags = IORING_ENTER_GETEVENTS;

	__atomic_store_n(r->sq_tail, r->sq_prepared, __ATOMIC_RELEASE);

	if (ring_setup_flags & IORING_SETUP_SQPOLL)
		flags |= IORING_ENTER_SQ_WAKEUP; /* its thread submits; wake it if it sleeps */
	if (syscall(__NR_io_uring_enter, r->fd, submit, wait, flags, NULL, 0) < 0)
		fail("io_uring_enter");
}

/* The next completion (waiting for it); false when none came. */
static bool ring_reap(struct ring *r, struct io_uring_cqe *out)
{
	unsigned head = *r->cq_head;

	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
		ring_enter(r, 0, 1);
		if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
			return false;
	}
	*out = r->cqes[head & *r->cq_mask];
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return true;
}

#define OP_DATA	  0x0b1dacc /* the operation's user_data */
#define MARK_DATA 0x3a7c    /* a NOP's that follows an operation posting nothing */

/* An SQE for the operation; with overflow the completion queue is filled first (NOPs left
 * unread), so that the operation's completion overflows it. */
static struct io_uring_sqe *uring_prepare(struct ring *r, bool overflow)
{
	struct io_uring_sqe *sqe;
	unsigned i;

	for (i = 0; overflow && i < r->cq_entries; i++) {
		ring_sqe(r)->opcode = IORING_OP_NOP;
		ring_enter(r, 1, 0);
	}
	sqe = ring_sqe(r);
	sqe->user_data = OP_DATA;
	return sqe;
}

/*
 * Submits the prepared operation and returns its result. With IOSQE_CQE_SKIP_SUCCESS a success
 * posts nothing: then 0 once a NOP submitted after it has completed.
 */
static int uring_result(struct ring *r, bool skip_success)
{
	struct io_uring_cqe cqe;
	bool done = false;
	int res = 0;

	ring_enter(r, 1, 0);
	if (skip_success) {
		struct io_uring_sqe *sqe = ring_sqe(r);

		sqe->opcode = IORING_OP_NOP;
		sqe->user_data = MARK_DATA;
		ring_enter(r, 1, 0);
	}
	while (!done) {
		if (!ring_reap(r, &cqe))
			fail("io_uring: no completion");
		if (cqe.user_data == OP_DATA)
			res = cqe.res;
		done = cqe.user_data == (skip_success ? MARK_DATA : OP_DATA);
	}
	return res;
}

static int family_of(const char *v)
{
	return !strcmp(v, "6") ? AF_INET6 : AF_INET;
}

/* addr:port into low->addr; its length. */
static socklen_t fill_sockaddr(int family, const char *addr, int port)
{
	memset(&low->addr, 0, sizeof(low->addr));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&low->addr;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &in->sin_addr) != 1)
			fail(addr);
		return sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&low->addr;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &in6->sin6_addr) != 1)
			fail(addr);
		return sizeof(*in6);
	}
}

/* The address and port of a sockaddr, as "addr": "...", "port": N (with a key prefix). */
static void print_sockaddr(const char *prefix, const struct sockaddr_storage *ss)
{
	char text[INET6_ADDRSTRLEN];
	const void *a;
	int port;

	if (ss->ss_family == AF_INET) {
		a = &((const struct sockaddr_in *)ss)->sin_addr;
		port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
	} else {
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
		port = ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	}
	inet_ntop(ss->ss_family, a, text, sizeof(text));
	printf("\"%saddr\": \"%s\", \"%sport\": %d", prefix, text, prefix, port);
}

static int new_socket(int family)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		fail("socket");
	return fd;
}

/* A bind's event: the bound address on success, the one asked for on failure. */
/* io-wq's worker threads and a ring's SQPOLL thread are named after the process's thread. */
static bool issued_by_worker;

/* Which thread of the process the kernel issues the operation in, when not the caller. */
static void print_thread(void)
{
	if (ring_setup_flags & IORING_SETUP_SQPOLL)
		printf(", \"thread\": \"iou-sqp-%d\"", getpid());
	else if (issued_by_worker)
		printf(", \"thread\": \"iou-wrk-%d\"", getpid());
}

static void print_bind(const char *op, int fd, int family, int ret)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (ret)
		memcpy(&ss, &low->addr, sizeof(ss));
	else if (getsockname(fd, (struct sockaddr *)&ss, &len))
		fail("getsockname");
	printf("{\"op\": \"%s\", \"ret\": %d, \"proto\": \"TCP\", \"ip\": %d, ", op, ret,
	       family == AF_INET ? 4 : 6);
	print_sockaddr("", &ss);
	if (!strncmp(op, "uring", 5))
		print_thread();
	printf("}\n");
}

static void print_skip(const char *op, const char *why, int err)
{
	printf("{\"op\": \"%s\", \"skip\": \"%s%s%s\"}\n", op, why, err ? ": " : "",
	       err ? strerror(err) : "");
}

enum uring_how {
	URING_PLAIN,
	URING_PEER,	    /* asking for the peer's address */
	URING_ASYNC,	    /* IOSQE_ASYNC: an io-wq worker issues it */
	URING_DIRECT_ALLOC, /* accept into a direct descriptor the kernel picks */
	URING_DIRECT_SLOT,  /* accept into direct descriptor slot DIRECT_SLOT */
	URING_SKIP_SUCCESS, /* IOSQE_CQE_SKIP_SUCCESS */
	URING_OVERFLOW,	    /* its completion overflows a full completion queue */
};

static void uring_bind(struct ring *r, const char *op, char **args, enum uring_how how)
{
	int family = family_of(args[0]), fd = new_socket(family), res;
	socklen_t len = fill_sockaddr(family, args[1], atoi(args[2]));
	struct io_uring_sqe *sqe = uring_prepare(r, how == URING_OVERFLOW);

	sqe->opcode = URING_OP_BIND;
	sqe->flags = how == URING_SKIP_SUCCESS ? IOSQE_CQE_SKIP_SUCCESS : 0;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)&low->addr;
	sqe->addr2 = len;
	res = uring_result(r, how == URING_SKIP_SUCCESS);
	if (res == -EINVAL) /* a fresh socket and a valid address: the opcode is unknown */
		print_skip(op, "IORING_OP_BIND is refused (Linux 6.11 added it)", 0);
	else
		print_bind(op, fd, family, res);
}

static void compat_bind(const char *op, char **args, bool socketcall)
{
	int family = family_of(args[0]), fd = new_socket(family);
	socklen_t len = fill_sockaddr(family, args[1], atoi(args[2]));
	long ret;

	if (socketcall) {
		low->args[0] = fd;
		low->args[1] = (uint32_t)(uintptr_t)&low->addr;
		low->args[2] = len;
		ret = int80(I386_NR_SOCKETCALL, SOCKETCALL_BIND, (uintptr_t)low->args, 0, 0);
	} else {
		ret = int80(I386_NR_BIND, fd, (uintptr_t)&low->addr, len, 0);
	}
	print_bind(op, fd, family, (int)ret);
}

/* A client connected to the listener, from 127.0.0.2 over IPv4 (a remote address unlike the
 * local one). */
static int connect_client(int family, int listener)
{
	struct sockaddr_storage to;
	socklen_t len = sizeof(to);
	int client = new_socket(family);

	if (getsockname(listener, (struct sockaddr *)&to, &len))
		fail("getsockname");
	if (family == AF_INET) {
		struct sockaddr_in from = {.sin_family = AF_INET};

		inet_pton(AF_INET, "127.0.0.2", &from.sin_addr);
		if (bind(client, (struct sockaddr *)&from, sizeof(from)))
			fail("bind 127.0.0.2");
	}
	if (connect(client, (struct sockaddr *)&to, len))
		fail("connect");
	return client;
}

/* A listener on loopback with one client connected to it. */
static void connect_pair(int family, int *listener, int *client)
{
	socklen_t len;

	*listener = new_socket(family);
	len = fill_sockaddr(family, family == AF_INET ? "127.0.0.1" : "::1", 0);
	if (bind(*listener, (struct sockaddr *)&low->addr, len) || listen(*listener, 16))
		fail("listen");
	*client = connect_client(family, *listener);
}

/* An accept's event, from the client's side: its address is the remote one. */
static void print_accept(const char *op, int client, int res)
{
	struct sockaddr_storage local, peer;
	socklen_t len = sizeof(local), plen = sizeof(peer);

	if (getsockname(client, (struct sockaddr *)&local, &len) ||
	    getpeername(client, (struct sockaddr *)&peer, &plen))
		fail("client addresses");
	printf("{\"op\": \"%s\", \"res\": %d, \"ip\": %d, ", op, res,
	       local.ss_family == AF_INET ? 4 : 6);
	print_sockaddr("r", &local);
	printf(", ");
	print_sockaddr("l", &peer);
	if (!strncmp(op, "uring", 5))
		print_thread();
	printf("}\n");
}

static void register_direct_slots(struct ring *r)
{
	struct io_uring_rsrc_register reg = {.nr = DIRECT_SLOTS,
					     .flags = IORING_RSRC_REGISTER_SPARSE};

	if (syscall(__NR_io_uring_register, r->fd, IORING_REGISTER_FILES2, &reg, sizeof(reg)))
		fail("io_uring_register sparse files");
}

static void uring_accept(struct ring *r, const char *op, char **args, enum uring_how how)
{
	int listener, client, res;
	struct io_uring_sqe *sqe;

	connect_pair(family_of(args[0]), &listener, &client);
	sqe = uring_prepare(r, how == URING_OVERFLOW);
	sqe->opcode = IORING_OP_ACCEPT;
	sqe->fd = listener;
	if (how == URING_DIRECT_ALLOC)
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
	else if (how == URING_DIRECT_SLOT)
		sqe->file_index = DIRECT_SLOT + 1;
	else if (how == URING_ASYNC)
		sqe->flags = IOSQE_ASYNC;
	else if (how == URING_SKIP_SUCCESS)
		sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
	if (how == URING_PEER) {
		low->len = sizeof(low->addr);
		sqe->addr = (uintptr_t)&low->addr;
		sqe->addr2 = (uintptr_t)&low->len;
	}
	issued_by_worker = how == URING_ASYNC;
	res = uring_result(r, how == URING_SKIP_SUCCESS);
	if (res < 0) {
		errno = -res;
		fail("io_uring accept");
	}
	print_accept(op, client, res);
}

/* One multishot request accepts n connections: each is a completion flagged "more". */
static void uring_accept_multishot(struct ring *r, const char *op, char **args)
{
	int family = family_of(args[0]), n = atoi(args[1]), listener, client, i;
	int clients[MAX_SOCKETS];
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	connect_pair(family, &listener, &client);
	sqe = ring_sqe(r);
	sqe->opcode = IORING_OP_ACCEPT;
	sqe->fd = listener;
	sqe->ioprio = IORING_ACCEPT_MULTISHOT;
	sqe->user_data = 0x3acc;
	ring_enter(r, 1, 1);
	clients[0] = client;
	for (i = 0; i < n && i < MAX_SOCKETS; i++) {
		if (i)
			clients[i] = connect_client(family, listener);
		do {
			if (!ring_reap(r, &cqe))
				fail("io_uring multishot accept: no completion");
		} while (cqe.user_data != 0x3acc);
		if (cqe.res < 0 || !(cqe.flags & IORING_CQE_F_MORE)) {
			fprintf(stderr,
				"sockcalls: io_uring multishot accept %d: res %d, flags 0x%x\n", i,
				cqe.res, cqe.flags);
			exit(1);
		}
		print_accept(op, clients[i], cqe.res);
	}
}

static void compat_accept(const char *op, char **args, int how)
{
	int listener, client;
	long ret;

	connect_pair(family_of(args[0]), &listener, &client);
	low->len = sizeof(low->addr);
	if (how == (I386_NR_ACCEPT4 | ASK_PEER)) {
		ret = int80(I386_NR_ACCEPT4, listener, (uintptr_t)&low->addr, (uintptr_t)&low->len,
			    0);
	} else if (how == I386_NR_ACCEPT4) {
		ret = int80(I386_NR_ACCEPT4, listener, 0, 0, 0);
	} else {
		low->args[0] = listener;
		low->args[1] = low->args[2] = low->args[3] = 0;
		ret = int80(I386_NR_SOCKETCALL, how, (uintptr_t)low->args, 0, 0);
	}
	if (ret < 0) {
		errno = -ret;
		fail(op);
	}
	print_accept(op, client, (int)ret);
}

/* The 64-bit accept4 asking for no address. */
static void op_accept_nopeer(struct ring *r, const char *op, char **args, int how)
{
	int listener, client, fd;

	connect_pair(family_of(args[0]), &listener, &client);
	fd = accept4(listener, NULL, NULL, 0);
	if (fd < 0)
		fail(op);
	print_accept(op, client, fd);
}

static void op_uring_bind(struct ring *r, const char *op, char **args, int how)
{
	uring_bind(r, op, args, how);
}

static void op_compat_bind(struct ring *r, const char *op, char **args, int socketcall)
{
	compat_bind(op, args, socketcall);
}

static void op_uring_accept(struct ring *r, const char *op, char **args, int how)
{
	uring_accept(r, op, args, how);
}

static void op_uring_accept_multishot(struct ring *r, const char *op, char **args, int unused)
{
	uring_accept_multishot(r, op, args);
}

/* The ring's own kernel thread (iou-sqp-PID) submits, issues and completes from now on. */
static void op_sqpoll(struct ring *r, const char *op, char **args, int unused)
{
	if (!ring_state)
		close(r->fd);
	ring_setup_flags = IORING_SETUP_SQPOLL;
	ring_state = 1;
}

static void op_compat_accept(struct ring *r, const char *op, char **args, int how)
{
	compat_accept(op, args, how);
}

/* Each op: how many arguments follow it, what it needs, what does it. */
static const struct {
	const char *name;
	int nargs;
	bool uring, compat;
	void (*run)(struct ring *r, const char *op, char **args, int how);
	int how;
} ops[] = {
	{"uring-bind", 3, true, false, op_uring_bind, URING_PLAIN},
	{"uring-bind-skip", 3, true, false, op_uring_bind, URING_SKIP_SUCCESS},
	{"uring-bind-overflow", 3, true, false, op_uring_bind, URING_OVERFLOW},
	{"i386-bind", 3, false, true, op_compat_bind, false},
	{"socketcall-bind", 3, false, true, op_compat_bind, true},
	{"uring-accept", 1, true, false, op_uring_accept, URING_PLAIN},
	{"uring-accept-async", 1, true, false, op_uring_accept, URING_ASYNC},
	{"uring-accept-direct", 1, true, false, op_uring_accept, URING_DIRECT_ALLOC},
	{"uring-accept-slot", 1, true, false, op_uring_accept, URING_DIRECT_SLOT},
	{"uring-accept-skip", 1, true, false, op_uring_accept, URING_SKIP_SUCCESS},
	{"uring-accept-overflow", 1, true, false, op_uring_accept, URING_OVERFLOW},
	{"uring-accept-multishot", 2, true, false, op_uring_accept_multishot, 0},
	{"uring-accept-peer", 1, true, false, op_uring_accept, URING_PEER},
	{"i386-accept4", 1, false, true, op_compat_accept, I386_NR_ACCEPT4},
	{"i386-accept4-peer", 1, false, true, op_compat_accept, I386_NR_ACCEPT4 | ASK_PEER},
	{"socketcall-accept", 1, false, true, op_compat_accept, SOCKETCALL_ACCEPT},
	{"socketcall-accept4", 1, false, true, op_compat_accept, SOCKETCALL_ACCEPT4},
	{"sqpoll", 0, false, false, op_sqpoll, 0},
	{"accept-nopeer", 1, false, false, op_accept_nopeer, 0},
};

static int find_op(const char *name)
{
	size_t k;

	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (!strcmp(ops[k].name, name))
			return k;
	return -1;
}

/* Every operation known and given its arguments, before anything is done. */
static int check_ops(int argc, char **argv)
{
	int i, k;

	for (i = 2; i < argc; i += 1 + ops[k].nargs) {
		k = find_op(argv[i]);
		if (k < 0 || i + ops[k].nargs >= argc) {
			fprintf(stderr, "sockcalls: bad operation or missing arguments at '%s'\n",
				argv[i]);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ring ring;
	int i, k;
	const char *compat_why = NULL;
	bool compat_checked = false;

	if (argc < 3 || check_ops(argc, argv)) {
		fprintf(stderr, "usage: sockcalls COMM OP ARGS... [OP ARGS...]\n");
		return 2;
	}
	prctl(PR_SET_NAME, argv[1], 0, 0, 0);
	low = mmap(NULL, sizeof(*low), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED)
		fail("mmap MAP_32BIT");
	while ((i = getchar()) != EOF && i != '\n')
		;
	for (i = 2; i < argc; i += 1 + ops[k].nargs) {
		k = find_op(argv[i]);
		if (ops[k].uring && ring_state > 0) {
			ring_state = ring_open(&ring);
			if (!ring_state)
				register_direct_slots(&ring);
		}
		if (ops[k].uring && ring_state < 0) {
			print_skip(argv[i], "io_uring_setup refused", -ring_state);
			continue;
		}
		if (ops[k].compat && !compat_checked) {
			compat_why = int80_refused();
			compat_checked = true;
		}
		if (ops[k].compat && compat_why) {
			print_skip(argv[i], compat_why, 0);
			continue;
		}
		ops[k].run(&ring, argv[i], argv + i + 1, ops[k].how);
		fflush(stdout);
	}
	return 0;
}
