/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * How an ia32 syscall becomes the event of its x86_64 twin, for both drivers (the table:
 * abi/scap_abi_syscalls_ia32.h, from schema/syscalls_ia32.py). A 32-bit task, or a 64-bit one
 * through `int 0x80`, enters the kernel's ia32 table: the drivers read its arguments from its
 * registers (ebx, ecx, edx, esi, edi, ebp: syscall_get_arguments() in the kmod, the probe's
 * dispatcher), convert them here to the twin's, and fill the twin's event with the twin's filler;
 * the push layer reads the syscall's structs in their compat layout (scap_compat()).
 *
 * Included after abi/scap_abi_push.h (scap_read_user, SCAP_INLINE).
 */
#ifndef SCAP_ABI_IA32_H
#define SCAP_ABI_IA32_H

#include "scap_abi_syscalls_ia32.h"

struct scap_ia32_entry {
	__u16 nr; /* the x86_64 twin, SCAP_IA32_NONE if none */
	__u16 ppm_sc;
	__u8 conv; /* enum scap_ia32_conv */
	__u8 wide; /* 64-bit timespec / rlimit / off_t */
};

struct scap_socketcall_entry {
	__u16 nr;
	__u16 nargs;
};

/* The first n (<= 6) arguments are the 32-bit words at user address u, the others 0; -1 if
 * they cannot be read (the kernel then fails the call with EFAULT). */
SCAP_INLINE int scap_ia32_mem_args(unsigned long *args, unsigned long u, __u32 n)
{
	__u32 w[8] = {};
	/* n <= 6 (the table's); the bound is for the BPF verifier (and w has room for 7) */
	__u32 len = SCAP_BOUND(n, 7) * 4;

	if (len && scap_read_user(w, len, u) < 0)
		return -1;
	args[0] = w[0];
	args[1] = w[1];
	args[2] = w[2];
	args[3] = w[3];
	args[4] = w[4];
	args[5] = w[5];
	return 0;
}

/*
 * Turn ia32 syscall nr, whose six register arguments are in args, into its x86_64 twin: the
 * twin's number with args converted in place, or -1 when it has none (*ppm_sc is then the code
 * of its generic event, 0 if it produces nothing). *wide tells whether its structs are the 64-bit
 * ones (SCAP_COMPAT_NARROW otherwise).
 */
SCAP_INLINE long scap_ia32_convert(const struct scap_ia32_entry *tab, const struct scap_socketcall_entry *calls,
				   unsigned long nr, unsigned long *args, __u16 *ppm_sc, __u8 *wide)
{
	const struct scap_ia32_entry *t;
	unsigned long call;

	if (nr >= SCAP_IA32_NR_MAX)
		return -1;
	t = &tab[nr];
	*ppm_sc = t->ppm_sc;
	*wide = t->wide;
	switch (t->conv) {
	case SCAP_IA32_SOCKETCALL:
		call = args[0];
		if (call >= SCAP_SOCKETCALL_MAX || !calls[call].nr)
			return -1; /* the kernel fails it with EINVAL: the generic socketcall event */
		if (scap_ia32_mem_args(args, args[1], calls[call].nargs) < 0)
			return -1;
		return calls[call].nr;
	case SCAP_IA32_MEM6:
		if (scap_ia32_mem_args(args, args[0], 6) < 0)
			return -1;
		break;
	case SCAP_IA32_MEM5:
		if (scap_ia32_mem_args(args, args[0], 5) < 0)
			return -1;
		break;
	case SCAP_IA32_MMAP2: args[5] = (__u64)(__u32)args[5] << 12; break;
	case SCAP_IA32_LLSEEK:
		args[1] = (__u64)(__u32)args[1] << 32 | (__u32)args[2];
		args[2] = args[4];
		args[3] = 0;
		args[4] = 0;
		break;
	case SCAP_IA32_LOHI3: args[3] = (__u64)(__u32)args[4] << 32 | (__u32)args[3]; break;
	case SCAP_IA32_LOHI1: args[1] = (__u64)(__u32)args[2] << 32 | (__u32)args[1]; break;
	case SCAP_IA32_SEXT1: args[1] = (__u64)(__s64)(__s32)args[1]; break;
	case SCAP_IA32_CLONE: {
		unsigned long tls = args[3];

		args[3] = args[4];
		args[4] = tls;
		break;
	}
	case SCAP_IA32_UMOUNT: args[1] = 0; break;
	default: break;
	}
	return t->nr == SCAP_IA32_NONE ? -1 : t->nr;
}

#endif /* SCAP_ABI_IA32_H */
