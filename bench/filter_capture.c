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
#include "bench_inspector.h"

static int run(const char *path, const char *text)
{
	struct sinsp_filter *f;
	struct sinsp_inspector *insp = bench_open_file(path, text, &f);
	if (!insp)
		return 1;
	double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID), w0 = bench_now(CLOCK_MONOTONIC);
	uint64_t matched = 0;
	const struct sinsp_event *evt;
	int rc;
	while ((rc = sinsp_inspector__next(insp, &evt)) == 0 || rc == SCAP_STATUS_TIMEOUT) {
		if (rc == 0)
			matched++;
	}
	double c1 = bench_now(CLOCK_PROCESS_CPUTIME_ID), w1 = bench_now(CLOCK_MONOTONIC);
	uint64_t events = bench_events(insp);
	printf("%-50s %10llu events %10llu matched %6.2f M events/s (CPU) %6.2f M events/s (wall)\n",
	       text ? text : "(no filter)", (unsigned long long)events, (unsigned long long)matched,
	       (double)events / (c1 - c0) / 1e6, (double)events / (w1 - w0) / 1e6);
	bench_close(insp, f);
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
