# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""stdout that fails, stalls or is slow, and signals at the edges: ecli says what it could not
write, never hangs on its output, and a stop (SIGINT, SIGTERM, --duration) always ends it."""
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

from harness import (BANNER_END, ECLI, ROOT, Ecli, check, check_equal, json_lines, live_test,
                     message_of, package, record_case, run_all)

PKG = package("bindsnoop")
SHARED = os.path.join(ROOT, "build", "test-packages", "shared_programs", "package.json")
BANNER = "Tracing binds ... " + BANNER_END
WRITE_FAILED = r"^ecli: stdout: writing events failed: %s \((\d+) events not written\)$"
STALLED = r"^ecli: stopped while stdout was not read: (\d+) events not written$"
LOST_TOTAL = r"^lost (\d+) events$"
SLOW_READER_BINDS = 20000
STALL_BINDS = 20000
READY_RUNS = 100


class Binder:
    """A forked process that makes n UDP binds on 127.0.0.1 once go() is called."""

    def __init__(self, n):
        ready_r, self.ready_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.ready_w)
            if os.read(ready_r, 1) == b"g":
                for _ in range(n):
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.bind(("127.0.0.1", 0))
                    s.close()
            os._exit(0)
        os.close(ready_r)

    def go(self):
        os.write(self.ready_w, b"g")
        os.close(self.ready_w)

    def wait(self):
        _, status = os.waitpid(self.pid, 0)
        check_equal(status, 0, "binder status")

    def close(self):
        """A binder that never went ends without binding."""
        if self.ready_w is not None:
            try:
                os.close(self.ready_w)
            except OSError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


class Run:
    """ecli with stdout wherever the test says; only stderr is read here."""

    def __init__(self, args, stdout, preexec_fn=None, stdin=subprocess.DEVNULL):
        self.proc = subprocess.Popen([ECLI, "run"] + list(args), stdin=stdin,
                                     stdout=stdout, stderr=subprocess.PIPE, preexec_fn=preexec_fn)
        self.err = b""
        self.started = time.time()

    def read_stderr(self, timeout):
        ready, _, _ = select.select([self.proc.stderr], [], [], timeout)
        if ready:
            data = os.read(self.proc.stderr.fileno(), 65536)
            self.err += data
            return bool(data)
        return False

    def wait_banner(self, timeout=20):
        deadline = time.time() + timeout
        while BANNER_END.encode() not in self.err:
            if time.time() > deadline or (not self.read_stderr(0.1) and
                                          self.proc.poll() is not None):
                self.kill()
                raise AssertionError("no banner; status %s, stderr: %r"
                                     % (self.proc.returncode, self.err.decode(errors="replace")))

    def wait_exit(self, timeout):
        """(stderr lines, exit status, seconds it took) once ecli ended; fails after timeout."""
        start = time.time()
        while self.proc.poll() is None:
            if time.time() - start > timeout:
                self.kill()
                raise AssertionError("ecli still runs %.1f s later; stderr: %r"
                                     % (timeout, self.err.decode(errors="replace")))
            self.read_stderr(0.02)
        took = time.time() - start
        while self.read_stderr(0):
            pass
        return self.err.decode(errors="replace").splitlines(), self.proc.returncode, took

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def one_match(pattern, lines, what):
    found = [m for m in (re.match(pattern, line) for line in lines) if m]
    check_equal(len(found), 1, "lines matching %r (%s) in %r" % (pattern, what, lines))
    return found[0]


def failing_stdout(case, stdout, preexec_fn, error):
    """One bind of our own while stdout fails: exit 1 and one line naming the error."""
    run = Run(["-j", PKG, "-p", str(os.getpid())], stdout, preexec_fn)
    try:
        run.wait_banner()
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.close()
        lines, status, _ = run.wait_exit(10)
    finally:
        run.kill()
    record_case(case, status, message_of(lines))
    check_equal(status, 1, "exit status; stderr: %r" % lines)
    check_equal(len(lines), 2, "the banner and one line: %r" % lines)
    check_equal(lines[0], BANNER, "first stderr line")
    m = one_match(WRITE_FAILED % re.escape(error), lines, "the write error")
    check_equal(int(m.group(1)), 1, "events not written (the one bind)")


def bind_right_after_the_ready_line(case, loader_args):
    """Runs ecli READY_RUNS times; each time binds one UDP socket the moment the ready line is
    read. Returns the runs whose bind was not reported, with what ecli printed."""
    missed = []
    for run in range(READY_RUNS):
        ecli = Ecli(list(loader_args) + ["-j", PKG, "-p", str(os.getpid())])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        out, err, status = ecli.stop()
        ports = [e["port"] for e in json_lines(out) if e["pid"] == os.getpid()]
        if status != 0 or ports != [port]:
            missed.append((run, status, port, ports, err))
    record_case(case, max([m[1] for m in missed] + [0]),
                "some binds were missed" if missed else "")
    return missed


def bind_latencies(ecli, n):
    """Binds n times, one at a time with quiet between; how long each took to be printed (s)."""
    late = []
    for _ in range(n):
        time.sleep(0.05)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        start = time.monotonic()
        s.bind(("127.0.0.1", 0))
        want = b'"port":%d,' % s.getsockname()[1]
        s.close()
        while want not in ecli.out and time.monotonic() - start < 2:
            ecli._read_available(0.005)
        late.append(time.monotonic() - start)
    return late


def isolated_binds_are_printed_at_once(loader_args):
    """ecli batches its reads under load: the isolated bind must still be printed within 100 ms,
    before any storm and right after one (the batching must not outlive the load)."""
    ecli = Ecli(list(loader_args) + ["-j", PKG])
    binder = Binder(STALL_BINDS)
    try:
        before = bind_latencies(ecli, 10)
        binder.go()
        deadline = time.monotonic() + 30
        while (ecli.out.count(b'"pid":%d,' % binder.pid) < STALL_BINDS and
               time.monotonic() < deadline):
            ecli._read_available(0.05)
        binder.wait()
        after = bind_latencies(ecli, 10)
    finally:
        binder.close()
        out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr " + err)
    check(max(before) < 0.1, "isolated binds before a storm printed within 100 ms: %s"
          % ["%.1f ms" % (t * 1000) for t in before])
    check(max(after) < 0.1, "isolated binds after a storm printed within 100 ms: %s"
          % ["%.1f ms" % (t * 1000) for t in after])
    pids = [e["pid"] for e in json_lines(out)]
    check_equal((pids.count(os.getpid()), pids.count(binder.pid)), (20, STALL_BINDS),
                "binds printed: this process's isolated ones, the storm's; stderr " + err)


@live_test
def isolated_binds_are_printed_at_once_ring_buffer():
    isolated_binds_are_printed_at_once([])


@live_test
def isolated_binds_are_printed_at_once_perf_buffer():
    isolated_binds_are_printed_at_once(["--perfbuf"])


@live_test
def a_bind_right_after_the_ready_line_is_reported_every_time_ring_buffer():
    missed = bind_right_after_the_ready_line("a bind right after the ready line, ring buffer "
                                             "(100 runs: each reported)", [])
    check_equal(missed, [], "runs of %d whose bind was not reported" % READY_RUNS)


@live_test
def a_bind_right_after_the_ready_line_is_reported_every_time_perf_buffer():
    missed = bind_right_after_the_ready_line("a bind right after the ready line, perf buffer "
                                             "(100 runs: each reported)", ["--perfbuf"])
    check_equal(missed, [], "runs of %d whose bind was not reported" % READY_RUNS)


@live_test
def stdout_on_dev_full_exits_1_with_one_line():
    with open("/dev/full", "wb") as full:
        failing_stdout("stdout is /dev/full", full, None, os.strerror(28))


@live_test
def closed_stdout_exits_1_with_one_line():
    failing_stdout("stdout is closed", None, lambda: os.close(1), os.strerror(9))


@live_test
def nonblocking_pipe_with_a_late_reader_loses_nothing():
    r, w = os.pipe()
    os.set_blocking(w, False)
    binder = Binder(SLOW_READER_BINDS)
    run = Run(["-j", PKG, "-p", str(binder.pid)], w)
    os.close(w)
    out = b""
    try:
        run.wait_banner()
        binder.go()
        time.sleep(0.5)  # the reader is late: ecli's writes meet a full non-blocking pipe
        binder.wait()
        deadline = time.time() + 3
        while time.time() < deadline:
            ready, _, _ = select.select([r], [], [], 0.05)
            if ready:
                out += os.read(r, 1 << 20)
            run.read_stderr(0)
        run.proc.send_signal(signal.SIGINT)
        while True:
            ready, _, _ = select.select([r], [], [], 5)
            data = os.read(r, 1 << 20) if ready else b""
            if not data:
                break
            out += data
        lines, status, _ = run.wait_exit(5)
    finally:
        os.close(r)
        run.kill()
        binder.close()
    record_case("a non-blocking pipe read 0.5 s late (every event written or counted lost)",
                status, message_of(lines))
    check_equal(status, 0, "exit status; stderr: %r" % lines)
    check(not any("not written" in line for line in lines), "nothing unwritten: %r" % lines)
    delivered = out.count(b'"pid":%d' % binder.pid) + out.count(b'"pid": %d' % binder.pid)
    totals = [int(m.group(1)) for m in (re.match(LOST_TOTAL, x) for x in lines) if m]
    lost = totals[0] if totals else 0
    print("    %d binds: %d delivered, %d lost in the kernel" % (SLOW_READER_BINDS, delivered,
                                                                 lost))
    check_equal(delivered + lost, SLOW_READER_BINDS, "delivered %d + lost %d" % (delivered, lost))


def stalled_reader(args, stop):
    """stdout a pipe that is never read, filled by a bind storm; stop(run) ends ecli.
    Returns (stderr lines, status, seconds from the stop to the exit)."""
    r, w = os.pipe()
    binder = Binder(STALL_BINDS)
    run = Run(["-j"] + list(args) + [PKG, "-p", str(binder.pid)], w)
    os.close(w)
    try:
        run.wait_banner()
        binder.go()
        binder.wait()
        return stop(run)
    finally:
        run.kill()
        binder.close()
        os.close(r)


def check_stalled_end(case, lines, status):
    record_case(case, status, message_of(lines))
    check_equal(status, 0, "exit status; stderr: %r" % lines)
    m = one_match(STALLED, lines, "the unwritten events")
    check(int(m.group(1)) > 0, "some events were not written: %r" % lines)


@live_test
def sigint_ends_a_run_whose_reader_never_reads_within_a_second():
    def stop(run):
        time.sleep(0.3)  # ecli is now waiting for the pipe
        check(run.proc.poll() is None, "ecli still runs before the signal")
        run.proc.send_signal(signal.SIGINT)
        return run.wait_exit(1.0)

    lines, status, took = stalled_reader([], stop)
    print("    ended %.2f s after SIGINT" % took)
    check_stalled_end("a reader that never reads, then SIGINT (ends within 1 s)", lines, status)


@live_test
def sigterm_ends_a_run_whose_reader_never_reads_within_a_second():
    def stop(run):
        time.sleep(0.3)
        run.proc.send_signal(signal.SIGTERM)
        return run.wait_exit(1.0)

    lines, status, _ = stalled_reader([], stop)
    check_stalled_end("a reader that never reads, then SIGTERM (ends within 1 s)", lines, status)


@live_test
def duration_ends_a_run_whose_reader_never_reads():
    def stop(run):
        return run.wait_exit(2.5)

    lines, status, _ = stalled_reader(["--duration", "1"], stop)
    check_stalled_end("a reader that never reads, then --duration 1 ends", lines, status)


@live_test
def sigint_ends_a_run_whose_reader_crawls_within_a_second():
    """A reader that still reads, 4 KiB every 50 ms, cannot hold a stopped run either."""
    r, w = os.pipe()
    binder = Binder(STALL_BINDS)
    run = Run(["-j", PKG, "-p", str(binder.pid)], w)
    os.close(w)
    try:
        run.wait_banner()
        binder.go()
        binder.wait()
        for _ in range(6):
            os.read(r, 4096)
            time.sleep(0.05)
        run.proc.send_signal(signal.SIGINT)
        start = time.time()
        while run.proc.poll() is None and time.time() - start < 1.0:
            time.sleep(0.05)
            ready, _, _ = select.select([r], [], [], 0)
            if ready:
                os.read(r, 4096)
            run.read_stderr(0)
        lines, status, _ = run.wait_exit(max(0.05, 1.0 - (time.time() - start)))
    finally:
        run.kill()
        binder.close()
        os.close(r)
    check_stalled_end("a reader that crawls, then SIGINT (ends within 1 s)", lines, status)


def catches_stop_signals(pid):
    """Whether the process handles SIGINT and SIGTERM itself (/proc/PID/status SigCgt)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            caught = int(re.search(r"^SigCgt:\s*([0-9a-f]+)$", f.read(), re.M).group(1), 16)
    except (OSError, AttributeError):
        return False
    want = (1 << (signal.SIGINT - 1)) | (1 << (signal.SIGTERM - 1))
    return caught & want == want


def wait_for_handlers(run, timeout=5):
    """Returns once ecli's handlers exist: the first thing its main() does. Before main (the
    dynamic loader, a few milliseconds) no program can handle a signal."""
    deadline = time.time() + timeout
    while not catches_stop_signals(run.proc.pid):
        if time.time() > deadline or run.proc.poll() is not None:
            run.kill()
            raise AssertionError("ecli never handled SIGINT and SIGTERM; status %s"
                                 % run.proc.returncode)
        time.sleep(0.0002)


@live_test
def a_signal_while_the_package_is_read_is_a_clean_exit():
    """The package comes from a pipe that is never written: ecli waits in the read, with its
    handlers already installed, and a SIGINT ends it with status 0 and nothing said."""
    run = Run(["-"], subprocess.DEVNULL, stdin=subprocess.PIPE)
    try:
        wait_for_handlers(run)
        time.sleep(0.2)  # now blocked reading stdin
        check(run.proc.poll() is None, "ecli waits for its package")
        run.proc.send_signal(signal.SIGINT)
        lines, status, _ = run.wait_exit(1.0)
    finally:
        run.kill()
        run.proc.stdin.close()
    record_case("SIGINT while the package is read (handlers from main's first statement)", status,
                message_of(lines))
    check_equal((status, lines), (0, []), "exit status and stderr")


@live_test
def a_signal_while_many_variants_fail_ends_the_loading_at_once():
    """2,000 variants that fail on any kernel (the test package's on_missing hooks a tracepoint
    no kernel has) before one that works: a SIGINT during that loop ends it within a second,
    status 0, no banner."""
    with open(SHARED) as f:
        pkg = json.load(f)
    broken, works = pkg["meta"]["hook_variants"]
    pkg["meta"]["hook_variants"] = [dict(broken, name="broken-%d" % i) for i in range(2000)] + \
        [works]
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(pkg, f)
        f.flush()
        run = Run([f.name], subprocess.DEVNULL)
        try:
            wait_for_handlers(run)
            time.sleep(1.0)  # well into the variants
            check(run.proc.poll() is None, "ecli still tries variants after 1 s")
            run.proc.send_signal(signal.SIGINT)
            lines, status, took = run.wait_exit(1.0)
        finally:
            run.kill()
    print("    ended %.2f s after SIGINT" % took)
    record_case("SIGINT while 2,000 variants fail to load (ends within 1 s)", status,
                message_of(lines))
    check_equal((status, lines), (0, []), "exit status and stderr")


@live_test
def a_signal_at_the_first_instant_is_a_clean_exit():
    """SIGINT or SIGTERM sent as soon as main() installed its handlers, then a little later
    each time (package read, loading, start of tracing): status 0, never death by the signal,
    and nothing on stderr but the banner."""
    results = []
    for i in range(40):
        sig = signal.SIGINT if i % 2 == 0 else signal.SIGTERM
        delay = (i // 2) * 0.004
        run = Run(["-j", PKG], subprocess.DEVNULL)
        try:
            wait_for_handlers(run)
            if delay:
                time.sleep(delay)
            run.proc.send_signal(sig)
            lines, status, _ = run.wait_exit(10)
        finally:
            run.kill()
        results.append((sig, delay, status, lines))
    bad = [r for r in results if r[2] != 0]
    record_case("SIGINT or SIGTERM from the first instant on (40 runs)",
                max(r[2] for r in results), message_of([l for r in results for l in r[3]]))
    check_equal(bad, [], "runs that did not end with status 0 (signal, delay, status, stderr)")
    for _, _, _, lines in results:
        check(all(line == BANNER for line in lines), "only the banner, if anything: %r" % lines)
    print("    %d of %d stopped before tracing began" % (
        sum(1 for r in results if not r[3]), len(results)))


if __name__ == "__main__":
    sys.exit(run_all("output"))
