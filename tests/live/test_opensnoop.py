# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Live tests of the opensnoop package: opens the test makes through open, openat and openat2,
checked field by field as JSON and byte for byte against bcc's table, with every bcc flag."""
import os
import re
import sys
import tempfile

from harness import (check_keys, Ecli, in_scratch_dir, check, check_equal, json_lines, live_test, package, run_all, run_ecli,
                     trace_around)
from opener import HAVE_OPEN, Open, OpenChild

PKG = package("opensnoop")
KEYS = ["ts_ns", "pid", "tid", "uid", "comm", "fd", "err", "flags", "mode", "path", "cgroup_id"]
# bcc tools/opensnoop.py: header "%-6s %-16s %4s %3s " then "PATH"; rows "%-6d %-16s %4d %3d "
# then the path; -e adds "%-8s %-4s " (FLAGS, MODE) before PATH, rows "%08o %04o " or
# "%08o n/a  "; -U puts "%-6s"/"%-6d" UID and -T "%-14s"/"%-14.9f" TIME(s) first.
BCC_HEADER = "%-6s %-16s %4s %3s "
BCC_ROW = "%-6d %-16s %4d %3d "
NOBODY = 65534


def scratch_dir():
    """A directory any uid may create files in, with one existing file anyone may open."""
    d = tempfile.mkdtemp(prefix="ecli-opensnoop-")
    os.chmod(d, 0o777)
    existing = os.path.join(d, "existing")
    with open(existing, "w") as f:
        f.write("x")
    os.chmod(existing, 0o666)
    return d


def standard_opens(d):
    """Each syscall, successes and failures, modes asked for and not, a mode wider than 4 digits."""
    existing, created = os.path.join(d, "existing"), os.path.join(d, "created")
    return [
        Open(created, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640, "openat"),
        Open(existing, os.O_RDONLY, 0, "open"),
        Open(existing, os.O_RDWR | os.O_APPEND | os.O_CLOEXEC, 0, "openat2"),
        Open(os.path.join(d, "missing"), os.O_RDONLY, 0, "openat"),            # ENOENT
        Open(existing, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, "open"),   # EEXIST
        Open(d, os.O_WRONLY, 0, "openat"),                                     # EISDIR
        Open(d, os.O_TMPFILE | os.O_RDWR, 0o600, "openat2"),
        Open(d, os.O_DIRECTORY | os.O_RDONLY, 0, "openat"),
        Open(created, os.O_RDWR | os.O_CREAT, 0o10644, "openat"),   # mode bits open() ignores
        Open(created, os.O_RDWR | os.O_CREAT, 0o10644, "openat2"),  # openat2 refuses: EINVAL
    ]


def trace(loader_args, tool_args, children):
    """Runs opensnoop while each child opens; returns (expected per child, stdout)."""
    return trace_around(list(loader_args) + [PKG] + list(tool_args), children)


def events_of(out, d, pids):
    """JSON events of these processes on paths in d (a child's runtime may open other files)."""
    return [e for e in json_lines(out) if e["pid"] in pids and e["path"].startswith(d)]


def check_events(got, expected):
    check_equal(len(got), len(expected), "number of events")
    for g, e in zip(got, expected):
        check_keys(g, KEYS)
        check(isinstance(g["ts_ns"], int) and g["ts_ns"] > 0, "ts_ns is a positive integer: %r" % g)
        check_equal({k: g[k] for k in e}, e, "event")
    stamps = [g["ts_ns"] for g in got]
    check_equal(stamps, sorted(stamps), "ts_ns in the order of the opens")


def bcc_row(e, extended=False):
    row = BCC_ROW % (e["pid"], e["comm"], e["fd"], e["err"])
    if extended:
        row += ("%08o n/a  " % e["flags"] if e["mode"] == "n/a"
                else "%08o %04o " % (e["flags"], int(e["mode"], 8)))
    return row + e["path"]


def rows_of(out, d, pid, prefix=0):
    """Table rows whose PID (or TID) column, after prefix characters, is pid, on paths in d."""
    return [l for l in out.splitlines()[1:]
            if l[prefix:prefix + 6].rstrip() == str(pid) and d in l]


in_scratch = in_scratch_dir(scratch_dir)


@live_test
@in_scratch
def json_reports_every_field_of_every_open(d):
    child = OpenChild("os-json", standard_opens(d))
    (expected,), out = trace(["-j"], [], [child])
    check_equal([e["err"] for e in expected], [0, 0, 0, 2, 17, 21, 0, 0, 0, 22],
                "the opens succeed and fail as planned")
    check(all(e["tid"] == child.pid for e in expected), "a single-threaded child")
    check_events(events_of(out, d, {child.pid}), expected)


@live_test
@in_scratch
def failed_only_with_x(d):
    for flag in ("-x", "--failed"):
        child = OpenChild("os-failed", standard_opens(d))
        (expected,), out = trace(["-j"], [flag], [child])
        check_events(events_of(out, d, {child.pid}), [e for e in expected if e["err"]])
        check(all(e["fd"] == -1 and e["err"] > 0 for e in json_lines(out)),
              "%s shows failed opens only, of every process" % flag)


@live_test
@in_scratch
def table_matches_bcc_byte_for_byte(d):
    child = OpenChild("os-table", standard_opens(d))
    (expected,), out = trace([], [], [child])
    lines = out.splitlines()
    check_equal(lines[0], BCC_HEADER % ("PID", "COMM", "FD", "ERR") + "PATH", "header")
    check_equal(rows_of(out, d, child.pid), [bcc_row(e) for e in expected], "rows")


@live_test
@in_scratch
def extended_fields_show_flags_in_octal_and_the_mode(d):
    for flag in ("-e", "--extended_fields"):
        child = OpenChild("os-extended", standard_opens(d))
        (expected,), out = trace([], [flag], [child])
        check_equal(out.splitlines()[0], BCC_HEADER % ("PID", "COMM", "FD", "ERR") +
                    "%-8s %-4s " % ("FLAGS", "MODE") + "PATH", "header with %s" % flag)
        check_equal(rows_of(out, d, child.pid), [bcc_row(e, True) for e in expected],
                    "rows with %s" % flag)


@live_test
@in_scratch
def timestamp_and_uid_columns(d):
    child = OpenChild("os-time-uid", standard_opens(d)[:4], uid=NOBODY)
    (expected,), out = trace([], ["-T", "-U"], [child])
    lines = out.splitlines()
    check_equal(lines[0], "%-14s" % "TIME(s)" + "%-6s" % "UID" +
                BCC_HEADER % ("PID", "COMM", "FD", "ERR") + "PATH", "header")
    check_equal(lines[1][:14], "%-14.9f" % 0, "the first event is at 0")
    ours = rows_of(out, d, child.pid, 20)
    check_equal(len(ours), len(expected), "rows")
    times = []
    for line, e in zip(ours, expected):
        check(re.match(r"^\d+\.\d{9} *$", line[:14]) is not None, "TIME(s) %r" % line[:14])
        times.append(float(line[:14]))
        check_equal(line[14:], "%-6d" % NOBODY + bcc_row(e), "row after TIME(s)")
    check_equal(times, sorted(times), "times do not go back")
    check(0 <= times[0] < 60, "seconds since the first event: %r" % times)


@live_test
@in_scratch
def pid_filter(d):
    for flag in ("-p", "--pid"):
        traced = OpenChild("os-pid-yes", standard_opens(d)[:3])
        other = OpenChild("os-pid-no", standard_opens(d)[:3])
        (expected, _), out = trace(["-j"], [flag, str(traced.pid)], [traced, other])
        check_events(events_of(out, d, {traced.pid, other.pid}), expected)
        check_equal({e["pid"] for e in json_lines(out)}, {traced.pid}, "pids shown")


@live_test
@in_scratch
def tid_filter_shows_the_thread_in_a_tid_column(d):
    opens = standard_opens(d)[:3]
    child = OpenChild("os-tid", opens, thread_opens=opens)
    check(child.tid not in (None, child.pid), "the child has a second thread")
    (expected,), out = trace([], ["-t", str(child.tid)], [child])
    check_equal(out.splitlines()[0], BCC_HEADER % ("TID", "COMM", "FD", "ERR") + "PATH", "header")
    thread_events = [e for e in expected if e["tid"] == child.tid]
    check_equal(len(thread_events), len(opens), "the thread opened")
    want = [bcc_row(dict(e, pid=e["tid"])) for e in thread_events]
    check_equal([l for l in out.splitlines()[1:] if d in l], want, "rows: the thread's only")

    child = OpenChild("os-tid-json", opens, thread_opens=opens)
    (expected,), out = trace(["-j"], ["--tid", str(child.tid)], [child])
    check_events(events_of(out, d, {child.pid}), [e for e in expected if e["tid"] == child.tid])


@live_test
@in_scratch
def uid_filter(d):
    for flag in ("-u", "--uid"):
        traced = OpenChild("os-uid-yes", standard_opens(d)[:3], uid=NOBODY)
        other = OpenChild("os-uid-no", standard_opens(d)[:3])
        (expected, _), out = trace(["-j"], [flag, str(NOBODY)], [traced, other])
        check_events(events_of(out, d, {traced.pid, other.pid}), expected)
        check_equal({e["uid"] for e in json_lines(out)}, {NOBODY}, "uids shown")


@live_test
@in_scratch
def name_filter_is_a_substring_of_the_process_name(d):
    opens = standard_opens(d)[:2]
    for flag in ("-n", "--name"):
        middle = OpenChild("os-xnamex", opens)
        end = OpenChild("os-long-comname", opens)  # 15 characters: the whole comm
        other = OpenChild("os-other", opens)
        (want_middle, want_end, _), out = trace(["-j"], [flag, "name"],
                                                 [middle, end, other])
        check_events(events_of(out, d, {middle.pid, end.pid, other.pid}),
                     want_middle + want_end)
        check(all("name" in e["comm"] for e in json_lines(out)), "only names containing 'name'")


@live_test
@in_scratch
def flag_filter_shows_opens_with_any_named_flag(d):
    existing = os.path.join(d, "existing")
    opens = [Open(existing, os.O_RDONLY), Open(existing, os.O_WRONLY),
             Open(existing, os.O_RDWR), Open(existing, os.O_WRONLY | os.O_APPEND),
             Open(existing, os.O_RDONLY | os.O_TRUNC), Open(existing, os.O_RDONLY, 0, "openat2")]
    cases = ((["-f", "O_WRONLY", "-f", "O_RDWR"], os.O_WRONLY | os.O_RDWR),
             (["--flag_filter", "O_WRONLY,O_RDWR"], os.O_WRONLY | os.O_RDWR),
             (["-f", "O_APPEND", "-f", "O_TRUNC"], os.O_APPEND | os.O_TRUNC),
             (["-f", "O_RDONLY"], 0))  # bcc: no bits to match, so nothing matches
    for args, mask in cases:
        child = OpenChild("os-flags", opens)
        (expected,), out = trace(["-j"], args, [child])
        check_events(events_of(out, d, {child.pid}), [e for e in expected if e["flags"] & mask])
        check(all(e["flags"] & mask for e in json_lines(out)), "every event matches %s" % args)


@live_test
def bad_values_exit_2():
    for args, message in ((["-f", "O_BOGUS"],
                           "-f: 'O_BOGUS' is not a name of enum open_flag or a number"),
                          (["-f", "O_WRONLY,nonsense"], "nonsense"),
                          (["-n", "a-name-over-15-chars"], "a-name-over-15-chars"),
                          (["-p", "-1"], "-p: '-1' is out of range 0..4294967295"),
                          (["-t", "x"], "-t: 'x'"),
                          (["-u", "nobody"], "-u: 'nobody'")):
        out, err, status = run_ecli(["run", PKG] + args)
        check_equal((status, out), (2, ""), "status and stdout for %s" % args)
        check(message in err and len(err.splitlines()) == 1, "message for %s: %r" % (args, err))


@live_test
@in_scratch
def perf_buffer_delivers_the_same_events(d):
    child = OpenChild("os-perfbuf", standard_opens(d))
    (expected,), out = trace(["-j", "--perfbuf"], [], [child])
    check_events(events_of(out, d, {child.pid}), expected)


@live_test
def verbose_names_the_variant_with_all_three_syscalls():
    ecli = Ecli(["-v", PKG])
    _, err, status = ecli.stop()
    check_equal(status, 0, "exit status")
    # without open(2) (arm64) the variant that has it fails to attach and the next one is kept
    line = ("variant open+openat+openat2: loaded and attached 6 programs" if HAVE_OPEN
            else "variant openat+openat2: loaded and attached 4 programs")
    check(line in err, "stderr has '%s':\n%s" % (line, err))


@live_test
def help_lists_bcc_flags():
    out, err, status = run_ecli(["run", PKG, "-h"])
    check_equal((status, err), (0, ""), "exit status and stderr of -h")
    check(out.startswith("usage: opensnoop [-h]"), "usage line: %r" % out[:60])
    for flag in ("-T, --timestamp", "-U, --print-uid", "-x, --failed", "-p, --pid PID",
                 "-t, --tid TID", "-u, --uid UID", "-n, --name NAME", "-e, --extended_fields",
                 "-f, --flag_filter FLAG", "--cgroupmap PATH", "--mntnsmap PATH"):
        check(flag in out, "help lists %s" % flag)


if __name__ == "__main__":
    sys.exit(run_all("opensnoop"))
