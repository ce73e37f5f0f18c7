/* SPDX-License-Identifier: GPL-2.0-only */
/* The tail-call table: x86_64 native syscall number -> its exit program (libbpf fills it at load). */

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_SYSCALL_NR_MAX);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} syscall_exit_progs SEC(".maps") = {
	.values = {
#define P(nr, nm) [nr] = (void *)&nm##_x,
#include "syscalls.def"
#undef P
	},
};

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_SYSCALL_NR_MAX);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} syscall_enter_progs SEC(".maps") = {
	.values = {
		[2] = (void *)&open_e,
		[42] = (void *)&connect_e,
		[85] = (void *)&creat_e,
		[257] = (void *)&openat_e,
		[437] = (void *)&openat2_e,
	},
};
