// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>
#include "load/libbpf_log.h"

#define LOG_BEGIN      "-- BEGIN PROG LOAD LOG --"
#define LOG_END	       "-- END PROG LOAD LOG --"
#define LOG_LINE_BYTES 512
#define LOAD_FAILED    "BPF program load failed: "
#define MEMLOCK_HINT   "try raising 'ulimit -l'"
#define NOT_MEMLOCK                                                                           \
	"ecli: EPERM as root is not the memlock limit here (this kernel does not charge BPF " \
	"memory to it): a security policy such as kernel lockdown refused the program"

static struct {
	int verbose;
	bool in_log; /* between BEGIN and END: the lines are the verifier's */
	bool warned;
	char first[LOG_LINE_BYTES];
	char first_prog[128];	       /* the program the first warning names */
	char prog[128];		       /* the program whose load failed */
	char cause[128];	       /* libbpf's cause for it: "Permission denied" */
	char errbuf[64];	       /* an errno's text, for libbpf_log_first_warning */
	char verifier[LOG_LINE_BYTES]; /* the last meaningful line of its log */
} state;

static const char *skip_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) ? s : s + n;
}

/* "prog 'NAME': rest": copies NAME (when prog is not NULL) and returns rest, else NULL. */
static const char *after_prog_name(const char *s, char *prog, size_t size)
{
	const char *end;

	if (strncmp(s, "prog '", 6))
		return NULL;
	end = strstr(s + 6, "': ");
	if (!end)
		return NULL;
	if (prog)
		snprintf(prog, size, "%.*s", (int)(end - s - 6), s + 6);
	return end + 3;
}

/* The verifier's closing statistics and blank lines say nothing about why it refused. */
static bool meaningful(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return *line && strncmp(line, "processed ", 10) && strncmp(line, "verification time", 17) &&
	       strncmp(line, "stack depth", 11);
}

/* The kernel's own errnos (above 511), which strerror and libbpf do not name. */
static const char *kernel_errno_name(int err)
{
	static const char *const names[] = {
		[512 - 512] = "ERESTARTSYS",
		[513 - 512] = "ERESTARTNOINTR",
		[514 - 512] = "ERESTARTNOHAND",
		[515 - 512] = "ENOIOCTLCMD",
		[516 - 512] = "ERESTART_RESTARTBLOCK",
		[517 - 512] = "EPROBE_DEFER",
		[518 - 512] = "EOPENSTALE",
		[519 - 512] = "ENOPARAM",
		[521 - 512] = "EBADHANDLE",
		[522 - 512] = "ENOTSYNC",
		[523 - 512] = "EBADCOOKIE",
		[524 - 512] = "ENOTSUPP",
		[525 - 512] = "ETOOSMALL",
		[526 - 512] = "ESERVERFAULT",
		[527 - 512] = "EBADTYPE",
		[528 - 512] = "EJUKEBOX",
		[529 - 512] = "EIOCBQUEUED",
		[530 - 512] = "ERECALLCONFLICT",
	};

	if (err < 0)
		err = -err;
	if (err < 512 || err > 530 || !names[err - 512])
		return NULL;
	return names[err - 512];
}

const char *libbpf_log_strerror(int err, char *buf, size_t size)
{
	const char *name = kernel_errno_name(err);

	if (!name)
		return strerror(err < 0 ? -err : err);
	if ((err < 0 ? -err : err) == 524)
		snprintf(buf, size, "not supported by this kernel (ENOTSUPP)");
	else
		snprintf(buf, size, "kernel error %s (%d)", name, err < 0 ? -err : err);
	return buf;
}

/* libbpf's "strerror_r(-524)=22" (its strerror_r knows no kernel errno) with the errno named. */
static void name_kernel_errnos(char *text, size_t size)
{
	static const char mark[] = "strerror_r(";
	char *at = strstr(text, mark), *end, named[64], rest[LOG_LINE_BYTES];
	long err;

	if (!at)
		return;
	err = strtol(at + sizeof(mark) - 1, &end, 10);
	if (strncmp(end, ")=", 2) || !kernel_errno_name((int)err))
		return;
	end += 2;
	while (*end >= '0' && *end <= '9')
		end++;
	snprintf(rest, sizeof(rest), "%s", end);
	libbpf_log_strerror((int)err, named, sizeof(named));
	snprintf(at, size - (size_t)(at - text), "%s%s", named, rest);
}

static void take_warning_line(const char *line, size_t len)
{
	char text[LOG_LINE_BYTES], prog[sizeof(state.prog)];
	const char *rest, *after;

	snprintf(text, sizeof(text), "%.*s", (int)len, line);
	name_kernel_errnos(text, sizeof(text));
	if (state.in_log && !strncmp(text, "libbpf: ", 8))
		state.in_log = false; /* a log without its END: libbpf speaks again */
	if (state.in_log) {
		if (!strcmp(text, LOG_END))
			state.in_log = false;
		else if (meaningful(text))
			snprintf(state.verifier, sizeof(state.verifier), "%s", text);
		return;
	}
	rest = skip_prefix(text, "libbpf: ");
	after = after_prog_name(rest, prog, sizeof(prog));
	if (strstr(rest, LOG_BEGIN)) {
		state.in_log = true;
		state.verifier[0] = 0;
		if (after)
			snprintf(state.prog, sizeof(state.prog), "%s", prog);
		return;
	}
	if (!state.first[0]) {
		snprintf(state.first, sizeof(state.first), "%s", rest);
		if (after)
			snprintf(state.first_prog, sizeof(state.first_prog), "%s", prog);
	}
	if (after && !strncmp(after, LOAD_FAILED, strlen(LOAD_FAILED))) {
		snprintf(state.prog, sizeof(state.prog), "%s", prog);
		snprintf(state.cause, sizeof(state.cause), "%s", after + strlen(LOAD_FAILED));
	}
}

/* One warning may hold many lines (a whole verifier log), or a log may span warnings. */
void libbpf_log_take_warning(const char *msg)
{
	const char *end;

	state.warned = true;
	for (; *msg; msg = *end ? end + 1 : end) {
		end = strchrnul(msg, '\n');
		take_warning_line(msg, end - msg);
	}
}

/*
 * libbpf explains an EPERM seen as root by the memlock limit. Kernels since 5.11 charge BPF
 * memory to the cgroup instead and ignore that limit: there the hint misleads, as the cause is
 * a security policy such as kernel lockdown, which refuses fexit, LSM and kprobe programs.
 */
static bool kernel_ignores_memlock(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major > 5 || (major == 5 && minor >= 11);
}

void libbpf_log_explain_eperm(void)
{
	if (state.verbose && kernel_ignores_memlock())
		fputs(NOT_MEMLOCK "\n", stderr);
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg = NULL;

	if ((level == LIBBPF_DEBUG && state.verbose < 2) || vasprintf(&msg, fmt, ap) < 0)
		return 0;
	if (strstr(msg, MEMLOCK_HINT) && kernel_ignores_memlock()) {
		libbpf_log_explain_eperm();
	} else {
		if (state.verbose)
			fputs(msg, stderr);
		if (level == LIBBPF_WARN)
			libbpf_log_take_warning(msg);
	}
	free(msg);
	return 0;
}

void libbpf_log_init(int verbose)
{
	state.verbose = verbose;
	libbpf_set_print(print_libbpf);
}

void libbpf_log_reset(void)
{
	int verbose = state.verbose;

	memset(&state, 0, sizeof(state));
	state.verbose = verbose;
}

bool libbpf_log_has_warnings(void)
{
	return state.warned;
}

void libbpf_log_load_reason(int err, char *buf, size_t size)
{
	if (state.prog[0] && state.verifier[0])
		snprintf(buf, size, "prog '%s': verifier: %s", state.prog, state.verifier);
	else if (state.prog[0] && state.cause[0])
		snprintf(buf, size, "prog '%s': %s", state.prog, state.cause);
	else
		snprintf(buf, size, "%s", libbpf_log_first_warning(err));
}

const char *libbpf_log_failed_program(void)
{
	if (state.prog[0])
		return state.prog;
	return state.first_prog[0] ? state.first_prog : NULL;
}

const char *libbpf_log_first_warning(int err)
{
	const char *rest;

	if (!state.first[0])
		return libbpf_log_strerror(err, state.errbuf, sizeof(state.errbuf));
	rest = after_prog_name(state.first, NULL, 0);
	return rest ? rest : state.first;
}
