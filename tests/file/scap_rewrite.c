/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap_rewrite [--no-convert] [--gzip] IN OUT
 * Reads IN and writes its metadata (platform) and every delivered event (with its cpu and
 * flags) to OUT with the dumper. Prints "events N" and exits 0 at the end of IN, 1 if IN
 * turned out damaged (OUT then holds every event read before the damage), 2 on other errors.
 */
#include <stdio.h>
#include <string.h>

#include "scap/scap.h"

int main(int argc, char **argv)
{
	SCAP_OPTS(scap_file_opts, opts);
	SCAP_OPTS(scap_dumper_opts, dopts);
	const char *in = NULL, *out = NULL;
	struct scap_capture *cap;
	struct scap_dumper *d;
	unsigned long long n = 0;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-convert"))
			opts.no_convert = true;
		else if (!strcmp(argv[i], "--gzip"))
			dopts.compression = SCAP_COMPRESSION_GZIP;
		else if (!in)
			in = argv[i];
		else
			out = argv[i];
	}
	if (!in || !out) {
		fprintf(stderr, "usage: %s [--no-convert] [--gzip] IN OUT\n", argv[0]);
		return 2;
	}
	cap = scap_capture__open_file(in, &opts);
	if (!cap) {
		fprintf(stderr, "open: %s\n", scap_last_error());
		return 2;
	}
	dopts.platform = scap_capture__platform(cap);
	d = scap_dumper__open(out, &dopts);
	if (!d) {
		fprintf(stderr, "dumper: %s\n", scap_last_error());
		return 2;
	}
	for (;;) {
		const struct scap_evt_hdr *e;
		uint16_t cpu;
		uint32_t flags;

		rc = scap_capture__next(cap, &e, &cpu, &flags);
		if (rc != 0)
			break;
		if (scap_dumper__write(d, e, cpu, flags) < 0) {
			fprintf(stderr, "dump: %s\n", scap_dumper__geterr(d));
			return 2;
		}
		n++;
	}
	if (rc != SCAP_STATUS_EOF)
		fprintf(stderr, "read: %s\n", scap_capture__geterr(cap));
	if (scap_dumper__close(d) < 0) {
		fprintf(stderr, "close: %s\n", scap_last_error());
		return 2;
	}
	scap_capture__close(cap);
	printf("events %llu\n", n);
	return rc == SCAP_STATUS_EOF ? 0 : 1;
}
