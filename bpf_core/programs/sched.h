/* SPDX-License-Identifier: GPL-2.0-only */
/* Scheduler and signal tracepoints: procexit, switch, signaldeliver, page_fault. */

/* First thread of t's group that is not exiting (0 if none), up to 16 threads. */
static __always_inline __u32 live_thread(struct task_struct *t)
{
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	struct list_head *head = &sig->thread_head;
	struct list_head *n = BPF_CORE_READ(sig, thread_head.next);

	for (int i = 0; i < 16; i++) {
		struct task_struct *th;
		if (!n || n == head)
			break;
		th = (void *)n - bpf_core_field_offset(struct task_struct, thread_node);
		if (!(BPF_CORE_READ(th, flags) & 0x4 /* PF_EXITING */))
			return BPF_CORE_READ(th, pid);
		n = BPF_CORE_READ(n, next);
	}
	return 0;
}

/* Who adopts p's children (the kernel's find_new_reaper): a live thread of the group, else
 * the nearest child-subreaper ancestor, else the pid namespace's init; 0 if p is that init. */
static __always_inline __s64 find_reaper(struct task_struct *p)
{
	struct signal_struct *sig = BPF_CORE_READ(p, signal);
	struct task_struct *ns_reaper;
	struct pid_namespace *ns;
	unsigned int level;
	__u32 tid;

	if (BPF_CORE_READ(sig, live.counter) > 0) {
		tid = live_thread(p);
		if (tid)
			return tid;
	}
	level = BPF_CORE_READ(p, thread_pid, level);
	ns = BPF_CORE_READ(p, thread_pid, numbers[level & 31].ns);
	ns_reaper = BPF_CORE_READ(ns, child_reaper);
	if (BPF_CORE_READ(ns_reaper, tgid) == BPF_CORE_READ(p, tgid))
		return 0;
	if (BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper)) {
		struct task_struct *r = BPF_CORE_READ(p, real_parent);
		for (int i = 0; i < 8; i++) {
			struct signal_struct *rs;
			if (!r || r == ns_reaper || BPF_CORE_READ(r, pid) == 0)
				break;
			rs = BPF_CORE_READ(r, signal);
			if (BPF_CORE_READ_BITFIELD_PROBED(rs, is_child_subreaper)) {
				if (!(BPF_CORE_READ(r, flags) & 0x4))
					return BPF_CORE_READ(r, pid);
				tid = live_thread(r);
				if (tid)
					return tid;
			}
			r = BPF_CORE_READ(r, real_parent);
		}
	}
	return BPF_CORE_READ(ns_reaper, pid);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_proc_exit, struct task_struct *p)
{
	__u32 code;

	if (!settings.tp_enabled[PROBE_TP_PROCEXIT] || is_excluded())
		return 0;
	BEGIN(SCAP_EVT_PROCEXIT_E);
	code = BPF_CORE_READ(p, exit_code);
	push_procexit(a, code, find_reaper(p));
	return ev_submit_tid(a, BPF_CORE_READ(p, pid));
}

struct switch_event {
	struct scap_evt_hdr hdr;
	__u16 lens[6];
	__u64 next;
	__u64 pgft_maj;
	__u64 pgft_min;
	__u32 vm_size;
	__u32 vm_rss;
	__u32 vm_swap;
} __attribute__((packed));

static __always_inline void *reserve_fixed(__u32 size, int cat)
{
	struct probe_counters *c = cpu_counters();
	__u32 cpu = bpf_get_smp_processor_id();
	void *rb, *e;

	c->n_evts++;
	rb = bpf_map_lookup_elem(&ringbufs, &cpu);
	if (!rb) {
		c->n_drops_buffer++;
		return NULL;
	}
	e = bpf_ringbuf_reserve(rb, size, 0);
	if (!e) {
		c->n_drops_buffer++;
		c->n_drops_category[cat & 15]++;
	}
	return e;
}

static __always_inline void fill_hdr(struct scap_evt_hdr *h, __u64 tid, __u32 len, __u16 type, __u32 n)
{
	h->ts = now_ts();
	h->tid = tid;
	h->len = len;
	h->type = type;
	h->nparams = n;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct switch_event *e;

	if (!settings.tp_enabled[PROBE_TP_SWITCH] || is_excluded())
		return 0;
	e = reserve_fixed(sizeof(*e), SCAP_DROP_OTHER_INTEREST_EXIT);
	if (!e)
		return 0;
	fill_hdr(&e->hdr, BPF_CORE_READ(prev, pid), sizeof(*e), SCAP_EVT_SWITCH_E, 6);
	e->lens[0] = 8;
	e->lens[1] = 8;
	e->lens[2] = 8;
	e->lens[3] = 4;
	e->lens[4] = 4;
	e->lens[5] = 4;
	e->next = BPF_CORE_READ(next, pid);
	e->pgft_maj = BPF_CORE_READ(prev, maj_flt);
	e->pgft_min = BPF_CORE_READ(prev, min_flt);
	{
		struct scap_rec_mm mm;
		mm_stats(prev, &mm);
		e->vm_size = mm.size;
		e->vm_rss = mm.rss;
		e->vm_swap = mm.swap;
	}
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

struct signal_event {
	struct scap_evt_hdr hdr;
	__u16 lens[3];
	__u64 spid;
	__u64 dpid;
	__u8 sig;
} __attribute__((packed));

SEC("tp_btf/signal_deliver")
int BPF_PROG(signal_deliver, int sig, struct kernel_siginfo *info)
{
	struct signal_event *e;

	if (!settings.tp_enabled[PROBE_TP_SIGNAL] || is_excluded())
		return 0;
	e = reserve_fixed(sizeof(*e), SCAP_DROP_OTHER_INTEREST_EXIT);
	if (!e)
		return 0;
	fill_hdr(&e->hdr, cur_tid(), sizeof(*e), SCAP_EVT_SIGNALDELIVER_E, 3);
	e->lens[0] = 8;
	e->lens[1] = 8;
	e->lens[2] = 1;
	e->spid = info ? (__u64)(__s64)BPF_CORE_READ(info, _sifields._kill._pid) : 0;
	e->dpid = cur_tid();
	e->sig = sig;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

struct pf_event {
	struct scap_evt_hdr hdr;
	__u16 lens[3];
	__u64 addr;
	__u64 ip;
	__u32 error;
} __attribute__((packed));

static __always_inline int emit_pf(unsigned long address, struct pt_regs *regs, unsigned long err)
{
	struct pf_event *e;

	if (is_excluded())
		return 0;
	e = reserve_fixed(sizeof(*e), SCAP_DROP_OTHER_INTEREST_EXIT);
	if (!e)
		return 0;
	fill_hdr(&e->hdr, cur_tid(), sizeof(*e), SCAP_EVT_PAGE_FAULT_E, 3);
	e->lens[0] = 8;
	e->lens[1] = 8;
	e->lens[2] = 4;
	e->addr = address;
	e->ip = BPF_CORE_READ(regs, ip);
	e->error = scap_conv_pf_flags(err);
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(pf_user, unsigned long address, struct pt_regs *regs, unsigned long err)
{
	if (!settings.tp_enabled[PROBE_TP_PF_USER])
		return 0;
	return emit_pf(address, regs, err);
}

SEC("tp_btf/page_fault_kernel")
int BPF_PROG(pf_kernel, unsigned long address, struct pt_regs *regs, unsigned long err)
{
	if (!settings.tp_enabled[PROBE_TP_PF_KERNEL])
		return 0;
	return emit_pf(address, regs, err);
}
