/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pyscap's CO-RE probe.
 *
 * tp_btf/sys_exit runs the dispatcher: syscall id from pt_regs->orig_ax, the interesting-
 * syscall bitmap first (a syscall nobody asked for costs a load and a compare), then the
 * in-kernel exclusions (tgids, comms), drop_failed, the arguments into the per-CPU auxmap, and a
 * tail call into the per-syscall program (generated: abi/scap_abi_fill.h; or hand-written:
 * programs/proc.h). Syscalls without a dedicated event, or whose program is missing, produce the
 * generic `syscall` exit event here. An ia32 syscall (a 32-bit task, `int 0x80`) becomes its
 * x86_64 twin first: its number, its arguments (abi/scap_abi_ia32.h) and the layout its structs
 * are read in (scap_compat()), so that the twin's program fills its event.
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

/* Argument n of the syscall, in a program the sys_exit dispatcher tail-called. */
static __always_inline unsigned long cur_arg(int n)
{
	struct auxmap *a = ev_current();

	return a ? a->args[n] : 0;
}

#define ARG(n) cur_arg(n)

/* TOCTOU enter events (abi/scap_abi_progs.h lists them). Each body has three entry points, of
 * which the engine (libscap/engines/bpf_core) loads and attaches one kind: an fentry program on
 * the syscall's own function (__x64_sys_NAME), where the kernel runs BPF trampolines; else the
 * syscall's own tracepoint (syscalls/sys_enter_NAME, with tracefs); both are attached only while
 * the syscall is of interest, so that other syscalls pay nothing for them. The last resort, for
 * kernels with neither, is a program tail-called from the raw sys_enter dispatcher (below),
 * which every syscall then enters. None of these sees an ia32 syscall: for those, a kprobe on the
 * syscall's ia32 function (__ia32_compat_sys_NAME or __ia32_sys_NAME) reads the arguments from
 * the ia32 registers, or, with the raw sys_enter dispatcher, a program it tail-calls through
 * sys_enter_ia32 (which converted them). The bodies read their arguments with EARG(n). */
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
		if (!(interesting[TOCTOU_NR_##nm] & PROBE_SC_NATIVE) || !traced_task())              \
			return 0;                                                                    \
		return nm##_enter_regs(regs);                                                        \
	}                                                                                            \
	SEC("tracepoint/syscalls/sys_enter_" #nm)                                                    \
	int nm##_tp(struct trace_event_raw_sys_enter *tp)                                            \
	{                                                                                            \
		if (!(interesting[TOCTOU_NR_##nm] & PROBE_SC_NATIVE) || !traced_current())           \
			return 0;                                                                    \
		/* constant offsets: the verifier takes no computed ctx pointer */                   \
		unsigned long args[6] = {                                                            \
			tp->args[0], tp->args[1], tp->args[2], tp->args[3], tp->args[4], tp->args[5] \
		};                                                                                   \
		return nm##_enter(args);                                                             \
	}                                                                                            \
	SEC("tp_btf/sys_enter")                                                                      \
	int BPF_PROG(nm##_e32, struct pt_regs *regs, long id)                                        \
	{                                                                                            \
		struct auxmap *a = ev_current();                                                     \
                                                                                                     \
		return a ? nm##_enter(a->args) : 0;                                                  \
	}                                                                                            \
	SEC("kprobe")                                                                                \
	int BPF_KPROBE(nm##_k32, struct pt_regs *uregs)                                              \
	{                                                                                            \
		unsigned long args[6];                                                               \
                                                                                                     \
		if (!(interesting[TOCTOU_NR_##nm] & PROBE_SC_NATIVE) || !traced_ia32_task())         \
			return 0;                                                                    \
		ia32_args(uregs, args);                                                              \
		return nm##_enter(args);                                                             \
	}                                                                                            \
	static __always_inline int nm##_enter(const unsigned long *args)

/* An ia32 syscall's six arguments, from its saved user registers (the argument of its
 * __ia32_* function). */
static __always_inline void ia32_args(struct pt_regs *u, unsigned long *args)
{
	args[0] = (__u32)BPF_CORE_READ(u, bx);
	args[1] = (__u32)BPF_CORE_READ(u, cx);
	args[2] = (__u32)BPF_CORE_READ(u, dx);
	args[3] = (__u32)BPF_CORE_READ(u, si);
	args[4] = (__u32)BPF_CORE_READ(u, di);
	args[5] = (__u32)BPF_CORE_READ(u, bp);
}

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
#define SCAP_END	 return ev_submit(e)
#define SCAP_END_PATH(i) return ev_submit_path(e, i)
#define SCAP_ARG(n)	 (e->args[n])
#define SCAP_EARG(n)	 (args[n])
#define MAX_STR		 SCAP_MAX_STR

struct generic_event {
	struct scap_evt_hdr hdr;
	__u16 lens[2];
	__u16 ppm_sc;
	__u16 native_id;
} __attribute__((packed));

static __always_inline int emit_generic(__u16 ppm_sc, long id, __u32 tid)
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
	e->ppm_sc = ppm_sc;
	e->native_id = id;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

#include "scap_abi_fill.h" /* every generated filler */
#include "programs/sched.h"
#include "programs/proc.h"
#include "programs/table.h"

/* connect's enter event for an ia32 socketcall(SYS_CONNECT, args): a kprobe on its function
 * (__ia32_compat_sys_socketcall), attached while connect is of interest. */
SEC("kprobe")
int BPF_KPROBE(socketcall_k32, struct pt_regs *uregs)
{
	unsigned long args[6];

	if (!(interesting[TOCTOU_NR_connect] & PROBE_SC_NATIVE) || !traced_ia32_task())
		return 0;
	ia32_args(uregs, args);
	if (args[0] != 3 /* SYS_CONNECT */ || scap_ia32_mem_args(args, args[1], 3) < 0)
		return 0;
	return connect_enter(args);
}

/* The key of ia32_progs and ia32_enter_progs, read from the .bss (always 0) so that their tail
 * calls are not direct jumps that the verifier patches into the caller (the leak described at
 * auxmap.cont_common, maps.h). */
__u32 ia32_key;

/* The ia32 TOCTOU syscalls, for the raw sys_enter dispatcher: their arguments converted into the
 * auxmap, then their twin's program, which reads them there. */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_ia32, struct pt_regs *regs, long raw)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct auxmap *a = bpf_map_lookup_elem(&auxmaps, &cpu);
	__u16 ppm_sc = 0;
	__u8 wide = 0;
	long id;

	if (!a || is_excluded())
		return 0;
	a->args[0] = (__u32)regs->bx;
	a->args[1] = (__u32)regs->cx;
	a->args[2] = (__u32)regs->dx;
	a->args[3] = (__u32)regs->si;
	a->args[4] = (__u32)regs->di;
	a->args[5] = (__u32)regs->bp;
	id = scap_ia32_convert((const void *)ia32_table, (const void *)socketcall_table, raw, a->args, &ppm_sc, &wide);
	if (id < 0 || !(interesting[id & (SCAP_SYSCALL_NR_MAX - 1)] & PROBE_SC_NATIVE))
		return 0;
	bpf_tail_call(ctx, &syscall_enter32_progs, id);
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} ia32_enter_progs SEC(".maps") = {
	.values = { [0] = (void *)&sys_enter_ia32 },
};

/* The last resort for the TOCTOU enter events (no fentry, no syscall tracepoints): every syscall
 * enters here; all but the TOCTOU ones leave at once (an ia32 one: where the engine marked its
 * number PROBE_SC_IA32_ENTER, a load and a test first). */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	if ((unsigned long)id < SCAP_SYSCALL_NR_MAX && (interesting[id] & PROBE_SC_IA32_ENTER) &&
	    is_compat(bpf_get_current_task_btf()))
		bpf_tail_call(ctx, &ia32_enter_progs, ia32_key);
	switch (id) {
#define TOCTOU_CASE(nr, nm, evt) case nr:
		SCAP_TOCTOU_SYSCALLS(TOCTOU_CASE) break;
#undef TOCTOU_CASE
	default: return 0;
	}
	if (!(interesting[id & (SCAP_SYSCALL_NR_MAX - 1)] & PROBE_SC_NATIVE) || !traced_task())
		return 0;
	bpf_tail_call(ctx, &syscall_enter_progs, id);
	return 0;
}

/* An ia32 syscall: the event of its x86_64 twin, or its generic event. A separate program, so that
 * the x86_64 dispatcher stays as short as it was. */
SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_ia32, struct pt_regs *regs, long ret)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct auxmap *a = bpf_map_lookup_elem(&auxmaps, &cpu);
	unsigned long raw = regs->orig_ax;
	__u16 ppm_sc = 0;
	__u8 wide = 0;
	long id;

	if (!a)
		return 0;
	a->args[0] = (__u32)regs->bx;
	a->args[1] = (__u32)regs->cx;
	a->args[2] = (__u32)regs->dx;
	a->args[3] = (__u32)regs->si;
	a->args[4] = (__u32)regs->di;
	a->args[5] = (__u32)regs->bp;
	id = scap_ia32_convert((const void *)ia32_table, (const void *)socketcall_table, raw, a->args, &ppm_sc, &wide);
	if (id < 0) {
		if (ppm_sc)
			return emit_generic(ppm_sc, raw, cur_tid());
		return 0;
	}
	id &= SCAP_SYSCALL_NR_MAX - 1;
	/* socketcall's call may be one nobody asked for */
	if (!(interesting[id] & PROBE_SC_NATIVE))
		return 0;
	a->compat = SCAP_COMPAT_32 | (wide ? 0 : SCAP_COMPAT_NARROW);
	if (syscall_table[id].exit_event)
		bpf_tail_call(ctx, &syscall_exit_progs, id);
	return emit_generic(syscall_table[id].ppm_sc, id, cur_tid());
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} ia32_progs SEC(".maps") = {
	.values = { [0] = (void *)&sys_exit_ia32 },
};

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	long id = regs->orig_ax;
	struct task_struct *t;
	struct auxmap *a;
	__u32 cpu;
	__u8 in;

	if ((unsigned long)id >= SCAP_SYSCALL_NR_MAX)
		return 0;
	in = interesting[id];
	if (!in)
		return 0;
	t = bpf_get_current_task_btf();
	if (is_excluded_task(t))
		return 0;
	if (settings.drop_failed && ret < 0)
		return 0;
	if (is_compat(t)) {
		if (in & PROBE_SC_IA32)
			bpf_tail_call(ctx, &ia32_progs, ia32_key);
		return 0;
	}
	if (!(in & PROBE_SC_NATIVE))
		return 0;
	if (!syscall_table[id].exit_event)
		return emit_generic(syscall_table[id].ppm_sc, id, t->pid);
	cpu = bpf_get_smp_processor_id();
	a = bpf_map_lookup_elem(&auxmaps, &cpu);
	if (!a)
		return 0;
	a->args[0] = regs->di;
	a->args[1] = regs->si;
	a->args[2] = regs->dx;
	a->args[3] = regs->r10;
	a->args[4] = regs->r8;
	a->args[5] = regs->r9;
	a->compat = 0;
	bpf_tail_call(ctx, &syscall_exit_progs, id);
	return 0;
}
