/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event codec and the event table.
 *
 * An event is `struct scap_evt_hdr` (26 packed bytes), `nparams` length slots (u16; u32 for
 * events flagged SCAP_EF_LARGE_PAYLOAD), then the parameters' bytes in order. A parameter of
 * length 0 is empty ("not available"). See docs/events.md for every event's parameters.
 */
#ifndef SCAP_EVENT_H
#define SCAP_EVENT_H

#include "scap/common.h"
#include "scap_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A borrowed view of one parameter's bytes. */
struct scap_param {
	const void *data;
	uint32_t len;
};

/* One name of a flag/enum table. */
struct scap_flag_name {
	const char *name;
	uint32_t value;
};

/*
 * Validate the event at `evt` (at most `size` readable bytes) and split its parameters.
 * Checks: the header fits, 26 <= len <= size, the type is known, the length slots and every
 * parameter fit inside len. Fills params[0 .. min(nparams, max)-1] with views into `evt` and
 * stores the event's own nparams in *nparams (may differ from the table's for old producers).
 * Returns 0, -EINVAL (malformed: see scap_last_error()) or -ENOENT (unknown event type).
 */
SCAP_API int scap_event_decode(const void *evt, size_t size, struct scap_param *params, uint32_t max,
			       uint32_t *nparams);

/*
 * Encode an event into buf (bufsize bytes). *len receives the event's length, also when buf is
 * too small (then -ENOSPC is returned and nothing is written past bufsize).
 * Parameters of fixed-size types must have exactly that size or be empty (len 0).
 * Returns 0, -ENOSPC, or -EINVAL (unknown/unused type, nparams > SCAP_MAX_PARAMS, a bad length).
 */
SCAP_API int scap_event_encode(void *buf, size_t bufsize, size_t *len, uint64_t ts, uint64_t tid, uint16_t type,
			       uint32_t nparams, const struct scap_param *params);

/* Event table accessors. Strings are static; out-of-range arguments give NULL / -EINVAL. */
SCAP_API uint32_t scap_event_table_size(void); /* SCAP_EVT_MAX */
SCAP_API const char *scap_event_name(uint16_t type);
SCAP_API int scap_event_category(uint16_t type); /* enum scap_event_category bits, or -EINVAL */
SCAP_API int scap_event_flags(uint16_t type);	 /* enum scap_event_flags bits, or -EINVAL */
SCAP_API int scap_event_nparams(uint16_t type);	 /* the table's parameter count, or -EINVAL */
SCAP_API const char *scap_event_param_name(uint16_t type, uint32_t idx);
SCAP_API int scap_event_param_type(uint16_t type, uint32_t idx);   /* enum scap_param_type, or -EINVAL */
SCAP_API int scap_event_param_format(uint16_t type, uint32_t idx); /* enum scap_print_format, or -EINVAL */
SCAP_API int scap_event_param_dirfd(uint16_t type, uint32_t idx);  /* dirfd index, -1 if none, or -EINVAL */
/* The parameter's {NULL,0}-terminated flag table, or NULL if it has none. */
SCAP_API const struct scap_flag_name *scap_event_param_flags(uint16_t type, uint32_t idx);
/* Size of a fixed-size parameter type, 0 for variable-length types, -EINVAL if unknown. */
SCAP_API int scap_param_type_size(uint32_t param_type);

/* ppm_sc codes: name of a code (NULL if out of range), code of a name (-ENOENT if unknown). */
SCAP_API const char *scap_ppm_sc_name(uint32_t code);
SCAP_API int scap_ppm_sc_from_name(const char *name);
/* x86_64 native syscall number -> ppm_sc code (-ENOENT if unknown) and -> exit event id
 * (SCAP_EVT_SYSCALL_X for syscalls without a dedicated event; -ENOENT if unknown). */
SCAP_API int scap_native_to_ppm_sc(uint32_t nr);
SCAP_API int scap_native_to_exit_event(uint32_t nr);

#ifdef __cplusplus
}
#endif
#endif /* SCAP_EVENT_H */
