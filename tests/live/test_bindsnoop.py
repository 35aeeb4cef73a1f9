# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Live tests of the bindsnoop package: real binds, checked field by field, as JSON and as bcc's table."""
import json
import re
import signal
import socket
import subprocess
import sys

from binder import (IP_BIND_ADDRESS_NO_PORT, IP_FREEBIND, Bind, BindChild, MismatchedBind,
                    free_port, run_binds, standard_binds)
from harness import (check_keys, ECLI, FORCED_VARIANT, BpfWatch, Ecli, bpf_fds, check, check_equal, check_unloaded,
                     json_lines, live_test, package, run_all, run_ecli, stderr_lines,
                     trace_around, variant_fates)
from sockcalls import SockCalls, adopt_thread_comm, record_seen, skipped, trace_sockcalls

PKG = package("bindsnoop")
KEYS = ["ts_ns", "pid", "uid", "comm", "proto", "ip", "addr", "port", "opts", "if", "ret", "cgroup_id"]
BCC_HEADER = "%8s %-12.12s %-4s %-15s %-5s %5s %2s"
BCC_ROW = "%8d %-12.12s %-4.4s %-15.15s %5d %-5s %2d"


def trace(loader_args, tool_args, binds, comm, uid=None):
    """Runs bindsnoop around the binds; returns (expected events, stdout)."""
    (expected,), out = trace_around(list(loader_args) + [PKG] + list(tool_args),
                                    [BindChild(comm, binds, uid)])
    return expected, out


def events_of(out, pid):
    return [e for e in json_lines(out) if e["pid"] == pid]


def check_events(got, expected):
    check_equal(len(got), len(expected), "number of events")
    for g, e in zip(got, expected):
        check_keys(g, KEYS)
        check(isinstance(g["ts_ns"], int) and g["ts_ns"] > 0, "ts_ns is a positive integer: %r" % g)
        check_equal({k: g[k] for k in e}, e, "event")


def bcc_row(e):
    return BCC_ROW % (e["pid"], e["comm"], e["proto"], e["addr"], e["port"], e["opts"], e["if"])


@live_test
def json_reports_every_field_of_every_bind_with_errors():
    binds = standard_binds()
    expected, out = trace(["-j"], ["-E"], binds, "bs-json-E")
    check_equal(expected[-1]["ret"], -98, "the last bind fails with EADDRINUSE")
    check_events(events_of(out, expected[0]["pid"]), expected)


@live_test
def failed_bind_is_not_shown_without_E():
    expected, out = trace(["-j"], [], standard_binds(), "bs-json")
    check_events(events_of(out, expected[0]["pid"]), [e for e in expected if e["ret"] == 0])


@live_test
def tool_option_o_json_is_the_same_as_j():
    expected, out = trace([], ["-o", "json", "-E"], standard_binds(), "bs-o-json")
    check_events(events_of(out, expected[0]["pid"]), expected)


@live_test
def failed_bind_shows_requested_address_and_port():
    in4, in6, tcp, udp = socket.AF_INET, socket.AF_INET6, socket.SOCK_STREAM, socket.SOCK_DGRAM
    binds = [Bind(in4, udp, "192.0.2.77", 4242),          # EADDRNOTAVAIL: not a local address
             Bind(in6, tcp, "2001:db8::5", 4343)]
    expected, out = trace(["-j"], ["-E"], binds, "bs-notavail")
    check_equal([e["ret"] for e in expected], [-99, -99], "binds fail with EADDRNOTAVAIL")
    check_events(events_of(out, expected[0]["pid"]), expected)


@live_test
def failed_bind_reads_the_address_by_its_own_family():
    expected, out = trace(["-j"], ["-E"], [MismatchedBind("127.0.0.1", 4545)], "bs-mismatch")
    check_equal((expected[0]["ret"], expected[0]["ip"]), (-22, 4), "EINVAL, an IPv4 address")
    check_events(events_of(out, expected[0]["pid"]), expected)


def sockcall_binds(test, comm, *ops, uid=None):
    """Runs bindsnoop -E (for this helper's pid only) around binds the helper makes: (the
    events it must show, those it showed, events counted as lost)."""
    child = SockCalls(comm, *ops, uid=uid)
    results, out, lost = trace_sockcalls(["-j", PKG, "-E", "-p", str(child.pid)], child)
    fields = ("pid", "uid", "comm", "proto", "ip", "addr", "port", "ret", "thread")
    expected = [dict({k: r[k] for k in fields if k in r}, opts=".....", **{"if": 0})
                for r in skipped(results, test)]
    got = events_of(out, child.pid)
    adopt_thread_comm(got, expected)
    return expected, got, lost


@live_test
def io_uring_binds_show_the_address_asked_for_when_they_fail():
    in_use = free_port()
    expected, got, _ = sockcall_binds(
        "io_uring_binds", "bs-uring",
        ("uring-bind", 4, "127.0.0.1", in_use), ("uring-bind", 4, "127.0.0.1", in_use),
        ("uring-bind", 6, "::1", 0), ("uring-bind", 6, "2001:db8::5", 4343),
        ("uring-bind-overflow", 4, "127.0.0.1", 0), ("uring-bind-overflow", 6, "::1", in_use),
        ("uring-bind-overflow", 4, "192.0.2.78", 4545))
    if expected:
        check_equal([e["ret"] for e in expected], [0, -98, 0, -99, 0, 0, -99],
                    "the binds succeed, fail with EADDRINUSE, succeed, fail with EADDRNOTAVAIL; "
                    "then with a full completion queue: succeed twice, fail")
    check_events(got, expected)
    record_seen("io_uring binds: success, EADDRINUSE, EADDRNOTAVAIL, a full completion queue "
                "(reported; failed ones with the address asked for)", "io_uring_binds")


@live_test
def io_uring_binds_by_an_sqpoll_thread_are_reported():
    in_use = free_port()
    expected, got, _ = sockcall_binds(
        "io_uring_sqpoll_binds", "bs-uring-sqp", ("sqpoll",),
        ("uring-bind", 4, "127.0.0.1", in_use), ("uring-bind", 4, "127.0.0.1", in_use),
        ("uring-bind", 6, "::1", 0), uid=65534)
    if expected:
        check_equal([e["ret"] for e in expected], [0, -98, 0], "bind, EADDRINUSE, bind")
    check_events(got, expected)
    record_seen("io_uring binds by an SQPOLL thread, as another uid (reported)",
                "io_uring_sqpoll_binds")


@live_test
def binds_by_32_bit_syscalls_are_reported():
    in_use = free_port()
    expected, got, _ = sockcall_binds(
        "binds_by_32_bit_syscalls", "bs-int80",
        ("i386-bind", 4, "127.0.0.1", in_use), ("socketcall-bind", 6, "::1", 0),
        ("i386-bind", 4, "127.0.0.1", in_use), ("socketcall-bind", 4, "192.0.2.77", 4242),
        ("i386-bind", 6, "2001:db8::6", 4344), uid=65534)
    if expected:
        check_equal([e["ret"] for e in expected], [0, 0, -98, -99, -99],
                    "bind, socketcall, EADDRINUSE, EADDRNOTAVAIL twice")
    check_events(got, expected)
    record_seen("32-bit binds: int 0x80 bind and socketcall, as another uid (reported)",
                "binds_by_32_bit_syscalls")


@live_test
def io_uring_bind_that_posts_no_completion_is_reported_or_counted():
    expected, got, lost = sockcall_binds("io_uring_bind_skip", "bs-uring-skip",
                                         ("uring-bind-skip", 4, "127.0.0.1", 0))
    if not expected:
        return
    check_equal(expected[0]["ret"], 0, "the bind succeeds (and so posts no completion)")
    check_equal(len(got) + lost, 1, "events shown (%r) plus events counted as lost (%d)"
                % (got, lost))
    if got:
        check_events(got, expected)
    record_seen("an io_uring bind with IOSQE_CQE_SKIP_SUCCESS (reported, or counted as lost)",
                "io_uring_bind_skip")


@live_test
def uid_of_an_unprivileged_bind():
    binds = [Bind(socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1", 0)]
    expected, out = trace(["-j"], [], binds, "bs-nobody", uid=65534)
    check_equal(expected[0]["uid"], 65534, "child runs as nobody")
    check_events(events_of(out, expected[0]["pid"]), expected)


@live_test
def table_matches_bcc_byte_for_byte():
    expected, out = trace([], [], standard_binds(), "bs-table")
    lines = out.splitlines()
    check_equal(lines[0], BCC_HEADER % ("PID", "COMM", "PROT", "ADDR", "PORT", "OPTS", "IF"),
                "header")
    ours = [l for l in lines[1:] if l[9:21].rstrip() == "bs-table"]
    check_equal(ours, [bcc_row(e) for e in expected if e["ret"] == 0], "rows")


@live_test
def table_with_errors_has_bcc_rc_column():
    expected, out = trace([], ["-E"], standard_binds(), "bs-table-E")
    lines = out.splitlines()
    check_equal(lines[0], "%3s " % "RC" + BCC_HEADER % ("PID", "COMM", "PROT", "ADDR", "PORT",
                                                        "OPTS", "IF"), "header")
    ours = [l for l in lines[1:] if l[13:25].rstrip() == "bs-table-E"]
    check_equal(ours, ["%3s " % e["ret"] + bcc_row(e) for e in expected], "rows")


@live_test
def perf_buffer_delivers_the_same_events():
    expected, out = trace(["-j", "--perfbuf"], ["-E"], standard_binds(), "bs-perfbuf")
    check_events(events_of(out, expected[0]["pid"]), expected)


@live_test
def sigterm_detaches_everything_and_exits_zero():
    ecli = Ecli([PKG])
    watch = BpfWatch(ecli.proc.pid)
    progs, links = bpf_fds(ecli.proc.pid)
    out, err, status = ecli.stop(signal.SIGTERM)
    watch.stop()
    check_equal(status, 0, "exit status after SIGTERM")
    check(progs and links, "ecli held programs and links while tracing")
    watch.progs |= progs  # its first poll may come after the detach began
    watch.links |= links
    check_unloaded(watch, "after SIGTERM")
    check_equal(stderr_lines(err), ["Tracing binds ... Hit Ctrl-C to end"], "stderr")


@live_test
def verbose_says_of_every_variant_whether_it_was_kept_and_why_not():
    """Holds on any kernel: the variants before the one kept failed (and say how), the one kept
    attached all its programs but the optional ones it dropped, the rest were not tried."""
    with open(PKG) as f:
        variants = json.load(f)["meta"]["hook_variants"]
    ecli = Ecli(["-v", PKG])
    _, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr " + err)
    fates, dropped = variant_fates(err)
    names = [v["name"] for v in variants]
    check_equal(sorted(fates), sorted(names), "a fate for every variant:\n" + err)
    kept = [n for n in names if fates[n].startswith("loaded and attached ")]
    check_equal(len(kept), 1, "one variant kept:\n" + err)
    k = names.index(kept[0])
    v = variants[k]
    programs = v["programs"] + [p for g in v.get("optional", []) for p in g["programs"]]
    attached = len([p for p in programs if p not in dropped])
    check_equal(fates[kept[0]], "loaded and attached %d program%s"
                % (attached, "" if attached == 1 else "s"), "the variant kept")
    if FORCED_VARIANT:
        check_equal(kept[0], FORCED_VARIANT, "the variant forced is the one kept")
    for n in names[:k]:
        want = ("not tried: --variant",) if FORCED_VARIANT else ("load failed: ", "attach failed: ")
        check(fates[n].startswith(want), "variant %s before the one kept: %r" % (n, fates[n]))
    for n in names[k + 1:]:
        want = "not tried: --variant %s" % FORCED_VARIANT if FORCED_VARIANT else \
            "not tried: %s was kept" % kept[0]
        check_equal(fates[n], want, "variant %s after the one kept" % n)


@live_test
def binds_that_take_no_port_are_reported_or_counted():
    """A port-0 bind on a socket with IP_BIND_ADDRESS_NO_PORT takes no port (connect picks one
    later) and runs no post_bind program. Every variant reports those that work; the cgroup
    variant judges them before the bind, and counts as lost the one whose address it cannot
    judge there (10.255.255.2, which this host lacks: the bind fails; where ip_nonlocal_bind
    is on it works, and is judged so)."""
    in4, in6, tcp, udp = socket.AF_INET, socket.AF_INET6, socket.SOCK_STREAM, socket.SOCK_DGRAM
    no_port = (socket.SOL_IP, IP_BIND_ADDRESS_NO_PORT)
    binds = [Bind(in4, tcp, "0.0.0.0", 0, [no_port]),
             Bind(in4, udp, "127.0.0.1", 0, [no_port]),
             Bind(in6, tcp, "::", 0, [no_port]),
             Bind(in6, tcp, "::1", 0, [no_port]),
             Bind(in4, tcp, "10.255.255.2", 0, [no_port]),
             Bind(in4, tcp, "10.255.255.3", 0, [no_port, (socket.SOL_IP, IP_FREEBIND)])]
    errs = []
    (expected,), out = trace_around(["-v", "-j", PKG], [BindChild("bs-noport", binds)],
                                    stderr=errs)
    # 10.255.255.2 fails (EADDRNOTAVAIL) unless this machine's net.ipv4.ip_nonlocal_bind is on
    nonlocal_bind = expected[4]["ret"] == 0
    check_equal([e["ret"] for e in expected], [0, 0, 0, 0, 0 if nonlocal_bind else -99, 0],
                "the binds' results")
    check_equal([e["port"] for e in expected], [0] * 6, "no port taken")
    check_events(events_of(out, expected[0]["pid"]), [e for e in expected if e["ret"] == 0])
    fates, _ = variant_fates(errs[0])
    kept = [n for n, f in fates.items() if f.startswith("loaded and attached ")]
    lost = re.findall(r"^lost (\d+) events", errs[0], re.M)
    if kept == ["cgroup"] and not nonlocal_bind:  # other processes' binds may add to it
        check(len(lost) == 1 and int(lost[0]) >= 1, "lost events, cgroup variant:\n" + errs[0])
    elif kept != ["cgroup"]:
        check_equal(lost, [], "lost events, variant %s:\n%s" % (kept, errs[0]))


@live_test
def errors_option_picks_a_variant_that_sees_failed_binds():
    """-E needs a failed bind's result, which the cgroup variant never sees: ecli does not try
    it for -E (-v says why), and --variant cgroup -E is refused in one line."""
    ecli = Ecli(["-v", PKG, "-E"])
    _, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr " + err)
    fates, _ = variant_fates(err)
    kept = [n for n, f in fates.items() if f.startswith("loaded and attached ")]
    check(kept and kept[0] != "cgroup", "a variant other than cgroup kept for -E:\n" + err)
    check(fates["cgroup"] in ("not tried: the options given do not need it (it is for "
                              "!report_errors)", "not tried: %s was kept" % kept[0],
                              "not tried: --variant %s" % FORCED_VARIANT),
          "what -v says of the cgroup variant with -E: %r" % fates["cgroup"])
    for args in (["-E"], ["-i=false"], ["--errors"]):
        p = subprocess.run([ECLI, "run", "--variant", "cgroup", PKG] + args, capture_output=True,
                           text=True, timeout=30)
        check_equal((p.returncode, p.stdout, p.stderr),
                    (1, "", "ecli: --variant cgroup does not serve the options given: it is for "
                     "!report_errors\n"), "--variant cgroup " + " ".join(args))


@live_test
def package_read_from_stdin():
    with open(PKG, "rb") as f:
        ecli = Ecli(["-j", "-", "-E"], stdin=f)
    try:
        expected = run_binds("bs-stdin", [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1",
                                               free_port())])
    finally:
        out, _, status = ecli.stop()
    check_equal(status, 0, "exit status")
    check_events(events_of(out, expected[0]["pid"]), expected)


@live_test
def help_is_the_tools_own():
    out, err, status = run_ecli(["run", PKG, "-h"])
    check_equal(status, 0, "exit status of -h")
    check(out.startswith("usage: bindsnoop [-h]"), "usage line: %r" % out[:60])
    for flag in ("--timestamp", "--wide", "--pid", "--port", "--ports", "--errors",
                 "--ignore-errors", "--print-uid", "--uid", "--count", "--cgroupmap",
                 "--mntnsmap", "--output"):
        check(flag in out, "help lists %s" % flag)
    check_equal(err, "", "stderr of -h")


if __name__ == "__main__":
    sys.exit(run_all("bindsnoop"))
