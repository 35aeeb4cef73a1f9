// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tool's -h: a usage line, the description, one line per option with its help text and
 * default (the package's "default", else the variable's initial value in the object), the
 * examples and details, laid out as argparse does.
 */
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "output/btf_layout.h"
#include "output/format_value.h"
#include "object/object_vars.h"
#include "core/out_buf.h"
#include "core/term_text.h"
#include "args/tool_help.h"

/*
 * The default shown in help: the package's "default", else the value written when the option is
 * not given ("initial"), else the variable's initial value.
 */
static void default_text(const struct arg_spec *a, struct bpf_object *obj, struct out_buf *out)
{
	struct var_ref ref;
	struct field f;
	const void *bytes;

	if (a->default_text || a->initial) {
		out_puts(out, a->default_text ? a->default_text : a->initial);
	} else if (a->var && !object_find_var(obj, a->var, &ref) &&
		   (bytes = object_var_bytes(&ref)) &&
		   !field_describe(bpf_object__btf(obj), ref.type_id, a->var, &f, NULL)) {
		size_t before = out->len;

		if (a->flag)
			out_puts(out, (field_u64(&f, bytes) != 0) != a->invert ? "true" : "false");
		else
			format_text(out, NULL, &f, bytes);
		if (out->len == before)
			out_puts(out, "\"\""); /* an empty string */
		field_release(&f);
	} else {
		out_puts(out, a->flag ? "false" : "none");
	}
}

static void usage_item(struct out_buf *out, const struct arg_spec *a)
{
	const char *metavar = a->metavar ? a->metavar : "VALUE";

	if (a->positional) {
		out_printf(out, " [%s]", a->metavar ? a->metavar : a->name);
		return;
	}
	if (a->short_name)
		out_printf(out, " [-%c", a->short_name);
	else
		out_printf(out, " [--%s", a->long_names[0]);
	if (!a->flag)
		out_printf(out, " %s", metavar);
	else if (a->invert)
		out_puts(out, "[=BOOL]");
	out_putc(out, ']');
}

static void option_line(struct out_buf *out, const struct arg_spec *a, struct bpf_object *obj)
{
	size_t start = out->len, used;
	int i;

	out_puts(out, "  ");
	if (a->positional)
		out_puts(out, a->metavar ? a->metavar : a->name);
	else if (a->short_name)
		out_printf(out, "-%c%s", a->short_name, a->nr_long_names ? ", " : "");
	for (i = 0; i < a->nr_long_names; i++)
		out_printf(out, "--%s%s", a->long_names[i], i + 1 < a->nr_long_names ? ", " : "");
	if (!a->flag && !a->positional)
		out_printf(out, " %s", a->metavar ? a->metavar : "VALUE");
	else if (a->invert)
		out_puts(out, "[=BOOL]");
	used = out->len - start;
	if (used + 2 > 24) {
		out_putc(out, '\n');
		used = 0;
	}
	out_pad(out, ' ', 24 - used);
	if (a->help)
		out_puts(out, a->help);
	else
		out_printf(out, "set variable %s", a->var ? a->var : a->name);
	out_puts(out, " (default: ");
	default_text(a, obj, out);
	out_puts(out, ")\n");
}

void tool_help_write(const struct tool_settings *s, const struct package_meta *m,
		     struct bpf_object *obj, FILE *file)
{
	struct out_buf out;
	int i, positionals = 0;

	if (out_buf_init(&out, -1, 4096))
		return;
	out_printf(&out, "usage: %s [-h]", m->tool_name);
	for (i = 0; i < s->nr_args; i++)
		if (!s->args[i].positional)
			usage_item(&out, &s->args[i]);
	for (i = 0; i < s->nr_args; i++)
		if (s->args[i].positional)
			usage_item(&out, &s->args[i]);
	out_puts(&out, "\n\n");
	if (m->description)
		out_printf(&out, "%s\n\n", m->description);
	for (i = 0; i < s->nr_args; i++)
		if (s->args[i].positional) {
			if (!positionals++)
				out_puts(&out, "positional arguments:\n");
			option_line(&out, &s->args[i], obj);
		}
	if (positionals)
		out_putc(&out, '\n');
	out_puts(&out, "options:\n  -h, --help            show this help message and exit\n");
	for (i = 0; i < s->nr_args; i++)
		if (!s->args[i].positional)
			option_line(&out, &s->args[i], obj);
	if (m->nr_examples > 0)
		out_puts(&out, "\nexamples:\n");
	for (i = 0; i < m->nr_examples; i++)
		out_printf(&out, "  %s\n", m->examples[i]);
	if (m->details)
		out_printf(&out, "\n%s\n", m->details);
	term_text_sanitize(out.data, out.len, true); /* the package's words reach a terminal */
	fwrite(out.data, 1, out.len, file);
	out_buf_free(&out);
}
