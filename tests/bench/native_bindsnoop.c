// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bench's baseline: bindsnoop's own object (build/packages/bindsnoop/bindsnoop.bpf.o) loaded
 * the way a hand-written libbpf-tools tool loads its object, through a bpftool skeleton, with
 * no generic machinery: only one variant is loaded, events are printed with printf as the JSON
 * lines `ecli run -j` prints, to stdout as stdio buffers it. Its one argument names the
 * variant: syscall (the default: the raw sys_exit program and its io_uring group) or cgroup
 * (the four cgroup programs, attached to the cgroup v2 root). Not shipped: make bench builds it
 * into build/tests/.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/types.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bindsnoop.h"
#include "bindsnoop.skel.h"

#define BANNER "Tracing binds ... Hit Ctrl-C to end"

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

/* libbpf's own messages are left out, as a libbpf-tools tool does without -v. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

static const char *proto_name(int proto)
{
	switch (proto) {
	case IP:
		return "IP";
	case ICMP:
		return "ICMP";
	case IGMP:
		return "IGMP";
	case TCP:
		return "TCP";
	case UDP:
		return "UDP";
	case IPV6:
		return "IPV6";
	case GRE:
		return "GRE";
	case ICMPV6:
		return "ICMPV6";
	case SCTP:
		return "SCTP";
	case UDPLITE:
		return "UDPLITE";
	case RAW:
		return "RAW";
	case MPTCP:
		return "MPTCP";
	}
	return NULL;
}

/*
 * A comm may hold any byte: quotes, backslashes and control bytes are escaped for JSON, the
 * way ecli writes them (other bytes are copied: ecli also escapes bytes that are not UTF-8).
 */
static void print_comm(const char *comm)
{
	size_t i;

	for (i = 0; i < TASK_COMM_LEN && comm[i]; i++) {
		unsigned char c = comm[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			printf("\\n");
		else if (c == '\t')
			printf("\\t");
		else if (c == '\r')
			printf("\\r");
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
}

static bool plain(const char *comm)
{
	size_t i;

	for (i = 0; i < TASK_COMM_LEN && comm[i]; i++)
		if (comm[i] == '"' || comm[i] == '\\' || (unsigned char)comm[i] < 0x20)
			return false;
	return true;
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct bind_event *e = data;
	char addr[INET6_ADDRSTRLEN] = "?", opts[6], proto[16];
	const char *letters = "FTNRr", *name;
	int i;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	inet_ntop(e->ip == 4 || e->ip == 2 ? AF_INET : AF_INET6, e->addr, addr, sizeof(addr));
	for (i = 0; i < 5; i++)
		opts[i] = e->opts >> i & 1 ? letters[i] : '.';
	opts[5] = 0;
	name = proto_name(e->proto);
	if (name)
		snprintf(proto, sizeof(proto), "\"%s\"", name);
	else
		snprintf(proto, sizeof(proto), "%d", (int)e->proto);
	printf("{\"ts_ns\":%llu,\"pid\":%u,\"uid\":%u,\"comm\":\"", (unsigned long long)e->ts_ns,
	       e->pid, e->uid);
	if (plain(e->comm))
		printf("%.*s", TASK_COMM_LEN, e->comm);
	else
		print_comm(e->comm);
	printf("\",\"proto\":%s,\"ip\":%u,\"addr\":\"%s\",\"port\":%u,\"opts\":\"%s\",\"if\":%u,"
	       "\"ret\":%d,\"cgroup_id\":%llu}\n",
	       proto, e->ip, addr, e->port, opts, e->bound_if, e->ret,
	       (unsigned long long)e->cgroup_id);
	return 0;
}

/* The object's PID filter and pids count in this tool's PID namespace, as ecli sets them. */
static void set_pid_namespace(struct bindsnoop_bpf *skel)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st))
		return;
	skel->rodata->pidns_dev = (__u64)major(st.st_dev) << 20 | minor(st.st_dev);
	skel->rodata->pidns_ino = st.st_ino;
}

/* Everything but the variant's programs stays unloaded: fexit and kprobe are refused here. */
static void keep_variant(struct bindsnoop_bpf *skel, bool cgroup)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, false);
	if (cgroup) {
		bpf_program__set_autoload(skel->progs.cgroup_bind4, true);
		bpf_program__set_autoload(skel->progs.cgroup_bind6, true);
		bpf_program__set_autoload(skel->progs.cgroup_post_bind4, true);
		bpf_program__set_autoload(skel->progs.cgroup_post_bind6, true);
		return;
	}
	bpf_program__set_autoload(skel->progs.sys_exit_bind, true);
	bpf_program__set_autoload(skel->progs.uring_submit_req, true);
	bpf_program__set_autoload(skel->progs.uring_complete, true);
	bpf_program__set_autoload(skel->progs.uring_cqe_overflow, true);
}

static int attach(struct bpf_program *prog, struct bpf_link **link)
{
	*link = bpf_program__attach(prog);
	return *link ? 0 : -errno;
}

/* An optional group attaches whole or not at all: a half-attached io_uring group misleads. */
static void attach_optional(struct bpf_program **progs, struct bpf_link ***links, int n,
			    const char *covers)
{
	int i, err = 0;

	for (i = 0; i < n && !err; i++)
		err = attach(progs[i], links[i]);
	if (!err)
		return;
	fprintf(stderr, "native_bindsnoop: warning: not traced: %s (%s: %s)\n", covers,
		bpf_program__name(progs[i - 1]), strerror(-err));
	while (i-- > 0) {
		bpf_link__destroy(*links[i]);
		*links[i] = NULL;
	}
}

/* The cgroup v2 root, where systemd mounts it (unified or hybrid). */
static int cgroup_root_fd(void)
{
	int fd = open("/sys/fs/cgroup/unified", O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		fd = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY);
	return fd;
}

static int attach_cgroup(struct bindsnoop_bpf *skel)
{
	struct bpf_program *progs[] = {skel->progs.cgroup_bind4, skel->progs.cgroup_bind6,
				       skel->progs.cgroup_post_bind4,
				       skel->progs.cgroup_post_bind6};
	struct bpf_link **links[] = {&skel->links.cgroup_bind4, &skel->links.cgroup_bind6,
				     &skel->links.cgroup_post_bind4,
				     &skel->links.cgroup_post_bind6};
	int fd = cgroup_root_fd(), i, err = fd < 0 ? -errno : 0;

	for (i = 0; i < 4 && !err; i++) {
		*links[i] = bpf_program__attach_cgroup(progs[i], fd);
		err = *links[i] ? 0 : -errno;
	}
	if (fd >= 0)
		close(fd);
	return err;
}

static int attach_all(struct bindsnoop_bpf *skel, bool cgroup)
{
	struct bpf_program *uring[] = {skel->progs.uring_submit_req, skel->progs.uring_complete,
				       skel->progs.uring_cqe_overflow};
	struct bpf_link **uring_links[] = {&skel->links.uring_submit_req,
					   &skel->links.uring_complete,
					   &skel->links.uring_cqe_overflow};
	int err;

	err = cgroup ? attach_cgroup(skel)
		     : attach(skel->progs.sys_exit_bind, &skel->links.sys_exit_bind);
	if (err) {
		fprintf(stderr, "native_bindsnoop: cannot attach: %s\n", strerror(-err));
		return err;
	}
	if (!cgroup)
		attach_optional(uring, uring_links, 3, "binds made through io_uring");
	return 0;
}

static unsigned long long lost_events(struct bindsnoop_bpf *skel)
{
	int ncpus = libbpf_num_possible_cpus(), i;
	unsigned long long sum = 0;
	__u32 zero = 0;
	__u64 *vals;

	vals = calloc(ncpus > 0 ? ncpus : 1, sizeof(*vals));
	if (vals && !bpf_map_lookup_elem(bpf_map__fd(skel->maps.lost_events), &zero, vals))
		for (i = 0; i < ncpus; i++)
			sum += vals[i];
	free(vals);
	return sum;
}

static int trace(struct bindsnoop_bpf *skel)
{
	struct ring_buffer *rb;
	int err = 0;

	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "native_bindsnoop: ring buffer: %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr, "%s\n", BANNER);
	while (!exiting) {
		err = ring_buffer__poll(rb, 100);
		if (err == -EINTR)
			err = 0;
		if (err < 0) {
			fprintf(stderr, "native_bindsnoop: polling: %s\n", strerror(-err));
			break;
		}
	}
	/* what arrived before the signal is printed too, as ecli does */
	bindsnoop_bpf__detach(skel);
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return err < 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	bool cgroup = argc > 1 && !strcmp(argv[1], "cgroup");
	struct bindsnoop_bpf *skel;
	int err;

	if (argc > 2 || (argc > 1 && !cgroup && strcmp(argv[1], "syscall"))) {
		fprintf(stderr, "usage: native_bindsnoop [syscall|cgroup]\n");
		return 2;
	}
	libbpf_set_print(quiet);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	skel = bindsnoop_bpf__open();
	if (!skel) {
		fprintf(stderr, "native_bindsnoop: cannot open the object: %s\n", strerror(errno));
		return 1;
	}
	set_pid_namespace(skel);
	keep_variant(skel, cgroup);
	err = bindsnoop_bpf__load(skel);
	if (err) {
		fprintf(stderr, "native_bindsnoop: cannot load: %s\n", strerror(-err));
		bindsnoop_bpf__destroy(skel);
		return 1;
	}
	err = attach_all(skel, cgroup) ? 1 : trace(skel);
	fflush(stdout);
	fprintf(stderr, "lost %llu events\n", lost_events(skel));
	bindsnoop_bpf__destroy(skel);
	return err;
}
