# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Third-party tools as their authors wrote them: bcc's libbpf-tools as Debian 12 ships them
(the libbpf-tools package, built from unmodified sources; `make` fetches it with apt-get download
into build/third-party, tests/third_party/fetch_libbpf_tools.sh). Each tool's BPF object, cut
out of its binary, is packed with one ecc command (a schema only for what the tool's user space
chooses: tests/third_party/README.md says why, per tool) and run here beside the original
binary, whose output it must match line for line in form.

runqlat: tp_btf and raw_tp alternatives (one kept, so nothing counted twice), a log2 histogram
map printed at exit as print_log2_hist prints it, per process or thread with their header line.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

from harness import ROOT, Ecli, check, check_equal, live_test, run_all, run_ecli

THIRD_PARTY = os.path.join(ROOT, "build", "third-party", "libbpf-tools")
ECC = os.path.join(ROOT, "build", "ecc")
SCHEMAS = os.path.join(ROOT, "tests", "third_party")
ROW = re.compile(r"^ {0,20}(\d+) -> (\d+) +: (\d+) +\|([* +]*)\|$")


def original(tool):
    return os.path.join(THIRD_PARTY, "root", "usr", "sbin", tool)


def pack(tool, tmp):
    obj = os.path.join(THIRD_PARTY, "objects", tool + ".bpf.o")
    if not os.path.exists(obj):
        raise AssertionError("%s is missing: run make first" % obj)
    schema = os.path.join(SCHEMAS, tool + ".json")
    out = os.path.join(tmp, tool + ".json")
    args = [ECC, "-v", "-o", out, obj] + ([schema] if os.path.exists(schema) else [])
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    check_equal(p.returncode, 0, "ecc %s; stderr: %s" % (tool, p.stderr))
    return out, p.stderr


def histograms(text):
    """[(header line or None, unit line, [(low, high, count, bar)])] as print_log2_hist draws
    them; any other non-empty line is an error."""
    blocks, header = [], None
    for line in text.splitlines():
        m = ROW.match(line)
        if m:
            check(blocks, "a row before any unit line: %r" % line)
            blocks[-1][2].append((int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)))
        elif line.endswith(": count    distribution"):
            blocks.append((header, line, []))
            header = None
        elif line and not line.startswith("Tracing "):
            check(header is None, "two lines before a histogram: %r, %r" % (header, line))
            header = line
    return blocks


def check_drawn(blocks, what):
    """Each row's bounds and bar are bcc's for its count (40 stars for the largest)."""
    for header, unit, rows in blocks:
        check(rows, "%s: a histogram with rows" % what)
        top = max(r[2] for r in rows)
        for i, (low, high, count, bar) in enumerate(rows):
            want_low = 0 if i == 0 else 1 << i
            check_equal((low, high), (want_low, (2 << i) - 1), "%s: row %d's bounds" % (what, i))
            check_equal(bar, "*" * (count * 40 // top) + " " * (40 - count * 40 // top),
                        "%s: the bar of %d of %d" % (what, count, top))
        check(rows[-1][2] > 0, "%s: rows end at the last non-empty one" % what)


def shape(blocks, header_form):
    """The form of each block: its header matched against header_form, and its unit line."""
    return sorted({(bool(h and re.fullmatch(header_form, h)) if header_form else h is None, u)
                   for h, u, _ in blocks})


def runqlat_pair(args, header_form):
    with tempfile.TemporaryDirectory() as tmp:
        pkg, _ = pack("runqlat", tmp)
        ecli = Ecli(["--duration", "2", pkg] + args)
        out, err, status = ecli.stop(None, timeout=20)
    check_equal(status, 0, "ecli runqlat %s; stderr: %s" % (args, err))
    ours = histograms(out)
    check_drawn(ours, "ecli runqlat %s" % args)
    theirs = subprocess.run([original("runqlat")] + args + ["1", "1"], capture_output=True,
                            text=True, timeout=30)
    check_equal(theirs.returncode, 0, "the original runqlat %s: %s" % (args, theirs.stderr))
    want = histograms(theirs.stdout)
    check_drawn(want, "the original runqlat %s" % args)
    check_equal(shape(ours, header_form), shape(want, header_form),
                "runqlat %s: the form of each histogram, ecli against the original" % args)
    return out


@live_test
def runqlat_keeps_one_alternative_and_says_what_ecc_inferred():
    with tempfile.TemporaryDirectory() as tmp:
        pkg, err = pack("runqlat", tmp)
        check("hook variant 1 inferred from alternative programs: tp_btf" in err and
              "hook variant 2 inferred from alternative programs: raw_tp" in err,
              "ecc -v names the alternatives: " + err)
        out, err, status = run_ecli(["run", "-v", "--duration", "1", pkg])
    check_equal(status, 0, "exit status; stderr: " + err)
    kept = re.findall(r"^variant (\S+): loaded and attached (\d+) programs?$", err, re.M)
    check_equal(len(kept), 1, "one variant attached: %r" % err)
    check_equal(kept[0][1], "3", "its three programs")


@live_test
def runqlat_prints_the_originals_histogram():
    runqlat_pair([], None)


@live_test
def runqlat_per_process_in_milliseconds_as_the_original():
    runqlat_pair(["-P", "-m"], r"pid = \d+ \S.*")


@live_test
def runqlat_per_thread_as_the_original():
    runqlat_pair(["-L"], r"tid = \d+ \S.*")


def table(text):
    """The HARDIRQ table hardirqs prints: its header and each row's form."""
    lines = [l for l in text.splitlines() if l and not l.startswith("Tracing ")]
    check(lines, "a table: %r" % text)
    rows = lines[1:]
    check(all(re.fullmatch(r"\S.{0,25} +\d{1,11}", r) and len(r) >= 38 for r in rows),
          "rows as %%-26s %%11llu: %r" % rows)
    return lines[0], [(r[:26].rstrip(), int(r[26:])) for r in rows]


def disk_irqs(seconds):
    """Writes that reach the disk (O_DIRECT, fsync) for a while: its interrupts to trace."""
    path = os.path.join(ROOT, "build", "third-party", "irq-workload")
    end = time.time() + seconds
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        while time.time() < end:
            os.pwrite(fd, b"x" * 65536, 0)
            os.fsync(fd)
            time.sleep(0.05)
    finally:
        os.close(fd)
        os.unlink(path)


def hardirqs_pair(args):
    with tempfile.TemporaryDirectory() as tmp:
        pkg, err = pack("hardirqs", tmp)
        check("inferred from alternative programs: tp_btf" in err, "alternatives: " + err)
        ecli = Ecli(["--duration", "2", pkg] + args)
        disk_irqs(1.5)
        out, err, status = ecli.stop(None, timeout=20)
    check_equal(status, 0, "ecli hardirqs %s; stderr: %s" % (args, err))
    theirs = subprocess.Popen([original("hardirqs")] + args + ["2", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    disk_irqs(1.5)
    t_out, t_err = theirs.communicate(timeout=30)
    check_equal(theirs.returncode, 0, "the original hardirqs %s: %s" % (args, t_err))
    return out, t_out


@live_test
def hardirqs_table_as_the_original():
    ours, theirs = hardirqs_pair([])
    check_equal(table(ours)[0], table(theirs)[0], "the header line, ecli against the original")
    check_equal(table(ours)[0], "HARDIRQ                    TOTAL_usecs", "the header line")
    ours, theirs = hardirqs_pair(["-N"])
    check_equal(table(ours)[0], table(theirs)[0], "-N: the header line")


@live_test
def hardirqs_histograms_as_the_original():
    ours, theirs = hardirqs_pair(["-d"])
    mine, want = histograms(ours), histograms(theirs)
    check_drawn(mine, "ecli hardirqs -d")
    check_drawn(want, "the original hardirqs -d")
    check_equal(shape(mine, r"hardirq = \S.*"), shape(want, r"hardirq = \S.*"),
                "hardirqs -d: the form of each histogram, ecli against the original")


if __name__ == "__main__":
    sys.exit(run_all("libbpf-tools"))
