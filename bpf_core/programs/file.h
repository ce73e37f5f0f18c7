/* SPDX-License-Identifier: GPL-2.0-only */
/* File and I/O: open family (+ TOCTOU enter events), close, read/write family. */

/* F_CREATED from the new file's f_mode, then dev and ino: one fd lookup for the three. */
struct open_result {
	__u32 created;
	__u32 dev;
	__u64 ino;
};

static __always_inline void open_result(long fd, struct open_result *r)
{
	struct file *f = fd >= 0 ? fd_file(fd) : NULL;

	r->created = 0;
	r->dev = 0;
	r->ino = 0;
	if (!f)
		return;
	if (BPF_CORE_READ(f, f_mode) & FMODE_CREATED_BIT)
		r->created = SCAP_OPEN_FLAGS_O_F_CREATED;
	file_dev_ino(f, &r->dev, &r->ino);
}

static __always_inline __u32 created_flag(long fd)
{
	struct open_result r;
	open_result(fd, &r);
	return r.created;
}

static __always_inline void push_dev_ino(struct auxmap *a, long fd)
{
	struct open_result r;
	open_result(fd, &r);
	push_u32(a, r.dev);
	push_u64(a, r.ino);
}

SC_EXIT(open)
{
	BEGIN(SCAP_EVT_OPEN_X);
	__u32 flags = ARG(1);
	struct open_result r;
	open_result(ret, &r);
	push_s64(a, ret);
	push_user_str(a, (void *)ARG(0), MAX_STR);
	push_u32(a, open_flags_to_scap(flags) | r.created);
	push_u32(a, open_mode(flags, ARG(2)));
	push_u32(a, r.dev);
	push_u64(a, r.ino);
	return ev_submit(a);
}

SC_EXIT(openat)
{
	BEGIN(SCAP_EVT_OPENAT_X);
	__u32 flags = ARG(2);
	struct open_result r;
	open_result(ret, &r);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_user_str(a, (void *)ARG(1), MAX_STR);
	push_u32(a, open_flags_to_scap(flags) | r.created);
	push_u32(a, open_mode(flags, ARG(3)));
	push_u32(a, r.dev);
	push_u64(a, r.ino);
	return ev_submit(a);
}

SC_EXIT(openat2)
{
	BEGIN(SCAP_EVT_OPENAT2_X);
	struct open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (void *)ARG(2));
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_user_str(a, (void *)ARG(1), MAX_STR);
	push_u32(a, open_flags_to_scap(how.flags) | created_flag(ret));
	push_u32(a, open_mode(how.flags, how.mode));
	push_u32(a, resolve_to_scap(how.resolve));
	push_dev_ino(a, ret);
	return ev_submit(a);
}

SC_EXIT(creat)
{
	BEGIN(SCAP_EVT_CREAT_X);
	push_s64(a, ret);
	push_user_str(a, (void *)ARG(0), MAX_STR);
	push_u32(a, ARG(1));
	push_dev_ino(a, ret);
	push_u16(a, 0); /* overlayfs layer flags: not computed */
	return ev_submit(a);
}

SC_EXIT(open_by_handle_at)
{
	BEGIN(SCAP_EVT_OPEN_BY_HANDLE_AT_X);
	struct file *f = ret >= 0 ? fd_file(ret) : NULL;
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_u32(a, open_flags_to_scap(ARG(2)) | created_flag(ret));
	if (f)
		push_path(a, BPF_CORE_READ(f, f_path.dentry), BPF_CORE_READ(f, f_path.mnt));
	else
		push_empty(a);
	push_dev_ino(a, ret);
	return ev_submit(a);
}

/* TOCTOU enter events (abi/scap_abi_toctou.h lists them). Each body has three entry points, of
 * which the engine (libscap/engines/bpf_core) loads and attaches one kind: an fentry program on
 * the syscall's own function (__x64_sys_NAME), where the kernel runs BPF trampolines; else the
 * syscall's own tracepoint (syscalls/sys_enter_NAME, with tracefs); both are attached only while
 * the syscall is of interest, so that other syscalls pay nothing for them. The last resort, for
 * kernels with neither, is a program tail-called from the raw sys_enter dispatcher
 * (probe.bpf.c), which every syscall then enters. The bodies read their arguments with EARG(n). */
#define SC_ENTER(nm)                                                                                 \
	static __always_inline int nm##_enter(const unsigned long *args);                            \
	static __always_inline int nm##_enter_regs(struct pt_regs *regs)                             \
	{                                                                                            \
		unsigned long args[6] = { sc_arg(regs, 0), sc_arg(regs, 1), sc_arg(regs, 2),         \
					  sc_arg(regs, 3), sc_arg(regs, 4), sc_arg(regs, 5) };       \
		return nm##_enter(args);                                                             \
	}                                                                                            \
	SEC("tp_btf/sys_enter")                                                                      \
	int BPF_PROG(nm##_e, struct pt_regs *regs, long id)                                          \
	{                                                                                            \
		return nm##_enter_regs(regs);                                                        \
	}                                                                                            \
	SEC("fentry/__x64_sys_" #nm)                                                                 \
	int BPF_PROG(nm##_fe, struct pt_regs *regs)                                                  \
	{                                                                                            \
		if (!interesting[TOCTOU_NR_##nm] || !traced_task())                                  \
			return 0;                                                                    \
		return nm##_enter_regs(regs);                                                        \
	}                                                                                            \
	SEC("tracepoint/syscalls/sys_enter_" #nm)                                                    \
	int nm##_tp(struct trace_event_raw_sys_enter *tp)                                            \
	{                                                                                            \
		if (!interesting[TOCTOU_NR_##nm] || !traced_current())                               \
			return 0;                                                                    \
		/* constant offsets: the verifier takes no computed ctx pointer */                   \
		unsigned long args[6] = {                                                            \
			tp->args[0], tp->args[1], tp->args[2], tp->args[3], tp->args[4], tp->args[5] \
		};                                                                                   \
		return nm##_enter(args);                                                             \
	}                                                                                            \
	static __always_inline int nm##_enter(const unsigned long *args)

#define EARG(n) (args[n])

enum {
#define TOCTOU_NR(nr, nm, evt) TOCTOU_NR_##nm = nr,
	SCAP_TOCTOU_SYSCALLS(TOCTOU_NR)
#undef TOCTOU_NR
};

SC_ENTER(open)
{
	BEGIN(SCAP_EVT_OPEN_E);
	__u32 flags = EARG(1);
	push_user_str(a, (void *)EARG(0), MAX_STR);
	push_u32(a, open_flags_to_scap(flags));
	push_u32(a, open_mode(flags, EARG(2)));
	return ev_submit(a);
}

SC_ENTER(creat)
{
	BEGIN(SCAP_EVT_CREAT_E);
	push_user_str(a, (void *)EARG(0), MAX_STR);
	push_u32(a, EARG(1));
	return ev_submit(a);
}

SC_ENTER(openat)
{
	BEGIN(SCAP_EVT_OPENAT_E);
	__u32 flags = EARG(2);
	push_s64(a, (int)EARG(0));
	push_user_str(a, (void *)EARG(1), MAX_STR);
	push_u32(a, open_flags_to_scap(flags));
	push_u32(a, open_mode(flags, EARG(3)));
	return ev_submit(a);
}

SC_ENTER(openat2)
{
	BEGIN(SCAP_EVT_OPENAT2_E);
	struct open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (void *)EARG(2));
	push_s64(a, (int)EARG(0));
	push_user_str(a, (void *)EARG(1), MAX_STR);
	push_u32(a, open_flags_to_scap(how.flags));
	push_u32(a, open_mode(how.flags, how.mode));
	push_u32(a, resolve_to_scap(how.resolve));
	return ev_submit(a);
}

SC_ENTER(connect)
{
	BEGIN(SCAP_EVT_CONNECT_E);
	push_s64(a, (int)EARG(0));
	push_user_sockaddr(a, (void *)EARG(1), (int)EARG(2));
	return ev_submit(a);
}

SC_EXIT(close)
{
	BEGIN(SCAP_EVT_CLOSE_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	return ev_submit(a);
}

SC_EXIT(read)
{
	BEGIN(SCAP_EVT_READ_X);
	push_s64(a, ret);
	push_io_buf(a, (void *)ARG(1), ret);
	push_s64(a, (int)ARG(0));
	push_u32(a, ARG(2));
	return ev_submit(a);
}

/* Writes keep the data also when they fail (what the caller tried to write). */
static __always_inline long write_len(long ret, unsigned long size)
{
	return ret > 0 ? ret : (long)size;
}

SC_EXIT(write)
{
	BEGIN(SCAP_EVT_WRITE_X);
	push_s64(a, ret);
	push_io_buf(a, (void *)ARG(1), write_len(ret, ARG(2)));
	push_s64(a, (int)ARG(0));
	push_u32(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(pread64)
{
	BEGIN(SCAP_EVT_PREAD_X);
	push_s64(a, ret);
	push_io_buf(a, (void *)ARG(1), ret);
	push_s64(a, (int)ARG(0));
	push_u32(a, ARG(2));
	push_u64(a, ARG(3));
	return ev_submit(a);
}

SC_EXIT(pwrite64)
{
	BEGIN(SCAP_EVT_PWRITE_X);
	push_s64(a, ret);
	push_io_buf(a, (void *)ARG(1), write_len(ret, ARG(2)));
	push_s64(a, (int)ARG(0));
	push_u32(a, ARG(2));
	push_u64(a, ARG(3));
	return ev_submit(a);
}

SC_EXIT(readv)
{
	BEGIN(SCAP_EVT_READV_X);
	const struct iovec *iov = (void *)ARG(1);
	unsigned long cnt = ARG(2);
	push_s64(a, ret);
	push_u32(a, iov_total(iov, cnt));
	push_iov_buf(a, iov, cnt, ret);
	push_s64(a, (int)ARG(0));
	return ev_submit(a);
}

SC_EXIT(writev)
{
	BEGIN(SCAP_EVT_WRITEV_X);
	const struct iovec *iov = (void *)ARG(1);
	unsigned long cnt = ARG(2);
	__u64 total = iov_total(iov, cnt);
	push_s64(a, ret);
	push_iov_buf(a, iov, cnt, write_len(ret, total));
	push_s64(a, (int)ARG(0));
	push_u32(a, total);
	return ev_submit(a);
}

SC_EXIT(preadv)
{
	BEGIN(SCAP_EVT_PREADV_X);
	const struct iovec *iov = (void *)ARG(1);
	unsigned long cnt = ARG(2);
	push_s64(a, ret);
	push_u32(a, iov_total(iov, cnt));
	push_iov_buf(a, iov, cnt, ret);
	push_s64(a, (int)ARG(0));
	push_u64(a, ARG(3));
	return ev_submit(a);
}

SC_EXIT(pwritev)
{
	BEGIN(SCAP_EVT_PWRITEV_X);
	const struct iovec *iov = (void *)ARG(1);
	unsigned long cnt = ARG(2);
	__u64 total = iov_total(iov, cnt);
	push_s64(a, ret);
	push_iov_buf(a, iov, cnt, write_len(ret, total));
	push_s64(a, (int)ARG(0));
	push_u32(a, total);
	push_u64(a, ARG(3));
	return ev_submit(a);
}
