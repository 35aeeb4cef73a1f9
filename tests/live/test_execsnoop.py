# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Live tests of the execsnoop package: execs the test makes (successful, failed, through execve
and execveat, with many arguments and with quotes), checked field by field as JSON and byte for
byte against bcc's table, with every bcc flag."""
import os
import re
import sys
import tempfile
import time

from execer import Exec, ExecChild, program
from harness import (check_keys, Ecli, in_scratch_dir, check, check_equal, json_lines, live_test, package, run_all, run_ecli,
                     trace_around)

PKG = package("execsnoop")
KEYS = ["ts_ns", "pid", "ppid", "uid", "ret", "comm", "cgroup_id", "args"]
# bcc tools/execsnoop.py: header "%-16s %-7s %-7s %3s %s" (PCOMM PID PPID RET ARGS), rows
# "%-16s %-7d %-7s %3d %s" with the arguments joined by spaces (each as "\"" + arg with " as \"
# + "\"" with -q); -T puts "%-9s" TIME (HH:MM:SS), -t "%-8s"/"%-8.3f" TIME(s) since start and
# -U "%-6s"/"%-6d" UID before them.
BCC_HEADER = "%-16s %-7s %-7s %3s %s" % ("PCOMM", "PID", "PPID", "RET", "ARGS")
BCC_ROW = "%-16s %-7d %-7s %3d %s"
NOBODY = 65534
MAX_ARGS_LIMIT = 40
ENOENT, EACCES = 2, 13


def scratch_dir():
    """Programs anyone may run, and a file nobody may execute."""
    d = tempfile.mkdtemp(prefix="ecli-execsnoop-")
    os.chmod(d, 0o755)
    noexec = os.path.join(d, "noexec")
    with open(noexec, "w") as f:
        f.write("#!/bin/sh\n")
    os.chmod(noexec, 0o644)
    return d


in_scratch = in_scratch_dir(scratch_dir)


def failing_execs(d):
    return [Exec(os.path.join(d, "missing"), ["missing", "a"]),           # ENOENT
            Exec(os.path.join(d, "noexec"), ["noexec", "b c"])]           # EACCES


def final_exec(d, name="es-prog", argv_tail=("one", "", "two words", 'quo"te', "--flag=x")):
    return Exec(program(d, name), [name] + list(argv_tail))


def trace(loader_args, tool_args, children):
    """Runs execsnoop while each child execs; returns (what each child did, stdout)."""
    return trace_around(list(loader_args) + [PKG] + list(tool_args), children)


def bcc_args(rec, max_args=20):
    """What bcc shows: the path (argv[0] for fexecve, which names none), argv[1] on, up to
    max_args strings, then "..." when argv had more."""
    first = rec["argv"][0] if rec["via_fd"] else rec["path"]
    shown = max(min(max_args, MAX_ARGS_LIMIT), 1)
    args = [first] + rec["argv"][1:shown]
    return args + ["..."] if len(rec["argv"]) > shown else args


def expected_event(rec, max_args=20):
    return {"pid": rec["pid"], "ppid": rec["ppid"], "uid": rec["uid"], "ret": rec["ret"],
            "comm": rec["comm"], "args": bcc_args(rec, max_args)}


def events_of(out, pids):
    return [e for e in json_lines(out) if e["pid"] in pids]


def check_events(got, recs, max_args=20):
    check_equal(len(got), len(recs), "number of events")
    for g, rec in zip(got, recs):
        e = expected_event(rec, max_args)
        check_keys(g, KEYS)
        check(isinstance(g["ts_ns"], int) and g["ts_ns"] > 0, "ts_ns is a positive integer: %r" % g)
        check_equal({k: g[k] for k in e if k != "args"}, {k: e[k] for k in e if k != "args"},
                    "event")
        # the strings up to the last non-empty one: unused slots are left out
        check_equal(g["args"], e["args"], "args")
    stamps = [g["ts_ns"] for g in got]
    check_equal(stamps, sorted(stamps), "ts_ns in the order of the execs")


def quoted(arg):
    return '"' + arg.replace('"', '\\"') + '"'


def bcc_row(rec, max_args=20, quote=False):
    args = bcc_args(rec, max_args)
    text = " ".join(quoted(a) for a in args) if quote else " ".join(args)
    ppid = "%d" % rec["ppid"] if rec["ppid"] > 0 else "?"
    return BCC_ROW % (rec["comm"], rec["pid"], ppid, rec["ret"], text)


def rows_of(out, pid, prefix=0):
    """Table rows whose PID column, after prefix characters, is pid."""
    return [l for l in out.splitlines()[1:] if l[prefix + 17:prefix + 24].rstrip() == str(pid)]


class Delayed:
    """A child told to go only after a pause, so its event is well after the tool started."""

    def __init__(self, child, seconds):
        self.child, self.seconds, self.pid = child, seconds, child.pid

    def go(self):
        time.sleep(self.seconds)
        return self.child.go()

    def close(self):
        self.child.close()


@live_test
@in_scratch
def json_reports_every_field_of_every_exec_with_x(d):
    for flag in ("-x", "--fails"):
        child = ExecChild("es-json", final_exec(d), failing_execs(d))
        (recs,), out = trace(["-j"], [flag], [child])
        check_equal([r["ret"] for r in recs], [-ENOENT, -EACCES, 0], "the execs fail as planned")
        check_equal([r["comm"] for r in recs], ["es-json", "es-json", "es-prog"],
                    "the caller's name until exec succeeds")
        check(all(r["ppid"] == os.getpid() for r in recs), "the child's parent is the test")
        check_events(events_of(out, {child.pid}), recs)


@live_test
@in_scratch
def exec_from_a_thread_that_is_not_the_first(d):
    child = ExecChild("es-thread", final_exec(d, "es-thread-prog"), failing_execs(d),
                      from_thread=True)
    (recs,), out = trace(["-j"], ["-x"], [child])
    check_events(events_of(out, {child.pid}), recs)


@live_test
@in_scratch
def failed_execs_are_shown_only_with_x(d):
    child = ExecChild("es-nofail", final_exec(d), failing_execs(d))
    (recs,), out = trace(["-j"], [], [child])
    check_events(events_of(out, {child.pid}), recs[-1:])
    check(all(e["ret"] == 0 for e in json_lines(out)), "successful execs only, of every process")


@live_test
@in_scratch
def table_matches_bcc_byte_for_byte(d):
    child = ExecChild("es-table", final_exec(d), failing_execs(d))
    (recs,), out = trace([], [], [child])
    check_equal(out.splitlines()[0], BCC_HEADER, "header")
    check_equal(rows_of(out, child.pid), [bcc_row(recs[-1])], "rows")

    child = ExecChild("es-table-x", final_exec(d), failing_execs(d))
    (recs,), out = trace([], ["-x"], [child])
    check_equal(out.splitlines()[0], BCC_HEADER, "header with -x")
    check_equal(rows_of(out, child.pid), [bcc_row(r) for r in recs], "rows with -x")


@live_test
@in_scratch
def quote_wraps_each_argument(d):
    for flag in ("-q", "--quote"):
        child = ExecChild("es-quote", final_exec(d), failing_execs(d))
        (recs,), out = trace([], [flag, "-x"], [child])
        check_equal(out.splitlines()[0], BCC_HEADER, "header")
        check_equal(rows_of(out, child.pid), [bcc_row(r, quote=True) for r in recs], "rows")
        check('"quo\\"te"' in rows_of(out, child.pid)[-1], "a quote inside is escaped")


@live_test
@in_scratch
def max_args_cuts_the_list_with_an_ellipsis(d):
    many = ["arg%d" % i for i in range(1, 51)]
    for max_args, tool_args in ((20, []), (5, ["--max-args", "5"]), (1, ["--max-args", "1"]),
                                (MAX_ARGS_LIMIT, ["--max-args", "99"])):
        over = ExecChild("es-over", final_exec(d, "es-over", many))
        exact = ExecChild("es-exact", final_exec(d, "es-exact", many[:max_args - 1]))
        (over_recs, exact_recs), out = trace(["-j"], tool_args, [over, exact])
        check_events(events_of(out, {over.pid}), over_recs, max_args)
        check_equal(events_of(out, {over.pid})[0]["args"][max(max_args, 1)], "...",
                    "an ellipsis after %d strings" % max_args)
        check_events(events_of(out, {exact.pid}), exact_recs, max_args)
        check("..." not in events_of(out, {exact.pid})[0]["args"],
              "no ellipsis when argv has exactly %d strings" % max_args)

    over = ExecChild("es-over-table", final_exec(d, "es-over-table", many))
    (recs,), out = trace([], ["--max-args", "3"], [over])
    check_equal(rows_of(out, over.pid), [bcc_row(recs[-1], 3)], "row")
    check(rows_of(out, over.pid)[0].endswith(" arg1 arg2 ..."), "row ends in the ellipsis")


@live_test
@in_scratch
def execveat_names_the_program_by_argv0(d):
    via_fd = Exec(program(d, "es-fexec"), ["es-fexec-argv0", "x", "y"], via_fd=True)
    failing = [Exec(os.path.join(d, "noexec"), ["noexec-by-fd"], via_fd=True)]
    child = ExecChild("es-fexecve", via_fd, failing)
    (recs,), out = trace(["-j"], ["-x"], [child])
    check_equal([r["ret"] for r in recs], [-EACCES, 0], "the execs fail as planned")
    check_events(events_of(out, {child.pid}), recs)


@live_test
@in_scratch
def time_timestamp_and_uid_columns(d):
    child = ExecChild("es-time", final_exec(d), uid=NOBODY)
    started = time.time()
    (recs,), out = trace([], ["-T", "-t", "-U"], [Delayed(child, 1.0)])
    elapsed = time.time() - started
    lines = out.splitlines()
    check_equal(lines[0], "%-9s" % "TIME" + "%-8s" % "TIME(s)" + "%-6s" % "UID" + BCC_HEADER,
                "header")
    ours = rows_of(out, child.pid, 23)
    check_equal(len(ours), 1, "rows")
    line = ours[0]
    check(re.match(r"^\d\d:\d\d:\d\d $", line[:9]) is not None, "TIME %r" % line[:9])
    check(re.match(r"^\d+\.\d{3} *$", line[9:17]) is not None, "TIME(s) %r" % line[9:17])
    # counted from when tracing started, not from the first event: the exec came a second later
    check(0.9 <= float(line[9:17]) <= elapsed, "TIME(s) %r, %.3f s in all" % (line[9:17], elapsed))
    check_equal(line[17:], "%-6d" % NOBODY + bcc_row(recs[-1]), "row after the times")


@live_test
@in_scratch
def uid_filter(d):
    for flag in ("-u", "--uid"):
        traced = ExecChild("es-uid-yes", final_exec(d), failing_execs(d), uid=NOBODY)
        other = ExecChild("es-uid-no", final_exec(d), failing_execs(d))
        (recs, _), out = trace(["-j"], [flag, str(NOBODY), "-x"], [traced, other])
        check_events(events_of(out, {traced.pid, other.pid}), recs)
        check_equal({e["uid"] for e in json_lines(out)}, {NOBODY}, "uids shown")


@live_test
@in_scratch
def ppid_filter(d):
    for flag in ("-P", "--ppid"):
        grand = ExecChild("es-ppid-yes", final_exec(d), failing_execs(d), grandchild=True)
        other = ExecChild("es-ppid-no", final_exec(d), failing_execs(d))
        (recs, _), out = trace(["-j"], [flag, str(grand.pid), "-x"], [grand, other])
        check(all(r["ppid"] == grand.pid for r in recs), "the grandchild's parent is the child")
        check_events(events_of(out, {recs[0]["pid"], other.pid}), recs)
        check_equal({e["ppid"] for e in json_lines(out)}, {grand.pid}, "parents shown")


@live_test
@in_scratch
def name_filter_is_a_substring_of_the_name_after_exec(d):
    for flag in ("-n", "--name"):
        renamed = ExecChild("es-a", final_exec(d, "es-xnamex"))
        failed = ExecChild("es-namefail", final_exec(d, "es-other"), failing_execs(d))
        (want_renamed, want_failed), out = trace(["-j"], [flag, "name", "-x"],
                                                 [renamed, failed])
        check_events(events_of(out, {renamed.pid, failed.pid}),
                     want_renamed + want_failed[:-1])
        check(all("name" in e["comm"] for e in json_lines(out)), "only names containing 'name'")


@live_test
@in_scratch
def line_filter_is_a_substring_of_the_joined_args(d):
    for flag, text in (("-l", "has-needle"), ("--line", "one two")):
        yes = ExecChild("es-line-yes", final_exec(d, "es-line", ["one", "two", "has-needle-x"]))
        no = ExecChild("es-line-no", final_exec(d, "es-line", ["one", "three"]))
        (recs, _), out = trace(["-j"], [flag, text], [yes, no])
        check_events(events_of(out, {yes.pid, no.pid}), recs)
        check(all(text in " ".join(a for a in e["args"] if a) for e in json_lines(out)),
              "only commands whose args contain %r" % text)


@live_test
@in_scratch
def perf_buffer_delivers_the_same_events(d):
    child = ExecChild("es-perfbuf", final_exec(d), failing_execs(d))
    (recs,), out = trace(["-j", "--perfbuf"], ["-x"], [child])
    check_events(events_of(out, {child.pid}), recs)


@live_test
def bad_values_exit_2():
    for args, message in ((["--max-args", "x"], "--max-args: 'x'"),
                          (["-n", "a-name-over-15-chars"], "a-name-over-15-chars"),
                          (["-u", "-1"], "-u: '-1' is out of range 0..4294967295"),
                          (["-P", "x"], "-P: 'x'")):
        out, err, status = run_ecli(["run", PKG] + args)
        check_equal((status, out), (2, ""), "status and stdout for %s" % args)
        check(message in err and len(err.splitlines()) == 1, "message for %s: %r" % (args, err))


@live_test
def verbose_names_the_variant_with_execveat():
    ecli = Ecli(["-v", PKG])
    _, err, status = ecli.stop()
    check_equal(status, 0, "exit status")
    line = "variant execve+execveat: loaded and attached 4 programs"
    check(line in err, "stderr has '%s':\n%s" % (line, err))


@live_test
def help_lists_bcc_flags():
    out, err, status = run_ecli(["run", PKG, "-h"])
    check_equal((status, err), (0, ""), "exit status and stderr of -h")
    check(out.startswith("usage: execsnoop [-h]"), "usage line: %r" % out[:60])
    for flag in ("-T, --time", "-t, --timestamp", "-x, --fails", "-u, --uid UID", "-q, --quote",
                 "-n, --name NAME", "-l, --line LINE", "-U, --print-uid", "--max-args MAX_ARGS",
                 "-P, --ppid PPID", "--cgroupmap PATH", "--mntnsmap PATH"):
        check(flag in out, "help lists %s" % flag)


if __name__ == "__main__":
    sys.exit(run_all("execsnoop"))
