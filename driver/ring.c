// SPDX-License-Identifier: GPL-2.0-only
/*
 * pyscap kernel module: the event layer. A probe begins an event in this CPU's scratch buffer,
 * its filler pushes the parameters (push.h, abi/scap_abi_push.h), and pyscap_ev_submit() checks
 * that they are the schema's number (SCAP_EVENT_NPARAMS_INIT: a filler cannot drift from the
 * schema silently), stamps the header and copies the event into this CPU's ring.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "push.h"

static DEFINE_PER_CPU(int, g_nest);
static const u8 g_nparams[SCAP_EVT_MAX] = SCAP_EVENT_NPARAMS_INIT;

/* Probes run with preemption disabled: this CPU's ring and scratch stay ours until submit/abort. */
bool pyscap_ev_begin(struct pyscap_ev *e, u16 type)
{
	struct pyscap_ring *r;
	u8 **scratch;
	int cpu = smp_processor_id();

	r = smp_load_acquire(&g_devs[cpu].ring);
	scratch = READ_ONCE(g_scratch);
	if (!r || !scratch)
		return false;
	if (this_cpu_inc_return(g_nest) != 1) {
		this_cpu_dec(g_nest);
		r->info->n_preemptions++;
		return false;
	}
	e->buf = scratch[cpu];
	e->ring = r;
	e->type = type;
	e->nparams = g_nparams[type];
	e->idx = 0;
	e->overflow = false;
	e->path_param = 0;
	e->pos = SCAP_EVENT_HEADER_SIZE + 2 * e->nparams;
	return true;
}

void pyscap_ev_abort(struct pyscap_ev *e)
{
	this_cpu_dec(g_nest);
}

void pyscap_ev_submit(struct pyscap_ev *e, u64 tid)
{
	struct pyscap_ring *r = e->ring;
	struct pyscap_ring_info *info = r->info;
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)e->buf;
	u32 head, tail, space, first, len = e->pos;

	info->n_evts++;
	if (unlikely(e->idx != e->nparams)) {
		info->n_drops_bug++;
		pr_err_ratelimited("event %u: the filler pushed %u parameters, the schema has %u\n", e->type, e->idx,
				   e->nparams);
		goto out;
	}
	if (unlikely(e->overflow || len > SCAP_MAX_EVENT_SIZE)) {
		info->n_drops_max_event_size++;
		goto out;
	}
	h->ts = ktime_get_real_ns();
	h->tid = tid;
	h->len = len;
	h->type = e->type;
	h->nparams = e->nparams;

	head = info->head;
	tail = smp_load_acquire(&info->tail) & (r->dim - 1);
	space = tail > head ? tail - head - 1 : r->dim + tail - head - 1;
	if (unlikely(len > space)) {
		info->n_drops_buffer++;
		info->n_drops_category[scap_drop_category(e->type)]++;
		goto out;
	}
	first = min(len, r->dim - head);
	memcpy(r->data + head, e->buf, first);
	if (first < len)
		memcpy(r->data, e->buf + first, len - first);
	smp_store_release(&info->head, (head + len) & (r->dim - 1));
out:
	this_cpu_dec(g_nest);
}

void pyscap_count_switch(void)
{
	struct pyscap_ring *r = READ_ONCE(g_devs[smp_processor_id()].ring);

	if (r)
		r->info->n_context_switches++;
}
