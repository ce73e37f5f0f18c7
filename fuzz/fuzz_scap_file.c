/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_scap_file: the input is a whole .scap file (plain, or gzip when it starts with gzip's
 * magic), opened with scap_capture__open_file() from a memfd, twice:
 *   1. read by the file engine alone, with scap_capture__next() (or next_batch() of 7 when the
 *      length is a multiple of 3): the platform walked, every event checked (it decodes, its
 *      length fits), the statistics consistent, an error repeated by later calls;
 *   2. read through libsinsp's inspector: state parsing of every event, each event formatted (the
 *      first few with every field), the state exported at the end. A plain input is compressed
 *      here first, so that the gzip byte source reads it: the capture must deliver exactly what
 *      1. read (the same counts, the same end).
 * Inputs of odd length are read as stored (no conversion; the inspector merges old enter events
 * itself), the others converted. Two opens per input: each open of the file engine costs about
 * as much as the rest (fuzz/README.md), so the variants share them.
 */
#include <errno.h>
#include <zlib.h>

#include "fuzz_sinsp.h"

#define MAX_EVENTS 4096 /* per read: inputs are at most a few hundred KiB */

struct summary {
	int open_errno; /* 0: opened */
	int end;	/* 0 (MAX_EVENTS read), SCAP_STATUS_EOF or the negative errno that ended the read */
	uint64_t n;
	struct scap_stats st;
};

static void check_event(const struct scap_evt_hdr *e, struct summary *s)
{
	uint32_t len = fz_evt_len(e);

	FZ_CHECK(len >= SCAP_EVENT_HEADER_SIZE, "event length %u", len);
	FZ_CHECK(scap_event_decode(e, len, NULL, 0, NULL) == 0, "a delivered event does not decode: %s",
		 scap_last_error());
	fz_touch_mem(e, len);
	s->n++;
}

static struct summary read_scap(const char *path, int no_convert, uint32_t batch)
{
	SCAP_OPTS(scap_file_opts, o, .no_convert = no_convert);
	struct summary s = { .st = { .sz = sizeof(s.st) } };
	struct scap_capture *cap = scap_capture__open_file(path, &o);
	struct scap_event_ref refs[8];
	int rc = 0;

	if (!cap) {
		s.open_errno = errno;
		FZ_CHECK(s.open_errno > 0, "open failed without errno");
		fz_touch_str(scap_last_error());
		return s;
	}
	FZ_CHECK(!strcmp(scap_capture__engine(cap), "file"), "engine %s", scap_capture__engine(cap));
	fz_walk_platform(scap_capture__platform(cap));
	while (s.n < MAX_EVENTS) {
		if (batch) {
			uint32_t n = 0;

			rc = scap_capture__next_batch(cap, refs, batch, &n);
			FZ_CHECK(n <= batch && (rc == 0) == (n > 0), "next_batch: %d with %u events", rc, n);
			for (uint32_t i = 0; i < n; i++)
				check_event(refs[i].evt, &s);
		} else {
			const struct scap_evt_hdr *e = NULL;
			uint16_t cpu;
			uint32_t flags;

			rc = scap_capture__next(cap, &e, &cpu, &flags);
			if (rc == 0)
				check_event(e, &s);
		}
		if (rc != 0)
			break;
	}
	FZ_CHECK(rc == 0 || rc == SCAP_STATUS_EOF || rc < 0, "next: %d", rc);
	if (rc < 0) {
		const struct scap_evt_hdr *e;

		fz_touch_str(scap_capture__geterr(cap));
		FZ_CHECK(scap_capture__next(cap, &e, NULL, NULL) == rc, "a read error does not repeat");
	}
	s.end = rc;
	FZ_CHECK(scap_capture__stats(cap, &s.st) == 0, "stats");
	FZ_CHECK(s.st.n_delivered == s.n, "stats: %llu delivered, %llu read", (unsigned long long)s.st.n_delivered,
		 (unsigned long long)s.n);
	FZ_CHECK(s.st.n_evts >= s.st.n_delivered, "stats: %llu events, %llu delivered", (unsigned long long)s.st.n_evts,
		 (unsigned long long)s.st.n_delivered);
	scap_capture__close(cap);
	return s;
}

/* gzip of the input (one member), or NULL. */
static uint8_t *gzip(const uint8_t *data, size_t size, size_t *out_len)
{
	z_stream zs;
	uLong cap;
	uint8_t *out;
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&zs, (uLong)size) + 32;
	out = malloc(cap);
	FZ_CHECK(out, "out of memory");
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)size;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	rc = deflate(&zs, Z_FINISH);
	FZ_CHECK(rc == Z_STREAM_END, "deflate: %d", rc);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
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
	int gz_input = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	int no_convert = size & 1;
	const char *path = fz_write_file(data, size);
	struct summary s = read_scap(path, no_convert, size % 3 == 0 ? 7 : 0);
	struct scap_capture *cap;
	struct fz_inspected r;
	uint8_t *z = NULL;

	if (!gz_input) { /* the inspector reads the same bytes compressed */
		size_t zlen = 0;

		z = gzip(data, size, &zlen);
		path = fz_write_file(z, zlen);
	}
	{
		SCAP_OPTS(scap_file_opts, o, .no_convert = no_convert);

		cap = scap_capture__open_file(path, &o);
	}
	free(z);
	FZ_CHECK(!cap == !!s.open_errno, "open: %d the first time, %s the second", s.open_errno,
		 cap ? "opens" : strerror(errno));
	if (!cap) {
		FZ_CHECK(errno == s.open_errno, "open: errno %d the first time, %d the second", s.open_errno, errno);
		return 0;
	}
	r = fz_inspect(cap, MAX_EVENTS, 4, NULL);
	if (r.end != 0 && s.end != 0) /* neither stopped at MAX_EVENTS: the same events, the same end */
		FZ_CHECK(r.end == s.end && r.sst.n_delivered == s.n && r.sst.n_evts == s.st.n_evts &&
				 r.sst.n_skipped == s.st.n_skipped && r.sst.n_converted == s.st.n_converted,
			 "%s: read %llu events ending with %d by scap, %llu ending with %d by the inspector%s",
			 no_convert ? "as stored" : "converted", (unsigned long long)s.n, s.end,
			 (unsigned long long)r.sst.n_delivered, r.end, gz_input ? "" : " (compressed)");
	return 0;
}
