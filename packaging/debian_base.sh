#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Prints the path of a clean Debian 12 root as a tarball: `debootstrap --variant=minbase
# bookworm` from the mirror this machine's apt uses (DEBIAN_MIRROR overrides it). It is made
# once and kept in CACHE_DIR under a name keyed on everything debootstrap was given (suite,
# variant, mirror, architecture, debootstrap's version), so later runs reuse it. It is the
# chroot of the .deb test and the base the container images are imported from (no base image
# can be pulled here). Needs root; installs debootstrap when it is missing. With --key it only
# prints the key (what an image imported from the root is tagged with).
# usage: debian_base.sh [--key] CACHE_DIR
set -euo pipefail

key_only=
if [[ ${1:-} == --key ]]; then
	key_only=1
	shift
fi
if [[ $# -ne 1 ]]; then
	echo "usage: debian_base.sh [--key] CACHE_DIR" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
suite=bookworm
variant=minbase

# The first deb source for bookworm: deb822 .sources stanzas, then one-line .list entries.
mirror_from_apt() {
	local f line types= uris= suites=
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -r $f ]] || continue
		while IFS= read -r line || [[ -n $line ]]; do
			case $line in
			Types:*) types=" ${line#Types:} " ;;
			URIs:*) uris=${line#URIs:} ;;
			Suites:*) suites=" ${line#Suites:} " ;;
			"")
				if [[ $types == *" deb "* && $suites == *" $suite "* && -n $uris ]]; then
					read -r uris _ <<<"$uris"
					echo "$uris"
					return
				fi
				types= uris= suites=
				;;
			esac
		done < <(cat "$f" && echo)
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -r $f ]] || continue
		sed -nE "s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+$suite([[:space:]].*)?$/\2/p" \
			"$f" | head -n 1 | grep . && return
	done
	return 0
}

mirror=${DEBIAN_MIRROR:-$(mirror_from_apt)}
mirror=${mirror:-http://deb.debian.org/debian}
arch=$(dpkg --print-architecture)
if [[ $(id -u) != 0 ]]; then
	echo "debian_base.sh: debootstrap needs root" >&2
	exit 1
fi
"$here/need_debs.sh" debootstrap >&2
version=$(dpkg-query -W -f='${Version}' debootstrap)
key=$(printf '%s\n' "$suite" "$variant" "$mirror" "$arch" "$version" | sha256sum | cut -c1-16)
if [[ -n $key_only ]]; then
	echo "$suite-$variant-$arch-$key"
	exit 0
fi
tar=$cache/debian-$suite-$variant-$arch-$key.tar

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # another run making the same root waits for it, then reuses it
if [[ -f $tar ]]; then
	echo "$tar"
	exit 0
fi

tmp=$(mktemp -d "$cache/root.XXXXXX")
# debootstrap mounts /proc and /sys in the root while it works; in a private mount namespace
# they vanish with it even if it is killed, so the rm below never reaches the host's.
trap 'rm -rf --one-file-system "$tmp"' EXIT
echo "debootstrap --variant=$variant $suite $mirror (once; cached as $tar)" >&2
start=$(date +%s)
if ! unshare --mount --propagation private \
	debootstrap --variant="$variant" "$suite" "$tmp/root" "$mirror" >"$tmp/log" 2>&1; then
	tail -n 20 "$tmp/log" >&2
	echo "debian_base.sh: debootstrap $suite from $mirror failed" >&2
	exit 1
fi
rm -f "$tmp"/root/var/cache/apt/archives/*.deb "$tmp"/root/var/cache/apt/*.bin
tar --numeric-owner -C "$tmp/root" -cf "$tmp/root.tar" .
mv "$tmp/root.tar" "$tar"
echo "debootstrap took $(($(date +%s) - start)) s" >&2
echo "$tar"
