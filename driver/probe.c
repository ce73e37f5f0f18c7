// SPDX-License-Identifier: GPL-2.0-only
/*
 * pyscap kernel module: the syscall tracepoint probes (bpf_core/probe.bpf.c) and the fillers of
 * the syscall events: generated from the schema (abi/scap_abi_fill.h, the file the CO-RE probe
 * expands too, here with the module's accessors: push.h), except the process events' (proc.c).
 * The table of fillers by event comes from the same generated lists (abi/scap_abi_progs.h).
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

typedef void (*filler_t)(struct pyscap_ev *e, const unsigned long *args, long ret);

/* How the generated fillers read here: the syscall's arguments, at exit as at enter. */
#define SCAP_FILLER_X(nm) static void fill_##nm##_x(struct pyscap_ev *e, const unsigned long *args, long ret)
#define SCAP_FILLER_E(nm) static void fill_##nm##_e(struct pyscap_ev *e, const unsigned long *args, long ret)
#define SCAP_BEGIN(type)  ((void)0)
#define SCAP_END	  ((void)0)
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

static void fill_and_submit(u16 type, filler_t f, const unsigned long *args, long ret)
{
	struct pyscap_ev e;

	if (!pyscap_ev_begin(&e, type))
		return;
	f(&e, args, ret);
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

void pyscap_probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	unsigned long args[6];
	u16 type;

	switch (id) {
#define TOCTOU_CASE(nr, nm, evt) \
	case nr: type = evt; break;
		SCAP_TOCTOU_SYSCALLS(TOCTOU_CASE)
#undef TOCTOU_CASE
	default: return;
	}
	if (!READ_ONCE(g_pyscap.capturing) || !READ_ONCE(g_pyscap.interesting[id]) || in_compat_syscall() ||
	    pyscap_excluded())
		return;
	syscall_get_arguments(current, regs, args);
	fill_and_submit(type, g_fillers[type], args, 0);
}

void pyscap_probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	long nr = syscall_get_nr(current, regs);
	const struct syscall_entry *s;
	unsigned long args[6];
	filler_t f;

	if ((unsigned long)nr >= SCAP_SYSCALL_NR_MAX || !READ_ONCE(g_pyscap.capturing) ||
	    !READ_ONCE(g_pyscap.interesting[nr]) || in_compat_syscall())
		return;
	if (READ_ONCE(g_pyscap.drop_failed) && ret < 0)
		return;
	if (pyscap_excluded())
		return;
	s = &g_syscalls[nr];
	f = (s->flags & SCAP_UF_USED) ? g_fillers[s->exit_event] : NULL;
	if (!f) {
		submit_generic(s->ppm_sc, nr);
		return;
	}
	/* Successful execve/execveat are reported by sched_process_exec. */
	if ((s->exit_event == SCAP_EVT_EXECVE_X || s->exit_event == SCAP_EVT_EXECVEAT_X) && ret == 0)
		return;
	syscall_get_arguments(current, regs, args);
	fill_and_submit(s->exit_event, f, args, ret);
}
