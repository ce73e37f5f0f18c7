/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pyscap's CO-RE probe. Foundation version: one tp_btf/sys_exit program that turns every syscall
 * into the generic `syscall` exit event (ppm_sc code + native number) in a per-CPU ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "probe.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u64 boot_time = 0;  /* realtime - boottime, set by user space before load */

struct syscall_entry {
	__u16 flags;
	__u16 exit_event;
	__u16 ppm_sc;
};
const volatile struct syscall_entry syscall_table[SCAP_SYSCALL_NR_MAX] = SCAP_SYSCALL_TABLE_X86_64_INIT;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);  /* resized to the number of possible CPUs before load */
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_RINGBUF);
		__uint(max_entries, 8 * 1024 * 1024);
	});
} ringbufs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct probe_counters);
} counters SEC(".maps");

struct generic_event {
	struct scap_evt_hdr hdr;
	__u16 lens[2];
	__u16 ppm_sc;
	__u16 native_id;
} __attribute__((packed));

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u32 zero = 0, cpu = bpf_get_smp_processor_id();
	struct probe_counters *cnt = bpf_map_lookup_elem(&counters, &zero);
	long id = BPF_CORE_READ(regs, orig_ax);
	struct generic_event *e;
	void *rb;

	if (id < 0 || id >= SCAP_SYSCALL_NR_MAX || !cnt)
		return 0;
	rb = bpf_map_lookup_elem(&ringbufs, &cpu);
	if (!rb)
		return 0;
	cnt->n_evts++;
	e = bpf_ringbuf_reserve(rb, sizeof(*e), 0);
	if (!e) {
		cnt->n_drops_buffer++;
		cnt->n_drops_category[SCAP_DROP_OTHER_INTEREST_EXIT]++;
		return 0;
	}
	e->hdr.ts = boot_time + bpf_ktime_get_boot_ns();
	e->hdr.tid = bpf_get_current_pid_tgid() & 0xffffffff;
	e->hdr.len = sizeof(*e);
	e->hdr.type = SCAP_EVT_SYSCALL_X;
	e->hdr.nparams = 2;
	e->lens[0] = 2;
	e->lens[1] = 2;
	e->ppm_sc = syscall_table[id].ppm_sc;
	e->native_id = id;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}
