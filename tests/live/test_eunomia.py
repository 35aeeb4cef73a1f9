# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Live tests of real packages made by eunomia-bpf's compiler, run unchanged by ecli."""
import os
import re
import subprocess
import sys
import time

from harness import (FIXTURES, Ecli, check, check_equal, json_lines, live_test,
                     run_all, run_ecli)

BOOTSTRAP = os.path.join(FIXTURES, "bootstrap.json")
SIMPLE = os.path.join(FIXTURES, "simple_prog_3.json")
MINIMAL = os.path.join(FIXTURES, "minimal.json")
RUNQLAT = os.path.join(FIXTURES, "runqlat.json")
EVENT_TYPES = {"EVENT_TYPE__ENTER", "EVENT_TYPE__EXIT"}


def run_around(args, action):
    ecli = Ecli(args)
    try:
        result = action()
    finally:
        out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    return result, out, err


def exec_and_wait(argv):
    p = subprocess.Popen(argv)
    p.wait()
    return p.pid, p.returncode


@live_test
def bootstrap_exec_and_exit_events():
    (pid, _), out, err = run_around(["-j", BOOTSTRAP, "--min_duration_ns", "0"],
                                    lambda: exec_and_wait(["/bin/sleep", "0.2"]))
    # bootstrap's ring buffer has no lost counter: said once, as the run starts
    check_equal([l for l in err.splitlines() if "lost" in l],
                ["ecli: warning: the package has no lost-event counter (events.lost_counter): "
                 "events dropped while the ring buffer is full cannot be reported"],
                "the warning about uncounted losses")
    events = [e for e in json_lines(out) if e["pid"] == pid]
    check_equal(len(events), 2, "an exec and an exit event for pid %d" % pid)
    exec_e, exit_e = events
    check_equal({k: exec_e[k] for k in ("pid", "ppid", "exit_code", "duration_ns", "comm",
                                         "filename", "exit_event")},
                {"pid": pid, "ppid": os.getpid(), "exit_code": 0, "duration_ns": 0,
                 "comm": "sleep", "filename": "/bin/sleep", "exit_event": False}, "exec event")
    check_equal(list(exec_e.keys()), ["pid", "ppid", "exit_code", "duration_ns", "comm",
                                      "filename", "exit_event", "et"], "keys in struct order")
    check_equal({k: exit_e[k] for k in ("pid", "ppid", "exit_code", "comm", "exit_event")},
                {"pid": pid, "ppid": os.getpid(), "exit_code": 0, "comm": "sleep",
                 "exit_event": True}, "exit event")
    check(exit_e["duration_ns"] >= 200000000, "duration covers the sleep: %d" % exit_e["duration_ns"])
    check(exec_e["et"] in EVENT_TYPES and exit_e["et"] in EVENT_TYPES, "enum names: %r" % events)


@live_test
def bootstrap_exit_code_and_table():
    (pid, status), out, _ = run_around([BOOTSTRAP], lambda: exec_and_wait(["/bin/sh", "-c", "exit 3"]))
    check_equal(status, 3, "the shell's exit status")
    lines = out.splitlines()
    check_equal(lines[0].split(), ["TIME", "PID", "PPID", "EXIT_CODE", "DURATION_NS", "COMM",
                                   "FILENAME", "EXIT_EVENT", "ET"], "header")
    ours = [l.split() for l in lines[1:] if l.split()[1:2] == [str(pid)]]
    check_equal(len(ours), 2, "exec and exit rows")
    check(re.match(r"^\d\d:\d\d:\d\d$", ours[0][0]), "TIME column: %r" % ours[0][0])
    check_equal(ours[0][1:], [str(pid), str(os.getpid()), "0", "0", "sh", "/bin/sh", "false",
                              "EVENT_TYPE__ENTER"], "exec row")
    # an exit event has an empty filename, so its row has one word less
    check_equal(ours[1][1:4] + ours[1][5:7], [str(pid), str(os.getpid()), "3", "sh", "true"],
                "exit row")


@live_test
def simple_prog_3_rodata_and_bss_args():
    args = ["--const_val_1", "-11", "--const_val_2", "-9000000000", "--const_val_3", "hello rodata",
            "--bss_val_1", "33", "--bss_val_2", "9000000001", "--bss_val_3", "hello bss"]
    _, out, _ = run_around(["-j", SIMPLE] + args, lambda: exec_and_wait(["/bin/true"]))
    want = {"val_1": -11, "val_2": -9000000000, "val_3": "hello rodata", "val_4": 33,
            "val_5": 9000000001, "val_6": "hello bss"}
    events = json_lines(out)
    check(events, "an event per exec")
    for e in events:
        check_equal(e, want, "event echoes the arguments")


@live_test
def simple_prog_3_keeps_initial_values_without_args():
    _, out, _ = run_around(["-j", SIMPLE], lambda: exec_and_wait(["/bin/true"]))
    events = json_lines(out)
    check(events, "an event per exec")
    check_equal(events[0], {"val_1": 0, "val_2": 0, "val_3": "", "val_4": 0, "val_5": 0,
                            "val_6": ""}, "initial values")


@live_test
def simple_prog_3_refuses_a_string_too_long():
    out, err, status = run_ecli(["run", SIMPLE, "--const_val_3", "x" * 100])
    check_equal(status, 2, "exit status")
    check("--const_val_3: '" in err and "is longer than 99 characters" in err, "message: %r" % err)


def instances(pid):
    """ecli's tracefs instances for pid (where tracefs is mounted on the host)."""
    path = "/sys/kernel/tracing/instances"
    return [d for d in os.listdir(path) if d == "ecli-%d" % pid] if os.path.isdir(path) else []


@live_test
def minimal_shows_its_bpf_printk_lines():
    """minimal.json's program prints with bpf_printk on every write() (its pid_filter is never
    read by it): ecli shows those lines on stderr while it runs, from a tracefs instance of its
    own that is gone afterwards."""
    child = subprocess.Popen(["/bin/sh", "-c", "read go; echo one; echo two"],
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    ecli = Ecli([MINIMAL, "--pid_filter", str(child.pid)])
    try:
        child.stdin.write(b"go\n")
        child.stdin.close()
        child.wait()
        time.sleep(0.5)
    finally:
        out, err, status = ecli.stop()
    check_equal((status, out), (0, ""), "status and stdout of a package with no event type")
    lines = err.splitlines()
    check_equal(lines[:1], ["Running simple_bpf ... Hit Ctrl-C to end"], "the banner first")
    pids = [int(p) for p in re.findall(r"^sh-\d+: BPF triggered from PID (\d+)\.$", err, re.M)]
    check(pids.count(child.pid) >= 2, "the child's two writes were shown: %r" % lines[:20])
    check_equal(instances(ecli.proc.pid), [], "ecli's tracefs instance after it ended")


HIST_ROW = re.compile(r"^ {0,9}(\d+) -> (\d+) +: (\d+) +\|([* ]{40})\|$")


def histograms(text):
    """The histogram blocks of eunomia's sample output: (key line, comm line, rows)."""
    blocks = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("key = "):
            continue
        check(lines[i + 1].startswith("comm = "), "comm line after %r" % line)
        check_equal(lines[i + 2], "", "blank line before the histogram")
        check_equal(lines[i + 3], "     (unit)              : count    distribution", "header")
        rows = []
        for row in lines[i + 4:]:
            m = HIST_ROW.match(row)
            if not m:
                break
            rows.append(tuple(int(g) for g in m.groups()[:3]) + (m.group(4).count("*"),))
        blocks.append((line, lines[i + 1], rows))
    return blocks


def check_histogram(rows):
    check(rows, "histogram rows")
    top = max(r[2] for r in rows)
    for i, (low, high, count, stars) in enumerate(rows):
        check_equal((low, high), (0 if i == 0 else 1 << i, (1 << (i + 1)) - 1), "bucket %d" % i)
        check_equal(stars, count * 40 // top, "stars of bucket %d" % i)
    check(rows[-1][2] > 0, "the last row printed is the last non-empty bucket")


@live_test
def runqlat_prints_log2_histograms_every_interval():
    ecli = Ecli(["--duration", "3", RUNQLAT])
    out, err, status = ecli.stop(None, timeout=15)  # --duration ends it; its output is read
    check_equal(status, 0, "exit status")
    check("lost" not in err, "no word of losses from a package without events: %r" % err)
    blocks = histograms(out)
    check(len(blocks) >= 2, "a histogram each second: %d blocks\n%s" % (len(blocks), out))
    for key, comm, rows in blocks:
        check_equal(key, "key = 4294967295", "one system-wide key")
        check_histogram(rows)
    totals = [sum(r[2] for r in rows) for _, _, rows in blocks]
    check(totals == sorted(totals) and totals[-1] > 0, "counts accumulate: %r" % totals)


@live_test
def runqlat_per_process_and_json():
    ecli = Ecli(["-j", "--duration", "2", RUNQLAT, "--targ_per_process"])
    out, err, status = ecli.stop(None, timeout=15)  # --duration ends it; its output is read
    check("not written" not in err, "everything was written: " + err)
    check_equal(status, 0, "exit status")
    rows = json_lines(out)
    check(rows, "sample rows")
    for r in rows:
        check_equal(list(r.keys()), ["key", "comm", "unit", "buckets"], "keys")
        b = r["buckets"]
        check(0 < len(b) <= 26 and b[-1]["count"] > 0, "buckets up to the last non-empty: %r" % b)
        check_equal([(x["low"], x["high"]) for x in b],
                    [(0, 1)] + [(1 << i, (2 << i) - 1) for i in range(1, len(b))],
                    "log2 bucket bounds")
    check(len({r["key"] for r in rows}) > 1, "one key per process")


@live_test
def runqlat_help_lists_bool_and_pid_t_variables():
    out, _, status = run_ecli(["run", RUNQLAT, "-h"])
    check_equal(status, 0, "exit status")
    for opt in ("--filter_cg ", "--targ_per_process ", "--targ_per_thread ", "--targ_per_pidns ",
                "--targ_ms ", "--targ_tgid VALUE"):
        check(opt in out, "help lists %s" % opt.strip())
    check("__eunomia" not in out, "dummy variables are not options")
    out, err, status = run_ecli(["run", RUNQLAT, "--targ_tgid", "x"])
    check_equal(status, 2, "bad pid_t value")
    check("--targ_tgid: 'x' is not an integer" in err, err)


if __name__ == "__main__":
    sys.exit(run_all("eunomia"))
