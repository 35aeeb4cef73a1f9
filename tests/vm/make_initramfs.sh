#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Builds the VM's root file system as an initramfs (an uncompressed newc cpio archive: the kernel
# unpacks it faster than it would inflate one, under TCG): busybox, this machine's python3 with the
# standard library the live tests use, bpftool, ecli, util-linux's mountpoint, unshare and nsenter
# (busybox has no mountpoint, and no unshare --kill-child), coreutils' true (tests copy it under
# other names, which busybox would not answer to), each with the shared libraries `ldd` names;
# the built packages, the test packages, the eunomia fixtures, the schemas (schema/, tools/) and the live tests
# under /ecli (the tree's layout, so the harness finds everything where it does here), the plan
# of what to run at /vm/plan and tests/vm/init as /init.
# For another architecture (VM_ARCH=aarch64), the programs and libraries come from FROM (a root
# of Debian 12's packages of that architecture: packaging/foreign_root.sh) and the helper from
# BUILD_ARCH (build/aarch64: cross-compiled), ecli from the .deb ECLI_DEB when it is set, each
# library found by the ELF's own list of what it needs (ldd runs only this machine's programs).
# Usage: make_initramfs.sh STAGE_DIR PLAN_FILE OUT.cpio   (run from the top of the tree)
set -eu
stage=${1:?usage: make_initramfs.sh STAGE_DIR PLAN_FILE OUT.cpio}
plan=${2:?}
out=${3:?}
PY=/usr/bin/python3.11
PYLIB=/usr/lib/python3.11
FROM=${FROM:-}
BUILD_ARCH=${BUILD_ARCH:-build}
VM_BUILD=${VM_BUILD:-build/vm}

# A host path's place in the merged-/usr root: /lib/x/y and /usr/lib/x/y are the same file.
under_usr() {
	case $1 in
	/usr/*) echo "$stage$1" ;;
	*) echo "$stage/usr$1" ;;
	esac
}

# Copies a file (following links) to its place in the root.
put() {
	to=$(under_usr "$1")
	mkdir -p "$(dirname "$to")"
	cp -L "$FROM$1" "$to"
}

# The libraries an ELF file of FROM needs (its DT_NEEDED and interpreter), as paths in FROM.
needed() {
	readelf -dl "$FROM$1" 2>/dev/null |
		sed -n -e 's/.*Shared library: \[\(.*\)\]/\1/p' \
			-e 's/.*Requesting program interpreter: \(.*\)\]/\1/p' |
		while read -r name; do
			for dir in "" /usr/lib/aarch64-linux-gnu /usr/lib /lib/aarch64-linux-gnu; do
				case $name in /*) dir= ;; esac
				if [ -e "$FROM$dir/$name" ] || [ -e "$FROM$dir$name" ]; then
					echo "$dir${dir:+/}$name" | sed 's#//*#/#g'
					break
				fi
			done
		done
}

# Copies binaries and shared objects with every library they load.
put_with_libs() {
	for f in "$@"; do
		put "$f"
	done
	if [ -z "$FROM" ]; then
		ldd "$@" 2>/dev/null | grep -o '/[^ ]*' | grep -v ':$' | sort -u | while read -r lib; do
			[ -e "$(under_usr "$lib")" ] || put "$lib"
		done
		return
	fi
	todo="$*"
	while [ -n "$todo" ]; do
		next=
		for f in $todo; do
			for lib in $(needed "$f"); do
				[ -e "$(under_usr "$lib")" ] && continue
				put "$lib"
				next="$next $lib"
			done
		done
		todo=$next
	done
}

rm -rf "$stage"
mkdir -p "$stage"/usr/bin "$stage"/usr/sbin "$stage"/usr/lib "$stage"/usr/lib64 "$stage"/proc \
	"$stage"/sys "$stage"/dev "$stage"/tmp "$stage"/run "$stage"/etc "$stage"/vm "$stage"/ecli
for d in bin sbin lib lib64; do
	ln -s usr/$d "$stage/$d"
done

put_with_libs /bin/busybox
ln -s busybox "$stage/usr/bin/sh" # for /init's first line; /init installs the other applets
put_with_libs "$PY" /usr/sbin/bpftool /usr/bin/mountpoint /usr/bin/unshare /usr/bin/nsenter \
	/usr/bin/true
# ecli's libraries (ecli itself goes under /ecli/build)
if [ -z "$FROM" ]; then
	put_with_libs build/ecli
else
	put_with_libs /usr/lib/aarch64-linux-gnu/libbpf.so.1 /usr/lib/aarch64-linux-gnu/libelf.so.1 \
		/usr/lib/aarch64-linux-gnu/libcjson.so.1 /usr/lib/aarch64-linux-gnu/libz.so.1
fi
ln -s python3.11 "$stage/usr/bin/python3"

# The standard library without what no test imports: its own tests, the C headers and static
# library, the 2to3 and pydoc data, distutils, tkinter and IDLE, pip's wheels.
tar -C "${FROM:-/}" -cf - --exclude='lib-dynload/_test*' --exclude='lib-dynload/_xx*' \
	--exclude="${PYLIB#/}/test" --exclude="${PYLIB#/}/config-*" --exclude="${PYLIB#/}/lib2to3" \
	--exclude="${PYLIB#/}/pydoc_data" --exclude="${PYLIB#/}/distutils" \
	--exclude="${PYLIB#/}/idlelib" --exclude="${PYLIB#/}/tkinter" --exclude="${PYLIB#/}/turtledemo" \
	--exclude="${PYLIB#/}/ensurepip" "${PYLIB#/}" | tar -C "$stage" -xhf -
for so in "$FROM$PYLIB"/lib-dynload/*.so; do
	put_with_libs "${so#"$FROM"}"
done
# Debian's sitecustomize.py is a link into /etc
[ -L "$stage$PYLIB/sitecustomize.py" ] &&
	cp --remove-destination -L "$FROM$PYLIB/sitecustomize.py" "$stage$PYLIB/sitecustomize.py"

mkdir -p "$stage/ecli/build" "$stage/ecli/tests/fixtures"
if [ -n "${ECLI_DEB:-}" ]; then # the ecli a .deb holds, as the machine installing it gets it
	dpkg -x "$ECLI_DEB" "$stage/deb"
	cp "$stage/deb/usr/bin/ecli" "$stage/ecli/build/ecli"
	rm -rf "$stage/deb"
else
	cp "$BUILD_ARCH/ecli" "$stage/ecli/build/ecli"
fi
cp -r build/packages build/test-packages "$stage/ecli/build/"
# the io_uring and int $0x80 helper of the live suites (it needs only libc, which is here)
mkdir -p "$stage/ecli/build/tests"
cp "$BUILD_ARCH/tests/sockcalls" "$stage/ecli/build/tests/"
# packages that embed the VM kernel's minimal BTF (ecc --btf-for), when make vmtest built them
if [ -d "$VM_BUILD/packages" ]; then
	mkdir -p "$stage/ecli/build/vm"
	cp -r "$VM_BUILD/packages" "$stage/ecli/build/vm/"
fi
# third-party tools packed on the host, and their original binaries (Debian's libbpf-tools)
if [ -d "$VM_BUILD/third-party/packages" ]; then
	tp=$stage/ecli/build/third-party
	mkdir -p "$tp/libbpf-tools/root/usr/sbin"
	cp -r "$VM_BUILD/third-party/packages" "$tp/"
	for p in "$tp"/packages/*.json; do
		tool=$(basename "$p" .json)
		cp "$FROM/usr/sbin/$tool" "$tp/libbpf-tools/root/usr/sbin/"
		put_with_libs "/usr/sbin/$tool"
	done
	# stdbuf: the originals' stdout line-buffered, so their header says when they trace
	put_with_libs /usr/bin/stdbuf /usr/libexec/coreutils/libstdbuf.so
fi
cp -r tests/live tests/vm tests/third_party "$stage/ecli/tests/"
cp -r tests/fixtures/eunomia "$stage/ecli/tests/fixtures/"
cp -r schema tools "$stage/ecli/"
find "$stage/ecli" -name __pycache__ -prune -exec rm -rf {} +
# Compiled here once rather than by every python3 the tests start in the guest.
"$PY" -m compileall -q -j 0 "$stage$PYLIB" "$stage/ecli/tests" >/dev/null || true

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
	>"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
cp tests/vm/init "$stage/init"
chmod 0755 "$stage/init"
cp "$plan" "$stage/vm/plan"

(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out.tmp"
mv "$out.tmp" "$out"
