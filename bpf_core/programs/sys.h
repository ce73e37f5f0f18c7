/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel modules, bpf, keys, io_uring, process_vm_*, SysV semaphores, fsconfig. */

SC_EXIT(bpf)
{
	BEGIN(SCAP_EVT_BPF_X);
	push_s64(a, ret);
	push_u32(a, ARG(0)); /* ppm BPF_* commands are the kernel's numbers */
	return ev_submit(a);
}

SC_EXIT(init_module)
{
	BEGIN(SCAP_EVT_INIT_MODULE_X);
	push_s64(a, ret);
	push_io_buf(a, (void *)ARG(0), ARG(1)); /* the image, truncated to snaplen */
	push_u64(a, ARG(1));
	push_user_str(a, (void *)ARG(2), MAX_STR);
	return ev_submit(a);
}

SC_EXIT(finit_module)
{
	BEGIN(SCAP_EVT_FINIT_MODULE_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	push_user_str(a, (void *)ARG(1), MAX_STR);
	push_u32(a, ARG(2) & 7); /* MODULE_INIT_* bits are the ppm bits */
	return ev_submit(a);
}

SC_EXIT(delete_module)
{
	__u32 f = ARG(1), r = 0;

	BEGIN(SCAP_EVT_DELETE_MODULE_X);
	if (f & 01000)
		r |= SCAP_DELETE_MODULE_FLAGS_O_TRUNC;
	if (f & 04000)
		r |= SCAP_DELETE_MODULE_FLAGS_O_NONBLOCK;
	push_s64(a, ret);
	push_user_str(a, (void *)ARG(0), MAX_STR);
	push_u32(a, r);
	return ev_submit(a);
}

/* DYN selector 1: a user string (an unreadable or NULL pointer gives ""). */
static __always_inline void push_dyn_user_str(struct auxmap *a, const void *u)
{
	__u64 p = a->pos;
	long n = 0;

	a->data[p & AUX_MASK] = 1;
	if (u && room(a, MAX_STR + 1))
		n = bpf_probe_read_user_str(&a->data[(p + 1) & AUX_MASK], MAX_STR, u);
	if (n <= 0) {
		a->data[(p + 1) & AUX_MASK] = 0;
		n = 1;
	}
	set_len(a, 1 + n);
}

/* keyctl: arg2..arg5 are integers (selector 0) except the strings of JOIN_SESSION_KEYRING (arg2),
 * SEARCH and RESTRICT_KEYRING (arg3 = type, arg4 = description/restriction), selector 1. */
SC_EXIT(keyctl)
{
	long op = ARG(0);
	bool s2 = op == 1, s34 = op == 10 || op == 29;

	BEGIN(SCAP_EVT_KEYCTL_X);
	push_s64(a, ret);
	push_u32(a, op);
	if (s2)
		push_dyn_user_str(a, (void *)ARG(1));
	else
		push_dyn_u64(a, ARG(1));
	if (s34) {
		push_dyn_user_str(a, (void *)ARG(2));
		push_dyn_user_str(a, (void *)ARG(3));
	} else {
		push_dyn_u64(a, ARG(2));
		push_dyn_u64(a, ARG(3));
	}
	push_dyn_u64(a, ARG(4));
	return ev_submit(a);
}

/* IORING_SETUP_* (kernel bits 0..6) to the ppm bits, which skip bit 2 (IORING_SQ_NEED_WAKEUP). */
static __always_inline __u32 io_uring_setup_flags_to_scap(__u32 f)
{
	return (f & 3) | ((f & 0x7c) << 1);
}

SC_EXIT(io_uring_setup)
{
	__u32 p[6] = {}; /* struct io_uring_params: sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features */

	BEGIN(SCAP_EVT_IO_URING_SETUP_X);
	if (ARG(1))
		bpf_probe_read_user(p, sizeof(p), (void *)ARG(1));
	push_s64(a, ret);
	push_u32(a, ARG(0));
	push_u32(a, p[0]);
	push_u32(a, p[1]);
	push_u32(a, io_uring_setup_flags_to_scap(p[2]));
	push_u32(a, p[3]);
	push_u32(a, p[4]);
	push_u32(a, p[5] & 0x7ff); /* IORING_FEAT_* bits the ppm table knows (same values) */
	return ev_submit(a);
}

SC_EXIT(io_uring_enter)
{
	__u32 flags = ARG(3), sig = 0;

	BEGIN(SCAP_EVT_IO_URING_ENTER_X);
	/* without IORING_ENTER_EXT_ARG, arg is a sigset_t pointer: its low 32 bits */
	if (!(flags & 8) && ARG(4))
		bpf_probe_read_user(&sig, sizeof(sig), (void *)ARG(4));
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	push_u32(a, ARG(1));
	push_u32(a, ARG(2));
	push_u32(a, flags & 0xf); /* IORING_ENTER_* bits are the ppm bits */
	push_u32(a, sig);
	return ev_submit(a);
}

SC_EXIT(io_uring_register)
{
	BEGIN(SCAP_EVT_IO_URING_REGISTER_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	push_u16(a, ARG(1)); /* IORING_REGISTER_* opcodes are the ppm values */
	push_u64(a, ARG(2));
	push_u32(a, ARG(3));
	return ev_submit(a);
}

/* process_vm_readv/writev: data = the local iovecs (what was read / written), up to res bytes. */
SC_EXIT(process_vm_readv)
{
	BEGIN(SCAP_EVT_PROCESS_VM_READV_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_iov_buf(a, (void *)ARG(1), ARG(2), ret);
	return ev_submit(a);
}

SC_EXIT(process_vm_writev)
{
	BEGIN(SCAP_EVT_PROCESS_VM_WRITEV_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_iov_buf(a, (void *)ARG(1), ARG(2), ret);
	return ev_submit(a);
}

SC_EXIT(semget)
{
	__u32 f = ARG(2), r = 0;

	BEGIN(SCAP_EVT_SEMGET_X);
	if (f & 01000)
		r |= SCAP_SEMGET_FLAGS_IPC_CREAT;
	if (f & 02000)
		r |= SCAP_SEMGET_FLAGS_IPC_EXCL;
	push_s64(a, ret);
	push_s32(a, ARG(0));
	push_s32(a, ARG(1));
	push_u32(a, r);
	return ev_submit(a);
}

/* semop: the first two struct sembuf {u16 sem_num; s16 sem_op; s16 sem_flg} (zeros if absent). */
SC_EXIT(semop)
{
	__u16 s[6] = {};
	unsigned long n = ARG(2);

	BEGIN(SCAP_EVT_SEMOP_X);
	if (ARG(1) && n)
		bpf_probe_read_user(s, n >= 2 ? 12 : 6, (void *)ARG(1));
	push_s64(a, ret);
	push_u32(a, n);
	push_u16(a, s[0]);
	push_u16(a, s[1]);
	push_u16(a, sem_flg_to_scap(s[2]));
	push_u16(a, s[3]);
	push_u16(a, s[4]);
	push_u16(a, sem_flg_to_scap(s[5]));
	push_s32(a, ARG(0));
	return ev_submit(a);
}

/* semctl: val is the SETVAL argument, 0 for the other commands. */
SC_EXIT(semctl)
{
	long cmd = ARG(2);

	BEGIN(SCAP_EVT_SEMCTL_X);
	push_s64(a, ret);
	push_s32(a, ARG(0));
	push_s32(a, ARG(1));
	push_u16(a, semctl_cmd_to_scap(cmd));
	push_s32(a, (cmd & ~0x100L) == 16 ? (int)ARG(3) : 0);
	return ev_submit(a);
}

/* fsconfig(fd, cmd, key, value, aux): key for the FSCONFIG_SET_* commands; value is a string for
 * SET_STRING / SET_PATH / SET_PATH_EMPTY (value_charbuf), aux bytes for SET_BINARY (value_bytebuf,
 * truncated to snaplen); the other parameter is empty. */
SC_EXIT(fsconfig)
{
	__u32 cmd = ARG(1);
	int aux = ARG(4);

	BEGIN(SCAP_EVT_FSCONFIG_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	push_u32(a, cmd);
	if (cmd <= 5)
		push_user_str(a, (void *)ARG(2), MAX_STR);
	else
		push_empty(a);
	if (cmd == 2)
		push_io_buf(a, (void *)ARG(3), aux);
	else
		push_empty(a);
	if (cmd == 1 || cmd == 3 || cmd == 4)
		push_user_str(a, (void *)ARG(3), MAX_STR);
	else
		push_empty(a);
	push_s32(a, aux);
	return ev_submit(a);
}

/*
 * quotactl: special = the block device; quotafilepath = addr for Q_QUOTAON; the dqb_* limits and
 * times from struct if_dqblk at addr for Q_SETQUOTA and a successful Q_GETQUOTA; the dqi_* grace
 * times and flags from struct if_dqinfo for Q_SETINFO and a successful Q_GETINFO; quota_fmt_out
 * the format a successful Q_GETFMT wrote; quota_fmt the format id Q_QUOTAON was given. Values that
 * do not apply to the command are 0 (empty strings).
 */
SC_EXIT(quotactl)
{
	__u32 raw = ARG(0), sub = raw >> 8, type = raw & 0xff;
	void *addr = (void *)ARG(3);
	__u64 dq[8] = {}; /* if_dqblk: bhard, bsoft, curspace, ihard, isoft, curinodes, btime, itime */
	__u64 di[3] = {}; /* if_dqinfo: bgrace, igrace, flags | valid << 32 */
	__u32 fmt_out = 0;

	BEGIN(SCAP_EVT_QUOTACTL_X);
	if (addr && (sub == 0x800008 || (sub == 0x800007 && ret == 0)))
		bpf_probe_read_user(dq, sizeof(dq), addr);
	if (addr && (sub == 0x800006 || (sub == 0x800005 && ret == 0)))
		bpf_probe_read_user(di, sizeof(di), addr);
	if (addr && sub == 0x800004 && ret == 0)
		bpf_probe_read_user(&fmt_out, sizeof(fmt_out), addr);
	push_s64(a, ret);
	push_user_str(a, (void *)ARG(1), MAX_STR);
	if (sub == 0x800002)
		push_user_str(a, addr, MAX_STR);
	else
		push_empty(a);
	push_u64(a, dq[0]);
	push_u64(a, dq[1]);
	push_u64(a, dq[2]);
	push_u64(a, dq[3]);
	push_u64(a, dq[4]);
	push_u64(a, dq[6]);
	push_u64(a, dq[7]);
	push_u64(a, di[0]);
	push_u64(a, di[1]);
	push_u8(a, (sub == 0x800005 || sub == 0x800006)
			   ? ((di[2] & 1) ? SCAP_QUOTACTL_DQI_FLAGS_V1_DQF_RSQUASH : SCAP_QUOTACTL_DQI_FLAGS_DQF_NONE)
			   : 0);
	push_u8(a, (sub == 0x800004 && ret == 0) ? quota_fmt_to_scap(fmt_out) : 0);
	push_u16(a, quota_cmd_to_scap(sub));
	push_u8(a, type == 0 ? SCAP_QUOTACTL_TYPES_USRQUOTA : type == 1 ? SCAP_QUOTACTL_TYPES_GRPQUOTA : 0);
	push_u32(a, ARG(2));
	push_u8(a, sub == 0x800002 ? quota_fmt_to_scap(ARG(2)) : 0);
	return ev_submit(a);
}
