/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
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

/** What a capture knows about the machine besides its events (opaque). */
struct scap_platform;
struct scap_capture;

/** Machine info: the .scap MI block. */
struct scap_machine_info {
	size_t sz;		    /**< sizeof(struct scap_machine_info) */
	uint32_t num_cpus;	    /**< CPUs */
	uint64_t memory_size_bytes; /**< physical memory (MemTotal) */
	uint64_t max_pid;	    /**< the kernel's pid_max */
	char hostname[128];	    /**< NUL-terminated (at most 127 characters kept) */
	uint64_t boot_ts_epoch;	    /**< ns since the epoch */
	uint64_t flags;		    /**< the MI block's flags, as read or to write (the /proc scan sets none) */
};

/** File-descriptor types (scap_fd_info.type), as stored in .scap fd lists. */
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

/** Layer-4 protocols of socket fds. */
enum scap_l4_proto {
	SCAP_L4_UNKNOWN = 0,
	SCAP_L4_NA = 1,
	SCAP_L4_TCP = 2,
	SCAP_L4_UDP = 3,
	SCAP_L4_ICMP = 4,
	SCAP_L4_RAW = 5,
};

/**
 * One fd. Which fields mean something depends on type:
 * - IPV4_SOCK: sip/dip (first 4 bytes, network order), sport/dport, l4proto;
 *   IPV6_SOCK: sip/dip (16 bytes), sport/dport, l4proto;
 * - IPV4_SERVSOCK / IPV6_SERVSOCK: sip (the bound address) and sport, l4proto;
 * - UNIX_SOCK: unix_source, unix_dest (kernel socket pointers) and name (the path);
 * - FILE_V2: open_flags (ppm O_* bits), name, dev;
 * - every other type: name.
 */
struct scap_fd_info {
	size_t sz;	      /**< sizeof(struct scap_fd_info) */
	int64_t fd;	      /**< the fd number */
	uint64_t ino;	      /**< inode number */
	uint32_t type;	      /**< enum scap_fd_type */
	uint32_t open_flags;  /**< FILE_V2: ppm O_* bits */
	uint32_t dev;	      /**< FILE_V2: device number */
	uint16_t sport;	      /**< sockets: source (or bound) port */
	uint16_t dport;	      /**< sockets: destination port */
	uint8_t l4proto;      /**< enum scap_l4_proto */
	uint8_t sip[16];      /**< sockets: source (or bound) address */
	uint8_t dip[16];      /**< sockets: destination address */
	uint64_t unix_source; /**< UNIX_SOCK: kernel pointer of this end */
	uint64_t unix_dest;   /**< UNIX_SOCK: kernel pointer of the peer */
	const char *name;     /**< never NULL ("" if none) */
};

/**
 * One thread of the process table: every field of the .scap PL_V9 entry. String fields are
 * NUL-terminated and never NULL; args/env/cgroups are sequences of NUL-terminated strings
 * ("a\0b\0") whose byte length is in the *_len field.
 */
struct scap_thread_info {
	size_t sz;			/**< sizeof(struct scap_thread_info) */
	uint64_t tid;			/**< thread id */
	uint64_t pid;			/**< process id (thread group id) */
	uint64_t ptid;			/**< parent's thread id */
	uint64_t sid;			/**< session id */
	uint64_t vpgid;			/**< process group id in the thread's pid namespace */
	int64_t pgid;			/**< process group id */
	const char *comm;		/**< command name */
	const char *exe;		/**< argv[0] */
	const char *exepath;		/**< the executable's path */
	const char *args;		/**< argv[1..] */
	uint32_t args_len;		/**< bytes of args */
	const char *cwd;		/**< working directory */
	uint64_t fdlimit;		/**< the soft limit of open files */
	uint32_t flags;			/**< ppm CL_* bits */
	uint32_t uid;			/**< effective user id */
	uint32_t gid;			/**< effective group id */
	uint32_t vmsize_kb;		/**< virtual memory size, KiB */
	uint32_t vmrss_kb;		/**< resident set size, KiB */
	uint32_t vmswap_kb;		/**< swapped-out memory, KiB */
	uint64_t pfmajor;		/**< major page faults */
	uint64_t pfminor;		/**< minor page faults */
	const char *env;		/**< the environment */
	uint32_t env_len;		/**< bytes of env */
	int64_t vtid;			/**< thread id in the thread's pid namespace */
	int64_t vpid;			/**< process id in the thread's pid namespace */
	const char *cgroups;		/**< "subsys=path" strings */
	uint32_t cgroups_len;		/**< bytes of cgroups */
	const char *root;		/**< root directory */
	uint64_t pidns_init_start_ts;	/**< start time of the init process of the thread's pid namespace */
	uint32_t tty;			/**< controlling terminal (device number), 0 if none */
	uint32_t loginuid;		/**< audit login uid */
	uint8_t exe_writable;		/**< the executable is writable by the thread */
	uint8_t exe_upper_layer;	/**< the executable is in an overlayfs upper layer */
	uint8_t exe_from_memfd;		/**< the executable is a memfd */
	uint8_t exe_lower_layer;	/**< the executable is in an overlayfs lower layer */
	uint64_t cap_inheritable;	/**< inheritable capabilities */
	uint64_t cap_permitted;		/**< permitted capabilities */
	uint64_t cap_effective;		/**< effective capabilities */
	uint64_t exe_ino;		/**< the executable's inode number */
	uint64_t exe_ino_ctime;		/**< the executable's inode change time, ns since the epoch */
	uint64_t exe_ino_mtime;		/**< the executable's modification time, ns since the epoch */
	uint32_t nfds;			/**< fds of this thread, in table order (read-only) */
	const struct scap_fd_info *fds; /**< the nfds fds */
};

/** Interface address types. */
enum scap_iface_type {
	SCAP_IFACE_IPV4 = 1, /**< an IPv4 address */
	SCAP_IFACE_IPV6 = 2, /**< an IPv6 address */
};

/** One address of a network interface. */
struct scap_iface_info {
	size_t sz;	     /**< sizeof(struct scap_iface_info) */
	uint16_t type;	     /**< enum scap_iface_type */
	uint8_t addr[16];    /**< IPv4: first 4 bytes, network order */
	uint8_t netmask[16]; /**< the netmask, as addr */
	uint8_t bcast[16];   /**< the broadcast address, as addr */
	uint64_t linkspeed;  /**< link speed in Mb/s, 0 if unknown */
	const char *name;    /**< the interface's name */
};

/** One user (passwd entry). */
struct scap_user_info {
	size_t sz;	     /**< sizeof(struct scap_user_info) */
	uint32_t uid;	     /**< user id */
	uint32_t gid;	     /**< primary group id */
	const char *name;    /**< user name */
	const char *homedir; /**< home directory */
	const char *shell;   /**< login shell */
};

/** One group (group entry). */
struct scap_group_info {
	size_t sz;	  /**< sizeof(struct scap_group_info) */
	uint32_t gid;	  /**< group id */
	const char *name; /**< group name */
};

/**
 * The capture's platform (owned by the capture, lives until scap_capture__close()), or NULL if
 * the engine keeps none. For files it is complete right after scap_capture__open_file().
 */
SCAP_API const struct scap_platform *scap_capture__platform(const struct scap_capture *cap);

/** An empty platform, to fill and hand to a dumper (NULL + errno on failure). */
SCAP_API SCAP_NODISCARD struct scap_platform *scap_platform__new(void);
/** A deep copy (NULL + errno on failure). */
SCAP_API SCAP_NODISCARD struct scap_platform *scap_platform__copy(const struct scap_platform *p);
/** Free a platform made by scap_platform__new() or scap_platform__copy(). */
SCAP_API void scap_platform__free(struct scap_platform *p);
/** Remove everything (machine info zeroed, all lists emptied). */
SCAP_API void scap_platform__clear(struct scap_platform *p);

/** Machine info (never NULL; zeroed if the source had none). */
SCAP_API const struct scap_machine_info *scap_platform__machine(const struct scap_platform *p);

/** The number of threads in the process table. */
SCAP_API uint32_t scap_platform__nthreads(const struct scap_platform *p);
/** Thread idx in [0, nthreads): table order. NULL if out of range. */
SCAP_API const struct scap_thread_info *scap_platform__thread(const struct scap_platform *p, uint32_t idx);
/** The thread with that tid, or NULL. */
SCAP_API const struct scap_thread_info *scap_platform__thread_by_tid(const struct scap_platform *p, uint64_t tid);

/** The number of interface addresses. */
SCAP_API uint32_t scap_platform__nifaces(const struct scap_platform *p);
/** Interface address idx in [0, nifaces), or NULL if out of range. */
SCAP_API const struct scap_iface_info *scap_platform__iface(const struct scap_platform *p, uint32_t idx);
/** The number of users. */
SCAP_API uint32_t scap_platform__nusers(const struct scap_platform *p);
/** User idx in [0, nusers), or NULL if out of range. */
SCAP_API const struct scap_user_info *scap_platform__user(const struct scap_platform *p, uint32_t idx);
/** The number of groups. */
SCAP_API uint32_t scap_platform__ngroups(const struct scap_platform *p);
/** Group idx in [0, ngroups), or NULL if out of range. */
SCAP_API const struct scap_group_info *scap_platform__group(const struct scap_platform *p, uint32_t idx);

/*
 * Filling a platform. Every add copies what it is given (strings included; a NULL string is
 * stored as ""), so the caller's memory can be reused at once. The info's sz says how much of
 * it the caller filled: fields past sz count as zero. The nfds/fds fields of a thread are
 * ignored by add_thread: add fds with add_fd. Return 0 or a negative errno.
 */
/** Set the machine info (copied; fields past mi->sz count as zero). 0 or a negative errno. */
SCAP_API int scap_platform__set_machine(struct scap_platform *p, const struct scap_machine_info *mi);
/**
 * Adds a thread (copied, strings included); a thread with the same tid is replaced (its fds
 * kept). The nfds/fds fields are ignored: add fds with scap_platform__add_fd(). 0 or a negative
 * errno.
 */
SCAP_API int scap_platform__add_thread(struct scap_platform *p, const struct scap_thread_info *ti);
/** Adds an fd (copied) to thread tid: 0, -ENOENT if the platform has no such thread, or a negative errno. */
SCAP_API int scap_platform__add_fd(struct scap_platform *p, uint64_t tid, const struct scap_fd_info *fi);
/** Adds an interface address (copied). 0 or a negative errno. */
SCAP_API int scap_platform__add_iface(struct scap_platform *p, const struct scap_iface_info *ii);
/** Adds a user (copied). 0 or a negative errno. */
SCAP_API int scap_platform__add_user(struct scap_platform *p, const struct scap_user_info *ui);
/** Adds a group (copied). 0 or a negative errno. */
SCAP_API int scap_platform__add_group(struct scap_platform *p, const struct scap_group_info *gi);

#ifdef __cplusplus
}
#endif
#endif /* SCAP_PLATFORM_H */
