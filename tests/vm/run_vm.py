# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Runs the live suites in a VM booted on another kernel (Debian 12's own, by default) and prints
a table kernel x architecture x variant x suite, then "vmtest: N passed, M failed".

The VM is QEMU with Debian 12's kernel for the architecture (kernels/fetch_kernel.sh: x86_64's in
build/vm/kernel, arm64's in build/kernels/aarch64) and an initramfs as its root
(tests/vm/make_initramfs.sh; for arm64, Debian's arm64 programs and an ecli cross-compiled from
the tree) whose /init (tests/vm/init) runs a plan: each suite once per forced hook variant
(ECLI_VARIANT, read by the live harness) the kernel can run, then, with the kernel's BTF hidden,
the suite of kernels without BTF. On x86_64 KVM is tried first where /dev/kvm opens, and left for
TCG when the guest has not said it is ready within --kvm-wait seconds (KVM guests hang on some
hosts); arm64 runs under TCG. TCG runs both vCPUs in one host thread: with one each, a vCPU of
QEMU 7.2 sometimes kept running kernel code the other had just patched (docs/kernels.md). Every
wait has a limit: a guest that hangs ends the run with failures, never hangs it.

  python3 tests/vm/run_vm.py                       the whole plan (make vmtest)
  python3 tests/vm/run_vm.py --arch aarch64        the same on Debian 12's arm64 kernel
  python3 tests/vm/run_vm.py --suite kprobe:bindsnoop --suite default:eunomia:bootstrap,runqlat
  python3 tests/vm/run_vm.py --hide-btf --cmd 'build/ecli run build/packages/bindsnoop/package.json'
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "live"))
from harness import package_meta  # noqa: E402
VM_DIR = os.path.join(ROOT, "build", "vm")
# Per architecture: the kernel, the build folders, QEMU, and the variants its kernel can run
# (Debian's arm64 kernel has no ftrace direct calls: fexit loads but cannot attach there).
ARCHES = {
    "x86_64": {
        "kernel_dir": os.path.join(ROOT, "build", "vm", "kernel"),
        "vm_dir": VM_DIR,
        "env": {},
        "variants": ["default", "fexit", "kprobe", "cgroup", "tracepoint", "syscall"],
    },
    "aarch64": {
        "kernel_dir": os.path.join(ROOT, "build", "kernels", "aarch64"),
        "vm_dir": os.path.join(ROOT, "build", "vm-aarch64"),
        # ecli from the arm64 .deb (make deb-arm64): what a machine installing it runs
        "env": {"FROM": os.path.join(ROOT, "build", "arm64-root"),
                "BUILD_ARCH": os.path.join(ROOT, "build", "aarch64"),
                "VM_BUILD": os.path.join(ROOT, "build", "vm-aarch64"),
                "ECLI_DEB": os.path.join(ROOT, "build", "deb-arm64", "ecli_%s_arm64.deb")},
        "variants": ["default", "kprobe", "cgroup", "tracepoint", "syscall"],
    },
}
# Suites of tools with hook variants run once per variant; the others once, as they are. Not
# here: suites about ecli's own user-space behaviour, which no kernel changes and which are slow
# under TCG or need tools the VM lacks (robustness: zlib bombs, valgrind; output: stalled
# readers; host: setpriv, readelf; variants: ecc, clang).
# Each with the tool whose package's variants it forces: a variant the tool has not is not forced.
VARIANT_SUITES = {"bindsnoop": "bindsnoop", "bindsnoop_flags": "bindsnoop", "tcpaccept": "tcpaccept"}
PLAIN_SUITES = ["eunomia", "opensnoop", "execsnoop", "pidns"]
# On arm64 also: Debian's arm64 libbpf-tools opensnoop (its kernel has no open syscall)
THIRD_PARTY_ON = {"aarch64": ["suite default %s libbpf_tools_events opensnoop"]}
# Without BTF the fexit variant cannot load (libbpf finds its attach point in the kernel's BTF,
# never in --btf's file): the default order, which picks kprobe, then the syscall variant forced
# on the tests of the tools that have variants.
NOBTF_RUNS = [("default", []), ("syscall", ["binds", "accepts"])]
BTF_COPY = "/tmp/vmlinux.btf"
SUMMARY = re.compile(r"^([a-z0-9_-]+): (\d+) passed, (\d+) failed$")


def suite_script(name):
    for d in ("tests/live", "tests/vm"):
        if os.path.exists(os.path.join(ROOT, d, "test_%s.py" % name)):
            return "%s/test_%s.py" % (d, name)
    raise SystemExit("run_vm: no suite %s (tests/live/test_%s.py or tests/vm/test_%s.py)"
                     % (name, name, name))


def tool_variants(tool):
    """The names of the hook variants of the tool's package, as make built it."""
    return [v["name"] for v in package_meta(tool)["hook_variants"]]


def default_plan(variants, arch):
    # first, that forcing a variant keeps exactly that one: what the variant axis stands on
    plan = ["suite default %s forcing" % suite_script("forcing")]
    for variant in variants:
        plan += ["suite %s %s %s" % (variant, suite_script(s), s) for s, tool in VARIANT_SUITES.items()
                 if variant == "default" or variant in tool_variants(tool)]
    plan += ["suite default %s %s" % (suite_script(s), s) for s in PLAIN_SUITES]
    plan += [line % suite_script("libbpf_tools_events") for line in THIRD_PARTY_ON.get(arch, [])]
    plan += ["hide-btf"]
    plan += [" ".join(["suite", variant, suite_script("nobtf"), "nobtf"] + tests)
             for variant, tests in NOBTF_RUNS]
    return plan


class PlanStep(argparse.Action):
    """--suite, --hide-btf and --cmd add plan lines in the order they are given."""

    def __call__(self, parser, namespace, value, option_string=None):
        steps = namespace.steps
        if option_string == "--suite":
            parts = value.split(":")
            if len(parts) < 2:
                parts.insert(0, "default")
            variant, name, tests = parts[0], parts[1], ":".join(parts[2:]).split(",")
            steps.append(" ".join(["suite", variant, suite_script(name), name] +
                                  [t for t in tests if t]))
        elif option_string == "--hide-btf":
            steps.append("hide-btf")
        else:
            steps.append("cmd cmd%d %s" % (sum(s.startswith("cmd ") for s in steps) + 1, value))


class Guest:
    """One QEMU run; its results (the guest's ttyS1) are read from a file as they come."""

    def __init__(self, arch, kernel, initrd, accel, tcg_thread, step_timeout, log_dir, variants):
        self.results = os.path.join(log_dir, "results-%s.log" % accel)
        self.console = os.path.join(log_dir, "console-%s.log" % accel)
        for f in (self.results, self.console):
            if os.path.exists(f):
                os.unlink(f)
        append = "panic=-1 ecli_vm_step_timeout=%d ecli_vm_variants=%s" % (
            step_timeout, ",".join(v for v in variants if v != "default"))
        common = ["-accel", "tcg,thread=" + tcg_thread if accel == "tcg" else accel,
                  "-m", "1024", "-smp", "2", "-display", "none", "-monitor", "none",
                  "-no-reboot", "-nodefaults", "-kernel", kernel, "-initrd", initrd]
        if arch == "aarch64":
            # one PL011 (the console) on virt: results go to a PCI serial port, ttyS0
            cmd = ["qemu-system-aarch64", "-M", "virt", "-cpu", "max,pauth-impdef=on"] + common + [
                "-append", "console=ttyAMA0 " + append, "-serial", "file:" + self.console,
                "-chardev", "file,id=results,path=" + self.results,
                "-device", "pci-serial,chardev=results"]
        else:
            cpu = "host" if accel == "kvm" else "max"
            cmd = ["qemu-system-x86_64", "-cpu", cpu] + common + [
                "-append", "console=ttyS0 " + append, "-serial", "file:" + self.console,
                "-serial", "file:" + self.results]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.seen = 0
        self.lines = []

    def read_new_lines(self):
        """Complete lines the guest wrote since the last call."""
        try:
            with open(self.results, "rb") as f:
                f.seek(self.seen)
                data = f.read()
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n") + 1
        self.seen += end
        new = data[:end].decode(errors="replace").replace("\r", "").splitlines()
        self.lines += new
        return new

    def stop(self):
        """Kills qemu if it still runs; what it printed (the first call only)."""
        if self.proc.poll() is None:
            self.proc.kill()
        if self.proc.stdout.closed:
            return ""
        out = self.proc.communicate()[0]
        return out.decode(errors="replace")


def version():
    """The version the packages carry (make print-version)."""
    return subprocess.run(["make", "--no-print-directory", "-s", "print-version"],
                          capture_output=True, text=True, check=True).stdout.strip()


def kvm_usable():
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
        return True
    except OSError:
        return False


def follow(guest, deadline, until, show):
    """Prints the guest's result lines as they come until a line starts with `until`, qemu
    exits or the deadline passes. True when the line came."""
    while True:
        ended = guest.proc.poll() is not None or time.time() > deadline
        new = guest.read_new_lines()
        for line in new if show else ():
            print(line, flush=True)
        if any(l.startswith(until) for l in guest.lines):
            return True
        if ended:
            return False
        time.sleep(0.2)


def boot(args, initrd, kernel, vm_dir):
    """Boots the guest and follows it to the end; returns (guest, accel, boot seconds, notes)."""
    notes = []
    native = args.arch == os.uname().machine
    accels = ["kvm", "tcg"] if args.accel == "auto" and native and kvm_usable() else \
        ["tcg" if args.accel == "auto" else args.accel]
    for accel in accels:
        start = time.time()
        guest = Guest(args.arch, kernel, initrd, accel, args.tcg_thread, args.step_timeout, vm_dir,
                      ARCHES[args.arch]["variants"])
        try:
            wait = args.kvm_wait if accel == "kvm" and len(accels) > 1 else args.boot_wait
            if not follow(guest, start + wait, "=== vm-ready", True):
                ended = guest.proc.poll() is not None
                qemu_out = guest.stop().strip()
                notes.append("%s: the guest %s%s; its console: %s" % (
                    accel, "stopped before it was ready" if ended else
                    "was not ready within %ds" % wait,
                    (" (qemu: %s)" % qemu_out.splitlines()[-1]) if qemu_out else "",
                    guest.console))
                continue
            booted = time.time() - start
            if not follow(guest, start + args.timeout, "=== vm-done", True):
                notes.append("%s: the guest did not finish within %ds of starting; its console: %s"
                             % (accel, args.timeout, guest.console))
                return guest, accel, booted, notes
            # the guest powers off by itself after vm-done: a moment for that, then it is stopped
            try:
                guest.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            return guest, accel, booted, notes
        finally:
            guest.stop()
    return None, None, None, notes


def parse_steps(lines):
    """[(kind, variant, name, passed, failed, seconds or None, detail)] from the result lines."""
    steps, current = [], None
    for line in lines:
        begin = re.match(r"^=== vm-begin (\S+) (\S+) (\S+)$", line)
        end = re.match(r"^=== vm-end (\S+) (\S+) (\S+) (\d+) ([\d.]+)$", line)
        if begin:
            current = {"kind": begin.group(1), "variant": begin.group(2), "name": begin.group(3),
                       "summary": None}
        elif end and current:
            status, seconds = int(end.group(4)), float(end.group(5))
            steps.append(finish_step(current, status, seconds))
            current = None
        elif current and SUMMARY.match(line):
            current["summary"] = SUMMARY.match(line)
    if current:
        steps.append(finish_step(current, None, None))
    return steps


def finish_step(step, status, seconds):
    if step["kind"] == "cmd":
        ok = status == 0
        return (step["kind"], step["variant"], step["name"], int(ok), int(not ok), seconds,
                "exit status %s" % status)
    if status is None:
        return (step["kind"], step["variant"], step["name"], 0, 1, None, "did not finish")
    m = step["summary"]
    if not m:
        return (step["kind"], step["variant"], step["name"], 0, 1, seconds,
                "no summary line (exit status %d)" % status)
    passed, failed = int(m.group(2)), int(m.group(3))
    if status != 0 and failed == 0:
        failed = 1
    return (step["kind"], step["variant"], step["name"], passed, failed, seconds,
            "%d passed, %d failed" % (int(m.group(2)), int(m.group(3))))


def planned_steps(plan):
    """(variant, name) of each suite in the plan."""
    return [(line.split()[1], line.split()[3]) for line in plan if line.startswith("suite ")]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.set_defaults(steps=[])
    p.add_argument("--suite", action=PlanStep, metavar="[VARIANT:]SUITE[:TEST,...]",
                   help="run tests/live/test_SUITE.py or tests/vm/test_SUITE.py (only the tests "
                   "whose names contain a TEST) with that hook variant forced (default: none "
                   "forced); repeatable")
    p.add_argument("--hide-btf", action=PlanStep, nargs=0,
                   help="hide the kernel's BTF from the steps after it (a copy stays at %s)"
                   % BTF_COPY)
    p.add_argument("--cmd", action=PlanStep, metavar="SHELL-COMMAND",
                   help="run a shell command in the guest, in the tree's copy; repeatable")
    p.add_argument("--arch", choices=sorted(ARCHES), default="x86_64",
                   help="the guest's architecture (default x86_64)")
    p.add_argument("--kernel-dir", help="default: the architecture's Debian kernel")
    p.add_argument("--accel", choices=["auto", "kvm", "tcg"], default="auto")
    p.add_argument("--tcg-thread", choices=["single", "multi"], default="single",
                   help="QEMU's TCG threads: one for all vCPUs (default), or one each (see "
                   "docs/kernels.md: multi-threaded TCG can miss a vCPU's change to kernel text)")
    p.add_argument("--kvm-wait", type=int, default=15,
                   help="seconds a KVM guest has to get ready before TCG takes over")
    p.add_argument("--boot-wait", type=int, default=120, help="seconds to get ready under TCG")
    p.add_argument("--step-timeout", type=int, default=600, help="seconds for one suite")
    p.add_argument("--timeout", type=int, default=1800, help="seconds for the whole run")
    args = p.parse_args()

    os.chdir(ROOT)
    arch = ARCHES[args.arch]
    vm_dir = arch["vm_dir"]
    os.makedirs(vm_dir, exist_ok=True)
    args.kernel_dir = args.kernel_dir or arch["kernel_dir"]
    kernel = os.path.join(args.kernel_dir, "vmlinuz")
    if not os.path.exists(kernel):
        print("vmtest: no kernel at %s (make vmtest fetches it)" % kernel)
        print("vmtest: 0 passed, 1 failed")
        return 1
    with open(os.path.join(args.kernel_dir, "PACKAGE")) as f:
        package = f.read().strip()
    plan = args.steps or default_plan(arch["variants"], args.arch)
    plan_file = os.path.join(vm_dir, "plan")
    with open(plan_file, "w") as f:
        f.write("\n".join(plan) + "\n")
    initrd = os.path.join(vm_dir, "initramfs.cpio")
    start = time.time()
    env = {k: v % version() if "%s" in v else v for k, v in arch["env"].items()}
    for path in (v for k, v in env.items() if k == "ECLI_DEB" and not os.path.exists(v)):
        print("vmtest: no %s (make deb-arm64 builds it)" % path)
        print("vmtest: 0 passed, 1 failed")
        return 1
    subprocess.run(["tests/vm/make_initramfs.sh", os.path.join(vm_dir, "root"), plan_file, initrd],
                   check=True, env=dict(os.environ, **env))
    print("vmtest: initramfs %.1f MB built in %.1fs; kernel %s" % (
        os.path.getsize(initrd) / 1e6, time.time() - start, package), flush=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit("vmtest: stopped by SIGTERM"))
    guest, accel, booted, notes = boot(args, initrd, kernel, vm_dir)
    for n in notes:
        print("vmtest: " + n)
    lines = guest.lines if guest else []
    release = next((l.split()[2] for l in lines if l.startswith("=== vm-ready ")),
                   package.split("_")[0].replace("linux-image-", ""))
    steps = parse_steps(lines)
    done = {(s[1], s[2]) for s in steps}
    for variant, name in planned_steps(plan):
        if (variant, name) not in done:
            steps.append(("suite", variant, name, 0, 1, None, "not run"))
    if not guest:
        steps.append(("boot", "-", "boot", 0, 1, None, "the guest never got ready"))

    print()
    if guest:
        print("vmtest: %s under %s, ready in %.1fs, whole run %.0fs" % (
            release, accel, booted, time.time() - start))
    print("%-28s %-8s %-10s %-16s %-6s %8s  %s" % ("KERNEL", "ARCH", "VARIANT", "SUITE",
                                                   "RESULT", "SECONDS", "DETAIL"))
    passed = failed = 0
    for kind, variant, name, p_, f_, seconds, detail in steps:
        passed, failed = passed + p_, failed + f_
        print("%-28s %-8s %-10s %-16s %-6s %8s  %s" % (
            release, args.arch, variant, name, "FAIL" if f_ else "pass",
            "%.1f" % seconds if seconds is not None else "-", detail))
    print("vmtest: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
