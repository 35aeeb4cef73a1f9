# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""ecli run --metrics HOST:PORT: Prometheus's text format at /metrics while a tool runs, read
with an HTTP client and scraped by a real Prometheus (Debian's, unpacked by make into
build/third-party/prometheus, started on 127.0.0.1 by the test).

bindsnoop declares bindsnoop_binds_total{addr, port, proto}; ecli adds ecli_events_total,
ecli_lost_events_total, each program's runs and run time (the kernel's BPF statistics) and
ecli_metrics_series_dropped_total (the cap on series). Gauges and counters of a field's values
come from tests/bpf/cgroup_binds, a histogram map (as Prometheus histograms) from
tests/bpf/write_sizes."""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from acceptor import AcceptChild
from binder import Bind, BindChild, free_port
from harness import ROOT, Ecli, check, check_equal, live_test, loaded_ids, package, run_all
from harness import run_ecli_watched
from writer import PKG as SIZES, Writer, expected_slots

PKG = package("bindsnoop")
PROMETHEUS = os.path.join(ROOT, "build", "third-party", "prometheus", "root", "usr", "bin",
                          "prometheus")
PROMTOOL = os.path.join(os.path.dirname(PROMETHEUS), "promtool")
_pages = []  # every page scrape() read, the last one last
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$')


def get(url, method="GET"):
    """(status, headers, body) of one request."""
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def scrape(port):
    """{(name, labels text): value} from /metrics; every line a comment or a sample."""
    status, headers, body = get("http://127.0.0.1:%d/metrics" % port)
    check_equal(status, 200, "GET /metrics")
    check(headers.get("Content-Type", "").startswith("text/plain; version=0.0.4"),
          "the text format's content type: %r" % headers)
    _pages.append(body)
    samples = {}
    for line in body.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        m = SAMPLE.match(line)
        check(m is not None, "a sample line: %r" % line)
        samples[(m.group(1), m.group(2) or "")] = float(m.group(3))
    return samples


def series(samples, name):
    return {labels: v for (n, labels), v in samples.items() if n == name}


def scraped(args, action):
    """ecli run --metrics 127.0.0.1:PORT ARGS while action() makes events: (/metrics once they
    arrived, what action returned, ecli's stdout, stderr, exit status)."""
    port = free_port()
    ecli = Ecli(["--metrics", "127.0.0.1:%d" % port] + list(args))
    try:
        result = action()
        time.sleep(0.3)
        samples = scrape(port)
    finally:
        out, err, status = ecli.stop()
    return samples, result, out, err, status


def bind_labels(addr, port, proto):
    return '{addr="%s",port="%d",proto="%s"}' % (addr, port, proto)


@live_test
def a_bind_is_counted_beside_ecli_own_metrics():
    """A bind appears as bindsnoop_binds_total{addr, port, proto} 1, beside ecli's counters
    and each loaded program's runs (the kernel's BPF statistics, on while ecli runs)."""
    child = BindChild("mt-bind", [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", 0)])
    samples, expected, out, err, status = scraped(["-v", "-j", PKG], child.go)
    check_equal(status, 0, "exit status; stderr " + err)
    bound = expected[0]["port"]
    binds = series(samples, "bindsnoop_binds_total")
    check_equal(binds.get(bind_labels("127.0.0.1", bound, "TCP")), 1.0,
                "the child's bind in %r" % binds)
    check(samples[("ecli_events_total", "")] >= 1, "ecli_events_total: %r" % samples)
    check_equal(samples[("ecli_lost_events_total", "")], 0.0, "ecli_lost_events_total")
    check_equal(samples[("ecli_metrics_series_dropped_total", "")], 0.0, "series dropped")
    (loaded,) = loaded_ids(err).values()
    runs = series(samples, "ecli_bpf_program_runs_total")
    check_equal(sorted(runs), sorted('{program="%s"}' % p for p in loaded),
                "a runs counter for each program loaded")
    check(sum(runs.values()) >= 1, "the programs ran: %r" % runs)
    check(sum(series(samples, "ecli_bpf_program_run_seconds_total").values()) > 0,
          "their run time is counted (BPF statistics on): %r" % samples)
    check(any(e.get("port") == bound for e in map(json.loads, out.splitlines())),
          "the event is printed as well")


@live_test
def no_events_counts_without_printing():
    child = BindChild("mt-quiet", [Bind(socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1", 0)])
    samples, expected, out, _, status = scraped(["--no-events", PKG], child.go)
    check_equal((status, out), (0, ""), "exit status and stdout (no header, no rows)")
    check_equal(series(samples, "bindsnoop_binds_total").get(
        bind_labels("127.0.0.1", expected[0]["port"], "UDP")), 1.0, "the child's bind")


@live_test
def series_past_the_cap_are_dropped_and_counted():
    """Five binds on five ports of one process (-p): two series kept, three dropped."""
    child = BindChild("mt-cap", [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", 0)
                                 for _ in range(5)])
    samples, _, out, err, status = scraped(["--metrics-max-series", "2", "-j", PKG, "-p",
                                            str(child.pid)], child.go)
    check_equal(status, 0, "exit status; stderr " + err)
    check_equal(len(out.splitlines()), 5, "every bind printed")
    check_equal(len(series(samples, "bindsnoop_binds_total")), 2, "series kept")
    check_equal(samples[("ecli_metrics_series_dropped_total", "")], 3.0, "series dropped")


@live_test
def only_get_and_head_of_metrics_are_answered():
    port = free_port()
    ecli = Ecli(["--metrics", "127.0.0.1:%d" % port, PKG])
    try:
        idle = socket.create_connection(("127.0.0.1", port))  # says nothing: blocks no one
        answers = [get("http://127.0.0.1:%d%s" % (port, path), method)[::2]
                   for path, method in (("/", "GET"), ("/metrics", "POST"),
                                        ("/metrics", "HEAD"), ("/metrics?x=1", "GET"))]
        idle.close()
    finally:
        _, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr " + err)
    check_equal([a[0] for a in answers], [404, 405, 200, 200], "statuses")
    check_equal(answers[2][1], "", "HEAD: no body")
    check("ecli_events_total" in answers[3][1], "a query string is ignored")


@live_test
def bad_metrics_options_are_one_line_errors():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    busy = taken.getsockname()[1]
    cases = [
        (["--metrics", "9100"], "ecli: --metrics: '9100' is not HOST:PORT"),
        (["--metrics", "127.0.0.1:0"], "ecli: --metrics: '127.0.0.1:0': the port must be 1-65535"),
        (["--metrics", "127.0.0.1:http"],
         "ecli: --metrics: '127.0.0.1:http': the port must be 1-65535"),
        (["--metrics", "127.0.0.1:%d" % busy],
         "ecli: --metrics: cannot listen on 127.0.0.1:%d: Address already in use" % busy),
        (["--metrics", "127.0.0.1:%d" % busy, "--metrics-max-series", "0"],
         "ecli: --metrics-max-series: give at least 1"),
        (["--no-events"],
         "ecli: --no-events: give --metrics HOST:PORT too (it only changes what --metrics does)"),
        (["--metrics-max-series", "5"], "ecli: --metrics-max-series: give --metrics HOST:PORT "
         "too (it only changes what --metrics does)"),
    ]
    try:
        for args, message in cases:
            out, err, status, watch = run_ecli_watched(["run"] + args + [PKG])
            check_equal((status, out, err.strip()), (2, "", message), "ecli run %s" % args)
            check_equal(watch.progs, set(), "programs loaded for %s" % args)
    finally:
        taken.close()


def tool_metrics(tool, action):
    """/metrics while the tool runs and action() makes its events, after they arrived."""
    samples, result, _, err, status = scraped(["--no-events", package(tool)], action)
    check_equal(status, 0, "%s: exit status; stderr %s" % (tool, err))
    return samples, result


@live_test
def each_tool_counts_its_events_by_what_a_dashboard_wants():
    """tcpaccept: accepts per process, local address and port; opensnoop: opens per process
    and errno; execsnoop: execs per program name and result."""
    child = AcceptChild("mt-accept", [(socket.AF_INET, "127.0.0.1")])
    samples, (accepted,) = tool_metrics("tcpaccept", lambda: child.go())
    check_equal(series(samples, "tcpaccept_accepts_total").get(
        '{comm="mt-accept",laddr="127.0.0.1",lport="%d"}' % accepted["lport"]), 1.0,
        "tcpaccept: the child's accept in %r" % samples)
    code = "open('/proc/self/comm', 'w').write('mt-open')\ntry:\n    open('/nonexistent/mt')\n" \
           "except OSError:\n    pass\n"
    samples, _ = tool_metrics("opensnoop", lambda: subprocess.run([sys.executable, "-S", "-c",
                                                                   code], check=True))
    check(series(samples, "opensnoop_opens_total").get('{comm="mt-open",err="2"}', 0) >= 1,
          "opensnoop: the child's failed open (ENOENT): %r" % samples)
    samples, _ = tool_metrics("execsnoop", lambda: subprocess.run(
        ["/bin/sh", "-c", "exec /bin/true; exit 1"], check=True))
    check(series(samples, "execsnoop_execs_total").get('{comm="true",ret="0"}', 0) >= 1,
          "execsnoop: the exec of true: %r" % samples)


PROMETHEUS_CONFIG = """
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: ecli
    static_configs:
      - targets: ['127.0.0.1:%d']
"""


def query(port, expr):
    url = "http://127.0.0.1:%d/api/v1/query?query=%s" % (port, urllib.parse.quote(expr))
    status, _, body = get(url)
    check_equal(status, 200, "Prometheus query %s: %s" % (expr, body))
    return json.loads(body)["data"]["result"]


@live_test
def a_histogram_map_is_a_prometheus_histogram():
    """ecc serves write_sizes' histogram map (inferred from the object alone) as
    write_sizes_hists, its buckets cumulative at each bucket's high bound, as the map holds them
    while the tool runs."""
    w = Writer()
    try:
        samples, _, out, err, status = scraped([SIZES, "--targ_tgid", str(w.proc.pid)], w.go)
    finally:
        w.close()
    check_equal(status, 0, "exit status; stderr: " + err)
    buckets = series(samples, "write_sizes_hists_bucket")
    slots = expected_slots()
    total = sum(slots)
    # labelled by the row's fields but slots: the key (-1: not per fd) and the comm
    row = 'key="4294967295",comm="python3"'
    want = {'{%s,le="+Inf"}' % row: total}
    for labels in set(buckets) - set(want):
        le = re.fullmatch(r'\{%s,le="(\d+)"\}' % row, labels)
        check(le is not None, "a bucket of the one key: %r" % labels)
        # bucket i holds 2^i .. 2^(i+1) - 1 (0 and 1 in bucket 0), as bcc draws it
        want[labels] = sum(c for i, c in enumerate(slots) if (1 << (i + 1)) - 1 <= int(le.group(1)))
    check(len(buckets) >= len(slots), "a bucket per slot: %r" % buckets)
    check_equal(buckets, want, "the cumulative buckets (the writes: %r)" % slots)
    check_equal(series(samples, "write_sizes_hists_count"), {"{%s}" % row: total},
                "the count")
    p = subprocess.run([PROMTOOL, "check", "metrics"], input=_pages[-1], capture_output=True,
                       text=True, timeout=60)
    check_equal((p.returncode, p.stdout + p.stderr), (0, ""),
                "Debian's promtool check metrics on the page")


@live_test
def a_gauge_holds_the_last_value_and_a_counter_adds_values_up():
    """tests/bpf/cgroup_binds declares cgroup_binds_last_port (a gauge of the port field) and
    cgroup_binds_ports_total (a counter adding it), by hook; a child binds two ports."""
    pkg = os.path.join(ROOT, "build", "test-packages", "cgroup_binds", "package.json")
    ports = [free_port(), free_port()]
    child = BindChild("two-binds", [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", p)
                                    for p in ports])
    samples, _, out, err, status = scraped([pkg, "-p", str(child.pid)], child.go)
    check_equal(status, 0, "exit status; stderr: " + err)
    hooks = ['{hook="HOOK_BIND4"}', '{hook="HOOK_POST_BIND4"}']
    check_equal(series(samples, "cgroup_binds_last_port"), {h: ports[1] for h in hooks},
                "the gauge: the last port")
    check_equal(series(samples, "cgroup_binds_ports_total"), {h: sum(ports) for h in hooks},
                "the counter: the ports added up")


@live_test
def prometheus_scrapes_a_bind():
    """Debian's Prometheus scrapes ecli every second; its API gives the bind's counter and
    ecli's own."""
    check(os.path.exists(PROMETHEUS), "%s is missing: run make first" % PROMETHEUS)
    port, web = free_port(), free_port()
    child = BindChild("mt-prom", [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", 0)])
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "prometheus.yml")
        with open(config, "w") as f:
            f.write(PROMETHEUS_CONFIG % port)
        ecli = Ecli(["--metrics", "127.0.0.1:%d" % port, "--no-events", PKG])
        prom = subprocess.Popen([PROMETHEUS, "--config.file=" + config,
                                 "--storage.tsdb.path=" + os.path.join(tmp, "data"),
                                 "--web.listen-address=127.0.0.1:%d" % web],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            (expected,) = [child.go()]
            bound = expected[0]["port"]
            expr = 'bindsnoop_binds_total{port="%d",proto="TCP",addr="127.0.0.1"}' % bound
            deadline, result = time.time() + 60, []
            while time.time() < deadline and not result:
                time.sleep(1)
                try:
                    result = query(web, expr)
                except (AssertionError, OSError):
                    result = []  # not up yet
            check_equal([r["value"][1] for r in result], ["1"], "the bind, as Prometheus has it")
            check(query(web, "ecli_events_total") and query(web, "ecli_lost_events_total"),
                  "ecli's own counters, as Prometheus has them")
            check_equal([r["value"][1] for r in query(web, 'up{job="ecli"}')], ["1"],
                        "the scrape target is up")
        finally:
            prom.terminate()
            try:
                prom.wait(timeout=20)
            except subprocess.TimeoutExpired:
                prom.kill()
            _, err, status = ecli.stop()
        check_equal(status, 0, "ecli's exit status; stderr " + err)


if __name__ == "__main__":
    sys.exit(run_all("metrics"))
