/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pyscap's CO-RE probe.
 *
 * tp_btf/sys_exit runs the dispatcher: syscall id from pt_regs->orig_ax, the interesting-
 * syscall bitmap first (a syscall nobody asked for costs a load and a compare), then the
 * in-kernel exclusions (tgids, comms), drop_failed, and a tail call into the per-syscall
 * program (generated: abi/scap_abi_fill.h; or hand-written: programs/proc.h). Syscalls without a
 * dedicated event, or whose program is missing, produce the generic `syscall` exit event here.
 *
 * Other hooks: the TOCTOU enter events (open, creat, openat, openat2, connect:
 * abi/scap_abi_progs.h) on fentry programs of their syscall functions, else on their own
 * syscall tracepoints (SC_ENTER below), and only where the kernel has neither on the sys_enter
 * dispatcher, which every syscall then enters; sched_process_exec (successful execve/execveat),
 * sched_process_exit (procexit), and sched_switch / signal_deliver / page faults (off by default).
 *
 * The fillers of the syscall events are generated from the schema (abi/scap_abi_fill.h: the same
 * file the kernel module expands); the helpers are split by job: maps.h (maps, settings, the
 * current task), push.h (event construction, the accessors of abi/scap_abi_push.h), path.h
 * (files, paths), sock.h (sockets), task.h (tasks). programs/ holds the hand-written programs:
 * proc.h (clone, execve), sched.h (scheduler and signal tracepoints), table.h (tail-call arrays).
 */
#include "maps.h"
#include "push.h"
#include "path.h"
#include "sock.h"
#include "task.h"
#include "scap_abi_progs.h" /* the syscalls with programs */

char LICENSE[] SEC("license") = "GPL";

/* A per-syscall exit program: tail-called from the dispatcher with the same context. */
#define SC_EXIT(nm)                                                                                    \
	static __always_inline int nm##_exit(unsigned long long *ctx, struct pt_regs *regs, long ret); \
	SEC("tp_btf/sys_exit")                                                                         \
	int BPF_PROG(nm##_x, struct pt_regs *regs, long ret)                                           \
	{                                                                                              \
		return nm##_exit(ctx, regs, ret);                                                      \
	}                                                                                              \
	static __always_inline int nm##_exit(unsigned long long *ctx, struct pt_regs *regs, long ret)

#define BEGIN(type)                        \
	struct auxmap *a = ev_begin(type); \
	if (!a)                            \
	return 0

#define ARG(n) sc_arg(regs, n)

/* TOCTOU enter events (abi/scap_abi_progs.h lists them). Each body has three entry points, of
 * which the engine (libscap/engines/bpf_core) loads and attaches one kind: an fentry program on
 * the syscall's own function (__x64_sys_NAME), where the kernel runs BPF trampolines; else the
 * syscall's own tracepoint (syscalls/sys_enter_NAME, with tracefs); both are attached only while
 * the syscall is of interest, so that other syscalls pay nothing for them. The last resort, for
 * kernels with neither, is a program tail-called from the raw sys_enter dispatcher (below),
 * which every syscall then enters. The bodies read their arguments with EARG(n). */
#define SC_ENTER(nm)                                                                                 \
	static __always_inline int nm##_enter(const unsigned long *args);                            \
	static __always_inline int nm##_enter_regs(struct pt_regs *regs)                             \
	{                                                                                            \
		unsigned long args[6] = { sc_arg(regs, 0), sc_arg(regs, 1), sc_arg(regs, 2),         \
					  sc_arg(regs, 3), sc_arg(regs, 4), sc_arg(regs, 5) };       \
		return nm##_enter(args);                                                             \
	}                                                                                            \
	SEC("tp_btf/sys_enter")                                                                      \
	int BPF_PROG(nm##_e, struct pt_regs *regs, long id)                                          \
	{                                                                                            \
		return nm##_enter_regs(regs);                                                        \
	}                                                                                            \
	SEC("fentry/__x64_sys_" #nm)                                                                 \
	int BPF_PROG(nm##_fe, struct pt_regs *regs)                                                  \
	{                                                                                            \
		if (!interesting[TOCTOU_NR_##nm] || !traced_task())                                  \
			return 0;                                                                    \
		return nm##_enter_regs(regs);                                                        \
	}                                                                                            \
	SEC("tracepoint/syscalls/sys_enter_" #nm)                                                    \
	int nm##_tp(struct trace_event_raw_sys_enter *tp)                                            \
	{                                                                                            \
		if (!interesting[TOCTOU_NR_##nm] || !traced_current())                               \
			return 0;                                                                    \
		/* constant offsets: the verifier takes no computed ctx pointer */                   \
		unsigned long args[6] = {                                                            \
			tp->args[0], tp->args[1], tp->args[2], tp->args[3], tp->args[4], tp->args[5] \
		};                                                                                   \
		return nm##_enter(args);                                                             \
	}                                                                                            \
	static __always_inline int nm##_enter(const unsigned long *args)

enum {
#define TOCTOU_NR(nr, nm, evt) TOCTOU_NR_##nm = nr,
	SCAP_TOCTOU_SYSCALLS(TOCTOU_NR)
#undef TOCTOU_NR
};

/* How the generated fillers (abi/scap_abi_fill.h) read and submit here. */
#define SCAP_FILLER_X(nm) SC_EXIT(nm)
#define SCAP_FILLER_E(nm) SC_ENTER(nm)
#define SCAP_BEGIN(type)                   \
	struct auxmap *e = ev_begin(type); \
	if (!e)                            \
	return 0
#define SCAP_END     return ev_submit(e)
#define SCAP_ARG(n)  sc_arg(regs, n)
#define SCAP_EARG(n) (args[n])
#define MAX_STR	     SCAP_MAX_STR

struct generic_event {
	struct scap_evt_hdr hdr;
	__u16 lens[2];
	__u16 ppm_sc;
	__u16 native_id;
} __attribute__((packed));

static __always_inline int emit_generic(long id, __u32 tid)
{
	struct probe_counters *c = cpu_counters();
	__u32 cpu = bpf_get_smp_processor_id();
	struct generic_event *e;
	void *rb;

	c->n_evts++;
	rb = bpf_map_lookup_elem(&ringbufs, &cpu);
	if (!rb) {
		c->n_drops_buffer++;
		return 0;
	}
	e = bpf_ringbuf_reserve(rb, sizeof(*e), 0);
	if (!e) {
		c->n_drops_buffer++;
		c->n_drops_category[SCAP_DROP_OTHER_INTEREST_EXIT]++;
		return 0;
	}
	e->hdr.ts = now_ts();
	e->hdr.tid = tid;
	e->hdr.len = sizeof(*e);
	e->hdr.type = SCAP_EVT_SYSCALL_X;
	e->hdr.nparams = 2;
	e->lens[0] = 2;
	e->lens[1] = 2;
	e->ppm_sc = syscall_table[id & (SCAP_SYSCALL_NR_MAX - 1)].ppm_sc;
	e->native_id = id;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

#include "scap_abi_fill.h" /* every generated filler */
#include "programs/sched.h"
#include "programs/proc.h"
#include "programs/table.h"

/* The last resort for the TOCTOU enter events (no fentry, no syscall tracepoints): every syscall
 * enters here; all but the TOCTOU ones leave at once. */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	switch (id) {
#define TOCTOU_CASE(nr, nm, evt) case nr:
		SCAP_TOCTOU_SYSCALLS(TOCTOU_CASE) break;
#undef TOCTOU_CASE
	default: return 0;
	}
	if (!interesting[id & (SCAP_SYSCALL_NR_MAX - 1)] || !traced_task())
		return 0;
	bpf_tail_call(ctx, &syscall_enter_progs, id);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	long id = regs->orig_ax;
	struct task_struct *t;

	if ((unsigned long)id >= SCAP_SYSCALL_NR_MAX)
		return 0;
	if (!interesting[id])
		return 0;
	t = traced_task();
	if (!t)
		return 0;
	if (settings.drop_failed && ret < 0)
		return 0;
	if (syscall_table[id].exit_event)
		bpf_tail_call(ctx, &syscall_exit_progs, id);
	return emit_generic(id, t->pid);
}
