/* SPDX-License-Identifier: Apache-2.0 */
/*
 * read_rate [--gen N] [--no-convert] FILE
 * With --gen, first writes FILE: N synthetic events (a realistic mix of current exit events:
 * read/write with data, openat, close, generic syscalls, spread over 4 cpus and 64 threads)
 * through the dumper, uncompressed. Then reads FILE through scap_capture__open_file(), parse
 * only (every event is validated and handed out, nothing else), and prints events/s by wall
 * time and by CPU time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scap/scap.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int gen(const char *path, unsigned long n)
{
	SCAP_OPTS(scap_dumper_opts, o);
	struct scap_dumper *d = scap_dumper__open(path, &o);
	uint8_t buf[1024], data[64];
	unsigned long i;

	if (!d) {
		fprintf(stderr, "dumper: %s\n", scap_last_error());
		return -1;
	}
	memset(data, 'x', sizeof(data));
	for (i = 0; i < n; i++) {
		int64_t res = 32, fd = 3 + (int64_t)(i % 5);
		uint32_t size = 32, zero = 0, flags = 1, mode = 0;
		uint64_t ino = 1234 + i;
		uint16_t sc = 75, nat = 10;
		struct scap_param p[8];
		size_t len;
		uint16_t type;
		uint32_t np;
		int rc;

		switch (i % 4) {
		case 0: /* read X: res, data, fd, size */
		case 1: /* write X */
			type = (i % 4) ? SCAP_EVT_WRITE_X : SCAP_EVT_READ_X;
			p[0] = (struct scap_param){ &res, 8 };
			p[1] = (struct scap_param){ data, 32 };
			p[2] = (struct scap_param){ &fd, 8 };
			p[3] = (struct scap_param){ &size, 4 };
			np = 4;
			break;
		case 2: /* openat X: fd, dirfd, name, flags, mode, dev, ino */
			type = SCAP_EVT_OPENAT_X;
			p[0] = (struct scap_param){ &fd, 8 };
			p[1] = (struct scap_param){ &fd, 8 };
			p[2] = (struct scap_param){ "/etc/ld.so.cache", 17 };
			p[3] = (struct scap_param){ &flags, 4 };
			p[4] = (struct scap_param){ &mode, 4 };
			p[5] = (struct scap_param){ &zero, 4 };
			p[6] = (struct scap_param){ &ino, 8 };
			np = 7;
			break;
		default: /* generic syscall X: ID, nativeID */
			type = SCAP_EVT_SYSCALL_X;
			p[0] = (struct scap_param){ &sc, 2 };
			p[1] = (struct scap_param){ &nat, 2 };
			np = 2;
			break;
		}
		rc = scap_event_encode(buf, sizeof(buf), &len, 1700000000000000000ull + i * 1000, 1000 + i % 64, type,
				       np, p);
		if (rc < 0 || scap_dumper__write(d, (const struct scap_evt_hdr *)buf, (uint16_t)(i % 4), 0) < 0) {
			fprintf(stderr, "gen: %s\n", scap_last_error());
			return -1;
		}
	}
	return scap_dumper__close(d);
}

int main(int argc, char **argv)
{
	SCAP_OPTS(scap_file_opts, opts);
	unsigned long n_gen = 0, n = 0;
	const char *path = NULL;
	struct scap_capture *cap;
	double t0, t1, c0, c1;
	uint64_t sum = 0;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--gen") && i + 1 < argc)
			n_gen = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--no-convert"))
			opts.no_convert = true;
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: %s [--gen N] [--no-convert] FILE\n", argv[0]);
		return 2;
	}
	if (n_gen && gen(path, n_gen) < 0)
		return 2;
	t0 = clock_s(CLOCK_MONOTONIC);
	c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	cap = scap_capture__open_file(path, &opts);
	if (!cap) {
		fprintf(stderr, "open: %s\n", scap_last_error());
		return 2;
	}
	for (;;) {
		const struct scap_evt_hdr *e;
		uint16_t cpu;
		uint32_t flags;

		rc = scap_capture__next(cap, &e, &cpu, &flags);
		if (rc != 0)
			break;
		sum += e->len;
		n++;
	}
	t1 = clock_s(CLOCK_MONOTONIC);
	c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	if (rc != SCAP_STATUS_EOF) {
		fprintf(stderr, "read: %s\n", scap_capture__geterr(cap));
		return 1;
	}
	scap_capture__close(cap);
	/* Wall time suffers from other load on the machine; CPU time (user + system, this process)
	 * is the steadier number. */
	printf("events %lu bytes %llu wall %.3f s (%.2f M events/s) cpu %.3f s (%.2f M events/s)\n", n,
	       (unsigned long long)sum, t1 - t0, (double)n / (t1 - t0) / 1e6, c1 - c0, (double)n / (c1 - c0) / 1e6);
	return 0;
}
