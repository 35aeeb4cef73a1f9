# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""A child process that does some kernel activity when the test says go, and says what it did.

The child names itself (prctl PR_SET_NAME) so its events can be told apart from the rest of the
machine, runs an optional setup (as root, e.g. to join a cgroup), optionally drops to another
uid, prepares (prepare(): its answer, such as a port or a thread id, is known to the test before
tracing starts) and waits. go() lets it do its work (work(): its answer is what the tool must
report) and waits for it; close() ends a child never told to go. Subclasses implement prepare()
and work(), both run in the child and returning something JSON can carry.
"""
import ctypes
import json
import os
import traceback

PR_SET_NAME = 15

_libc = ctypes.CDLL(None, use_errno=True)

# The test's ends of the pipes of children not yet done: a child forked later inherits them and
# must close them, or an earlier child would never see its go pipe close.
_parent_ends = set()


def _release(*fds):
    for fd in fds:
        _parent_ends.discard(fd)
        os.close(fd)


def _read_all(fd):
    data = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    _release(fd)
    return data


class Child:
    kind = "child"  # what it does, for messages: "bind child fl-pid-yes failed"

    def __init__(self, comm, uid=None, setup=None):
        self.comm, self.uid, self.setup = comm, uid, setup
        ready_r, ready_w = os.pipe()
        go_r, self._go_w = os.pipe()
        self._res_r, res_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            _release(*_parent_ends)  # earlier children's pipes: see _parent_ends
            os.close(ready_r)
            os.close(self._go_w)
            os.close(self._res_r)
            os._exit(self._child(ready_w, go_r, res_w))
        os.close(ready_w)
        os.close(go_r)
        os.close(res_w)
        _parent_ends.update((self._go_w, self._res_r))
        ready = _read_all(ready_r)
        if not ready:
            self.close()
            raise AssertionError("%s child %s did not start" % (self.kind, comm))
        self.ready = json.loads(ready)

    def _child(self, ready_w, go_r, res_w):
        try:
            _libc.prctl(PR_SET_NAME, self.comm.encode(), 0, 0, 0)
            if self.setup:
                self.setup()
            if self.uid is not None:
                os.setgid(self.uid)
                os.setuid(self.uid)
            os.write(ready_w, json.dumps(self.prepare()).encode())
            os.close(ready_w)
            if os.read(go_r, 1) != b"g":
                return 0  # closed without a go: the test gave up (os._exit ends any thread)
            os.write(res_w, json.dumps(self.work()).encode())
            os.close(res_w)
            self.after_answer()
            return 0
        except BaseException:
            traceback.print_exc()
            return 1

    def prepare(self):
        """In the child, before go: what the test must know before it starts tracing."""
        return None

    def work(self):
        """In the child, once told to go: does the work; returns what the tool must report."""
        raise NotImplementedError

    def after_answer(self):
        """In the child, once its answer is sent (an exec that replaces it goes here)."""

    def close(self):
        """Ends a child that will not be told to go."""
        _release(self._go_w, self._res_r)
        os.waitpid(self.pid, 0)

    def go(self):
        """Lets the child work and waits for it; returns what its work() returned."""
        os.write(self._go_w, b"g")
        _release(self._go_w)
        data = _read_all(self._res_r)
        _, status = os.waitpid(self.pid, 0)
        if status or not data:
            raise AssertionError("%s child %s failed (status %d)" % (self.kind, self.comm, status))
        return json.loads(data)
