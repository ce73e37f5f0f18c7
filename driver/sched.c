// SPDX-License-Identifier: GPL-2.0-only
/* pyscap kernel module: the scheduler and signal tracepoints: procexit, switch, signaldeliver,
 * page_fault (bpf_core/programs/sched.h). */
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>

#include "push.h"

/* First thread of t's group that is not exiting (0 if none), among the first 16. */
static u32 live_thread(struct task_struct *t)
{
	struct task_struct *th;
	int n = 0;

	for_each_thread(t, th)
	{
		if (n++ >= 16)
			break;
		if (!(th->flags & PF_EXITING))
			return th->pid;
	}
	return 0;
}

/* Who adopts p's children (the kernel's find_new_reaper): a live thread of the group, else the
 * nearest child-subreaper ancestor, else the pid namespace's init; 0 if p is that init. */
static s64 find_reaper(struct task_struct *p)
{
	struct pid_namespace *ns = task_active_pid_ns(p);
	struct task_struct *ns_reaper = ns ? ns->child_reaper : NULL;
	u32 tid;
	int i;

	if (atomic_read(&p->signal->live) > 0) {
		tid = live_thread(p);
		if (tid)
			return tid;
	}
	if (!ns_reaper || ns_reaper->tgid == p->tgid)
		return 0;
	if (p->signal->has_child_subreaper) {
		struct task_struct *r = rcu_dereference(p->real_parent);

		for (i = 0; i < 8; i++) {
			if (!r || r == ns_reaper || r->pid == 0)
				break;
			if (r->signal->is_child_subreaper) {
				if (!(r->flags & PF_EXITING))
					return r->pid;
				tid = live_thread(r);
				if (tid)
					return tid;
			}
			r = rcu_dereference(r->real_parent);
		}
	}
	return ns_reaper->pid;
}

void pyscap_probe_sched_exit(void *data, struct task_struct *p)
{
	struct pyscap_ev e;
	u32 code = p->exit_code;
	s64 reaper;

	if (!READ_ONCE(g_pyscap.capturing) || pyscap_excluded())
		return;
	if (!pyscap_ev_begin(&e, SCAP_EVT_PROCEXIT_E))
		return;
	rcu_read_lock();
	reaper = find_reaper(p);
	rcu_read_unlock();
	push_procexit(&e, code, reaper);
	pyscap_ev_submit(&e, p->pid);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 18, 0)
void pyscap_probe_sched_switch(void *data, bool preempt, struct task_struct *prev, struct task_struct *next,
			       unsigned int prev_state)
#else
void pyscap_probe_sched_switch(void *data, bool preempt, struct task_struct *prev, struct task_struct *next)
#endif
{
	struct scap_rec_mm mm;
	struct pyscap_ev e;

	if (!READ_ONCE(g_pyscap.capturing))
		return;
	pyscap_count_switch();
	if (pyscap_excluded())
		return;
	if (!pyscap_ev_begin(&e, SCAP_EVT_SWITCH_E))
		return;
	pyscap_mm_stats(prev, &mm);
	push_s64(&e, next->pid);
	push_u64(&e, prev->maj_flt);
	push_u64(&e, prev->min_flt);
	push_u32(&e, mm.size);
	push_u32(&e, mm.rss);
	push_u32(&e, mm.swap);
	pyscap_ev_submit(&e, prev->pid);
}

void pyscap_probe_signal_deliver(void *data, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	struct pyscap_ev e;
	s64 spid = 0;

	if (!READ_ONCE(g_pyscap.capturing) || pyscap_excluded())
		return;
	if (!pyscap_ev_begin(&e, SCAP_EVT_SIGNALDELIVER_E))
		return;
	if (info)
		spid = info->si_pid;
	push_s64(&e, spid);
	push_s64(&e, current->pid);
	push_u8(&e, sig);
	pyscap_ev_submit(&e, current->pid);
}

/* Page faults (x86 exceptions tracepoints), as the CO-RE probe encodes them. */

static void page_fault(unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	struct pyscap_ev e;

	if (!READ_ONCE(g_pyscap.capturing) || pyscap_excluded())
		return;
	/* a fault taken while this CPU builds another event is counted as a preemption there */
	if (!pyscap_ev_begin(&e, SCAP_EVT_PAGE_FAULT_E))
		return;
	push_u64(&e, address);
	push_u64(&e, regs ? instruction_pointer(regs) : 0);
	push_u32(&e, scap_conv_pf_flags(error_code));
	pyscap_ev_submit(&e, current->pid);
}

void pyscap_probe_page_fault_user(void *data, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	page_fault(address, regs, error_code);
}

void pyscap_probe_page_fault_kernel(void *data, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	page_fault(address, regs, error_code);
}
