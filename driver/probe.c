// SPDX-License-Identifier: GPL-2.0-only
/*
 * pyscap kernel module: the syscall tracepoint probes (bpf_core/probe.bpf.c) and the fillers of
 * the syscall events: generated from the schema (abi/scap_abi_fill.h, the file the CO-RE probe
 * expands too, here with the module's accessors: push.h), except the process events' (proc.c).
 * The table of fillers by event comes from the same generated lists (abi/scap_abi_progs.h). An
 * ia32 syscall (a 32-bit task, `int 0x80`) becomes its x86_64 twin first (abi/scap_abi_ia32.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/sched.h>
#include <asm/syscall.h>

#include "push.h"
#include "scap_abi_progs.h"

struct syscall_entry {
	u16 flags;
	u16 exit_event;
	u16 ppm_sc;
};
static const struct syscall_entry g_syscalls[SCAP_SYSCALL_NR_MAX] = SCAP_SYSCALL_TABLE_X86_64_INIT;
static const struct scap_ia32_entry g_ia32[SCAP_IA32_NR_MAX] = SCAP_IA32_TABLE_INIT;
static const struct scap_socketcall_entry g_socketcall[SCAP_SOCKETCALL_MAX] = SCAP_SOCKETCALL_TABLE_INIT;

/* scap_compat(): from the task's state, not a per-CPU variable, so that it holds wherever the
 * tracepoint may be preempted. */
u32 pyscap_compat(void)
{
	long nr;

	if (!in_compat_syscall())
		return 0;
	nr = syscall_get_nr(current, task_pt_regs(current));
	if (nr >= 0 && nr < SCAP_IA32_NR_MAX && g_ia32[nr].wide)
		return SCAP_COMPAT_32;
	return SCAP_COMPAT_32 | SCAP_COMPAT_NARROW;
}

typedef void (*filler_t)(struct pyscap_ev *e, const unsigned long *args, long ret);

/* How the generated fillers read here: the syscall's arguments, at exit as at enter. */
#define SCAP_FILLER_X(nm) static void fill_##nm##_x(struct pyscap_ev *e, const unsigned long *args, long ret)
#define SCAP_FILLER_E(nm) static void fill_##nm##_e(struct pyscap_ev *e, const unsigned long *args, long ret)
#define SCAP_BEGIN(type)  ((void)0)
#define SCAP_END	  ((void)0)
#define SCAP_END_PATH(i)  (e->path_param = (i) + 1)
#define SCAP_ARG(n)	  (args[n])
#define SCAP_EARG(n)	  (args[n])

#include "scap_abi_fill.h"

static const filler_t g_fillers[SCAP_EVT_MAX] = {
#define FILLER_E(nr, nm, evt) [evt] = fill_##nm##_e,
#define FILLER_X(nr, nm, evt) [evt] = fill_##nm##_x,
	SCAP_TOCTOU_SYSCALLS(FILLER_E) SCAP_EXIT_SYSCALLS(FILLER_X)
#undef FILLER_E
#undef FILLER_X
};

int pyscap_fillers_check(void)
{
	static const u8 nparams[SCAP_EVT_MAX] = SCAP_EVENT_NPARAMS_INIT;
	int i;

	/* Every syscall routed to an event must route to an exit event the schema knows, and have
	 * its filler. */
	for (i = 0; i < SCAP_SYSCALL_NR_MAX; i++) {
		u16 x = g_syscalls[i].exit_event;

		if (!(g_syscalls[i].flags & SCAP_UF_USED))
			continue;
		if (x >= SCAP_EVT_MAX || !(x & 1) || !g_fillers[x]) {
			pr_err("syscall %d routes to event %u, not an exit event with a filler\n", i, x);
			return -EINVAL;
		}
	}
	for (i = 0; i < SCAP_EVT_MAX; i++) {
		if (g_fillers[i] && nparams[i] > SCAP_MAX_PARAMS) {
			pr_err("event %d: %u parameters\n", i, nparams[i]);
			return -EINVAL;
		}
	}
	return 0;
}

bool pyscap_excluded(void)
{
	u32 n = READ_ONCE(g_pyscap.n_tgids), i;

	if (n) {
		s32 tgid = current->tgid;

		smp_rmb();
		for (i = 0; i < n && i < PYSCAP_MAX_EXCLUDED_TGIDS; i++)
			if (g_pyscap.tgids[i] == tgid)
				return true;
	}
	n = READ_ONCE(g_pyscap.n_comms);
	if (n) {
		smp_rmb();
		for (i = 0; i < n && i < PYSCAP_MAX_EXCLUDED_COMMS; i++)
			if (!strncmp(g_pyscap.comms[i], current->comm, PYSCAP_COMM_LEN))
				return true;
	}
	return false;
}

/* Is parameter i of e (a path, with its NUL) one of the excluded paths or under it? */
static bool path_excluded(const struct pyscap_ev *e, u32 i)
{
	u32 n = READ_ONCE(g_pyscap.n_paths), off = SCAP_EVENT_HEADER_SIZE + 2 * e->nparams, len, k;
	const char *path;

	if (!n || i >= e->nparams)
		return false;
	smp_rmb();
	for (k = 0; k < i; k++)
		off += get_unaligned((u16 *)(e->buf + SCAP_EVENT_HEADER_SIZE + 2 * k));
	len = get_unaligned((u16 *)(e->buf + SCAP_EVENT_HEADER_SIZE + 2 * i));
	path = (const char *)e->buf + off;
	for (k = 0; k < n && k < PYSCAP_MAX_EXCLUDED_PATHS; k++) {
		u32 plen = g_pyscap.path_len[k];

		if (!plen || plen + 1 > len || memcmp(path, g_pyscap.paths[k], plen))
			continue;
		if (plen == 1 || path[plen] == '/' || path[plen] == 0)
			return true; /* "/" is every absolute path */
	}
	return false;
}

static void fill_and_submit(u16 type, filler_t f, const unsigned long *args, long ret)
{
	struct pyscap_ev e;

	if (!pyscap_ev_begin(&e, type))
		return;
	f(&e, args, ret);
	if (e.path_param && path_excluded(&e, e.path_param - 1)) {
		((struct pyscap_ring *)e.ring)->info->n_excluded_paths++;
		pyscap_ev_abort(&e);
		return;
	}
	pyscap_ev_submit(&e, current->pid);
}

/* The generic event of a syscall without a dedicated one (or without its filler). */
static void submit_generic(u16 ppm_sc, u16 nr)
{
	struct pyscap_ev e;

	if (!pyscap_ev_begin(&e, SCAP_EVT_SYSCALL_X))
		return;
	push_u16(&e, ppm_sc);
	push_u16(&e, nr);
	pyscap_ev_submit(&e, current->pid);
}

/* The enter event of x86_64 syscall nr if it is a TOCTOU one, else 0. */
static u16 toctou_event(long nr)
{
	switch (nr) {
#define TOCTOU_CASE(n, nm, evt) \
	case n: return evt;
		SCAP_TOCTOU_SYSCALLS(TOCTOU_CASE)
#undef TOCTOU_CASE
	}
	return 0;
}

/* The ia32 syscall's six arguments (`int 0x80` from 64-bit code leaves the high halves). */
static void ia32_arguments(struct pt_regs *regs, unsigned long *args)
{
	int i;

	syscall_get_arguments(current, regs, args);
	for (i = 0; i < 6; i++)
		args[i] = (u32)args[i];
}

void pyscap_probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	unsigned long args[6];
	bool compat;
	u16 type;

	if (!READ_ONCE(g_pyscap.capturing))
		return;
	compat = in_compat_syscall();
	if (compat) {
		/* an ia32 TOCTOU syscall (socketcall: connect) gives its twin's enter event */
		u16 ppm_sc;
		u8 wide;

		if ((unsigned long)id >= SCAP_IA32_NR_MAX ||
		    (g_ia32[id].conv != SCAP_IA32_SOCKETCALL && !toctou_event(g_ia32[id].nr)))
			return;
		ia32_arguments(regs, args);
		id = scap_ia32_convert(g_ia32, g_socketcall, id, args, &ppm_sc, &wide);
	}
	type = toctou_event(id);
	if (!type || !(READ_ONCE(g_pyscap.interesting[id]) & PYSCAP_SC_NATIVE) || pyscap_excluded())
		return;
	if (!compat)
		syscall_get_arguments(current, regs, args);
	fill_and_submit(type, g_fillers[type], args, 0);
}

void pyscap_probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	long nr = syscall_get_nr(current, regs);
	const struct syscall_entry *s;
	unsigned long args[6];
	bool compat;
	filler_t f;
	u8 in;

	if ((unsigned long)nr >= SCAP_SYSCALL_NR_MAX || !READ_ONCE(g_pyscap.capturing))
		return;
	in = READ_ONCE(g_pyscap.interesting[nr]);
	compat = in_compat_syscall();
	if (!(in & (compat ? PYSCAP_SC_IA32 : PYSCAP_SC_NATIVE)))
		return;
	if (READ_ONCE(g_pyscap.drop_failed) && ret < 0)
		return;
	if (pyscap_excluded())
		return;
	if (compat) {
		u16 ppm_sc;
		u8 wide;

		ia32_arguments(regs, args);
		nr = scap_ia32_convert(g_ia32, g_socketcall, nr, args, &ppm_sc, &wide);
		if (nr < 0) {
			if (ppm_sc)
				submit_generic(ppm_sc, syscall_get_nr(current, regs));
			return;
		}
		/* socketcall's call may be one nobody asked for */
		if (nr >= SCAP_SYSCALL_NR_MAX || !(READ_ONCE(g_pyscap.interesting[nr]) & PYSCAP_SC_NATIVE))
			return;
	}
	s = &g_syscalls[nr];
	f = (s->flags & SCAP_UF_USED) ? g_fillers[s->exit_event] : NULL;
	if (!f) {
		submit_generic(s->ppm_sc, nr);
		return;
	}
	/* Successful execve/execveat are reported by sched_process_exec. */
	if ((s->exit_event == SCAP_EVT_EXECVE_X || s->exit_event == SCAP_EVT_EXECVEAT_X) && ret == 0)
		return;
	if (!compat)
		syscall_get_arguments(current, regs, args);
	fill_and_submit(s->exit_event, f, args, ret);
}
