#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The BPF headers tool authors include (bpf/*.bpf.h) each compile on their own.

For every header, a translation unit that includes it, twice (the second include proves its
include guard), is compiled the way ecc compiles a tool: clang -g -O2 -target bpf
-D__TARGET_ARCH_<arch> -Wall -Werror against the staged include dir (build/include: vmlinux.h,
libbpf's bpf/*.h, the project's headers). A header that uses what it does not include fails,
named, with clang's first lines. The checker itself must fail on made-up headers that are not
self-contained and pass on one that is (in a temporary folder), so a passing run means something.

usage: test_headers_alone.py [ROOT]
"""
import os
import platform
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CLANG = os.environ.get("CLANG", "clang")
ARCH = {"x86_64": "x86", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def compile_alone(header, include_dirs):
    """None if header compiles on its own (and included twice), else what clang said."""
    with tempfile.TemporaryDirectory() as tmp:
        unit = os.path.join(tmp, "alone.c")
        with open(unit, "w", encoding="utf-8") as f:
            f.write('#include "%s"\n#include "%s"\n' % (header, header))
        argv = [CLANG, "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_%s" % ARCH]
        for d in include_dirs:
            argv += ["-I", d]
        argv += ["-Wall", "-Werror", "-c", unit, "-o", os.devnull]
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        except OSError as e:
            return "%s: cannot run %s: %s" % (header, CLANG, e)
        if p.returncode == 0:
            return None
        lines = [l for l in p.stderr.splitlines() if "error" in l][:3] or \
            p.stderr.splitlines()[:3]
        return "%s does not compile alone (clang exit %d):\n    %s" % (
            header, p.returncode, "\n    ".join(lines))


# Made-up headers for the checker's own tests: (what it shows, file text, should it pass).
MADE_UP = {
    "a self-contained header passes": ("""#ifndef SOUND_BPF_H
#define SOUND_BPF_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sound_map SEC(".maps");
#endif
""", True),
    "the checker fails a header relying on the include order": ("""#ifndef ORDER_BPF_H
#define ORDER_BPF_H
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} order_map SEC(".maps");
#endif
""", False),
    "the checker fails a header without an include guard": ("""#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
const volatile __u32 unguarded = 0;
""", False),
}


def run():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(HERE))
    include = os.path.join(root, "build", "include")
    passed = failed = 0

    def result(name, problem):
        nonlocal passed, failed
        if problem:
            failed += 1
            print("FAIL %s\n  %s" % (name, problem))
        else:
            passed += 1
            print("ok   %s" % name)

    headers = sorted(f for f in os.listdir(os.path.join(root, "bpf")) if f.endswith(".bpf.h"))
    result("bpf/ has headers", None if headers else "no bpf/*.bpf.h")
    if not os.path.exists(os.path.join(include, "vmlinux.h")):
        result("build/include is staged", "no %s/vmlinux.h: run make first" % include)
        headers = []
    for h in headers:
        staged = os.path.join(include, h)
        if not os.path.exists(staged):
            result(h + " compiles alone", "%s is not staged in %s (run make)" % (h, include))
            continue
        result(h + " compiles alone", compile_alone(h, [include]))
    for name, (text, sound) in MADE_UP.items():
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "made_up.bpf.h"), "w", encoding="utf-8") as f:
                f.write(text)
            got = compile_alone("made_up.bpf.h", [tmp, include])
            if sound:
                result(name, got)
            elif got is None:
                result(name, "the checker passed a header it should fail")
            else:
                result(name, None if got.startswith("made_up.bpf.h does not compile alone")
                       else "the failure does not name the header: %r" % got)
    print("bpf-headers: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run())
