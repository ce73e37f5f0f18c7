/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/* Structures shared by the CO-RE probe (probe.bpf.c) and libscap's bpf_core engine. */
#ifndef PYSCAP_BPF_CORE_PROBE_H
#define PYSCAP_BPF_CORE_PROBE_H

#include "scap_abi.h"

#define PROBE_MAX_CPUS		 256 /* power of 2: counters are indexed by cpu & (MAX - 1) */
#define PROBE_MAX_EXCLUDED_TGIDS 16
#define PROBE_MAX_EXCLUDED_COMMS 8
#define PROBE_COMM_LEN		 16
#define PROBE_DEFAULT_SNAPLEN	 80
#define PROBE_MAX_EXCLUDED_PATHS 8
#define PROBE_PATH_PREFIX_LEN	 64 /* an excluded path: at most 63 bytes, NUL-padded */

/* interesting[nr]: bits of what syscall number nr is of interest as */
#define PROBE_SC_NATIVE	    1 /* an x86_64 syscall */
#define PROBE_SC_IA32	    2 /* an ia32 syscall (abi/scap_abi_ia32.h) */
#define PROBE_SC_IA32_ENTER 4 /* an ia32 syscall whose twin's enter event is of interest (TOCTOU) */

/* Per-CPU counters (a .bss array indexed by CPU, padded to avoid false sharing). */
struct probe_counters {
	__u64 n_evts;		      /* events the probe tried to write */
	__u64 n_drops_buffer;	      /* ring buffer full */
	__u64 n_drops_max_event_size; /* event larger than SCAP_MAX_EVENT_SIZE */
	__u64 n_drops_category[SCAP_DROP_CATEGORIES];
	__u64 n_drops_bug;	/* a program pushed another number of parameters than the schema has */
	__u64 n_excluded_paths; /* open-family events left out: their path is under an excluded path */
	__u64 pad[1];
};

/* Tracepoint programs other than sys_exit, switched on/off by user space (tp_enabled[]). */
enum probe_tp {
	PROBE_TP_EXEC = 0,  /* sched_process_exec -> execve X for successful execve/execveat */
	PROBE_TP_PROCEXIT,  /* sched_process_exit -> procexit */
	PROBE_TP_SWITCH,    /* sched_switch -> switch */
	PROBE_TP_SIGNAL,    /* signal_deliver -> signaldeliver */
	PROBE_TP_PF_USER,   /* page_fault_user -> page_fault */
	PROBE_TP_PF_KERNEL, /* page_fault_kernel -> page_fault */
	PROBE_TP_MAX,
};

/* Run-time settings, written by user space through the mmap'd .bss. */
struct probe_settings {
	__u64 boot_time; /* realtime - boottime, ns */
	__u32 snaplen;	 /* I/O bytes kept */
	__u32 drop_failed;
	__u32 n_excluded_tgids;
	__u32 n_excluded_comms;
	__s32 excluded_tgids[PROBE_MAX_EXCLUDED_TGIDS];
	char excluded_comms[PROBE_MAX_EXCLUDED_COMMS][PROBE_COMM_LEN];
	__u8 tp_enabled[PROBE_TP_MAX];
};

/* scap_live_opts.exclude_paths, in the probe's .rodata (set before the load: the verifier knows
 * them, and bpf_strncmp compares with read-only strings only): absolute, without a trailing '/'
 * (but "/" itself), NUL-padded. */
struct probe_excluded_paths {
	__u32 n;
	__u8 len[PROBE_MAX_EXCLUDED_PATHS];
	char paths[PROBE_MAX_EXCLUDED_PATHS][PROBE_PATH_PREFIX_LEN];
};

#endif
