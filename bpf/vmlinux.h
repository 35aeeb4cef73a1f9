/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's types for the architecture a program is compiled for (ecc defines
 * __TARGET_ARCH_x86 or __TARGET_ARCH_arm64): vmlinux-ARCH.h, dumped from that architecture's
 * kernel BTF with its kfuncs, staged beside this file in ecc's include dir.
 */
#if defined(__TARGET_ARCH_x86)
#include "vmlinux-x86_64.h"
#elif defined(__TARGET_ARCH_arm64)
#include "vmlinux-aarch64.h"
#else
#error "ecc has the kernel's types for x86 and arm64: compile with -D__TARGET_ARCH_x86 or -D__TARGET_ARCH_arm64"
#endif
