/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads bytes from stdin and walks them as a sequence of wire events with scap_event_decode(),
 * printing one line per event ("ok <type> <nparams> <param lengths...>") and, at the first
 * malformed event, "error <offset> <message>". Used by the robustness tests (under ASan/UBSan).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "scap/scap.h"

int main(void)
{
	size_t cap = 1 << 16, size = 0, off = 0, r;
	unsigned char *buf = malloc(cap);

	if (!buf)
		return 2;
	while ((r = fread(buf + size, 1, cap - size, stdin)) > 0) {
		size += r;
		if (size == cap) {
			unsigned char *nb = realloc(buf, cap *= 2);
			if (!nb)
				return 2;
			buf = nb;
		}
	}
	while (off < size) {
		struct scap_param params[SCAP_MAX_PARAMS];
		uint32_t n = 0, i, len;
		int rc = scap_event_decode(buf + off, size - off, params, SCAP_MAX_PARAMS, &n);

		if (rc < 0) {
			printf("error %zu %s\n", off, scap_last_error());
			free(buf);
			return 1;
		}
		memcpy(&len, buf + off + 16, 4);
		printf("ok %u %u", (unsigned)((const struct scap_evt_hdr *)(buf + off))->type, n);
		for (i = 0; i < n && i < SCAP_MAX_PARAMS; i++)
			printf(" %u", params[i].len);
		printf("\n");
		off += len;
	}
	free(buf);
	return 0;
}
