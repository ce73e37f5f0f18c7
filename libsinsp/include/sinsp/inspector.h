/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
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

/** An inspector: a capture and the state rebuilt from its events (opaque). */
struct sinsp_inspector;
/** An event with its thread/fd context (opaque; sinsp_event__*()). */
struct sinsp_event;
/** One thread's state (opaque; sinsp_thread__*()). */
struct sinsp_thread;
/** One fd's state (opaque; sinsp_fd__*()). */
struct sinsp_fd;
struct sinsp_filter;	     /* a compiled filter (libsinsp/filter, sinsp/filter.h) */
struct sinsp_container_opts; /* container metadata lookups (sinsp/container.h) */

/**
 * Options of sinsp_inspector__open(). Zero-fill options with SINSP_OPTS(sinsp_opts, o, .live = true);
 * (sinsp/common.h)
 *
 * Live mode: unknown threads are read from /proc, the inspector's own process is excluded,
 * users and groups come from /etc. Default: live iff the capture's engine is a live one.
 */
struct sinsp_opts {
	size_t sz;	  /**< sizeof(struct sinsp_opts) (SINSP_OPTS() sets it) */
	int live;	  /**< 0 = by engine, 1 = live, -1 = not live */
	int64_t self_pid; /**< pid excluded in live mode; 0 = getpid() */
	bool debug;	  /**< return the inspector's own events (live) and the internal ones (procinfo, ...) */
	const char *const *suppress_comms; /**< events of threads with these comms are dropped */
	uint32_t n_suppress_comms;	   /**< entries of suppress_comms */
	const int64_t *suppress_tids;	   /**< events of these threads are dropped */
	uint32_t n_suppress_tids;	   /**< entries of suppress_tids */
	uint32_t max_threads;		   /**< thread table capacity; 0 = 262144 */
	const char *proc_root;		   /**< where /proc and /etc are read in live mode; NULL = "/" */
	/**
	 * Container and Kubernetes metadata from the runtimes (sinsp/container.h); NULL: the
	 * container id (and type) from the cgroups only, no lookups.
	 */
	const struct sinsp_container_opts *containers;
};

/**
 * Open an inspector over a capture, which it takes over (closed by sinsp_inspector__close()).
 * NULL + errno on failure (message in sinsp_last_error()); the capture is closed then too.
 *
 * @param cap the capture
 * @param opts the options (SINSP_OPTS(sinsp_opts, ...))
 * @return the inspector, or NULL with errno set
 */
SINSP_API SINSP_NODISCARD struct sinsp_inspector *sinsp_inspector__open(struct scap_capture *cap,
									const struct sinsp_opts *opts);
/** Close the inspector, its capture and its state. */
SINSP_API void sinsp_inspector__close(struct sinsp_inspector *insp);
/** The underlying capture (borrowed; owned by the inspector). */
SINSP_API struct scap_capture *sinsp_inspector__capture(struct sinsp_inspector *insp);

/**
 * Next event that passes the filter.
 *
 * @param insp the inspector
 * @param[out] evt the event (borrowed until the next call)
 * @return 0 with *evt set, SCAP_STATUS_TIMEOUT, SCAP_STATUS_EOF, or a negative errno
 */
SINSP_API int sinsp_inspector__next(struct sinsp_inspector *insp, const struct sinsp_event **evt);

/**
 * Install a compiled filter (NULL removes it). The filter stays owned by the caller and must
 * outlive its use. Events flagged MODIFIES_STATE are parsed before filtering; all others are
 * filtered first (state is still kept consistent for them: see docs in the source).
 * 0, or -EINVAL without an inspector.
 */
SINSP_API int sinsp_inspector__set_filter(struct sinsp_inspector *insp, struct sinsp_filter *filter);

/**
 * How %evt.outputtime prints in text outputs (sysdig's -t; JSON gives the ns timestamp always):
 * 'h' the time of day, "HH:MM:SS.nnnnnnnnn" (the default); 'a' seconds since the epoch
 * "S.N" (upstream prints N without zero padding); 'r' since the first event, "S.NNNNNNNNN";
 * 'd' "0.000000000" (upstream: enter/exit latency is no longer computed); 'D' since the previous
 * event this output printed, "S.NNNNNNNNN". -EINVAL for another mode.
 */
SINSP_API int sinsp_inspector__set_time_output_mode(struct sinsp_inspector *insp, char mode);

/**
 * How data buffers (the PT_BYTEBUF parameters: read/write data, ...) print in evt.args,
 * evt.info and evt.arg.* (sysdig's -A, -x, -X, -b; the same text goes into JSON strings).
 */
enum sinsp_buffer_format {
	SINSP_BUFFER_DOTS = 0, /**< the printable bytes, '.' for the others, at most 80 (default) */
	SINSP_BUFFER_EOLS,     /**< -A: the printable bytes only and the line ends, after a newline */
	SINSP_BUFFER_HEX,      /**< -x: rows of 16 bytes in hex */
	SINSP_BUFFER_HEXASCII, /**< -X: rows in hex and as text */
	SINSP_BUFFER_BASE64,   /**< -b: base64 */
};
/** Set the buffer format (enum sinsp_buffer_format); -EINVAL for an unknown one. */
SINSP_API int sinsp_inspector__set_buffer_format(struct sinsp_inspector *insp, int format);

/**
 * Buffers and string arrays (argv, env, cgroups) in the dots format show at most this many
 * characters, "..." included (default 80); 0 shows them whole (sysdig's -v).
 */
#define SINSP_BUFFER_LIMIT_DEFAULT 80
/**
 * Set how many characters buffers and string arrays show in the dots format
 * (SINSP_BUFFER_LIMIT_DEFAULT); 0 shows them whole. 0, or -EINVAL without an inspector.
 */
SINSP_API int sinsp_inspector__set_buffer_limit(struct sinsp_inspector *insp, uint32_t limit);
/**
 * Ports as service names (the services database, /etc/services; sysdig's -R): in the names of the
 * socket fds created from then on (fd.name) and in SOCKADDR and SOCKTUPLE arguments (evt.args,
 * evt.arg.*). Off by default. 0, or -EINVAL without an inspector.
 */
SINSP_API int sinsp_inspector__set_port_resolution(struct sinsp_inspector *insp, bool enable);

/** Statistics of an inspector (sinsp_inspector__stats()). */
struct sinsp_stats {
	size_t sz;		    /**< set by the caller to sizeof(struct sinsp_stats) */
	uint64_t n_events;	    /**< events read from the capture */
	uint64_t n_returned;	    /**< events returned by next() */
	uint64_t n_filtered;	    /**< dropped by the filter */
	uint64_t n_suppressed;	    /**< dropped by comm/tid suppression */
	uint64_t n_self;	    /**< dropped by self-exclusion */
	uint64_t n_threads;	    /**< threads in the table now */
	uint64_t n_fds;		    /**< fds in all tables now */
	uint64_t n_threads_removed; /**< threads removed from the table */
	uint64_t n_threads_dropped; /**< not tracked: the table was full */
	uint64_t n_internal;	    /**< internal events (procinfo, drop, ...) parsed, not returned */
};
/** Fill st (its sz set by the caller). 0 or -EINVAL. */
SINSP_API int sinsp_inspector__stats(struct sinsp_inspector *insp, struct sinsp_stats *st);
/** libscap's statistics of the capture (passthrough: scap_capture__stats()). */
SINSP_API int sinsp_inspector__scap_stats(struct sinsp_inspector *insp, struct scap_stats *st);

/** Suppression at run time: drop the events of threads with this comm. 0 or -EINVAL. */
SINSP_API int sinsp_inspector__suppress_comm(struct sinsp_inspector *insp, const char *comm);
/** Suppression at run time: drop the events of this thread. 0 or -EINVAL. */
SINSP_API int sinsp_inspector__suppress_tid(struct sinsp_inspector *insp, int64_t tid);

/**
 * The state now as a platform (machine info and interfaces from the capture's platform, the live
 * threads with their fds, users and groups): what a .scap file started in the middle of a capture
 * writes, so that it reads on its own (sinsp_loop's rotated files do). out is cleared first.
 * 0 or a negative errno.
 */
SINSP_API int sinsp_inspector__export_platform(struct sinsp_inspector *insp, struct scap_platform *out);

/* ---- seeding the state (initial process table of a capture or of /proc) ---- */

/** One thread to add to the state with sinsp_inspector__add_thread(). */
struct sinsp_thread_seed {
	size_t sz;		  /**< sizeof(struct sinsp_thread_seed) */
	int64_t tid;		  /**< thread id */
	int64_t pid;		  /**< process id */
	int64_t ptid;		  /**< parent's thread id */
	int64_t sid;		  /**< session id */
	int64_t vpgid;		  /**< process group id in the thread's pid namespace */
	int64_t pgid;		  /**< process group id */
	int64_t vtid;		  /**< thread id in the thread's pid namespace */
	int64_t vpid;		  /**< process id in the thread's pid namespace */
	const char *comm;	  /**< command name; NULL = empty */
	const char *exe;	  /**< argv[0]; NULL = empty */
	const char *exepath;	  /**< the executable's path; NULL = empty */
	const char *cwd;	  /**< working directory; NULL = empty */
	const char *root;	  /**< root directory; NULL = "/" */
	const char *args;	  /**< argv[1..], NUL-separated */
	size_t args_len;	  /**< bytes of args */
	const char *env;	  /**< the environment, NUL-separated */
	size_t env_len;		  /**< bytes of env */
	const char *cgroups;	  /**< NUL-separated "subsys=path" */
	size_t cgroups_len;	  /**< bytes of cgroups */
	uint32_t uid;		  /**< euid */
	uint32_t gid;		  /**< egid */
	uint32_t loginuid;	  /**< audit login uid */
	int64_t fdlimit;	  /**< the soft limit of open files */
	uint64_t cap_permitted;	  /**< permitted capabilities */
	uint64_t cap_effective;	  /**< effective capabilities */
	uint64_t cap_inheritable; /**< inheritable capabilities */
	uint32_t tty;		  /**< controlling terminal (device number) */
	uint64_t clone_ts;	  /**< when the thread was created, ns since the epoch */
};
/** Add or replace a thread. 0, -EINVAL, -ENOSPC (table full). */
SINSP_API int sinsp_inspector__add_thread(struct sinsp_inspector *insp, const struct sinsp_thread_seed *seed);

/** One fd to add to a thread's table with sinsp_inspector__add_fd(). */
struct sinsp_fd_seed {
	size_t sz;	    /**< sizeof(struct sinsp_fd_seed) */
	int64_t fd;	    /**< the fd number */
	uint32_t type;	    /**< enum scap_fd_type (scap/platform.h); SCAP_FD_FILE_V2 is taken as SCAP_FD_FILE */
	uint32_t openflags; /**< ppm O_* bits */
	const char *name;   /**< path, or NULL for sockets (the name is built from the tuple) */
	uint32_t dev;	    /**< device number */
	uint64_t ino;	    /**< inode number */
	uint8_t l4proto;    /**< a socket's enum scap_l4_proto (SCAP_L4_TCP ... SCAP_L4_RAW); 0 for other fds */
	uint8_t sip[16];    /**< source address, network order; IPv4 in the first 4 bytes */
	uint8_t dip[16];    /**< destination address, network order; IPv4 in the first 4 bytes */
	uint16_t sport;	    /**< source port */
	uint16_t dport;	    /**< destination port */
	uint64_t unix_src;  /**< UNIX sockets: kernel pointer of this end */
	uint64_t unix_dst;  /**< UNIX sockets: kernel pointer of the peer */
};
/** Add an fd to a thread's table (the thread must exist). 0, -ENOENT, -EINVAL, -ENOSPC. */
SINSP_API int sinsp_inspector__add_fd(struct sinsp_inspector *insp, int64_t tid, const struct sinsp_fd_seed *seed);

/**
 * Add or replace a user (home and shell may be NULL: empty). 0, or -EINVAL without an inspector
 * or a name.
 */
SINSP_API int sinsp_inspector__add_user(struct sinsp_inspector *insp, uint32_t uid, uint32_t gid, const char *name,
					const char *home, const char *shell);
/** Add or replace a group. 0, or -EINVAL without an inspector or a name. */
SINSP_API int sinsp_inspector__add_group(struct sinsp_inspector *insp, uint32_t gid, const char *name);

/* ---- events ---- */
/** evt.num: 1, 2, ... */
SINSP_API uint64_t sinsp_event__num(const struct sinsp_event *evt);
/** The event's wire bytes: header, length slots and parameters (borrowed like the event). */
SINSP_API const struct scap_evt_hdr *sinsp_event__hdr(const struct sinsp_event *evt);
/** The event's CPU (buffer) index: evt.cpu. */
SINSP_API uint16_t sinsp_event__cpu(const struct sinsp_event *evt);
/** The event type id (SCAP_EVT_*). */
SINSP_API uint16_t sinsp_event__type(const struct sinsp_event *evt);
/** The event's timestamp, ns since the epoch. */
SINSP_API uint64_t sinsp_event__ts(const struct sinsp_event *evt);
/** The id of the thread that made the event. */
SINSP_API int64_t sinsp_event__tid(const struct sinsp_event *evt);
/** evt.type: the table name, or the syscall name for generic events ("mprotect"). Static. */
SINSP_API const char *sinsp_event__name(const struct sinsp_event *evt);
/** The thread of the event (NULL if none); borrowed like the event. */
SINSP_API const struct sinsp_thread *sinsp_event__thread(const struct sinsp_event *evt);
/** The fd of the event (NULL if none); borrowed like the event. */
SINSP_API const struct sinsp_fd *sinsp_event__fd(const struct sinsp_event *evt);
/** The number of the event's fd, -1 if none. */
SINSP_API int64_t sinsp_event__fdnum(const struct sinsp_event *evt);

/* ---- threads ---- */
/** The thread with that tid, or NULL (borrowed until the next call of next()/close()). */
SINSP_API const struct sinsp_thread *sinsp_inspector__thread(struct sinsp_inspector *insp, int64_t tid);
/** The number of threads in the table. */
SINSP_API uint64_t sinsp_inspector__nthreads(struct sinsp_inspector *insp);
/** thread.tid */
SINSP_API int64_t sinsp_thread__tid(const struct sinsp_thread *t);
/** The process id (proc.pid). */
SINSP_API int64_t sinsp_thread__pid(const struct sinsp_thread *t);
/** The parent's thread id. */
SINSP_API int64_t sinsp_thread__ptid(const struct sinsp_thread *t);
/** The session id. */
SINSP_API int64_t sinsp_thread__sid(const struct sinsp_thread *t);
/** The process group id. */
SINSP_API int64_t sinsp_thread__pgid(const struct sinsp_thread *t);
/** The process group id in the thread's pid namespace. */
SINSP_API int64_t sinsp_thread__vpgid(const struct sinsp_thread *t);
/** The thread id in the thread's pid namespace. */
SINSP_API int64_t sinsp_thread__vtid(const struct sinsp_thread *t);
/** The process id in the thread's pid namespace. */
SINSP_API int64_t sinsp_thread__vpid(const struct sinsp_thread *t);
/** The reaper of the thread's children, from its procexit event (-1 before it exits). */
SINSP_API int64_t sinsp_thread__reaper_tid(const struct sinsp_thread *t);
/** The command name. */
SINSP_API const char *sinsp_thread__comm(const struct sinsp_thread *t);
/** argv[0]. */
SINSP_API const char *sinsp_thread__exe(const struct sinsp_thread *t);
/** The executable's path. */
SINSP_API const char *sinsp_thread__exepath(const struct sinsp_thread *t);
/** The process's cwd. */
SINSP_API const char *sinsp_thread__cwd(const struct sinsp_thread *t);
/** The root directory. */
SINSP_API const char *sinsp_thread__root(const struct sinsp_thread *t);
/** The number of arguments (argv[1..]). */
SINSP_API uint32_t sinsp_thread__nargs(const struct sinsp_thread *t);
/** Argument i in [0, nargs) (argv[i + 1]), or NULL. */
SINSP_API const char *sinsp_thread__arg(const struct sinsp_thread *t, uint32_t i);
/** The number of environment entries. */
SINSP_API uint32_t sinsp_thread__nenv(const struct sinsp_thread *t);
/** Environment entry i in [0, nenv) ("NAME=value"), or NULL. */
SINSP_API const char *sinsp_thread__env(const struct sinsp_thread *t, uint32_t i);
/** The effective user id. */
SINSP_API uint32_t sinsp_thread__uid(const struct sinsp_thread *t);
/** The effective group id. */
SINSP_API uint32_t sinsp_thread__gid(const struct sinsp_thread *t);
/** The audit login uid. */
SINSP_API uint32_t sinsp_thread__loginuid(const struct sinsp_thread *t);
/** Capabilities: which 0 permitted, 1 effective, 2 inheritable. */
SINSP_API uint64_t sinsp_thread__cap(const struct sinsp_thread *t, int which);
/** The ppm CL_* bits of the thread's last clone/exec. */
SINSP_API uint32_t sinsp_thread__flags(const struct sinsp_thread *t);
/** The soft limit of open files. */
SINSP_API int64_t sinsp_thread__fdlimit(const struct sinsp_thread *t);
/** The controlling terminal (device number). */
SINSP_API uint32_t sinsp_thread__tty(const struct sinsp_thread *t);
/** true once the thread has exited (its procexit event was seen). */
SINSP_API bool sinsp_thread__dead(const struct sinsp_thread *t);
/** container.id: "host" or 12 hex. */
SINSP_API const char *sinsp_thread__container_id(const struct sinsp_thread *t);
/** The container's runtime: "" on the host. */
SINSP_API const char *sinsp_thread__container_runtime(const struct sinsp_thread *t);
/** The number of child threads in the table. */
SINSP_API uint32_t sinsp_thread__nchildren(const struct sinsp_thread *t);
/** The tid of child i in [0, nchildren), or -1. */
SINSP_API int64_t sinsp_thread__child(const struct sinsp_thread *t, uint32_t i);
/** The number of fds in the thread's table. */
SINSP_API uint32_t sinsp_thread__nfds(const struct sinsp_thread *t);
/** The i-th fd in increasing fd order, or NULL. */
SINSP_API const struct sinsp_fd *sinsp_thread__fd_at(const struct sinsp_thread *t, uint32_t i);
/** The fd with that number, or NULL. */
SINSP_API const struct sinsp_fd *sinsp_thread__fd(const struct sinsp_thread *t, int64_t fd);
/** true when the two threads use the same fd table (CLONE_FILES, threads of one process). */
SINSP_API bool sinsp_thread__shares_fds(const struct sinsp_thread *a, const struct sinsp_thread *b);

/* ---- fds ---- */
/** The fd number (fd.num). */
SINSP_API int64_t sinsp_fd__num(const struct sinsp_fd *f);
/** The fd's type: enum scap_fd_type (scap/platform.h); files are SCAP_FD_FILE, never FILE_V2. */
SINSP_API uint32_t sinsp_fd__type(const struct sinsp_fd *f);
/** fd.type: "file", "ipv4", ... */
SINSP_API const char *sinsp_fd__typestr(const struct sinsp_fd *f);
/** fd.typechar: the type's letter. */
SINSP_API char sinsp_fd__typechar(const struct sinsp_fd *f);
/** fd.name: the resolved name (path, tuple, ...). */
SINSP_API const char *sinsp_fd__name(const struct sinsp_fd *f);
/** The path as the syscall gave it. */
SINSP_API const char *sinsp_fd__name_raw(const struct sinsp_fd *f);
/** The ppm O_* bits of the open. */
SINSP_API uint32_t sinsp_fd__openflags(const struct sinsp_fd *f);
/** State flags: FROM_PROC 1, CLIENT 4, SERVER 8, CONNECTED 8192, PENDING 32768, FAILED 65536. */
SINSP_API uint32_t sinsp_fd__flags(const struct sinsp_fd *f);
/** The device number. */
SINSP_API uint32_t sinsp_fd__dev(const struct sinsp_fd *f);
/** The inode number. */
SINSP_API uint64_t sinsp_fd__ino(const struct sinsp_fd *f);
/** The pid a pidfd refers to. */
SINSP_API int64_t sinsp_fd__pid(const struct sinsp_fd *f); /* pidfd target */
SINSP_API uint8_t sinsp_fd__l4proto(const struct sinsp_fd *f);
/* Socket endpoints: client (sip/sport) and server (dip/dport); addr gets 16 bytes. */
SINSP_API int sinsp_fd__tuple(const struct sinsp_fd *f, uint8_t *sip, uint16_t *sport, uint8_t *dip, uint16_t *dport);
/**
 * @fn uint8_t sinsp_fd__l4proto(const struct sinsp_fd *f)
 * The layer-4 protocol of a socket fd: enum scap_l4_proto (scap/platform.h), SCAP_L4_UNKNOWN (0)
 * for other fds.
 *
 * @fn int sinsp_fd__tuple(const struct sinsp_fd *f, uint8_t *sip, uint16_t *sport, uint8_t *dip, uint16_t *dport)
 * Socket endpoints: client (sip/sport) and server (dip/dport); each address gets 16 bytes (IPv4 in
 * the first 4). Any pointer may be NULL.
 *
 * @return the address family (2 IPv4, 10 IPv6), or -EINVAL for an fd that is no IP socket
 */
/** UNIX sockets: the kernel pointer of this end. */
SINSP_API uint64_t sinsp_fd__unix_src(const struct sinsp_fd *f);
/** UNIX sockets: the kernel pointer of the peer. */
SINSP_API uint64_t sinsp_fd__unix_dst(const struct sinsp_fd *f);

/* ---- users and groups ---- */
/** The name of a user, NULL if unknown. */
SINSP_API const char *sinsp_inspector__user_name(struct sinsp_inspector *insp, uint32_t uid);
/** The name of a group, NULL if unknown. */
SINSP_API const char *sinsp_inspector__group_name(struct sinsp_inspector *insp, uint32_t gid);

#ifdef __cplusplus
}
#endif
#endif
