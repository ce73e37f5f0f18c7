/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The floor of bench/run.py: an empty program on the same hook as the CO-RE probe's dispatcher
 * (BTF-enabled raw tracepoint sys_exit). What a syscall pays for it is the least any tracer on
 * that hook can cost: the tracepoint, the trampoline into BPF and back.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_exit")
int floor_exit(unsigned long long *ctx)
{
	return 0;
}
