#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Fetches Debian 12's libbpf-tools package (bcc's libbpf-tools as Debian built them, from
# unmodified sources) for the third-party suite: downloaded with `apt-get download` and unpacked
# with `dpkg -x` into DEST/root (nothing is installed on this machine); then each tool's BPF
# object is cut out of its binary, where the libbpf skeleton embeds it, into DEST/objects
# (extract_objects.py). A DEST that already holds them is kept as it is.
# Usage: fetch_libbpf_tools.sh DEST
set -eu
dest=${1:?usage: fetch_libbpf_tools.sh DEST}
here=$(dirname "$0")
[ -f "$dest/PACKAGE" ] && exit 0

known() { apt-cache show libbpf-tools >/dev/null 2>&1; }
if ! known && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi
if ! known; then
	echo "fetch_libbpf_tools: the apt lists name no libbpf-tools (run apt-get update as root)" >&2
	exit 1
fi
tmp=$dest.tmp
rm -rf "$tmp"
mkdir -p "$tmp/deb"
echo "fetching libbpf-tools"
# apt's sandbox user cannot write to a root-owned folder under build/: apt says so, harmlessly
(cd "$tmp/deb" && apt-get download -qq libbpf-tools 2>&1 |
	grep -v 'Download is performed unsandboxed' >&2 || true)
deb=$(ls "$tmp"/deb/*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	echo "fetch_libbpf_tools: apt-get download libbpf-tools fetched nothing" >&2
	exit 1
fi
dpkg -x "$deb" "$tmp/root"
/usr/bin/python3 "$here/extract_objects.py" "$tmp/root/usr/sbin" "$tmp/objects"
basename "$deb" .deb >"$tmp/PACKAGE"
rm -rf "$tmp/deb" "$dest"
mv "$tmp" "$dest"
echo "libbpf-tools: $(cat "$dest/PACKAGE") in $dest"
