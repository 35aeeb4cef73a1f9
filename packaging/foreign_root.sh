#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Unpacks Debian 12 packages of another architecture, with everything they depend on, into DEST:
# a root of that architecture to cross-compile against (its -dev packages' headers and
# libraries) and to copy a VM's programs from. The packages are fetched with `apt-get download`
# from this machine's Debian sources, with an apt state of their own under DEST.apt (the
# machine's apt configuration is left as it is, and nothing is installed), and unpacked with
# `dpkg -x` (their shlibs files gathered in DEST/.shlibs, for dpkg-shlibdeps); absolute symbolic
# links are made relative, so that they resolve inside DEST. A DEST
# that was made from the same list is kept as it is.
# Usage: foreign_root.sh ARCH DEST PACKAGE...
set -eu
arch=${1:?usage: foreign_root.sh ARCH DEST PACKAGE...}
dest=${2:?usage: foreign_root.sh ARCH DEST PACKAGE...}
shift 2
want="$arch $*"
[ -f "$dest/.packages" ] && [ "$(cat "$dest/.packages")" = "$want" ] && exit 0

state=$dest.apt
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
# apt-get or apt-cache with that architecture and the state under DEST.apt
apt_for() {
	tool=$1
	shift
	"$tool" -o "APT::Architecture=$arch" -o "APT::Architectures=$arch" \
		-o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" \
		-o "Dir::State::status=/dev/null" "$@"
}
apt_for apt-get -qq update
# the packages to unpack: those named, and what they depend on (Pre-Depends and Depends)
names=$(apt_for apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances "$@" | grep -v '^ \|^<' | sed 's/:.*//' | sort -u)
debs=$dest.debs
rm -rf "$debs" "$dest"
mkdir -p "$debs" "$dest"
echo "fetching $(echo "$names" | wc -w) $arch packages"
# shellcheck disable=SC2086
(cd "$debs" && apt_for apt-get -qq download $names 2>&1 |
	grep -v 'Download is performed unsandboxed' >&2 || true)
# every package named must have come: a partial root is never stamped complete
for name in $names; do
	ls "$debs/${name}_"*.deb >/dev/null 2>&1 ||
		{ echo "foreign_root: apt-get download fetched no $name ($arch)" >&2; exit 1; }
done
# each package's shlibs file too: which package and version a library's users depend on
: >"$dest/.shlibs"
for deb in "$debs"/*.deb; do
	dpkg -x "$deb" "$dest"
	dpkg-deb -I "$deb" shlibs >>"$dest/.shlibs" 2>/dev/null || true
done
# /lib -> usr/lib (merged /usr), and absolute links made relative to DEST
for d in bin sbin lib; do
	if [ -d "$dest/$d" ] && [ ! -L "$dest/$d" ]; then
		mkdir -p "$dest/usr/$d"
		cp -a "$dest/$d/." "$dest/usr/$d/"
		rm -rf "${dest:?}/$d"
	fi
	[ -e "$dest/$d" ] || ln -s "usr/$d" "$dest/$d"
done
find "$dest" -type l | while read -r link; do
	target=$(readlink "$link")
	case $target in
	/*) ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$dest$target")" "$link" ;;
	esac
done
rm -rf "$debs"
echo "$want" >"$dest/.packages"
echo "$arch root: $(echo "$names" | wc -w) packages in $dest"
