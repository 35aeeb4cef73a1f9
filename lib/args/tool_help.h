/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A tool's -h: its usage line, description, options (from meta.args or the variables that
 * became options) with their defaults read from the object, examples and the output formats.
 */
#ifndef ARGS_TOOL_HELP_H
#define ARGS_TOOL_HELP_H

#include <stdio.h>
#include <bpf/libbpf.h>
#include "args/tool_args.h"
#include "format/meta.h"

/* Writes the tool's help to out; obj is opened, not loaded. */
void tool_help_write(const struct tool_settings *s, const struct package_meta *m,
		     struct bpf_object *obj, FILE *out);

#endif
