// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * source_scan (ecc): the `///` block directly above each global and the structs a source
 * defines at file scope, read without compiling; comments, literals, directives, anonymous and
 * nested structs are no definitions, and every refusal is one line naming path:line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "source_scan.h"
#include "unit.h"

#define PATH "t.bpf.c"

static char summary[4096];

#define put(...) unit_append(summary, sizeof(summary), __VA_ARGS__)

/* "refused: message" when the scan fails, else what describe(scan) writes. */
static const char *scanned(const char *text, void (*describe)(const struct source_scan *s))
{
	struct source_scan s;
	struct diag d = {""};
	int err = source_scan(PATH, text, &s, &d);

	summary[0] = 0;
	if (err) {
		/* a refused scan is freed: nothing is left to free or to read */
		if (s.vars || s.structs || s.nr_vars || s.nr_structs)
			put("(scan not freed) ");
		put("refused: %s", d.msg);
		return summary;
	}
	describe(&s);
	source_scan_free(&s);
	return summary;
}

/* "name:line name:line ..." */
static void describe_structs(const struct source_scan *s)
{
	int i;

	for (i = 0; i < s->nr_structs; i++)
		put("%s%s:%d", i ? " " : "", s->structs[i].name, s->structs[i].line);
}

/* "name:line "description" @cmdarg_line {cmdarg}; ..." (parts only when present) */
static void describe_vars(const struct source_scan *s)
{
	int i;

	for (i = 0; i < s->nr_vars; i++) {
		const struct source_var *v = &s->vars[i];

		put("%s%s:%d", i ? "; " : "", v->name, v->line);
		if (v->description)
			put(" \"%s\"", v->description);
		if (v->cmdarg) {
			char *json = cJSON_PrintUnformatted(v->cmdarg);

			put(" @%d %s", v->cmdarg_line, json);
			free(json);
		} else if (v->cmdarg_line) {
			put(" @%d without a cmdarg", v->cmdarg_line);
		}
	}
}

static const char *structs_of(const char *text)
{
	return scanned(text, describe_structs);
}

static const char *vars_of(const char *text)
{
	return scanned(text, describe_vars);
}

#define NOT_ATTACHED(line)         \
	"refused: " PATH ":" #line \
	": @cmdarg must be directly above a const volatile global variable"

TEST(source_scan_empty_input)
{
	struct source_scan s;
	struct diag d = {""};

	CHECK(source_scan(PATH, "", &s, &d) == 0);
	CHECK(s.nr_vars == 0 && s.nr_structs == 0 && !s.vars && !s.structs);
	CHECK_STR(s.path, PATH);
	source_scan_free(&s);
	source_scan_free(&s); /* freeing twice is harmless: the scan is emptied */
	CHECK_STR(structs_of(" \n\t\n// only a comment\n/* and another */\n"), "");
	CHECK_STR(vars_of("/// a block documenting nothing\n"), "");
	CHECK_STR(vars_of("///"), "");
	CHECK_STR(d.msg, "");
}

TEST(source_scan_named_structs_in_order_with_their_lines)
{
	CHECK_STR(structs_of("struct first {\n\tint a;\n};\n"
			     "\n"
			     "struct second {\n"
			     "\tstruct inner { int x; } in;\n" /* nested: not at file scope */
			     "\tstruct { int y; } anon;\n"
			     "};\n"
			     "typedef struct third { int z; } third_t;\n"
			     "struct fourth { int w; } __attribute__((packed));\n"
			     "struct\nfifth\n{ int v; };\n"),
		  "first:1 second:5 third:9 fourth:10 fifth:12");
}

TEST(source_scan_anonymous_forward_and_used_structs_define_nothing)
{
	CHECK_STR(structs_of("struct {\n"
			     "\t__uint(type, BPF_MAP_TYPE_HASH);\n"
			     "\t__type(key, struct key_t);\n"
			     "} counts SEC(\".maps\");\n"
			     "typedef struct { int a; } anon_t;\n"
			     "struct fwd;\n"
			     "struct used *ptr;\n"
			     "struct used value = {};\n"
			     "struct used value2 = { .a = { 1 } };\n"
			     "struct used *make(void) { struct local { int b; } l; return 0; }\n"
			     "int f(struct used *u) { return sizeof(struct used); }\n"
			     "EXPORT_EVENT_TYPE(struct used);\n"),
		  "");
}

TEST(source_scan_comments_hide_structs)
{
	CHECK_STR(structs_of("// struct in_line { int a; };\n"
			     "/* struct in_block { int b; }; */\n"
			     "/*\n * struct spanning { int c; };\n */\n"
			     "//// struct four_slashes { int d; };\n"
			     "/* looks /* nested */ struct after_nested { int e; };\n"
			     "// continued \\\nstruct continued_comment { int f; };\n"
			     "// not continued \\ here\n"
			     "struct real { int g; };\n"
			     "struct /* a comment between */ spaced /* and here */ { int h; };\n"),
		  "after_nested:7 real:11 spaced:12");
}

TEST(source_scan_literals_hide_structs_and_comments)
{
	CHECK_STR(structs_of("static const char url[] = \"http://x/ struct s1 { /* not\";\n"
			     "struct after_string { int a; };\n"
			     "char q = '\"'; struct after_quote { int b; };\n"
			     "char e = '\\''; struct after_escaped_quote { int c; };\n"
			     "char *t = \"esc \\\" struct s2 { \\\\\"; struct after_escapes { int "
			     "d; };\n"
			     "char *u = \"/* \"; struct after_open_comment { int f; }; char *v = "
			     "\" */\";\n"
			     "char w = '{'; struct after_brace { int g; };\n"),
		  "after_string:2 after_quote:3 after_escaped_quote:4 after_escapes:5 "
		  "after_open_comment:6 after_brace:7");
	/* a `///` inside a string documents nothing */
	CHECK_STR(vars_of("char s[] = \"/// @cmdarg {}\";\nconst volatile int x = 1;\n"), "");
	/* a string continued with backslash-newline counts its lines */
	CHECK_STR(structs_of("char s[] = \"a\\\nb\";\nstruct after { int a; };\n"), "after:3");
}

TEST(source_scan_directives_hide_structs)
{
	CHECK_STR(structs_of("#include \"vmlinux.h\"\n"
			     "#define ONE struct one { int a; }\n"
			     "#define DECLARE(n)     \\\n"
			     "\tstruct n {     \\\n"
			     "\t\tint x; \\\n"
			     "\t}\n"
			     "  #  if 0\n"
			     "/* c */ #define TWO struct two {\n"
			     "#endif\n"
			     "struct after { int b; };\n"
			     "int x = 2 # 1;\n" /* a '#' not at a line's start is punctuation */
			     "struct last { int c; };\n"),
		  "after:10 last:12");
	/* a struct can still be defined on a line after a directive ends */
	CHECK_STR(structs_of("#if 1\nstruct a { int x; };\n#else\nstruct b { int y; };\n#endif\n"),
		  "a:2 b:4");
}

TEST(source_scan_line_numbers_count_every_newline)
{
	CHECK_STR(vars_of("/* one\n two\n three */\n"
			  "#define M(x) \\\n  (x)\n"
			  "int f(void)\n{\n\treturn 0;\n}\n"
			  "/// documented\n"
			  "const volatile int x = 1;\n"
			  "struct s { int a; };\n"
			  "/// @cmdarg {\"long\": \"why\",\n"
			  "///          \"short\": \"w\"}\n"
			  "const volatile int\n"
			  "\ty = 0;\n"),
		  "x:11 \"documented\"; y:15 @13 {\"long\":\"why\",\"short\":\"w\"}");
}

TEST(source_scan_doc_block_documents_the_global_below)
{
	/* tricky.bpf.c's globals, as the Python suite checks them in the package */
	CHECK_STR(vars_of("/// A long option\n"
			  "/// spread over\n"
			  "///\n"
			  "/// four lines.\n"
			  "static const volatile unsigned long long min_value = 7;\n"
			  "\n"
			  "/// @cmdarg {\"long\": \"names\",\n"
			  "///          \"short\": \"n\",\n"
			  "///          \"help\": \"braces } inside { strings\"}\n"
			  "const volatile char names[2][8] = {\"a\", \"b\"};\n"
			  "\n"
			  "/// A plain global gets its help too\n"
			  "volatile __u64 seen_count = 0;\n"
			  "\n"
			  "/// @description \"a bool\"\n"
			  "/// and more text\n"
			  "const volatile bool verbose_mode = false;\n"),
		  "min_value:5 \"A long option spread over four lines.\"; "
		  "names:10 @7 {\"long\":\"names\",\"short\":\"n\","
		  "\"help\":\"braces } inside { strings\"}; "
		  "seen_count:13 \"A plain global gets its help too\"; "
		  "verbose_mode:17 \"a bool and more text\"");
	/* qualifiers in either order, around the type */
	CHECK_STR(vars_of("/// a\nvolatile const int a = 1;\n"
			  "/// b\nint const volatile b;\n"
			  "/// c\nstatic volatile const __u32 c SEC(\".rodata\") = 3;\n"),
		  "a:2 \"a\"; b:4 \"b\"; c:6 \"c\"");
}

TEST(source_scan_undocumented_globals_are_not_listed)
{
	static const struct unit_case cases[] = {
		{"const volatile int x = 1;\nvolatile int y;\n", ""},
		/* a blank line, a plain comment or a directive between the block and the global */
		{"/// gap\n\nconst volatile int x = 1;\n", ""},
		{"/// gap\n// plain\nconst volatile int x = 1;\n", ""},
		{"/// gap\n#include \"x.h\"\nconst volatile int x = 1;\n", ""},
	};

	CHECK_CASES(vars_of, cases);
	/* only the block right above counts */
	CHECK_STR(vars_of("/// first\n\n/// second\nconst volatile int x = 1;\n"),
		  "x:4 \"second\"");
	/* a function's comment, and comments on struct members */
	CHECK_STR(vars_of("/// handles it\nint handle(void *ctx)\n{\n\treturn 0;\n}\n"
			  "struct e {\n\t/// the pid\n\tint pid;\n};\n"
			  "/// a prototype\nint g(void);\n"),
		  "int:11 \"a prototype\""); /* a prototype names no variable ecc finds */
	/* a member's comment does not carry over to the global after the struct */
	CHECK_STR(vars_of("struct e {\n\tint a;\n\t/// last member\n};\nconst volatile int x;\n"),
		  "");
}

TEST(source_scan_name_is_the_declared_identifier)
{
	CHECK_STR(
		vars_of("/// two at once: the first\nconst volatile int a = 1, b = 2;\n"
			"/// undefined ones\nconst volatile int c, d;\n"
			"/// attributes first\n__attribute__((unused)) const volatile int e = 0;\n"
			"/// a map\nstruct {\n\t__uint(max_entries, 1);\n} counts SEC(\".maps\");\n"
			"/// an expression\nconst volatile int f = sizeof(int) * (2 + 3);\n"
			"/// a pointer\nconst volatile char *p = 0;\n"),
		"a:2 \"two at once: the first\"; c:4 \"undefined ones\"; "
		"e:6 \"attributes first\"; counts:8 \"a map\"; f:12 \"an expression\"; "
		"p:14 \"a pointer\"");
}

TEST(source_scan_cmdarg_only_above_a_const_volatile_global)
{
	static const char cmdarg[] = "/// @cmdarg {\"long\": \"x\"}\n";
	char text[512];

	CHECK_STR(vars_of("/// @cmdarg {\"long\": \"x\"}\nconst volatile int x = 1;\n"),
		  "x:2 @1 {\"long\":\"x\"}");
#define REFUSED(below, line)                                                      \
	do {                                                                      \
		snprintf(text, sizeof(text), "int before;\n%s%s", cmdarg, below); \
		CHECK_STR(vars_of(text), NOT_ATTACHED(line));                     \
	} while (0)
	REFUSED("SEC(\"tp/x\")\nint handle(void *ctx)\n{\n\treturn 0;\n}\n", 2); /* a function */
	REFUSED("char LICENSE[] SEC(\"license\") = \"GPL\";\n", 2); /* not const volatile */
	REFUSED("const int only_const = 1;\n", 2);
	REFUSED("volatile int only_volatile = 1;\n", 2);
	REFUSED("const volatile int *pointer = 0;\n", 2);
	REFUSED("struct { int a; } map SEC(\".maps\");\n", 2);
	REFUSED("#include \"x.h\"\nconst volatile int x = 1;\n", 2); /* a directive between */
	REFUSED("\nconst volatile int x = 1;\n", 2);		     /* a blank line between */
	REFUSED("int g(void);\n", 2);
	REFUSED("", 2); /* the file's end */
#undef REFUSED
	/* inside a function's body, a struct's definition, a declaration */
	CHECK_STR(vars_of("int f(void)\n{\n\t/// @cmdarg {\"long\": \"x\"}\n\tint y = 0;\n}\n"),
		  NOT_ATTACHED(3));
	CHECK_STR(vars_of("struct e {\n\t/// @cmdarg {\"long\": \"x\"}\n\tint a;\n};\n"),
		  NOT_ATTACHED(2));
	CHECK_STR(vars_of("const volatile int\n/// @cmdarg {\"long\": \"x\"}\nx = 1;\n"),
		  NOT_ATTACHED(2));
	/* an earlier block left without a global is refused at the line of its @cmdarg */
	CHECK_STR(vars_of("/// text\n/// @cmdarg {\"long\": \"x\"}\n\n/// next\n"
			  "const volatile int x = 1;\n"),
		  NOT_ATTACHED(2));
}

TEST(source_scan_unknown_command_above_an_option_is_refused)
{
	CHECK_STR(vars_of("int a;\n/// @sample {}\n/// A word copied\n"
			  "const volatile char tag[8] = \"kill\";\n"),
		  "refused: " PATH ":2: unknown @sample above const volatile \"tag\" (known: "
		  "@description, @cmdarg)");
	/* above another global, commands other than @description are not text */
	CHECK_STR(vars_of("/// @sample {}\n/// A word copied\nchar tag[8] = \"kill\";\n"),
		  "tag:3 \"A word copied\"");
	/* a block's errors come from the block's own reader: an invalid @cmdarg */
	CHECK_STR(vars_of("\n/// @cmdarg [\"p\"]\nconst volatile int x = 1;\n"),
		  "refused: " PATH ":2: @cmdarg: not a JSON object");
}

TEST(source_scan_crlf_line_endings)
{
	CHECK_STR(
		vars_of("// SPDX\r\n"
			"#include \"vmlinux.h\"\r\n"
			"\r\n"
			"/// A long option\r\n"
			"/// over two lines\r\n"
			"const volatile int x = 1;\r\n"
			"/// @cmdarg {\"long\": \"why\",\r\n"
			"///   \"short\": \"w\"}\r\n"
			"const volatile int y = 0;\r\n"),
		"x:6 \"A long option over two lines\"; y:9 @7 {\"long\":\"why\",\"short\":\"w\"}");
	CHECK_STR(structs_of("/* a\r\n b */\r\n// struct no { int a; };\r\n"
			     "struct yes {\r\n\tint b;\r\n};\r\n"),
		  "yes:4");
	CHECK_STR(vars_of("/// @cmdarg {\"long\": \"x\"}\r\n\r\nconst volatile int x = 1;\r\n"),
		  NOT_ATTACHED(1));
}

/*
 * A backslash before CRLF continues a line as one before LF does (for clang and gcc too): the
 * continued lines of a macro or a // comment in a CRLF source are not read as code.
 */
TEST(source_scan_crlf_line_continuation)
{
	CHECK_STR(structs_of("#define DECLARE(n) \\\r\n\tstruct n { \\\r\n\t\tint x; \\\r\n\t}\r\n"
			     "struct real { int a; };\r\n"),
		  "real:5");
	CHECK_STR(structs_of("// continued \\\r\nstruct hidden { int a; };\r\n"
			     "struct real { int a; };\r\n"),
		  "real:3");
}

/* Attributes may stand between "struct" and the tag, or between the tag and the body. */
TEST(source_scan_attributes_before_the_struct_tag)
{
	static const struct unit_case cases[] = {
		{"struct __attribute__((packed)) ev { int a; };\n", "ev:1"},
		{"struct __attribute__((aligned(8))) ev { int a; };\n", "ev:1"},
		{"struct ev __attribute__ ((packed)) { int a; };\n", "ev:1"},
		{"struct __attribute__((packed)) ev x;\nstruct b { int a; };\n", "b:2"},
	};

	CHECK_CASES(structs_of, cases);
}

TEST(source_scan_unterminated_comments_and_literals_end_the_scan_quietly)
{
	CHECK_STR(structs_of("struct a { int x; };\n/* never closed\nstruct b { int y; };\n"),
		  "a:1");
	static const struct unit_case cut_short[] = {
		{"struct a { int x; };\n/*", "a:1"},
		{"struct a { int x; };\nchar *s = \"never closed", "a:1"},
		{"struct a { int x; };\nchar c = '\\", "a:1"},
		{"struct a { int x; };\nchar *s = \"\\", "a:1"},
		{"struct a { int x; };\n#define X \\", "a:1"},
		{"struct a { int x; };\n// comment \\", "a:1"},
		{"struct a { int x; };\n/", "a:1"},
		{"struct a { int x; };\nstruct b {", "a:1 b:2"},
		{"struct a { int x; };\nint f(void) { if (1) {", "a:1"},
	};

	CHECK_CASES(structs_of, cut_short);
	CHECK_STR(vars_of("/// doc\nconst volatile int x = 1"), "x:2 \"doc\"");
	/* a string ends at its line's end: what follows is read again */
	CHECK_STR(structs_of("char *s = \"open\nstruct after { int a; };\n"), "after:2");
}

TEST(source_scan_long_lines)
{
	size_t n = 100000, i;
	char *text = malloc(3 * n + 200), *p = text;
	struct source_scan s;
	struct diag d = {""};

	if (!text) {
		CHECK(!"malloc");
		return;
	}
	p += sprintf(p, "// ");
	for (i = 0; i < n; i++)
		*p++ = i % 7 ? 'c' : '{';
	p += sprintf(p, "\nchar *s = \"");
	for (i = 0; i < n; i++)
		*p++ = i % 5 ? 's' : '/';
	p += sprintf(p, "\";\n/// ");
	for (i = 0; i < n; i++)
		*p++ = 'a' + i % 26;
	p += sprintf(p, "\nconst volatile int x = 1;\nstruct after { int a; };\n");
	CHECK(source_scan(PATH, text, &s, &d) == 0);
	CHECK(s.nr_vars == 1 && s.nr_structs == 1);
	if (s.nr_vars == 1) {
		CHECK_STR(s.vars[0].name, "x");
		CHECK(s.vars[0].line == 4);
		CHECK(s.vars[0].description && strlen(s.vars[0].description) == n &&
		      !strncmp(s.vars[0].description, "abcdefghijklmnopqrstuvwxyzabc", 29));
	}
	if (s.nr_structs == 1) {
		CHECK_STR(s.structs[0].name, "after");
		CHECK(s.structs[0].line == 5);
	}
	source_scan_free(&s);
	free(text);
}

/* A name of n characters: "n" then 'x's. */
static char *long_name(int n)
{
	char *name = malloc(n + 1);

	if (name) {
		memset(name, 'x', n);
		name[0] = 'n';
		name[n] = 0;
	}
	return name;
}

TEST(source_scan_names_longer_than_kept_are_refused)
{
	char *fits = long_name(SOURCE_NAME_MAX - 1), *over = long_name(SOURCE_NAME_MAX);
	char text[1024], want[1024];

	if (!fits || !over) {
		CHECK(!"malloc");
		free(fits);
		free(over);
		return;
	}
	snprintf(text, sizeof(text), "/// doc\nconst volatile int %s = 1;\n", fits);
	snprintf(want, sizeof(want), "%s:2 \"doc\"", fits);
	CHECK_STR(vars_of(text), want);
	snprintf(text, sizeof(text), "/// doc\nconst volatile int %s = 1;\n", over);
	snprintf(want, sizeof(want),
		 "refused: " PATH ":2: \"%.40s...\" is longer than 255 characters", over);
	CHECK_STR(vars_of(text), want);
	/* an undocumented one is not kept: nothing to refuse */
	snprintf(text, sizeof(text), "const volatile int %s = 1;\n", over);
	CHECK_STR(vars_of(text), "");
	snprintf(text, sizeof(text), "struct %s { int a; };\n", fits);
	snprintf(want, sizeof(want), "%s:1", fits);
	CHECK_STR(structs_of(text), want);
	snprintf(text, sizeof(text), "struct a { int a; };\n\nstruct %s { int a; };\n", over);
	snprintf(want, sizeof(want),
		 "refused: " PATH ":3: \"%.40s...\" is longer than 255 characters", over);
	CHECK_STR(structs_of(text), want);
	free(fits);
	free(over);
}

TEST(source_scan_errors_are_one_line)
{
	/* a tab inside the JSON, quoted back in the message, is escaped */
	CHECK_STR(vars_of("/// @cmdarg {\"help\": \"a\tb\",}\nconst volatile int x = 1;\n"),
		  "refused: " PATH ":1: @cmdarg: invalid JSON: {\"help\": \"a\\x09b\",}");
}

TEST(source_scan_tricky_source_of_the_python_suite)
{
	FILE *f = fopen("tests/ecc/scan/tricky.bpf.c", "r");
	static char text[16384];
	size_t len;

	if (!f) {
		CHECK(!"tests/ecc/scan/tricky.bpf.c opens (run from the repository root)");
		return;
	}
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = 0;
	CHECK_STR(structs_of(text), "tricky_event:21");
	CHECK_STR(vars_of(text),
		  "min_value:45 \"A long option spread over four lines.\"; "
		  "names:50 @47 {\"long\":\"names\",\"short\":\"n\","
		  "\"help\":\"braces } inside { strings\"}; "
		  "seen_count:53 \"A plain global gets its help too\"; "
		  "verbose_mode:57 \"a bool and more text\"; "
		  /* a map's statement starts at its "struct {" */
		  "unused_array:60 \"A comment above a map: maps take no help, ecc ignores it\"");
}
