# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tests: C unit tests (plain and under ASan+UBSan), package schema validation, broken inputs
# (ecc, ecli and the JSON Schema refuse the same mistakes), live tests (real packages loaded into
# this kernel; SKIP_LIVE=1 skips them and says so), fuzz smoke runs.

UNIT_SRC  := $(wildcard tests/unit/*.c)
# ecc's modules (all but its main) for the unit tests of its parsers, included as "source_scan.h".
ECC_MOD_SRC := $(filter-out ecc/main.c,$(wildcard ecc/*.c))
ECC_MOD_OBJ := $(ECC_MOD_SRC:%.c=$(BUILD)/obj/%.o)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_CFLAGS := -O1 -g -std=gnu11 $(WARN) -D_GNU_SOURCE -Ilib $(SAN_FLAGS)

# libFuzzer targets: clang's fuzzer runtime with ASan and UBSan, over the library sources.
FUZZ_TARGETS := package object args render
FUZZ_CFLAGS := -g -O1 -std=gnu11 $(WARN) -D_GNU_SOURCE -Ilib -Itests/fuzz \
	       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_SECONDS ?= 300

# Test packages: tests/bpf/<name>.bpf.c packed with tests/bpf/<name>.json, loaded by the live
# suites (a program the verifier rejects, hook variants that share programs). Built by `make`
# too, so a live suite can run right after it.
TEST_PACKAGES := $(patsubst tests/bpf/%.bpf.c,$(BUILD)/test-packages/%/package.json,\
		   $(wildcard tests/bpf/*.bpf.c))
all: $(TEST_PACKAGES)
.PHONY: test-packages
test-packages: $(TEST_PACKAGES)

# The live suites' helper for binds and accepts Python cannot make: through io_uring and
# through 32-bit syscalls (int $0x80). Built by `make` too, like the test packages.
SOCKCALLS := $(BUILD)/tests/sockcalls
all: $(SOCKCALLS)
$(SOCKCALLS): tests/live/sockcalls.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(call msg,CC,$<)
	$(Q)$(CC) $(CFLAGS) $< -o $@

# What the container-name tests run in a container: static, so an image of this one file runs.
CGROUP_WORKER := $(BUILD)/tests/cgroup_worker
all: $(CGROUP_WORKER)
$(CGROUP_WORKER): tests/live/cgroup_worker.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(call msg,CC,$<)
	$(Q)$(CC) $(CFLAGS) -static $< -o $@

$(BUILD)/test-packages/%/package.json: tests/bpf/%.bpf.c tests/bpf/%.json bpf/*.h $(BUILD)/ecc \
				       $(INCLUDE_FILES)
	@mkdir -p $(@D)
	$(call msg,PACK,$@)
	$(Q)$(ECC_ENV) $(BUILD)/ecc -o $@ $< tests/bpf/$*.json

$(BUILD)/tests/unit: $(UNIT_SRC) tests/unit/*.h ecc/*.h $(ECC_MOD_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -Iecc $(UNIT_SRC) $(ECC_MOD_OBJ) $(LIB) $(LDLIBS) -o $@

# The sanitized build compiles the library's and ecc's sources again rather than linking
# libecli.a and build/obj/ecc.
$(BUILD)/tests/unit-san: $(UNIT_SRC) tests/unit/*.h $(ECC_MOD_SRC) ecc/*.h $(LIB_SRC) lib/*/*.h \
			 | $(DEPS_OK)
	@mkdir -p $(@D)
	$(call msg,LD,$@)
	$(Q)$(CC) $(SAN_CFLAGS) -Itests/unit -Iecc $(UNIT_SRC) $(ECC_MOD_SRC) $(LIB_SRC) $(LDLIBS) \
		-o $@

# A test object for the broken-input suite (display formats and arg kinds bindsnoop lacks).
VALIDATE_OBJ := $(BUILD)/tests/validate/display.bpf.o
$(VALIDATE_OBJ): tests/validate/display.bpf.c tests/validate/display.h tests/validate/display.json \
		 $(BUILD)/ecc $(INCLUDE_FILES)
	@mkdir -p $(@D)
	$(call msg,ECC,$@)
	$(Q)$(ECC_ENV) $(BUILD)/ecc -o $(@D)/display.json --save-object $@ $< \
		tests/validate/display.h tests/validate/display.json

# The third-party suite's tools: Debian 12's libbpf-tools package (apt-get download, dpkg -x:
# nothing is installed), each tool's BPF object cut out of its binary (tests/third_party/).
THIRD_PARTY_OK := $(BUILD)/third-party/libbpf-tools/PACKAGE
$(THIRD_PARTY_OK): | $(DEPS_OK)
	$(Q)tests/third_party/fetch_libbpf_tools.sh $(@D)

# bcc's syncsnoop (tests/third_party/bcc-syncsnoop, unmodified sources), built the way
# libbpf-tools builds a tool: the object with clang (ecc's include folder for vmlinux.h and
# libbpf's headers), its skeleton with bpftool, the binary against Debian's libbpf. Its own
# warnings are not this tree's: -w.
SYNCSNOOP_SRC := tests/third_party/bcc-syncsnoop
SYNCSNOOP := $(BUILD)/third-party/syncsnoop/syncsnoop
SYNCSNOOP_ARCH := $(if $(filter aarch64,$(HOST_ARCH)),arm64,x86)
$(SYNCSNOOP): $(wildcard $(SYNCSNOOP_SRC)/*.c $(SYNCSNOOP_SRC)/*.h) $(BUILD)/ecc $(INCLUDE_FILES) \
	      | $(DEPS_OK)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(SYNCSNOOP_ARCH) -I$(BUILD)/include \
		-c $(SYNCSNOOP_SRC)/syncsnoop.bpf.c -o $(@D)/syncsnoop.bpf.o
	$(Q)$(BPFTOOL) gen skeleton $(@D)/syncsnoop.bpf.o > $(@D)/syncsnoop.skel.h
	$(Q)$(CC) -O2 -w -I$(@D) $(SYNCSNOOP_SRC)/syncsnoop.c $(SYNCSNOOP_SRC)/trace_helpers.c \
		$(SYNCSNOOP_SRC)/uprobe_helpers.c -lbpf -lelf -lz -o $@

# Debian's prometheus, unpacked (not installed), for the metrics tests' real scraper.
PROMETHEUS_OK := $(BUILD)/third-party/prometheus/PACKAGE
$(PROMETHEUS_OK): | $(DEPS_OK)
	$(Q)tests/third_party/fetch_deb.sh prometheus $(@D)

.PHONY: third-party
third-party: $(THIRD_PARTY_OK) $(SYNCSNOOP) $(PROMETHEUS_OK)

test: all $(BUILD)/tests/unit $(BUILD)/tests/unit-san $(FUZZ_BINS) $(VALIDATE_OBJ) \
      $(BUILD)/tests/corrupt_objects vm-ready third-party $(SYNCSNOOP)
	@tests/run_tests.sh

.PHONY: broken-inputs
broken-inputs: all $(VALIDATE_OBJ)
	@tests/run_tests.sh broken-inputs

unit: $(BUILD)/tests/unit
	$(BUILD)/tests/unit

live: all
	@tests/run_tests.sh live

# Each BPF header tool authors include (bpf/*.bpf.h) compiles alone, as ecc compiles a tool.
.PHONY: test-bpf-headers
test-bpf-headers: $(INCLUDE_FILES)
	@tests/run_tests.sh bpf-headers

# ecc from a source (tests/ecc): compiling, comments, inference, refusals; live parts as root.
test-ecc-source: all
	@tests/run_tests.sh ecc-source

$(BUILD)/tests/bench_render: tests/bench/bench_render.c $(LIB)
	@mkdir -p $(@D)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $< $(LIB) $(LDLIBS) -o $@

# What tracing costs the traced process (root): bind and getppid loops, untraced and under
# bindsnoop with and without its optional program groups. BENCH_ROUNDS runs of each.
$(BUILD)/tests/syscall_loop: tests/bench/syscall_loop.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(call msg,CC,$<)
	$(Q)$(CC) $(CFLAGS) $< -o $@

# The bench's baseline, not shipped: bindsnoop's object loaded through a bpftool skeleton, the
# way a hand-written libbpf tool is. The skeleton is generated, never committed. ecc writes the
# object next to the package (--save-object), so the package stands for it here.
BINDSNOOP_OBJ := $(BUILD)/packages/bindsnoop/bindsnoop.bpf.o
$(BUILD)/tests/bindsnoop.skel.h: $(BUILD)/packages/bindsnoop/package.json | $(DEPS_OK)
	@mkdir -p $(@D)
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) gen skeleton $(BINDSNOOP_OBJ) name bindsnoop_bpf > $@.tmp && mv $@.tmp $@
$(BUILD)/tests/native_bindsnoop: tests/bench/native_bindsnoop.c tools/bindsnoop/bindsnoop.h \
				 $(BUILD)/tests/bindsnoop.skel.h
	$(call msg,CC,$<)
	$(Q)$(CC) $(CFLAGS) -Itools/bindsnoop -I$(BUILD)/tests $< -lbpf -lelf -lz -o $@

# ecli against the native tool on bind storms (root; BENCH_ROUNDS rounds, default 5, of
# BENCH_BINDS binds, default 200000), what each tool costs the syscalls it does not trace
# (against the untraced loop and the cheapest syscall hook, BENCH_TAX_ROUNDS rounds, default 7),
# then rendering throughput alone.
bench: all $(BUILD)/tests/bench_render $(BUILD)/tests/native_bindsnoop $(BUILD)/tests/syscall_loop
	$(PYTHON) tests/bench/bench_tools.py --rounds $(or $(BENCH_ROUNDS),5) \
		--binds $(or $(BENCH_BINDS),200000)
	@echo
	$(PYTHON) tests/bench/syscall_tax.py --rounds $(or $(BENCH_TAX_ROUNDS),7)
	@echo
	@echo "== rendering alone: one million bindsnoop events"
	$(BUILD)/tests/bench_render $(BUILD)/packages/bindsnoop/package.json

.PHONY: bench-trace
bench-trace: all $(BUILD)/tests/syscall_loop
	$(PYTHON) tests/bench/trace_cost.py $(or $(BENCH_ROUNDS),11)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_setup.c tests/fuzz/fuzz.h $(LIB_SRC) \
		      lib/*/*.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $< tests/fuzz/fuzz_setup.c $(LIB_SRC) $(LDLIBS) -o $@

fuzz: all $(FUZZ_BINS)
	tests/fuzz/run_fuzz.sh $(FUZZ_SECONDS)

# Packages from URLs, an OCI registry (Debian's docker-registry) and installed names; live
# parts as root.
.PHONY: test-fetch
test-fetch: all
	@tests/run_tests.sh fetch

# The live suites in a VM on Debian 12's own kernel (tests/vm/run_vm.py; VMTEST_ARGS for its
# options, e.g. VMTEST_ARGS="--suite kprobe:bindsnoop"). QEMU, busybox and cpio are installed like
# the other dependencies; the kernel package is fetched once into build/vm/kernel (apt-get
# download and dpkg -x: nothing is installed).
VM_DEPS_OK := $(BUILD)/.vm-deps-ok
VM_KERNEL  := $(BUILD)/vm/kernel/PACKAGE
VM_DEBS    := qemu-system-x86 qemu-system-arm gcc-aarch64-linux-gnu busybox-static cpio
.PHONY: vmtest vm-deps
vm-deps: $(VM_DEPS_OK) $(VM_KERNEL)
$(VM_DEPS_OK): | $(DEPS_OK)
	$(Q)packaging/need_debs.sh --no-install-recommends $(VM_DEBS)
	@touch $@
$(VM_KERNEL): | $(VM_DEPS_OK)
	$(Q)kernels/fetch_kernel.sh $(@D)

# The VM kernel's BTF, extracted on the host (build/vm/btf/RELEASE.btf), and packages that embed
# the minimal BTF made from it (ecc --btf-for): the nobtf suite runs them with the BTF hidden.
VM_BTF_OK   := $(BUILD)/vm/btf/.ok
VM_PACKAGES := $(BUILD)/vm/packages/bindsnoop/package.json $(BUILD)/vm/packages/tcpaccept/package.json
$(VM_BTF_OK): $(VM_KERNEL) kernels/kernel_btf.sh
	$(Q)kernels/kernel_btf.sh $(BUILD)/vm/kernel $(@D)
	@touch $@
define vm_tool_rule
$(BUILD)/vm/packages/$(1)/package.json: tools/$(1)/$(1).bpf.c tools/$(1)/$(1).h tools/$(1)/$(1).json \
					bpf/*.h $(BUILD)/ecc $(INCLUDE_FILES) $(VM_BTF_OK)
	@mkdir -p $$(@D)
	$$(call msg,ECC,$$@)
	$(Q)$(ECC_ENV) $(BUILD)/ecc -o $$@ \
		$$$$(for f in $(BUILD)/vm/btf/*.btf; do printf -- '--btf-for %s ' "$$$$f"; done) \
		tools/$(1)/$(1).bpf.c tools/$(1)/$(1).h tools/$(1)/$(1).json
endef
$(foreach t,bindsnoop tcpaccept,$(eval $(call vm_tool_rule,$(t))))

# The same on Debian 12's arm64 kernel: ecli and the live suites' helper cross-compiled into
# build/aarch64 (the Makefile), Debian's arm64 programs for the guest in build/arm64-root, and the
# nobtf suite's packages made with the arm64 kernel's minimal BTF; the guest runs the ecli of the
# arm64 .deb (packaging.mk).
VM_AARCH64_PACKAGES := $(BUILD)/vm-aarch64/packages/bindsnoop/package.json \
		       $(BUILD)/vm-aarch64/packages/tcpaccept/package.json
define vm_aarch64_tool_rule
$(BUILD)/vm-aarch64/packages/$(1)/package.json: tools/$(1)/$(1).bpf.c tools/$(1)/$(1).h \
		tools/$(1)/$(1).json bpf/*.h $(BUILD)/ecc $(INCLUDE_FILES) $(BUILD)/kernels/aarch64-btf/.ok
	@mkdir -p $$(@D)
	$$(call msg,ECC,$$@)
	$(Q)$(ECC_ENV) $(BUILD)/ecc -o $$@ --btf-for $$$$(ls $(BUILD)/kernels/aarch64-btf/*.btf) \
		tools/$(1)/$(1).bpf.c tools/$(1)/$(1).h tools/$(1)/$(1).json
endef
$(foreach t,bindsnoop tcpaccept,$(eval $(call vm_aarch64_tool_rule,$(t))))

# The third-party suite's opensnoop on arm64, whose kernel has no open syscall: Debian's arm64
# libbpf-tools (in the arm64 root), its object cut out and packed here for aarch64.
VM_AARCH64_THIRD_PARTY := $(BUILD)/vm-aarch64/third-party/packages/opensnoop.json
$(VM_AARCH64_THIRD_PARTY): $(ARM64_ROOT)/.packages tests/third_party/opensnoop.json \
			   tests/third_party/extract_objects.py $(BUILD)/ecc
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tests/third_party/extract_objects.py $(ARM64_ROOT)/usr/sbin \
		$(BUILD)/vm-aarch64/third-party/objects >/dev/null
	$(call msg,ECC,$@)
	$(Q)$(BUILD)/ecc --arch aarch64 -o $@ $(BUILD)/vm-aarch64/third-party/objects/opensnoop.bpf.o \
		tests/third_party/opensnoop.json

.PHONY: vm-ready vm-ready-aarch64
vm-ready: vm-deps $(VM_PACKAGES) vm-ready-aarch64
vm-ready-aarch64: $(DEB_ECLI_ARM64) $(BUILD)/aarch64/tests/sockcalls $(VM_AARCH64_PACKAGES) \
		  $(BUILD)/kernels/aarch64-btf/.ok $(VM_AARCH64_THIRD_PARTY)

vmtest: all vm-ready
	@$(PYTHON) tests/vm/run_vm.py $(VMTEST_ARGS)
	@$(PYTHON) tests/vm/run_vm.py --arch aarch64 $(VMTEST_ARGS)

# The corrupt-objects suite's harness: a real package's object mutated, each mutation run
# through ecli's path (check, open, package check, load) in a child (tests/corrupt/).
CORRUPT_SRC := tests/corrupt/corrupt_objects.c tests/corrupt/object_mutator.c
$(BUILD)/tests/corrupt_objects: $(CORRUPT_SRC) tests/corrupt/*.h $(LIB)
	@mkdir -p $(@D)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/corrupt $(CORRUPT_SRC) $(LIB) $(LDLIBS) -o $@
