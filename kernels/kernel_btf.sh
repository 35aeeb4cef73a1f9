#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# A Debian kernel's BTF, on the host: the vmlinux inside KERNEL_DIR/vmlinuz (x86) is found by the
# magic of its compressed payload (lz4 legacy, xz, zstd or gzip: whichever of them yields an ELF
# file), decompressed, and its .BTF section written as raw BTF to DEST/RELEASE.btf, named as
# BTFHub names its files so that ecc --btf-for knows the release; an arm64 Image's BTF is cut out
# of it as it is. A DEST that holds it already is kept.
# Usage: kernel_btf.sh KERNEL_DIR DEST
set -eu
kdir=${1:?usage: kernel_btf.sh KERNEL_DIR DEST}
dest=${2:?usage: kernel_btf.sh KERNEL_DIR DEST}
# linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64 -> 6.1.0-56-cloud-amd64
release=$(sed -e 's/^linux-image-//' -e 's/_.*//' "$kdir/PACKAGE")
out=$dest/$release.btf
[ -s "$out" ] && exit 0
tmp=$dest/tmp
rm -rf "$tmp"
mkdir -p "$tmp"

try() { # MAGIC DECOMPRESSOR...: the first offset of MAGIC that decompresses to an ELF file
	magic=$1
	shift
	for off in $(LC_ALL=C grep -obUaP "$magic" "$kdir/vmlinuz" | cut -d: -f1); do
		tail -c +$((off + 1)) "$kdir/vmlinuz" | "$@" >"$tmp/vmlinux" 2>/dev/null || true
		[ "$(head -c 4 "$tmp/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] && return 0
	done
	return 1
}

# An arm64 Image is not compressed, and not ELF: its BTF is found by BTF's own header (magic
# 0xeb9f, version 1, a 24-byte header) and cut to the length the header gives.
image_btf() { # 0: cut out; 1: no arm64 Image; 2: an arm64 Image without BTF (said)
	/usr/bin/python3 - "$kdir/vmlinuz" "$tmp/vmlinux.btf" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
if data[56:60] != b"ARM\x64":
    sys.exit(1)
at = data.find(b"\x9f\xeb\x01\x00\x18\x00\x00\x00")
if at < 0:
    print("kernel_btf: the arm64 Image holds no BTF", file=sys.stderr)
    sys.exit(2)
hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from("<5I", data, at + 4)
open(sys.argv[2], "wb").write(data[at:at + hdr_len + str_off + str_len])
PY
}

status=0
image_btf || status=$?
if [ "$status" = 0 ]; then
	mv "$tmp/vmlinux.btf" "$out"
	rm -rf "$tmp"
	echo "kernel BTF: $out ($(wc -c <"$out") bytes)"
	exit 0
elif [ "$status" != 1 ]; then
	rm -rf "$tmp"
	exit 1
fi
try '\x02\x21\x4c\x18' lz4 -dc || try '\xfd\x37\x7a\x58\x5a\x00' xz -dc ||
	try '\x28\xb5\x2f\xfd' zstd -dc || try '\x1f\x8b\x08' gzip -dc || {
	echo "kernel_btf: no lz4, xz, zstd or gzip payload in $kdir/vmlinuz decompresses to ELF" >&2
	rm -rf "$tmp"
	exit 1
}
objcopy -O binary --only-section=.BTF "$tmp/vmlinux" "$tmp/vmlinux.btf"
if [ "$(head -c 2 "$tmp/vmlinux.btf" | od -An -tx1 | tr -d ' ')" != 9feb ]; then
	echo "kernel_btf: the vmlinux in $kdir/vmlinuz has no .BTF section" >&2
	rm -rf "$tmp"
	exit 1
fi
mv "$tmp/vmlinux.btf" "$out"
rm -rf "$tmp"
echo "kernel BTF: $out ($(wc -c <"$out") bytes)"
