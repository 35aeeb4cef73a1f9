#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Installs the Debian packages named as arguments that are missing (as root, with apt-get), like
# the Makefile's deps step; not root and something missing: one line naming it, exit 1.
# --no-install-recommends first: only what the packages depend on (qemu-system-x86 would bring a
# GUI with its recommends).
apt_opts=
if [ "${1:-}" = --no-install-recommends ]; then
	apt_opts=$1
	shift
fi
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing Debian packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "installing:$missing"
DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $apt_opts $missing >/dev/null
