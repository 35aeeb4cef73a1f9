// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * source_doc (ecc): one `///` block read for the global below it: text lines are its help,
 * @description adds to it, @cmdarg {...} gives the option's names (its JSON may continue on
 * the following lines); every refusal is one line naming path:line.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include "source_doc.h"
#include "unit.h"

#define PATH	   "d.bpf.c"
#define FIRST_LINE 10 /* the block's first line */

static char result[2048];

/*
 * Reads the block of the given lines (NULL-terminated; text after the "///") for an option
 * (a const volatile global) or another global named "opt": "description" (or "-" without),
 * then " @line {cmdarg}" when there is one; "refused: message" when the block is refused.
 */
static const char *doc(bool option, ...)
{
	struct doc_block b = {NULL, 0, 0};
	struct source_var v = {.name = "opt"};
	struct diag d = {""};
	const char *line;
	va_list ap;
	int err = 0;

	va_start(ap, option);
	while (!err && (line = va_arg(ap, const char *)))
		err = doc_block_add(&b, line, strlen(line), FIRST_LINE + b.nr);
	va_end(ap);
	err = err ?: doc_block_read(&b, PATH, option, &v, &d);
	if (err) {
		snprintf(result, sizeof(result), "refused: %s", d.msg);
		CHECK(!v.description); /* a refused block leaves no help behind */
	} else {
		char *json = v.cmdarg ? cJSON_PrintUnformatted(v.cmdarg) : NULL;

		snprintf(result, sizeof(result), "%s", v.description ?: "-");
		if (json)
			snprintf(result + strlen(result), sizeof(result) - strlen(result),
				 " @%d %s", v.cmdarg_line, json);
		free(json);
	}
	free(v.description);
	cJSON_Delete(v.cmdarg); /* the caller's, also after a refusal */
	cJSON_Delete(v.sample);
	free(b.lines);
	return result;
}

#define OPTION(...)	   doc(true, __VA_ARGS__, NULL)
#define GLOBAL(...)	   doc(false, __VA_ARGS__, NULL)
#define REFUSED(line, msg) "refused: " PATH ":" #line ": " msg

/* One line of an option's block, for tables of cases. */
static const char *option1(const char *line)
{
	return OPTION(line);
}

TEST(doc_block_grows_and_clear_empties_it)
{
	struct doc_block b = {NULL, 0, 0};
	const char *text = "0123456789";
	int i;

	for (i = 0; i < 20; i++)
		CHECK(doc_block_add(&b, text + i % 10, 1, 100 + i) == 0);
	CHECK(b.nr == 20 && b.cap >= 20);
	CHECK(b.lines[19].text == text + 9 && b.lines[19].len == 1 && b.lines[19].line == 119);
	CHECK(b.lines[0].text == text && b.lines[0].line == 100);
	doc_block_clear(&b);
	CHECK(b.nr == 0 && b.lines != NULL);
	CHECK(doc_block_add(&b, "x", 1, 7) == 0 && b.nr == 1 && b.lines[0].line == 7);
	free(b.lines);
}

TEST(doc_block_cmdarg_line_is_the_first_cmdarg)
{
	struct doc_block b = {NULL, 0, 0};

	CHECK(doc_block_cmdarg_line(&b) == 0);
	doc_block_add(&b, " text @cmdarg {}", 16, 1); /* not at the line's start */
	doc_block_add(&b, " @cmdargs {}", 12, 2);     /* another command */
	doc_block_add(&b, " @cmdarg_x {}", 13, 3);
	CHECK(doc_block_cmdarg_line(&b) == 0);
	doc_block_add(&b, "\t @cmdarg {}", 12, 4);
	doc_block_add(&b, " @cmdarg {}", 11, 5);
	CHECK(doc_block_cmdarg_line(&b) == 4);
	doc_block_clear(&b);
	doc_block_add(&b, "@cmdarg", 7, 9); /* the command alone, JSON or not */
	CHECK(doc_block_cmdarg_line(&b) == 9);
	free(b.lines);
}

TEST(doc_text_lines_are_trimmed_and_joined)
{
	CHECK_STR(GLOBAL(" A long option", " spread over", "", "  \t ", " four lines.  "),
		  "A long option spread over four lines.");
	CHECK_STR(OPTION(" one"), "one");
	CHECK_STR(OPTION("", " "), "-"); /* blank lines give no help */
	CHECK_STR(OPTION(" inner   spaces  kept"), "inner   spaces  kept");
	CHECK_STR(OPTION(" an email@example.com is text"), "an email@example.com is text");
	CHECK_STR(OPTION(" a line ending in CR\r", "\r"), "a line ending in CR");
}

TEST(doc_text_of_many_lines)
{
	struct doc_block b = {NULL, 0, 0};
	struct source_var v = {.name = "opt"};
	struct diag d = {""};
	char want[64 * 3] = "";
	int i;

	for (i = 0; i < 64; i++) {
		doc_block_add(&b, " ab", 3, i + 1);
		strcat(want, i ? " ab" : "ab");
	}
	CHECK(doc_block_read(&b, PATH, true, &v, &d) == 0);
	CHECK_STR(v.description, want);
	free(v.description);
	free(b.lines);
}

TEST(doc_description_command)
{
	CHECK_STR(OPTION(" @description \"a bool\"", " and more text"), "a bool and more text");
	CHECK_STR(OPTION(" text first", " @description \"then this\""), "text first then this");
	CHECK_STR(OPTION(" @description plain words, as written "), "plain words, as written");
	CHECK_STR(OPTION(" @description \"a \\\"quoted\\\" \\u00e9 word\""),
		  "a \"quoted\" \xc3\xa9 word");
	CHECK_STR(OPTION(" @description \"never closed"), "\"never closed");
	CHECK_STR(OPTION(" @description"), "-");
	CHECK_STR(OPTION(" @description \"\""), ""); /* an empty string is an empty help */
	CHECK_STR(OPTION("@description\"no space\""), "no space");
	CHECK_STR(GLOBAL(" @description \"for any global\""), "for any global");
}

/* Only a whole JSON string is unquoted: a string followed by more text is taken as written. */
TEST(doc_description_string_with_text_after_it)
{
	CHECK_STR(OPTION(" @description \"Trace\" only this pid"), "\"Trace\" only this pid");
}

TEST(doc_unknown_commands)
{
	CHECK_STR(OPTION(" text", " @sample {}"),
		  REFUSED(11, "unknown @sample above const volatile \"opt\" (known: @description, "
			      "@cmdarg)"));
	CHECK_STR(OPTION(" @param x"),
		  REFUSED(10, "unknown @param above const volatile \"opt\" (known: @description, "
			      "@cmdarg)"));
	CHECK_STR(OPTION(" @ alone"), REFUSED(10, "unknown @ above const volatile \"opt\" (known: "
						  "@description, @cmdarg)"));
	CHECK_STR(OPTION(" @Description \"x\""), /* commands are case-sensitive */
		  REFUSED(10, "unknown @Description above const volatile \"opt\" (known: "
			      "@description, @cmdarg)"));
	/* another global's block (a map's) keeps @sample apart and skips the others */
	CHECK_STR(GLOBAL(" text", " @sample {}", " @param x", " more"), "text more");
}

TEST(doc_cmdarg_on_one_line)
{
	CHECK_STR(OPTION(" @cmdarg {\"default\": 0, \"short\": \"p\", \"long\": \"pid\", "
			 "\"help\": \"the pid\"}"),
		  "- @10 {\"default\":0,\"short\":\"p\",\"long\":\"pid\",\"help\":\"the pid\"}");
	CHECK_STR(OPTION(" Trace this pid only", " @cmdarg {\"long\": \"pid\"}  "),
		  "Trace this pid only @11 {\"long\":\"pid\"}");
	static const struct unit_case cases[] = {
		{" @cmdarg{}", "- @10 {}"},
		{" @cmdarg {\"default\": true}", "- @10 {\"default\":true}"},
		{" @cmdarg {\"default\": \"kill\"}", "- @10 {\"default\":\"kill\"}"},
		{" @cmdarg {\"default\": -1.5}", "- @10 {\"default\":-1.5}"},
	};

	CHECK_CASES(option1, cases);
	/* the block's reader also reads another global's @cmdarg (the scanner refuses it) */
	CHECK_STR(GLOBAL(" @cmdarg {\"long\": \"x\"}"), "- @10 {\"long\":\"x\"}");
}

TEST(doc_cmdarg_continues_until_its_braces_close)
{
	CHECK_STR(OPTION(" @cmdarg {\"long\": \"names\",", "          \"short\": \"n\",",
			 "          \"help\": \"braces } inside { strings\"}", " after: text"),
		  "after: text @10 {\"long\":\"names\",\"short\":\"n\","
		  "\"help\":\"braces } inside { strings\"}");
	CHECK_STR(OPTION(" @cmdarg {\"help\": \"a \\\" } b\",", " \"long\": \"q\"}"),
		  "- @10 {\"help\":\"a \\\" } b\",\"long\":\"q\"}");
	CHECK_STR(OPTION(" @cmdarg {", "", " \"long\": \"x\"", "}"), "- @10 {\"long\":\"x\"}");
	/* a command line ends it, closed or not */
	CHECK_STR(OPTION(" @cmdarg {\"long\": \"x\",", " @description \"d\""),
		  REFUSED(10, "@cmdarg: invalid JSON: {\"long\": \"x\","));
	/* so does the block's end; the lines are joined by one space, cut at 80 characters */
	CHECK_STR(OPTION(" @cmdarg {\"short\": \"t\", \"long\": \"tag\",",
			 " \"default\": \"kill\", \"help\": \"the tag each event carries\""),
		  REFUSED(10, "@cmdarg: invalid JSON: {\"short\": \"t\", \"long\": \"tag\", "
			      "\"default\": \"kill\", \"help\": \"the tag each event car..."));
}

TEST(doc_cmdarg_refusals)
{
	CHECK_STR(OPTION(" @cmdarg [\"p\"]"), REFUSED(10, "@cmdarg: not a JSON object"));
	CHECK_STR(OPTION(" @cmdarg \"p\""), REFUSED(10, "@cmdarg: not a JSON object"));
	CHECK_STR(OPTION(" @cmdarg 5"), REFUSED(10, "@cmdarg: not a JSON object"));
	CHECK_STR(OPTION(" text", " @cmdarg"),
		  REFUSED(11, "@cmdarg: a JSON object must follow it"));
	CHECK_STR(OPTION(" @cmdarg   "), REFUSED(10, "@cmdarg: a JSON object must follow it"));
	/* the JSON starts on the command's own line: on the next, it came too late */
	CHECK_STR(OPTION(" @cmdarg", " {\"long\": \"x\"}"),
		  REFUSED(10, "@cmdarg: a JSON object must follow it"));
	CHECK_STR(OPTION(" @cmdarg {\"default\": 0, \"short\": \"p\", \"long\": \"pid\",}"),
		  REFUSED(10, "@cmdarg: invalid JSON: {\"default\": 0, \"short\": \"p\", \"long\": "
			      "\"pid\",}"));
	/* the object and nothing after it: trailing text is a mistake, not a comment */
	CHECK_STR(OPTION(" @cmdarg {\"long\": \"x\"} the pid"),
		  REFUSED(10, "@cmdarg: invalid JSON: {\"long\": \"x\"} the pid"));
	CHECK_STR(OPTION(" @cmdarg {\"long\": \"x\"}}"),
		  REFUSED(10, "@cmdarg: invalid JSON: {\"long\": \"x\"}}"));
	CHECK_STR(OPTION(" @cmdarg {\"long\": \"x\"}", " text", " @cmdarg {\"long\": \"y\"}"),
		  REFUSED(12, "a second @cmdarg for \"opt\""));
}

TEST(doc_cmdarg_unknown_keys_suggest_the_nearest)
{
	static const struct unit_case cases[] = {
		{" @cmdarg {\"lnog\": \"pid\"}",
		 REFUSED(10, "@cmdarg: unknown key \"lnog\" (did you mean \"long\"?)")},
		{" @cmdarg {\"sohrt\": \"p\"}",
		 REFUSED(10, "@cmdarg: unknown key \"sohrt\" (did you mean \"short\"?)")},
		/* a known key's start */
		{" @cmdarg {\"def\": 1}",
		 REFUSED(10, "@cmdarg: unknown key \"def\" (did you mean \"default\"?)")},
	};

	CHECK_CASES(option1, cases);
	CHECK_STR(OPTION(" @cmdarg {\"defaults\": 1}"),
		  REFUSED(10, "@cmdarg: unknown key \"defaults\" (did you mean \"default\"?)"));
	CHECK_STR(OPTION(" @cmdarg {\"Long\": \"x\"}"), /* keys are case-sensitive */
		  REFUSED(10, "@cmdarg: unknown key \"Long\" (did you mean \"long\"?)"));
	CHECK_STR(OPTION(" @cmdarg {\"metavar\": \"PID\"}"),
		  REFUSED(10, "@cmdarg: unknown key \"metavar\" (known: default, long, short, "
			      "help)"));
	CHECK_STR(OPTION(" @cmdarg {\"\": 1}"),
		  REFUSED(10, "@cmdarg: unknown key \"\" (known: default, long, short, help)"));
	CHECK_STR(OPTION(" @cmdarg {\"a_key_much_longer_than_any_known_key\": 1}"),
		  REFUSED(10, "@cmdarg: unknown key \"a_key_much_longer_than_any_known_key\" "
			      "(known: default, long, short, help)"));
	/* the first mistake is the one named */
	CHECK_STR(OPTION(" @cmdarg {\"long\": \"x\", \"lnog\": \"y\", \"metavar\": 1}"),
		  REFUSED(10, "@cmdarg: unknown key \"lnog\" (did you mean \"long\"?)"));
}

/* Each of values as key's value in an @cmdarg: refused with msg, or (msg NULL) kept. */
static void check_cmdarg_values(const char *key, const char *const *values, size_t n,
				const char *msg)
{
	char line[128], want[256];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(line, sizeof(line), " @cmdarg {\"%s\": %s}", key, values[i]);
		if (msg)
			snprintf(want, sizeof(want), "refused: " PATH ":10: %s", msg);
		else
			snprintf(want, sizeof(want), "- @10 {\"%s\":%s}", key, values[i]);
		CHECK_STR(OPTION(line), want);
	}
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

TEST(doc_cmdarg_values_are_checked)
{
	static const char long_msg[] = "@cmdarg: \"long\" must be an option name such as \"pid\" "
				       "(letters, digits, - and _; not \"help\")";
	static const char short_msg[] =
		"@cmdarg: \"short\" must be one letter or digit other than \"h\"";
	static const char *const bad_long[] = {"\"--pid\"", "\"-p\"",  "\"\"", "\"help\"",
					       "\"a b\"",   "\"a=b\"", "7",    "null"};
	static const char *const good_long[] = {"\"pid\"", "\"pid-ns_2\"", "\"Help\"", "\"7\"",
						"\"p-\""};
	static const char *const bad_short[] = {"\"h\"", "\"pp\"", "\"\"", "\"-\"",
						"\"_\"", "5",	   "true"};
	static const char *const good_short[] = {"\"p\"", "\"P\"", "\"7\"", "\"H\""};
	static const char *const bad_default[] = {"null", "[1]", "{}"};

	check_cmdarg_values("long", bad_long, COUNT(bad_long), long_msg);
	check_cmdarg_values("long", good_long, COUNT(good_long), NULL);
	check_cmdarg_values("short", bad_short, COUNT(bad_short), short_msg);
	check_cmdarg_values("short", good_short, COUNT(good_short), NULL);
	check_cmdarg_values("default", bad_default, COUNT(bad_default),
			    "@cmdarg: \"default\" must be a number, string or bool");
	CHECK_STR(OPTION(" @cmdarg {\"help\": 5}"),
		  REFUSED(10, "@cmdarg: \"help\" must be a string"));
	CHECK_STR(OPTION(" @cmdarg {\"help\": \"\"}"), "- @10 {\"help\":\"\"}");
}

TEST(doc_cmdarg_key_given_twice)
{
	CHECK_STR(OPTION(" @cmdarg {\"long\": \"a\", \"short\": \"a\", \"long\": \"b\"}"),
		  REFUSED(10, "@cmdarg: \"long\" is given twice"));
	/* a bad second value is named before the repetition */
	CHECK_STR(OPTION(" @cmdarg {\"short\": \"a\", \"short\": \"h\"}"),
		  REFUSED(10, "@cmdarg: \"short\" must be one letter or digit other than \"h\""));
}

TEST(doc_refusals_name_the_path_and_the_commands_line)
{
	struct doc_block b = {NULL, 0, 0};
	struct source_var v = {.name = "tag"};
	struct diag d = {""};

	doc_block_add(&b, " text", 5, 41);
	doc_block_add(&b, " @cmdarg {\"long\":", 17, 42);
	doc_block_add(&b, " 1}", 3, 43);
	CHECK(doc_block_read(&b, "dir/killwatch.bpf.c", true, &v, &d) < 0);
	CHECK_STR(d.msg, "dir/killwatch.bpf.c:42: @cmdarg: \"long\" must be an option name such as "
			 "\"pid\" (letters, digits, - and _; not \"help\")");
	CHECK(v.cmdarg_line == 42 && !v.description);
	cJSON_Delete(v.cmdarg);
	free(b.lines);
}

TEST(doc_invalid_json_is_cut_and_stays_one_line)
{
	char line[400], want[512];

	/* a long line is quoted up to 80 characters */
	snprintf(line, sizeof(line), " @cmdarg {\"help\": \"%0300d\"", 0);
	snprintf(want, sizeof(want), "refused: " PATH ":10: @cmdarg: invalid JSON: %.80s...",
		 line + 9);
	CHECK_STR(OPTION(line), want);
	/* exactly 80 are quoted whole */
	snprintf(line, sizeof(line), " @cmdarg {\"help\": \"%067d\",}", 0);
	CHECK(strlen(line + 9) == 80);
	snprintf(want, sizeof(want), "refused: " PATH ":10: @cmdarg: invalid JSON: %s", line + 9);
	CHECK_STR(OPTION(line), want);
	/* control bytes are escaped */
	CHECK_STR(OPTION(" @cmdarg {\"help\": \"a\x1b[2Jb\"}}"),
		  REFUSED(10, "@cmdarg: invalid JSON: {\"help\": \"a\\x1b[2Jb\"}}"));
}
