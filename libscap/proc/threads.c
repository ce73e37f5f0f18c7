/* SPDX-License-Identifier: Apache-2.0 */
/* One thread from /proc/<pid>/ (a leader) or /proc/<pid>/task/<tid>/ (any other thread). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "internal.h"
#include "proc_int.h"
#include "scap_abi_events.h"

#define OVERLAYFS_MAGIC	     0x794c7630
#define PF_KTHREAD_FLAG	     0x00200000u /* task flag: kernel thread (stat field 9) */
#define CAP_DAC_OVERRIDE_BIT 1

/* Value of the last number of a "Key:\tv1\tv2..." status line (nested pid namespaces: the last
 * one is the thread's own namespace), and of the first one. */
static bool first_last(const char *v, uint64_t *first, uint64_t *last)
{
	uint64_t x;
	bool any = false;

	while (proc_parse_u64(&v, 10, &x)) {
		if (!any)
			*first = x;
		*last = x;
		any = true;
	}
	return any;
}

struct status_info {
	bool have_tgid, have_nspid, have_nstgid, have_nspgid;
	uint64_t nspgid_first, nspgid_last;
};

static void parse_status(char *buf, struct proc_thread *t, struct status_info *si)
{
	struct scap_thread_info *ti = &t->ti;
	char *line = buf;

	while (line && *line) {
		char *nl = strchr(line, '\n');
		const char *v;
		uint64_t a, b;

		if (nl)
			*nl = 0;
		v = strchr(line, ':');
		if (!v)
			goto next;
		v++;
		switch (line[0]) {
		case 'T':
			if (!strncmp(line, "Tgid:", 5) && proc_parse_u64(&v, 10, &a)) {
				ti->pid = a;
				si->have_tgid = true;
			}
			break;
		case 'P':
			if (!strncmp(line, "PPid:", 5) && proc_parse_u64(&v, 10, &a))
				ti->ptid = a;
			break;
		case 'U':
			/* Uid: real effective saved fs -> the effective one, as upstream */
			if (!strncmp(line, "Uid:", 4) && proc_parse_u64(&v, 10, &a) && proc_parse_u64(&v, 10, &b))
				ti->uid = (uint32_t)b;
			break;
		case 'G':
			if (!strncmp(line, "Gid:", 4) && proc_parse_u64(&v, 10, &a) && proc_parse_u64(&v, 10, &b)) {
				ti->gid = (uint32_t)b;
			} else if (!strncmp(line, "Groups:", 7)) {
				while (t->ngroups < PROC_MAX_GROUPS && proc_parse_u64(&v, 10, &a))
					t->groups[t->ngroups++] = (uint32_t)a;
			}
			break;
		case 'N':
			if (!strncmp(line, "NStgid:", 7) && first_last(v, &a, &b)) {
				ti->vpid = (int64_t)b;
				si->have_nstgid = true;
			} else if (!strncmp(line, "NSpid:", 6) && first_last(v, &a, &b)) {
				ti->vtid = (int64_t)b;
				si->have_nspid = true;
			} else if (!strncmp(line, "NSpgid:", 7) && first_last(v, &a, &b)) {
				si->nspgid_first = a;
				si->nspgid_last = b;
				si->have_nspgid = true;
			}
			break;
		case 'V':
			if (!strncmp(line, "VmSize:", 7) && proc_parse_u64(&v, 10, &a))
				ti->vmsize_kb = (uint32_t)a;
			else if (!strncmp(line, "VmRSS:", 6) && proc_parse_u64(&v, 10, &a))
				ti->vmrss_kb = (uint32_t)a;
			else if (!strncmp(line, "VmSwap:", 7) && proc_parse_u64(&v, 10, &a))
				ti->vmswap_kb = (uint32_t)a;
			break;
		case 'C':
			if (!strncmp(line, "CapInh:", 7) && proc_parse_u64(&v, 16, &a))
				ti->cap_inheritable = a;
			else if (!strncmp(line, "CapPrm:", 7) && proc_parse_u64(&v, 16, &a))
				ti->cap_permitted = a;
			else if (!strncmp(line, "CapEff:", 7) && proc_parse_u64(&v, 16, &a))
				ti->cap_effective = a;
			break;
		default: break;
		}
	next:
		line = nl ? nl + 1 : NULL;
	}
}

/* The fields of /proc/.../stat after "(comm)": 1-based numbering from the state field. */
#define STAT_PGRP	 3
#define STAT_SESSION	 4
#define STAT_TTY	 5
#define STAT_FLAGS	 7
#define STAT_MINFLT	 8
#define STAT_MAJFLT	 10
#define STAT_LAST_NEEDED STAT_MAJFLT

static bool parse_stat(const char *buf, int64_t *pgrp, struct scap_thread_info *ti, uint32_t *task_flags)
{
	const char *p = strrchr(buf, ')');
	int field = 0;

	if (!p)
		return false;
	p++;
	while (field < STAT_LAST_NEEDED) {
		char *end;
		long long v;

		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			return false;
		field++;
		if (field == 1) { /* state: one character */
			while (*p && *p != ' ')
				p++;
			continue;
		}
		v = strtoll(p, &end, 10);
		if (end == p)
			return false;
		p = end;
		switch (field) {
		case STAT_PGRP: *pgrp = v; break;
		case STAT_SESSION: ti->sid = (uint64_t)v; break;
		case STAT_TTY: ti->tty = (uint32_t)v; break;
		case STAT_FLAGS: *task_flags = (uint32_t)v; break;
		case STAT_MINFLT: ti->pfminor = (uint64_t)v; break;
		case STAT_MAJFLT: ti->pfmajor = (uint64_t)v; break;
		default: break;
		}
	}
	return true;
}

/* "Max open files  <soft>  <hard>  files" -> soft ("unlimited" = RLIM_INFINITY = all ones). */
static bool parse_fdlimit(const char *buf, uint64_t *out)
{
	const char *p = strstr(buf, "\nMax open files");
	uint64_t v;

	if (!p)
		return false;
	p += strlen("\nMax open files");
	while (*p == ' ')
		p++;
	if (!strncmp(p, "unlimited", 9)) {
		*out = UINT64_MAX;
		return true;
	}
	if (!proc_parse_u64(&p, 10, &v))
		return false;
	*out = v;
	return true;
}

/* Turn a NUL-separated buffer of n bytes into "a\0b\0" form in dst (cap bytes): the last
 * string always NUL-terminated. Returns the length (0 if empty). */
static uint32_t copy_strings(char *dst, size_t cap, const char *src, size_t n)
{
	if (n == 0 || cap == 0)
		return 0;
	if (n > cap - 1)
		n = cap - 1;
	memcpy(dst, src, n);
	if (dst[n - 1] != 0)
		dst[n++] = 0;
	return (uint32_t)n;
}

/* mountinfo escapes blanks and backslashes as \ooo: decode in place. */
static void unescape_octal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
		    s[3] <= '7') {
			*o++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

/*
 * Overlayfs: is the exe in the upper layer (written in the container) or in a lower one?
 * Best effort from user space: find the overlay mount holding the exe in the process's
 * mountinfo and look for the file under its upperdir.
 */
static void exe_overlay_layer(int dfd, const char *exepath, struct proc_shared *sh)
{
	size_t cap = 256 * 1024, best_len = 0;
	char *buf = malloc(cap), *line, *best_upper = NULL;
	char path[PROC_MAX_PATH * 2];
	struct stat st;
	ssize_t n;

	if (!buf)
		return;
	n = proc_read_all_at(dfd, "mountinfo", buf, cap);
	if (n <= 0) {
		free(buf);
		return;
	}
	for (line = buf; line && *line;) {
		char *nl = strchr(line, '\n'), *f[5], *dash, *fstype, *opts, *up, *q;
		int i;
		size_t mlen;

		if (nl)
			*nl = 0;
		/* id parent major:minor root mountpoint opts... - fstype source superopts */
		q = line;
		for (i = 0; i < 5; i++) {
			f[i] = q;
			q = strchr(q, ' ');
			if (!q)
				break;
			*q++ = 0;
		}
		dash = q ? strstr(q, " - ") : NULL;
		if (i < 5 || !dash)
			goto next;
		fstype = dash + 3;
		q = strchr(fstype, ' ');
		if (!q)
			goto next;
		*q++ = 0;
		opts = strchr(q, ' '); /* after the source */
		if (strcmp(fstype, "overlay") || !opts)
			goto next;
		unescape_octal(f[4]);
		mlen = strlen(f[4]);
		if (!(mlen == 1 && f[4][0] == '/') &&
		    (strncmp(exepath, f[4], mlen) || (exepath[mlen] != '/' && exepath[mlen] != 0)))
			goto next;
		up = strstr(opts, "upperdir=");
		if (!up || (mlen == 1 ? 0 : mlen) < best_len)
			goto next;
		up += strlen("upperdir=");
		q = strchr(up, ',');
		if (q)
			*q = 0;
		unescape_octal(up);
		best_upper = up;
		best_len = mlen == 1 ? 0 : mlen;
	next:
		line = nl ? nl + 1 : NULL;
	}
	if (best_upper) {
		if (proc_path(path, sizeof(path), "%s%s", best_upper, exepath + best_len) &&
		    fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0)
			sh->exe_upper = 1;
		else
			sh->exe_lower = 1;
	}
	free(buf);
}

/* A file of the thread could not be read: permissions make a partial entry; ENOENT/ESRCH
 * may mean the thread is gone (checked at the end) or just a file this kernel lacks. */
static void note_err(ssize_t err, bool *partial, bool *missing)
{
	if (proc_err_gone((int)err))
		*missing = true;
	else
		*partial = true;
}

/* After an ENOENT/ESRCH: is the thread still there? */
static bool still_there(int dfd)
{
	return faccessat(dfd, "stat", F_OK, 0) == 0;
}

/* The process-wide part: cmdline, environ, exe, limits. Returns PROC_RD_KERNEL if the process
 * looks like a kernel thread or zombie (no cmdline and no exe). */
static enum proc_rd read_shared(struct proc_scan *s, int dfd, uint64_t pid, struct proc_shared *sh, bool *partial,
				bool *missing)
{
	struct rlimit rl;
	char cmd[PROC_MAX_PATH + PROC_MAX_ARGS];
	char lim[4096];
	ssize_t n, ln;
	size_t exe_len;
	struct statfs sfs;
	int fd;

	memset(sh, 0, sizeof(*sh));

	n = proc_read_at(dfd, "cmdline", cmd, sizeof(cmd));
	if (n < 0) {
		note_err(n, partial, missing);
		n = 0;
	}
	ln = proc_readlink_at(dfd, "exe", sh->exepath, sizeof(sh->exepath));
	if (n == 0 && ln < 0) /* kernel thread or zombie, as upstream decides */
		return *missing && !still_there(dfd) ? PROC_RD_GONE : PROC_RD_KERNEL;
	if (ln < 0 && ln != -ENOENT)
		*partial = true;

	/* argv[0] -> exe, the rest -> args */
	exe_len = strnlen(cmd, (size_t)n);
	proc_strlcpy(sh->exe, cmd, exe_len, sizeof(sh->exe));
	if ((size_t)n > exe_len + 1)
		sh->args_len = copy_strings(sh->args, sizeof(sh->args), cmd + exe_len + 1, (size_t)n - exe_len - 1);

	n = proc_read_at(dfd, "environ", cmd, PROC_MAX_ENV + 1);
	if (n < 0)
		note_err(n, partial, missing);
	else
		sh->env_len = copy_strings(sh->env, sizeof(sh->env), cmd, (size_t)n);

	/* RLIMIT_NOFILE: prlimit() on a live /proc (upstream's way, and much cheaper than
	 * formatting the limits file), else the "Max open files" soft limit of the limits file */
	sh->fdlimit = UINT64_MAX; /* unknown, as upstream */
	if (s->live && prlimit((pid_t)pid, RLIMIT_NOFILE, NULL, &rl) == 0) {
		sh->fdlimit = rl.rlim_cur;
	} else {
		n = proc_read_at(dfd, "limits", lim + 1, sizeof(lim) - 1);
		lim[0] = '\n';
		if (n < 0)
			note_err(n, partial, missing);
		else if (!parse_fdlimit(lim, &sh->fdlimit))
			*partial = true;
	}

	sh->exe_from_memfd = !strncmp(sh->exepath, "/memfd:", 7);
	fd = openat(dfd, "exe", O_PATH | O_CLOEXEC);
	if (fd >= 0) {
		if (fstat(fd, &sh->exe_st) == 0) {
			sh->exe_ok = true;
			if (fstatfs(fd, &sfs) == 0) {
				sh->exe_ro = (sfs.f_flags & ST_RDONLY) != 0;
				if ((uint64_t)sfs.f_type == OVERLAYFS_MAGIC)
					exe_overlay_layer(dfd, sh->exepath, sh);
			}
		}
		close(fd);
	} else if (errno != ENOENT) {
		*partial = true;
	}
	sh->valid = true;
	return PROC_RD_OK;
}

static uint8_t exe_writable(const struct proc_shared *sh, const struct proc_thread *t)
{
	const struct stat *st = &sh->exe_st;
	uint32_t i;

	if (!sh->exe_ok || sh->exe_ro)
		return 0;
	/* The owner can always chmod the file, so it counts as writable (upstream's rule). */
	if (st->st_uid == t->ti.uid)
		return 1;
	if (t->ti.cap_effective & (1ull << CAP_DAC_OVERRIDE_BIT))
		return 1;
	if (st->st_gid == t->ti.gid)
		return (st->st_mode & S_IWGRP) != 0;
	for (i = 0; i < t->ngroups; i++)
		if (st->st_gid == t->groups[i])
			return (st->st_mode & S_IWGRP) != 0;
	return (st->st_mode & S_IWOTH) != 0;
}

static uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

enum proc_rd proc_read_thread(struct proc_scan *s, int dfd, uint64_t tid, bool leader, struct proc_shared *sh,
			      struct proc_thread *t)
{
	struct scap_thread_info *ti = &t->ti;
	struct status_info si = { 0 };
	char buf[8192];
	int64_t pgrp = -1;
	uint32_t task_flags = 0;
	bool missing = false;
	enum proc_rd rd;
	struct stat st;
	ssize_t n;
	uint64_t v;
	const char *q;

	memset(ti, 0, sizeof(*ti));
	ti->sz = sizeof(*ti);
	ti->tid = tid;
	ti->ptid = UINT64_MAX;
	ti->uid = UINT32_MAX;
	ti->gid = UINT32_MAX;
	ti->loginuid = UINT32_MAX;
	t->comm[0] = t->cwd[0] = t->root[0] = t->cgroups[0] = 0;
	t->cgroups_len = 0;
	t->ngroups = 0;
	t->partial = false;

	/* stat first: it is cheaper than status and tells kernel threads apart */
	n = proc_read_at(dfd, "stat", buf, sizeof(buf));
	if (n <= 0 || !parse_stat(buf, &pgrp, ti, &task_flags))
		return PROC_RD_GONE;
	if (task_flags & PF_KTHREAD_FLAG)
		return PROC_RD_KERNEL;

	n = proc_read_at(dfd, "status", buf, sizeof(buf));
	if (n <= 0)
		return PROC_RD_GONE;
	parse_status(buf, t, &si);
	if (!si.have_tgid || (leader && ti->pid != tid))
		return PROC_RD_GONE; /* a recycled id or a garbled read */

	if (leader || !sh->valid) {
		rd = read_shared(s, dfd, tid, sh, &t->partial, &missing);
		if (rd != PROC_RD_OK)
			return rd;
	}

	n = proc_read_at(dfd, "comm", t->comm, sizeof(t->comm));
	if (n < 0)
		note_err(n, &t->partial, &missing);
	else if (n > 0 && t->comm[n - 1] == '\n')
		t->comm[n - 1] = 0;

	n = proc_readlink_at(dfd, "cwd", t->cwd, sizeof(t->cwd));
	if (n < 0 && n != -ENOENT)
		t->partial = true;

	n = proc_readlink_at(dfd, "root", t->root, sizeof(t->root));
	if (n < 0 && n != -ENOENT)
		t->partial = true;
	if (sh->root[0] && !strcmp(t->root, sh->root)) {
		ti->pidns_init_start_ts = sh->pidns_init_start_ts;
	} else {
		/* the start of the init of the thread's pid namespace, as upstream: the ctime of
		 * <root>/proc/1/cmdline seen through the thread's root */
		if (fstatat(dfd, "root/proc/1/cmdline", &st, 0) == 0)
			ti->pidns_init_start_ts = ts_ns(&st.st_ctim);
		if (leader || !sh->root[0]) {
			memcpy(sh->root, t->root, sizeof(sh->root));
			sh->pidns_init_start_ts = ti->pidns_init_start_ts;
		}
	}

	n = proc_read_at(dfd, "loginuid", buf, 64);
	q = buf;
	if (n > 0 && proc_parse_u64(&q, 10, &v))
		ti->loginuid = (uint32_t)v;
	else if (n < 0 && n != -ENOENT)
		t->partial = true;

	proc_read_cgroups(s, dfd, t);

	/* a file was missing: a vanished thread, or one this kernel (or fake tree) lacks */
	if (missing && !still_there(dfd))
		return PROC_RD_GONE;

	/* ids: NS* lines give the id in every nested pid namespace (first: the namespace of this
	 * /proc, last: the thread's own); stat's pgrp is the first. */
	if (!si.have_nspid)
		ti->vtid = (int64_t)tid;
	if (!si.have_nstgid)
		ti->vpid = (int64_t)ti->pid;
	if (si.have_nspgid) {
		ti->pgid = (int64_t)si.nspgid_first;
		ti->vpgid = si.nspgid_last;
	} else {
		ti->pgid = pgrp;
		ti->vpgid = (uint64_t)pgrp;
	}

	/* Threads of a process share its fds: upstream flags them CLONE_THREAD|CLONE_FILES. */
	ti->flags = tid == ti->pid ? 0 : (SCAP_CLONE_FLAGS_CLONE_THREAD | SCAP_CLONE_FLAGS_CLONE_FILES);

	ti->comm = t->comm;
	ti->exe = sh->exe;
	ti->exepath = sh->exepath;
	ti->args = sh->args;
	ti->args_len = sh->args_len;
	ti->env = sh->env;
	ti->env_len = sh->env_len;
	ti->cwd = t->cwd;
	ti->root = t->root;
	ti->fdlimit = sh->fdlimit;
	ti->cgroups = t->cgroups;
	ti->cgroups_len = t->cgroups_len;
	ti->exe_writable = exe_writable(sh, t);
	ti->exe_upper_layer = sh->exe_upper;
	ti->exe_lower_layer = sh->exe_lower;
	ti->exe_from_memfd = sh->exe_from_memfd;
	if (sh->exe_ok) {
		ti->exe_ino = (uint64_t)sh->exe_st.st_ino;
		ti->exe_ino_ctime = ts_ns(&sh->exe_st.st_ctim);
		ti->exe_ino_mtime = ts_ns(&sh->exe_st.st_mtim);
	}
	return PROC_RD_OK;
}
