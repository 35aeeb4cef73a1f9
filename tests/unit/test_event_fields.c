// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ecc's events.fields: the struct they describe is appended to the object's BTF, laid out as C
 * lays it out, the object's .BTF moved to its end and the result still a sound object; what
 * cannot be described is refused in one line.
 */
#include <errno.h>
#include <stdlib.h>
#include <bpf/btf.h>
#include <cjson/cJSON.h>
#include "object/object_check.h"
#include "event_fields.h"
#include "tiny_object.h"
#include "unit.h"

/* The tiny object with fields (JSON) added as struct type; NULL with d set when refused. */
static struct btf *add(const char *type, const char *fields_json, struct diag *d)
{
	struct test_object o;
	cJSON *fields = cJSON_Parse(fields_json);
	const void *data;
	struct btf *btf = NULL;
	void *out = NULL;
	size_t size = 0, len;

	test_object_build(&o, NULL);
	if (!event_fields_add(o.buf, o.size, type, fields, &out, &size, d)) {
		CHECK(size > o.size);
		CHECK(object_check(out, size, d) == 0);
		if (!object_btf_section(out, size, &data, &len, d))
			btf = btf__new(data, len);
		CHECK(btf != NULL);
	}
	free(out);
	cJSON_Delete(fields);
	test_object_free(&o);
	return btf;
}

/* Member i of struct type in btf: its name and byte offset. */
static void member_at(const struct btf *btf, int id, int i, const char *name, unsigned int off)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m = btf_members(t) + i;

	CHECK_STR(btf__name_by_offset(btf, m->name_off), name);
	CHECK(btf_member_bit_offset(t, i) == off * 8);
}

TEST(event_fields_add_a_struct_laid_out_as_c)
{
	struct diag d = {""};
	struct btf *btf = add("ev2",
			      "[{\"name\": \"pid\", \"type\": \"u32\"},"
			      " {\"name\": \"comm\", \"type\": \"char[16]\"},"
			      " {\"name\": \"ts\", \"type\": \"u64\"},"
			      " {\"name\": \"port\", \"type\": \"u16\"},"
			      " {\"name\": \"addr\", \"type\": \"u128\"}]",
			      &d);
	const struct btf_type *t, *comm;
	int id;

	if (!btf) {
		fprintf(stderr, "    %s\n", d.msg);
		CHECK(!"the struct is added");
		return;
	}
	id = btf__find_by_name_kind(btf, "ev2", BTF_KIND_STRUCT);
	CHECK(id >= NR_TEST_TYPES);
	t = btf__type_by_id(btf, id);
	/* pid 0, comm 4..19, ts 24, port 32, addr 48 (16-aligned), size 64 */
	CHECK(t && btf_vlen(t) == 5 && t->size == 64);
	member_at(btf, id, 0, "pid", 0);
	member_at(btf, id, 1, "comm", 4);
	member_at(btf, id, 2, "ts", 24);
	member_at(btf, id, 3, "port", 32);
	member_at(btf, id, 4, "addr", 48);
	comm = btf__type_by_id(btf, btf_members(t)[1].type);
	CHECK(btf_is_array(comm) && btf_array(comm)->nelems == 16);
	CHECK_STR(btf__name_by_offset(btf, btf__type_by_id(btf, btf_array(comm)->type)->name_off),
		  "char");
	/* the object's own types keep their ids and names */
	CHECK(btf__find_by_name_kind(btf, "event", BTF_KIND_STRUCT) == T_EVENT);
	CHECK(btf__find_by_name_kind(btf, "int", BTF_KIND_INT) == T_INT);
	btf__free(btf);
}

TEST(event_fields_refuse_what_they_cannot_describe)
{
	static const struct {
		const char *type, *fields, *msg;
	} cases[] = {
		{"event", "[{\"name\": \"pid\", \"type\": \"s32\"}]",
		 "events.fields: the object's BTF already has struct event: events.type alone "
		 "names it"},
		{"ev2", "[{\"name\": \"pid\", \"type\": \"u7\"}]",
		 "events.fields[0].type: \"u7\" is not u8, s8, u16, s16, u32, s32, u64, s64, u128, "
		 "s128, char or bool, nor an array of one (char[16])"},
		{"ev2", "[{\"name\": \"comm\", \"type\": \"char[0]\"}]",
		 "events.fields[0].type: \"char[0]\": an array is T[N], N from 1 to 65536"},
		{"ev2", "[{\"name\": \"comm\", \"type\": \"char[16\"}]",
		 "events.fields[0].type: \"char[16\": an array is T[N], N from 1 to 65536"},
		{"ev2",
		 "[{\"name\": \"a\", \"type\": \"u8\"}, {\"name\": \"a\", \"type\": \"u8\"}]",
		 "events.fields[1].name: \"a\" is named twice"},
		{"ev2", "[{\"name\": \"a\", \"type\": \"u8\", \"offset\": 3}]",
		 "events.fields[0]: must be {\"name\": NAME, \"type\": TYPE}, nothing else"},
		{"ev2", "[]", "events.fields: must be a list of the event's members"},
		{"ev2", "{}", "events.fields: must be a list of the event's members"},
		{NULL, "[{\"name\": \"a\", \"type\": \"u8\"}]",
		 "events.fields: events.type must name the struct"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag d = {""};
		struct btf *btf = add(cases[i].type, cases[i].fields, &d);

		CHECK(!btf);
		CHECK_STR(d.msg, cases[i].msg);
		btf__free(btf);
	}
}
