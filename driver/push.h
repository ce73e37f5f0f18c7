/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event construction in this CPU's scratch buffer (struct pyscap_ev, ring.c): the length slots
 * and the accessors of the push layer the module shares with the CO-RE probe
 * (abi/scap_abi_push.h). Probes run with preemption disabled: user memory is read with the
 * *_nofault accessors, so a page that is not resident gives an empty parameter (as
 * bpf_probe_read_user does).
 */
#ifndef PYSCAP_PUSH_H
#define PYSCAP_PUSH_H

#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/unaligned.h>

#include "pyscap.h"

static __always_inline void pyscap_set_len(struct pyscap_ev *e, u32 len)
{
	if (likely(e->idx < e->nparams))
		put_unaligned((u16)len, (u16 *)(e->buf + SCAP_EVENT_HEADER_SIZE + 2 * e->idx));
	else
		len = 0;
	e->idx++;
	e->pos += len;
}

static __always_inline bool pyscap_room(struct pyscap_ev *e, u32 need)
{
	if (e->pos + need > SCAP_MAX_EVENT_SIZE - 8) {
		e->overflow = true;
		return false;
	}
	return true;
}

/* len bytes of user memory: 0, or -EFAULT with dst zeroed (as bpf_probe_read_user leaves it). */
static __always_inline long pyscap_read_user(void *dst, u32 len, unsigned long src)
{
	if (copy_from_user_nofault(dst, (const void __user *)src, len)) {
		memset(dst, 0, len);
		return -EFAULT;
	}
	return 0;
}

/*
 * A user string without sleeping (strncpy_from_user_nofault is not exported): the length with
 * the NUL; a string of max bytes or more is cut to max - 1 bytes + NUL; "" gives 0 (as
 * strncpy_from_user_nofault, hence bpf_probe_read_user_str, does); -EFAULT.
 */
static inline long pyscap_read_user_str(void *dst, long max, unsigned long src)
{
	char *d = dst;
	long n;

	if (max <= 0)
		return 0;
	pagefault_disable();
	n = strncpy_from_user(d, (const char __user *)src, max);
	pagefault_enable();
	if (n >= max) {
		d[max - 1] = 0;
		return max;
	}
	return n > 0 ? n + 1 : n;
}

/* A kernel string, cut to max - 1 bytes + NUL: its length with the NUL. */
static inline long pyscap_copy_str(void *dst, long max, const void *src)
{
	u32 n;

	if (max <= 0)
		return 0;
	n = strnlen(src, max - 1);
	memcpy(dst, src, n);
	((u8 *)dst)[n] = 0;
	return n + 1;
}

#define SCAP_INLINE			  static __always_inline
#define SCAP_EV				  struct pyscap_ev
#define scap_out(e, o)			  ((e)->buf + (e)->pos + (o))
#define scap_set_len(e, len)		  pyscap_set_len(e, len)
#define scap_room(e, need)		  pyscap_room(e, need)
#define scap_last_len(e)		  get_unaligned((u16 *)((e)->buf + SCAP_EVENT_HEADER_SIZE + 2 * ((e)->idx - 1)))
#define scap_tmp(e)			  ((e)->buf + PYSCAP_TMP_OFF)
#define scap_get16(p)			  get_unaligned((const u16 *)(p))
#define scap_get32(p)			  get_unaligned((const u32 *)(p))
#define scap_put16(p, v)		  put_unaligned((u16)(v), (u16 *)(p))
#define scap_put32(p, v)		  put_unaligned((u32)(v), (u32 *)(p))
#define scap_put64(p, v)		  put_unaligned((u64)(v), (u64 *)(p))
#define scap_read_user(dst, len, src)	  pyscap_read_user(dst, len, src)
#define scap_read_user_str(dst, max, src) pyscap_read_user_str(dst, max, src)
#define scap_copy(dst, src, len)	  memcpy(dst, src, len)
#define scap_copy_str(dst, max, src)	  pyscap_copy_str(dst, max, src)
#define SCAP_BOUND(x, mask)		  ((x) & (mask))
#define scap_snaplen()			  READ_ONCE(g_pyscap.snaplen)
/* the layout of the current syscall's structs (probe.c) */
u32 pyscap_compat(void);
#define scap_compat() pyscap_compat()
/* the socket and its peer stay valid while push_socktuple() reads them (sock.c) */
#define scap_sock_lock()   rcu_read_lock()
#define scap_sock_unlock() rcu_read_unlock()

#include "scap_abi_push.h"
#include "scap_abi_ia32.h"

#define MAX_STR SCAP_MAX_STR

#endif /* PYSCAP_PUSH_H */
