/* SPDX-License-Identifier: Apache-2.0 */
/*
 * floor: loads bench/floor.bpf.c (libbpf skeleton), attaches one of its floors, prints
 * {"ready": 1}, and waits for SIGUSR1 or SIGINT/SIGTERM; then detaches and prints {"done": 1,
 * "events": N} (N: ring records consumed, "event" floor). The caller pins it with taskset.
 *
 *   floor [exit|both|event|event-both]      (default: exit; see floor.bpf.c)
 *
 * The "event" floor drains its ring like libscap's default mode: everything there, then a
 * 500 us sleep.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "floor.skel.h"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static int quiet(enum libbpf_print_level l, const char *fmt, va_list ap)
{
	if (l == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static unsigned long long g_events;

static int count(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	g_events++;
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *mode = argc > 1 ? argv[1] : "exit";
	struct ring_buffer *rb = NULL;
	struct floor_bpf *skel;
	struct bpf_link *l1 = NULL, *l2 = NULL;
	sigset_t mask, old;

	bool event = !strncmp(mode, "event", 5), enter = !strcmp(mode, "both") || !strcmp(mode, "event-both");

	if (strcmp(mode, "exit") && strcmp(mode, "both") && strcmp(mode, "event") && strcmp(mode, "event-both")) {
		fprintf(stderr, "usage: %s [exit|both|event|event-both]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(quiet);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	skel = floor_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "floor: cannot load the BPF object\n");
		return 1;
	}
	l1 = bpf_program__attach(event ? skel->progs.floor_event : skel->progs.floor_exit);
	if (l1 && enter)
		l2 = bpf_program__attach(skel->progs.floor_enter);
	if (!l1 || (enter && !l2)) {
		fprintf(stderr, "floor: cannot attach the %s floor\n", mode);
		floor_bpf__destroy(skel);
		return 1;
	}
	if (event) {
		rb = ring_buffer__new(bpf_map__fd(skel->maps.floor_ring), count, NULL, NULL);
		if (!rb) {
			fprintf(stderr, "floor: cannot map the ring\n");
			floor_bpf__destroy(skel);
			return 1;
		}
	}
	printf("{\"ready\": 1}\n");
	fflush(stdout);
	if (rb) {
		struct timespec ts = { 0, 500000 };
		sigprocmask(SIG_SETMASK, &old, NULL);
		while (!g_stop) {
			if (ring_buffer__consume(rb) == 0)
				nanosleep(&ts, NULL);
		}
		ring_buffer__consume(rb);
	} else {
		while (!g_stop)
			sigsuspend(&old);
	}
	bpf_link__destroy(l1);
	bpf_link__destroy(l2);
	ring_buffer__free(rb);
	floor_bpf__destroy(skel);
	printf("{\"done\": 1, \"events\": %llu}\n", g_events);
	return 0;
}
