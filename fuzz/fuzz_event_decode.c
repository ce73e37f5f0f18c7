/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_event_decode: scap_event_decode() (libscap/codec/) on arbitrary bytes, three ways:
 *   1. the bytes as an event, as they are;
 *   2. the same bytes with a valid header (len = the input's size, a known type, as many length
 *      slots as fit), so that the slot and parameter checks see every input;
 *   3. a valid header in front of the bytes (type from the first two bytes, the table's number of
 *      parameters), the bytes being the length slots and the parameters.
 * Each decode is checked: the same verdict with a smaller params array, every parameter inside
 * the event, and for an event that decodes and re-encodes (scap_event_encode()), the same bytes
 * back, -ENOSPC for a buffer one byte short, the same parameters when decoded again. The event
 * table accessors run over the decoded type.
 */
#include <errno.h>

#include "fuzz_common.h"

static void walk_table(uint16_t type)
{
	int np = scap_event_nparams(type);
	int i;

	fz_touch_str(scap_event_name(type));
	fz_sink += (uint64_t)scap_event_category(type) + (uint64_t)scap_event_flags(type);
	FZ_CHECK(np >= 0 && np <= SCAP_MAX_PARAMS, "type %u: nparams %d", type, np);
	for (i = 0; i <= np; i++) { /* one past the end: NULL / -EINVAL */
		const struct scap_flag_name *fl = scap_event_param_flags(type, (uint32_t)i);
		int pt = scap_event_param_type(type, (uint32_t)i);

		fz_touch_str(scap_event_param_name(type, (uint32_t)i));
		fz_sink += (uint64_t)scap_event_param_format(type, (uint32_t)i) +
			   (uint64_t)scap_event_param_dirfd(type, (uint32_t)i);
		if (i == np) {
			FZ_CHECK(pt == -EINVAL && !fl, "type %u: parameter %d past the end", type, i);
			break;
		}
		FZ_CHECK(pt >= 0 && scap_param_type_size((uint32_t)pt) >= 0, "type %u param %d: type %d", type, i, pt);
		for (; fl && fl->name; fl++)
			fz_touch_str(fl->name);
	}
}

/* The event at buf decoded, then encoded back and decoded again. */
static void round_trip(const uint8_t *buf, uint32_t len, uint16_t type, uint32_t n, const struct scap_param *params)
{
	struct scap_param again[SCAP_MAX_PARAMS];
	struct scap_evt_hdr hdr;
	uint32_t n2 = 0, i;
	size_t olen = 0, olen2 = 0;
	uint8_t *out, *small;
	int rc;

	memcpy(&hdr, buf, sizeof(hdr));
	out = malloc(len);
	FZ_CHECK(out, "out of memory");
	rc = scap_event_encode(out, len, &olen, hdr.ts, hdr.tid, type, n, params);
	if (rc != 0) {
		/* unused types and fixed-size parameters of another size are refused; nothing else */
		FZ_CHECK(rc == -EINVAL, "encode of a decoded event: %d (%s)", rc, scap_last_error());
		free(out);
		return;
	}
	FZ_CHECK(olen >= sizeof(hdr) && olen <= len, "encoded length %zu, decoded event %u", olen, len);
	/* the same bytes, but for len (the input may have bytes past its last parameter) */
	FZ_CHECK(fz_evt_len((const struct scap_evt_hdr *)out) == olen, "encoded header length");
	FZ_CHECK(memcmp(out, buf, 16) == 0 && memcmp(out + 20, buf + 20, olen - 20) == 0,
		 "type %u: encoding the decoded parameters gives other bytes", type);
	rc = scap_event_decode(out, olen, again, SCAP_MAX_PARAMS, &n2);
	FZ_CHECK(rc == 0 && n2 == n, "decode of the re-encoded event: %d, %u parameters of %u", rc, n2, n);
	for (i = 0; i < n; i++)
		FZ_CHECK(again[i].len == params[i].len && !memcmp(again[i].data, params[i].data, params[i].len),
			 "type %u: parameter %u differs after a round trip", type, i);
	/* exactly one byte short: -ENOSPC, and nothing written past the buffer (ASan) */
	small = malloc(olen - 1);
	FZ_CHECK(small, "out of memory");
	rc = scap_event_encode(small, olen - 1, &olen2, hdr.ts, hdr.tid, type, n, params);
	FZ_CHECK(rc == -ENOSPC && olen2 == olen, "encode into %zu bytes: %d, length %zu", olen - 1, rc, olen2);
	free(small);
	free(out);
}

static void decode(const uint8_t *buf, size_t size)
{
	struct scap_param params[SCAP_MAX_PARAMS], few[2];
	uint32_t n = 0, n2 = 0, len, slot, i, m;
	const uint8_t *body;
	uint16_t type;
	int rc, rc2;

	rc = scap_event_decode(buf, size, params, SCAP_MAX_PARAMS, &n);
	rc2 = scap_event_decode(buf, size, few, 2, &n2);
	FZ_CHECK(rc == rc2, "decode with 32 and 2 parameter slots: %d, %d", rc, rc2);
	if (rc != 0) {
		FZ_CHECK(rc == -EINVAL || rc == -ENOENT, "decode: %d", rc);
		fz_touch_str(scap_last_error());
		return;
	}
	FZ_CHECK(n == n2, "nparams %u, %u", n, n2);
	len = fz_evt_len((const struct scap_evt_hdr *)buf);
	type = fz_evt_type((const struct scap_evt_hdr *)buf);
	FZ_CHECK(len >= SCAP_EVENT_HEADER_SIZE && len <= size, "decoded length %u of %zu bytes", len, size);
	FZ_CHECK(type < scap_event_table_size(), "decoded type %u", type);
	slot = (scap_event_flags(type) & SCAP_EF_LARGE_PAYLOAD) ? 4 : 2;
	FZ_CHECK(SCAP_EVENT_HEADER_SIZE + (uint64_t)n * slot <= len, "slots past the event");
	body = buf + SCAP_EVENT_HEADER_SIZE + (size_t)n * slot;
	m = n < SCAP_MAX_PARAMS ? n : SCAP_MAX_PARAMS;
	for (i = 0; i < m; i++) {
		const uint8_t *d = params[i].data;

		FZ_CHECK(d >= body && d + params[i].len <= buf + len, "type %u: parameter %u outside the event", type,
			 i);
		FZ_CHECK(i >= 2 || (few[i].data == d && few[i].len == params[i].len), "parameter %u differs", i);
		body = d + params[i].len; /* parameters follow each other */
		fz_touch_mem(d, params[i].len);
	}
	walk_table(type);
	if (n <= SCAP_MAX_PARAMS)
		round_trip(buf, len, type, n, params);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t max = scap_event_table_size();
	uint8_t *copy;

	fz_init_quiet();
	/* 1. as they are (libFuzzer's buffer is exactly size bytes: ASan sees any over-read) */
	decode(data, size);

	/* 2. the same bytes with a valid header */
	if (size >= SCAP_EVENT_HEADER_SIZE && size <= UINT32_MAX) {
		uint32_t len = (uint32_t)size, n, fit;
		uint16_t type;

		copy = malloc(size);
		FZ_CHECK(copy, "out of memory");
		memcpy(copy, data, size);
		memcpy(&type, copy + 20, 2);
		memcpy(&n, copy + 22, 4);
		type = (uint16_t)(type % max);
		fit = (len - SCAP_EVENT_HEADER_SIZE) / ((scap_event_flags(type) & SCAP_EF_LARGE_PAYLOAD) ? 4 : 2);
		if (n > fit)
			n = fit;
		memcpy(copy + 16, &len, 4);
		memcpy(copy + 20, &type, 2);
		memcpy(copy + 22, &n, 4);
		decode(copy, size);
		free(copy);
	}

	/* 3. a valid header in front of the bytes */
	if (size >= 2 && size <= UINT32_MAX - SCAP_EVENT_HEADER_SIZE) {
		struct scap_evt_hdr hdr = { .ts = 1, .tid = 2 };

		hdr.type = (uint16_t)((data[0] | data[1] << 8) % max);
		hdr.nparams = (uint32_t)scap_event_nparams(hdr.type);
		hdr.len = (uint32_t)(SCAP_EVENT_HEADER_SIZE + size);
		copy = malloc(SCAP_EVENT_HEADER_SIZE + size);
		FZ_CHECK(copy, "out of memory");
		memcpy(copy, &hdr, SCAP_EVENT_HEADER_SIZE);
		memcpy(copy + SCAP_EVENT_HEADER_SIZE, data, size);
		decode(copy, SCAP_EVENT_HEADER_SIZE + size);
		free(copy);
	}
	return 0;
}
