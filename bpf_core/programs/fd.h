/* SPDX-License-Identifier: GPL-2.0-only */
/* FD creation and manipulation: dup*, pipe*, eventfd*, signalfd*, timerfd, inotify, epoll, fcntl,
 * ioctl, memfd, userfaultfd, pidfd, close_range, flock, lseek, stat family, getdents, sendfile,
 * splice, copy_file_range, poll/ppoll, select, epoll_wait. */

#define PUSH_FD(a, v) push_s64(a, (int)(v))

SC_EXIT(dup)
{
	BEGIN(SCAP_EVT_DUP_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	return ev_submit(a);
}

SC_EXIT(dup2)
{
	BEGIN(SCAP_EVT_DUP2_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	PUSH_FD(a, ARG(1));
	return ev_submit(a);
}

SC_EXIT(dup3)
{
	BEGIN(SCAP_EVT_DUP3_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	PUSH_FD(a, ARG(1));
	push_u32(a, nb_cloexec_to_scap(ARG(2)));
	return ev_submit(a);
}

static __always_inline void push_pipe_common(struct auxmap *a, long ret, void *ufds)
{
	int fds[2] = { -1, -1 };
	__u32 dev = 0;
	__u64 ino = 0;

	if (ret == 0) {
		struct file *f;
		bpf_probe_read_user(fds, sizeof(fds), ufds);
		f = fd_file(fds[0]);
		if (f)
			file_dev_ino(f, &dev, &ino);
	}
	push_s64(a, ret);
	push_s64(a, fds[0]);
	push_s64(a, fds[1]);
	push_u64(a, ino);
}

SC_EXIT(pipe)
{
	BEGIN(SCAP_EVT_PIPE_X);
	push_pipe_common(a, ret, (void *)ARG(0));
	return ev_submit(a);
}

SC_EXIT(pipe2)
{
	BEGIN(SCAP_EVT_PIPE2_X);
	push_pipe_common(a, ret, (void *)ARG(0));
	push_u32(a, nb_cloexec_to_scap(ARG(1)));
	return ev_submit(a);
}

SC_EXIT(eventfd)
{
	BEGIN(SCAP_EVT_EVENTFD_X);
	push_s64(a, ret);
	push_u64(a, (__u32)ARG(0));
	push_u32(a, 0); /* eventfd() has no flags */
	return ev_submit(a);
}

SC_EXIT(eventfd2)
{
	BEGIN(SCAP_EVT_EVENTFD2_X);
	push_s64(a, ret);
	push_u16(a, nb_cloexec_to_scap(ARG(1)));
	push_u64(a, (__u32)ARG(0));
	return ev_submit(a);
}

static __always_inline __u32 user_sigmask(void *u)
{
	__u32 m = 0;
	if (u)
		bpf_probe_read_user(&m, sizeof(m), u);
	return m;
}

SC_EXIT(signalfd)
{
	BEGIN(SCAP_EVT_SIGNALFD_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	push_u32(a, user_sigmask((void *)ARG(1)));
	push_u8(a, 0); /* signalfd() has no flags */
	return ev_submit(a);
}

SC_EXIT(signalfd4)
{
	BEGIN(SCAP_EVT_SIGNALFD4_X);
	push_s64(a, ret);
	push_u16(a, nb_cloexec_to_scap(ARG(3)));
	PUSH_FD(a, ARG(0));
	push_u32(a, user_sigmask((void *)ARG(1)));
	return ev_submit(a);
}

SC_EXIT(timerfd_create)
{
	BEGIN(SCAP_EVT_TIMERFD_CREATE_X);
	push_s64(a, ret);
	push_u8(a, ARG(0));
	push_u8(a, ARG(1));
	return ev_submit(a);
}

SC_EXIT(inotify_init)
{
	BEGIN(SCAP_EVT_INOTIFY_INIT_X);
	push_s64(a, ret);
	push_u8(a, 0);
	return ev_submit(a);
}

SC_EXIT(inotify_init1)
{
	BEGIN(SCAP_EVT_INOTIFY_INIT1_X);
	push_s64(a, ret);
	push_u16(a, nb_cloexec_to_scap(ARG(0)));
	return ev_submit(a);
}

SC_EXIT(epoll_create)
{
	BEGIN(SCAP_EVT_EPOLL_CREATE_X);
	push_s64(a, ret);
	push_s32(a, ARG(0));
	return ev_submit(a);
}

SC_EXIT(epoll_create1)
{
	BEGIN(SCAP_EVT_EPOLL_CREATE1_X);
	push_s64(a, ret);
	push_u32(a, (ARG(0) & 02000000) ? SCAP_EPOLL_CREATE1_FLAGS_EPOLL_CLOEXEC : 0);
	return ev_submit(a);
}

SC_EXIT(fcntl)
{
	BEGIN(SCAP_EVT_FCNTL_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	push_u8(a, fcntl_cmd_to_scap((int)ARG(1)));
	push_u64(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(ioctl)
{
	BEGIN(SCAP_EVT_IOCTL_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	push_u64(a, (__u32)ARG(1));
	push_u64(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(memfd_create)
{
	BEGIN(SCAP_EVT_MEMFD_CREATE_X);
	push_s64(a, ret);
	push_user_str(a, (void *)ARG(0), MAX_STR);
	push_u32(a, ARG(1) & 7); /* MFD_CLOEXEC 1, MFD_ALLOW_SEALING 2, MFD_HUGETLB 4: same bits */
	return ev_submit(a);
}

SC_EXIT(userfaultfd)
{
	BEGIN(SCAP_EVT_USERFAULTFD_X);
	push_s64(a, ret);
	push_u32(a, nb_cloexec_to_scap(ARG(0)));
	return ev_submit(a);
}

SC_EXIT(pidfd_open)
{
	BEGIN(SCAP_EVT_PIDFD_OPEN_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_u32(a, (ARG(1) & 04000) ? SCAP_PIDFD_OPEN_FLAGS_PIDFD_NONBLOCK : 0);
	return ev_submit(a);
}

SC_EXIT(pidfd_getfd)
{
	BEGIN(SCAP_EVT_PIDFD_GETFD_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	PUSH_FD(a, ARG(1));
	push_u32(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(close_range)
{
	BEGIN(SCAP_EVT_CLOSE_RANGE_X);
	push_s64(a, ret);
	push_u32(a, ARG(0));
	push_u32(a, ARG(1));
	push_u32(a, ARG(2)); /* CLOSE_RANGE_UNSHARE 2, CLOSE_RANGE_CLOEXEC 4: same bits */
	return ev_submit(a);
}

SC_EXIT(flock)
{
	BEGIN(SCAP_EVT_FLOCK_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	push_u32(a, ARG(1) & 0xf); /* LOCK_SH 1, EX 2, NB 4, UN 8: same bits */
	return ev_submit(a);
}

SC_EXIT(lseek)
{
	BEGIN(SCAP_EVT_LSEEK_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	push_u64(a, ARG(1));
	push_u8(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(fstat)
{
	BEGIN(SCAP_EVT_FSTAT_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	return ev_submit(a);
}

SC_EXIT(stat)
{
	BEGIN(SCAP_EVT_STAT_X);
	push_s64(a, ret);
	push_user_str(a, (void *)ARG(0), MAX_STR);
	return ev_submit(a);
}

SC_EXIT(lstat)
{
	BEGIN(SCAP_EVT_LSTAT_X);
	push_s64(a, ret);
	push_user_str(a, (void *)ARG(0), MAX_STR);
	return ev_submit(a);
}

SC_EXIT(getdents)
{
	BEGIN(SCAP_EVT_GETDENTS_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	return ev_submit(a);
}

SC_EXIT(getdents64)
{
	BEGIN(SCAP_EVT_GETDENTS64_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	return ev_submit(a);
}

static __always_inline __u64 user_u64(void *u)
{
	__u64 v = 0;
	if (u)
		bpf_probe_read_user(&v, sizeof(v), u);
	return v;
}

SC_EXIT(sendfile)
{
	BEGIN(SCAP_EVT_SENDFILE_X);
	push_s64(a, ret);
	push_u64(a, user_u64((void *)ARG(2)));
	PUSH_FD(a, ARG(0));
	PUSH_FD(a, ARG(1));
	push_u64(a, ARG(3));
	return ev_submit(a);
}

SC_EXIT(splice)
{
	BEGIN(SCAP_EVT_SPLICE_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(0));
	PUSH_FD(a, ARG(2));
	push_u64(a, ARG(4));
	push_u32(a, ARG(5) & 0xf); /* SPLICE_F_*: same bits */
	return ev_submit(a);
}

SC_EXIT(copy_file_range)
{
	BEGIN(SCAP_EVT_COPY_FILE_RANGE_X);
	push_s64(a, ret);
	PUSH_FD(a, ARG(2));
	push_u64(a, user_u64((void *)ARG(3)));
	PUSH_FD(a, ARG(0));
	push_u64(a, user_u64((void *)ARG(1)));
	push_u64(a, ARG(4));
	return ev_submit(a);
}

/* FDLIST: u16 count, then (i64 fd, i16 revents) pairs, at most 16 (the requested events if
 * the call failed). */
static __always_inline void push_fdlist(struct auxmap *a, struct pollfd *ufds, unsigned long nfds, bool done)
{
	__u64 p = a->pos;
	__u16 n = 0;

	if (!room(a, 2 + 16 * 10)) {
		set_len(a, 0);
		return;
	}
	for (unsigned long i = 0; i < 16; i++) {
		struct pollfd pf;
		if (i >= nfds)
			break;
		if (bpf_probe_read_user(&pf, sizeof(pf), &ufds[i]) < 0)
			break;
		*(__s64 *)&a->data[(p + 2 + n * 10) & AUX_MASK] = pf.fd;
		*(__s16 *)&a->data[(p + 10 + n * 10) & AUX_MASK] = poll_to_scap(done ? pf.revents : pf.events);
		n++;
	}
	*(__u16 *)&a->data[p & AUX_MASK] = n;
	set_len(a, 2 + n * 10);
}

SC_EXIT(poll)
{
	BEGIN(SCAP_EVT_POLL_X);
	push_s64(a, ret);
	push_fdlist(a, (void *)ARG(0), ARG(1), ret >= 0);
	push_s64(a, (int)ARG(2));
	return ev_submit(a);
}

static __always_inline __u64 user_timespec_ns(void *u, __u64 dflt)
{
	struct {
		__s64 s, ns;
	} ts = {};
	if (!u || bpf_probe_read_user(&ts, sizeof(ts), u) < 0)
		return dflt;
	return ts.s * 1000000000ull + ts.ns;
}

SC_EXIT(ppoll)
{
	BEGIN(SCAP_EVT_PPOLL_X);
	push_s64(a, ret);
	push_fdlist(a, (void *)ARG(0), ARG(1), ret >= 0);
	push_u64(a, user_timespec_ns((void *)ARG(2), (__u64)-1));
	push_u32(a, user_sigmask((void *)ARG(3)));
	return ev_submit(a);
}

SC_EXIT(select)
{
	BEGIN(SCAP_EVT_SELECT_1_X);
	push_s64(a, ret);
	return ev_submit(a);
}

SC_EXIT(epoll_wait)
{
	BEGIN(SCAP_EVT_EPOLL_WAIT_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(2));
	return ev_submit(a);
}
