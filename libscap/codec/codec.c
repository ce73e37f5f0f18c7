/* SPDX-License-Identifier: Apache-2.0 */
/* Event encode/decode with a bounds check on every length, and the event table accessors. */
#include <errno.h>
#include <string.h>

#include "event_table.h"
#include "internal.h"

static const int8_t param_type_size[SCAP_PT_MAX] = {
	[SCAP_PT_INT8] = 1,	   [SCAP_PT_UINT8] = 1,	    [SCAP_PT_FLAGS8] = 1,      [SCAP_PT_ENUMFLAGS8] = 1,
	[SCAP_PT_SIGTYPE] = 1,	   [SCAP_PT_L4PROTO] = 1,   [SCAP_PT_SOCKFAMILY] = 1,  [SCAP_PT_INT16] = 2,
	[SCAP_PT_UINT16] = 2,	   [SCAP_PT_FLAGS16] = 2,   [SCAP_PT_ENUMFLAGS16] = 2, [SCAP_PT_SYSCALLID] = 2,
	[SCAP_PT_PORT] = 2,	   [SCAP_PT_INT32] = 4,	    [SCAP_PT_UINT32] = 4,      [SCAP_PT_FLAGS32] = 4,
	[SCAP_PT_ENUMFLAGS32] = 4, [SCAP_PT_BOOL] = 4,	    [SCAP_PT_UID] = 4,	       [SCAP_PT_GID] = 4,
	[SCAP_PT_MODE] = 4,	   [SCAP_PT_SIGSET] = 4,    [SCAP_PT_IPV4ADDR] = 4,    [SCAP_PT_FD32] = 4,
	[SCAP_PT_PID32] = 4,	   [SCAP_PT_INT64] = 8,	    [SCAP_PT_UINT64] = 8,      [SCAP_PT_ERRNO] = 8,
	[SCAP_PT_FD] = 8,	   [SCAP_PT_PID] = 8,	    [SCAP_PT_RELTIME] = 8,     [SCAP_PT_ABSTIME] = 8,
	[SCAP_PT_DOUBLE] = 8,	   [SCAP_PT_IPV6ADDR] = 16,
};

int scap_param_type_size(uint32_t param_type)
{
	if (param_type >= SCAP_PT_MAX)
		return scap_fail(EINVAL, "unknown parameter type %u", param_type);
	return param_type_size[param_type];
}

static inline int is_large(uint16_t type)
{
	return (scap_event_table[type].flags & SCAP_EF_LARGE_PAYLOAD) != 0;
}

int scap_event_decode(const void *evt, size_t size, struct scap_param *params, uint32_t max, uint32_t *nparams)
{
	const uint8_t *p = evt;
	uint32_t len, n, slot, i;
	uint16_t type;
	uint64_t off;

	if (size < SCAP_EVENT_HEADER_SIZE)
		return scap_fail(EINVAL, "event header needs %d bytes, %zu available", SCAP_EVENT_HEADER_SIZE, size);
	len = scap_rd32(p + 16);
	type = scap_rd16(p + 20);
	n = scap_rd32(p + 22);
	if (len < SCAP_EVENT_HEADER_SIZE)
		return scap_fail(EINVAL, "event length %u is shorter than the %d-byte header", len,
				 SCAP_EVENT_HEADER_SIZE);
	if (len > size)
		return scap_fail(EINVAL, "event length %u exceeds the %zu bytes available", len, size);
	if (type >= SCAP_EVT_MAX)
		return scap_fail(ENOENT, "unknown event type %u", type);
	slot = is_large(type) ? 4 : 2;
	off = SCAP_EVENT_HEADER_SIZE + (uint64_t)n * slot;
	if (off > len)
		return scap_fail(EINVAL, "event type %u: %u length slots do not fit in length %u", type, n, len);
	for (i = 0; i < n; i++) {
		const uint8_t *s = p + SCAP_EVENT_HEADER_SIZE + (size_t)i * slot;
		uint32_t plen = slot == 2 ? scap_rd16(s) : scap_rd32(s);

		if (off + plen > len)
			return scap_fail(EINVAL,
					 "event type %u: parameter %u (%u bytes at offset %llu) overruns length %u",
					 type, i, plen, (unsigned long long)off, len);
		if (i < max) {
			params[i].data = p + off;
			params[i].len = plen;
		}
		off += plen;
	}
	if (nparams)
		*nparams = n;
	return 0;
}

int scap_event_encode(void *buf, size_t bufsize, size_t *len, uint64_t ts, uint64_t tid, uint16_t type,
		      uint32_t nparams, const struct scap_param *params)
{
	const struct scap_event_info *info;
	struct scap_evt_hdr hdr;
	uint8_t *out = buf;
	uint64_t total;
	uint32_t i, slot;

	if (type >= SCAP_EVT_MAX || (scap_event_table[type].flags & SCAP_EF_UNUSED))
		return scap_fail(EINVAL, "cannot encode unknown or unused event type %u", type);
	if (nparams > SCAP_MAX_PARAMS)
		return scap_fail(EINVAL, "event type %u: %u parameters exceed the maximum of %d", type, nparams,
				 SCAP_MAX_PARAMS);
	info = &scap_event_table[type];
	slot = is_large(type) ? 4 : 2;
	total = SCAP_EVENT_HEADER_SIZE + (uint64_t)nparams * slot;
	for (i = 0; i < nparams; i++) {
		uint32_t plen = params[i].len;

		if (i < info->nparams && plen) {
			int sz = param_type_size[info->params[i].type];

			if (sz && plen != (uint32_t)sz)
				return scap_fail(EINVAL, "event %s (%u): parameter %s is %d bytes, not %u", info->name,
						 type, info->params[i].name, sz, plen);
		}
		if (slot == 2 && plen > UINT16_MAX)
			return scap_fail(EINVAL, "event %s (%u): parameter %u is %u bytes, more than a u16 slot holds",
					 info->name, type, i, plen);
		if (plen && !params[i].data)
			return scap_fail(EINVAL, "event %s (%u): parameter %u has no data", info->name, type, i);
		total += plen;
	}
	if (total > UINT32_MAX)
		return scap_fail(EINVAL, "event type %u: length %llu exceeds 4 GiB", type, (unsigned long long)total);
	if (len)
		*len = (size_t)total;
	if (total > bufsize)
		return scap_fail(ENOSPC, "event type %u needs %llu bytes, the buffer has %zu", type,
				 (unsigned long long)total, bufsize);
	hdr.ts = ts;
	hdr.tid = tid;
	hdr.len = (uint32_t)total;
	hdr.type = type;
	hdr.nparams = nparams;
	memcpy(out, &hdr, sizeof(hdr));
	out += sizeof(hdr);
	for (i = 0; i < nparams; i++) {
		if (slot == 2) {
			uint16_t l = (uint16_t)params[i].len;
			memcpy(out, &l, 2);
		} else {
			memcpy(out, &params[i].len, 4);
		}
		out += slot;
	}
	for (i = 0; i < nparams; i++) {
		if (params[i].len)
			memcpy(out, params[i].data, params[i].len);
		out += params[i].len;
	}
	return 0;
}

/* ------------------------------------------------------------------------------ table accessors */

uint32_t scap_event_table_size(void)
{
	return SCAP_EVT_MAX;
}

const char *scap_event_name(uint16_t type)
{
	return type < SCAP_EVT_MAX ? scap_event_table[type].name : NULL;
}

#define CHECK_TYPE(type)                                                           \
	do {                                                                       \
		if ((type) >= SCAP_EVT_MAX)                                        \
			return scap_fail(EINVAL, "unknown event type %u", (type)); \
	} while (0)

int scap_event_category(uint16_t type)
{
	CHECK_TYPE(type);
	return (int)scap_event_table[type].category;
}

int scap_event_flags(uint16_t type)
{
	CHECK_TYPE(type);
	return (int)scap_event_table[type].flags;
}

int scap_event_nparams(uint16_t type)
{
	CHECK_TYPE(type);
	return (int)scap_event_table[type].nparams;
}

static const struct scap_param_info *param_info(uint16_t type, uint32_t idx)
{
	if (type >= SCAP_EVT_MAX || idx >= scap_event_table[type].nparams) {
		scap_fail(EINVAL, "event type %u has no parameter %u", type, idx);
		return NULL;
	}
	return &scap_event_table[type].params[idx];
}

const char *scap_event_param_name(uint16_t type, uint32_t idx)
{
	const struct scap_param_info *pi = param_info(type, idx);

	return pi ? pi->name : NULL;
}

int scap_event_param_type(uint16_t type, uint32_t idx)
{
	const struct scap_param_info *pi = param_info(type, idx);

	return pi ? pi->type : -EINVAL;
}

int scap_event_param_format(uint16_t type, uint32_t idx)
{
	const struct scap_param_info *pi = param_info(type, idx);

	return pi ? pi->fmt : -EINVAL;
}

int scap_event_param_dirfd(uint16_t type, uint32_t idx)
{
	const struct scap_param_info *pi = param_info(type, idx);

	return pi ? pi->dirfd : -EINVAL;
}

const struct scap_flag_name *scap_event_param_flags(uint16_t type, uint32_t idx)
{
	const struct scap_param_info *pi = param_info(type, idx);

	return pi ? pi->flags : NULL;
}

const char *scap_ppm_sc_name(uint32_t code)
{
	return code < SCAP_SC_MAX ? scap_ppm_sc_names[code] : NULL;
}

int scap_ppm_sc_from_name(const char *name)
{
	uint32_t i;

	for (i = 0; name && i < SCAP_SC_MAX; i++)
		if (strcmp(scap_ppm_sc_names[i], name) == 0)
			return (int)i;
	return scap_fail(ENOENT, "unknown syscall name '%s'", name ? name : "(null)");
}

int scap_native_to_ppm_sc(uint32_t nr)
{
	if (nr >= SCAP_SYSCALL_NR_MAX || !scap_syscall_table_x86_64[nr].ppm_sc)
		return scap_fail(ENOENT, "unknown x86_64 syscall number %u", nr);
	return scap_syscall_table_x86_64[nr].ppm_sc;
}

int scap_native_to_exit_event(uint32_t nr)
{
	if (nr >= SCAP_SYSCALL_NR_MAX || !scap_syscall_table_x86_64[nr].ppm_sc)
		return scap_fail(ENOENT, "unknown x86_64 syscall number %u", nr);
	if (!(scap_syscall_table_x86_64[nr].flags & SCAP_UF_USED))
		return SCAP_EVT_SYSCALL_X;
	return scap_syscall_table_x86_64[nr].exit_event;
}
