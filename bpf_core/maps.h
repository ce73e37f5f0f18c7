/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The probe's maps and globals (rings, the per-CPU event buffer, the syscall table, the settings
 * and counters user space shares through the mmap'd .bss) and the context of the current task:
 * exclusions, syscall arguments, time.
 */
#ifndef PYSCAP_BPF_MAPS_H
#define PYSCAP_BPF_MAPS_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "probe.h"

#define HDR_LEN	     26
#define AUX_SIZE     (128 * 1024)
#define AUX_HALF     (64 * 1024)
#define AUX_MASK     (AUX_HALF - 1)
#define SCRATCH_SIZE 8192
#define SCRATCH_MASK (SCRATCH_SIZE - 1)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1); /* resized to the number of possible CPUs before load */
	__type(key, __u32);
	__array(
		values, struct {
			__uint(type, BPF_MAP_TYPE_RINGBUF);
			__uint(max_entries, 8 * 1024 * 1024); /* resized to buffer_bytes before load */
		});
} ringbufs SEC(".maps");

/* This CPU's event under construction (push.h). */
struct auxmap {
	__u8 data[AUX_SIZE];
	__u8 scratch[SCRATCH_SIZE + 512];
	__u64 pos;	/* next payload byte in data */
	__u32 idx;	/* next length slot */
	__u32 nparams;	/* the schema's parameter count of the event (ev_submit checks idx) */
	__u32 overflow; /* the event grew past SCAP_MAX_EVENT_SIZE */
	/* Loop-carried cursors live here, not in registers: a value loaded from memory is an
	 * unknown scalar to the verifier, so the states of successive iterations can be pruned. */
	__u32 cur;
	__u32 off;
	/* What a tail-called continuation of the event needs (programs/proc.h). */
	__s64 cont_res;
	__u32 cont_flags;
	__u32 cont_next;
	/* The syscall's arguments, x86_64 ones (an ia32 syscall's converted: abi/scap_abi_ia32.h),
	 * set by the sys_exit dispatcher for the program it tail-calls (SCAP_ARG), and the layout
	 * of its structs (scap_compat()). */
	unsigned long args[6];
	__u32 compat;
	/* proc_tails' key of proc_common_x, read back from here so that the verifier does not know
	 * it: a tail call with a key it knows becomes a direct jump patched into the caller, and on
	 * 6.18 a lookup of the prog array by id (bpftool prog/map show, as monitoring runs it) during
	 * the teardown of a capture then leaked the array (tests/test_faults_live.py). */
	__u32 cont_common;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized to the number of possible CPUs before load */
	__type(key, __u32);
	__type(value, struct auxmap);
} auxmaps SEC(".maps");

const volatile struct {
	__u16 flags;
	__u16 exit_event;
	__u16 ppm_sc;
} syscall_table[SCAP_SYSCALL_NR_MAX] = SCAP_SYSCALL_TABLE_X86_64_INIT;

#include "scap_abi_syscalls_ia32.h"
const volatile struct {
	__u16 nr;
	__u16 ppm_sc;
	__u8 conv;
	__u8 wide;
} ia32_table[SCAP_IA32_NR_MAX] = SCAP_IA32_TABLE_INIT;

const volatile struct {
	__u16 nr;
	__u16 nargs;
} socketcall_table[SCAP_SOCKETCALL_MAX] = SCAP_SOCKETCALL_TABLE_INIT;

/* Set by user space before the load (probe.h). */
const volatile struct probe_excluded_paths excluded_paths;

/* Written by user space through the mmap'd .bss. */
struct probe_settings settings;
__u8 interesting[SCAP_SYSCALL_NR_MAX]; /* PROBE_SC_* bits */
struct probe_counters counters[PROBE_MAX_CPUS];

static const __u8 event_nparams[SCAP_EVT_MAX] = SCAP_EVENT_NPARAMS_INIT;

/* Mask a size for the verifier; the empty asm keeps the compiler from dropping the mask when it
 * can prove a tighter bound in a way the verifier cannot follow. */
#define BOUND(x, mask)                        \
	({                                    \
		__u64 __v = (x);              \
		asm volatile("" : "+r"(__v)); \
		__v &(mask);                  \
	})

/* ------------------------------------------------------------------------------------------ */
/* Context                                                                                     */

static __always_inline struct task_struct *cur_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

static __always_inline __u32 cur_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/* Kernel-side exclusion of tgids and comms (the consumer itself, noisy daemons), for the
 * current task of thread group tgid. */
static __always_inline bool is_excluded_tgid(__s32 tgid)
{
	__u32 n = settings.n_excluded_tgids;

	if (n) {
		for (__u32 i = 0; i < PROBE_MAX_EXCLUDED_TGIDS; i++) {
			if (i >= n)
				break;
			if (settings.excluded_tgids[i] == tgid)
				return true;
		}
	}
	n = settings.n_excluded_comms;
	if (n) {
		/* zeroed first: before 6.2 (strscpy, not strscpy_pad) the helper leaves the bytes
		 * after the NUL as they were, and the comparison covers all 16 */
		char comm[PROBE_COMM_LEN] = {};
		__u64 *c = (__u64 *)comm;
		bpf_get_current_comm(comm, sizeof(comm));
		for (__u32 i = 0; i < PROBE_MAX_EXCLUDED_COMMS; i++) {
			if (i >= n)
				break;
			__u64 *e = (__u64 *)settings.excluded_comms[i];
			if (c[0] == e[0] && c[1] == e[1])
				return true;
		}
	}
	return false;
}

/* t is the current task (bpf_get_current_task_btf(): a trusted pointer, so its fields are
 * direct loads). */
static __always_inline bool is_excluded_task(struct task_struct *t)
{
	return is_excluded_tgid(t->tgid);
}

static __always_inline bool is_excluded(void)
{
	return is_excluded_task(bpf_get_current_task_btf());
}

/* In an ia32 syscall (a 32-bit task, or `int 0x80`): the kernel's ia32 table, other numbers and
 * registers (the sys_exit dispatcher converts them: abi/scap_abi_ia32.h). */
static __always_inline bool is_compat(struct task_struct *t)
{
	return t->thread_info.status & 0x0002; /* TS_COMPAT */
}

/* The current task if its syscall is traced by the TOCTOU enter programs (not an ia32 syscall, whose
 * enter events are not produced; not excluded), else NULL: one helper call, then direct loads. */
static __always_inline struct task_struct *traced_task(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return is_compat(t) || is_excluded_task(t) ? NULL : t;
}

/* The current task is in an ia32 syscall and not excluded (the TOCTOU kprobes of the ia32
 * syscall functions, which only ia32 syscalls enter). */
static __always_inline bool traced_ia32_task(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return is_compat(t) && !is_excluded_task(t);
}

/* The same test in classic tracepoint programs, which may not hold BTF task pointers. The
 * syscalls/sys_enter_* tracepoints fire for native syscalls only, so there is no compat test. */
static __always_inline bool traced_current(void)
{
	return !is_excluded_tgid((__s32)(bpf_get_current_pid_tgid() >> 32));
}

static __always_inline struct probe_counters *cpu_counters(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return &counters[cpu & (PROBE_MAX_CPUS - 1)];
}

static __always_inline __u64 now_ts(void)
{
	return settings.boot_time + bpf_ktime_get_boot_ns();
}

/* Syscall arguments from the saved user registers (x86_64 ABI). regs is the tracepoint's typed
 * argument, so these are direct (CO-RE relocated) loads, not helper calls. */
static __always_inline unsigned long sc_arg(struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	case 5: return regs->r9;
	}
	return 0;
}

#endif /* PYSCAP_BPF_MAPS_H */
