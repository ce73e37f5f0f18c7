/* SPDX-License-Identifier: Apache-2.0 */
/* Small printing helpers shared by the file-test programs. */
#ifndef TESTS_FILE_HELPERS_H
#define TESTS_FILE_HELPERS_H

#include <stdint.h>
#include <stdio.h>

static inline void put_hex(FILE *o, const void *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		fputc(hx[b[i] >> 4], o);
		fputc(hx[b[i] & 15], o);
	}
}

/* A JSON string literal of n bytes (NULs and control characters escaped). */
static inline void put_json_str(FILE *o, const char *s, size_t n)
{
	size_t i;

	fputc('"', o);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(o, "\\u%04x", c);
		else
			fputc(c, o);
	}
	fputc('"', o);
}

#endif
