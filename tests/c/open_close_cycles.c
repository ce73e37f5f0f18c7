/* SPDX-License-Identifier: Apache-2.0 */
/*
 * open_close_cycles: N live captures opened, started, read up to an event of this process (a
 * getppid(2) made after the start), stopped and closed, one after the other in this process.
 * Prints one JSON line: the open fds and the resident memory (KiB) after the first WARM cycles
 * and after the last, and the medians and maxima (ms) of the time to open (probe load and
 * attach), the time from the start to the first event, and the whole cycle. Run by
 * tests/test_faults_live.py, which counts the BPF objects around it.
 *
 *   open_close_cycles [--proc-scan] N
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "scap/capture.h"
#include "scap/event.h"

#define WARM 5

static int quiet(enum scap_print_level l, const char *m, void *c)
{
	(void)l;
	(void)m;
	(void)c;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and the directory's own fd */
}

static long rss_kb(void)
{
	long pages = -1, rss = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = -1;
		fclose(f);
	}
	return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	static bool ppm_sc[SCAP_SC_MAX];
	bool proc_scan = argc == 3 && !strcmp(argv[1], "--proc-scan");
	int n = argc >= 2 ? atoi(argv[argc - 1]) : 0, fds0 = 0;
	long rss0 = 0;
	double *t_open, *t_first, *t_cycle;
	pid_t me = getpid();

	if (n <= WARM || argc > 3 || (argc == 3 && !proc_scan)) {
		fprintf(stderr, "usage: %s [--proc-scan] N (N > %d)\n", argv[0], WARM);
		return 2;
	}
	scap_set_print(quiet, NULL);
	ppm_sc[scap_ppm_sc_from_name("getppid")] = true;
	t_open = calloc(n, sizeof(double));
	t_first = calloc(n, sizeof(double));
	t_cycle = calloc(n, sizeof(double));
	if (!t_open || !t_first || !t_cycle)
		return 1;
	for (int i = 0; i < n; i++) {
		SCAP_OPTS(scap_live_opts, o, .buffer_bytes = 1 << 16, .ppm_sc = ppm_sc, .no_proc_scan = !proc_scan);
		double t0 = now_ms(), t1, t2;
		struct scap_capture *cap;
		bool seen = false;

		if (i == WARM) {
			fds0 = open_fds();
			rss0 = rss_kb();
		}
		cap = scap_capture__open_live(&o);
		if (!cap) {
			fprintf(stderr, "open_close_cycles: cycle %d: open_live: %s\n", i, scap_last_error());
			return 1;
		}
		t1 = now_ms();
		if (scap_capture__start(cap) < 0) {
			fprintf(stderr, "open_close_cycles: cycle %d: start: %s\n", i, scap_capture__geterr(cap));
			return 1;
		}
		syscall(SYS_getppid);
		while (!seen) {
			const struct scap_evt_hdr *e;
			uint16_t cpu;
			uint32_t flags;
			int rc = scap_capture__next(cap, &e, &cpu, &flags);

			if (rc == SCAP_STATUS_TIMEOUT) {
				if (now_ms() - t1 > 10000) {
					fprintf(stderr, "open_close_cycles: cycle %d: no event in 10 s\n", i);
					return 1;
				}
				continue;
			}
			if (rc < 0) {
				fprintf(stderr, "open_close_cycles: cycle %d: next: %s\n", i,
					scap_capture__geterr(cap));
				return 1;
			}
			seen = rc == 0 && e->tid == (uint64_t)me;
		}
		t2 = now_ms();
		scap_capture__stop(cap);
		scap_capture__close(cap);
		t_open[i] = t1 - t0;
		t_first[i] = t2 - t1;
		t_cycle[i] = now_ms() - t0;
	}
	{
		int fds1 = open_fds();
		long rss1 = rss_kb();
		double mo = 0, mf = 0, mc = 0;

		for (int i = 0; i < n; i++) {
			mo = t_open[i] > mo ? t_open[i] : mo;
			mf = t_first[i] > mf ? t_first[i] : mf;
			mc = t_cycle[i] > mc ? t_cycle[i] : mc;
		}
		printf("{\"cycles\": %d, \"fds\": [%d, %d], \"rss_kb\": [%ld, %ld], \"open_ms\": [%.1f, %.1f], "
		       "\"first_event_ms\": [%.2f, %.2f], \"cycle_ms\": [%.1f, %.1f]}\n",
		       n, fds0, fds1, rss0, rss1, median(t_open, n), mo, median(t_first, n), mf, median(t_cycle, n),
		       mc);
	}
	free(t_open);
	free(t_first);
	free(t_cycle);
	return 0;
}
