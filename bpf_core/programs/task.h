/* SPDX-License-Identifier: GPL-2.0-only */
/* Credentials, sessions, namespaces, signals, tracing: set*id/get*id, setsid/setpgid, chdir/fchdir/
 * chroot/getcwd, unshare/setns, prctl, capset, kill/tkill/tgkill, ptrace, seccomp, rlimits,
 * nanosleep, futex. */

SC_EXIT(kill)
{
	BEGIN(SCAP_EVT_KILL_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_u8(a, ARG(1));
	return ev_submit(a);
}

SC_EXIT(tkill)
{
	BEGIN(SCAP_EVT_TKILL_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_u8(a, ARG(1));
	return ev_submit(a);
}

SC_EXIT(tgkill)
{
	BEGIN(SCAP_EVT_TGKILL_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_s64(a, (int)ARG(1));
	push_u8(a, ARG(2));
	return ev_submit(a);
}

#define SC_ID1(nm, type)             \
	SC_EXIT(nm)                  \
	{                            \
		BEGIN(type);         \
		push_s64(a, ret);    \
		push_u32(a, ARG(0)); \
		return ev_submit(a); \
	}
SC_ID1(setuid, SCAP_EVT_SETUID_X)
SC_ID1(setgid, SCAP_EVT_SETGID_X)

#define SC_ID2(nm, type)             \
	SC_EXIT(nm)                  \
	{                            \
		BEGIN(type);         \
		push_s64(a, ret);    \
		push_u32(a, ARG(0)); \
		push_u32(a, ARG(1)); \
		return ev_submit(a); \
	}
SC_ID2(setreuid, SCAP_EVT_SETREUID_X)
SC_ID2(setregid, SCAP_EVT_SETREGID_X)

#define SC_ID3(nm, type)             \
	SC_EXIT(nm)                  \
	{                            \
		BEGIN(type);         \
		push_s64(a, ret);    \
		push_u32(a, ARG(0)); \
		push_u32(a, ARG(1)); \
		push_u32(a, ARG(2)); \
		return ev_submit(a); \
	}
SC_ID3(setresuid, SCAP_EVT_SETRESUID_X)
SC_ID3(setresgid, SCAP_EVT_SETRESGID_X)

#define SC_GETID(nm, type)           \
	SC_EXIT(nm)                  \
	{                            \
		BEGIN(type);         \
		push_u32(a, ret);    \
		return ev_submit(a); \
	}
SC_GETID(getuid, SCAP_EVT_GETUID_X)
SC_GETID(geteuid, SCAP_EVT_GETEUID_X)
SC_GETID(getgid, SCAP_EVT_GETGID_X)
SC_GETID(getegid, SCAP_EVT_GETEGID_X)

static __always_inline __u32 user_u32(void *u)
{
	__u32 v = 0;
	if (u)
		bpf_probe_read_user(&v, sizeof(v), u);
	return v;
}

#define SC_GETRES(nm, type)                            \
	SC_EXIT(nm)                                    \
	{                                              \
		BEGIN(type);                           \
		push_s64(a, ret);                      \
		push_u32(a, user_u32((void *)ARG(0))); \
		push_u32(a, user_u32((void *)ARG(1))); \
		push_u32(a, user_u32((void *)ARG(2))); \
		return ev_submit(a);                   \
	}
SC_GETRES(getresuid, SCAP_EVT_GETRESUID_X)
SC_GETRES(getresgid, SCAP_EVT_GETRESGID_X)

SC_EXIT(setsid)
{
	BEGIN(SCAP_EVT_SETSID_X);
	push_s64(a, ret);
	return ev_submit(a);
}

SC_EXIT(setpgid)
{
	BEGIN(SCAP_EVT_SETPGID_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_s64(a, (int)ARG(1));
	return ev_submit(a);
}

SC_EXIT(chdir)
{
	BEGIN(SCAP_EVT_CHDIR_X);
	push_s64(a, ret);
	push_user_str(a, (void *)ARG(0), MAX_STR);
	return ev_submit(a);
}

SC_EXIT(fchdir)
{
	BEGIN(SCAP_EVT_FCHDIR_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	return ev_submit(a);
}

SC_EXIT(chroot)
{
	BEGIN(SCAP_EVT_CHROOT_X);
	push_s64(a, ret);
	push_user_str(a, (void *)ARG(0), MAX_STR);
	return ev_submit(a);
}

SC_EXIT(getcwd)
{
	BEGIN(SCAP_EVT_GETCWD_X);
	push_s64(a, ret);
	if (ret > 0)
		push_user_str(a, (void *)ARG(0), MAX_STR);
	else
		push_empty(a);
	return ev_submit(a);
}

SC_EXIT(unshare)
{
	BEGIN(SCAP_EVT_UNSHARE_X);
	push_s64(a, ret);
	push_u32(a, clone_flags_to_scap(ARG(0)));
	return ev_submit(a);
}

SC_EXIT(setns)
{
	BEGIN(SCAP_EVT_SETNS_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_u32(a, clone_flags_to_scap(ARG(1)));
	return ev_submit(a);
}

/* prctl: option values are the kernel's; arg2 is a string for PR_SET_NAME/PR_GET_NAME, an int
 * read through the pointer for PR_GET_CHILD_SUBREAPER, the raw argument otherwise. */
SC_EXIT(prctl)
{
	BEGIN(SCAP_EVT_PRCTL_X);
	long opt = (int)ARG(0);
	push_s64(a, ret);
	push_u32(a, opt);
	if (opt == 15 || opt == 16) {
		if (ret >= 0)
			push_user_str(a, (void *)ARG(1), 16);
		else
			push_empty(a);
		push_s64(a, 0);
	} else if (opt == 37) {
		push_empty(a);
		push_s64(a, ret >= 0 ? (int)user_u32((void *)ARG(1)) : 0);
	} else {
		push_empty(a);
		push_s64(a, ARG(1));
	}
	return ev_submit(a);
}

SC_EXIT(capset)
{
	BEGIN(SCAP_EVT_CAPSET_X);
	const struct cred *cred = BPF_CORE_READ(cur_task(), cred);
	__u64 cap;
	push_s64(a, ret);
	cap = 0;
	BPF_CORE_READ_INTO(&cap, cred, cap_inheritable);
	push_u64(a, cap);
	cap = 0;
	BPF_CORE_READ_INTO(&cap, cred, cap_permitted);
	push_u64(a, cap);
	cap = 0;
	BPF_CORE_READ_INTO(&cap, cred, cap_effective);
	push_u64(a, cap);
	return ev_submit(a);
}

/* ptrace addr/data as PT_DYN: selector 0 (UINT64), or 1 (SIGTYPE) for the signal of CONT/
 * SYSCALL/DETACH/SINGLESTEP/KILL-like requests' data. */
static __always_inline void push_dyn_u64(struct auxmap *a, __u64 v)
{
	__u64 p = a->pos;
	a->data[p & AUX_MASK] = 0;
	*(__u64 *)&a->data[(p + 1) & AUX_MASK] = v;
	set_len(a, 9);
}

static __always_inline void push_dyn_sig(struct auxmap *a, __u8 sig)
{
	__u64 p = a->pos;
	a->data[p & AUX_MASK] = 1;
	a->data[(p + 1) & AUX_MASK] = sig;
	set_len(a, 2);
}

SC_EXIT(ptrace)
{
	BEGIN(SCAP_EVT_PTRACE_X);
	long req = ARG(0);
	push_s64(a, ret);
	push_dyn_u64(a, ARG(2));
	if (req == 7 || req == 9 || req == 17 || req == 24 || req == 31 || req == 32)
		push_dyn_sig(a, ARG(3));
	else
		push_dyn_u64(a, ARG(3));
	push_u16(a, ptrace_req_to_scap(req));
	push_s64(a, (int)ARG(1));
	return ev_submit(a);
}

SC_EXIT(seccomp)
{
	BEGIN(SCAP_EVT_SECCOMP_X);
	push_s64(a, ret);
	push_u64(a, ARG(0));
	push_u64(a, ARG(1));
	return ev_submit(a);
}

static __always_inline void push_rlimit(struct auxmap *a, void *u, bool ok)
{
	__s64 lim[2] = { -1, -1 };
	if (ok && u)
		bpf_probe_read_user(lim, sizeof(lim), u);
	push_s64(a, lim[0]);
	push_s64(a, lim[1]);
}

SC_EXIT(getrlimit)
{
	BEGIN(SCAP_EVT_GETRLIMIT_X);
	push_s64(a, ret);
	push_rlimit(a, (void *)ARG(1), ret == 0);
	push_u8(a, rlimit_res_to_scap(ARG(0)));
	return ev_submit(a);
}

SC_EXIT(setrlimit)
{
	BEGIN(SCAP_EVT_SETRLIMIT_X);
	push_s64(a, ret);
	push_rlimit(a, (void *)ARG(1), true);
	push_u8(a, rlimit_res_to_scap(ARG(0)));
	return ev_submit(a);
}

SC_EXIT(prlimit64)
{
	BEGIN(SCAP_EVT_PRLIMIT_X);
	push_s64(a, ret);
	push_rlimit(a, (void *)ARG(2), true);
	push_rlimit(a, (void *)ARG(3), ret == 0);
	push_s64(a, (int)ARG(0));
	push_u8(a, rlimit_res_to_scap(ARG(1)));
	return ev_submit(a);
}

SC_EXIT(nanosleep)
{
	BEGIN(SCAP_EVT_NANOSLEEP_X);
	push_s64(a, ret);
	push_u64(a, user_timespec_ns((void *)ARG(0), 0));
	return ev_submit(a);
}

SC_EXIT(futex)
{
	BEGIN(SCAP_EVT_FUTEX_X);
	push_s64(a, ret);
	push_u64(a, ARG(0));
	push_u16(a, ARG(1) & 0x1ff); /* command 0..12 + PRIVATE 128 + CLOCK_REALTIME 256: same bits */
	push_u64(a, ARG(2));
	return ev_submit(a);
}
