// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "source_doc.h"

static const char *const cmdarg_keys[] = {"default", "long", "short", "help"};
#define NR_CMDARG_KEYS (int)(sizeof(cmdarg_keys) / sizeof(cmdarg_keys[0]))

struct text {
	char *s;
	size_t len;
};

int doc_block_add(struct doc_block *b, const char *text, int len, int line)
{
	if (b->nr == b->cap) {
		int cap = b->cap ? 2 * b->cap : 8;
		struct doc_line *lines = realloc(b->lines, cap * sizeof(*lines));

		if (!lines)
			return -ENOMEM;
		b->lines = lines;
		b->cap = cap;
	}
	b->lines[b->nr++] = (struct doc_line){text, len, line};
	return 0;
}

void doc_block_clear(struct doc_block *b)
{
	b->nr = 0;
}

static struct doc_line trimmed(const struct doc_line *l)
{
	struct doc_line t = *l;

	while (t.len && isspace((unsigned char)t.text[0])) {
		t.text++;
		t.len--;
	}
	while (t.len && isspace((unsigned char)t.text[t.len - 1]))
		t.len--;
	return t;
}

/* "@cmdarg {...}": the command's name's length after the '@', or 0 when the line has none. */
static int command_len(const struct doc_line *l)
{
	int n = 1;

	if (!l->len || l->text[0] != '@')
		return 0;
	while (n < l->len && (isalnum((unsigned char)l->text[n]) || l->text[n] == '_'))
		n++;
	return n - 1;
}

static bool is_command(const struct doc_line *l, const char *name)
{
	int n = command_len(l);

	return n && n == (int)strlen(name) && !strncmp(l->text + 1, name, n);
}

int doc_block_cmdarg_line(const struct doc_block *b)
{
	int i;

	for (i = 0; i < b->nr; i++) {
		struct doc_line l = trimmed(&b->lines[i]);

		if (is_command(&l, "cmdarg"))
			return l.line;
	}
	return 0;
}

static int append(struct text *t, const char *s, size_t len, const char *sep)
{
	size_t extra = (t->len ? strlen(sep) : 0) + len;
	char *p = realloc(t->s, t->len + extra + 1);

	if (!p)
		return -ENOMEM;
	t->s = p;
	if (t->len)
		t->len += sprintf(p + t->len, "%s", sep);
	memcpy(p + t->len, s, len);
	t->len += len;
	p[t->len] = 0;
	return 0;
}

/* JSON's braces close: the @cmdarg text is complete (braces inside strings do not count). */
static bool braces_closed(const struct text *t)
{
	bool in_string = false;
	int depth = 0;
	size_t i;

	for (i = 0; i < t->len; i++) {
		char c = t->s[i];

		if (in_string && c == '\\')
			i++;
		else if (c == '"')
			in_string = !in_string;
		else if (!in_string && (c == '{' || c == '['))
			depth++;
		else if (!in_string && (c == '}' || c == ']'))
			depth--;
	}
	return depth <= 0;
}

static int edit_distance(const char *a, const char *b)
{
	int la = strlen(a), lb = strlen(b), row[32], i, j;

	if (la >= 31 || lb >= 31)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		int diag = row[0], up;

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

static int unknown_key(const char *where, const char *key, struct diag *d)
{
	int i, best = -1, best_dist = 3;

	for (i = 0; i < NR_CMDARG_KEYS; i++) {
		int dist = edit_distance(key, cmdarg_keys[i]);

		if (!strncmp(key, cmdarg_keys[i], strlen(key)) && *key)
			dist = 0;
		if (dist < best_dist) {
			best = i;
			best_dist = dist;
		}
	}
	if (best < 0)
		return diag_set(d, -EINVAL,
				"%s: @cmdarg: unknown key \"%s\" (known: default, long, "
				"short, help)",
				where, key);
	return diag_set(d, -EINVAL, "%s: @cmdarg: unknown key \"%s\" (did you mean \"%s\"?)", where,
			key, cmdarg_keys[best]);
}

static bool is_long_name(const char *s)
{
	const char *p;

	if (!*s || *s == '-' || !strcmp(s, "help"))
		return false;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

static int check_cmdarg_value(const char *where, const cJSON *v, struct diag *d)
{
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;

	if (!strcmp(v->string, "default")) {
		if (!cJSON_IsString(v) && !cJSON_IsNumber(v) && !cJSON_IsBool(v))
			return diag_set(d, -EINVAL,
					"%s: @cmdarg: \"default\" must be a number, string or bool",
					where);
	} else if (!strcmp(v->string, "help")) {
		if (!s)
			return diag_set(d, -EINVAL, "%s: @cmdarg: \"help\" must be a string",
					where);
	} else if (!strcmp(v->string, "long")) {
		if (!s || !is_long_name(s))
			return diag_set(
				d, -EINVAL,
				"%s: @cmdarg: \"long\" must be an option name such as \"pid\" "
				"(letters, digits, - and _; not \"help\")",
				where);
	} else if (!s || strlen(s) != 1 || !isalnum((unsigned char)s[0]) || s[0] == 'h') {
		return diag_set(
			d, -EINVAL,
			"%s: @cmdarg: \"short\" must be one letter or digit other than \"h\"",
			where);
	}
	return 0;
}

static int check_cmdarg(const char *where, const cJSON *cmdarg, struct diag *d)
{
	const cJSON *v;
	int i, err = 0;

	if (!cJSON_IsObject(cmdarg))
		return diag_set(d, -EINVAL, "%s: @cmdarg: not a JSON object", where);
	cJSON_ArrayForEach(v, cmdarg) {
		for (i = 0; i < NR_CMDARG_KEYS && strcmp(v->string, cmdarg_keys[i]); i++)
			;
		err = i == NR_CMDARG_KEYS ? unknown_key(where, v->string, d)
					  : check_cmdarg_value(where, v, d);
		if (!err && cJSON_GetObjectItemCaseSensitive(cmdarg, v->string) != v)
			err = diag_set(d, -EINVAL, "%s: @cmdarg: \"%s\" is given twice", where,
				       v->string);
		if (err)
			return err;
	}
	return 0;
}

/* The JSON after "@cmdarg", continued on the following lines until its braces close. */
/*
 * The JSON object after @NAME at line *i, continued over the lines below it until its braces
 * close (*i is left on its last line). where ("path:line") and name are for messages.
 */
static int read_json(const struct doc_block *b, int *i, const char *where, const char *name,
		     cJSON **out, struct diag *d)
{
	struct doc_line l = trimmed(&b->lines[*i]);
	struct text json = {NULL, 0};
	int err;

	l.text += 1 + strlen(name); /* after "@name" */
	l.len -= 1 + strlen(name);
	l = trimmed(&l);
	err = append(&json, l.text, l.len, "");
	while (!err && !braces_closed(&json) && *i + 1 < b->nr) {
		l = trimmed(&b->lines[*i + 1]);
		if (command_len(&l))
			break;
		err = append(&json, l.text, l.len, " ");
		(*i)++;
	}
	if (err) {
		free(json.s);
		return diag_set(d, err, "%s: out of memory", where);
	}
	if (!json.len) {
		free(json.s);
		return diag_set(d, -EINVAL, "%s: @%s: a JSON object must follow it", where, name);
	}
	/* the object and nothing after it: trailing text is a mistake, not a comment */
	*out = cJSON_ParseWithOpts(json.s, NULL, true);
	if (!*out)
		err = diag_set(d, -EINVAL, "%s: @%s: invalid JSON: %.80s%s", where, name, json.s,
			       json.len > 80 ? "..." : "");
	free(json.s);
	return err;
}

/* A command's JSON object, at most one per block: its line in *line, "path:line" in where. */
static int read_command(const struct doc_block *b, int *i, const char *path, const char *name,
			const struct source_var *var, int *line, cJSON **out, char *where,
			size_t where_len, struct diag *d)
{
	*line = trimmed(&b->lines[*i]).line;
	snprintf(where, where_len, "%s:%d", path, *line);
	if (*out)
		return diag_set(d, -EINVAL, "%s: a second @%s for \"%s\"", where, name, var->name);
	return read_json(b, i, where, name, out, d);
}

static int read_cmdarg(const struct doc_block *b, int *i, const char *path, struct source_var *var,
		       struct diag *d)
{
	char where[300];

	return read_command(b, i, path, "cmdarg", var, &var->cmdarg_line, &var->cmdarg, where,
			    sizeof(where), d)
		       ?: check_cmdarg(where, var->cmdarg, d);
}

/* eunomia's @sample {...} above a map: how ecli prints it (bpf_skel.maps[].sample). */
static int read_sample(const struct doc_block *b, int *i, const char *path, struct source_var *var,
		       struct diag *d)
{
	char where[300];

	if (read_command(b, i, path, "sample", var, &var->sample_line, &var->sample, where,
			 sizeof(where), d))
		return -EINVAL;
	if (!cJSON_IsObject(var->sample))
		return diag_set(d, -EINVAL, "%s: @sample: not a JSON object", where);
	return 0;
}

/* "@description text": a JSON string is unquoted, anything else is taken as written. */
static int read_description(const struct doc_line *l, struct text *desc)
{
	struct doc_line t = *l;
	const char *end = NULL;
	cJSON *s;
	int err;

	t.text += 12;
	t.len -= 12;
	t = trimmed(&t);
	s = t.len && t.text[0] == '"' ? cJSON_ParseWithLengthOpts(t.text, t.len, &end, false)
				      : NULL;
	/* only a whole JSON string is unquoted: "a" and more is taken as written */
	if (cJSON_IsString(s) && end == t.text + t.len)
		err = append(desc, s->valuestring, strlen(s->valuestring), " ");
	else
		err = t.len ? append(desc, t.text, t.len, " ") : 0;
	cJSON_Delete(s);
	return err;
}

static int read_line(const struct doc_block *b, int *i, const char *path, bool option,
		     struct source_var *var, struct text *desc, struct diag *d)
{
	struct doc_line l = trimmed(&b->lines[*i]);
	int n = command_len(&l);

	if (!l.len)
		return 0;
	if (l.text[0] != '@')
		return append(desc, l.text, l.len, " ");
	if (is_command(&l, "cmdarg"))
		return read_cmdarg(b, i, path, var, d);
	if (is_command(&l, "description"))
		return read_description(&l, desc);
	if (is_command(&l, "sample") && !option)
		return read_sample(b, i, path, var, d);
	if (!option)
		return 0;
	return diag_set(d, -EINVAL,
			"%s:%d: unknown @%.*s above const volatile \"%s\" (known: "
			"@description, @cmdarg)",
			path, l.line, n, l.text + 1, var->name);
}

int doc_block_read(const struct doc_block *b, const char *path, bool option, struct source_var *var,
		   struct diag *d)
{
	struct text desc = {NULL, 0};
	int i, err = 0;

	for (i = 0; i < b->nr && !err; i++)
		err = read_line(b, &i, path, option, var, &desc, d);
	if (err == -ENOMEM)
		diag_set(d, err, "%s: out of memory", path);
	if (err) {
		free(desc.s);
		return err;
	}
	var->description = desc.s;
	return 0;
}
