# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Debian's docker-registry, started by a test on 127.0.0.1 at a free port with its storage in
a temporary folder, and stopped on every path (stop(), and at exit)."""
import atexit
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from binder import free_port

START_SECONDS = 30  # a loaded 2-core machine can take a while to start it


class Registry:
    def __init__(self):
        exe = shutil.which("docker-registry") or "/usr/bin/docker-registry"
        if not os.path.exists(exe):
            raise AssertionError("docker-registry is not installed (make deps installs it)")
        self.dir = tempfile.mkdtemp(prefix="ecli-registry-")
        self.storage = os.path.join(self.dir, "storage")
        self.port = free_port()
        config = os.path.join(self.dir, "config.yml")
        with open(config, "w") as f:
            f.write("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                    "storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n"
                    "    enabled: true\nhttp:\n  addr: 127.0.0.1:%d\n" % (self.storage, self.port))
        self.log_path = os.path.join(self.dir, "log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([exe, "serve", config], stdout=self.log, stderr=self.log)
        atexit.register(self.stop)
        self._wait_until_it_answers()

    def _wait_until_it_answers(self):
        deadline = time.time() + START_SECONDS
        while True:
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/v2/" % self.port, timeout=1).read()
                return
            except (urllib.error.URLError, OSError):
                if self.proc.poll() is None and time.time() < deadline:
                    time.sleep(0.1)
                    continue
                with open(self.log_path, errors="replace") as f:
                    said = f.read()[-500:]
                self.stop()
                raise AssertionError("docker-registry did not start within %d s (exit %s): %s"
                                     % (START_SECONDS, self.proc.returncode, said))

    def ref(self, rest):
        return "127.0.0.1:%d/%s" % (self.port, rest)

    def get(self, path, accept=None):
        rq = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path))
        if accept:
            rq.add_header("Accept", accept)
        with urllib.request.urlopen(rq, timeout=10) as r:
            return r.read()

    def blob_file(self, digest):
        hexd = digest.split(":")[1]
        return os.path.join(self.storage, "docker", "registry", "v2", "blobs", "sha256",
                            hexd[:2], hexd, "data")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self.log.closed:
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
