# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""What the third-party suites share: bcc's libbpf-tools as Debian 12 ships them (the
libbpf-tools package, built from unmodified sources; `make` fetches it with apt-get download into
build/third-party, tests/third_party/fetch_libbpf_tools.sh). A tool's BPF object, cut out of its
binary, is packed with one ecc command (with a schema only for what the tool's user space
chooses: tests/third_party/README.md says why, per tool) and run beside the original binary."""
import os
import signal
import subprocess

from harness import ROOT, Process, check_equal

THIRD_PARTY = os.path.join(ROOT, "build", "third-party", "libbpf-tools")
ECC = os.path.join(ROOT, "build", "ecc")
SCHEMAS = os.path.join(ROOT, "tests", "third_party")


def original(tool):
    return os.path.join(THIRD_PARTY, "root", "usr", "sbin", tool)


def pack(tool, tmp):
    """The tool's package, made by one ecc command; returns its path and ecc -v's stderr. In the
    arm64 VM, which has no ecc, the package the host made for it (tests/tests.mk)."""
    prebuilt = os.path.join(ROOT, "build", "third-party", "packages", tool + ".json")
    if not os.path.exists(ECC) and os.path.exists(prebuilt):
        return prebuilt, ""
    obj = os.path.join(THIRD_PARTY, "objects", tool + ".bpf.o")
    if not os.path.exists(obj):
        raise AssertionError("%s is missing: run make first" % obj)
    schema = os.path.join(SCHEMAS, tool + ".json")
    out = os.path.join(tmp, tool + ".json")
    args = [ECC, "-v", "-o", out, obj] + ([schema] if os.path.exists(schema) else [])
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    check_equal(p.returncode, 0, "ecc %s; stderr: %s" % (tool, p.stderr))
    return out, p.stderr


class Original(Process):
    """The original binary, its stdout line-buffered (stdbuf) so that its header says when it
    is tracing; like ecli, stopped with SIGINT."""

    def __init__(self, tool, args, ready, timeout=30):
        super().__init__(["stdbuf", "-oL", original(tool)] + list(args))
        self.tool = tool
        self.wait_for(ready, timeout)

    def finish(self):
        """(stdout, stderr) once it has ended."""
        out, err, status = self.stop(signal.SIGINT, timeout=20)
        check_equal(status, 0, "the original %s: %s" % (self.tool, err))
        return out, err
