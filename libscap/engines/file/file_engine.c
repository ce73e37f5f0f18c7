/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "file" engine: reads .scap capture files (plain or gzip, every block version), fills the
 * capture's platform from the metadata blocks and delivers events, converted to the current
 * layout unless the caller asked otherwise.
 *
 * Reading goes through a large buffer filled by zlib (which reads plain files transparently).
 * An event whose block lies in the buffer is delivered in place, without a copy; events that
 * need rewriting (v1 blocks, old layouts) come from a per-handle buffer. Either way the event
 * is borrowed until the next call.
 *
 * Error handling: every length is checked against the block and the block against the data
 * the file still has; a problem stops the capture with a message naming the byte offset (in
 * the uncompressed stream) and what was expected there. Every complete event before the
 * problem has been delivered by then. Later calls repeat the error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engines/engine.h"
#include "event_table.h"
#include "file/file_internal.h"
#include "file/meta.h"
#include "file/source.h"

#define READ_CHUNK (4u << 20)
#define MIN_CHUNK  (64u << 10)

struct file_engine {
	struct scap_source src;
	int src_open;
	uint8_t *buf;
	size_t cap, pos, end;
	uint64_t buf_off; /* stream offset of buf[0] */
	int eof;
	uint64_t file_size; /* bytes on disk (compressed for gzip), for progress */
	struct scap_platform *plat;
	struct scap_converter *conv;
	int convert;
	int failed;  /* sticky negative errno */
	uint8_t *v1; /* rebuilt v1 events */
	size_t v1_cap;
	uint64_t n_evts, n_skipped, n_converted;
	char *path;
};

/* Make at least n bytes available at pos (fewer only at the end of the file). 0 or -errno. */
static int fill(struct scap_capture *cap, struct file_engine *f, size_t n)
{
	while (f->end - f->pos < n && !f->eof) {
		size_t got, room;

		if (f->pos > 0 && (f->cap - f->pos < n || f->end == f->cap)) {
			memmove(f->buf, f->buf + f->pos, f->end - f->pos);
			f->buf_off += f->pos;
			f->end -= f->pos;
			f->pos = 0;
		}
		if (f->end == f->cap) {
			/* Grow by doubling only as data arrives: a garbled huge length cannot make us
			 * allocate more than about twice what the file really holds. */
			size_t ncap = f->cap * 2;
			uint8_t *b;

			if (ncap < f->cap)
				return scap_capture_fail(cap, ENOMEM, "out of memory");
			b = realloc(f->buf, ncap);
			if (!b)
				return scap_capture_fail(cap, ENOMEM,
							 "out of memory growing the read buffer to %zu bytes", ncap);
			f->buf = b;
			f->cap = ncap;
		}
		room = f->cap - f->end;
		got = scap_source_read(&f->src, f->buf + f->end, room);
		if (got == 0) {
			f->eof = 1;
			break;
		}
		f->end += got;
	}
	return 0;
}

/* Why the data ended early, for messages. */
static const char *src_why(const struct file_engine *f)
{
	if (f->src.state == SRC_ERROR)
		return f->src.err;
	if (f->src.state == SRC_TRUNCATED)
		return "the gzip stream ends early: truncated?";
	return "truncated?";
}

static inline uint64_t off_at(const struct file_engine *f, size_t pos)
{
	return f->buf_off + pos;
}

static int fail(struct scap_capture *cap, struct file_engine *f, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct scap_capture *cap, struct file_engine *f, int err, const char *fmt, ...)
{
	va_list ap;
	char msg[SCAP_ERRBUF_SIZE];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->failed = scap_capture_fail(cap, err, "%s", msg);
	return f->failed;
}

/* Check a section header block. */
static int parse_shb(struct scap_capture *cap, struct file_engine *f, const uint8_t *b, uint32_t blen)
{
	uint64_t off = off_at(f, f->pos);
	uint32_t magic;
	uint16_t major;

	if (blen < 28)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected a section header block of at least 28 bytes, found length %u",
			    off, blen);
	magic = scap_rd32(b + 8);
	major = scap_rd16(b + 12);
	if (magic != SHB_MAGIC)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected the section magic 0x1a2b3c4d, found 0x%08x (invalid magic number)",
			    off + 8, magic);
	if (major != 1)
		return fail(cap, f, EPROTO,
			    "at byte offset %" PRIu64
			    ": expected file format major version 1, found %u (version mismatch)",
			    off + 12, major);
	/* Anything after the 16-byte body (pcapng options) is skipped with the block. */
	return 0;
}

/*
 * Read the next block's header and make the whole block available.
 * Returns 1 with the block type and length set, 0 at a clean end of file, or a negative errno.
 */
#define NEED_REFILL 3 /* internal: the next block is not whole in the buffer and refilling is not allowed */

static int next_block_r(struct scap_capture *cap, struct file_engine *f, uint32_t *btype, uint32_t *blen,
			int may_refill)
{
	size_t avail;
	uint32_t len, trailer;
	int rc;

	if (f->end - f->pos < 8 && !f->eof && !may_refill)
		return NEED_REFILL;
	if (f->end - f->pos < 8 && (rc = fill(cap, f, 8)) < 0)
		return f->failed = rc;
	avail = f->end - f->pos;
	if (avail == 0 && f->src.state == SRC_TRUNCATED)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected more compressed data, the gzip stream ends early (truncated?)",
			    off_at(f, f->pos));
	if (avail == 0 && f->src.state == SRC_ERROR)
		return fail(cap, f, EIO, "at byte offset %" PRIu64 ": expected a block header: %s", off_at(f, f->pos),
			    f->src.err);
	if (avail == 0)
		return 0;
	if (avail < 8)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected an 8-byte block header, the file ends after %zu bytes (%s)",
			    off_at(f, f->pos), avail, src_why(f));
	*btype = scap_rd32(f->buf + f->pos);
	len = scap_rd32(f->buf + f->pos + 4);
	if (len < 12)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected a block length of at least 12 bytes, found %u (block type 0x%x)",
			    off_at(f, f->pos + 4), len, *btype);
	if (avail < len) {
		if (!f->eof && !may_refill)
			return NEED_REFILL;
		if ((rc = fill(cap, f, len)) < 0)
			return f->failed = rc;
		avail = f->end - f->pos;
		if (avail < len)
			return fail(cap, f, f->src.state == SRC_ERROR ? EIO : EINVAL,
				    "at byte offset %" PRIu64
				    ": expected a block of %u bytes (type 0x%x), the file ends after %zu bytes (%s)",
				    off_at(f, f->pos), len, *btype, avail, src_why(f));
	}
	trailer = scap_rd32(f->buf + f->pos + len - 4);
	if (trailer != len)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected the block trailer to repeat the length %u (block type 0x%x), found %u",
			    off_at(f, f->pos + len - 4), len, *btype, trailer);
	*blen = len;
	return 1;
}

static int next_block(struct scap_capture *cap, struct file_engine *f, uint32_t *btype, uint32_t *blen)
{
	return next_block_r(cap, f, btype, blen, 1);
}

static int is_event_block(uint32_t t)
{
	switch (t) {
	case BT_EV_V2:
	case BT_EV_V2_LARGE:
	case BT_EVF_V2:
	case BT_EVF_V2_LARGE:
	case BT_EV_V1:
	case BT_EV_V1_LEGACY:
	case BT_EVF_V1: return 1;
	default: return 0;
	}
}

/* Handle a non-event block at pos (SHB, metadata or unknown) and step over it. */
static int other_block(struct scap_capture *cap, struct file_engine *f, uint32_t btype, uint32_t blen)
{
	const uint8_t *b = f->buf + f->pos;
	char err[SCAP_ERRBUF_SIZE];
	int rc;

	if (btype == BT_SHB) {
		/* A new section (concatenated files) restarts the metadata. */
		if ((rc = parse_shb(cap, f, b, blen)) < 0)
			return rc;
		scap_platform__clear(f->plat);
		if (f->conv)
			scap_converter_reset(f->conv);
	} else if (scap_meta_block_kind(btype)) {
		err[0] = 0;
		rc = scap_meta_parse(f->plat, btype, b + 8, blen - 12, off_at(f, f->pos + 8), err, sizeof(err));
		if (rc < 0)
			return fail(cap, f, -rc, "%s", err[0] ? err : "bad metadata block");
	}
	/* unknown block types are skipped by their length */
	f->pos += blen;
	return 0;
}

/* Validate the v2 event at e (avail bytes in its block). 1 = valid, 0 = unknown type (skip),
 * negative = damaged. */
static inline int check_event(struct scap_capture *cap, struct file_engine *f, const uint8_t *e, size_t avail)
{
	uint32_t len, n, slot, i;
	uint16_t type;
	uint64_t sum;

	if (avail < SCAP_EVENT_HEADER_SIZE)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64 ": expected a 26-byte event header, the block holds %zu bytes",
			    off_at(f, (size_t)(e - f->buf)), avail);
	len = scap_rd32(e + 16);
	type = scap_rd16(e + 20);
	n = scap_rd32(e + 22);
	if (len < SCAP_EVENT_HEADER_SIZE || len > avail)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected an event length between 26 and %zu (the block's room), found %u",
			    off_at(f, (size_t)(e - f->buf)) + 16, avail, len);
	if (type >= SCAP_EVT_MAX)
		return 0;
	slot = (scap_event_table[type].flags & SCAP_EF_LARGE_PAYLOAD) ? 4 : 2;
	if ((uint64_t)n * slot > len - SCAP_EVENT_HEADER_SIZE)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected %u parameter lengths to fit in event length %u (type %u)",
			    off_at(f, (size_t)(e - f->buf)) + 22, n, len, type);
	sum = SCAP_EVENT_HEADER_SIZE + (uint64_t)n * slot;
	if (slot == 2) {
		for (i = 0; i < n; i++)
			sum += scap_rd16(e + SCAP_EVENT_HEADER_SIZE + 2 * i);
	} else {
		for (i = 0; i < n; i++)
			sum += scap_rd32(e + SCAP_EVENT_HEADER_SIZE + 4 * i);
	}
	if (sum > len)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected the parameters of event type %u to fit in its length %u, they need %" PRIu64,
			    off_at(f, (size_t)(e - f->buf)), type, len, sum);
	return 1;
}

/* Rebuild a v1 event (22-byte header, no nparams) as a v2 event in f->v1. */
static int rebuild_v1(struct scap_capture *cap, struct file_engine *f, const uint8_t *e, size_t avail,
		      const uint8_t **out)
{
	uint32_t len, n, i, tn;
	uint16_t type;
	int found = -1;
	int pass;

	if (avail < 22)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64 ": expected a 22-byte v1 event header, the block holds %zu bytes",
			    off_at(f, (size_t)(e - f->buf)), avail);
	len = scap_rd32(e + 16);
	type = scap_rd16(e + 20);
	if (len < 22 || len > avail)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64 ": expected a v1 event length between 22 and %zu, found %u",
			    off_at(f, (size_t)(e - f->buf)) + 16, avail, len);
	if (type >= SCAP_EVT_MAX)
		return 0;
	/* A large-payload type has u32 parameter lengths, which a v1 event's u16 ones cannot give
	 * (v1 files predate such types; fuzz/regressions/fuzz_convert/v1-large-payload). */
	if (scap_event_table[type].flags & SCAP_EF_LARGE_PAYLOAD)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64 ": a v1 event of type %u (%s), which takes 4-byte parameter "
			    "lengths: v1 events have 2-byte ones",
			    off_at(f, (size_t)(e - f->buf)) + 20, type, scap_event_table[type].name);
	tn = scap_event_table[type].nparams;
	/* Infer nparams: the largest count whose u16 lengths account for the length exactly.
	 * Old notification/infra events claimed 3 bytes more than they held. */
	for (pass = 0; pass < 2 && found < 0; pass++) {
		uint32_t want = len;

		if (pass == 1) {
			if ((type != SCAP_EVT_NOTIFICATION_E && type != SCAP_EVT_INFRA_E) || len < 25)
				break;
			want = len - 3;
		}
		for (n = tn + 1; n-- > 0;) {
			uint64_t sum = 22 + 2ull * n;

			if (sum > want)
				continue;
			for (i = 0; i < n; i++)
				sum += scap_rd16(e + 22 + 2 * i);
			if (sum == want) {
				found = (int)n;
				len = want;
				break;
			}
		}
	}
	if (found < 0)
		return fail(cap, f, EINVAL,
			    "at byte offset %" PRIu64
			    ": expected a v1 event (type %u) whose parameter lengths add up to its length %u",
			    off_at(f, (size_t)(e - f->buf)), type, len);
	if (len + 4 > f->v1_cap) {
		size_t cap2 = f->v1_cap ? f->v1_cap : 4096;
		uint8_t *b;

		while (cap2 < len + 4)
			cap2 *= 2;
		b = realloc(f->v1, cap2);
		if (!b)
			return fail(cap, f, ENOMEM, "out of memory rebuilding a v1 event");
		f->v1 = b;
		f->v1_cap = cap2;
	}
	{
		struct scap_evt_hdr h;

		h.ts = scap_rd64(e);
		h.tid = scap_rd64(e + 8);
		h.len = len + 4;
		h.type = type;
		h.nparams = (uint32_t)found;
		memcpy(f->v1, &h, sizeof(h));
		memcpy(f->v1 + sizeof(h), e + 22, len - 22);
	}
	*out = f->v1;
	return 1;
}

/*
 * The next event. may_refill = 0: stop with NEED_REFILL instead of moving the buffer (which
 * would invalidate events already handed out in a batch). *copied is set when the event lives
 * in a per-handle buffer (a rebuilt v1 event or a converted one) rather than in place.
 */
static __attribute__((noinline)) int next_one_slow(struct scap_capture *cap, struct file_engine *f,
						   const struct scap_evt_hdr **evt, uint16_t *cpu, uint32_t *flags,
						   int may_refill, int *copied)
{
	if (f->failed)
		return f->failed;
	*copied = 0;
	for (;;) {
		uint32_t btype, blen, hdr;
		const uint8_t *b, *e;
		size_t avail = f->end - f->pos;
		int rc, v1 = 0;

		b = f->buf + f->pos;
		/* The common case first: the whole block is in the buffer and its trailer is right
		 * (next_block_r() makes the same checks, and the messages when one fails). */
		if (avail >= 8 && (blen = scap_rd32(b + 4)) >= 12 && blen <= avail && scap_rd32(b + blen - 4) == blen) {
			btype = scap_rd32(b);
		} else {
			rc = next_block_r(cap, f, &btype, &blen, may_refill);
			if (rc == NEED_REFILL)
				return rc;
			if (rc <= 0)
				return rc == 0 ? SCAP_STATUS_EOF : rc;
			b = f->buf + f->pos;
		}
		if (btype == BT_EV_V2 || btype == BT_EV_V2_LARGE) {
			hdr = 2;
		} else if (btype == BT_EVF_V2 || btype == BT_EVF_V2_LARGE) {
			hdr = 6;
		} else if (btype == BT_EV_V1 || btype == BT_EV_V1_LEGACY || btype == BT_EVF_V1) {
			hdr = btype == BT_EVF_V1 ? 6 : 2;
			v1 = 1;
		} else {
			if ((rc = other_block(cap, f, btype, blen)) < 0)
				return rc;
			continue;
		}
		if (blen < 12 + hdr)
			return fail(cap, f, EINVAL,
				    "at byte offset %" PRIu64
				    ": expected an event block of at least %u bytes, found length %u",
				    off_at(f, f->pos), 12 + hdr, blen);
		e = b + 8 + hdr;
		avail = blen - 12 - hdr;
		if (v1) {
			rc = rebuild_v1(cap, f, e, avail, &e);
			*copied = 1;
		} else
			rc = check_event(cap, f, e, avail);
		if (rc < 0)
			return rc;
		*cpu = scap_rd16(b + 8);
		*flags = hdr == 6 ? scap_rd32(b + 10) : 0;
		f->pos += blen;
		f->n_evts++;
		if (rc == 0) {
			f->n_skipped++;
			continue;
		}
		*evt = (const struct scap_evt_hdr *)e;
		if (f->convert) {
			const struct scap_evt_hdr *out;

			rc = scap_converter_convert(f->conv, *evt, &out);
			if (rc < 0)
				return fail(cap, f, -rc, "%s", scap_last_error());
			if (rc == CONV_DROPPED) {
				f->n_skipped++;
				continue;
			}
			if (rc == CONV_CONSUMED)
				continue;
			if (rc == CONV_REWRITTEN) {
				f->n_converted++;
				*evt = out;
				*copied = 1;
			}
		}
		return 0;
	}
}

/* check_event()'s checks without its messages: 1 when the v2 event at e (avail bytes in its
 * block) is valid and of a known type. */
static inline int event_ok(const uint8_t *e, size_t avail)
{
	uint32_t len, n, i, slot;
	uint64_t sum;

	if (avail < SCAP_EVENT_HEADER_SIZE)
		return 0;
	len = scap_rd32(e + 16);
	n = scap_rd32(e + 22);
	if (len < SCAP_EVENT_HEADER_SIZE || len > avail || scap_rd16(e + 20) >= SCAP_EVT_MAX)
		return 0;
	slot = (scap_event_table[scap_rd16(e + 20)].flags & SCAP_EF_LARGE_PAYLOAD) ? 4 : 2;
	if ((uint64_t)n * slot > len - SCAP_EVENT_HEADER_SIZE)
		return 0;
	sum = SCAP_EVENT_HEADER_SIZE + (uint64_t)n * slot;
	if (slot == 2) {
		for (i = 0; i < n; i++)
			sum += scap_rd16(e + SCAP_EVENT_HEADER_SIZE + 2 * i);
	} else {
		for (i = 0; i < n; i++)
			sum += scap_rd32(e + SCAP_EVENT_HEADER_SIZE + 4 * i);
	}
	return sum <= len;
}

/*
 * The next event: the common case here (a whole v2 event block in the buffer, a valid event that
 * the converter passes as it is), everything else in next_one_slow(), which makes the same
 * checks again with their messages.
 */
static inline __attribute__((always_inline)) int next_one(struct scap_capture *cap, struct file_engine *f,
							  const struct scap_evt_hdr **evt, uint16_t *cpu,
							  uint32_t *flags, int may_refill, int *copied)
{
	size_t avail = f->end - f->pos;
	const uint8_t *b = f->buf + f->pos, *e;
	uint32_t blen, btype, hdr;
	int rc;

	if (f->failed || avail < 8 || (blen = scap_rd32(b + 4)) > avail || blen < 12 + 2 ||
	    scap_rd32(b + blen - 4) != blen)
		return next_one_slow(cap, f, evt, cpu, flags, may_refill, copied);
	btype = scap_rd32(b);
	if (btype == BT_EV_V2 || btype == BT_EV_V2_LARGE)
		hdr = 2;
	else if (btype == BT_EVF_V2 || btype == BT_EVF_V2_LARGE)
		hdr = 6;
	else
		return next_one_slow(cap, f, evt, cpu, flags, may_refill, copied);
	e = b + 8 + hdr;
	if (blen < 12 + hdr || !event_ok(e, blen - 12 - hdr))
		return next_one_slow(cap, f, evt, cpu, flags, may_refill, copied);
	*copied = 0;
	*cpu = scap_rd16(b + 8);
	*flags = hdr == 6 ? scap_rd32(b + 10) : 0;
	f->pos += blen;
	f->n_evts++;
	*evt = (const struct scap_evt_hdr *)e;
	if (!f->convert)
		return 0;
	{
		const struct scap_evt_hdr *out;

		rc = scap_converter_convert(f->conv, *evt, &out);
		if (rc == CONV_PASS)
			return 0;
		if (rc < 0)
			return fail(cap, f, -rc, "%s", scap_last_error());
		if (rc == CONV_REWRITTEN) {
			f->n_converted++;
			*evt = out;
			*copied = 1;
			return 0;
		}
		if (rc == CONV_DROPPED)
			f->n_skipped++;
		/* dropped, or consumed (an enter merged into its exit later): the next one */
		return next_one_slow(cap, f, evt, cpu, flags, may_refill, copied);
	}
}

static int file_next(struct scap_capture *cap, const struct scap_evt_hdr **evt, uint16_t *cpu, uint32_t *flags)
{
	int copied;

	return next_one(cap, cap->engine, evt, cpu, flags, 1, &copied);
}

/* A batch: events that lie in the buffer, plus at most one from a per-handle buffer (it ends
 * the batch, since the next rewrite would overwrite it). All stay valid until the next call. */
static int file_next_batch(struct scap_capture *cap, struct scap_event_ref *out, uint32_t max, uint32_t *n)
{
	struct file_engine *f = cap->engine;
	uint32_t i = 0;
	int rc = 0;

	while (i < max) {
		int copied;

		rc = next_one(cap, f, &out[i].evt, &out[i].cpu, &out[i].flags, i == 0, &copied);
		if (rc != 0)
			break;
		i++;
		if (copied)
			break;
	}
	*n = i;
	if (i > 0)
		return 0; /* a later EOF or error is reported by the next call (errors are sticky) */
	return rc == NEED_REFILL ? 0 : rc;
}

static int file_stats(struct scap_capture *cap, struct scap_stats *st)
{
	struct file_engine *f = cap->engine;

	st->n_evts = f->n_evts;
	st->n_skipped = f->n_skipped;
	st->n_converted = f->n_converted;
	return 0;
}

static void file_close(struct scap_capture *cap)
{
	struct file_engine *f = cap->engine;

	if (!f)
		return;
	if (f->src_open)
		scap_source_close(&f->src);
	free(f->buf);
	free(f->v1);
	free(f->path);
	scap_platform__free(f->plat);
	scap_converter_free(f->conv);
	free(f);
}

static const struct scap_platform *file_platform(const struct scap_capture *cap)
{
	return ((const struct file_engine *)cap->engine)->plat;
}

/* The share of the file's bytes read from disk (compressed ones for gzip), as sysdig -P shows it;
 * 100 at the end. */
static int file_progress(const struct scap_capture *cap, double *pct)
{
	const struct file_engine *f = cap->engine;
	off_t at;

	if (f->eof || !f->file_size) {
		*pct = f->eof ? 100.0 : 0.0;
		return 0;
	}
	at = lseek(f->src.fd, 0, SEEK_CUR);
	if (at < 0)
		return -errno;
	*pct = (uint64_t)at >= f->file_size ? 100.0 : 100.0 * (double)at / (double)f->file_size;
	return 0;
}

static const struct scap_engine_ops file_ops = {
	.name = "file",
	.next = file_next,
	.next_batch = file_next_batch,
	.stats = file_stats,
	.platform = file_platform,
	.progress = file_progress,
	.close = file_close,
};

/* Read the first section header and the metadata up to the first event block. */
static int read_header(struct scap_capture *cap, struct file_engine *f)
{
	uint32_t btype, blen;
	int rc;

	if ((rc = fill(cap, f, 8)) < 0)
		return f->failed = rc;
	if (f->end - f->pos >= 4 && scap_rd32(f->buf + f->pos) != BT_SHB)
		return fail(cap, f, EINVAL,
			    "at byte offset 0: expected a section header block (type 0x0a0d0d0a), found type 0x%08x "
			    "(not a .scap file)",
			    scap_rd32(f->buf + f->pos));
	rc = next_block(cap, f, &btype, &blen);
	if (rc == 0)
		return fail(cap, f, EINVAL, "at byte offset 0: expected a section header block, the file is empty");
	if (rc < 0)
		return rc;
	if (btype != BT_SHB)
		return fail(cap, f, EINVAL,
			    "at byte offset 0: expected a section header block (type 0x0a0d0d0a), found type 0x%08x "
			    "(not a .scap file)",
			    btype);
	for (;;) {
		if ((rc = other_block(cap, f, btype, blen)) < 0)
			return rc;
		/* Stop in front of the first event block: a damaged event is next()'s business. */
		if ((rc = fill(cap, f, 8)) < 0)
			return f->failed = rc;
		if (f->end - f->pos >= 8 && is_event_block(scap_rd32(f->buf + f->pos)))
			return 0;
		rc = next_block(cap, f, &btype, &blen);
		if (rc <= 0)
			return rc; /* 0: a file with metadata only */
	}
}

struct scap_capture *scap_capture__open_file(const char *path, const struct scap_file_opts *user_opts)
{
	struct scap_file_opts opts;
	struct file_engine *f;
	struct scap_capture *cap;
	int fd, rc;

	rc = scap_opts_copy(&opts, sizeof(opts), user_opts);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	if (!path) {
		scap_fail(EINVAL, "open_file: no path");
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		scap_fail(ENOMEM, "out of memory opening %s", path);
		errno = ENOMEM;
		return NULL;
	}
	cap = scap_capture_alloc(&file_ops, f);
	if (!cap) {
		free(f);
		return NULL;
	}
	f->convert = !opts.no_convert;
	f->cap = READ_CHUNK;
	f->plat = scap_platform__new();
	f->buf = malloc(f->cap);
	f->conv = f->convert ? scap_converter_new() : NULL;
	f->path = strdup(path);
	if (!f->buf || !f->plat || (f->convert && !f->conv) || !f->path) {
		scap_capture__close(cap);
		scap_fail(ENOMEM, "out of memory opening %s", path);
		errno = ENOMEM;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		scap_capture__close(cap);
		scap_fail(err, "cannot open %s: %s", path, strerror(err));
		errno = err;
		return NULL;
	}
	{
		/* Small files get a small buffer (it grows when a block needs it). */
		struct stat sb;

		if (fstat(fd, &sb) == 0 && sb.st_size > 0)
			f->file_size = (uint64_t)sb.st_size;
		if (fstat(fd, &sb) == 0 && sb.st_size >= 0 && (uint64_t)sb.st_size * 4 < READ_CHUNK) {
			size_t want = (size_t)sb.st_size * 4 < MIN_CHUNK ? MIN_CHUNK : (size_t)sb.st_size * 4;
			uint8_t *b = realloc(f->buf, want);

			if (b) {
				f->buf = b;
				f->cap = want;
			}
		}
	}
	rc = scap_source_open(&f->src, fd);
	f->src_open = 1;
	if (rc < 0) {
		int err = -rc;
		char msg[SCAP_ERRBUF_SIZE];

		snprintf(msg, sizeof(msg), "%s", scap_last_error());
		scap_capture__close(cap);
		scap_fail(err, "%.200s: %s", path, msg);
		errno = err;
		return NULL;
	}
	rc = read_header(cap, f);
	if (rc < 0) {
		char msg[SCAP_ERRBUF_SIZE + 256];

		snprintf(msg, sizeof(msg), "%.200s: %s", path, cap->errbuf);
		scap_capture__close(cap);
		scap_fail(-rc, "%.*s", SCAP_ERRBUF_SIZE - 1, msg);
		errno = -rc;
		return NULL;
	}
	return cap;
}
