/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap_write_events [--gzip] OUT < records
 * Writes a .scap file with an empty platform from stdin records: u16 cpu, u32 flags, then
 * one wire event (its length is in its header). Prints "events N"; exit 0, or 2 with the
 * dumper's message on stderr when an event is rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap/scap.h"

int main(int argc, char **argv)
{
	SCAP_OPTS(scap_dumper_opts, dopts);
	const char *out = NULL;
	struct scap_dumper *d;
	unsigned long long n = 0;
	uint8_t *buf = NULL;
	size_t cap = 0;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--gzip"))
			dopts.compression = SCAP_COMPRESSION_GZIP;
		else
			out = argv[i];
	}
	if (!out) {
		fprintf(stderr, "usage: %s [--gzip] OUT < records\n", argv[0]);
		return 2;
	}
	d = scap_dumper__open(out, &dopts);
	if (!d) {
		fprintf(stderr, "dumper: %s\n", scap_last_error());
		return 2;
	}
	for (;;) {
		uint8_t head[6 + 26];
		uint16_t cpu;
		uint32_t flags, len;

		if (fread(head, 1, sizeof(head), stdin) != sizeof(head))
			break;
		memcpy(&cpu, head, 2);
		memcpy(&flags, head + 2, 4);
		memcpy(&len, head + 6 + 16, 4);
		if (len < 26) {
			fprintf(stderr, "record %llu: event length %u\n", n, len);
			return 2;
		}
		if (len > cap) {
			cap = len;
			buf = realloc(buf, cap);
			if (!buf)
				return 2;
		}
		memcpy(buf, head + 6, 26);
		if (fread(buf + 26, 1, len - 26, stdin) != len - 26) {
			fprintf(stderr, "record %llu: short event\n", n);
			return 2;
		}
		if (scap_dumper__write(d, (const struct scap_evt_hdr *)buf, cpu, flags) < 0) {
			fprintf(stderr, "dump: %s\n", scap_dumper__geterr(d));
			return 2;
		}
		n++;
	}
	free(buf);
	if (scap_dumper__close(d) < 0) {
		fprintf(stderr, "close: %s\n", scap_last_error());
		return 2;
	}
	printf("events %llu\n", n);
	return 0;
}
