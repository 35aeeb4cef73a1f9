/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event struct, when the schema names none: the struct whose size the programs send (every
 * constant size given to bpf_ringbuf_output, bpf_ringbuf_reserve and bpf_perf_event_output,
 * lib/object/output_sizes.h), among the structs the header and the source define, or, for an
 * object given alone, among the object's named structs. Without a size to go by: the header's
 * first struct, the source's only one, or the object's one EXPORT_EVENT_TYPE.
 */
#ifndef ECC_EVENT_TYPE_H
#define ECC_EVENT_TYPE_H

#include <stddef.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "core/diag.h"
#include "source_scan.h"

struct event_type_input {
	const char *path;		  /* the source or object, for messages */
	const char *guess;		  /* the header's first struct, the source's only one */
	const char *guess_origin;	  /* "the first struct in x.h" */
	const struct source_scan *source; /* NULL for an object given alone */
	const struct source_scan *header; /* or NULL */
};

/*
 * name: the struct (empty when there is none to find); origin: how it was found, for messages.
 * Two structs of the size sent, or sizes that differ, are one line asking for events.type.
 */
int event_type_pick(struct bpf_object *obj, const struct event_type_input *in, char *name,
		    size_t len, char *origin, size_t origin_len, FILE *log, struct diag *d);

/*
 * The event struct type against the sizes the programs send: refused in one line when every
 * send has a constant size and none is the struct's (a schema naming the wrong struct, or
 * describing it wrongly in events.fields). Sizes computed at run time are not judged.
 */
int event_type_check_size(struct bpf_object *obj, const char *type, const char *path,
			  struct diag *d);

#endif
