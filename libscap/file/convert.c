/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The converter: old event layouts -> the current exit-only layout.
 *
 * The rules are derived from the event table itself rather than listed by hand: every version
 * of an event shares its name, and parameters keep their names across versions. So
 * - an old enter event of a syscall is stored per thread (not delivered) and later merged
 *   into that syscall's exit event;
 * - an exit event that is an old version, or that has fewer parameters than the current
 *   table, is rebuilt as the current exit event: each current parameter is taken, by name,
 *   from the exit event, else from the stored enter event of the same syscall, else left
 *   empty (length 0). Integer parameters whose width changed are sign/zero-extended;
 * - an old version of an enter-only event (procexit, switch, container...) is rebuilt as its
 *   current version the same way;
 * - the current TOCTOU enter events (open, creat, openat, openat2, connect) are delivered as
 *   they are (padded with empty parameters if short) and also stored for their exit;
 * - events of unused table slots are dropped.
 * Special rules: old bpf exit `res_or_fd` (a PT_DYN) becomes `fd`; the old container event
 * (id, type, name, image) becomes the current container JSON.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_table.h"
#include "file_internal.h"
#include "internal.h"

#define NO_EVT 0xFFFF

/* Static rules computed once from the event table. */
static struct {
	uint16_t cur[SCAP_EVT_MAX];	 /* current id of the same name and direction, or NO_EVT */
	uint16_t cur_exit[SCAP_EVT_MAX]; /* current exit id of the same name, or NO_EVT */
	/* srcmap[t][j]: index in t's params feeding param j of cur[t] (-1 none);
	 * entmap[t][j]: index in t's params feeding param j of cur_exit[t] (-1 none). */
	int8_t srcmap[SCAP_EVT_MAX][SCAP_MAX_PARAMS];
	int8_t entmap[SCAP_EVT_MAX][SCAP_MAX_PARAMS];
	/* pass_exit[t]: 1 when t is a current exit event (it passes as it is when it has all its
	 * parameters). One byte read on every event's path. */
	uint8_t pass_exit[SCAP_EVT_MAX];
} R;
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;

static int same_param(const char *src, const char *dst)
{
	if (strcmp(src, dst) == 0)
		return 1;
	return strcmp(src, "res_or_fd") == 0 && strcmp(dst, "fd") == 0; /* old bpf exit */
}

static void build_map(int8_t *map, uint16_t src, uint16_t dst)
{
	const struct scap_event_info *s, *d;
	uint32_t j, k;

	for (j = 0; j < SCAP_MAX_PARAMS; j++)
		map[j] = -1;
	if (dst == NO_EVT)
		return;
	s = &scap_event_table[src];
	d = &scap_event_table[dst];
	for (j = 0; j < d->nparams && j < SCAP_MAX_PARAMS; j++) {
		/* Prefer the same position, then any position with the same name. */
		if (j < s->nparams && same_param(s->params[j].name, d->params[j].name)) {
			map[j] = (int8_t)j;
			continue;
		}
		for (k = 0; k < s->nparams; k++)
			if (same_param(s->params[k].name, d->params[j].name)) {
				map[j] = (int8_t)k;
				break;
			}
	}
}

static void build_rules(void)
{
	uint32_t t, u;

	for (t = 0; t < SCAP_EVT_MAX; t++) {
		R.cur[t] = NO_EVT;
		R.cur_exit[t] = NO_EVT;
		if (scap_event_table[t].flags & SCAP_EF_UNUSED)
			continue;
		for (u = 0; u < SCAP_EVT_MAX; u++) {
			const struct scap_event_info *e = &scap_event_table[u];

			if (e->flags & (SCAP_EF_UNUSED | SCAP_EF_OLD_VERSION))
				continue;
			if (strcmp(e->name, scap_event_table[t].name) != 0)
				continue;
			if ((u & 1) == (t & 1) && R.cur[t] == NO_EVT)
				R.cur[t] = (uint16_t)u;
			if ((u & 1) && R.cur_exit[t] == NO_EVT)
				R.cur_exit[t] = (uint16_t)u;
		}
		build_map(R.srcmap[t], (uint16_t)t, R.cur[t]);
		build_map(R.entmap[t], (uint16_t)t, (t & 1) ? NO_EVT : R.cur_exit[t]);
		R.pass_exit[t] = (t & 1) && R.cur[t] != NO_EVT && !(scap_event_table[t].flags & SCAP_EF_OLD_VERSION);
	}
}

/* ------------------------------------------------------------------------------ per-tid store */

struct slot {
	uint64_t tid;
	uint8_t *buf;
	uint32_t cap;
	uint32_t len; /* 0: no stored event */
	uint8_t used; /* key present */
};

struct scap_converter {
	struct slot *slots;
	struct slot *last; /* the slot lookup() found last (events come in runs of one thread) */
	uint32_t nslots, nkeys, nstored;
	uint8_t *out;
	size_t out_cap;
};

struct scap_converter *scap_converter_new(void)
{
	pthread_once(&rules_once, build_rules);
	return calloc(1, sizeof(struct scap_converter));
}

void scap_converter_free(struct scap_converter *c)
{
	uint32_t i;

	if (!c)
		return;
	for (i = 0; i < c->nslots; i++)
		free(c->slots[i].buf);
	free(c->slots);
	free(c->out);
	free(c);
}

void scap_converter_reset(struct scap_converter *c)
{
	uint32_t i;

	for (i = 0; i < c->nslots; i++)
		c->slots[i].len = 0;
	c->nstored = 0;
}

static inline uint32_t hash_tid(uint64_t tid)
{
	tid ^= tid >> 31;
	tid *= 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(tid >> 32);
}

static struct slot *lookup(struct scap_converter *c, uint64_t tid)
{
	uint32_t h;

	if (c->last && c->last->tid == tid)
		return c->last;
	if (!c->nslots)
		return NULL;
	h = hash_tid(tid) & (c->nslots - 1);
	while (c->slots[h].used) {
		if (c->slots[h].tid == tid)
			return c->last = &c->slots[h];
		h = (h + 1) & (c->nslots - 1);
	}
	return NULL;
}

static struct slot *insert(struct scap_converter *c, uint64_t tid)
{
	struct slot *s = lookup(c, tid);
	uint32_t h;

	if (s)
		return s;
	if ((c->nkeys + 1) * 2 > c->nslots) {
		uint32_t n = c->nslots ? c->nslots * 2 : 64, i;
		struct slot *ns = calloc(n, sizeof(*ns));

		if (!ns)
			return NULL;
		for (i = 0; i < c->nslots; i++) {
			if (!c->slots[i].used)
				continue;
			h = hash_tid(c->slots[i].tid) & (n - 1);
			while (ns[h].used)
				h = (h + 1) & (n - 1);
			ns[h] = c->slots[i];
		}
		free(c->slots);
		c->slots = ns;
		c->nslots = n;
		c->last = NULL;
	}
	h = hash_tid(tid) & (c->nslots - 1);
	while (c->slots[h].used)
		h = (h + 1) & (c->nslots - 1);
	c->slots[h].used = 1;
	c->slots[h].tid = tid;
	c->nkeys++;
	return &c->slots[h];
}

static int store(struct scap_converter *c, const struct scap_evt_hdr *evt)
{
	struct slot *s = insert(c, evt->tid);
	uint32_t len = evt->len;

	if (!s)
		return scap_fail(ENOMEM, "converter: out of memory storing an enter event");
	if (len > s->cap) {
		uint8_t *b = realloc(s->buf, len);

		if (!b)
			return scap_fail(ENOMEM, "converter: out of memory storing an enter event");
		s->buf = b;
		s->cap = len;
	}
	memcpy(s->buf, evt, len);
	if (!s->len)
		c->nstored++;
	s->len = len;
	return 0;
}

/* The stored enter event of evt's thread if it belongs to the same syscall (then consumed). */
static const struct scap_evt_hdr *take_enter(struct scap_converter *c, const struct scap_evt_hdr *evt,
					     uint16_t cur_exit)
{
	struct slot *s;
	uint16_t et;

	if (!c->nstored || !(s = lookup(c, evt->tid)) || !s->len)
		return NULL;
	et = scap_rd16(s->buf + 20);
	if (R.cur_exit[et] != cur_exit)
		return NULL;
	s->len = 0;
	c->nstored--;
	return (const struct scap_evt_hdr *)s->buf;
}

/* ------------------------------------------------------------------------------ rebuilding */

struct view {
	const uint8_t *data[SCAP_MAX_PARAMS];
	uint32_t len[SCAP_MAX_PARAMS];
	uint32_t n;
	uint16_t type;
};

/* Split an already validated event (at most SCAP_MAX_PARAMS params are looked at). */
static void split(const struct scap_evt_hdr *evt, struct view *v)
{
	const uint8_t *p = (const uint8_t *)evt;
	uint16_t type = scap_rd16(p + 20);
	uint32_t n = scap_rd32(p + 22), i;
	uint32_t slot = (scap_event_table[type].flags & SCAP_EF_LARGE_PAYLOAD) ? 4 : 2;
	uint64_t off = SCAP_EVENT_HEADER_SIZE + (uint64_t)n * slot;

	v->type = type;
	v->n = n < SCAP_MAX_PARAMS ? n : SCAP_MAX_PARAMS;
	for (i = 0; i < v->n; i++) {
		const uint8_t *s = p + SCAP_EVENT_HEADER_SIZE + (size_t)i * slot;
		uint32_t l = slot == 2 ? scap_rd16(s) : scap_rd32(s);

		v->data[i] = p + off;
		v->len[i] = l;
		off += l;
	}
}

static int is_signed(uint32_t t)
{
	switch (t) {
	case SCAP_PT_INT8:
	case SCAP_PT_INT16:
	case SCAP_PT_INT32:
	case SCAP_PT_INT64:
	case SCAP_PT_ERRNO:
	case SCAP_PT_FD:
	case SCAP_PT_PID:
	case SCAP_PT_FD32:
	case SCAP_PT_PID32: return 1;
	default: return 0;
	}
}

/* One output parameter: bytes (possibly a small integer buffer). */
struct outp {
	const uint8_t *data;
	uint32_t len;
	uint8_t tmp[8];
};

/* Adapt a source param (type st) to a destination type dt: same width or a variable-length
 * type -> as is; integers of another width -> extended/truncated; anything else -> empty. */
static void adapt(struct outp *o, const uint8_t *data, uint32_t len, uint32_t st, uint32_t dt)
{
	int dsz = scap_param_type_size(dt);
	int64_t sv;
	uint64_t uv;

	o->data = data;
	o->len = len;
	if (!len || dsz <= 0 || (uint32_t)dsz == len)
		return;
	if (st == SCAP_PT_DYN && len >= 2) { /* selector byte + value */
		data++;
		len--;
		if ((uint32_t)dsz == len) {
			o->data = data;
			o->len = len;
			return;
		}
	}
	switch (len) {
	case 1:
		uv = data[0];
		sv = (int8_t)data[0];
		break;
	case 2:
		uv = scap_rd16(data);
		sv = (int16_t)uv;
		break;
	case 4:
		uv = scap_rd32(data);
		sv = (int32_t)uv;
		break;
	case 8:
		uv = scap_rd64(data);
		sv = (int64_t)uv;
		break;
	default:
		o->data = NULL;
		o->len = 0;
		return;
	}
	if (is_signed(st) || st == SCAP_PT_DYN)
		uv = (uint64_t)sv;
	memcpy(o->tmp, &uv, 8); /* little-endian: the low dsz bytes are the value */
	o->data = o->tmp;
	o->len = (uint32_t)dsz;
}

static int emit(struct scap_converter *c, const struct scap_evt_hdr *src, uint16_t type, struct outp *ps, uint32_t n,
		const struct scap_evt_hdr **out)
{
	struct scap_param params[SCAP_MAX_PARAMS];
	size_t need = 0;
	uint32_t i;
	int rc;

	for (i = 0; i < n; i++) {
		params[i].data = ps[i].data;
		params[i].len = ps[i].len;
		/* A u16 slot cannot hold more: drop such a parameter rather than fail. */
		if (!(scap_event_table[type].flags & SCAP_EF_LARGE_PAYLOAD) && params[i].len > UINT16_MAX)
			params[i].len = 0;
	}
	rc = scap_event_encode(c->out, c->out_cap, &need, src->ts, src->tid, type, n, params);
	if (rc == -ENOSPC) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		uint8_t *b;

		while (cap < need)
			cap *= 2;
		b = realloc(c->out, cap);
		if (!b)
			return scap_fail(ENOMEM, "converter: out of memory");
		c->out = b;
		c->out_cap = cap;
		rc = scap_event_encode(c->out, c->out_cap, &need, src->ts, src->tid, type, n, params);
	}
	if (rc < 0)
		return rc;
	*out = (const struct scap_evt_hdr *)c->out;
	return CONV_REWRITTEN;
}

static size_t json_str(char *o, size_t cap, size_t at, const uint8_t *s, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len && s[i]; i++) {
		unsigned char ch = s[i];

		if (at + 8 >= cap)
			break;
		if (ch == '"' || ch == '\\') {
			o[at++] = '\\';
			o[at++] = (char)ch;
		} else if (ch < 0x20) {
			at += (size_t)snprintf(o + at, cap - at, "\\u%04x", ch);
		} else {
			o[at++] = (char)ch;
		}
	}
	return at;
}

/* Old container event (id, type, name, image) -> {"container":{...}} JSON string. */
static int convert_container(struct scap_converter *c, const struct scap_evt_hdr *evt, uint16_t dst,
			     const struct scap_evt_hdr **out)
{
	static const char *keys[] = { "id", "type", "name", "image" };
	struct view v;
	struct outp o[1];
	char json[4096];
	size_t at = 0;
	uint32_t i;

	split(evt, &v);
	at += (size_t)snprintf(json, sizeof(json), "{\"container\":{");
	for (i = 0; i < 4; i++) {
		at += (size_t)snprintf(json + at, sizeof(json) - at, "%s\"%s\":", i ? "," : "", keys[i]);
		if (i == 1) {
			uint32_t t = (i < v.n && v.len[i] == 4) ? scap_rd32(v.data[i]) : 0;

			at += (size_t)snprintf(json + at, sizeof(json) - at, "%u", t);
		} else {
			json[at++] = '"';
			if (i < v.n)
				at = json_str(json, sizeof(json) - 8, at, v.data[i], v.len[i]);
			json[at++] = '"';
		}
		if (at >= sizeof(json) - 16)
			break;
	}
	at += (size_t)snprintf(json + at, sizeof(json) - at, "}}");
	o[0].data = (const uint8_t *)json;
	o[0].len = (uint32_t)at + 1; /* with the NUL */
	return emit(c, evt, dst, o, 1, out);
}

/* Rebuild evt as the current event dst, filling from the stored enter event if any. */
static int rebuild(struct scap_converter *c, const struct scap_evt_hdr *evt, uint16_t dst,
		   const struct scap_evt_hdr *enter, const struct scap_evt_hdr **out)
{
	const struct scap_event_info *d = &scap_event_table[dst];
	const struct scap_event_info *s;
	struct outp ps[SCAP_MAX_PARAMS];
	struct view v, e;
	uint32_t j, n = d->nparams < SCAP_MAX_PARAMS ? d->nparams : SCAP_MAX_PARAMS;

	split(evt, &v);
	s = &scap_event_table[v.type];
	if (enter)
		split(enter, &e);
	for (j = 0; j < n; j++) {
		int k = R.srcmap[v.type][j];

		ps[j].data = NULL;
		ps[j].len = 0;
		if (k >= 0 && (uint32_t)k < v.n && v.len[k]) {
			adapt(&ps[j], v.data[k], v.len[k], s->params[k].type, d->params[j].type);
			continue;
		}
		if (enter) {
			int ek = R.entmap[e.type][j];

			if (ek >= 0 && (uint32_t)ek < e.n && e.len[ek])
				adapt(&ps[j], e.data[ek], e.len[ek], scap_event_table[e.type].params[ek].type,
				      d->params[j].type);
		}
	}
	return emit(c, evt, dst, ps, n, out);
}

static int convert(struct scap_converter *c, const struct scap_evt_hdr *evt, const struct scap_evt_hdr **out)
	__attribute__((noinline));

int scap_converter_convert(struct scap_converter *c, const struct scap_evt_hdr *evt, const struct scap_evt_hdr **out)
{
	uint16_t t = evt->type;

	/* The common case, without a frame: a current exit event with all its parameters and no
	 * stored enter event to consume (convert()'s exit rule). */
	if (R.pass_exit[t] && evt->nparams >= scap_event_table[t].nparams && !c->nstored)
		return CONV_PASS;
	return convert(c, evt, out);
}

static int convert(struct scap_converter *c, const struct scap_evt_hdr *evt, const struct scap_evt_hdr **out)
{
	uint16_t t = evt->type;
	const struct scap_event_info *info = &scap_event_table[t];
	uint32_t n = evt->nparams;
	int rc;

	if (info->flags & SCAP_EF_UNUSED)
		return CONV_DROPPED;
	if (!(t & 1)) {
		/* enter events */
		if (!(info->flags & SCAP_EF_OLD_VERSION)) {
			if (R.cur_exit[t] != NO_EVT && (rc = store(c, evt)) < 0)
				return rc;
			if (n >= info->nparams)
				return CONV_PASS;
			return rebuild(c, evt, t, NULL, out);
		}
		if (R.cur[t] != NO_EVT && R.cur_exit[t] == NO_EVT) {
			if (t == SCAP_EVT_CONTAINER_1_E)
				return convert_container(c, evt, R.cur[t], out);
			return rebuild(c, evt, R.cur[t], NULL, out);
		}
		if (R.cur_exit[t] != NO_EVT) {
			rc = store(c, evt);
			return rc < 0 ? rc : CONV_CONSUMED;
		}
		return CONV_PASS; /* no current version at all (k8s, mesos, tracer) */
	}
	/* exit events */
	if (R.cur[t] == NO_EVT)
		return CONV_PASS;
	if (!(info->flags & SCAP_EF_OLD_VERSION) && n >= info->nparams) {
		take_enter(c, evt, t);
		return CONV_PASS;
	}
	return rebuild(c, evt, R.cur[t], take_enter(c, evt, R.cur[t]), out);
}
