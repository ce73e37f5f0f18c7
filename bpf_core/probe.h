/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/* Structures shared by the CO-RE probe (probe.bpf.c) and libscap's bpf_core engine. */
#ifndef PYSCAP_BPF_CORE_PROBE_H
#define PYSCAP_BPF_CORE_PROBE_H

#include "scap_abi.h"

/* Per-CPU counters (an ARRAY map indexed by CPU). */
struct probe_counters {
	__u64 n_evts;                 /* events the probe tried to write */
	__u64 n_drops_buffer;         /* ring buffer full */
	__u64 n_drops_max_event_size; /* event larger than SCAP_MAX_EVENT_SIZE */
	__u64 n_drops_category[SCAP_DROP_CATEGORIES];
};

#endif
