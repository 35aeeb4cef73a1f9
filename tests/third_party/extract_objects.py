#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Cuts the BPF object out of each binary of a folder: a libbpf skeleton embeds the object's
bytes whole. The object is the ELF whose machine is EM_BPF (247); it ends with its section
header table (e_shoff + e_shnum * e_shentsize bytes from its start).

usage: extract_objects.py BINARIES_DIR OUT_DIR   (writes OUT_DIR/<binary>.bpf.o)
"""
import os
import struct
import sys

EM_BPF = 247


def bpf_objects(data):
    at = data.find(b"\x7fELF")
    while at >= 0:
        if data[at + 4:at + 6] == b"\x02\x01":  # 64-bit, little-endian
            machine, = struct.unpack_from("<H", data, at + 18)
            shoff, = struct.unpack_from("<Q", data, at + 0x28)
            shentsize, shnum = struct.unpack_from("<HH", data, at + 0x3a)
            end = at + shoff + shentsize * shnum
            if machine == EM_BPF and shoff and end <= len(data):
                yield data[at:end]
        at = data.find(b"\x7fELF", at + 1)


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    n = 0
    for name in sorted(os.listdir(src)):
        with open(os.path.join(src, name), "rb") as f:
            found = list(bpf_objects(f.read()))
        if len(found) != 1:
            continue  # no skeleton, or more than one: not a tool this suite runs
        with open(os.path.join(out, name + ".bpf.o"), "wb") as f:
            f.write(found[0])
        n += 1
    print("extract_objects: %d objects from %s" % (n, src))
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
