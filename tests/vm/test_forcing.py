# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Run by tests/vm/run_vm.py in the VM, on Debian 12's kernel: `ecli run --variant NAME` keeps
exactly that variant, by program ids, so the suites run with ECLI_VARIANT=NAME test the variant
they say. The variants forced are those the plan says this kernel runs (ECLI_VM_VARIANTS, from
the kernel command line: every variant on x86_64; not fexit on arm64, whose kernel has no ftrace
direct calls); each must be one of the tool's."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "live"))
from harness import (Ecli, bpf_fds, check, check_equal, live_test, loaded_ids, package,  # noqa: E402
                     package_meta, run_all, variant_fates)


def hook_variants(tool):
    """{variant: its programs, those of its optional groups included}"""
    return {v["name"]: v["programs"] + [p for g in v.get("optional", []) for p in g["programs"]]
            for v in package_meta(tool)["hook_variants"]}


def forced_here(variants):
    """The variants to force on this kernel: the plan's, else every one."""
    planned = [v for v in os.environ.get("ECLI_VM_VARIANTS", "").split(",") if v]
    left = sorted(set(variants) - set(planned)) if planned else []
    print("    variants not forced on this kernel (the plan's): %s" % (", ".join(left) or "none"))
    print("    variants of the plan the tool has not: %s"
          % (", ".join(v for v in planned if v not in variants) or "none"))
    return {n: p for n, p in variants.items() if not planned or n in planned}


def check_each_variant_alone(tool):
    variants = hook_variants(tool)
    check(len(variants) >= 3, "%s has its variants: %r" % (tool, variants))
    for name, programs in forced_here(variants).items():
        ecli = Ecli(["-v", "--variant", name, package(tool)])
        try:
            held, links = bpf_fds(ecli.proc.pid)
        finally:
            _, err, status = ecli.stop()
        check_equal(status, 0, "%s --variant %s: exit status; stderr %r" % (tool, name, err))
        loaded = loaded_ids(err)
        _, dropped = variant_fates(err)
        not_loaded = {p for line in re.findall(r"^variant \S+: without ([^:]*): load failed",
                                                err, re.M) for p in line.split(", ")}
        attached = [p for p in programs if p not in dropped]
        print("    %s --variant %s: optional programs dropped on this kernel: %s"
              % (tool, name, ", ".join(sorted(dropped)) or "none"))
        check_equal(list(loaded), [name], "%s --variant %s: variants tried:\n%s" % (tool, name, err))
        check_equal(sorted(loaded[name]), sorted(p for p in programs if p not in not_loaded),
                    "%s --variant %s: programs loaded" % (tool, name))
        check_equal(held, set(loaded[name].values()), "%s --variant %s: program ids ecli held"
                    % (tool, name))
        check_equal(sorted(links.values()), sorted(loaded[name][p] for p in attached),
                    "%s --variant %s: one link per program attached" % (tool, name))
        programs = attached
        check("variant %s: loaded and attached %d program%s"
              % (name, len(programs), "" if len(programs) == 1 else "s") in err,
              "%s --variant %s attached:\n%s" % (tool, name, err))


@live_test
def bindsnoop_each_variant_alone():
    check_each_variant_alone("bindsnoop")


@live_test
def tcpaccept_each_variant_alone():
    check_each_variant_alone("tcpaccept")


if __name__ == "__main__":
    sys.exit(run_all("forcing"))
