/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kmod_tool: the guest-side helper of the kernel-module tests and benchmark (static binary).
 *
 *   kmod_tool consume ENGINE SECONDS     attach a consumer (all syscalls + procexit) for SECONDS,
 *                                        check delivered + dropped == generated; prints counts
 *   kmod_tool storm SECONDS              syscall storm (getppid, write /dev/null, open/read/close)
 *   kmod_tool bench ENGINE|none N        ns per syscall of the three storms with a consumer of
 *                                        ENGINE in another process; prints one line per storm
 *   kmod_tool cross                      the same workload under kmod and bpf_core at once: every
 *                                        event of this thread must have byte-identical parameters
 * Exit status: 0 ok, 1 failure (reason on stderr), 77 skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "scap/capture.h"
#include "scap/event.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static struct scap_capture *open_engine(const char *engine, const bool *ppm_sc, bool exclude_self)
{
	SCAP_OPTS(scap_live_opts, o, .engine = engine, .ppm_sc = ppm_sc, .exclude_self = exclude_self);
	struct scap_capture *c = scap_capture__open_live(&o);

	if (!c) {
		fprintf(stderr, "open_live(%s): %s (errno %d)\n", engine, scap_last_error(), errno);
		return NULL;
	}
	if (scap_capture__start(c) < 0) {
		fprintf(stderr, "start(%s): %s\n", engine, scap_capture__geterr(c));
		scap_capture__close(c);
		return NULL;
	}
	return c;
}

/* ------------------------------------------------------------------------------------------ */
/* consume                                                                                      */

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

/* Drain until `stop` (or the deadline), then stop, drain the rest and check the counters. */
static int consume(const char *engine, double seconds, bool quiet)
{
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap_event_ref refs[256];
	uint64_t deadline = mono_ns() + (uint64_t)(seconds * 1e9), n = 0;
	struct scap_capture *c = open_engine(engine, NULL, true);
	uint32_t got;
	int idle = 0, rc;

	if (!c)
		return 1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!g_stop && mono_ns() < deadline) {
		rc = scap_capture__next_batch(c, refs, 256, &got);
		if (rc < 0) {
			fprintf(stderr, "next_batch: %s\n", scap_capture__geterr(c));
			return 1;
		}
		if (rc == 0)
			n += got;
		else
			usleep(1000);
	}
	scap_capture__stop(c);
	while (idle < 3) {
		rc = scap_capture__next_batch(c, refs, 256, &got);
		if (rc == 0) {
			n += got;
			idle = 0;
		} else {
			idle++;
			usleep(1000);
		}
	}
	scap_capture__stats(c, &st);
	if (!quiet)
		printf("delivered %llu dropped %llu generated %llu\n", (unsigned long long)st.n_delivered,
		       (unsigned long long)st.n_drops, (unsigned long long)st.n_evts);
	scap_capture__close(c);
	if (st.n_delivered != n || st.n_delivered + st.n_drops != st.n_evts) {
		fprintf(stderr, "counters do not add up: delivered %llu (counted %llu) + dropped %llu != generated %llu\n",
			(unsigned long long)st.n_delivered, (unsigned long long)n, (unsigned long long)st.n_drops,
			(unsigned long long)st.n_evts);
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* storms                                                                                       */

enum storm { S_GETPPID, S_WRITE, S_OPEN_READ_CLOSE, S_MAX };
static const char *const storm_names[S_MAX] = { "getppid", "write1_devnull", "open_read_close" };

static void storm_once(enum storm s, int devnull)
{
	char b;

	switch (s) {
	case S_GETPPID:
		syscall(SYS_getppid);
		break;
	case S_WRITE:
		if (write(devnull, "x", 1) != 1)
			abort();
		break;
	case S_OPEN_READ_CLOSE: {
		int fd = open("/proc/self/comm", O_RDONLY);
		if (fd < 0 || read(fd, &b, 1) != 1)
			abort();
		close(fd);
		break;
	}
	case S_MAX:
		break;
	}
}

static int storm(double seconds)
{
	uint64_t deadline = mono_ns() + (uint64_t)(seconds * 1e9), n = 0;
	int devnull = open("/dev/null", O_WRONLY);

	while (mono_ns() < deadline) {
		for (int i = 0; i < 100; i++)
			storm_once(n % S_MAX, devnull);
		n++;
	}
	printf("storm: %llu rounds\n", (unsigned long long)n * 100);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* bench                                                                                        */

/* A consumer process for ENGINE; returns its pid once it is ready (reading its "ready" line). */
static pid_t spawn_consumer(const char *engine, int *out_fd)
{
	int p[2];
	pid_t pid;
	char buf[16] = "";

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		_exit(consume(engine, 3600, false));
	}
	close(p[1]);
	if (read(p[0], buf, 6) != 6 || strncmp(buf, "ready\n", 6)) {
		fprintf(stderr, "the %s consumer did not start\n", engine);
		return -1;
	}
	*out_fd = p[0];
	return pid;
}

static int bench(const char *engine, long iters)
{
	int devnull = open("/dev/null", O_WRONLY), fd = -1, status;
	pid_t cons = 0;
	char out[256] = "";
	double ns[S_MAX];
	ssize_t n;

	if (strcmp(engine, "none")) {
		cons = spawn_consumer(engine, &fd);
		if (cons < 0)
			return 1;
	}
	for (int s = 0; s < S_MAX; s++) {
		uint64_t t0;

		for (long i = 0; i < iters / 10; i++) /* warm up */
			storm_once(s, devnull);
		t0 = mono_ns();
		for (long i = 0; i < iters; i++)
			storm_once(s, devnull);
		ns[s] = (double)(mono_ns() - t0) / iters;
	}
	if (cons > 0) {
		kill(cons, SIGTERM);
		n = read(fd, out, sizeof(out) - 1);
		out[n > 0 ? n : 0] = 0;
		waitpid(cons, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "consumer failed: %s\n", out);
			return 1;
		}
	}
	for (int s = 0; s < S_MAX; s++)
		printf("bench %s %s %.1f ns/iter\n", engine, storm_names[s], ns[s]);
	if (cons > 0)
		printf("bench %s consumer %s", engine, out);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* cross                                                                                        */

struct rec {
	uint8_t *raw;
};

static int collect(struct scap_capture *c, pid_t tid, struct rec *out, int max)
{
	const struct scap_evt_hdr *h;
	int n = 0, idle = 0;

	while (idle < 2000) {
		if (scap_capture__next(c, &h, NULL, NULL) != 0) {
			idle++;
			continue;
		}
		idle = 0;
		if (h->tid != (uint64_t)tid || n >= max)
			continue;
		out[n].raw = malloc(h->len);
		memcpy(out[n].raw, h, h->len);
		n++;
	}
	return n;
}

static void workload(void)
{
	char buf[64] = "hello kmod";
	struct iovec iov[2] = { { buf, 3 }, { buf + 3, 4 } };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(0x7f000001) };
	int fd, p[2], s;

	syscall(SYS_getppid);
	fd = open("/tmp/kmod_cross", O_CREAT | O_RDWR | O_TRUNC, 0640);
	if (write(fd, buf, 10) != 10 || pwrite(fd, buf, 5, 2) != 5 || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if (read(fd, buf, 10) != 10 || readv(fd, iov, 2) < 0 || writev(fd, iov, 2) != 7)
		abort();
	fd = dup(fd);
	close(fd);
	fd = openat(AT_FDCWD, "/nonexistent/x", O_RDONLY);
	if (pipe(p) == 0) {
		close(p[0]);
		close(p[1]);
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s >= 0) {
		bind(s, (struct sockaddr *)&a, sizeof(a));
		connect(s, (struct sockaddr *)&a, sizeof(a));
		sendto(s, buf, 4, 0, (struct sockaddr *)&a, sizeof(a));
		close(s);
	}
	mkdir("/tmp/kmod_cross_dir", 0755);
	rmdir("/tmp/kmod_cross_dir");
	unlink("/tmp/kmod_cross");
	chdir("/tmp");
	fcntl(1, F_GETFL);
	kill(getpid(), 0);
}

static int cross(void)
{
	static bool set[SCAP_SC_MAX];
	static struct rec k[4096], b[4096];
	struct scap_capture *ck, *cb;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	int nk, nb, bad = 0;

	for (int sc = 1; sc < SCAP_SC_MAX; sc++)
		set[sc] = true;
	set[SCAP_SC_SCHED_SWITCH] = set[SCAP_SC_SIGNAL_DELIVER] = false;
	set[SCAP_SC_PAGE_FAULT_USER] = set[SCAP_SC_PAGE_FAULT_KERNEL] = false;
	ck = open_engine("kmod", set, false);
	if (!ck)
		return 1;
	cb = open_engine("bpf_core", set, false);
	if (!cb) {
		scap_capture__close(ck);
		return 77;
	}
	workload();
	scap_capture__stop(ck);
	scap_capture__stop(cb);
	nk = collect(ck, tid, k, 4096);
	nb = collect(cb, tid, b, 4096);
	/* Both engines saw the same syscalls of this thread; the stop ioctl/bpf calls themselves differ. */
	for (int i = 0, j = 0; i < nk && j < nb; i++, j++) {
		struct scap_param pk[SCAP_MAX_PARAMS], pb[SCAP_MAX_PARAMS];
		uint32_t npk, npb;
		const struct scap_evt_hdr *hk = (void *)k[i].raw, *hb = (void *)b[j].raw;

		/* skip events that exist on one side only (the other engine's own control syscalls) */
		while (hk->type != hb->type && j + 1 < nb && ((struct scap_evt_hdr *)b[j + 1].raw)->type == hk->type)
			hb = (void *)b[++j].raw;
		while (hk->type != hb->type && i + 1 < nk && ((struct scap_evt_hdr *)k[i + 1].raw)->type == hb->type)
			hk = (void *)k[++i].raw;
		if (hk->type != hb->type) {
			printf("DIFF type kmod %s (%u) vs bpf_core %s (%u)\n", scap_event_name(hk->type), hk->type,
			       scap_event_name(hb->type), hb->type);
			bad++;
			continue;
		}
		scap_event_decode(hk, hk->len, pk, SCAP_MAX_PARAMS, &npk);
		scap_event_decode(hb, hb->len, pb, SCAP_MAX_PARAMS, &npb);
		if (npk != npb) {
			printf("DIFF %s: nparams %u vs %u\n", scap_event_name(hk->type), npk, npb);
			bad++;
			continue;
		}
		for (uint32_t p = 0; p < npk; p++) {
			if (pk[p].len == pb[p].len && !memcmp(pk[p].data, pb[p].data, pk[p].len))
				continue;
			printf("DIFF %s.%s: kmod %u bytes [", scap_event_name(hk->type),
			       scap_event_param_name(hk->type, p), pk[p].len);
			for (uint32_t x = 0; x < pk[p].len && x < 40; x++)
				printf("%02x", ((const uint8_t *)pk[p].data)[x]);
			printf("] bpf_core %u bytes [", pb[p].len);
			for (uint32_t x = 0; x < pb[p].len && x < 40; x++)
				printf("%02x", ((const uint8_t *)pb[p].data)[x]);
			printf("]\n");
			bad++;
		}
		printf("SAME %s (%u params)\n", scap_event_name(hk->type), npk);
	}
	printf("cross: kmod %d events, bpf_core %d events, %d differences\n", nk, nb, bad);
	scap_capture__close(ck);
	scap_capture__close(cb);
	return bad || nk < 20 ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "consume"))
		return consume(argv[2], atof(argv[3]), false);
	if (argc == 3 && !strcmp(argv[1], "storm"))
		return storm(atof(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "bench"))
		return bench(argv[2], atol(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "cross"))
		return cross();
	fprintf(stderr, "usage: kmod_tool consume ENGINE SECONDS | storm SECONDS | bench ENGINE|none N | cross\n");
	return 2;
}
