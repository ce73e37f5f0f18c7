/* SPDX-License-Identifier: Apache-2.0 */
/* libscap-internal: the .scap block format, the platform store and the converter. */
#ifndef SCAP_FILE_INTERNAL_H
#define SCAP_FILE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scap/platform.h"
#include "scap/capture.h"
#include "scap_abi.h"

/* ------------------------------------------------------------------------------ block ids */
#define BT_SHB		 0x0A0D0D0Au
#define SHB_MAGIC	 0x1A2B3C4Du
#define BT_MI		 0x201u
#define BT_MI_LEGACY	 0x8002ABCDu
#define BT_PL_V1	 0x202u
#define BT_PL_V1_LEGACY	 0x8000ABCDu
#define BT_PL_V2	 0x207u
#define BT_PL_V2_LEGACY	 0x8013ABCDu
#define BT_PL_V3	 0x209u
#define BT_PL_V3_LEGACY	 0x8014ABCDu
#define BT_PL_V4	 0x210u
#define BT_PL_V5	 0x211u
#define BT_PL_V6	 0x212u
#define BT_PL_V7	 0x213u
#define BT_PL_V8	 0x214u
#define BT_PL_V9	 0x215u
#define BT_FDL_V1	 0x203u
#define BT_FDL_V1_LEGACY 0x8001ABCDu
#define BT_FDL_V2	 0x218u
#define BT_EV_V1	 0x204u
#define BT_EV_V1_LEGACY	 0x8010ABCDu
#define BT_EV_V2	 0x216u
#define BT_EV_V2_LARGE	 0x221u
#define BT_EVF_V1	 0x208u
#define BT_EVF_V2	 0x217u
#define BT_EVF_V2_LARGE	 0x222u
#define BT_IL_V1	 0x205u
#define BT_IL_V1_LEGACY	 0x8011ABCDu
#define BT_IL_V2	 0x219u
#define BT_UL_V1	 0x206u
#define BT_UL_V1_LEGACY	 0x8012ABCDu
#define BT_UL_V2	 0x220u

#define SCAP_MI_BODY_SIZE 180u

/* ------------------------------------------------------------------------------ platform */
struct tid_slot {
	uint64_t tid;
	uint32_t idx1;
};

struct scap_platform {
	struct scap_machine_info mi;
	struct scap_thread_info *threads;
	uint32_t *fd_cap; /* capacity of threads[i].fds */
	uint32_t fd_cap_cap;
	uint32_t nthreads, threads_cap;
	struct tid_slot *index; /* open addressing: tid -> thread idx + 1; idx1 0 = empty slot */
	uint32_t index_cap;
	bool index_dirty;
	struct scap_iface_info *ifaces;
	uint32_t nifaces, ifaces_cap;
	struct scap_user_info *users;
	uint32_t nusers, users_cap;
	struct scap_group_info *groups;
	uint32_t ngroups, groups_cap;
};

/* Take ownership of ti's strings (malloc'd, NUL-terminated; never NULL). Returns the thread
 * index or a negative errno (then the strings are freed). */
int platform_add_thread_owned(struct scap_platform *p, struct scap_thread_info *ti);
/* Take ownership of fi->name (malloc'd). Adds to thread index idx. */
int platform_add_fd_owned(struct scap_platform *p, uint32_t idx, struct scap_fd_info *fi);
int platform_add_iface_owned(struct scap_platform *p, struct scap_iface_info *ii);
int platform_add_user_owned(struct scap_platform *p, struct scap_user_info *ui);
int platform_add_group_owned(struct scap_platform *p, struct scap_group_info *gi);
/* Index of the thread with that tid, or -1. */
int64_t platform_find(struct scap_platform *p, uint64_t tid);
/* malloc'd copy of len bytes + a NUL (NULL on ENOMEM). */
char *scap_memdup0(const void *src, size_t len);

/* ------------------------------------------------------------------------------ converter */
struct scap_converter;

struct scap_converter *scap_converter_new(void);
void scap_converter_free(struct scap_converter *c);
void scap_converter_reset(struct scap_converter *c);

enum conv_result {
	CONV_PASS = 0,	/* deliver the input event unchanged */
	CONV_REWRITTEN, /* deliver *out (owned by the converter, valid until its next call) */
	CONV_CONSUMED,	/* an old enter event stored for its exit: deliver nothing */
	CONV_DROPPED,	/* an event of an unused slot: deliver nothing */
};

/* Convert one valid event (type < SCAP_EVT_MAX, params bounds-checked) to the current layout.
 * Returns an enum conv_result or a negative errno (out of memory). */
int scap_converter_convert(struct scap_converter *c, const struct scap_evt_hdr *evt, const struct scap_evt_hdr **out);

#endif
