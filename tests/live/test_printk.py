# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""bpf_printk lines (tests/bpf/printk_only): ecli shows them while the tool runs, on stderr as
`task: text` or as JSON lines with -j, read from a tracefs instance of its own (the host's
trace_pipe keeps its lines); the instance goes with ecli, and one a SIGKILL left is removed by
the next run. ecc refuses a package that could never show anything.
"""
import os
import re
import signal
import subprocess
import sys
import tempfile

from harness import (ROOT, Ecli, check, check_equal, ensure_mounted, json_lines, live_test,
                     run_all, trace_getppid)

PKG = os.path.join(ROOT, "build", "test-packages", "printk_only", "package.json")
ECC = os.path.join(ROOT, "build", "ecc")
INSTANCES = "/sys/kernel/tracing/instances"


def instance_of(pid):
    return os.path.isdir(os.path.join(INSTANCES, "ecli-%d" % pid))


@live_test
def printk_lines_on_stderr():
    me = os.getpid()
    out, err, status = trace_getppid([PKG, "--target_pid", str(me)])
    check_equal((status, out), (0, ""), "exit status and stdout; stderr: " + err)
    lines = [l for l in err.splitlines() if "getppid from" in l]
    check_equal(len(lines), 3, "three lines: %r" % err)
    check(all(re.fullmatch(r".+-%d: getppid from %d" % (me, me), l) for l in lines),
          "task: text: %r" % lines)


@live_test
def printk_lines_as_json():
    me = os.getpid()
    out, err, status = trace_getppid(["-j", PKG, "--target_pid", str(me)])
    check_equal(status, 0, "exit status; stderr: " + err)
    rows = json_lines(out)
    check_equal([(r["printk"], r["pid"]) for r in rows], [("getppid from %d" % me, me)] * 3,
                "one JSON line per bpf_printk")
    check(all(r["task"].endswith("-%d" % me) for r in rows), "task: %r" % rows)


@live_test
def the_instance_goes_with_ecli_and_after_sigkill_with_the_next():
    ensure_mounted("/sys/kernel/tracing", "tracefs")  # on the host, where the test sees it
    ecli = Ecli([PKG])
    pid = ecli.proc.pid
    check(instance_of(pid), "ecli-%d exists while it runs" % pid)
    out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    check(not instance_of(pid), "ecli-%d is gone after a clean exit" % pid)
    ecli = Ecli([PKG])
    pid = ecli.proc.pid
    ecli.proc.send_signal(signal.SIGKILL)
    ecli.stop(None)
    check(instance_of(pid), "a SIGKILL leaves ecli-%d behind" % pid)
    out, err, status = trace_getppid([PKG], calls=0)
    check_equal(status, 0, "the next run; stderr: " + err)
    check(not instance_of(pid), "the next run removed ecli-%d" % pid)


@live_test
def ecc_refuses_a_package_that_could_never_show_anything():
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "quiet.bpf.c")
        with open(src, "w") as f:
            f.write('#include "vmlinux.h"\n#include <bpf/bpf_helpers.h>\n'
                    'SEC("tracepoint/syscalls/sys_enter_getppid")\n'
                    'int on_getppid(void *ctx)\n{\n\treturn 0;\n}\n'
                    'char LICENSE[] SEC("license") = "Dual BSD/GPL";\n')
        p = subprocess.run([ECC, "-o", os.path.join(tmp, "p.json"), src], capture_output=True,
                           text=True, timeout=120)
    check_equal((p.returncode, p.stdout), (2, ""), "exit status and stdout")
    check_equal(p.stderr, "ecc: %s: the package could never show anything: it has no event map "
                "(ring buffer or perf event array), no map printed as a histogram or at exit, "
                "and no bpf_printk\n" % src, "the one line")


if __name__ == "__main__":
    sys.exit(run_all("printk"))
