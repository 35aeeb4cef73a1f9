// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "load/cgroup_root.h"
#include "load/hook_support.h"
#include "load/libbpf_log.h"
#include "object/object_vars.h"
#include "load/runtime_vars.h"
#include "core/stop_signal.h"
#include "load/map_sizes.h"
#include "load/variants.h"
#include "object/event_maps.h"

#define FAILURE_PREFIX "no hook variant could be loaded and attached here: "
#define FULL_LOG_HINT  " (-v for the full log)"
#define MIN_REASON     24

void variants_set_verbosity(int verbose)
{
	libbpf_log_init(verbose);
}

int variants_open(const struct load_opts *o, struct bpf_object **obj, struct diag *d)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = o->btf_path,
		    .object_name = o->meta->obj_name);
	struct bpf_object *res;
	int err;

	libbpf_log_reset();
	res = bpf_object__open_mem(o->pkg->object, o->pkg->object_size, &opts);
	if (!res) {
		err = -errno ?: -EINVAL;
		return diag_set(d, err, "bpf_object: cannot open the BPF object: %s",
				libbpf_log_first_warning(err));
	}
	*obj = res;
	return 0;
}

int variants_check_forced(const struct load_opts *o, struct diag *d)
{
	const struct package_meta *m = o->meta;
	char names[sizeof(d->msg)] = "";
	size_t used = 0;
	int i;

	if (!o->variant)
		return 0;
	for (i = 0; i < m->nr_variants; i++) {
		if (!strcmp(m->variants[i].name, o->variant))
			return 0;
		used += snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
				 m->variants[i].name);
		if (used >= sizeof(names))
			break;
	}
	if (!m->nr_variants)
		return diag_set(d, -EINVAL, "--variant %s: the package has no hook variants",
				o->variant);
	return diag_set(d, -EINVAL, "--variant %s: no such hook variant; the package has: %s",
			o->variant, names);
}

struct bpf_map *variants_event_map(const struct events_spec *e, struct bpf_object *obj,
				   bool perfbuf)
{
	if (perfbuf)
		return event_maps_find(obj, e->perfbuf, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	return event_maps_find(obj, e->ringbuf, BPF_MAP_TYPE_RINGBUF);
}

/* Ring buffer where the kernel has one, else the perf buffer, which the program is told of. */
static int prepare_event_maps(const struct load_opts *o, struct bpf_object *obj, bool *perfbuf,
			      struct diag *d)
{
	const struct events_spec *e = &o->meta->events;
	struct bpf_map *rb = variants_event_map(e, obj, false);
	struct bpf_map *pb = variants_event_map(e, obj, true);
	bool kernel_ringbuf = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) > 0;
	struct var_ref ref;
	uint8_t on[8] = {1};
	int err = 0;

	*perfbuf = pb && (!rb || o->force_perfbuf || !kernel_ringbuf);
	if (o->force_perfbuf && !pb)
		return diag_set(d, -EINVAL, "--perfbuf: the package has no perf event array map");
	if (*perfbuf && e->perfbuf_switch) {
		if (object_find_var(obj, e->perfbuf_switch, &ref) || ref.size > sizeof(on) ||
		    object_var_write(&ref, on))
			return diag_set(d, -EINVAL, "events.perfbuf_switch: no variable \"%s\"",
					e->perfbuf_switch);
	}
	if (rb && !kernel_ringbuf && *perfbuf) {
		/* an unused ring buffer must still be created: make it a tiny array instead */
		err = bpf_map__set_type(rb, BPF_MAP_TYPE_ARRAY);
		err = err ?: bpf_map__set_key_size(rb, 4);
		err = err ?: bpf_map__set_value_size(rb, 4);
		err = err ?: bpf_map__set_max_entries(rb, 1);
	} else if (rb && !*perfbuf && o->ringbuf_bytes) {
		err = bpf_map__set_max_entries(rb, o->ringbuf_bytes);
	}
	return err ? diag_set(d, err, "map %s: cannot be prepared: %s", bpf_map__name(rb),
			      strerror(-err))
		   : 0;
}

static bool in_any_variant(const struct package_meta *m, const char *prog)
{
	int i;

	for (i = 0; i < m->nr_variants; i++)
		if (hook_variant_has(&m->variants[i], prog))
			return true;
	return false;
}

/* v lists prog and, if it is optional, its group has not been dropped. */
static bool in_attempt(const struct hook_variant *v, const bool *dropped, const char *prog)
{
	int g = hook_variant_optional_group(v, prog);

	return g >= 0 ? !dropped[g] : hook_variant_has(v, prog);
}

static bool wants_link(const struct package_meta *m, const char *prog)
{
	int i;

	for (i = 0; i < m->nr_programs; i++)
		if (!strcmp(m->programs[i].name, prog))
			return m->programs[i].link;
	return true;
}

static int attach_one(const struct load_opts *o, struct loaded *l, struct bpf_program *prog,
		      struct diag *d)
{
	const struct package_meta *m = o->meta;
	struct bpf_link *link;
	int err;

	if (!bpf_program__autoload(prog) || !wants_link(m, bpf_program__name(prog)))
		return 0;
	if (cgroup_prog(prog)) {
		int fd = cgroup_attach_fd(o->settings ? o->settings->cgroup : NULL, d);

		if (fd < 0)
			return diag_wrap(d, fd, "attach failed: prog '%s'",
					 bpf_program__name(prog));
		link = bpf_program__attach_cgroup(prog, fd);
		err = -errno;
		close(fd); /* the link holds the cgroup */
		errno = -err;
	} else {
		link = bpf_program__attach(prog);
	}
	if (!link) {
		err = -errno ?: -EINVAL;
		return diag_set(d, err, "attach failed: prog '%s': %s", bpf_program__name(prog),
				libbpf_log_first_warning(err));
	}
	l->links[l->nr_links++] = link;
	return 0;
}

/*
 * What one attempt at a variant knows besides the package: which optional groups it dropped,
 * and, in a package without variants, which programs' hooks this kernel lacks.
 */
struct attempt {
	const struct load_opts *o;
	const struct hook_variant *v; /* NULL: the package has no variants */
	bool *dropped;		      /* per optional group of v */
	struct missing_hooks *missing;
};

#define MISSING_MAX	64
#define MISSING_WHY_MAX 160

/* Programs of a package without variants whose hook does not exist here: left out. */
struct missing_hooks {
	char progs[MISSING_MAX][BPF_OBJ_NAME_LEN * 4];
	char why[MISSING_MAX][MISSING_WHY_MAX];
	int nr;
};

static bool is_missing(const struct attempt *a, const char *prog)
{
	int i;

	for (i = 0; a->missing && i < a->missing->nr; i++)
		if (!strcmp(a->missing->progs[i], prog))
			return true;
	return false;
}

static void add_missing(const struct attempt *a, const char *prog, const char *why)
{
	struct missing_hooks *h = a->missing;

	if (!h || h->nr == MISSING_MAX || is_missing(a, prog))
		return;
	snprintf(h->progs[h->nr], sizeof(h->progs[h->nr]), "%s", prog);
	snprintf(h->why[h->nr], MISSING_WHY_MAX, "%s", why);
	h->nr++;
}

static void select_programs(const struct attempt *a, struct bpf_object *obj)
{
	const struct package_meta *m = a->o->meta;
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);

		bpf_program__set_autoload(prog, a->v ? in_attempt(a->v, a->dropped, name) ||
								!in_any_variant(m, name)
						     : !is_missing(a, name));
	}
}

/* "a, b": the group's programs, for messages. */
static const char *group_names(const struct optional_programs *op, char *buf, size_t size)
{
	size_t used = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < op->nr_programs && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%s", i ? ", " : "", op->programs[i]);
	return buf;
}

/* Marks an optional group dropped and, with -v, says why. */
static void drop_group(const struct attempt *a, int g, const char *why)
{
	char names[256];

	a->dropped[g] = true;
	if (a->o->verbose)
		fprintf(stderr, "variant %s: without %s: %s\n", a->v->name,
			group_names(&a->v->optional[g], names, sizeof(names)), why);
}

/* An optional group's programs, all or none: a failure detaches those already attached. */
static void attach_group(const struct attempt *a, int g, struct loaded *l)
{
	const struct optional_programs *op = &a->v->optional[g];
	int i, first = l->nr_links, err = 0;
	struct bpf_program *prog;
	struct diag d;

	for (i = 0; i < op->nr_programs && !err; i++) {
		prog = bpf_object__find_program_by_name(l->obj, op->programs[i]);
		err = prog ? attach_one(a->o, l, prog, &d)
			   : diag_set(&d, -ENOENT, "attach failed: no program \"%s\"",
				      op->programs[i]);
	}
	if (!err)
		return;
	while (l->nr_links > first)
		bpf_link__destroy(l->links[--l->nr_links]);
	drop_group(a, g, d.msg);
}

/*
 * The variant's programs in the order the package lists them, then those of no variant, then
 * each optional group not dropped at load. A program may be in several variants: each attempt
 * has its own object, so it is loaded and attached once per attempt.
 */
static int attach_programs(const struct attempt *a, struct loaded *l, struct diag *d)
{
	const struct package_meta *m = a->o->meta;
	const struct hook_variant *v = a->v;
	struct bpf_program *prog;
	int i, n = 0, err = 0;

	bpf_object__for_each_program(prog, l->obj)
		n++;
	l->links = calloc(n ? n : 1, sizeof(*l->links));
	if (!l->links)
		return diag_set(d, -ENOMEM, "out of memory");
	for (i = 0; v && i < v->nr_programs && !err; i++) {
		prog = bpf_object__find_program_by_name(l->obj, v->programs[i]);
		err = prog ? attach_one(a->o, l, prog, d)
			   : diag_set(d, -ENOENT, "attach failed: no program \"%s\"",
				      v->programs[i]);
	}
	bpf_object__for_each_program(prog, l->obj) {
		if (err)
			break;
		if (in_any_variant(m, bpf_program__name(prog)))
			continue;
		err = attach_one(a->o, l, prog, d);
		/* without variants, a hook this kernel lacks is left out while others attach */
		if (err == -ENOENT && a->missing) {
			add_missing(a, bpf_program__name(prog), d->msg);
			err = 0;
		}
	}
	for (i = 0; v && i < v->nr_optional && !err; i++)
		if (!a->dropped[i])
			attach_group(a, i, l);
	if (!err && a->missing && a->missing->nr && !l->nr_links)
		err = diag_set(d, -ENOENT, "%s", a->missing->why[0]);
	return err;
}

/* Under -v, the ids of what was loaded: tests follow them, and so can a user with bpftool. */
static void print_loaded_ids(const struct hook_variant *v, struct bpf_object *obj)
{
	struct bpf_program *prog;
	const char *sep = "";

	fprintf(stderr, "variant %s: loaded", v ? v->name : "(none)");
	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!bpf_program__autoload(prog) ||
		    bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		fprintf(stderr, "%s %s (id %u)", sep, bpf_program__name(prog), info.id);
		sep = ",";
	}
	fputc('\n', stderr);
}

/*
 * The optional group whose program failed to load (libbpf names it), if not dropped yet:
 * dropping it and loading again may work. -1: the failure is the variant's.
 */
static int failed_group(const struct attempt *a)
{
	const char *prog = libbpf_log_failed_program();
	int g;

	if (!a->v || !prog)
		return -1;
	g = hook_variant_optional_group(a->v, prog);
	return g >= 0 && !a->dropped[g] ? g : -1;
}

/*
 * Without variants: a program whose hook is sure not to exist here is left out. True when every
 * program would be: then nothing is loaded, and the first one's reason is the package's.
 */
static bool find_missing_hooks(const struct attempt *a, struct bpf_object *obj)
{
	struct bpf_program *prog;
	char why[MISSING_WHY_MAX - sizeof("attach failed: ")], line[MISSING_WHY_MAX];
	int linked = 0;

	bpf_object__for_each_program(prog, obj) {
		if (!wants_link(a->o->meta, bpf_program__name(prog)))
			continue;
		linked++;
		if (hook_support_check(prog, why, sizeof(why)) != HOOK_ATTACH_FAILS)
			continue;
		snprintf(line, sizeof(line), "attach failed: %s", why);
		add_missing(a, bpf_program__name(prog), line);
	}
	return linked && a->missing->nr == linked;
}

/* A program of the variant (not an optional one) that is sure to fail here fails it unloaded. */
static int check_hooks(const struct attempt *a, struct bpf_object *obj, struct diag *d)
{
	const struct bpf_program *prog;
	char why[sizeof(d->msg) - sizeof("attach failed: ")];
	int i;

	if (!a->v && a->missing && find_missing_hooks(a, obj))
		return diag_set(d, -ENOENT, "%s", a->missing->why[0]);
	for (i = 0; a->v && i < a->v->nr_programs; i++) {
		prog = bpf_object__find_program_by_name(obj, a->v->programs[i]);
		switch (prog ? hook_support_check(prog, why, sizeof(why)) : HOOK_MAY_WORK) {
		case HOOK_MAY_WORK:
			break;
		case HOOK_LOAD_FAILS:
			return diag_set(d, -EPERM, "load failed: %s", why);
		case HOOK_ATTACH_FAILS:
			return diag_set(d, -ENOENT, "attach failed: %s", why);
		}
	}
	return 0;
}

/*
 * One attempt on obj, which is consumed: on failure it is closed. *retry: an optional group
 * failed to load and is now dropped; another attempt without it may work.
 */

/* The process's open-file limit (its soft RLIMIT_NOFILE). */
static rlim_t fd_limit(void)
{
	struct rlimit r;

	return getrlimit(RLIMIT_NOFILE, &r) ? 0 : r.rlim_cur;
}

/*
 * Whether a load could run short of descriptors: each map and program takes one, each link
 * another, and libbpf's feature probes a few more. Short of them, libbpf decides the kernel
 * lacks what its probe could not open (global data) and blames the package ("map .rodata is
 * referenced but wasn't created"): so after a failed load, count them by opening that many.
 */
static bool short_of_fds(struct bpf_object *obj)
{
	struct bpf_program *p;
	struct bpf_map *m;
	int need = 8, fds[1024], n, i;

	bpf_object__for_each_map(m, obj)
		need++;
	bpf_object__for_each_program(p, obj)
		need += bpf_program__autoload(p) ? 2 : 0;
	if (need > (int)(sizeof(fds) / sizeof(fds[0])))
		need = sizeof(fds) / sizeof(fds[0]);
	for (n = 0; n < need; n++) {
		fds[n] = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
		if (fds[n] < 0)
			break;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	return n < need && errno == EMFILE;
}

static int try_variant(const struct attempt *a, const struct runtime_values *rv,
		       struct bpf_object *obj, struct loaded *l, bool *retry, struct diag *d)
{
	const struct load_opts *o = a->o;
	int err, g;

	memset(l, 0, sizeof(*l));
	*retry = false;
	l->obj = obj;
	l->variant = a->v ? a->v->name : NULL;
	libbpf_log_reset();
	/* the package's sizes first: a reused pinned map and ecli's event buffers then win */
	err = map_sizes_apply(o->meta, obj, d);
	err = err ?: tool_args_apply_before_load(o->settings, obj, d);
	err = err ?: runtime_vars_write(&o->meta->runtime, rv, obj, d);
	err = err ?: prepare_event_maps(o, obj, &l->perfbuf, d);
	if (err)
		goto fail;
	select_programs(a, obj);
	err = bpf_object__load(obj);
	if (err && short_of_fds(obj)) {
		err = diag_set(d, -EMFILE,
			       "too many open files to load the tool (ulimit -n is %llu; each "
			       "map, program and link takes one): raise it",
			       (unsigned long long)fd_limit());
		goto fail;
	}
	if (err) {
		char reason[sizeof(d->msg)];

		libbpf_log_load_reason(err, reason, sizeof(reason));
		err = diag_set(d, err, "load failed: %s", reason);
		g = failed_group(a);
		if (g >= 0) {
			drop_group(a, g, d->msg);
			*retry = true;
		}
		goto fail;
	}
	if (o->verbose)
		print_loaded_ids(a->v, obj);
	err = tool_args_apply_after_load(o->settings, obj, d);
	err = err ?: attach_programs(a, l, d);
	if (!err)
		return 0;
fail:
	loaded_detach(l);
	loaded_close(l);
	return err;
}

/*
 * Optional groups that share a covers text are alternatives (the same hook under another
 * kernel's name, say): what they cover goes unseen only when every one of them was dropped.
 * -1: some group covering it is kept; else the first dropped group covering it.
 */
static int first_dropped_alike(const struct attempt *a, int g)
{
	int h, first = -1;

	for (h = 0; h < a->v->nr_optional; h++) {
		if (strcmp(a->v->optional[h].covers, a->v->optional[g].covers))
			continue;
		if (!a->dropped[h])
			return -1;
		if (first < 0)
			first = h;
	}
	return first;
}

/* Once the variant is kept: one line for each thing it cannot see, naming what was dropped. */
static void warn_dropped(const struct attempt *a)
{
	char names[256], one[256];
	size_t used;
	int g, h;

	for (g = 0; a->v && g < a->v->nr_optional; g++) {
		if (!a->dropped[g] || first_dropped_alike(a, g) != g)
			continue;
		for (h = g, used = 0, names[0] = 0; h < a->v->nr_optional && used < sizeof(names);
		     h++)
			if (!strcmp(a->v->optional[h].covers, a->v->optional[g].covers))
				used += snprintf(names + used, sizeof(names) - used, "%s%s",
						 used ? ", " : "",
						 group_names(&a->v->optional[h], one, sizeof(one)));
		diag_print("warning: not traced on this kernel: %s; %s could not be loaded or "
			   "attached%s",
			   a->v->optional[g].covers, names, a->o->verbose ? "" : " (-v says why)");
	}
}

/* Once a package without variants is kept: one line for each program left out. */
static void warn_missing(const struct attempt *a, const struct bpf_object *obj)
{
	const struct bpf_program *prog;
	int i;

	for (i = 0; a->missing && i < a->missing->nr; i++) {
		prog = bpf_object__find_program_by_name(obj, a->missing->progs[i]);
		diag_print("warning: not traced on this kernel: %s (%s): its hook does not exist "
			   "here%s%s",
			   a->missing->progs[i], prog ? bpf_program__section_name(prog) : "?",
			   a->o->verbose ? ": " : " (-v says why)",
			   a->o->verbose ? a->missing->why[i] : "");
	}
}

/*
 * A variant: one attempt, and one more for each optional group found not to load (each
 * attempt opens its own copy of the object).
 */
static int load_variant(const struct attempt *a, const struct runtime_values *rv,
			struct loaded *out, struct diag *d)
{
	int left = a->v ? a->v->nr_optional : 0, err;
	struct bpf_object *obj;
	bool retry = false;

	if (a->o->inspect) {
		err = check_hooks(a, a->o->inspect, d);
		if (err)
			return err;
	}
	do {
		if (stop_signal_raised())
			return diag_set(d, -ECANCELED, "stopped while loading");
		err = variants_open(a->o, &obj, d);
		err = err ?: try_variant(a, rv, obj, out, &retry, d);
	} while (err && retry && left-- > 0);
	return err;
}

/* The hint goes at the end of the line, cutting the message if it must. */
static void add_full_log_hint(struct diag *d)
{
	size_t len = strnlen(d->msg, sizeof(d->msg) - sizeof(FULL_LOG_HINT));

	memcpy(d->msg + len, FULL_LOG_HINT, sizeof(FULL_LOG_HINT));
}

/*
 * Each variant's reason gets a fair share of what is left of the line, but at least
 * MIN_REASON characters. A reason that does not fit loses its middle: its start names the
 * step and the program, its end the cause. False: no room left for this variant.
 */
static bool add_reason(char *reasons, size_t size, int variants_left, const char *variant,
		       const char *why)
{
	size_t used = strlen(reasons), share = (size - used) / variants_left;
	size_t head = (used ? 2 : 0) + strlen(variant) + 2, len = strlen(why), room, tail;

	if (share < head + MIN_REASON + 1)
		share = head + MIN_REASON + 1;
	if (share > size - used)
		return false;
	snprintf(reasons + used, share, "%s%s: ", used ? "; " : "", variant);
	room = share - 1 - head;
	if (len <= room) {
		snprintf(reasons + used + head, room + 1, "%s", why);
		return true;
	}
	tail = (room - 3) / 2;
	snprintf(reasons + used + head, room + 1, "%.*s...%s", (int)(room - 3 - tail), why,
		 why + len - tail);
	return true;
}

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#define CAP_BPF	    39
#endif

static bool has_cap(const struct __user_cap_data_struct *caps, int cap)
{
	return caps[cap / 32].effective & (1U << (cap % 32));
}

int variants_check_privileges(struct diag *d)
{
	struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3] = {0};

	if (syscall(SYS_capget, &head, caps))
		return 0; /* cannot tell: let the kernel answer */
	if (has_cap(caps, CAP_SYS_ADMIN) || (has_cap(caps, CAP_BPF) && has_cap(caps, CAP_PERFMON)))
		return 0;
	return diag_set(
		d, -EPERM,
		"loading BPF programs needs root, or CAP_BPF and CAP_PERFMON: run ecli with "
		"sudo");
}

/*
 * A variant with a condition serves only the options that make it hold (kill syscalls for -k,
 * the signal tracepoint without it); --variant refuses one that does not hold. The options'
 * values are those written into o->inspect.
 */
static bool variant_wanted(const struct load_opts *o, const struct hook_variant *v)
{
	return !v->when || !o->inspect || tool_args_condition(o->settings, o->inspect, v->when);
}

static void print_unwanted(const struct hook_variant *v)
{
	fprintf(stderr, "variant %s: not tried: the options given do not need it (it is for %s)\n",
		v->name, v->when);
}

/* Under -v: the variant kept, and each variant after it, which is not tried. */
static void print_kept(const struct load_opts *o, int kept, int nr_links)
{
	const struct package_meta *m = o->meta;
	const char *name = m->variants[kept].name;
	int i;

	fprintf(stderr, "variant %s: loaded and attached %d program%s\n", name, nr_links,
		nr_links == 1 ? "" : "s");
	for (i = kept + 1; i < m->nr_variants; i++)
		if (o->variant)
			fprintf(stderr, "variant %s: not tried: --variant %s\n",
				m->variants[i].name, o->variant);
		else if (!variant_wanted(o, &m->variants[i]))
			print_unwanted(&m->variants[i]);
		else
			fprintf(stderr, "variant %s: not tried: %s was kept\n", m->variants[i].name,
				name);
}

/* One line: why each variant failed, and (without -v) that -v shows libbpf's whole story. */
int variants_load_first(const struct load_opts *o, struct loaded *out, struct diag *d)
{
	const struct package_meta *m = o->meta;
	int i, n = m->nr_variants ? m->nr_variants : 1, err = 0, unlisted = 0, unwanted = 0;
	char reasons[sizeof(d->msg) - (sizeof(FAILURE_PREFIX) - 1) - (sizeof(FULL_LOG_HINT) - 1)] =
		"";
	size_t listed_room = sizeof(reasons) - sizeof("; and 9999 more");
	bool warned = false;
	struct runtime_values rv;

	err = runtime_values_read(&m->runtime, &rv, d);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		const struct hook_variant *v = m->nr_variants ? &m->variants[i] : NULL;
		struct missing_hooks missing = {.nr = 0};
		struct attempt a = {o, v, NULL, v ? NULL : &missing};

		if (v && o->variant && strcmp(v->name, o->variant)) {
			if (o->verbose)
				fprintf(stderr, "variant %s: not tried: --variant %s\n", v->name,
					o->variant);
			continue;
		}
		if (v && o->variant && !variant_wanted(o, v))
			return diag_set(
				d, -EINVAL,
				"--variant %s does not serve the options given: it is for %s",
				v->name, v->when);
		if (v && !o->variant && !variant_wanted(o, v)) {
			if (o->verbose)
				print_unwanted(v);
			unwanted++;
			continue;
		}
		if (v && v->nr_optional) {
			a.dropped = calloc(v->nr_optional, sizeof(*a.dropped));
			if (!a.dropped)
				return diag_set(d, -ENOMEM, "out of memory");
		}
		err = load_variant(&a, &rv, out, d);
		if (!err) {
			if (o->verbose && v)
				print_kept(o, i, out->nr_links);
			warn_dropped(&a);
			warn_missing(&a, out->obj);
		}
		free(a.dropped);
		/* too few descriptors fails every variant alike: that is the one thing to say */
		if (!err || (err == -ECANCELED && stop_signal_raised()) || err == -EMFILE)
			return err;
		warned = warned || libbpf_log_has_warnings();
		if (!v)
			break;
		if (o->verbose)
			fprintf(stderr, "variant %s: %s\n", v->name, d->msg);
		if (unlisted || !add_reason(reasons, listed_room, n - i, v->name, d->msg))
			unlisted++;
	}
	if (unlisted)
		snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
			 "%sand %d more", reasons[0] ? "; " : "", unlisted);
	if (m->nr_variants && unwanted == m->nr_variants)
		return diag_set(d, -EINVAL,
				"no hook variant serves the options given (each is for a "
				"condition that does not hold: -v lists them)");
	if (m->nr_variants)
		err = diag_set(d, -ENOTSUP, FAILURE_PREFIX "%s", reasons);
	if (warned && !o->verbose)
		add_full_log_hint(d);
	return err;
}

void loaded_detach(struct loaded *l)
{
	int i;

	for (i = 0; i < l->nr_links; i++)
		bpf_link__destroy(l->links[i]);
	free(l->links);
	l->links = NULL;
	l->nr_links = 0;
}

void loaded_close(struct loaded *l)
{
	bpf_object__close(l->obj);
	l->obj = NULL;
}
