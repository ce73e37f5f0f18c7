/* SPDX-License-Identifier: Apache-2.0 */
/* libscap-internal: the /proc scan (threads, fds, socket tables, cgroups, users, machine). */
#ifndef SCAP_PROC_INT_H
#define SCAP_PROC_INT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "scap/platform.h"
#include "scap/proc.h"

/* Upstream's limits for PL_V9 strings (longer ones are errors for upstream readers). */
#define PROC_MAX_PATH	 1024
#define PROC_MAX_ARGS	 4096
#define PROC_MAX_ENV	 4096
#define PROC_MAX_CGROUPS 4096
#define PROC_COMM_LEN	 16
#define PROC_MAX_GROUPS	 64

/* Outcome of reading one thread. */
enum proc_rd {
	PROC_RD_OK = 0,
	PROC_RD_GONE = 1,   /* exited while being read */
	PROC_RD_KERNEL = 2, /* kernel thread or zombie: left out */
};

/* Socket tables of one network namespace: inode -> socket, open addressing. */
struct proc_sock {
	uint64_t ino; /* 0 = empty slot */
	uint8_t type; /* enum scap_fd_type */
	uint8_t l4proto;
	uint16_t sport, dport;
	uint8_t sip[16], dip[16];
	uint64_t unix_source;
	char *path; /* unix: the bound path (malloc'd), NULL otherwise */
};

struct proc_socktab {
	uint64_t netns;
	struct proc_sock *slots;
	uint32_t cap, n;
};

/* cgroup v2: where the unified hierarchy is, and a cache of cgroup.controllers per directory. */
struct proc_cg_cache_ent {
	char *path;  /* relative cgroup path, "/" for the root; NULL = empty slot */
	char *ctrls; /* controllers, NUL-separated, ends with an empty string */
};

struct proc_cgroups {
	bool v2_probed;
	char v2_mount[PROC_MAX_PATH]; /* "" = no v2 hierarchy */
	char *root_ctrls;	      /* controllers of the v2 root (NUL-separated, "" ended) */
	struct proc_cg_cache_ent *cache;
	uint32_t cache_cap, cache_n;
};

/* What a scan knows while it runs. */
struct proc_scan {
	struct scap_platform *p;
	const char *proc_root;
	const char *etc_root;
	const char *sys_root;
	uint32_t what;
	uint32_t max_fds;
	uint64_t deadline_ns; /* CLOCK_MONOTONIC; 0 = none */
	struct scap_scan_stats st;
	int proc_fd; /* the proc root, O_DIRECTORY */
	bool live;   /* the proc root is this machine's /proc: syscalls may replace some reads */
	struct proc_socktab *nets;
	uint32_t nnets;
	struct proc_cgroups cg;
	struct proc_shared *sh; /* scratch for one process */
	struct proc_thread *th; /* scratch for one thread */
};

/*
 * Process-wide facts shared by the threads of one process (same mm, same exe): read once
 * for the leader and reused for its other threads.
 */
struct proc_shared {
	bool valid;
	char exe[PROC_MAX_PATH];
	char exepath[PROC_MAX_PATH];
	char args[PROC_MAX_ARGS];
	uint32_t args_len;
	char env[PROC_MAX_ENV];
	uint32_t env_len;
	uint64_t fdlimit;
	bool exe_ok; /* exe_st/exe_ro are valid */
	struct stat exe_st;
	bool exe_ro; /* exe on a read-only mount */
	uint8_t exe_upper, exe_lower, exe_from_memfd;
	char root[PROC_MAX_PATH];
	uint64_t pidns_init_start_ts;
};

/* One thread being read: the platform struct plus the storage its strings point into. */
struct proc_thread {
	struct scap_thread_info ti;
	char comm[PROC_COMM_LEN + 1];
	char cwd[PROC_MAX_PATH];
	char root[PROC_MAX_PATH];
	char cgroups[PROC_MAX_CGROUPS]; /* "subsys=path\0..." */
	uint32_t cgroups_len;
	uint32_t ngroups;
	uint32_t groups[PROC_MAX_GROUPS]; /* supplementary groups (for exe_writable) */
	bool partial;
};

/* ---------------------------------------------------------------------- util.c */
uint64_t proc_now_ns(void);
/* Read a (small) file relative to dfd into buf (cap bytes, NUL added after the data): a
 * /proc file that fills a read as far as it can, or a regular file, so that a short read is
 * the end. Returns the number of bytes read (<= cap - 1) or -errno. */
ssize_t proc_read_at(int dfd, const char *name, char *buf, size_t cap);
/* The same, reading until EOF (or cap - 1 bytes): for big multi-record files. */
ssize_t proc_read_all_at(int dfd, const char *name, char *buf, size_t cap);
/* readlinkat into buf, NUL-terminated; returns the length or -errno. */
ssize_t proc_readlink_at(int dfd, const char *name, char *buf, size_t cap);
/* Errors that mean "the process is gone". */
static inline bool proc_err_gone(int err)
{
	return err == -ENOENT || err == -ESRCH;
}
/* Parse an unsigned decimal/hex number at *s, skipping leading blanks; advances *s. */
bool proc_parse_u64(const char **s, int base, uint64_t *out);
/* Copy src (n bytes) into dst (cap), NUL-terminated, truncating. */
void proc_strlcpy(char *dst, const char *src, size_t n, size_t cap);
/* snprintf into a path buffer; false if it did not fit. */
bool proc_path(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---------------------------------------------------------------------- threads.c */
/*
 * Read the thread whose /proc directory is open at dfd. tid is the thread id, leader says
 * whether it is its process's leader (then *sh is filled; otherwise *sh, if valid, is reused).
 */
enum proc_rd proc_read_thread(struct proc_scan *s, int dfd, uint64_t tid, bool leader, struct proc_shared *sh,
			      struct proc_thread *t);

/* ---------------------------------------------------------------------- fds.c */
/* Add the fds of the process whose /proc directory is open at dfd to thread tid of s->p;
 * *partial is set if some could not be read. Returns 0 or a negative errno (only for ENOMEM
 * and platform failures). */
int proc_scan_fds(struct proc_scan *s, int dfd, uint64_t tid, bool *partial);

/* ---------------------------------------------------------------------- sockets.c */
/* The socket table of the network namespace of the process at dfd (read on first use). NULL
 * on ENOMEM. */
const struct proc_socktab *proc_sockets_for(struct proc_scan *s, int dfd);
const struct proc_sock *proc_socktab_find(const struct proc_socktab *t, uint64_t ino);
void proc_sockets_free(struct proc_scan *s);

/* ---------------------------------------------------------------------- cgroups.c */
/* Fill t->cgroups from the "cgroup" file at dfd. */
void proc_read_cgroups(struct proc_scan *s, int dfd, struct proc_thread *t);
void proc_cgroups_free(struct proc_scan *s);

/* ---------------------------------------------------------------------- sysinfo.c */
int proc_scan_machine(struct proc_scan *s);
int proc_scan_ifaces(struct proc_scan *s);
int proc_scan_users(struct proc_scan *s);

#endif
