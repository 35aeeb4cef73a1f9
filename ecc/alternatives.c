// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "alternatives.h"

#define MAX_PROGS 256

/* How a section prefix hooks an event: which event ("tp:X", "entry:F", "exit:F"), how cheap. */
struct hook_kind {
	const char *prefix;
	const char *event; /* the event's kind */
	bool category;	   /* tp/CATEGORY/X: the name is after the category */
	const char *family;
	int rank; /* tried first: 0 */
};

static const struct hook_kind kinds[] = {
	{"tp_btf/", "tp", false, "tp_btf", 0},
	{"raw_tp/", "tp", false, "raw_tp", 1},
	{"raw_tp.w/", "tp", false, "raw_tp", 1},
	{"raw_tracepoint/", "tp", false, "raw_tp", 1},
	{"raw_tracepoint.w/", "tp", false, "raw_tp", 1},
	{"tp/", "tp", true, "tracepoint", 2},
	{"tracepoint/", "tp", true, "tracepoint", 2},
	{"fentry/", "entry", false, "fentry", 0},
	{"fentry.s/", "entry", false, "fentry", 0},
	{"kprobe/", "entry", false, "kprobe", 1},
	{"fexit/", "exit", false, "fentry", 0},
	{"fexit.s/", "exit", false, "fentry", 0},
	{"kretprobe/", "exit", false, "kprobe", 1},
};

struct hooked {
	const char *prog;
	const struct hook_kind *kind;
	char event[160];
	int levels; /* program types hooking its event: 1, no alternative */
	int level;  /* its type's place among them, the cheapest 0 */
};

/* The program's event and kind, or false for a section no alternative can stand for. */
static bool classify(const struct bpf_program *p, struct hooked *h)
{
	const char *sec = bpf_program__section_name(p), *name;
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strncmp(sec, kinds[i].prefix, strlen(kinds[i].prefix)))
			continue;
		name = sec + strlen(kinds[i].prefix);
		if (kinds[i].category)
			name = strchr(name, '/') ? strchr(name, '/') + 1 : "";
		/* an offset (kprobe/F+8) or an empty name is no event another type can hook */
		if (!*name || strpbrk(name, "+/:"))
			return false;
		h->prog = bpf_program__name(p);
		h->kind = &kinds[i];
		snprintf(h->event, sizeof(h->event), "%s:%s", kinds[i].event, name);
		return true;
	}
	return false;
}

/* Each program's place among the program types hooking its event, cheapest first. */
static void place_all(struct hooked *h, int n)
{
	unsigned int ranks;
	int i, j;

	for (i = 0; i < n; i++) {
		for (ranks = 0, j = 0; j < n; j++)
			if (!strcmp(h[j].event, h[i].event))
				ranks |= 1u << h[j].kind->rank;
		h[i].levels = __builtin_popcount(ranks);
		h[i].level = __builtin_popcount(ranks & ((1u << h[i].kind->rank) - 1));
	}
}

/* Variant v holds h's level v of its event, or its last for an event with fewer. */
static bool in_variant(const struct hooked *h, int v)
{
	return h->levels > 1 && h->level == (v < h->levels ? v : h->levels - 1);
}

static int add_name(char *name, size_t size, const char *family)
{
	const char *p = strstr(name, family);
	size_t len = strlen(family);

	if (p && (p == name || p[-1] == '+') && (!p[len] || p[len] == '+'))
		return 0;
	return snprintf(name + strlen(name), size - strlen(name), "%s%s", *name ? "+" : "",
			family) < 0;
}

static cJSON *variant(const struct hooked *h, int n, int v, FILE *log)
{
	cJSON *obj = cJSON_CreateObject(), *progs = cJSON_CreateArray();
	char name[64] = "";
	int i;

	for (i = 0; obj && progs && i < n; i++) {
		if (!in_variant(&h[i], v))
			continue;
		add_name(name, sizeof(name), h[i].kind->family);
		if (!cJSON_AddItemToArray(progs, cJSON_CreateString(h[i].prog)))
			break;
	}
	if (!obj || !progs || i < n || !cJSON_AddStringToObject(obj, "name", name)) {
		cJSON_Delete(obj);
		cJSON_Delete(progs);
		return NULL;
	}
	cJSON_AddItemToObject(obj, "programs", progs);
	if (log) {
		char *list = cJSON_PrintUnformatted(progs);

		fprintf(log, "ecc: hook variant %d inferred from alternative programs: %s %s\n",
			v + 1, name, list ? list : "");
		free(list);
	}
	return obj;
}

int alternatives_infer(struct bpf_object *obj, FILE *log, cJSON **variants, struct diag *d)
{
	struct hooked *h = calloc(MAX_PROGS, sizeof(*h));
	int n = 0, levels = 1, i, v, err = 0;
	struct bpf_program *p;
	cJSON *one;

	*variants = NULL;
	if (!h)
		return diag_set(d, -ENOMEM, "out of memory");
	bpf_object__for_each_program(p, obj)
		if (n < MAX_PROGS && classify(p, &h[n]))
			n++;
	place_all(h, n);
	for (i = 0; i < n; i++)
		levels = h[i].levels > levels ? h[i].levels : levels;
	if (levels > 1 && !(*variants = cJSON_CreateArray()))
		err = diag_set(d, -ENOMEM, "out of memory");
	for (v = 0; !err && levels > 1 && v < levels; v++) {
		one = variant(h, n, v, log);
		if (!one || !cJSON_AddItemToArray(*variants, one)) {
			cJSON_Delete(one);
			err = diag_set(d, -ENOMEM, "out of memory");
		}
	}
	if (err) {
		cJSON_Delete(*variants);
		*variants = NULL;
	}
	free(h);
	return err;
}
