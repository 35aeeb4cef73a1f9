# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""ecc from a source, in one command: compiling, the include dir, the `///` and @cmdarg
comments, what ecc infers (event type, event maps, lost counter), and its refusals.

The tests without "live" in their name run the real ecc (and clang) and read the package it
writes; the live tests (root) load an eunomia-style tool packed from outside the tree and check
its events against kill() calls the test makes. SKIP_LIVE=1, or not being root, skips the live
tests and says so.
"""
import base64
import json
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "live"))
sys.path.insert(0, os.path.join(HERE, "..", "corrupt"))
from harness import (ROOT, Ecli, SignalTarget, check, check_equal, json_lines,  # noqa: E402
                     live_test, record_case, run_all, run_ecli, trace_getppid)
from object_bytes import btf_types, first_struct, member_type_past_last  # noqa: E402

ECC = os.path.join(ROOT, "build", "ecc")
INCLUDE = os.path.join(ROOT, "build", "include")
KILLWATCH = os.path.join(HERE, "killwatch")
TRICKY = os.path.join(HERE, "scan", "tricky.bpf.c")
USAGE = ("usage: ecc [-v] [-I DIR]... [-o PACKAGE] [--save-object FILE]\n"
         "           [--arch ARCH[,ARCH]] [--btf-for [RELEASE=]KERNEL_BTF]...\n"
         "           {SOURCE.bpf.c [HEADER.h] | OBJECT.o} [SCHEMA.json]\n")
LIVE = os.geteuid() == 0 and os.environ.get("SKIP_LIVE") != "1"

test = live_test  # registration only; the live tests are registered when LIVE


def live(fn):
    return live_test(fn) if LIVE else fn


class Workdir:
    """A directory outside the tree with killwatch's source and header copied in, and a private
    TMPDIR for ecc that must be empty again after every run."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="ecc-test-")
        self.tmp = os.path.join(self.path, "tmp")
        os.mkdir(self.tmp)
        for f in ("killwatch.bpf.c", "killwatch.h"):
            shutil.copy(os.path.join(KILLWATCH, f), self.path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)

    def file(self, name):
        return os.path.join(self.path, name)

    def write(self, name, text):
        with open(self.file(name), "w") as f:
            f.write(text)

    def read(self, name):
        with open(self.file(name)) as f:
            return f.read()

    def ecc(self, args, env=None):
        e = dict(os.environ, TMPDIR=self.tmp)
        for k in ("CLANG", "LLVM_STRIP", "ECC_CFLAGS", "ECC_INCLUDE"):
            e.pop(k, None)
        e.update(env or {})
        p = subprocess.run([ECC] + args, cwd=self.path, env=e, capture_output=True, text=True,
                           timeout=180)
        check_equal(os.listdir(self.tmp), [], "ecc's temporary files left in TMPDIR")
        return p.stdout, p.stderr, p.returncode

    def meta(self, name="p.json"):
        with open(self.file(name)) as f:
            return json.load(f)["meta"]


def variables(meta):
    return {v["name"]: v for s in meta["bpf_skel"]["data_sections"] for v in s["variables"]}


def check_one_error(result, want, what):
    out, err, status = result
    check_equal(status, 2, "exit status of %s; stderr: %s" % (what, err))
    check_equal(err.splitlines(), [want], "the one line on stderr for " + what)
    check_equal(out, "", "stdout for " + what)


def line_of(text, marker):
    for i, line in enumerate(text.splitlines(), 1):
        if marker in line:
            return i
    raise AssertionError("no %r in the source" % marker)


@test
def version_names_clang_and_include_dir():
    with Workdir() as w:
        out, err, status = w.ecc(["--version"])
    clang = shutil.which("clang")
    first = subprocess.run([clang, "--version"], capture_output=True, text=True).stdout
    check_equal((status, err), (0, ""), "exit status and stderr")
    check_equal(out.splitlines()[1:], ["clang: %s: %s" % (clang, first.splitlines()[0]),
                                       "include: " + INCLUDE], "--version's lines")
    check(re.match(r"^ecc \d+\.\d+\.\d+$", out.splitlines()[0]), "version line: %r" % out)


@test
def version_says_when_clang_is_missing():
    with Workdir() as w:
        out, err, status = w.ecc(["--version"], env={"CLANG": "/nonexistent/clang"})
        check_equal(status, 2, "exit status without clang")
        check("clang: /nonexistent/clang: not found (install clang, or set $CLANG)"
              in out.splitlines(), "the missing clang is named: %r" % out)
        check_one_error(w.ecc(["-o", "p.json", "killwatch.bpf.c", "killwatch.h"],
                              env={"CLANG": "/nonexistent/clang"}),
                        "ecc: killwatch.bpf.c: /nonexistent/clang not found (install it, or set "
                        "$CLANG)", "a missing clang")


PINNED_SOURCE = """#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, u32);
	__type(value, u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} counts SEC(".maps");
SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	u32 k = 0;
	u64 one = 1;
	bpf_map_update_elem(&counts, &k, &one, BPF_ANY);
	bpf_printk("getppid");
	return 0;
}
char LICENSE[] SEC("license") = "GPL";
"""


@test
def a_map_pinned_by_name_is_refused():
    """A pinned map would outlive ecli in /sys/fs/bpf and open another tool's of that name;
    ecc refuses it, and ecli's checker (the same) would too."""
    with Workdir() as w:
        w.write("pin.bpf.c", PINNED_SOURCE)
        check_one_error(w.ecc(["-o", "p.json", "pin.bpf.c"]),
                        "ecc: pin.bpf.c: map counts: pinned by name (LIBBPF_PIN_BY_NAME, at "
                        "/sys/fs/bpf/counts): a package's maps must not outlive it, nor open "
                        "another tool's", "a pinned map")
        check(not os.path.exists(w.file("p.json")), "no package written")


@test
def ecli_refuses_a_package_whose_map_is_pinned():
    """A package ecc did not make (ecc refuses to): its object holds a map pinned by name.
    ecli refuses it before anything loads (-h too), where it would have made
    /sys/fs/bpf/counts outlive the run, or opened and written another tool's map of that name."""
    with Workdir() as w:
        w.write("pin.bpf.c", PINNED_SOURCE.replace("__uint(pinning, LIBBPF_PIN_BY_NAME);\n", ""))
        out, err, status = w.ecc(["--arch", platform.machine(), "-o", "p.json", "pin.bpf.c"])
        check_equal(status, 0, "the same source without pinning packs; stderr: " + err)
        w.write("pinned.bpf.c", PINNED_SOURCE)
        compile_object(w, "pinned.bpf.c", "pinned.o")
        with open(w.file("pinned.o"), "rb") as f:
            obj = f.read()
        with open(w.file("p.json")) as f:
            pkg = json.load(f)
        pkg["bpf_object"] = base64.b64encode(zlib.compress(obj)).decode()
        pkg["bpf_object_size"] = len(obj)
        w.write("pinned.json", json.dumps(pkg))
        out, err, status = run_ecli(["run", w.file("pinned.json"), "-h"])
        record_case("a package whose map is pinned by name (would outlive the run, or open "
                    "another tool's)", status, err.strip().replace(w.path, "DIR"))
        check_equal((status, out), (2, ""), "exit status and stdout; stderr: " + err)
        check_equal(err.strip(), "ecli: %s: map counts: pinned by name (LIBBPF_PIN_BY_NAME, at "
                    "/sys/fs/bpf/counts): a package's maps must not outlive it, nor open "
                    "another tool's" % w.file("pinned.json"), "the one line")
        check(not os.path.exists("/sys/fs/bpf/counts"), "a pinned map was made")


@test
def bad_argument_combinations_get_one_usage_line():
    with Workdir() as w:
        for args in (["x.h"], ["a.bpf.c", "b.o"], ["a.bpf.c", "b.h", "c.h"], ["x.txt"], [],
                     ["o.o", "x.h"], ["a.json"], ["a.bpf.c", "x.json", "y.json"]):
            out, err, status = w.ecc(args)
            check_equal((status, out, err), (2, "", USAGE), "ecc %s" % " ".join(args))


@test
def syntax_error_shows_clangs_message_and_one_ecc_line():
    with Workdir() as w:
        src = w.read("killwatch.bpf.c").replace("e.pid = pid;", "e.pid = pid")
        w.write("killwatch.bpf.c", src)
        out, err, status = w.ecc(["-o", "p.json", "killwatch.bpf.c", "killwatch.h"])
        check_equal(status, 2, "exit status")
        lines = err.splitlines()
        check_equal(lines[-1], "ecc: killwatch.bpf.c: clang failed (exit 1)", "ecc's line")
        check_equal(sum(l.startswith("ecc:") for l in lines), 1, "one ecc line in: %r" % err)
        at = "killwatch.bpf.c:%d:" % line_of(src, "e.pid = pid")
        check(any(l.startswith(at) and "error: expected ';'" in l for l in lines),
              "clang's own diagnostic, naming the source's line %s: %r" % (at, err))
        check(not os.path.exists(w.file("p.json")), "no package is written")


def mutated_killwatch_refused(old, new, marker, message):
    """Replaces old with new in killwatch's source; ecc must refuse it with one line naming
    the line that holds marker."""
    with Workdir() as w:
        src = w.read("killwatch.bpf.c")
        check(old in src, "the source has %r" % old)
        src = src.replace(old, new, 1)
        w.write("killwatch.bpf.c", src)
        want = "ecc: killwatch.bpf.c:%d: %s" % (line_of(src, marker), message)
        check_one_error(w.ecc(["-o", "p.json", "killwatch.bpf.c", "killwatch.h"]), want, new)
        check(not os.path.exists(w.file("p.json")), "no package is written")


@test
def cmdarg_invalid_json_is_refused():
    mutated_killwatch_refused('"long": "pid"}', '"long": "pid",}', '"pid",}',
                              '@cmdarg: invalid JSON: {"default": 0, "short": "p", "long": '
                              '"pid",}')


@test
def cmdarg_json_continued_but_never_closed_is_refused():
    mutated_killwatch_refused('"help": "the tag each event carries"}',
                              '"help": "the tag each event carries"', '"short": "t"',
                              '@cmdarg: invalid JSON: ' + ('{"short": "t", "long": "tag", '
                                                           '"default": "kill", "help": "the tag '
                                                           'each event carries"')[:80] + "...")


@test
def cmdarg_not_an_object_is_refused():
    mutated_killwatch_refused('{"default": 0, "short": "p", "long": "pid"}', '["p"]', '["p"]',
                              "@cmdarg: not a JSON object")


@test
def cmdarg_unknown_key_is_refused():
    mutated_killwatch_refused('"long": "pid"', '"lnog": "pid"', '"lnog"',
                              '@cmdarg: unknown key "lnog" (did you mean "long"?)')
    mutated_killwatch_refused('"long": "pid"', '"metavar": "PID"', '"metavar"',
                              '@cmdarg: unknown key "metavar" (known: default, long, short, '
                              'help)')


@test
def cmdarg_bad_values_are_refused():
    mutated_killwatch_refused('"short": "p"', '"short": "h"', '"short": "h"',
                              '@cmdarg: "short" must be one letter or digit other than "h"')
    mutated_killwatch_refused('"long": "pid"', '"long": "--pid"', '"--pid"',
                              '@cmdarg: "long" must be an option name such as "pid" (letters, '
                              'digits, - and _; not "help")')
    mutated_killwatch_refused('"default": 0,', '"default": 5,', '"default": 5',
                              '@cmdarg: "default" 5 is not the initial value of "target_pid" '
                              '(ecli starts from the initial value: make them the same)')
    mutated_killwatch_refused('"default": 0,', '"default": "x",', '"default": "x"',
                              "@cmdarg: \"default\": 'x' is not an integer")


@test
def cmdarg_name_used_twice_is_refused():
    mutated_killwatch_refused('"long": "tag"', '"long": "pid"', '"short": "t"',
                              '@cmdarg: --pid is the option of both "target_pid" and "tag"')
    mutated_killwatch_refused('"short": "t"', '"short": "p"', '"short": "p", "long": "tag"',
                              '@cmdarg: -p is the option of both "target_pid" and "tag"')


@test
def cmdarg_above_what_is_not_a_const_volatile_global_is_refused():
    message = "@cmdarg must be directly above a const volatile global variable"
    for before in ('SEC("tracepoint/syscalls/sys_enter_kill")',  # a function
                   'char LICENSE[] SEC("license")',  # a global that is not const volatile
                   "#include \"killwatch.h\""):  # a directive
        mutated_killwatch_refused(before, '/// @cmdarg {"long": "x"}\n' + before,
                                  '"long": "x"', message)
    # a blank line between the comment and the variable
    mutated_killwatch_refused('"long": "pid"}\n', '"long": "pid"}\n\n', '"long": "pid"}',
                              message)
    # inside a function's body
    mutated_killwatch_refused("\te.pid = pid;", '\t/// @cmdarg {"long": "x"}\n\te.pid = pid;',
                              '"long": "x"', message)


@test
def unknown_command_above_an_option_is_refused():
    mutated_killwatch_refused("/// A word copied", "/// @sample {}\n/// A word copied",
                              "@sample", 'unknown @sample above const volatile "tag" (known: '
                              "@description, @cmdarg)")


@test
def no_event_type_is_refused():
    with Workdir() as w:
        check_one_error(w.ecc(["-o", "p.json", "killwatch.bpf.c"]),
                        "ecc: killwatch.bpf.c: the object has an event map but no event type: "
                        "pass the header that defines the event struct (ecc killwatch.bpf.c "
                        "HEADER.h) or set events.type in a schema", "no header")
        w.write("empty.h", "/* struct not_this { int a; }; */\n#define X 1\n")
        check_one_error(w.ecc(["-o", "p.json", "killwatch.bpf.c", "empty.h"]),
                        "ecc: empty.h: defines no struct (its first struct is the event type)",
                        "a header without a struct")
        w.write("other.h", "struct other { int a; };\n")
        check_one_error(w.ecc(["-o", "p.json", "killwatch.bpf.c", "other.h"]),
                        "ecc: killwatch.bpf.c: struct other (the first struct in other.h) is "
                        "not in the compiled object: does the source include other.h?",
                        "a header the source does not include")


def check_killwatch_meta(meta):
    check_equal(meta["export_types"][0]["name"], "kill_event", "the event type comes first")
    check_equal([(m["name"], m["type"]) for m in meta["export_types"][0]["members"]],
                [("pid", "__u32"), ("target", "__s32"), ("sig", "__s32"), ("comm", "char[16]"),
                 ("tag", "char[8]")], "the event type's members")
    check_equal(meta["events"], {"type": "kill_event", "ringbuf": "events",
                                 "perfbuf": "events_perf", "lost_counter": "lost_events",
                                 "perfbuf_switch": "use_perfbuf"}, "meta.events")
    v = variables(meta)
    check_equal(v["target_pid"], {
        "name": "target_pid", "type": "pid_t",
        "description": "Trace kill() calls made by this process only (0: every process).",
        "cmdarg": {"default": 0, "short": "p", "long": "pid"}}, "target_pid")
    check_equal(v["target_signal"], {"name": "target_signal", "type": "int",
                                     "description": "Trace this signal number only (0: any)"},
                "target_signal (static, @description)")
    check_equal(v["tag"], {"name": "tag", "type": "char[8]",
                           "description": "A word copied into every event",
                           "cmdarg": {"short": "t", "long": "tag", "default": "kill",
                                      "help": "the tag each event carries"}},
                "tag (an array, its @cmdarg on two lines)")
    check_equal(v["use_perfbuf"], {"name": "use_perfbuf", "type": "bool"}, "use_perfbuf")
    check_equal(meta["bpf_skel"]["obj_name"], "killwatch_bpf", "obj_name")
    check_equal(sorted(meta), ["bpf_skel", "events", "export_types", "tool"], "meta's keys")
    check_equal(meta["tool"], {"name": "killwatch"}, "the tool is named after its source")


@test
def package_from_outside_the_tree_in_one_command():
    with Workdir() as w:
        out, err, status = w.ecc(["-o", "p.json", "killwatch.bpf.c", "killwatch.h"])
        check_equal((status, out, err), (0, "", ""), "ecc's exit status and output")
        check_killwatch_meta(w.meta())


@test
def packages_from_sources_follow_the_package_schema():
    from jsonschema import Draft202012Validator
    with open(os.path.join(ROOT, "schema", "package.schema.json")) as f:
        validator = Draft202012Validator(json.load(f))
    with Workdir() as w:
        shutil.copy(TRICKY, w.path)
        for args in (["killwatch.bpf.c", "killwatch.h"], ["tricky.bpf.c"]):
            out, err, status = w.ecc(["-o", "p.json"] + args)
            check_equal((status, err), (0, ""), "ecc " + " ".join(args))
            with open(w.file("p.json")) as f:
                errors = [e.message for e in validator.iter_errors(json.load(f))]
            check_equal(errors, [], "schema/package.schema.json on the package of " + args[0])


@test
def help_shows_comments_and_cmdarg_names():
    with Workdir() as w:
        w.ecc(["-o", "p.json", "killwatch.bpf.c", "killwatch.h"])
        out, err, status = run_ecli(["run", w.file("p.json"), "-h"])
    check_equal((status, err), (0, ""), "ecli -h")
    lines = out.splitlines()
    # the perf-buffer switch is the loader's (--perfbuf), not an option of the tool
    check_equal(lines[0], "usage: killwatch [-h] [-p VALUE] [-t VALUE] [--target_signal VALUE]",
                "usage line")
    for want in ["  -p, --pid VALUE       Trace kill() calls made by this process only (0: every "
                 "process). (default: 0)",
                 "  -t, --tag VALUE       the tag each event carries (default: kill)",
                 "  --target_signal VALUE",
                 "                        Trace this signal number only (0: any) (default: 0)"]:
        check(want in lines, "-h has the line %r:\n%s" % (want, out))


@test
def default_package_name_and_stdout():
    with Workdir() as w:
        out, err, status = w.ecc(["killwatch.bpf.c", "killwatch.h"])
        check_equal((status, err), (0, ""), "ecc without -o")
        check_killwatch_meta(w.meta("package.json"))
        out, err, status = w.ecc(["-o", "-", "killwatch.bpf.c", "killwatch.h"])
        check_equal((status, err), (0, ""), "ecc -o -")
        check_killwatch_meta(json.loads(out)["meta"])


@test
def scanner_reads_a_tricky_source():
    with Workdir() as w:
        shutil.copy(TRICKY, w.path)
        out, err, status = w.ecc(["-o", "p.json", "tricky.bpf.c"],
                                 env={"ECC_CFLAGS": "-Wall -Werror"})
        check_equal((status, err), (0, ""), "ecc on tricky.bpf.c (its only struct is the event)")
        meta = w.meta()
    check_equal(meta["export_types"][0]["name"], "tricky_event", "the source's only struct")
    check_equal(meta["events"]["type"], "tricky_event", "events.type")
    check_equal(meta["events"]["lost_counter"], "lost_events", "a plain array is no counter")
    v = variables(meta)
    check_equal(v["min_value"], {"name": "min_value", "type": "unsigned long long",
                                 "description": "A long option spread over four lines."},
                "static, several words, a blank /// line")
    check_equal(v["names"], {"name": "names", "type": "char[2][8]",
                             "cmdarg": {"long": "names", "short": "n",
                                        "help": "braces } inside { strings"}},
                "an array with an initialiser, @cmdarg over three lines")
    check_equal(v["seen_count"]["description"], "A plain global gets its help too",
                "a global that is not const")
    check_equal(v["verbose_mode"]["description"], "a bool and more text",
                "@description and text")
    check_equal(v["use_perfbuf"], {"name": "use_perfbuf", "type": "bool"},
                "a header's variable has no help")


def compile_object(w, source, obj):
    """The object as an author's own Makefile would build it."""
    arch = {"x86_64": "x86", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    subprocess.run(["clang", "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_" + arch,
                    "-I" + INCLUDE, "-c", source, "-o", w.file(obj)], check=True, cwd=w.path)


@test
def object_input_keeps_working():
    with Workdir() as w:
        shutil.copy(TRICKY, w.path)
        compile_object(w, "tricky.bpf.c", "tricky.bpf.o")
        out, err, status = w.ecc(["-o", "p.json", "tricky.bpf.o"])
        check_equal((status, err), (0, ""), "an object without a schema")
        meta = w.meta()
        check_equal(meta["export_types"][0]["name"], "tricky_event",
                    "the type the object exports (EXPORT_EVENT_TYPE)")
        check_equal(meta["events"]["ringbuf"], "events", "events.ringbuf")
        w.write("s.json", json.dumps({"tool": {"name": "tricky"},
                                      "events": {"type": "tricky_event"}}))
        out, err, status = w.ecc(["-o", "p.json", "tricky.bpf.o", "s.json"])
        check_equal((status, err), (0, ""), "an object with a schema")
        check_equal(w.meta()["tool"], {"name": "tricky"}, "the schema's tool")
        compile_object(w, "killwatch.bpf.c", "killwatch.bpf.o")
        check_one_error(w.ecc(["-o", "p.json", "killwatch.bpf.o"]),
                        "ecc: killwatch.bpf.o: the object has an event map but no event type: "
                        "set events.type in the schema, or EXPORT_EVENT_TYPE(the struct) in the "
                        "source", "an object that exports no type")


@test
def corrupt_object_input_is_refused_before_libbpf_reads_it():
    with Workdir() as w:
        shutil.copy(TRICKY, w.path)
        compile_object(w, "tricky.bpf.c", "tricky.bpf.o")
        with open(w.file("tricky.bpf.o"), "rb") as f:
            obj = bytearray(f.read())
        message = member_type_past_last(obj, first_struct(btf_types(obj)), 0)
        with open(w.file("tricky.bpf.o"), "wb") as f:
            f.write(obj)
        check_one_error(w.ecc(["-o", "p.json", "tricky.bpf.o"]),
                        "ecc: tricky.bpf.o: " + message, "a struct member's type past the last")
        check(not os.path.exists(w.file("p.json")), "no package written")


@test
def schema_given_alongside_wins():
    schema = {"tool": {"name": "kw", "description": "Watch kill() calls."},
              "events": {"lost_counter": "lost_events"},
              "args": [{"name": "pid", "short": "P", "long": "caller", "var": "target_pid",
                        "help": "the caller's pid"}]}
    with Workdir() as w:
        w.write("kw.json", json.dumps(schema))
        out, err, status = w.ecc(["-o", "p.json", "killwatch.bpf.c", "killwatch.h", "kw.json"])
        check_equal((status, err), (0, ""), "ecc with a schema")
        meta = w.meta()
        check_equal(meta["tool"], schema["tool"], "tool")
        check_equal(meta["events"], {"lost_counter": "lost_events", "type": "kill_event",
                                     "ringbuf": "events", "perfbuf": "events_perf",
                                     "perfbuf_switch": "use_perfbuf"},
                    "the schema's events, completed")
        out, err, status = run_ecli(["run", w.file("p.json"), "-h"])
    check("  -P, --caller VALUE    the caller's pid (default: 0)" in out.splitlines(),
          "the schema's args replace the generated options:\n" + out)
    check("--pid" not in out, "no generated option remains:\n" + out)


@test
def runtime_found_by_its_variables():
    """A source that includes pid_ns.bpf.h (as task_filter.bpf.h does) gets meta.runtime, and
    its two variables are no options; a schema's own runtime ({} here) is kept as written."""
    with Workdir() as w:
        text = w.read("killwatch.bpf.c")
        text = text.replace('#include "emit_event.bpf.h"',
                            '#include <bpf/bpf_core_read.h>\n#include "emit_event.bpf.h"\n'
                            '#include "pid_ns.bpf.h"')
        text = text.replace("__u32 pid = bpf_get_current_pid_tgid() >> 32;",
                            "__u32 pid = pidns_current_pid_tgid() >> 32;")
        w.write("killwatch.bpf.c", text)
        out, err, status = w.ecc(["-o", "p.json", "killwatch.bpf.c", "killwatch.h"])
        check_equal((status, err), (0, ""), "ecc on a source with pid_ns.bpf.h")
        check_equal(w.meta().get("runtime"), {"pidns_dev": "pidns_dev", "pidns_ino": "pidns_ino"},
                    "meta.runtime")
        out, err, status = run_ecli(["run", w.file("p.json"), "-h"])
        check_equal(status, 0, "ecli -h; stderr: " + err)
        check("--pid" in out and "pidns" not in out,
              "target_pid is an option, pidns_dev and pidns_ino are not:\n" + out)
        w.write("off.json", json.dumps({"runtime": {}}))
        out, err, status = w.ecc(["-o", "q.json", "killwatch.bpf.c", "killwatch.h",
                                  "off.json"])
        check_equal((status, err), (0, ""), "ecc with a schema's empty runtime")
        check_equal(w.meta("q.json").get("runtime"), {}, "the schema's runtime, as written")


@test
def verbose_prints_the_commands():
    """clang and llvm-strip once per architecture (x86_64, then aarch64), then what was built."""
    with Workdir() as w:
        os.mkdir(w.file("inc"))
        out, err, status = w.ecc(["-v", "-I", "inc", "-o", "p.json", "killwatch.bpf.c",
                                  "killwatch.h"])
    check_equal(status, 0, "exit status; stderr: " + err)
    lines = err.splitlines()
    check_equal(len(lines), 6, "two commands per architecture, then what was built: %r" % err)
    for i, arch in ((0, "x86"), (2, "arm64")):
        clang = re.match(r"^clang -g -O2 -target bpf -D__TARGET_ARCH_(\S+) -I \. -I inc -I (\S+) "
                         r"-include (\S+)/export_type\.h -c killwatch\.bpf\.c -o "
                         r"(\S+)/object\.full\.o$", lines[i])
        check(clang, "the clang command: %r" % lines[i])
        check_equal(clang.group(1, 2), (arch, INCLUDE), "target arch and include dir")
        tmp = clang.group(3)
        check(tmp.startswith(os.path.join(w.tmp, "ecc-")), "a private directory in TMPDIR: " + tmp)
        check_equal(lines[i + 1], "llvm-strip -g %s/object.full.o -o %s/object.o" % (tmp, tmp),
                    "the llvm-strip command")
    check(re.fullmatch(r"ecc: built for x86_64 \(\d+ bytes\)", lines[4]) and
          re.fullmatch(r"ecc: built for aarch64 \(\d+ bytes\)", lines[5]),
          "what was built: %r" % lines[4:])


TWO_STRUCTS_H = """struct arg {
	__u64 ts;
	__s32 fd;
};

struct event {
	__u32 pid;
	char comm[16];
	__u64 flags[4];
};
"""

TWO_STRUCTS_C = """#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "two.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	struct event e = {.pid = bpf_get_current_pid_tgid() >> 32};
	struct arg a = {.ts = 1};

	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	SEND_ARG
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
"""


def two_structs(w, send_arg=False):
    w.write("two.h", TWO_STRUCTS_H)
    w.write("two.bpf.c", TWO_STRUCTS_C.replace(
        "SEND_ARG", "bpf_ringbuf_output(&events, &a, sizeof(a), 0);" if send_arg else "(void)a;"))


@test
def event_type_is_the_struct_the_programs_send():
    """As libbpf-tools' mountsnoop: the header's first struct is not the event; ecc takes the
    struct of the size bpf_ringbuf_output is given, and says so with -v."""
    with Workdir() as w:
        two_structs(w)
        out, err, status = w.ecc(["-v", "-o", "p.json", "two.bpf.c", "two.h"])
        check_equal(status, 0, "exit status; stderr: " + err)
        check("ecc: event type: struct event, the struct of the 56 bytes the programs send\n"
              in err, "-v says why: " + err)
        check_equal(w.meta()["events"]["type"], "event", "events.type")
        check_equal([m["name"] for m in w.meta()["export_types"][0]["members"]],
                    ["pid", "comm", "flags"], "the event's members")
        two_structs(w, send_arg=True)
        check_one_error(w.ecc(["-o", "p.json", "two.bpf.c", "two.h"]),
                        "ecc: two.bpf.c: the programs send events of 56 and 16 bytes; set "
                        "events.type in a schema", "two sizes")
        w.write("s.json", json.dumps({"events": {"type": "event"}}))
        out, err, status = w.ecc(["-o", "p.json", "two.bpf.c", "two.h", "s.json"])
        check_equal((status, err), (0, ""), "the schema's events.type settles it")


WRITE_SIZES = os.path.join(ROOT, "tests", "bpf", "write_sizes.bpf.c")


@test
def sample_marks_a_map_as_eunomia_writes_it():
    """eunomia's `/// @sample {...}` above a map becomes its bpf_skel sample, in place of the
    histogram ecc would infer; above something that is not a map it is one line."""
    with Workdir() as w:
        with open(WRITE_SIZES) as f:
            src = f.read()
        mark = '/// Write sizes, one histogram per key.\n/// @sample {"interval": 1000, ' \
               '"type": "log2_hist", "unit": "bytes"}\n'
        w.write("marked.bpf.c", src.replace("struct {\n\t__uint(type, BPF_MAP_TYPE_HASH)",
                                            mark + "struct {\n\t__uint(type, BPF_MAP_TYPE_HASH)"))
        out, err, status = w.ecc(["-o", "p.json", "marked.bpf.c"])
        check_equal((status, err), (0, ""), "ecc on a source with @sample")
        maps = {m["name"]: m for m in w.meta()["bpf_skel"]["maps"]}
        check_equal(maps["hists"].get("sample"),
                    {"interval": 1000, "type": "log2_hist", "unit": "bytes"}, "the sample")
        w.write("bad.bpf.c", src.replace("const volatile bool per_fd",
                                         '/// @sample {"interval": 1000}\nbool not_a_map;\n'
                                         "const volatile bool per_fd"))
        line = line_of(w.read("bad.bpf.c"), "@sample")
        check_one_error(w.ecc(["-o", "p.json", "bad.bpf.c"]),
                        'ecc: bad.bpf.c:%d: @sample above "not_a_map", which is not a map'
                        % line, "@sample above a variable")


KFUNC_SOURCE = """#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp_btf/sched_process_exec")
int on_exec(u64 *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct task_struct *t;

	barrier_var(pid);
	if (!bpf_ksym_exists(bpf_task_from_pid))
		return 0;
	t = bpf_task_from_pid(pid);
	if (t) {
		bpf_ringbuf_output(&events, &pid, sizeof(pid), 0);
		bpf_task_release(t);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
"""


@test
def current_sources_find_kfuncs_and_newer_libbpf_macros():
    """As libbpf-tools' sigsnoop now is: bpf_ksym_exists (libbpf 1.2) around a kfunc whose
    prototype only the kernel's BTF has (vmlinux.h from bpftool 7.1 has none)."""
    if not os.path.exists("/sys/kernel/btf/vmlinux") or subprocess.run(
            [ECC, "--kfuncs", "/sys/kernel/btf/vmlinux"], capture_output=True,
            text=True).stdout.count("bpf_task_from_pid(") == 0:
        check(False, "this kernel's BTF tags no bpf_task_from_pid kfunc")
    machine = platform.machine()
    with Workdir() as w:
        w.write("kf.bpf.c", KFUNC_SOURCE)
        out, err, status = w.ecc(["--arch", machine, "--save-object", "kf.o", "-o", "p.json",
                                  "kf.bpf.c"])
        check(os.path.exists(w.file("kf.o")), "clang compiled it; stderr: " + err)
        if machine == "x86_64":
            # Debian 12's arm64 kernel (6.1) has no bpf_task_from_pid (6.2): ecc says so
            out, err, status = w.ecc(["-o", "p.json", "kf.bpf.c"])
            check_equal(err.splitlines()[-1],
                        "ecc: kf.bpf.c: clang failed (exit 1) for aarch64, whose kernel types "
                        "(vmlinux-aarch64.h) lack what the source uses: --arch x86_64 builds "
                        "without it", "the line that ends clang's message")
    with open(os.path.join(INCLUDE, "vmlinux-%s.h" % machine)) as f:
        check("extern struct task_struct *bpf_task_from_pid(s32 pid) __attribute__((weak)) "
              "__attribute__((section(\".ksyms\")));" in f.read(),
              "vmlinux-%s.h declares the kfunc" % machine)


@test
def authors_headers_win_over_ours_of_the_same_name():
    with Workdir() as w:
        os.mkdir(w.file("inc"))
        w.write("inc/kernel_shims.bpf.h", "#define AUTHORS_OWN 1\n")  # as libbpf-tools ship theirs
        src = w.read("killwatch.bpf.c")
        w.write("killwatch.bpf.c", '#include "kernel_shims.bpf.h"\n#ifndef AUTHORS_OWN\n'
                '#error "ecc\'s header was found first"\n#endif\n' + src)
        out, err, status = w.ecc(["-I", "inc", "-o", "p.json", "killwatch.bpf.c", "killwatch.h"])
        check_equal((status, err), (0, ""), "ecc with the author's kernel_shims.bpf.h in -I inc")


@test
def include_dir_is_staged_and_found():
    want = sorted(["vmlinux.h", "vmlinux-x86_64.h", "vmlinux-aarch64.h", "bpf"] +
                  [f for f in os.listdir(os.path.join(ROOT, "bpf")) if f.endswith(".bpf.h")])
    check_equal(sorted(os.listdir(INCLUDE)), want, "build/include")
    check_equal(sorted(os.listdir(os.path.join(INCLUDE, "bpf"))),
                ["bpf_core_read.h", "bpf_endian.h", "bpf_helper_defs.h", "bpf_helpers.h",
                 "bpf_tracing.h"], "build/include/bpf")
    for f in want:
        if f.endswith(".bpf.h"):
            with open(os.path.join(ROOT, "bpf", f), "rb") as a, \
                    open(os.path.join(INCLUDE, f), "rb") as b:
                check(a.read() == b.read(), "build/include/%s is bpf/%s" % (f, f))
    with Workdir() as w:
        check_one_error(w.ecc(["-o", "p.json", "killwatch.bpf.c", "killwatch.h"],
                              env={"ECC_INCLUDE": w.file("none")}),
                        "ecc: ECC_INCLUDE=%s: not a directory" % w.file("none"),
                        "a wrong ECC_INCLUDE")
        # the installed layout: <prefix>/bin/ecc and <prefix>/share/ecli/include
        os.makedirs(w.file("prefix/bin"))
        shutil.copy(ECC, w.file("prefix/bin/ecc"))
        shutil.copytree(INCLUDE, w.file("prefix/share/ecli/include"))
        e = dict(os.environ, TMPDIR=w.tmp)
        e.pop("ECC_INCLUDE", None)
        p = subprocess.run([w.file("prefix/bin/ecc"), "-o", "p.json", "killwatch.bpf.c",
                            "killwatch.h"], cwd=w.path, env=e, capture_output=True, text=True)
        check_equal((p.returncode, p.stderr), (0, ""), "an installed ecc")
        check_killwatch_meta(w.meta())
        p = subprocess.run([w.file("prefix/bin/ecc"), "--version"], env=e, capture_output=True,
                           text=True)
        check("include: " + w.file("prefix/share/ecli/include") in p.stdout.splitlines(),
              "--version names the installed include dir: %r" % p.stdout)
        check_equal(os.listdir(w.tmp), [], "temporary files")


@test
def interrupted_compile_leaves_nothing_behind():
    with Workdir() as w:
        w.write("slow-clang", "#!/bin/sh\necho partial > \"$TMPDIR/clang-temp.o\"\n"
                              "echo started > \"%s\"\nexec sleep 30\n" % w.file("started"))
        os.chmod(w.file("slow-clang"), 0o755)
        e = dict(os.environ, TMPDIR=w.tmp, CLANG=w.file("slow-clang"))
        p = subprocess.Popen([ECC, "-o", "p.json", "killwatch.bpf.c", "killwatch.h"], cwd=w.path,
                             env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
        deadline = time.time() + 20
        while not os.path.exists(w.file("started")) and time.time() < deadline:
            time.sleep(0.05)
        check(os.path.exists(w.file("started")), "the fake clang started")
        os.killpg(p.pid, signal.SIGINT)  # what Ctrl-C does
        out, err = p.communicate(timeout=20)
        check_equal((p.returncode, err), (2, "ecc: killwatch.bpf.c: interrupted\n"),
                    "ecc after Ctrl-C")
        check_equal(os.listdir(w.tmp), [], "TMPDIR after an interrupted compile")
        check(not os.path.exists(w.file("p.json")), "no package")


def limit_file_size(limit):
    """preexec_fn: writes past limit bytes fail (EFBIG) rather than kill (SIGXFSZ ignored)."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def written_files(w):
    return sorted(f for f in os.listdir(w.path) if f != "tmp")


@test
def output_file_is_replaced_whole_or_left_untouched():
    with Workdir() as w:
        # an object that exports the event type, as ecc compiles it
        out, err, status = w.ecc(["-o", "first.json", "--save-object", "killwatch.bpf.o",
                                  "killwatch.bpf.c", "killwatch.h"])
        check_equal((status, err), (0, ""), "the first package")
        w.write("p.json", "OLD\n")
        os.chmod(w.file("p.json"), 0o640)
        w.write("obj.o", "OLD OBJECT\n")
        before = written_files(w)
        # a compile error: neither the package nor the saved object is touched
        w.write("broken.bpf.c", w.read("killwatch.bpf.c").replace("e.pid = pid;", "e.pid = pid"))
        out, err, status = w.ecc(["-o", "p.json", "--save-object", "obj.o", "broken.bpf.c",
                                  "killwatch.h"])
        check_equal(status, 2, "exit status of a failed compile")
        check_equal((w.read("p.json"), w.read("obj.o")), ("OLD\n", "OLD OBJECT\n"),
                    "p.json and obj.o after a failed compile")
        # the write itself fails half-way (a file size limit): the old package stays whole
        e = dict(os.environ, TMPDIR=w.tmp)
        w.write("s.json", json.dumps({"events": {"type": "kill_event"}}))
        before = written_files(w)
        p = subprocess.run([ECC, "-o", "p.json", "killwatch.bpf.o", "s.json"], cwd=w.path,
                           env=e, capture_output=True, text=True, timeout=60,
                           preexec_fn=limit_file_size(4096))
        check_equal((p.returncode, p.stderr), (2, "ecc: p.json: File too large\n"),
                    "a package write cut short by the file size limit")
        check_equal(w.read("p.json"), "OLD\n", "p.json after the cut-short write")
        check_equal(written_files(w), before, "files after the cut-short write (no temp file)")
        # a good run replaces it whole, keeping its mode
        out, err, status = w.ecc(["-o", "p.json", "--save-object", "obj.o", "killwatch.bpf.c",
                                  "killwatch.h"])
        check_equal((status, err), (0, ""), "ecc into the existing p.json")
        check_killwatch_meta(w.meta("p.json"))
        check_equal(os.stat(w.file("p.json")).st_mode & 0o777, 0o640, "p.json's mode")
        with open(w.file("obj.o"), "rb") as f:
            check_equal(f.read(4), b"\x7fELF", "the saved object")
        check_equal(written_files(w), before, "files after the good run (no temp file)")
        # what is not a regular file is written in place, not replaced
        out, err, status = w.ecc(["-o", "/dev/null", "killwatch.bpf.c", "killwatch.h"])
        check_equal((status, err), (0, ""), "ecc -o /dev/null")
        check(os.path.exists("/dev/null") and not os.path.isfile("/dev/null"),
              "/dev/null is still a device")


@test
def make_rebuilds_a_package_when_its_sources_change():
    target = "build/packages/tcpaccept/package.json"

    def up_to_date(*changed):
        what_if = [a for f in changed for a in ("-W", f)]
        return subprocess.run(["make", "-q"] + what_if + [target], cwd=ROOT,
                              capture_output=True).returncode == 0

    check(up_to_date(), "%s is up to date (run make first)" % target)
    check(up_to_date("tools/bindsnoop/bindsnoop.bpf.c"), "another tool's source does not rebuild it")
    for f in ("tools/tcpaccept/tcpaccept.bpf.c", "tools/tcpaccept/tcpaccept.h",
              "tools/tcpaccept/tcpaccept.json",
              "bpf/emit_event.bpf.h", "bpf/socket_from_fd.bpf.h", "build/ecc"):
        check(not up_to_date(f), "a change to %s rebuilds %s" % (f, target))
    check(subprocess.run(["make", "-q", "-W", "bpf/emit_event.bpf.h",
                          "build/include/emit_event.bpf.h"], cwd=ROOT).returncode != 0,
          "a change to bpf/emit_event.bpf.h is staged into build/include")


# Live: the out-of-tree package, loaded for real.

_package = {}


def killwatch_package():
    if "path" not in _package:
        w = Workdir()
        out, err, status = w.ecc(["-o", "p.json", "killwatch.bpf.c", "killwatch.h"])
        check_equal((status, err), (0, ""), "packing killwatch")
        _package["dir"] = w
        _package["path"] = w.file("p.json")
    return _package["path"]


def own_comm():
    with open("/proc/self/comm") as f:
        return f.read().strip()


def kill_event(pid, target, sig, comm, tag="kill"):
    return {"pid": pid, "target": target, "sig": sig, "comm": comm, "tag": tag}


@live
def live_events_every_field_and_pid_filter():
    me = os.getpid()
    with SignalTarget() as child:
        ecli = Ecli(["-j", killwatch_package(), "-p", str(me)])
        try:
            os.kill(child, 0)
            os.kill(child, signal.SIGCONT)
            os.kill(child, 0)
            # another process's kill(): the -p filter must drop it
            subprocess.run([sys.executable, "-c", "import os; os.kill(%d, 0)" % child],
                           check=True)
            time.sleep(0.5)
        finally:
            out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    events = json_lines(out)
    check(all(e["pid"] == me for e in events), "only this process's calls: %r" % events)
    ours = [e for e in events if e["target"] == child]
    comm = own_comm()
    check_equal(ours, [kill_event(me, child, 0, comm), kill_event(me, child, 18, comm),
                       kill_event(me, child, 0, comm)], "every field of each event")


@live
def live_event_of_another_size_than_its_type_is_reported_once():
    """A schema naming the wrong struct (16 bytes for 56-byte events) is refused by ecc; a
    package that names it all the same (written by another tool) shows the events, and one
    warning line says so."""
    with Workdir() as w:
        two_structs(w)
        w.write("s.json", json.dumps({"events": {"type": "arg"}}))
        out, err, status = w.ecc(["-o", "p.json", "two.bpf.c", "two.h", "s.json"])
        check_equal((status, err), (2, "ecc: s.json: struct arg is 16 bytes, but the programs "
                                       "send events of 56 bytes: every record would be "
                                       "rendered as the wrong struct\n"),
                    "ecc with the wrong events.type")
        out, err, status = w.ecc(["-o", "p.json", "two.bpf.c", "two.h"])
        check_equal((status, err), (0, ""), "ecc picking the struct by size")
        with open(w.file("p.json")) as f:
            pkg = json.load(f)
        pkg["meta"]["events"]["type"] = "arg"
        w.write("p.json", json.dumps(pkg))
        out, err, status = trace_getppid(["-j", w.file("p.json")])
    check_equal(status, 0, "exit status; stderr: " + err)
    warnings = [l for l in err.splitlines() if "an event of" in l]
    check_equal(warnings, ["ecli: warning: an event of 56 bytes arrived, but its type, struct "
                           "arg, is 16 bytes: events are shown cut to the type's size (is "
                           "events.type the struct the programs send?)"], "one warning line")
    check(len(json_lines(out)) >= 3, "the events are shown: %r" % out)


@live
def live_pid_option_selects_another_process():
    me = os.getpid()
    with SignalTarget() as child:
        helper = subprocess.Popen(
            [sys.executable, "-c", "import os, sys\nsys.stdin.readline()\n"
             "os.kill(%d, 0)\nos.kill(%d, 18)\nprint('done', flush=True)\n"
             "sys.stdin.readline()\n" % (child, child)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            ecli = Ecli(["-j", killwatch_package(), "--pid", str(helper.pid)])
            try:
                os.kill(child, 0)  # this process's: filtered out
                helper.stdin.write("go\n")
                helper.stdin.flush()
                check_equal(helper.stdout.readline(), "done\n", "the helper's kills")
                time.sleep(0.5)
            finally:
                out, err, status = ecli.stop()
        finally:
            helper.stdin.close()
            helper.wait()
    check_equal(status, 0, "exit status; stderr: " + err)
    comm = os.path.basename(sys.executable)[:15]
    check_equal(json_lines(out), [kill_event(helper.pid, child, 0, comm),
                                  kill_event(helper.pid, child, 18, comm)],
                "only the helper's events, every field (this process is %d)" % me)


@live
def live_signal_and_tag_options():
    me = os.getpid()
    with SignalTarget() as child:
        ecli = Ecli(["-j", killwatch_package(), "-p", str(me), "--target_signal", "18",
                     "-t", "abc"])
        try:
            os.kill(child, 0)
            os.kill(child, signal.SIGCONT)
            os.kill(child, 0)
            time.sleep(0.5)
        finally:
            out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    check_equal([e for e in json_lines(out) if e["target"] == child],
                [kill_event(me, child, 18, own_comm(), "abc")], "only SIGCONT, tagged abc")


@live
def live_table_output():
    me = os.getpid()
    with SignalTarget() as child:
        ecli = Ecli([killwatch_package(), "-p", str(me)])
        try:
            os.kill(child, signal.SIGCONT)
            time.sleep(0.5)
        finally:
            out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    lines = out.splitlines()
    check_equal(lines[0].split(), ["TIME", "PID", "TARGET", "SIG", "COMM", "TAG"], "header")
    rows = [l.split() for l in lines[1:] if l.split()[2:3] == [str(child)]]
    check_equal([r[1:] for r in rows], [[str(me), str(child), "18", own_comm(), "kill"]],
                "the row of our kill()")


if __name__ == "__main__":
    if not LIVE:
        print("live tests SKIPPED: %s" % ("SKIP_LIVE=1" if os.geteuid() == 0 else "not root"))
    status = run_all("ecc-source")
    if "dir" in _package:
        _package["dir"].__exit__(None, None, None)
    sys.exit(status)
