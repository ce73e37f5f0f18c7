/* SPDX-License-Identifier: Apache-2.0 */
/* The "test" engine: replays synthetic wire events from memory (basis of tests without a kernel). */
#include <errno.h>
#include <stdlib.h>

#include "engines/engine.h"

struct test_engine {
	uint8_t *buf;
	size_t size;
	size_t pos;
	uint16_t cpu;
	uint64_t n_evts;
};

static int test_next(struct scap_capture *cap, const struct scap_evt_hdr **evt, uint16_t *cpu, uint32_t *flags)
{
	struct test_engine *t = cap->engine;
	uint32_t n;
	int rc;

	if (t->pos == t->size)
		return SCAP_STATUS_EOF;
	rc = scap_event_decode(t->buf + t->pos, t->size - t->pos, NULL, 0, &n);
	if (rc < 0)
		return scap_capture_fail(cap, rc, "test input: bad event at byte offset %zu: %s", t->pos,
					 scap_last_error());
	*evt = (const struct scap_evt_hdr *)(t->buf + t->pos);
	*cpu = t->cpu;
	*flags = 0;
	t->pos += scap_rd32(t->buf + t->pos + 16);
	t->n_evts++;
	return 0;
}

static int test_stats(struct scap_capture *cap, struct scap_stats *st)
{
	struct test_engine *t = cap->engine;

	st->n_evts = t->n_evts;
	return 0;
}

static void test_close(struct scap_capture *cap)
{
	struct test_engine *t = cap->engine;

	free(t->buf);
	free(t);
}

static const struct scap_engine_ops test_ops = {
	.name = "test",
	.next = test_next,
	.stats = test_stats,
	.close = test_close,
};

struct scap_capture *scap_capture__open_test(const struct scap_test_opts *user_opts)
{
	struct scap_test_opts opts;
	struct test_engine *t;
	struct scap_capture *cap;
	int rc;

	rc = scap_opts_copy(&opts, sizeof(opts), user_opts);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	if (opts.size && !opts.events) {
		scap_fail(EINVAL, "test input: size %zu with no events", opts.size);
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t && opts.size)
		t->buf = malloc(opts.size);
	if (!t || (opts.size && !t->buf)) {
		if (t)
			free(t);
		scap_fail(ENOMEM, "test input: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	if (opts.size)
		memcpy(t->buf, opts.events, opts.size);
	t->size = opts.size;
	t->cpu = opts.cpu;
	cap = scap_capture_alloc(&test_ops, t);
	if (!cap)
		test_close(&(struct scap_capture){ .engine = t });
	return cap;
}
