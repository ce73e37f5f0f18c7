/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-CPU ring merge of the live engines (bpf_core, kmod): each CPU's ring holds its events
 * in time order, and the consumer delivers the oldest of the rings' next events first. The engine
 * says what "the next event of a ring" is (head(): its address, or NULL when the ring is empty);
 * the merge is the same for both.
 */
#ifndef SCAP_ENGINE_RINGS_H
#define SCAP_ENGINE_RINGS_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* The ring (of n, stride bytes apart from rings) whose next event has the smallest timestamp,
 * or -1 if every ring is empty; *evt receives that event. Inlined into each engine with its own
 * head(), so that the merge costs no call per ring. */
static inline __attribute__((always_inline)) int
scap_rings_oldest(void *rings, size_t stride, uint32_t n, const uint8_t *(*head)(void *ring), const uint8_t **evt)
{
	const uint8_t *best = NULL;
	uint64_t best_ts = UINT64_MAX;
	int best_i = -1;

	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = head((uint8_t *)rings + i * stride);

		if (p) {
			uint64_t ts = scap_rd64(p); /* the header's first field */

			if (ts < best_ts) {
				best_ts = ts;
				best = p;
				best_i = i;
			}
		}
	}
	*evt = best;
	return best_i;
}

#endif /* SCAP_ENGINE_RINGS_H */
