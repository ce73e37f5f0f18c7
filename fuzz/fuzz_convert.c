/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_convert: old-format event streams through the converter (libscap/file/convert.c), the way
 * tests/test_file_convert.py drives it: events in a .scap file, read back by the file engine.
 *
 * The input is a list of records, each one event:
 *   u16 type (modulo the table size), u8 ctl, u8 nparams (at most 32), then per parameter
 *   u8 L and its bytes: L = 0xff is an empty parameter; otherwise a parameter of a fixed-size
 *   type takes exactly that many bytes, any other L bytes (bytes past the input read as 0).
 *   ctl: bits 0-1 the thread (tid 100..103), bit 2 a v1 event block (22-byte header, nparams
 *   inferred by the reader), bit 3 an EVF block (flagged state-only), bit 4 raw lengths (fixed-size
 *   parameters take L bytes too), bits 5-7 the cpu.
 * fuzz/make_corpus.py writes the events of the reference captures in this form.
 *
 * The file (a section header, then one block per record) is read through libsinsp's inspector:
 * converted (the default), or as stored when the input's length is odd (then the inspector
 * merges old enter events itself). One open per input: see fuzz/README.md on what an open costs.
 * Checks: every event decodes; the engine reads every record (unless it had to infer v1
 * layouts), and as stored delivers each; converted from records of exact sizes, every
 * fixed-size parameter of the table is empty or of its size.
 */
#include <errno.h>

#include "fuzz_sinsp.h"

#define MAX_RECORDS 256
#define BT_SHB	    0x0A0D0D0Au
#define BT_EV_V1    0x204u
#define BT_EVF_V1   0x208u
#define BT_EV_V2    0x216u
#define BT_EVF_V2   0x217u
#define BT_EV_V2_L  0x221u
#define BT_EVF_V2_L 0x222u

struct out {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;

		while (cap < o->len + n)
			cap *= 2;
		o->p = realloc(o->p, cap);
		FZ_CHECK(o->p, "out of memory");
		o->cap = cap;
	}
	if (n)
		memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void put32(struct out *o, uint32_t v)
{
	put(o, &v, 4);
}

struct in {
	const uint8_t *p;
	size_t len, pos;
};

static uint8_t get8(struct in *in)
{
	return in->pos < in->len ? in->p[in->pos++] : 0;
}

/* n bytes of the input into o (zeros past its end) */
static void take(struct in *in, struct out *o, size_t n)
{
	size_t have = in->pos < in->len ? in->len - in->pos : 0;
	static const uint8_t zeros[256];

	if (have > n)
		have = n;
	put(o, in->p + in->pos, have);
	in->pos += have;
	put(o, zeros, n - have);
}

struct stream {
	struct out file;
	uint32_t nrec;
	int strict; /* exact sizes, no v1 blocks */
	int has_v1;
};

/* One record: the event, then its block. */
static void record(struct in *in, struct stream *s, uint64_t ts)
{
	uint32_t lo = get8(in), hi = get8(in);
	uint16_t type = (uint16_t)((lo | hi << 8) % scap_event_table_size());
	uint8_t ctl = get8(in);
	uint32_t np = get8(in), tnp = (uint32_t)scap_event_nparams(type), i;
	int large = (scap_event_flags(type) & SCAP_EF_LARGE_PAYLOAD) != 0, v1 = (ctl & 4) != 0;
	int evf = (ctl & 8) != 0, raw = (ctl & 16) != 0;
	uint64_t tid = 100 + (ctl & 3);
	uint16_t cpu = (uint16_t)(ctl >> 5);
	uint32_t lens[SCAP_MAX_PARAMS], slot = large ? 4 : 2, hlen = v1 ? 22 : SCAP_EVENT_HEADER_SIZE, total;
	struct out data = { 0 };
	struct out ev = { 0 };
	uint32_t btype, blen, flags = SCAP_EVF_STATE_ONLY;
	static const uint8_t pad[4];

	if (np > SCAP_MAX_PARAMS)
		np = SCAP_MAX_PARAMS;
	for (i = 0; i < np; i++) {
		uint8_t l = get8(in);
		int sz = i < tnp ? scap_param_type_size((uint32_t)scap_event_param_type(type, i)) : 0;
		size_t before = data.len;

		if (l == 0xff)
			lens[i] = 0;
		else if (sz > 0 && !raw)
			lens[i] = (uint32_t)sz;
		else
			lens[i] = l;
		take(in, &data, lens[i]);
		FZ_CHECK(data.len - before == lens[i], "record parameter");
	}
	total = hlen + np * slot + (uint32_t)data.len;
	put(&ev, &ts, 8);
	put(&ev, &tid, 8);
	put32(&ev, total);
	put(&ev, &type, 2);
	if (!v1)
		put32(&ev, np);
	for (i = 0; i < np; i++)
		put(&ev, &lens[i], slot);
	put(&ev, data.p, data.len);
	FZ_CHECK(ev.len == total, "event length");

	if (v1)
		btype = evf ? BT_EVF_V1 : BT_EV_V1;
	else if (large)
		btype = evf ? BT_EVF_V2_L : BT_EV_V2_L;
	else
		btype = evf ? BT_EVF_V2 : BT_EV_V2;
	blen = 8 + 2 + (evf ? 4 : 0) + total;
	blen += (4 - (2 + total) % 4) % 4; /* the writers pad 2 + the event length */
	blen += 4;
	put32(&s->file, btype);
	put32(&s->file, blen);
	put(&s->file, &cpu, 2);
	if (evf)
		put32(&s->file, flags);
	put(&s->file, ev.p, ev.len);
	put(&s->file, pad, (4 - (2 + total) % 4) % 4);
	put32(&s->file, blen);
	s->nrec++;
	if (raw || v1)
		s->strict = 0;
	if (v1)
		s->has_v1 = 1;
	free(data.p);
	free(ev.p);
}

static void check_sizes(const struct scap_evt_hdr *e)
{
	struct scap_param params[SCAP_MAX_PARAMS];
	uint16_t type = fz_evt_type(e);
	uint32_t n = 0, i;
	int tnp = scap_event_nparams(type);

	FZ_CHECK(scap_event_decode(e, fz_evt_len(e), params, SCAP_MAX_PARAMS, &n) == 0, "converted event: %s",
		 scap_last_error());
	for (i = 0; i < n && i < (uint32_t)tnp && i < SCAP_MAX_PARAMS; i++) {
		int sz = scap_param_type_size((uint32_t)scap_event_param_type(type, i));

		FZ_CHECK(sz == 0 || params[i].len == 0 || params[i].len == (uint32_t)sz,
			 "converted %s (%u): parameter %u (%s) is %u bytes, its type %d", scap_event_name(type), type,
			 i, scap_event_param_name(type, i), params[i].len, sz);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_init_quiet();
	fz_sinsp_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size, 0 };
	struct stream s = { .strict = 1 };
	int no_convert = size & 1;
	struct fz_inspected r;
	const char *path;
	SCAP_OPTS(scap_file_opts, conv);
	SCAP_OPTS(scap_file_opts, stored, .no_convert = true);
	struct scap_capture *cap;

	/* the section header: magic, version 1.2, section length unknown */
	put32(&s.file, BT_SHB);
	put32(&s.file, 28);
	put32(&s.file, 0x1A2B3C4Du);
	put32(&s.file, 1 | 2u << 16);
	put32(&s.file, 0xffffffffu);
	put32(&s.file, 0xffffffffu);
	put32(&s.file, 28);
	while (in.pos < in.len && s.nrec < MAX_RECORDS)
		record(&in, &s, 1000 + s.nrec);
	path = fz_write_file(s.file.p, s.file.len);
	free(s.file.p);

	cap = scap_capture__open_file(path, no_convert ? &stored : &conv);
	FZ_CHECK(cap, "open: %s", scap_last_error());
	r = fz_inspect(cap, MAX_RECORDS, 4, s.strict && !no_convert ? check_sizes : NULL);
	if (!s.has_v1) {
		FZ_CHECK(r.end == SCAP_STATUS_EOF, "well-formed blocks end with %d", r.end);
		FZ_CHECK(r.sst.n_evts == s.nrec, "the engine read %llu of %u records", (unsigned long long)r.sst.n_evts,
			 s.nrec);
		FZ_CHECK(!no_convert || r.sst.n_delivered == s.nrec, "as stored: %llu of %u records delivered",
			 (unsigned long long)r.sst.n_delivered, s.nrec);
	}
	return 0;
}
