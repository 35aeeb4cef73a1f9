# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Makes bind() calls with known options in a child process and says what bindsnoop must report.

A BindChild (a Child: it names itself, optionally drops to another uid and waits for go)
performs each Bind in order (keeping the sockets open, so a later bind can collide with an
earlier one), and sends back the expected events.
"""
import ctypes
import os
import socket
import struct

from child import Child

IP_FREEBIND = 15
IP_TRANSPARENT = 19
IP_BIND_ADDRESS_NO_PORT = 24

LETTERS = "FTNRr"
OPTION_LETTER = {
    (socket.SOL_IP, IP_FREEBIND): "F",
    (socket.SOL_IP, IP_TRANSPARENT): "T",
    (socket.SOL_IP, IP_BIND_ADDRESS_NO_PORT): "N",
    (socket.SOL_SOCKET, socket.SO_REUSEADDR): "R",
    (socket.SOL_SOCKET, socket.SO_REUSEPORT): "r",
}
FAMILY_VERSION = {socket.AF_INET: 4, socket.AF_INET6: 6}
KIND_PROTO = {socket.SOCK_STREAM: "TCP", socket.SOCK_DGRAM: "UDP"}


class Bind:
    def __init__(self, family, kind, addr, port=0, options=(), device=None):
        self.family, self.kind, self.addr, self.port = family, kind, addr, port
        self.options, self.device = list(options), device

    def bind(self, s):
        s.bind((self.addr, self.port))

    def expected_address(self):
        return FAMILY_VERSION[self.family], canonical(self.family, self.addr)

    def flags(self):
        letters = {OPTION_LETTER[o] for o in self.options}
        return "".join(c if c in letters else "." for c in LETTERS)


class MismatchedBind(Bind):
    """An IPv6 socket given an IPv4 sockaddr through bind(2) itself; the kernel says EINVAL."""

    def __init__(self, addr, port):
        Bind.__init__(self, socket.AF_INET6, socket.SOCK_STREAM, addr, port)

    def bind(self, s):
        sin = struct.pack("=H", socket.AF_INET) + struct.pack("!H", self.port) + \
            socket.inet_aton(self.addr) + bytes(8)
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.bind(s.fileno(), ctypes.c_char_p(sin), len(sin)):
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))

    def expected_address(self):
        return 4, self.addr


def free_port(family=socket.AF_INET, kind=socket.SOCK_STREAM):
    """A port nothing is bound to now; call before tracing starts so it makes no events."""
    s = socket.socket(family, kind)
    s.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fixed_free_port(low=20100, high=32000):
    """A port below the kernel's ephemeral range (32768 up) that nothing holds for TCP or UDP,
    IPv4 or IPv6: a port-0 bind made meanwhile cannot be given it, as it can a free_port()."""
    for port in range(low, high):
        held = False
        for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                s = socket.socket(family, kind)
                try:
                    s.bind((addr, port))
                except OSError:
                    held = True
                finally:
                    s.close()
        if not held:
            return port
    raise AssertionError("no free port in %d..%d" % (low, high))


def canonical(family, addr):
    return socket.inet_ntop(family, socket.inet_pton(family, addr))


def _perform(b, keep):
    s = socket.socket(b.family, b.kind)
    keep.append(s)
    for level, opt in b.options:
        s.setsockopt(level, opt, 1)
    ifindex = 0
    if b.device:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b.device.encode())
        ifindex = socket.if_nametoindex(b.device)
    ret, port = 0, b.port
    try:
        b.bind(s)
        port = s.getsockname()[1]
    except OSError as e:
        ret = -e.errno
    ip, addr = b.expected_address()
    return {"proto": KIND_PROTO[b.kind], "ip": ip, "addr": addr, "port": port,
            "opts": b.flags(), "if": ifindex, "ret": ret}


class BindChild(Child):
    """A child that binds when told to: its pid is known first, for filters like -p."""
    kind = "bind"

    def __init__(self, comm, binds, uid=None, setup=None):
        self.binds = binds
        Child.__init__(self, comm, uid, setup)

    def work(self):
        self._sockets, expected = [], []  # open until the child exits
        for b in self.binds:
            e = _perform(b, self._sockets)
            e.update(pid=os.getpid(), uid=os.getuid(), comm=self.comm[:15])
            expected.append(e)
        return expected


def run_binds(comm, binds, uid=None, setup=None):
    """Performs binds in a child named comm; returns the events bindsnoop must show, in order."""
    return BindChild(comm, binds, uid, setup).go()


def standard_binds():
    """One bind per option and family the issue names, then a bind that fails with EADDRINUSE."""
    in4, in6 = socket.AF_INET, socket.AF_INET6
    tcp, udp = socket.SOCK_STREAM, socket.SOCK_DGRAM
    p1, p2, p3, p4 = (free_port(), free_port(in4, udp), free_port(in6), free_port(in6, udp))
    return [
        Bind(in4, tcp, "127.0.0.1", p1),
        Bind(in4, udp, "127.0.0.1", p2, [(socket.SOL_SOCKET, socket.SO_REUSEADDR)]),
        Bind(in6, tcp, "::1", p3, [(socket.SOL_SOCKET, socket.SO_REUSEPORT)]),
        Bind(in6, udp, "::1", p4, [(socket.SOL_IP, IP_FREEBIND)]),
        Bind(in4, tcp, "10.255.255.1", 0,
             [(socket.SOL_IP, IP_FREEBIND), (socket.SOL_IP, IP_BIND_ADDRESS_NO_PORT)]),
        Bind(in4, tcp, "127.0.0.1", 0, [(socket.SOL_IP, IP_TRANSPARENT)]),
        Bind(in4, udp, "127.0.0.1", 0, device="lo"),
        Bind(in6, tcp, "::1", 0),
        Bind(in4, tcp, "127.0.0.1", p1),  # EADDRINUSE: p1 is held by the first socket
    ]
