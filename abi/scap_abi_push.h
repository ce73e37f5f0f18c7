/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * The push layer shared by the CO-RE probe (bpf_core/) and the kernel module (driver/): how every
 * parameter is encoded, written once. An event is built in a per-CPU buffer: the 26-byte header,
 * then one length slot per parameter, then the payloads; each push_*() below fills the next slot
 * and appends its payload. What differs between the drivers is only how memory is reached, which
 * each driver defines before including this header:
 *
 *   SCAP_INLINE                        static __always_inline (BPF), static inline (kmod)
 *   SCAP_EV                            the event under construction; it has a __u32 `off`, a
 *                                      scratch cursor of the loops below
 *   scap_out(e, off)                   (__u8 *) byte off of the current parameter's payload
 *   scap_set_len(e, len)               close the current parameter with len payload bytes
 *   scap_room(e, need)                 room for need more payload bytes? (else the event is marked
 *                                      too large and dropped at submit)
 *   scap_last_len(e)                   the length of the parameter just closed
 *   scap_tmp(e)                        (__u8 *) a scratch area of 512 bytes, not the event's
 *   scap_get16/32(p), scap_put16/32/64(p, v)  loads and stores at any alignment
 *   scap_read_user(dst, len, src)      copy len bytes of user memory at address src: 0, or < 0 and
 *                                      dst zeroed (as bpf_probe_read_user leaves it)
 *   scap_read_user_str(dst, max, src)  a user string: its length with the NUL (cut to max - 1
 *                                      bytes + NUL), or <= 0
 *   scap_copy(dst, src, len)           copy len bytes of kernel memory
 *   scap_copy_str(dst, max, src)       a kernel string, as scap_read_user_str
 *   SCAP_BOUND(x, mask)                x & mask, which the compiler must keep (the BPF verifier
 *                                      proves the bounds of a copy from it)
 *   scap_snaplen()                     the I/O bytes to keep
 *   scap_sock_lock(), scap_sock_unlock(), scap_sock_get(fd, &sock), scap_unix_path(dst, sk)
 *                                      the socket of a fd (push_socktuple)
 *   scap_compat()                      the layout of the current syscall's structs: 0 for an
 *                                      x86_64 syscall; SCAP_COMPAT_32 for an ia32 one (compat
 *                                      iovec, msghdr, mmsghdr: abi/scap_abi_ia32.h), with
 *                                      SCAP_COMPAT_NARROW unless it takes the 64-bit timespec,
 *                                      rlimit and off_t (the time64 and *64 syscalls)
 *
 * User addresses are unsigned long here: the accessors make the pointers. The records' loaders
 * (struct scap_rec_NAME, scap_load_NAME) and the pushers of the fill sources (schema/fill.py) that
 * need nothing more are here too; those that read the kernel's own structures are each driver's.
 */
#ifndef SCAP_ABI_PUSH_H
#define SCAP_ABI_PUSH_H

#ifndef SCAP_CONV_INLINE
#define SCAP_CONV_INLINE SCAP_INLINE
#endif
#include "scap_abi_conv.h"

#define SCAP_COMPAT_32	    1
#define SCAP_COMPAT_NARROW  2
#define SCAP_MAX_STR	    4096
#define SCAP_MAX_IOVS	    8 /* iovecs read per call (readv & co. with more: the first 8) */
#define SCAP_MAX_ARGS_BYTES 4096
#define SCAP_MAX_POLLFDS    16

/* Linux socket families (x86_64) */
#define SCAP_AF_UNIX  1
#define SCAP_AF_INET  2
#define SCAP_AF_INET6 10

/* ------------------------------------------------------------------------------------------ */
/* Fixed-size values                                                                           */

#define SCAP_DEFINE_PUSH(NAME, T, PUT)         \
	SCAP_INLINE void NAME(SCAP_EV *e, T v) \
	{                                      \
		PUT(scap_out(e, 0), v);        \
		scap_set_len(e, sizeof(T));    \
	}
#define scap_put8(p, v) (*(__u8 *)(p) = (v))
SCAP_DEFINE_PUSH(push_u8, __u8, scap_put8)
SCAP_DEFINE_PUSH(push_u16, __u16, scap_put16)
SCAP_DEFINE_PUSH(push_u32, __u32, scap_put32)
SCAP_DEFINE_PUSH(push_u64, __u64, scap_put64)
#define push_s64(e, v) push_u64(e, (__u64)(__s64)(v))
#define push_s32(e, v) push_u32(e, (__u32)(__s32)(v))

SCAP_INLINE void push_empty(SCAP_EV *e)
{
	scap_set_len(e, 0);
}

SCAP_INLINE __u64 scap_min(__u64 a, __u64 b)
{
	return a < b ? a : b;
}

SCAP_INLINE __u16 scap_ntohs(__u16 v)
{
	return (v >> 8) | (v << 8);
}

/* Writes keep the data also when they fail (what the caller tried to write). */
SCAP_INLINE long scap_write_len(long ret, unsigned long size)
{
	return ret > 0 ? ret : (long)size;
}

/* The drop category of an event whose ring was full (the drivers' statistics). */
SCAP_INLINE int scap_drop_category(__u16 type)
{
	switch (type) {
	case SCAP_EVT_CLONE_X:
	case SCAP_EVT_FORK_X:
	case SCAP_EVT_VFORK_X:
	case SCAP_EVT_CLONE3_X: return SCAP_DROP_CLONE_FORK_EXIT;
	case SCAP_EVT_EXECVE_X:
	case SCAP_EVT_EXECVEAT_X: return SCAP_DROP_EXECVE_EXIT;
	case SCAP_EVT_CONNECT_E: return SCAP_DROP_CONNECT_ENTER;
	case SCAP_EVT_CONNECT_X: return SCAP_DROP_CONNECT_EXIT;
	case SCAP_EVT_OPEN_E:
	case SCAP_EVT_OPENAT_E:
	case SCAP_EVT_OPENAT2_E:
	case SCAP_EVT_CREAT_E: return SCAP_DROP_OPEN_ENTER;
	case SCAP_EVT_OPEN_X:
	case SCAP_EVT_OPENAT_X:
	case SCAP_EVT_OPENAT2_X:
	case SCAP_EVT_CREAT_X:
	case SCAP_EVT_OPEN_BY_HANDLE_AT_X: return SCAP_DROP_OPEN_EXIT;
	case SCAP_EVT_MKDIR_X:
	case SCAP_EVT_MKDIRAT_X:
	case SCAP_EVT_RMDIR_X:
	case SCAP_EVT_UNLINK_X:
	case SCAP_EVT_UNLINKAT_X:
	case SCAP_EVT_RENAME_X:
	case SCAP_EVT_RENAMEAT_X:
	case SCAP_EVT_RENAMEAT2_X:
	case SCAP_EVT_LINK_X:
	case SCAP_EVT_LINKAT_X:
	case SCAP_EVT_SYMLINK_X:
	case SCAP_EVT_SYMLINKAT_X:
	case SCAP_EVT_CHDIR_X:
	case SCAP_EVT_FCHDIR_X: return SCAP_DROP_DIR_FILE_EXIT;
	case SCAP_EVT_CLOSE_X: return SCAP_DROP_CLOSE_EXIT;
	case SCAP_EVT_PROCEXIT_E: return SCAP_DROP_PROC_EXIT;
	}
	return SCAP_DROP_OTHER_INTEREST_EXIT;
}

/* ------------------------------------------------------------------------------------------ */
/* Small user reads (0 when the address is 0 or unreadable)                                    */

SCAP_INLINE __u32 scap_user_u32(unsigned long u)
{
	__u32 v = 0;

	if (u)
		scap_read_user(&v, sizeof(v), u);
	return v;
}

SCAP_INLINE __u64 scap_user_u64(unsigned long u)
{
	__u64 v = 0;

	if (u)
		scap_read_user(&v, sizeof(v), u);
	return v;
}

/* A user off_t (loff_t *, or compat_off_t * of a narrow ia32 syscall); 0 if absent or unreadable. */
SCAP_INLINE __u64 scap_user_off(unsigned long u)
{
	if (scap_compat() & SCAP_COMPAT_NARROW)
		return (__u64)(__s64)(__s32)scap_user_u32(u);
	return scap_user_u64(u);
}

/* A user struct timespec in ns (old_timespec32 for a narrow ia32 syscall); dflt if absent or
 * unreadable. */
SCAP_INLINE __u64 scap_user_timespec_ns(unsigned long u, __u64 dflt)
{
	struct {
		__s64 s, ns;
	} ts = {};
	struct {
		__s32 s, ns;
	} ts32 = {};

	if (!u)
		return dflt;
	if (scap_compat() & SCAP_COMPAT_NARROW) {
		if (scap_read_user(&ts32, sizeof(ts32), u) < 0)
			return dflt;
		return ts32.s * 1000000000ull + ts32.ns;
	}
	if (scap_read_user(&ts, sizeof(ts), u) < 0)
		return dflt;
	return ts.s * 1000000000ull + ts.ns;
}

/* ------------------------------------------------------------------------------------------ */
/* Strings and buffers                                                                         */

/* NUL-terminated string from user memory (CHARBUF/FSPATH); empty if unreadable or NULL. */
SCAP_INLINE void push_user_str(SCAP_EV *e, unsigned long u, __u32 max)
{
	long n = 0;

	if (u && scap_room(e, SCAP_MAX_STR))
		n = scap_read_user_str(scap_out(e, 0), max & (2 * SCAP_MAX_STR - 1), u);
	scap_set_len(e, n > 0 ? n : 0);
}

/* A kernel string (comm, a file name); empty if NULL. */
SCAP_INLINE void push_kernel_str(SCAP_EV *e, const void *k, __u32 max)
{
	long n = 0;

	if (k && scap_room(e, SCAP_MAX_STR))
		n = scap_copy_str(scap_out(e, 0), max & (2 * SCAP_MAX_STR - 1), k);
	scap_set_len(e, n > 0 ? n : 0);
}

/* Raw bytes from user memory (BYTEBUF), len clamped to SCAP_MAX_PARAM_SIZE; empty on failure. */
SCAP_INLINE void push_user_buf(SCAP_EV *e, unsigned long u, __u64 len)
{
	__u32 l = len > SCAP_MAX_PARAM_SIZE ? SCAP_MAX_PARAM_SIZE : len;

	if (!u || !l || !scap_room(e, l)) {
		scap_set_len(e, 0);
		return;
	}
	l = SCAP_BOUND(l, 0xffff);
	if (scap_read_user(scap_out(e, 0), l, u) < 0)
		l = 0;
	scap_set_len(e, l);
}

SCAP_INLINE __u32 scap_snaplen_max(void)
{
	__u32 s = scap_snaplen();

	return s > SCAP_MAX_PARAM_SIZE ? SCAP_MAX_PARAM_SIZE : s;
}

/* I/O data: len bytes at u, cut to snaplen. */
SCAP_INLINE void push_io_buf(SCAP_EV *e, unsigned long u, long len)
{
	__u32 s = scap_snaplen_max();

	if (len <= 0) {
		scap_set_len(e, 0);
		return;
	}
	push_user_buf(e, u, (unsigned long)len < s ? (unsigned long)len : s);
}

struct scap_iovec {
	__u64 base;
	__u64 len;
};

/*
 * Entry i of a user iovec array: struct iovec, or struct compat_iovec (two u32) of an ia32 syscall
 * (compat: scap_compat() & SCAP_COMPAT_32, read once by the caller); < 0 if unreadable. The widened
 * compat entry is copied into *iov with scap_copy, as the native one is read: for the BPF verifier
 * both leave *iov as unknown bytes, so that the two paths merge instead of doubling the states of
 * every later iteration.
 */
SCAP_INLINE long scap_read_iov(struct scap_iovec *iov, unsigned long uiov, unsigned long i, __u32 compat)
{
	if (compat) {
		__u32 c[2] = {};
		struct scap_iovec w;
		long rc = scap_read_user(c, sizeof(c), uiov + i * sizeof(c));

		w.base = c[0];
		w.len = c[1];
		scap_copy(iov, &w, sizeof(w));
		return rc;
	}
	return scap_read_user(iov, sizeof(*iov), uiov + i * sizeof(*iov));
}

/* I/O data gathered from an iovec array (readv/writev/sendmsg/...), cut to snaplen. */
SCAP_INLINE void push_iov_buf(SCAP_EV *e, unsigned long uiov, unsigned long iovcnt, long len)
{
	__u32 s = scap_snaplen_max(), compat = scap_compat() & SCAP_COMPAT_32;
	__u32 total;

	if (len <= 0 || !uiov || !scap_room(e, SCAP_MAX_PARAM_SIZE)) {
		scap_set_len(e, 0);
		return;
	}
	total = (unsigned long)len < s ? (unsigned long)len : s;
	/* the cursor lives in the event, not in a register: the BPF verifier can prune the states
	 * of successive iterations */
	e->off = 0;
	for (unsigned long i = 0; i < SCAP_MAX_IOVS; i++) {
		struct scap_iovec iov;
		__u32 chunk, off = e->off;

		if (i >= iovcnt || off >= total)
			break;
		if (scap_read_iov(&iov, uiov, i, compat) < 0)
			break;
		chunk = iov.len < total - off ? iov.len : total - off;
		chunk &= 0xffff;
		if (chunk && scap_read_user(scap_out(e, off), chunk, iov.base) < 0)
			break;
		e->off = off + chunk;
	}
	scap_set_len(e, e->off & 0xffff);
}

/* Sum of iov_len over an iovec array (the size parameter of readv/writev). */
SCAP_INLINE __u64 scap_iov_total(unsigned long uiov, unsigned long iovcnt)
{
	__u32 compat = scap_compat() & SCAP_COMPAT_32;
	__u64 sum = 0;

	for (unsigned long i = 0; i < SCAP_MAX_IOVS; i++) {
		struct scap_iovec iov;

		if (i >= iovcnt)
			break;
		if (scap_read_iov(&iov, uiov, i, compat) < 0)
			break;
		sum += iov.len;
	}
	return sum;
}

/* exe (argv[0]) and args (argv[1..], NUL-separated, at most 4096 bytes) from a task's argument
 * area [s, end); both empty without one. */
SCAP_INLINE void push_exe_args(SCAP_EV *e, unsigned long s, unsigned long end)
{
	unsigned long n;

	if (end <= s) {
		push_empty(e);
		push_empty(e);
		return;
	}
	push_user_str(e, s, SCAP_MAX_STR);
	n = scap_last_len(e);
	if (s + n < end)
		push_user_buf(e, s + n, scap_min(end - s - n, SCAP_MAX_ARGS_BYTES));
	else
		push_empty(e);
}

/* env: the environment area [s, end), at most 4096 bytes. */
SCAP_INLINE void push_env(SCAP_EV *e, unsigned long s, unsigned long end)
{
	if (end <= s) {
		push_empty(e);
		return;
	}
	push_user_buf(e, s, scap_min(end - s, SCAP_MAX_ARGS_BYTES));
}

/* ------------------------------------------------------------------------------------------ */
/* Sockets (docs/upstream-facts.md §1.5)                                                       */

/* A user sockaddr (bind, connect) in the ppm encoding: family byte, then address and port. */
SCAP_INLINE void push_user_sockaddr(SCAP_EV *e, unsigned long uaddr, int ulen)
{
	__u8 *s = scap_tmp(e), *p = scap_out(e, 0);
	__u16 fam;

	if (!uaddr || ulen <= 0 || !scap_room(e, 128)) {
		scap_set_len(e, 0);
		return;
	}
	if (ulen > 110)
		ulen = 110;
	__builtin_memset(s, 0, 112);
	if (scap_read_user(s, SCAP_BOUND(ulen, 0x7f), uaddr) < 0) {
		scap_set_len(e, 0);
		return;
	}
	fam = scap_get16(s);
	if (fam == SCAP_AF_INET) {
		p[0] = SCAP_SOCKET_FAMILIES_AF_INET;
		scap_put32(p + 1, scap_get32(s + 4));
		scap_put16(p + 5, scap_ntohs(scap_get16(s + 2)));
		scap_set_len(e, 7);
	} else if (fam == SCAP_AF_INET6) {
		p[0] = SCAP_SOCKET_FAMILIES_AF_INET6;
		scap_copy(p + 1, s + 8, 16);
		scap_put16(p + 17, scap_ntohs(scap_get16(s + 2)));
		scap_set_len(e, 19);
	} else if (fam == SCAP_AF_UNIX) {
		__u32 off = s[2] == 0 ? 3 : 2; /* abstract: skip the leading NUL */
		long n;

		p[0] = SCAP_SOCKET_FAMILIES_AF_UNIX;
		n = scap_copy_str(p + 1, 109, s + (off & 3));
		scap_set_len(e, n > 0 ? 1 + n : 0);
	} else {
		scap_set_len(e, 0);
	}
}

/* A socket's endpoints, as the driver's scap_sock_get() reads them. */
struct scap_sock {
	__u16 family; /* the kernel's AF_* */
	__u16 lport;  /* host order */
	__u16 rport;
	__u8 laddr[16]; /* network order: 4 bytes for AF_INET */
	__u8 raddr[16];
	__u64 sk; /* AF_UNIX: this socket and its peer, as kernel addresses */
	__u64 peer;
};

/*
 * SOCKTUPLE of a socket fd. outbound: src = local, dst = remote (connect, send*); inbound: src =
 * remote, dst = local (accept, recv*). If the kernel has no remote port (unconnected UDP), the
 * remote end comes from the user sockaddr uaddr (if given).
 */
SCAP_INLINE void push_socktuple(SCAP_EV *e, int fd, int outbound, unsigned long uaddr, int ulen)
{
	__u8 *p = scap_out(e, 0);
	struct scap_sock k;

	scap_sock_lock();
	if (!scap_sock_get(fd, &k) || !scap_room(e, 160)) {
		scap_sock_unlock();
		scap_set_len(e, 0);
		return;
	}
	if (k.family == SCAP_AF_INET || k.family == SCAP_AF_INET6) {
		__u32 alen = k.family == SCAP_AF_INET ? 4 : 16;
		__u8 *u = scap_tmp(e);

		if (k.rport == 0 && uaddr && ulen > 0) {
			if (ulen > 28)
				ulen = 28;
			__builtin_memset(u, 0, 32);
			if (scap_read_user(u, SCAP_BOUND(ulen, 0x1f), uaddr) == 0 && scap_get16(u) == k.family) {
				k.rport = scap_ntohs(scap_get16(u + 2));
				if (k.family == SCAP_AF_INET)
					__builtin_memcpy(k.raddr, u + 4, 4);
				else
					__builtin_memcpy(k.raddr, u + 8, 16);
			}
		}
		p[0] = k.family == SCAP_AF_INET ? SCAP_SOCKET_FAMILIES_AF_INET : SCAP_SOCKET_FAMILIES_AF_INET6;
		scap_copy(p + 1, outbound ? k.laddr : k.raddr, SCAP_BOUND(alen, 0x1f));
		scap_put16(p + 1 + alen, outbound ? k.lport : k.rport);
		scap_copy(p + 3 + alen, outbound ? k.raddr : k.laddr, SCAP_BOUND(alen, 0x1f));
		scap_put16(p + 3 + 2 * alen, outbound ? k.rport : k.lport);
		scap_sock_unlock();
		scap_set_len(e, 1 + 2 * (alen + 2));
	} else if (k.family == SCAP_AF_UNIX) {
		__u32 plen = 0;

		p[0] = SCAP_SOCKET_FAMILIES_AF_UNIX;
		scap_put64(p + 1, outbound ? k.peer : k.sk);
		scap_put64(p + 9, outbound ? k.sk : k.peer);
		if (k.peer)
			plen = scap_unix_path(p + 17, k.peer);
		if (!plen)
			plen = scap_unix_path(p + 17, k.sk);
		if (!plen) {
			p[17] = 0;
			plen = 1;
		}
		scap_sock_unlock();
		scap_set_len(e, 17 + plen);
	} else {
		scap_sock_unlock();
		scap_set_len(e, 0);
	}
}

/* The value of a socket option as PT_DYN: ERRNO for SO_ERROR, TIMEVAL->RELTIME for the timeouts,
 * UINT32/UINT64 by size for the other SOL_SOCKET options; other levels: raw bytes (at most 256). */
SCAP_INLINE void push_sockopt_val(SCAP_EV *e, int level, int name, unsigned long uval, __u32 len)
{
	__u8 *p = scap_out(e, 0);
	__u64 v = 0;

	if (!uval || !len || !scap_room(e, 300)) {
		scap_set_len(e, 0);
		return;
	}
	if (level == 1 && (name == 20 || name == 21) && len >= 16) { /* SO_RCVTIMEO_OLD / SO_SNDTIMEO_OLD */
		struct {
			__s64 s, us;
		} tv = {};

		scap_read_user(&tv, sizeof(tv), uval);
		p[0] = 4;
		scap_put64(p + 1, tv.s * 1000000000ull + tv.us * 1000);
		scap_set_len(e, 9);
	} else if (level == 1 && name == 4 /* SO_ERROR */ && len >= 4) {
		int err = 0;

		scap_read_user(&err, sizeof(err), uval);
		p[0] = 1;
		scap_put64(p + 1, -(__s64)err);
		scap_set_len(e, 9);
	} else if (level == 1 && len == 4) {
		scap_read_user(&v, 4, uval);
		p[0] = 2;
		scap_put32(p + 1, v);
		scap_set_len(e, 5);
	} else if (level == 1 && len == 8) {
		scap_read_user(&v, 8, uval);
		p[0] = 3;
		scap_put64(p + 1, v);
		scap_set_len(e, 9);
	} else {
		__u32 l = len > 256 ? 256 : len;

		p[0] = 0;
		if (scap_read_user(p + 1, SCAP_BOUND(l, 0x1ff), uval) < 0)
			l = 0;
		scap_set_len(e, 1 + l);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* FDLIST and DYN                                                                              */

/* FDLIST: u16 count, then (i64 fd, i16 flags) pairs, at most 16: revents once the call is done,
 * the requested events if it failed. */
SCAP_INLINE void push_fdlist(SCAP_EV *e, unsigned long ufds, unsigned long nfds, int done)
{
	__u8 *p = scap_out(e, 0);
	__u16 n = 0;

	if (!scap_room(e, 2 + SCAP_MAX_POLLFDS * 10)) {
		scap_set_len(e, 0);
		return;
	}
	for (unsigned long i = 0; i < SCAP_MAX_POLLFDS; i++) {
		struct {
			__s32 fd;
			__s16 events, revents;
		} pf;

		if (i >= nfds)
			break;
		if (scap_read_user(&pf, sizeof(pf), ufds + i * sizeof(pf)) < 0)
			break;
		scap_put64(p + 2 + n * 10, (__s64)pf.fd);
		scap_put16(p + 10 + n * 10, scap_conv_poll(done ? pf.revents : pf.events));
		n++;
	}
	scap_put16(p, n);
	scap_set_len(e, 2 + n * 10);
}

/* PT_DYN: a selector byte, then the value. */
SCAP_INLINE void push_dyn_u64(SCAP_EV *e, __u64 v)
{
	__u8 *p = scap_out(e, 0);

	p[0] = 0;
	scap_put64(p + 1, v);
	scap_set_len(e, 9);
}

SCAP_INLINE void push_dyn_sig(SCAP_EV *e, __u8 sig)
{
	__u8 *p = scap_out(e, 0);

	p[0] = 1;
	p[1] = sig;
	scap_set_len(e, 2);
}

/* Selector 1 with a user string ("" when NULL or unreadable). */
SCAP_INLINE void push_dyn_user_str(SCAP_EV *e, unsigned long u)
{
	__u8 *p = scap_out(e, 0);
	long n = 0;

	p[0] = 1;
	if (u && scap_room(e, SCAP_MAX_STR + 1))
		n = scap_read_user_str(p + 1, SCAP_MAX_STR, u);
	if (n <= 0) {
		p[1] = 0;
		n = 1;
	}
	scap_set_len(e, 1 + n);
}

/* ------------------------------------------------------------------------------------------ */
/* Records of user memory (schema/fill.py RECORDS)                                             */

struct scap_rec_how {
	__u64 flags, mode, resolve;
};

SCAP_INLINE void scap_load_how(struct scap_rec_how *r, unsigned long u)
{
	scap_read_user(r, sizeof(*r), u);
}

struct scap_rec_ufds {
	__s32 fd1, fd2;
};

/* pipe, socketpair: the two fds the call wrote, if ok (zeros if unreadable), else -1, -1. */
SCAP_INLINE void scap_load_ufds(struct scap_rec_ufds *r, unsigned long u, int ok)
{
	r->fd1 = -1;
	r->fd2 = -1;
	if (ok)
		scap_read_user(r, sizeof(*r), u);
}

struct scap_rec_rlim {
	__s64 cur, max;
};

/* struct rlimit, or struct compat_rlimit (two u32, RLIM_INFINITY as 0xffffffff) of a narrow ia32
 * syscall (getrlimit, setrlimit, ugetrlimit; prlimit64 takes the 64-bit one). */
SCAP_INLINE void scap_load_rlim(struct scap_rec_rlim *r, unsigned long u, int ok)
{
	r->cur = -1;
	r->max = -1;
	if (!ok || !u)
		return;
	if (scap_compat() & SCAP_COMPAT_NARROW) {
		__u32 c[2];

		if (scap_read_user(c, sizeof(c), u) < 0) {
			r->cur = r->max = 0;
			return;
		}
		r->cur = c[0] == 0xffffffffu ? -1 : (__s64)c[0];
		r->max = c[1] == 0xffffffffu ? -1 : (__s64)c[1];
		return;
	}
	scap_read_user(r, sizeof(*r), u);
}

struct scap_rec_uring {
	__u32 sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features;
};

SCAP_INLINE void scap_load_uring(struct scap_rec_uring *r, unsigned long u)
{
	__builtin_memset(r, 0, sizeof(*r));
	if (u)
		scap_read_user(r, sizeof(*r), u);
}

/* semop: the first two struct sembuf {u16 sem_num; s16 sem_op; s16 sem_flg} (zeros if absent). */
struct scap_rec_sembuf {
	__u16 num0, op0, flg0, num1, op1, flg1;
};

SCAP_INLINE void scap_load_sembuf(struct scap_rec_sembuf *r, unsigned long u, unsigned long n)
{
	__builtin_memset(r, 0, sizeof(*r));
	if (u && n)
		scap_read_user(r, n >= 2 ? 12 : 6, u);
}

/* The x86_64 struct user_msghdr: 56 bytes. */
#define SCAP_USER_MSGHDR                        \
	__u64 name;                             \
	__s32 namelen;                          \
	__u32 pad0;                             \
	__u64 iov, iovlen, control, controllen; \
	__u32 flags, pad1

/* A user struct msghdr, then the sum of its iov_len. */
struct scap_rec_msg {
	SCAP_USER_MSGHDR;
	__u64 total;
};

/* The 56-byte user_msghdr at dst from struct compat_msghdr (28 bytes: name, namelen, iov, iovlen,
 * control, controllen, flags as seven u32) of an ia32 syscall at u, widened; copied into dst with
 * scap_copy, so that for the BPF verifier dst holds unknown bytes as after the native read (see
 * scap_read_iov). */
SCAP_INLINE void scap_read_compat_msghdr(void *dst, unsigned long u)
{
	struct scap_rec_msg w;
	__u32 c[7] = {};

	__builtin_memset(&w, 0, sizeof(w));
	scap_read_user(c, sizeof(c), u);
	w.name = c[0];
	w.namelen = (__s32)c[1];
	w.iov = c[2];
	w.iovlen = c[3];
	w.control = c[4];
	w.controllen = c[5];
	w.flags = c[6];
	scap_copy(dst, &w, 56);
}

SCAP_INLINE void scap_load_msg(struct scap_rec_msg *r, unsigned long u)
{
	__builtin_memset(r, 0, sizeof(*r));
	if (scap_compat() & SCAP_COMPAT_32)
		scap_read_compat_msghdr(r, u);
	else
		scap_read_user(r, 56, u);
	r->total = scap_iov_total(r->iov, r->iovlen);
}

/* The first user struct mmsghdr (64 bytes): a user_msghdr and msg_len. */
struct scap_rec_mmsg {
	SCAP_USER_MSGHDR;
	__u32 len, pad2;
};

SCAP_INLINE void scap_load_mmsg(struct scap_rec_mmsg *r, unsigned long u)
{
	__builtin_memset(r, 0, sizeof(*r));
	if (scap_compat() & SCAP_COMPAT_32) {
		/* struct compat_mmsghdr: a compat_msghdr, then msg_len */
		scap_read_compat_msghdr(r, u);
		scap_read_user(&r->len, sizeof(r->len), u + 28);
		return;
	}
	scap_read_user(r, sizeof(*r), u);
}

/*
 * quotactl(cmd, special, id, addr): the dqb_* limits and times of struct if_dqblk at addr for
 * Q_SETQUOTA and a successful Q_GETQUOTA; the dqi_* grace times and flags of struct if_dqinfo for
 * Q_SETINFO and a successful Q_GETINFO; fmt_out the format a successful Q_GETFMT wrote. Values
 * that do not apply to the command are 0.
 */
struct scap_rec_quota {
	__u64 bhard, bsoft, curspace, ihard, isoft, btime, itime, bgrace, igrace;
	__u16 cmd;
	__u8 quotaon, dqi_flags, fmt_out, type;
};

#define SCAP_Q_QUOTAON	0x800002
#define SCAP_Q_GETFMT	0x800004
#define SCAP_Q_GETINFO	0x800005
#define SCAP_Q_SETINFO	0x800006
#define SCAP_Q_GETQUOTA 0x800007
#define SCAP_Q_SETQUOTA 0x800008

SCAP_INLINE void scap_load_quota(struct scap_rec_quota *q, __u32 raw, unsigned long addr, long ret)
{
	__u32 sub = raw >> 8, type = raw & 0xff, fmt_out = 0;
	__u64 dq[8] = {}; /* if_dqblk: bhard, bsoft, curspace, ihard, isoft, curinodes, btime, itime */
	__u64 di[3] = {}; /* if_dqinfo: bgrace, igrace, flags | valid << 32 */

	if (addr && (sub == SCAP_Q_SETQUOTA || (sub == SCAP_Q_GETQUOTA && ret == 0)))
		scap_read_user(dq, sizeof(dq), addr);
	if (addr && (sub == SCAP_Q_SETINFO || (sub == SCAP_Q_GETINFO && ret == 0)))
		scap_read_user(di, sizeof(di), addr);
	if (addr && sub == SCAP_Q_GETFMT && ret == 0)
		fmt_out = scap_user_u32(addr);
	q->bhard = dq[0];
	q->bsoft = dq[1];
	q->curspace = dq[2];
	q->ihard = dq[3];
	q->isoft = dq[4];
	q->btime = dq[6];
	q->itime = dq[7];
	q->bgrace = di[0];
	q->igrace = di[1];
	q->dqi_flags =
		(sub == SCAP_Q_GETINFO || sub == SCAP_Q_SETINFO)
			? ((di[2] & 1) ? SCAP_QUOTACTL_DQI_FLAGS_V1_DQF_RSQUASH : SCAP_QUOTACTL_DQI_FLAGS_DQF_NONE)
			: 0;
	q->fmt_out = (sub == SCAP_Q_GETFMT && ret == 0) ? scap_conv_quota_fmt(fmt_out) : 0;
	q->cmd = scap_conv_quota_cmd(sub);
	q->type = type == 0 ? SCAP_QUOTACTL_TYPES_USRQUOTA : type == 1 ? SCAP_QUOTACTL_TYPES_GRPQUOTA : 0;
	q->quotaon = sub == SCAP_Q_QUOTAON;
}

/* ------------------------------------------------------------------------------------------ */
/* Records the drivers fill from the kernel's structures (each driver's scap_load_NAME)        */

struct scap_rec_fd {
	__u32 created; /* SCAP_OPEN_FLAGS_O_F_CREATED if the call created the file */
	__u32 dev;     /* st_dev encoding */
	__u64 ino;
};

struct scap_rec_usock {
	__u64 sk, peer;
};

struct scap_rec_backlog {
	__u32 len, max, pct;
};

SCAP_INLINE __u32 scap_queue_pct(__u32 len, __u32 max)
{
	return max ? (len * 100) / max : 0;
}

struct scap_rec_mm {
	__u32 size, rss, swap; /* KiB, as /proc/PID/status shows them */
};

struct scap_rec_caps {
	__u64 inheritable, permitted, effective;
};

/* What the process events (clone, execve: abi/scap_abi_proc.h) take of a task; each driver's
 * scap_task_info(), scap_exec_info() and scap_clone_info() fill them. */
struct scap_task_info {
	__u64 arg_start, arg_end; /* the argument area */
	__s64 tid, tgid, ptid;
	__u64 fdlimit; /* RLIMIT_NOFILE's soft limit */
	__u64 maj_flt, min_flt;
	struct scap_rec_mm mm;
};

struct scap_exec_info {
	__u64 env_start, env_end; /* the environment area */
	__u32 tty;		  /* st_rdev encoding of the controlling terminal, 0 if none */
	__u32 loginuid;
	__u32 flags; /* SCAP_EXECVE_FLAGS_*: the executable is writable by the caller, from a memfd */
	__u32 euid, egid;
	__s64 vpgid, pgid; /* process group, in the task's pid namespace and in the initial one */
	struct scap_rec_caps caps;
	__u64 exe_ino, exe_ctime, exe_mtime; /* of the executable (0 without one) */
};

struct scap_clone_info {
	__u32 euid, egid;
	__s64 vtid, vpid;	   /* in the task's pid namespace */
	__u64 pidns_init_start_ts; /* start of the namespace's init, ns since the epoch */
};

/* procexit: the exit code and what follows from it, and who adopts the children. */
SCAP_INLINE void push_procexit(SCAP_EV *e, __u32 code, __s64 reaper)
{
	push_s64(e, code);
	push_s64(e, (code >> 8) & 0xff);
	push_u8(e, code & 0x7f);
	push_u8(e, (code & 0x80) ? 1 : 0);
	push_s64(e, reaper);
}

#endif /* SCAP_ABI_PUSH_H */
