#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Fetches one Debian 12 package for a test, without installing it: downloaded with
# `apt-get download` and unpacked with `dpkg -x` into DEST/root; DEST/PACKAGE names what was
# fetched. A DEST that already holds it is kept. Used for prometheus, which the metrics tests
# run from there (installed, its package would start a service on every address).
# Usage: fetch_deb.sh PACKAGE DEST
set -eu
pkg=${1:?usage: fetch_deb.sh PACKAGE DEST}
dest=${2:?usage: fetch_deb.sh PACKAGE DEST}
[ -f "$dest/PACKAGE" ] && exit 0

known() { apt-cache show "$pkg" >/dev/null 2>&1; }
if ! known && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi
if ! known; then
	echo "fetch_deb: the apt lists name no $pkg (run apt-get update as root)" >&2
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
	echo "fetch_deb: apt-get download $pkg fetched nothing" >&2
	exit 1
fi
dpkg -x "$deb" "$tmp/root"
basename "$deb" .deb >"$tmp/PACKAGE"
rm -rf "$tmp/deb" "$dest"
mv "$tmp" "$dest"
echo "$pkg: $(cat "$dest/PACKAGE") in $dest"
