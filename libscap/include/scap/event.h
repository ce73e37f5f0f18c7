/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
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

/** A borrowed view of one parameter's bytes. */
struct scap_param {
	const void *data; /**< the parameter's first byte */
	uint32_t len;	  /**< its length; 0: empty ("not available") */
};

/** One name of a flag/enum table. */
struct scap_flag_name {
	const char *name; /**< the flag's or value's name */
	uint32_t value;	  /**< its value */
};

/**
 * Validate the event at `evt` (at most `size` readable bytes) and split its parameters.
 * Checks: the header fits, 26 <= len <= size, the type is known, the length slots and every
 * parameter fit inside len. Fills params[0 .. min(nparams, max)-1] with views into `evt` and
 * stores the event's own nparams in *nparams (may differ from the table's for old producers).
 *
 * @param evt the event
 * @param size the readable bytes at evt
 * @param[out] params max views to fill
 * @param max the size of params
 * @param[out] nparams the event's own parameter count
 * @return 0, -EINVAL (malformed: see scap_last_error()) or -ENOENT (unknown event type)
 */
SCAP_API int scap_event_decode(const void *evt, size_t size, struct scap_param *params, uint32_t max,
			       uint32_t *nparams);

/**
 * Encode an event into buf (bufsize bytes). *len receives the event's length, also when buf is
 * too small (then -ENOSPC is returned and nothing is written past bufsize).
 * Parameters of fixed-size types must have exactly that size or be empty (len 0).
 *
 * @param buf where the event goes
 * @param bufsize the bytes at buf
 * @param[out] len the event's length
 * @param ts the event's timestamp (ns since the epoch)
 * @param tid the thread id of the event
 * @param type the event type (SCAP_EVT_*)
 * @param nparams the number of parameters
 * @param params nparams parameters
 * @return 0, -ENOSPC, or -EINVAL (unknown/unused type, nparams > SCAP_MAX_PARAMS, a bad length)
 */
SCAP_API int scap_event_encode(void *buf, size_t bufsize, size_t *len, uint64_t ts, uint64_t tid, uint16_t type,
			       uint32_t nparams, const struct scap_param *params);

/*
 * Event table accessors. Strings are static; out-of-range arguments give NULL / -EINVAL.
 */
/** The number of event types: SCAP_EVT_MAX. */
SCAP_API uint32_t scap_event_table_size(void);
/** The event type's name ("openat"), or NULL if out of range. Static. */
SCAP_API const char *scap_event_name(uint16_t type);
/** The event type's enum scap_event_category bits, or -EINVAL. */
SCAP_API int scap_event_category(uint16_t type);
/** The event type's enum scap_event_flags bits, or -EINVAL. */
SCAP_API int scap_event_flags(uint16_t type);
/** The table's parameter count of the event type, or -EINVAL. */
SCAP_API int scap_event_nparams(uint16_t type);
/** The name of parameter idx of the event type, or NULL if out of range. Static. */
SCAP_API const char *scap_event_param_name(uint16_t type, uint32_t idx);
/** The enum scap_param_type of parameter idx of the event type, or -EINVAL. */
SCAP_API int scap_event_param_type(uint16_t type, uint32_t idx);
/** The enum scap_print_format of parameter idx of the event type, or -EINVAL. */
SCAP_API int scap_event_param_format(uint16_t type, uint32_t idx);
/** The index of the dirfd parameter of parameter idx, -1 if none, or -EINVAL. */
SCAP_API int scap_event_param_dirfd(uint16_t type, uint32_t idx);
/** The parameter's {NULL,0}-terminated flag table, or NULL if it has none. */
SCAP_API const struct scap_flag_name *scap_event_param_flags(uint16_t type, uint32_t idx);
/** Size of a fixed-size parameter type, 0 for variable-length types, -EINVAL if unknown. */
SCAP_API int scap_param_type_size(uint32_t param_type);

/** The name of a ppm_sc code, or NULL if out of range. */
SCAP_API const char *scap_ppm_sc_name(uint32_t code);
/** The ppm_sc code of a name, or -ENOENT if unknown. */
SCAP_API int scap_ppm_sc_from_name(const char *name);
/** x86_64 native syscall number -> ppm_sc code (-ENOENT if unknown). */
SCAP_API int scap_native_to_ppm_sc(uint32_t nr);
/**
 * x86_64 native syscall number -> exit event id (SCAP_EVT_SYSCALL_X for syscalls without a
 * dedicated event; -ENOENT if unknown).
 */
SCAP_API int scap_native_to_exit_event(uint32_t nr);

#ifdef __cplusplus
}
#endif
#endif /* SCAP_EVENT_H */
