/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event construction in the per-CPU auxiliary buffer (struct auxmap): the 26-byte header, then
 * nparams u16 length slots, then the payloads. ev_begin() lays out the slots from the schema's
 * parameter count, each push_*() fills the next slot and appends its payload, and ev_submit()
 * checks that the event got the schema's number of parameters, stamps the header and copies the
 * event into this CPU's ring buffer without a wakeup. Fixed-size hot events (generic, switch, page
 * faults, signals) are reserved directly in the ring instead (probe.bpf.c, programs/sched.h).
 *
 * The pushers themselves are the kmod's too (abi/scap_abi_push.h): here are the accessors they are
 * written against.
 */
#ifndef PYSCAP_BPF_PUSH_H
#define PYSCAP_BPF_PUSH_H

#include "maps.h"

static __always_inline struct auxmap *ev_begin(__u16 type)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct auxmap *a = bpf_map_lookup_elem(&auxmaps, &cpu);
	__u32 n = event_nparams[type];

	if (!a)
		return NULL;
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)a->data;
	h->type = type;
	h->nparams = n;
	a->idx = 0;
	a->nparams = n;
	a->overflow = 0;
	a->pos = HDR_LEN + n * 2;
	return a;
}

/* This CPU's event under construction, in a program tail-called to continue it. */
static __always_inline struct auxmap *ev_current(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&auxmaps, &cpu);
}

static __always_inline void set_len(struct auxmap *a, __u16 len)
{
	*(__u16 *)&a->data[HDR_LEN + (a->idx & 31) * 2] = len;
	a->idx++;
	a->pos += len;
}

/* Room for `need` more payload bytes? Otherwise mark the event too large. */
static __always_inline bool room(struct auxmap *a, __u32 need)
{
	if (a->pos + need > SCAP_MAX_EVENT_SIZE - 8) {
		a->overflow = 1;
		return false;
	}
	return true;
}

/* Append bytes from kernel memory to the current payload without closing the slot. */
static __always_inline long append_kernel(struct auxmap *a, __u64 off, const void *src, __u32 len)
{
	len = BOUND(len, 0xffff);
	if (!len)
		return 0;
	return bpf_probe_read_kernel(&a->data[off & AUX_MASK], len, src);
}

static __always_inline __u32 snaplen(void)
{
	return settings.snaplen;
}

/* ------------------------------------------------------------------------------------------ */
/* The accessors of abi/scap_abi_push.h                                                        */

#define SCAP_INLINE			  static __always_inline
#define SCAP_EV				  struct auxmap
#define scap_out(e, o)			  (&(e)->data[((e)->pos + (o)) & AUX_MASK])
#define scap_set_len(e, len)		  set_len(e, len)
#define scap_room(e, need)		  room(e, need)
#define scap_last_len(e)		  (*(__u16 *)&(e)->data[HDR_LEN + (((e)->idx - 1) & 31) * 2])
#define scap_tmp(e)			  ((e)->scratch)
#define scap_get16(p)			  (*(const __u16 *)(p))
#define scap_get32(p)			  (*(const __u32 *)(p))
#define scap_put16(p, v)		  (*(__u16 *)(p) = (v))
#define scap_put32(p, v)		  (*(__u32 *)(p) = (v))
#define scap_put64(p, v)		  (*(__u64 *)(p) = (v))
#define scap_read_user(dst, len, src)	  bpf_probe_read_user(dst, len, (const void *)(unsigned long)(src))
#define scap_read_user_str(dst, max, src) bpf_probe_read_user_str(dst, max, (const void *)(unsigned long)(src))
#define scap_copy(dst, src, len)	  bpf_probe_read_kernel(dst, len, src)
#define scap_copy_str(dst, max, src)	  bpf_probe_read_kernel_str(dst, max, src)
#define SCAP_BOUND(x, mask)		  BOUND(x, mask)
#define scap_snaplen()			  snaplen()
/* no lock: the socket is read with probe reads (sock.h) */
#define scap_sock_lock()   ((void)0)
#define scap_sock_unlock() ((void)0)

/* Set by the sys_exit dispatcher for the programs it tail-calls; the other programs (the TOCTOU
 * enter events, the scheduler's) read no struct whose layout it changes. */
static __always_inline __u32 scap_compat(void)
{
	struct auxmap *a = ev_current();

	return a ? a->compat : 0;
}

struct scap_sock;
static __always_inline bool scap_sock_get(int fd, struct scap_sock *k);
static __always_inline __u32 scap_unix_path(__u8 *dst, __u64 sk);

#include "scap_abi_push.h"
#include "scap_abi_ia32.h"

/* The event, for the current task (ev_submit) or another (procexit of a reaped task). */
static __always_inline int ev_output(struct auxmap *a, bool current, __u32 tid)
{
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)a->data;
	struct probe_counters *c = cpu_counters();
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 len = a->pos;
	void *rb;

	c->n_evts++;
	if (a->idx != a->nparams) {
		c->n_drops_bug++;
		return 0;
	}
	if (a->overflow || len > SCAP_MAX_EVENT_SIZE) {
		c->n_drops_max_event_size++;
		return 0;
	}
	rb = bpf_map_lookup_elem(&ringbufs, &cpu);
	if (!rb) {
		c->n_drops_buffer++;
		return 0;
	}
	h->tid = current ? cur_tid() : tid;
	h->len = len;
	h->ts = now_ts();
	if (bpf_ringbuf_output(rb, a->data, len & (AUX_SIZE - 1), BPF_RB_NO_WAKEUP) < 0) {
		int cat = scap_drop_category(h->type);
		c->n_drops_buffer++;
		if (cat >= 0 && cat < SCAP_DROP_CATEGORIES)
			c->n_drops_category[cat]++;
	}
	return 0;
}

static __always_inline int ev_submit(struct auxmap *a)
{
	return ev_output(a, true, 0);
}

static __always_inline int ev_submit_tid(struct auxmap *a, __u32 tid)
{
	return ev_output(a, false, tid);
}

/*
 * Submit an event of the open family (SCAP_END_PATH) unless its parameter i, a path, is one of the
 * excluded paths or under it (excluded_paths, maps.h): then it is counted in n_excluded_paths, not
 * written. The path is the one the syscall was given (a relative one does not match). The paths are
 * read-only data the verifier knows, so that this is n bpf_strncmp calls, unrolled.
 */
static __always_inline int ev_submit_path(struct auxmap *a, __u32 i)
{
	__u32 n = excluded_paths.n, off = HDR_LEN + a->nparams * 2, len;

	if (!n)
		return ev_submit(a);
	for (__u32 k = 0; k < 2; k++)
		if (k < i)
			off += *(__u16 *)&a->data[HDR_LEN + k * 2];
	off &= AUX_MASK;
	len = *(__u16 *)&a->data[HDR_LEN + (i & 31) * 2];
	for (__u32 p = 0; p < PROBE_MAX_EXCLUDED_PATHS; p++) {
		__u32 plen = excluded_paths.len[p];
		__u8 next;

		if (p >= n)
			break;
		if (!plen || plen >= PROBE_PATH_PREFIX_LEN || plen + 1 > len)
			continue;
		if (bpf_strncmp((const char *)&a->data[off], plen, (const char *)excluded_paths.paths[p]))
			continue;
		next = a->data[(off + plen) & (AUX_SIZE - 1)];
		if (plen == 1 || next == '/' || next == 0) { /* "/": every absolute path */
			cpu_counters()->n_excluded_paths++;
			return 0;
		}
	}
	return ev_submit(a);
}

#endif /* PYSCAP_BPF_PUSH_H */
