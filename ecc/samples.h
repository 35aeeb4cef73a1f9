/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which maps ecli prints as histograms (bpf_skel.maps[].sample): those the schema's "samples"
 * names ({"MAP": {sample keys}}), then those the source marks with eunomia's `/// @sample
 * {...}`, then, for any other map, one whose value holds an integer
 * array named slots (libbpf-tools' struct hist): a log2 histogram printed at exit (and every
 * ecli run --interval), one per key, cleared after each print, as libbpf-tools print theirs.
 */
#ifndef ECC_SAMPLES_H
#define ECC_SAMPLES_H

#include <stdio.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "core/diag.h"
#include "source_scan.h"

/*
 * Adds "sample" to the maps of skel (bpf_skel) that get one; samples (the schema's, may be
 * NULL) is consumed. A name in samples that is no map of the object is refused. With log, one
 * line per inferred histogram.
 */
int samples_complete(struct bpf_object *obj, cJSON *skel, cJSON *samples,
		     const struct source_scan *src, FILE *log, struct diag *d);

/*
 * For each histogram map (a log2_hist or linear_hist sample) that meta's metrics do not serve
 * already, a Prometheus histogram metric: TOOL_MAP, labelled by the row's fields but its slots.
 * Needs meta's bpf_skel and tool name. With log, one line per metric.
 */
int samples_metrics_complete(struct bpf_object *obj, cJSON *meta, FILE *log, struct diag *d);

#endif
