// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* package_parse and package_read_file: every malformed package is refused with a message that
 * names what is wrong; a well-formed one yields its meta and the inflated object. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <zlib.h>
#include "format/base64.h"
#include "format/package_read.h"
#include "tiny_object.h"
#include "unit.h"

#define BINDSNOOP_PACKAGE "build/packages/bindsnoop/package.json"

/* 64 bytes that start like an ELF64 header: no object, which the structural check refuses. */
static void tiny_elf(uint8_t obj[64])
{
	int i;

	memset(obj, 0, 64);
	memcpy(obj, "\177ELF\002\001\001", 7);
	for (i = 16; i < 64; i++)
		obj[i] = (uint8_t)i;
}

/* base64 of the zlib stream of data, as ecc writes bpf_object. */
static char *pack(const void *data, size_t len)
{
	uLongf zlen = compressBound(len);
	uint8_t *z = malloc(zlen);
	char *b64 = NULL;

	if (z && compress2(z, &zlen, data, len, 9) == Z_OK)
		b64 = base64_encode(z, zlen);
	free(z);
	return b64;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* A package document with the given bpf_object and bpf_object_size JSON values. */
static char *doc(const char *object_json, const char *size_json)
{
	return format("{\"bpf_object\": %s, \"bpf_object_size\": %s, \"meta\": {\"bpf_skel\": {}}}",
		      object_json, size_json);
}

/* Parses text; a failure must leave nothing behind in pkg. */
static int parse(const char *text, struct diag *d)
{
	struct package pkg;
	int err;

	memset(&pkg, 0xa5, sizeof(pkg));
	d->msg[0] = 0;
	err = package_parse(text, strlen(text), &pkg, d);
	if (err) {
		CHECK(pkg.root == NULL && pkg.object == NULL && pkg.object_size == 0);
		return err;
	}
	package_free(&pkg);
	return 0;
}

/* Parses a document whose bpf_object holds data; returns the result, message in d. */
static int parse_payload(const void *data, size_t len, const char *size_json, struct diag *d)
{
	char *b64 = pack(data, len), *quoted = format("\"%s\"", b64 ? b64 : ""),
	     *text = doc(quoted, size_json);
	int err = parse(text, d);

	free(text);
	free(quoted);
	free(b64);
	return err;
}

TEST(package_parse_empty_input)
{
	struct package pkg;
	struct diag d = {""};

	CHECK(package_parse("", 0, &pkg, &d) == -EINVAL);
	CHECK_STR(d.msg, "package: empty input");
	CHECK(pkg.root == NULL);
}

TEST(package_parse_not_json)
{
	struct diag d;

	CHECK(parse("not json", &d) == -EINVAL);
	CHECK(!strncmp(d.msg, "package: not valid JSON", 23));
	CHECK(parse("{\"meta\": }", &d) == -EINVAL);
	CHECK_STR(d.msg, "package: not valid JSON (error near byte 9)");
}

TEST(package_parse_top_level_not_object)
{
	struct diag d;

	CHECK(parse("[1]", &d) == -EINVAL);
	CHECK_STR(d.msg, "package: top level is not a JSON object");
	CHECK(parse("\"x\"", &d) == -EINVAL);
	CHECK_STR(d.msg, "package: top level is not a JSON object");
}

TEST(package_parse_meta_missing_or_mistyped)
{
	struct diag d;

	CHECK(parse("{\"bpf_object\": \"\", \"bpf_object_size\": 64}", &d) == -EINVAL);
	CHECK_STR(d.msg, "package: missing key \"meta\"");
	CHECK(parse("{\"meta\": [], \"bpf_object\": \"\", \"bpf_object_size\": 64}", &d) ==
	      -EINVAL);
	CHECK_STR(d.msg, "package: \"meta\" is not an object");
}

TEST(package_parse_bpf_object_missing_or_mistyped)
{
	struct diag d;
	char *text;

	CHECK(parse("{\"meta\": {}, \"bpf_object_size\": 64}", &d) == -EINVAL);
	CHECK_STR(d.msg, "package: missing key \"bpf_object\"");
	text = doc("5", "64");
	CHECK(parse(text, &d) == -EINVAL);
	CHECK_STR(d.msg, "package: \"bpf_object\" is not a string");
	free(text);
	text = doc("null", "64");
	CHECK(parse(text, &d) == -EINVAL);
	CHECK_STR(d.msg, "package: \"bpf_object\" is not a string");
	free(text);
}

TEST(package_parse_bpf_object_size_checks)
{
	static const struct {
		const char *size, *msg;
		int err;
	} cases[] = {
		{"\"64\"", "package: \"bpf_object_size\" is not a number", -EINVAL},
		{"true", "package: \"bpf_object_size\" is not a number", -EINVAL},
		{"0", "package: \"bpf_object_size\" 0 is not a positive integer", -EINVAL},
		{"-64", "package: \"bpf_object_size\" -64 is not a positive integer", -EINVAL},
		{"1.5", "package: \"bpf_object_size\" 1.5 is not a positive integer", -EINVAL},
		{"67108865", "package: \"bpf_object_size\" 67108865 is over the 64 MiB cap",
		 -EFBIG},
	};
	uint8_t obj[64];
	struct diag d;
	size_t i;

	tiny_elf(obj);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(parse_payload(obj, sizeof(obj), cases[i].size, &d) == cases[i].err);
		CHECK_STR(d.msg, cases[i].msg);
	}
	CHECK(parse("{\"meta\": {}, \"bpf_object\": \"\"}", &d) == -EINVAL);
	CHECK_STR(d.msg, "package: missing key \"bpf_object_size\"");
}

TEST(package_parse_size_at_cap_is_checked_against_the_stream)
{
	uint8_t obj[64];
	struct diag d;

	tiny_elf(obj);
	CHECK(parse_payload(obj, sizeof(obj), "67108864", &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: inflates to 64 bytes but bpf_object_size says 67108864");
}

TEST(package_parse_bad_base64)
{
	struct diag d;
	char *text = doc("\"eJz*AAAA\"", "64");

	CHECK(parse(text, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: invalid base64 at character 3");
	free(text);
	text = doc("\"eJzLS\"", "64");
	CHECK(parse(text, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: invalid base64 at character 5");
	free(text);
}

TEST(package_parse_corrupt_zlib)
{
	struct diag d;
	char *b64 = base64_encode("definitely not zlib data", 24);
	char *quoted = format("\"%s\"", b64), *text = doc(quoted, "64");

	CHECK(parse(text, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: corrupt zlib data (incorrect header check)");
	free(text);
	free(quoted);
	free(b64);
}

TEST(package_parse_size_mismatch)
{
	uint8_t obj[64];
	struct diag d;

	tiny_elf(obj);
	CHECK(parse_payload(obj, sizeof(obj), "65", &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: inflates to 64 bytes but bpf_object_size says 65");
	CHECK(parse_payload(obj, sizeof(obj), "63", &d) == -EFBIG);
	CHECK_STR(d.msg, "bpf_object: inflates past its declared bpf_object_size 63");
}

TEST(package_parse_payload_not_elf)
{
	uint8_t obj[64];
	struct diag d;

	memset(obj, 'A', sizeof(obj));
	CHECK(parse_payload(obj, sizeof(obj), "64", &d) == -ENOEXEC);
	CHECK_STR(d.msg, "bpf_object: not an ELF object");
	/* ELF magic but too short for an ELF64 header */
	tiny_elf(obj);
	CHECK(parse_payload(obj, 32, "32", &d) == -ENOEXEC);
	CHECK_STR(d.msg, "bpf_object: not an ELF object");
	obj[4] = 1; /* ELFCLASS32 */
	CHECK(parse_payload(obj, sizeof(obj), "64", &d) == -ENOEXEC);
	CHECK_STR(d.msg, "bpf_object: not a 64-bit ELF object");
}

TEST(package_parse_small_object_ok)
{
	char *b64, *quoted, *text, *size;
	struct test_object obj;
	struct package pkg;
	struct diag d = {""};

	test_object_build(&obj, NULL);
	b64 = pack(obj.buf, obj.size);
	quoted = format("\"%s\"", b64);
	size = format("%zu", obj.size);
	text = doc(quoted, size);
	CHECK(package_parse(text, strlen(text), &pkg, &d) == 0);
	CHECK_STR(d.msg, "");
	CHECK(pkg.object_size == obj.size);
	CHECK(pkg.object && !memcmp(pkg.object, obj.buf, obj.size));
	CHECK(cJSON_IsObject(pkg.meta));
	CHECK(cJSON_GetObjectItemCaseSensitive(pkg.meta, "bpf_skel") != NULL);
	CHECK(pkg.meta == cJSON_GetObjectItemCaseSensitive(pkg.root, "meta"));
	package_free(&pkg);
	CHECK(pkg.root == NULL && pkg.object == NULL);
	free(text);
	free(size);
	free(quoted);
	free(b64);
	test_object_free(&obj);
}

TEST(package_parse_refuses_a_corrupt_object)
{
	struct test_object obj;
	struct diag d;
	char *size, *want;

	/* the corruption: a struct member's type past the last type */
	test_object_build(&obj, NULL);
	*test_object_type_word(&obj, T_EVENT, 4) = obj.nr_types;
	size = format("%zu", obj.size);
	want = format("bpf_object: .BTF type 2 (struct event) member 0 refers to type %u past the "
		      "last type %u",
		      obj.nr_types, obj.nr_types - 1);
	CHECK(parse_payload(obj.buf, obj.size, size, &d) == -EINVAL);
	CHECK_STR(d.msg, want);
	free(want);
	free(size);
	test_object_free(&obj);
}

TEST(package_parse_base64_with_line_breaks)
{
	char *b64 = NULL, *wrapped, *quoted, *text, *size;
	struct test_object obj;
	struct package pkg;
	struct diag d = {""};
	size_t i, n = 0;

	/* some encoders wrap at 76 columns; JSON carries the breaks as \n escapes */
	test_object_build(&obj, NULL);
	b64 = pack(obj.buf, obj.size);
	wrapped = calloc(1, strlen(b64) * 3 + 1);
	for (i = 0; b64[i]; i++) {
		wrapped[n++] = b64[i];
		if (i % 8 == 7) {
			wrapped[n++] = '\\';
			wrapped[n++] = 'n';
		}
	}
	quoted = format("\"%s\"", wrapped);
	size = format("%zu", obj.size);
	text = doc(quoted, size);
	CHECK(package_parse(text, strlen(text), &pkg, &d) == 0);
	CHECK(pkg.object && !memcmp(pkg.object, obj.buf, obj.size));
	package_free(&pkg);
	free(text);
	free(size);
	free(quoted);
	free(wrapped);
	free(b64);
	test_object_free(&obj);
}

/* The package's own "bpf_object_size", read independently of the loader. */
static double declared_size(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0, got;
	cJSON *root;
	double size = -1;

	if (!f)
		return -1;
	do {
		char *grown = realloc(text, cap += 1 << 20);

		if (!grown)
			break;
		text = grown;
		got = fread(text + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	fclose(f);
	root = text ? cJSON_ParseWithLength(text, len) : NULL;
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "bpf_object_size")))
		size = cJSON_GetObjectItemCaseSensitive(root, "bpf_object_size")->valuedouble;
	cJSON_Delete(root);
	free(text);
	return size;
}

TEST(package_read_file_bindsnoop)
{
	double want = declared_size(BINDSNOOP_PACKAGE);
	struct package pkg;
	struct diag d = {""};
	int err = package_read_file(BINDSNOOP_PACKAGE, &pkg, &d);

	CHECK(want > 0);
	CHECK(err == 0);
	if (err) {
		fprintf(stderr, "    %s (run from the repository root after make all)\n", d.msg);
		return;
	}
	CHECK(pkg.object_size == (size_t)want);
	CHECK(!memcmp(pkg.object, "\177ELF\002", 5));
	CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(pkg.meta, "bpf_skel")));
	package_free(&pkg);
}

TEST(package_read_file_missing)
{
	struct package pkg;
	struct diag d = {""};

	CHECK(package_read_file("build/no/such/package.json", &pkg, &d) == -ENOENT);
	CHECK_STR(d.msg, "build/no/such/package.json: No such file or directory");
	CHECK(pkg.root == NULL && pkg.object == NULL);
}

TEST(package_read_file_directory)
{
	struct package pkg;
	struct diag d = {""};

	CHECK(package_read_file("build", &pkg, &d) == -EISDIR);
	CHECK_STR(d.msg, "build: Is a directory");
}

/* A valid package's text with extra made around it: one document, nothing else, counts. */
static int parse_around(const char *before_meta, const char *after_doc, struct diag *d)
{
	struct test_object obj;
	char *b64, *text;
	struct package pkg;
	int err;

	test_object_build(&obj, NULL);
	b64 = pack(obj.buf, obj.size);
	text = format("{\"bpf_object\": \"%s\", \"bpf_object_size\": %zu, %s\"meta\": "
		      "{\"bpf_skel\": {\"obj_name\": \"x\"}}}%s",
		      b64, obj.size, before_meta, after_doc);
	d->msg[0] = 0;
	err = package_parse(text, strlen(text), &pkg, d);
	if (!err)
		package_free(&pkg);
	free(text);
	free(b64);
	test_object_free(&obj);
	return err;
}

TEST(package_parse_is_one_document_and_nothing_else)
{
	struct diag d;

	CHECK(parse_around("", "\n\t \n", &d) == 0);
	CHECK(parse_around("", " {}", &d) == -EINVAL);
	CHECK(!strncmp(d.msg, "package: more after the JSON document (at byte ", 47));
	CHECK(parse_around("", "\n{\"meta\": {}}", &d) == -EINVAL);
	CHECK(!strncmp(d.msg, "package: more after the JSON document", 37));
	CHECK(parse_around("", "x", &d) == -EINVAL);
}

TEST(package_parse_refuses_nul_bytes)
{
	static const char text[] = "{\"meta\": {\"bpf_skel\": {\"obj_name\": \"a\0b\"}}}";
	struct package pkg;
	struct diag d = {""};

	/* a raw NUL would end the string where cJSON reads it */
	CHECK(package_parse(text, sizeof(text) - 1, &pkg, &d) == -EINVAL);
	CHECK_STR(d.msg, "package: a NUL byte at byte 37");
	/* and so would the escape for one */
	CHECK(parse("{\"meta\": {\"bpf_skel\": {\"obj_name\": \"a\\u0000b\"}}}", &d) == -EINVAL);
	CHECK_STR(d.msg, "package: a NUL byte at byte 37");
	/* an escaped backslash followed by u0000 is text, not a NUL */
	CHECK(parse_around("\"x\": \"\\\\u0000\", ", "", &d) == -EINVAL);
	CHECK_STR(d.msg, "package.x: unknown key (expected one of: bpf_object, bpf_object_size, "
			 "arch, arch_objects, btf_for, meta)");
}

TEST(package_parse_refuses_a_key_given_twice)
{
	struct diag d;

	CHECK(parse_around("\"meta\": {}, ", "", &d) == -EINVAL);
	CHECK_STR(d.msg, "package: (top level): key \"meta\" is given twice");
	CHECK(parse("{\"meta\": {\"bpf_skel\": {\"obj_name\": \"a\", \"doc\": {\"brief\": \"x\", "
		    "\"brief\": \"y\"}}}}",
		    &d) == -EINVAL);
	CHECK_STR(d.msg, "package: meta.bpf_skel.doc: key \"brief\" is given twice");
	CHECK(parse("{\"meta\": {\"args\": [{}, {\"short\": \"a\", \"short\": \"b\"}]}}", &d) ==
	      -EINVAL);
	CHECK_STR(d.msg, "package: meta.args[1]: key \"short\" is given twice");
}

/*
 * A package of the tiny object for own_arch ("arch"), with a second copy for other_arch in
 * arch_objects (NULL: none), a byte of its .data changed so that the two can be told apart.
 */
static char *arch_doc(const char *own_arch, const char *other_arch, struct test_object *obj)
{
	char *a = pack(obj->buf, obj->size), *b, *text, *others = NULL;
	uint8_t *data = obj->buf + test_object_section(obj, S_DATA)->sh_offset;

	*data ^= 1;
	b = pack(obj->buf, obj->size);
	*data ^= 1;
	if (other_arch)
		others = format(", \"arch_objects\": {\"%s\": {\"bpf_object\": \"%s\", "
				"\"bpf_object_size\": %zu}}",
				other_arch, b, obj->size);
	text = format("{\"bpf_object\": \"%s\", \"bpf_object_size\": %zu, \"arch\": \"%s\"%s, "
		      "\"meta\": {\"bpf_skel\": {}}}",
		      a, obj->size, own_arch, others ? others : "");
	free(a);
	free(b);
	free(others);
	return text;
}

TEST(package_parse_keeps_the_machines_object)
{
	const char *machine = package_machine_arch();
	struct test_object obj;
	struct package pkg;
	struct diag d = {""};
	size_t off;
	char *text;

	test_object_build(&obj, NULL);
	/* the machine's object is the package's own */
	text = arch_doc(machine, "otherarch", &obj);
	CHECK(package_parse(text, strlen(text), &pkg, &d) == 0);
	CHECK(pkg.object && !memcmp(pkg.object, obj.buf, obj.size));
	CHECK_STR(pkg.arch, machine);
	package_free(&pkg);
	free(text);
	/* ... or in arch_objects: that one is kept, the other never inflated */
	text = arch_doc("otherarch", machine, &obj);
	CHECK(package_parse(text, strlen(text), &pkg, &d) == 0);
	off = test_object_section(&obj, S_DATA)->sh_offset;
	CHECK(pkg.object && pkg.object_size == obj.size &&
	      ((uint8_t *)pkg.object)[off] == (obj.buf[off] ^ 1));
	CHECK_STR(pkg.arch, machine);
	package_free(&pkg);
	/* push and pull check every architecture's and keep the package's own */
	CHECK(package_parse_all(text, strlen(text), &pkg, &d) == 0);
	CHECK(pkg.object && !memcmp(pkg.object, obj.buf, obj.size));
	CHECK_STR(pkg.arch, "otherarch");
	package_free(&pkg);
	free(text);
	test_object_free(&obj);
}

TEST(package_parse_refuses_a_package_without_the_machines_object)
{
	struct test_object obj;
	struct diag d = {""};
	char *text, want[160];

	test_object_build(&obj, NULL);
	text = arch_doc("otherarch", "thirdarch", &obj);
	CHECK(parse(text, &d) == -ENOEXEC);
	snprintf(want, sizeof(want),
		 "package has objects for otherarch, thirdarch; this machine is %s",
		 package_machine_arch());
	CHECK_STR(d.msg, want);
	free(text);
	text = arch_doc("otherarch", NULL, &obj);
	CHECK(parse(text, &d) == -ENOEXEC);
	snprintf(want, sizeof(want), "package has objects for otherarch; this machine is %s",
		 package_machine_arch());
	CHECK_STR(d.msg, want);
	free(text);
	test_object_free(&obj);
}

TEST(package_parse_refuses_malformed_architectures)
{
	static const char *const cases[][2] = {
		{"\"arch_objects\": {}", "package: \"arch_objects\" without \"arch\""},
		{"\"arch\": 5",
		 "package: \"arch\" is not an architecture's name (x86_64, aarch64)"},
		{"\"arch\": \"X86\"",
		 "package: \"arch\" is not an architecture's name (x86_64, aarch64)"},
		{"\"arch\": \"a\", \"arch_objects\": []",
		 "package: \"arch_objects\" is not an object"},
		{"\"arch\": \"a\", \"arch_objects\": {\"a\": {}}",
		 "package: arch_objects.a: is the package's own \"arch\""},
		{"\"arch\": \"a\", \"arch_objects\": {\"b-c\": {}}",
		 "package: arch_objects.b-c: is not an architecture's name"},
		{"\"arch\": \"a\", \"arch_objects\": {\"b\": {\"bpf_objekt\": \"\"}}",
		 "package: arch_objects.b.bpf_objekt: unknown key (did you mean \"bpf_object\"?)"},
	};
	struct test_object obj;
	struct diag d = {""};
	char *b64, *text;
	size_t i;

	test_object_build(&obj, NULL);
	b64 = pack(obj.buf, obj.size);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text = format("{\"bpf_object\": \"%s\", \"bpf_object_size\": %zu, %s, "
			      "\"meta\": {\"bpf_skel\": {}}}",
			      b64, obj.size, cases[i][0]);
		CHECK(parse(text, &d) == -EINVAL);
		CHECK_STR(d.msg, cases[i][1]);
		free(text);
	}
	/* another architecture's object is checked too when every one is */
	free(b64);
	test_object_free(&obj);
}
