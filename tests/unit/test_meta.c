// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * meta_parse: every object is closed, the message names the key's path and the nearest known
 * key, values arrive typed (sets and defaults as text, formats as enums).
 */
#include <errno.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "format/meta.h"
#include "unit.h"

#define SKEL "\"bpf_skel\": {\"obj_name\": \"t\"}"

/* meta_parse's message for the meta text, or "" when it is accepted. */
static const char *parse_error(const char *json, struct diag *d)
{
	cJSON *doc = cJSON_Parse(json);
	struct package_meta m;

	d->msg[0] = 0;
	if (!doc)
		return "not JSON";
	if (!meta_parse(doc, &m, d))
		meta_free(&m);
	cJSON_Delete(doc);
	return d->msg;
}

TEST(meta_unknown_keys_name_the_path_and_the_nearest_key)
{
	static const char *const cases[][2] = {
		{"{" SKEL ", \"dispaly\": {}}", "dispaly: unknown key (did you mean \"display\"?)"},
		{"{" SKEL ", \"display\": {\"colums\": []}}",
		 "display.colums: unknown key (did you mean \"columns\"?)"},
		{"{" SKEL ", \"args\": [{\"short\": \"x\", \"flag\": true, \"hlep\": \"\"}]}",
		 "args[0].hlep: unknown key (did you mean \"help\"?)"},
		{"{" SKEL ", \"tool\": {\"usage\": \"x\"}}",
		 "tool.usage: unknown key (expected one of: name, description, details, banner, "
		 "examples)"},
		{"{\"bpf_skel\": {\"obj_name\": \"t\", \"progs\": [{\"name\": \"p\", \"atach\": "
		 "\"\"}]}}",
		 "bpf_skel.progs[0].atach: unknown key (did you mean \"attach\"?)"},
		{"{\"bpf_skel\": {\"obj_name\": \"t\", \"data_sections\": [{\"name\": \".rodata\", "
		 "\"variables\": [{\"name\": \"v\", \"cmdarg\": {\"lnog\": \"x\"}}]}]}}",
		 "bpf_skel.data_sections[0].variables[0].cmdarg.lnog: unknown key (did you mean "
		 "\"long\"?)"},
		{"{" SKEL ", \"display\": {\"types\": {\"ev\": {\"m\": {\"formt\": \"ip\"}}}}}",
		 "display.types.ev.m.formt: unknown key (did you mean \"format\"?)"},
		{"{" SKEL ", \"exit_maps\": [{\"map\": \"m\", \"columns\": [{\"field\": \"a\", "
		 "\"overrides\": [{\"widht\": 1}]}]}]}",
		 "exit_maps[0].columns[0].overrides[0].widht: unknown key (did you mean "
		 "\"width\"?)"},
		/* a prefix is near too, however long the rest */
		{"{" SKEL ", \"events\": {\"lost\": \"x\"}}",
		 "events.lost: unknown key (did you mean \"lost_counter\"?)"},
		{"{" SKEL ", \"runtime\": {\"pidns_dev\": \"d\", \"pidns_inode\": \"i\"}}",
		 "runtime.pidns_inode: unknown key (did you mean \"pidns_ino\"?)"},
	};
	struct diag d;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(parse_error(cases[i][0], &d), cases[i][1]);
}

TEST(meta_refuses_structural_mistakes)
{
	static const char *const cases[][2] = {
		{"{}", "bpf_skel: missing"},
		{"{" SKEL ", \"hook_variants\": [{\"name\": \"v\", \"programs\": []}]}",
		 "hook_variants[0].programs: is empty: the variant attaches no program"},
		{"{" SKEL ", \"args\": [{\"short\": \"x\", \"var\": \"v\", \"map_keys\": \"m\"}]}",
		 "args[0]: only one of var, map_keys, pinned_map, output, contains, "
		 "attach_cgroup may be set"},
		{"{" SKEL ", \"args\": [{\"long\": \"a=b\", \"var\": \"v\"}]}",
		 "args[0].long: \"a=b\" may not start with - or hold = (which attaches a value)"},
		{"{" SKEL ", \"args\": [{\"short\": \"x\", \"flag\": true, \"combine\": \"or\"}]}",
		 "args[0].combine: needs a value option with a var"},
		{"{" SKEL
		 ", \"args\": [{\"short\": \"x\", \"var\": \"v\", \"sets\": {\"a\": []}}]}",
		 "args[0].sets.a: is not a string, number or boolean"},
		{"{" SKEL ", \"display\": {\"columns\": [{\"title\": \"T\"}]}}",
		 "display.columns[0].field: missing (only a clock or text column has none)"},
		{"{\"bpf_skel\": {\"obj_name\": \"t\", \"maps\": [{\"name\": \"h\", \"sample\": "
		 "{\"type\": \"bars\"}}]}}",
		 "bpf_skel.maps[0].sample.type: \"bars\" is not one of default_kv, log2_hist, "
		 "linear_hist"},
		{"{" SKEL ", \"runtime\": []}", "runtime: is not an object"},
		{"{" SKEL ", \"runtime\": {\"pidns_dev\": \"d\"}}",
		 "runtime.pidns_ino: missing: runtime.pidns_dev is given, and a PID namespace is "
		 "known "
		 "by its device and inode together"},
		{"{" SKEL ", \"runtime\": {\"pidns_dev\": \"\", \"pidns_ino\": \"i\"}}",
		 "runtime.pidns_dev: is empty"},
		{"{" SKEL ", \"hook_variants\": [{\"name\": \"v\", \"programs\": [\"a\"], "
		 "\"optional\": [{\"programs\": [\"b\"]}]}]}",
		 "hook_variants[0].optional[0].covers: missing"},
		{"{" SKEL ", \"hook_variants\": [{\"name\": \"v\", \"programs\": [\"a\"], "
		 "\"optional\": [{\"programs\": [], \"covers\": \"c\"}]}]}",
		 "hook_variants[0].optional[0].programs: is empty"},
		{"{" SKEL ", \"hook_variants\": [{\"name\": \"v\", \"programs\": [\"a\"], "
		 "\"optional\": []}]}",
		 "hook_variants[0].optional: is empty"},
		{"{" SKEL ", \"hook_variants\": [{\"name\": \"v\", \"when\": 1, "
		 "\"programs\": [\"a\"]}]}",
		 "hook_variants[0].when: is not a string"},
		{"{\"bpf_skel\": {\"obj_name\": \"t\", \"maps\": [{\"name\": \"h\", "
		 "\"max_entries\": \"pids\"}]}}",
		 "bpf_skel.maps[0].max_entries: is not a number, pid_max or nr_cpus"},
		{"{\"bpf_skel\": {\"obj_name\": \"t\", \"maps\": [{\"name\": \"h\", "
		 "\"max_entries\": 0}]}}",
		 "bpf_skel.maps[0].max_entries: is not an integer in 1..1073741824"},
		{"{" SKEL ", \"args\": [{\"positional\": true, \"short\": \"x\", \"var\": \"v\"}]}",
		 "args[0]: a positional argument has no \"short\", \"long\" or \"flag\""},
		{"{" SKEL ", \"display\": {\"columns\": [{\"format\": \"text\"}]}}",
		 "display.columns[0]: a text column has \"text\" and no \"field\""},
		{"{" SKEL ", \"args\": [{\"var\": \"v\"}]}",
		 "args[0]: has neither \"short\" nor \"long\""},
		{"{" SKEL ", \"args\": [{\"short\": \"x\", \"flag\": true, \"initial\": 1}]}",
		 "args[0].initial: only an option with var and a value has one"},
	};
	struct diag d;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(parse_error(cases[i][0], &d), cases[i][1]);
}

TEST(meta_values_arrive_typed)
{
	cJSON *doc = cJSON_Parse(
		"{" SKEL ", \"args\": [{\"short\": \"p\", \"var\": \"v\", \"default\": 42, "
		"\"sets\": {\"on\": true, \"n\": 1000000, \"s\": \"x\"}},"
		" {\"long\": \"w\", \"flag\": true, \"default\": true}],"
		" \"display\": {\"columns\": [{\"field\": \"f\", \"format\": \"octal\", \"width\": "
		"8,"
		" \"zero_pad\": true, \"overrides\": [{\"when\": \"w\", \"format\": \"hex\"}]}]}}");
	struct package_meta m;
	struct diag d = {""};
	const struct column_spec *c;

	CHECK(doc && meta_parse(doc, &m, &d) == 0);
	if (!doc || d.msg[0]) {
		cJSON_Delete(doc);
		return;
	}
	CHECK(m.nr_args == 2 && m.args[0].nr_sets == 3);
	CHECK_STR(m.args[0].default_text, "42");
	CHECK_STR(m.args[0].sets[0].text, "true");
	CHECK_STR(m.args[0].sets[1].text, "1000000");
	CHECK_STR(m.args[0].sets[2].text, "x");
	CHECK(m.args[1].flag && m.args[1].default_on && !strcmp(m.args[1].name, "w"));
	c = &m.columns.items[0];
	CHECK(m.columns.present && m.columns.nr == 1 && c->props.format == COLUMN_OCTAL);
	CHECK(c->props.zero_pad && c->props.width == 8 && (c->props.given & PROP_ZERO_PAD));
	CHECK(!(c->props.given & PROP_TITLE));
	CHECK(c->nr_overrides == 1 && c->overrides[0].props.format == COLUMN_HEX &&
	      c->overrides[0].props.given == PROP_FORMAT);
	meta_free(&m);
	cJSON_Delete(doc);
}

TEST(meta_optional_programs_belong_to_their_group)
{
	cJSON *doc = cJSON_Parse(
		"{" SKEL ", \"hook_variants\": [{\"name\": \"v\", \"programs\": [\"a\"], "
		"\"optional\": [{\"programs\": [\"b\", \"c\"], \"covers\": \"bees\"}, "
		"{\"programs\": [\"d\"], \"covers\": \"dees\"}], \"counts_as_lost\": \"eels\"}]}");
	const struct hook_variant *v;
	struct package_meta m;
	struct diag d = {""};

	CHECK(doc && meta_parse(doc, &m, &d) == 0);
	if (!doc || d.msg[0]) {
		cJSON_Delete(doc);
		return;
	}
	v = &m.variants[0];
	CHECK(m.nr_variants == 1 && v->nr_programs == 1 && v->nr_optional == 2);
	CHECK(v->optional[0].nr_programs == 2 && v->optional[1].nr_programs == 1);
	CHECK_STR(v->optional[0].covers, "bees");
	CHECK_STR(v->optional[1].covers, "dees");
	CHECK_STR(v->counts_as_lost, "eels");
	CHECK(hook_variant_optional_group(v, "a") == -1);
	CHECK(hook_variant_optional_group(v, "c") == 0);
	CHECK(hook_variant_optional_group(v, "d") == 1);
	CHECK(hook_variant_optional_group(v, "e") == -1);
	CHECK(hook_variant_has(v, "a") && hook_variant_has(v, "b") && hook_variant_has(v, "d"));
	CHECK(!hook_variant_has(v, "e"));
	meta_free(&m);
	cJSON_Delete(doc);
}

TEST(meta_variant_conditions_and_map_sizes)
{
	cJSON *doc = cJSON_Parse(
		"{\"bpf_skel\": {\"obj_name\": \"t\", \"maps\": [{\"name\": \"a\", "
		"\"max_entries\": 5}, {\"name\": \"b\"}, {\"name\": \"c\", \"max_entries\": "
		"\"pid_max\"}, {\"name\": \"d\", \"max_entries\": \"nr_cpus\"}]}, "
		"\"hook_variants\": [{\"name\": \"k\", \"when\": \"kill\", \"programs\": [\"a\"]}, "
		"{\"name\": \"s\", \"programs\": [\"b\"]}]}");
	struct package_meta m;
	struct diag d = {""};

	CHECK(doc && meta_parse(doc, &m, &d) == 0);
	if (!doc || d.msg[0]) {
		cJSON_Delete(doc);
		return;
	}
	CHECK_STR(m.variants[0].when, "kill");
	CHECK(m.variants[1].when == NULL);
	CHECK(m.nr_map_sizes == 3);
	CHECK_STR(m.map_sizes[0].map, "a");
	CHECK(m.map_sizes[0].kind == MAP_SIZE_FIXED && m.map_sizes[0].entries == 5);
	CHECK_STR(m.map_sizes[1].map, "c");
	CHECK(m.map_sizes[1].kind == MAP_SIZE_PID_MAX);
	CHECK(m.map_sizes[2].kind == MAP_SIZE_NR_CPUS);
	meta_free(&m);
	cJSON_Delete(doc);
}

TEST(meta_runtime_names_the_loader_written_variables)
{
	cJSON *doc = cJSON_Parse("{" SKEL ", \"runtime\": {\"pidns_dev\": \"dev_var\", "
				 "\"pidns_ino\": \"ino_var\"}}");
	struct package_meta m;
	struct diag d = {""};

	CHECK(doc && meta_parse(doc, &m, &d) == 0);
	if (!doc || d.msg[0]) {
		cJSON_Delete(doc);
		return;
	}
	CHECK_STR(m.runtime.pidns_dev, "dev_var");
	CHECK_STR(m.runtime.pidns_ino, "ino_var");
	CHECK_STR(meta_runtime_key(&m, "dev_var"), "pidns_dev");
	CHECK_STR(meta_runtime_key(&m, "ino_var"), "pidns_ino");
	CHECK(!meta_runtime_key(&m, "target_pid"));
	meta_free(&m);
	cJSON_Delete(doc);
	/* {} asks for nothing */
	doc = cJSON_Parse("{" SKEL ", \"runtime\": {}}");
	CHECK(doc && meta_parse(doc, &m, &d) == 0);
	if (doc && !d.msg[0]) {
		CHECK(!m.runtime.pidns_dev && !m.runtime.pidns_ino && !meta_runtime_key(&m, "x"));
		meta_free(&m);
	}
	cJSON_Delete(doc);
}
