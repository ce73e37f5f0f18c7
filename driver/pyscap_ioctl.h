/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * The user-space interface of the pyscap kernel module (driver/), shared with libscap's kmod
 * engine (libscap/engines/kmod/).
 *
 * One character device per possible CPU, /dev/pyscap0 .. /dev/pyscapN-1. A consumer opens every
 * device (one consumer at a time: another process gets EBUSY; one capture per consumer: opening a
 * device it already has gives EEXIST), then on each device:
 *   - mmap(len = PAGE_SIZE, offset 0, PROT_READ|PROT_WRITE): the ring's info page
 *     (struct pyscap_ring_info); user space writes only `tail`;
 *   - mmap(len = 2 * buffer bytes, offset 0, PROT_READ): the ring's data, mapped twice back to
 *     back, so an event that wraps around the end is contiguous in user space.
 * Events are the wire events of scap_abi.h, packed back to back (no padding) in [tail, head).
 * The kernel writes at head and publishes it with a release store; user space reads head with an
 * acquire load, consumes events and then stores the new tail (release).
 * Settings are per device file but global to the consumer: set them through any device.
 */
#ifndef PYSCAP_IOCTL_H
#define PYSCAP_IOCTL_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <linux/ioctl.h>
#include <linux/types.h>
#endif

#include "scap_abi.h"

#define PYSCAP_DEVICE_NAME	    "pyscap"
#define PYSCAP_DEFAULT_BUFFER_BYTES (8u * 1024 * 1024)
#define PYSCAP_DEFAULT_SNAPLEN	    80
#define PYSCAP_MAX_EXCLUDED_TGIDS   16
#define PYSCAP_MAX_EXCLUDED_COMMS   8
#define PYSCAP_COMM_LEN		    16
#define PYSCAP_MAX_EXCLUDED_PATHS   8
#define PYSCAP_PATH_PREFIX_LEN	    64 /* an excluded path: at most 63 bytes, NUL-padded */

/* The shared page at the start of each device's info mapping. */
struct pyscap_ring_info {
	__u32 head;				      /* kernel: next write offset in [0, buffer bytes) */
	__u32 tail;				      /* user: next read offset in [0, buffer bytes) */
	__u64 n_evts;				      /* events generated on this CPU (delivered + dropped) */
	__u64 n_drops_buffer;			      /* dropped: ring full */
	__u64 n_drops_max_event_size;		      /* dropped: event larger than SCAP_MAX_EVENT_SIZE */
	__u64 n_drops_category[SCAP_DROP_CATEGORIES]; /* n_drops_buffer split by event category */
	__u64 n_drops_bug;			      /* dropped: a filler did not match the schema (a driver bug) */
	__u64 n_preemptions;			      /* dropped: re-entered on this CPU while writing an event */
	__u64 n_context_switches;
	__u64 n_excluded_paths; /* open-family events left out: their path is under an excluded path */
};

/* Tracepoints other than the syscall ones (enabled through PYSCAP_IOCTL_SET_TP). */
enum pyscap_tp {
	PYSCAP_TP_SCHED_PROCESS_EXEC = 0, /* successful execve/execveat -> execve X */
	PYSCAP_TP_SCHED_PROCESS_EXIT,	  /* procexit */
	PYSCAP_TP_SCHED_SWITCH,		  /* switch */
	PYSCAP_TP_SIGNAL_DELIVER,	  /* signaldeliver */
	PYSCAP_TP_PAGE_FAULT_USER,	  /* page_fault (x86 exceptions:page_fault_user) */
	PYSCAP_TP_PAGE_FAULT_KERNEL,	  /* page_fault (x86 exceptions:page_fault_kernel) */
	PYSCAP_TP_MAX,
};

/* PYSCAP_IOCTL_SET_SYSCALL's value: what syscall number `what` is of interest as */
#define PYSCAP_SC_NATIVE 1 /* an x86_64 syscall */
#define PYSCAP_SC_IA32	 2 /* an ia32 syscall (abi/scap_abi_ia32.h) */

struct pyscap_set {
	__u32 what;  /* syscall: its number; tracepoint: enum pyscap_tp */
	__u32 value; /* syscall: PYSCAP_SC_* bits; tracepoint: 1 enable, 0 disable */
};

struct pyscap_exclude_tgids {
	__u32 n;
	__s32 tgids[PYSCAP_MAX_EXCLUDED_TGIDS];
};

struct pyscap_exclude_comms {
	__u32 n;
	char comms[PYSCAP_MAX_EXCLUDED_COMMS][PYSCAP_COMM_LEN];
};

/* scap_live_opts.exclude_paths: absolute, without a trailing '/' (but "/" itself), NUL-padded */
struct pyscap_exclude_paths {
	__u32 n;
	__u8 len[PYSCAP_MAX_EXCLUDED_PATHS];
	char paths[PYSCAP_MAX_EXCLUDED_PATHS][PYSCAP_PATH_PREFIX_LEN];
};

#define PYSCAP_IOCTL_MAGIC 0xA7
/* Packed versions (major << 44 | minor << 24 | patch): SCAP_API_VERSION, SCAP_SCHEMA_VERSION. */
#define PYSCAP_IOCTL_GET_API_VERSION	_IOR(PYSCAP_IOCTL_MAGIC, 1, __u64)
#define PYSCAP_IOCTL_GET_SCHEMA_VERSION _IOR(PYSCAP_IOCTL_MAGIC, 2, __u64)
/* Ring size of this device; settable only before the data is mapped (power of 2, >= 1 page). */
#define PYSCAP_IOCTL_GET_BUFFER_BYTES	_IOR(PYSCAP_IOCTL_MAGIC, 3, __u32)
#define PYSCAP_IOCTL_SET_BUFFER_BYTES	_IOW(PYSCAP_IOCTL_MAGIC, 4, __u32)
#define PYSCAP_IOCTL_ENABLE_CAPTURE	_IO(PYSCAP_IOCTL_MAGIC, 5)
#define PYSCAP_IOCTL_DISABLE_CAPTURE	_IO(PYSCAP_IOCTL_MAGIC, 6)
#define PYSCAP_IOCTL_SET_SNAPLEN	_IOW(PYSCAP_IOCTL_MAGIC, 7, __u32) /* <= SCAP_MAX_PARAM_SIZE */
#define PYSCAP_IOCTL_SET_SYSCALL	_IOW(PYSCAP_IOCTL_MAGIC, 8, struct pyscap_set)
#define PYSCAP_IOCTL_SET_TP		_IOW(PYSCAP_IOCTL_MAGIC, 9, struct pyscap_set)
#define PYSCAP_IOCTL_SET_DROP_FAILED	_IOW(PYSCAP_IOCTL_MAGIC, 10, __u32)
#define PYSCAP_IOCTL_SET_EXCLUDED_TGIDS _IOW(PYSCAP_IOCTL_MAGIC, 11, struct pyscap_exclude_tgids)
#define PYSCAP_IOCTL_SET_EXCLUDED_COMMS _IOW(PYSCAP_IOCTL_MAGIC, 12, struct pyscap_exclude_comms)
/* Number of possible CPUs = number of devices. */
#define PYSCAP_IOCTL_GET_NDEVS		_IOR(PYSCAP_IOCTL_MAGIC, 13, __u32)
#define PYSCAP_IOCTL_SET_EXCLUDED_PATHS _IOW(PYSCAP_IOCTL_MAGIC, 14, struct pyscap_exclude_paths)

#endif /* PYSCAP_IOCTL_H */
