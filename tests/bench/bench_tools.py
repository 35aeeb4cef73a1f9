#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""ecli against a hand-written libbpf tool of the same object (make bench; needs root).

Configurations, run in turn in every round (the order rotates from round to round, so a slow
spell of the shared machine does not always fall on the same one):
  untraced    the bind loop alone (build/tests/syscall_loop --wall bind BINDS)
  native      build/tests/native_bindsnoop VARIANT > /dev/null: bindsnoop's object through a
              bpftool skeleton, the variant ecli keeps here only (cgroup or syscall), JSON lines
              with printf
  ecli table  ecli run build/packages/bindsnoop/package.json > /dev/null
  ecli -j     ecli run -j build/packages/bindsnoop/package.json > /dev/null
  ecli -j metrics  the same with --metrics 127.0.0.1:PORT (bindsnoop_binds_total: each bind of
              the storm, on a port of its own, a new series, up to the cap of 10,000)
  bpftrace    an equivalent script on the bind syscall tracepoints, where bpftrace is installed
Each traced run measures: exec to the "Hit Ctrl-C to end" line (monotonic clock); the bind
loop's rate per wall second while the tracer runs; the tracer's CPU time over the storm
(/proc/PID/task/*/schedstat, in ns: clock ticks are too coarse, and the CPU time wait4 reports
at exit includes loading and unloading) per bind; VmRSS at ready and once the storm has been
read; the losses the tracer reports at exit and any other line it prints. Every storm also
records the most CPU time the hypervisor stole from one of this VM's CPUs while it ran
(/proc/stat), which explains a loss where a reader was stalled longer than its buffer lasts.
Before the rounds, native's and ecli -j's JSON lines for the same binds are compared. Exit
status 0 whatever the figures, 1 when something failed to run (a tracer that did not start,
hung or failed).

usage: bench_tools.py [--ecli PATH] [--rounds N] [--binds N]
"""
import argparse
import json
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "live"))
from binder import free_port  # noqa: E402
BUILD = os.path.join(ROOT, "build")
PKG = os.path.join(BUILD, "packages", "bindsnoop", "package.json")
NATIVE = os.path.join(BUILD, "tests", "native_bindsnoop")
LOOP = os.path.join(BUILD, "tests", "syscall_loop")
BANNER = b"Hit Ctrl-C to end"

# What ecli adds to an event for its "cgroup" member (docs/ecli.md, container and unit names)
NAMES = r',"(?:container|container_id|runtime|unit|cgroup)":"(?:[^"\\]|\\.)*"'

# Every wait has a limit, in seconds.
READY_LIMIT = 30
EXIT_LIMIT = 15
QUIET_LIMIT = 15
# A tracer is done with the storm once it uses less than this much CPU in a QUIET_STEP.
QUIET_STEP = 0.1
QUIET_NS = 2000000

BPFTRACE_SCRIPT = r"""
BEGIN { printf("Tracing binds ... Hit Ctrl-C to end\n"); }
tracepoint:syscalls:sys_enter_bind { @fd[tid] = args->fd; }
tracepoint:syscalls:sys_exit_bind {
	printf("{\"ts_ns\":%llu,\"pid\":%d,\"uid\":%d,\"comm\":\"%s\",\"fd\":%d,\"ret\":%d}\n",
	       nsecs, pid, uid, comm, @fd[tid], args->ret);
	delete(@fd[tid]);
}
"""


class Failure(Exception):
    pass


def lost_ecli(lines):
    """ecli says `lost N events (M in total)` while running and `lost N events` (the total) at
    exit; it says nothing when nothing was lost."""
    totals = [0]
    for line in lines:
        m = re.fullmatch(r"lost \d+ events \((\d+) in total\)", line) or \
            re.fullmatch(r"lost (\d+) events", line)
        if m:
            totals.append(int(m.group(1)))
    return max(totals), [l for l in lines if not re.fullmatch(r"lost \d+ events.*", l)]


def lost_native(lines):
    counts = [int(m.group(1)) for m in (re.fullmatch(r"lost (\d+) events", l) for l in lines) if m]
    if len(counts) != 1:
        raise Failure("native_bindsnoop did not report its losses: %r" % lines)
    return counts[0], [l for l in lines if not re.fullmatch(r"lost \d+ events", l)]


def lost_bpftrace(lines):
    """bpftrace reports each loss as it happens."""
    pattern = r"\s*Lost (\d+) events\s*"
    counts = [int(m.group(1)) for m in (re.fullmatch(pattern, l) for l in lines) if m]
    return sum(counts), [l for l in lines if not re.fullmatch(pattern, l)]


class Tracer:
    """A tracer started with its events going to /dev/null (or, for the JSON check, a file):
    ready once its banner line appears on stderr (bpftrace prints it on stdout)."""

    def __init__(self, argv, stdout=subprocess.DEVNULL, banner_on_stdout=False):
        self.err = b""
        self.out_seen = b""
        self.ready_event = threading.Event()
        t0 = time.monotonic()
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE if banner_on_stdout else stdout,
                                  stderr=subprocess.PIPE)
        self.err_fd = self.p.stderr.fileno()
        if banner_on_stdout:
            threading.Thread(target=self.drain_stdout, daemon=True).start()
        deadline = t0 + READY_LIMIT
        while not self.ready():
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise Failure("%s: no ready line after %d s" % (argv[0], READY_LIMIT))
            if not self.read_stderr(min(left, 0.05)) and not banner_on_stdout:
                try:
                    self.p.wait(EXIT_LIMIT)
                except subprocess.TimeoutExpired:
                    self.kill()
                raise Failure("%s ended before tracing (status %s): %s" %
                              (argv[0], self.p.returncode, self.err.decode(errors="replace")))
            if banner_on_stdout and self.p.poll() is not None:
                raise Failure("%s ended before tracing: %s" %
                              (argv[0], self.err.decode(errors="replace")))
        self.ready_ms = (time.monotonic() - t0) * 1000
        self.rss_ready = self.rss_mib()

    def ready(self):
        return BANNER in self.err or self.ready_event.is_set()

    def drain_stdout(self):
        fd = self.p.stdout.fileno()
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                return
            if not self.ready_event.is_set():
                self.out_seen = (self.out_seen + chunk)[-4096:]
                if BANNER in self.out_seen:
                    self.ready_event.set()

    def read_stderr(self, timeout):
        """Reads what stderr holds within timeout; False at end of file."""
        if self.err_fd is None:
            return False
        r, _, _ = select.select([self.err_fd], [], [], timeout)
        if not r:
            return True
        chunk = os.read(self.err_fd, 65536)
        if not chunk:
            self.err_fd = None
            return False
        self.err += chunk
        return True

    def cpu_ns(self):
        """CPU time of all of the tracer's threads, user and system, in ns."""
        total = 0
        task = "/proc/%d/task" % self.p.pid
        for tid in os.listdir(task):
            try:
                with open(os.path.join(task, tid, "schedstat")) as f:
                    total += int(f.read().split()[0])
            except FileNotFoundError:
                pass
        return total

    def rss_mib(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise Failure("no VmRSS for pid %d" % self.p.pid)

    def wait_quiet(self):
        """Waits until the tracer has read and printed the storm: its CPU time stops growing."""
        deadline = time.monotonic() + QUIET_LIMIT
        last = self.cpu_ns()
        while time.monotonic() < deadline:
            step_end = time.monotonic() + QUIET_STEP
            while time.monotonic() < step_end:
                if not self.read_stderr(max(0, step_end - time.monotonic())):
                    time.sleep(max(0, step_end - time.monotonic()))
            now = self.cpu_ns()
            if now - last < QUIET_NS:
                return now, True
            last = now
        return last, False

    def kill(self):
        self.p.kill()
        self.p.wait()

    def stop(self):
        """SIGINT, then its exit status and stderr lines; a tracer that does not end is killed."""
        self.p.send_signal(signal.SIGINT)
        deadline = time.monotonic() + EXIT_LIMIT
        while True:
            pid, status, _ = os.wait4(self.p.pid, os.WNOHANG)
            if pid:
                self.p.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                self.kill()
                raise Failure("%s did not end %d s after SIGINT: killed" %
                              (self.p.args[0], EXIT_LIMIT))
            self.read_stderr(0.02)
        while time.monotonic() < deadline and self.read_stderr(deadline - time.monotonic()):
            pass
        lines = [l for l in self.err.decode(errors="replace").splitlines() if l.strip()]
        lines = [l for l in lines if "Hit Ctrl-C to end" not in l]
        if self.p.returncode != 0:
            raise Failure("%s exited with status %d: %s" %
                          (self.p.args[0], self.p.returncode, " | ".join(lines)))
        return lines


def foreign_tracing_programs():
    """BPF tracing programs loaded by someone else (none of ours runs when this is called):
    on a shared machine, another bind tracer slows the loop as much as ours."""
    try:
        out = subprocess.run(["bpftool", "-j", "prog", "show"], capture_output=True,
                             timeout=10).stdout
        progs = json.loads(out or b"[]")
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return []
    kinds = {"tracepoint", "raw_tracepoint", "kprobe", "tracing", "perf_event"}
    return sorted("%s %s" % (p.get("type"), p.get("name", "?")) for p in progs
                  if p.get("type") in kinds)


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def steal_ms_per_cpu():
    """Time the hypervisor ran something else on each of this VM's CPUs (/proc/stat), in ms."""
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as f:
        return [int(l.split()[8]) * tick_ms for l in f if re.match(r"cpu\d+ ", l)]


def storm(binds):
    """The bind loop's rates per second of its CPU time and of wall time, and the most time
    the hypervisor took from one CPU meanwhile: a reader stalled that way for longer than the
    ring buffer holds loses events however fast it reads."""
    before = steal_ms_per_cpu()
    r = subprocess.run([LOOP, "--wall", "bind", str(binds)], capture_output=True, text=True,
                       timeout=60 + binds / 2000)
    if r.returncode != 0:
        raise Failure("syscall_loop failed: " + r.stderr.strip())
    cpu, wall = (float(x) for x in r.stdout.split())
    steal = max((b - a for a, b in zip(before, steal_ms_per_cpu())), default=0)
    return cpu, wall, steal


def kept_variant(ecli):
    """The hook variant `ecli run bindsnoop` keeps here, which native loads too."""
    r = subprocess.run([ecli, "run", "-v", "--duration", "1", PKG], capture_output=True,
                       text=True, timeout=60)
    m = re.search(r"^variant (\S+): loaded and attached", r.stderr, re.M)
    if r.returncode != 0 or not m:
        raise Failure("ecli run -v bindsnoop: %s" % r.stderr.strip())
    if m.group(1) not in ("cgroup", "syscall"):
        raise Failure("ecli keeps variant %s here; native_bindsnoop has cgroup and syscall only"
                      % m.group(1))
    return m.group(1)


def configs(ecli, variant):
    c = [("untraced", None, None, False),
         ("native", [NATIVE, variant], lost_native, False),
         ("ecli table", [ecli, "run", PKG], lost_ecli, False),
         ("ecli -j", [ecli, "run", "-j", PKG], lost_ecli, False),
         ("ecli -j metrics", [ecli, "run", "-j", "--metrics", "127.0.0.1:%d" % free_port(), PKG],
          lost_ecli, False)]
    bpftrace = shutil.which("bpftrace")
    if bpftrace:
        c.append(("bpftrace", [bpftrace, "-e", BPFTRACE_SCRIPT], lost_bpftrace, True))
    return c


def run_one(argv, parse_lost, banner_on_stdout, binds):
    m = {}
    foreign = foreign_tracing_programs()
    if argv is None:
        m["rate_cpu"], m["rate_wall"], m["steal_ms"] = storm(binds)
        return m, [], foreign
    t = Tracer(argv, banner_on_stdout=banner_on_stdout)
    try:
        m["ready_ms"], m["rss_ready"] = t.ready_ms, t.rss_ready
        before = t.cpu_ns()
        m["rate_cpu"], m["rate_wall"], m["steal_ms"] = storm(binds)
        after, quiet = t.wait_quiet()
        m["cpu_us"] = (after - before) / 1000 / binds
        m["rss"] = t.rss_mib()
    except BaseException:
        t.kill()
        raise
    lines = t.stop()
    m["lost"], others = parse_lost(lines)
    if not quiet:
        others.append("(bench: still using CPU %d s after the storm)" % QUIET_LIMIT)
    return m, others, foreign


def pid_of(line):
    try:
        return json.loads(line)["pid"]
    except (ValueError, KeyError, TypeError):
        return None


def check_same_events(ecli, variant):
    """native and ecli -j traced at once through the same binds: their lines must be equal but
    for ts_ns (each object reads the clock in its own program)."""
    binder = r"""
import socket, sys
open("/proc/self/comm", "w").write(sys.argv[1])
def bind(fam, typ, addr, opts=()):
    s = socket.socket(fam, typ)
    for level, opt, val in opts:
        s.setsockopt(level, opt, val)
    try:
        s.bind(addr)
    except OSError:
        pass
    return s
keep = [bind(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0)),
        bind(socket.AF_INET6, socket.SOCK_DGRAM, ("::1", 0)),
        bind(socket.AF_INET, socket.SOCK_STREAM, ("0.0.0.0", 0),
             [(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)]),
        bind(socket.AF_INET6, socket.SOCK_DGRAM, ("::", 0),
             [(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)]),
        bind(socket.AF_INET, socket.SOCK_STREAM, ("10.99.99.99", 0), [(socket.SOL_IP, 15, 1)]),
        bind(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0), [(socket.SOL_IP, 19, 1)]),
        bind(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0), [(socket.SOL_IP, 24, 1)]),
        bind(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 0),
             [(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo")])]
port = keep[0].getsockname()[1]
keep.append(bind(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", port)))  # EADDRINUSE
open("/proc/self/comm", "w").write('q"uo\\te\té')
keep.append(bind(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 0)))
print(__import__("os").getpid())
"""
    with tempfile.TemporaryDirectory() as tmp:
        outs = {"native": os.path.join(tmp, "native"), "ecli -j": os.path.join(tmp, "ecli")}
        tracers = {}
        try:
            for name, argv in (("native", [NATIVE, variant]),
                               ("ecli -j", [ecli, "run", "-j", PKG])):
                with open(outs[name], "w") as out:
                    tracers[name] = Tracer(argv, stdout=out)
            r = subprocess.run([sys.executable, "-c", binder, "benchcheck"], capture_output=True,
                               text=True, timeout=30)
            if r.returncode != 0:
                raise Failure("the check's binds failed: " + r.stderr.strip())
            pid = int(r.stdout)
            time.sleep(0.3)
        finally:
            for t in tracers.values():
                if t.p.poll() is None:
                    t.stop()
        lines = {}
        for name, path in outs.items():
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                lines[name] = [l for l in f.read().splitlines() if pid_of(l) == pid]
    # ts_ns differs; the names of the event's cgroup are what ecli adds to the object's event
    strip = [[re.sub(NAMES, "", re.sub(r'^\{"ts_ns":\d+,', "{", l)) for l in lines[n]]
             for n in lines]
    ts = [[json.loads(l)["ts_ns"] for l in lines[n]] for n in lines]
    report = ["%d lines from native, %d from ecli -j for the same binds" %
              (len(lines["native"]), len(lines["ecli -j"]))]
    same = strip[0] == strip[1] and len(strip[0]) > 0
    if same:
        gap = max(abs(a - b) for a, b in zip(*ts)) / 1e3
        report.append("identical byte for byte apart from ts_ns and the cgroup's names ecli "
                      "adds (largest ts_ns gap %.0f us)" % gap)
    else:
        for a, b in zip(strip[0] + [""] * len(strip[1]), strip[1] + [""] * len(strip[0])):
            if a != b:
                report.append("  native: " + a)
                report.append("  ecli -j: " + b)
    return same, report, lines["ecli -j"]


def cell(values, fmt):
    if not values:
        return "-"
    return (fmt + " (" + fmt + "-" + fmt + ")") % (statistics.median(values), min(values),
                                                    max(values))


def print_table(names, results, rounds, binds):
    rows = [("ready, ms", "ready_ms", "%.1f", 1),
            ("storm, k binds/wall s", "rate_wall", "%.1f", 1e-3),
            ("storm, k binds/loop CPU s", "rate_cpu", "%.1f", 1e-3),
            ("tracer CPU per bind, us", "cpu_us", "%.2f", 1),
            ("RSS at ready, MiB", "rss_ready", "%.1f", 1),
            ("RSS after storm, MiB", "rss", "%.1f", 1),
            ("lost events per run", "lost", "%.0f", 1),
            ("CPU stolen by the host, ms", "steal_ms", "%.0f", 1)]
    width = 21
    print("%d rounds of %d binds; median (min-max) per configuration" % (rounds, binds))
    print("%-27s" % "" + "".join("%-*s" % (width, n) for n in names))
    for title, key, fmt, scale in rows:
        cells = []
        for n in names:
            vals = [r[key] * scale for r in results[n] if r and key in r]
            cells.append(cell(vals, fmt))
        print("%-27s" % title + "".join("%-*s" % (width, c) for c in cells))


def ratios(results, a, b, key, invert=False):
    """Per-round a/b (b/a with invert), where both ran in that round."""
    out = []
    for ra, rb in zip(results[a], results[b]):
        if ra and rb and key in ra and key in rb and ra[key] and rb[key]:
            out.append(rb[key] / ra[key] if invert else ra[key] / rb[key])
    return out


def ratio_line(title, vals):
    if not vals:
        return "%-38s -" % title
    return "%-38s %6.2fx %6.2fx %6.2fx" % (title, min(vals), statistics.median(vals), max(vals))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ecli", default=os.path.join(BUILD, "ecli"),
                    help="the ecli to measure (default: this tree's build/ecli)")
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 5)))
    ap.add_argument("--binds", type=int, default=int(os.environ.get("BENCH_BINDS", 200000)))
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_tools.py: needs root (it loads BPF programs)")
    for path in (args.ecli, NATIVE, LOOP, PKG):
        if not os.path.exists(path):
            sys.exit("bench_tools.py: %s is missing (make bench builds it)" % path)
    failures = []

    try:
        variant = kept_variant(args.ecli)
    except (Failure, subprocess.TimeoutExpired) as e:
        sys.exit("bench_tools.py: %s" % e)
    print("== ecli keeps bindsnoop's %s variant here; native_bindsnoop loads the same" % variant)
    print("== native_bindsnoop against ecli -j: the same events?")
    try:
        same, report, _ = check_same_events(args.ecli, variant)
    except (Failure, subprocess.TimeoutExpired) as e:
        same, report = False, []
        failures.append("check: %s" % e)
        print("  failed: %s" % e)
    for line in report:
        print("  " + line)

    cfgs = configs(args.ecli, variant)
    names = [c[0] for c in cfgs]
    results = {n: [] for n in names}
    notes = {n: {} for n in names}
    foreign_runs = {}
    print("\n== bind storms: %s" % ", ".join(names))
    load_start = loadavg()
    for rnd in range(args.rounds):
        order = cfgs[rnd % len(cfgs):] + cfgs[:rnd % len(cfgs)]
        done = {}
        for name, argv, parse_lost, on_stdout in order:
            try:
                m, others, foreign = run_one(argv, parse_lost, on_stdout, args.binds)
            except (Failure, subprocess.TimeoutExpired, OSError) as e:
                failures.append("round %d, %s: %s" % (rnd + 1, name, e))
                done[name] = None
                continue
            done[name] = m
            for line in others:
                notes[name][line] = notes[name].get(line, 0) + 1
            for p in set(foreign):
                runs, most = foreign_runs.get(p, (0, 0))
                foreign_runs[p] = (runs + 1, max(most, foreign.count(p)))
        for n in names:
            results[n].append(done.get(n))
        print("  round %d/%d done" % (rnd + 1, args.rounds), flush=True)

    print()
    print("load average (1 min) %s at the start, %s at the end: this machine has %d CPUs" %
          (load_start, loadavg(), os.cpu_count()))
    print_table(names, results, args.rounds, args.binds)
    ecli_names = [n for n in names if n.startswith("ecli")]
    traced = [n for n in names if n != "untraced"]
    print("\nratios per round:%23s %7s %7s %7s" % ("", "min", "median", "max"))
    for n in ecli_names + (["bpftrace"] if "bpftrace" in names else []):
        print(ratio_line("ready, %s / native" % n, ratios(results, n, "native", "ready_ms")))
    for n in traced:
        print(ratio_line("storm, %s / untraced" % n, ratios(results, n, "untraced",
                                                           "rate_wall")))
    for n in ecli_names + (["bpftrace"] if "bpftrace" in names else []):
        print(ratio_line("CPU per bind, %s / native" % n, ratios(results, n, "native", "cpu_us")))
    for n in ecli_names + (["bpftrace"] if "bpftrace" in names else []):
        print(ratio_line("RSS after storm, %s / native" % n, ratios(results, n, "native", "rss")))
    for n in ecli_names:
        print(ratio_line("RSS at ready, %s / native" % n, ratios(results, n, "native",
                                                                 "rss_ready")))

    print("\nlines the tracers printed besides their banner and losses:")
    shown = False
    for n in traced:
        for line, count in sorted(notes[n].items()):
            print("  %s (%d of %d runs): %s" % (n, count, args.rounds, line))
            shown = True
    if not shown:
        print("  none")
    lossy = [(i + 1, n, r) for n in traced for i, r in enumerate(results[n]) if r and r["lost"]]
    if lossy:
        print("\nruns that lost events (CPU stolen by the host during the storm, most on one "
              "CPU):")
        for rnd, n, r in lossy:
            print("  round %d, %s: %d lost; %.0f ms stolen" % (rnd, n, r["lost"], r["steal_ms"]))
    if foreign_runs:
        print("\nother tracing programs were loaded when a run started (they slow the loop too):")
        for p, (runs, most) in sorted(foreign_runs.items()):
            print("  %s: at the start of %d of %d runs, up to %d at once" %
                  (p, runs, args.rounds * len(names), most))

    def med(vals):
        return statistics.median(vals) if vals else None

    ready = med(ratios(results, "ecli -j", "native", "ready_ms"))
    rate = med(ratios(results, "ecli -j", "untraced", "rate_wall"))
    lost = sum(r["lost"] for r in results["ecli -j"] if r)
    cpu = med(ratios(results, "ecli -j", "native", "cpu_us"))
    rss = med(ratios(results, "ecli -j", "native", "rss"))
    targets = [("ready <= 1.2x native", ready is not None and ready <= 1.2,
                "%.2fx" % ready if ready is not None else "-"),
               ("storm >= 0.8x untraced, 0 lost", rate is not None and rate >= 0.8 and not lost,
                ("%.2fx" % rate if rate is not None else "-") + ", %d lost" % lost),
               ("CPU per event < native", cpu is not None and cpu < 1,
                "%.2fx" % cpu if cpu is not None else "-"),
               ("steady RSS <= 1.3x native", rss is not None and rss <= 1.3,
                "%.2fx" % rss if rss is not None else "-")]
    print("\nissue 12's targets, ecli -j against native (medians of the per-round ratios):")
    for title, met, value in targets:
        verdict = "NOT MEASURED" if value.startswith("-") else "MET" if met else "NOT MET"
        print("  %-34s %-16s %s" % (title, value, verdict))
    print("  %-34s %s" % ("same JSON lines as native", "yes" if same else "NO (see above)"))
    with_metrics = sum(r["lost"] for r in results["ecli -j metrics"] if r)
    rss_metrics = med(ratios(results, "ecli -j metrics", "ecli -j", "rss"))
    print("\nissue 23's targets, ecli -j --metrics against ecli -j (every bind a new series, up "
          "to the cap):")
    for title, met, value in (
            ("lost no more than without", with_metrics <= lost,
             "%d lost (%d without)" % (with_metrics, lost)),
            ("steady RSS <= 1.5x without", rss_metrics is not None and rss_metrics <= 1.5,
             "%.2fx" % rss_metrics if rss_metrics is not None else "-")):
        verdict = "NOT MEASURED" if value.startswith("-") else "MET" if met else "NOT MET"
        print("  %-34s %-16s %s" % (title, value, verdict))
    if foreign_runs:
        print("  (other tracing programs were loaded during this run: see above; the figures "
              "include their cost)")
    if failures:
        print("\nfailed to run:")
        for f in failures:
            print("  " + f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
