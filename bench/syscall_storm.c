/* SPDX-License-Identifier: Apache-2.0 */
/*
 * syscall_storm: what the CO-RE probe adds to a syscall, and how fast a C consumer drains it.
 *
 * For each workload (getppid; a 1-byte write to /dev/null; open+read+close of a small file) a
 * child pinned to CPU 0 runs N iterations, untraced (capture stopped: no program attached) and
 * then traced (started, every syscall in the set), while the parent (pinned to CPU 1, excluded
 * from the capture in the kernel) consumes with scap_capture__next_batch(). The probe is loaded
 * once. Last, getppid runs with a set that does not contain it (only close; only openat, which
 * also attaches the hook of openat's TOCTOU enter event): the cost of not being of interest.
 * Prints medians of CPU ns per iteration (thread CPU time: steady under load), the difference,
 * the rate at which the child's events were delivered (over its wall time) and the drops summed
 * over all runs. Not a test: no assertion on time.
 *
 * --prog-stats turns kernel.bpf_stats on while it runs and adds the probe programs' mean run
 * time per run (the stats themselves add two clock reads per program run to the traced times).
 *
 *   syscall_storm [--iters N] [--reps N] [--buffer BYTES] [--engine NAME] [--immediate] [--prog-stats]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <dirent.h>
#include <linux/bpf.h>

#include "scap/capture.h"
#include "scap/event.h"

enum workload { W_GETPPID, W_WRITE, W_ORC };
static const char *wname[] = { "getppid", "write 1 B /dev/null", "open+read+close" };
static const int wevents[] = { 1, 1, 4 }; /* events per iteration when traced (openat E+X, read, close) */

static long g_iters = 1000000;
static uint32_t g_buffer;
static const char *g_engine = "bpf_core";
static bool g_immediate;

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

/* Child: run the workload, write its CPU time and wall time (ns) to the pipe. The CPU time of the
 * thread includes the probe's work (it runs in the syscall's context) but not other tasks that
 * share the CPU, so it is the steady number on a loaded machine. */
static void workload(enum workload w, long iters, int out)
{
	int null = open("/dev/null", O_WRONLY);
	char c = 'x', buf[64];
	uint64_t t0, t1, w0, w1;

	pin(0);
	w0 = clock_ns(CLOCK_MONOTONIC);
	t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	for (long i = 0; i < iters; i++) {
		switch (w) {
		case W_GETPPID: syscall(SYS_getppid); break;
		case W_WRITE: syscall(SYS_write, null, &c, 1); break;
		case W_ORC: {
			long fd = syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY);
			syscall(SYS_read, fd, buf, sizeof(buf));
			syscall(SYS_close, fd);
			break;
		}
		}
	}
	t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	w1 = clock_ns(CLOCK_MONOTONIC);
	if (write(out, (uint64_t[2]){ t1 - t0, w1 - w0 }, 16) != 16)
		_exit(1);
	_exit(0);
}

struct result {
	double ns_per_iter;
	double events_per_s;
	double prog_ns_per_run; /* --prog-stats: mean run time of the probe's programs per run */
	uint64_t delivered, drops, generated;
};

/* --prog-stats: kernel.bpf_stats for as long as the fd is held (BPF_ENABLE_STATS). run_time_ns
 * and run_cnt summed over this process's BPF programs (the probe's; a tail call counts in its
 * caller): the time spent in the probe itself per program run, without the tracepoint's own
 * dispatch. The probe traces every process, so this mean also covers the machine's other
 * syscalls during the run (the workload's dominate on a quiet machine). */
static int g_stats_fd = -1;

static uint64_t prog_run_time_ns(uint64_t *cnt)
{
	char path[300], link[64];
	uint64_t sum = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");

	while (dir && (d = readdir(dir))) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		if (strcmp(link, "anon_inode:bpf-prog"))
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(atoi(d->d_name), &info, &len) == 0) {
			sum += info.run_time_ns;
			*cnt += info.run_cnt;
		}
	}
	if (dir)
		closedir(dir);
	return sum;
}

/* The capture stays open for the whole run (the probe is loaded once): untraced runs stop it
 * (every program detached), traced runs start it with the set of the moment. */
static struct scap_capture *g_cap;
static bool g_set[SCAP_SC_MAX];

static int use_set(const bool *set)
{
	for (int sc = 0; sc < SCAP_SC_MAX; sc++) {
		if (g_set[sc] == set[sc])
			continue;
		if (scap_capture__set_ppm_sc(g_cap, sc, set[sc]) < 0) {
			fprintf(stderr, "set_ppm_sc(%d): %s\n", sc, scap_capture__geterr(g_cap));
			return -1;
		}
		g_set[sc] = set[sc];
	}
	return 0;
}

static int drain(uint64_t tid, bool until_idle)
{
	struct scap_event_ref refs[512];
	uint32_t n = 0;
	int delivered = 0, empty = 0;

	/* until_idle: until 3 calls in a row found the rings empty (the child has exited: its events
	 * are all in the rings; other processes' events may keep coming); else one call */
	while (empty < (until_idle ? 3 : 1)) {
		if (scap_capture__next_batch(g_cap, refs, 512, &n) != 0) {
			empty++;
			continue;
		}
		empty = 0;
		for (uint32_t i = 0; i < n; i++)
			delivered += refs[i].evt->tid == tid;
		if (!until_idle)
			break;
	}
	return delivered;
}

static int run(enum workload w, const bool *set, struct result *r)
{
	struct scap_stats st0 = { .sz = sizeof(st0) }, st1 = { .sz = sizeof(st1) };
	uint64_t elapsed[2] = { 0, 0 }, delivered = 0, t0 = 0, c0 = 0;
	int p[2], status;
	pid_t child;

	memset(r, 0, sizeof(*r));
	if (set) {
		if (use_set(set) || scap_capture__start(g_cap) < 0) {
			fprintf(stderr, "start: %s\n", scap_capture__geterr(g_cap));
			return -1;
		}
		drain(0, true);
		scap_capture__stats(g_cap, &st0);
		if (g_stats_fd >= 0)
			t0 = prog_run_time_ns(&c0);
	}
	if (pipe(p))
		return -1;
	child = fork();
	if (child == 0) {
		close(p[0]);
		workload(w, g_iters, p[1]);
	}
	close(p[1]);
	if (set) {
		/* consume while the child runs, then what is left */
		while (waitpid(child, &status, WNOHANG) != child)
			delivered += drain(child, false);
		delivered += drain(child, true);
		scap_capture__stats(g_cap, &st1);
		if (g_stats_fd >= 0) {
			uint64_t c1 = 0, t1 = prog_run_time_ns(&c1);
			r->prog_ns_per_run = c1 > c0 ? (double)(t1 - t0) / (c1 - c0) : 0;
		}
		if (scap_capture__stop(g_cap) < 0) {
			fprintf(stderr, "stop: %s\n", scap_capture__geterr(g_cap));
			return -1;
		}
	} else {
		waitpid(child, &status, 0);
	}
	if (read(p[0], elapsed, 16) != 16)
		return -1;
	close(p[0]);
	r->ns_per_iter = (double)elapsed[0] / g_iters;
	r->delivered = delivered;
	r->drops = st1.n_drops - st0.n_drops;
	r->generated = st1.n_evts - st0.n_evts;
	/* rate the child produced and the consumer kept up with, over the child's wall time */
	r->events_per_s = elapsed[1] ? delivered * 1e9 / elapsed[1] : 0;
	return 0;
}

static int quiet(enum scap_print_level l, const char *m, void *c)
{
	(void)l;
	(void)m;
	(void)c;
	return 0;
}

/* The machine's load average, printed with the numbers (they depend on it). */
static void print_loadavg(const char *when)
{
	char b[64] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(b, sizeof(b), f))
			strcpy(b, "?\n");
		fclose(f);
	}
	printf("load average %s: %s", when, b);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Untraced and traced runs alternate (the machine's load drifts); medians over g_reps pairs. */
struct summary {
	double base, traced, evps, prog;
	uint64_t delivered, drops;
};

#define MAX_REPS 31
static int g_reps = 9;

static int measure(enum workload w, const bool *set, struct summary *s)
{
	double base[MAX_REPS], tr[MAX_REPS], evps[MAX_REPS], prog[MAX_REPS];
	struct result r;

	memset(s, 0, sizeof(*s));
	for (int rep = 0; rep < g_reps; rep++) {
		if (run(w, NULL, &r))
			return -1;
		base[rep] = r.ns_per_iter;
		if (run(w, set, &r))
			return -1;
		tr[rep] = r.ns_per_iter;
		evps[rep] = r.events_per_s;
		prog[rep] = r.prog_ns_per_run;
		s->delivered += r.delivered;
		s->drops += r.drops;
	}
	s->base = median(base, g_reps);
	s->traced = median(tr, g_reps);
	s->evps = median(evps, g_reps);
	s->prog = median(prog, g_reps);
	return 0;
}

int main(int argc, char **argv)
{
	static bool all[SCAP_SC_MAX], only_openat[SCAP_SC_MAX], only_close[SCAP_SC_MAX];
	struct summary s;
	bool prog_stats = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iters") && i + 1 < argc)
			g_iters = atol(argv[++i]);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			g_reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--buffer") && i + 1 < argc)
			g_buffer = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--engine") && i + 1 < argc)
			g_engine = argv[++i];
		else if (!strcmp(argv[i], "--immediate"))
			g_immediate = true;
		else if (!strcmp(argv[i], "--prog-stats"))
			prog_stats = true;
		else {
			fprintf(stderr,
				"usage: %s [--iters N] [--reps N] [--buffer BYTES] [--engine NAME] [--immediate] "
				"[--prog-stats]\n",
				argv[0]);
			return 2;
		}
	}
	if (g_reps < 1 || g_reps > MAX_REPS || g_iters < 1) {
		fprintf(stderr, "--reps must be 1..%d, --iters >= 1\n", MAX_REPS);
		return 2;
	}
	scap_set_print(quiet, NULL);
	{
		static const bool none[SCAP_SC_MAX];
		SCAP_OPTS(scap_live_opts, o, .engine = g_engine, .ppm_sc = none, .buffer_bytes = g_buffer,
			  .immediate = g_immediate, .exclude_self = true);
		g_cap = scap_capture__open_live(&o);
		if (!g_cap) {
			fprintf(stderr, "open_live: %s\n", scap_last_error());
			return 1;
		}
		memcpy(g_set, none, sizeof(g_set));
	}
	pin(1);
	if (prog_stats) {
		g_stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (g_stats_fd < 0) {
			fprintf(stderr, "BPF_ENABLE_STATS: %s\n", strerror(errno));
			return 1;
		}
	}
	/* traced = every syscall (the library's default set, minus the off-by-default tracepoints) */
	for (int sc = 1; sc < SCAP_SC_MAX; sc++)
		all[sc] = true;
	all[SCAP_SC_SCHED_SWITCH] = all[SCAP_SC_SIGNAL_DELIVER] = false;
	all[SCAP_SC_PAGE_FAULT_USER] = all[SCAP_SC_PAGE_FAULT_KERNEL] = false;
	only_openat[SCAP_SC_OPENAT] = true;
	only_close[SCAP_SC_CLOSE] = true;

	printf("%ld iterations, medians of %d untraced/traced pairs; CPU ns per iteration of the workload thread\n",
	       g_iters, g_reps);
	print_loadavg("before");
	if (prog_stats)
		printf("kernel.bpf_stats on: traced times include its cost; \"ns/run\" = mean BPF program run time\n");
	printf("%-22s %10s %10s %9s %12s %12s %10s%s\n", "workload", "untraced", "traced", "added", "events/s",
	       "delivered", "drops", prog_stats ? "     ns/run" : "");
	for (int w = W_GETPPID; w <= W_ORC; w++) {
		if (measure(w, all, &s))
			return 1;
		printf("%-22s %8.0f ns %8.0f ns %+6.0f ns %10.2f M %12llu %10llu", wname[w], s.base, s.traced,
		       s.traced - s.base, s.evps / 1e6, (unsigned long long)s.delivered, (unsigned long long)s.drops);
		if (prog_stats)
			printf(" %8.0f ns", s.prog);
		printf("   (%d event%s/iteration)\n", wevents[w], wevents[w] > 1 ? "s" : "");
	}
	/* getppid outside the set: with only close (sys_exit hook), and with only openat (sys_exit and
	 * the hook of openat's enter event: fentry, its tracepoint, or the raw sys_enter dispatcher) */
	for (int k = 0; k < 2; k++) {
		if (measure(W_GETPPID, k ? only_openat : only_close, &s))
			return 1;
		printf("%-22s %8.0f ns %8.0f ns %+6.0f ns %10s %12s %10s   (getppid not in the set: only %s)\n",
		       "not of interest", s.base, s.traced, s.traced - s.base, "-", "-", "-",
		       k ? "openat: sys_exit + openat's enter hook" : "close: sys_exit hook");
	}
	print_loadavg("after");
	scap_capture__close(g_cap);
	return 0;
}
