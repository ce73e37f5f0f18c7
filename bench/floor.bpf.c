/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The floors of bench/run.py and bench/syscall_storm.c: what any tracer on the CO-RE probe's
 * hooks pays before it does anything of its own. bench/floor.c attaches one set:
 *   exit   an empty program on the dispatcher's hook (BTF-enabled raw tracepoint sys_exit): the
 *          tracepoint, the syscall slow path it switches on, the trampoline into BPF and back;
 *   both   the same on sys_enter too (the hook of the TOCTOU enter events when the kernel has
 *          no fentry);
 *   event  sys_exit only, and its program writes the smallest event there is (the 34-byte
 *          generic `syscall` exit event: timestamp, tid, two u16 parameters) into a BPF ring
 *          buffer, without the wakeup: adds the clock read and the ring's reserve/commit;
 *   event-both  the same with the empty sys_enter program too.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} floor_ring SEC(".maps");

struct floor_event {
	__u64 ts;
	__u64 tid;
	__u32 len;
	__u16 type;
	__u32 nparams;
	__u16 lens[2];
	__u16 ppm_sc;
	__u16 native_id;
} __attribute__((packed));

SEC("tp_btf/sys_exit")
int floor_exit(unsigned long long *ctx)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int floor_enter(unsigned long long *ctx)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int floor_event(unsigned long long *ctx)
{
	struct floor_event *e = bpf_ringbuf_reserve(&floor_ring, sizeof(*e), 0);

	if (!e)
		return 0;
	e->ts = bpf_ktime_get_boot_ns();
	e->tid = (__u32)bpf_get_current_pid_tgid();
	e->len = sizeof(*e);
	e->type = 0;
	e->nparams = 2;
	e->lens[0] = 2;
	e->lens[1] = 2;
	e->ppm_sc = 0;
	e->native_id = 0;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}
