/*
 * ecc: packs a compiled BPF object and its tool schema into one package.json. What the
 * object's BTF knows (programs, maps, variables, the event struct) is derived, the schema
 * adds what BTF cannot know (help, flags, display, hook variants), and the result is checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "btf_describe.h"
#include "package_write.h"
#include "schema_check.h"

static const char usage[] =
	"usage: ecc [-o PACKAGE] OBJECT SCHEMA\n"
	"\n"
	"Packs OBJECT (a BPF ELF object with BTF) and SCHEMA (the tool's JSON: tool, args,\n"
	"hook_variants, events, display, exit_maps) into PACKAGE (default: package.json).\n";

static const char *const schema_keys[] = {"tool",   "args",    "hook_variants",
					  "events", "display", "exit_maps"};

static int read_file(const char *path, char **data, size_t *size, struct diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st)) {
		int err = -errno;

		if (fd >= 0)
			close(fd);
		return diag_set(d, err, "%s: %s", path, strerror(-err));
	}
	*data = malloc(st.st_size + 1);
	n = *data ? read(fd, *data, st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		free(*data);
		return diag_set(d, -EIO, "%s: cannot read", path);
	}
	(*data)[n] = 0;
	*size = n;
	return 0;
}

static cJSON *read_schema(const char *path, struct diag *d)
{
	char *text = NULL;
	size_t size, i;
	cJSON *schema, *item;

	if (read_file(path, &text, &size, d))
		return NULL;
	schema = cJSON_ParseWithLength(text, size);
	free(text);
	if (!cJSON_IsObject(schema)) {
		diag_set(d, -EINVAL, "%s: not a JSON object", path);
		cJSON_Delete(schema);
		return NULL;
	}
	cJSON_ArrayForEach(item, schema) {
		for (i = 0; i < sizeof(schema_keys) / sizeof(schema_keys[0]); i++)
			if (!strcmp(item->string, schema_keys[i]))
				break;
		if (i == sizeof(schema_keys) / sizeof(schema_keys[0])) {
			diag_set(d, -EINVAL, "%s: unknown key \"%s\"", path, item->string);
			cJSON_Delete(schema);
			return NULL;
		}
	}
	return schema;
}

static const char *schema_string(const cJSON *schema, const char *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(schema, obj), key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* meta = derived bpf_skel and export_types, then the schema's keys as written. */
static cJSON *build_meta(struct bpf_object *obj, cJSON *schema, struct diag *d)
{
	const char *type = schema_string(schema, "events", "type");
	cJSON *meta = cJSON_CreateObject(), *skel, *types = NULL, *item;

	skel = describe_skeleton(obj, schema_string(schema, "tool", "description"), d);
	if (type) {
		cJSON *export = describe_export_type(obj, type, d);

		types = export ? cJSON_CreateArray() : NULL;
		if (types)
			cJSON_AddItemToArray(types, export);
	}
	if (!meta || !skel || (type && !types)) {
		cJSON_Delete(meta);
		cJSON_Delete(skel);
		return NULL;
	}
	cJSON_AddItemToObject(meta, "bpf_skel", skel);
	if (types)
		cJSON_AddItemToObject(meta, "export_types", types);
	while ((item = schema->child)) {
		cJSON_DetachItemViaPointer(schema, item);
		cJSON_AddItemToObject(meta, item->string, item);
	}
	return meta;
}

/* As eunomia names objects: "dir/bindsnoop.bpf.o" is "bindsnoop_bpf". */
static void object_name(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);
	char *p;

	if (n > 2 && !strcmp(base + n - 2, ".o"))
		n -= 2;
	snprintf(name, len, "%.*s", (int)n, base);
	for (p = name; *p; p++)
		if (*p == '.' || *p == '-')
			*p = '_';
}

static int pack(const char *out, const char *obj_path, const char *schema_path, struct diag *d)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_object *obj = NULL;
	char name[64];
	cJSON *schema = NULL, *meta = NULL;
	char *data = NULL;
	size_t size = 0;
	int err;

	err = read_file(obj_path, &data, &size, d);
	object_name(obj_path, name, sizeof(name));
	opts.object_name = name;
	if (!err && !(obj = bpf_object__open_mem(data, size, &opts)))
		err = diag_set(d, -errno, "%s: not a BPF object libbpf can open", obj_path);
	if (!err && !bpf_object__btf(obj))
		err = diag_set(d, -EINVAL, "%s: has no BTF (compile with -g)", obj_path);
	if (!err && !(schema = read_schema(schema_path, d)))
		err = -EINVAL;
	if (!err && !(meta = build_meta(obj, schema, d)))
		err = -EINVAL;
	err = err ?: schema_check(meta, obj, d);
	if (!err) {
		err = package_write(out, data, size, meta, d);
		meta = NULL;
	}
	cJSON_Delete(meta);
	cJSON_Delete(schema);
	bpf_object__close(obj);
	free(data);
	return err;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int main(int argc, char **argv)
{
	const char *out = "package.json";
	struct diag d = {""};
	int opt;

	libbpf_set_print(silent);
	while ((opt = getopt(argc, argv, "ho:")) != -1) {
		if (opt == 'o') {
			out = optarg;
		} else {
			fputs(usage, opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (argc - optind != 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (pack(out, argv[optind], argv[optind + 1], &d)) {
		fprintf(stderr, "ecc: %s\n", d.msg);
		return 2;
	}
	return 0;
}
