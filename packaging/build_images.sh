#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Builds the two container images with podman, offline from any registry:
#   base     the debootstrapped Debian 12 root (packaging/debian_base.sh), `podman import`ed
#   build    Containerfile.build: the ecli and ecc .debs (and so clang, llvm, bpftool, libbpf-dev)
#   runtime  Containerfile.runtime: the ecli .deb only
# Each image carries a label with the hash of what it is made from (the base's key, its
# Containerfile, the packages' control and md5sums); an image whose label matches is kept, so
# a rebuild after `make clean` or with unchanged packages costs nothing. podman 4.3 here needs
# runc (crun fails on this cgroup layout) and raised nofile/nproc limits. Installs podman, runc
# and debootstrap when root and missing.
# usage: build_images.sh VERSION ECLI_DEB ECC_DEB
# env: IMAGE_BUILD, IMAGE_RUNTIME (names without tag), SHIP_CACHE (the base tarball's folder)
set -euo pipefail

if [[ $# -ne 3 ]]; then
	echo "usage: build_images.sh VERSION ECLI_DEB ECC_DEB" >&2
	exit 2
fi
version=$1
ecli_deb=$2
ecc_deb=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
cache=${SHIP_CACHE:-$top/build/ship-cache}
image_build=${IMAGE_BUILD:-localhost/ecli-build}
image_runtime=${IMAGE_RUNTIME:-localhost/ecli-runtime}
podman=(podman --runtime runc)
limits=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)

"$here/need_debs.sh" podman runc
base_key=$("$here/debian_base.sh" --key "$cache")
base=localhost/ecli-debian-base:$base_key
if ! "${podman[@]}" image exists "$base"; then
	tar=$("$here/debian_base.sh" "$cache")
	echo "  IMPORT $base"
	"${podman[@]}" import --quiet "$tar" "$base" >/dev/null
fi

context=$top/build/images/context
rm -rf "$context"
mkdir -p "$context"
cp "$ecli_deb" "$context/ecli.deb"
cp "$ecc_deb" "$context/ecc.deb"

deb_identity() {
	dpkg-deb -I "$1" control md5sums
}

# build_one NAME CONTAINERFILE DEB...: builds NAME:VERSION (and :latest) unless it is current.
build_one() {
	local name=$1 file=$2
	shift 2
	local key have start
	key=$({
		echo "$base"
		cat "$file"
		for deb in "$@"; do deb_identity "$deb"; done
	} | sha256sum | cut -c1-32)
	have=$("${podman[@]}" image inspect --format '{{index .Labels "ecli.source"}}' \
		"$name:$version" 2>/dev/null || true)
	if [[ $have == "$key" ]]; then
		echo "  IMAGE  $name:$version (up to date)"
		return
	fi
	echo "  IMAGE  $name:$version"
	start=$(date +%s)
	if ! "${podman[@]}" build "${limits[@]}" --network host --pull=never --build-arg "BASE=$base" \
		--label "ecli.source=$key" -t "$name:$version" -t "$name:latest" -f "$file" "$context" \
		>"$top/build/images/$(basename "$name").log" 2>&1; then
		tail -n 20 "$top/build/images/$(basename "$name").log" >&2
		echo "build_images.sh: building $name failed (log: build/images/$(basename "$name").log)" >&2
		exit 1
	fi
	echo "         built in $(($(date +%s) - start)) s"
}

build_one "$image_runtime" "$here/Containerfile.runtime" "$ecli_deb"
build_one "$image_build" "$here/Containerfile.build" "$ecli_deb" "$ecc_deb"
rm -rf "$context"
