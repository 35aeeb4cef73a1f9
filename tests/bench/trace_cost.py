#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""What tracing costs the traced: a bind loop (socket, bind, close) and a getppid loop, per
second of their own CPU time, untraced, under `ecli run bindsnoop` with the variant this
kernel keeps, and under its syscall variant (`--variant syscall`, what -E keeps where fexit and
kprobes are missing) with and without that variant's optional group (io_uring; the raw
sys_exit program, which runs at the end of every syscall, is in both). Runs interleave,
ROUNDS times; medians. Needs root.  usage: trace_cost.py [ROUNDS]   (make bench-trace)
"""
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile

from bench_tools import Tracer

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ECLI = os.path.join(ROOT, "build", "ecli")
LOOP = os.path.join(ROOT, "build", "tests", "syscall_loop")
PKG = os.path.join(ROOT, "build", "packages", "bindsnoop", "package.json")


def without_optional(pkg):
    """The package with every optional group moved to a variant tried last (never reached
    where another loads), so that they are neither loaded nor attached."""
    pkg = copy.deepcopy(pkg)
    dropped = []
    for v in pkg["meta"]["hook_variants"]:
        dropped += [p for g in v.pop("optional", []) for p in g["programs"]]
    pkg["meta"]["hook_variants"].append({"name": "unused", "programs": dropped})
    return pkg


def loop(kind, n):
    return float(subprocess.check_output([LOOP, kind, str(n)]))


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    with open(PKG) as f:
        pkg = json.load(f)
    with tempfile.NamedTemporaryFile("w", suffix=".json") as before:
        json.dump(without_optional(pkg), before)
        before.flush()
        syscall = ["--variant", "syscall"]
        configs = [("untraced", None), ("bindsnoop", [PKG]),
                   ("syscall, no optional groups", syscall + [before.name]),
                   ("syscall as built", syscall + [PKG])]
        rates = {name: {"bind": [], "getppid": []} for name, _ in configs}
        for _ in range(rounds):
            for name, args in configs:
                ecli = Tracer([ECLI, "run"] + args) if args else None
                rates[name]["bind"].append(loop("bind", 50000))
                rates[name]["getppid"].append(loop("getppid", 1000000))
                if ecli:
                    ecli.stop()
    base = {k: statistics.median(v) for k, v in rates["untraced"].items()}
    for name, _ in configs:
        bind = statistics.median(rates[name]["bind"])
        getppid = statistics.median(rates[name]["getppid"])
        print("%-32s bind loop %8.0f/s (%.2fx untraced)   getppid %6.1f ns/call" %
              (name, bind, bind / base["bind"], 1e9 / getppid))


if __name__ == "__main__":
    main()
