/* SPDX-License-Identifier: GPL-2.0-only */
/* Files of the current task and their paths: a dentry walk up to the root, across mounts. */
#ifndef PYSCAP_BPF_PATH_H
#define PYSCAP_BPF_PATH_H

#include "push.h"

#define PATH_BUF	    4096
#define MAX_PATH_COMPONENTS 24
#define FMODE_CREATED_BIT   (1u << 20)

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

/* The fd(X) record: O_F_CREATED from the file's f_mode, then dev and ino: one lookup for the three. */
static __always_inline void scap_load_fd(struct scap_rec_fd *r, int fd)
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

/* The path of (d, vfsmnt), built backwards in the scratch area, then copied into the event. */
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

/* The fdpath(X) pusher: the path of the open file of fd (empty if none). */
static __always_inline void push_fd_path(struct auxmap *a, int fd)
{
	struct file *f = fd >= 0 ? fd_file(fd) : NULL;

	if (f)
		push_path(a, BPF_CORE_READ(f, f_path.dentry), BPF_CORE_READ(f, f_path.mnt));
	else
		push_empty(a);
}

static __always_inline void push_cwd(struct auxmap *a, struct task_struct *t)
{
	struct fs_struct *fs = BPF_CORE_READ(t, fs);
	push_path(a, BPF_CORE_READ(fs, pwd.dentry), BPF_CORE_READ(fs, pwd.mnt));
}

#endif /* PYSCAP_BPF_PATH_H */
