# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Makes open calls with known flags in a child process and says what opensnoop must report.

An OpenChild (a Child: it names itself, optionally drops to another uid and waits for go)
optionally starts a second thread (whose thread id the test learns before tracing starts, for
-t). Told to go, it performs each Open through the
very syscall it names (open, openat or openat2, called directly so that no library adds flags)
and sends back the events opensnoop must show, in order: the main thread's, then the thread's.
"""
import ctypes
import os
import platform
import struct
import threading

from child import Child

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


class OpenChild(Child):
    """A child that opens when told to: its pid (and its thread's id) are known first."""
    kind = "open"

    def __init__(self, comm, opens, uid=None, thread_opens=None):
        self.opens, self.thread_opens = opens, thread_opens
        Child.__init__(self, comm, uid)
        self.tid = self.ready["tid"]  # the second thread's id, or None

    def prepare(self):
        self._thread, self._thread_go, self._thread_events = None, threading.Event(), []
        if self.thread_opens is None:
            return {"tid": None}

        def run():
            self._thread_go.wait()  # never set without a go: then os._exit ends the thread
            self._thread_events.extend(_perform_all(self.comm, self.thread_opens))

        self._thread = threading.Thread(target=run)
        self._thread.start()  # returns once the thread runs, so its native_id is known
        return {"tid": self._thread.native_id}

    def work(self):
        events = _perform_all(self.comm, self.opens)
        if self._thread:
            self._thread_go.set()
            self._thread.join()
        return events + self._thread_events
