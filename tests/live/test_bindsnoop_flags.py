# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Live tests of every bindsnoop flag from bcc and Inspektor Gadget: what is shown and what is not."""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile

from binder import Bind, BindChild, fixed_free_port, free_port, run_binds, standard_binds
from harness import (ROOT, Ecli, check, check_equal, ensure_mounted, json_lines,
                     live_test, package, run_all, run_ecli, run_ecli_watched, trace_around)

PKG = package("bindsnoop")
HEADER = "%8s %-12.12s %-4s %-15s %-5s %5s %2s"
ROW = "%8d %-12.12s %-4.4s %-15.15s %5d %-5s %2d"
WIDE_HEADER = "%10s %-12.12s %-4s %-39s %-5s %5s %2s"
WIDE_ROW = "%10d %-12.12s %-4s %-39s %5d %-5s %2d"
TITLES = ("PID", "COMM", "PROT", "ADDR", "PORT", "OPTS", "IF")
TCP, UDP, IN4, IN6 = socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.AF_INET, socket.AF_INET6


def fields(e):
    return (e["pid"], e["comm"], e["proto"], e["addr"], e["port"], e["opts"], e["if"])


def trace_children(tool_args, children, loader_args=()):
    """Starts bindsnoop, lets each child bind in turn; returns (expected per child, stdout)."""
    return trace_around(list(loader_args) + [PKG] + list(tool_args), children)


def trace(tool_args, comm, binds, uid=None, setup=None):
    expected, out = trace_children(tool_args, [BindChild(comm, binds, uid, setup)])
    return expected[0], out


def rows_of(out, comm, column):
    """Table lines whose COMM column (starting at character column) is comm."""
    return [l for l in out.splitlines() if l[column:column + 12].rstrip() == comm]


def pids_in_json(out):
    return {e["pid"] for e in json_lines(out)}


@live_test
def timestamp_column_counts_seconds_from_the_first_event():
    expected, out = trace(["-t"], "fl-time", standard_binds())
    lines = out.splitlines()
    check_equal(lines[0], "%-9s " % "TIME(s)" + HEADER % TITLES, "header")
    check(lines[1].startswith("0.000000  "), "first event at 0.000000: %r" % lines[1])
    ours = rows_of(out, "fl-time", 19)
    times = [float(l[:9]) for l in ours]
    check(times == sorted(times), "times do not go back: %r" % times)
    for line, e in zip(ours, [e for e in expected if e["ret"] == 0]):
        check(re.match(r"^\d+\.\d{6} +$", line[:10]) is not None, "%-9.6f: " + repr(line[:10]))
        check_equal(line[10:], ROW % fields(e), "row after TIME(s)")
    check_equal(len(ours), len([e for e in expected if e["ret"] == 0]), "rows")


@live_test
def wide_layout_fits_ipv6():
    binds = [Bind(IN6, TCP, "fe80::1234:5678:9abc:def0", 0, device="lo")]
    expected, out = trace(["-w", "-E"], "fl-wide", binds)
    lines = out.splitlines()
    check_equal(lines[0], "%-25s " % "RC" + WIDE_HEADER % TITLES, "header")
    ours = [l for l in out.splitlines() if " fl-wide " in l]  # a long error text shifts COMM
    e = expected[0]
    check_equal(ours, ["%-25s " % os.strerror(-e["ret"]) + WIDE_ROW % fields(e)], "row")


@live_test
def wide_errors_show_the_error_text():
    expected, out = trace(["--wide", "--errors"], "fl-wide-E", standard_binds())
    ours = rows_of(out, "fl-wide-E", 37)
    want = ["%-25s " % ("Success" if e["ret"] == 0 else os.strerror(-e["ret"])) +
            WIDE_ROW % fields(e) for e in expected]
    check_equal(ours, want, "rows")
    check(ours[-1].startswith("Address already in use    "), "EADDRINUSE text")


@live_test
def print_uid_puts_uid_first_after_time():
    binds = [Bind(IN4, UDP, "127.0.0.1", 0)]
    expected, out = trace(["-t", "-U", "-E"], "fl-uid", binds, uid=65534)
    lines = out.splitlines()
    check_equal(lines[0], "%-9s " % "TIME(s)" + "%6s " % "UID" + "%3s " % "RC" + HEADER % TITLES,
                "header")
    ours = rows_of(out, "fl-uid", 30)
    e = expected[0]
    check_equal([l[10:] for l in ours], ["%6d " % 65534 + "%3s " % 0 + ROW % fields(e)], "row")


@live_test
def pid_filter_shows_only_that_process():
    for flag in ("-p", "--pid"):
        traced = BindChild("fl-pid-yes", [Bind(IN4, TCP, "127.0.0.1", 0)])
        other = BindChild("fl-pid-no", [Bind(IN4, TCP, "127.0.0.1", 0)])
        _, out = trace_children(["-o", "json", flag, str(traced.pid)], [traced, other])
        check_equal(pids_in_json(out), {traced.pid}, "pids shown with %s" % flag)


@live_test
def port_filter_takes_a_list_of_at_least_64_ports():
    # below the ephemeral range: the port-0 binds cannot be given one of them
    wanted = [fixed_free_port(), fixed_free_port(20200)]
    ports = ",".join(str(p) for p in list(range(20000, 20098)) + wanted)  # 100 ports
    for flag in (["-P", ports], ["--ports=" + ports], ["-P=" + ports], ["--port", ports]):
        binds = [Bind(IN4, TCP, "127.0.0.1", wanted[0]), Bind(IN4, TCP, "127.0.0.1", 0),
                 Bind(IN6, UDP, "::1", wanted[1]), Bind(IN4, UDP, "127.0.0.1", 0)]
        expected, out = trace(["-o", "json"] + flag, "fl-port", binds)
        got = [(e["port"], e["proto"]) for e in json_lines(out) if e["comm"] == "fl-port"]
        check_equal(got, [(wanted[0], "TCP"), (wanted[1], "UDP")], "ports shown with %s" % flag[0])


@live_test
def uid_filter_shows_only_that_user():
    root = BindChild("fl-uid-root", [Bind(IN4, UDP, "127.0.0.1", 0)])
    nobody = BindChild("fl-uid-nobody", [Bind(IN4, UDP, "127.0.0.1", 0)], uid=65534)
    _, out = trace_children(["-o", "json", "-u", "65534"], [root, nobody])
    check_equal({(e["comm"], e["uid"]) for e in json_lines(out)}, {("fl-uid-nobody", 65534)},
                "events")


@live_test
def errors_are_hidden_unless_E_or_ignore_errors_false():
    for args, shown in ((["-E"], True), (["-i=false"], True), (["--ignore-errors=false"], True),
                        (["-i"], False), ([], False), (["-E", "-i"], False)):
        expected, out = trace(["-o", "json"] + args, "fl-errors", standard_binds())
        rets = [e["ret"] for e in json_lines(out) if e["pid"] == expected[0]["pid"]]
        want = [e["ret"] for e in expected if shown or e["ret"] == 0]
        check_equal(rets, want, "return codes shown with %s" % args)


@live_test
def count_prints_binds_per_address_and_port_at_exit():
    p1, p2 = free_port(), free_port(IN6, UDP)
    reuse = [(socket.SOL_SOCKET, socket.SO_REUSEADDR)]
    binds = [Bind(IN4, TCP, "127.0.0.1", p1, reuse) for _ in range(3)] + [Bind(IN6, UDP, "::1", p2)]
    expected, out = trace(["--count", "-P", "%d,%d" % (p1, p2)], "fl-count", binds)
    check_equal([e["ret"] for e in expected], [0, 0, 0, 0], "all binds succeed")
    check_equal(out.splitlines(), [
        "%-32s %20s     %-10s" % ("LADDR", "LPORT", "BINDS"),
        "%-32s %20s     %-10d" % ("127.0.0.1", p1, 3),
        "%-32s %20s     %-10d" % ("::1", p2, 1)], "count table, most frequent first")


@live_test
def count_as_json():
    p1 = free_port()
    binds = [Bind(IN4, UDP, "127.0.0.1", p1, [(socket.SOL_SOCKET, socket.SO_REUSEADDR)])
             for _ in range(2)]
    ecli = Ecli(["-j", PKG, "--count", "-P", str(p1)])
    try:
        run_binds("fl-count-j", binds)
    finally:
        out, _, status = ecli.stop()
    check_equal(status, 0, "exit status")
    check_equal(json_lines(out), [{"addr": "127.0.0.1", "port": p1, "ip": 4, "binds": 2}], "counts")


def cgroup2_root():
    with open("/proc/mounts") as f:
        for line in f:
            dev, path, fstype = line.split()[:3]
            if fstype == "cgroup2":
                return path
    path = tempfile.mkdtemp(prefix="ecli-cgroup2-")
    subprocess.run(["mount", "-t", "cgroup2", "none", path], check=True)
    return path


def pin_hash_map(path, value_size):
    ensure_mounted("/sys/fs/bpf", "bpf")
    if os.path.exists(path):
        os.unlink(path)
    subprocess.run(["bpftool", "map", "create", path, "type", "hash", "key", "8", "value",
                    str(value_size), "entries", "128", "name", "ecli_test_set"], check=True)


def map_put(path, key, value_size):
    hexbytes = lambda v, n: [format(b, "02x") for b in v.to_bytes(n, "little")]
    subprocess.run(["bpftool", "map", "update", "pinned", path, "key", "hex"] + hexbytes(key, 8)
                   + ["value", "hex"] + hexbytes(1, value_size), check=True)


@live_test
def cgroupmap_traces_only_cgroups_in_the_map():
    group = os.path.join(cgroup2_root(), "ecli-test-%d" % os.getpid())
    os.makedirs(group, exist_ok=True)
    pin = "/sys/fs/bpf/ecli_test_cgroups"
    try:
        pin_hash_map(pin, 8)
        map_put(pin, os.stat(group).st_ino, 8)

        def enter_group():
            with open(os.path.join(group, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))
        inside = BindChild("fl-cg-in", [Bind(IN4, TCP, "127.0.0.1", 0)], setup=enter_group)
        outside = BindChild("fl-cg-out", [Bind(IN4, TCP, "127.0.0.1", 0)])
        _, out = trace_children(["-o", "json", "--cgroupmap", pin], [inside, outside])
        check_equal({e["comm"] for e in json_lines(out)}, {"fl-cg-in"}, "traced processes")
    finally:
        os.unlink(pin)
        os.rmdir(group)


@live_test
def mntnsmap_traces_only_mount_namespaces_in_the_map():
    pin = "/sys/fs/bpf/ecli_test_mntns"
    pin_hash_map(pin, 4)
    try:
        def enter_namespace():
            libc = __import__("ctypes").CDLL(None, use_errno=True)
            if libc.unshare(0x00020000):  # CLONE_NEWNS
                raise OSError("unshare failed")
            map_put(pin, os.stat("/proc/self/ns/mnt").st_ino, 4)
        inside = BindChild("fl-ns-in", [Bind(IN4, UDP, "127.0.0.1", 0)], setup=enter_namespace)
        outside = BindChild("fl-ns-out", [Bind(IN4, UDP, "127.0.0.1", 0)])
        _, out = trace_children(["-o", "json", "--mntnsmap", pin], [inside, outside])
        check_equal({e["comm"] for e in json_lines(out)}, {"fl-ns-in"}, "traced processes")
    finally:
        os.unlink(pin)


@live_test
def custom_columns_show_only_those_in_upper_case():
    binds = [Bind(IN4, TCP, "127.0.0.1", free_port(), [(socket.SOL_SOCKET, socket.SO_REUSEPORT)])]
    expected, out = trace(["-o", "custom-columns=pid,comm,proto,addr,port,opts,if"], "fl-custom",
                          binds)
    lines = out.splitlines()
    check_equal(lines[0].split(), ["PID", "COMM", "PROTO", "ADDR", "PORT", "OPTS", "IF"], "header")
    ours = [l for l in lines[1:] if "fl-custom" in l]
    e = expected[0]
    check_equal([l.split() for l in ours],
                [[str(e["pid"]), "fl-custom", "TCP", "127.0.0.1", str(e["port"]), "....r", "0"]],
                "row")
    _, out2 = trace(["-o", "custom-columns=comm,port"], "fl-custom2", binds[:0] +
                    [Bind(IN4, UDP, "127.0.0.1", 0)])
    check_equal(out2.splitlines()[0].split(), ["COMM", "PORT"], "two columns")


@live_test
def bad_values_name_the_option_and_load_nothing():
    pin = "/sys/fs/bpf/ecli_test_array"
    ensure_mounted("/sys/fs/bpf", "bpf")
    if os.path.exists(pin):
        os.unlink(pin)
    subprocess.run(["bpftool", "map", "create", pin, "type", "array", "key", "4", "value", "8",
                    "entries", "4", "name", "ecli_test_arr"], check=True)
    cases = [
        (["-P", "70000"], "-P: '70000' is out of range 0..65535"),
        (["-P", "abc"], "-P: 'abc' is not an integer"),
        (["--ports=80,x"], "--ports: 'x' is not an integer"),
        (["-p", "x"], "-p: 'x' is not an integer"),
        (["-u", "-3"], "-u: '-3' is out of range 0..4294967295"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
        (["-Z"], "unknown option '-Z'"),
        (["--cgroupmap", "/tmp"], "--cgroupmap: '/tmp' is not a pinned BPF map"),
        (["--mntnsmap", "/sys/fs/bpf/nope"], "--mntnsmap: '/sys/fs/bpf/nope' is not a pinned BPF map"),
        (["--cgroupmap", pin], "--cgroupmap: '%s' is a map of type 2" % pin),
        (["-o", "yaml"], "-o: 'yaml' is not json, table or custom-columns"),
        (["-o", "custom-columns=pid,bogus"], "no column 'bogus'"),
    ]
    try:
        for args, message in cases:
            out, err, status, watch = run_ecli_watched(["run", PKG] + args)
            check_equal(status, 2, "exit status for %s" % args)
            check_equal(out, "", "stdout for %s" % args)
            check_equal(len(err.splitlines()), 1, "one line for %s: %r" % (args, err))
            check(message in err, "message for %s: %r" % (args, err))
            check_equal(watch.progs, set(), "programs ecli held for %s" % args)
    finally:
        os.unlink(pin)


@live_test
def help_lists_every_flag_with_help_and_default():
    out, _, status = run_ecli(["run", PKG, "-h"])
    check_equal(status, 0, "exit status")
    with open(os.path.join(ROOT, "tools", "bindsnoop", "bindsnoop.json")) as f:
        args = json.load(f)["args"]
    lines = out.splitlines()
    for a in args:
        longs = a["long"] if isinstance(a["long"], list) else [a["long"]]
        at = [i for i, l in enumerate(lines) if ("--" + longs[0]) in l and l.startswith("  -")]
        check(at, "an option line for --%s" % longs[0])
        text = " ".join(l.strip() for l in lines[at[0]:at[0] + 2])
        check(a["help"] in text, "help of --%s in %r" % (longs[0], text))
        check("(default: " in text, "default of --%s in %r" % (longs[0], text))
        if "short" in a:
            check(lines[at[0]].startswith("  -%s, " % a["short"]), "-%s listed" % a["short"])
    at = [i for i, l in enumerate(lines) if "--ignore-errors" in l][0]
    check("(default: true)" in " ".join(lines[at:at + 2]), "-i defaults to true")

if __name__ == "__main__":
    sys.exit(run_all("bindsnoop-flags"))
