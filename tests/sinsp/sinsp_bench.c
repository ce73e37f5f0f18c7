/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Throughput of libsinsp on a synthetic stream (test engine): state only, text output of every
 * event (the default line), JSON output, a filter, and batch extraction.
 * Usage: sinsp_bench [nevents]   Prints one "name events/s checksum" line per measurement.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sinsp/sinsp.h"
#include "sinsp/filter.h"

static size_t enc(uint8_t *buf, size_t cap, uint64_t ts, uint64_t tid, uint16_t type, uint32_t n,
		  const struct scap_param *p)
{
	size_t len = 0;
	if (scap_event_encode(buf, cap, &len, ts, tid, type, n, p) != 0) {
		fprintf(stderr, "encode %u: %s\n", type, scap_last_error());
		exit(1);
	}
	return len;
}

#define P(x)                    \
	{                       \
		&(x), sizeof(x) \
	}
#define S(s)                   \
	{                      \
		(s), sizeof(s) \
	}

/* A stream of n events: per round openat, read, fstat (generic), close on several threads. */
static uint8_t *make_stream(uint64_t n, size_t *size)
{
	size_t cap = n * 128 + 4096, off = 0;
	uint8_t *buf = malloc(cap);
	uint64_t ts = 1700000000000000000ull, i;
	if (!buf)
		exit(1);
	for (i = 0; i < n; i++) {
		int64_t tid = 1000 + (int64_t)(i / 4 % 8);
		int64_t fd = 3, dirfd = -100, res = 100;
		uint32_t flags = 1, mode = 0, dev = 0, size32 = 4096;
		uint64_t ino = 0;
		uint16_t sc = 5, nat = 5;
		char data[32] = "some data read from the file..";
		switch (i % 4) {
		case 0: {
			struct scap_param p[] = {
				P(fd), P(dirfd), S("/etc/passwd"), P(flags), P(mode), P(dev), P(ino)
			};
			off += enc(buf + off, cap - off, ts + i, tid, SCAP_EVT_OPENAT_X, 7, p);
			break;
		}
		case 1: {
			struct scap_param p[] = { P(res), { data, 30 }, P(fd), P(size32) };
			off += enc(buf + off, cap - off, ts + i, tid, SCAP_EVT_READ_X, 4, p);
			break;
		}
		case 2: {
			struct scap_param p[] = { P(sc), P(nat) };
			off += enc(buf + off, cap - off, ts + i, tid, SCAP_EVT_SYSCALL_X, 2, p);
			break;
		}
		default: {
			int64_t zero = 0;
			struct scap_param p[] = { P(zero), P(fd) };
			off += enc(buf + off, cap - off, ts + i, tid, SCAP_EVT_CLOSE_X, 2, p);
			break;
		}
		}
	}
	*size = off;
	return buf;
}

static struct sinsp_inspector *open_insp(const uint8_t *buf, size_t size)
{
	SCAP_OPTS(scap_test_opts, to, .events = buf, .size = size);
	struct scap_capture *cap = scap_capture__open_test(&to);
	SINSP_OPTS(sinsp_opts, so, .live = -1);
	struct sinsp_inspector *insp;
	struct sinsp_thread_seed seed;
	int64_t t;
	if (!cap) {
		fprintf(stderr, "open_test: %s\n", scap_last_error());
		exit(1);
	}
	insp = sinsp_inspector__open(cap, &so);
	if (!insp) {
		fprintf(stderr, "open: %s\n", sinsp_last_error());
		exit(1);
	}
	for (t = 1000; t < 1008; t++) {
		memset(&seed, 0, sizeof(seed));
		seed.sz = sizeof(seed);
		seed.tid = seed.pid = t;
		seed.ptid = 1;
		seed.comm = "bench";
		seed.exe = "bench";
		seed.cwd = "/";
		if (sinsp_inspector__add_thread(insp, &seed) != 0)
			exit(1);
	}
	return insp;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const char *name, uint64_t n, double dt, uint64_t sum)
{
	printf("%s %.0f %llu\n", name, n / dt, (unsigned long long)sum);
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 2000000;
	size_t size;
	uint8_t *buf = make_stream(n, &size);
	const struct sinsp_event *evt;
	struct sinsp_inspector *insp;
	uint64_t cnt, sum;
	double t0;
	int mode;

	/* state only */
	insp = open_insp(buf, size);
	cnt = sum = 0;
	t0 = now();
	while (sinsp_inspector__next(insp, &evt) == 0) {
		cnt++;
		sum += sinsp_event__fdnum(evt) + 1;
	}
	report("next", cnt, now() - t0, sum);
	sinsp_inspector__close(insp);

	/* text and JSON lines of every event */
	for (mode = 0; mode < 2; mode++) {
		struct sinsp_formatter *f = sinsp_formatter__create(SINSP_DEFAULT_FORMAT, mode);
		char line[4096];
		insp = open_insp(buf, size);
		cnt = sum = 0;
		t0 = now();
		while (sinsp_inspector__next(insp, &evt) == 0) {
			int len = sinsp_formatter__format(f, evt, line, sizeof(line));
			cnt++;
			sum += len > 0 ? (uint64_t)len : 0;
		}
		report(mode ? "json" : "text", cnt, now() - t0, sum);
		sinsp_formatter__free(f);
		sinsp_inspector__close(insp);
	}

	/* filter evt.type=openat, printing the matches */
	{
		struct sinsp_formatter *f = sinsp_formatter__create(SINSP_DEFAULT_FORMAT, 0);
		struct sinsp_filter *flt;
		char line[4096];
		int pos;
		insp = open_insp(buf, size);
		flt = sinsp_filter__compile(insp, "evt.type=openat", &pos);
		if (!flt) {
			fprintf(stderr, "filter: %s\n", sinsp_last_error());
			return 1;
		}
		sinsp_inspector__set_filter(insp, flt);
		cnt = sum = 0;
		t0 = now();
		while (sinsp_inspector__next(insp, &evt) == 0) {
			int len = sinsp_formatter__format(f, evt, line, sizeof(line));
			cnt++;
			sum += len > 0 ? (uint64_t)len : 0;
		}
		report("filter", n, now() - t0, sum + cnt);
		sinsp_inspector__set_filter(insp, NULL);
		sinsp_filter__free(flt);
		sinsp_formatter__free(f);
		sinsp_inspector__close(insp);
	}

	/* batch extraction of 4 fields */
	{
		const char *fields[] = { "evt.num", "proc.name", "fd.name", "evt.rawres" };
		struct sinsp_extractor *x = sinsp_extractor__create(fields, 4);
		struct sinsp_column col = { .sz = sizeof(col) };
		uint32_t got;
		insp = open_insp(buf, size);
		cnt = sum = 0;
		t0 = now();
		while (sinsp_extractor__run(x, insp, 65536, &got) == 0) {
			cnt += got;
			sinsp_extractor__column(x, 0, &col);
			sum += col.u64[got - 1];
		}
		report("extract", cnt, now() - t0, sum);
		sinsp_extractor__free(x);
		sinsp_inspector__close(insp);
	}
	free(buf);
	return 0;
}
