/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Driver tests, in the manner of upstream's: each case opens the live engine named on the
 * command line with exactly the syscalls under test, performs them itself (success and
 * failure), finds each event by type and thread id and asserts every parameter.
 */
#ifndef DRIVER_TEST_H
#define DRIVER_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scap/capture.h"
#include "scap/event.h"

#define SKIP 77

extern const char *g_engine;
extern char g_comm[16];
extern struct scap_capture *g_cap;
extern char g_failmsg[1024];

/* A copied event with its decoded parameters. */
struct ev {
	struct scap_evt_hdr hdr;
	uint8_t *raw;
	uint32_t nparams;
	struct scap_param p[SCAP_MAX_PARAMS];
};

struct cap_opts {
	uint32_t buffer_bytes;
	uint32_t snaplen;
	bool exclude_self;
	bool drop_failed;
	const int32_t *exclude_tgids;
	uint32_t n_exclude_tgids;
	const char *const *exclude_comms;
	uint32_t n_exclude_comms;
	bool default_set; /* open with .ppm_sc = NULL (the library's default set), ignoring scs */
	/* The cases poll (cap_find, idle counts): they open in immediate mode unless this asks for
	 * the library's default, next() sleeping while the rings are empty, up to max_wait_us. */
	bool wait_when_empty;
	uint32_t max_wait_us;
};

/* Open + start the engine with exactly the ppm_sc codes in scs (terminated by -1). */
int cap_open(const int *scs, const struct cap_opts *o);
void cap_close(void);
/* Drain every pending event. */
void cap_drain(void);
/* Next event of `type` from thread `tid` (skipping others), within 3 s. 0 or -1. */
int cap_find(uint16_t type, uint64_t tid, struct ev *out);
/* Next event of `type` from either thread (parent and child events come in either order). */
int cap_find2(uint16_t type, uint64_t tid, uint64_t tid2, struct ev *out);
/* Like cap_find, but expects that no such event arrives (drains for 200 ms). */
int cap_expect_none(uint16_t type, uint64_t tid);
/* Wait (up to 3 s) until fd is readable: loopback delivery may be deferred to a softirq on a loaded
 * machine, so a non-blocking read right after the peer's write can find nothing yet. */
void wait_readable(int fd);
void ev_free(struct ev *e);
pid_t gettid_(void);
/* CLOCK_MONOTONIC in microseconds. */
uint64_t mono_us(void);

int fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define FAIL(...) return fail(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond)                                      \
	do {                                             \
		if (!(cond))                             \
			FAIL("check failed: %s", #cond); \
	} while (0)
#define CHECK_SYS(cond)                                         \
	do {                                                    \
		if (!(cond))                                    \
			FAIL("%s: %s", #cond, strerror(errno)); \
	} while (0)

int check_nparams(const struct ev *e, uint32_t n, const char *file, int line);
int check_i64(const struct ev *e, int i, int64_t v, const char *file, int line);
int check_u64(const struct ev *e, int i, uint64_t v, const char *file, int line);
int check_u32(const struct ev *e, int i, uint32_t v, const char *file, int line);
int check_u16(const struct ev *e, int i, uint16_t v, const char *file, int line);
int check_u8(const struct ev *e, int i, uint8_t v, const char *file, int line);
int check_str(const struct ev *e, int i, const char *s, const char *file, int line);
int check_bytes(const struct ev *e, int i, const void *b, uint32_t len, const char *file, int line);
int check_empty(const struct ev *e, int i, const char *file, int line);

#define P_N(e, n)                                            \
	do {                                                 \
		if (check_nparams(e, n, __FILE__, __LINE__)) \
			return 1;                            \
	} while (0)
#define P_I64(e, i, v)                                                 \
	do {                                                           \
		if (check_i64(e, i, (int64_t)(v), __FILE__, __LINE__)) \
			return 1;                                      \
	} while (0)
#define P_U64(e, i, v)                                                  \
	do {                                                            \
		if (check_u64(e, i, (uint64_t)(v), __FILE__, __LINE__)) \
			return 1;                                       \
	} while (0)
#define P_U32(e, i, v)                                                  \
	do {                                                            \
		if (check_u32(e, i, (uint32_t)(v), __FILE__, __LINE__)) \
			return 1;                                       \
	} while (0)
#define P_U16(e, i, v)                                                  \
	do {                                                            \
		if (check_u16(e, i, (uint16_t)(v), __FILE__, __LINE__)) \
			return 1;                                       \
	} while (0)
#define P_U8(e, i, v)                                                 \
	do {                                                          \
		if (check_u8(e, i, (uint8_t)(v), __FILE__, __LINE__)) \
			return 1;                                     \
	} while (0)
#define P_STR(e, i, s)                                      \
	do {                                                \
		if (check_str(e, i, s, __FILE__, __LINE__)) \
			return 1;                           \
	} while (0)
#define P_BYTES(e, i, b, l)                                      \
	do {                                                     \
		if (check_bytes(e, i, b, l, __FILE__, __LINE__)) \
			return 1;                                \
	} while (0)
#define P_EMPTY(e, i)                                      \
	do {                                               \
		if (check_empty(e, i, __FILE__, __LINE__)) \
			return 1;                          \
	} while (0)
#define FIND(type, tid, e)                                                                                  \
	do {                                                                                                \
		if (cap_find(type, tid, e))                                                                 \
			FAIL("no %s event (type %d) from tid %d", scap_event_name(type), type, (int)(tid)); \
	} while (0)

/* Sockaddr/tuple encodings (docs/upstream-facts.md §1.5) built by the tests from what they know. */
uint32_t enc_inet(uint8_t *out, uint32_t addr_be, uint16_t port);
uint32_t enc_tuple4(uint8_t *out, uint32_t sa, uint16_t sp, uint32_t da, uint16_t dp);

struct test_case {
	const char *name;
	int (*fn)(void);
};
extern const struct test_case file_cases[], net_cases[], proc_cases[], misc_cases[], core_cases[], sys_cases[];

#endif
