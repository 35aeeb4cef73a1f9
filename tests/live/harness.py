# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Runs build/ecli for real and checks what it prints.

A live test starts ecli on a package, waits for its "Hit Ctrl-C to end" line, makes the
kernel activity itself (binds, accepts, execs), stops ecli with a signal and compares the
output with what it knows it did. Tests register with @live_test; run_all() prints one line
per test and "<suite>: N passed, M failed".
"""
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ECLI = os.path.join(ROOT, "build", "ecli")
PACKAGES = os.path.join(ROOT, "build", "packages")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "eunomia")
BANNER_END = "Hit Ctrl-C to end"
# ECLI_VARIANT=NAME (make vmtest sets it): every `ecli run` a test makes keeps only that hook
# variant, so one suite checks each variant on a kernel where all of them work.
FORCED_VARIANT = os.environ.get("ECLI_VARIANT") or None
# What the tests behind docs/robustness.md's table saw: one JSON object a line.
CASES_LOG = os.environ.get("ECLI_CASES_LOG",
                           os.path.join(ROOT, "build", "tests", "robustness-cases.jsonl"))

_tests = []


def live_test(fn):
    _tests.append(fn)
    return fn


def package_meta(tool):
    """The meta of the tool's package, as make built it."""
    with open(os.path.join(PACKAGES, tool, "package.json")) as f:
        return json.load(f)["meta"]


def forced_variant_conditions():
    """[(condition, [the tool's arg specs])] of every built package's variant FORCED_VARIANT
    that has a condition ("when": "!report_errors")."""
    found = []
    for tool in sorted(os.listdir(PACKAGES)) if os.path.isdir(PACKAGES) else []:
        try:
            meta = package_meta(tool)
        except (OSError, ValueError, KeyError):
            continue
        for v in meta.get("hook_variants", []):
            if v.get("name") == FORCED_VARIANT and v.get("when"):
                found.append((v["when"], meta.get("args", [])))
    return found


def sets_var(args, spec_args, var):
    """Whether tool args given as args turn the flag variable var on: a flag that writes it, or
    one that inverts it given =false."""
    for a in spec_args:
        if not a.get("flag") or a.get("var", a.get("name")) != var:
            continue
        longs = a.get("long", [])
        names = (["-" + a["short"]] if a.get("short") else []) + \
            ["--" + l for l in ([longs] if isinstance(longs, str) else longs)]
        for given in args:
            name, _, value = given.partition("=")
            if name in names and (value == "false") == bool(a.get("invert")):
                return True
    return False


def forced_variant_serves(args):
    """Whether the forced variant's condition holds for these arguments: ecli refuses to force
    one that does not (tests/live/test_variants.py checks that), so a command it does not serve
    runs the variant ecli picks."""
    for when, spec_args in forced_variant_conditions():
        var = when.lstrip("!")
        if sets_var(args, spec_args, var) == when.startswith("!"):
            return False
    return True


def with_forced_variant(args):
    """An ecli command line (subcommand first) with --variant added to `run` if one is forced
    and serves the tool's arguments."""
    args = list(args)
    if FORCED_VARIANT and args[:1] == ["run"] and forced_variant_serves(args[1:]):
        return ["run", "--variant", FORCED_VARIANT] + args[1:]
    return args


def package(tool):
    return os.path.join(PACKAGES, tool, "package.json")


class Process:
    """One process; stdout and stderr are collected until it ends."""

    def __init__(self, cmd, stdin=None):
        self.cmd = cmd
        self.proc = subprocess.Popen(self.cmd, stdin=stdin or subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out = b""
        self.err = b""

    def _read_available(self, timeout):
        streams = [s for s in (self.proc.stdout, self.proc.stderr) if s and not s.closed]
        ready, _, _ = select.select(streams, [], [], timeout)
        got = False
        for s in ready:
            data = os.read(s.fileno(), 65536)
            if not data:
                continue
            got = True
            if s is self.proc.stdout:
                self.out += data
            else:
                self.err += data
        return got

    def wait_for_stderr(self, text, timeout):
        self.wait_for(text, timeout, "stderr")

    def wait_for(self, text, timeout, stream="stdout"):
        deadline = time.time() + timeout
        name = os.path.basename(self.cmd[0])
        while text.encode() not in (self.err if stream == "stderr" else self.out):
            if self.proc.poll() is not None:
                while self._read_available(0):
                    pass
                raise AssertionError("%s exited with %s before '%s'; stderr: %s"
                                     % (name, self.proc.returncode, text,
                                        self.err.decode(errors="replace")))
            if time.time() > deadline:
                self.kill()
                raise AssertionError("no '%s' on %s within %ss; stderr: %s"
                                     % (text, stream, timeout, self.err.decode(errors="replace")))
            self._read_available(0.1)

    def drain(self, seconds):
        """Reads ecli's output for a while, as a slow reader finally catching up would."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self._read_available(0.05)

    def stop(self, sig=signal.SIGINT, timeout=20):
        """Signals ecli (unless sig is None: it ends by itself) and returns (stdout, stderr,
        exit status) once it has ended, reading its output meanwhile."""
        if self.proc.poll() is None and sig is not None:
            self.proc.send_signal(sig)
        deadline = time.time() + timeout
        while self.proc.poll() is None or self._read_available(0):
            if time.time() > deadline:
                self.kill()
                raise AssertionError("%s did not exit within %ss of signal %s"
                                     % (os.path.basename(self.cmd[0]), timeout, sig))
            self._read_available(0.05)
        return self.out.decode(errors="replace"), self.err.decode(errors="replace"), self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Ecli(Process):
    """One `ecli run` process; by default, once it says it is tracing."""

    def __init__(self, args, wait_banner=True, timeout=20, stdin=None, prefix=()):
        super().__init__(list(prefix) + [ECLI] + with_forced_variant(["run"] + list(args)),
                         stdin)
        if wait_banner:
            self.wait_for_stderr(BANNER_END, timeout)


def trace_getppid(args, calls=3):
    """Runs `ecli run args` while this process calls getppid() calls times; (stdout, stderr,
    exit status) after a SIGINT once the events had time to arrive."""
    ecli = Ecli(args)
    try:
        for _ in range(calls):
            os.getppid()
        time.sleep(0.3)
    finally:
        out, err, status = ecli.stop()
    return out, err, status


def trace_around(args, children, start=None, stderr=None):
    """Runs `ecli run args` while each child does its work (child.go()); a child that never
    starts is closed. Returns ([what each go() returned], stdout) after a clean SIGINT exit.
    start(args) starts ecli some other way (in a namespace, in a container); default Ecli.
    stderr, a list, gets ecli's stderr appended, for a test's message when it fails."""
    try:
        ecli = (start or Ecli)(args)
    except AssertionError:
        for c in children:
            c.close()
        raise
    try:
        results = [c.go() for c in children]
    finally:
        out, err, status = ecli.stop()
        if stderr is not None:
            stderr.append(err)
    check_equal(status, 0, "exit status; stderr: " + err)
    return results, out


class SignalTarget:
    """A process (sleep) to send harmless signals to; its pid is what `with` gives."""

    def __init__(self, seconds=60):
        self.seconds = seconds

    def __enter__(self):
        self.proc = subprocess.Popen(["sleep", str(self.seconds)])
        return self.proc.pid

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()


def in_scratch_dir(make_dir):
    """A decorator: the test gets a directory make_dir() prepares, removed after the test."""
    def decorate(test):
        def run():
            d = make_dir()
            try:
                test(d)
            finally:
                shutil.rmtree(d, ignore_errors=True)
        run.__name__ = test.__name__
        return run
    return decorate


def run_ecli(args, timeout=30, stdin_data=None):
    """Runs ecli with these arguments (a subcommand first) to completion: (stdout, stderr, status)."""
    p = subprocess.run([ECLI] + with_forced_variant(args), input=stdin_data, capture_output=True, timeout=timeout)
    return p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), p.returncode


# How runtimes name a container's cgroup folder, and a systemd unit's (output/cgroup_names.c).
CONTAINER_FOLDER = re.compile(r"^(libpod-|docker-|cri-containerd-|nerdctl-|crio-)?[0-9a-f]{64}"
                              r"(\.scope)?$")
UNIT_FOLDER = re.compile(r"\.(service|scope|socket|mount|swap)$")


def cgroup_keys(pid="self"):
    """The keys ecli adds for the "cgroup" member of an event of process pid (by default this
    one, whose children the tests trace), as {key: value}; a container's name and id are None,
    not compared. cgroup_id is the cgroup folder's inode number."""
    with open("/proc/%s/cgroup" % pid) as f:
        path = [line.split(":", 2)[2].strip() for line in f if line.startswith("0::")][0]
    keys = {"cgroup_id": os.stat(cgroup2_mount() + path.rstrip("/")).st_ino}
    folders = [p for p in path.split("/") if p]
    containers = [i for i, p in enumerate(folders) if CONTAINER_FOLDER.match(p)]
    units = [p for p in folders[containers[-1] + 1 if containers else 0:] if UNIT_FOLDER.search(p)]
    if containers:
        keys.update(container=None, container_id=None, runtime=None)
    elif units:
        keys["unit"] = units[-1]
    else:
        keys["cgroup"] = path
    return keys


def check_keys(event, struct_keys, cgroup=None):
    """An event's keys are struct_keys (cgroup_id among them) in struct order, then the names of
    its cgroup (cgroup_keys()), whose values are compared where they are not None."""
    cgroup = cgroup or cgroup_keys()
    names = [k for k in cgroup if k != "cgroup_id"]
    check_equal(list(event.keys()), list(struct_keys) + names, "JSON keys in struct order")
    check_equal({k: event[k] for k, v in cgroup.items() if v is not None},
                {k: v for k, v in cgroup.items() if v is not None}, "the event's cgroup")


def json_lines(text):
    events = []
    for line in text.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError as e:
            raise AssertionError("stdout line is not JSON (%s): %r" % (e, line))
    return events


UNSEEN_WARNING = "ecli: warning: not traced on this kernel: "


def stderr_lines(err):
    """stderr's lines, without the warnings for optional program groups this kernel cannot
    use (which depend on the kernel, not on the test)."""
    return [l for l in err.splitlines() if not l.startswith(UNSEEN_WARNING)]


def check(cond, message):
    if not cond:
        raise AssertionError(message)


def check_equal(got, want, what):
    if got != want:
        raise AssertionError("%s:\n  got:  %r\n  want: %r" % (what, got, want))


def record_case(case, status, message):
    """Notes what ecli did in a case of docs/robustness.md's table (its exit status and the
    one line it printed, "" for none); tests/readme_cases.py compares the table with these."""
    os.makedirs(os.path.dirname(CASES_LOG), exist_ok=True)
    with open(CASES_LOG, "a") as f:
        f.write(json.dumps({"case": case, "status": status, "message": message}) + "\n")


def variant_fates(err):
    """{variant: the last thing -v said of it}, and the programs of dropped optional groups."""
    fates, dropped = {}, set()
    for line in err.splitlines():
        m = re.match(r"variant (\S+): (.*)$", line)
        if not m or re.match(r"loaded .*\(id \d+\)$", m.group(2)):
            continue
        without = re.match(r"without ([^:]*): ", m.group(2))
        if without:
            dropped |= set(without.group(1).split(", "))
        else:
            fates[m.group(1)] = m.group(2)
    return fates, dropped


def message_of(stderr_lines):
    """ecli's own message lines: what is left without the banner and the lost-events counts."""
    return " / ".join(l for l in stderr_lines if not l.endswith(BANNER_END) and
                      not re.match(r"^lost \d+ events", l))


def fdinfo(pid, fd):
    """The fields of /proc/PID/fdinfo/FD (prog_id, link_id, ...)."""
    fields = {}
    with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    return fields


def bpf_fds(pid):
    """The BPF programs (ids) and links ({link id: program id}) one process holds open, from
    /proc/PID/fdinfo."""
    progs, links = set(), {}
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            if target == "anon_inode:bpf-prog":
                progs.add(int(fdinfo(pid, fd)["prog_id"]))
            elif target == "anon_inode:bpf_link":
                info = fdinfo(pid, fd)
                links[int(info["link_id"])] = int(info.get("prog_id", 0))
        except (OSError, KeyError, ValueError):
            continue  # an fd closed meanwhile
    return progs, links


class BpfWatch:
    """Follows, by id, the BPF programs and links one process holds while it runs: a thread
    polls its /proc/PID/fd every millisecond. Other loaders on the machine are not looked at."""

    def __init__(self, pid):
        self.pid = pid
        self.progs, self.links = set(), {}
        self.polls = 0
        self._done = threading.Event()
        self._poll_once()  # before the caller can reap it: a look even at a quick exit
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll_once(self):
        try:
            progs, links = bpf_fds(self.pid)
        except OSError:
            return False  # the process is gone
        self.progs |= progs
        self.links |= links
        self.polls += 1
        return True

    def _poll(self):
        while not self._done.is_set() and self._poll_once():
            time.sleep(0.001)

    def stop(self):
        self._done.set()
        self._thread.join()
        return self


def still_loaded(kind, ids):
    """Those of these program or link ids the kernel still has."""
    return sorted(i for i in ids if subprocess.run(["bpftool", kind, "show", "id", str(i)],
                                                   capture_output=True).returncode == 0)


def program_names(ids):
    """{id: name} of these programs, asked of the kernel by id."""
    names = {}
    for i in ids:
        out = subprocess.run(["bpftool", "-j", "prog", "show", "id", str(i)],
                             capture_output=True, check=True).stdout
        names[i] = json.loads(out).get("name", "")
    return names


def check_unloaded(watch, what, grace=2.0):
    """Every program and link the watched process held is gone from the kernel (by id). The
    kernel frees some after an RCU grace period (raw_tp and tp_btf links since 6.10): each id
    has grace seconds to go."""
    deadline = time.time() + grace
    for kind, ids in (("prog", watch.progs), ("link", watch.links)):
        left = still_loaded(kind, ids)
        while left and time.time() < deadline:
            time.sleep(0.05)
            left = still_loaded(kind, left)
        check_equal(left, [], "%s: %s ids still loaded %.1f s after exit" % (what, kind, grace))


def loaded_ids(verbose_stderr):
    """{variant: {program name: id}} from the `variant V: loaded NAME (id N), ...` lines that
    ecli -v prints after each load."""
    found = {}
    for line in verbose_stderr.splitlines():
        m = re.match(r"variant (\S+): loaded (\S.*\(id \d+\))$", line)
        if m:
            found[m.group(1)] = {name: int(i) for name, i in
                                 re.findall(r"(\S+) \(id (\d+)\)", m.group(2))}
    return found


def run_ecli_watched(args, timeout=30, stdin_data=None, prefix=()):
    """run_ecli, following the BPF programs and links ecli holds: (out, err, status, watch).
    A prefix (nsenter, setpriv, ...) must exec ecli in the same process."""
    p = subprocess.Popen(list(prefix) + [ECLI] + with_forced_variant(args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    watch = BpfWatch(p.pid)
    try:
        out, err = p.communicate(stdin_data, timeout=timeout)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        watch.stop()
    return out.decode(errors="replace"), err.decode(errors="replace"), p.returncode, watch


def cgroup2_mount():
    """Where this machine mounts the cgroup v2 hierarchy's root (/sys/fs/cgroup, or
    /sys/fs/cgroup/unified on a hybrid one)."""
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            if " - cgroup2 " in line and fields[3] == "/":
                return fields[4]
    raise AssertionError("cgroup v2 is not mounted here")


def ensure_mounted(path, fstype):
    """tracefs and bpffs are not mounted on a fresh machine; tests that read them mount them."""
    if subprocess.run(["mountpoint", "-q", path]).returncode != 0:
        subprocess.run(["mount", "-t", fstype, "nodev", path], check=True)


def run_all(suite):
    only = sys.argv[1:] if len(sys.argv) > 1 else None
    passed = failed = 0
    for fn in _tests:
        if only and not any(o in fn.__name__ for o in only):
            continue
        start = time.time()
        try:
            fn()
        except Exception as e:  # a crash in a test is that test's failure, not the suite's
            failed += 1
            detail = str(e) if isinstance(e, AssertionError) else traceback.format_exc()
            print("FAIL %s (%.1fs)\n    %s" % (fn.__name__, time.time() - start,
                                              detail.replace("\n", "\n    ")))
        else:
            passed += 1
            print("ok   %s (%.1fs)" % (fn.__name__, time.time() - start))
        sys.stdout.flush()
    print("%s: %d passed, %d failed" % (suite, passed, failed))
    return 1 if failed else 0
