#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Builds the two Debian packages from a staged install (make install DESTDIR=STAGE PREFIX=/usr):
#   ecli  the runtime: /usr/bin/ecli and the built tools in /usr/share/ecli/packages; it needs
#         no compiler (Depends: the shared libraries ecli links, from dpkg-shlibdeps)
#   ecc   the build side: /usr/bin/ecc, the BPF headers in /usr/share/ecli/include and the
#         JSON Schema (Depends: ecli of the same version, clang, llvm, bpftool, libbpf-dev)
# Every staged file must land in exactly one package. The copyright file carries the top-level
# LICENSE and the licence texts it names (LICENSE.*).
# usage: make_deb.sh STAGE VERSION OUTDIR   (writes OUTDIR/ecli_V_ARCH.deb, OUTDIR/ecc_V_ARCH.deb)
# For another architecture (DEB_ARCH=arm64, a cross-built stage): the runtime alone
# (ecli_V_arm64.deb), its binary stripped with that architecture's strip, its shared library
# dependencies computed against FOREIGN_ROOT (packaging/foreign_root.sh: that architecture's
# libraries and their packages' shlibs files).
set -euo pipefail

if [[ $# -ne 3 ]]; then
	echo "usage: make_deb.sh STAGE VERSION OUTDIR" >&2
	exit 2
fi
stage=$(realpath "$1")
version=$2
out=$(realpath "$3")
top=$(cd "$(dirname "$0")/.." && pwd)
arch=${DEB_ARCH:-$(dpkg --print-architecture)}
foreign=${FOREIGN_ROOT:-}
packages="ecli ecc"
strip_tool=strip
if [[ $arch != "$(dpkg --print-architecture)" ]]; then
	[[ -n $foreign && -f $foreign/.shlibs ]] ||
		{ echo "make_deb.sh: DEB_ARCH=$arch needs FOREIGN_ROOT (a foreign_root.sh root)" >&2; exit 2; }
	foreign=$(realpath "$foreign")
	packages=ecli
	case $arch in
	arm64) strip_tool=aarch64-linux-gnu-strip ;;
	*) echo "make_deb.sh: no cross strip known for $arch" >&2; exit 2 ;;
	esac
fi
maintainer=${DEB_MAINTAINER:-ecli maintainers <ecli@localhost>}
work=$out/tree
rm -rf "$work"
mkdir -p "$work"

fail() {
	echo "make_deb.sh: $*" >&2
	exit 1
}

# The split: the paths (relative to the stage) each package takes.
declare -A files
files[ecli]="usr/bin/ecli usr/share/ecli/packages usr/lib/systemd/system/ecli@.service"
files[ecc]="usr/bin/ecc usr/share/ecli/include usr/share/ecli/schema"

for p in $packages; do
	for f in ${files[$p]}; do
		[[ -e $stage/$f ]] || fail "$stage/$f: missing from the staged install"
		mkdir -p "$work/$p/$(dirname "$f")"
		cp -a "$stage/$f" "$work/$p/$f"
	done
done
staged=$(cd "$stage" && find . -type f | sort)
packed=$(for p in $packages; do (cd "$work/$p" && find . -type f); done | sort)
[[ "$staged" == "$packed" ]] ||
	fail "staged files not in exactly one package: $(diff <(echo "$staged") <(echo "$packed") | grep '^[<>]' | tr '\n' ' ')"

# Debian ships binaries stripped (the build keeps -g for debugging in the tree).
for p in $packages; do
	"$strip_tool" --strip-unneeded --remove-section=.comment --remove-section=.note \
		"$work/$p/usr/bin/$p"
done

# Shared library dependencies as Debian computes them (from the binary's NEEDED entries: libelf1
# comes through libbpf1, as ecli links libelf only as needed).
# Another architecture's: from its libraries in the foreign root and their packages' shlibs.
shlibdeps() {
	local deps
	local -a search=()
	mkdir -p "$work/shlibs/debian"
	touch "$work/shlibs/debian/control"
	if [[ -n $foreign ]]; then
		cp "$foreign/.shlibs" "$work/shlibs/debian/shlibs.local"
		search=("-l$foreign/usr/lib/$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)")
	fi
	deps=$(cd "$work/shlibs" && dpkg-shlibdeps -O "${search[@]}" -e "$1" 2>/dev/null |
		sed -n 's/^shlibs:Depends=//p')
	[[ -n $deps ]] || fail "dpkg-shlibdeps found no dependency for $1"
	echo "$deps"
}

# ecli opens libcurl, libcrypto and libsodium with dlopen when it fetches or signs
# (lib/core/lazy_lib.h), so they are
# not NEEDED entries: named here (CURLOPT_PROTOCOLS_STR came with curl 7.85).
ecli_deps="$(shlibdeps "$work/ecli/usr/bin/ecli"), libcurl4 (>= 7.85), libssl3, libsodium23"
[[ $packages == *ecc* ]] &&
	ecc_deps="ecli (= $version), $(shlibdeps "$work/ecc/usr/bin/ecc"), clang, llvm, bpftool, libbpf-dev"

# /usr/share/doc/<pkg>: copyright (the LICENSE text) and changelog.gz.
# LICENSE, then each LICENSE.<SPDX id> it names: in full, or as Debian's copy in
# /usr/share/common-licenses when there is one (LGPL-2.1).
license_text() {
	local f id
	if [[ ! -f $top/LICENSE ]]; then
		echo "TODO: the source tree has no LICENSE file yet. packaging/make_deb.sh copies the"
		echo "top-level LICENSE (and LICENSE.*) here once it exists."
		return
	fi
	cat "$top/LICENSE"
	for f in "$top"/LICENSE.*; do
		[[ -f $f ]] || continue
		id=${f##*/LICENSE.}
		if [[ -f /usr/share/common-licenses/$id ]]; then
			printf '\n%s: on Debian systems, the complete text of this licence is in\n/usr/share/common-licenses/%s.\n' \
				"$id" "$id"
		else
			printf '\n%s (LICENSE.%s):\n\n' "$id" "$id"
			cat "$f"
		fi
	done
}
license=$(license_text)
date=$(git -C "$top" log -1 --format=%cD 2>/dev/null || date -R)
docs() {
	local pkg=$1 extra=$2
	local doc=$work/$pkg/usr/share/doc/$pkg
	mkdir -p "$doc"
	{
		echo "$pkg $version: part of ecli, packaged BPF tools (ecc builds, ecli runs)."
		[[ -n $extra ]] && printf '\n%s\n' "$extra"
		printf '\nLicense (LICENSE of the source tree):\n\n%s\n' "$license"
	} >"$doc/copyright"
	printf '%s (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
		"$pkg" "$version" "$version" "$maintainer" "$date" | gzip -9n >"$doc/changelog.gz"
}
docs ecli ""
[[ $packages == *ecc* ]] && docs ecc "usr/share/ecli/include/bpf/*.h are libbpf's BPF headers, copied from libbpf-dev
(SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause; on Debian systems the LGPL 2.1 is in
/usr/share/common-licenses/LGPL-2.1); bpf_helpers.h has one line added at its end, including
this project's libbpf_compat.bpf.h. usr/share/ecli/include/vmlinux-ARCH.h hold the Linux
kernel's types for x86_64 and aarch64, generated by bpftool from a kernel's BTF (the build
machine's for its own architecture, Debian 12's arm64 kernel's for aarch64), and its kfunc
declarations, written by ecc --kfuncs from the same BTF (Linux is GPL-2.0-only WITH
Linux-syscall-note for its UAPI)."

control() {
	local pkg=$1 section=$2 deps=$3 summary=$4 body=$5
	local dir=$work/$pkg
	mkdir -p "$dir/DEBIAN"
	(cd "$dir" && find usr -type f | sort | xargs md5sum) >"$dir/DEBIAN/md5sums"
	cat >"$dir/DEBIAN/control" <<-EOF
		Package: $pkg
		Version: $version
		Architecture: $arch
		Maintainer: $maintainer
		Installed-Size: $(du -sk --exclude=DEBIAN "$dir" | cut -f1)
		Depends: $deps
		Section: $section
		Priority: optional
		Description: $summary
		$body
	EOF
	find "$dir" -type d -exec chmod 0755 {} +
	dpkg-deb --root-owner-group -Zxz --build "$dir" "$out/${pkg}_${version}_${arch}.deb" >/dev/null
	echo "  DEB    $out/${pkg}_${version}_${arch}.deb (Depends: $deps)"
}
control ecli admin "$ecli_deps" "run packaged BPF tools without a compiler" \
	" ecli runs a BPF tool packed into one package.json (by ecc, or eunomia-bpf's
 ecc): it relocates the program for the running kernel (CO-RE), attaches the
 first hook variant that works here and prints every event as a table or as
 JSON lines. Installed tools run by name: ecli run bindsnoop. This package
 holds ecli and the tools bindsnoop, tcpaccept, opensnoop and execsnoop."
[[ $packages == *ecc* ]] || exit 0
control ecc devel "$ecc_deps" "build packaged BPF tools for ecli" \
	" ecc compiles a BPF tool's source with clang and packs the object, its
 options and its event layout into one package.json that ecli runs on any
 machine without a compiler. This package holds ecc, the BPF headers tool
 sources include (vmlinux.h, libbpf's and ecli's own) and the JSON Schema
 of package.json."
