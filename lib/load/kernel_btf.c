// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "load/kernel_btf.h"
#include "format/package_btf_for.h"

#define CORE_RELO_LEN_OFFSET 28 /* in struct btf_ext_header, after hdr_len and 4 offset/lens */
#define EXT_HEADER_MIN	     32

/* Whether the kernel's BTF is where libbpf looks: sysfs first, then the vmlinux files it tries. */
static bool kernel_has_btf(void)
{
	struct btf *btf;

	if (!access(KERNEL_BTF_PATH, R_OK))
		return true;
	btf = btf__load_vmlinux_btf();
	if (libbpf_get_error(btf))
		return false;
	btf__free(btf);
	return true;
}

/* object_check has vouched for the ELF and .BTF.ext's header before this runs. */
static bool has_core_relos(const void *object, size_t size)
{
	Elf *elf = elf_version(EV_CURRENT) == EV_NONE ? NULL : elf_memory((char *)object, size);
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	bool found = false;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	while (!found && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *data;
		uint32_t hdr_len, len;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(name, ".BTF.ext") || !(data = elf_getdata(scn, NULL)) ||
		    data->d_size < EXT_HEADER_MIN)
			continue;
		memcpy(&hdr_len, (char *)data->d_buf + 4, 4);
		memcpy(&len, (char *)data->d_buf + CORE_RELO_LEN_OFFSET, 4);
		found = hdr_len >= EXT_HEADER_MIN && len > 0;
	}
out:
	elf_end(elf);
	return found;
}

/* Programs that attach by kernel BTF ID (fentry, fexit, tp_btf, lsm, ...) need it to load. */
static bool has_btf_attached_programs(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		enum bpf_prog_type t = bpf_program__type(prog);

		if (t == BPF_PROG_TYPE_TRACING || t == BPF_PROG_TYPE_LSM ||
		    t == BPF_PROG_TYPE_EXT || t == BPF_PROG_TYPE_STRUCT_OPS)
			return true;
	}
	return false;
}

static int refuse(const struct package *pkg, const char *release, struct diag *d)
{
	char have[160] = "";
	size_t used = 0;
	int i;

	for (i = 0; i < pkg->nr_btfs && used < sizeof(have); i++)
		used += snprintf(have + used, sizeof(have) - used, "%s%s", i ? ", " : "",
				 pkg->btfs[i].release);
	if (pkg->nr_btfs)
		return diag_set(d, -ENOENT,
				"this kernel has no BTF (" KERNEL_BTF_PATH " is missing) and the "
				"package embeds BTF for %s, not for %s: CO-RE needs one: give it "
				"with --btf FILE (e.g. from BTFHub or the kernel's debug package)",
				have, release);
	return diag_set(d, -ENOENT,
			"this kernel has no BTF (" KERNEL_BTF_PATH " is missing): CO-RE needs "
			"one: give it with --btf FILE (e.g. from BTFHub or the kernel's debug "
			"package)");
}

static int use_embedded(const struct embedded_btf *b, struct kernel_btf *kb, bool verbose,
			struct diag *d)
{
	int fd = memfd_create("ecli-kernel-btf", MFD_CLOEXEC);
	size_t done = 0;
	ssize_t n;

	if (fd < 0)
		return diag_set(d, -errno, "memfd_create for the embedded BTF: %s",
				strerror(errno));
	while (done < b->size) {
		n = write(fd, (const char *)b->data + done, b->size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO;

			close(fd);
			return diag_set(d, err, "writing the embedded BTF to a memfd: %s",
					strerror(-err));
		}
		done += n;
	}
	kb->fd = fd;
	snprintf(kb->path, sizeof(kb->path), "/proc/self/fd/%d", fd);
	if (verbose)
		diag_print("this kernel has no BTF: using the package's BTF for %s (%zu bytes, "
			   "in a memfd at %s)",
			   b->release, b->size, kb->path);
	return 0;
}

int kernel_btf_resolve(const struct package *pkg, struct bpf_object *obj, const char **btf_path,
		       struct kernel_btf *kb, bool verbose, struct diag *d)
{
	const struct embedded_btf *b;
	struct utsname u;
	int err;

	if (*btf_path || kernel_has_btf())
		return 0;
	if (!has_core_relos(pkg->object, pkg->object_size) && !has_btf_attached_programs(obj))
		return 0;
	if (uname(&u))
		return diag_set(d, -errno, "uname: %s", strerror(errno));
	b = package_btf_for_release(pkg, u.release);
	if (!b)
		return refuse(pkg, u.release, d);
	err = use_embedded(b, kb, verbose, d);
	if (!err)
		*btf_path = kb->path;
	return err;
}

void kernel_btf_release(struct kernel_btf *kb)
{
	if (kb->fd >= 0)
		close(kb->fd);
	kb->fd = -1;
}
