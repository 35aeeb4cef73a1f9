"""Makes open calls with known flags in a child process and says what opensnoop must report.

The child names itself (prctl PR_SET_NAME) so its events can be told apart from the rest of the
machine, optionally drops to another uid, and optionally starts a second thread (whose thread id
the test learns before tracing starts, for -t). Told to go, it performs each Open through the
very syscall it names (open, openat or openat2, called directly so that no library adds flags)
and sends back the events opensnoop must show, in order: the main thread's, then the thread's.
"""
import ctypes
import json
import os
import platform
import struct
import threading

PR_SET_NAME = 15
AT_FDCWD = -100
SYSCALL_NUMBERS = {
    "x86_64": {"open": 2, "openat": 257, "openat2": 437},
    "aarch64": {"openat": 56, "openat2": 437},  # arm64 has no open(2)
}[platform.machine()]
HAVE_OPEN = "open" in SYSCALL_NUMBERS

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class Open:
    def __init__(self, path, flags, mode=0, syscall="openat"):
        if syscall == "open" and not HAVE_OPEN:
            syscall = "openat"
        self.path, self.flags, self.mode, self.syscall = path, flags, mode, syscall

    def perform(self):
        """Calls the syscall; returns the fd or -errno."""
        nr = ctypes.c_long(SYSCALL_NUMBERS[self.syscall])
        path = ctypes.c_char_p(self.path.encode())
        flags, mode = ctypes.c_long(self.flags), ctypes.c_long(self.mode)
        if self.syscall == "open":
            ret = _libc.syscall(nr, path, flags, mode)
        elif self.syscall == "openat":
            ret = _libc.syscall(nr, ctypes.c_long(AT_FDCWD), path, flags, mode)
        else:
            how = ctypes.create_string_buffer(struct.pack("=QQQ", self.flags, self.mode, 0), 24)
            ret = _libc.syscall(nr, ctypes.c_long(AT_FDCWD), path, how, ctypes.c_long(24))
        return ret if ret >= 0 else -ctypes.get_errno()

    def mode_text(self):
        """bcc's MODE: the mode in octal when the flags ask for one, else n/a."""
        asks = self.flags & os.O_CREAT or (self.flags & os.O_TMPFILE) == os.O_TMPFILE
        return "%04o" % self.mode if asks else "n/a"


def _perform_all(comm, opens):
    events = []
    for o in opens:
        ret = o.perform()
        events.append({"pid": os.getpid(), "tid": threading.get_native_id(), "uid": os.getuid(),
                       "comm": comm[:15], "fd": ret if ret >= 0 else -1,
                       "err": 0 if ret >= 0 else -ret, "flags": o.flags,
                       "mode": o.mode_text(), "path": o.path})
        if ret >= 0:
            os.close(ret)
    return events


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


class OpenChild:
    """A child that opens when told to: its pid (and its thread's id) are known first."""

    def __init__(self, comm, opens, uid=None, thread_opens=None):
        self.comm, self.opens, self.uid, self.thread_opens = comm, opens, uid, thread_opens
        ready_r, ready_w = os.pipe()
        go_r, self._go_w = os.pipe()
        self._res_r, res_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            _close_parent_ends()
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
            raise AssertionError("open child %s did not start" % comm)
        self.tid = json.loads(ready)["tid"]  # the second thread's id, or None

    def _child(self, ready_w, go_r, res_w):
        try:
            _libc.prctl(PR_SET_NAME, self.comm.encode(), 0, 0, 0)
            if self.uid is not None:
                os.setgid(self.uid)
                os.setuid(self.uid)
            thread, thread_go, thread_events, tid = None, threading.Event(), [], None
            told = []  # [True] once the test says go
            if self.thread_opens is not None:
                started = threading.Event()

                def run():
                    nonlocal tid
                    tid = threading.get_native_id()
                    started.set()
                    thread_go.wait()
                    if told:
                        thread_events.extend(_perform_all(self.comm, self.thread_opens))

                thread = threading.Thread(target=run)
                thread.start()
                started.wait()
            os.write(ready_w, json.dumps({"tid": tid}).encode())
            os.close(ready_w)
            if os.read(go_r, 1) != b"g":
                thread_go.set()
                return 0  # closed without a go: the test gave up
            told.append(True)
            events = _perform_all(self.comm, self.opens)
            if thread:
                thread_go.set()
                thread.join()
            os.write(res_w, json.dumps(events + thread_events).encode())
            return 0
        except BaseException:
            import traceback
            traceback.print_exc()
            return 1

    def close(self):
        """Ends a child that will not be told to open."""
        _release(self._go_w, self._res_r)
        os.waitpid(self.pid, 0)

    def go(self):
        """Lets the child open; returns the events opensnoop must show, in order."""
        os.write(self._go_w, b"g")
        _release(self._go_w)
        _parent_ends.discard(self._res_r)
        data = _read_all(self._res_r)
        _, status = os.waitpid(self.pid, 0)
        if status or not data:
            raise AssertionError("open child %s failed (status %d)" % (self.comm, status))
        return json.loads(data)


def _read_all(fd):
    data = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    os.close(fd)
    return data
