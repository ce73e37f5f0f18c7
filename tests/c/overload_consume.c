/* SPDX-License-Identifier: Apache-2.0 */
/*
 * overload_consume: the C API's side of tests/test_overload_live.py. Opens a live capture of the
 * named syscalls only (in the kernel) with a small per-CPU buffer, prints {"ready": 1}, and
 * consumes with scap_capture__next_batch(), stalling STALL_MS once after its first event (so that
 * the buffers fill and the probe drops; -1: until the signal, so that they are full then). On SIGUSR1 it stops the capture and drains what is left
 * (three empty polls in a row); on SIGUSR2 it stops without draining and closes at once. Prints
 * one JSON line: the events of the given tgids delivered, all delivered, and the engine's
 * counters after the last read.
 *
 *   overload_consume --buffer BYTES --stall-ms MS --syscall NAME [--syscall NAME...] TGID...
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

static void on_signal(int sig)
{
	g_stop = sig == SIGUSR1 ? 1 : 3;
}

static int quiet(enum scap_print_level l, const char *m, void *c)
{
	(void)l;
	(void)m;
	(void)c;
	return 0;
}

#define MAX_TGIDS 16

int main(int argc, char **argv)
{
	static bool ppm_sc[SCAP_SC_MAX];
	struct scap_event_ref refs[512];
	struct scap_stats st = { .sz = sizeof(st) };
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t tgids[MAX_TGIDS];
	uint64_t mine = 0, all = 0;
	uint32_t buffer = 0, ntgids = 0, nsc = 0;
	long stall_ms = 0;
	bool stalled = false, drained = true;
	struct scap_capture *cap;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--buffer") && i + 1 < argc) {
			buffer = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--stall-ms") && i + 1 < argc) {
			stall_ms = strtol(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--syscall") && i + 1 < argc) {
			int sc = scap_ppm_sc_from_name(argv[++i]);
			if (sc < 0) {
				fprintf(stderr, "overload_consume: unknown syscall %s\n", argv[i]);
				return 2;
			}
			ppm_sc[sc] = true;
			nsc++;
		} else if (ntgids < MAX_TGIDS && argv[i][0] >= '0' && argv[i][0] <= '9') {
			tgids[ntgids++] = strtoull(argv[i], NULL, 10);
		} else {
			break;
		}
	}
	if (i != argc || !nsc || !ntgids) {
		fprintf(stderr, "usage: %s --buffer BYTES --stall-ms MS --syscall NAME... TGID...\n", argv[0]);
		return 2;
	}
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	scap_set_print(quiet, NULL);

	SCAP_OPTS(scap_live_opts, o, .buffer_bytes = buffer, .ppm_sc = ppm_sc, .exclude_self = true,
		  .no_proc_scan = true);
	cap = scap_capture__open_live(&o);
	if (!cap) {
		fprintf(stderr, "overload_consume: open_live: %s\n", scap_last_error());
		return 1;
	}
	if (scap_capture__start(cap) < 0) {
		fprintf(stderr, "overload_consume: start: %s\n", scap_capture__geterr(cap));
		return 1;
	}
	printf("{\"ready\": 1}\n");
	fflush(stdout);

	for (int idle = 0; idle < 3 && g_stop != 3;) {
		uint32_t n = 0;
		int rc = scap_capture__next_batch(cap, refs, 512, &n);
		if (rc < 0) {
			fprintf(stderr, "overload_consume: next_batch: %s\n", scap_capture__geterr(cap));
			return 1;
		}
		all += n;
		for (uint32_t k = 0; k < n; k++)
			for (uint32_t t = 0; t < ntgids; t++)
				/* no /proc scan: the tid is the storm's tgid (single-threaded storms) */
				mine += refs[k].evt->tid == tgids[t];
		if (n && !stalled) {
			struct timespec ts = { stall_ms / 1000, (stall_ms % 1000) * 1000000 };
			struct timespec ms = { 0, 1000000 };

			if (stall_ms >= 0)
				nanosleep(&ts, NULL);
			else
				while (!g_stop)
					nanosleep(&ms, NULL);
			stalled = true;
		}
		if (g_stop == 1) {
			scap_capture__stop(cap);
			g_stop = 2;
		}
		if (g_stop == 2)
			idle = n ? 0 : idle + 1;
	}
	if (g_stop == 3) {
		scap_capture__stop(cap);
		drained = false;
	}
	if (scap_capture__stats(cap, &st) < 0) {
		fprintf(stderr, "overload_consume: stats: %s\n", scap_capture__geterr(cap));
		return 1;
	}
	printf("{\"mine\": %llu, \"delivered_seen\": %llu, \"drained\": %s, \"events\": %llu, \"delivered\": %llu, "
	       "\"drops\": %llu, \"drops_buffer\": %llu, \"unread\": %llu}\n",
	       (unsigned long long)mine, (unsigned long long)all, drained ? "true" : "false",
	       (unsigned long long)st.n_evts, (unsigned long long)st.n_delivered, (unsigned long long)st.n_drops,
	       (unsigned long long)st.n_drops_buffer, (unsigned long long)st.n_unread);
	scap_capture__close(cap);
	return 0;
}
