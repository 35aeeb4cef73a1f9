// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "core/cgroup_path.h"
#include "core/file_io.h"
#include "output/cgroup_names.h"

#define FILEID_KERNFS 0xfe	  /* a cgroup folder's file handle: its 64-bit id */
#define MAX_KEPT      65536	  /* ids kept; past it the cache starts again */
#define MAX_DEPTH     64	  /* folders nest at most this deep in a walk */
#define STATE_MAX     (64u << 20) /* the largest state file read */
#define ID_DIGITS     64
#define SHORT_ID      12

struct cgroup_names {
	char root[PATH_MAX];
	int root_fd;
	struct cgroup_info **slots; /* open addressing, a power of two, at most half full */
	size_t nr_slots, nr;
	struct cgroup_info *last;
	struct cgroup_info none; /* what a failed allocation gives */
};

int cgroup_names_open(struct cgroup_names **out, struct diag *d)
{
	struct cgroup_names *cn = calloc(1, sizeof(*cn));
	int err;

	if (!cn)
		return diag_set(d, -ENOMEM, "out of memory");
	err = cgroup2_root(cn->root, sizeof(cn->root));
	cn->root_fd = err ? -1 : open(cn->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!err && cn->root_fd < 0)
		err = -errno;
	if (err) {
		free(cn);
		return diag_set(d, err, "cgroup names: no cgroup v2 hierarchy to read (%s)",
				strerror(-err));
	}
	*out = cn;
	return 0;
}

static void info_release(struct cgroup_info *i)
{
	free(i->path);
	free(i->container);
	free(i->container_id);
	free(i->unit);
}

static void info_free(struct cgroup_info *i)
{
	info_release(i);
	free(i);
}

static void forget_all(struct cgroup_names *cn)
{
	size_t i;

	for (i = 0; i < cn->nr_slots; i++)
		if (cn->slots[i])
			info_free(cn->slots[i]);
	free(cn->slots);
	cn->slots = NULL;
	cn->nr_slots = cn->nr = 0;
	cn->last = NULL;
}

void cgroup_names_free(struct cgroup_names *cn)
{
	if (!cn)
		return;
	forget_all(cn);
	if (cn->root_fd >= 0)
		close(cn->root_fd);
	free(cn);
}

/* The folder's path below the root, by the id as a file handle (CAP_DAC_READ_SEARCH). */
static int path_by_handle(struct cgroup_names *cn, uint64_t id, char *path, size_t size)
{
	union {
		struct file_handle fh;
		char bytes[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;
	char link[64], target[PATH_MAX];
	size_t root_len = strlen(cn->root);
	ssize_t n;
	int fd;

	h.fh.handle_bytes = sizeof(id);
	h.fh.handle_type = FILEID_KERNFS;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(cn->root_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	target[n] = 0;
	if (strncmp(target, cn->root, root_len) || (target[root_len] && target[root_len] != '/'))
		return -ENOENT; /* not below the root this process sees */
	snprintf(path, size, "%s", target[root_len] ? target + root_len : "/");
	return 0;
}

struct walk {
	int (*fn)(void *ctx, uint64_t id, const char *path);
	void *ctx;
	char path[PATH_MAX];
};

/*
 * Calls w->fn for dirfd's folder (w->path) and every folder below it, depth first, until fn
 * returns non-zero (1: found, stop); closes dirfd.
 */
static int walk_dir(struct walk *w, int dirfd, int depth)
{
	size_t len = strlen(w->path);
	struct dirent *e;
	struct stat st;
	DIR *dir;
	int fd, err;

	err = fstat(dirfd, &st) ? -errno : w->fn(w->ctx, st.st_ino, len ? w->path : "/");
	dir = err || depth >= MAX_DEPTH ? NULL : fdopendir(dirfd);
	if (!dir) {
		err = err ?: depth >= MAX_DEPTH ? 0 : -errno;
		close(dirfd);
		return err;
	}
	while (!err && (e = readdir(dir))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.' ||
		    len + 1 + strlen(e->d_name) >= sizeof(w->path))
			continue;
		fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue; /* removed meanwhile */
		snprintf(w->path + len, sizeof(w->path) - len, "/%s", e->d_name);
		err = walk_dir(w, fd, depth + 1);
		w->path[len] = 0;
	}
	closedir(dir); /* closes dirfd */
	return err;
}

static int walk_all(struct cgroup_names *cn, int (*fn)(void *ctx, uint64_t id, const char *path),
		    void *ctx)
{
	struct walk w = {.fn = fn, .ctx = ctx};
	int fd = openat(cn->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : walk_dir(&w, fd, 0);
}

struct find {
	uint64_t id;
	char *path;
	size_t size;
	bool found;
};

static int find_one(void *ctx, uint64_t id, const char *path)
{
	struct find *f = ctx;

	if (id != f->id)
		return 0;
	snprintf(f->path, f->size, "%s", path);
	f->found = true;
	return 1;
}

/* Without the capability file handles need: the walk, comparing inode numbers (the ids). */
static int path_of(struct cgroup_names *cn, uint64_t id, char *path, size_t size)
{
	struct find f = {.id = id, .path = path, .size = size};
	int err = path_by_handle(cn, id, path, size);

	if (err != -EPERM && err != -EOPNOTSUPP && err != -ENOSYS)
		return err;
	err = walk_all(cn, find_one, &f);
	return err < 0 ? err : f.found ? 0 : -ENOENT;
}

static bool is_hex_id(const char *s, size_t len)
{
	return len == ID_DIGITS && strspn(s, "0123456789abcdef") >= ID_DIGITS;
}

/* How each runtime names a container's folder: PREFIX + 64 hex digits + SUFFIX. */
static const struct folder_name {
	const char *prefix, *suffix, *runtime;
} folder_names[] = {
	{"libpod-", ".scope", "podman"},
	{"libpod-", "", "podman"},
	{"docker-", ".scope", "docker"},
	{"cri-containerd-", ".scope", "containerd"},
	{"nerdctl-", ".scope", "containerd"},
	{"crio-", ".scope", "cri-o"},
	{"crio-", "", "cri-o"},
	{"", "", NULL}, /* docker's, kubepods' cgroupfs ones */
};

/* The container id a folder name holds (into id), and its runtime if the name tells it. */
static bool folder_container(const char *name, size_t len, char *id, const char **runtime)
{
	const struct folder_name *f;
	size_t p, s;

	for (f = folder_names; f < folder_names + sizeof(folder_names) / sizeof(*f); f++) {
		p = strlen(f->prefix);
		s = strlen(f->suffix);
		if (len != p + ID_DIGITS + s || strncmp(name, f->prefix, p) ||
		    strncmp(name + p + ID_DIGITS, f->suffix, s) || !is_hex_id(name + p, ID_DIGITS))
			continue;
		memcpy(id, name + p, ID_DIGITS);
		id[ID_DIGITS] = 0;
		*runtime = f->runtime;
		return true;
	}
	return false;
}

static bool ends_with(const char *name, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && !strncmp(name + len - n, suffix, n);
}

static bool is_unit_name(const char *name, size_t len)
{
	static const char *const suffixes[] = {".service", ".scope", ".socket", ".mount", ".swap"};
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++)
		if (ends_with(name, len, suffixes[i]))
			return true;
	return false;
}

static cJSON *read_json(const char *path)
{
	size_t size;
	char *data;
	cJSON *json;

	if (file_read(path, STATE_MAX, &data, &size, NULL))
		return NULL;
	json = cJSON_ParseWithLength(data, size);
	free(data);
	return json;
}

static char *string_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring[0] ? strdup(v->valuestring) : NULL;
}

/* An OCI bundle's config.json: the name its annotations give (Kubernetes', nerdctl's). */
static char *annotated_name(const char *config)
{
	static const char *const keys[] = {"io.kubernetes.cri.container-name",
					   "io.kubernetes.container.name", "nerdctl/name"};
	cJSON *json = read_json(config);
	const cJSON *notes = cJSON_GetObjectItemCaseSensitive(json, "annotations");
	char *name = NULL;
	size_t i;

	for (i = 0; !name && i < sizeof(keys) / sizeof(*keys); i++)
		name = string_of(notes, keys[i]);
	cJSON_Delete(json);
	return name;
}

/* containers/storage's containers.json (podman's, CRI-O's): an array of {id, names}. */
static char *storage_name(const char *id)
{
	static const char *const files[] = {
		"/var/lib/containers/storage/overlay-containers/containers.json",
		"/var/lib/containers/storage/vfs-containers/containers.json"};
	const cJSON *c, *names;
	char *name = NULL;
	cJSON *json;
	size_t i;

	for (i = 0; !name && i < sizeof(files) / sizeof(*files); i++) {
		json = read_json(files[i]);
		cJSON_ArrayForEach(c, json) {
			const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "id");

			if (!cJSON_IsString(cid) || strcmp(cid->valuestring, id))
				continue;
			names = cJSON_GetObjectItemCaseSensitive(c, "names");
			if (cJSON_IsString(cJSON_GetArrayItem(names, 0)))
				name = strdup(cJSON_GetArrayItem(names, 0)->valuestring);
			break;
		}
		cJSON_Delete(json);
	}
	return name;
}

static char *docker_name(const char *id)
{
	char path[PATH_MAX], *name;
	cJSON *json;

	snprintf(path, sizeof(path), "/var/lib/docker/containers/%s/config.v2.json", id);
	json = read_json(path);
	name = string_of(json, "Name");
	cJSON_Delete(json);
	if (name && name[0] == '/')
		memmove(name, name + 1, strlen(name));
	return name;
}

/* containerd's task bundles, one folder per namespace ("k8s.io", "default", ...). */
static char *containerd_name(const char *id)
{
	char pattern[PATH_MAX], *name = NULL;
	glob_t g;
	size_t i;

	if ((size_t)snprintf(pattern, sizeof(pattern),
			     "/run/containerd/io.containerd.runtime.v2.task/*/%s",
			     id) >= sizeof(pattern) ||
	    glob(pattern, GLOB_ONLYDIR | GLOB_NOSORT, NULL, &g))
		return NULL;
	for (i = 0; !name && i < g.gl_pathc; i++) {
		snprintf(pattern, sizeof(pattern), "%s/config.json", g.gl_pathv[i]);
		name = annotated_name(pattern);
	}
	globfree(&g);
	return name;
}

static char *crio_name(const char *id)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path),
		 "/run/containers/storage/overlay-containers/%s/userdata/config.json", id);
	return annotated_name(path);
}

/* The container's name from its runtime's state (trying each when the folder did not say). */
static void name_container(struct cgroup_info *i)
{
	static const struct {
		const char *runtime;
		char *(*name)(const char *id);
	} runtimes[] = {{"podman", storage_name},
			{"docker", docker_name},
			{"containerd", containerd_name},
			{"cri-o", crio_name},
			{"cri-o", storage_name}};
	size_t r;

	for (r = 0; !i->container && r < sizeof(runtimes) / sizeof(*runtimes); r++) {
		if (i->runtime && strcmp(i->runtime, runtimes[r].runtime))
			continue;
		i->container = runtimes[r].name(i->container_id);
		if (i->container && !i->runtime)
			i->runtime = runtimes[r].runtime;
	}
	if (!i->container)
		i->container = strndup(i->container_id, SHORT_ID);
	if (!i->runtime)
		i->runtime = "unknown";
}

/* The innermost folder naming a container makes it one; else the innermost unit names it. */
static void classify(struct cgroup_info *i)
{
	const char *c = i->path, *end, *runtime = NULL, *unit = NULL;
	char id[ID_DIGITS + 1];
	size_t len, unit_len = 0;
	bool container = false;

	for (; *c; c = end) {
		c += strspn(c, "/");
		end = c + strcspn(c, "/");
		len = end - c;
		if (folder_container(c, len, id, &runtime)) {
			container = true;
			free(i->container_id);
			i->container_id = strdup(id);
			i->runtime = runtime;
			unit = NULL;
		} else if (!container && is_unit_name(c, len)) {
			unit = c;
			unit_len = len;
		}
	}
	if (container && i->container_id)
		name_container(i);
	else if (unit)
		i->unit = strndup(unit, unit_len);
}

static struct cgroup_info *resolve(struct cgroup_names *cn, uint64_t id)
{
	struct cgroup_info *i = calloc(1, sizeof(*i));
	char path[PATH_MAX];

	if (!i)
		return NULL;
	i->id = id;
	if (!path_of(cn, id, path, sizeof(path))) {
		i->path = strdup(path);
		if (i->path)
			classify(i);
	}
	return i;
}

static size_t slot_of(struct cgroup_info **slots, size_t nr, uint64_t id)
{
	size_t s = (id * 0x9e3779b97f4a7c15ULL >> 32) & (nr - 1);

	while (slots[s] && slots[s]->id != id)
		s = (s + 1) & (nr - 1);
	return s;
}

static int keep(struct cgroup_names *cn, struct cgroup_info *i)
{
	size_t nr = cn->nr_slots ? cn->nr_slots * 2 : 64, s;
	struct cgroup_info **slots;

	if (cn->nr >= MAX_KEPT)
		forget_all(cn);
	if ((cn->nr + 1) * 2 > cn->nr_slots) {
		slots = calloc(nr, sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		for (s = 0; s < cn->nr_slots; s++)
			if (cn->slots[s])
				slots[slot_of(slots, nr, cn->slots[s]->id)] = cn->slots[s];
		free(cn->slots);
		cn->slots = slots;
		cn->nr_slots = nr;
	}
	cn->slots[slot_of(cn->slots, cn->nr_slots, i->id)] = i;
	cn->nr++;
	return 0;
}

const struct cgroup_info *cgroup_names_get(struct cgroup_names *cn, uint64_t id)
{
	struct cgroup_info *i;
	size_t s;

	if (cn->last && cn->last->id == id)
		return cn->last;
	s = cn->nr_slots ? slot_of(cn->slots, cn->nr_slots, id) : 0;
	i = cn->nr_slots ? cn->slots[s] : NULL;
	if (!i) {
		i = resolve(cn, id);
		if (i && keep(cn, i)) {
			info_free(i);
			i = NULL;
		}
	}
	if (!i) {
		memset(&cn->none, 0, sizeof(cn->none));
		cn->none.id = id;
		return &cn->none;
	}
	return cn->last = i;
}

struct matching {
	enum cgroup_match what;
	const char *value;
	char unit[NAME_MAX + 1];
	int (*fn)(void *ctx, uint64_t id);
	void *ctx;
	int count;
	int fn_err; /* fn's error, which stopped the walk (fn set the message) */
};

/* Whether path has a folder named name. */
static bool has_folder(const char *path, const char *name)
{
	size_t len = strlen(name);
	const char *c;

	for (c = path; c && (c = strstr(c, name)); c += len)
		if (c > path && c[-1] == '/' && (!c[len] || c[len] == '/'))
			return true;
	return false;
}

/* A slice names every cgroup below it, a unit its own cgroup and those below. */
static bool names(const struct matching *m, const struct cgroup_info *i)
{
	size_t len = strlen(m->value);

	if (m->what == CGROUP_MATCH_UNIT && ends_with(m->unit, strlen(m->unit), ".slice"))
		return i->path && has_folder(i->path, m->unit);
	if (m->what == CGROUP_MATCH_UNIT)
		return i->unit && !strcmp(i->unit, m->unit);
	return i->runtime && ((i->container && !strcmp(i->container, m->value)) ||
			      (len >= SHORT_ID && !strncmp(i->container_id, m->value, len)));
}

static int match_one(void *ctx, uint64_t id, const char *path)
{
	struct matching *m = ctx;
	struct cgroup_info i = {.id = id, .path = strdup(path)};
	bool named;
	int err;

	if (i.path)
		classify(&i); /* the walk has the path: no lookup by id, nothing cached */
	named = names(m, &i);
	info_release(&i);
	if (!named)
		return 0;
	err = m->fn(m->ctx, id);
	m->count++;
	if (err < 0)
		m->fn_err = err;
	return err < 0 ? err : 0;
}

int cgroup_names_match(struct cgroup_names *cn, enum cgroup_match what, const char *value,
		       int (*fn)(void *ctx, uint64_t id), void *ctx, struct diag *d)
{
	struct matching m = {.what = what, .value = value, .fn = fn, .ctx = ctx};
	int err;

	snprintf(m.unit, sizeof(m.unit), "%s%s", value,
		 is_unit_name(value, strlen(value)) || ends_with(value, strlen(value), ".slice")
			 ? ""
			 : ".service");
	err = walk_all(cn, match_one, &m);
	if (m.fn_err)
		return m.fn_err;
	if (err < 0)
		return diag_set(d, err, "cgroup names: cannot read %s (%s)", cn->root,
				strerror(-err));
	return m.count;
}
