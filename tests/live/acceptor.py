# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""A child that listens, accepts connections the test makes, and says what tcpaccept must show.

The child names itself, listens on each (family, address) given, reports its ports, then
accepts one connection per listener once the test has connected. The connecting side is the
test process, so the events must name the child: the process that called accept().
"""
import os
import socket

from child import Child


class AcceptChild(Child):
    kind = "accept"

    def __init__(self, comm, listeners):
        self.listeners = listeners
        Child.__init__(self, comm)
        self.addresses = self.ready

    def prepare(self):
        self._servers = []
        for family, addr in self.listeners:
            s = socket.socket(family, socket.SOCK_STREAM)
            s.bind((addr, 0))
            s.listen()
            self._servers.append(s)
        return [s.getsockname()[:2] for s in self._servers]

    def work(self):
        expected = []
        for s in self._servers:
            conn, peer = s.accept()
            local = conn.getsockname()
            expected.append({"pid": os.getpid(), "comm": self.comm[:15],
                             "ip": 4 if s.family == socket.AF_INET else 6,
                             "raddr": peer[0], "rport": peer[1],
                             "laddr": local[0], "lport": local[1]})
            conn.close()
        return expected

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
        try:
            return Child.go(self)
        finally:
            for c in clients:
                c.close()
