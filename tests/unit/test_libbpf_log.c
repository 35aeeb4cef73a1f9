// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one-line reason taken from libbpf's warnings, fed as libbpf 1.x formats them. */
#include <errno.h>
#include "load/libbpf_log.h"
#include "unit.h"

static const char verifier_log[] =
	"libbpf: prog 'read_unchecked': -- BEGIN PROG LOAD LOG --\n"
	"0: R1=ctx() R10=fp0\n"
	"7: (79) r1 = *(u64 *)(r0 +0)\n"
	"R0 invalid mem access 'map_value_or_null'\n"
	"processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0\n"
	"\n"
	"-- END PROG LOAD LOG --\n";

static const char *load_reason(int err)
{
	static char buf[512];

	libbpf_log_load_reason(err, buf, sizeof(buf));
	return buf;
}

TEST(libbpf_log_verifier_reason_is_the_last_meaningful_log_line)
{
	libbpf_log_reset();
	CHECK(!libbpf_log_has_warnings());
	libbpf_log_take_warning(
		"libbpf: prog 'read_unchecked': BPF program load failed: Permission denied\n");
	libbpf_log_take_warning(verifier_log);
	libbpf_log_take_warning("libbpf: prog 'read_unchecked': failed to load: -13\n");
	CHECK(libbpf_log_has_warnings());
	CHECK_STR(load_reason(-EACCES),
		  "prog 'read_unchecked': verifier: R0 invalid mem access 'map_value_or_null'");
}

TEST(libbpf_log_verifier_log_split_across_warnings)
{
	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: prog 'p': -- BEGIN PROG LOAD LOG --\n");
	libbpf_log_take_warning("invalid access to map value, value_size=8 off=8 size=8\n");
	libbpf_log_take_warning("R0 min value is outside of the allowed memory range\n"
				"verification time 12 usec\nstack depth 8\n");
	libbpf_log_take_warning("-- END PROG LOAD LOG --\n");
	libbpf_log_take_warning("libbpf: prog 'p': failed to load: -13\n");
	CHECK_STR(load_reason(-EACCES),
		  "prog 'p': verifier: R0 min value is outside of the allowed memory range");
}

TEST(libbpf_log_without_a_log_gives_the_cause)
{
	libbpf_log_reset();
	libbpf_log_take_warning(
		"libbpf: prog 'fexit_x': BPF program load failed: Operation not permitted\n");
	libbpf_log_take_warning("libbpf: permission error while running as root; try raising "
				"'ulimit -l'? current value: 8.0 MiB\n");
	CHECK_STR(load_reason(-EPERM), "prog 'fexit_x': Operation not permitted");
}

TEST(libbpf_log_other_failures_give_the_first_warning)
{
	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: map 'events': failed to create: Invalid argument(-22)\n");
	libbpf_log_take_warning("libbpf: failed to load object 'x'\n");
	CHECK_STR(load_reason(-EINVAL), "map 'events': failed to create: Invalid argument(-22)");
	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: prog 'on_missing': failed to create tracepoint "
				"'syscalls/x' perf event: No such file or directory\n");
	CHECK_STR(libbpf_log_first_warning(-ENOENT),
		  "failed to create tracepoint 'syscalls/x' perf event: No such file or directory");
}

TEST(libbpf_log_nothing_said_gives_strerror)
{
	libbpf_log_reset();
	CHECK_STR(load_reason(-ENOENT), "No such file or directory");
	CHECK_STR(libbpf_log_first_warning(-EPERM), "Operation not permitted");
}

TEST(libbpf_log_a_log_of_blank_and_summary_lines_has_no_reason)
{
	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: prog 'q': BPF program load failed: Invalid argument\n");
	libbpf_log_take_warning("libbpf: prog 'q': -- BEGIN PROG LOAD LOG --\n\n"
				"processed 0 insns (limit 1000000)\n-- END PROG LOAD LOG --\n");
	CHECK_STR(load_reason(-EINVAL), "prog 'q': Invalid argument");
}

TEST(libbpf_log_reset_forgets_the_last_attempt)
{
	libbpf_log_reset();
	libbpf_log_take_warning(verifier_log);
	libbpf_log_reset();
	CHECK(!libbpf_log_has_warnings());
	CHECK_STR(load_reason(-EPERM), "Operation not permitted");
}

TEST(libbpf_log_a_log_cut_before_its_end_stops_at_libbpf_next_line)
{
	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: prog 'r': -- BEGIN PROG LOAD LOG --\n"
				"R2 !read_ok\n");
	libbpf_log_take_warning("libbpf: prog 'r': failed to load: -13\n");
	CHECK_STR(load_reason(-EACCES), "prog 'r': verifier: R2 !read_ok");
}

TEST(libbpf_log_names_the_program_a_failed_load_is_blamed_on)
{
	libbpf_log_reset();
	CHECK(!libbpf_log_failed_program());
	libbpf_log_take_warning(verifier_log);
	CHECK_STR(libbpf_log_failed_program(), "read_unchecked");
	/* a CO-RE relocation libbpf could not make names its program in the first warning */
	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: prog 'uring_complete': relo #3: failed to relocate: "
				"-22\n");
	libbpf_log_take_warning("libbpf: failed to load object 'tcpaccept_bpf'\n");
	CHECK_STR(libbpf_log_failed_program(), "uring_complete");
	/* a map's failure is no program's */
	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: map 'events': failed to create: Invalid argument(-22)\n");
	CHECK(!libbpf_log_failed_program());
}

TEST(libbpf_log_names_the_kernels_own_errnos)
{
	char buf[64];

	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: prog 'fexit_bind': failed to attach: "
				"strerror_r(-524)=22\n");
	CHECK_STR(libbpf_log_first_warning(-524),
		  "failed to attach: not supported by this kernel (ENOTSUPP)");
	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: prog 'p': failed: -517 (strerror_r(-517)=22) later\n");
	CHECK_STR(libbpf_log_first_warning(-517),
		  "failed: -517 (kernel error EPROBE_DEFER (517)) later");
	/* nothing said: the errno itself, named */
	libbpf_log_reset();
	CHECK_STR(libbpf_log_first_warning(-524), "not supported by this kernel (ENOTSUPP)");
	CHECK_STR(libbpf_log_strerror(-ENOENT, buf, sizeof(buf)), "No such file or directory");
	CHECK_STR(libbpf_log_strerror(529, buf, sizeof(buf)), "kernel error EIOCBQUEUED (529)");
	/* libbpf's text for an errno strerror knows is left as it is */
	libbpf_log_reset();
	libbpf_log_take_warning("libbpf: x: strerror_r(-2)=22\n");
	CHECK_STR(libbpf_log_first_warning(-2), "x: strerror_r(-2)=22");
}
