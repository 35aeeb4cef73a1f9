# Builds ecc (packer), ecli (loader) and the tool packages; runs tests and benchmarks.
# Missing Debian packages are installed with apt-get when run as root.

BUILD    := build
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
STRIP    ?= llvm-strip
BPFTOOL  ?= bpftool
PYTHON   ?= /usr/bin/python3
TOOLS    := bindsnoop tcpaccept opensnoop execsnoop

DEB_PACKAGES := gcc make clang llvm libbpf-dev libelf-dev zlib1g-dev libcjson-dev bpftool \
		python3 python3-jsonschema valgrind libclang-rt-14-dev

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Wno-unused-parameter
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -D_GNU_SOURCE -Iloader -Ipackage
LDLIBS   := -lbpf -lelf -lz -lcjson

ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(BUILD) -Ibpf -Wall -Werror

LOADER_LIB_SRC := $(filter-out loader/main.c,$(wildcard loader/*.c))
PACKER_LIB_SRC := $(filter-out package/ecc.c,$(wildcard package/*.c))
LOADER_LIB_OBJ := $(LOADER_LIB_SRC:%.c=$(BUILD)/obj/%.o)
PACKER_LIB_OBJ := $(PACKER_LIB_SRC:%.c=$(BUILD)/obj/%.o)
PACKAGES := $(TOOLS:%=$(BUILD)/packages/%/package.json)
DEPS_OK  := $(BUILD)/.deps-ok

.PHONY: all deps run test unit live fuzz bench format clean
.SECONDARY: $(TOOLS:%=$(BUILD)/bpf/%.bpf.o)
all: $(BUILD)/ecli $(BUILD)/ecc $(PACKAGES)

# Installs what a fresh Debian 12 machine lacks; a stamp keeps later builds from asking again.
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
	fi
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/vmlinux.h: | $(DEPS_OK)
	@test -r /sys/kernel/btf/vmlinux || { echo "no /sys/kernel/btf/vmlinux: this kernel has no BTF to build CO-RE programs against" >&2; exit 1; }
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

# DWARF is stripped, BTF is kept: the loader renders events from BTF alone.
$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c bpf/*.h $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.full
	$(Q)$(STRIP) -g $@.full -o $@
	@rm -f $@.full

$(BUILD)/obj/%.o: %.c loader/*.h package/*.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(call msg,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libloader.a: $(LOADER_LIB_OBJ)
	$(Q)ar rcs $@ $^
$(BUILD)/libpacker.a: $(PACKER_LIB_OBJ)
	$(Q)ar rcs $@ $^

$(BUILD)/ecli: $(BUILD)/obj/loader/main.o $(BUILD)/libloader.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@
$(BUILD)/ecc: $(BUILD)/obj/package/ecc.o $(BUILD)/libpacker.a $(BUILD)/libloader.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/packages/%/package.json: $(BUILD)/bpf/%.bpf.o schema/%.json $(BUILD)/ecc
	@mkdir -p $(@D)
	$(call msg,PACK,$@)
	$(Q)$(BUILD)/ecc -o $@ $< schema/$*.json

# Starts bindsnoop; extra tool arguments go in ARGS, e.g. make run ARGS="-E -t".
run: all
	$(BUILD)/ecli run $(BUILD)/packages/bindsnoop/package.json $(ARGS)

include tests/tests.mk

format:
	clang-format -i loader/*.[ch] package/*.[ch] bpf/*.[ch] tests/unit/*.[ch] tests/fuzz/*.c tests/bench/*.c

clean:
	rm -rf $(BUILD)
