# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Distributing (included by the Makefile):
#   make install [PREFIX=/usr/local] [DESTDIR=]   ecli, ecc, the BPF headers, the JSON Schema and
#                                                 the built tools, in the layout below
#   make uninstall [PREFIX=] [DESTDIR=]           removes exactly those files
#   make deb                                      build/deb/ecli_V_ARCH.deb (runtime) and
#                                                 build/deb/ecc_V_ARCH.deb (build side)
#   make deb-arm64                                build/deb-arm64/ecli_V_arm64.deb (runtime,
#                                                 cross-built)
#   make images                                   the build and runtime container images (podman)
#   make test-ship                                the install, .deb and image suites
#
# Installed layout:
#   $(DESTDIR)$(PREFIX)/bin/ecli, ecc
#   $(DESTDIR)$(PREFIX)/share/ecli/include/        vmlinux.h, bpf/*.h (libbpf's), *.bpf.h (ours)
#   $(DESTDIR)$(PREFIX)/share/ecli/schema/package.schema.json
#   $(DESTDIR)$(PREFIX)/share/ecli/packages/<tool>.json
#   $(DESTDIR)$(PREFIX)/lib/systemd/system/ecli@.service   (deploy/, running $(PREFIX)/bin/ecli)

PREFIX   ?= /usr/local
DESTDIR  ?=
INSTALL  ?= install
BIN_DEST := $(DESTDIR)$(PREFIX)/bin
SHARE_DEST := $(DESTDIR)$(PREFIX)/share/ecli
UNIT_DEST := $(DESTDIR)$(PREFIX)/lib/systemd/system
# The staged headers, relative to build/include: vmlinux.h bpf/bpf_helpers.h ... emit_event.bpf.h
INSTALL_HEADERS := $(INCLUDE_FILES:$(INCLUDE_DIR)/%=%)
NEED_DEBS := packaging/need_debs.sh

.PHONY: install uninstall deb deb-arm64 images test-ship
install: $(BUILD)/ecli $(BUILD)/ecc $(INCLUDE_FILES) $(PACKAGES) deploy/ecli@.service
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(BIN_DEST) $(SHARE_DEST)/include/bpf $(SHARE_DEST)/schema \
		$(SHARE_DEST)/packages
	$(Q)$(INSTALL) -m 0755 $(BUILD)/ecli $(BUILD)/ecc $(BIN_DEST)/
	$(Q)$(foreach h,$(INSTALL_HEADERS),$(INSTALL) -m 0644 $(INCLUDE_DIR)/$(h) \
		$(SHARE_DEST)/include/$(h) && ) true
	$(Q)$(INSTALL) -m 0644 schema/package.schema.json $(SHARE_DEST)/schema/
	$(Q)$(foreach t,$(TOOLS),$(INSTALL) -m 0644 $(BUILD)/packages/$(t)/package.json \
		$(SHARE_DEST)/packages/$(t).json && ) true
	$(Q)$(INSTALL) -d $(UNIT_DEST)
	$(Q)sed 's|/usr/bin/ecli |$(PREFIX)/bin/ecli |' 'deploy/ecli@.service' >'$(UNIT_DEST)/ecli@.service'
	$(Q)chmod 0644 '$(UNIT_DEST)/ecli@.service'

# Removes what install put there, then the folders it made if they are empty.
uninstall:
	$(call msg,RM,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(BIN_DEST)/ecli $(BIN_DEST)/ecc $(INSTALL_HEADERS:%=$(SHARE_DEST)/include/%) \
		$(SHARE_DEST)/schema/package.schema.json $(TOOLS:%=$(SHARE_DEST)/packages/%.json) \
		'$(UNIT_DEST)/ecli@.service'
	@for d in $(SHARE_DEST)/include/bpf $(SHARE_DEST)/include $(SHARE_DEST)/schema \
		  $(SHARE_DEST)/packages $(SHARE_DEST) $(UNIT_DEST) $(DESTDIR)$(PREFIX)/lib/systemd \
		  $(DESTDIR)$(PREFIX)/lib; do \
		[ ! -d $$d ] || rmdir --ignore-fail-on-non-empty $$d || exit 1; \
	done

# Debian packages, built with dpkg-deb from a staged `make install DESTDIR=... PREFIX=/usr`.
DEB_DIR  := $(BUILD)/deb
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB_ECLI := $(DEB_DIR)/ecli_$(VERSION)_$(DEB_ARCH).deb
DEB_ECC  := $(DEB_DIR)/ecc_$(VERSION)_$(DEB_ARCH).deb
DEB_OK   := $(BUILD)/.deb-deps-ok
# The Maintainer field and changelog signature of both packages.
DEB_MAINTAINER ?= ecli maintainers <ecli@localhost>
deb: $(DEB_ECLI) $(DEB_ECC)

# The packages' copyright file holds LICENSE and LICENSE.*: a stamp that changes when they
# appear, change or go away (or DEB_MAINTAINER changes) rebuilds them.
DEB_INPUTS := $(BUILD)/.deb-inputs
$(DEB_INPUTS): ship-always
	@mkdir -p $(@D)
	@s=$$(sha256sum LICENSE* 2>/dev/null; echo '$(DEB_MAINTAINER)'); \
	[ "$$s" = "$$(cat $@ 2>/dev/null)" ] || echo "$$s" > $@
.PHONY: ship-always

$(DEB_OK): $(NEED_DEBS)
	$(Q)$(NEED_DEBS) dpkg-dev binutils
	@mkdir -p $(@D) && touch $@

$(DEB_ECLI) $(DEB_ECC) &: $(BUILD)/ecli $(BUILD)/ecc $(INCLUDE_FILES) $(PACKAGES) \
			  schema/package.schema.json Makefile packaging/make_deb.sh \
			  packaging/packaging.mk deploy/ecli@.service $(DEB_INPUTS) | $(DEB_OK)
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_DIR)/stage) PREFIX=/usr \
		>/dev/null
	$(Q)DEB_MAINTAINER='$(DEB_MAINTAINER)' packaging/make_deb.sh $(DEB_DIR)/stage $(VERSION) \
		$(DEB_DIR)

# The arm64 runtime package: the cross-built ecli and the tools, its dependencies computed against
# Debian's arm64 libraries (make_deb.sh with DEB_ARCH and FOREIGN_ROOT).
deb-arm64: $(DEB_ECLI_ARM64)
$(DEB_ECLI_ARM64): $(BUILD)/aarch64/ecli $(PACKAGES) packaging/make_deb.sh packaging/packaging.mk \
		   deploy/ecli@.service $(ARM64_ROOT)/.packages $(DEB_INPUTS) | $(DEB_OK)
	$(Q)rm -rf $(DEB_DIR_ARM64) && mkdir -p $(DEB_DIR_ARM64)/stage/usr/bin \
		$(DEB_DIR_ARM64)/stage/usr/share/ecli/packages
	$(Q)$(INSTALL) -m 0755 $(BUILD)/aarch64/ecli $(DEB_DIR_ARM64)/stage/usr/bin/
	$(Q)$(foreach t,$(TOOLS),$(INSTALL) -m 0644 $(BUILD)/packages/$(t)/package.json \
		$(DEB_DIR_ARM64)/stage/usr/share/ecli/packages/$(t).json && ) true
	$(Q)$(INSTALL) -D -m 0644 'deploy/ecli@.service' \
		'$(DEB_DIR_ARM64)/stage/usr/lib/systemd/system/ecli@.service'
	$(Q)DEB_ARCH=arm64 FOREIGN_ROOT=$(ARM64_ROOT) DEB_MAINTAINER='$(DEB_MAINTAINER)' \
		packaging/make_deb.sh $(DEB_DIR_ARM64)/stage $(VERSION) $(DEB_DIR_ARM64)

# The install, .deb and image suites (tests/ship/); the chroot and image ones need root.
test-ship: all
	@tests/run_tests.sh ship

# Container images (podman): $(IMAGE_BUILD):$(VERSION) runs ecc in /src, $(IMAGE_RUNTIME):$(VERSION)
# runs ecli. An image already built from the same base, Containerfile and packages is kept.
IMAGE_BUILD   ?= localhost/ecli-build
IMAGE_RUNTIME ?= localhost/ecli-runtime
images: $(DEB_ECLI) $(DEB_ECC)
	$(Q)IMAGE_BUILD=$(IMAGE_BUILD) IMAGE_RUNTIME=$(IMAGE_RUNTIME) packaging/build_images.sh \
		$(VERSION) $(DEB_ECLI) $(DEB_ECC)

# The version the packages, images, ecli and ecc carry (VERSION above), for scripts and tests.
.PHONY: print-version
print-version:
	@echo $(VERSION)
