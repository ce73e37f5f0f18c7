/* SPDX-License-Identifier: Apache-2.0 */
/* libscap-internal: .scap metadata blocks <-> platform. */
#ifndef SCAP_FILE_META_H
#define SCAP_FILE_META_H

#include <stddef.h>
#include <stdint.h>

#include "file_internal.h"

/* 1 if btype is a metadata block type this reader knows, else 0. */
int scap_meta_block_kind(uint32_t btype);
/* Parse one metadata block body (len bytes at file offset body_off) into p. 0 or a negative
 * errno with a message in err ("at byte offset N: expected ..."). */
int scap_meta_parse(struct scap_platform *p, uint32_t btype, const uint8_t *body, size_t len, uint64_t body_off,
		    char *err, size_t errlen);

/* A growable byte buffer. */
struct sbuf {
	uint8_t *data;
	size_t len, cap;
	int oom;
};
void sbuf_put(struct sbuf *b, const void *p, size_t n);
void sbuf_free(struct sbuf *b);

/* Append SHB, MI, IL_V2, UL_V2, PL_V9 and one FDL_V2 per thread for p to b (0 or -ENOMEM). */
int scap_meta_write(struct sbuf *b, const struct scap_platform *p);

#endif
