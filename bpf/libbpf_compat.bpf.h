/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What newer libbpf's bpf_helpers.h gives BPF sources and Debian 12's libbpf 1.1 lacks, so that
 * current sources (libbpf-tools') compile unchanged: ecc's bpf/bpf_helpers.h is Debian's with
 * this included at its end. Each macro is defined only where libbpf did not define it.
 */
#ifndef LIBBPF_COMPAT_BPF_H
#define LIBBPF_COMPAT_BPF_H

/*
 * libbpf 1.2: whether a __weak __ksym symbol (a kfunc, a kernel variable) exists on the running
 * kernel; libbpf resolves a missing weak one to 0 at load. A symbol that is not weak would make
 * the answer a constant: refused at compile time.
 */
#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym)                                                                   \
	({                                                                                     \
		_Static_assert(!__builtin_constant_p(!!(sym)), #sym " must be declared __weak"); \
		!!(sym);                                                                       \
	})
#endif

/* libbpf 1.2: the compiler may assume nothing about var's value from here on. */
#ifndef barrier_var
#define barrier_var(var) asm volatile("" : "+r"(var))
#endif

/* libbpf 1.4: what the verifier may assume of a global function's argument (BTF decl tags). */
#ifndef __arg_ctx
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#endif
#ifndef __arg_nonnull
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))
#endif
#ifndef __arg_nullable
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))
#endif
#ifndef __arg_trusted
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#endif

#endif
