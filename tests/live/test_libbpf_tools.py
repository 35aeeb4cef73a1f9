# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Third-party histogram tools as their authors wrote them (libbpf_tools.py: bcc's libbpf-tools
as Debian 12 ships them, each object packed with one ecc command and run beside the original
binary), their histograms matched against the original's in form: print_log2_hist's bounds,
counts and bars, unit lines and per-key header lines.

runqlat and cpudist: tp_btf and raw_tp alternatives (one kept, so nothing counted twice), per
process or thread with their header line; cpudist's maps sized by pid_max as its user space sizes
them. hardirqs: a table by default, histograms per irq with -d. biolatency and bitesize: disk
writes, one histogram, or one per process.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

from harness import ROOT, Ecli, check, check_equal, live_test, run_all, run_ecli
from libbpf_tools import Original, original, pack

ROW = re.compile(r"^ {0,20}(\d+) -> (\d+) +: (\d+) +\|([* +]*)\|$")


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
    writes = 0
    try:
        while time.time() < end:
            os.pwrite(fd, b"x" * 65536, 0)
            os.fsync(fd)
            writes += 1
            time.sleep(0.05)
    finally:
        os.close(fd)
        os.unlink(path)
    return writes


def hardirqs_pair(args):
    with tempfile.TemporaryDirectory() as tmp:
        pkg, _ = pack("hardirqs", tmp)
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
def hardirqs_counts_with_the_entry_hook_alone():
    """-C counts interrupts, and, as the original, loads no exit program to time them."""
    ours, theirs = hardirqs_pair(["-C"])
    check_equal(table(ours)[0], "HARDIRQ                    TOTAL_count", "the header line")
    check_equal(table(ours)[0], table(theirs)[0], "-C: the header line, against the original")
    check(table(ours)[1] and all(n > 0 for _, n in table(ours)[1]), "counts: %r" % ours)
    with tempfile.TemporaryDirectory() as tmp:
        pkg, _ = pack("hardirqs", tmp)
        out, err, status = run_ecli(["run", "-v", "--duration", "1", pkg, "-C"])
        check_equal(status, 0, "hardirqs -C; stderr: " + err)
        check(re.search(r"^variant tp_btf, count: loaded and attached 1 program", err, re.M),
              "the entry program alone: " + err)
        out, err, status = run_ecli(["run", pkg, "-C", "-d"])
        check(status != 0 and "-C and -d cannot be used together" in err,
              "-C and -d exclude each other, as in the original: %s" % err)


@live_test
def hardirqs_histograms_as_the_original():
    ours, theirs = hardirqs_pair(["-d"])
    mine, want = histograms(ours), histograms(theirs)
    check_drawn(mine, "ecli hardirqs -d")
    check_drawn(want, "the original hardirqs -d")
    check_equal(shape(mine, r"hardirq = \S.*"), shape(want, r"hardirq = \S.*"),
                "hardirqs -d: the form of each histogram, ecli against the original")


def together(tool, args, workload, seconds=3):
    """ecli and the original traced side by side for the same seconds while workload runs:
    (ecli's stdout, the original's stdout, ecc -v's stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        pkg, ecc_err = pack(tool, tmp)
        ecli = theirs = None
        try:
            ecli = Ecli(["--duration", str(seconds), pkg] + args)
            theirs = Original(tool, args + [str(seconds), "1"], "Hit Ctrl-C to end")
            workload()
            out, err, status = ecli.stop(None, timeout=20)
            t_out, t_err, t_status = theirs.stop(None, timeout=20)
        finally:  # neither left tracing after a failure
            for p in (ecli, theirs):
                if p:
                    p.kill()
    check_equal(status, 0, "ecli %s %s; stderr: %s" % (tool, args, err))
    check_equal(t_status, 0, "the original %s %s; stderr: %s" % (tool, args, t_err))
    return out, t_out, ecc_err


def check_same_form(tool, args, ours, theirs, header_form, unit):
    mine, want = histograms(ours), histograms(theirs)
    what = "%s %s" % (tool, " ".join(args))
    check_drawn(mine, "ecli " + what)
    check_drawn(want, "the original " + what)
    check_equal(shape(mine, header_form), shape(want, header_form),
                "%s: the form of each histogram, ecli against the original" % what)
    check(all(u.strip().startswith(unit + " ") for _, u, _ in mine),
          "%s: every unit line says %s: %r" % (what, unit, [u for _, u, _ in mine]))
    return mine, want


def total(blocks):
    return sum(r[2] for _, _, rows in blocks for r in rows)


@live_test
def biolatency_prints_the_originals_histogram():
    writes = []
    ours, theirs, _ = together("biolatency", [], lambda: writes.append(disk_irqs(1.5)))
    mine, want = check_same_form("biolatency", [], ours, theirs, None, "usecs")
    # each write reached the disk while both traced: both counted at least that many I/Os
    # (more: journal commits, and whatever else the machine wrote in either one's window)
    check(writes[0] >= 10 and total(mine) >= writes[0] and total(want) >= writes[0],
          "%d writes; I/Os counted: ecli %d, the original %d"
          % (writes[0], total(mine), total(want)))


@live_test
def biolatency_in_milliseconds_as_the_original():
    ours, theirs, _ = together("biolatency", ["-m"], lambda: disk_irqs(1.5))
    check_same_form("biolatency", ["-m"], ours, theirs, None, "msecs")


@live_test
def biolatency_loads_the_insert_hook_only_with_queued():
    """As biolatency's user space: block_rq_insert is loaded with -Q only (attached without
    it, it would time flushes that complete unissued, which the original never counts)."""
    with tempfile.TemporaryDirectory() as tmp:
        pkg, _ = pack("biolatency", tmp)
        for args, kept, programs in (([], "tp_btf", 2), (["-Q"], "tp_btf, queued", 3)):
            out, err, status = run_ecli(["run", "-v", "--duration", "1", pkg] + args)
            check_equal(status, 0, "biolatency %s; stderr: %s" % (args, err))
            got = re.findall(r"^variant (.+): loaded and attached (\d+) programs?$", err, re.M)
            check_equal(got, [(kept, str(programs))], "biolatency %s: the variant kept" % args)
            check(re.search(r"^variant %s: not tried: the options given do not need it"
                            % re.escape("tp_btf" if args else "tp_btf, queued"), err, re.M),
                  "biolatency %s: -v says which variant the options left out: %s" % (args, err))
    ours, theirs, _ = together("biolatency", ["-Q"], lambda: disk_irqs(1.5))
    check_same_form("biolatency", ["-Q"], ours, theirs, None, "usecs")


@live_test
def bitesize_per_process_as_the_original():
    ours, theirs, _ = together("bitesize", [], lambda: disk_irqs(1.5))
    mine, want = check_same_form("bitesize", [], ours, theirs, r"Process Name = \S.*",
                                 "Kbytes")
    names = lambda blocks: {h for h, _, _ in blocks}
    check(names(mine) & names(want),
          "a process both saw issue I/O: %r, %r" % (names(mine), names(want)))


def busy(seconds):
    """Two CPU-bound children for a while: on-CPU time and run queue waits to trace."""
    end = time.time() + seconds
    kids = [subprocess.Popen([sys.executable, "-c", "import time\nend = time.time() + %f\n"
                              "while time.time() < end: pass" % seconds]) for _ in range(3)]
    while time.time() < end:
        time.sleep(0.1)
    for k in kids:
        k.wait()


@live_test
def cpudist_prints_the_originals_histogram():
    ours, theirs, ecc_err = together("cpudist", [], lambda: busy(1.5))
    check("hook variant 2 inferred from alternative programs: raw_tp" in ecc_err,
          "cpudist's alternatives: " + ecc_err)
    check_same_form("cpudist", [], ours, theirs, None, "usecs")


@live_test
def cpudist_per_process_in_milliseconds_as_the_original():
    ours, theirs, _ = together("cpudist", ["-P", "-m"], lambda: busy(1.5))
    check_same_form("cpudist", ["-P", "-m"], ours, theirs, r"pid = \d+ \S.*", "msecs")


@live_test
def cpudist_refused_by_ecc_without_its_map_sizes():
    """cpudist's user space sizes its maps by pid_max: the object alone declares no size."""
    obj = os.path.join(ROOT, "build", "third-party", "libbpf-tools", "objects", "cpudist.bpf.o")
    p = subprocess.run([os.path.join(ROOT, "build", "ecc"), "-o", "/dev/null", obj],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode != 0, "ecc refuses it")
    check_equal(p.stderr.count("\n"), 1, "one line: %r" % p.stderr)
    check("map start declares no max_entries" in p.stderr and "map_sizes.start" in p.stderr,
          "names the map and the schema key: " + p.stderr)


if __name__ == "__main__":
    sys.exit(run_all("libbpf-tools"))
