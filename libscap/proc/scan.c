/* SPDX-License-Identifier: Apache-2.0 */
/* The public entry points of the /proc scan (scap/proc.h). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/opts.h"
#include "internal.h"
#include "proc_int.h"

static int scan_init(struct proc_scan *s, struct scap_platform *p, const struct scap_scan_opts *user)
{
	struct scap_scan_opts o;
	struct stat a, b;
	char why[160];

	memset(s, 0, sizeof(*s));
	s->proc_fd = -1;
	s->st.sz = sizeof(s->st);
	if (!p)
		return scap_fail(EINVAL, "proc scan: no platform");
	if (scap_sized_copy(&o, sizeof(o), user, why, sizeof(why)) < 0)
		return scap_fail(EINVAL, "proc scan: options: %s", why);
	s->p = p;
	s->proc_root = o.proc_root ? o.proc_root : "/proc";
	s->etc_root = o.etc_root ? o.etc_root : "/etc";
	s->sys_root = o.sys_root ? o.sys_root : "/sys";
	s->what = o.what ? o.what : SCAP_SCAN_ALL;
	if (s->what & SCAP_SCAN_SOCKETS)
		s->what |= SCAP_SCAN_FDS;
	if (s->what & SCAP_SCAN_FDS)
		s->what |= SCAP_SCAN_THREADS;
	s->max_fds = o.max_fds_per_proc;
	if (o.timeout_ms)
		s->deadline_ns = proc_now_ns() + (uint64_t)o.timeout_ms * 1000000ull;
	s->sh = malloc(sizeof(*s->sh));
	s->th = malloc(sizeof(*s->th));
	if (!s->sh || !s->th)
		return scap_fail(ENOMEM, "proc scan: out of memory");
	s->proc_fd = open(s->proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->proc_fd < 0) {
		int err = errno;

		return scap_fail(err, "proc scan: cannot open %s: %s", s->proc_root, strerror(err));
	}
	/* the /proc of this process's pid namespace: pids there are pids for syscalls */
	if (fstat(s->proc_fd, &a) == 0 && stat("/proc", &b) == 0)
		s->live = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	return 0;
}

static void scan_fini(struct proc_scan *s, const struct scap_scan_opts *user, uint64_t start_ns)
{
	struct scap_scan_stats *out = NULL;

	s->st.duration_ns = proc_now_ns() - start_ns;
	if (user && user->sz >= offsetof(struct scap_scan_opts, stats) + sizeof(user->stats))
		out = user->stats;
	if (out && out->sz >= sizeof(size_t)) {
		size_t n = out->sz < sizeof(s->st) ? out->sz : sizeof(s->st);

		memcpy((char *)out + sizeof(size_t), (const char *)&s->st + sizeof(size_t), n - sizeof(size_t));
	}
	proc_sockets_free(s);
	proc_cgroups_free(s);
	free(s->sh);
	free(s->th);
	if (s->proc_fd >= 0)
		close(s->proc_fd);
}

/* Add a thread just read; count it. */
static int add_thread(struct proc_scan *s, bool leader)
{
	int rc = scap_platform__add_thread(s->p, &s->th->ti);

	if (rc < 0)
		return rc;
	s->st.nthreads++;
	if (leader)
		s->st.nprocs++;
	else if (s->th->partial)
		s->st.npartial++;
	return 0;
}

static void count(struct proc_scan *s, enum proc_rd rd)
{
	if (rd == PROC_RD_GONE)
		s->st.nvanished++;
	else if (rd == PROC_RD_KERNEL)
		s->st.nkernel++;
}

/* The non-leader threads of the process whose directory is dfd. */
static int scan_tasks(struct proc_scan *s, int dfd, uint64_t pid)
{
	int tfd = openat(dfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
	struct dirent *de;
	DIR *d;

	if (tfd < 0)
		return 0;
	d = fdopendir(tfd);
	if (!d) {
		close(tfd);
		return 0;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		const char *p = de->d_name;
		enum proc_rd rd;
		uint64_t tid;
		int td;

		if (!proc_parse_u64(&p, 10, &tid) || *p || tid == pid)
			continue;
		td = openat(tfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (td < 0) {
			s->st.nvanished++;
			continue;
		}
		rd = proc_read_thread(s, td, tid, false, s->sh, s->th);
		close(td);
		if (rd == PROC_RD_OK)
			rc = add_thread(s, false);
		else
			count(s, rd);
	}
	closedir(d);
	return rc;
}

/* One process: leader, fds, other threads. *rd says whether the leader made it in. */
static int scan_process(struct proc_scan *s, uint64_t pid, bool tasks, enum proc_rd *rd)
{
	char name[24];
	int dfd, rc;

	snprintf(name, sizeof(name), "%llu", (unsigned long long)pid);
	dfd = openat(s->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		*rd = PROC_RD_GONE;
		count(s, *rd);
		return 0;
	}
	*rd = proc_read_thread(s, dfd, pid, true, s->sh, s->th);
	if (*rd != PROC_RD_OK) {
		count(s, *rd);
		close(dfd);
		return 0;
	}
	rc = add_thread(s, true);
	if (rc == 0 && (s->what & SCAP_SCAN_FDS))
		rc = proc_scan_fds(s, dfd, pid, &s->th->partial);
	if (s->th->partial)
		s->st.npartial++; /* the leader: its thread files or its fds */
	if (rc == 0 && tasks)
		rc = scan_tasks(s, dfd, pid);
	close(dfd);
	return rc;
}

static int scan_all_processes(struct proc_scan *s)
{
	int fd = openat(s->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return scap_fail(errno, "proc scan: cannot list %s: %s", s->proc_root, strerror(errno));
	d = fdopendir(fd);
	if (!d) {
		int err = errno;

		close(fd);
		return scap_fail(err, "proc scan: cannot list %s: %s", s->proc_root, strerror(err));
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		const char *p = de->d_name;
		enum proc_rd rd;
		uint64_t pid;

		if (!proc_parse_u64(&p, 10, &pid) || *p || pid == 0)
			continue;
		rc = scan_process(s, pid, true, &rd);
		if (rc == 0 && s->deadline_ns && proc_now_ns() >= s->deadline_ns) {
			s->st.timed_out = true;
			break;
		}
	}
	closedir(d);
	return rc;
}

int scap_platform__scan(struct scap_platform *p, const struct scap_scan_opts *opts)
{
	uint64_t start = proc_now_ns();
	struct proc_scan s;
	int rc = scan_init(&s, p, opts);

	if (rc == 0 && (s.what & SCAP_SCAN_MACHINE))
		rc = proc_scan_machine(&s);
	if (rc == 0 && (s.what & SCAP_SCAN_IFACES)) {
		rc = proc_scan_ifaces(&s);
		if (rc < 0 && rc != -ENOMEM) {
			scap_log(SCAP_WARN, "proc scan: no interface list: %s", scap_last_error());
			rc = 0;
		}
	}
	if (rc == 0 && (s.what & SCAP_SCAN_USERS))
		rc = proc_scan_users(&s);
	if (rc == 0 && (s.what & SCAP_SCAN_THREADS))
		rc = scan_all_processes(&s);
	if (rc == 0) {
		scap_log(SCAP_DEBUG,
			 "proc scan of %s: %u processes, %u threads, %llu fds in %llu ms "
			 "(%u vanished, %u kernel/zombie, %u partial, %u unresolved sockets)%s",
			 s.proc_root, s.st.nprocs, s.st.nthreads, (unsigned long long)s.st.nfds,
			 (unsigned long long)((proc_now_ns() - start) / 1000000), s.st.nvanished, s.st.nkernel,
			 s.st.npartial, s.st.nsockets_unresolved, s.st.timed_out ? " TIMEOUT" : "");
		if (s.st.npartial)
			scap_log(SCAP_WARN,
				 "proc scan: %u processes only partly read (their fds or other /proc files are not "
				 "readable: a capture that is not root needs CAP_SYS_PTRACE to read them)",
				 s.st.npartial);
		if (s.st.timed_out)
			rc = SCAP_STATUS_TIMEOUT;
	}
	scan_fini(&s, opts, start);
	return rc;
}

int scap_platform__scan_pid(struct scap_platform *p, int64_t pid, const struct scap_scan_opts *opts)
{
	uint64_t start = proc_now_ns();
	struct proc_scan s;
	enum proc_rd rd = PROC_RD_GONE;
	int rc;

	if (pid <= 0)
		return scap_fail(EINVAL, "scan_pid: bad pid %lld", (long long)pid);
	rc = scan_init(&s, p, opts);
	if (rc == 0)
		rc = scan_process(&s, (uint64_t)pid, true, &rd);
	if (rc == 0 && rd != PROC_RD_OK)
		rc = scap_fail(ESRCH, "scan_pid: no process %lld in %s%s", (long long)pid, s.proc_root,
			       rd == PROC_RD_KERNEL ? " (kernel thread or zombie)" : "");
	scan_fini(&s, opts, start);
	return rc;
}

int scap_platform__scan_thread(struct scap_platform *p, int64_t tid, const struct scap_scan_opts *opts)
{
	uint64_t start = proc_now_ns();
	struct proc_scan s;
	enum proc_rd rd = PROC_RD_GONE;
	char name[64], buf[4096];
	uint64_t tgid = 0;
	int rc, dfd;

	if (tid <= 0)
		return scap_fail(EINVAL, "scan_thread: bad tid %lld", (long long)tid);
	rc = scan_init(&s, p, opts);
	if (rc == 0) {
		/* /proc/<tid> exists for any thread (hidden from readdir): its Tgid says which
		 * process it belongs to */
		snprintf(name, sizeof(name), "%lld/status", (long long)tid);
		if (proc_read_at(s.proc_fd, name, buf, sizeof(buf)) > 0) {
			const char *q = strstr(buf, "\nTgid:");

			if (q) {
				q += 6;
				if (!proc_parse_u64(&q, 10, &tgid))
					tgid = 0;
			}
		}
		if (tgid == (uint64_t)tid) {
			rc = scan_process(&s, tgid, false, &rd);
		} else if (tgid) {
			snprintf(name, sizeof(name), "%llu/task/%lld", (unsigned long long)tgid, (long long)tid);
			dfd = openat(s.proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (dfd >= 0) {
				s.sh->valid = false;
				s.sh->root[0] = 0;
				rd = proc_read_thread(&s, dfd, (uint64_t)tid, false, s.sh, s.th);
				close(dfd);
				if (rd == PROC_RD_OK)
					rc = add_thread(&s, false);
				else
					count(&s, rd);
			}
		}
	}
	if (rc == 0 && rd != PROC_RD_OK)
		rc = scap_fail(ESRCH, "scan_thread: no thread %lld in %s%s", (long long)tid, s.proc_root,
			       rd == PROC_RD_KERNEL ? " (kernel thread or zombie)" : "");
	scan_fini(&s, opts, start);
	return rc;
}
