/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/filter_output: the output benchmark, in C, on a capture file. Three runs, each a
 * fresh inspector reading the whole file, every line written with fwrite to FILE (default
 * /dev/null; a real file shows that the lines are right):
 *   filter  - filter `evt.type=openat`, the default line of each match (sysdig -r F evt.type=openat)
 *   text    - the default line of every event (sysdig -r F)
 *   json    - one JSON object of the default line's fields per event (sysdig -r F -j)
 * Rate = events read from the file / time, by CPU time of the process and by wall time.
 *
 *   filter_output FILE.scap [OUT [filter|text|json]]     (the last argument: that run only)
 */
#include <errno.h>
#include <stdlib.h>

#include "bench_inspector.h"
#include "sinsp/format.h"

static int run(const char *path, const char *name, const char *filter, int mode, FILE *out)
{
	struct sinsp_filter *f;
	struct sinsp_inspector *insp = bench_open_file(path, filter, &f);
	if (!insp)
		return 1;
	struct sinsp_formatter *fmt = sinsp_formatter__create(SINSP_DEFAULT_FORMAT, mode);
	if (!fmt) {
		fprintf(stderr, "format: %s\n", sinsp_last_error());
		return 1;
	}
	size_t cap_buf = 1 << 16;
	char *buf = malloc(cap_buf);
	if (!buf)
		return 1;
	double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID), w0 = bench_now(CLOCK_MONOTONIC);
	uint64_t lines = 0, bytes = 0;
	const struct sinsp_event *evt;
	int rc;
	while ((rc = sinsp_inspector__next(insp, &evt)) == 0 || rc == SCAP_STATUS_TIMEOUT) {
		if (rc != 0)
			continue;
		int n = sinsp_formatter__format(fmt, evt, buf, cap_buf - 1);
		if (n < 0)
			continue;
		if ((size_t)n >= cap_buf - 1) { /* a line longer than the buffer: grow, format again */
			cap_buf = (size_t)n + 2;
			char *nb = realloc(buf, cap_buf);
			if (!nb)
				return 1;
			buf = nb;
			n = sinsp_formatter__format(fmt, evt, buf, cap_buf - 1);
		}
		buf[n] = '\n';
		fwrite(buf, 1, (size_t)n + 1, out);
		lines++;
		bytes += (uint64_t)n + 1;
	}
	fflush(out);
	double c1 = bench_now(CLOCK_PROCESS_CPUTIME_ID), w1 = bench_now(CLOCK_MONOTONIC);
	uint64_t events = bench_events(insp);
	printf("%-7s %10llu events %10llu lines %12llu bytes %6.2f M events/s (CPU) %6.2f M events/s (wall)\n", name,
	       (unsigned long long)events, (unsigned long long)lines, (unsigned long long)bytes,
	       (double)events / (c1 - c0) / 1e6, (double)events / (w1 - w0) / 1e6);
	free(buf);
	sinsp_formatter__free(fmt);
	bench_close(insp, f);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: filter_output FILE.scap [OUT [filter|text|json]]\n");
		return 2;
	}
	FILE *out = fopen(argc > 2 ? argv[2] : "/dev/null", "w");
	if (!out) {
		fprintf(stderr, "%s: %s\n", argc > 2 ? argv[2] : "/dev/null", strerror(errno));
		return 1;
	}
	static char obuf[1 << 16];
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	const char *only = argc > 3 ? argv[3] : "";
	int bad = 0;
	if (!*only || !strcmp(only, "filter"))
		bad |= run(argv[1], "filter", "evt.type=openat", SINSP_FORMAT_TEXT, out);
	if (!*only || !strcmp(only, "text"))
		bad |= run(argv[1], "text", NULL, SINSP_FORMAT_TEXT, out);
	if (!*only || !strcmp(only, "json"))
		bad |= run(argv[1], "json", NULL, SINSP_FORMAT_JSON, out);
	fclose(out);
	return bad;
}
