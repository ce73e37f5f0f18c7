/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The helper layer of the probe: maps, settings, and "push a typed parameter" functions.
 *
 * Every event is built in the per-CPU auxiliary buffer (struct auxmap): the 26-byte header,
 * then nparams u16 length slots, then the payloads. ev_begin() lays out the slots from the
 * schema's parameter count, each push_*() fills the next slot and appends its payload, and
 * ev_submit() stamps the header and copies the event into this CPU's ring buffer without a
 * wakeup. Fixed-size hot events (generic, switch, page faults, signals) are reserved directly
 * in the ring instead (see probe.bpf.c).
 */
#ifndef PYSCAP_BPF_HELPERS_H
#define PYSCAP_BPF_HELPERS_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "probe.h"

#define SCAP_CONV_INLINE static __always_inline
#include "scap_abi_conv.h"   /* flag converters shared with the kmod */
#include "scap_abi_toctou.h" /* the syscalls with enter events */

#define HDR_LEN		    26
#define AUX_SIZE	    (128 * 1024)
#define AUX_HALF	    (64 * 1024)
#define AUX_MASK	    (AUX_HALF - 1)
#define SCRATCH_SIZE	    8192
#define SCRATCH_MASK	    (SCRATCH_SIZE - 1)
#define PATH_BUF	    4096
#define MAX_STR		    4096
#define MAX_ARGS_BYTES	    4096
#define MAX_PATH_COMPONENTS 24
#define MAX_IOVS	    8

/* ------------------------------------------------------------------------------------------ */
/* Maps and globals                                                                            */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1); /* resized to the number of possible CPUs before load */
	__type(key, __u32);
	__array(
		values, struct {
			__uint(type, BPF_MAP_TYPE_RINGBUF);
			__uint(max_entries, 8 * 1024 * 1024); /* resized to buffer_bytes before load */
		});
} ringbufs SEC(".maps");

struct auxmap {
	__u8 data[AUX_SIZE];
	__u8 scratch[SCRATCH_SIZE + 512];
	__u64 pos;	/* next payload byte in data */
	__u32 idx;	/* next length slot */
	__u32 overflow; /* the event grew past SCAP_MAX_EVENT_SIZE */
	/* Loop-carried cursors live here, not in registers: a value loaded from memory is an
	 * unknown scalar to the verifier, so the states of successive iterations can be pruned. */
	__u32 cur;
	__u32 off;
	/* What a tail-called continuation of the event needs (programs/proc.h). */
	__s64 cont_res;
	__u32 cont_flags;
	__u32 cont_next;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized to the number of possible CPUs before load */
	__type(key, __u32);
	__type(value, struct auxmap);
} auxmaps SEC(".maps");

const volatile struct {
	__u16 flags;
	__u16 exit_event;
	__u16 ppm_sc;
} syscall_table[SCAP_SYSCALL_NR_MAX] = SCAP_SYSCALL_TABLE_X86_64_INIT;

/* Written by user space through the mmap'd .bss. */
struct probe_settings settings;
__u8 interesting[SCAP_SYSCALL_NR_MAX];
struct probe_counters counters[PROBE_MAX_CPUS];

static const __u8 event_nparams[SCAP_EVT_MAX] = SCAP_EVENT_NPARAMS_INIT;

/* Mask a size for the verifier; the empty asm keeps the compiler from dropping the mask when it
 * can prove a tighter bound in a way the verifier cannot follow. */
#define BOUND(x, mask)                        \
	({                                    \
		__u64 __v = (x);              \
		asm volatile("" : "+r"(__v)); \
		__v &(mask);                  \
	})

/* ------------------------------------------------------------------------------------------ */
/* Context                                                                                     */

static __always_inline struct task_struct *cur_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

static __always_inline __u32 cur_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/* Kernel-side exclusion of tgids and comms (the consumer itself, noisy daemons), for the
 * current task of thread group tgid. */
static __always_inline bool is_excluded_tgid(__s32 tgid)
{
	__u32 n = settings.n_excluded_tgids;

	if (n) {
		for (__u32 i = 0; i < PROBE_MAX_EXCLUDED_TGIDS; i++) {
			if (i >= n)
				break;
			if (settings.excluded_tgids[i] == tgid)
				return true;
		}
	}
	n = settings.n_excluded_comms;
	if (n) {
		/* zeroed first: before 6.2 (strscpy, not strscpy_pad) the helper leaves the bytes
		 * after the NUL as they were, and the comparison covers all 16 */
		char comm[PROBE_COMM_LEN] = {};
		__u64 *c = (__u64 *)comm;
		bpf_get_current_comm(comm, sizeof(comm));
		for (__u32 i = 0; i < PROBE_MAX_EXCLUDED_COMMS; i++) {
			if (i >= n)
				break;
			__u64 *e = (__u64 *)settings.excluded_comms[i];
			if (c[0] == e[0] && c[1] == e[1])
				return true;
		}
	}
	return false;
}

/* t is the current task (bpf_get_current_task_btf(): a trusted pointer, so its fields are
 * direct loads). */
static __always_inline bool is_excluded_task(struct task_struct *t)
{
	return is_excluded_tgid(t->tgid);
}

static __always_inline bool is_excluded(void)
{
	return is_excluded_task(bpf_get_current_task_btf());
}

/* 32-bit tasks use another syscall table: their events are not produced (see README). */
static __always_inline bool is_compat(struct task_struct *t)
{
	return t->thread_info.status & 0x0002; /* TS_COMPAT */
}

/* The current task if its syscalls are traced (not a 32-bit task, not excluded), else NULL:
 * one helper call, then direct loads. */
static __always_inline struct task_struct *traced_task(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return is_compat(t) || is_excluded_task(t) ? NULL : t;
}

/* The same test in classic tracepoint programs, which may not hold BTF task pointers. The
 * syscalls/sys_enter_* tracepoints fire for native syscalls only, so there is no compat test. */
static __always_inline bool traced_current(void)
{
	return !is_excluded_tgid((__s32)(bpf_get_current_pid_tgid() >> 32));
}

static __always_inline struct probe_counters *cpu_counters(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return &counters[cpu & (PROBE_MAX_CPUS - 1)];
}

static __always_inline __u64 now_ts(void)
{
	return settings.boot_time + bpf_ktime_get_boot_ns();
}

/* Syscall arguments from the saved user registers (x86_64 ABI). regs is the tracepoint's typed
 * argument, so these are direct (CO-RE relocated) loads, not helper calls. */
static __always_inline unsigned long sc_arg(struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	case 5: return regs->r9;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Drop categories                                                                             */

static __always_inline int drop_category(__u16 type)
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
/* Event construction in the auxiliary buffer                                                  */

static __always_inline struct auxmap *ev_begin(__u16 type)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct auxmap *a = bpf_map_lookup_elem(&auxmaps, &cpu);
	__u32 n = event_nparams[type];

	if (!a)
		return NULL;
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)a->data;
	h->type = type;
	h->nparams = n;
	a->idx = 0;
	a->overflow = 0;
	a->pos = HDR_LEN + n * 2;
	return a;
}

/* This CPU's event under construction, in a program tail-called to continue it. */
static __always_inline struct auxmap *ev_current(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&auxmaps, &cpu);
}

static __always_inline void set_len(struct auxmap *a, __u16 len)
{
	*(__u16 *)&a->data[HDR_LEN + (a->idx & 31) * 2] = len;
	a->idx++;
	a->pos += len;
}

#define DEFINE_PUSH(NAME, T)                                    \
	static __always_inline void NAME(struct auxmap *a, T v) \
	{                                                       \
		*(T *)&a->data[a->pos & AUX_MASK] = v;          \
		set_len(a, sizeof(T));                          \
	}
DEFINE_PUSH(push_u8, __u8)
DEFINE_PUSH(push_u16, __u16)
DEFINE_PUSH(push_u32, __u32)
DEFINE_PUSH(push_u64, __u64)
#define push_s64(a, v) push_u64(a, (__u64)(__s64)(v))
#define push_s32(a, v) push_u32(a, (__u32)(__s32)(v))

static __always_inline void push_empty(struct auxmap *a)
{
	set_len(a, 0);
}

/* Room for `need` more payload bytes? Otherwise mark the event too large. */
static __always_inline bool room(struct auxmap *a, __u32 need)
{
	if (a->pos + need > SCAP_MAX_EVENT_SIZE - 8) {
		a->overflow = 1;
		return false;
	}
	return true;
}

/* NUL-terminated string from user memory (CHARBUF/FSPATH); empty if unreadable or NULL. */
static __always_inline void push_user_str(struct auxmap *a, const void *uptr, __u32 max)
{
	long n = 0;

	if (uptr && room(a, MAX_STR))
		n = bpf_probe_read_user_str(&a->data[a->pos & AUX_MASK], max & (MAX_STR - 1 + MAX_STR), uptr);
	set_len(a, n > 0 ? n : 0);
}

static __always_inline void push_kernel_str(struct auxmap *a, const void *kptr, __u32 max)
{
	long n = 0;

	if (kptr && room(a, MAX_STR))
		n = bpf_probe_read_kernel_str(&a->data[a->pos & AUX_MASK], max & (MAX_STR - 1 + MAX_STR), kptr);
	set_len(a, n > 0 ? n : 0);
}

/* Raw bytes from user memory (BYTEBUF), len clamped to SCAP_MAX_PARAM_SIZE; empty on failure. */
static __always_inline void push_user_buf(struct auxmap *a, const void *uptr, __u64 len)
{
	__u32 l = len > SCAP_MAX_PARAM_SIZE ? SCAP_MAX_PARAM_SIZE : len;

	if (!uptr || !l || !room(a, l)) {
		set_len(a, 0);
		return;
	}
	l = BOUND(l, 0xffff);
	if (bpf_probe_read_user(&a->data[a->pos & AUX_MASK], l, uptr) < 0)
		l = 0;
	set_len(a, l);
}

/* Append bytes from kernel memory to the current payload without closing the slot. */
static __always_inline long append_kernel(struct auxmap *a, __u64 off, const void *src, __u32 len)
{
	len = BOUND(len, 0xffff);
	if (!len)
		return 0;
	return bpf_probe_read_kernel(&a->data[off & AUX_MASK], len, src);
}

static __always_inline __u32 snaplen(void)
{
	__u32 s = settings.snaplen;
	return s > SCAP_MAX_PARAM_SIZE ? SCAP_MAX_PARAM_SIZE : s;
}

/* I/O data: len bytes at uptr, truncated to snaplen. */
static __always_inline void push_io_buf(struct auxmap *a, const void *uptr, long len)
{
	__u32 s = snaplen();

	if (len <= 0) {
		set_len(a, 0);
		return;
	}
	push_user_buf(a, uptr, (unsigned long)len < s ? (unsigned long)len : s);
}

/* I/O data gathered from an iovec array (readv/writev/sendmsg/...), truncated to snaplen. */
static __always_inline void push_iov_buf(struct auxmap *a, const struct iovec *uiov, unsigned long iovcnt, long len)
{
	__u32 s = snaplen();
	__u64 start = a->pos;
	__u32 total;

	if (len <= 0 || !uiov || !room(a, SCAP_MAX_PARAM_SIZE)) {
		set_len(a, 0);
		return;
	}
	total = (unsigned long)len < s ? (unsigned long)len : s;
	a->off = 0;
	for (unsigned long i = 0; i < MAX_IOVS; i++) {
		struct iovec iov;
		__u32 chunk, off = a->off;

		if (i >= iovcnt || off >= total)
			break;
		if (bpf_probe_read_user(&iov, sizeof(iov), &uiov[i]) < 0)
			break;
		chunk = iov.iov_len < total - off ? iov.iov_len : total - off;
		chunk &= 0xffff;
		if (chunk && bpf_probe_read_user(&a->data[(start + off) & AUX_MASK], chunk, iov.iov_base) < 0)
			break;
		a->off = off + chunk;
	}
	set_len(a, a->off & 0xffff);
}

/* Sum of iov_len over an iovec array (the `size` parameter of readv/writev). */
static __always_inline __u64 iov_total(const struct iovec *uiov, unsigned long iovcnt)
{
	__u64 sum = 0;

	for (unsigned long i = 0; i < MAX_IOVS; i++) {
		struct iovec iov;
		if (i >= iovcnt)
			break;
		if (bpf_probe_read_user(&iov, sizeof(iov), &uiov[i]) < 0)
			break;
		sum += iov.iov_len;
	}
	return sum;
}

static __always_inline int ev_submit(struct auxmap *a)
{
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)a->data;
	struct probe_counters *c = cpu_counters();
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 len = a->pos;
	void *rb;

	c->n_evts++;
	if (a->overflow || len > SCAP_MAX_EVENT_SIZE) {
		c->n_drops_max_event_size++;
		return 0;
	}
	rb = bpf_map_lookup_elem(&ringbufs, &cpu);
	if (!rb) {
		c->n_drops_buffer++;
		return 0;
	}
	h->tid = cur_tid();
	h->len = len;
	h->ts = now_ts();
	if (bpf_ringbuf_output(rb, a->data, len & (AUX_SIZE - 1), BPF_RB_NO_WAKEUP) < 0) {
		int cat = drop_category(h->type);
		c->n_drops_buffer++;
		if (cat >= 0 && cat < SCAP_DROP_CATEGORIES)
			c->n_drops_category[cat]++;
	}
	return 0;
}

/* Same, for events about another task than current (procexit of a reaped task, child tid). */
static __always_inline int ev_submit_tid(struct auxmap *a, __u32 tid)
{
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)a->data;
	struct probe_counters *c = cpu_counters();
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 len = a->pos;
	void *rb;

	c->n_evts++;
	if (a->overflow || len > SCAP_MAX_EVENT_SIZE) {
		c->n_drops_max_event_size++;
		return 0;
	}
	rb = bpf_map_lookup_elem(&ringbufs, &cpu);
	if (!rb) {
		c->n_drops_buffer++;
		return 0;
	}
	h->tid = tid;
	h->len = len;
	h->ts = now_ts();
	if (bpf_ringbuf_output(rb, a->data, len & (AUX_SIZE - 1), BPF_RB_NO_WAKEUP) < 0) {
		int cat = drop_category(h->type);
		c->n_drops_buffer++;
		if (cat >= 0 && cat < SCAP_DROP_CATEGORIES)
			c->n_drops_category[cat]++;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Flag conversions to the ppm encoding                                                        */

/* File mode bits: ppm S_* values equal the POSIX bits. */

/* ------------------------------------------------------------------------------------------ */
/* Files                                                                                       */

static __always_inline struct file *fd_file(long fd)
{
	struct task_struct *t = cur_task();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **arr = BPF_CORE_READ(fdt, fd);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	struct file *f = NULL;

	if (fd < 0 || fd >= max)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]);
	return f;
}

/* The kernel's dev_t (major << 20 | minor) in the userspace st_dev encoding. */
static __always_inline __u32 encode_dev(__u32 kdev)
{
	__u32 major = kdev >> 20, minor = kdev & 0xfffff;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline void file_dev_ino(struct file *f, __u32 *dev, __u64 *ino)
{
	struct inode *i = BPF_CORE_READ(f, f_inode);
	*dev = encode_dev(BPF_CORE_READ(i, i_sb, s_dev));
	*ino = BPF_CORE_READ(i, i_ino);
}

#define FMODE_CREATED_BIT (1u << 20)

/* ------------------------------------------------------------------------------------------ */
/* Paths: a dentry walk up to the root, across mounts, built backwards in the scratch area     */

static __always_inline void push_path(struct auxmap *a, struct dentry *d, struct vfsmount *vfsmnt)
{
	struct mount *mnt = (struct mount *)((void *)vfsmnt - bpf_core_field_offset(struct mount, mnt));
	__u32 cur, len;

	if (!d || !vfsmnt || !room(a, PATH_BUF + 1)) {
		set_len(a, 0);
		return;
	}
	a->cur = PATH_BUF;
	for (int i = 0; i < MAX_PATH_COMPONENTS; i++) {
		struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		struct qstr name;

		if (d == mnt_root || d == parent) {
			struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);
			if (mp == mnt || !mp)
				break;
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mp;
			vfsmnt = (struct vfsmount *)((void *)mp + bpf_core_field_offset(struct mount, mnt));
			continue;
		}
		name = BPF_CORE_READ(d, d_name);
		len = name.len & 0xff;
		cur = a->cur;
		if (cur > PATH_BUF || cur < len + 1)
			break;
		cur -= len;
		bpf_probe_read_kernel(&a->scratch[cur & SCRATCH_MASK], len, name.name);
		cur -= 1;
		a->scratch[cur & SCRATCH_MASK] = '/';
		a->cur = cur;
		d = parent;
	}
	cur = a->cur;
	if (cur >= PATH_BUF) {
		cur = PATH_BUF - 1;
		a->scratch[cur & SCRATCH_MASK] = '/';
	}
	len = PATH_BUF - cur;
	append_kernel(a, a->pos, &a->scratch[cur & SCRATCH_MASK], len & (PATH_BUF - 1 + PATH_BUF));
	a->data[(a->pos + len) & AUX_MASK] = 0;
	set_len(a, len + 1);
}

/* ------------------------------------------------------------------------------------------ */
/* Sockets                                                                                     */

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

static __always_inline __u16 ntohs_(__u16 v)
{
	return (v >> 8) | (v << 8);
}

/* A user sockaddr (bind, connect, sendto, recvfrom) in the ppm encoding (docs/upstream-facts.md §1.5). */
static __always_inline void push_user_sockaddr(struct auxmap *a, const void *uaddr, long ulen)
{
	__u8 *s = a->scratch;
	__u64 p = a->pos;
	__u16 fam;

	if (!uaddr || ulen <= 0 || !room(a, 128)) {
		set_len(a, 0);
		return;
	}
	if (ulen > 110)
		ulen = 110;
	__builtin_memset(s, 0, 112);
	if (bpf_probe_read_user(s, ulen & 0x7f, uaddr) < 0) {
		set_len(a, 0);
		return;
	}
	fam = *(__u16 *)s;
	if (fam == 2 /* AF_INET */) {
		a->data[p & AUX_MASK] = SCAP_SOCKET_FAMILIES_AF_INET;
		*(__u32 *)&a->data[(p + 1) & AUX_MASK] = *(__u32 *)&s[4];
		*(__u16 *)&a->data[(p + 5) & AUX_MASK] = ntohs_(*(__u16 *)&s[2]);
		set_len(a, 7);
	} else if (fam == 10 /* AF_INET6 */) {
		a->data[p & AUX_MASK] = SCAP_SOCKET_FAMILIES_AF_INET6;
		append_kernel(a, p + 1, &s[8], 16);
		*(__u16 *)&a->data[(p + 17) & AUX_MASK] = ntohs_(*(__u16 *)&s[2]);
		set_len(a, 19);
	} else if (fam == 1 /* AF_UNIX */) {
		long n;
		__u32 off = s[2] == 0 ? 3 : 2; /* abstract: skip the leading NUL */
		a->data[p & AUX_MASK] = SCAP_SOCKET_FAMILIES_AF_UNIX;
		n = bpf_probe_read_kernel_str(&a->data[(p + 1) & AUX_MASK], 109, &s[off & 3]);
		set_len(a, n > 0 ? 1 + n : 0);
	} else {
		set_len(a, 0);
	}
}

static __always_inline void put_unix_path(struct auxmap *a, __u64 off, struct unix_sock *u, __u32 *len)
{
	struct unix_address *ua = BPF_CORE_READ(u, addr);
	long n;
	__u32 skip = 0;

	*len = 0;
	if (!ua)
		return;
	char first = 0;
	bpf_probe_read_kernel(&first, 1, &ua->name[0].sun_path[0]);
	if (first == 0)
		skip = 1;
	n = bpf_probe_read_kernel_str(&a->data[off & AUX_MASK], 109, &ua->name[0].sun_path[skip]);
	*len = n > 0 ? n : 0;
}

/*
 * SOCKTUPLE of a socket fd (docs/upstream-facts.md §1.5). outbound: src = local, dst = remote (connect, send*);
 * inbound: src = remote, dst = local (accept, recv*). If the kernel has no remote port
 * (unconnected UDP), the remote end comes from the user sockaddr uaddr (if given).
 */
static __always_inline void push_socktuple(struct auxmap *a, long fd, bool outbound, const void *uaddr, long ulen)
{
	struct sock *sk = fd_sock(fd);
	__u64 p = a->pos;
	__u16 fam;

	if (!sk || !room(a, 160)) {
		set_len(a, 0);
		return;
	}
	fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (fam == 2 || fam == 10) {
		__u8 *s = a->scratch;
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = ntohs_(BPF_CORE_READ(sk, __sk_common.skc_dport));
		__u32 alen = fam == 2 ? 4 : 16;
		/* scratch: [0..16) local addr, [16..32) remote addr */
		__builtin_memset(s, 0, 160);
		if (fam == 2) {
			*(__u32 *)&s[0] = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
			*(__u32 *)&s[16] = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		} else {
			BPF_CORE_READ_INTO(&s[0], sk, __sk_common.skc_v6_rcv_saddr);
			BPF_CORE_READ_INTO(&s[16], sk, __sk_common.skc_v6_daddr);
		}
		if (rport == 0 && uaddr && ulen > 0) {
			if (ulen > 28)
				ulen = 28;
			if (bpf_probe_read_user(&s[64], ulen & 0x1f, uaddr) == 0 && *(__u16 *)&s[64] == fam) {
				rport = ntohs_(*(__u16 *)&s[66]);
				if (fam == 2)
					*(__u32 *)&s[16] = *(__u32 *)&s[68];
				else
					__builtin_memcpy(&s[16], &s[72], 16);
			}
		}
		a->data[p & AUX_MASK] = fam == 2 ? SCAP_SOCKET_FAMILIES_AF_INET : SCAP_SOCKET_FAMILIES_AF_INET6;
		if (outbound) {
			append_kernel(a, p + 1, &s[0], alen);
			*(__u16 *)&a->data[(p + 1 + alen) & AUX_MASK] = lport;
			append_kernel(a, p + 3 + alen, &s[16], alen);
			*(__u16 *)&a->data[(p + 3 + 2 * alen) & AUX_MASK] = rport;
		} else {
			append_kernel(a, p + 1, &s[16], alen);
			*(__u16 *)&a->data[(p + 1 + alen) & AUX_MASK] = rport;
			append_kernel(a, p + 3 + alen, &s[0], alen);
			*(__u16 *)&a->data[(p + 3 + 2 * alen) & AUX_MASK] = lport;
		}
		set_len(a, 1 + 2 * (alen + 2));
	} else if (fam == 1) {
		struct unix_sock *us = (struct unix_sock *)sk;
		struct unix_sock *peer = (struct unix_sock *)BPF_CORE_READ(us, peer);
		__u32 plen = 0;
		a->data[p & AUX_MASK] = SCAP_SOCKET_FAMILIES_AF_UNIX;
		*(__u64 *)&a->data[(p + 1) & AUX_MASK] = outbound ? (__u64)peer : (__u64)us;
		*(__u64 *)&a->data[(p + 9) & AUX_MASK] = outbound ? (__u64)us : (__u64)peer;
		if (peer)
			put_unix_path(a, p + 17, peer, &plen);
		if (!plen)
			put_unix_path(a, p + 17, us, &plen);
		if (!plen) {
			a->data[(p + 17) & AUX_MASK] = 0;
			plen = 1;
		}
		set_len(a, 17 + plen);
	} else {
		set_len(a, 0);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Tasks                                                                                       */

static __always_inline __u32 task_vpid(struct task_struct *t, bool tgid)
{
	struct pid *pid;
	unsigned int level;
	struct upid up;

	if (tgid)
		pid = BPF_CORE_READ(t, group_leader, thread_pid);
	else
		pid = BPF_CORE_READ(t, thread_pid);
	level = BPF_CORE_READ(pid, level);
	bpf_probe_read_kernel(&up, sizeof(up), &pid->numbers[level & 31]);
	return up.nr;
}

static __always_inline __u32 task_pid_level(struct task_struct *t)
{
	return BPF_CORE_READ(t, thread_pid, level);
}

/* Process group / session ids in the init namespace and in the task's namespace. */
static __always_inline struct pid *task_sig_pid(struct task_struct *t, int type)
{
	struct signal_struct *s = BPF_CORE_READ(t, signal);
	struct pid *p = NULL;

	bpf_probe_read_kernel(&p, sizeof(p), &s->pids[type & 3]);
	return p;
}

static __always_inline __u32 pid_nr_init(struct pid *p)
{
	return BPF_CORE_READ(p, numbers[0].nr);
}

static __always_inline __u32 pid_nr_ns_of(struct pid *p, struct task_struct *t)
{
	unsigned int level = task_pid_level(t);
	struct upid up = {};
	if (!p)
		return 0;
	if (BPF_CORE_READ(p, level) < level)
		return 0;
	bpf_probe_read_kernel(&up, sizeof(up), &p->numbers[level & 31]);
	return up.nr;
}

#endif /* PYSCAP_BPF_HELPERS_H */
