/* SPDX-License-Identifier: Apache-2.0 */
/*
 * consume: the C consumer of bench/run.py. Opens a live capture of every syscall (the library's
 * default set, like `pyscap` with no filter), excluding itself in the kernel, prints {"ready": 1}
 * and drains the per-CPU buffers with scap_capture__next_batch() in a busy loop, counting the
 * events of thread TID. On SIGUSR1 it stops the capture, drains what is left and prints one JSON
 * line: events of TID delivered, the CLOCK_MONOTONIC time (ns) of the last batch that held one,
 * all events delivered, and the engine's counters (generated, drops). The caller pins it with taskset.
 *
 *   consume [--engine NAME] [--buffer BYTES] TID
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scap/capture.h"
#include "scap/event.h"

static volatile sig_atomic_t g_stop;

static void on_usr1(int sig)
{
	(void)sig;
	g_stop = 1;
}

static int quiet(enum scap_print_level l, const char *m, void *c)
{
	(void)l;
	(void)m;
	(void)c;
	return 0;
}

int main(int argc, char **argv)
{
	const char *engine = "bpf_core";
	uint32_t buffer = 0;
	uint64_t tid = 0, mine = 0, all = 0, last_ns = 0;
	struct scap_event_ref refs[512];
	struct scap_stats st = { .sz = sizeof(st) };
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct scap_capture *cap;
	int i;

	for (i = 1; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--engine") && i + 1 < argc - 1)
			engine = argv[++i];
		else if (!strcmp(argv[i], "--buffer") && i + 1 < argc - 1)
			buffer = strtoul(argv[++i], NULL, 0);
		else
			break;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: %s [--engine NAME] [--buffer BYTES] TID\n", argv[0]);
		return 2;
	}
	tid = strtoull(argv[i], NULL, 10);
	sigaction(SIGUSR1, &sa, NULL);
	scap_set_print(quiet, NULL);

	SCAP_OPTS(scap_live_opts, o, .engine = engine, .buffer_bytes = buffer, .exclude_self = true);
	cap = scap_capture__open_live(&o);
	if (!cap) {
		fprintf(stderr, "consume: open_live: %s\n", scap_last_error());
		return 1;
	}
	if (scap_capture__start(cap) < 0) {
		fprintf(stderr, "consume: start: %s\n", scap_capture__geterr(cap));
		return 1;
	}
	printf("{\"ready\": 1}\n");
	fflush(stdout);

	for (int idle = 0; idle < 3;) {
		uint32_t n = 0;
		int rc = scap_capture__next_batch(cap, refs, 512, &n);
		if (rc < 0) {
			fprintf(stderr, "consume: next_batch: %s\n", scap_capture__geterr(cap));
			return 1;
		}
		if (n) {
			uint64_t before = mine;
			all += n;
			for (uint32_t k = 0; k < n; k++)
				mine += refs[k].evt->tid == tid;
			if (mine != before) {
				struct timespec ts;
				clock_gettime(CLOCK_MONOTONIC, &ts);
				last_ns = ts.tv_sec * 1000000000ull + ts.tv_nsec;
			}
		}
		if (g_stop == 1) {
			/* stop the engine once (at once: a busy machine may never leave the buffers
			 * empty while it runs), then count empty polls (each waits up to 30 ms, the
			 * capture's max_wait_us): three in a row, the buffers are drained */
			scap_capture__stop(cap);
			g_stop = 2;
		}
		if (g_stop == 2)
			idle = n ? 0 : idle + 1;
	}
	if (scap_capture__stats(cap, &st) < 0) {
		fprintf(stderr, "consume: stats: %s\n", scap_capture__geterr(cap));
		return 1;
	}
	printf("{\"target\": %llu, \"last_ns\": %llu, \"delivered\": %llu, \"generated\": %llu, \"drops\": %llu}\n",
	       (unsigned long long)mine, (unsigned long long)last_ns, (unsigned long long)all,
	       (unsigned long long)st.n_evts, (unsigned long long)st.n_drops);
	scap_capture__close(cap);
	return 0;
}
