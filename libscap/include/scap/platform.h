/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The platform: what a capture knows about the machine besides its events — machine info,
 * network interfaces, users, groups, and the process table (threads, each with its fds).
 *
 * The same object is filled from a .scap file's metadata blocks (file engine) or from a live
 * scan of /proc (live engines), and it is what the dumper writes at the head of a .scap file.
 * It is engine-neutral: get a capture's platform with scap_capture__platform(), or build one
 * yourself with scap_platform__new() and the add functions.
 *
 * Public structs are small ABI structs starting with `size_t sz` (no unions, no bitfields), so
 * cffi can read them. Getters return pointers OWNED by the platform; they stay valid until the
 * platform is modified (an add/clear call, or — for a capture's platform — until the file
 * engine meets a new section header in a concatenated file, which restarts the metadata) or
 * freed. Copy what you keep.
 *
 * Threads: a platform is not locked. Reading it from several threads at once is fine only while
 * nobody modifies it; scap_platform__thread_by_tid() may build its lookup index on first use, so
 * call it once from one thread before sharing a platform that was just filled.
 */
#ifndef SCAP_PLATFORM_H
#define SCAP_PLATFORM_H

#include <stdint.h>

#include "scap/common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct scap_platform;
struct scap_capture;

struct scap_machine_info {
	size_t sz;
	uint32_t num_cpus;
	uint64_t memory_size_bytes;
	uint64_t max_pid;
	char hostname[128];	/* NUL-terminated (at most 127 characters kept) */
	uint64_t boot_ts_epoch; /* ns since the epoch */
	uint64_t flags;
};

/* File-descriptor types (scap_fd_info.type), as stored in .scap fd lists. */
enum scap_fd_type {
	SCAP_FD_UNKNOWN = 0,
	SCAP_FD_FILE = 1,
	SCAP_FD_DIRECTORY = 2,
	SCAP_FD_IPV4_SOCK = 3,
	SCAP_FD_IPV6_SOCK = 4,
	SCAP_FD_IPV4_SERVSOCK = 5,
	SCAP_FD_IPV6_SERVSOCK = 6,
	SCAP_FD_FIFO = 7,
	SCAP_FD_UNIX_SOCK = 8,
	SCAP_FD_EVENT = 9,
	SCAP_FD_UNSUPPORTED = 10,
	SCAP_FD_SIGNALFD = 11,
	SCAP_FD_EVENTPOLL = 12,
	SCAP_FD_INOTIFY = 13,
	SCAP_FD_TIMERFD = 14,
	SCAP_FD_NETLINK = 15,
	SCAP_FD_FILE_V2 = 16,
	SCAP_FD_BPF = 17,
	SCAP_FD_USERFAULTFD = 18,
	SCAP_FD_IOURING = 19,
	SCAP_FD_MEMFD = 20,
	SCAP_FD_PIDFD = 21,
	SCAP_FD_TYPE_MAX = 22,
};

/* Layer-4 protocols of socket fds. */
enum scap_l4_proto {
	SCAP_L4_UNKNOWN = 0,
	SCAP_L4_NA = 1,
	SCAP_L4_TCP = 2,
	SCAP_L4_UDP = 3,
	SCAP_L4_ICMP = 4,
	SCAP_L4_RAW = 5,
};

/*
 * One fd. Which fields mean something depends on type:
 * - IPV4_SOCK: sip/dip (first 4 bytes, network order), sport/dport, l4proto;
 *   IPV6_SOCK: sip/dip (16 bytes), sport/dport, l4proto;
 * - IPV4_SERVSOCK / IPV6_SERVSOCK: sip (the bound address) and sport, l4proto;
 * - UNIX_SOCK: unix_source, unix_dest (kernel socket pointers) and name (the path);
 * - FILE_V2: open_flags (ppm O_* bits), name, dev;
 * - every other type: name.
 */
struct scap_fd_info {
	size_t sz;
	int64_t fd;
	uint64_t ino;
	uint32_t type; /* enum scap_fd_type */
	uint32_t open_flags;
	uint32_t dev;
	uint16_t sport;
	uint16_t dport;
	uint8_t l4proto; /* enum scap_l4_proto */
	uint8_t sip[16];
	uint8_t dip[16];
	uint64_t unix_source;
	uint64_t unix_dest;
	const char *name; /* never NULL ("" if none) */
};

/*
 * One thread of the process table: every field of the .scap PL_V9 entry. String fields are
 * NUL-terminated and never NULL; args/env/cgroups are sequences of NUL-terminated strings
 * ("a\0b\0") whose byte length is in the *_len field.
 */
struct scap_thread_info {
	size_t sz;
	uint64_t tid;
	uint64_t pid;
	uint64_t ptid;
	uint64_t sid;
	uint64_t vpgid;
	int64_t pgid;
	const char *comm;
	const char *exe;
	const char *exepath;
	const char *args;
	uint32_t args_len;
	const char *cwd;
	uint64_t fdlimit;
	uint32_t flags; /* ppm CL_* bits */
	uint32_t uid;
	uint32_t gid;
	uint32_t vmsize_kb;
	uint32_t vmrss_kb;
	uint32_t vmswap_kb;
	uint64_t pfmajor;
	uint64_t pfminor;
	const char *env;
	uint32_t env_len;
	int64_t vtid;
	int64_t vpid;
	const char *cgroups;
	uint32_t cgroups_len;
	const char *root;
	uint64_t pidns_init_start_ts;
	uint32_t tty;
	uint32_t loginuid;
	uint8_t exe_writable;
	uint8_t exe_upper_layer;
	uint8_t exe_from_memfd;
	uint8_t exe_lower_layer;
	uint64_t cap_inheritable;
	uint64_t cap_permitted;
	uint64_t cap_effective;
	uint64_t exe_ino;
	uint64_t exe_ino_ctime;
	uint64_t exe_ino_mtime;
	uint32_t nfds; /* fds of this thread, in table order (read-only) */
	const struct scap_fd_info *fds;
};

/* Interface address types. */
enum scap_iface_type {
	SCAP_IFACE_IPV4 = 1,
	SCAP_IFACE_IPV6 = 2,
};

struct scap_iface_info {
	size_t sz;
	uint16_t type;	  /* enum scap_iface_type */
	uint8_t addr[16]; /* IPv4: first 4 bytes, network order */
	uint8_t netmask[16];
	uint8_t bcast[16];
	uint64_t linkspeed;
	const char *name;
};

struct scap_user_info {
	size_t sz;
	uint32_t uid;
	uint32_t gid;
	const char *name;
	const char *homedir;
	const char *shell;
};

struct scap_group_info {
	size_t sz;
	uint32_t gid;
	const char *name;
};

/* The capture's platform (owned by the capture, lives until scap_capture__close()), or NULL if
 * the engine keeps none. For files it is complete right after scap_capture__open_file(). */
SCAP_API const struct scap_platform *scap_capture__platform(const struct scap_capture *cap);

/* An empty platform, to fill and hand to a dumper (NULL + errno on failure). */
SCAP_API SCAP_NODISCARD struct scap_platform *scap_platform__new(void);
/* A deep copy (NULL + errno on failure). */
SCAP_API SCAP_NODISCARD struct scap_platform *scap_platform__copy(const struct scap_platform *p);
SCAP_API void scap_platform__free(struct scap_platform *p);
/* Remove everything (machine info zeroed, all lists emptied). */
SCAP_API void scap_platform__clear(struct scap_platform *p);

/* Machine info (never NULL; zeroed if the source had none). */
SCAP_API const struct scap_machine_info *scap_platform__machine(const struct scap_platform *p);

SCAP_API uint32_t scap_platform__nthreads(const struct scap_platform *p);
/* idx in [0, nthreads): table order. NULL if out of range. */
SCAP_API const struct scap_thread_info *scap_platform__thread(const struct scap_platform *p, uint32_t idx);
/* The thread with that tid, or NULL. */
SCAP_API const struct scap_thread_info *scap_platform__thread_by_tid(const struct scap_platform *p, uint64_t tid);

SCAP_API uint32_t scap_platform__nifaces(const struct scap_platform *p);
SCAP_API const struct scap_iface_info *scap_platform__iface(const struct scap_platform *p, uint32_t idx);
SCAP_API uint32_t scap_platform__nusers(const struct scap_platform *p);
SCAP_API const struct scap_user_info *scap_platform__user(const struct scap_platform *p, uint32_t idx);
SCAP_API uint32_t scap_platform__ngroups(const struct scap_platform *p);
SCAP_API const struct scap_group_info *scap_platform__group(const struct scap_platform *p, uint32_t idx);

/*
 * Filling a platform. Every add copies what it is given (strings included; a NULL string is
 * stored as ""), so the caller's memory can be reused at once. The info's sz says how much of
 * it the caller filled: fields past sz count as zero. The nfds/fds fields of a thread are
 * ignored by add_thread: add fds with add_fd. Return 0 or a negative errno.
 */
SCAP_API int scap_platform__set_machine(struct scap_platform *p, const struct scap_machine_info *mi);
/* Adds a thread; a thread with the same tid is replaced (its fds kept). */
SCAP_API int scap_platform__add_thread(struct scap_platform *p, const struct scap_thread_info *ti);
/* Adds an fd to thread tid (-ENOENT if the platform has no such thread). */
SCAP_API int scap_platform__add_fd(struct scap_platform *p, uint64_t tid, const struct scap_fd_info *fi);
SCAP_API int scap_platform__add_iface(struct scap_platform *p, const struct scap_iface_info *ii);
SCAP_API int scap_platform__add_user(struct scap_platform *p, const struct scap_user_info *ui);
SCAP_API int scap_platform__add_group(struct scap_platform *p, const struct scap_group_info *gi);

#ifdef __cplusplus
}
#endif
#endif /* SCAP_PLATFORM_H */
