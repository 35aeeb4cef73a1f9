# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Bad packages, lost events, a reader that goes away, valgrind: ecli never crashes, hangs, leaves
programs loaded, or loses events without saying how many."""
import base64
import copy
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

from binder import Bind, BindChild, free_port
from harness import (ECLI, ROOT, BpfWatch, Ecli, bpf_fds, check, check_equal, check_unloaded,
                     live_test, loaded_ids, message_of, package, program_names, record_case,
                     run_all, run_ecli, run_ecli_watched, stderr_lines, still_loaded)

PKG = package("bindsnoop")
TEST_PACKAGES = os.path.join(ROOT, "build", "test-packages")
SHARED = os.path.join(TEST_PACKAGES, "shared_programs", "package.json")
REJECT = os.path.join(TEST_PACKAGES, "verifier_reject", "package.json")
STORM_BINDS = 300000


def load_package():
    with open(PKG) as f:
        return json.load(f)


def object_bytes(pkg):
    return zlib.decompress(base64.b64decode(pkg["bpf_object"]))


def with_object(pkg, data, declared=None):
    pkg = copy.deepcopy(pkg)
    pkg["bpf_object"] = base64.b64encode(zlib.compress(data)).decode()
    pkg["bpf_object_size"] = len(data) if declared is None else declared
    return pkg


def zero_bomb(gigabytes):
    """A small zlib stream that inflates to gigabytes of zeros."""
    z = zlib.compressobj(9)
    chunk = bytes(1 << 24)
    parts = [z.compress(chunk) for _ in range(gigabytes * 64)]
    return b"".join(parts) + z.flush()


def mutate(pkg, path, value):
    pkg = copy.deepcopy(pkg)
    node = pkg
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return pkg


def bad_packages():
    """(name, file contents, expected status, text the one-line message must contain)."""
    pkg = load_package()
    obj = object_bytes(pkg)
    bomb = base64.b64encode(zero_bomb(2)).decode()
    as_text = lambda p: json.dumps(p).encode()
    yield "empty file", b"", 2, "package: empty input"
    yield "not JSON", b"this is not json", 2, "package: not valid JSON"
    yield "JSON that is not an object", b"[1, 2, 3]", 2, "top level is not a JSON object"
    text = as_text(pkg)
    yield "text after the document", text + b" x", 2, \
        "package: more after the JSON document (at byte %d)" % (len(text) + 1)
    yield "a second document", text + b"\n" + text, 2, "package: more after the JSON document"
    yield "a NUL after the document", text + b"\0", 2, "package: a NUL byte at byte %d" % len(text)
    yield "a NUL escaped in a string", text.replace(b'"bindsnoop"', b'"binds\\u0000noop"', 1), 2, \
        "package: a NUL byte at byte"
    yield "a key given twice", b'{"meta": {}, ' + text[1:], 2, \
        'package: (top level): key "meta" is given twice'
    yield "a key given twice, nested", text.replace(b'"tool": {', b'"tool": {"name": "x", ', 1), 2, \
        'package: meta.tool: key "name" is given twice'
    yield "missing meta", as_text(mutate(pkg, ["meta"], KeyError)), 2, 'missing key "meta"'
    yield "missing bpf_object", as_text(mutate(pkg, ["bpf_object"], KeyError)), 2, \
        'missing key "bpf_object"'
    yield "bpf_object not a string", as_text(mutate(pkg, ["bpf_object"], 7)), 2, \
        '"bpf_object" is not a string'
    yield "size not a number", as_text(mutate(pkg, ["bpf_object_size"], "big")), 2, \
        '"bpf_object_size" is not a number'
    yield "meta not an object", as_text(mutate(pkg, ["meta"], [])), 2, '"meta" is not an object'
    yield "args not an array", as_text(mutate(pkg, ["meta", "args"], {})), 2, \
        'args: is not an array'
    yield "bad base64", as_text(mutate(pkg, ["bpf_object"], "abc$def")), 2, \
        "invalid base64 at character 3"
    yield "corrupt zlib", as_text(mutate(pkg, ["bpf_object"],
                                         base64.b64encode(b"x\x9c" + b"\xff" * 64).decode())), 2, \
        "corrupt zlib data"
    yield "size does not match", as_text(with_object(pkg, obj, len(obj) + 1)), 2, \
        "inflates to %d bytes but bpf_object_size says %d" % (len(obj), len(obj) + 1)
    yield "decompression bomb", as_text(mutate(mutate(pkg, ["bpf_object"], bomb),
                                               ["bpf_object_size"], 4096)), 2, \
        "inflates past its declared bpf_object_size 4096"
    yield "bomb declaring a large size", as_text(mutate(mutate(pkg, ["bpf_object"], bomb),
                                                        ["bpf_object_size"], 60 << 20)), 2, \
        "inflates past its declared bpf_object_size %d" % (60 << 20)
    yield "declared size over the cap", as_text(mutate(pkg, ["bpf_object_size"], 1 << 40)), 2, \
        "is over the 64 MiB cap"
    yield "not ELF", as_text(with_object(pkg, b"hello world " * 20)), 2, "not an ELF object"
    yield "truncated ELF", as_text(with_object(pkg, obj[:3000])), 2, \
        "bpf_object: ELF section header table (offset %d, " % struct.unpack_from("<Q", obj, 0x28)
    yield "event type missing from BTF", as_text(mutate(pkg, ["meta", "events", "type"], "nope")), \
        2, 'events.type: the BPF object has no struct "nope"'
    yield "arg naming a missing variable", as_text(mutate(pkg, ["meta", "args", 2, "var"],
                                                          "no_such_var")), 2, \
        'the BPF object has no variable "no_such_var"'
    yield "variant naming a missing program", as_text(mutate(
        pkg, ["meta", "hook_variants", 0, "programs"], ["no_such_prog"])), 2, \
        'has no program "no_such_prog"'
    yield "variant naming a program twice", as_text(mutate(
        pkg, ["meta", "hook_variants", 2, "programs"], ["sys_exit_bind", "sys_exit_bind"])), 2, \
        'hook_variants[2].programs[1]: "sys_exit_bind" is listed twice'
    with open(REJECT, "rb") as f:  # its program is rejected by every verifier
        yield "program that fails to load", f.read(), 1, \
            "unchecked: load failed: prog 'read_unchecked': verifier: "
    with open(SHARED) as f:  # on_missing hooks a tracepoint no kernel has
        shared = json.load(f)
    yield "program that fails to attach", as_text(mutate(shared, ["meta", "hook_variants"],
                                                         shared["meta"]["hook_variants"][:1])), 1, \
        "broken: attach failed: prog 'on_missing'"


# docs/robustness.md's table shows these (the rest are in its "Bad packages" paragraph).
RECORDED_CASES = {"text after the document", "a second document", "a NUL after the document",
                  "a NUL escaped in a string", "a key given twice", "a key given twice, nested"}


@live_test
def bad_packages_get_one_line_and_load_nothing():
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, data, want_status, message in bad_packages():
            path = os.path.join(tmp, "package.json")
            with open(path, "wb") as f:
                f.write(data)
            start = time.time()
            out, err, status, watch = run_ecli_watched(["run", path], timeout=30)
            check(time.time() - start < 10, "%s: answered within 10 s" % name)
            if name in RECORDED_CASES:
                record_case("package: " + name, status, err.rstrip("\n"))
            check_equal(status, want_status, "%s: exit status (stderr %r)" % (name, err))
            check_equal(out, "", "%s: stdout" % name)
            check_equal(len(err.splitlines()), 1, "%s: one line: %r" % (name, err))
            check(err.startswith("ecli: ") and message in err, "%s: message %r" % (name, err))
            if want_status == 2:  # refused before loading: ecli never held a program
                check_equal(watch.progs, set(), "%s: programs ecli held" % name)
            check(watch.polls > 0, "%s: ecli's fds were looked at" % name)
            check_unloaded(watch, name)
            count += 1
    check_equal(count, 29, "bad inputs tried")


@live_test
def bad_package_on_stdin():
    out, err, status = run_ecli(["run", "-"], stdin_data=b"{}")
    check_equal((status, out), (2, ""), "status and stdout")
    check_equal(err, 'ecli: package: missing key "meta"\n', "stderr")


@live_test
def a_half_attached_variant_is_detached_before_the_next():
    """A variant whose first program attaches and a later one fails must leave nothing behind:
    the test package's on_missing hooks a tracepoint no kernel has."""
    with open(SHARED) as f:
        pkg = json.load(f)
    pkg["meta"]["hook_variants"] = [{"name": "half", "programs": ["on_getppid", "on_missing"]},
                                    {"name": "sid-only", "programs": ["on_getsid"]}]
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(pkg, f)
        f.flush()
        ecli = Ecli(["-v", f.name])
        watch = BpfWatch(ecli.proc.pid)  # from the ready line on: after every failed variant
        try:
            held, _ = bpf_fds(ecli.proc.pid)
            new = program_names(held)
            half = loaded_ids(ecli.err.decode(errors="replace")).get("half", {})
            half_left = still_loaded("prog", half.values())
        finally:
            _, err, status = ecli.stop()
            watch.stop()
    check_unloaded(watch, "after exit")
    check("variant half: attach failed: prog 'on_missing'" in err and
          "variant sid-only: loaded and attached 2 programs" in err,
          "the first variant failed after attaching, the second was kept:\n" + err)
    check_equal(sorted(half), ["on_getpgid", "on_getppid", "on_missing"],
                "-v names what the failed variant loaded")
    check_equal(half_left, [], "the failed variant's programs, while the next one runs")
    check_equal(sorted(new.values()), ["on_getpgid", "on_getsid"], "programs loaded while running")
    check_equal(status, 0, "exit status")


def run_storm(loader_args):
    """Binds STORM_BINDS times while ecli's stdout is not read, so its buffers overflow."""
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_w)
        os.read(ready_r, 1)
        for _ in range(STORM_BINDS):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.1", 0))
            s.close()
        os._exit(0)
    os.close(ready_r)
    ecli = Ecli(list(loader_args) + ["-j", PKG, "-p", str(pid)])
    os.write(ready_w, b"g")
    os.close(ready_w)
    _, status = os.waitpid(pid, 0)
    check_equal(status, 0, "storm child status")
    ecli.drain(1.5)  # a reader at last: ecli catches up and reports what it lost meanwhile
    out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    delivered = sum(1 for line in out.splitlines() if json.loads(line)["pid"] == pid)
    totals = re.findall(r"^lost (\d+) events$", err, re.M)
    check_equal(len(totals), 1, "one final 'lost N events' line in %r" % err)
    lost = int(totals[0])
    print("    %d binds: %d delivered, %d reported lost (%s)" % (STORM_BINDS, delivered, lost,
                                                            " ".join(loader_args)))
    return delivered, lost, err


@live_test
def storm_with_a_small_ring_buffer_accounts_for_every_bind():
    delivered, lost, err = run_storm(["--ringbuf-size", "4096"])
    check(lost > 0, "a 4 KiB ring buffer loses events in a storm")
    check_equal(delivered + lost, STORM_BINDS, "delivered %d + lost %d" % (delivered, lost))
    check(re.search(r"^lost \d+ events \(\d+ in total\)$", err, re.M), "a periodic report: %r" % err)


@live_test
def storm_through_the_perf_buffer_accounts_for_every_bind():
    delivered, lost, _ = run_storm(["--perfbuf"])
    check(lost > 0, "the perf buffer loses events while stdout is not read")
    check_equal(delivered + lost, STORM_BINDS, "delivered %d + lost %d" % (delivered, lost))


@live_test
def reader_going_away_ends_ecli_quietly():
    ecli = subprocess.Popen([ECLI, "run", "-j", PKG], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watch = BpfWatch(ecli.pid)
    head = subprocess.Popen(["head", "-n", "1"], stdin=ecli.stdout, stdout=subprocess.PIPE)
    ecli.stdout.close()  # head holds the only read end now
    deadline = time.time() + 20
    while ecli.poll() is None and time.time() < deadline:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.close()
        time.sleep(0.01)
    watch.stop()
    if ecli.poll() is None:
        ecli.kill()
        raise AssertionError("ecli still runs after head exited")
    first = head.communicate()[0].decode()
    err = ecli.stderr.read().decode()
    record_case("the reader goes away (EPIPE: head -n 1 exits)", ecli.returncode,
                message_of(err.splitlines()))
    check_equal(ecli.returncode, 0, "exit status")
    check(first.startswith("{") and first.count("\n") == 1, "head got one JSON line: %r" % first)
    check_equal(stderr_lines(err), ["Tracing binds ... Hit Ctrl-C to end"], "stderr")
    check(watch.progs and watch.links, "ecli held programs and links while tracing")
    check_unloaded(watch, "after exit")


def under_valgrind(args, comm, binds):
    """Runs ecli under valgrind memcheck around some binds: (events expected, stdout)."""
    log = tempfile.NamedTemporaryFile(prefix="ecli-valgrind-", suffix=".log", delete=False).name
    ecli = Ecli(args, timeout=120,
                prefix=["valgrind", "--suppressions=" + os.path.join(ROOT, "tests", "valgrind.supp"),
                        "--leak-check=full", "--show-leak-kinds=definite,indirect",
                        "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=99",
                        "--log-file=" + log])
    try:
        expected = BindChild(comm, binds).go()
    finally:
        out, err, status = ecli.stop(timeout=120)
    with open(log) as f:
        report = f.read()
    os.unlink(log)
    check_equal(status, 0, "exit status under valgrind (99: valgrind found errors)\n" + report)
    check(re.search(r"ERROR SUMMARY: 0 errors", report), "valgrind summary:\n" + report)
    return expected, out


@live_test
def a_live_run_is_clean_under_valgrind():
    binds = [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", 0),
             Bind(socket.AF_INET6, socket.SOCK_DGRAM, "::1", 0)]
    expected, out = under_valgrind(["-j", PKG, "-E"], "vg-binds", binds)
    got = [json.loads(l) for l in out.splitlines() if '"vg-binds"' in l]
    check_equal([(e["addr"], e["port"]) for e in got], [(e["addr"], e["port"]) for e in expected],
                "events seen under valgrind")


@live_test
def exit_maps_are_clean_under_valgrind():
    port = free_port()
    binds = [Bind(socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1", port,
                  [(socket.SOL_SOCKET, socket.SO_REUSEADDR)])] * 2
    _, out = under_valgrind(["-j", PKG, "--count", "-P", str(port)], "vg-count", binds)
    check_equal([json.loads(l) for l in out.splitlines()],
                [{"addr": "127.0.0.1", "port": port, "ip": 4, "binds": 2}], "counts")


@live_test
def package_words_cannot_drive_the_terminal():
    """A package's description, options' help and banner reach a terminal: escape sequences
    (a window title, OSC 52 to the clipboard, C1's CSI) are shown as '?', newlines kept."""
    evil = "set \x1b]0;pwned\x07 title \x1b]52;c;ZXZpbA==\x07 clip \u009b2J csi\nline two"
    with open(package("opensnoop")) as f:
        doc = json.load(f)
    doc["meta"]["tool"]["description"] = evil
    doc["meta"]["tool"]["banner"] = evil
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "evil.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        p = subprocess.run([ECLI, "run", path, "-h"], capture_output=True, timeout=30)
        out = p.stdout
        check_equal(p.returncode, 0, "-h: " + p.stderr.decode(errors="replace"))
        check(b"\x1b" not in out and b"\x07" not in out and b"\xc2\x9b" not in out,
              "-h shows no control: %r" % out[:400])
        check(b"set ?]0;pwned? title ?]52;c;ZXZpbA==? clip ??2J csi\nline two" in out,
              "each control a '?', the newline kept: %r" % out[:400])
        p = subprocess.run([ECLI, "run", "--duration", "1", path], capture_output=True,
                           timeout=30)
        check_equal(p.returncode, 0, "run: " + p.stderr.decode(errors="replace"))
        check(b"\x1b" not in p.stderr and b"\xc2\x9b" not in p.stderr,
              "the banner shows no control: %r" % p.stderr)
        record_case("a package's description and banner with terminal controls (window title, "
                    "OSC 52, C1's CSI: each shown as '?')", p.returncode, "")


if __name__ == "__main__":
    sys.exit(run_all("robustness"))
