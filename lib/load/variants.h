/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Opening, loading and attaching the package's object. A package may carry hook variants
 * (say fexit, kprobe, syscall tracepoints): each is tried in order on a fresh copy of the
 * object, with the tool's arguments replayed and the runtime variables (runtime_vars.h)
 * written, and the first that both loads and attaches is kept. A program may be in several
 * variants; programs that belong to no variant are loaded with every variant. A variant with a
 * condition (when) is tried only while the options make it hold, unless --variant names it. A
 * variant's programs attach in the order it lists them, then those of no variant, then its optional
 * groups: a group one of whose programs fails to load (the variant is loaded again without it)
 * or to attach (its links are undone) is dropped, the variant kept, and one warning line per
 * dropped group names what goes unseen (-v: why). In a package without variants, a program
 * whose hook this kernel lacks (hook_support.h before loading, ENOENT at attach) is left out,
 * with one warning line naming it, while any other program attaches.
 */
#ifndef LOAD_VARIANTS_H
#define LOAD_VARIANTS_H

#include <stdbool.h>
#include <stdint.h>
#include <bpf/libbpf.h>
#include "core/diag.h"
#include "format/meta.h"
#include "format/package_read.h"
#include "args/tool_args.h"

struct load_opts {
	const struct package *pkg;
	const struct package_meta *meta;
	const struct tool_settings *settings;
	const char *btf_path; /* --btf: kernel BTF for CO-RE instead of /sys/kernel/btf/vmlinux */
	const char *variant;  /* --variant: only this hook variant is tried */
	/*
	 * an opened copy of the object with the options written, not loaded: a variant its
	 * programs show to be sure to fail here (hook_support.h) is neither opened nor loaded,
	 * and a variant's condition (when) is read from it. NULL: the loads decide, and every
	 * variant is tried.
	 */
	struct bpf_object *inspect;
	uint32_t ringbuf_bytes; /* 0: the size the object declares */
	bool force_perfbuf;
	int verbose; /* 1: say which variant and why others failed; 2: libbpf debug too */
};

struct loaded {
	struct bpf_object *obj;
	struct bpf_link **links;
	int nr_links;
	const char *variant; /* NULL when the package has no variants */
	bool perfbuf;	     /* events come through the perf buffer */
};

/* The map events arrive through: the package's named map, else the only one of its type. */
struct bpf_map *variants_event_map(const struct events_spec *e, struct bpf_object *obj,
				   bool perfbuf);

/* libbpf's messages are kept to explain failures (libbpf_log), and printed when verbose. */
void variants_set_verbosity(int verbose);

int variants_open(const struct load_opts *o, struct bpf_object **obj, struct diag *d);

/* --variant NAME names one of the package's hook variants; if not, d lists their names. */
int variants_check_forced(const struct load_opts *o, struct diag *d);

/*
 * Without CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN, which root has) every load fails with
 * EPERM, which libbpf explains as a memlock limit: -EPERM and what is needed, before trying.
 */
int variants_check_privileges(struct diag *d);

/*
 * Each attempt opens its own copy of the object. ecli's PID namespace is read once first (when
 * the package names runtime variables); failing that is the one error. When none works, d
 * holds one line: each
 * variant's reason ("load failed: prog 'x': verifier: <its last log line>", "attach failed:
 * prog 'x': <libbpf's cause>"), ending with " (-v for the full log)" unless verbose.
 */
int variants_load_first(const struct load_opts *o, struct loaded *out, struct diag *d);

/* Destroys the links (detaches), then closes the object. Both are safe to call twice. */
void loaded_detach(struct loaded *l);
void loaded_close(struct loaded *l);

#endif
