# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Makes exec calls with known paths and arguments in a child process and says what execsnoop
must report.

An ExecChild (a Child: it names itself, optionally drops to another uid and waits for go),
told to go, tries each failing exec (exec returns an error and the child goes on), then sends
back what it did and performs the final exec, which replaces it with the program given (a copy
of true(1) under a name the test chose). With grandchild=True a grandchild of the test does all
of that, so that its parent is the child (for -P); with from_thread=True a thread other than the
process's first makes the final exec (the kernel then gives it the process's id).
"""
import os
import shutil
import threading

from child import Child

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


class ExecChild(Child):
    """A child that execs when told to: its pid is known first, for filters like -P."""
    kind = "exec"

    def __init__(self, comm, final, failing=(), uid=None, grandchild=False, from_thread=False):
        self.final, self.failing, self.grandchild = final, list(failing), grandchild
        self.from_thread = from_thread
        Child.__init__(self, comm, uid)

    def work(self):
        """Returns what it did, in order: failed execs, then the final one (done once sent)."""
        if self.grandchild and os.fork():
            # The parent of the one that execs (for -P): the grandchild answers and execs.
            _, status = os.wait()
            os._exit(0 if status == 0 else 1)
        done = []
        for x in self.failing:
            try:
                x.run()
            except OSError as e:
                done.append(x.record(-e.errno, self.comm))
            else:
                raise AssertionError("exec %s returned without an error" % x.path)
        done.append(self.final.record(0, os.path.basename(self.final.path)))
        return done

    def after_answer(self):
        if not self.from_thread:
            self.final.run()
        thread = threading.Thread(target=self.final.run)
        thread.start()
        thread.join()  # the exec replaces the whole process: this never returns
