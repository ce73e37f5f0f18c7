/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inspector set-up and tear-down that bench/filter_output.c and bench/filter_capture.c share:
 * a fresh inspector on a capture file with an optional filter, its event count, and the clocks.
 */
#ifndef BENCH_INSPECTOR_H
#define BENCH_INSPECTOR_H

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scap/capture.h"
#include "scap/scap.h"
#include "sinsp/filter.h"
#include "sinsp/inspector.h"
#include "sinsp/sinsp.h"

static inline double bench_now(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* An inspector reading the file at path, with `filter` compiled and installed when not NULL
 * (*f receives it, NULL without one). NULL after printing why. */
static inline struct sinsp_inspector *bench_open_file(const char *path, const char *filter, struct sinsp_filter **f)
{
	struct scap_capture *cap = scap_capture__open_file(path, NULL);
	struct sinsp_inspector *insp;
	struct sinsp_opts opts;

	*f = NULL;
	if (!cap) {
		fprintf(stderr, "%s: %s\n", path, scap_last_error());
		return NULL;
	}
	memset(&opts, 0, sizeof(opts));
	opts.sz = sizeof(opts);
	opts.live = -1;
	insp = sinsp_inspector__open(cap, &opts);
	if (!insp) {
		fprintf(stderr, "inspector: %s\n", sinsp_last_error());
		return NULL;
	}
	if (filter) {
		int pos = -1;
		*f = sinsp_filter__compile(insp, filter, &pos);
		if (!*f || sinsp_inspector__set_filter(insp, *f) != 0) {
			fprintf(stderr, "%s: %s\n", filter, sinsp_last_error());
			sinsp_inspector__close(insp);
			sinsp_filter__free(*f);
			*f = NULL;
			return NULL;
		}
	}
	return insp;
}

/* Events the inspector read from the file. */
static inline uint64_t bench_events(struct sinsp_inspector *insp)
{
	struct sinsp_stats st;

	memset(&st, 0, sizeof(st));
	st.sz = sizeof(st);
	sinsp_inspector__stats(insp, &st);
	return st.n_events;
}

static inline void bench_close(struct sinsp_inspector *insp, struct sinsp_filter *f)
{
	sinsp_inspector__set_filter(insp, NULL);
	sinsp_inspector__close(insp);
	sinsp_filter__free(f);
}

#endif
