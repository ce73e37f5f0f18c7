/* SPDX-License-Identifier: Apache-2.0 */
/*
 * floor: loads and attaches bench/floor.bpf.c (libbpf skeleton), prints {"ready": 1}, and waits
 * for SIGUSR1 or SIGINT/SIGTERM; then detaches and prints {"done": 1}. The caller pins it with taskset.
 */
#include <signal.h>
#include <stdio.h>
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

int main(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct floor_bpf *skel;
	sigset_t mask, old;

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
	if (floor_bpf__attach(skel)) {
		fprintf(stderr, "floor: cannot attach tp_btf/sys_exit\n");
		floor_bpf__destroy(skel);
		return 1;
	}
	printf("{\"ready\": 1}\n");
	fflush(stdout);
	while (!g_stop)
		sigsuspend(&old);
	floor_bpf__destroy(skel);
	printf("{\"done\": 1}\n");
	return 0;
}
