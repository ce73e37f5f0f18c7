/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * The capture lifecycle, in libpcap's shape: open (live engine, .scap file or synthetic test
 * input) -> configure -> start -> next / next_batch -> stats -> close. One handle type serves
 * every engine.
 *
 * Events returned by next() and next_batch() are BORROWED: they point into engine memory and
 * stay valid only until the next call of next()/next_batch()/close() on the same handle. Copy
 * an event (its header says its length) to keep it.
 */
#ifndef SCAP_CAPTURE_H
#define SCAP_CAPTURE_H

#include <stdbool.h>

#include "scap/common.h"
#include "scap/event.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A capture: a live engine, a .scap file or synthetic test input (opaque). */
struct scap_capture;

/** Most entries of scap_live_opts.exclude_paths. */
#define SCAP_MAX_EXCLUDE_PATHS 8
/** An entry of scap_live_opts.exclude_paths is shorter than this (with its NUL). */
#define SCAP_EXCLUDE_PATH_MAX 64

/** Options of scap_capture__open_live(); declare them with SCAP_OPTS(). */
struct scap_live_opts {
	size_t sz;			  /**< sizeof(struct scap_live_opts) (SCAP_OPTS() sets it) */
	const char *engine;		  /**< "bpf_core" (default) or "kmod" */
	uint32_t buffer_bytes;		  /**< per-CPU ring size (power of 2, page multiple); 0 = 8 MiB */
	uint32_t snaplen;		  /**< bytes of I/O data kept; 0 = 80 */
	const bool *ppm_sc;		  /**< [SCAP_SC_MAX] interesting syscalls/tracepoints; NULL = all syscalls */
	const int32_t *exclude_tgids;	  /**< tgids whose events are dropped in the kernel (0-terminated) */
	uint32_t n_exclude_tgids;	  /**< entries of exclude_tgids; 0: the list is 0-terminated */
	const char *const *exclude_comms; /**< comms dropped in the kernel */
	uint32_t n_exclude_comms;	  /**< entries of exclude_comms */
	bool exclude_self;		  /**< drop this process's own events in the kernel */
	bool drop_failed;		  /**< do not emit exit events of failed syscalls */
	bool no_proc_scan;		  /**< skip the /proc scan at open: scap_capture__platform() is NULL */
	/**
	 * When every ring is empty, next()/next_batch() sleep before they look again and return
	 * SCAP_STATUS_TIMEOUT only if the rings are still empty: 500 us at first, doubling at each
	 * empty call up to max_wait_us (0 = 30 ms), back to 500 us once events come. Events then
	 * reach the consumer in bursts, so the traced syscalls seldom share cache lines with it.
	 * immediate (libpcap's immediate mode) never sleeps: lowest latency, but a consumer that
	 * polls the rings in a loop makes every event cost the traced syscall cross-CPU cache misses
	 * on the ring's positions and records (bench/README.md: syscall_storm).
	 */
	uint32_t max_wait_us;
	bool immediate; /**< never sleep when the rings are empty (libpcap's immediate mode): see max_wait_us */
	/**
	 * Absolute paths whose open-family events (open, openat, openat2, creat: enter and exit) are
	 * dropped in the kernel, for the path itself and everything under it ("/proc" drops
	 * "/proc/1/stat", not "/procfs"; "/" every absolute path); counted in scap_stats.n_excluded.
	 * Matched against the path the syscall was given: a relative path does not match. At most
	 * SCAP_MAX_EXCLUDE_PATHS, each shorter than SCAP_EXCLUDE_PATH_MAX; a trailing '/' is ignored.
	 */
	const char *const *exclude_paths;
	uint32_t n_exclude_paths; /**< entries of exclude_paths */
};

/** Options of scap_capture__open_file(); declare them with SCAP_OPTS(). */
struct scap_file_opts {
	size_t sz;	 /**< sizeof(struct scap_file_opts) (SCAP_OPTS() sets it) */
	bool no_convert; /**< deliver old event layouts as stored (default: convert to the current layout) */
};

/** Options of scap_capture__open_test(); declare them with SCAP_OPTS(). */
struct scap_test_opts {
	size_t sz;	    /**< sizeof(struct scap_test_opts) (SCAP_OPTS() sets it) */
	const void *events; /**< concatenated wire events (copied at open) */
	size_t size;	    /**< bytes at events */
	uint16_t cpu;	    /**< cpu id reported for every event */
};

/**
 * Open a live capture (a constructor: NULL + errno on failure, message in scap_last_error()).
 * Unless opts->no_proc_scan, the /proc scan runs here (scap_capture__platform()).
 *
 * @param opts the options (SCAP_OPTS(scap_live_opts, ...))
 * @return the capture, or NULL with errno set
 */
SCAP_API SCAP_NODISCARD struct scap_capture *scap_capture__open_live(const struct scap_live_opts *opts);
/**
 * Open a .scap file (a constructor: NULL + errno on failure, message in scap_last_error()). Its
 * metadata is complete in scap_capture__platform() right after this call.
 *
 * @param path the file (plain or gzip-compressed)
 * @param opts the options (SCAP_OPTS(scap_file_opts, ...))
 * @return the capture, or NULL with errno set
 */
SCAP_API SCAP_NODISCARD struct scap_capture *scap_capture__open_file(const char *path,
								     const struct scap_file_opts *opts);
/**
 * Open synthetic test input: events given in memory (a constructor: NULL + errno on failure,
 * message in scap_last_error()).
 *
 * @param opts the events and their cpu (SCAP_OPTS(scap_test_opts, ...))
 * @return the capture, or NULL with errno set
 */
SCAP_API SCAP_NODISCARD struct scap_capture *scap_capture__open_test(const struct scap_test_opts *opts);
/** Close a capture and free it (and its platform). */
SCAP_API void scap_capture__close(struct scap_capture *cap);

/** Name of the engine behind the handle: "bpf_core", "kmod", "file", "test". */
SCAP_API const char *scap_capture__engine(const struct scap_capture *cap);

/**
 * Start generating events: a live engine attaches its programs (bpf_core) or enables the capture
 * in the kernel (kmod). A no-op (0) for files and test input.
 *
 * @return 0 or a negative errno
 */
SCAP_API int scap_capture__start(struct scap_capture *cap);
/**
 * Stop generating events (a live engine detaches or disables the capture); what the rings already
 * hold can still be read. A no-op (0) for files and test input.
 *
 * @return 0 or a negative errno
 */
SCAP_API int scap_capture__stop(struct scap_capture *cap);

/**
 * Next event. cpu and flags may be NULL; flags gets SCAP_EVF_* bits.
 *
 * @param cap the capture
 * @param[out] evt the event (borrowed, see above)
 * @param[out] cpu the event's CPU (buffer) index, or NULL
 * @param[out] flags its SCAP_EVF_* bits, or NULL
 * @return 0 with *evt set, SCAP_STATUS_TIMEOUT (live: nothing now, after the wait that
 *         scap_live_opts.max_wait_us describes), SCAP_STATUS_EOF (file/test: no more events) or a
 *         negative errno (message in scap_capture__geterr())
 */
SCAP_API int scap_capture__next(struct scap_capture *cap, const struct scap_evt_hdr **evt, uint16_t *cpu,
				uint32_t *flags);

/** Event flag: kept only because it modifies state (filtered out by the writer). */
#define SCAP_EVF_STATE_ONLY 1u

/** One event of scap_capture__next_batch(). */
struct scap_event_ref {
	const struct scap_evt_hdr *evt; /**< borrowed until the next next()/next_batch()/close() */
	uint16_t cpu;			/**< the event's CPU (buffer) index */
	uint32_t flags;			/**< SCAP_EVF_* bits */
};

/**
 * Up to max events at once.
 *
 * @param cap the capture
 * @param[out] out max entries to fill
 * @param max the size of out
 * @param[out] n receives how many events were stored
 * @return the same statuses as scap_capture__next() (0 when *n > 0)
 */
SCAP_API int scap_capture__next_batch(struct scap_capture *cap, struct scap_event_ref *out, uint32_t max, uint32_t *n);

/**
 * Run-time configuration of live engines: the bytes of I/O data kept (-EOPNOTSUPP on files,
 * -EINVAL above the largest parameter size).
 *
 * @return 0 or a negative errno
 */
SCAP_API int scap_capture__set_snaplen(struct scap_capture *cap, uint32_t snaplen);
/**
 * Run-time configuration of live engines: capture a syscall or tracepoint (a ppm_sc code, see
 * scap_ppm_sc_from_name()) or not (-EOPNOTSUPP on files, -EINVAL for an unknown code).
 *
 * @return 0 or a negative errno
 */
SCAP_API int scap_capture__set_ppm_sc(struct scap_capture *cap, uint32_t ppm_sc, bool enabled);
/**
 * Run-time configuration of live engines: emit the exit events of failed syscalls or not
 * (scap_live_opts.drop_failed; -EOPNOTSUPP on files).
 *
 * @return 0 or a negative errno
 */
SCAP_API int scap_capture__set_drop_failed(struct scap_capture *cap, bool enabled);

/** Statistics of a capture (scap_capture__stats()). */
struct scap_stats {
	size_t sz;			 /**< set by the caller to sizeof(struct scap_stats) */
	uint64_t n_evts;		 /**< events the engine generated: delivered + dropped + unread */
	uint64_t n_delivered;		 /**< events returned by next()/next_batch() */
	uint64_t n_drops;		 /**< all drops: buffer full + too large */
	uint64_t n_drops_buffer;	 /**< ring buffer full */
	uint64_t n_drops_max_event_size; /**< event larger than the engine allows */
	uint64_t n_drops_category[SCAP_DROP_CATEGORIES]; /**< buffer drops by event category */
	uint64_t n_skipped;				 /**< file engine: events of unknown type skipped */
	uint64_t n_converted;				 /**< file engine: events rewritten from an old layout */
	uint64_t n_unread;				 /**< live engines: events in the buffers, not read yet */
	uint64_t n_excluded; /**< live engines: open-family events dropped in the kernel by exclude_paths */
};

/**
 * Fill stats (its sz set by the caller: fields past sz are not written, and sz is set to the
 * size written).
 *
 * @return 0 or a negative errno (-EINVAL without sz)
 */
SCAP_API int scap_capture__stats(struct scap_capture *cap, struct scap_stats *stats);

/**
 * How far a file capture is read: the share of the file's bytes read from disk (compressed bytes
 * for gzip), 100 at its end; what sysdig -P prints.
 *
 * @param cap the capture
 * @param[out] pct 0..100
 * @return 0, -ENOTSUP for a live or test capture, -EINVAL for NULL arguments
 */
SCAP_API int scap_capture__progress(const struct scap_capture *cap, double *pct);

/** Message of the handle's last failure ("" if none). Owned by the handle. */
SCAP_API const char *scap_capture__geterr(const struct scap_capture *cap);

#ifdef __cplusplus
}
#endif
#endif /* SCAP_CAPTURE_H */
