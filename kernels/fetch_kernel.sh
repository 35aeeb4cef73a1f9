#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Fetches Debian 12's stock cloud kernel for ARCH (amd64, the default, or arm64): the newest
# linux-image-6.1.0-N-cloud-ARCH the apt lists know, downloaded with `apt-get download` and
# unpacked with `dpkg -x` into DEST (nothing is installed on this machine). Another
# architecture's lists are kept in an apt state of their own under DEST.apt, from this machine's
# sources: the machine's apt configuration is left as it is. A DEST that already holds a kernel
# is kept as it is. Used for each architecture's kernel BTF (ecc's vmlinux headers) and by the
# VM tests.
# Usage: fetch_kernel.sh DEST [ARCH]
set -eu
dest=${1:?usage: fetch_kernel.sh DEST [ARCH]}
arch=${2:-amd64}
[ -f "$dest/PACKAGE" ] && exit 0

apt_opts=
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
	state=$dest.apt
	mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
	apt_opts="-o APT::Architecture=$arch -o APT::Architectures=$arch
		-o Dir::State::Lists=$state/lists -o Dir::Cache=$state/cache
		-o Dir::State::status=/dev/null"
	# shellcheck disable=SC2086
	[ -n "$(ls "$state/lists" 2>/dev/null | grep -v partial)" ] ||
		apt-get -qq $apt_opts update
fi

newest() {
	# shellcheck disable=SC2086
	apt-cache $apt_opts search --names-only "^linux-image-6\.1\.0-[0-9]+-cloud-$arch\$" \
		2>/dev/null | cut -d' ' -f1 | sort -V | tail -n 1
}

pkg=$(newest)
if [ -z "$pkg" ] && [ -z "$apt_opts" ] && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	pkg=$(newest)
fi
if [ -z "$pkg" ]; then
	echo "fetch_kernel: the apt lists name no linux-image-6.1.0-*-cloud-$arch" \
		"(run apt-get update as root)" >&2
	exit 1
fi
tmp=$dest.tmp
rm -rf "$tmp"
mkdir -p "$tmp/deb"
echo "fetching $pkg"
# apt's sandbox user cannot write to a root-owned folder under build/: apt says so, harmlessly
# shellcheck disable=SC2086
(cd "$tmp/deb" && apt-get $apt_opts download -qq "$pkg" 2>&1 |
	grep -v 'Download is performed unsandboxed' >&2 || true)
deb=$(ls "$tmp"/deb/*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	echo "fetch_kernel: apt-get download $pkg fetched nothing" >&2
	exit 1
fi
dpkg -x "$deb" "$tmp/root"
mkdir -p "$tmp/kernel"
mv "$tmp"/root/boot/vmlinuz-* "$tmp/kernel/vmlinuz"
mv "$tmp"/root/boot/config-* "$tmp/kernel/config"
basename "$deb" .deb >"$tmp/kernel/PACKAGE"
rm -rf "$dest"
mv "$tmp/kernel" "$dest"
rm -rf "$tmp"
echo "kernel: $(cat "$dest/PACKAGE") in $dest"
