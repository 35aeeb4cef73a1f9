# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Builds ecc (packer), ecli (loader) and the tool packages; runs tests and benchmarks.
# Missing Debian packages are installed with apt-get when run as root.

BUILD    := build
VERSION  := 0.8.0
# A target whose recipe fails is deleted, so a half-written file never counts as built.
.DELETE_ON_ERROR:
# Short build lines; V=1 shows the commands.
ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2)
endif
CC       ?= gcc
CLANG    ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL  ?= bpftool
PYTHON   ?= /usr/bin/python3
# A tool is a folder: tools/<tool>/{<tool>.bpf.c, <tool>.h, <tool>.json}.
TOOLS    := $(notdir $(wildcard tools/*))

DEB_PACKAGES := gcc make clang llvm libbpf-dev libelf-dev zlib1g-dev libcjson-dev bpftool \
		python3 python3-jsonschema valgrind libclang-rt-14-dev libcurl4-openssl-dev libssl-dev \
		docker-registry libsodium23 python3-cryptography python3-nacl python3-yaml systemd

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Wno-unused-parameter
CFLAGS   ?= -O2 -g
# The project's version: ecli --version, ecc --version, the packages, the User-Agent.
CFLAGS   += -std=gnu11 $(WARN) -D_GNU_SOURCE -Ilib -DECLI_VERSION='"$(VERSION)"'
# libcurl fetches packages from URLs and registries; libcrypto (OpenSSL) computes their sha256
# and checks their cosign signatures (ECDSA); libsodium opens cosign's private keys (scrypt and
# NaCl secretbox) for push --sign.
# All three are opened with dlopen on first use (lib/core/lazy_lib.h), not linked: linked, they cost
# every start 5 ms and 4 MB. Their -dev packages give the headers; the .deb depends on them.
LDLIBS   := -lbpf -lelf -lz -lcjson

# ecc compiles the tools (clang -g -O2 -target bpf, DWARF stripped, BTF kept) with the include
# dir staged here: vmlinux.h, libbpf's BPF headers, the project's bpf/*.bpf.h. In-tree tools
# also get -Wall -Werror.
INCLUDE_DIR := $(BUILD)/include
LIBBPF_INCLUDE := /usr/include/bpf
LIBBPF_HEADERS := bpf_helpers.h bpf_helper_defs.h bpf_core_read.h bpf_tracing.h bpf_endian.h
PROJECT_BPF_HEADERS := $(wildcard bpf/*.bpf.h)
# Kernel types for each architecture ecc builds for (vmlinux.h includes the one compiled for):
# this machine's from its own kernel's BTF, the other's from Debian 12's kernel for it.
HOST_ARCH := $(shell uname -m)
ARCHES    := x86_64 aarch64
INCLUDE_FILES := $(INCLUDE_DIR)/vmlinux.h $(ARCHES:%=$(INCLUDE_DIR)/vmlinux-%.h) \
		 $(LIBBPF_HEADERS:%=$(INCLUDE_DIR)/bpf/%) \
		 $(PROJECT_BPF_HEADERS:bpf/%=$(INCLUDE_DIR)/%)
ECC_ENV  := CLANG=$(CLANG) LLVM_STRIP=$(LLVM_STRIP) ECC_CFLAGS="-Wall -Werror"

# Two programs over one library: ecli/ and ecc/ link lib/ (libecli.a), whose folders are the
# pipeline's stages, each using only those below it (tests/layering.sh checks).
LIB_STAGES := core object format fetch output args load check
LIB_SRC  := $(foreach s,$(LIB_STAGES),$(wildcard lib/$(s)/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libecli.a
ECLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard ecli/*.c))
ECC_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard ecc/*.c))
PACKAGES := $(TOOLS:%=$(BUILD)/packages/%/package.json)
DEPS_OK  := $(BUILD)/.deps-ok

.PHONY: all deps include run test test-ecc-source unit live fuzz bench format clean
all: $(BUILD)/ecli $(BUILD)/ecc $(INCLUDE_FILES) $(PACKAGES)

# Installs what a fresh Debian 12 machine lacks; a stamp keeps later builds from asking again.
# docker-registry is for the fetch tests, which start their own on 127.0.0.1: the system
# service its package enables (on :5000, all interfaces) is stopped and disabled again.
deps: $(DEPS_OK)
$(DEPS_OK): Makefile
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "missing Debian packages: $$missing (run make as root to install them)" >&2; exit 1; \
		fi; \
		echo "installing: $$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		if echo "$$missing" | grep -qx docker-registry && [ -d /run/systemd/system ]; then \
			systemctl disable --now docker-registry >/dev/null 2>&1 || true; \
		fi; \
	fi
	@mkdir -p $(BUILD) && touch $@

# vmlinux-ARCH.h: bpftool's types, then the kernel's kfuncs (ecc --kfuncs), which bpftool 7.1
# omits. vmlinux.h picks one by the __TARGET_ARCH_* ecc defines.
$(INCLUDE_DIR)/vmlinux.h: bpf/vmlinux.h
	@mkdir -p $(@D)
	$(Q)cp $< $@
define vmlinux_header
	@mkdir -p $(@D)
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file $(1) format c > $@.tmp && \
		$(BUILD)/ecc --kfuncs $(1) >> $@.tmp && mv $@.tmp $@
endef
$(INCLUDE_DIR)/vmlinux-$(HOST_ARCH).h: | $(DEPS_OK) $(BUILD)/ecc
	@test -r /sys/kernel/btf/vmlinux || { echo "no /sys/kernel/btf/vmlinux: this kernel has no BTF to build CO-RE programs against" >&2; exit 1; }
	$(call vmlinux_header,/sys/kernel/btf/vmlinux)
# Debian 12's kernel for another architecture (kernels/: fetched once, nothing installed)
DEBIAN_ARCH_x86_64  := amd64
DEBIAN_ARCH_aarch64 := arm64
$(BUILD)/kernels/%-btf/.ok: kernels/fetch_kernel.sh kernels/kernel_btf.sh | $(DEPS_OK)
	$(Q)kernels/fetch_kernel.sh $(BUILD)/kernels/$* $(DEBIAN_ARCH_$*)
	$(Q)rm -rf $(@D) # one kernel's BTF: the one fetched
	$(Q)kernels/kernel_btf.sh $(BUILD)/kernels/$* $(@D)
	@touch $@
$(foreach a,$(filter-out $(HOST_ARCH),$(ARCHES)),$(eval \
$(INCLUDE_DIR)/vmlinux-$(a).h: $(BUILD)/kernels/$(a)-btf/.ok | $(BUILD)/ecc ; \
	$$(call vmlinux_header,$$$$(ls $(BUILD)/kernels/$(a)-btf/*.btf))))

# libbpf's bpf_helpers.h as Debian ships it, and at its end what newer libbpf adds
# (bpf/libbpf_compat.bpf.h, staged beside the other project headers).
$(INCLUDE_DIR)/bpf/bpf_helpers.h: bpf/libbpf_compat.bpf.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(Q){ cat $(LIBBPF_INCLUDE)/bpf_helpers.h; \
	      printf '\n#include "../libbpf_compat.bpf.h" /* added by ecc */\n'; } > $@.tmp && mv $@.tmp $@

$(INCLUDE_DIR)/bpf/%.h: | $(DEPS_OK)
	@mkdir -p $(@D)
	$(Q)cp $(LIBBPF_INCLUDE)/$*.h $@

$(INCLUDE_DIR)/%.bpf.h: bpf/%.bpf.h
	@mkdir -p $(@D)
	$(Q)cp $< $@

include: $(INCLUDE_FILES)

# -MMD: each object depends on the headers it includes (build/obj/**/*.d), nothing more.
$(BUILD)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(call msg,CC,$<)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@
-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/obj/lib/*/*.d)

$(LIB): $(LIB_OBJ)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/ecli: $(ECLI_OBJ) $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@
$(BUILD)/ecc: $(ECC_OBJ) $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

# A tool is built the way its README tells authors to: one ecc command from its source.
# (A rule per tool: a pattern rule substitutes only the first % of each prerequisite.)
define tool_rule
$(BUILD)/packages/$(1)/package.json: tools/$(1)/$(1).bpf.c tools/$(1)/$(1).h tools/$(1)/$(1).json \
				     bpf/*.h $(BUILD)/ecc $(INCLUDE_FILES)
	@mkdir -p $$(@D)
	$$(call msg,ECC,$$@)
	$(Q)$(ECC_ENV) $(BUILD)/ecc -o $$@ --save-object $$(@D)/$(1).bpf.o tools/$(1)/$(1).bpf.c \
		tools/$(1)/$(1).h tools/$(1)/$(1).json
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

# Starts bindsnoop; extra tool arguments go in ARGS, e.g. make run ARGS="-E -t".
run: all
	$(BUILD)/ecli run $(BUILD)/packages/bindsnoop/package.json $(ARGS)

# ecli for arm64, cross-compiled against Debian 12's arm64 -dev packages (and the programs the
# arm64 test VM runs), unpacked into build/arm64-root with everything they depend on
# (packaging/foreign_root.sh: nothing is installed); the same Makefile, run with BUILD and CC
# set, builds it in build/aarch64.
ARM64_ROOT := $(BUILD)/arm64-root
ARM64_DEBS := libbpf-dev libelf-dev zlib1g-dev libcjson-dev libssl-dev libcurl4-openssl-dev \
	      libc6-dev linux-libc-dev busybox-static python3.11-minimal libpython3.11-stdlib \
	      bpftool util-linux mount coreutils libbpf-tools
ARM64_CC   := aarch64-linux-gnu-gcc --sysroot=$(abspath $(ARM64_ROOT))
# its runtime .deb (packaging.mk), which the arm64 test VM runs (tests.mk)
DEB_DIR_ARM64  := $(BUILD)/deb-arm64
DEB_ECLI_ARM64 := $(DEB_DIR_ARM64)/ecli_$(VERSION)_arm64.deb
$(ARM64_ROOT)/.packages: packaging/foreign_root.sh Makefile | $(DEPS_OK)
	$(Q)packaging/need_debs.sh gcc-aarch64-linux-gnu
	$(Q)packaging/foreign_root.sh arm64 $(ARM64_ROOT) $(ARM64_DEBS)
$(BUILD)/aarch64/ecli $(BUILD)/aarch64/tests/sockcalls: $(ARM64_ROOT)/.packages $(LIB_SRC) \
		$(wildcard ecli/*.c lib/*/*.h) tests/live/sockcalls.c
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/aarch64 CC="$(ARM64_CC)" $@

include tests/tests.mk
# make install / uninstall (PREFIX, DESTDIR), make deb, make images
include packaging/packaging.mk

format:
	clang-format -i lib/*/*.[ch] ecli/*.[ch] ecc/*.[ch] bpf/*.h tools/*/*.[ch] tests/bpf/*.c tests/ecc/*/*.[ch] \
		tests/validate/*.[ch] tests/unit/*.[ch] tests/fuzz/*.c tests/bench/*.c tests/live/*.c \
		tests/corrupt/*.[ch]

clean:
	rm -rf $(BUILD)
