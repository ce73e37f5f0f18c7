/* SPDX-License-Identifier: GPL-2.0-only */
/* The tail-call tables: x86_64 native syscall number -> its exit program, and the TOCTOU syscalls'
 * enter programs (abi/scap_abi_progs.h; libbpf fills them at load). */

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_SYSCALL_NR_MAX);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} syscall_exit_progs SEC(".maps") = {
	.values = {
#define EXIT_PROG(nr, nm, evt) [nr] = (void *)&nm##_x,
		SCAP_EXIT_SYSCALLS(EXIT_PROG)
#undef EXIT_PROG
	},
};

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_SYSCALL_NR_MAX);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} syscall_enter_progs SEC(".maps") = {
	.values = {
#define TOCTOU_PROG(nr, nm, evt) [nr] = (void *)&nm##_e,
		SCAP_TOCTOU_SYSCALLS(TOCTOU_PROG)
#undef TOCTOU_PROG
	},
};

/* The same for ia32 TOCTOU syscalls, by their twin's number (probe.bpf.c: sys_enter_ia32). */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_SYSCALL_NR_MAX);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} syscall_enter32_progs SEC(".maps") = {
	.values = {
#define TOCTOU_PROG(nr, nm, evt) [nr] = (void *)&nm##_e32,
		SCAP_TOCTOU_SYSCALLS(TOCTOU_PROG)
#undef TOCTOU_PROG
	},
};
