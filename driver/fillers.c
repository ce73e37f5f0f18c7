// SPDX-License-Identifier: GPL-2.0-only
/*
 * pyscap kernel module: the tracepoint probes and one filler per event.
 *
 * A filler pushes the event's parameters in schema order through the push_*() helpers; the
 * parameter count comes from the generated schema table (SCAP_EVENT_NPARAMS_INIT) and
 * pyscap_ev_submit() drops (and counts as a bug) any event whose filler pushed another number
 * of parameters, so a filler cannot drift from the schema silently. Encodings are those of the
 * CO-RE probe (bpf_core/helpers.h): the same bytes for the same syscall.
 *
 * Probes run with preemption disabled: user memory is read with the *_nofault accessors, so a
 * page that is not resident gives an empty parameter (as bpf_probe_read_user does).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/socket.h>
#include <linux/tty.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/binfmts.h>
#include <net/af_unix.h>
#include <net/sock.h>
#include <asm/syscall.h>
#include <asm/unaligned.h>

#include "pyscap.h"

#define SCAP_CONV_INLINE static inline
#include "scap_abi_conv.h"   /* flag converters shared with the CO-RE probe */
#include "scap_abi_toctou.h" /* the syscalls with enter events */

#define MAX_STR	       4096
#define PATH_BUF       4096
#define MAX_ARGS_BYTES 4096
#define MAX_IOVS       8 /* as the CO-RE probe: readv & co. with more iovecs give the same bytes */
/* Temporary area at the end of the scratch buffer, past any event payload. */
#define TMP_OFF	 (SCAP_MAX_EVENT_SIZE + 4096)
#define TMP_SIZE 8192

struct syscall_entry {
	u16 flags;
	u16 exit_event;
	u16 ppm_sc;
};
static const struct syscall_entry g_syscalls[SCAP_SYSCALL_NR_MAX] = SCAP_SYSCALL_TABLE_X86_64_INIT;

/* ------------------------------------------------------------------------------------------ */
/* Parameter pushers                                                                            */

static __always_inline void set_len(struct pyscap_ev *e, u32 len)
{
	if (likely(e->idx < e->nparams))
		put_unaligned((u16)len, (u16 *)(e->buf + SCAP_EVENT_HEADER_SIZE + 2 * e->idx));
	else
		len = 0;
	e->idx++;
	e->pos += len;
}

static __always_inline u8 *cur(struct pyscap_ev *e)
{
	return e->buf + e->pos;
}

static __always_inline u8 *tmp(struct pyscap_ev *e)
{
	return e->buf + TMP_OFF;
}

#define DEFINE_PUSH(NAME, T)                                       \
	static __always_inline void NAME(struct pyscap_ev *e, T v) \
	{                                                          \
		put_unaligned(v, (T *)cur(e));                     \
		set_len(e, sizeof(T));                             \
	}
DEFINE_PUSH(push_u8, u8)
DEFINE_PUSH(push_u16, u16)
DEFINE_PUSH(push_u32, u32)
DEFINE_PUSH(push_u64, u64)
#define push_s64(e, v) push_u64(e, (u64)(s64)(v))
#define push_s32(e, v) push_u32(e, (u32)(s32)(v))

static __always_inline void push_empty(struct pyscap_ev *e)
{
	set_len(e, 0);
}

static bool room(struct pyscap_ev *e, u32 need)
{
	if (e->pos + need > SCAP_MAX_EVENT_SIZE - 8) {
		e->overflow = true;
		return false;
	}
	return true;
}

/*
 * A user string without sleeping (strncpy_from_user_nofault is not exported): the length with
 * the NUL; a string of max bytes or more is cut to max - 1 bytes + NUL; "" gives 0 (as
 * strncpy_from_user_nofault, hence bpf_probe_read_user_str, does); -EFAULT.
 */
static long user_str_nofault(char *dst, const void __user *u, long max)
{
	long n;

	if (max <= 0)
		return 0;
	pagefault_disable();
	n = strncpy_from_user(dst, u, max);
	pagefault_enable();
	if (n >= max) {
		dst[max - 1] = 0;
		return max;
	}
	return n > 0 ? n + 1 : n;
}

static void push_user_str(struct pyscap_ev *e, const void __user *u, u32 max)
{
	long n = 0;

	if (u && room(e, MAX_STR))
		n = user_str_nofault(cur(e), u, max);
	set_len(e, n > 0 ? n : 0);
}

/* A kernel string we own (comm, a d_path result): length includes the NUL. */
static void push_kstr(struct pyscap_ev *e, const char *s, u32 max)
{
	u32 n;

	if (!s || !room(e, MAX_STR)) {
		set_len(e, 0);
		return;
	}
	n = strnlen(s, max - 1);
	memcpy(cur(e), s, n);
	cur(e)[n] = 0;
	set_len(e, n + 1);
}

static void push_kbytes(struct pyscap_ev *e, const void *p, u32 len)
{
	if (!room(e, len)) {
		set_len(e, 0);
		return;
	}
	memcpy(cur(e), p, len);
	set_len(e, len);
}

static void push_user_buf(struct pyscap_ev *e, const void __user *u, u64 len)
{
	u32 l = len > SCAP_MAX_PARAM_SIZE ? SCAP_MAX_PARAM_SIZE : len;

	if (!u || !l || !room(e, l)) {
		set_len(e, 0);
		return;
	}
	if (copy_from_user_nofault(cur(e), u, l))
		l = 0;
	set_len(e, l);
}

static u32 snaplen(void)
{
	u32 s = READ_ONCE(g_pyscap.snaplen);

	return s > SCAP_MAX_PARAM_SIZE ? SCAP_MAX_PARAM_SIZE : s;
}

static void push_io_buf(struct pyscap_ev *e, const void __user *u, long len)
{
	u32 s = snaplen();

	if (len <= 0) {
		set_len(e, 0);
		return;
	}
	push_user_buf(e, u, (unsigned long)len < s ? (unsigned long)len : s);
}

static void push_iov_buf(struct pyscap_ev *e, const struct iovec __user *uiov, unsigned long iovcnt, long len)
{
	u32 s = snaplen(), total, off = 0;
	int i;

	if (len <= 0 || !uiov || !room(e, SCAP_MAX_PARAM_SIZE)) {
		set_len(e, 0);
		return;
	}
	total = (unsigned long)len < s ? (unsigned long)len : s;
	for (i = 0; i < MAX_IOVS && i < iovcnt && off < total; i++) {
		struct iovec iov;
		u32 chunk;

		if (copy_from_user_nofault(&iov, &uiov[i], sizeof(iov)))
			break;
		chunk = iov.iov_len < total - off ? iov.iov_len : total - off;
		if (chunk && copy_from_user_nofault(cur(e) + off, iov.iov_base, chunk))
			break;
		off += chunk;
	}
	set_len(e, off);
}

static u64 iov_total(const struct iovec __user *uiov, unsigned long iovcnt)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < MAX_IOVS && i < iovcnt; i++) {
		struct iovec iov;

		if (copy_from_user_nofault(&iov, &uiov[i], sizeof(iov)))
			break;
		sum += iov.iov_len;
	}
	return sum;
}

/* ------------------------------------------------------------------------------------------ */
/* Flag conversions to the ppm encoding (the shared ones: abi/scap_abi_conv.h)                    */

/* Socket families: the ppm numbers are Linux's. */
static u32 socket_family_to_scap(u32 f)
{
	return f;
}

/* ------------------------------------------------------------------------------------------ */
/* Files and sockets of the current task (under rcu_read_lock)                                  */

static struct file *fd_file_rcu(long fd)
{
	struct files_struct *files = current->files;

	if (fd < 0 || !files)
		return NULL;
	return files_lookup_fd_raw(files, fd);
}

static void fd_dev_ino(long fd, u32 *dev, u64 *ino, bool *created)
{
	struct file *f;

	*dev = 0;
	*ino = 0;
	if (created)
		*created = false;
	rcu_read_lock();
	f = fd_file_rcu(fd);
	if (f) {
		struct inode *i = file_inode(f);

		*dev = new_encode_dev(i->i_sb->s_dev);
		*ino = i->i_ino;
		if (created)
			*created = !!(f->f_mode & FMODE_CREATED);
	}
	rcu_read_unlock();
}

static struct sock *fd_sock_rcu(long fd)
{
	struct file *f = fd_file_rcu(fd);
	struct socket *s;

	if (!f || !S_ISSOCK(file_inode(f)->i_mode))
		return NULL;
	s = f->private_data;
	return s ? s->sk : NULL;
}

static void push_user_sockaddr(struct pyscap_ev *e, const void __user *uaddr, long ulen)
{
	u8 *s = tmp(e), *p = cur(e);
	u16 fam;

	if (!uaddr || ulen <= 0 || !room(e, 128)) {
		set_len(e, 0);
		return;
	}
	if (ulen > 110)
		ulen = 110;
	memset(s, 0, 112);
	if (copy_from_user_nofault(s, uaddr, ulen & 0x7f)) {
		set_len(e, 0);
		return;
	}
	fam = get_unaligned((u16 *)s);
	if (fam == AF_INET) {
		p[0] = SCAP_SOCKET_FAMILIES_AF_INET;
		memcpy(p + 1, s + 4, 4);
		put_unaligned(ntohs(get_unaligned((__be16 *)(s + 2))), (u16 *)(p + 5));
		set_len(e, 7);
	} else if (fam == AF_INET6) {
		p[0] = SCAP_SOCKET_FAMILIES_AF_INET6;
		memcpy(p + 1, s + 8, 16);
		put_unaligned(ntohs(get_unaligned((__be16 *)(s + 2))), (u16 *)(p + 17));
		set_len(e, 19);
	} else if (fam == AF_UNIX) {
		u32 off = s[2] == 0 ? 3 : 2; /* abstract: skip the leading NUL */
		u32 n = strnlen((char *)s + off, 108);

		p[0] = SCAP_SOCKET_FAMILIES_AF_UNIX;
		memcpy(p + 1, s + off, n);
		p[1 + n] = 0;
		set_len(e, 2 + n);
	} else {
		set_len(e, 0);
	}
}

/* The NUL-terminated sun_path of a unix socket (abstract: without the leading NUL); 0 if none. */
static u32 put_unix_path(u8 *dst, struct sock *sk)
{
	struct unix_address *ua = unix_sk(sk)->addr;
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

/* SOCKTUPLE (docs/upstream-facts.md §1.5): outbound src = local, dst = remote; inbound the reverse. */
static void push_socktuple(struct pyscap_ev *e, long fd, bool outbound, const void __user *uaddr, long ulen)
{
	u8 *p = cur(e);
	struct sock *sk;
	u16 fam;

	rcu_read_lock();
	sk = fd_sock_rcu(fd);
	if (!sk || !room(e, 160)) {
		rcu_read_unlock();
		set_len(e, 0);
		return;
	}
	fam = sk->sk_family;
	if (fam == AF_INET || fam == AF_INET6) {
		u8 *s = tmp(e);
		u16 lport = sk->sk_num;
		u16 rport = ntohs(sk->sk_dport);
		u32 alen = fam == AF_INET ? 4 : 16;

		memset(s, 0, 160);
		if (fam == AF_INET) {
			memcpy(&s[0], &sk->sk_rcv_saddr, 4);
			memcpy(&s[16], &sk->sk_daddr, 4);
		}
#if IS_ENABLED(CONFIG_IPV6)
		else {
			memcpy(&s[0], &sk->sk_v6_rcv_saddr, 16);
			memcpy(&s[16], &sk->sk_v6_daddr, 16);
		}
#endif
		if (rport == 0 && uaddr && ulen > 0) {
			if (ulen > 28)
				ulen = 28;
			if (!copy_from_user_nofault(&s[64], uaddr, ulen & 0x1f) &&
			    get_unaligned((u16 *)&s[64]) == fam) {
				rport = ntohs(get_unaligned((__be16 *)&s[66]));
				if (fam == AF_INET)
					memcpy(&s[16], &s[68], 4);
				else
					memcpy(&s[16], &s[72], 16);
			}
		}
		p[0] = fam == AF_INET ? SCAP_SOCKET_FAMILIES_AF_INET : SCAP_SOCKET_FAMILIES_AF_INET6;
		if (outbound) {
			memcpy(p + 1, &s[0], alen);
			put_unaligned(lport, (u16 *)(p + 1 + alen));
			memcpy(p + 3 + alen, &s[16], alen);
			put_unaligned(rport, (u16 *)(p + 3 + 2 * alen));
		} else {
			memcpy(p + 1, &s[16], alen);
			put_unaligned(rport, (u16 *)(p + 1 + alen));
			memcpy(p + 3 + alen, &s[0], alen);
			put_unaligned(lport, (u16 *)(p + 3 + 2 * alen));
		}
		rcu_read_unlock();
		set_len(e, 1 + 2 * (alen + 2));
	} else if (fam == AF_UNIX) {
		struct sock *peer = unix_peer(sk);
		u32 plen = 0;

		p[0] = SCAP_SOCKET_FAMILIES_AF_UNIX;
		put_unaligned(outbound ? (u64)(unsigned long)peer : (u64)(unsigned long)sk, (u64 *)(p + 1));
		put_unaligned(outbound ? (u64)(unsigned long)sk : (u64)(unsigned long)peer, (u64 *)(p + 9));
		if (peer)
			plen = put_unix_path(p + 17, peer);
		if (!plen)
			plen = put_unix_path(p + 17, sk);
		if (!plen) {
			p[17] = 0;
			plen = 1;
		}
		rcu_read_unlock();
		set_len(e, 17 + plen);
	} else {
		rcu_read_unlock();
		set_len(e, 0);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Tasks                                                                                        */

static void push_mm_sizes(struct pyscap_ev *e, struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	u32 size = 0, rss = 0, swap = 0;

	if (mm) {
		size = mm->total_vm << (PAGE_SHIFT - 10);
		rss = (get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
		       get_mm_counter(mm, MM_SHMEMPAGES))
		      << (PAGE_SHIFT - 10);
		swap = get_mm_counter(mm, MM_SWAPENTS) << (PAGE_SHIFT - 10);
	}
	push_u32(e, size);
	push_u32(e, rss);
	push_u32(e, swap);
}

/* exe (argv[0], a string) and args (the rest of the argument area, at most 4096 bytes). */
static void push_exe_args(struct pyscap_ev *e, struct mm_struct *mm)
{
	unsigned long s, end;
	u32 n;

	if (!mm || mm->arg_end <= mm->arg_start) {
		push_empty(e);
		push_empty(e);
		return;
	}
	s = mm->arg_start;
	end = mm->arg_end;
	push_user_str(e, (const void __user *)s, MAX_STR);
	n = get_unaligned((u16 *)(e->buf + SCAP_EVENT_HEADER_SIZE + 2 * (e->idx - 1)));
	if (s + n < end)
		push_user_buf(e, (const void __user *)(s + n), min_t(unsigned long, end - s - n, MAX_ARGS_BYTES));
	else
		push_empty(e);
}

static void push_env(struct pyscap_ev *e, struct mm_struct *mm)
{
	if (!mm || mm->env_end <= mm->env_start) {
		push_empty(e);
		return;
	}
	push_user_buf(e, (const void __user *)mm->env_start,
		      min_t(unsigned long, mm->env_end - mm->env_start, MAX_ARGS_BYTES));
}

/* cgroups: "subsys=path\0" for cpuset, cpu, cpuacct, io, memory (those the kernel has). */
static void push_cgroups(struct pyscap_ev *e, struct task_struct *t)
{
	static const struct {
		const char *name;
		int id;
	} subsys[] = {
#if IS_ENABLED(CONFIG_CPUSETS)
		{ "cpuset", cpuset_cgrp_id },
#endif
#if IS_ENABLED(CONFIG_CGROUP_SCHED)
		{ "cpu", cpu_cgrp_id },
#endif
#if IS_ENABLED(CONFIG_CGROUP_CPUACCT)
		{ "cpuacct", cpuacct_cgrp_id },
#endif
#if IS_ENABLED(CONFIG_BLK_CGROUP)
		{ "io", io_cgrp_id },
#endif
#if IS_ENABLED(CONFIG_MEMCG)
		{ "memory", memory_cgrp_id },
#endif
	};
	u8 *out = tmp(e), *path = tmp(e) + 4096;
	u32 off = 0;
	int i;

	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(subsys); i++) {
		struct cgroup_subsys_state *css = task_css(t, subsys[i].id);
		u32 nl = strlen(subsys[i].name);
		int plen;

		if (!css || !css->cgroup)
			continue;
		plen = kernfs_path(css->cgroup->kn, path, 1024);
		if (plen < 0 || plen >= 1024 || off + nl + plen + 2 > 4096)
			continue;
		memcpy(out + off, subsys[i].name, nl);
		out[off + nl] = '=';
		memcpy(out + off + nl + 1, path, plen + 1);
		off += nl + plen + 2;
	}
	rcu_read_unlock();
	if (off)
		push_kbytes(e, out, off);
	else
		push_empty(e);
}

static u32 task_vpid_of(struct task_struct *t, bool tgid)
{
	return tgid ? task_tgid_vnr(t) : task_pid_vnr(t);
}

static u64 task_fdlimit(struct task_struct *t)
{
	return READ_ONCE(t->signal->rlim[RLIMIT_NOFILE].rlim_cur);
}

static u32 task_ptid(struct task_struct *t)
{
	struct task_struct *p;
	u32 r = 0;

	rcu_read_lock();
	p = rcu_dereference(t->real_parent);
	if (p)
		r = p->pid;
	rcu_read_unlock();
	return r;
}

/* The path of a struct path via d_path, written to the event; empty if it fails. */
static void push_d_path(struct pyscap_ev *e, const struct path *p)
{
	static const char deleted[] = " (deleted)";
	char *t = (char *)tmp(e), *s;
	u32 len;

	if (!p || !p->dentry || !room(e, PATH_BUF + 1)) {
		set_len(e, 0);
		return;
	}
	s = d_path(p, t, PATH_BUF);
	if (IS_ERR(s)) {
		set_len(e, 0);
		return;
	}
	len = t + PATH_BUF - s; /* with the NUL */
	/* the CO-RE probe walks the dentries: no " (deleted)" suffix for an unlinked file */
	if (d_unlinked(p->dentry) && len > sizeof(deleted) &&
	    !memcmp(s + len - sizeof(deleted), deleted, sizeof(deleted) - 1)) {
		len -= sizeof(deleted) - 1;
		s[len - 1] = 0;
	}
	push_kbytes(e, s, len);
}

static u64 ts_ns(struct timespec64 ts)
{
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static u64 caps_u64(kernel_cap_t c)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return c.val;
#else
	return ((u64)c.cap[1] << 32) | c.cap[0];
#endif
}

/* The fields shared by clone X and execve X, up to comm (params 1..13, 0-based). */
static void push_proc_common(struct pyscap_ev *e, struct task_struct *t)
{
	push_exe_args(e, t->mm);
	push_s64(e, t->pid);
	push_s64(e, t->tgid);
	push_s64(e, task_ptid(t));
	if (t->fs) {
		/* fs->lock keeps pwd referenced while d_path walks it (no sleeping, no path_put). */
		spin_lock(&t->fs->lock);
		push_d_path(e, &t->fs->pwd);
		spin_unlock(&t->fs->lock);
	} else {
		push_empty(e);
	}
	push_s64(e, task_fdlimit(t));
	push_u64(e, t->maj_flt);
	push_u64(e, t->min_flt);
	push_mm_sizes(e, t);
	push_kstr(e, t->comm, TASK_COMM_LEN);
	push_cgroups(e, t);
}

/* ------------------------------------------------------------------------------------------ */
/* Fillers                                                                                      */

#define ARG(n) (args[n])
typedef void (*filler_t)(struct pyscap_ev *e, const unsigned long *args, long ret);

static void f_generic(struct pyscap_ev *e, u16 ppm_sc, u16 nr)
{
	push_u16(e, ppm_sc);
	push_u16(e, nr);
}

/* open family */
static void f_open_e(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	push_u32(e, open_flags_to_scap(ARG(1)));
	push_u32(e, open_mode(ARG(1), ARG(2)));
}

static void f_open_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 dev;
	u64 ino;
	bool created;

	fd_dev_ino(ret, &dev, &ino, &created);
	push_s64(e, ret);
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	push_u32(e, open_flags_to_scap(ARG(1)) | (created ? SCAP_OPEN_FLAGS_O_F_CREATED : 0));
	push_u32(e, open_mode(ARG(1), ARG(2)));
	push_u32(e, dev);
	push_u64(e, ino);
}

static void f_creat_e(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	push_u32(e, ARG(1));
}

static void f_creat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 dev;
	u64 ino;

	fd_dev_ino(ret, &dev, &ino, NULL);
	push_s64(e, ret);
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	push_u32(e, ARG(1));
	push_u32(e, dev);
	push_u64(e, ino);
	push_u16(e, 0);
}

static void f_openat_e(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, open_flags_to_scap(ARG(2)));
	push_u32(e, open_mode(ARG(2), ARG(3)));
}

static void f_openat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 dev;
	u64 ino;
	bool created;

	fd_dev_ino(ret, &dev, &ino, &created);
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, open_flags_to_scap(ARG(2)) | (created ? SCAP_OPEN_FLAGS_O_F_CREATED : 0));
	push_u32(e, open_mode(ARG(2), ARG(3)));
	push_u32(e, dev);
	push_u64(e, ino);
}

struct open_how_ {
	u64 flags, mode, resolve;
};

static void read_how(const unsigned long *args, struct open_how_ *h)
{
	memset(h, 0, sizeof(*h));
	if (copy_from_user_nofault(h, (const void __user *)ARG(2), sizeof(*h)))
		memset(h, 0, sizeof(*h));
}

static void f_openat2_e(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	struct open_how_ h;

	read_how(args, &h);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, open_flags_to_scap(h.flags));
	push_u32(e, open_mode(h.flags, h.mode));
	push_u32(e, resolve_to_scap(h.resolve));
}

static void f_openat2_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	struct open_how_ h;
	u32 dev;
	u64 ino;
	bool created;

	read_how(args, &h);
	fd_dev_ino(ret, &dev, &ino, &created);
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, open_flags_to_scap(h.flags) | (created ? SCAP_OPEN_FLAGS_O_F_CREATED : 0));
	push_u32(e, open_mode(h.flags, h.mode));
	push_u32(e, resolve_to_scap(h.resolve));
	push_u32(e, dev);
	push_u64(e, ino);
}

static void f_open_by_handle_at_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	struct file *f = NULL;
	u32 dev;
	u64 ino;
	bool created;

	fd_dev_ino(ret, &dev, &ino, &created);
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, open_flags_to_scap(ARG(2)) | (created ? SCAP_OPEN_FLAGS_O_F_CREATED : 0));
	if (ret >= 0) {
		rcu_read_lock();
		f = fd_file_rcu(ret);
		if (f && !get_file_rcu(f))
			f = NULL;
		rcu_read_unlock();
	}
	if (f) {
		push_d_path(e, &f->f_path);
		fput(f);
	} else {
		push_empty(e);
	}
	push_u32(e, dev);
	push_u64(e, ino);
}

static void f_close_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
}

/* Writes keep the data also when they fail (what the caller tried to write). */
static long write_len(long ret, unsigned long size)
{
	return ret > 0 ? ret : (long)size;
}

/* read/write family: res, data, fd, size[, pos] */
static void f_read_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_io_buf(e, (const void __user *)ARG(1), ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, ARG(2));
}

static void f_write_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_io_buf(e, (const void __user *)ARG(1), write_len(ret, ARG(2)));
	push_s64(e, (s32)ARG(0));
	push_u32(e, ARG(2));
}

static void f_pread_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_read_x(e, args, ret);
	push_u64(e, ARG(3));
}

static void f_pwrite_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_write_x(e, args, ret);
	push_u64(e, ARG(3));
}

static void f_readv_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	const struct iovec __user *iov = (const void __user *)ARG(1);

	push_s64(e, ret);
	push_u32(e, iov_total(iov, ARG(2)));
	push_iov_buf(e, iov, ARG(2), ret);
	push_s64(e, (s32)ARG(0));
}

static void f_preadv_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_readv_x(e, args, ret);
	push_u64(e, ARG(3));
}

static void f_writev_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	const struct iovec __user *iov = (const void __user *)ARG(1);
	u64 total = iov_total(iov, ARG(2));

	push_s64(e, ret);
	push_iov_buf(e, iov, ARG(2), write_len(ret, total));
	push_s64(e, (s32)ARG(0));
	push_u32(e, total);
}

static void f_pwritev_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_writev_x(e, args, ret);
	push_u64(e, ARG(3));
}

/* sockets */

static void f_socket_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u32(e, socket_family_to_scap(ARG(0)));
	push_u32(e, ARG(1));
	push_u32(e, ARG(2));
	push_u32(e, nb_cloexec_to_scap(ARG(1)));
}

static void f_socketpair_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	int fds[2] = { -1, -1 };
	u64 src = 0, peer = 0;

	if (ret >= 0) {
		struct sock *sk;

		if (copy_from_user_nofault(fds, (const void __user *)ARG(3), sizeof(fds)))
			memset(fds, 0, sizeof(fds));
		rcu_read_lock();
		sk = fd_sock_rcu(fds[0]);
		if (sk) {
			src = (u64)(unsigned long)sk;
			peer = (u64)(unsigned long)unix_peer(sk);
		}
		rcu_read_unlock();
	}
	push_s64(e, ret);
	push_s64(e, fds[0]);
	push_s64(e, fds[1]);
	push_u64(e, src);
	push_u64(e, peer);
	push_u32(e, socket_family_to_scap(ARG(0)));
	push_u32(e, ARG(1));
	push_u32(e, ARG(2));
}

static void f_bind_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_user_sockaddr(e, (const void __user *)ARG(1), ARG(2));
	push_s64(e, (s32)ARG(0));
}

static void f_connect_e(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, (s32)ARG(0));
	push_user_sockaddr(e, (const void __user *)ARG(1), ARG(2));
}

static void f_connect_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	if (ret == 0 || ret == -EINPROGRESS)
		push_socktuple(e, (s32)ARG(0), true, (const void __user *)ARG(1), ARG(2));
	else
		push_empty(e);
	push_s64(e, (s32)ARG(0));
	push_user_sockaddr(e, (const void __user *)ARG(1), ARG(2));
}

static void f_listen_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_s32(e, ARG(1));
}

static void push_accept_common(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 qlen = 0, qmax = 0;
	u8 pct = 0;
	struct sock *lsk;

	push_s64(e, ret);
	if (ret >= 0)
		push_socktuple(e, ret, false, NULL, 0);
	else
		push_empty(e);
	rcu_read_lock();
	lsk = fd_sock_rcu((s32)ARG(0));
	if (lsk) {
		qlen = READ_ONCE(lsk->sk_ack_backlog);
		qmax = READ_ONCE(lsk->sk_max_ack_backlog);
		if (qmax)
			pct = (u8)((u64)qlen * 100 / qmax);
	}
	rcu_read_unlock();
	push_u8(e, pct);
	push_u32(e, qlen);
	push_u32(e, qmax);
}

static void f_accept_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_accept_common(e, args, ret);
}

static void f_accept4_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_accept_common(e, args, ret);
	push_s32(e, ARG(3));
}

static void f_sendto_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_io_buf(e, (const void __user *)ARG(1), write_len(ret, ARG(2)));
	push_s64(e, (s32)ARG(0));
	push_u32(e, ARG(2));
	if (ret >= 0)
		push_socktuple(e, (s32)ARG(0), true, (const void __user *)ARG(4), (s32)ARG(5));
	else
		push_empty(e);
}

static void f_recvfrom_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	int alen = 0;

	push_s64(e, ret);
	push_io_buf(e, (const void __user *)ARG(1), ret);
	if (ARG(4) && ARG(5) && copy_from_user_nofault(&alen, (const void __user *)ARG(5), sizeof(alen)))
		alen = 0;
	if (ret >= 0) {
		push_socktuple(e, (s32)ARG(0), false, (const void __user *)ARG(4), alen);
	} else {
		push_empty(e);
	}
	push_s64(e, (s32)ARG(0));
	push_u32(e, ARG(2));
}

/* A user struct, zeroed when it cannot be read (as bpf_probe_read_user leaves it). */
static void read_user_struct(void *dst, unsigned long uptr, size_t len)
{
	if (!uptr || copy_from_user_nofault(dst, (const void __user *)uptr, len))
		memset(dst, 0, len);
}

static void f_sendmsg_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	struct user_msghdr m;
	u64 total;

	read_user_struct(&m, ARG(1), sizeof(m));
	total = iov_total(m.msg_iov, m.msg_iovlen);
	push_s64(e, ret);
	push_iov_buf(e, m.msg_iov, m.msg_iovlen, write_len(ret, total));
	push_s64(e, (s32)ARG(0));
	push_u32(e, total);
	if (ret >= 0)
		push_socktuple(e, (s32)ARG(0), true, m.msg_name, m.msg_namelen);
	else
		push_empty(e);
}

static void f_recvmsg_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	struct user_msghdr m;

	read_user_struct(&m, ARG(1), sizeof(m));
	push_s64(e, ret);
	push_u32(e, iov_total(m.msg_iov, m.msg_iovlen));
	push_iov_buf(e, m.msg_iov, m.msg_iovlen, ret);
	if (ret >= 0)
		push_socktuple(e, (s32)ARG(0), false, m.msg_name, m.msg_namelen);
	else
		push_empty(e);
	if (ret >= 0 && m.msg_control && m.msg_controllen)
		push_user_buf(e, m.msg_control, m.msg_controllen > 1024 ? 1024 : m.msg_controllen);
	else
		push_empty(e);
	push_s64(e, (s32)ARG(0));
}

/* sendmmsg/recvmmsg: the first message (one event per call). */
static void f_sendmmsg_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	struct mmsghdr mm;
	u64 total;

	read_user_struct(&mm, ARG(1), sizeof(mm));
	total = iov_total(mm.msg_hdr.msg_iov, mm.msg_hdr.msg_iovlen);
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, ret > 0 ? mm.msg_len : total);
	push_iov_buf(e, mm.msg_hdr.msg_iov, mm.msg_hdr.msg_iovlen, ret > 0 ? mm.msg_len : total);
	if (ret >= 0)
		push_socktuple(e, (s32)ARG(0), true, mm.msg_hdr.msg_name, mm.msg_hdr.msg_namelen);
	else
		push_empty(e);
}

static void f_recvmmsg_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	struct mmsghdr mm;

	read_user_struct(&mm, ARG(1), sizeof(mm));
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, ret > 0 ? mm.msg_len : 0);
	push_iov_buf(e, mm.msg_hdr.msg_iov, mm.msg_hdr.msg_iovlen, ret > 0 ? mm.msg_len : 0);
	if (ret > 0)
		push_socktuple(e, (s32)ARG(0), false, mm.msg_hdr.msg_name, mm.msg_hdr.msg_namelen);
	else
		push_empty(e);
	if (ret > 0 && mm.msg_hdr.msg_control && mm.msg_hdr.msg_controllen)
		push_user_buf(e, mm.msg_hdr.msg_control,
			      mm.msg_hdr.msg_controllen > 1024 ? 1024 : mm.msg_hdr.msg_controllen);
	else
		push_empty(e);
}

static void f_no_params(struct pyscap_ev *e, const unsigned long *args, long ret)
{
}

static u8 sockopt_level(long level)
{
	if (level == SOL_SOCKET)
		return SCAP_SOCKOPT_LEVELS_SOL_SOCKET;
	if (level == SOL_TCP)
		return SCAP_SOCKOPT_LEVELS_SOL_TCP;
	return SCAP_SOCKOPT_LEVELS_UNKNOWN;
}

/* SOL_SOCKET option numbers are the ppm ones for 1..53 except the gaps 22..24 (security). */
static u8 sockopt_name(long level, long name)
{
	if (level != SOL_SOCKET)
		return 0;
	if ((name >= 1 && name <= 21) || (name >= 25 && name <= 53))
		return name;
	return SCAP_SOCKOPT_OPTIONS_UNKNOWN;
}

/* PT_DYN value: ERRNO for SO_ERROR, TIMEVAL -> RELTIME for the timeouts, UINT32/UINT64 by size
 * for other SOL_SOCKET options; anything else raw bytes (at most 256). */
static void push_sockopt_val(struct pyscap_ev *e, long level, long name, const void __user *uval, u32 len)
{
	u8 *p = cur(e);
	u64 v = 0;

	if (!uval || !len || !room(e, 300)) {
		set_len(e, 0);
		return;
	}
	if (level == SOL_SOCKET && (name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD) && len >= 16) {
		struct {
			s64 s, us;
		} tv;

		if (copy_from_user_nofault(&tv, uval, sizeof(tv)))
			memset(&tv, 0, sizeof(tv));
		p[0] = 4;
		put_unaligned((u64)(tv.s * 1000000000ull + tv.us * 1000), (u64 *)(p + 1));
		set_len(e, 9);
	} else if (level == SOL_SOCKET && name == SO_ERROR && len >= 4) {
		int err = 0;

		if (copy_from_user_nofault(&err, uval, sizeof(err)))
			err = 0;
		p[0] = 1;
		put_unaligned(-(s64)err, (s64 *)(p + 1));
		set_len(e, 9);
	} else if (level == SOL_SOCKET && len == 4) {
		if (copy_from_user_nofault(&v, uval, 4))
			v = 0;
		p[0] = 2;
		put_unaligned((u32)v, (u32 *)(p + 1));
		set_len(e, 5);
	} else if (level == SOL_SOCKET && len == 8) {
		if (copy_from_user_nofault(&v, uval, 8))
			v = 0;
		p[0] = 3;
		put_unaligned(v, (u64 *)(p + 1));
		set_len(e, 9);
	} else {
		u32 l = len > 256 ? 256 : len;

		p[0] = 0;
		if (copy_from_user_nofault(p + 1, uval, l))
			l = 0;
		set_len(e, 1 + l);
	}
}

static void f_setsockopt_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	long level = (s32)ARG(1), name = (s32)ARG(2);
	u32 len = ARG(4);

	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u8(e, sockopt_level(level));
	push_u8(e, sockopt_name(level, name));
	push_sockopt_val(e, level, name, (const void __user *)ARG(3), len);
	push_u32(e, len);
}

static void f_getsockopt_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	long level = (s32)ARG(1), name = (s32)ARG(2);
	u32 len = 0;

	if (copy_from_user_nofault(&len, (const void __user *)ARG(4), sizeof(len)))
		len = 0;
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u8(e, sockopt_level(level));
	push_u8(e, sockopt_name(level, name));
	if (ret == 0)
		push_sockopt_val(e, level, name, (const void __user *)ARG(3), len);
	else
		push_empty(e);
	push_u32(e, len);
}

static void f_shutdown_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u8(e, ARG(1));
}

/* processes */
/* realtime - boottime: what the CO-RE engine's boot_time is (it measures it once at open). */
static u64 boot_to_real_offset(void)
{
	return ktime_to_ns(ktime_mono_to_any(0, TK_OFFS_REAL)) - ktime_to_ns(ktime_mono_to_any(0, TK_OFFS_BOOT));
}

static void f_clone_x(struct pyscap_ev *e, const unsigned long *args, long ret, u64 raw_flags)
{
	const struct cred *cred;
	u32 flags = clone_flags_to_scap(raw_flags);
	struct task_struct *reaper;
	u64 init_ts = 0;

	if (task_active_pid_ns(current)->level > 0)
		flags |= SCAP_CLONE_FLAGS_CLONE_CHILD_IN_PIDNS;
	push_s64(e, ret);
	push_proc_common(e, current);
	push_u32(e, flags);
	rcu_read_lock();
	cred = __task_cred(current);
	push_u32(e, __kuid_val(cred->euid));
	push_u32(e, __kgid_val(cred->egid));
	reaper = task_active_pid_ns(current)->child_reaper;
	if (reaper)
		init_ts = reaper->start_boottime + boot_to_real_offset();
	rcu_read_unlock();
	push_s64(e, task_vpid_of(current, false));
	push_s64(e, task_vpid_of(current, true));
	push_u64(e, init_ts);
}

static void f_clone_raw(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_clone_x(e, args, ret, ARG(0));
}

static void f_fork_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_clone_x(e, args, ret, 0);
}

static void f_vfork_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_clone_x(e, args, ret, 0x00004000 | 0x00000100);
}

static void f_clone3_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u64 flags = 0;

	if (copy_from_user_nofault(&flags, (const void __user *)ARG(0), sizeof(flags)))
		flags = 0;
	f_clone_x(e, args, ret, flags);
}

/* exe flags: writable by the caller (CAP_DAC_OVERRIDE or the mode bits), or from a memfd. */
static u32 exe_flags(struct file *exe, const struct cred *cred)
{
	struct inode *i = file_inode(exe);
	u32 mode = i->i_mode, r = 0;

	if ((caps_u64(cred->cap_effective) & (1ull << CAP_DAC_OVERRIDE)) || (mode & 0002) ||
	    ((mode & 0200) && uid_eq(cred->fsuid, i->i_uid)) || ((mode & 0020) && gid_eq(cred->fsgid, i->i_gid)))
		r |= SCAP_EXECVE_FLAGS_EXE_WRITABLE;
	if (!strncmp(exe->f_path.dentry->d_name.name, "memfd:", 6))
		r |= SCAP_EXECVE_FLAGS_EXE_FROM_MEMFD;
	return r;
}

/* mm->exe_file with a reference (get_mm_exe_file is not exported). */
static struct file *mm_exe_file(struct mm_struct *mm)
{
	struct file *f;

	rcu_read_lock();
	f = rcu_dereference(mm->exe_file);
	if (f && !get_file_rcu(f))
		f = NULL;
	rcu_read_unlock();
	return f;
}

/* Parameters 15..29 of execve/execveat X (from env to gid). */
static void push_exec_rest(struct pyscap_ev *e, struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	struct file *exe = mm ? mm_exe_file(mm) : NULL;
	const struct cred *cred;
	struct tty_struct *tty;
	u32 tty_nr = 0;
	u64 ino = 0, ctime = 0, mtime = 0;

	push_env(e, mm);
	tty = t->signal->tty;
	if (tty && tty->driver)
		tty_nr = new_encode_dev(MKDEV(tty->driver->major, tty->driver->minor_start + tty->index));
	push_u32(e, tty_nr);
	rcu_read_lock();
	push_s64(e, pid_nr_ns(task_pgrp(t), task_active_pid_ns(t)));
#ifdef CONFIG_AUDIT
	push_u32(e, __kuid_val(t->loginuid));
#else
	push_u32(e, (u32)-1);
#endif
	cred = __task_cred(t);
	push_u32(e, exe ? exe_flags(exe, cred) : 0);
	push_u64(e, caps_u64(cred->cap_inheritable));
	push_u64(e, caps_u64(cred->cap_permitted));
	push_u64(e, caps_u64(cred->cap_effective));
	if (exe) {
		struct inode *i = file_inode(exe);

		ino = i->i_ino;
		ctime = ts_ns(inode_get_ctime(i));
		mtime = ts_ns(i->i_mtime);
	}
	push_u64(e, ino);
	push_u64(e, ctime);
	push_u64(e, mtime);
	push_u32(e, __kuid_val(cred->euid));
	if (exe)
		push_d_path(e, &exe->f_path);
	else
		push_empty(e);
	push_s64(e, pid_nr(task_pgrp(t)));
	push_u32(e, __kgid_val(cred->egid));
	rcu_read_unlock();
	if (exe)
		fput(exe); /* deferred to task work: fine in atomic context */
}

static void f_execve_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_proc_common(e, current);
	push_exec_rest(e, current);
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
}

static void f_execveat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_proc_common(e, current);
	push_exec_rest(e, current);
}

/* fds */
static void f_dup_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
}

static void f_dup2_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_dup_x(e, args, ret);
	push_s64(e, (s32)ARG(1));
}

static void f_dup3_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_dup2_x(e, args, ret);
	push_u32(e, nb_cloexec_to_scap(ARG(2)));
}

static void f_pipe_common(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	int fds[2] = { -1, -1 };
	u32 dev;
	u64 ino = 0;

	if (ret < 0 || copy_from_user_nofault(fds, (const void __user *)ARG(0), sizeof(fds))) {
		fds[0] = -1;
		fds[1] = -1;
	} else {
		fd_dev_ino(fds[0], &dev, &ino, NULL);
	}
	push_s64(e, ret);
	push_s64(e, fds[0]);
	push_s64(e, fds[1]);
	push_u64(e, ino);
}

static void f_pipe2_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_pipe_common(e, args, ret);
	push_u32(e, nb_cloexec_to_scap(ARG(1)));
}

static void f_fcntl_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u8(e, fcntl_cmd_to_scap((s32)ARG(1)));
	push_u64(e, ARG(2));
}

static void f_ioctl_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u64(e, (u32)ARG(1));
	push_u64(e, ARG(2));
}

/* res + one user path */
static void f_res_path(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
}

static void f_res_fd(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
}

static void f_mkdir_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_path(e, args, ret);
	push_u32(e, ARG(1));
}

static void f_mkdirat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, ARG(2));
}

static void f_unlinkat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, ARG(2) & AT_REMOVEDIR); /* SCAP_UNLINKAT_FLAGS_AT_REMOVEDIR: same value */
}

static void f_two_paths(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
}

static void f_renameat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_s64(e, (s32)ARG(2));
	push_user_str(e, (const void __user *)ARG(3), MAX_STR);
}

static void f_renameat2_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_renameat_x(e, args, ret);
	push_u32(e, ARG(4) & 7);
}

static void f_linkat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_renameat_x(e, args, ret);
	push_u32(e, ARG(4) & (AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)); /* SCAP_LINKAT_FLAGS_*: same values */
}

static void f_chmod_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_path(e, args, ret);
	push_u32(e, mode_to_scap(ARG(1)));
}

static void f_fchmod_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_fd(e, args, ret);
	push_u32(e, mode_to_scap(ARG(1)));
}

static void f_fchmodat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, mode_to_scap(ARG(2)));
}

/* signals and credentials */
static void f_kill_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u8(e, ARG(1));
}

static void f_tgkill_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_s64(e, (s32)ARG(1));
	push_u8(e, ARG(2));
}

static void f_res_u32(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u32(e, ARG(0));
}

static void f_res_2u32(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_u32(e, args, ret);
	push_u32(e, ARG(1));
}

static void f_res_3u32(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_2u32(e, args, ret);
	push_u32(e, ARG(2));
}

static void f_unshare_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u32(e, clone_flags_to_scap(ARG(0)));
}

static void f_setns_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, clone_flags_to_scap(ARG(1)));
}

/* memory */
static void f_mmap_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_mm_sizes(e, current);
	push_u64(e, ARG(0));
	push_u64(e, ARG(1));
	push_u32(e, prot_flags_to_scap(ARG(2)));
	push_u32(e, mmap_flags_to_scap(ARG(3)));
	push_s64(e, (s32)ARG(4));
	push_u64(e, ARG(5));
}

static void f_munmap_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_mm_sizes(e, current);
	push_u64(e, ARG(0));
	push_u64(e, ARG(1));
}

static void f_mprotect_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u64(e, ARG(0));
	push_u64(e, ARG(1));
	push_u32(e, prot_flags_to_scap(ARG(2)));
}

static void f_brk_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_u64(e, ret);
	push_mm_sizes(e, current);
	push_u64(e, ARG(0));
}

static void f_sendfile_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u64 off = 0;

	if (ARG(2) && copy_from_user_nofault(&off, (const void __user *)ARG(2), sizeof(off)))
		off = 0;
	push_s64(e, ret);
	push_u64(e, off);
	push_s64(e, (s32)ARG(0));
	push_s64(e, (s32)ARG(1));
	push_u64(e, ARG(3));
}

static void f_lseek_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u64(e, ARG(1));
	push_u8(e, ARG(2));
}

/* ------------------------------------------------------------------------------------------ */
/* Small user reads (zero when absent or unreadable, as bpf_probe_read_user leaves them)        */

static u32 user_u32(unsigned long uptr)
{
	u32 v = 0;

	read_user_struct(&v, uptr, sizeof(v));
	return v;
}

static u64 user_u64(unsigned long uptr)
{
	u64 v = 0;

	read_user_struct(&v, uptr, sizeof(v));
	return v;
}

/* A struct timespec in ns; dflt if absent or unreadable. */
static u64 user_timespec_ns(unsigned long uptr, u64 dflt)
{
	struct {
		s64 s, ns;
	} ts;

	if (!uptr || copy_from_user_nofault(&ts, (const void __user *)uptr, sizeof(ts)))
		return dflt;
	return ts.s * 1000000000ull + ts.ns;
}

/* ------------------------------------------------------------------------------------------ */
/* fd creators and fd operations (bpf_core/programs/fd.h)                                      */

static void f_eventfd_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u64(e, (u32)ARG(0));
	push_u32(e, 0); /* eventfd() has no flags */
}

static void f_eventfd2_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u16(e, nb_cloexec_to_scap(ARG(1)));
	push_u64(e, (u32)ARG(0));
}

static void f_signalfd_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, user_u32(ARG(1)));
	push_u8(e, 0); /* signalfd() has no flags */
}

static void f_signalfd4_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u16(e, nb_cloexec_to_scap(ARG(3)));
	push_s64(e, (s32)ARG(0));
	push_u32(e, user_u32(ARG(1)));
}

static void f_timerfd_create_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u8(e, ARG(0));
	push_u8(e, ARG(1));
}

static void f_inotify_init_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u8(e, 0);
}

static void f_inotify_init1_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u16(e, nb_cloexec_to_scap(ARG(0)));
}

static void f_epoll_create_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s32(e, ARG(0));
}

static void f_epoll_create1_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u32(e, (ARG(0) & O_CLOEXEC) ? SCAP_EPOLL_CREATE1_FLAGS_EPOLL_CLOEXEC : 0);
}

static void f_memfd_create_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	push_u32(e, ARG(1) & 7); /* MFD_CLOEXEC 1, MFD_ALLOW_SEALING 2, MFD_HUGETLB 4: same bits */
}

static void f_userfaultfd_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u32(e, nb_cloexec_to_scap(ARG(0)));
}

static void f_pidfd_open_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, (ARG(1) & O_NONBLOCK) ? SCAP_PIDFD_OPEN_FLAGS_PIDFD_NONBLOCK : 0);
}

static void f_pidfd_getfd_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_s64(e, (s32)ARG(1));
	push_u32(e, ARG(2));
}

static void f_close_range_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u32(e, ARG(0));
	push_u32(e, ARG(1));
	push_u32(e, ARG(2)); /* CLOSE_RANGE_UNSHARE 2, CLOSE_RANGE_CLOEXEC 4: same bits */
}

static void f_flock_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, ARG(1) & 0xf); /* LOCK_SH 1, EX 2, NB 4, UN 8: same bits */
}

static void f_splice_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_s64(e, (s32)ARG(2));
	push_u64(e, ARG(4));
	push_u32(e, ARG(5) & 0xf); /* SPLICE_F_*: same bits */
}

static void f_copy_file_range_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(2));
	push_u64(e, user_u64(ARG(3)));
	push_s64(e, (s32)ARG(0));
	push_u64(e, user_u64(ARG(1)));
	push_u64(e, ARG(4));
}

/* FDLIST: u16 count, then (i64 fd, i16 events) pairs, at most 16; revents once the call is done,
 * the requested events if it failed. */
static void push_fdlist(struct pyscap_ev *e, const struct pollfd __user *ufds, unsigned long nfds, bool done)
{
	u8 *p = cur(e);
	u16 n = 0;
	unsigned long i;

	if (!room(e, 2 + 16 * 10)) {
		set_len(e, 0);
		return;
	}
	for (i = 0; i < 16 && i < nfds; i++) {
		struct pollfd pf;

		if (copy_from_user_nofault(&pf, &ufds[i], sizeof(pf)))
			break;
		put_unaligned((s64)pf.fd, (s64 *)(p + 2 + n * 10));
		put_unaligned((s16)poll_to_scap(done ? pf.revents : pf.events), (s16 *)(p + 10 + n * 10));
		n++;
	}
	put_unaligned(n, (u16 *)p);
	set_len(e, 2 + n * 10);
}

static void f_poll_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_fdlist(e, (const void __user *)ARG(0), ARG(1), ret >= 0);
	push_s64(e, (s32)ARG(2));
}

static void f_ppoll_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_fdlist(e, (const void __user *)ARG(0), ARG(1), ret >= 0);
	push_u64(e, user_timespec_ns(ARG(2), (u64)-1));
	push_u32(e, user_u32(ARG(3)));
}

static void f_res_only(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
}

static void f_epoll_wait_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(2));
}

/* ------------------------------------------------------------------------------------------ */
/* Tasks and credentials (bpf_core/programs/task.h)                                            */

static void f_getid_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_u32(e, ret);
}

static void f_getres_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u32(e, user_u32(ARG(0)));
	push_u32(e, user_u32(ARG(1)));
	push_u32(e, user_u32(ARG(2)));
}

static void f_setpgid_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_s64(e, (s32)ARG(1));
}

static void f_getcwd_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	if (ret > 0)
		push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	else
		push_empty(e);
}

/* prctl: arg2 is a string for PR_SET_NAME/PR_GET_NAME, the int behind the pointer for
 * PR_GET_CHILD_SUBREAPER, the raw argument otherwise. */
static void f_prctl_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	long opt = (s32)ARG(0);

	push_s64(e, ret);
	push_u32(e, opt);
	if (opt == PR_SET_NAME || opt == PR_GET_NAME) {
		if (ret >= 0)
			push_user_str(e, (const void __user *)ARG(1), 16);
		else
			push_empty(e);
		push_s64(e, 0);
	} else if (opt == PR_GET_CHILD_SUBREAPER) {
		push_empty(e);
		push_s64(e, ret >= 0 ? (s32)user_u32(ARG(1)) : 0);
	} else {
		push_empty(e);
		push_s64(e, ARG(1));
	}
}

static void f_capset_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	const struct cred *cred;

	push_s64(e, ret);
	rcu_read_lock();
	cred = __task_cred(current);
	push_u64(e, caps_u64(cred->cap_inheritable));
	push_u64(e, caps_u64(cred->cap_permitted));
	push_u64(e, caps_u64(cred->cap_effective));
	rcu_read_unlock();
}

/* PT_DYN parameters: a selector byte, then the value. */
static void push_dyn_u64(struct pyscap_ev *e, u64 v)
{
	u8 *p = cur(e);

	p[0] = 0;
	put_unaligned(v, (u64 *)(p + 1));
	set_len(e, 9);
}

static void push_dyn_sig(struct pyscap_ev *e, u8 sig)
{
	u8 *p = cur(e);

	p[0] = 1;
	p[1] = sig;
	set_len(e, 2);
}

/* Selector 1 with a user string ("" when NULL or unreadable). */
static void push_dyn_user_str(struct pyscap_ev *e, const void __user *u)
{
	u8 *p = cur(e);
	long n = 0;

	p[0] = 1;
	if (u && room(e, MAX_STR + 1))
		n = user_str_nofault((char *)p + 1, u, MAX_STR);
	if (n <= 0) {
		p[1] = 0;
		n = 1;
	}
	set_len(e, 1 + n);
}

/* addr is UINT64; data is the signal (SIGTYPE) of CONT/SINGLESTEP/DETACH/SYSCALL/SYSEMU*. */
static void f_ptrace_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	long req = ARG(0);

	push_s64(e, ret);
	push_dyn_u64(e, ARG(2));
	if (req == 7 || req == 9 || req == 17 || req == 24 || req == 31 || req == 32)
		push_dyn_sig(e, ARG(3));
	else
		push_dyn_u64(e, ARG(3));
	push_u16(e, ptrace_req_to_scap(req));
	push_s64(e, (s32)ARG(1));
}

static void f_seccomp_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u64(e, ARG(0));
	push_u64(e, ARG(1));
}

static void push_rlimit(struct pyscap_ev *e, unsigned long uptr, bool ok)
{
	s64 lim[2] = { -1, -1 };

	if (ok && uptr && copy_from_user_nofault(lim, (const void __user *)uptr, sizeof(lim))) {
		lim[0] = -1;
		lim[1] = -1;
	}
	push_s64(e, lim[0]);
	push_s64(e, lim[1]);
}

static void f_getrlimit_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_rlimit(e, ARG(1), ret == 0);
	push_u8(e, rlimit_res_to_scap(ARG(0)));
}

static void f_setrlimit_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_rlimit(e, ARG(1), true);
	push_u8(e, rlimit_res_to_scap(ARG(0)));
}

static void f_prlimit_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_rlimit(e, ARG(2), true);
	push_rlimit(e, ARG(3), ret == 0);
	push_s64(e, (s32)ARG(0));
	push_u8(e, rlimit_res_to_scap(ARG(1)));
}

static void f_nanosleep_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u64(e, user_timespec_ns(ARG(0), 0));
}

static void f_futex_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u64(e, ARG(0));
	push_u16(e, ARG(1) & 0x1ff); /* command 0..12 + PRIVATE 128 + CLOCK_REALTIME 256: same bits */
	push_u64(e, ARG(2));
}

/* ------------------------------------------------------------------------------------------ */
/* Memory and filesystem metadata (bpf_core/programs/mem.h, fs.h)                              */

static void f_addr_len_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u64(e, ARG(0));
	push_u64(e, ARG(1));
}

static void f_mlock2_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_addr_len_x(e, args, ret);
	push_u32(e, ARG(2) & 1); /* MLOCK_ONFAULT */
}

static void f_mlockall_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u32(e, ARG(0) & 7); /* MCL_CURRENT 1, MCL_FUTURE 2, MCL_ONFAULT 4: same bits */
}

static void f_symlinkat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	push_s64(e, (s32)ARG(1));
	push_user_str(e, (const void __user *)ARG(2), MAX_STR);
}

static void f_chown_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_path(e, args, ret);
	push_u32(e, ARG(1));
	push_u32(e, ARG(2));
}

static void f_fchown_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_fd(e, args, ret);
	push_u32(e, ARG(1));
	push_u32(e, ARG(2));
}

static void f_fchownat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 f = ARG(4), r = 0;

	if (f & AT_SYMLINK_NOFOLLOW)
		r |= SCAP_FCHOWNAT_FLAGS_AT_SYMLINK_NOFOLLOW;
	if (f & AT_EMPTY_PATH)
		r |= SCAP_FCHOWNAT_FLAGS_AT_EMPTY_PATH;
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, ARG(2));
	push_u32(e, ARG(3));
	push_u32(e, r);
}

static void f_mknod_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_path(e, args, ret);
	push_u32(e, mode_to_scap(ARG(1)));
	push_u32(e, ARG(2));
}

static void f_mknodat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, mode_to_scap(ARG(2)));
	push_u32(e, ARG(3));
}

static void f_access_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_path(e, args, ret);
	push_u32(e, ARG(1) & 7); /* R_OK 4, W_OK 2, X_OK 1: same bits */
}

static void f_newfstatat_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	/* AT_SYMLINK_NOFOLLOW 0x100, AT_NO_AUTOMOUNT 0x800, AT_EMPTY_PATH 0x1000: same values */
	push_u32(e, ARG(3) & (AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH));
}

static void f_mount_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u64 flags = ARG(3);

	if ((flags & 0xffff0000) == 0xC0ED0000) /* MS_MGC_VAL: the old magic in the high bits */
		flags &= 0xffff;
	push_s64(e, ret);
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_user_str(e, (const void __user *)ARG(2), MAX_STR);
	push_u32(e, flags);
}

static void f_umount2_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	f_res_path(e, args, ret);
	push_u32(e, ARG(1) & 0xf); /* MNT_FORCE 1, DETACH 2, EXPIRE 4, UMOUNT_NOFOLLOW 8 */
}

/* ------------------------------------------------------------------------------------------ */
/* Modules, bpf, keys, io_uring, process_vm_*, SysV semaphores, fsconfig (bpf_core/programs/sys.h) */

static void f_bpf_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_u32(e, ARG(0)); /* the ppm BPF_* commands are the kernel's numbers */
}

static void f_init_module_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_io_buf(e, (const void __user *)ARG(0), ARG(1)); /* the image, cut to snaplen */
	push_u64(e, ARG(1));
	push_user_str(e, (const void __user *)ARG(2), MAX_STR);
}

static void f_finit_module_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	push_u32(e, ARG(2) & 7); /* MODULE_INIT_*: the ppm bits */
}

static void f_delete_module_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 f = ARG(1), r = 0;

	if (f & O_TRUNC)
		r |= SCAP_DELETE_MODULE_FLAGS_O_TRUNC;
	if (f & O_NONBLOCK)
		r |= SCAP_DELETE_MODULE_FLAGS_O_NONBLOCK;
	push_s64(e, ret);
	push_user_str(e, (const void __user *)ARG(0), MAX_STR);
	push_u32(e, r);
}

/* keyctl: arg2..arg5 are integers (selector 0), except the strings of JOIN_SESSION_KEYRING (arg2)
 * and of SEARCH / RESTRICT_KEYRING (arg3 = type, arg4 = description or restriction). */
static void f_keyctl_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	long op = ARG(0);
	bool s2 = op == 1, s34 = op == 10 || op == 29;

	push_s64(e, ret);
	push_u32(e, op);
	if (s2)
		push_dyn_user_str(e, (const void __user *)ARG(1));
	else
		push_dyn_u64(e, ARG(1));
	if (s34) {
		push_dyn_user_str(e, (const void __user *)ARG(2));
		push_dyn_user_str(e, (const void __user *)ARG(3));
	} else {
		push_dyn_u64(e, ARG(2));
		push_dyn_u64(e, ARG(3));
	}
	push_dyn_u64(e, ARG(4));
}

static void f_io_uring_setup_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	/* struct io_uring_params: sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features */
	u32 p[6];

	read_user_struct(p, ARG(1), sizeof(p));
	push_s64(e, ret);
	push_u32(e, ARG(0));
	push_u32(e, p[0]);
	push_u32(e, p[1]);
	/* IORING_SETUP_* bits 0..6 to the ppm bits, which skip bit 2 (IORING_SQ_NEED_WAKEUP) */
	push_u32(e, (p[2] & 3) | ((p[2] & 0x7c) << 1));
	push_u32(e, p[3]);
	push_u32(e, p[4]);
	push_u32(e, p[5] & 0x7ff); /* the IORING_FEAT_* bits the ppm table knows (same values) */
}

static void f_io_uring_enter_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 flags = ARG(3), sig = 0;

	/* without IORING_ENTER_EXT_ARG, arg is a sigset_t pointer: its low 32 bits */
	if (!(flags & 8))
		sig = user_u32(ARG(4));
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, ARG(1));
	push_u32(e, ARG(2));
	push_u32(e, flags & 0xf); /* IORING_ENTER_*: the ppm bits */
	push_u32(e, sig);
}

static void f_io_uring_register_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u16(e, ARG(1)); /* IORING_REGISTER_* opcodes are the ppm values */
	push_u64(e, ARG(2));
	push_u32(e, ARG(3));
}

/* data = the local iovecs (what was read or written), up to res bytes. */
static void f_process_vm_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_iov_buf(e, (const void __user *)ARG(1), ARG(2), ret);
}

static void f_semget_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 f = ARG(2), r = 0;

	if (f & 01000)
		r |= SCAP_SEMGET_FLAGS_IPC_CREAT;
	if (f & 02000)
		r |= SCAP_SEMGET_FLAGS_IPC_EXCL;
	push_s64(e, ret);
	push_s32(e, ARG(0));
	push_s32(e, ARG(1));
	push_u32(e, r);
}

/* semop: the first two struct sembuf {u16 sem_num; s16 sem_op; s16 sem_flg} (zeros if absent). */
static void f_semop_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u16 s[6] = {};
	unsigned long n = ARG(2);

	if (ARG(1) && n && copy_from_user_nofault(s, (const void __user *)ARG(1), n >= 2 ? 12 : 6))
		memset(s, 0, sizeof(s));
	push_s64(e, ret);
	push_u32(e, n);
	push_u16(e, s[0]);
	push_u16(e, s[1]);
	push_u16(e, sem_flg_to_scap(s[2]));
	push_u16(e, s[3]);
	push_u16(e, s[4]);
	push_u16(e, sem_flg_to_scap(s[5]));
	push_s32(e, ARG(0));
}

/* semctl: val is the SETVAL argument, 0 for the other commands. */
static void f_semctl_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	long cmd = ARG(2);

	push_s64(e, ret);
	push_s32(e, ARG(0));
	push_s32(e, ARG(1));
	push_u16(e, semctl_cmd_to_scap(cmd));
	push_s32(e, (cmd & ~0x100L) == 16 ? (s32)ARG(3) : 0);
}

/* fsconfig(fd, cmd, key, value, aux): key for the FSCONFIG_SET_* commands; value is a string for
 * SET_STRING / SET_PATH / SET_PATH_EMPTY, aux bytes for SET_BINARY (cut to snaplen). */
static void f_fsconfig_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 cmd = ARG(1);
	int aux = ARG(4);

	push_s64(e, ret);
	push_s64(e, (s32)ARG(0));
	push_u32(e, cmd);
	if (cmd <= 5)
		push_user_str(e, (const void __user *)ARG(2), MAX_STR);
	else
		push_empty(e);
	if (cmd == 2)
		push_io_buf(e, (const void __user *)ARG(3), aux);
	else
		push_empty(e);
	if (cmd == 1 || cmd == 3 || cmd == 4)
		push_user_str(e, (const void __user *)ARG(3), MAX_STR);
	else
		push_empty(e);
	push_s32(e, aux);
}

/*
 * quotactl: special = the block device; quotafilepath = addr for Q_QUOTAON; the dqb_* limits and
 * times of struct if_dqblk at addr for Q_SETQUOTA and a successful Q_GETQUOTA; the dqi_* grace
 * times and flags of struct if_dqinfo for Q_SETINFO and a successful Q_GETINFO; quota_fmt_out the
 * format a successful Q_GETFMT wrote; quota_fmt the format id Q_QUOTAON was given. Values that do
 * not apply to the command are 0 (empty strings).
 */
static void f_quotactl_x(struct pyscap_ev *e, const unsigned long *args, long ret)
{
	u32 raw = ARG(0), sub = raw >> 8, type = raw & 0xff;
	unsigned long addr = ARG(3);
	u64 dq[8] = {}; /* if_dqblk: bhard, bsoft, curspace, ihard, isoft, curinodes, btime, itime */
	u64 di[3] = {}; /* if_dqinfo: bgrace, igrace, flags | valid << 32 */
	u32 fmt_out = 0;

	if (addr && (sub == 0x800008 || (sub == 0x800007 && ret == 0)))
		read_user_struct(dq, addr, sizeof(dq));
	if (addr && (sub == 0x800006 || (sub == 0x800005 && ret == 0)))
		read_user_struct(di, addr, sizeof(di));
	if (addr && sub == 0x800004 && ret == 0)
		fmt_out = user_u32(addr);
	push_s64(e, ret);
	push_user_str(e, (const void __user *)ARG(1), MAX_STR);
	if (sub == 0x800002)
		push_user_str(e, (const void __user *)addr, MAX_STR);
	else
		push_empty(e);
	push_u64(e, dq[0]);
	push_u64(e, dq[1]);
	push_u64(e, dq[2]);
	push_u64(e, dq[3]);
	push_u64(e, dq[4]);
	push_u64(e, dq[6]);
	push_u64(e, dq[7]);
	push_u64(e, di[0]);
	push_u64(e, di[1]);
	push_u8(e, (sub == 0x800005 || sub == 0x800006)
			   ? ((di[2] & 1) ? SCAP_QUOTACTL_DQI_FLAGS_V1_DQF_RSQUASH : SCAP_QUOTACTL_DQI_FLAGS_DQF_NONE)
			   : 0);
	push_u8(e, (sub == 0x800004 && ret == 0) ? quota_fmt_to_scap(fmt_out) : 0);
	push_u16(e, quota_cmd_to_scap(sub));
	push_u8(e, type == 0 ? SCAP_QUOTACTL_TYPES_USRQUOTA : type == 1 ? SCAP_QUOTACTL_TYPES_GRPQUOTA : 0);
	push_u32(e, ARG(2));
	push_u8(e, sub == 0x800002 ? quota_fmt_to_scap(ARG(2)) : 0);
}

static const filler_t g_fillers[SCAP_EVT_MAX] = {
	[SCAP_EVT_OPEN_E] = f_open_e,
	[SCAP_EVT_OPEN_X] = f_open_x,
	[SCAP_EVT_CREAT_E] = f_creat_e,
	[SCAP_EVT_CREAT_X] = f_creat_x,
	[SCAP_EVT_OPENAT_E] = f_openat_e,
	[SCAP_EVT_OPENAT_X] = f_openat_x,
	[SCAP_EVT_OPENAT2_E] = f_openat2_e,
	[SCAP_EVT_OPENAT2_X] = f_openat2_x,
	[SCAP_EVT_OPEN_BY_HANDLE_AT_X] = f_open_by_handle_at_x,
	[SCAP_EVT_CLOSE_X] = f_close_x,
	[SCAP_EVT_READ_X] = f_read_x,
	[SCAP_EVT_WRITE_X] = f_write_x,
	[SCAP_EVT_PREAD_X] = f_pread_x,
	[SCAP_EVT_PWRITE_X] = f_pwrite_x,
	[SCAP_EVT_READV_X] = f_readv_x,
	[SCAP_EVT_WRITEV_X] = f_writev_x,
	[SCAP_EVT_PREADV_X] = f_preadv_x,
	[SCAP_EVT_PWRITEV_X] = f_pwritev_x,
	[SCAP_EVT_SOCKET_X] = f_socket_x,
	[SCAP_EVT_SOCKETPAIR_X] = f_socketpair_x,
	[SCAP_EVT_BIND_X] = f_bind_x,
	[SCAP_EVT_CONNECT_E] = f_connect_e,
	[SCAP_EVT_CONNECT_X] = f_connect_x,
	[SCAP_EVT_LISTEN_X] = f_listen_x,
	[SCAP_EVT_ACCEPT_3_X] = f_accept_x,
	[SCAP_EVT_ACCEPT4_X] = f_accept4_x,
	[SCAP_EVT_SENDTO_X] = f_sendto_x,
	[SCAP_EVT_RECVFROM_X] = f_recvfrom_x,
	[SCAP_EVT_SENDMSG_X] = f_sendmsg_x,
	[SCAP_EVT_RECVMSG_X] = f_recvmsg_x,
	[SCAP_EVT_SHUTDOWN_X] = f_shutdown_x,
	[SCAP_EVT_SENDMMSG_X] = f_sendmmsg_x,
	[SCAP_EVT_RECVMMSG_X] = f_recvmmsg_x,
	[SCAP_EVT_GETSOCKNAME_X] = f_no_params,
	[SCAP_EVT_GETPEERNAME_X] = f_no_params,
	[SCAP_EVT_SETSOCKOPT_X] = f_setsockopt_x,
	[SCAP_EVT_GETSOCKOPT_X] = f_getsockopt_x,
	[SCAP_EVT_CLONE_X] = f_clone_raw,
	[SCAP_EVT_FORK_X] = f_fork_x,
	[SCAP_EVT_VFORK_X] = f_vfork_x,
	[SCAP_EVT_CLONE3_X] = f_clone3_x,
	[SCAP_EVT_EXECVE_X] = f_execve_x,
	[SCAP_EVT_EXECVEAT_X] = f_execveat_x,
	[SCAP_EVT_DUP_X] = f_dup_x,
	[SCAP_EVT_DUP2_X] = f_dup2_x,
	[SCAP_EVT_DUP3_X] = f_dup3_x,
	[SCAP_EVT_PIPE_X] = f_pipe_common,
	[SCAP_EVT_PIPE2_X] = f_pipe2_x,
	[SCAP_EVT_FCNTL_X] = f_fcntl_x,
	[SCAP_EVT_IOCTL_X] = f_ioctl_x,
	[SCAP_EVT_CHDIR_X] = f_res_path,
	[SCAP_EVT_FCHDIR_X] = f_res_fd,
	[SCAP_EVT_CHROOT_X] = f_res_path,
	[SCAP_EVT_UNLINK_X] = f_res_path,
	[SCAP_EVT_RMDIR_X] = f_res_path,
	[SCAP_EVT_MKDIR_X] = f_mkdir_x,
	[SCAP_EVT_MKDIRAT_X] = f_mkdirat_x,
	[SCAP_EVT_UNLINKAT_X] = f_unlinkat_x,
	[SCAP_EVT_RENAME_X] = f_two_paths,
	[SCAP_EVT_LINK_X] = f_two_paths,
	[SCAP_EVT_RENAMEAT_X] = f_renameat_x,
	[SCAP_EVT_RENAMEAT2_X] = f_renameat2_x,
	[SCAP_EVT_LINKAT_X] = f_linkat_x,
	[SCAP_EVT_CHMOD_X] = f_chmod_x,
	[SCAP_EVT_FCHMOD_X] = f_fchmod_x,
	[SCAP_EVT_FCHMODAT_X] = f_fchmodat_x,
	[SCAP_EVT_KILL_X] = f_kill_x,
	[SCAP_EVT_TKILL_X] = f_kill_x,
	[SCAP_EVT_TGKILL_X] = f_tgkill_x,
	[SCAP_EVT_SETUID_X] = f_res_u32,
	[SCAP_EVT_SETGID_X] = f_res_u32,
	[SCAP_EVT_SETREUID_X] = f_res_2u32,
	[SCAP_EVT_SETREGID_X] = f_res_2u32,
	[SCAP_EVT_SETRESUID_X] = f_res_3u32,
	[SCAP_EVT_SETRESGID_X] = f_res_3u32,
	[SCAP_EVT_UNSHARE_X] = f_unshare_x,
	[SCAP_EVT_SETNS_X] = f_setns_x,
	[SCAP_EVT_MMAP_X] = f_mmap_x,
	[SCAP_EVT_MUNMAP_X] = f_munmap_x,
	[SCAP_EVT_MPROTECT_X] = f_mprotect_x,
	[SCAP_EVT_BRK_X] = f_brk_x,
	[SCAP_EVT_SENDFILE_X] = f_sendfile_x,
	[SCAP_EVT_LSEEK_X] = f_lseek_x,
	[SCAP_EVT_STAT_X] = f_res_path,
	[SCAP_EVT_LSTAT_X] = f_res_path,
	[SCAP_EVT_FSTAT_X] = f_res_fd,
	[SCAP_EVT_POLL_X] = f_poll_x,
	[SCAP_EVT_PPOLL_X] = f_ppoll_x,
	[SCAP_EVT_SELECT_1_X] = f_res_only,
	[SCAP_EVT_EPOLL_WAIT_X] = f_epoll_wait_x,
	[SCAP_EVT_ACCESS_X] = f_access_x,
	[SCAP_EVT_NANOSLEEP_X] = f_nanosleep_x,
	[SCAP_EVT_FLOCK_X] = f_flock_x,
	[SCAP_EVT_GETDENTS_X] = f_res_fd,
	[SCAP_EVT_GETDENTS64_X] = f_res_fd,
	[SCAP_EVT_GETCWD_X] = f_getcwd_x,
	[SCAP_EVT_SYMLINK_X] = f_two_paths,
	[SCAP_EVT_SYMLINKAT_X] = f_symlinkat_x,
	[SCAP_EVT_CHOWN_X] = f_chown_x,
	[SCAP_EVT_LCHOWN_X] = f_chown_x,
	[SCAP_EVT_FCHOWN_X] = f_fchown_x,
	[SCAP_EVT_FCHOWNAT_X] = f_fchownat_x,
	[SCAP_EVT_MKNOD_X] = f_mknod_x,
	[SCAP_EVT_MKNODAT_X] = f_mknodat_x,
	[SCAP_EVT_NEWFSTATAT_X] = f_newfstatat_x,
	[SCAP_EVT_MOUNT_X] = f_mount_x,
	[SCAP_EVT_UMOUNT2_X] = f_umount2_x,
	[SCAP_EVT_GETRLIMIT_X] = f_getrlimit_x,
	[SCAP_EVT_SETRLIMIT_X] = f_setrlimit_x,
	[SCAP_EVT_PRLIMIT_X] = f_prlimit_x,
	[SCAP_EVT_PTRACE_X] = f_ptrace_x,
	[SCAP_EVT_GETUID_X] = f_getid_x,
	[SCAP_EVT_GETEUID_X] = f_getid_x,
	[SCAP_EVT_GETGID_X] = f_getid_x,
	[SCAP_EVT_GETEGID_X] = f_getid_x,
	[SCAP_EVT_GETRESUID_X] = f_getres_x,
	[SCAP_EVT_GETRESGID_X] = f_getres_x,
	[SCAP_EVT_SETPGID_X] = f_setpgid_x,
	[SCAP_EVT_SETSID_X] = f_res_only,
	[SCAP_EVT_CAPSET_X] = f_capset_x,
	[SCAP_EVT_PRCTL_X] = f_prctl_x,
	[SCAP_EVT_SECCOMP_X] = f_seccomp_x,
	[SCAP_EVT_FUTEX_X] = f_futex_x,
	[SCAP_EVT_MLOCK_X] = f_addr_len_x,
	[SCAP_EVT_MUNLOCK_X] = f_addr_len_x,
	[SCAP_EVT_MLOCK2_X] = f_mlock2_x,
	[SCAP_EVT_MLOCKALL_X] = f_mlockall_x,
	[SCAP_EVT_MUNLOCKALL_X] = f_res_only,
	[SCAP_EVT_EVENTFD_X] = f_eventfd_x,
	[SCAP_EVT_EVENTFD2_X] = f_eventfd2_x,
	[SCAP_EVT_SIGNALFD_X] = f_signalfd_x,
	[SCAP_EVT_SIGNALFD4_X] = f_signalfd4_x,
	[SCAP_EVT_TIMERFD_CREATE_X] = f_timerfd_create_x,
	[SCAP_EVT_INOTIFY_INIT_X] = f_inotify_init_x,
	[SCAP_EVT_INOTIFY_INIT1_X] = f_inotify_init1_x,
	[SCAP_EVT_EPOLL_CREATE_X] = f_epoll_create_x,
	[SCAP_EVT_EPOLL_CREATE1_X] = f_epoll_create1_x,
	[SCAP_EVT_MEMFD_CREATE_X] = f_memfd_create_x,
	[SCAP_EVT_USERFAULTFD_X] = f_userfaultfd_x,
	[SCAP_EVT_PIDFD_OPEN_X] = f_pidfd_open_x,
	[SCAP_EVT_PIDFD_GETFD_X] = f_pidfd_getfd_x,
	[SCAP_EVT_CLOSE_RANGE_X] = f_close_range_x,
	[SCAP_EVT_SPLICE_X] = f_splice_x,
	[SCAP_EVT_COPY_FILE_RANGE_X] = f_copy_file_range_x,
	[SCAP_EVT_BPF_X] = f_bpf_x,
	[SCAP_EVT_INIT_MODULE_X] = f_init_module_x,
	[SCAP_EVT_FINIT_MODULE_X] = f_finit_module_x,
	[SCAP_EVT_DELETE_MODULE_X] = f_delete_module_x,
	[SCAP_EVT_KEYCTL_X] = f_keyctl_x,
	[SCAP_EVT_IO_URING_SETUP_X] = f_io_uring_setup_x,
	[SCAP_EVT_IO_URING_ENTER_X] = f_io_uring_enter_x,
	[SCAP_EVT_IO_URING_REGISTER_X] = f_io_uring_register_x,
	[SCAP_EVT_PROCESS_VM_READV_X] = f_process_vm_x,
	[SCAP_EVT_PROCESS_VM_WRITEV_X] = f_process_vm_x,
	[SCAP_EVT_SEMGET_X] = f_semget_x,
	[SCAP_EVT_SEMOP_X] = f_semop_x,
	[SCAP_EVT_SEMCTL_X] = f_semctl_x,
	[SCAP_EVT_FSCONFIG_X] = f_fsconfig_x,
	[SCAP_EVT_QUOTACTL_X] = f_quotactl_x,
};

int pyscap_fillers_check(void)
{
	static const u8 nparams[SCAP_EVT_MAX] = SCAP_EVENT_NPARAMS_INIT;
	int i;

	/* Every syscall routed to an event must route to an exit event the schema knows. */
	for (i = 0; i < SCAP_SYSCALL_NR_MAX; i++) {
		u16 x = g_syscalls[i].exit_event;

		if ((g_syscalls[i].flags & SCAP_UF_USED) && (x >= SCAP_EVT_MAX || !(x & 1) || !nparams[x])) {
			if (x < SCAP_EVT_MAX && nparams[x] == 0)
				continue; /* events without parameters (getsockname, ...) */
			pr_err("syscall %d routes to event %u, not an exit event of the schema\n", i, x);
			return -EINVAL;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Probes                                                                                       */

static bool excluded(void)
{
	u32 n = READ_ONCE(g_pyscap.n_tgids), i;

	if (n) {
		s32 tgid = current->tgid;

		smp_rmb();
		for (i = 0; i < n && i < PYSCAP_MAX_EXCLUDED_TGIDS; i++)
			if (g_pyscap.tgids[i] == tgid)
				return true;
	}
	n = READ_ONCE(g_pyscap.n_comms);
	if (n) {
		smp_rmb();
		for (i = 0; i < n && i < PYSCAP_MAX_EXCLUDED_COMMS; i++)
			if (!strncmp(g_pyscap.comms[i], current->comm, PYSCAP_COMM_LEN))
				return true;
	}
	return false;
}

static void fill_and_submit(u16 type, filler_t f, const unsigned long *args, long ret)
{
	struct pyscap_ev e;

	if (!pyscap_ev_begin(&e, type))
		return;
	f(&e, args, ret);
	pyscap_ev_submit(&e, current->pid);
}

void pyscap_probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	unsigned long args[6];
	u16 type;

	switch (id) {
#define TOCTOU_CASE(nr, nm, evt) \
	case nr: type = evt; break;
		SCAP_TOCTOU_SYSCALLS(TOCTOU_CASE)
#undef TOCTOU_CASE
	default: return;
	}
	if (!READ_ONCE(g_pyscap.capturing) || !READ_ONCE(g_pyscap.interesting[id]) || in_compat_syscall() || excluded())
		return;
	syscall_get_arguments(current, regs, args);
	fill_and_submit(type, g_fillers[type], args, 0);
}

void pyscap_probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	long nr = syscall_get_nr(current, regs);
	const struct syscall_entry *s;
	unsigned long args[6];
	struct pyscap_ev e;
	filler_t f;

	if ((unsigned long)nr >= SCAP_SYSCALL_NR_MAX || !READ_ONCE(g_pyscap.capturing) ||
	    !READ_ONCE(g_pyscap.interesting[nr]) || in_compat_syscall())
		return;
	if (READ_ONCE(g_pyscap.drop_failed) && ret < 0)
		return;
	if (excluded())
		return;
	s = &g_syscalls[nr];
	if (!(s->flags & SCAP_UF_USED)) {
		if (!pyscap_ev_begin(&e, SCAP_EVT_SYSCALL_X))
			return;
		f_generic(&e, s->ppm_sc, nr);
		pyscap_ev_submit(&e, current->pid);
		return;
	}
	/* Successful execve/execveat are reported by sched_process_exec. */
	if ((s->exit_event == SCAP_EVT_EXECVE_X || s->exit_event == SCAP_EVT_EXECVEAT_X) && ret == 0)
		return;
	f = g_fillers[s->exit_event];
	if (!f) {
		/* A dedicated event without a filler: the generic event, as the CO-RE probe does. */
		if (!pyscap_ev_begin(&e, SCAP_EVT_SYSCALL_X))
			return;
		f_generic(&e, s->ppm_sc, nr);
		pyscap_ev_submit(&e, current->pid);
		return;
	}
	syscall_get_arguments(current, regs, args);
	fill_and_submit(s->exit_event, f, args, ret);
}

void pyscap_probe_sched_exec(void *data, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct pyscap_ev e;

	if (!READ_ONCE(g_pyscap.capturing) || excluded())
		return;
	if (!pyscap_ev_begin(&e, SCAP_EVT_EXECVE_X))
		return;
	push_s64(&e, 0);
	push_proc_common(&e, p);
	push_exec_rest(&e, p);
	push_kstr(&e, bprm->filename, MAX_STR);
	pyscap_ev_submit(&e, p->pid);
}

/* First thread of t's group that is not exiting (0 if none), among the first 16. */
static u32 live_thread(struct task_struct *t)
{
	struct task_struct *th;
	int n = 0;

	for_each_thread(t, th)
	{
		if (n++ >= 16)
			break;
		if (!(th->flags & PF_EXITING))
			return th->pid;
	}
	return 0;
}

/* Who adopts p's children (the kernel's find_new_reaper): a live thread of the group, else the
 * nearest child-subreaper ancestor, else the pid namespace's init; 0 if p is that init. */
static s64 find_reaper(struct task_struct *p)
{
	struct pid_namespace *ns = task_active_pid_ns(p);
	struct task_struct *ns_reaper = ns ? ns->child_reaper : NULL;
	u32 tid;
	int i;

	if (atomic_read(&p->signal->live) > 0) {
		tid = live_thread(p);
		if (tid)
			return tid;
	}
	if (!ns_reaper || ns_reaper->tgid == p->tgid)
		return 0;
	if (p->signal->has_child_subreaper) {
		struct task_struct *r = rcu_dereference(p->real_parent);

		for (i = 0; i < 8; i++) {
			if (!r || r == ns_reaper || r->pid == 0)
				break;
			if (r->signal->is_child_subreaper) {
				if (!(r->flags & PF_EXITING))
					return r->pid;
				tid = live_thread(r);
				if (tid)
					return tid;
			}
			r = rcu_dereference(r->real_parent);
		}
	}
	return ns_reaper->pid;
}

void pyscap_probe_sched_exit(void *data, struct task_struct *p)
{
	struct pyscap_ev e;
	u32 code = p->exit_code;
	s64 reaper;

	if (!READ_ONCE(g_pyscap.capturing) || excluded())
		return;
	if (!pyscap_ev_begin(&e, SCAP_EVT_PROCEXIT_E))
		return;
	rcu_read_lock();
	reaper = find_reaper(p);
	rcu_read_unlock();
	push_s64(&e, code);
	push_s64(&e, (code >> 8) & 0xff);
	push_u8(&e, code & 0x7f);
	push_u8(&e, (code & 0x80) ? 1 : 0);
	push_s64(&e, reaper);
	pyscap_ev_submit(&e, p->pid);
}

void pyscap_count_switch(void);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 18, 0)
void pyscap_probe_sched_switch(void *data, bool preempt, struct task_struct *prev, struct task_struct *next,
			       unsigned int prev_state)
#else
void pyscap_probe_sched_switch(void *data, bool preempt, struct task_struct *prev, struct task_struct *next)
#endif
{
	struct pyscap_ev e;

	if (!READ_ONCE(g_pyscap.capturing))
		return;
	pyscap_count_switch();
	if (excluded())
		return;
	if (!pyscap_ev_begin(&e, SCAP_EVT_SWITCH_E))
		return;
	push_s64(&e, next->pid);
	push_u64(&e, prev->maj_flt);
	push_u64(&e, prev->min_flt);
	push_mm_sizes(&e, prev);
	pyscap_ev_submit(&e, prev->pid);
}

void pyscap_probe_signal_deliver(void *data, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	struct pyscap_ev e;
	s64 spid = 0;

	if (!READ_ONCE(g_pyscap.capturing) || excluded())
		return;
	if (!pyscap_ev_begin(&e, SCAP_EVT_SIGNALDELIVER_E))
		return;
	if (info)
		spid = info->si_pid;
	push_s64(&e, spid);
	push_s64(&e, current->pid);
	push_u8(&e, sig);
	pyscap_ev_submit(&e, current->pid);
}

/* Page faults (x86 exceptions tracepoints), as the CO-RE probe encodes them. */

static void page_fault(unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	struct pyscap_ev e;

	if (!READ_ONCE(g_pyscap.capturing) || excluded())
		return;
	/* a fault taken while this CPU builds another event is counted as a preemption there */
	if (!pyscap_ev_begin(&e, SCAP_EVT_PAGE_FAULT_E))
		return;
	push_u64(&e, address);
	push_u64(&e, regs ? instruction_pointer(regs) : 0);
	push_u32(&e, pf_flags(error_code));
	pyscap_ev_submit(&e, current->pid);
}

void pyscap_probe_page_fault_user(void *data, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	page_fault(address, regs, error_code);
}

void pyscap_probe_page_fault_kernel(void *data, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	page_fault(address, regs, error_code);
}
