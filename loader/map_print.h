/*
 * Printing a map's entries: exit maps (a sorted table at exit, e.g. counts per address) and
 * eunomia-bpf sample maps (every interval: log2 or linear histograms, or key/value rows).
 */
#ifndef MAP_PRINT_H
#define MAP_PRINT_H

#include <bpf/libbpf.h>
#include "meta.h"
#include "render.h"

struct map_print_ctx {
	struct bpf_object *obj;
	enum output_mode mode;
	const cJSON *hints;
	condition_fn cond;
	void *cond_ctx;
	struct out_buf *out;
};

int map_print_exit(const struct map_print_ctx *c, const struct exit_map_spec *x, struct diag *d);

/* header_done: whether a default_kv header was printed already (kept by the caller). */
int map_print_sample(const struct map_print_ctx *c, const struct sample_spec *s, bool *header_done,
		     struct diag *d);

#endif
