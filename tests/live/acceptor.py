"""A child that listens, accepts connections the test makes, and says what tcpaccept must show.

The child names itself, listens on each (family, address) given, reports its ports, then
accepts one connection per listener once the test has connected. The connecting side is the
test process, so the events must name the child: the process that called accept().
"""
import ctypes
import json
import os
import socket

PR_SET_NAME = 15


class AcceptChild:
    def __init__(self, comm, listeners):
        self.comm = comm
        ports_r, ports_w = os.pipe()
        self._go_r, self._go_w = os.pipe()
        self._res_r, res_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(ports_r)
            os.close(self._go_w)
            os.close(self._res_r)
            os._exit(self._child(listeners, ports_w, res_w))
        os.close(ports_w)
        os.close(self._go_r)
        os.close(res_w)
        self.addresses = json.loads(_read_all(ports_r))

    def _child(self, listeners, ports_w, res_w):
        try:
            ctypes.CDLL(None).prctl(PR_SET_NAME, self.comm.encode(), 0, 0, 0)
            servers = []
            for family, addr in listeners:
                s = socket.socket(family, socket.SOCK_STREAM)
                s.bind((addr, 0))
                s.listen()
                servers.append(s)
            os.write(ports_w, json.dumps([s.getsockname()[:2] for s in servers]).encode())
            os.close(ports_w)
            if os.read(self._go_r, 1) != b"g":
                return 0
            expected = []
            for s in servers:
                conn, peer = s.accept()
                local = conn.getsockname()
                expected.append({"pid": os.getpid(), "comm": self.comm[:15],
                                 "ip": 4 if s.family == socket.AF_INET else 6,
                                 "raddr": peer[0], "rport": peer[1],
                                 "laddr": local[0], "lport": local[1]})
                conn.close()
            os.write(res_w, json.dumps(expected).encode())
            return 0
        except BaseException:
            import traceback
            traceback.print_exc()
            return 1

    def go(self):
        """Connects to every listener from this process; returns the events to expect."""
        clients = []
        for addr, port in self.addresses:
            family = socket.AF_INET6 if ":" in addr else socket.AF_INET
            c = socket.socket(family, socket.SOCK_STREAM)
            if family == socket.AF_INET:
                c.bind(("127.0.0.2", 0))  # a remote address unlike the local one
            c.connect((addr, port))
            clients.append(c)
        os.write(self._go_w, b"g")
        os.close(self._go_w)
        data = _read_all(self._res_r)
        for c in clients:
            c.close()
        _, status = os.waitpid(self.pid, 0)
        if status or not data:
            raise AssertionError("accept child %s failed (status %d)" % (self.comm, status))
        return json.loads(data)

    def close(self):
        os.close(self._go_w)
        os.close(self._res_r)
        os.waitpid(self.pid, 0)


def _read_all(fd):
    data = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    os.close(fd)
    return data
