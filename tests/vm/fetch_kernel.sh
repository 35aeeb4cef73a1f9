#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Fetches Debian 12's stock cloud kernel for the VM tests: the newest
# linux-image-6.1.0-N-cloud-amd64 the apt lists know, downloaded with `apt-get download` and unpacked with `dpkg -x` into DEST
# (nothing is installed on this machine). A DEST that already holds a kernel is kept as it is.
# Usage: fetch_kernel.sh DEST
set -eu
dest=${1:?usage: fetch_kernel.sh DEST}
[ -f "$dest/PACKAGE" ] && exit 0

newest() {
	apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' 2>/dev/null |
		cut -d' ' -f1 | sort -V | tail -n 1
}

pkg=$(newest)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	pkg=$(newest)
fi
if [ -z "$pkg" ]; then
	echo "fetch_kernel: the apt lists name no linux-image-6.1.0-*-cloud-amd64" \
		"(run apt-get update as root)" >&2
	exit 1
fi
tmp=$dest.tmp
rm -rf "$tmp"
mkdir -p "$tmp/deb"
echo "fetching $pkg"
# apt's sandbox user cannot write to a root-owned folder under build/: apt says so, harmlessly
(cd "$tmp/deb" && apt-get download -qq "$pkg" 2>&1 |
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
