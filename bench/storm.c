/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storm: the workload of bench/run.py. Runs ITERS iterations of one syscall pattern in this
 * thread and prints, as one JSON line on stdout, the thread's CPU time and the wall time of the
 * loop (ns), and the CLOCK_MONOTONIC time it started (ns). The caller pins it with taskset. With --wait it prints {"pid": N} first and waits
 * for a line on stdin before starting, so a tracer can be attached to a known, idle process.
 * With --pace K it sleeps 1 ms after every K iterations (nanosleep), so that a slow consumer
 * (the Python writer of the capture file) keeps up without drops; timed runs do not use it.
 *
 *   storm [--wait] [--pace K] getppid|write|orc|mix ITERS
 *
 * getppid: getppid(2). write: a 1-byte write(2) to /dev/null. orc: openat+read+close of
 * /etc/hostname. mix: one of each (getppid, write, openat, read, close). Raw syscall(2) calls, so
 * libc caches nothing.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *w;
	long iters, syscalls, pace = 0;
	char c = 'x', buf[64], line[16];
	unsigned long long t0, t1, w0, w1;
	int null, mode, wait = 0, a = 1;
	struct timespec ms = { 0, 1000000 };

	for (; a < argc; a++) {
		if (!strcmp(argv[a], "--wait"))
			wait = 1;
		else if (!strcmp(argv[a], "--pace") && a + 1 < argc)
			pace = atol(argv[++a]);
		else
			break;
	}
	if (argc - a != 2) {
		fprintf(stderr, "usage: %s [--wait] [--pace K] getppid|write|orc|mix ITERS\n", argv[0]);
		return 2;
	}
	w = argv[a];
	iters = atol(argv[a + 1]);
	if (!strcmp(w, "getppid"))
		mode = 0, syscalls = 1;
	else if (!strcmp(w, "write"))
		mode = 1, syscalls = 1;
	else if (!strcmp(w, "orc"))
		mode = 2, syscalls = 3;
	else if (!strcmp(w, "mix"))
		mode = 3, syscalls = 5;
	else {
		fprintf(stderr, "storm: unknown workload %s\n", w);
		return 2;
	}
	null = open("/dev/null", O_WRONLY);
	if (null < 0 || iters <= 0)
		return 1;
	if (wait) {
		printf("{\"pid\": %d}\n", getpid());
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 1;
	}
	w0 = now(CLOCK_MONOTONIC);
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	for (long i = 0; i < iters; i++) {
		if (mode == 0 || mode == 3)
			syscall(SYS_getppid);
		if (mode == 1 || mode == 3)
			syscall(SYS_write, null, &c, 1);
		if (mode >= 2) {
			long fd = syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY);
			syscall(SYS_read, fd, buf, sizeof(buf));
			syscall(SYS_close, fd);
		}
		if (pace > 0 && i % pace == pace - 1)
			nanosleep(&ms, NULL);
	}
	t1 = now(CLOCK_THREAD_CPUTIME_ID);
	w1 = now(CLOCK_MONOTONIC);
	printf("{\"workload\": \"%s\", \"iters\": %ld, \"syscalls\": %ld, \"cpu_ns\": %llu, \"wall_ns\": %llu, "
	       "\"start_ns\": %llu, \"pid\": %d}\n",
	       w, iters, iters * syscalls, t1 - t0, w1 - w0, w0, getpid());
	return 0;
}
