/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * The /proc scan: the initial state of a live capture. It fills a platform (scap/platform.h)
 * with machine info, network interfaces, users and groups, and the process table — every
 * thread with the fields of a .scap PL_V9 entry, each process leader with its fds (threads share
 * their process's table, flagged CLONE_THREAD|CLONE_FILES, as upstream does).
 *
 * Everything the scan reads is under three roots that the options can move, so the same code
 * runs on a fake /proc tree (tests) or on a host's /proc mounted elsewhere:
 * - proc_root  "/proc" — processes, `/proc/<pid>/net/` socket tables, stat, meminfo, sys/kernel/
 * - etc_root   "/etc"  — passwd and group (parsed here, not through NSS)
 * - sys_root   "/sys"  — `class/net/<if>/speed`, fs/cgroup/ (cgroup v2 controllers)
 *
 * Interfaces always come from getifaddrs() of the calling process's network namespace.
 *
 * Processes come and go while the scan runs: one that vanishes half-way (ENOENT/ESRCH) is left
 * out and counted in the stats, never an error. Files the caller may not read (EACCES) leave
 * the matching fields empty/zero: the entry is kept, and counted as partial.
 *
 * Return values: 0, SCAP_STATUS_TIMEOUT when opts->timeout_ms cut the thread scan short (what
 * was scanned until then is in the platform), or a negative errno with a message in
 * scap_last_error(). A scan keeps no state between calls: scans of different platforms may run
 * in different threads at once.
 *
 * Where this scan knowingly differs from upstream's: it keeps processes some of whose files
 * are unreadable (upstream drops them); it keeps the link text as the name of anonymous-inode
 * fds ("anon_inode:[eventfd]"; upstream leaves it empty); netlink sockets are NETLINK fds; the
 * vpgid of a process in the initial pid namespace is its pgid (upstream: 0); exe_writable is
 * judged from the thread's credentials (uid, gid, supplementary groups, CAP_DAC_OVERRIDE) and a
 * read-only mount, without switching the caller's euid. cgroup namespaces are not resolved.
 */
#ifndef SCAP_PROC_H
#define SCAP_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "scap/common.h"
#include "scap/capture.h" /* SCAP_OPTS */
#include "scap/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What to scan (scap_scan_opts.what): plain values, for FFI declarations. */
enum scap_scan_what {
	SCAP_SCAN_THREADS = 1,	/**< the process table */
	SCAP_SCAN_FDS = 2,	/**< each process's fd table (implies THREADS) */
	SCAP_SCAN_SOCKETS = 4,	/**< socket fds, with tuples from `/proc/<pid>/net` (implies FDS);
				 * without it socket fds are left out, as upstream does */
	SCAP_SCAN_USERS = 8,	/**< users and groups */
	SCAP_SCAN_IFACES = 16,	/**< network interfaces */
	SCAP_SCAN_MACHINE = 32, /**< machine info */
	SCAP_SCAN_ALL = 63,	/**< all of the above */
};

/** Counters of one scan (filled if scap_scan_opts.stats is set). */
struct scap_scan_stats {
	size_t sz;		      /**< set by the caller to sizeof(struct scap_scan_stats) */
	uint32_t nprocs;	      /**< processes added */
	uint32_t nthreads;	      /**< threads added, process leaders included */
	uint64_t nfds;		      /**< fds added */
	uint32_t nvanished;	      /**< processes/threads that exited while being read (left out) */
	uint32_t nkernel;	      /**< kernel threads and zombies left out (no cmdline and no exe) */
	uint32_t npartial;	      /**< threads with some file unreadable (EACCES...): fields left empty */
	uint32_t nfds_vanished;	      /**< fds closed while being read */
	uint32_t nsockets_unresolved; /**< socket fds not in any `/proc/<pid>/net` table (left out) */
	uint32_t nusers;	      /**< users added */
	uint32_t ngroups;	      /**< groups added */
	uint32_t nifaces;	      /**< interface addresses added */
	bool timed_out;		      /**< the timeout stopped the thread scan */
	uint64_t duration_ns;	      /**< wall time of the whole call */
};

/** Options of the scans; declare them with SCAP_OPTS(). */
struct scap_scan_opts {
	size_t sz;		       /**< sizeof(struct scap_scan_opts): declare with SCAP_OPTS() */
	const char *proc_root;	       /**< NULL: "/proc" */
	const char *etc_root;	       /**< NULL: "/etc" */
	const char *sys_root;	       /**< NULL: "/sys" */
	uint32_t what;		       /**< SCAP_SCAN_* bits; 0: SCAP_SCAN_ALL (scan_pid/scan_thread use only
				* THREADS/FDS/SOCKETS) */
	uint32_t timeout_ms;	       /**< 0: no limit. Checked between processes. */
	uint32_t max_fds_per_proc;     /**< 0: no limit */
	struct scap_scan_stats *stats; /**< optional: counters of this call (its sz must be set),
					* filled when the call returns, failures included */
};

/**
 * Scan everything opts->what asks for into p. The scan ADDS to p: scan into a new or cleared
 * platform (scap_platform__clear) to rebuild the table. Order: machine info, interfaces, users
 * and groups, then processes in /proc order, each leader followed by its other threads.
 */
SCAP_API int scap_platform__scan(struct scap_platform *p, const struct scap_scan_opts *opts);

/**
 * Scan one process (its leader, its other threads and its fds) into p, e.g. for a process
 * that libsinsp meets in live mode and did not know at start. -ESRCH if there is no such
 * process (or it is a kernel thread/zombie). A thread already in p is replaced by the fresh
 * read; fds of p with an fd number it already has are kept as they were.
 */
SCAP_API int scap_platform__scan_pid(struct scap_platform *p, int64_t pid, const struct scap_scan_opts *opts);

/**
 * Read ONE thread (any tid, leader or not) into p, plus its fds if it is a process leader and
 * opts asks for FDS. -ESRCH if it does not exist (or is a kernel thread/zombie).
 */
SCAP_API int scap_platform__scan_thread(struct scap_platform *p, int64_t tid, const struct scap_scan_opts *opts);

/** Convert kernel open(2) flags (as in `/proc/<pid>/fdinfo` "flags:") to ppm O_* bits. */
SCAP_API uint32_t scap_proc__open_flags_to_ppm(uint32_t kernel_flags);

#ifdef __cplusplus
}
#endif
#endif /* SCAP_PROC_H */
