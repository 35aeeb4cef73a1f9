# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Histogram maps and alternative programs, as libbpf-tools write them (tests/bpf/write_sizes):
ecc infers from the object alone that the map whose value holds `slots` is a log2 histogram
printed at exit, and that the tp_btf and raw_tp programs are alternatives; ecli prints bcc's
print_log2_hist, once per key, counting each write once whichever alternative is kept; every
--interval when asked; buckets as data with -j; a schema's unit and conditional header.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from harness import (ROOT, Ecli, check, check_equal, json_lines, live_test, run_all,
                     run_ecli_watched, check_unloaded)
from writer import PKG, Writer, expected_slots

SOURCE = os.path.join(ROOT, "tests", "bpf", "write_sizes.bpf.c")
ECC = os.path.join(ROOT, "build", "ecc")


def log2_hist(vals, unit):
    """bcc's print_log2_hist (libbpf-tools trace_helpers.c), from its documented format."""
    idx_max = max((i for i, v in enumerate(vals) if v), default=-1)
    if idx_max < 0:
        return ""
    val_max = max(vals)
    wide = idx_max > 32
    text = "%*s%-*s : count    distribution\n" % (15 if wide else 5, "", 29 if wide else 19, unit)
    stars_max = 20 if wide else 40
    for i in range(idx_max + 1):
        low, high = (1 << (i + 1)) >> 1, (1 << (i + 1)) - 1
        if low == high:
            low -= 1
        stars = min(vals[i], val_max) * stars_max // val_max if val_max else 0
        bar = "*" * stars + " " * (stars_max - stars)
        if vals[i] > val_max:
            bar = bar[:-1] + "+"
        width = 20 if wide else 10
        text += "%*d -> %-*d : %-8d |%s|\n" % (width, low, width, high, vals[i], bar)
    return text


def traced(args, fds=1, settle=0.0):
    """Runs ecli on the writer's writes; (stdout, stderr, writer's fds) after SIGINT."""
    w = Writer(fds)
    try:
        ecli = Ecli(args + ["--targ_tgid", str(w.proc.pid)])
        got = w.go()
        time.sleep(settle)
        out, err, status = ecli.stop()
    finally:
        w.close()
    check_equal(status, 0, "exit status; stderr: " + err)
    return out, err, got


@live_test
def inferred_histogram_prints_each_write_once_at_exit():
    out, err, _ = traced(["-v", PKG])
    check_equal(out, "\n" + log2_hist(expected_slots(), "(unit)"), "the histogram at exit")
    check("variant tp_btf: loaded and attached 1 program" in err or
          "variant raw_tp: loaded and attached 1 program" in err, "one alternative kept: " + err)


@live_test
def each_alternative_alone_counts_the_same():
    for variant in ("tp_btf", "raw_tp"):
        out, err, _ = traced(["--variant", variant, "-v", PKG])
        if "variant %s: loaded" % variant not in err:
            check("not tried" not in err, "%s was tried: %s" % (variant, err))
            continue  # this kernel lacks it (tp_btf needs BTF-enabled tracing)
        check_equal(out, "\n" + log2_hist(expected_slots(), "(unit)"),
                    "the histogram with --variant " + variant)


@live_test
def interval_prints_while_running_and_clears():
    w = Writer()
    try:
        ecli = Ecli(["--interval", "1", PKG, "--targ_tgid", str(w.proc.pid)])
        w.go()
        time.sleep(2.5)
        out, err, status = ecli.stop()
    finally:
        w.close()
    check_equal(status, 0, "exit status; stderr: " + err)
    hist = log2_hist(expected_slots(), "(unit)")
    check_equal(out.count(hist), 1, "the writes in one interval's histogram: %r" % out)
    check(out.endswith("\n\n") or out.endswith(hist), "what follows is empty intervals: %r" % out)
    check_equal(out.replace(hist, "").strip("\n"), "", "nothing else is printed")


@live_test
def json_gives_buckets_as_data():
    out, err, _ = traced(["-j", PKG])
    rows = json_lines(out)
    check_equal(len(rows), 1, "one row for one key: %r" % out)
    r = rows[0]
    check_equal(r["comm"], "python3", "comm")
    vals = expected_slots()
    last = max(i for i, v in enumerate(vals) if v)
    check_equal([b["count"] for b in r["buckets"]], vals[:last + 1], "bucket counts")
    check_equal((r["buckets"][0]["low"], r["buckets"][0]["high"], r["buckets"][-1]["high"]),
                (0, 1, (2 << last) - 1), "bucket bounds")


def pack_with_schema(tmp, schema):
    with open(os.path.join(tmp, "s.json"), "w") as f:
        json.dump(schema, f)
    p = subprocess.run([ECC, "-o", os.path.join(tmp, "p.json"), SOURCE,
                        os.path.join(tmp, "s.json")], capture_output=True, text=True, timeout=120)
    return p, os.path.join(tmp, "p.json")


SAMPLE = {"type": "log2_hist", "interval": 0, "clear_map": True, "header": "",
          "unit": "bytes", "overrides": [{"when": "per_fd", "header": "\nfd = {key} {comm}"}]}


@live_test
def schema_sets_unit_and_a_header_while_an_option_holds():
    with tempfile.TemporaryDirectory() as tmp:
        p, pkg = pack_with_schema(tmp, {"samples": {"hists": SAMPLE}})
        check_equal((p.returncode, p.stderr), (0, ""), "ecc with samples")
        out, err, _ = traced([pkg])
        check_equal(out, "\n" + log2_hist(expected_slots(), "bytes"), "unit from the schema")
        out, err, fds = traced([pkg, "--per_fd"], fds=2)
        want = "\n" + "".join("\nfd = %d python3\n" % fd + log2_hist(expected_slots(), "bytes")
                              for fd in sorted(fds))
        check_equal(out, want, "a histogram per descriptor, each with its header")


@live_test
def schema_header_naming_no_field_is_refused():
    with tempfile.TemporaryDirectory() as tmp:
        bad = dict(SAMPLE, overrides=[{"when": "per_fd", "header": "fd = {nope}"}])
        p, _ = pack_with_schema(tmp, {"samples": {"hists": bad}})
        check_equal(p.returncode, 2, "exit status")
        check_equal(p.stderr.splitlines()[-1:],
                    ["ecc: %s: bpf_skel.maps[0].sample.overrides[0].header: {nope} is no field "
                     "of map hists's rows" % os.path.join(tmp, "s.json")], "the one line")
        p, _ = pack_with_schema(tmp, {"samples": {"nope": SAMPLE}})
        check_equal(p.stderr.splitlines()[-1:],
                    ["ecc: samples.nope: no map of that name in the object"], "unknown map")


@live_test
def nothing_stays_loaded():
    out, err, status, watch = run_ecli_watched(["run", "--duration", "1", PKG])
    check_equal(status, 0, "exit status; stderr: " + err)
    check(watch.progs, "programs were loaded")
    check_unloaded(watch, "after --duration")


if __name__ == "__main__":
    sys.exit(run_all("histograms"))
