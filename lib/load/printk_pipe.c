// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "load/printk_pipe.h"
#include "load/tracefs.h"

#define PRINTK_EVENT	 "events/bpf_trace/bpf_trace_printk/enable"
#define PRINTK_READS_MAX 16

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Instances an ecli killed with SIGKILL left behind: their process is gone. */
static void remove_stale(const char *root)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	struct dirent *e;
	DIR *instances;
	char *end;
	long pid;

	snprintf(dir, sizeof(dir), "%s/instances", root);
	instances = opendir(dir);
	while (instances && (e = readdir(instances))) {
		if (strncmp(e->d_name, "ecli-", 5))
			continue;
		pid = strtol(e->d_name + 5, &end, 10);
		if (*end || pid <= 0 || !kill(pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		rmdir(path);
	}
	if (instances)
		closedir(instances);
}

int printk_pipe_open(struct printk_pipe *p, struct diag *d)
{
	const char *root = access(TRACEFS_PATH "/instances", F_OK) ? DEBUGFS_TRACING : TRACEFS_PATH;
	char path[PATH_MAX + 16];
	int err;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	remove_stale(root);
	snprintf(p->dir, sizeof(p->dir), "%s/instances/ecli-%d", root, (int)getpid());
	if (mkdir(p->dir, 0700) && errno != EEXIST)
		return diag_set(d, -errno, "%s: %s", p->dir, strerror(errno));
	err = write_file(p->dir, PRINTK_EVENT, "1");
	snprintf(path, sizeof(path), "%s/trace_pipe", p->dir);
	if (!err && (p->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		err = -errno;
	if (err) {
		printk_pipe_close(p);
		return diag_set(d, err, "%s: %s", p->dir, strerror(-err));
	}
	return 0;
}

/*
 * "  <comm>-<pid>  [cpu] flags  seconds: bpf_trace_printk: text", as tracefs formats the event
 * (the comm may hold spaces and dashes: the pid follows the last dash before the cpu).
 */
static void parse(char *s, struct printk_line *l)
{
	char *mark = strstr(s, ": bpf_trace_printk: "), *cpu = strstr(s, " ["), *dash;

	while (*s == ' ')
		s++;
	l->task = s;
	l->task_len = cpu && cpu > s ? (size_t)(cpu - s) : 0;
	while (l->task_len && s[l->task_len - 1] == ' ')
		l->task_len--;
	for (dash = s + l->task_len; dash > s && *dash != '-'; dash--)
		;
	l->pid = *dash == '-' ? atoi(dash + 1) : 0;
	l->text = mark ? mark + strlen(": bpf_trace_printk: ") : s;
}

void printk_pipe_read(struct printk_pipe *p, void (*line)(void *ctx, const struct printk_line *l),
		      void *ctx)
{
	struct printk_line l;
	char *start, *nl;
	ssize_t n;
	int reads;

	/* bounded: printing a line may make a program print again (one that traces write()) */
	for (reads = 0; p->fd >= 0 && reads < PRINTK_READS_MAX; reads++) {
		n = read(p->fd, p->buf + p->used, sizeof(p->buf) - 1 - p->used);
		if (n <= 0)
			return; /* EAGAIN: nothing more for now */
		p->used += n;
		p->buf[p->used] = 0;
		for (start = p->buf; (nl = strchr(start, '\n')); start = nl + 1) {
			*nl = 0;
			if (!start[strspn(start, " ")])
				continue; /* the empty line after a text that ended with \n */
			parse(start, &l);
			line(ctx, &l);
		}
		p->used -= start - p->buf;
		memmove(p->buf, start, p->used);
		if (p->used == sizeof(p->buf) - 1)
			p->used = 0; /* a line longer than the buffer: dropped */
	}
}

void printk_pipe_close(struct printk_pipe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	if (p->dir[0]) {
		write_file(p->dir, PRINTK_EVENT, "0");
		rmdir(p->dir);
		p->dir[0] = 0;
	}
}
