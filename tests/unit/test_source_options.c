// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * source_options (ecc): what a source's `///` blocks say of its globals, written into the
 * skeleton's data_sections[].variables[] ("description", "cmdarg"); a default must be the
 * variable's initial value and no two options may share a name. The sources are scanned by
 * source_scan; the skeleton and the object are eunomia-bpf's simple_prog_3 and runqlat
 * packages (tests/fixtures/eunomia), whose data-section variables all start at zero:
 * .rodata: int const_val_1, long long const_val_2, char const_val_3[100];
 * .bss: int bss_val_1, long long bss_val_2, char bss_val_3[100], __eunomia_dummy_OutData_ptr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "format/package_read.h"
#include "source_options.h"
#include "source_scan.h"
#include "unit.h"

#define PATH	      "s.bpf.c"
#define SIMPLE_PROG_3 "tests/fixtures/eunomia/simple_prog_3.json"
#define RUNQLAT	      "tests/fixtures/eunomia/runqlat.json"

static char result[4096];

#define put(...) unit_append(result, sizeof(result), __VA_ARGS__)

/* Each variable the skeleton now describes: "name "description" {cmdarg}; ..." */
static void describe(const cJSON *skel)
{
	const cJSON *sec, *var;
	int n = 0;

	cJSON_ArrayForEach(sec, cJSON_GetObjectItemCaseSensitive(skel, "data_sections"))
		cJSON_ArrayForEach(var, cJSON_GetObjectItemCaseSensitive(sec, "variables")) {
			const cJSON *desc = cJSON_GetObjectItemCaseSensitive(var, "description");
			const cJSON *cmdarg = cJSON_GetObjectItemCaseSensitive(var, "cmdarg");
			char *json = cmdarg ? cJSON_PrintUnformatted(cmdarg) : NULL;

			if (!desc && !cmdarg)
				continue;
			put("%s%s", n++ ? "; " : "",
			    cJSON_GetObjectItemCaseSensitive(var, "name")->valuestring);
			if (cJSON_IsString(desc))
				put(" \"%s\"", desc->valuestring);
			if (json)
				put(" %s", json);
			free(json);
		}
	if (!n)
		put("(nothing described)");
}

/*
 * Scans text and applies it to a fresh copy of the package's skeleton and object: what the
 * skeleton then describes, or "refused: message".
 */
static const char *applied_to(const char *package, const char *text)
{
	struct package pkg;
	struct source_scan scan;
	struct bpf_object *obj = NULL;
	cJSON *skel = NULL;
	struct diag d = {""};
	int err;

	result[0] = 0;
	if (package_read_file(package, &pkg, &d)) {
		put("%s (run from the repository root)", d.msg);
		return result;
	}
	if (source_scan(PATH, text, &scan, &d)) {
		put("scan refused: %s", d.msg);
		package_free(&pkg);
		return result;
	}
	skel = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(pkg.meta, "bpf_skel"), true);
	obj = bpf_object__open_mem(pkg.object, pkg.object_size, NULL);
	if (!skel || !obj) {
		put("the package's skeleton and object do not open");
	} else {
		err = source_options_apply(skel, &scan, obj, &d);
		if (err) {
			put("refused: %s", d.msg);
			CHECK(err == -EINVAL);
		} else {
			describe(skel);
		}
	}
	bpf_object__close(obj);
	cJSON_Delete(skel);
	source_scan_free(&scan);
	package_free(&pkg);
	return result;
}

static const char *applied(const char *text)
{
	return applied_to(SIMPLE_PROG_3, text);
}

#define REFUSED(line, msg) "refused: " PATH ":" #line ": " msg

TEST(source_options_nothing_documented_changes_nothing)
{
	CHECK_STR(applied(""), "(nothing described)");
	CHECK_STR(applied("const volatile int const_val_1 = 0;\n"), "(nothing described)");
}

TEST(source_options_write_description_and_cmdarg_into_the_skeleton)
{
	CHECK_STR(applied("/// The first value\n"
			  "/// @cmdarg {\"long\": \"first\", \"short\": \"f\", \"help\": \"h\"}\n"
			  "const volatile int const_val_1 = 0;\n"
			  "/// @description \"The second\"\n"
			  "const volatile long long const_val_2 = 0;\n"
			  "/// A plain global\n"
			  "int bss_val_1;\n"
			  "/// @cmdarg {\"long\": \"third\"}\n"
			  "const volatile char const_val_3[100];\n"),
		  "const_val_1 \"The first value\" "
		  "{\"long\":\"first\",\"short\":\"f\",\"help\":\"h\"}; "
		  "const_val_2 \"The second\"; "
		  "const_val_3 {\"long\":\"third\"}; "
		  "bss_val_1 \"A plain global\"");
}

TEST(source_options_what_the_object_lacks)
{
	/* a map's or a prototype's comment describes nothing of the object's */
	CHECK_STR(applied("/// a map\nstruct {\n\tint a;\n} counts SEC(\".maps\");\n"
			  "/// a prototype\nint g(void);\n"
			  "/// a global the program never reads\nint unused;\n"),
		  "(nothing described)");
	/* an option that is not there is refused: its names would be lost */
	CHECK_STR(
		applied("int a;\n/// @cmdarg {\"long\": \"gone\"}\nconst volatile int gone = 0;\n"),
		REFUSED(2, "@cmdarg: \"gone\" is not in the compiled object (a variable the "
			   "program never reads may be left out)"));
}

TEST(source_options_default_equal_to_the_initial_value)
{
	CHECK_STR(applied("/// @cmdarg {\"default\": 0}\nconst volatile int const_val_1 = 0;\n"),
		  "const_val_1 {\"default\":0}");
	CHECK_STR(applied("/// @cmdarg {\"default\": \"0\"}\nconst volatile int const_val_1;\n"),
		  "const_val_1 {\"default\":\"0\"}");
	CHECK_STR(applied("/// @cmdarg {\"default\": -0}\nconst volatile int const_val_1;\n"),
		  "const_val_1 {\"default\":-0}"); /* kept as written; its value is 0 */
	CHECK_STR(applied("/// @cmdarg {\"default\": 0}\nconst volatile long long const_val_2;\n"),
		  "const_val_2 {\"default\":0}");
	CHECK_STR(
		applied("/// @cmdarg {\"default\": \"\"}\nconst volatile char const_val_3[100];\n"),
		"const_val_3 {\"default\":\"\"}");
	/* without a default, the initial value is the default: nothing to check */
	CHECK_STR(applied("/// @cmdarg {\"long\": \"x\"}\nconst volatile int const_val_1 = 0;\n"),
		  "const_val_1 {\"long\":\"x\"}");
}

TEST(source_options_default_other_than_the_initial_value_is_refused)
{
	CHECK_STR(applied("\n/// @cmdarg {\"default\": 5,\n///   \"long\": \"x\"}\n"
			  "const volatile int const_val_1 = 0;\n"),
		  REFUSED(2, "@cmdarg: \"default\" 5 is not the initial value of \"const_val_1\" "
			     "(ecli starts from the initial value: make them the same)"));
	CHECK_STR(applied("/// @cmdarg {\"default\": -1}\nconst volatile long long const_val_2;\n"),
		  REFUSED(1, "@cmdarg: \"default\" -1 is not the initial value of \"const_val_2\" "
			     "(ecli starts from the initial value: make them the same)"));
	CHECK_STR(applied("/// @cmdarg {\"default\": \"abc\"}\n"
			  "const volatile char const_val_3[100];\n"),
		  REFUSED(1, "@cmdarg: \"default\" abc is not the initial value of \"const_val_3\" "
			     "(ecli starts from the initial value: make them the same)"));
	/* .bss starts at zero too */
	CHECK_STR(applied("/// @cmdarg {\"default\": 1}\nconst volatile int bss_val_1;\n"),
		  REFUSED(1, "@cmdarg: \"default\" 1 is not the initial value of \"bss_val_1\" "
			     "(ecli starts from the initial value: make them the same)"));
	CHECK_STR(applied_to(RUNQLAT, "/// @cmdarg {\"default\": true}\n"
				      "const volatile bool targ_ms = false;\n"),
		  REFUSED(1, "@cmdarg: \"default\" true is not the initial value of \"targ_ms\" "
			     "(ecli starts from the initial value: make them the same)"));
	CHECK_STR(applied_to(RUNQLAT, "/// @cmdarg {\"default\": false}\n"
				      "const volatile bool targ_ms = false;\n"),
		  "targ_ms {\"default\":false}");
}

TEST(source_options_default_must_parse_as_the_type)
{
#define NOT_AN_INT(json, shown)                                                           \
	{                                                                                 \
		"/// @cmdarg {\"default\": " json "}\nconst volatile int const_val_1;\n", \
			REFUSED(1, "@cmdarg: \"default\": '" shown "' is not an integer") \
	}
	static const struct unit_case cases[] = {
		NOT_AN_INT("\"x\"", "x"),
		NOT_AN_INT("1.5", "1.5"),
		NOT_AN_INT("true", "true"),
	};
#undef NOT_AN_INT

	CHECK_CASES(applied, cases);
}

TEST(source_options_long_names_are_one_options)
{
	CHECK_STR(
		applied("/// @cmdarg {\"long\": \"pid\"}\nconst volatile int const_val_1;\n"
			"/// @cmdarg {\"long\": \"pid\"}\nconst volatile long long const_val_2;\n"),
		REFUSED(3, "@cmdarg: --pid is the option of both \"const_val_1\" and "
			   "\"const_val_2\""));
	/* a variable without a long name is --its name; the line is the @cmdarg's that clashes */
	CHECK_STR(applied("\n/// @cmdarg {\"long\": \"const_val_2\"}\nconst volatile int "
			  "const_val_1;\n"),
		  REFUSED(2, "@cmdarg: --const_val_2 is the option of both \"const_val_1\" and "
			     "\"const_val_2\""));
	/* every data section's variables are options, .bss's too */
	CHECK_STR(
		applied("/// @cmdarg {\"long\": \"bss_val_1\"}\nconst volatile int const_val_1;\n"),
		REFUSED(1, "@cmdarg: --bss_val_1 is the option of both \"const_val_1\" and "
			   "\"bss_val_1\""));
	/* ecc's dummy variables are not */
	CHECK_STR(applied("/// @cmdarg {\"long\": \"__eunomia_dummy_OutData_ptr\"}\n"
			  "const volatile int const_val_1;\n"),
		  "const_val_1 {\"long\":\"__eunomia_dummy_OutData_ptr\"}");
	/* names differ by case */
	CHECK_STR(applied("/// @cmdarg {\"long\": \"Const_val_2\"}\nconst volatile int "
			  "const_val_1;\n"),
		  "const_val_1 {\"long\":\"Const_val_2\"}");
}

TEST(source_options_short_names_are_one_options)
{
	CHECK_STR(applied("/// @cmdarg {\"short\": \"p\"}\nconst volatile int const_val_1;\n"
			  "\n"
			  "/// @cmdarg {\"short\": \"p\", \"long\": \"other\"}\n"
			  "const volatile long long const_val_2;\n"),
		  REFUSED(4,
			  "@cmdarg: -p is the option of both \"const_val_1\" and \"const_val_2\""));
	CHECK_STR(
		applied("/// @cmdarg {\"short\": \"p\"}\nconst volatile int const_val_1;\n"
			"/// @cmdarg {\"short\": \"P\"}\nconst volatile long long const_val_2;\n"),
		"const_val_1 {\"short\":\"p\"}; const_val_2 {\"short\":\"P\"}");
}

TEST(source_options_the_skeleton_keeps_its_own_copy)
{
	struct package pkg;
	struct source_scan scan;
	struct bpf_object *obj;
	struct diag d = {""};
	cJSON *skel, *var;
	char *json;

	if (package_read_file(SIMPLE_PROG_3, &pkg, &d)) {
		CHECK(!"simple_prog_3 reads (run from the repository root)");
		return;
	}
	CHECK(source_scan(PATH, "/// @cmdarg {\"long\": \"x\"}\nconst volatile int const_val_1;\n",
			  &scan, &d) == 0);
	skel = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(pkg.meta, "bpf_skel"), true);
	obj = bpf_object__open_mem(pkg.object, pkg.object_size, NULL);
	CHECK(skel && obj && scan.nr_vars == 1);
	if (skel && obj && scan.nr_vars == 1) {
		CHECK(source_options_apply(skel, &scan, obj, &d) == 0);
		source_scan_free(&scan); /* the scan's cmdarg goes; the skeleton's stays */
		var = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(skel, "data_sections"),
					 0);
		var = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(var, "variables"), 0);
		json = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(var, "cmdarg"));
		CHECK_STR(json, "{\"long\":\"x\"}");
		free(json);
	}
	source_scan_free(&scan);
	bpf_object__close(obj);
	cJSON_Delete(skel);
	package_free(&pkg);
}
