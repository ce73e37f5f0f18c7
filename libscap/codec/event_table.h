/* SPDX-License-Identifier: Apache-2.0 */
/* libscap-internal view of the generated event table (event_table.gen.c). */
#ifndef SCAP_CODEC_EVENT_TABLE_H
#define SCAP_CODEC_EVENT_TABLE_H

#include <stdint.h>
#include "scap_abi.h"
#include "scap/event.h"

struct scap_param_info {
	const char *name;
	uint8_t type;			    /* enum scap_param_type */
	uint8_t fmt;			    /* enum scap_print_format */
	int8_t dirfd;			    /* FSRELPATH: index of the dirfd parameter, else -1 */
	const struct scap_flag_name *flags; /* {0,0}-terminated, or NULL */
};

struct scap_event_info {
	const char *name;
	uint32_t category;
	uint32_t flags;
	uint32_t nparams;
	const struct scap_param_info *params;
};

struct scap_syscall_entry {
	uint16_t flags;
	uint16_t exit_event;
	uint16_t ppm_sc;
};

extern const struct scap_event_info scap_event_table[SCAP_EVT_MAX];
extern const char *const scap_ppm_sc_names[SCAP_SC_MAX];
extern const struct scap_syscall_entry scap_syscall_table_x86_64[SCAP_SYSCALL_NR_MAX];

#endif
