# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""A process making known write() sizes, for the write_sizes test package's histogram
(tests/bpf/write_sizes): live-histograms prints it, live-metrics serves it."""
import os
import subprocess
import sys

from harness import ROOT, check_equal

PKG = os.path.join(ROOT, "build", "test-packages", "write_sizes", "package.json")
# (size, count) of the writes the writer makes: slots 0, 6 and 12
WRITES = [(1, 3), (100, 5), (5000, 2)]
# It says which descriptors it opened before tracing starts, and writes nothing else after.
WRITER = """
import os, sys
fds = [os.open("/dev/null", os.O_WRONLY) for _ in range(%d)]
print("ready", *fds, flush=True)
sys.stdin.readline()
for fd in fds:
    for size, count in %r:
        for _ in range(count):
            os.write(fd, b"x" * size)
"""


def expected_slots(repeat=1):
    vals = [0] * 26
    for size, count in WRITES:
        vals[size.bit_length() - 1 if size > 1 else 0] += count * repeat
    return vals


class Writer:
    """A process that makes WRITES on each of its descriptors once told to."""

    def __init__(self, fds=1):
        self.proc = subprocess.Popen([sys.executable, "-c", WRITER % (fds, WRITES)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        check_equal(line[:1], ["ready"], "the writer's first line")
        self.fds = [int(fd) for fd in line[1:]]

    def go(self):
        """The writes, once ecli traces: returns once the writer has made them and exited."""
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        check_equal(self.proc.wait(timeout=20), 0, "the writer's exit status")
        return self.fds

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


