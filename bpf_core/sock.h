/* SPDX-License-Identifier: GPL-2.0-only */
/* Sockets of the current task: what push_socktuple() and the socket records read of them. */
#ifndef PYSCAP_BPF_SOCK_H
#define PYSCAP_BPF_SOCK_H

#include "path.h"

#define S_IFMT_	  00170000
#define S_IFSOCK_ 0140000

static __always_inline struct sock *fd_sock(long fd)
{
	struct file *f = fd_file(fd);
	struct socket *s;

	if (!f)
		return NULL;
	if ((BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT_) != S_IFSOCK_)
		return NULL;
	s = BPF_CORE_READ(f, private_data);
	return BPF_CORE_READ(s, sk);
}

/* The endpoints of fd's socket (abi/scap_abi_push.h); false if fd is not a socket. */
static __always_inline bool scap_sock_get(int fd, struct scap_sock *k)
{
	struct sock *sk = fd_sock(fd);

	if (!sk)
		return false;
	__builtin_memset(k, 0, sizeof(*k));
	k->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (k->family == SCAP_AF_INET) {
		k->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		k->rport = scap_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		*(__u32 *)k->laddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		*(__u32 *)k->raddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	} else if (k->family == SCAP_AF_INET6) {
		k->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		k->rport = scap_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		BPF_CORE_READ_INTO(&k->laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&k->raddr, sk, __sk_common.skc_v6_daddr);
	} else if (k->family == SCAP_AF_UNIX) {
		k->sk = (__u64)sk;
		k->peer = (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer);
	}
	return true;
}

/* The NUL-terminated sun_path of unix socket sk (abstract: without the leading NUL) at dst: its
 * length with the NUL, 0 if it has no address. */
static __always_inline __u32 scap_unix_path(__u8 *dst, __u64 sk)
{
	struct unix_address *ua = BPF_CORE_READ((struct unix_sock *)sk, addr);
	char first = 0;
	long n;

	if (!ua)
		return 0;
	bpf_probe_read_kernel(&first, 1, &ua->name[0].sun_path[0]);
	n = bpf_probe_read_kernel_str(dst, 109, &ua->name[0].sun_path[first == 0 ? 1 : 0]);
	return n > 0 ? n : 0;
}

/* The usock(X) record: socketpair's socket and its peer. */
static __always_inline void scap_load_usock(struct scap_rec_usock *r, int fd)
{
	struct sock *sk = fd_sock(fd);

	r->sk = (__u64)sk;
	r->peer = sk ? (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer) : 0;
}

/* The backlog(X) record: the accept queue of a listening socket. */
static __always_inline void scap_load_backlog(struct scap_rec_backlog *r, int fd)
{
	struct sock *lsk = fd_sock(fd);

	r->len = 0;
	r->max = 0;
	if (lsk) {
		r->len = BPF_CORE_READ(lsk, sk_ack_backlog);
		r->max = BPF_CORE_READ(lsk, sk_max_ack_backlog);
	}
	r->pct = scap_queue_pct(r->len, r->max);
}

#endif /* PYSCAP_BPF_SOCK_H */
