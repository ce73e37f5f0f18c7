/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inspector: a libscap capture plus the system state rebuilt from its events (threads,
 * fd tables, users, groups, containers), handing out enriched events.
 *
 * Lifetimes:
 * - sinsp_inspector__open() takes ownership of the capture (closed by sinsp_inspector__close()).
 * - Events from sinsp_inspector__next() are BORROWED: valid until the next call of next()/close().
 * - Threads and fds (struct sinsp_thread / struct sinsp_fd) are BORROWED from the state: valid
 *   until the next call of next()/close() (the state changes with every event).
 * - Strings returned by accessors live as long as the object they were read from.
 */
#ifndef SINSP_INSPECTOR_H
#define SINSP_INSPECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scap/scap.h"
#include "sinsp/common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sinsp_inspector;
struct sinsp_event;	     /* an event with its thread/fd context */
struct sinsp_thread;	     /* one thread's state */
struct sinsp_fd;	     /* one fd's state */
struct sinsp_filter;	     /* a compiled filter (libsinsp/filter, sinsp/filter.h) */
struct sinsp_container_opts; /* container metadata lookups (sinsp/container.h) */

/* Zero-fill options with SINSP_OPTS(sinsp_opts, o, .live = true); (sinsp/common.h) */

struct sinsp_opts {
	size_t sz;
	/* Live mode: unknown threads are read from /proc, the inspector's own process is excluded,
	 * users and groups come from /etc. Default: live iff the capture's engine is a live one. */
	int live;	  /* 0 = by engine, 1 = live, -1 = not live */
	int64_t self_pid; /* pid excluded in live mode; 0 = getpid() */
	bool debug;	  /* return the inspector's own events (live) and the internal ones (procinfo, ...) */
	const char *const *suppress_comms; /* events of threads with these comms are dropped */
	uint32_t n_suppress_comms;
	const int64_t *suppress_tids;
	uint32_t n_suppress_tids;
	uint32_t max_threads;  /* thread table capacity; 0 = 262144 */
	const char *proc_root; /* where /proc and /etc are read in live mode; NULL = "/" */
	/* Container and Kubernetes metadata from the runtimes (sinsp/container.h); NULL: the
	 * container id (and type) from the cgroups only, no lookups. */
	const struct sinsp_container_opts *containers;
};

/* NULL + errno on failure (message in sinsp_last_error()); the capture is closed then too. */
SINSP_API SINSP_NODISCARD struct sinsp_inspector *sinsp_inspector__open(struct scap_capture *cap,
									const struct sinsp_opts *opts);
SINSP_API void sinsp_inspector__close(struct sinsp_inspector *insp);
/* The underlying capture (borrowed; owned by the inspector). */
SINSP_API struct scap_capture *sinsp_inspector__capture(struct sinsp_inspector *insp);

/*
 * Next event that passes the filter. 0 with *evt set (borrowed until the next call),
 * SCAP_STATUS_TIMEOUT, SCAP_STATUS_EOF, or a negative errno.
 */
SINSP_API int sinsp_inspector__next(struct sinsp_inspector *insp, const struct sinsp_event **evt);

/*
 * Install a compiled filter (NULL removes it). The filter stays owned by the caller and must
 * outlive its use. Events flagged MODIFIES_STATE are parsed before filtering; all others are
 * filtered first (state is still kept consistent for them: see docs in the source).
 */
SINSP_API int sinsp_inspector__set_filter(struct sinsp_inspector *insp, struct sinsp_filter *filter);

/*
 * How %evt.outputtime prints in text outputs (sysdig's -t; JSON gives the ns timestamp always):
 * 'h' the time of day, "HH:MM:SS.nnnnnnnnn" (the default); 'a' seconds since the epoch
 * "S.N" (upstream prints N without zero padding); 'r' since the first event, "S.NNNNNNNNN";
 * 'd' "0.000000000" (upstream: enter/exit latency is no longer computed); 'D' since the previous
 * event this output printed, "S.NNNNNNNNN". -EINVAL for another mode.
 */
SINSP_API int sinsp_inspector__set_time_output_mode(struct sinsp_inspector *insp, char mode);

/* How data buffers (the PT_BYTEBUF parameters: read/write data, ...) print in evt.args,
 * evt.info and evt.arg.* (sysdig's -A, -x, -X, -b; the same text goes into JSON strings). */
enum sinsp_buffer_format {
	SINSP_BUFFER_DOTS = 0, /* the printable bytes, '.' for the others, at most 80 (default) */
	SINSP_BUFFER_EOLS,     /* -A: the printable bytes only and the line ends, after a newline */
	SINSP_BUFFER_HEX,      /* -x: rows of 16 bytes in hex */
	SINSP_BUFFER_HEXASCII, /* -X: rows in hex and as text */
	SINSP_BUFFER_BASE64,   /* -b: base64 */
};
/* Set the buffer format (enum sinsp_buffer_format); -EINVAL for an unknown one. */
SINSP_API int sinsp_inspector__set_buffer_format(struct sinsp_inspector *insp, int format);

/* Buffers and string arrays (argv, env, cgroups) in the dots format show at most this many
 * characters, "..." included (default 80); 0 shows them whole (sysdig's -v). */
#define SINSP_BUFFER_LIMIT_DEFAULT 80
SINSP_API int sinsp_inspector__set_buffer_limit(struct sinsp_inspector *insp, uint32_t limit);
/* Ports as service names (the services database, /etc/services; sysdig's -R): in the names of the
 * socket fds created from then on (fd.name) and in SOCKADDR and SOCKTUPLE arguments (evt.args,
 * evt.arg.*). Off by default. 0, or -EINVAL without an inspector. */
SINSP_API int sinsp_inspector__set_port_resolution(struct sinsp_inspector *insp, bool enable);

struct sinsp_stats {
	size_t sz;
	uint64_t n_events;     /* events read from the capture */
	uint64_t n_returned;   /* events returned by next() */
	uint64_t n_filtered;   /* dropped by the filter */
	uint64_t n_suppressed; /* dropped by comm/tid suppression */
	uint64_t n_self;       /* dropped by self-exclusion */
	uint64_t n_threads;    /* threads in the table now */
	uint64_t n_fds;	       /* fds in all tables now */
	uint64_t n_threads_removed;
	uint64_t n_threads_dropped; /* not tracked: the table was full */
	uint64_t n_internal;	    /* internal events (procinfo, drop, ...) parsed, not returned */
};
SINSP_API int sinsp_inspector__stats(struct sinsp_inspector *insp, struct sinsp_stats *st);
/* libscap's statistics of the capture (passthrough). */
SINSP_API int sinsp_inspector__scap_stats(struct sinsp_inspector *insp, struct scap_stats *st);

/* Suppression at run time. */
SINSP_API int sinsp_inspector__suppress_comm(struct sinsp_inspector *insp, const char *comm);
SINSP_API int sinsp_inspector__suppress_tid(struct sinsp_inspector *insp, int64_t tid);

/*
 * The state now as a platform (machine info and interfaces from the capture's platform, the live
 * threads with their fds, users and groups): what a .scap file started in the middle of a capture
 * writes, so that it reads on its own (sinsp_loop's rotated files do). out is cleared first.
 * 0 or a negative errno.
 */
SINSP_API int sinsp_inspector__export_platform(struct sinsp_inspector *insp, struct scap_platform *out);

/* ---- seeding the state (initial process table of a capture or of /proc) ---- */

struct sinsp_thread_seed {
	size_t sz;
	int64_t tid, pid, ptid, sid, vpgid, pgid, vtid, vpid;
	const char *comm, *exe, *exepath, *cwd, *root; /* NULL = empty ("/" for root) */
	const char *args;
	size_t args_len; /* NUL-separated argv[1..] */
	const char *env;
	size_t env_len; /* NUL-separated */
	const char *cgroups;
	size_t cgroups_len;	     /* NUL-separated "subsys=path" */
	uint32_t uid, gid, loginuid; /* euid, egid */
	int64_t fdlimit;
	uint64_t cap_permitted, cap_effective, cap_inheritable;
	uint32_t tty;
	uint64_t clone_ts;
};
/* Add or replace a thread. 0, -EINVAL, -ENOSPC (table full). */
SINSP_API int sinsp_inspector__add_thread(struct sinsp_inspector *insp, const struct sinsp_thread_seed *seed);

struct sinsp_fd_seed {
	size_t sz;
	int64_t fd;
	uint32_t type;	    /* enum scap_fd_type (scap/platform.h); FILE_V2 is taken as FILE */
	uint32_t openflags; /* ppm O_* bits */
	const char *name;   /* path, or NULL for sockets (the name is built from the tuple) */
	uint32_t dev;
	uint64_t ino;
	uint8_t l4proto;	  /* enum scap_l4_proto (scap/platform.h) */
	uint8_t sip[16], dip[16]; /* network order; IPv4 in the first 4 bytes */
	uint16_t sport, dport;
	uint64_t unix_src, unix_dst;
};
/* Add an fd to a thread's table (the thread must exist). 0, -ENOENT, -EINVAL, -ENOSPC. */
SINSP_API int sinsp_inspector__add_fd(struct sinsp_inspector *insp, int64_t tid, const struct sinsp_fd_seed *seed);

SINSP_API int sinsp_inspector__add_user(struct sinsp_inspector *insp, uint32_t uid, uint32_t gid, const char *name,
					const char *home, const char *shell);
SINSP_API int sinsp_inspector__add_group(struct sinsp_inspector *insp, uint32_t gid, const char *name);

/* ---- events ---- */
SINSP_API uint64_t sinsp_event__num(const struct sinsp_event *evt); /* evt.num: 1, 2, ... */
SINSP_API const struct scap_evt_hdr *sinsp_event__hdr(const struct sinsp_event *evt);
SINSP_API uint16_t sinsp_event__cpu(const struct sinsp_event *evt);
SINSP_API uint16_t sinsp_event__type(const struct sinsp_event *evt);
SINSP_API uint64_t sinsp_event__ts(const struct sinsp_event *evt);
SINSP_API int64_t sinsp_event__tid(const struct sinsp_event *evt);
/* evt.type: the table name, or the syscall name for generic events ("mprotect"). Static. */
SINSP_API const char *sinsp_event__name(const struct sinsp_event *evt);
/* The thread and fd of the event (NULL if none); borrowed like the event. */
SINSP_API const struct sinsp_thread *sinsp_event__thread(const struct sinsp_event *evt);
SINSP_API const struct sinsp_fd *sinsp_event__fd(const struct sinsp_event *evt);
SINSP_API int64_t sinsp_event__fdnum(const struct sinsp_event *evt); /* -1 if none */

/* ---- threads ---- */
SINSP_API const struct sinsp_thread *sinsp_inspector__thread(struct sinsp_inspector *insp, int64_t tid);
SINSP_API uint64_t sinsp_inspector__nthreads(struct sinsp_inspector *insp);
SINSP_API int64_t sinsp_thread__tid(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__pid(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__ptid(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__sid(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__pgid(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__vpgid(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__vtid(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__vpid(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__reaper_tid(const struct sinsp_thread *t);
SINSP_API const char *sinsp_thread__comm(const struct sinsp_thread *t);
SINSP_API const char *sinsp_thread__exe(const struct sinsp_thread *t);
SINSP_API const char *sinsp_thread__exepath(const struct sinsp_thread *t);
SINSP_API const char *sinsp_thread__cwd(const struct sinsp_thread *t); /* the process's cwd */
SINSP_API const char *sinsp_thread__root(const struct sinsp_thread *t);
SINSP_API uint32_t sinsp_thread__nargs(const struct sinsp_thread *t);
SINSP_API const char *sinsp_thread__arg(const struct sinsp_thread *t, uint32_t i);
SINSP_API uint32_t sinsp_thread__nenv(const struct sinsp_thread *t);
SINSP_API const char *sinsp_thread__env(const struct sinsp_thread *t, uint32_t i);
SINSP_API uint32_t sinsp_thread__uid(const struct sinsp_thread *t);
SINSP_API uint32_t sinsp_thread__gid(const struct sinsp_thread *t);
SINSP_API uint32_t sinsp_thread__loginuid(const struct sinsp_thread *t);
SINSP_API uint64_t sinsp_thread__cap(const struct sinsp_thread *t, int which); /* 0 perm, 1 eff, 2 inh */
SINSP_API uint32_t sinsp_thread__flags(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__fdlimit(const struct sinsp_thread *t);
SINSP_API uint32_t sinsp_thread__tty(const struct sinsp_thread *t);
SINSP_API bool sinsp_thread__dead(const struct sinsp_thread *t);
SINSP_API const char *sinsp_thread__container_id(const struct sinsp_thread *t);	     /* "host" or 12 hex */
SINSP_API const char *sinsp_thread__container_runtime(const struct sinsp_thread *t); /* "" on the host */
SINSP_API uint32_t sinsp_thread__nchildren(const struct sinsp_thread *t);
SINSP_API int64_t sinsp_thread__child(const struct sinsp_thread *t, uint32_t i);
SINSP_API uint32_t sinsp_thread__nfds(const struct sinsp_thread *t);
/* The i-th fd in increasing fd order, or NULL. */
SINSP_API const struct sinsp_fd *sinsp_thread__fd_at(const struct sinsp_thread *t, uint32_t i);
SINSP_API const struct sinsp_fd *sinsp_thread__fd(const struct sinsp_thread *t, int64_t fd);
/* true when the two threads use the same fd table (CLONE_FILES, threads of one process). */
SINSP_API bool sinsp_thread__shares_fds(const struct sinsp_thread *a, const struct sinsp_thread *b);

/* ---- fds ---- */
SINSP_API int64_t sinsp_fd__num(const struct sinsp_fd *f);
SINSP_API uint32_t sinsp_fd__type(const struct sinsp_fd *f);	   /* enum scap_fd_type; files: SCAP_FD_FILE */
SINSP_API const char *sinsp_fd__typestr(const struct sinsp_fd *f); /* fd.type: "file", "ipv4", ... */
SINSP_API char sinsp_fd__typechar(const struct sinsp_fd *f);
SINSP_API const char *sinsp_fd__name(const struct sinsp_fd *f);
SINSP_API const char *sinsp_fd__name_raw(const struct sinsp_fd *f);
SINSP_API uint32_t sinsp_fd__openflags(const struct sinsp_fd *f);
SINSP_API uint32_t sinsp_fd__flags(
	const struct sinsp_fd *f); /* FROM_PROC 1, CLIENT 4, SERVER 8, CONNECTED 8192, PENDING 32768, FAILED 65536 */
SINSP_API uint32_t sinsp_fd__dev(const struct sinsp_fd *f);
SINSP_API uint64_t sinsp_fd__ino(const struct sinsp_fd *f);
SINSP_API int64_t sinsp_fd__pid(const struct sinsp_fd *f);     /* pidfd target */
SINSP_API uint8_t sinsp_fd__l4proto(const struct sinsp_fd *f); /* enum scap_l4_proto; 0 for other fds */
/* Socket endpoints: client (sip/sport) and server (dip/dport); addr gets 16 bytes. */
SINSP_API int sinsp_fd__tuple(const struct sinsp_fd *f, uint8_t *sip, uint16_t *sport, uint8_t *dip, uint16_t *dport);
SINSP_API uint64_t sinsp_fd__unix_src(const struct sinsp_fd *f);
SINSP_API uint64_t sinsp_fd__unix_dst(const struct sinsp_fd *f);

/* ---- users and groups ---- */
SINSP_API const char *sinsp_inspector__user_name(struct sinsp_inspector *insp, uint32_t uid); /* NULL if unknown */
SINSP_API const char *sinsp_inspector__group_name(struct sinsp_inspector *insp, uint32_t gid);

#ifdef __cplusplus
}
#endif
#endif
