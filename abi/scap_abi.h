/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * The ABI shared by the CO-RE probe (bpf_core/), the kernel module (driver/) and libscap:
 * the on-wire event header and everything generated from the event schema (schema/).
 * This header and the two generated ones it includes are the only headers the drivers
 * take from the rest of the tree.
 *
 * Wire format (little-endian, host order): a 26-byte packed header, then nparams length
 * slots (u16, or u32 for SCAP_EF_LARGE_PAYLOAD events), then the parameter payloads.
 */
#ifndef SCAP_ABI_H
#define SCAP_ABI_H

#if defined(__VMLINUX_H__)
/* BPF programs: types come from vmlinux.h */
#elif defined(__KERNEL__)
#include <linux/types.h>
#else
#include <linux/types.h>
#endif

#include "scap_abi_events.h"
#include "scap_abi_syscalls_x86_64.h"

struct scap_evt_hdr {
	__u64 ts;      /* ns since the epoch */
	__u64 tid;     /* kernel thread id (init pid namespace) */
	__u32 len;     /* whole event: header + length slots + payloads */
	__u16 type;    /* enum scap_event_type */
	__u32 nparams; /* number of length slots */
} __attribute__((packed));

/* Largest single parameter a driver writes, and the largest event of the CO-RE probe. */
#define SCAP_MAX_PARAM_SIZE 65000
#define SCAP_MAX_EVENT_SIZE (64 * 1024)

/* Drop-counter categories, shared by both drivers' statistics. */
enum scap_drop_category {
	SCAP_DROP_CLONE_FORK_EXIT = 0,
	SCAP_DROP_EXECVE_EXIT,
	SCAP_DROP_CONNECT_ENTER,
	SCAP_DROP_CONNECT_EXIT,
	SCAP_DROP_OPEN_ENTER,
	SCAP_DROP_OPEN_EXIT,
	SCAP_DROP_DIR_FILE_EXIT,
	SCAP_DROP_OTHER_INTEREST_EXIT,
	SCAP_DROP_CLOSE_EXIT,
	SCAP_DROP_PROC_EXIT,
	SCAP_DROP_CATEGORIES,
};

#endif /* SCAP_ABI_H */
