/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/filter_capture: events per second through the inspector reading a capture file, without a
 * filter and with each filter given on the command line (compiled once with
 * sinsp_filter__compile and installed with sinsp_inspector__set_filter; nothing is printed).
 * Public C API only. The difference between the runs is the cost of filtering inside the
 * inspector's pipeline (state parsing is done in every run).
 *
 *   filter_capture FILE.scap ["filter" ...]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scap/capture.h"
#include "scap/scap.h"
#include "sinsp/filter.h"
#include "sinsp/inspector.h"
#include "sinsp/sinsp.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int run(const char *path, const char *text)
{
	struct scap_capture *cap = scap_capture__open_file(path, NULL);
	if (!cap) {
		fprintf(stderr, "%s: %s\n", path, scap_last_error());
		return 1;
	}
	struct sinsp_opts opts;
	memset(&opts, 0, sizeof(opts));
	opts.sz = sizeof(opts);
	opts.live = -1;
	struct sinsp_inspector *insp = sinsp_inspector__open(cap, &opts);
	if (!insp) {
		fprintf(stderr, "inspector: %s\n", sinsp_last_error());
		return 1;
	}
	struct sinsp_filter *f = NULL;
	if (text) {
		int pos = -1;
		f = sinsp_filter__compile(insp, text, &pos);
		if (!f) {
			fprintf(stderr, "%s\n", sinsp_last_error());
			sinsp_inspector__close(insp);
			return 1;
		}
		sinsp_inspector__set_filter(insp, f);
	}
	double c0 = cpu_now(), w0 = wall_now();
	uint64_t matched = 0;
	const struct sinsp_event *evt;
	int rc;
	while ((rc = sinsp_inspector__next(insp, &evt)) == 0 || rc == SCAP_STATUS_TIMEOUT) {
		if (rc == 0)
			matched++;
	}
	double c1 = cpu_now(), w1 = wall_now();
	struct sinsp_stats st;
	memset(&st, 0, sizeof(st));
	st.sz = sizeof(st);
	sinsp_inspector__stats(insp, &st);
	printf("%-50s %10llu events %10llu matched %6.2f M events/s (CPU) %6.2f M events/s (wall)\n",
	       text ? text : "(no filter)", (unsigned long long)st.n_events, (unsigned long long)matched,
	       (double)st.n_events / (c1 - c0) / 1e6, (double)st.n_events / (w1 - w0) / 1e6);
	sinsp_inspector__set_filter(insp, NULL);
	sinsp_inspector__close(insp);
	sinsp_filter__free(f);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: filter_capture FILE.scap [\"filter\" ...]\n");
		return 2;
	}
	int bad = run(argv[1], NULL);
	for (int i = 2; i < argc; i++)
		bad |= run(argv[1], argv[i]);
	return bad;
}
