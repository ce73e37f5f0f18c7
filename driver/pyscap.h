/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces of the pyscap kernel module: rings (main.c) and event fillers (fillers.c). */
#ifndef PYSCAP_H
#define PYSCAP_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/version.h>

#include "pyscap_ioctl.h"

/* Scratch space per CPU where an event is built before it is copied into the ring. */
#define PYSCAP_SCRATCH_BYTES (SCAP_MAX_EVENT_SIZE + 16384)

/* Consumer settings, written under the module mutex, read locklessly by the probes. */
struct pyscap_settings {
	bool capturing;
	bool drop_failed;
	u32 snaplen;
	u8 interesting[SCAP_SYSCALL_NR_MAX]; /* per native syscall nr */
	u8 tp[PYSCAP_TP_MAX];
	u32 n_tgids;
	s32 tgids[PYSCAP_MAX_EXCLUDED_TGIDS];
	u32 n_comms;
	char comms[PYSCAP_MAX_EXCLUDED_COMMS][PYSCAP_COMM_LEN];
};

extern struct pyscap_settings g_pyscap;

/* An event being built in this CPU's scratch buffer. */
struct pyscap_ev {
	u8 *buf;
	void *ring;  /* this CPU's ring (main.c) */
	u32 pos;     /* next payload byte */
	u32 idx;     /* next length slot */
	u32 nparams; /* the schema's parameter count for type */
	u16 type;
	bool overflow; /* grew past SCAP_MAX_EVENT_SIZE */
};

/* main.c: start an event on this CPU (false: no ring here or re-entered; nothing to do). */
bool pyscap_ev_begin(struct pyscap_ev *e, u16 type);
/* main.c: stamp the header (ts now, tid) and copy the event into this CPU's ring. */
void pyscap_ev_submit(struct pyscap_ev *e, u64 tid);
/* main.c: leave an event begun with pyscap_ev_begin() without submitting it. */
void pyscap_ev_abort(struct pyscap_ev *e);

/* fillers.c: the tracepoint probes. */
void pyscap_probe_sys_enter(void *data, struct pt_regs *regs, long id);
void pyscap_probe_sys_exit(void *data, struct pt_regs *regs, long ret);
struct task_struct;
struct linux_binprm;
struct kernel_siginfo;
struct k_sigaction;
void pyscap_probe_sched_exec(void *data, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm);
void pyscap_probe_sched_exit(void *data, struct task_struct *p);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 18, 0)
void pyscap_probe_sched_switch(void *data, bool preempt, struct task_struct *prev, struct task_struct *next,
			       unsigned int prev_state);
#else
void pyscap_probe_sched_switch(void *data, bool preempt, struct task_struct *prev, struct task_struct *next);
#endif
void pyscap_probe_signal_deliver(void *data, int sig, struct kernel_siginfo *info, struct k_sigaction *ka);
void pyscap_probe_page_fault_user(void *data, unsigned long address, struct pt_regs *regs, unsigned long error_code);
void pyscap_probe_page_fault_kernel(void *data, unsigned long address, struct pt_regs *regs, unsigned long error_code);
/* fillers.c: self-check of the filler table against the schema at load (0 or -EINVAL). */
int pyscap_fillers_check(void);

#endif /* PYSCAP_H */
