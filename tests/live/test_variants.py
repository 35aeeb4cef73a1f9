# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Hook variants that share programs, and the one line that says why a load or attach failed.

The test packages come from tests/bpf/ (built by `make`), each failing or working by
construction on any kernel:
  verifier_reject  its program reads a hash map value without a NULL check: every verifier
                   rejects it
  shared_programs  variant "broken" = on_getppid + on_missing (a tracepoint no kernel has),
                   variant "shared" = on_getsid + on_getppid; on_getpgid is in no variant.
                   Each program sends an event naming its hook when the traced pid makes the
                   syscall.
  unhooked_programs  variant "unhooked" = on_unhooked (a tracepoint no kernel has: refused
                   before loading), variant "works" = on_getppid.
  optional_programs  variant "partial" = on_getppid, with optional groups: read_unchecked
                   (rejected by every verifier), on_getsid + on_missing (the group cannot
                   attach), on_getpgid (works).
  cgroup_binds     cgroup/bind4 and cgroup/post_bind4 programs that report IPv4 binds and
                   allow them: attached to the cgroup v2 root.
Programs are followed by id: those ecli holds (its /proc/PID/fdinfo) and those `-v` says each
variant loaded, never by comparing the kernel's whole program list.
"""
import collections
import copy
import ctypes
import json
import os
import re
import subprocess
import sys
import tempfile

from harness import (ROOT, Ecli, bpf_fds, cgroup2_mount, check, check_equal, json_lines,
                     live_test, loaded_ids, program_names, record_case, run_all, run_ecli,
                     run_ecli_watched, still_loaded, trace_getppid, variant_fates)

ECC = os.path.join(ROOT, "build", "ecc")
REJECT = os.path.join(ROOT, "build", "test-packages", "verifier_reject", "package.json")
UNHOOKED = os.path.join(ROOT, "build", "test-packages", "unhooked_programs", "package.json")
UNHOOKED_REASON = (r"attach failed: prog 'on_unhooked': no tracepoint "
                   r"syscalls/sys_enter_ecli_test_no_such_call here \(tracefs lacks it; checked "
                   r"before loading\)")
SHARED = os.path.join(ROOT, "build", "test-packages", "shared_programs", "package.json")
SHARED_OBJECT = os.path.join(ROOT, "tests", "bpf", "shared_programs.bpf.c")  # ecc compiles it
SHARED_SCHEMA = os.path.join(ROOT, "tests", "bpf", "shared_programs.json")
OPTIONAL = os.path.join(ROOT, "build", "test-packages", "optional_programs", "package.json")
CGROUP = os.path.join(ROOT, "build", "test-packages", "cgroup_binds", "package.json")
CGROUP_SOURCE = os.path.join(ROOT, "tests", "bpf", "cgroup_binds.bpf.c")
CGROUP_SCHEMA = os.path.join(ROOT, "tests", "bpf", "cgroup_binds.json")
SYS_GETPGRP = 111  # x86-64; glibc's getpgrp() may call getpgid instead
WARNING = "ecli: warning: not traced on this kernel: %s; %s could not be loaded or attached%s"
FAILURE_PREFIX = "ecli: no hook variant could be loaded and attached here: "
HINT = " (-v for the full log)"
LOG_BEGIN = "-- BEGIN PROG LOAD LOG --"
LOG_END = "-- END PROG LOAD LOG --"


def load(path):
    if not os.path.exists(path):
        raise AssertionError("%s is missing: run make first" % path)
    with open(path) as f:
        return json.load(f)


def run_package_watched(pkg, loader_args=()):
    """Runs ecli to completion on a package given as a dict, following the programs and links
    it holds: (stdout, stderr, status, watch)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(pkg, f)
        f.flush()
        return run_ecli_watched(["run"] + list(loader_args) + [f.name])


def run_package(pkg, loader_args=()):
    """run_package_watched without the watch: (stdout, stderr, status)."""
    return run_package_watched(pkg, loader_args)[:3]


def all_ids(verbose_stderr):
    return {i for progs in loaded_ids(verbose_stderr).values() for i in progs.values()}


def with_variants(pkg, variants):
    pkg = copy.deepcopy(pkg)
    if variants is None:
        del pkg["meta"]["hook_variants"]
    else:
        pkg["meta"]["hook_variants"] = variants
    return pkg


def verifier_log(stderr):
    """The lines libbpf printed between the markers of the program load log."""
    check(LOG_BEGIN in stderr and LOG_END in stderr, "-v shows the load log:\n" + stderr)
    inner = stderr.split(LOG_BEGIN, 1)[1].split(LOG_END, 1)[0]
    return inner.splitlines()


def last_meaningful(lines):
    """The verifier's reason: its last line that is not blank and not a closing statistic."""
    summaries = ("processed ", "verification time", "stack depth")
    meaningful = [l for l in lines if l.strip() and not l.strip().startswith(summaries)]
    check(meaningful, "the log has a meaningful line: %r" % lines)
    return meaningful[-1]


def one_line(err, what):
    check_equal(len(err.splitlines()), 1, "%s: one line on stderr: %r" % (what, err))
    return err


@live_test
def verifier_reason_is_in_the_one_line():
    out, err, status = run_ecli(["run", REJECT])
    check_equal((status, out), (1, ""), "exit status and stdout; stderr " + err)
    one_line(err, "rejected program")
    _, verbose_err, _ = run_ecli(["run", "-v", REJECT])
    log = verifier_log(verbose_err)
    check(any("map_value_or_null" in l for l in log),
          "the log names the unchecked lookup's result:\n" + "\n".join(log))
    reason = last_meaningful(log)
    check_equal(err, "%sunchecked: load failed: prog 'read_unchecked': verifier: %s%s\n"
                % (FAILURE_PREFIX, reason, HINT), "the one line")


@live_test
def verbose_prints_the_full_verifier_log():
    out, err, status = run_ecli(["run", "-v", REJECT])
    check_equal((status, out), (1, ""), "exit status and stdout; stderr " + err)
    log = verifier_log(err)
    check(any("call bpf_map_lookup_elem" in l for l in log) and len(log) > 5,
          "the log has every instruction the verifier walked:\n" + "\n".join(log))
    lines = err.splitlines()
    reason = last_meaningful(log)
    check_equal(lines[-2], "variant unchecked: load failed: prog 'read_unchecked': verifier: "
                + reason, "the variant's line")
    check_equal(lines[-1], "%sunchecked: load failed: prog 'read_unchecked': verifier: %s"
                % (FAILURE_PREFIX, reason), "the last line, with no -v hint under -v")


@live_test
def rejection_without_variants_gives_the_same_reason():
    pkg = with_variants(load(REJECT), None)
    out, err, status = run_package(pkg)
    check_equal((status, out), (1, ""), "exit status and stdout; stderr " + err)
    _, verbose_err, _ = run_package(pkg, ["-v"])
    reason = last_meaningful(verifier_log(verbose_err))
    check_equal(err, "ecli: load failed: prog 'read_unchecked': verifier: %s%s\n"
                % (reason, HINT), "the one line")


@live_test
def failure_libbpf_said_nothing_about_has_no_hint():
    out, err, status = run_ecli(["run", "--perfbuf", REJECT])  # the package has no perf buffer
    check(status in (1, 2) and out == "", "refused: status %d, stdout %r" % (status, out))
    one_line(err, "--perfbuf without a perf buffer")
    check("--perfbuf" in err and HINT not in err, "names --perfbuf, no -v hint: " + err)


@live_test
def attach_failure_names_the_program_and_the_cause():
    pkg = load(SHARED)
    pkg = with_variants(pkg, pkg["meta"]["hook_variants"][:1])
    _, verbose_err, _ = run_package(pkg, ["-v"])
    ids = all_ids(verbose_err)
    check_equal(sorted(loaded_ids(verbose_err).get("broken", {})),
                ["on_getpgid", "on_getppid", "on_getsid", "on_missing"],
                "-v names the ids of the variant's programs and of those in no variant "
                "(on_getsid is in none here):\n" + verbose_err)
    check_equal(still_loaded("prog", ids), [], "programs left loaded after -v")
    out, err, status = run_package(pkg)
    check_equal((status, out), (1, ""), "exit status and stdout; stderr " + err)
    one_line(err, "attach failure")
    check(err.startswith(FAILURE_PREFIX + "broken: attach failed: prog 'on_missing': "),
          "names the variant and the program: " + err)
    check("'ecli_test_no_such_tracepoint'" in err and
          err.endswith(": No such file or directory%s\n" % HINT),
          "names the raw tracepoint and the cause, then the hint: " + err)


@live_test
def variant_sure_to_fail_is_refused_before_loading():
    """A variant whose tracepoint tracefs lacks is refused without loading anything of it: no
    `loaded` line, no program held; the next variant is kept and traces."""
    ecli = Ecli(["-v", "-j", UNHOOKED, "-p", str(os.getpid())])
    try:
        held, _ = bpf_fds(ecli.proc.pid)
        for _ in range(3):
            os.getppid()
    finally:
        out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr " + err)
    fates, _ = variant_fates(err)
    check(re.fullmatch(UNHOOKED_REASON, fates.get("unhooked", "")),
          "-v says the variant was refused before loading:\n" + err)
    check_equal(fates.get("works"), "loaded and attached 1 program", "the variant kept")
    check_equal(sorted(loaded_ids(err)), ["works"], "only the kept variant loaded:\n" + err)
    check_equal(sorted(loaded_ids(err)["works"].values()), sorted(held), "programs ecli held")
    mine = [e for e in json_lines(out) if e["pid"] == os.getpid()]
    check_equal(len(mine), 3, "getppid events of this process: %r" % out)
    out, err, status, watch = run_ecli_watched(["run", "--variant", "unhooked", UNHOOKED])
    record_case("a hook variant sure to fail here (its tracepoint is not in tracefs), forced: "
                "found before loading, nothing loaded", status,
                err.rstrip("\n"))
    check_equal((status, out), (1, ""), "forced: exit status and stdout; stderr " + err)
    one_line(err, "a variant refused before loading")
    check(re.fullmatch(re.escape(FAILURE_PREFIX) + "unhooked: " + UNHOOKED_REASON + "\n", err),
          "forced: the one line: " + err)
    check_equal(watch.progs, set(), "forced: programs ecli held")


@live_test
def without_variants_a_missing_hook_is_left_out_and_named():
    """A package without hook variants whose programs include one on a tracepoint no kernel has
    (as libbpf-tools' syncsnoop has one for a syscall x86 lacks): the others attach and trace,
    and one warning line names the one left out; with nothing else, the package is refused."""
    pkg = with_variants(load(UNHOOKED), None)
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(pkg, f)
        f.flush()
        out, err, status = trace_getppid(["-j", f.name, "-p", str(os.getpid())])
    check_equal(status, 0, "exit status; stderr " + err)
    warnings = [l for l in err.splitlines() if "warning" in l]
    check_equal(warnings, ["ecli: warning: not traced on this kernel: on_unhooked (tracepoint/"
                           "syscalls/sys_enter_ecli_test_no_such_call): its hook does not exist "
                           "here (-v says why)"], "the one warning line")
    check_equal(len([e for e in json_lines(out) if e["pid"] == os.getpid()]), 3,
                "getppid events: %r" % out)
    progs = pkg["meta"]["bpf_skel"]["progs"]
    for p in progs:
        p["link"] = p["name"] == "on_unhooked"
    out, err, status, watch = run_package_watched(pkg)
    check_equal((status, out), (1, ""), "only the missing hook: exit status; stderr " + err)
    one_line(err, "nothing left to attach")
    check("on_unhooked" in err and "sys_enter_ecli_test_no_such_call" in err,
          "the one line names the program and its tracepoint: " + err)
    check_equal(watch.progs, set(), "programs ecli held")


@live_test
def every_failed_variant_is_in_the_one_line():
    pkg = load(SHARED)
    broken = pkg["meta"]["hook_variants"][0]["programs"]
    names = ["broken-%d" % i for i in range(1, 7)]
    pkg = with_variants(pkg, [{"name": n, "programs": broken} for n in names])
    out, err, status = run_package(pkg)
    check_equal((status, out), (1, ""), "exit status and stdout; stderr " + err)
    one_line(err, "six failed variants")
    check(err.startswith(FAILURE_PREFIX) and err.endswith(HINT + "\n") and
          err.count(HINT) == 1, "prefix, and the hint once at the end: " + err)
    reasons = err[len(FAILURE_PREFIX):-len(HINT) - 1].split("; ")
    check_equal([r.split(": ", 1)[0] for r in reasons], names, "each variant, in order")
    for r in reasons:
        check(r.split(": ", 1)[1].startswith("attach failed: prog"), "a reason: " + r)


@live_test
def too_many_failed_variants_end_with_a_count():
    pkg = load(SHARED)
    broken = pkg["meta"]["hook_variants"][0]["programs"]
    names = ["broken-%d" % i for i in range(1, 31)]
    pkg = with_variants(pkg, [{"name": n, "programs": broken} for n in names])
    out, err, status = run_package(pkg)
    check_equal((status, out), (1, ""), "exit status and stdout; stderr " + err)
    one_line(err, "thirty failed variants")
    check(err.startswith(FAILURE_PREFIX) and err.endswith(HINT + "\n"), "the line: " + err)
    reasons = err[len(FAILURE_PREFIX):-len(HINT) - 1].split("; ")
    listed = [r.split(": ", 1)[0] for r in reasons[:-1]]
    check_equal(listed, names[:len(listed)], "the first variants, in order")
    check(len(listed) >= 5, "at least five variants listed: " + err)
    check_equal(reasons[-1], "and %d more" % (len(names) - len(listed)), "the rest counted")


@live_test
def shared_program_attaches_with_the_second_variant():
    calls = {"HOOK_GETSID": 3, "HOOK_GETPPID": 2, "HOOK_GETPGID": 4}
    ecli = Ecli(["-v", "-j", SHARED, "-p", str(os.getpid())])
    try:
        progs, links = bpf_fds(ecli.proc.pid)
        by_variant = loaded_ids(ecli.err.decode(errors="replace"))
        failed_left = still_loaded("prog", by_variant.get("broken", {}).values())
        for _ in range(calls["HOOK_GETSID"]):
            os.getsid(0)
        for _ in range(calls["HOOK_GETPPID"]):
            os.getppid()
        for _ in range(calls["HOOK_GETPGID"]):
            os.getpgid(0)
    finally:
        out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr " + err)
    check("variant broken: attach failed: prog 'on_missing'" in err and
          "variant shared: loaded and attached 3 programs" in err,
          "the first variant failed to attach, the second was kept:\n" + err)
    by_variant = loaded_ids(err)
    check_equal(sorted(by_variant.get("broken", {})), ["on_getpgid", "on_getppid", "on_missing"],
                "-v names what the failed variant loaded:\n" + err)
    check_equal(failed_left, [], "the failed variant's programs were unloaded")
    names = {i: name for name, i in by_variant.get("shared", {}).items()}
    check_equal(sorted(names.get(p, "?") for p in progs),
                ["on_getpgid", "on_getppid", "on_getsid"], "programs ecli holds")
    if links:  # kernels before 5.15 attach tracepoints without a BPF link
        check_equal([names.get(p, "?") for _, p in sorted(links.items())],
                    ["on_getsid", "on_getppid", "on_getpgid"],
                    "attach order: the variant's list, then the program of no variant")
    else:
        print("    (no BPF links on this kernel: attach order not checked)")
    got = collections.Counter(e["hook"] for e in json_lines(out) if e["pid"] == os.getpid())
    check_equal(dict(got), calls, "events of this process by hook")
    check_equal(still_loaded("prog", all_ids(err)), [], "programs left loaded after exit")


@live_test
def program_in_no_variant_loads_with_a_variant_that_works_first():
    pkg = load(SHARED)
    variants = pkg["meta"]["hook_variants"]
    pkg = with_variants(pkg, [variants[1], variants[0]])
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(pkg, f)
        f.flush()
        ecli = Ecli(["-v", f.name])
        try:
            progs, _ = bpf_fds(ecli.proc.pid)
        finally:
            _, err, status = ecli.stop()
    names = {i: name for name, i in loaded_ids(err).get("shared", {}).items()}
    check_equal(status, 0, "exit status; stderr " + err)
    check("variant shared: loaded and attached 3 programs" in err and
          "variant broken: not tried: shared was kept" in err and
          "variant broken: loaded" not in err,
          "the first variant was kept, the second never tried:\n" + err)
    check_equal(sorted(names.get(p, "?") for p in progs),
                ["on_getpgid", "on_getppid", "on_getsid"], "programs ecli holds")


@live_test
def variant_listing_a_program_twice_is_refused():
    pkg = load(SHARED)
    twice = ["on_getsid", "on_getppid", "on_getsid"]
    pkg["meta"]["hook_variants"][1]["programs"] = twice
    out, err, status, watch = run_package_watched(pkg)
    check_equal((status, out), (2, ""), "ecli: exit status and stdout; stderr " + err)
    one_line(err, "ecli")
    check("hook_variants[1]" in err and '"on_getsid"' in err and "twice" in err,
          "ecli names the variant and the program: " + err)
    check_equal((watch.progs, watch.links), (set(), {}), "programs and links ecli held")
    with tempfile.TemporaryDirectory() as tmp:
        schema = load(SHARED_SCHEMA)
        schema["hook_variants"][1]["programs"] = twice
        schema_path = os.path.join(tmp, "schema.json")
        with open(schema_path, "w") as f:
            json.dump(schema, f)
        out_path = os.path.join(tmp, "package.json")
        p = subprocess.run([ECC, "-o", out_path, SHARED_OBJECT, schema_path],
                           capture_output=True, text=True)
        check_equal(p.returncode, 2, "ecc: exit status; stderr " + p.stderr)
        one_line(p.stderr, "ecc")
        check('"on_getsid"' in p.stderr and "twice" in p.stderr,
              "ecc names the program: " + p.stderr)
        check(not os.path.exists(out_path), "ecc wrote no package")


@live_test
def ecc_packs_programs_shared_by_variants():
    with tempfile.TemporaryDirectory() as tmp:
        out_path = os.path.join(tmp, "package.json")
        p = subprocess.run([ECC, "-o", out_path, SHARED_OBJECT, SHARED_SCHEMA],
                           capture_output=True, text=True)
        check_equal((p.returncode, p.stderr), (0, ""), "ecc: exit status and stderr")
        packed = load(out_path)["meta"]["hook_variants"]
    check_equal(packed, load(SHARED_SCHEMA)["hook_variants"], "the package's hook variants")
    check_equal([v["name"] for v in packed if "on_getppid" in v["programs"]],
                ["broken", "shared"], "on_getppid is in both variants")


@live_test
def optional_groups_that_cannot_be_used_are_dropped_and_named():
    calls = {"HOOK_GETPPID": 2, "HOOK_GETPGRP": 3, "HOOK_GETSID": 4, "HOOK_GETPGID": 5}
    libc = ctypes.CDLL(None, use_errno=True)
    ecli = Ecli(["-j", OPTIONAL, "-p", str(os.getpid())])
    try:
        progs, links = bpf_fds(ecli.proc.pid)
        names = program_names(progs)
        for _ in range(calls["HOOK_GETPPID"]):
            os.getppid()
        for _ in range(calls["HOOK_GETPGRP"]):
            libc.syscall(SYS_GETPGRP)
        for _ in range(calls["HOOK_GETSID"]):
            os.getsid(0)
        for _ in range(calls["HOOK_GETPGID"]):
            os.getpgid(0)
    finally:
        out, err, status = ecli.stop()
    record_case("a variant's optional program group cannot load or attach: dropped, "
                "the variant kept", status, err.splitlines()[0])
    check_equal(status, 0, "exit status; stderr " + err)
    check_equal(err.splitlines(),
                [WARNING % ("getpgrp calls", "read_unchecked", " (-v says why)"),
                 WARNING % ("getsid calls", "on_getsid, on_missing", " (-v says why)"),
                 "Tracing hooks ... Hit Ctrl-C to end"], "stderr: what goes unseen, once")
    check_equal(sorted(names.get(p, "?") for p in progs),
                ["on_getpgid", "on_getppid", "on_getsid", "on_missing"],
                "programs ecli holds: the group that failed to load is not loaded")
    if links:
        check_equal([names.get(p, "?") for _, p in sorted(links.items())],
                    ["on_getppid", "on_getpgid"],
                    "links: the required program, then the optional group that attached "
                    "(on_getsid's link is gone with its group)")
    got = collections.Counter(e["hook"] for e in json_lines(out) if e["pid"] == os.getpid())
    check_equal(dict(got), {"HOOK_GETPPID": 2, "HOOK_GETPGID": 5}, "events of this process")
    check_equal(still_loaded("prog", progs), [], "programs left loaded after exit")


@live_test
def verbose_says_why_each_optional_group_was_dropped():
    ecli = Ecli(["-v", OPTIONAL])
    _, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr " + err)
    lines = [l for l in err.splitlines() if l.startswith(("variant ", "ecli: warning")) and
             not re.match(r"variant \S+: loaded .*\(id \d+\)$", l)]
    check(len(lines) == 5, "two reasons, the variant kept, two warnings:\n" + err)
    check(lines[0].startswith("variant partial: without read_unchecked: load failed: prog "
                              "'read_unchecked': verifier: ") and
          "map_value_or_null" in lines[0], "the verifier's reason: " + lines[0])
    check(lines[1].startswith("variant partial: without on_getsid, on_missing: attach failed: "
                              "prog 'on_missing': ") and
          "sys_enter_ecli_test_no_such_call" in lines[1], "the attach failure: " + lines[1])
    check_equal(lines[2:], ["variant partial: loaded and attached 2 programs",
                            WARNING % ("getpgrp calls", "read_unchecked", ""),
                            WARNING % ("getsid calls", "on_getsid, on_missing", "")],
                "the variant kept, then the warnings without the -v hint")


def attached_to(cgroup, ids):
    """Which of these program ids are attached to the cgroup (bpftool cgroup show)."""
    out = subprocess.run(["bpftool", "-j", "cgroup", "show", cgroup], capture_output=True,
                         text=True, check=True).stdout
    return sorted(p["id"] for p in json.loads(out.strip() or "[]") if p["id"] in ids)


@live_test
def cgroup_programs_attach_to_the_root_and_detach_on_exit():
    """cgroup/bind4 and cgroup/post_bind4 programs are attached to the cgroup v2 root (they
    see this process's bind, as every process's), and detached when ecli ends."""
    import socket
    root = cgroup2_mount()
    ecli = Ecli(["-v", "-j", CGROUP, "-p", str(os.getpid())])
    try:
        ids = all_ids(ecli.err.decode(errors="replace"))
        attached = attached_to(root, ids)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    finally:
        out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr " + err)
    check_equal(len(ids), 2, "-v names the two programs: " + err)
    check_equal(attached, sorted(ids), "attached to %s while ecli ran" % root)
    got = [(e["hook"], e["port"]) for e in json_lines(out) if e["pid"] == os.getpid()]
    check_equal(got, [("HOOK_BIND4", 0), ("HOOK_POST_BIND4", port)],
                "this process's bind, before and after")
    check_equal(attached_to(root, ids), [], "attached to %s after ecli ended" % root)
    check_equal(still_loaded("prog", ids), [], "programs left loaded after exit")


@live_test
def cgroup_programs_attach_where_the_package_option_says():
    """The package's attach_cgroup option (-c PATH, below the cgroup v2 root): the programs see
    the binds of that cgroup's processes, and not this process's, outside it; a path that is
    no cgroup is refused before anything loads."""
    import socket
    root = cgroup2_mount()
    name = "ecli-test-%d" % os.getpid()
    path = os.path.join(root, name)
    os.mkdir(path)
    try:
        out, err, status, watch = run_ecli_watched(["run", CGROUP, "-c", name + "-none"])
        check_equal((status, out, err.strip()),
                    (2, "", "ecli: -c: '%s-none' is not a cgroup v2 folder, nor one below %s"
                     % (name, root)), "a path that is no cgroup")
        check_equal(watch.progs, set(), "programs held after the refusal")
        ecli = Ecli(["-v", "-j", CGROUP, "-c", name])
        try:
            ids = all_ids(ecli.err.decode(errors="replace"))
            attached = (attached_to(path, ids), attached_to(root, ids))
            mine = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            mine.bind(("127.0.0.1", 0))
            mine.close()
            child = subprocess.run(
                [sys.executable, "-c",
                 "import os, socket, sys\n"
                 "open(os.path.join(sys.argv[1], 'cgroup.procs'), 'w').write(str(os.getpid()))\n"
                 "s = socket.socket()\ns.bind(('127.0.0.1', 0))\n"
                 "print(os.getpid(), s.getsockname()[1])", path],
                capture_output=True, text=True, check=True, timeout=30)
            child_pid, child_port = map(int, child.stdout.split())
        finally:
            out, err, status = ecli.stop()
        check_equal(status, 0, "exit status; stderr " + err)
        check_equal(attached, (sorted(ids), []), "attached to the cgroup given, not the root")
        events = json_lines(out)
        check_equal([(e["hook"], e["port"]) for e in events if e["pid"] == child_pid],
                    [("HOOK_BIND4", 0), ("HOOK_POST_BIND4", child_port)],
                    "the bind of the process in the cgroup")
        check_equal([e for e in events if e["pid"] == os.getpid()], [],
                    "binds of this process, outside the cgroup")
        check_equal(attached_to(path, ids), [], "attached after ecli ended")
    finally:
        os.rmdir(path)


@live_test
def a_cgroup_program_that_could_deny_is_refused():
    """A cgroup program that could return 0 would make binds fail: a tracing tool must never
    change a call's outcome. ecc refuses to pack it; a package holding one (made without ecc)
    is refused by ecli before anything loads."""
    import base64
    import platform
    import shutil
    import zlib
    with open(CGROUP_SOURCE) as f:
        src = f.read()
    deny = src.replace("report(ctx, bpf_ntohs(ctx->user_port), HOOK_BIND4);\n\treturn 1;",
                       "report(ctx, bpf_ntohs(ctx->user_port), HOOK_BIND4);\n"
                       "\treturn ctx->user_port != 0;")
    check(deny != src, "the source was changed")
    d = tempfile.mkdtemp(prefix="ecli-deny-")
    try:
        with open(os.path.join(d, "deny.bpf.c"), "w") as f:
            f.write(deny)
        p = subprocess.run([ECC, "-o", os.path.join(d, "p.json"), os.path.join(d, "deny.bpf.c"),
                            CGROUP_SCHEMA], capture_output=True, text=True, timeout=180)
        want = ("program on_bind4 (cgroup/bind4): may return something other than 1 "
                "(\"allow\"), at instruction")
        check_equal(p.returncode, 2, "ecc's exit status; stderr " + p.stderr)
        check(want in p.stderr, "ecc says why: " + p.stderr)
        arch = {"x86_64": "x86", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
        obj = os.path.join(d, "deny.o")
        subprocess.run(["clang", "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_" + arch,
                        "-I" + os.path.join(ROOT, "build", "include"), "-c",
                        os.path.join(d, "deny.bpf.c"), "-o", obj], check=True)
        pkg = load(CGROUP)
        with open(obj, "rb") as f:
            data = f.read()
        pkg.pop("arch_objects", None)
        pkg["arch"] = platform.machine()
        pkg["bpf_object"] = base64.b64encode(zlib.compress(data)).decode()
        pkg["bpf_object_size"] = len(data)
        out, err, status, watch = run_package_watched(pkg)
        record_case("a cgroup program that could return 0 (deny the bind it sees)", status,
                    re.sub(r"/tmp/\S+\.json", "PKG", err.strip()))
        check_equal((status, out), (2, ""), "ecli's exit status and stdout; stderr " + err)
        one_line(err, "the refusal")
        check(want in err, "ecli says why: " + err)
        check_equal(watch.progs, set(), "programs ecli held")
    finally:
        shutil.rmtree(d)


OWN_NS_WARNING = ("ecli: warning: ecli is in a cgroup namespace of its own: its cgroup programs "
                  "see this namespace's processes only (--cgroup-root names the host's cgroup "
                  "v2 mount)")


@live_test
def a_cgroup_namespace_of_its_own_is_said_and_cgroup_root_names_the_host():
    """ecli as a container sees the machine (a cgroup namespace of its own, rooted at this
    test's cgroup, and cgroup v2 mounted in a mount namespace of its own): its cgroup programs
    attach to that root, this test's cgroup, and it says so in one line; --cgroup-root naming
    the host's mount attaches them there, without a word. A --cgroup-root that is no cgroup v2
    folder is refused before anything loads."""
    root = cgroup2_mount()
    with open("/proc/self/cgroup") as f:
        mine = [l.split(":", 2)[2].strip() for l in f if l.startswith("0::")][0]
    mine_host = os.path.normpath(root + mine)
    with tempfile.TemporaryDirectory() as tmp:
        for extra, where, warned in (([], mine_host, True),
                                     (["--cgroup-root", root], root, False)):
            script = "mount -t cgroup2 none %s && exec \"$@\"" % tmp
            ecli = Ecli(["-v"] + extra + [CGROUP, "-p", str(os.getpid())],
                        prefix=["unshare", "--mount", "--propagation", "private", "--cgroup",
                                "--", "sh", "-c", script, "sh"])
            try:
                err = ecli.err.decode(errors="replace")
                ids = all_ids(err)
                attached = attached_to(where, ids)
            finally:
                _, err, status = ecli.stop()
            check_equal(status, 0, "exit status; stderr " + err)
            check_equal(attached, sorted(ids), "attached to %s with %s" % (where, extra))
            check_equal(OWN_NS_WARNING in err.splitlines(), warned,
                        "the warning with %s:\n%s" % (extra, err))
    out, err, status, watch = run_ecli_watched(["run", "--cgroup-root", "/proc", CGROUP])
    check_equal((status, out, err.strip()),
                (2, "", "ecli: --cgroup-root: '/proc' is not a cgroup v2 folder (an absolute "
                 "path)"), "a --cgroup-root that is no cgroup")
    check_equal(watch.progs, set(), "programs held after the refusal")

if __name__ == "__main__":
    sys.exit(run_all("variants"))
