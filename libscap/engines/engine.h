/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine interface: every source of events (CO-RE probe, kmod, .scap file, synthetic test
 * input) implements these operations behind the one scap_capture handle.
 */
#ifndef SCAP_ENGINE_H
#define SCAP_ENGINE_H

#include "scap/capture.h"
#include "scap/platform.h"
#include "internal.h"

enum scap_setting {
	SCAP_SET_SNAPLEN,     /* a = snaplen */
	SCAP_SET_PPM_SC,      /* a = ppm_sc code, b = 1 enable / 0 disable */
	SCAP_SET_DROP_FAILED, /* a = 1 enable / 0 disable */
};

struct scap_engine_ops {
	const char *name;
	/* Same contract as scap_capture__next(). */
	int (*next)(struct scap_capture *cap, const struct scap_evt_hdr **evt, uint16_t *cpu, uint32_t *flags);
	/* Optional: a faster batch path; the core falls back to next(). */
	int (*next_batch)(struct scap_capture *cap, struct scap_event_ref *out, uint32_t max, uint32_t *n);
	int (*start)(struct scap_capture *cap);							    /* optional */
	int (*stop)(struct scap_capture *cap);							    /* optional */
	int (*configure)(struct scap_capture *cap, enum scap_setting what, uint64_t a, uint64_t b); /* optional */
	/* Fill the engine's counters; the core adds n_delivered. Optional. */
	int (*stats)(struct scap_capture *cap, struct scap_stats *stats);
	/* The engine's platform (file metadata, or the /proc scan of a live engine). Optional. */
	const struct scap_platform *(*platform)(const struct scap_capture *cap);
	/* How far the capture is read, in percent (files). Optional: -ENOTSUP without it. */
	int (*progress)(const struct scap_capture *cap, double *pct);
	void (*close)(struct scap_capture *cap);
};

struct scap_capture {
	const struct scap_engine_ops *ops;
	void *engine; /* engine private state */
	uint64_t n_delivered;
	uint32_t wait_us; /* live: the next sleep when the rings are empty (0: never sleep) */
	uint32_t wait_max_us;
	struct scap_platform *scanned; /* live engines: the /proc scan made at open (or NULL) */
	char errbuf[SCAP_ERRBUF_SIZE];
};

/*
 * The live engines, by name (the table in capture.c, which scap_capture__open_live() looks the
 * options' engine up in; the first is the default). Each opens with the already size-normalized
 * options, NULL + errno on failure (message in scap_last_error()); capture starts with
 * scap_capture__start().
 */
struct scap_live_engine {
	const char *name;
	struct scap_capture *(*open)(const struct scap_live_opts *opts);
};

/* engines/bpf_core: the CO-RE probe (ENOTSUP in a libscap built without it). */
struct scap_capture *scap_bpf_core_open(const struct scap_live_opts *opts);
/* engines/kmod: the kernel module (engines/kmod/kmod.h). */
struct scap_capture *scap_kmod_open(const struct scap_live_opts *opts);

/* Allocate a handle for an engine (NULL + errno on failure). */
struct scap_capture *scap_capture_alloc(const struct scap_engine_ops *ops, void *engine);
/* Record a handle error (also thread-local) and return -|err|. */
int scap_capture_fail(struct scap_capture *cap, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Copy the caller's size-prefixed options struct `user` (NULL: defaults) into `out` (out_sz
 * bytes): common/opts.h's rule, its failure reported through scap_fail() (-EINVAL). */
int scap_opts_copy(void *out, size_t out_sz, const void *user);

/* Live engines, after open: how next() waits when every ring is empty (the options' max_wait_us
 * and immediate). Handles that never call it never sleep. */
void scap_capture_set_wait(struct scap_capture *cap, const struct scap_live_opts *opts);

/* How many tgids opts->exclude_tgids lists: n_exclude_tgids, or up to its 0 terminator. */
uint32_t scap_live_opts_ntgids(const struct scap_live_opts *opts);

/* After a live engine opened (and started): scan /proc into cap->scanned, the initial state that
 * scap_capture__platform() returns. Scanning after the probe is attached leaves no gap: a process
 * born during the scan is in the table or has its events, as upstream does. The processes whose
 * events the options exclude in the kernel (exclude_self, exclude_tgids) are left out of the table
 * too: the consumer's own process holds the probe's BPF fds, which old readers (sysdig 0.29.3)
 * cannot read from a file's fd list. */
int scap_capture_scan_proc(struct scap_capture *cap, const struct scap_live_opts *opts);

#endif
