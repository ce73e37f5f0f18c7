// SPDX-License-Identifier: GPL-2.0-only
/*
 * pyscap kernel module: the process events (bpf_core/programs/proc.h): the hand-written fillers
 * of clone, fork, vfork, clone3, execve, execveat (custom in the schema), whose parameters
 * abi/scap_abi_proc.h pushes in order from what this file reads of the task, and the exec
 * tracepoint (successful execve/execveat).
 */
#include <linux/binfmts.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/tty.h>

#include "push.h"
#include "scap_abi_proc.h"

void scap_task_info(struct task_struct *t, struct scap_task_info *ti)
{
	struct mm_struct *mm = t->mm;
	struct task_struct *parent;

	ti->arg_start = mm ? mm->arg_start : 0;
	ti->arg_end = mm ? mm->arg_end : 0;
	ti->tid = t->pid;
	ti->tgid = t->tgid;
	ti->ptid = 0;
	rcu_read_lock();
	parent = rcu_dereference(t->real_parent);
	if (parent)
		ti->ptid = parent->pid;
	rcu_read_unlock();
	ti->fdlimit = READ_ONCE(t->signal->rlim[RLIMIT_NOFILE].rlim_cur);
	ti->maj_flt = t->maj_flt;
	ti->min_flt = t->min_flt;
	pyscap_mm_stats(t, &ti->mm);
}

void push_task_comm(struct pyscap_ev *e, struct task_struct *t)
{
	push_kernel_str(e, t->comm, TASK_COMM_LEN);
}

/* cgroups: "subsys=path\0" for cpuset, cpu, cpuacct, io, memory (those the kernel has). */
void push_task_cgroups(struct pyscap_ev *e, struct task_struct *t)
{
	static const struct {
		const char *name;
		int id;
	} subsys[] = {
#if IS_ENABLED(CONFIG_CPUSETS)
		{ "cpuset", cpuset_cgrp_id },
#endif
#if IS_ENABLED(CONFIG_CGROUP_SCHED)
		{ "cpu", cpu_cgrp_id },
#endif
#if IS_ENABLED(CONFIG_CGROUP_CPUACCT)
		{ "cpuacct", cpuacct_cgrp_id },
#endif
#if IS_ENABLED(CONFIG_BLK_CGROUP)
		{ "io", io_cgrp_id },
#endif
#if IS_ENABLED(CONFIG_MEMCG)
		{ "memory", memory_cgrp_id },
#endif
	};
	u8 *out = scap_tmp(e), *path = scap_tmp(e) + 4096;
	u32 off = 0;
	int i;

	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(subsys); i++) {
		struct cgroup_subsys_state *css = task_css(t, subsys[i].id);
		u32 nl = strlen(subsys[i].name);
		int plen;

		if (!css || !css->cgroup)
			continue;
		plen = kernfs_path(css->cgroup->kn, path, 1024);
		if (plen < 0 || plen >= 1024 || off + nl + plen + 2 > 4096)
			continue;
		memcpy(out + off, subsys[i].name, nl);
		out[off + nl] = '=';
		memcpy(out + off + nl + 1, path, plen + 1);
		off += nl + plen + 2;
	}
	rcu_read_unlock();
	if (!off || !pyscap_room(e, off)) {
		pyscap_set_len(e, 0);
		return;
	}
	memcpy(scap_out(e, 0), out, off);
	pyscap_set_len(e, off);
}

static u64 ts_ns(struct timespec64 ts)
{
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* exe flags: writable by the caller (CAP_DAC_OVERRIDE or the mode bits), or from a memfd. */
static u32 exe_flags(struct file *exe, const struct cred *cred, u64 cap_effective)
{
	struct inode *i = file_inode(exe);
	u32 mode = i->i_mode, r = 0;

	if ((cap_effective & (1ull << CAP_DAC_OVERRIDE)) || (mode & 0002) ||
	    ((mode & 0200) && uid_eq(cred->fsuid, i->i_uid)) || ((mode & 0020) && gid_eq(cred->fsgid, i->i_gid)))
		r |= SCAP_EXECVE_FLAGS_EXE_WRITABLE;
	if (!strncmp(exe->f_path.dentry->d_name.name, "memfd:", 6))
		r |= SCAP_EXECVE_FLAGS_EXE_FROM_MEMFD;
	return r;
}

void scap_exec_info(struct task_struct *t, struct scap_exec_info *x)
{
	struct mm_struct *mm = t->mm;
	struct file *exe = pyscap_mm_exe_file(t);
	const struct cred *cred;
	struct tty_struct *tty;

	x->env_start = mm ? mm->env_start : 0;
	x->env_end = mm ? mm->env_end : 0;
	x->tty = 0;
	tty = t->signal->tty;
	if (tty && tty->driver)
		x->tty = new_encode_dev(MKDEV(tty->driver->major, tty->driver->minor_start + tty->index));
	rcu_read_lock();
	x->vpgid = pid_nr_ns(task_pgrp(t), task_active_pid_ns(t));
#ifdef CONFIG_AUDIT
	x->loginuid = __kuid_val(t->loginuid);
#else
	x->loginuid = (u32)-1;
#endif
	cred = __task_cred(t);
	pyscap_cred_caps(cred, &x->caps);
	x->flags = exe ? exe_flags(exe, cred, x->caps.effective) : 0;
	x->exe_ino = 0;
	x->exe_ctime = 0;
	x->exe_mtime = 0;
	if (exe) {
		struct inode *i = file_inode(exe);

		x->exe_ino = i->i_ino;
		x->exe_ctime = ts_ns(inode_get_ctime(i));
		x->exe_mtime = ts_ns(i->i_mtime);
	}
	x->euid = __kuid_val(cred->euid);
	x->pgid = pid_nr(task_pgrp(t));
	x->egid = __kgid_val(cred->egid);
	rcu_read_unlock();
	if (exe)
		fput(exe); /* deferred to task work: fine in atomic context */
}

void scap_clone_info(struct task_struct *t, struct scap_clone_info *c)
{
	const struct cred *cred;
	struct task_struct *reaper;

	c->pidns_init_start_ts = 0;
	rcu_read_lock();
	cred = __task_cred(t);
	c->euid = __kuid_val(cred->euid);
	c->egid = __kgid_val(cred->egid);
	reaper = task_active_pid_ns(t)->child_reaper;
	if (reaper)
		c->pidns_init_start_ts = reaper->start_boottime + pyscap_boot_to_real_offset();
	rcu_read_unlock();
	c->vtid = task_pid_vnr(t);
	c->vpid = task_tgid_vnr(t);
}

static void fill_clone_family(struct pyscap_ev *e, long ret, u64 raw_flags)
{
	push_s64(e, ret);
	push_proc_common(e, current);
	push_clone_rest(e, current, scap_clone_flags(raw_flags, task_active_pid_ns(current)->level > 0));
}

void fill_clone_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	fill_clone_family(e, ret, args[0]);
}

void fill_fork_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	fill_clone_family(e, ret, 0);
}

void fill_vfork_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	fill_clone_family(e, ret, SCAP_VFORK_FLAGS);
}

void fill_clone3_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	fill_clone_family(e, ret, scap_user_u64(args[0]));
}

/* Failed execve/execveat (the successful ones come from the exec tracepoint), with the caller's
 * data; execve's last parameter is the filename it was given. */
void fill_execve_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_proc_common(e, current);
	push_exec_rest(e, current);
	push_user_str(e, args[0], MAX_STR);
}

void fill_execveat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_proc_common(e, current);
	push_exec_rest(e, current);
}

void pyscap_probe_sched_exec(void *data, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct pyscap_ev e;

	if (!READ_ONCE(g_pyscap.capturing) || pyscap_excluded())
		return;
	if (!pyscap_ev_begin(&e, SCAP_EVT_EXECVE_X))
		return;
	push_s64(&e, 0);
	push_proc_common(&e, p);
	push_exec_rest(&e, p);
	push_kernel_str(&e, bprm->filename, MAX_STR);
	pyscap_ev_submit(&e, p->pid);
}
