# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""make install / uninstall (PREFIX, DESTDIR) and the two .deb files, without root.

The installed tree must hold exactly the layout of docs/distributing.md ("Install"); an
installed ecc must find its headers in <prefix>/share/ecli/include and build a tool from a
folder outside the tree, and the installed ecli must read what it built. uninstall removes
exactly what install put there. make deb: the runtime package holds ecli and the tools and
depends on no compiler; the build package holds ecc, the headers and the schema and depends on
the same ecli version and the toolchain; both carry the copyright file.
"""
import glob
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "live"))

from harness import ROOT, check, check_equal, live_test, run_all  # noqa: E402

TOOLS = ["bindsnoop", "execsnoop", "opensnoop", "tcpaccept"]
LIBBPF_HEADERS = ["bpf_core_read.h", "bpf_endian.h", "bpf_helper_defs.h", "bpf_helpers.h",
                  "bpf_tracing.h"]
KILLWATCH = os.path.join(ROOT, "tests", "ecc", "killwatch")
test = live_test  # registration only: nothing here needs root or loads a program

VERSION = subprocess.run(["make", "--no-print-directory", "-s", "-C", ROOT, "print-version"],
                         capture_output=True, text=True, check=True).stdout.strip()


def run(cmd, what, cwd=None, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
    check(p.returncode == 0, "%s: exit status %d\n%s%s" % (what, p.returncode, p.stdout[-3000:],
                                                          p.stderr[-3000:]))
    return p.stdout


def make(*args):
    return run(["make", "--no-print-directory", "-C", ROOT] + list(args), "make " + " ".join(args))


def layout(prefix):
    """The files make install must write under prefix (relative), per the installed layout."""
    headers = ["vmlinux.h", "vmlinux-x86_64.h", "vmlinux-aarch64.h"] + \
        ["bpf/" + h for h in LIBBPF_HEADERS] + \
        [os.path.basename(h) for h in glob.glob(os.path.join(ROOT, "bpf", "*.bpf.h"))]
    share = prefix + "/share/ecli/"
    return sorted([prefix + "/bin/ecli", prefix + "/bin/ecc",
                   prefix + "/lib/systemd/system/ecli@.service"] +
                  [share + "include/" + h for h in headers] +
                  [share + "schema/package.schema.json"] +
                  [share + "packages/%s.json" % t for t in TOOLS])


def files_under(d):
    return sorted(os.path.relpath(os.path.join(top, f), d)
                  for top, _, names in os.walk(d) for f in names)


def built_file(rel):
    """The file of the build that an installed path (relative to the prefix) is a copy of."""
    parts = rel.split("/")
    if parts[0] == "bin":
        return os.path.join(ROOT, "build", parts[1])
    kind, rest = parts[2], "/".join(parts[3:])
    if kind == "include":
        return os.path.join(ROOT, "build", "include", rest)
    if kind == "schema":
        return os.path.join(ROOT, "schema", rest)
    return os.path.join(ROOT, "build", "packages", rest[:-len(".json")], "package.json")


class Destdir:
    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="ship-install-")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def check_installed(dest, prefix):
    check_equal(files_under(dest), [p.lstrip("/") for p in layout(prefix)], "installed files")
    for rel in layout(prefix):
        path = dest + rel
        mode = stat.S_IMODE(os.stat(path).st_mode)
        check_equal(mode, 0o755 if "/bin/" in rel else 0o644, "mode of " + rel)
        if rel.endswith("/ecli@.service"):  # the template, running the installed ecli
            with open(path) as a, open(os.path.join(ROOT, "deploy", "ecli@.service")) as b:
                check_equal(a.read(), b.read().replace("ExecStart=/usr/bin/ecli ",
                                                       "ExecStart=%s/bin/ecli " % prefix),
                            "the installed unit")
            continue
        with open(path, "rb") as a, open(built_file(rel[len(prefix) + 1:]), "rb") as b:
            check(a.read() == b.read(), "%s is a copy of the build's" % rel)


@test
def install_default_prefix_is_the_layout():
    with Destdir() as d:
        make("install", "DESTDIR=" + d.path)
        check_installed(d.path, "/usr/local")


@test
def install_with_prefix():
    with Destdir() as d:
        make("install", "DESTDIR=" + d.path, "PREFIX=/opt/ecli")
        check_installed(d.path, "/opt/ecli")


@test
def installed_ecc_finds_its_headers_and_builds_killwatch_outside_the_tree():
    with Destdir() as d:
        make("install", "DESTDIR=" + d.path, "PREFIX=/usr")
        bindir = os.path.join(d.path, "usr", "bin")
        env = {k: v for k, v in os.environ.items() if k not in ("ECC_INCLUDE", "ECC_CFLAGS")}
        out = run([os.path.join(bindir, "ecc"), "--version"], "installed ecc --version", env=env)
        lines = out.splitlines()
        check_equal(lines[0], "ecc " + VERSION, "the version line")
        check_equal(lines[-1], "include: " + os.path.join(d.path, "usr", "share", "ecli", "include"),
                    "the include dir of the installed ecc")
        work = tempfile.mkdtemp(prefix="ship-killwatch-")
        try:
            for f in ("killwatch.bpf.c", "killwatch.h"):
                shutil.copy(os.path.join(KILLWATCH, f), work)
            run([os.path.join(bindir, "ecc"), "killwatch.bpf.c", "killwatch.h"],
                "installed ecc killwatch.bpf.c killwatch.h", cwd=work, env=env)
            with open(os.path.join(work, "package.json")) as f:
                meta = json.load(f)["meta"]
            check_equal(meta["export_types"][0]["name"], "kill_event", "the event type")
            help_text = run([os.path.join(bindir, "ecli"), "run", "package.json", "-h"],
                            "installed ecli run package.json -h", cwd=work, env=env)
            check("--pid" in help_text and "--tag" in help_text,
                  "the installed ecli reads the package's options: %r" % help_text)
        finally:
            shutil.rmtree(work, ignore_errors=True)


@test
def uninstall_removes_exactly_what_install_wrote():
    with Destdir() as d:
        make("install", "DESTDIR=" + d.path)
        make("uninstall", "DESTDIR=" + d.path)
        check_equal(files_under(d.path), [], "files left")
        check(not os.path.exists(os.path.join(d.path, "usr", "local", "share", "ecli")),
              "share/ecli removed")
        # A tool the user added to the packages folder, and the folder, stay.
        make("install", "DESTDIR=" + d.path)
        mine = os.path.join(d.path, "usr", "local", "share", "ecli", "packages", "mytool.json")
        with open(mine, "w") as f:
            f.write("{}")
        make("uninstall", "DESTDIR=" + d.path)
        check_equal(files_under(d.path), ["usr/local/share/ecli/packages/mytool.json"],
                    "files left after uninstall with a user's tool")


def deb_info(deb):
    fields = {}
    for line in run(["dpkg-deb", "-f", deb], "dpkg-deb -f " + deb).splitlines():
        if line[:1] not in (" ", "") and ":" in line:
            k, v = line.split(":", 1)
            fields[k] = v.strip()
    files = sorted(line.split()[-1][1:] for line in
                   run(["dpkg-deb", "-c", deb], "dpkg-deb -c " + deb).splitlines()
                   if not line.startswith("d"))
    return fields, files


def deb_file(deb, path):
    return subprocess.run(["sh", "-c", 'dpkg-deb --fsys-tarfile "$1" | tar -xOf - ".$2"', "sh",
                           deb, path], capture_output=True, check=True).stdout


def depends(fields):
    return [d.strip().split(" ")[0] for d in fields["Depends"].split(",")]


@test
def deb_runtime_package():
    make("deb")
    debs = glob.glob(os.path.join(ROOT, "build", "deb", "ecli_*.deb"))
    check_equal([os.path.basename(x).split("_")[1] for x in debs], [VERSION], "ecli .deb files")
    fields, files = deb_info(debs[0])
    check_equal((fields["Package"], fields["Version"]), ("ecli", VERSION), "name and version")
    check_equal(files, sorted(["/usr/bin/ecli", "/usr/share/doc/ecli/changelog.gz",
                               "/usr/share/doc/ecli/copyright",
                               "/usr/lib/systemd/system/ecli@.service"] +
                              ["/usr/share/ecli/packages/%s.json" % t for t in TOOLS]),
                "the runtime package's files")
    deps = depends(fields)
    # libcurl4, libssl3 and libsodium23 are opened only to fetch or sign, with dlopen: named by
    # hand, never lost
    for lib in ("libbpf1", "libcjson1", "zlib1g", "libc6", "libcurl4", "libssl3", "libsodium23"):
        check(lib in deps, "Depends has %s: %r" % (lib, fields["Depends"]))
    # Shared libraries only: no -dev, no toolchain.
    check_equal([x for x in deps if not re.match(r"(lib.*[0-9][a-z0-9.+-]*|zlib1g)$", x) or
                 x.endswith("-dev")], [], "dependencies that are not shared libraries")


@test
def deb_build_package():
    make("deb")
    debs = glob.glob(os.path.join(ROOT, "build", "deb", "ecc_*.deb"))
    check_equal([os.path.basename(x).split("_")[1] for x in debs], [VERSION], "ecc .deb files")
    fields, files = deb_info(debs[0])
    check_equal((fields["Package"], fields["Version"]), ("ecc", VERSION), "name and version")
    check(fields["Depends"].startswith("ecli (= %s), " % VERSION),
          "Depends starts with this version of ecli: %r" % fields["Depends"])
    for tool in ("clang", "llvm", "bpftool", "libbpf-dev"):
        check(tool in depends(fields), "Depends has %s: %r" % (tool, fields["Depends"]))
    want = [p.replace("/usr/local", "/usr") for p in layout("/usr/local")
            if "/bin/ecli" not in p and "/packages/" not in p and "/systemd/" not in p]
    check_equal(files, sorted(want + ["/usr/share/doc/ecc/changelog.gz",
                                      "/usr/share/doc/ecc/copyright"]),
                "the build package's files")


@test
def deb_copyright_carries_the_license():
    make("deb")
    lic = os.path.join(ROOT, "LICENSE")
    for pkg in ("ecli", "ecc"):
        deb = glob.glob(os.path.join(ROOT, "build", "deb", "%s_*.deb" % pkg))[0]
        text = deb_file(deb, "/usr/share/doc/%s/copyright" % pkg).decode()
        if not os.path.exists(lic):
            check("TODO: the source tree has no LICENSE file yet" in text,
                  "%s's copyright says LICENSE is missing: %r" % (pkg, text))
            continue
        with open(lic) as f:
            check(f.read().strip() in text, "%s's copyright holds LICENSE" % pkg)
        for named in glob.glob(lic + ".*"):
            spdx = named.split("LICENSE.", 1)[1]
            if os.path.exists("/usr/share/common-licenses/" + spdx):
                check("/usr/share/common-licenses/" + spdx in text,
                      "%s's copyright points to Debian's %s" % (pkg, spdx))
            else:
                with open(named) as f:
                    check(f.read().strip() in text, "%s's copyright holds %s" % (pkg, named))


@test
def one_version_for_ecc_and_the_packages():
    out = run([os.path.join(ROOT, "build", "ecc"), "--version"], "build/ecc --version")
    check_equal(out.splitlines()[0], "ecc " + VERSION, "ecc's version is the Makefile's VERSION")


if __name__ == "__main__":
    sys.exit(run_all("ship-install"))
