// SPDX-License-Identifier: GPL-2.0-only
/* pyscap kernel module: tasks: memory counters, credentials, time (bpf_core/task.h). */
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "push.h"

/* vm_size, vm_rss, vm_swap of t in KiB, as /proc/PID/status shows them. */
void pyscap_mm_stats(struct task_struct *t, struct scap_rec_mm *r)
{
	struct mm_struct *mm = t->mm;

	r->size = 0;
	r->rss = 0;
	r->swap = 0;
	if (!mm)
		return;
	r->size = mm->total_vm << (PAGE_SHIFT - 10);
	r->rss = (get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
		  get_mm_counter(mm, MM_SHMEMPAGES))
		 << (PAGE_SHIFT - 10);
	r->swap = get_mm_counter(mm, MM_SWAPENTS) << (PAGE_SHIFT - 10);
}

/* The mm record: the calling task's. */
void scap_load_mm(struct scap_rec_mm *r)
{
	pyscap_mm_stats(current, r);
}

static u64 caps_u64(kernel_cap_t c)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return c.val;
#else
	return ((u64)c.cap[1] << 32) | c.cap[0];
#endif
}

/* The caps record of cred (under rcu_read_lock). */
void pyscap_cred_caps(const struct cred *cred, struct scap_rec_caps *r)
{
	r->inheritable = caps_u64(cred->cap_inheritable);
	r->permitted = caps_u64(cred->cap_permitted);
	r->effective = caps_u64(cred->cap_effective);
}

/* The caps record: the calling task's capabilities. */
void scap_load_caps(struct scap_rec_caps *r)
{
	rcu_read_lock();
	pyscap_cred_caps(__task_cred(current), r);
	rcu_read_unlock();
}

/* realtime - boottime: what the CO-RE engine's boot_time is (it measures it once at open). */
u64 pyscap_boot_to_real_offset(void)
{
	return ktime_to_ns(ktime_mono_to_any(0, TK_OFFS_REAL)) - ktime_to_ns(ktime_mono_to_any(0, TK_OFFS_BOOT));
}
