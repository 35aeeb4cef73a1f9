#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs CMD chrooted in ROOT, with a clean environment and the host's /proc, /sys, the cgroup
# v2 mount, /sys/kernel/tracing, /sys/fs/bpf and /dev bound in. The binds are made in a private mount
# namespace: they exist only while CMD runs and vanish with it on every path (a crash, a
# SIGKILL), and the host's mount table never holds them.
# usage: in_root.sh ROOT CMD [ARG]...
set -eu
if [ $# -lt 2 ]; then
	echo "usage: in_root.sh ROOT CMD [ARG]..." >&2
	exit 2
fi
exec unshare --mount --propagation private -- /bin/sh -eu -c '
root=$1
shift
for m in proc sys sys/kernel/tracing sys/fs/bpf sys/fs/cgroup sys/fs/cgroup/unified dev; do
	mountpoint -q "/$m" || continue
	mkdir -p "$root/$m"
	mount --bind "/$m" "$root/$m"
done
exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
	DEBIAN_FRONTEND=noninteractive "$@"' in_root "$@"
