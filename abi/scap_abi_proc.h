/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * The parameters of the process events (the clone family's and execve's exit events, whose
 * fillers are hand-written: the CO-RE probe splits them across tail calls), in their order, for
 * both drivers. Besides the accessors of scap_abi_push.h, the driver defines before including it:
 *   scap_task_info(t, &ti), scap_exec_info(t, &x), scap_clone_info(t, &c)   the values
 *   push_task_cwd(e, t), push_task_comm(e, t), push_task_cgroups(e, t), push_task_exe_path(e, t)
 */
#ifndef SCAP_ABI_PROC_H
#define SCAP_ABI_PROC_H

#include "scap_abi_push.h"

/* Parameters 1..14 of the clone and execve exit events (exe .. cgroups), of task t. */
SCAP_INLINE void push_proc_common(SCAP_EV *e, struct task_struct *t)
{
	struct scap_task_info ti;

	scap_task_info(t, &ti);
	push_exe_args(e, ti.arg_start, ti.arg_end);
	push_s64(e, ti.tid);
	push_s64(e, ti.tgid);
	push_s64(e, ti.ptid);
	push_task_cwd(e, t);
	push_s64(e, ti.fdlimit);
	push_u64(e, ti.maj_flt);
	push_u64(e, ti.min_flt);
	push_u32(e, ti.mm.size);
	push_u32(e, ti.mm.rss);
	push_u32(e, ti.mm.swap);
	push_task_comm(e, t);
	push_task_cgroups(e, t);
}

/* Parameters 15..29 of execve/execveat X (env .. gid). */
SCAP_INLINE void push_exec_rest(SCAP_EV *e, struct task_struct *t)
{
	struct scap_exec_info x;

	scap_exec_info(t, &x);
	push_env(e, x.env_start, x.env_end);
	push_u32(e, x.tty);
	push_s64(e, x.vpgid);
	push_u32(e, x.loginuid);
	push_u32(e, x.flags);
	push_u64(e, x.caps.inheritable);
	push_u64(e, x.caps.permitted);
	push_u64(e, x.caps.effective);
	push_u64(e, x.exe_ino);
	push_u64(e, x.exe_ctime);
	push_u64(e, x.exe_mtime);
	push_u32(e, x.euid);
	push_task_exe_path(e, t);
	push_s64(e, x.pgid);
	push_u32(e, x.egid);
}

/* The clone flags parameter: the call's (clone's, clone3's, fork's implied ones), and whether
 * the caller lives in a child pid namespace. */
SCAP_INLINE __u32 scap_clone_flags(__u64 raw, int in_child_pidns)
{
	return scap_conv_clone_flags(raw) | (in_child_pidns ? SCAP_CLONE_FLAGS_CLONE_CHILD_IN_PIDNS : 0);
}

/* Parameters 15..20 of the clone family's exit events (flags .. pidns_init_start_ts). */
SCAP_INLINE void push_clone_rest(SCAP_EV *e, struct task_struct *t, __u32 flags)
{
	struct scap_clone_info c;

	scap_clone_info(t, &c);
	push_u32(e, flags);
	push_u32(e, c.euid);
	push_u32(e, c.egid);
	push_s64(e, c.vtid);
	push_s64(e, c.vpid);
	push_u64(e, c.pidns_init_start_ts);
}

/* The raw clone flags of the vfork family: fork none, vfork CLONE_VFORK | CLONE_VM. */
#define SCAP_VFORK_FLAGS (0x00004000 | 0x00000100)

#endif /* SCAP_ABI_PROC_H */
