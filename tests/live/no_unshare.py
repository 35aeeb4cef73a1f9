# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Runs a command whose unshare() calls fail with EINVAL, as they do in a process with threads:
no_unshare.py PROGRAM ARGS... (a seccomp filter, then exec in the same process; x86-64)."""
import ctypes
import os
import platform
import struct
import sys

NR_UNSHARE_X86_64 = 272
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
RET_ALLOW, RET_ERRNO, EINVAL = 0x7fff0000, 0x00050000, 22
LD_W_ABS, JEQ_K, RET_K = 0x20, 0x15, 0x06


def insn(code, jt, jf, k):
    return struct.pack("HBBI", code, jt, jf, k)


def main():
    if platform.machine() != "x86_64":
        sys.exit("no_unshare.py: knows the unshare syscall number of x86-64 only")
    prog = b"".join([insn(LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
                     insn(JEQ_K, 0, 1, NR_UNSHARE_X86_64),
                     insn(RET_K, 0, 0, RET_ERRNO | EINVAL),
                     insn(RET_K, 0, 0, RET_ALLOW)])
    filt = ctypes.create_string_buffer(prog)
    fprog = struct.pack("HxxxxxxQ", len(prog) // 8, ctypes.addressof(filt))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) or \
            libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.c_char_p(fprog), 0, 0):
        sys.exit("no_unshare.py: seccomp: %s" % os.strerror(ctypes.get_errno()))
    os.execv(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    main()
