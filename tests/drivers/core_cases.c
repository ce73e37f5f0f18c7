/* SPDX-License-Identifier: Apache-2.0 */
/* Engine behaviour: generic events, run-time settings, exclusion, ordering, overload statistics. */
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "driver_test.h"

static uint64_t realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int t_generic(void)
{
	int sc[] = { SCAP_SC_GETPPID, -1 };
	uint64_t before, after;
	struct ev e;

	if (cap_open(sc, NULL))
		return 1;
	before = realtime_ns();
	syscall(SYS_getppid);
	after = realtime_ns();
	FIND(SCAP_EVT_SYSCALL_X, gettid_(), &e);
	P_N(&e, 2);
	P_U16(&e, 0, SCAP_SC_GETPPID);
	P_U16(&e, 1, SYS_getppid);
	/* boot_time + boot clock: within a few ms of the wall clock around the call */
	if (e.hdr.ts + 5000000 < before || e.hdr.ts > after + 5000000)
		FAIL("ts %llu not within [%llu, %llu] +- 5 ms", (unsigned long long)e.hdr.ts,
		     (unsigned long long)before, (unsigned long long)after);
	CHECK(e.hdr.len == 26 + 4 + 4);
	ev_free(&e);
	/* a syscall outside the set produces nothing */
	syscall(SYS_sched_yield);
	if (cap_expect_none(SCAP_EVT_SYSCALL_X, gettid_()))
		FAIL("got an event for a syscall outside the set");
	return 0;
}

static int t_ppm_sc_runtime(void)
{
	int sc[] = { SCAP_SC_GETPPID, -1 };
	pid_t tid = gettid_();
	struct ev e;

	if (cap_open(sc, NULL))
		return 1;
	syscall(SYS_sched_yield);
	syscall(SYS_getppid);
	FIND(SCAP_EVT_SYSCALL_X, tid, &e);
	P_U16(&e, 0, SCAP_SC_GETPPID);
	ev_free(&e);
	CHECK(scap_capture__set_ppm_sc(g_cap, SCAP_SC_SCHED_YIELD, true) == 0);
	CHECK(scap_capture__set_ppm_sc(g_cap, SCAP_SC_GETPPID, false) == 0);
	syscall(SYS_getppid);
	syscall(SYS_sched_yield);
	FIND(SCAP_EVT_SYSCALL_X, tid, &e);
	P_U16(&e, 0, SCAP_SC_SCHED_YIELD);
	P_U16(&e, 1, SYS_sched_yield);
	ev_free(&e);
	if (cap_expect_none(SCAP_EVT_SYSCALL_X, tid))
		FAIL("an event after the set change that should not be there");
	/* disabling everything detaches sys_exit; enabling again re-attaches */
	CHECK(scap_capture__set_ppm_sc(g_cap, SCAP_SC_SCHED_YIELD, false) == 0);
	syscall(SYS_sched_yield);
	if (cap_expect_none(SCAP_EVT_SYSCALL_X, tid))
		FAIL("event with an empty set");
	CHECK(scap_capture__set_ppm_sc(g_cap, SCAP_SC_GETPPID, true) == 0);
	syscall(SYS_getppid);
	FIND(SCAP_EVT_SYSCALL_X, tid, &e);
	P_U16(&e, 0, SCAP_SC_GETPPID);
	ev_free(&e);
	CHECK(scap_capture__set_ppm_sc(g_cap, SCAP_SC_MAX, true) == -EINVAL);
	return 0;
}

/* Run fn in a child and return the child's pid after it exited. */
static pid_t in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return pid;
}

static void child_getppid(void *arg)
{
	const char *comm = arg;
	if (comm)
		prctl(PR_SET_NAME, comm);
	for (int i = 0; i < 10; i++)
		syscall(SYS_getppid);
}

static int t_exclude_self(void)
{
	int sc[] = { SCAP_SC_GETPPID, -1 };
	struct cap_opts o = { .exclude_self = true };
	pid_t child;

	if (cap_open(sc, &o))
		return 1;
	for (int i = 0; i < 10; i++)
		syscall(SYS_getppid);
	child = in_child(child_getppid, NULL);
	{
		const struct scap_evt_hdr *h;
		int mine = 0, theirs = 0;
		for (int idle = 0; idle < 20000;) {
			if (scap_capture__next(g_cap, &h, NULL, NULL) != 0) {
				idle++;
				continue;
			}
			if (h->tid == (uint64_t)gettid_())
				mine++;
			if (h->tid == (uint64_t)child && h->type == SCAP_EVT_SYSCALL_X)
				theirs++;
		}
		if (mine)
			FAIL("%d events from the excluded consumer", mine);
		if (theirs != 10)
			FAIL("%d events from the child, expected 10", theirs);
	}
	return 0;
}

static int t_exclude_comm(void)
{
	int sc[] = { SCAP_SC_GETPPID, -1 };
	const char *comms[] = { "drvtest_excl" };
	struct cap_opts o = { .exclude_comms = comms, .n_exclude_comms = 1 };
	pid_t a, b;
	int na = 0, nb = 0;
	const struct scap_evt_hdr *h;

	if (cap_open(sc, &o))
		return 1;
	a = in_child(child_getppid, "drvtest_excl");
	b = in_child(child_getppid, "drvtest_keep");
	for (int idle = 0; idle < 20000;) {
		if (scap_capture__next(g_cap, &h, NULL, NULL) != 0) {
			idle++;
			continue;
		}
		na += h->tid == (uint64_t)a;
		nb += h->tid == (uint64_t)b;
	}
	if (na)
		FAIL("%d events from the excluded comm", na);
	if (nb != 10)
		FAIL("%d events from the other child, expected 10", nb);
	return 0;
}

static int t_snaplen(void)
{
	int sc[] = { SCAP_SC_WRITE, -1 };
	struct cap_opts o = { .snaplen = 32 };
	char buf[200];
	struct ev e;
	int fd = open("/dev/null", O_WRONLY);

	CHECK_SYS(fd >= 0);
	for (int i = 0; i < (int)sizeof(buf); i++)
		buf[i] = 'a' + i % 26;
	if (cap_open(sc, NULL))
		return 1;
	CHECK(syscall(SYS_write, fd, buf, 200) == 200);
	FIND(SCAP_EVT_WRITE_X, gettid_(), &e);
	P_BYTES(&e, 1, buf, 80); /* default snaplen */
	P_U32(&e, 3, 200);
	ev_free(&e);
	CHECK(scap_capture__set_snaplen(g_cap, 16) == 0);
	CHECK(syscall(SYS_write, fd, buf, 200) == 200);
	FIND(SCAP_EVT_WRITE_X, gettid_(), &e);
	P_BYTES(&e, 1, buf, 16);
	ev_free(&e);
	CHECK(scap_capture__set_snaplen(g_cap, 1000) == 0);
	CHECK(syscall(SYS_write, fd, buf, 200) == 200);
	FIND(SCAP_EVT_WRITE_X, gettid_(), &e);
	P_BYTES(&e, 1, buf, 200);
	ev_free(&e);
	cap_close();
	if (cap_open(sc, &o))
		return 1;
	CHECK(syscall(SYS_write, fd, buf, 200) == 200);
	FIND(SCAP_EVT_WRITE_X, gettid_(), &e);
	P_BYTES(&e, 1, buf, 32);
	ev_free(&e);
	close(fd);
	return 0;
}

static int t_drop_failed(void)
{
	int sc[] = { SCAP_SC_CLOSE, -1 };
	struct ev e;
	int fd = open("/dev/null", O_RDONLY);

	if (cap_open(sc, NULL))
		return 1;
	CHECK(scap_capture__set_drop_failed(g_cap, true) == 0);
	CHECK(syscall(SYS_close, -1) == -1);
	CHECK(syscall(SYS_close, fd) == 0);
	FIND(SCAP_EVT_CLOSE_X, gettid_(), &e);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, fd);
	ev_free(&e);
	if (cap_expect_none(SCAP_EVT_CLOSE_X, gettid_()))
		FAIL("failed close delivered with drop_failed");
	CHECK(scap_capture__set_drop_failed(g_cap, false) == 0);
	CHECK(syscall(SYS_close, -1) == -1);
	FIND(SCAP_EVT_CLOSE_X, gettid_(), &e);
	P_I64(&e, 0, -EBADF);
	P_I64(&e, 1, -1);
	ev_free(&e);
	return 0;
}

static void child_storm(void *arg)
{
	long cpu = (long)arg;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	for (int i = 0; i < 20000; i++)
		syscall(SYS_sched_get_priority_max, 0);
}

static int t_order_cpus(void)
{
	int sc[] = { SCAP_SC_SCHED_GET_PRIORITY_MAX, -1 };
	const struct scap_evt_hdr *h;
	uint64_t last = 0, n = 0, per_cpu[2] = { 0, 0 };
	pid_t p[2];
	uint16_t cpu;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		snprintf(g_failmsg, sizeof(g_failmsg), "needs 2 CPUs");
		return SKIP;
	}
	if (cap_open(sc, NULL))
		return 1;
	for (long c = 0; c < 2; c++) {
		p[c] = fork();
		if (p[c] == 0) {
			child_storm((void *)c);
			_exit(0);
		}
	}
	waitpid(p[0], NULL, 0);
	waitpid(p[1], NULL, 0);
	for (int idle = 0; idle < 20000;) {
		if (scap_capture__next(g_cap, &h, &cpu, NULL) != 0) {
			idle++;
			continue;
		}
		if (h->ts < last)
			FAIL("event %llu: ts %llu < previous %llu", (unsigned long long)n, (unsigned long long)h->ts,
			     (unsigned long long)last);
		last = h->ts;
		if (h->tid == (uint64_t)p[0] || h->tid == (uint64_t)p[1])
			per_cpu[cpu & 1]++;
		n++;
	}
	if (per_cpu[0] != 20000 || per_cpu[1] != 20000)
		FAIL("events per cpu %llu / %llu, expected 20000 each", (unsigned long long)per_cpu[0],
		     (unsigned long long)per_cpu[1]);
	return 0;
}

static int t_overload_stats(void)
{
	int sc[] = { SCAP_SC_SCHED_GET_PRIORITY_MIN, -1 };
	struct cap_opts o = { .buffer_bytes = 4096 };
	struct scap_stats st = { .sz = sizeof(st) };
	const struct scap_evt_hdr *h;
	uint64_t mine = 0;
	const int N = 100000;

	if (cap_open(sc, &o))
		return 1;
	for (int i = 0; i < N; i++)
		syscall(SYS_sched_get_priority_min, 0);
	for (int idle = 0; idle < 20000;) {
		if (scap_capture__next(g_cap, &h, NULL, NULL) != 0) {
			idle++;
			continue;
		}
		mine += h->tid == (uint64_t)gettid_();
	}
	CHECK(scap_capture__stats(g_cap, &st) == 0);
	if (st.n_evts != (uint64_t)N)
		FAIL("n_evts %llu, the workload made %d", (unsigned long long)st.n_evts, N);
	if (st.n_delivered + st.n_drops != st.n_evts)
		FAIL("delivered %llu + dropped %llu != generated %llu", (unsigned long long)st.n_delivered,
		     (unsigned long long)st.n_drops, (unsigned long long)st.n_evts);
	if (mine != st.n_delivered)
		FAIL("delivered %llu but %llu from the workload", (unsigned long long)st.n_delivered,
		     (unsigned long long)mine);
	if (st.n_drops == 0 || st.n_drops_buffer != st.n_drops)
		FAIL("expected buffer drops, got %llu (buffer %llu)", (unsigned long long)st.n_drops,
		     (unsigned long long)st.n_drops_buffer);
	if (st.n_drops_category[SCAP_DROP_OTHER_INTEREST_EXIT] != st.n_drops_buffer)
		FAIL("category drops %llu != buffer drops %llu",
		     (unsigned long long)st.n_drops_category[SCAP_DROP_OTHER_INTEREST_EXIT],
		     (unsigned long long)st.n_drops_buffer);
	return 0;
}

static int t_batch(void)
{
	int sc[] = { SCAP_SC_GETPPID, -1 };
	struct scap_event_ref refs[64];
	uint32_t n, got = 0;
	uint64_t last = 0;
	int tries = 0;

	if (cap_open(sc, NULL))
		return 1;
	for (int i = 0; i < 100; i++)
		syscall(SYS_getppid);
	while (tries < 20000) {
		if (scap_capture__next_batch(g_cap, refs, 64, &n) != 0) {
			tries++;
			continue;
		}
		for (uint32_t i = 0; i < n; i++) {
			CHECK(refs[i].evt->ts >= last);
			last = refs[i].evt->ts;
			got += refs[i].evt->tid == (uint64_t)gettid_();
		}
	}
	if (got != 100)
		FAIL("batch delivered %u of our 100 events", got);
	return 0;
}

/* The default when every ring is empty: next() sleeps 500 us, then 1, 2, 4 ms ... up to
 * max_wait_us before it returns SCAP_STATUS_TIMEOUT; events bring the wait back to 500 us.
 * Immediate mode never sleeps. (Lower bounds are exact: nanosleep never wakes early; the upper
 * bounds leave 10+ ms of slack and only tell a capped or reset wait from one that is not.) */
static int t_empty_wait(void)
{
	int sc[] = { SCAP_SC_SCHED_GET_PRIORITY_MIN, -1 };
	struct cap_opts o = { .exclude_self = true, .wait_when_empty = true, .max_wait_us = 20000 };
	static const uint64_t expect[8] = { 500, 1000, 2000, 4000, 8000, 16000, 20000, 20000 };
	struct scap_event_ref refs[16];
	const struct scap_evt_hdr *h;
	uint64_t t0, dt;
	uint32_t n, got = 0;
	pid_t child;
	int rc;

	if (cap_open(sc, &o))
		return 1;
	cap_drain();
	for (int i = 0; i < 8; i++) {
		t0 = mono_us();
		rc = scap_capture__next(g_cap, &h, NULL, NULL);
		dt = mono_us() - t0;
		if (rc != SCAP_STATUS_TIMEOUT)
			FAIL("empty call %d: rc %d (an event of another process?)", i, rc);
		if (dt < expect[i])
			FAIL("empty call %d returned after %llu us, expected a sleep of %llu us", i,
			     (unsigned long long)dt, (unsigned long long)expect[i]);
		if (i == 7 && dt >= 50000)
			FAIL("empty call 7 took %llu us: max_wait_us 20000 did not cap the wait",
			     (unsigned long long)dt);
	}
	/* events: delivered by the next call at once, and the wait starts again at 500 us */
	child = fork();
	CHECK_SYS(child >= 0);
	if (child == 0) {
		for (int i = 0; i < 10; i++)
			syscall(SYS_sched_get_priority_min, 0);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	while ((rc = scap_capture__next_batch(g_cap, refs, 16, &n)) == 0)
		for (uint32_t i = 0; i < n; i++)
			got += refs[i].evt->tid == (uint64_t)child;
	if (got != 10)
		FAIL("%u events of the child, expected 10", got);
	t0 = mono_us();
	rc = scap_capture__next_batch(g_cap, refs, 16, &n);
	dt = mono_us() - t0;
	CHECK(rc == SCAP_STATUS_TIMEOUT && n == 0);
	if (dt < 500 || dt >= 15000)
		FAIL("first empty call after events: %llu us, expected a 500 us sleep (the wait reset)",
		     (unsigned long long)dt);
	cap_close();

	/* immediate mode: 1000 empty calls would sleep >= 0.5 s in the default mode */
	o.wait_when_empty = false;
	if (cap_open(sc, &o))
		return 1;
	cap_drain();
	t0 = mono_us();
	for (int i = 0; i < 1000; i++)
		if (scap_capture__next(g_cap, &h, NULL, NULL) != SCAP_STATUS_TIMEOUT)
			FAIL("immediate: an event on an idle set");
	dt = mono_us() - t0;
	if (dt >= 400000)
		FAIL("immediate: 1000 empty calls took %llu us: next() slept", (unsigned long long)dt);
	return 0;
}

static int t_open_errors(void)
{
	struct scap_capture *c;

	SCAP_OPTS(scap_live_opts, bad, .engine = g_engine, .buffer_bytes = 12345);
	c = scap_capture__open_live(&bad);
	if (c)
		FAIL("buffer_bytes 12345 accepted");
	CHECK(errno == EINVAL);
	SCAP_OPTS(scap_live_opts, bad2, .engine = "nosuch");
	c = scap_capture__open_live(&bad2);
	CHECK(!c && errno == ENOENT);
	return 0;
}

const struct test_case core_cases[] = {
	{ "generic", t_generic },	    { "ppm_sc_runtime", t_ppm_sc_runtime },
	{ "exclude_self", t_exclude_self }, { "exclude_comm", t_exclude_comm },
	{ "snaplen", t_snaplen },	    { "drop_failed", t_drop_failed },
	{ "order_cpus", t_order_cpus },	    { "overload_stats", t_overload_stats },
	{ "next_batch", t_batch },	    { "empty_wait", t_empty_wait },
	{ "open_errors", t_open_errors },   { NULL, NULL },
};
