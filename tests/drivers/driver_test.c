/* SPDX-License-Identifier: Apache-2.0 */
/*
 * driver_test [--engine NAME] --list | --run CASE | --run-all
 * Exit status of --run: 0 pass, 1 fail (reason on stderr), 77 skip.
 */
#include <poll.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <time.h>

#include "driver_test.h"

const char *g_engine = "bpf_core";
char g_comm[16]; /* this process's comm at start (the binary's name, at most 15 chars) */
struct scap_capture *g_cap;
char g_failmsg[1024];

pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

int fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(g_failmsg, sizeof(g_failmsg), "%s:%d: ", file, line);

	va_start(ap, fmt);
	vsnprintf(g_failmsg + n, sizeof(g_failmsg) - n, fmt, ap);
	va_end(ap);
	return 1;
}

/*
 * Loading the probe takes seconds (the verifier), so cases that need no special open options
 * share one capture and switch its syscall set at run time (itself a feature under test);
 * cases with options open (and close) a capture of their own.
 */
static struct scap_capture *g_shared;
static bool g_shared_set[SCAP_SC_MAX];

static int set_shared(const bool *want)
{
	for (int sc = 0; sc < SCAP_SC_MAX; sc++) {
		if (g_shared_set[sc] == want[sc])
			continue;
		if (scap_capture__set_ppm_sc(g_shared, sc, want[sc]) < 0)
			return fail(__FILE__, __LINE__, "set_ppm_sc(%d): %s", sc, scap_capture__geterr(g_shared));
		g_shared_set[sc] = want[sc];
	}
	return 0;
}

int cap_open(const int *scs, const struct cap_opts *o)
{
	static bool set[SCAP_SC_MAX];
	struct cap_opts none = { 0 };
	int rc;

	memset(set, 0, sizeof(set));
	for (int i = 0; scs && scs[i] >= 0; i++)
		set[scs[i]] = true;
	if (!o && g_shared) {
		if (set_shared(set))
			return 1;
		if (scap_capture__set_snaplen(g_shared, 80) || scap_capture__set_drop_failed(g_shared, false))
			return fail(__FILE__, __LINE__, "reset: %s", scap_capture__geterr(g_shared));
		g_cap = g_shared;
		cap_drain();
		return 0;
	}
	if (o && g_shared) {
		scap_capture__close(g_shared);
		g_shared = NULL;
		memset(g_shared_set, 0, sizeof(g_shared_set));
	}
	if (!o)
		o = &none;
	SCAP_OPTS(scap_live_opts, lo, .engine = g_engine, .ppm_sc = o->default_set ? NULL : set,
		  .buffer_bytes = o->buffer_bytes, .snaplen = o->snaplen, .exclude_self = o->exclude_self,
		  .drop_failed = o->drop_failed, .exclude_tgids = o->exclude_tgids,
		  .n_exclude_tgids = o->n_exclude_tgids, .exclude_comms = o->exclude_comms,
		  .n_exclude_comms = o->n_exclude_comms, .immediate = !o->wait_when_empty,
		  .max_wait_us = o->max_wait_us);
	g_cap = scap_capture__open_live(&lo);
	if (!g_cap)
		return fail(__FILE__, __LINE__, "open_live(%s): %s (errno %d)", g_engine, scap_last_error(), errno);
	rc = scap_capture__start(g_cap);
	if (rc < 0)
		return fail(__FILE__, __LINE__, "start: %s", scap_capture__geterr(g_cap));
	if (o == &none) {
		g_shared = g_cap;
		memcpy(g_shared_set, set, sizeof(set));
	}
	return 0;
}

void cap_close(void)
{
	static const bool none[SCAP_SC_MAX];

	if (g_cap && g_cap == g_shared) {
		set_shared(none);
		cap_drain();
	} else if (g_cap) {
		scap_capture__close(g_cap);
	}
	g_cap = NULL;
}

uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ull + ts.tv_nsec / 1000;
}

static uint64_t now_ms(void)
{
	return mono_us() / 1000;
}

void cap_drain(void)
{
	const struct scap_evt_hdr *h;
	while (scap_capture__next(g_cap, &h, NULL, NULL) == 0)
		;
}

static void ev_copy(const struct scap_evt_hdr *h, struct ev *out)
{
	memset(out, 0, sizeof(*out));
	out->raw = malloc(h->len);
	memcpy(out->raw, h, h->len);
	memcpy(&out->hdr, h, sizeof(out->hdr));
	if (scap_event_decode(out->raw, h->len, out->p, SCAP_MAX_PARAMS, &out->nparams) < 0)
		out->nparams = UINT32_MAX;
}

void ev_free(struct ev *e)
{
	free(e->raw);
	e->raw = NULL;
}

static int find_until2(uint16_t type, uint64_t tid, uint64_t tid2, struct ev *out, uint64_t ms)
{
	uint64_t deadline = now_ms() + ms;
	const struct scap_evt_hdr *h;

	for (;;) {
		int rc = scap_capture__next(g_cap, &h, NULL, NULL);
		if (rc == 0) {
			if (h->type == type && (h->tid == tid || h->tid == tid2)) {
				ev_copy(h, out);
				return 0;
			}
			continue;
		}
		if (rc < 0)
			return -1;
		if (now_ms() > deadline)
			return -1;
		/* busy-poll: sleeping would be a syscall that the test may be tracing */
	}
}

static int find_until(uint16_t type, uint64_t tid, struct ev *out, uint64_t ms)
{
	return find_until2(type, tid, tid, out, ms);
}

int cap_find(uint16_t type, uint64_t tid, struct ev *out)
{
	return find_until(type, tid, out, 3000);
}

int cap_find2(uint16_t type, uint64_t tid, uint64_t tid2, struct ev *out)
{
	return find_until2(type, tid, tid2, out, 3000);
}

void wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	poll(&p, 1, 3000);
}

int cap_expect_none(uint16_t type, uint64_t tid)
{
	struct ev e;
	if (find_until(type, tid, &e, 200) == 0) {
		ev_free(&e);
		return -1;
	}
	return 0;
}

static const struct scap_param *param(const struct ev *e, int i, const char *file, int line)
{
	if (e->nparams == UINT32_MAX) {
		fail(file, line, "%s event does not decode", scap_event_name(e->hdr.type));
		return NULL;
	}
	if ((uint32_t)i >= e->nparams) {
		fail(file, line, "%s: no param %d (nparams %u)", scap_event_name(e->hdr.type), i, e->nparams);
		return NULL;
	}
	return &e->p[i];
}

int check_nparams(const struct ev *e, uint32_t n, const char *file, int line)
{
	if (e->nparams != n)
		return fail(file, line, "%s: nparams %u, expected %u", scap_event_name(e->hdr.type), e->nparams, n);
	if ((int)n != scap_event_nparams(e->hdr.type))
		return fail(file, line, "%s: nparams %u, the schema says %d", scap_event_name(e->hdr.type), n,
			    scap_event_nparams(e->hdr.type));
	return 0;
}

#define PNAME(e, i) scap_event_param_name((e)->hdr.type, i)

static int check_fixed(const struct ev *e, int i, uint64_t v, uint32_t size, bool sign, const char *file, int line)
{
	const struct scap_param *p = param(e, i, file, line);
	uint64_t got = 0;

	if (!p)
		return 1;
	if (p->len != size)
		return fail(file, line, "%s.%s: length %u, expected %u", scap_event_name(e->hdr.type), PNAME(e, i),
			    p->len, size);
	memcpy(&got, p->data, size);
	if (size < 8)
		v &= (1ull << (size * 8)) - 1;
	if (got != v) {
		if (sign)
			return fail(file, line, "%s.%s = %lld, expected %lld", scap_event_name(e->hdr.type),
				    PNAME(e, i), (long long)got, (long long)v);
		return fail(file, line, "%s.%s = %llu (0x%llx), expected %llu (0x%llx)", scap_event_name(e->hdr.type),
			    PNAME(e, i), (unsigned long long)got, (unsigned long long)got, (unsigned long long)v,
			    (unsigned long long)v);
	}
	return 0;
}

int check_i64(const struct ev *e, int i, int64_t v, const char *file, int line)
{
	return check_fixed(e, i, v, 8, true, file, line);
}
int check_u64(const struct ev *e, int i, uint64_t v, const char *file, int line)
{
	return check_fixed(e, i, v, 8, false, file, line);
}
int check_u32(const struct ev *e, int i, uint32_t v, const char *file, int line)
{
	return check_fixed(e, i, v, 4, false, file, line);
}
int check_u16(const struct ev *e, int i, uint16_t v, const char *file, int line)
{
	return check_fixed(e, i, v, 2, false, file, line);
}
int check_u8(const struct ev *e, int i, uint8_t v, const char *file, int line)
{
	return check_fixed(e, i, v, 1, false, file, line);
}

int check_str(const struct ev *e, int i, const char *s, const char *file, int line)
{
	const struct scap_param *p = param(e, i, file, line);
	size_t n = strlen(s) + 1;

	if (!p)
		return 1;
	if (p->len != n || memcmp(p->data, s, n))
		return fail(file, line, "%s.%s = \"%.*s\" (len %u), expected \"%s\" (len %zu)",
			    scap_event_name(e->hdr.type), PNAME(e, i), (int)p->len, (const char *)p->data, p->len, s,
			    n);
	return 0;
}

int check_bytes(const struct ev *e, int i, const void *b, uint32_t len, const char *file, int line)
{
	const struct scap_param *p = param(e, i, file, line);

	if (!p)
		return 1;
	if (p->len != len || memcmp(p->data, b, len)) {
		char got[200] = "", exp[200] = "";
		for (uint32_t k = 0; k < p->len && k < 48; k++)
			sprintf(got + 3 * k, "%02x ", ((const uint8_t *)p->data)[k]);
		for (uint32_t k = 0; k < len && k < 48; k++)
			sprintf(exp + 3 * k, "%02x ", ((const uint8_t *)b)[k]);
		return fail(file, line, "%s.%s: %u bytes [%s], expected %u bytes [%s]", scap_event_name(e->hdr.type),
			    PNAME(e, i), p->len, got, len, exp);
	}
	return 0;
}

int check_empty(const struct ev *e, int i, const char *file, int line)
{
	const struct scap_param *p = param(e, i, file, line);

	if (!p)
		return 1;
	if (p->len)
		return fail(file, line, "%s.%s: length %u, expected empty", scap_event_name(e->hdr.type), PNAME(e, i),
			    p->len);
	return 0;
}

uint32_t enc_inet(uint8_t *out, uint32_t addr_be, uint16_t port)
{
	out[0] = SCAP_SOCKET_FAMILIES_AF_INET;
	memcpy(out + 1, &addr_be, 4);
	memcpy(out + 5, &port, 2);
	return 7;
}

uint32_t enc_tuple4(uint8_t *out, uint32_t sa, uint16_t sp, uint32_t da, uint16_t dp)
{
	out[0] = SCAP_SOCKET_FAMILIES_AF_INET;
	memcpy(out + 1, &sa, 4);
	memcpy(out + 5, &sp, 2);
	memcpy(out + 7, &da, 4);
	memcpy(out + 11, &dp, 2);
	return 13;
}

static const struct test_case *const suites[] = {
	core_cases, file_cases, net_cases, proc_cases, misc_cases, sys_cases
};

static const struct test_case *lookup(const char *name)
{
	for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++)
		for (const struct test_case *t = suites[s]; t->name; t++)
			if (!strcmp(t->name, name))
				return t;
	return NULL;
}

static int run_one(const struct test_case *t)
{
	int rc;

	g_failmsg[0] = 0;
	rc = t->fn();
	cap_close();
	if (rc == 0)
		printf("PASS %s\n", t->name);
	else if (rc == SKIP)
		printf("SKIP %s: %s\n", t->name, g_failmsg);
	else
		printf("FAIL %s: %s\n", t->name, g_failmsg);
	fflush(stdout);
	return rc;
}

static int print_stderr(enum scap_print_level level, const char *msg, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "[%d] %s", level, msg);
	return 0;
}

int main(int argc, char **argv)
{
	const char *run = NULL;
	bool list = false, all = false;

	prctl(PR_GET_NAME, g_comm);

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--engine") && i + 1 < argc)
			g_engine = argv[++i];
		else if (!strcmp(argv[i], "--list"))
			list = true;
		else if (!strcmp(argv[i], "--run") && i + 1 < argc)
			run = argv[++i];
		else if (!strcmp(argv[i], "--run-all"))
			all = true;
		else {
			fprintf(stderr, "usage: %s [--engine NAME] --list | --run CASE[,CASE...] | --run-all\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("DRIVER_TEST_VERBOSE"))
		scap_set_print(print_stderr, NULL);
	if (list) {
		for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++)
			for (const struct test_case *t = suites[s]; t->name; t++)
				printf("%s\n", t->name);
		return 0;
	}
	if (run && strchr(run, ',')) {
		/* CASE,CASE,...: several cases in one process (one probe load), reported like --run-all */
		char *list = strdup(run), *save = NULL;
		int failed = 0;
		for (char *n = strtok_r(list, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
			const struct test_case *t = lookup(n);
			int rc;
			if (!t) {
				fprintf(stderr, "no test case %s\n", n);
				free(list);
				return 2;
			}
			rc = run_one(t);
			failed += rc && rc != SKIP;
		}
		free(list);
		printf("%d failed\n", failed);
		return failed ? 1 : 0;
	}
	if (run) {
		const struct test_case *t = lookup(run);
		int rc;
		if (!t) {
			fprintf(stderr, "no test case %s\n", run);
			return 2;
		}
		rc = run_one(t);
		if (rc && rc != SKIP)
			fprintf(stderr, "%s\n", g_failmsg);
		return rc == 0 ? 0 : rc == SKIP ? SKIP : 1;
	}
	if (all) {
		int failed = 0;
		for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++)
			for (const struct test_case *t = suites[s]; t->name; t++) {
				int rc = run_one(t);
				failed += rc && rc != SKIP;
			}
		printf("%d failed\n", failed);
		return failed ? 1 : 0;
	}
	fprintf(stderr, "usage: %s [--engine NAME] --list | --run CASE[,CASE...] | --run-all\n", argv[0]);
	return 2;
}
