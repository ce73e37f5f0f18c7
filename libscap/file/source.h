/* SPDX-License-Identifier: Apache-2.0 */
/* libscap-internal: the byte source under the .scap reader (a plain file, or gzip through
 * zlib's inflate so that everything decompressed before a damaged spot is kept). */
#ifndef SCAP_FILE_SOURCE_H
#define SCAP_FILE_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

enum src_state {
	SRC_OK = 0,	   /* more data may follow */
	SRC_END = 1,	   /* clean end of the file */
	SRC_TRUNCATED = 2, /* a gzip stream ended without its trailer */
	SRC_ERROR = 3,	   /* read error or damaged compressed data: see err */
};

struct scap_source {
	int fd;
	int gz;	       /* gzip stream (else plain) */
	int in_member; /* inside a gzip member (its trailer not seen yet) */
	int input_eof;
	z_stream zs;
	int zinit;
	uint8_t *in;
	size_t in_cap;
	size_t pending_off, pending_len; /* plain: bytes of `in` read while sniffing, not yet handed out */
	uint64_t in_total;		 /* compressed bytes consumed (for messages) */
	enum src_state state;
	char err[160];
};

/* Take over fd and sniff the format. 0 or a negative errno (message in scap_last_error()). */
int scap_source_open(struct scap_source *s, int fd);
/* Up to len bytes into out; returns how many (0 only at the end or on a problem: see state). */
size_t scap_source_read(struct scap_source *s, uint8_t *out, size_t len);
void scap_source_close(struct scap_source *s);

#endif
