# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""A BPF object's sections and .BTF types read from its bytes, for tests that corrupt one
thing in it: the issue's corruption is a struct member's type id set past the last type."""
import struct

KIND_STRUCT, KIND_DATASEC = 4, 15
# bytes each record's entries take after its 12-byte common part: (fixed, per vlen)
EXTRA = {1: (4, 0), 3: (12, 0), 4: (0, 12), 5: (0, 12), 6: (0, 8), 13: (0, 8), 14: (4, 0),
         15: (0, 12), 17: (4, 0), 19: (0, 12)}


def sections(obj):
    """{name: (sh_name, type, flags, addr, offset, size, link, info, align, entsize)}"""
    shoff, = struct.unpack_from("<Q", obj, 0x28)
    shnum, shstrndx = struct.unpack_from("<HH", obj, 0x3c)
    heads = [struct.unpack_from("<IIQQQQIIQQ", obj, shoff + 64 * i) for i in range(shnum)]
    names = heads[shstrndx][4]
    return {obj[names + h[0]:obj.index(b"\0", names + h[0])].decode(): h for h in heads}


def btf_types(obj):
    """[None, (kind, name, vlen, size or type, offset of the record), ...]: one per type id."""
    off = sections(obj)[".BTF"][4]
    _, _, _, hdr_len, type_off, type_len, str_off, _ = struct.unpack_from("<HBBIIIII", obj, off)
    pos = off + hdr_len + type_off
    end, strs = pos + type_len, off + hdr_len + str_off
    types = [None]
    while pos < end:
        name_off, info, size_or_type = struct.unpack_from("<III", obj, pos)
        kind, vlen = (info >> 24) & 0x1f, info & 0xffff
        name = obj[strs + name_off:obj.index(b"\0", strs + name_off)].decode()
        types.append((kind, name, vlen, size_or_type, pos))
        fixed, per = EXTRA.get(kind, (0, 0))
        pos += 12 + fixed + per * vlen
    return types


def map_definition(obj, types, map_name):
    """The struct id of a map's definition: the type of its var in the .maps datasec."""
    for kind, name, vlen, _, pos in types[1:]:
        if kind == KIND_DATASEC and name == ".maps":
            for i in range(vlen):
                var = struct.unpack_from("<I", obj, pos + 12 + 12 * i)[0]
                if types[var][1] == map_name:
                    return types[var][3]
    raise AssertionError("no map %s" % map_name)


def struct_named(types, wanted):
    return next(i for i, t in enumerate(types) if t and t[0] == KIND_STRUCT and t[1] == wanted)


def first_struct(types):
    return next(i for i, t in enumerate(types) if t and t[0] == KIND_STRUCT and t[2])


def member_type_past_last(obj, sid, member):
    """Sets member's type id in struct sid to one past the last type; returns the one line
    the structural check refuses it with."""
    types = btf_types(obj)
    struct.pack_into("<I", obj, types[sid][4] + 12 + 12 * member + 4, len(types))
    what = "struct %s" % types[sid][1] if types[sid][1] else "anonymous struct"
    return ("bpf_object: .BTF type %d (%s) member %d refers to type %d past the last type %d"
            % (sid, what, member, len(types), len(types) - 1))
