/* SPDX-License-Identifier: GPL-2.0-only */
/* Network: socket, bind, connect, listen, accept(4), send/recv family, shutdown, socketpair, sockopts. */

SC_EXIT(socket)
{
	BEGIN(SCAP_EVT_SOCKET_X);
	push_s64(a, ret);
	push_u32(a, ARG(0));
	push_u32(a, ARG(1));
	push_u32(a, ARG(2));
	push_u32(a, nb_cloexec_to_scap(ARG(1)));
	return ev_submit(a);
}

SC_EXIT(bind)
{
	BEGIN(SCAP_EVT_BIND_X);
	push_s64(a, ret);
	push_user_sockaddr(a, (void *)ARG(1), (int)ARG(2));
	push_s64(a, (int)ARG(0));
	return ev_submit(a);
}

SC_EXIT(connect)
{
	BEGIN(SCAP_EVT_CONNECT_X);
	long fd = (int)ARG(0);
	push_s64(a, ret);
	if (ret == 0 || ret == -115 /* EINPROGRESS */)
		push_socktuple(a, fd, true, (void *)ARG(1), (int)ARG(2));
	else
		push_empty(a);
	push_s64(a, fd);
	push_user_sockaddr(a, (void *)ARG(1), (int)ARG(2));
	return ev_submit(a);
}

SC_EXIT(listen)
{
	BEGIN(SCAP_EVT_LISTEN_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_s32(a, ARG(1));
	return ev_submit(a);
}

static __always_inline int accept_common(struct auxmap *a, long ret, long lfd)
{
	struct sock *lsk = fd_sock(lfd);
	__u32 qlen = 0, qmax = 0;

	push_s64(a, ret);
	if (ret >= 0)
		push_socktuple(a, ret, false, NULL, 0);
	else
		push_empty(a);
	if (lsk) {
		qlen = BPF_CORE_READ(lsk, sk_ack_backlog);
		qmax = BPF_CORE_READ(lsk, sk_max_ack_backlog);
	}
	push_u8(a, qmax ? (qlen * 100) / qmax : 0);
	push_u32(a, qlen);
	push_u32(a, qmax);
	return 0;
}

SC_EXIT(accept)
{
	BEGIN(SCAP_EVT_ACCEPT_3_X);
	accept_common(a, ret, (int)ARG(0));
	return ev_submit(a);
}

SC_EXIT(accept4)
{
	BEGIN(SCAP_EVT_ACCEPT4_X);
	accept_common(a, ret, (int)ARG(0));
	push_s32(a, ARG(3));
	return ev_submit(a);
}

SC_EXIT(sendto)
{
	BEGIN(SCAP_EVT_SENDTO_X);
	long fd = (int)ARG(0);
	push_s64(a, ret);
	push_io_buf(a, (void *)ARG(1), write_len(ret, ARG(2)));
	push_s64(a, fd);
	push_u32(a, ARG(2));
	if (ret >= 0)
		push_socktuple(a, fd, true, (void *)ARG(4), (int)ARG(5));
	else
		push_empty(a);
	return ev_submit(a);
}

SC_EXIT(recvfrom)
{
	BEGIN(SCAP_EVT_RECVFROM_X);
	long fd = (int)ARG(0);
	void *uaddr = (void *)ARG(4);
	int ulen = 0;
	push_s64(a, ret);
	push_io_buf(a, (void *)ARG(1), ret);
	if (uaddr && ARG(5))
		bpf_probe_read_user(&ulen, sizeof(ulen), (void *)ARG(5));
	if (ret >= 0)
		push_socktuple(a, fd, false, uaddr, ulen);
	else
		push_empty(a);
	push_s64(a, fd);
	push_u32(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(sendmsg)
{
	BEGIN(SCAP_EVT_SENDMSG_X);
	long fd = (int)ARG(0);
	struct user_msghdr m = {};
	__u64 total;
	bpf_probe_read_user(&m, sizeof(m), (void *)ARG(1));
	total = iov_total(m.msg_iov, m.msg_iovlen);
	push_s64(a, ret);
	push_iov_buf(a, m.msg_iov, m.msg_iovlen, write_len(ret, total));
	push_s64(a, fd);
	push_u32(a, total);
	if (ret >= 0)
		push_socktuple(a, fd, true, m.msg_name, m.msg_namelen);
	else
		push_empty(a);
	return ev_submit(a);
}

SC_EXIT(recvmsg)
{
	BEGIN(SCAP_EVT_RECVMSG_X);
	long fd = (int)ARG(0);
	struct user_msghdr m = {};
	bpf_probe_read_user(&m, sizeof(m), (void *)ARG(1));
	push_s64(a, ret);
	push_u32(a, iov_total(m.msg_iov, m.msg_iovlen));
	push_iov_buf(a, m.msg_iov, m.msg_iovlen, ret);
	if (ret >= 0)
		push_socktuple(a, fd, false, m.msg_name, m.msg_namelen);
	else
		push_empty(a);
	if (ret >= 0 && m.msg_control && m.msg_controllen)
		push_user_buf(a, m.msg_control, m.msg_controllen > 1024 ? 1024 : m.msg_controllen);
	else
		push_empty(a);
	push_s64(a, fd);
	return ev_submit(a);
}

/* sendmmsg/recvmmsg: the first message (upstream reports one event per call). */
SC_EXIT(sendmmsg)
{
	BEGIN(SCAP_EVT_SENDMMSG_X);
	long fd = (int)ARG(0);
	struct mmsghdr mm = {};
	__u64 total;
	bpf_probe_read_user(&mm, sizeof(mm), (void *)ARG(1));
	total = iov_total(mm.msg_hdr.msg_iov, mm.msg_hdr.msg_iovlen);
	push_s64(a, ret);
	push_s64(a, fd);
	push_u32(a, ret > 0 ? mm.msg_len : total);
	push_iov_buf(a, mm.msg_hdr.msg_iov, mm.msg_hdr.msg_iovlen, ret > 0 ? mm.msg_len : total);
	if (ret >= 0)
		push_socktuple(a, fd, true, mm.msg_hdr.msg_name, mm.msg_hdr.msg_namelen);
	else
		push_empty(a);
	return ev_submit(a);
}

SC_EXIT(recvmmsg)
{
	BEGIN(SCAP_EVT_RECVMMSG_X);
	long fd = (int)ARG(0);
	struct mmsghdr mm = {};
	bpf_probe_read_user(&mm, sizeof(mm), (void *)ARG(1));
	push_s64(a, ret);
	push_s64(a, fd);
	push_u32(a, ret > 0 ? mm.msg_len : 0);
	push_iov_buf(a, mm.msg_hdr.msg_iov, mm.msg_hdr.msg_iovlen, ret > 0 ? mm.msg_len : 0);
	if (ret > 0)
		push_socktuple(a, fd, false, mm.msg_hdr.msg_name, mm.msg_hdr.msg_namelen);
	else
		push_empty(a);
	if (ret > 0 && mm.msg_hdr.msg_control && mm.msg_hdr.msg_controllen)
		push_user_buf(a, mm.msg_hdr.msg_control,
			      mm.msg_hdr.msg_controllen > 1024 ? 1024 : mm.msg_hdr.msg_controllen);
	else
		push_empty(a);
	return ev_submit(a);
}

SC_EXIT(shutdown)
{
	BEGIN(SCAP_EVT_SHUTDOWN_X);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_u8(a, ARG(1));
	return ev_submit(a);
}

SC_EXIT(socketpair)
{
	BEGIN(SCAP_EVT_SOCKETPAIR_X);
	int fds[2] = { -1, -1 };
	__u64 src = 0, peer = 0;
	if (ret >= 0) {
		struct sock *sk;
		bpf_probe_read_user(fds, sizeof(fds), (void *)ARG(3));
		sk = fd_sock(fds[0]);
		if (sk) {
			src = (__u64)sk;
			peer = (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer);
		}
	}
	push_s64(a, ret);
	push_s64(a, fds[0]);
	push_s64(a, fds[1]);
	push_u64(a, src);
	push_u64(a, peer);
	push_u32(a, ARG(0));
	push_u32(a, ARG(1));
	push_u32(a, ARG(2));
	return ev_submit(a);
}

SC_EXIT(getsockname)
{
	BEGIN(SCAP_EVT_GETSOCKNAME_X);
	return ev_submit(a);
}

SC_EXIT(getpeername)
{
	BEGIN(SCAP_EVT_GETPEERNAME_X);
	return ev_submit(a);
}

static __always_inline __u8 sockopt_level(long level)
{
	if (level == 1)
		return SCAP_SOCKOPT_LEVELS_SOL_SOCKET;
	if (level == 6)
		return SCAP_SOCKOPT_LEVELS_SOL_TCP;
	return SCAP_SOCKOPT_LEVELS_UNKNOWN;
}

/* The value of a SOL_SOCKET option as PT_DYN: ERRNO for SO_ERROR, TIMEVAL->RELTIME for the
 * timeouts, UINT32/UINT64 by size for the rest; other levels: raw bytes. */
static __always_inline void push_sockopt_val(struct auxmap *a, long level, long name, void *uval, __u32 len)
{
	__u64 p = a->pos;
	__u64 v = 0;

	if (!uval || !len || !room(a, 300)) {
		set_len(a, 0);
		return;
	}
	if (level == 1 && (name == 20 || name == 21) && len >= 16) { /* SO_RCVTIMEO / SO_SNDTIMEO */
		struct {
			__s64 s, us;
		} tv = {};
		bpf_probe_read_user(&tv, sizeof(tv), uval);
		a->data[p & AUX_MASK] = 4;
		*(__u64 *)&a->data[(p + 1) & AUX_MASK] = tv.s * 1000000000ull + tv.us * 1000;
		set_len(a, 9);
	} else if (level == 1 && name == 4 /* SO_ERROR */ && len >= 4) {
		int err = 0;
		bpf_probe_read_user(&err, sizeof(err), uval);
		a->data[p & AUX_MASK] = 1;
		*(__s64 *)&a->data[(p + 1) & AUX_MASK] = -(__s64)err;
		set_len(a, 9);
	} else if (level == 1 && len == 4) {
		bpf_probe_read_user(&v, 4, uval);
		a->data[p & AUX_MASK] = 2;
		*(__u32 *)&a->data[(p + 1) & AUX_MASK] = v;
		set_len(a, 5);
	} else if (level == 1 && len == 8) {
		bpf_probe_read_user(&v, 8, uval);
		a->data[p & AUX_MASK] = 3;
		*(__u64 *)&a->data[(p + 1) & AUX_MASK] = v;
		set_len(a, 9);
	} else {
		__u32 l = len > 256 ? 256 : len;
		a->data[p & AUX_MASK] = 0;
		if (bpf_probe_read_user(&a->data[(p + 1) & AUX_MASK], BOUND(l, 0x1ff), uval) < 0)
			l = 0;
		set_len(a, 1 + l);
	}
}

static __always_inline __u8 sockopt_name(long level, long name)
{
	if (level != 1)
		return 0;
	switch (name) {
	case 1: return SCAP_SOCKOPT_OPTIONS_SO_DEBUG;
	case 2: return SCAP_SOCKOPT_OPTIONS_SO_REUSEADDR;
	case 3: return SCAP_SOCKOPT_OPTIONS_SO_TYPE;
	case 4: return SCAP_SOCKOPT_OPTIONS_SO_ERROR;
	case 5: return SCAP_SOCKOPT_OPTIONS_SO_DONTROUTE;
	case 6: return SCAP_SOCKOPT_OPTIONS_SO_BROADCAST;
	case 7: return SCAP_SOCKOPT_OPTIONS_SO_SNDBUF;
	case 8: return SCAP_SOCKOPT_OPTIONS_SO_RCVBUF;
	case 9: return SCAP_SOCKOPT_OPTIONS_SO_KEEPALIVE;
	case 10: return SCAP_SOCKOPT_OPTIONS_SO_OOBINLINE;
	case 11: return SCAP_SOCKOPT_OPTIONS_SO_NO_CHECK;
	case 12: return SCAP_SOCKOPT_OPTIONS_SO_PRIORITY;
	case 13: return SCAP_SOCKOPT_OPTIONS_SO_LINGER;
	case 14: return SCAP_SOCKOPT_OPTIONS_SO_BSDCOMPAT;
	case 15: return SCAP_SOCKOPT_OPTIONS_SO_REUSEPORT;
	case 16: return SCAP_SOCKOPT_OPTIONS_SO_PASSCRED;
	case 17: return SCAP_SOCKOPT_OPTIONS_SO_PEERCRED;
	case 18: return SCAP_SOCKOPT_OPTIONS_SO_RCVLOWAT;
	case 19: return SCAP_SOCKOPT_OPTIONS_SO_SNDLOWAT;
	case 20: return SCAP_SOCKOPT_OPTIONS_SO_RCVTIMEO;
	case 21: return SCAP_SOCKOPT_OPTIONS_SO_SNDTIMEO;
	case 25: return SCAP_SOCKOPT_OPTIONS_SO_BINDTODEVICE;
	case 26: return SCAP_SOCKOPT_OPTIONS_SO_ATTACH_FILTER;
	case 27: return SCAP_SOCKOPT_OPTIONS_SO_DETACH_FILTER;
	case 28: return SCAP_SOCKOPT_OPTIONS_SO_PEERNAME;
	case 29: return SCAP_SOCKOPT_OPTIONS_SO_TIMESTAMP;
	case 30: return SCAP_SOCKOPT_OPTIONS_SO_ACCEPTCONN;
	case 31: return SCAP_SOCKOPT_OPTIONS_SO_PEERSEC;
	case 32: return SCAP_SOCKOPT_OPTIONS_SO_SNDBUFFORCE;
	case 33: return SCAP_SOCKOPT_OPTIONS_SO_RCVBUFFORCE;
	case 34: return SCAP_SOCKOPT_OPTIONS_SO_PASSSEC;
	case 35: return SCAP_SOCKOPT_OPTIONS_SO_TIMESTAMPNS;
	case 36: return SCAP_SOCKOPT_OPTIONS_SO_MARK;
	case 37: return SCAP_SOCKOPT_OPTIONS_SO_TIMESTAMPING;
	case 38: return SCAP_SOCKOPT_OPTIONS_SO_PROTOCOL;
	case 39: return SCAP_SOCKOPT_OPTIONS_SO_DOMAIN;
	case 40: return SCAP_SOCKOPT_OPTIONS_SO_RXQ_OVFL;
	case 41: return SCAP_SOCKOPT_OPTIONS_SO_WIFI_STATUS;
	case 42: return SCAP_SOCKOPT_OPTIONS_SO_PEEK_OFF;
	case 43: return SCAP_SOCKOPT_OPTIONS_SO_NOFCS;
	case 44: return SCAP_SOCKOPT_OPTIONS_SO_LOCK_FILTER;
	case 45: return SCAP_SOCKOPT_OPTIONS_SO_SELECT_ERR_QUEUE;
	case 46: return SCAP_SOCKOPT_OPTIONS_SO_BUSY_POLL;
	case 47: return SCAP_SOCKOPT_OPTIONS_SO_MAX_PACING_RATE;
	case 48: return SCAP_SOCKOPT_OPTIONS_SO_BPF_EXTENSIONS;
	case 49: return SCAP_SOCKOPT_OPTIONS_SO_INCOMING_CPU;
	case 50: return SCAP_SOCKOPT_OPTIONS_SO_ATTACH_BPF;
	case 51: return SCAP_SOCKOPT_OPTIONS_SO_PEERGROUPS;
	case 52: return SCAP_SOCKOPT_OPTIONS_SO_MEMINFO;
	case 53: return SCAP_SOCKOPT_OPTIONS_SO_COOKIE;
	}
	return SCAP_SOCKOPT_OPTIONS_UNKNOWN;
}

SC_EXIT(setsockopt)
{
	BEGIN(SCAP_EVT_SETSOCKOPT_X);
	long level = (int)ARG(1), name = (int)ARG(2);
	__u32 len = ARG(4);
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_u8(a, sockopt_level(level));
	push_u8(a, sockopt_name(level, name));
	push_sockopt_val(a, level, name, (void *)ARG(3), len);
	push_u32(a, len);
	return ev_submit(a);
}

SC_EXIT(getsockopt)
{
	BEGIN(SCAP_EVT_GETSOCKOPT_X);
	long level = (int)ARG(1), name = (int)ARG(2);
	__u32 len = 0;
	bpf_probe_read_user(&len, sizeof(len), (void *)ARG(4));
	push_s64(a, ret);
	push_s64(a, (int)ARG(0));
	push_u8(a, sockopt_level(level));
	push_u8(a, sockopt_name(level, name));
	if (ret == 0)
		push_sockopt_val(a, level, name, (void *)ARG(3), len);
	else
		push_empty(a);
	push_u32(a, len);
	return ev_submit(a);
}
