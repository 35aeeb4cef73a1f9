// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "source_doc.h"
#include "source_scan.h"

enum tok_kind { TOK_EOF, TOK_IDENT, TOK_PUNCT, TOK_LITERAL, TOK_DOC };

struct token {
	enum tok_kind kind;
	const char *start;
	int len;
	int line;
};

struct scanner {
	const char *p;
	int line;
	bool line_start; /* only blanks since the last newline: a '#' starts a directive */
	struct token tok;
	struct doc_block block; /* the `///` lines seen last, not yet given to a declaration */
	struct source_scan *out;
	struct diag *d;
};

/* What one file-scope declaration or definition turned out to be. */
struct statement {
	int line;
	bool is_const, is_volatile, pointer, function, initialised;
	struct token name;	 /* the last identifier not followed by '(' before any '=' or ',' */
	struct token pending;	 /* an identifier: the name unless a '(' follows it */
	struct token struct_tag; /* "struct TAG" just seen, waiting for '{' */
	int struct_state;	 /* 0, 1 after "struct", 2 after "struct TAG" */
	char prev;		 /* the previous punctuation, or 0 after anything else */
	int depth;
};

static bool is_doc_comment(const char *p)
{
	return p[0] == '/' && p[1] == '/' && p[2] == '/' && p[3] != '/';
}

/* Bytes of a line continuation at p (a backslash before LF or CRLF), or 0. */
static size_t continuation(const char *p)
{
	if (p[0] != '\\')
		return 0;
	if (p[1] == '\n')
		return 2;
	return p[1] == '\r' && p[2] == '\n' ? 3 : 0;
}

/* Skips to the end of the line (not past it), through line continuations. */
static void skip_line(struct scanner *s)
{
	size_t n;

	while (*s->p && *s->p != '\n') {
		n = continuation(s->p);
		s->line += n > 0;
		s->p += n ? n : 1;
	}
}

static void skip_block_comment(struct scanner *s)
{
	for (s->p += 2; *s->p && !(s->p[0] == '*' && s->p[1] == '/'); s->p++)
		if (*s->p == '\n')
			s->line++;
	if (*s->p)
		s->p += 2;
}

static void skip_blanks(struct scanner *s)
{
	for (;;) {
		if (*s->p == '\n') {
			s->line++;
			s->line_start = true;
			s->p++;
		} else if (isspace((unsigned char)*s->p)) {
			s->p++;
		} else if (continuation(s->p)) {
			s->line++;
			s->p += continuation(s->p);
		} else if (s->line_start && *s->p == '#') {
			skip_line(s);
		} else if (s->p[0] == '/' && s->p[1] == '*') {
			skip_block_comment(s);
		} else if (s->p[0] == '/' && s->p[1] == '/' && !is_doc_comment(s->p)) {
			skip_line(s);
		} else {
			return;
		}
	}
}

static void lex_literal(struct scanner *s)
{
	char quote = *s->p++;

	while (*s->p && *s->p != quote && *s->p != '\n') {
		if (continuation(s->p)) {
			s->line++;
			s->p += continuation(s->p);
		} else {
			s->p += s->p[0] == '\\' && s->p[1] ? 2 : 1;
		}
	}
	if (*s->p == quote)
		s->p++;
}

static void next(struct scanner *s)
{
	struct token *t = &s->tok;

	skip_blanks(s);
	t->start = s->p;
	t->line = s->line;
	s->line_start = false;
	if (!*s->p) {
		t->kind = TOK_EOF;
	} else if (is_doc_comment(s->p)) {
		t->kind = TOK_DOC;
		t->start = s->p += 3;
		while (*s->p && *s->p != '\n')
			s->p++;
	} else if (*s->p == '"' || *s->p == '\'') {
		t->kind = TOK_LITERAL;
		lex_literal(s);
	} else if (isdigit((unsigned char)*s->p)) {
		t->kind = TOK_LITERAL; /* a number: 16, 0x10, 1.5e3 */
		while (isalnum((unsigned char)*s->p) || *s->p == '_' || *s->p == '.')
			s->p++;
	} else if (isalpha((unsigned char)*s->p) || *s->p == '_') {
		t->kind = TOK_IDENT;
		while (isalnum((unsigned char)*s->p) || *s->p == '_')
			s->p++;
	} else {
		t->kind = TOK_PUNCT;
		s->p++;
	}
	t->len = s->p - t->start;
}

static bool tok_is(const struct token *t, const char *word)
{
	return t->len == (int)strlen(word) && !strncmp(t->start, word, t->len);
}

/* A name longer than the scanner keeps would match nothing in BTF: say so where it stands. */
static int copy_name(struct scanner *s, char *dst, const struct token *t)
{
	if (t->len >= SOURCE_NAME_MAX)
		return diag_set(s->d, -ENAMETOOLONG,
				"%s:%d: \"%.40s...\" is longer than %d characters", s->out->path,
				t->line, t->start, SOURCE_NAME_MAX - 1);
	memcpy(dst, t->start, t->len);
	dst[t->len] = 0;
	return 0;
}

static int add_struct(struct scanner *s, const struct token *tag)
{
	struct source_scan *o = s->out;
	struct source_struct *structs = realloc(o->structs, (o->nr_structs + 1) * sizeof(*structs));

	if (!structs)
		return -ENOMEM;
	o->structs = structs;
	if (copy_name(s, structs[o->nr_structs].name, tag))
		return -ENAMETOOLONG;
	structs[o->nr_structs++].line = tag->line;
	return 0;
}

/* A `///` block that documents nothing may not carry an @cmdarg. */
static int check_unattached(struct scanner *s, const struct doc_block *b)
{
	int line = doc_block_cmdarg_line(b);

	if (!line)
		return 0;
	return diag_set(s->d, -EINVAL,
			"%s:%d: @cmdarg must be directly above a const volatile global variable",
			s->out->path, line);
}

/* An identifier, then "struct TAG {" (a named struct's definition) as it goes by. */
static void track_ident(struct scanner *s, struct statement *st)
{
	const struct token *t = &s->tok;

	if (st->depth)
		return;
	st->is_const |= tok_is(t, "const");
	st->is_volatile |= tok_is(t, "volatile");
	if (!st->initialised)
		st->pending = *t;
	if (tok_is(t, "struct")) {
		st->struct_state = 1;
	} else if (st->struct_state == 1) {
		st->struct_tag = *t;
		st->struct_state = 2;
		return;
	}
	if (st->struct_state == 2)
		st->struct_state = 0;
}

/* Punctuation at file scope; returns 1 when it ends the statement. */
static int track_punct_top(struct scanner *s, struct statement *st, char c)
{
	int err = 0;

	if (c == ';')
		return 1;
	if (c == '{' && st->prev == ')')
		st->function = true;
	if (c == '{' && st->struct_state == 2)
		err = add_struct(s, &st->struct_tag);
	if (c == '*' && !st->initialised)
		st->pointer = true;
	if (c == '=' || c == ',')
		st->initialised = true;
	if (c == '(' || c == '[' || c == '{')
		st->depth++;
	return err;
}

static int track_punct(struct scanner *s, struct statement *st)
{
	char c = s->tok.start[0];
	int end = 0;

	if (st->pending.len && c != '(')
		st->name = st->pending;
	st->pending.len = 0;
	if (!st->depth) {
		end = track_punct_top(s, st, c);
	} else if (c == '(' || c == '[' || c == '{') {
		st->depth++;
	} else if (c == ')' || c == ']' || c == '}') {
		st->depth--;
		end = !st->depth && c == '}' && st->function;
	}
	st->struct_state = 0; /* "struct TAG" followed by anything but '{' defines nothing */
	st->prev = c;
	return end;
}

/* "__attribute__ ((...))" in "struct [TAG] ... {": s->tok is its first token. */
static bool at_struct_attribute(const struct scanner *s, const struct statement *st)
{
	const char *q = s->p;

	if (!st->struct_state || st->depth || s->tok.kind != TOK_IDENT ||
	    !(tok_is(&s->tok, "__attribute__") || tok_is(&s->tok, "__attribute")))
		return false;
	while (isspace((unsigned char)*q))
		q++;
	return *q == '(';
}

/* Past the attribute's parentheses: s->tok is left on the one that closes them. */
static void skip_attribute(struct scanner *s)
{
	int depth = 0;

	do {
		next(s);
		if (s->tok.kind == TOK_PUNCT && s->tok.start[0] == '(')
			depth++;
		else if (s->tok.kind == TOK_PUNCT && s->tok.start[0] == ')')
			depth--;
	} while (depth > 0 && s->tok.kind != TOK_EOF);
}

/*
 * Reads one file-scope statement: up to its ';', or to the '}' closing a function's body.
 * end: 1 at the statement's end, or a negative errno.
 */
static int read_statement(struct scanner *s, struct statement *st)
{
	int end = 0;

	memset(st, 0, sizeof(*st));
	st->line = s->tok.line;
	while (!end && s->tok.kind != TOK_EOF) {
		struct doc_block inner = {NULL, 0, 0};

		if (s->tok.kind == TOK_DOC) {
			end = doc_block_add(&inner, s->tok.start, s->tok.len, s->tok.line);
			end = end ?: check_unattached(s, &inner);
			free(inner.lines);
		} else if (at_struct_attribute(s, st)) {
			skip_attribute(s); /* struct __attribute__((packed)) TAG { ... } */
		} else if (s->tok.kind == TOK_PUNCT) {
			end = track_punct(s, st);
		} else {
			if (st->pending.len)
				st->name = st->pending;
			st->pending.len = 0;
			st->prev = 0;
			if (s->tok.kind == TOK_IDENT)
				track_ident(s, st);
		}
		if (end < 0)
			return end;
		next(s);
	}
	if (st->pending.len)
		st->name = st->pending;
	return 0;
}

static int add_var(struct scanner *s, const struct statement *st, bool option)
{
	struct source_scan *o = s->out;
	struct source_var *vars = realloc(o->vars, (o->nr_vars + 1) * sizeof(*vars)), *v;
	int err;

	if (!vars)
		return -ENOMEM;
	o->vars = vars;
	v = &vars[o->nr_vars];
	memset(v, 0, sizeof(*v));
	if (copy_name(s, v->name, &st->name))
		return -ENAMETOOLONG;
	v->line = st->line;
	err = doc_block_read(&s->block, o->path, option, v, s->d);
	if (err) {
		cJSON_Delete(v->cmdarg);
		cJSON_Delete(v->sample);
		return err;
	}
	o->nr_vars++;
	return 0;
}

/* A statement with the `///` block right above it: a global's help, an option's names. */
static int statement(struct scanner *s)
{
	bool documented = s->block.nr && s->block.lines[s->block.nr - 1].line + 1 == s->tok.line;
	struct statement st;
	bool option;
	int err;

	if (s->block.nr && !documented) {
		err = check_unattached(s, &s->block);
		doc_block_clear(&s->block);
		if (err)
			return err;
	}
	err = read_statement(s, &st);
	option = st.is_const && st.is_volatile && !st.pointer && !st.function && st.name.len;
	if (!err && documented && !option)
		err = check_unattached(s, &s->block);
	if (!err && documented && !st.function && st.name.len)
		err = add_var(s, &st, option);
	doc_block_clear(&s->block);
	return err;
}

static int doc_line(struct scanner *s)
{
	const struct doc_block *b = &s->block;
	int err = 0;

	if (b->nr && b->lines[b->nr - 1].line + 1 != s->tok.line) {
		err = check_unattached(s, &s->block);
		doc_block_clear(&s->block);
	}
	err = err ?: doc_block_add(&s->block, s->tok.start, s->tok.len, s->tok.line);
	next(s);
	return err;
}

int source_scan(const char *path, const char *text, struct source_scan *scan, struct diag *d)
{
	struct scanner s = {.p = text, .line = 1, .line_start = true, .out = scan, .d = d};
	int err = 0;

	memset(scan, 0, sizeof(*scan));
	scan->path = path;
	next(&s);
	while (!err && s.tok.kind != TOK_EOF)
		err = s.tok.kind == TOK_DOC ? doc_line(&s) : statement(&s);
	err = err ?: check_unattached(&s, &s.block);
	free(s.block.lines);
	if (err == -ENOMEM)
		diag_set(d, err, "%s: out of memory", path);
	if (err)
		source_scan_free(scan);
	return err;
}

void source_scan_free(struct source_scan *scan)
{
	int i;

	for (i = 0; i < scan->nr_vars; i++) {
		free(scan->vars[i].description);
		cJSON_Delete(scan->vars[i].cmdarg);
		cJSON_Delete(scan->vars[i].sample);
	}
	free(scan->vars);
	free(scan->structs);
	scan->vars = NULL;
	scan->structs = NULL;
	scan->nr_vars = scan->nr_structs = 0;
}
