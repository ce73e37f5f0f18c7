// SPDX-License-Identifier: GPL-2.0-only
/* pyscap kernel module: sockets of the current task (bpf_core/sock.h). */
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <net/af_unix.h>
#include <net/sock.h>

#include "push.h"

/* The socket of fd, or NULL (under rcu_read_lock). */
static struct sock *fd_sock_rcu(long fd)
{
	struct file *f = pyscap_fd_file_rcu(fd);
	struct socket *s;

	if (!f || !S_ISSOCK(file_inode(f)->i_mode))
		return NULL;
	s = f->private_data;
	return s ? s->sk : NULL;
}

/* The endpoints of fd's socket (abi/scap_abi_push.h; the caller holds rcu_read_lock through
 * scap_sock_lock()); false if fd is not a socket. */
bool scap_sock_get(int fd, struct scap_sock *k)
{
	struct sock *sk = fd_sock_rcu(fd);

	if (!sk)
		return false;
	memset(k, 0, sizeof(*k));
	k->family = sk->sk_family;
	if (k->family == AF_INET || k->family == AF_INET6) {
		k->lport = sk->sk_num;
		k->rport = ntohs(sk->sk_dport);
	}
	if (k->family == AF_INET) {
		memcpy(k->laddr, &sk->sk_rcv_saddr, 4);
		memcpy(k->raddr, &sk->sk_daddr, 4);
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (k->family == AF_INET6) {
		memcpy(k->laddr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(k->raddr, &sk->sk_v6_daddr, 16);
	}
#endif
	if (k->family == AF_UNIX) {
		k->sk = (u64)(unsigned long)sk;
		k->peer = (u64)(unsigned long)unix_peer(sk);
	}
	return true;
}

/* The NUL-terminated sun_path of unix socket sk (abstract: without the leading NUL) at dst: its
 * length with the NUL, 0 if it has no address. */
u32 scap_unix_path(u8 *dst, u64 sk)
{
	struct unix_address *ua = unix_sk((struct sock *)(unsigned long)sk)->addr;
	const char *path;
	u32 n;

	if (!ua)
		return 0;
	path = ua->name[0].sun_path;
	if (path[0] == 0)
		path++;
	n = strnlen(path, 108);
	memcpy(dst, path, n);
	dst[n] = 0;
	return n + 1;
}

/* The usock(X) record: socketpair's socket and its peer. */
void scap_load_usock(struct scap_rec_usock *r, int fd)
{
	struct sock *sk;

	rcu_read_lock();
	sk = fd_sock_rcu(fd);
	r->sk = (u64)(unsigned long)sk;
	r->peer = sk ? (u64)(unsigned long)unix_peer(sk) : 0;
	rcu_read_unlock();
}

/* The backlog(X) record: the accept queue of a listening socket. */
void scap_load_backlog(struct scap_rec_backlog *r, int fd)
{
	struct sock *lsk;

	r->len = 0;
	r->max = 0;
	rcu_read_lock();
	lsk = fd_sock_rcu(fd);
	if (lsk) {
		r->len = READ_ONCE(lsk->sk_ack_backlog);
		r->max = READ_ONCE(lsk->sk_max_ack_backlog);
	}
	rcu_read_unlock();
	r->pct = scap_queue_pct(r->len, r->max);
}
