/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap_robust --truncate FILE [STRIDE] | --flip FILE COUNT SEED
 * Damage a plain (uncompressed) .scap file in memory, write each damaged copy to a temporary
 * file and read it back without conversion. Checks, for every copy:
 * - every event whose block ends before the damage is delivered, byte-identical, in order;
 * - truncation exactly at a block boundary is a clean end of file, anywhere else an error
 *   whose message names a byte offset; the full file reads to its end;
 * - flips: reading stops with end of file or an error naming a byte offset (and, under ASan,
 *   never touches memory it should not). Flipped copies are read a second time with the
 *   converter on.
 * Prints "<mode>: N cases, F failures" and exits 0 only without failures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scap/scap.h"

struct evcopy {
	uint8_t *data;
	uint32_t len;
	uint16_t cpu;
	uint32_t flags;
};

static uint8_t *file;
static size_t fsize;
static uint64_t *ev_end; /* end offset of each event block */
static size_t nblk_ev;
static uint64_t *bound; /* every block boundary */
static size_t nbound;
static struct evcopy *ref;
static size_t nref;
static char tmp[] = "/dev/shm/scap_robust_XXXXXX";
static int failures;

static int load(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t pos = 0;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	fsize = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	file = malloc(fsize + 1);
	if (fread(file, 1, fsize, f) != fsize)
		return -1;
	fclose(f);
	ev_end = calloc(fsize / 12 + 1, sizeof(*ev_end));
	bound = calloc(fsize / 12 + 2, sizeof(*bound));
	bound[nbound++] = 0;
	while (pos + 8 <= fsize) {
		uint32_t t, l;

		memcpy(&t, file + pos, 4);
		memcpy(&l, file + pos + 4, 4);
		if (l < 12 || pos + l > fsize)
			return -1;
		pos += l;
		bound[nbound++] = pos;
		if (t == 0x216 || t == 0x217 || t == 0x221 || t == 0x222 || t == 0x204 || t == 0x208 || t == 0x8010ABCD)
			ev_end[nblk_ev++] = pos;
	}
	return pos == fsize ? 0 : -1;
}

/* Read path; store copies of the events when keep, else compare with ref. Returns the number
 * of events, *status = final rc (or 100 if the open failed), msg = error message. */
static size_t read_all(const char *path, int convert, int keep, size_t must_match, int *status, char *msg,
		       size_t msglen, int *mismatch)
{
	SCAP_OPTS(scap_file_opts, opts, .no_convert = !convert);
	struct scap_capture *cap = scap_capture__open_file(path, &opts);
	size_t n = 0;
	int rc;

	*mismatch = 0;
	msg[0] = 0;
	if (!cap) {
		snprintf(msg, msglen, "%s", scap_last_error());
		*status = 100;
		return 0;
	}
	for (;;) {
		const struct scap_evt_hdr *e;
		uint16_t cpu;
		uint32_t flags;

		rc = scap_capture__next(cap, &e, &cpu, &flags);
		if (rc != 0)
			break;
		if (keep) {
			ref = realloc(ref, (nref + 1) * sizeof(*ref));
			ref[nref].data = malloc(e->len);
			memcpy(ref[nref].data, e, e->len);
			ref[nref].len = e->len;
			ref[nref].cpu = cpu;
			ref[nref].flags = flags;
			nref++;
		} else if (n < must_match) {
			if (n >= nref || ref[n].len != e->len || memcmp(ref[n].data, e, e->len) || ref[n].cpu != cpu ||
			    ref[n].flags != flags)
				*mismatch = 1;
		}
		n++;
	}
	if (rc != SCAP_STATUS_EOF)
		snprintf(msg, msglen, "%s", scap_capture__geterr(cap));
	*status = rc;
	scap_capture__close(cap);
	return n;
}

static void write_tmp(const uint8_t *data, size_t len)
{
	FILE *f = fopen(tmp, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror("write tmp");
		exit(2);
	}
}

static int is_bound(uint64_t off)
{
	size_t i;

	for (i = 0; i < nbound; i++)
		if (bound[i] == off)
			return 1;
	return 0;
}

static size_t events_before(uint64_t off)
{
	size_t i = 0;

	while (i < nblk_ev && ev_end[i] <= off)
		i++;
	return i;
}

static void fail(const char *what, size_t at, const char *detail)
{
	failures++;
	if (failures <= 20)
		fprintf(stderr, "FAIL %s at %zu: %s\n", what, at, detail);
}

int main(int argc, char **argv)
{
	char msg[1024];
	int status, mism, fd;
	size_t n, cases = 0;

	if (argc < 3 || load(argv[2]) < 0) {
		fprintf(stderr, "usage: %s --truncate FILE | --flip FILE COUNT SEED (FILE: a plain .scap)\n", argv[0]);
		return 2;
	}
	fd = mkstemp(tmp);
	if (fd < 0)
		return 2;
	close(fd);
	read_all(argv[2], 0, 1, 0, &status, msg, sizeof(msg), &mism);
	if (status != SCAP_STATUS_EOF || nref != nblk_ev) {
		fprintf(stderr, "reference read failed: status %d, %zu events, %zu event blocks: %s\n", status, nref,
			nblk_ev, msg);
		unlink(tmp);
		return 2;
	}
	if (!strcmp(argv[1], "--truncate")) {
		size_t len, stride = argc > 3 ? (size_t)atol(argv[3]) : 1;

		if (!stride)
			stride = 1;
		for (len = 0; len <= fsize; len = (len < fsize && len + stride > fsize) ? fsize : len + stride) {
			size_t want = events_before(len);
			char d[1200];

			write_tmp(file, len);
			n = read_all(tmp, 0, 0, want, &status, msg, sizeof(msg), &mism);
			cases++;
			snprintf(d, sizeof(d), "got %zu events (want %zu), status %d, msg '%s'", n, want, status, msg);
			if (mism || n != want)
				fail("truncate", len, d);
			else if (len > 0 && is_bound(len) && status != SCAP_STATUS_EOF)
				fail("truncate (boundary should be a clean end)", len, d);
			else if ((len == 0 || !is_bound(len)) &&
				 (status == SCAP_STATUS_EOF || !strstr(msg, "byte offset")))
				fail("truncate (should report the byte offset)", len, d);
			if (len == fsize)
				break;
		}
		printf("truncate: %zu cases, %d failures\n", cases, failures);
	} else if (!strcmp(argv[1], "--flip") && argc >= 5) {
		long count = atol(argv[3]), i;
		uint8_t *copy = malloc(fsize);

		srand((unsigned)atol(argv[4]));
		for (i = 0; i < count; i++) {
			size_t off = (size_t)rand() % fsize;
			uint8_t x = (uint8_t)(1 + rand() % 255);
			size_t want = events_before(off);
			char d[1200];

			memcpy(copy, file, fsize);
			copy[off] ^= x;
			write_tmp(copy, fsize);
			n = read_all(tmp, 0, 0, want, &status, msg, sizeof(msg), &mism);
			cases++;
			snprintf(d, sizeof(d), "xor 0x%02x: got %zu events (want >= %zu), status %d, msg '%s'", x, n,
				 want, status, msg);
			if (mism || n < want)
				fail("flip", off, d);
			else if (status != SCAP_STATUS_EOF && !strstr(msg, "byte offset"))
				fail("flip (error without byte offset)", off, d);
			n = read_all(tmp, 1, 0, 0, &status, msg, sizeof(msg), &mism);
			if (status != SCAP_STATUS_EOF && !strstr(msg, "byte offset") && !strstr(msg, "out of memory"))
				fail("flip+convert (error without byte offset)", off, msg);
		}
		free(copy);
		printf("flip: %zu cases, %d failures\n", cases, failures);
	} else {
		unlink(tmp);
		return 2;
	}
	unlink(tmp);
	return failures ? 1 : 0;
}
