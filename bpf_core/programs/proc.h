/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Process lifecycle: execve/execveat (success from sched_process_exec), clone/fork/vfork/clone3:
 * the hand-written fillers of the schema (custom), whose parameters abi/scap_abi_proc.h pushes in
 * order from what this file reads of the task.
 */

struct kernfs_node___old {
	struct kernfs_node___old *parent;
	const char *name;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(((struct kernfs_node___old *)0)->parent))
		return (void *)BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
	return BPF_CORE_READ(kn, __parent);
}

/* Write the kernfs path of kn ("/a/b", "/" for the root) at payload offset off; returns its
 * length without a terminator. */
static __always_inline __u32 put_kn_path(struct auxmap *a, __u64 off, struct kernfs_node *kn)
{
	__u32 cur, len;

	a->cur = 1024;
	for (int i = 0; i < 10; i++) {
		struct kernfs_node *p;
		const char *name;
		long n;
		if (!kn)
			break;
		p = kn_parent(kn);
		if (!p)
			break;
		name = BPF_CORE_READ(kn, name);
		/* read the name into a side window, then move it to its place */
		n = bpf_probe_read_kernel_str(&a->scratch[2048], 256, name);
		if (n <= 1)
			break;
		n -= 1;
		cur = a->cur;
		if (cur > 1024 || cur < n + 1)
			break;
		cur -= n;
		bpf_probe_read_kernel(&a->scratch[cur & 1023], n & 255, &a->scratch[2048]);
		cur -= 1;
		a->scratch[cur & 1023] = '/';
		a->cur = cur;
		kn = p;
	}
	cur = a->cur;
	if (cur >= 1024) {
		cur = 1023;
		a->scratch[cur & 1023] = '/';
	}
	len = 1024 - cur;
	append_kernel(a, off, &a->scratch[cur & 1023], len & 2047);
	return len & 2047;
}

/* cgroups: "subsys=path\0" for cpuset, cpu, cpuacct, io, memory (those this kernel has). */
static __always_inline void push_task_cgroups(struct auxmap *a, struct task_struct *t)
{
	__u64 start = a->pos, off = a->pos;
	int ids[5] = { -1, -1, -1, -1, -1 };

	if (!room(a, 6000)) {
		set_len(a, 0);
		return;
	}
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpuset_cgrp_id))
		ids[0] = bpf_core_enum_value(enum cgroup_subsys_id, cpuset_cgrp_id);
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpu_cgrp_id))
		ids[1] = bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id);
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpuacct_cgrp_id))
		ids[2] = bpf_core_enum_value(enum cgroup_subsys_id, cpuacct_cgrp_id);
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, io_cgrp_id))
		ids[3] = bpf_core_enum_value(enum cgroup_subsys_id, io_cgrp_id);
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		ids[4] = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	for (int i = 0; i < 5; i++) {
		struct cgroup_subsys_state *css;
		struct kernfs_node *kn;
		const char *ssname;
		long n;
		int id = ids[i];
		if (id < 0)
			continue;
		css = BPF_CORE_READ(t, cgroups, subsys[id & 15]);
		if (!css)
			continue;
		ssname = BPF_CORE_READ(css, ss, name);
		n = bpf_probe_read_kernel_str(&a->data[off & AUX_MASK], 32, ssname);
		if (n <= 1)
			continue;
		off += n - 1;
		a->data[off & AUX_MASK] = '=';
		off += 1;
		kn = BPF_CORE_READ(css, cgroup, kn);
		off += put_kn_path(a, off, kn);
		a->data[off & AUX_MASK] = 0;
		off += 1;
	}
	set_len(a, off - start);
}

static __always_inline void scap_task_info(struct task_struct *t, struct scap_task_info *ti)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	struct signal_struct *sig = BPF_CORE_READ(t, signal);

	ti->arg_start = 0;
	ti->arg_end = 0;
	if (mm) {
		ti->arg_start = BPF_CORE_READ(mm, arg_start);
		ti->arg_end = BPF_CORE_READ(mm, arg_end);
	}
	ti->tid = BPF_CORE_READ(t, pid);
	ti->tgid = BPF_CORE_READ(t, tgid);
	ti->ptid = BPF_CORE_READ(t, real_parent, pid);
	ti->fdlimit = BPF_CORE_READ(sig, rlim[7].rlim_cur); /* RLIMIT_NOFILE */
	ti->maj_flt = BPF_CORE_READ(t, maj_flt);
	ti->min_flt = BPF_CORE_READ(t, min_flt);
	mm_stats(t, &ti->mm);
}

#define push_task_cwd(a, t) push_cwd(a, t)

static __always_inline void push_task_comm(struct auxmap *a, struct task_struct *t)
{
	char comm[16];

	BPF_CORE_READ_INTO(&comm, t, comm);
	comm[15] = 0;
	push_kernel_str(a, comm, 16);
}

struct inode___v6_1 {
	struct timespec64 i_ctime;
	struct timespec64 i_mtime;
} __attribute__((preserve_access_index));

struct inode___v6_6 {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

static __always_inline void inode_times(struct inode *i, __u64 *ctime, __u64 *mtime)
{
	if (bpf_core_field_exists(i->i_ctime_sec)) {
		/* multigrain timestamps keep a "queried" flag in bit 31 of i_ctime_nsec */
		*ctime = BPF_CORE_READ(i, i_ctime_sec) * 1000000000ull + (BPF_CORE_READ(i, i_ctime_nsec) & 0x3fffffff);
		*mtime = BPF_CORE_READ(i, i_mtime_sec) * 1000000000ull + (BPF_CORE_READ(i, i_mtime_nsec) & 0x3fffffff);
		return;
	}
	struct inode___v6_1 *o = (void *)i;
	if (bpf_core_field_exists(((struct inode___v6_6 *)0)->__i_ctime)) {
		struct inode___v6_6 *m = (void *)i;
		*ctime = BPF_CORE_READ(m, __i_ctime.tv_sec) * 1000000000ull + BPF_CORE_READ(m, __i_ctime.tv_nsec);
	} else {
		*ctime = BPF_CORE_READ(o, i_ctime.tv_sec) * 1000000000ull + BPF_CORE_READ(o, i_ctime.tv_nsec);
	}
	*mtime = BPF_CORE_READ(o, i_mtime.tv_sec) * 1000000000ull + BPF_CORE_READ(o, i_mtime.tv_nsec);
}

static __always_inline __u32 task_tty(struct task_struct *t)
{
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
	__u32 major, minor;

	if (!tty)
		return 0;
	major = BPF_CORE_READ(tty, driver, major);
	minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
	return encode_dev((major << 20) | minor);
}

static __always_inline __u32 exe_flags(struct file *exe, const struct cred *cred)
{
	struct inode *i = BPF_CORE_READ(exe, f_inode);
	__u32 mode = BPF_CORE_READ(i, i_mode), r = 0;
	__u64 caps = 0;
	char name[6] = {};

	BPF_CORE_READ_INTO(&caps, cred, cap_effective);
	if ((caps & (1ull << 1)) /* CAP_DAC_OVERRIDE */ || (mode & 0002) ||
	    ((mode & 0200) && BPF_CORE_READ(cred, fsuid.val) == BPF_CORE_READ(i, i_uid.val)) ||
	    ((mode & 0020) && BPF_CORE_READ(cred, fsgid.val) == BPF_CORE_READ(i, i_gid.val)))
		r |= SCAP_EXECVE_FLAGS_EXE_WRITABLE;
	bpf_probe_read_kernel(name, sizeof(name), BPF_CORE_READ(exe, f_path.dentry, d_name.name));
	if (name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'f' && name[4] == 'd' && name[5] == ':')
		r |= SCAP_EXECVE_FLAGS_EXE_FROM_MEMFD;
	return r;
}

static __always_inline void scap_exec_info(struct task_struct *t, struct scap_exec_info *x)
{
	const struct cred *cred = BPF_CORE_READ(t, cred);
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	struct file *exe = BPF_CORE_READ(mm, exe_file);
	struct inode *i = BPF_CORE_READ(exe, f_inode);

	x->env_start = 0;
	x->env_end = 0;
	if (mm) {
		x->env_start = BPF_CORE_READ(mm, env_start);
		x->env_end = BPF_CORE_READ(mm, env_end);
	}
	x->tty = task_tty(t);
	x->vpgid = pid_nr_ns_of(task_sig_pid(t, 2), t);
	x->loginuid = BPF_CORE_READ(t, loginuid.val);
	x->flags = exe ? exe_flags(exe, cred) : 0;
	cred_caps(cred, &x->caps);
	x->exe_ino = 0;
	x->exe_ctime = 0;
	x->exe_mtime = 0;
	if (exe) {
		inode_times(i, &x->exe_ctime, &x->exe_mtime);
		x->exe_ino = BPF_CORE_READ(i, i_ino);
	}
	x->euid = BPF_CORE_READ(cred, euid.val);
	x->pgid = pid_nr_init(task_sig_pid(t, 2));
	x->egid = BPF_CORE_READ(cred, egid.val);
}

static __always_inline void push_task_exe_path(struct auxmap *a, struct task_struct *t)
{
	struct file *exe = BPF_CORE_READ(t, mm, exe_file);

	if (exe)
		push_path(a, BPF_CORE_READ(exe, f_path.dentry), BPF_CORE_READ(exe, f_path.mnt));
	else
		push_empty(a);
}

static __always_inline __u64 pidns_init_start_ts(struct task_struct *t)
{
	unsigned int level = BPF_CORE_READ(t, thread_pid, level);
	struct pid_namespace *ns = BPF_CORE_READ(t, thread_pid, numbers[level & 31].ns);
	struct task_struct *init = BPF_CORE_READ(ns, child_reaper);

	if (!init)
		return 0;
	return BPF_CORE_READ(init, start_boottime) + settings.boot_time;
}

static __always_inline void scap_clone_info(struct task_struct *t, struct scap_clone_info *c)
{
	const struct cred *cred = BPF_CORE_READ(t, cred);

	c->euid = BPF_CORE_READ(cred, euid.val);
	c->egid = BPF_CORE_READ(cred, egid.val);
	c->vtid = task_vpid(t, false);
	c->vpid = task_vpid(t, true);
	c->pidns_init_start_ts = pidns_init_start_ts(t);
}

#include "scap_abi_proc.h"

/*
 * The six process events of sys_exit (clone, fork, vfork, clone3, and failed execve/execveat)
 * share their first 15 parameters (push_proc_common(): paths, argv, cgroups: the bulk of the
 * verifier's work). Each starts its event and tail-calls proc_common_x, which pushes those and
 * tail-calls the event's continuation (clone_rest_x, exec_rest_x) with the same ctx: the verifier
 * checks the common part once instead of six times (probe load time: bench/README.md). What a
 * continuation needs rides in the auxmap (cont_*), which stays this CPU's through the calls.
 */
enum proc_tail {
	PT_COMMON,
	PT_CLONE_REST,
	PT_EXEC_REST,
	PT_MAX,
};

struct proc_tails_map {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, PT_MAX);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
};
/* a tentative definition: the one with the programs in it follows them, below */
struct proc_tails_map proc_tails SEC(".maps");

static __always_inline int proc_event(unsigned long long *ctx, __u16 type, long ret, __u32 flags, __u32 next)
{
	BEGIN(type);
	a->cont_res = ret;
	a->cont_flags = flags;
	a->cont_next = next;
	a->cont_common = PT_COMMON;
	bpf_tail_call(ctx, &proc_tails, *(volatile __u32 *)&a->cont_common);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(proc_common_x, struct pt_regs *regs, long ret)
{
	struct auxmap *a = ev_current();

	if (!a)
		return 0;
	push_s64(a, a->cont_res);
	push_proc_common(a, cur_task());
	bpf_tail_call(ctx, &proc_tails, a->cont_next);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(clone_rest_x, struct pt_regs *regs, long ret)
{
	struct auxmap *a = ev_current();

	if (!a)
		return 0;
	push_clone_rest(a, cur_task(), a->cont_flags);
	return ev_submit(a);
}

static __always_inline int clone_event(unsigned long long *ctx, __u16 type, long ret, __u64 raw_flags)
{
	return proc_event(ctx, type, ret, scap_clone_flags(raw_flags, task_pid_level(cur_task()) > 0), PT_CLONE_REST);
}

SC_EXIT(clone)
{
	return clone_event(ctx, SCAP_EVT_CLONE_X, ret, ARG(0));
}

SC_EXIT(fork)
{
	return clone_event(ctx, SCAP_EVT_FORK_X, ret, 0);
}

SC_EXIT(vfork)
{
	return clone_event(ctx, SCAP_EVT_VFORK_X, ret, SCAP_VFORK_FLAGS);
}

SC_EXIT(clone3)
{
	return clone_event(ctx, SCAP_EVT_CLONE3_X, ret, scap_user_u64(ARG(0)));
}

/* ---- execve ---- */

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_p_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_struct *t = cur_task();

	if (!settings.tp_enabled[PROBE_TP_EXEC] || is_excluded())
		return 0;
	BEGIN(SCAP_EVT_EXECVE_X);
	push_s64(a, 0);
	push_proc_common(a, t);
	push_exec_rest(a, t);
	push_kernel_str(a, BPF_CORE_READ(bprm, filename), MAX_STR);
	return ev_submit(a);
}

/* Failed execve/execveat come from sys_exit, with the (unchanged) caller's data (cont_flags 1:
 * execve, whose last parameter is the filename it was given). */
SEC("tp_btf/sys_exit")
int BPF_PROG(exec_rest_x, struct pt_regs *regs, long ret)
{
	struct auxmap *a = ev_current();

	if (!a)
		return 0;
	push_exec_rest(a, cur_task());
	if (a->cont_flags)
		push_user_str(a, ARG(0), MAX_STR);
	return ev_submit(a);
}

SC_EXIT(execve)
{
	if (ret == 0)
		return 0; /* the success event comes from sched_process_exec */
	return proc_event(ctx, SCAP_EVT_EXECVE_X, ret, 1, PT_EXEC_REST);
}

SC_EXIT(execveat)
{
	if (ret == 0)
		return 0;
	return proc_event(ctx, SCAP_EVT_EXECVEAT_X, ret, 0, PT_EXEC_REST);
}

/* After the programs: the prog array's initial values refer to them. */
struct proc_tails_map proc_tails SEC(".maps") = {
	.values = {
		[PT_COMMON] = (void *)&proc_common_x,
		[PT_CLONE_REST] = (void *)&clone_rest_x,
		[PT_EXEC_REST] = (void *)&exec_rest_x,
	},
};
