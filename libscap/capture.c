/* SPDX-License-Identifier: Apache-2.0 */
/* The capture handle: dispatch to the engine behind it, and the live engines' table. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "common/opts.h"
#include "engines/engine.h"
#include "engines/exclude.h"
#include "scap/proc.h"

/* The live engines scap_capture__open_live() picks from by name; the first is the default. */
static const struct scap_live_engine g_live_engines[] = {
	{ "bpf_core", scap_bpf_core_open },
	{ "kmod", scap_kmod_open },
};
#define N_LIVE_ENGINES (sizeof(g_live_engines) / sizeof(g_live_engines[0]))

struct scap_capture *scap_capture_alloc(const struct scap_engine_ops *ops, void *engine)
{
	struct scap_capture *cap = calloc(1, sizeof(*cap));

	if (!cap) {
		scap_fail(ENOMEM, "out of memory allocating a capture handle");
		errno = ENOMEM;
		return NULL;
	}
	cap->ops = ops;
	cap->engine = engine;
	return cap;
}

int scap_capture_fail(struct scap_capture *cap, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cap->errbuf, sizeof(cap->errbuf), fmt, ap);
	va_end(ap);
	return scap_fail(err, "%s", cap->errbuf);
}

int scap_opts_copy(void *out, size_t out_sz, const void *user)
{
	char why[160];
	int rc = scap_sized_copy(out, out_sz, user, why, sizeof(why));

	return rc < 0 ? scap_fail(-rc, "options struct: %s (libscap %s)", why, SCAP_VERSION_STRING) : 0;
}

void scap_capture__close(struct scap_capture *cap)
{
	if (!cap)
		return;
	if (cap->ops->close)
		cap->ops->close(cap);
	scap_platform__free(cap->scanned);
	free(cap);
}

const char *scap_capture__engine(const struct scap_capture *cap)
{
	return cap->ops->name;
}

int scap_capture__start(struct scap_capture *cap)
{
	return cap->ops->start ? cap->ops->start(cap) : 0;
}

int scap_capture__stop(struct scap_capture *cap)
{
	return cap->ops->stop ? cap->ops->stop(cap) : 0;
}

#define WAIT_START_US 500u
#define WAIT_MAX_US   30000u

/* Live engines, every ring empty: sleep before the second look (see scap_live_opts.max_wait_us). */
static bool wait_empty(struct scap_capture *cap)
{
	struct timespec ts;

	if (!cap->wait_us)
		return false;
	ts.tv_sec = cap->wait_us / 1000000;
	ts.tv_nsec = (long)(cap->wait_us % 1000000) * 1000;
	nanosleep(&ts, NULL);
	cap->wait_us = cap->wait_us > cap->wait_max_us / 2 ? cap->wait_max_us : cap->wait_us * 2;
	return true;
}

static void got_events(struct scap_capture *cap)
{
	if (cap->wait_us)
		cap->wait_us = WAIT_START_US < cap->wait_max_us ? WAIT_START_US : cap->wait_max_us;
}

void scap_capture_set_wait(struct scap_capture *cap, const struct scap_live_opts *o)
{
	cap->wait_max_us = o->immediate ? 0 : o->max_wait_us ? o->max_wait_us : WAIT_MAX_US;
	cap->wait_us = cap->wait_max_us;
	got_events(cap);
}

static int next_once(struct scap_capture *cap, const struct scap_evt_hdr **evt, uint16_t *cpu, uint32_t *flags)
{
	int rc = cap->ops->next(cap, evt, cpu, flags);

	if (rc == SCAP_STATUS_TIMEOUT && wait_empty(cap))
		rc = cap->ops->next(cap, evt, cpu, flags);
	if (rc == 0)
		got_events(cap);
	return rc;
}

static int deliver(struct scap_capture *cap, uint16_t c, uint32_t f, uint16_t *cpu, uint32_t *flags)
{
	got_events(cap);
	cap->n_delivered++;
	if (cpu)
		*cpu = c;
	if (flags)
		*flags = f;
	return 0;
}

/* next() after a first look found every ring empty (next_once()'s second half). */
static __attribute__((noinline)) int next_waited(struct scap_capture *cap, const struct scap_evt_hdr **evt,
						 uint16_t *cpu, uint32_t *flags)
{
	uint16_t c = 0;
	uint32_t f = 0;
	int rc;

	if (!wait_empty(cap))
		return SCAP_STATUS_TIMEOUT;
	if ((rc = cap->ops->next(cap, evt, &c, &f)) != 0)
		return rc;
	return deliver(cap, c, f, cpu, flags);
}

int scap_capture__next(struct scap_capture *cap, const struct scap_evt_hdr **evt, uint16_t *cpu, uint32_t *flags)
{
	uint16_t c = 0;
	uint32_t f = 0;
	/* next_once() spelled out, its waiting half apart: this is every event's path */
	int rc = cap->ops->next(cap, evt, &c, &f);

	if (rc != 0)
		return rc == SCAP_STATUS_TIMEOUT ? next_waited(cap, evt, cpu, flags) : rc;
	return deliver(cap, c, f, cpu, flags);
}

int scap_capture__next_batch(struct scap_capture *cap, struct scap_event_ref *out, uint32_t max, uint32_t *n)
{
	uint32_t i = 0;
	int rc = 0;

	if (cap->ops->next_batch) {
		rc = cap->ops->next_batch(cap, out, max, n);
		if (rc == SCAP_STATUS_TIMEOUT && max && wait_empty(cap))
			rc = cap->ops->next_batch(cap, out, max, n);
		if (rc == 0) {
			got_events(cap);
			cap->n_delivered += *n;
		}
		return rc;
	}
	/* Events of the generic path stay valid only until the next call, so the fallback delivers one. */
	if (max) {
		rc = next_once(cap, &out[0].evt, &out[0].cpu, &out[0].flags);
		if (rc == 0)
			i = 1;
	}
	*n = i;
	cap->n_delivered += i;
	return rc;
}

static int configure(struct scap_capture *cap, enum scap_setting what, uint64_t a, uint64_t b)
{
	if (!cap->ops->configure)
		return scap_capture_fail(cap, EOPNOTSUPP, "the %s engine cannot be configured at run time",
					 cap->ops->name);
	return cap->ops->configure(cap, what, a, b);
}

int scap_capture__set_snaplen(struct scap_capture *cap, uint32_t snaplen)
{
	if (snaplen > SCAP_MAX_PARAM_SIZE)
		return scap_capture_fail(cap, EINVAL, "snaplen %u exceeds the maximum of %d", snaplen,
					 SCAP_MAX_PARAM_SIZE);
	return configure(cap, SCAP_SET_SNAPLEN, snaplen, 0);
}

int scap_capture__set_ppm_sc(struct scap_capture *cap, uint32_t ppm_sc, bool enabled)
{
	if (ppm_sc >= SCAP_SC_MAX)
		return scap_capture_fail(cap, EINVAL, "unknown ppm_sc code %u", ppm_sc);
	return configure(cap, SCAP_SET_PPM_SC, ppm_sc, enabled);
}

int scap_capture__set_drop_failed(struct scap_capture *cap, bool enabled)
{
	return configure(cap, SCAP_SET_DROP_FAILED, enabled, 0);
}

int scap_capture__stats(struct scap_capture *cap, struct scap_stats *stats)
{
	struct scap_stats st;
	size_t sz;
	int rc = 0;

	if (!stats || stats->sz < sizeof(size_t))
		return scap_capture_fail(cap, EINVAL, "stats: set sz to sizeof(struct scap_stats)");
	sz = stats->sz < sizeof(st) ? stats->sz : sizeof(st);
	memset(&st, 0, sizeof(st));
	st.sz = sizeof(st);
	if (cap->ops->stats)
		rc = cap->ops->stats(cap, &st);
	st.n_delivered = cap->n_delivered;
	memcpy(stats, &st, sz);
	stats->sz = sz;
	return rc;
}

int scap_capture__progress(const struct scap_capture *cap, double *pct)
{
	if (!cap || !pct)
		return scap_fail(EINVAL, "progress: NULL argument");
	if (!cap->ops->progress)
		return scap_fail(ENOTSUP, "progress: a %s capture has none", cap->ops->name);
	return cap->ops->progress(cap, pct);
}

const struct scap_platform *scap_capture__platform(const struct scap_capture *cap)
{
	if (!cap)
		return NULL;
	if (cap->ops->platform)
		return cap->ops->platform(cap);
	return cap->scanned;
}

uint32_t scap_live_opts_ntgids(const struct scap_live_opts *o)
{
	uint32_t n = 0;

	if (!o->exclude_tgids)
		return 0;
	if (o->n_exclude_tgids)
		return o->n_exclude_tgids;
	while (o->exclude_tgids[n])
		n++;
	return n;
}

static bool excluded_pid(const struct scap_live_opts *o, uint32_t n, uint64_t pid)
{
	if (o->exclude_self && pid == (uint64_t)getpid())
		return true;
	for (uint32_t i = 0; i < n; i++)
		if ((uint64_t)o->exclude_tgids[i] == pid)
			return true;
	return false;
}

/* A copy of p without the threads of excluded processes (NULL + errno on failure). */
static struct scap_platform *without_excluded(const struct scap_platform *p, const struct scap_live_opts *o)
{
	struct scap_platform *q = scap_platform__new();
	uint32_t ntgids = scap_live_opts_ntgids(o);
	int rc = q ? 0 : -ENOMEM;

	if (q)
		rc = scap_platform__set_machine(q, scap_platform__machine(p));
	for (uint32_t i = 0; rc >= 0 && i < scap_platform__nifaces(p); i++)
		rc = scap_platform__add_iface(q, scap_platform__iface(p, i));
	for (uint32_t i = 0; rc >= 0 && i < scap_platform__nusers(p); i++)
		rc = scap_platform__add_user(q, scap_platform__user(p, i));
	for (uint32_t i = 0; rc >= 0 && i < scap_platform__ngroups(p); i++)
		rc = scap_platform__add_group(q, scap_platform__group(p, i));
	for (uint32_t i = 0; rc >= 0 && i < scap_platform__nthreads(p); i++) {
		const struct scap_thread_info *t = scap_platform__thread(p, i);

		if (excluded_pid(o, ntgids, t->pid))
			continue;
		rc = scap_platform__add_thread(q, t);
		for (uint32_t k = 0; rc >= 0 && k < t->nfds; k++)
			rc = scap_platform__add_fd(q, t->tid, &t->fds[k]);
	}
	if (rc < 0) {
		scap_platform__free(q);
		errno = -rc;
		return NULL;
	}
	return q;
}

int scap_capture_scan_proc(struct scap_capture *cap, const struct scap_live_opts *opts)
{
	struct scap_scan_opts so = { .sz = sizeof(so), .what = SCAP_SCAN_ALL };
	struct scap_scan_stats st = { .sz = sizeof(st) };
	struct scap_platform *all;
	int rc;

	so.stats = &st;
	all = scap_platform__new();
	if (!all)
		return scap_capture_fail(cap, ENOMEM, "out of memory for the /proc scan");
	rc = scap_platform__scan(all, &so);
	if (rc < 0) {
		scap_platform__free(all);
		return scap_capture_fail(cap, -rc, "the /proc scan at open failed: %s", scap_last_error());
	}
	if (!opts->exclude_self && !scap_live_opts_ntgids(opts)) {
		cap->scanned = all; /* nothing to leave out */
	} else {
		cap->scanned = without_excluded(all, opts);
		scap_platform__free(all);
	}
	if (!cap->scanned)
		return scap_capture_fail(cap, errno, "out of memory for the /proc scan");
	scap_log(SCAP_DEBUG, "/proc scan: %u processes, %u threads, %llu fds in %llu us", st.nprocs, st.nthreads,
		 (unsigned long long)st.nfds, (unsigned long long)(st.duration_ns / 1000));
	return 0;
}

const char *scap_capture__geterr(const struct scap_capture *cap)
{
	return cap->errbuf;
}

/* The engine the options name (the default without a name), opened with the options' copy in *out. */
static struct scap_capture *open_engine(const struct scap_live_opts *user_opts, struct scap_live_opts *out)
{
	char known[128] = "";
	size_t i;
	int rc;

	rc = scap_opts_copy(out, sizeof(*out), user_opts);
	if (rc == 0)
		rc = scap_exclude_paths_check(out);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	for (i = 0; i < N_LIVE_ENGINES; i++) {
		if (!out->engine || !strcmp(out->engine, g_live_engines[i].name))
			return g_live_engines[i].open(out);
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s", i ? ", " : "",
			 g_live_engines[i].name);
	}
	scap_fail(ENOENT, "unknown live engine \"%s\" (known: %s)", out->engine, known);
	errno = ENOENT;
	return NULL;
}

struct scap_capture *scap_capture__open_live(const struct scap_live_opts *user_opts)
{
	struct scap_live_opts o;
	struct scap_capture *cap = open_engine(user_opts, &o);
	int rc;

	if (cap)
		scap_capture_set_wait(cap, &o);
	if (cap && !o.no_proc_scan && (rc = scap_capture_scan_proc(cap, &o)) < 0) {
		scap_fail(-rc, "%s", scap_capture__geterr(cap));
		scap_capture__close(cap);
		errno = -rc;
		return NULL;
	}
	return cap;
}
