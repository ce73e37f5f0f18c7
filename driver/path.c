// SPDX-License-Identifier: GPL-2.0-only
/* pyscap kernel module: files of the current task and their paths (bpf_core/path.h). */
#include <linux/dcache.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

#include "push.h"

/* The file of fd (under rcu_read_lock). */
struct file *pyscap_fd_file_rcu(long fd)
{
	struct files_struct *files = current->files;

	if (fd < 0 || !files)
		return NULL;
	return files_lookup_fd_raw(files, fd);
}

/* The fd(X) record: O_F_CREATED from the file's f_mode, dev and ino: one lookup for the three. */
void scap_load_fd(struct scap_rec_fd *r, int fd)
{
	struct file *f;

	r->created = 0;
	r->dev = 0;
	r->ino = 0;
	rcu_read_lock();
	f = pyscap_fd_file_rcu(fd);
	if (f) {
		struct inode *i = file_inode(f);

		r->dev = new_encode_dev(i->i_sb->s_dev);
		r->ino = i->i_ino;
		if (f->f_mode & FMODE_CREATED)
			r->created = SCAP_OPEN_FLAGS_O_F_CREATED;
	}
	rcu_read_unlock();
}

/* The path of a struct path via d_path, written to the event; empty if it fails. */
void push_d_path(struct pyscap_ev *e, const struct path *p)
{
	static const char deleted[] = " (deleted)";
	char *t = (char *)scap_tmp(e), *s;
	u32 len;

	if (!p || !p->dentry || !pyscap_room(e, PYSCAP_PATH_BUF + 1)) {
		pyscap_set_len(e, 0);
		return;
	}
	s = d_path(p, t, PYSCAP_PATH_BUF);
	if (IS_ERR(s)) {
		pyscap_set_len(e, 0);
		return;
	}
	len = t + PYSCAP_PATH_BUF - s; /* with the NUL */
	/* the CO-RE probe walks the dentries: no " (deleted)" suffix for an unlinked file */
	if (d_unlinked(p->dentry) && len > sizeof(deleted) &&
	    !memcmp(s + len - sizeof(deleted), deleted, sizeof(deleted) - 1)) {
		len -= sizeof(deleted) - 1;
		s[len - 1] = 0;
	}
	memcpy(scap_out(e, 0), s, len);
	pyscap_set_len(e, len);
}

/* The fdpath(X) pusher: the path of the open file of fd (empty if none). */
void push_fd_path(struct pyscap_ev *e, int fd)
{
	struct file *f = NULL;

	if (fd >= 0) {
		rcu_read_lock();
		f = pyscap_fd_file_rcu(fd);
		if (f && !get_file_rcu(f))
			f = NULL;
		rcu_read_unlock();
	}
	if (!f) {
		push_empty(e);
		return;
	}
	push_d_path(e, &f->f_path);
	fput(f);
}

void push_task_cwd(struct pyscap_ev *e, struct task_struct *t)
{
	if (!t->fs) {
		push_empty(e);
		return;
	}
	/* fs->lock keeps pwd referenced while d_path walks it (no sleeping, no path_put). */
	spin_lock(&t->fs->lock);
	push_d_path(e, &t->fs->pwd);
	spin_unlock(&t->fs->lock);
}

/* mm->exe_file of t with a reference (get_mm_exe_file is not exported), or NULL. */
struct file *pyscap_mm_exe_file(struct task_struct *t)
{
	struct file *f;

	if (!t->mm)
		return NULL;
	rcu_read_lock();
	f = rcu_dereference(t->mm->exe_file);
	if (f && !get_file_rcu(f))
		f = NULL;
	rcu_read_unlock();
	return f;
}

void push_task_exe_path(struct pyscap_ev *e, struct task_struct *t)
{
	struct file *exe = pyscap_mm_exe_file(t);

	if (!exe) {
		push_empty(e);
		return;
	}
	push_d_path(e, &exe->f_path);
	fput(exe); /* deferred to task work: fine in atomic context */
}
