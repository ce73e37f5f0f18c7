/* SPDX-License-Identifier: GPL-2.0-only */
/* Tasks: pid namespaces, process groups, memory counters, credentials. */
#ifndef PYSCAP_BPF_TASK_H
#define PYSCAP_BPF_TASK_H

#include "push.h"

static __always_inline __u32 task_vpid(struct task_struct *t, bool tgid)
{
	struct pid *pid;
	unsigned int level;
	struct upid up;

	if (tgid)
		pid = BPF_CORE_READ(t, group_leader, thread_pid);
	else
		pid = BPF_CORE_READ(t, thread_pid);
	level = BPF_CORE_READ(pid, level);
	bpf_probe_read_kernel(&up, sizeof(up), &pid->numbers[level & 31]);
	return up.nr;
}

static __always_inline __u32 task_pid_level(struct task_struct *t)
{
	return BPF_CORE_READ(t, thread_pid, level);
}

/* Process group / session ids in the init namespace and in the task's namespace. */
static __always_inline struct pid *task_sig_pid(struct task_struct *t, int type)
{
	struct signal_struct *s = BPF_CORE_READ(t, signal);
	struct pid *p = NULL;

	bpf_probe_read_kernel(&p, sizeof(p), &s->pids[type & 3]);
	return p;
}

static __always_inline __u32 pid_nr_init(struct pid *p)
{
	return BPF_CORE_READ(p, numbers[0].nr);
}

static __always_inline __u32 pid_nr_ns_of(struct pid *p, struct task_struct *t)
{
	unsigned int level = task_pid_level(t);
	struct upid up = {};
	if (!p)
		return 0;
	if (BPF_CORE_READ(p, level) < level)
		return 0;
	bpf_probe_read_kernel(&up, sizeof(up), &p->numbers[level & 31]);
	return up.nr;
}

struct mm_rss_stat___old {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___old {
	struct mm_rss_stat___old rss_stat;
} __attribute__((preserve_access_index));

/* mm counters in pages: MM_FILEPAGES 0, MM_ANONPAGES 1, MM_SWAPENTS 2, MM_SHMEMPAGES 3 */
static __always_inline long mm_counter(struct mm_struct *mm, int i)
{
	long v = 0;

	if (bpf_core_type_exists(struct mm_rss_stat___old) &&
	    bpf_core_field_exists(((struct mm_struct___old *)0)->rss_stat.count)) {
		struct mm_struct___old *o = (void *)mm;
		v = BPF_CORE_READ(o, rss_stat.count[i & 3].counter);
	} else {
		v = BPF_CORE_READ(mm, rss_stat[i & 3].count);
	}
	return v < 0 ? 0 : v;
}

/* vm_size, vm_rss, vm_swap of t in KiB, as /proc/PID/status shows them. */
static __always_inline void mm_stats(struct task_struct *t, struct scap_rec_mm *r)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);

	r->size = r->rss = r->swap = 0;
	if (!mm)
		return;
	r->size = BPF_CORE_READ(mm, total_vm) << 2;
	r->rss = (mm_counter(mm, 0) + mm_counter(mm, 1) + mm_counter(mm, 3)) << 2;
	r->swap = mm_counter(mm, 2) << 2;
}

/* The mm record: the calling task's. */
static __always_inline void scap_load_mm(struct scap_rec_mm *r)
{
	mm_stats(cur_task(), r);
}

static __always_inline void cred_caps(const struct cred *cred, struct scap_rec_caps *r)
{
	r->inheritable = 0;
	r->permitted = 0;
	r->effective = 0;
	BPF_CORE_READ_INTO(&r->inheritable, cred, cap_inheritable);
	BPF_CORE_READ_INTO(&r->permitted, cred, cap_permitted);
	BPF_CORE_READ_INTO(&r->effective, cred, cap_effective);
}

/* The caps record: the calling task's capabilities. */
static __always_inline void scap_load_caps(struct scap_rec_caps *r)
{
	cred_caps(BPF_CORE_READ(cur_task(), cred), r);
}

#endif /* PYSCAP_BPF_TASK_H */
