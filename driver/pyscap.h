/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces of the pyscap kernel module, every prototype of its files in one place.
 * The files mirror the CO-RE probe's (bpf_core/):
 *   main.c   devices, mappings, ioctls, tracepoint registrations
 *   ring.c   the event layer: begin, submit into this CPU's ring (bpf_core/push.h)
 *   probe.c  the tracepoint dispatchers and the generated fillers (bpf_core/probe.bpf.c, programs/table.h)
 *   path.c   files and their paths (bpf_core/path.h)
 *   sock.c   sockets (bpf_core/sock.h)
 *   task.c   tasks: memory, credentials, pid namespaces (bpf_core/task.h)
 *   proc.c   the process events: clone, execve (bpf_core/programs/proc.h)
 *   sched.c  the scheduler and signal tracepoints (bpf_core/programs/sched.h)
 * push.h has the accessors of the push layer both drivers share (abi/scap_abi_push.h).
 */
#ifndef PYSCAP_H
#define PYSCAP_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/version.h>

#include "pyscap_ioctl.h"

/* Scratch space per CPU where an event is built before it is copied into the ring. */
#define PYSCAP_SCRATCH_BYTES (SCAP_MAX_EVENT_SIZE + 16384)
/* Temporary area at the end of the scratch buffer, past any event payload. */
#define PYSCAP_TMP_OFF	(SCAP_MAX_EVENT_SIZE + 4096)
#define PYSCAP_TMP_SIZE 8192
#define PYSCAP_PATH_BUF 4096

/* Consumer settings, written under the module mutex, read locklessly by the probes. */
struct pyscap_settings {
	bool capturing;
	bool drop_failed;
	u32 snaplen;
	u8 interesting[SCAP_SYSCALL_NR_MAX]; /* per syscall nr: PYSCAP_SC_* bits */
	u8 tp[PYSCAP_TP_MAX];
	u32 n_tgids;
	s32 tgids[PYSCAP_MAX_EXCLUDED_TGIDS];
	u32 n_comms;
	char comms[PYSCAP_MAX_EXCLUDED_COMMS][PYSCAP_COMM_LEN];
	u32 n_paths;
	u8 path_len[PYSCAP_MAX_EXCLUDED_PATHS];
	char paths[PYSCAP_MAX_EXCLUDED_PATHS][PYSCAP_PATH_PREFIX_LEN];
};

extern struct pyscap_settings g_pyscap;

/* An event being built in this CPU's scratch buffer. */
struct pyscap_ev {
	u8 *buf;
	void *ring;  /* this CPU's ring (main.c) */
	u32 pos;     /* next payload byte */
	u32 idx;     /* next length slot */
	u32 nparams; /* the schema's parameter count for type */
	u32 off;     /* a cursor of the push layer's loops */
	u16 type;
	bool overflow; /* grew past SCAP_MAX_EVENT_SIZE */
	u8 path_param; /* 1 + the index of its path parameter (SCAP_END_PATH), or 0 */
};

struct task_struct;
struct linux_binprm;
struct kernel_siginfo;
struct k_sigaction;
struct pt_regs;
struct path;
struct file;
struct sock;
struct scap_sock;
struct scap_rec_fd;
struct scap_rec_usock;
struct scap_rec_backlog;
struct scap_rec_mm;
struct scap_rec_caps;
struct scap_task_info;
struct scap_exec_info;
struct scap_clone_info;

/* ring.c: start an event on this CPU (false: no ring here or re-entered; nothing to do). */
bool pyscap_ev_begin(struct pyscap_ev *e, u16 type);
/* ring.c: check the parameter count, stamp the header (ts now, tid), copy the event into this
 * CPU's ring. */
void pyscap_ev_submit(struct pyscap_ev *e, u64 tid);
/* ring.c: leave an event begun with pyscap_ev_begin() without submitting it. */
void pyscap_ev_abort(struct pyscap_ev *e);
/* ring.c: sched_switch counts context switches even when the switch event itself is off. */
void pyscap_count_switch(void);

/* One ring per possible CPU (main.c), published to the probes once both mappings can exist. */
struct pyscap_ring {
	struct pyscap_ring_info *info; /* one zeroed page */
	u8 *data;		       /* vmalloc_user, dim bytes */
	u32 dim;
};

struct pyscap_dev {
	struct pyscap_ring *ring;      /* published to the probes (NULL: none) */
	struct pyscap_ring_info *info; /* allocated at open */
	u8 *data;		       /* allocated at the first data mmap */
	u32 dim;
	bool open;
};

/* main.c: the devices, one per possible CPU, and the scratch buffers while a consumer exists
 * (read by ring.c). */
extern struct pyscap_dev *g_devs;
extern u8 **g_scratch;

/* probe.c: the tracepoint probes of the syscalls. */
void pyscap_probe_sys_enter(void *data, struct pt_regs *regs, long id);
void pyscap_probe_sys_exit(void *data, struct pt_regs *regs, long ret);
/* probe.c: the consumer's exclusions (tgids, comms) hold for the current task. */
bool pyscap_excluded(void);
/* probe.c: self-check of the filler table against the schema at load (0 or -EINVAL). */
int pyscap_fillers_check(void);

/* path.c */
struct file *pyscap_fd_file_rcu(long fd);
void scap_load_fd(struct scap_rec_fd *r, int fd);
void push_fd_path(struct pyscap_ev *e, int fd);
void push_d_path(struct pyscap_ev *e, const struct path *p);
void push_task_cwd(struct pyscap_ev *e, struct task_struct *t);
void push_task_exe_path(struct pyscap_ev *e, struct task_struct *t);
struct file *pyscap_mm_exe_file(struct task_struct *t);

/* sock.c */
bool scap_sock_get(int fd, struct scap_sock *k);
u32 scap_unix_path(u8 *dst, u64 sk);
void scap_load_usock(struct scap_rec_usock *r, int fd);
void scap_load_backlog(struct scap_rec_backlog *r, int fd);

/* task.c */
void pyscap_mm_stats(struct task_struct *t, struct scap_rec_mm *r);
void scap_load_mm(struct scap_rec_mm *r);
void scap_load_caps(struct scap_rec_caps *r);
struct cred;
void pyscap_cred_caps(const struct cred *cred, struct scap_rec_caps *r);
u64 pyscap_boot_to_real_offset(void);

/* proc.c: the hand-written fillers of the process events, and the exec tracepoint. */
void fill_clone_x(struct pyscap_ev *e, const unsigned long *args, long ret);
void fill_fork_x(struct pyscap_ev *e, const unsigned long *args, long ret);
void fill_vfork_x(struct pyscap_ev *e, const unsigned long *args, long ret);
void fill_clone3_x(struct pyscap_ev *e, const unsigned long *args, long ret);
void fill_execve_x(struct pyscap_ev *e, const unsigned long *args, long ret);
void fill_execveat_x(struct pyscap_ev *e, const unsigned long *args, long ret);
void scap_task_info(struct task_struct *t, struct scap_task_info *ti);
void scap_exec_info(struct task_struct *t, struct scap_exec_info *x);
void scap_clone_info(struct task_struct *t, struct scap_clone_info *c);
void push_task_comm(struct pyscap_ev *e, struct task_struct *t);
void push_task_cgroups(struct pyscap_ev *e, struct task_struct *t);
void pyscap_probe_sched_exec(void *data, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm);

/* sched.c: the scheduler and signal tracepoints. */
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

#endif /* PYSCAP_H */
