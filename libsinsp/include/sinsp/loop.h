/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * The event loop of a job, in C: read events from an inspector (state, filter) and, for each,
 * write it to a .scap file (rotated like sysdig's -C/-G/-W/-e), print it as a line to an fd, and
 * count it — for a number of events, a span of capture time, a wall-clock duration, until the
 * end of a file, or until stopped. libpcap's pcap_loop() with pcap_breakloop(), for the jobs of a
 * sysdig-style tool; the per-event API (sinsp_inspector__next()) stays for everything else.
 *
 * @code{.c}
 *   struct sinsp_loop *l = sinsp_loop__create(insp, &opts);
 *   while ((rc = sinsp_loop__run(l, 100)) == SINSP_LOOP_MORE)
 *       ; // handle signals, progress, ... between slices
 *   rc2 = sinsp_loop__close(l);   // flushes the lines and closes the file
 * @endcode
 *
 * Stopping: sinsp_loop__break() (async-signal-safe: it sets a flag) makes run() stop a live
 * capture (no new events), deliver and write what the engine had already captured (every ring is
 * drained, so that the capture's statistics say events == delivered + drops, n_unread 0), and return
 * SINSP_LOOP_STOPPED. On a file it returns SINSP_LOOP_STOPPED at the next event. The limits
 * (max_events, max_span_ns, duration_ns) end the loop with SINSP_LOOP_DONE and leave a live
 * capture running, with what its rings hold for the next reader (counted in n_unread); to stop and drain at a time of
 * your choosing, call sinsp_loop__break() instead (the pyscap CLI's -M does).
 *
 * Files: flushed at least every flush_ms (default 1000 ms) and after every flush_kb of blocks
 * (default 4096 KiB), so that after a SIGKILL or a power loss the file reads up to a block at
 * most that old. With rotation, each file starts with the process table of the state at the time
 * (sinsp_inspector__export_platform()), so that it reads on its own; no event is lost or
 * repeated between consecutive files.
 *
 * Lines: block-buffered (64 KiB) unless line_buffered; the buffer is also written out whenever
 * the capture is idle (a live capture with nothing to read), and by close().
 *
 * Rules: with a ruleset (sinsp/ruleset.h), every event is evaluated against its active rules and
 * each match writes one alert line (Falco's text line or JSON object, sinsp_ruleset__alert()) to
 * alert_fd, buffered like the lines (in the same buffer when alert_fd is out_fd, so that lines
 * and alerts keep their order).
 */
#ifndef SINSP_LOOP_H
#define SINSP_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "sinsp/format.h"
#include "sinsp/inspector.h"
#include "sinsp/ruleset.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A loop over an inspector (opaque). */
struct sinsp_loop;

/** Options of sinsp_loop__create(); declare them with SINSP_OPTS(). */
struct sinsp_loop_opts {
	size_t sz; /**< sizeof(struct sinsp_loop_opts) (SINSP_OPTS() sets it) */
	/* Lines: each event that formats (see sinsp_formatter__format()) as one line to out_fd. */
	struct sinsp_formatter *formatter; /**< NULL: no lines; borrowed, must outlive the loop */
	int out_fd;			   /**< where the lines go (not closed by the loop) */
	bool line_buffered;		   /**< write(2) after every line (a terminal, --unbuffered) */
	/* File: every event into a .scap file. */
	const char *write_path; /**< NULL: no file */
	uint32_t compression;	/**< enum scap_compression */
	uint64_t rotate_bytes;	/**< -C: a new file once one holds more than this many bytes */
	uint64_t rotate_ns;	/**< -G: a new file every this many ns of event time */
	uint64_t rotate_events; /**< -e: a new file every this many events */
	uint32_t rotate_files;	/**< -W: with -C/-G/-e, at most this many files, reused in a ring */
	uint32_t flush_ms;	/**< 0 = 1000 */
	uint32_t flush_kb;	/**< 0 = 4096 */
	/* When to stop (0 = no limit). */
	uint64_t max_events;  /**< after this many events */
	uint64_t max_span_ns; /**< at the first event more than this after the first one (event time) */
	uint64_t duration_ns; /**< after this much wall time from the first run() (live captures) */
	bool summary;	      /**< count events by direction and name: sinsp_loop__summary() */
	/* Rules: each event evaluated against ruleset, an alert line per match to alert_fd. */
	struct sinsp_ruleset *ruleset; /**< NULL: none; borrowed, must outlive the loop */
	int alert_fd;		       /**< where the alerts go (not closed by the loop) */
	uint32_t alert_mode;	       /**< enum sinsp_alert_mode */
	bool first_match;	       /**< one alert per event, of its first matching rule (Falco's
					  rule_matching: first); default: one per matching rule */
	/**
	 * sysdig -F (fatfile): with write_path and a filter on the inspector, the events the filter
	 * removes that modify state (open, close, clone, execve ...) go into the file too, as
	 * state-only events (SCAP_DUMP_STATE_ONLY): a reader parses them for its state (the fd names,
	 * processes of the events kept) and shows none of them. Nothing else of the loop sees them.
	 */
	bool fatfile;
};

/** sinsp_loop__run() statuses besides 0/negative errno. */
enum sinsp_loop_status {
	SINSP_LOOP_MORE = 1,	/**< the slice is over: call run() again */
	SINSP_LOOP_DONE = 2,	/**< a limit was reached, or the end of the file */
	SINSP_LOOP_STOPPED = 3, /**< sinsp_loop__break() was called, and the capture is drained */
};

/**
 * A loop over insp (borrowed; it must outlive the loop). Opens the first file at once (its
 * process table is the capture's platform). NULL + errno on failure (sinsp_last_error()).
 */
SINSP_API SINSP_NODISCARD struct sinsp_loop *sinsp_loop__create(struct sinsp_inspector *insp,
								const struct sinsp_loop_opts *opts);

/**
 * Run for about slice_ms (0: until done or stopped). Returns SINSP_LOOP_MORE, SINSP_LOOP_DONE,
 * SINSP_LOOP_STOPPED, or a negative errno (message in sinsp_last_error()): a capture error, after
 * every complete event before it was handled (a damaged file); or a write error. After DONE,
 * STOPPED or an error, run() returns the same again.
 */
SINSP_API int sinsp_loop__run(struct sinsp_loop *l, uint32_t slice_ms);

/** Ask run() to stop (see the header). Async-signal-safe; any thread. */
SINSP_API void sinsp_loop__break(struct sinsp_loop *l);

/** Counters of a loop (sinsp_loop__stats()). */
struct sinsp_loop_stats {
	size_t sz;	       /**< set by the caller to sizeof(struct sinsp_loop_stats) */
	uint64_t n_events;     /**< events the loop handled (returned by the inspector) */
	uint64_t n_lines;      /**< lines printed */
	uint64_t n_written;    /**< events written to files */
	uint64_t n_files;      /**< files opened */
	uint64_t file_bytes;   /**< bytes of the current file (uncompressed) */
	uint64_t n_flushes;    /**< file flushes */
	uint64_t n_alerts;     /**< alerts written (rules matched) */
	uint64_t n_state_only; /**< of n_written: fatfile state-only events */
};
/** Fill st (its sz set by the caller). 0 or -EINVAL. */
SINSP_API int sinsp_loop__stats(const struct sinsp_loop *l, struct sinsp_loop_stats *st);

/** The current file's path ("" without a file). Owned by the loop. */
SINSP_API const char *sinsp_loop__file(const struct sinsp_loop *l);

/**
 * With opts.summary: the i-th (direction, event name, count), most frequent first (sysdig -S).
 * 0, or -ENOENT past the end (-EINVAL for NULL arguments). *name is static.
 *
 * @param l the loop
 * @param i the index
 * @param[out] dir the direction ('>' enter, '<' exit)
 * @param[out] name the event name
 * @param[out] count how many events
 */
SINSP_API int sinsp_loop__summary(struct sinsp_loop *l, uint32_t i, char *dir, const char **name, uint64_t *count);

/** Write out the lines, close the file, free the loop. 0 or the first write/close error. */
SINSP_API int sinsp_loop__close(struct sinsp_loop *l);

#ifdef __cplusplus
}
#endif
#endif /* SINSP_LOOP_H */
