// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tool's command line, parsed against real packages: bindsnoop's explicit "args", and the
 * options eunomia-bpf packages get from their data-section variables. Objects are opened, never
 * loaded, so nothing here needs privileges.
 */
#include <errno.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "format/meta.h"
#include "object/object_vars.h"
#include "format/package_read.h"
#include "args/tool_args.h"
#include "args/tool_help.h"
#include "unit.h"

#define BINDSNOOP "build/packages/bindsnoop/package.json"
#define FIXTURES  "tests/fixtures/eunomia/" /* from the repository root, as tests run */

struct fixture {
	struct package pkg;
	struct package_meta meta;
	struct bpf_object *obj;
	cJSON *owned_meta; /* the meta parsed when it is not the package's */
};

static int fixture_open(struct fixture *f, const char *path)
{
	struct diag d = {""};

	memset(f, 0, sizeof(*f));
	if (package_read_file(path, &f->pkg, &d) || meta_parse(f->pkg.meta, &f->meta, &d)) {
		/* paths are relative to the repository root, where make runs the tests */
		fprintf(stderr, "    %s (run from the repository root after make all)\n", d.msg);
		return -1;
	}
	f->obj = bpf_object__open_mem(f->pkg.object, f->pkg.object_size, NULL);
	if (!f->obj) {
		fprintf(stderr, "    %s: bpf_object__open_mem: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void fixture_close(struct fixture *f)
{
	bpf_object__close(f->obj);
	meta_free(&f->meta);
	cJSON_Delete(f->owned_meta);
	package_free(&f->pkg);
}

#define ARGV(...) (char *[]){__VA_ARGS__}, (int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *))

static int parse(struct fixture *f, struct tool_settings *s, struct diag *d, char **argv, int argc)
{
	d->msg[0] = 0;
	return tool_args_parse(s, &f->meta, f->obj, argc, argv, d);
}

/* The last write to var: later writes win when they are replayed. */
static const struct var_write *find_write(const struct tool_settings *s, const char *var)
{
	int i;

	for (i = s->nr_writes - 1; i >= 0; i--)
		if (!strcmp(s->writes[i].var, var))
			return &s->writes[i];
	return NULL;
}

/* Whether var is written with exactly the given little-endian bytes. */
static bool writes(const struct tool_settings *s, const char *var, const void *bytes, uint32_t size)
{
	const struct var_write *w = find_write(s, var);

	return w && w->size == size && !memcmp(w->bytes, bytes, size);
}

static bool writes_u32(const struct tool_settings *s, const char *var, uint32_t v)
{
	return writes(s, var, &v, sizeof(v));
}

static bool writes_bool(const struct tool_settings *s, const char *var, bool v)
{
	uint8_t b = v;

	return writes(s, var, &b, 1);
}

/* Parses argv; a failure is reported against the caller's line. */
static bool parse_ok(struct fixture *f, struct tool_settings *s, int line, char **argv, int argc)
{
	struct diag d = {""};
	char what[600];

	if (!parse(f, s, &d, argv, argc))
		return true;
	snprintf(what, sizeof(what), "tool_args_parse: %s", d.msg);
	unit_fail(__FILE__, line, what);
	return false;
}

/* Runs the statement after it on the settings parsed from argv, then frees them. */
#define WITH_ARGS(f, s, ...)                                                 \
	for (int once_ = parse_ok(f, s, __LINE__, ARGV(__VA_ARGS__)); once_; \
	     tool_args_free(s), once_ = 0)

/* Parses argv expecting the error err with message msg. */
#define CHECK_ARGS_FAIL(f, err, want, ...)                                         \
	do {                                                                       \
		struct tool_settings s_;                                           \
		struct diag d_ = {""};                                             \
		CHECK(parse(f, &s_, &d_, ARGV(__VA_ARGS__)) == (err));             \
		CHECK_STR(d_.msg, want);                                           \
		CHECK(s_.writes == NULL && s_.fills == NULL && s_.nr_writes == 0); \
	} while (0)

TEST(tool_args_short_value)
{
	struct fixture f;
	struct tool_settings s;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	WITH_ARGS(&f, &s, "-p", "181")
	{
		CHECK(s.nr_writes == 1);
		CHECK(writes_u32(&s, "target_pid", 181));
		CHECK(s.nr_fills == 0 && s.output == OUTPUT_TABLE && !s.help && !s.columns);
	}
	WITH_ARGS(&f, &s, "-p181")
	{
		CHECK(s.nr_writes == 1 && writes_u32(&s, "target_pid", 181));
	}
	WITH_ARGS(&f, &s, "-p=9")
	{
		CHECK(s.nr_writes == 1 && writes_u32(&s, "target_pid", 9));
	}
	WITH_ARGS(&f, &s, "--pid=7")
	{
		CHECK(s.nr_writes == 1 && writes_u32(&s, "target_pid", 7));
	}
	WITH_ARGS(&f, &s, "--pid", "0x10")
	{
		CHECK(s.nr_writes == 1 && writes_u32(&s, "target_pid", 16));
	}
	fixture_close(&f);
}

TEST(tool_args_bundled_shorts_and_sets)
{
	struct fixture f;
	struct tool_settings s;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	/* -U is a flag, -u takes the next word; -u also sets filter_uid */
	WITH_ARGS(&f, &s, "-Uu", "0")
	{
		CHECK(s.nr_writes == 2);
		CHECK(writes_u32(&s, "target_uid", 0));
		CHECK(writes_bool(&s, "filter_uid", true));
		CHECK(tool_args_condition(&s, f.obj, "print_uid"));
		CHECK(!tool_args_condition(&s, f.obj, "timestamp"));
		CHECK(!tool_args_condition(&s, f.obj, "wide"));
	}
	WITH_ARGS(&f, &s, "-twu1000")
	{
		CHECK(writes_u32(&s, "target_uid", 1000));
		CHECK(tool_args_condition(&s, f.obj, "timestamp"));
		CHECK(tool_args_condition(&s, f.obj, "wide"));
		CHECK(!tool_args_condition(&s, f.obj, "print_uid"));
	}
	fixture_close(&f);
}

TEST(tool_args_map_keys)
{
	static const uint8_t keys[] = {80, 0, 0xbb, 0x01}; /* u16 80 and 443, little-endian */
	struct fixture f;
	struct tool_settings s;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	WITH_ARGS(&f, &s, "-P", "80,443")
	{
		CHECK(s.nr_fills == 1);
		CHECK(s.nr_fills == 1 && !strcmp(s.fills[0].map, "ports"));
		CHECK(s.nr_fills == 1 && s.fills[0].key_size == 2 && s.fills[0].value_size == 1);
		CHECK(s.nr_fills == 1 && s.fills[0].nr_keys == 2 &&
		      !memcmp(s.fills[0].keys, keys, sizeof(keys)));
		CHECK(s.nr_writes == 1 && writes_bool(&s, "filter_ports", true));
	}
	WITH_ARGS(&f, &s, "--ports=80")
	{
		CHECK(s.nr_fills == 1 && s.fills[0].nr_keys == 1 &&
		      !memcmp(s.fills[0].keys, keys, 2));
		CHECK(writes_bool(&s, "filter_ports", true));
	}
	WITH_ARGS(&f, &s, "--port", "443")
	{
		CHECK(s.nr_fills == 1 && s.fills[0].nr_keys == 1 &&
		      !memcmp(s.fills[0].keys, keys + 2, 2));
	}
	/* repeated lists add to one fill, without duplicates */
	WITH_ARGS(&f, &s, "-P", "80", "-P", "443,80")
	{
		CHECK(s.nr_fills == 1 && s.fills[0].nr_keys == 2 &&
		      !memcmp(s.fills[0].keys, keys, 4));
	}
	fixture_close(&f);
}

TEST(tool_args_flags_and_inverted_flags)
{
	struct fixture f;
	struct tool_settings s;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	WITH_ARGS(&f, &s, "-i=false")
	{
		CHECK(s.nr_writes == 1 && writes_bool(&s, "report_errors", true));
	}
	WITH_ARGS(&f, &s, "-E")
	{
		CHECK(s.nr_writes == 1 && writes_bool(&s, "report_errors", true));
	}
	WITH_ARGS(&f, &s, "-i")
	{
		CHECK(s.nr_writes == 1 && writes_bool(&s, "report_errors", false));
	}
	WITH_ARGS(&f, &s, "-E=false")
	{
		CHECK(s.nr_writes == 1 && writes_bool(&s, "report_errors", false));
	}
	WITH_ARGS(&f, &s, "--ignore-errors=true")
	{
		CHECK(s.nr_writes == 1 && writes_bool(&s, "report_errors", false));
	}
	WITH_ARGS(&f, &s, "--errors=on")
	{
		CHECK(s.nr_writes == 1 && writes_bool(&s, "report_errors", true));
	}
	/* the last of two flags on one variable wins */
	WITH_ARGS(&f, &s, "-Ei")
	{
		CHECK(s.nr_writes == 2 && writes_bool(&s, "report_errors", false));
	}
	WITH_ARGS(&f, &s, "--count")
	{
		CHECK(s.nr_writes == 1 && writes_bool(&s, "count_binds", true));
	}
	WITH_ARGS(&f, &s, "-w=false")
	{
		CHECK(!tool_args_condition(&s, f.obj, "wide"));
	}
	fixture_close(&f);
}

TEST(tool_args_errors)
{
	struct fixture f;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	CHECK_ARGS_FAIL(&f, -ERANGE, "-P: '70000' is out of range 0..65535", "-P", "70000");
	CHECK_ARGS_FAIL(&f, -EINVAL, "-P: 'abc' is not an integer", "-P", "abc");
	CHECK_ARGS_FAIL(&f, -EINVAL, "-P: ',' holds no values", "-P", ",");
	CHECK_ARGS_FAIL(&f, -EINVAL, "-p: 'x' is not an integer", "-p", "x");
	CHECK_ARGS_FAIL(&f, -ERANGE, "-u: '-3' is out of range 0..4294967295", "-u", "-3");
	CHECK_ARGS_FAIL(&f, -EINVAL, "unknown option '--bogus' (see -h)", "--bogus");
	CHECK_ARGS_FAIL(&f, -EINVAL, "unknown option '--bogus' (see -h)", "--bogus=1");
	CHECK_ARGS_FAIL(&f, -EINVAL, "unknown option '-x' (see -h)", "-tx");
	CHECK_ARGS_FAIL(&f, -EINVAL, "-P: needs a value", "-P");
	CHECK_ARGS_FAIL(&f, -EINVAL, "--pid: needs a value", "--pid");
	CHECK_ARGS_FAIL(&f, -EINVAL,
			"-o: 'yaml' is not json, table or custom-columns=COLUMN[,COLUMN...]", "-o",
			"yaml");
	CHECK_ARGS_FAIL(&f, -EINVAL,
			"-o: 'custom-columns=' is not json, table or "
			"custom-columns=COLUMN[,COLUMN...]",
			"-o", "custom-columns=");
	CHECK_ARGS_FAIL(&f, -EINVAL, "unexpected argument 'extra' (see -h)", "extra");
	CHECK_ARGS_FAIL(&f, -EINVAL, "unexpected argument 'extra' (see -h)", "-p", "1", "extra");
	CHECK_ARGS_FAIL(&f, -EINVAL, "unexpected argument '-' (see -h)", "-");
	CHECK_ARGS_FAIL(&f, -EINVAL, "unexpected argument 'x' (see -h)", "--", "x");
	CHECK_ARGS_FAIL(&f, -EINVAL, "-i: 'maybe' is not true or false", "-i=maybe");
	CHECK_ARGS_FAIL(&f, -EINVAL, "--errors: 'yes please' is not true or false",
			"--errors=yes please");
	fixture_close(&f);
}

TEST(tool_args_too_many_map_keys)
{
	struct fixture f;
	struct tool_settings s;
	struct diag d;
	char first[1024 * 6], second[16];
	size_t used = 0;
	int i;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	/* the ports map holds 1024 entries: distinct ports count, across repeated -P */
	for (i = 1; i <= 1024; i++)
		used += snprintf(first + used, sizeof(first) - used, "%s%d", i > 1 ? "," : "", i);
	CHECK(parse(&f, &s, &d, ARGV("-P", first, "-P", "1,1024")) == 0);
	CHECK(s.nr_fills == 1 && s.fills[0].nr_keys == 1024);
	tool_args_free(&s);
	snprintf(second, sizeof(second), "1025");
	CHECK(parse(&f, &s, &d, ARGV("-P", first, "--ports", second)) == -ERANGE);
	CHECK_STR(d.msg, "--ports: more than 1024 distinct values");
	fixture_close(&f);
}

TEST(tool_args_pinned_map_missing)
{
	static const char prefix[] = "--cgroupmap: '/nonexistent/pin' is not a pinned BPF map";
	struct fixture f;
	struct tool_settings s;
	struct diag d;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	CHECK(parse(&f, &s, &d, ARGV("--cgroupmap", "/nonexistent/pin")) == -EINVAL);
	CHECK(!strncmp(d.msg, prefix, sizeof(prefix) - 1));
	CHECK(s.reuses == NULL);
	fixture_close(&f);
}

TEST(tool_args_output_modes_and_help)
{
	struct fixture f;
	struct tool_settings s;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	WITH_ARGS(&f, &s, "-o", "json")
	{
		CHECK(s.output == OUTPUT_JSON && !s.columns);
	}
	WITH_ARGS(&f, &s, "--output=json")
	{
		CHECK(s.output == OUTPUT_JSON);
	}
	WITH_ARGS(&f, &s, "-o", "json", "-o", "table")
	{
		CHECK(s.output == OUTPUT_TABLE);
	}
	WITH_ARGS(&f, &s, "-o", "custom-columns=pid,comm")
	{
		CHECK(s.output == OUTPUT_TABLE);
		CHECK_STR(s.columns, "pid,comm");
	}
	WITH_ARGS(&f, &s, "-h")
	{
		CHECK(s.help);
	}
	WITH_ARGS(&f, &s, "--help")
	{
		CHECK(s.help);
	}
	/* once help is asked for, the rest is not looked at */
	WITH_ARGS(&f, &s, "-th", "--bogus")
	{
		CHECK(s.help && tool_args_condition(&s, f.obj, "timestamp"));
	}
	WITH_ARGS(&f, &s)
	{
		CHECK(!s.help && s.nr_writes == 0 && s.output == OUTPUT_TABLE);
	}
	fixture_close(&f);
}

static int count(const char *text, const char *what)
{
	int n = 0;

	while (text && (text = strstr(text, what))) {
		n++;
		text += strlen(what);
	}
	return n;
}

/* tool_help_write's text, malloc'ed. */
static char *help_text(const struct tool_settings *s, const struct fixture *f)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	if (!mem)
		return NULL;
	tool_help_write(s, &f->meta, f->obj, mem);
	fclose(mem);
	return text;
}

TEST(tool_args_help_text)
{
	static const char usage[] =
		"usage: bindsnoop [-h] [-t] [-w] [-p PID] [-P PORT[,PORT...]] [-E] [-i[=BOOL]] "
		"[-U] [-u UID] [--count] [--cgroupmap PATH] [--mntnsmap PATH] [--cgroup-names] "
		"[--container NAME|ID[,...]] [--unit UNIT[,...]] [-o FORMAT]\n\n"
		"Trace IPv4 and IPv6 bind()s: who bound which address and port, with which socket "
		"options, and who failed to.\n\noptions:\n";
	struct fixture f;
	struct tool_settings s;
	char *text, want[64];
	int i, j;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	WITH_ARGS(&f, &s)
	{
		text = help_text(&s, &f);
		CHECK(text != NULL);
		for (i = 0; text && i < f.meta.nr_args; i++) {
			for (j = 0; j < f.meta.args[i].nr_long_names; j++) {
				snprintf(want, sizeof(want), "--%s", f.meta.args[i].long_names[j]);
				CHECK(strstr(text, want) != NULL);
			}
		}
		CHECK(f.meta.nr_args == 15);
		CHECK(count(text, "(default: ") == 15);
		CHECK(text && !strncmp(text, usage, sizeof(usage) - 1));
		CHECK(text &&
		      strstr(text, "  -h, --help            show this help message and exit\n"));
		CHECK(text && strstr(text, "\n  -t, --timestamp       include timestamp on output "
					   "(default: false)\n"));
		CHECK(text && strstr(text, "\n  -p, --pid PID         trace this PID only "
					   "(default: all)\n"));
		CHECK(text &&
		      strstr(text, "\n  -P, --port, --ports PORT[,PORT...]\n"
				   "                        comma-separated list of ports to "
				   "trace (default: all)\n"));
		CHECK(text && strstr(text, "\n  -E, --errors          include errors in the output "
					   "(default: false)\n"));
		CHECK(text &&
		      strstr(text, "\n  -i, --ignore-errors[=BOOL]\n                        "
				   "show only binds that succeeded; -i=false shows failed "
				   "ones too (default: true)\n"));
		CHECK(text &&
		      strstr(text, "\n  --count               count binds per local address "
				   "and port, printed at exit (default: false)\n"));
		CHECK(text && strstr(text, "\nexamples:\n  bindsnoop                 # trace all "
					   "TCP and UDP binds\n"));
		free(text);
	}
	fixture_close(&f);
}

TEST(tool_args_apply_before_load_writes_rodata)
{
	struct fixture f;
	struct tool_settings s;
	struct var_ref ref;
	const uint8_t *bytes;
	struct diag d = {""};

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	CHECK(!object_var_is_set(f.obj, "target_pid"));
	CHECK(!object_var_is_set(f.obj, "report_errors"));
	WITH_ARGS(&f, &s, "-p", "181", "-E", "-P", "80")
	{
		CHECK(!tool_args_condition(&s, f.obj, "report_errors"));
		CHECK(tool_args_apply_before_load(&s, f.obj, &d) == 0);
		CHECK(object_var_is_set(f.obj, "target_pid"));
		CHECK(object_var_is_set(f.obj, "report_errors"));
		CHECK(object_var_is_set(f.obj, "filter_ports"));
		CHECK(!object_var_is_set(f.obj, "target_uid"));
		CHECK(!object_var_is_set(f.obj, "count_binds"));
		CHECK(!object_var_is_set(f.obj, "no_such_variable"));
		CHECK(tool_args_condition(&s, f.obj, "report_errors"));
		CHECK(!tool_args_condition(&s, f.obj, "count_binds"));
		CHECK(object_find_var(f.obj, "target_pid", &ref) == 0);
		bytes = object_var_bytes(&ref);
		CHECK(ref.size == 4 && bytes && bytes[0] == 181 && bytes[1] == 0 && bytes[2] == 0 &&
		      bytes[3] == 0);
		/* map fills need a loaded map */
		CHECK(tool_args_apply_after_load(&s, f.obj, &d) == -EINVAL);
		CHECK_STR(d.msg, "map ports: cannot be filled");
	}
	fixture_close(&f);
}

TEST(tool_args_condition_for_flags_without_variables)
{
	struct fixture f;
	struct tool_settings s;

	if (fixture_open(&f, BINDSNOOP)) {
		CHECK(!"bindsnoop package opens");
		return;
	}
	WITH_ARGS(&f, &s, "-w")
	{
		CHECK(tool_args_condition(&s, f.obj, "wide"));
		CHECK(!tool_args_condition(&s, f.obj, "timestamp"));
	}
	WITH_ARGS(&f, &s)
	{
		CHECK(!tool_args_condition(&s, f.obj, "wide"));
	}
	fixture_close(&f);
}

/* The generated option with this long name, or NULL. */
static const struct arg_spec *find_arg(const struct tool_settings *s, const char *name)
{
	int i;

	for (i = 0; i < s->nr_args; i++)
		if (s->args[i].nr_long_names && !strcmp(s->args[i].long_names[0], name))
			return &s->args[i];
	return NULL;
}

TEST(tool_args_generated_from_simple_prog_3)
{
	struct fixture f;
	struct tool_settings s;
	const struct arg_spec *a;
	char long_text[101];
	uint8_t want[100] = "hello";
	int32_t minus5 = -5;

	if (fixture_open(&f, FIXTURES "simple_prog_3.json")) {
		CHECK(!"simple_prog_3 package opens");
		return;
	}
	CHECK(!f.meta.has_args);
	WITH_ARGS(&f, &s)
	{
		CHECK(s.args_owned);
		CHECK(s.nr_args == 6);
		CHECK(find_arg(&s, "const_val_1") && find_arg(&s, "const_val_2") &&
		      find_arg(&s, "const_val_3") && find_arg(&s, "bss_val_1") &&
		      find_arg(&s, "bss_val_3"));
		CHECK(!find_arg(&s, "__eunomia_dummy_OutData_ptr"));
		a = find_arg(&s, "const_val_3");
		CHECK(a && !a->flag && a->var && !strcmp(a->var, "const_val_3"));
	}
	WITH_ARGS(&f, &s, "--const_val_1", "-5", "--const_val_3", "hello")
	{
		CHECK(s.nr_writes == 2);
		CHECK(writes(&s, "const_val_1", &minus5, 4));
		CHECK(writes(&s, "const_val_3", want, sizeof(want)));
	}
	WITH_ARGS(&f, &s, "--bss_val_1=3")
	{
		CHECK(writes_u32(&s, "bss_val_1", 3));
	}
	memset(long_text, 'x', 100);
	long_text[100] = 0;
	{
		char msg[256];

		snprintf(msg, sizeof(msg), "--const_val_3: '%s' is longer than 99 characters",
			 long_text);
		CHECK_ARGS_FAIL(&f, -ERANGE, msg, "--const_val_3", long_text);
	}
	CHECK_ARGS_FAIL(&f, -EINVAL, "unknown option '--__eunomia_dummy_OutData_ptr' (see -h)",
			"--__eunomia_dummy_OutData_ptr", "1");
	fixture_close(&f);
}

TEST(tool_args_generated_from_runqlat)
{
	static const char usage[] = "usage: runqlat_bpf [-h] [--filter_cg] [--targ_per_process] "
				    "[--targ_per_thread] [--targ_per_pidns] [--targ_ms] "
				    "[--targ_tgid VALUE]\n\noptions:\n";
	struct fixture f;
	struct tool_settings s;
	const struct arg_spec *a;
	char *text;

	if (fixture_open(&f, FIXTURES "runqlat.json")) {
		CHECK(!"runqlat package opens");
		return;
	}
	WITH_ARGS(&f, &s)
	{
		CHECK(s.nr_args == 6);
		a = find_arg(&s, "targ_ms");
		CHECK(a && a->flag && !a->metavar);
		a = find_arg(&s, "targ_tgid");
		CHECK(a && !a->flag && a->metavar && !strcmp(a->metavar, "VALUE"));
		CHECK(!find_arg(&s, "__eunomia_dummy_hist_ptr"));
		text = help_text(&s, &f);
		CHECK(text && !strncmp(text, usage, sizeof(usage) - 1));
		CHECK(text && strstr(text, "\n  --targ_ms             set variable targ_ms "
					   "(default: false)\n"));
		CHECK(text && strstr(text, "\n  --targ_tgid VALUE     set variable targ_tgid "
					   "(default: 0)\n"));
		free(text);
	}
	WITH_ARGS(&f, &s, "--targ_ms")
	{
		CHECK(s.nr_writes == 1 && writes_bool(&s, "targ_ms", true));
	}
	WITH_ARGS(&f, &s, "--targ_ms=false", "--targ_tgid", "42")
	{
		CHECK(writes_bool(&s, "targ_ms", false));
		CHECK(writes_u32(&s, "targ_tgid", 42));
	}
	/* pid_t is signed */
	WITH_ARGS(&f, &s, "--targ_tgid=-1")
	{
		CHECK(writes_u32(&s, "targ_tgid", 0xffffffffu));
	}
	CHECK_ARGS_FAIL(&f, -EINVAL, "--targ_tgid: 'x' is not an integer", "--targ_tgid", "x");
	CHECK_ARGS_FAIL(&f, -EINVAL, "unknown option '--__eunomia_dummy_hist_ptr' (see -h)",
			"--__eunomia_dummy_hist_ptr", "1");
	fixture_close(&f);
}

/* eunomia's cmdarg on a variable: its long and short names and help replace the defaults. */
TEST(tool_args_honour_eunomia_cmdarg)
{
	struct fixture f;
	struct tool_settings s;
	const struct arg_spec *a;
	cJSON *vars, *v, *cmdarg;
	int32_t seven = 7;
	struct diag d;

	if (fixture_open(&f, FIXTURES "simple_prog_3.json")) {
		CHECK(!"simple_prog_3 package opens");
		return;
	}
	vars = cJSON_GetObjectItem(f.pkg.root, "meta");
	vars = cJSON_GetObjectItem(cJSON_GetObjectItem(vars, "bpf_skel"), "data_sections");
	vars = cJSON_GetObjectItem(cJSON_GetArrayItem(vars, 0), "variables");
	v = cJSON_GetArrayItem(vars, 0); /* const_val_1 */
	cmdarg = cJSON_AddObjectToObject(v, "cmdarg");
	cJSON_AddStringToObject(cmdarg, "long", "first-value");
	cJSON_AddStringToObject(cmdarg, "short", "f");
	cJSON_AddStringToObject(cmdarg, "help", "the first value");
	meta_free(&f.meta); /* the meta is typed once parsed: parse the changed document again */
	CHECK(meta_parse(f.pkg.meta, &f.meta, &d) == 0);
	CHECK(parse(&f, &s, &d, ARGV("-f", "7")) == 0);
	a = find_arg(&s, "first-value");
	CHECK(a && a->short_name == 'f' && !strcmp(a->var, "const_val_1") &&
	      !strcmp(a->help, "the first value"));
	CHECK(writes(&s, "const_val_1", &seven, 4));
	tool_args_free(&s);
	CHECK(parse(&f, &s, &d, ARGV("--const_val_1", "7")) == -EINVAL);
	CHECK_STR(d.msg, "unknown option '--const_val_1' (see -h)");
	fixture_close(&f);
}

/* The bindsnoop fixture with its "args" replaced by args_json (a JSON array). */
static int fixture_with_args(struct fixture *f, const char *args_json)
{
	struct diag d = {""};
	cJSON *meta;

	if (fixture_open(f, BINDSNOOP))
		return -1;
	meta = cJSON_Duplicate(f->pkg.meta, true);
	cJSON_ReplaceItemInObjectCaseSensitive(meta, "args", cJSON_Parse(args_json));
	meta_free(&f->meta);
	memset(&f->meta, 0, sizeof(f->meta));
	if (meta_parse(meta, &f->meta, &d)) {
		fprintf(stderr, "    meta_parse: %s\n", d.msg);
		cJSON_Delete(meta);
		return -1;
	}
	f->owned_meta = meta;
	return 0;
}

TEST(tool_args_positional_and_initial_values)
{
	static const char args[] =
		"[{\"short\": \"u\", \"long\": \"uid\", \"metavar\": \"UID\", \"var\": "
		"\"target_uid\","
		"  \"initial\": 1000, \"sets\": {\"filter_uid\": true}, \"help\": \"trace this UID "
		"only\"},"
		" {\"positional\": true, \"metavar\": \"PID\", \"var\": \"target_pid\","
		"  \"initial\": 7, \"help\": \"trace this PID\"},"
		" {\"positional\": true, \"var\": \"report_errors\"}]";
	struct fixture f;
	struct tool_settings s;
	char *text;

	if (fixture_with_args(&f, args)) {
		CHECK(!"bindsnoop with positional args opens");
		fixture_close(&f);
		return;
	}
	/* not given: the initial values are written, yet the options count as not given */
	WITH_ARGS(&f, &s)
	{
		CHECK(writes_u32(&s, "target_pid", 7) && writes_u32(&s, "target_uid", 1000));
		CHECK(!s.given[0] && !s.given[1] && !s.given[2]);
		CHECK(!find_write(&s, "filter_uid")); /* what -u sets is for -u given */
		text = help_text(&s, &f);
		CHECK(text &&
		      !strncmp(text, "usage: bindsnoop [-h] [-u UID] [PID] [report_errors]\n", 53));
		CHECK(text && strstr(text, "\npositional arguments:\n  PID                   trace "
					   "this PID (default: 7)\n"));
		CHECK(text &&
		      strstr(text, "\n  -u, --uid UID         trace this UID only (default: "
				   "1000)\n"));
		free(text);
	}
	/* positionals take values in order, around options */
	WITH_ARGS(&f, &s, "42", "-u", "5", "true")
	{
		CHECK(writes_u32(&s, "target_pid", 42) && writes_u32(&s, "target_uid", 5));
		CHECK(writes_bool(&s, "report_errors", true) &&
		      writes_bool(&s, "filter_uid", true));
	}
	/* after --, values alone: a positional may look like an option */
	WITH_ARGS(&f, &s, "-u", "5", "--", "43", "true")
	{
		CHECK(writes_u32(&s, "target_pid", 43) && writes_bool(&s, "report_errors", true));
	}
	CHECK_ARGS_FAIL(&f, -EINVAL, "PID: '-u' is not an integer", "--", "-u");
	CHECK_ARGS_FAIL(&f, -EINVAL, "unexpected argument '3' (see -h)", "1", "true", "3");
	CHECK_ARGS_FAIL(&f, -EINVAL, "PID: 'x' is not an integer", "x");
	fixture_close(&f);
}
