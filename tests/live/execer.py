"""Makes exec calls with known paths and arguments in a child process and says what execsnoop
must report.

The child names itself (prctl PR_SET_NAME), optionally drops to another uid, and, told to go,
tries each failing exec (exec returns an error and the child goes on), then sends back what it
did and performs the final exec, which replaces it with the program given (a copy of true(1)
under a name the test chose). With grandchild=True a grandchild of the test does all of that,
so that its parent is the child (for -P).
"""
import ctypes
import json
import os
import shutil

PR_SET_NAME = 15
TASK_COMM_LEN = 16


def program(directory, name):
    """An executable copy of true(1) named name in directory; its comm after exec is the name."""
    path = os.path.join(directory, name)
    shutil.copy(shutil.which("true"), path)
    os.chmod(path, 0o755)
    return path


class Exec:
    def __init__(self, path, argv, via_fd=False):
        self.path, self.argv, self.via_fd = path, list(argv), via_fd

    def run(self):
        if self.via_fd:  # fexecve(): execveat(fd, "", argv, envp, AT_EMPTY_PATH)
            fd = os.open(self.path, os.O_RDONLY)
            try:
                os.execve(fd, self.argv, os.environ)
            finally:
                os.close(fd)
        os.execv(self.path, self.argv)

    def record(self, ret, comm):
        return {"pid": os.getpid(), "ppid": os.getppid(), "uid": os.getuid(), "ret": ret,
                "comm": comm[:TASK_COMM_LEN - 1], "path": self.path, "argv": self.argv,
                "via_fd": self.via_fd}


# The test's ends of the pipes of children not yet done: a child forked later inherits them and
# must close them, or an earlier child would never see its go pipe close.
_parent_ends = set()


def _close_parent_ends():
    for fd in _parent_ends:
        os.close(fd)
    _parent_ends.clear()


def _release(*fds):
    for fd in fds:
        _parent_ends.discard(fd)
        os.close(fd)


class ExecChild:
    """A child that execs when told to: its pid is known first, for filters like -P."""

    def __init__(self, comm, final, failing=(), uid=None, grandchild=False):
        self.comm, self.final, self.failing = comm, final, list(failing)
        self.uid, self.grandchild = uid, grandchild
        go_r, self._go_w = os.pipe()
        self._res_r, res_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            _close_parent_ends()
            os.close(self._go_w)
            os.close(self._res_r)
            os._exit(self._child(go_r, res_w))
        os.close(go_r)
        os.close(res_w)
        _parent_ends.update((self._go_w, self._res_r))

    def _child(self, go_r, res_w):
        try:
            ctypes.CDLL(None).prctl(PR_SET_NAME, self.comm.encode(), 0, 0, 0)
            if self.uid is not None:
                os.setgid(self.uid)
                os.setuid(self.uid)
            if os.read(go_r, 1) != b"g":
                return 0  # closed without a go: the test gave up
            if not self.grandchild:
                return self._execs(res_w)
            pid = os.fork()
            if pid == 0:
                os._exit(self._execs(res_w))
            os.close(res_w)
            _, status = os.waitpid(pid, 0)
            return 0 if status == 0 else 1
        except BaseException:
            import traceback
            traceback.print_exc()
            return 1

    def _execs(self, res_w):
        try:
            done = []
            for x in self.failing:
                try:
                    x.run()
                except OSError as e:
                    done.append(x.record(-e.errno, self.comm))
                else:
                    raise AssertionError("exec %s returned without an error" % x.path)
            done.append(self.final.record(0, os.path.basename(self.final.path)))
            os.write(res_w, json.dumps(done).encode())
            os.close(res_w)
            self.final.run()
        except BaseException:
            import traceback
            traceback.print_exc()
        return 1

    def close(self):
        """Ends a child that will not be told to exec."""
        _release(self._go_w, self._res_r)
        os.waitpid(self.pid, 0)

    def go(self):
        """Lets the child exec; returns what it did, in order: failed execs, then the final."""
        os.write(self._go_w, b"g")
        _release(self._go_w)
        data = b""
        while True:
            chunk = os.read(self._res_r, 65536)
            if not chunk:
                break
            data += chunk
        _release(self._res_r)
        _, status = os.waitpid(self.pid, 0)
        if status or not data:
            raise AssertionError("exec child %s failed (status %d)" % (self.comm, status))
        return json.loads(data)
