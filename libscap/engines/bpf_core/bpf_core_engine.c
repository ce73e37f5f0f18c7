/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "bpf_core" live engine: loads the CO-RE probe (bpf_core/probe.bpf.c, embedded as a
 * bpftool skeleton), gives every possible CPU its own BPF ring buffer, and consumes the rings
 * directly (no libbpf callback consumer): for each ring it reads the producer position, peeks
 * the record at its read cursor, delivers the record with the smallest timestamp across CPUs
 * in place (zero copy), and publishes the new consumer positions at the next call, which is
 * when the borrowed events become invalid (the merge: engines/rings.h, shared with the kmod engine).
 * libscap/capture.c opens it by name (scap_bpf_core_open()).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

#include "engines/engine.h"

#ifdef SCAP_HAS_BPF_CORE

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "engines/exclude.h"
#include "engines/ia32.h"
#include "engines/rings.h"
#include "probe.h"
_Static_assert(PROBE_MAX_EXCLUDED_PATHS == SCAP_MAX_EXCLUDE_PATHS && PROBE_PATH_PREFIX_LEN == SCAP_EXCLUDE_PATH_MAX,
	       "the probe's excluded paths are scap_live_opts.exclude_paths");
#include "probe.skel.h"
#include "scap_abi_progs.h"

#define RB_BUSY		     (1u << 31)
#define RB_DISCARD	     (1u << 30)
#define RB_HDR		     8
#define DEFAULT_BUFFER_BYTES (8u * 1024 * 1024)

struct ring {
	int fd;
	void *cons_page; /* consumer position (rw) */
	void *prod_map;	 /* producer position page + data mapped twice (ro) */
	size_t prod_len;
	const uint8_t *data;
	uint64_t mask;
	uint64_t pos;	    /* read cursor: past every delivered record */
	uint64_t committed; /* last value published as consumer position */
	uint64_t prod;	    /* cached producer position */
	uint32_t adv;	    /* footprint of the record head() returned */
};

/* The TOCTOU syscalls (abi/scap_abi_progs.h), in the order of the L_TOCTOU slots. */
static const struct {
	int nr;
	const char *name;
} toctou[] = {
#define TOCTOU_ENTRY(nr, nm, evt) { nr, #nm },
	SCAP_TOCTOU_SYSCALLS(TOCTOU_ENTRY)
#undef TOCTOU_ENTRY
};
#define N_TOCTOU (int)(sizeof(toctou) / sizeof(toctou[0]))

/* Where the TOCTOU enter events are produced (bpf_core/probe.bpf.c: SC_ENTER), best first. */
enum toctou_hook {
	TOCTOU_FENTRY,	   /* fentry/__x64_sys_NAME, one program each */
	TOCTOU_TRACEPOINT, /* tracepoint/syscalls/sys_enter_NAME, one program each */
	TOCTOU_SYS_ENTER,  /* the raw sys_enter dispatcher, which every syscall enters */
};
static const char *const toctou_hook_name[] = {
	[TOCTOU_FENTRY] = "fentry (__x64_sys_*)",
	[TOCTOU_TRACEPOINT] = "the syscall tracepoints (syscalls/sys_enter_*)",
	[TOCTOU_SYS_ENTER] = "the raw sys_enter tracepoint (every syscall enters it)",
};

enum link_slot {
	L_SYS_EXIT = 0,
	L_SYS_ENTER,				/* TOCTOU_SYS_ENTER: the dispatcher */
	L_TOCTOU,				/* TOCTOU_FENTRY / TOCTOU_TRACEPOINT: one program per syscall */
	L_TOCTOU32 = L_TOCTOU + N_TOCTOU,	/* kprobes on their ia32 functions, whatever the hook */
	L_SOCKETCALL32 = L_TOCTOU32 + N_TOCTOU, /* connect's, on __ia32_compat_sys_socketcall */
	L_EXEC,
	L_PROCEXIT,
	L_SWITCH,
	L_SIGNAL,
	L_PF_USER,
	L_PF_KERNEL,
	L_MAX,
};

struct bpf_engine {
	struct probe *skel;
	int ncpus;
	struct ring *rings;
	bool ppm_sc[SCAP_SC_MAX];
	bool started;
	enum toctou_hook hook;		      /* where the TOCTOU enter events come from */
	struct probe_excluded_paths excluded; /* scap_live_opts.exclude_paths, for the probe's .rodata */
	/* the ia32 TOCTOU enter events on kprobes (else on the sys_enter dispatcher, or not produced) */
	bool kprobes32;
	bool no_ia32[SCAP_N_TOCTOU_SYSCALLS + 1]; /* the kernel lacks this ia32 function (and socketcall's) */
	struct bpf_link *links[L_MAX];
};

/* ------------------------------------------------------------------------------------------ */
/* libbpf messages: routed to scap_log; the last warnings are kept for error messages.         */

static __thread char libbpf_msg[1024];
static __thread char libbpf_prog[128]; /* the program the kernel rejected */

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *line = NULL;
	size_t have, add, cap = sizeof(libbpf_msg) - 1;

	if (vasprintf(&line, fmt, ap) < 0 || !line)
		return 0;
	if (level == LIBBPF_WARN && strstr(line, "BPF program load failed") && strstr(line, "prog '")) {
		const char *p = strstr(line, "prog '") + 6, *q = strchr(p, '\'');
		if (q && q - p < (long)sizeof(libbpf_prog))
			snprintf(libbpf_prog, sizeof(libbpf_prog), "%.*s", (int)(q - p), p);
	}
	if (level == LIBBPF_WARN) {
		/* keep the tail: the verifier's last lines say what went wrong */
		const char *src = line;
		add = strlen(src);
		if (add > cap) {
			src += add - cap;
			add = cap;
		}
		have = strlen(libbpf_msg);
		if (have + add > cap) {
			size_t drop = have + add - cap;
			memmove(libbpf_msg, libbpf_msg + drop, have - drop + 1);
			have -= drop;
		}
		memcpy(libbpf_msg + have, src, add + 1);
	}
	scap_log(level == LIBBPF_WARN ? SCAP_WARN : level == LIBBPF_INFO ? SCAP_INFO : SCAP_DEBUG, "libbpf: %s", line);
	free(line);
	return 0;
}

static void libbpf_msg_trim(void)
{
	size_t n = strlen(libbpf_msg);
	while (n && (libbpf_msg[n - 1] == '\n' || libbpf_msg[n - 1] == ' '))
		libbpf_msg[--n] = 0;
	for (size_t i = 0; i < n; i++)
		if (libbpf_msg[i] == '\n')
			libbpf_msg[i] = ' ';
}

/* ------------------------------------------------------------------------------------------ */
/* Settings                                                                                    */

/* The program of TOCTOU syscall i for hook h (fentry or tracepoint). */
static struct bpf_program *toctou_prog(struct probe *s, int i, enum toctou_hook h)
{
	struct bpf_program *progs[][2] = {
#define TOCTOU_PROGS(nr, nm, evt) { s->progs.nm##_fe, s->progs.nm##_tp },
		SCAP_TOCTOU_SYSCALLS(TOCTOU_PROGS)
#undef TOCTOU_PROGS
	};
	return progs[i][h == TOCTOU_TRACEPOINT];
}

/* The kprobe of TOCTOU syscall i's ia32 function. */
static struct bpf_program *toctou32_prog(struct probe *s, int i)
{
	struct bpf_program *progs[] = {
#define TOCTOU_PROGS(nr, nm, evt) s->progs.nm##_k32,
		SCAP_TOCTOU_SYSCALLS(TOCTOU_PROGS)
#undef TOCTOU_PROGS
	};
	return progs[i];
}

static struct bpf_program *link_prog(struct bpf_engine *e, enum link_slot l)
{
	struct probe *s = e->skel;

	if (l >= L_TOCTOU && l < L_TOCTOU + N_TOCTOU)
		return toctou_prog(s, l - L_TOCTOU, e->hook);
	if (l >= L_TOCTOU32 && l < L_TOCTOU32 + N_TOCTOU)
		return toctou32_prog(s, l - L_TOCTOU32);
	switch (l) {
	case L_SOCKETCALL32: return s->progs.socketcall_k32;
	case L_SYS_EXIT: return s->progs.sys_exit;
	case L_SYS_ENTER: return s->progs.sys_enter;
	case L_EXEC: return s->progs.sched_p_exec;
	case L_PROCEXIT: return s->progs.sched_proc_exit;
	case L_SWITCH: return s->progs.sched_switch;
	case L_SIGNAL: return s->progs.signal_deliver;
	case L_PF_USER: return s->progs.pf_user;
	case L_PF_KERNEL: return s->progs.pf_kernel;
	default: break;
	}
	return NULL;
}

/* Translate the ppm_sc set into the probe's bitmap (x86_64 and ia32 numbers: PROBE_SC_*) and
 * tracepoint switches. */
static void apply_ppm_sc(struct bpf_engine *e)
{
	struct probe_settings *st = &e->skel->bss->settings;

	for (uint32_t nr = 0; nr < SCAP_SYSCALL_NR_MAX; nr++) {
		int sc = scap_native_to_ppm_sc(nr);
		uint8_t in = 0;

		if (sc > 0 && sc < SCAP_SC_MAX && e->ppm_sc[sc])
			in |= PROBE_SC_NATIVE;
		if (scap_ia32_wanted(nr, e->ppm_sc))
			in |= PROBE_SC_IA32;
		e->skel->bss->interesting[nr] = in;
	}
	/* the ia32 numbers that give a TOCTOU enter event of interest (for the sys_enter dispatcher) */
	for (uint32_t nr = 0; nr < SCAP_SYSCALL_NR_MAX; nr++)
		for (int i = 0; i < N_TOCTOU; i++)
			if ((e->skel->bss->interesting[toctou[i].nr] & PROBE_SC_NATIVE) &&
			    scap_ia32_becomes(nr, toctou[i].nr))
				e->skel->bss->interesting[nr] |= PROBE_SC_IA32_ENTER;
	st->tp_enabled[PROBE_TP_EXEC] = e->ppm_sc[SCAP_SC_EXECVE] || e->ppm_sc[SCAP_SC_EXECVEAT];
	st->tp_enabled[PROBE_TP_PROCEXIT] = e->ppm_sc[SCAP_SC_SCHED_PROCESS_EXIT];
	st->tp_enabled[PROBE_TP_SWITCH] = e->ppm_sc[SCAP_SC_SCHED_SWITCH];
	st->tp_enabled[PROBE_TP_SIGNAL] = e->ppm_sc[SCAP_SC_SIGNAL_DELIVER];
	st->tp_enabled[PROBE_TP_PF_USER] = e->ppm_sc[SCAP_SC_PAGE_FAULT_USER];
	st->tp_enabled[PROBE_TP_PF_KERNEL] = e->ppm_sc[SCAP_SC_PAGE_FAULT_KERNEL];
}

static bool link_wanted(struct bpf_engine *e, enum link_slot l)
{
	const uint8_t *in = e->skel->bss->interesting;
	const uint8_t *tp = e->skel->bss->settings.tp_enabled;

	if (l >= L_TOCTOU && l < L_TOCTOU + N_TOCTOU)
		return e->hook != TOCTOU_SYS_ENTER && (in[toctou[l - L_TOCTOU].nr] & PROBE_SC_NATIVE);
	if (l >= L_TOCTOU32 && l < L_TOCTOU32 + N_TOCTOU)
		return e->kprobes32 && (in[toctou[l - L_TOCTOU32].nr] & PROBE_SC_NATIVE) && !e->no_ia32[l - L_TOCTOU32];
	switch (l) {
	case L_SOCKETCALL32: return e->kprobes32 && (in[__NR_connect] & PROBE_SC_NATIVE) && !e->no_ia32[N_TOCTOU];
	case L_SYS_EXIT:
		for (int i = 0; i < SCAP_SYSCALL_NR_MAX; i++)
			if (in[i])
				return true;
		return false;
	case L_SYS_ENTER:
		for (int i = 0; i < N_TOCTOU && e->hook == TOCTOU_SYS_ENTER; i++)
			if (in[toctou[i].nr] & PROBE_SC_NATIVE)
				return true;
		return false;
	case L_EXEC: return tp[PROBE_TP_EXEC];
	case L_PROCEXIT: return tp[PROBE_TP_PROCEXIT];
	case L_SWITCH: return tp[PROBE_TP_SWITCH];
	case L_SIGNAL: return tp[PROBE_TP_SIGNAL];
	case L_PF_USER: return tp[PROBE_TP_PF_USER];
	case L_PF_KERNEL: return tp[PROBE_TP_PF_KERNEL];
	default: break;
	}
	return false;
}

/*
 * Attach the kprobe of an ia32 TOCTOU slot (i: the syscall's index, N_TOCTOU for socketcall) to
 * the syscall's ia32 function, as arch/x86/entry/syscalls/syscall_32.tbl names it:
 * __ia32_compat_sys_NAME for the syscalls with a compat version (open, openat, socketcall),
 * __ia32_sys_NAME for the others. A kernel without them (no IA32_EMULATION) runs no ia32
 * syscall: said once, not an error.
 */
static struct bpf_link *attach_ia32(struct bpf_engine *e, struct bpf_program *p, int i)
{
	const char *name = i < N_TOCTOU ? toctou[i].name : "socketcall";
	bool compat = !strcmp(name, "open") || !strcmp(name, "openat") || !strcmp(name, "socketcall");
	char fn[64];
	struct bpf_link *lk;

	snprintf(fn, sizeof(fn), "__ia32_%ssys_%s", compat ? "compat_" : "", name);
	lk = bpf_program__attach_kprobe(p, false, fn);
	if (!lk) {
		e->no_ia32[i] = true;
		scap_log(SCAP_INFO, "bpf_core: cannot attach to %s (%s): no enter events of ia32 %s syscalls", fn,
			 strerror(errno), name);
	}
	return lk;
}

/* Attach what the current set needs, detach the rest (only while started). */
static int sync_links(struct scap_capture *cap)
{
	struct bpf_engine *e = cap->engine;

	for (int l = 0; l < L_MAX; l++) {
		bool want = e->started && link_wanted(e, l);
		if (want && !e->links[l] && l >= L_TOCTOU32 && l <= L_SOCKETCALL32) {
			e->links[l] = attach_ia32(e, link_prog(e, l), l - L_TOCTOU32);
		} else if (want && !e->links[l]) {
			struct bpf_link *lk;
			libbpf_msg[0] = 0;
			lk = bpf_program__attach(link_prog(e, l));
			if (!lk) {
				int err = errno;
				libbpf_msg_trim();
				return scap_capture_fail(cap, err, "bpf_core: cannot attach %s: %s%s%s",
							 bpf_program__name(link_prog(e, l)), strerror(err),
							 libbpf_msg[0] ? ": " : "", libbpf_msg);
			}
			e->links[l] = lk;
		} else if (!want && e->links[l]) {
			bpf_link__destroy(e->links[l]);
			e->links[l] = NULL;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Ring consumption                                                                            */

static inline uint64_t load_acquire(const void *p)
{
	return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
}

static inline void commit_rings(struct bpf_engine *e)
{
	for (int i = 0; i < e->ncpus; i++) {
		struct ring *r = &e->rings[i];
		if (r->pos != r->committed) {
			__atomic_store_n((uint64_t *)r->cons_page, r->pos, __ATOMIC_RELEASE);
			r->committed = r->pos;
		}
	}
}

/* The next record of ring r (skipping discarded ones), or NULL; r->adv receives its footprint. */
static inline const uint8_t *head(void *ring)
{
	struct ring *r = ring;

	for (;;) {
		const uint32_t *h;
		uint32_t len;

		if (r->pos >= r->prod) {
			r->prod = load_acquire((const uint8_t *)r->prod_map);
			if (r->pos >= r->prod)
				return NULL;
		}
		h = (const uint32_t *)(r->data + (r->pos & r->mask));
		len = __atomic_load_n(h, __ATOMIC_ACQUIRE);
		if (len & RB_BUSY)
			return NULL;
		r->adv = ((len & ~(RB_BUSY | RB_DISCARD)) + RB_HDR + 7) & ~7u;
		if (len & RB_DISCARD) {
			r->pos += r->adv;
			continue;
		}
		return (const uint8_t *)(h + 2);
	}
}

/* The oldest event across the rings (engines/rings.h), past which its ring's cursor moves. */
static inline int pick(struct bpf_engine *e, const struct scap_evt_hdr **evt, uint16_t *cpu)
{
	const uint8_t *p;
	int i = scap_rings_oldest(e->rings, sizeof(*e->rings), e->ncpus, head, &p);

	if (i < 0)
		return SCAP_STATUS_TIMEOUT;
	e->rings[i].pos += e->rings[i].adv;
	*evt = (const struct scap_evt_hdr *)p;
	*cpu = i;
	return 0;
}

static int bpf_next(struct scap_capture *cap, const struct scap_evt_hdr **evt, uint16_t *cpu, uint32_t *flags)
{
	struct bpf_engine *e = cap->engine;

	commit_rings(e);
	*flags = 0;
	return pick(e, evt, cpu);
}

static int bpf_next_batch(struct scap_capture *cap, struct scap_event_ref *out, uint32_t max, uint32_t *n)
{
	struct bpf_engine *e = cap->engine;
	uint32_t i;

	commit_rings(e);
	for (i = 0; i < max; i++) {
		if (pick(e, &out[i].evt, &out[i].cpu))
			break;
		out[i].flags = 0;
	}
	*n = i;
	return i ? 0 : SCAP_STATUS_TIMEOUT;
}

/* ------------------------------------------------------------------------------------------ */
/* Lifecycle                                                                                   */

static int bpf_start(struct scap_capture *cap)
{
	struct bpf_engine *e = cap->engine;
	int rc;

	e->started = true;
	rc = sync_links(cap);
	if (rc < 0) {
		e->started = false;
		sync_links(cap);
	}
	return rc;
}

static int bpf_stop(struct scap_capture *cap)
{
	struct bpf_engine *e = cap->engine;

	e->started = false;
	return sync_links(cap);
}

static int bpf_configure(struct scap_capture *cap, enum scap_setting what, uint64_t a, uint64_t b)
{
	struct bpf_engine *e = cap->engine;

	switch (what) {
	case SCAP_SET_SNAPLEN: e->skel->bss->settings.snaplen = a; return 0;
	case SCAP_SET_DROP_FAILED: e->skel->bss->settings.drop_failed = a ? 1 : 0; return 0;
	case SCAP_SET_PPM_SC:
		e->ppm_sc[a] = b != 0;
		apply_ppm_sc(e);
		return sync_links(cap);
	}
	return scap_capture_fail(cap, EINVAL, "bpf_core: unknown setting %d", what);
}

/* The records of ring r that are written or being written and not read yet: from the read
 * cursor to the producer position (a record being written already has its length). */
static uint64_t ring_unread(const struct ring *r)
{
	uint64_t prod = load_acquire((const uint8_t *)r->prod_map), n = 0;

	for (uint64_t p = r->pos; p < prod && prod - p <= r->mask + 1;) {
		uint32_t len = __atomic_load_n((const uint32_t *)(r->data + (p & r->mask)), __ATOMIC_ACQUIRE);

		n += !(len & RB_DISCARD);
		p += ((len & ~(RB_BUSY | RB_DISCARD)) + RB_HDR + 7) & ~7u;
	}
	return n;
}

static int bpf_stats(struct scap_capture *cap, struct scap_stats *st)
{
	struct bpf_engine *e = cap->engine;

	for (int i = 0; i < e->ncpus; i++)
		st->n_unread += ring_unread(&e->rings[i]);

	for (int i = 0; i < e->ncpus && i < PROBE_MAX_CPUS; i++) {
		const volatile struct probe_counters *c = &e->skel->bss->counters[i];
		st->n_evts += c->n_evts;
		st->n_drops_buffer += c->n_drops_buffer;
		/* as the kmod engine: a program that pushed another number of parameters than the
		 * schema has (a driver bug) drops its event, counted here */
		st->n_drops_max_event_size += c->n_drops_max_event_size + c->n_drops_bug;
		for (int k = 0; k < SCAP_DROP_CATEGORIES; k++)
			st->n_drops_category[k] += c->n_drops_category[k];
		st->n_excluded += c->n_excluded_paths;
	}
	st->n_drops = st->n_drops_buffer + st->n_drops_max_event_size;
	return 0;
}

static void engine_free(struct bpf_engine *e)
{
	if (!e)
		return;
	for (int l = 0; l < L_MAX; l++)
		if (e->links[l])
			bpf_link__destroy(e->links[l]);
	if (e->rings) {
		for (int i = 0; i < e->ncpus; i++) {
			struct ring *r = &e->rings[i];
			if (r->cons_page && r->cons_page != MAP_FAILED)
				munmap(r->cons_page, sysconf(_SC_PAGESIZE));
			if (r->prod_map && r->prod_map != MAP_FAILED)
				munmap(r->prod_map, r->prod_len);
			if (r->fd > 0)
				close(r->fd);
		}
		free(e->rings);
	}
	probe__destroy(e->skel);
	free(e);
}

static void bpf_close(struct scap_capture *cap)
{
	engine_free(cap->engine);
}

static const struct scap_engine_ops bpf_ops = {
	.name = "bpf_core",
	.next = bpf_next,
	.next_batch = bpf_next_batch,
	.start = bpf_start,
	.stop = bpf_stop,
	.configure = bpf_configure,
	.stats = bpf_stats,
	.close = bpf_close,
};

static int fail_open(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_open(int err, const char *fmt, ...)
{
	char msg[SCAP_ERRBUF_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return scap_fail(err, "%s", msg);
}

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* The calling thread's effective capabilities (capget(2): no libcap needed), or 0 with errno. */
static uint64_t effective_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2] = { 0 };

	if (syscall(SYS_capget, &h, d) != 0)
		return 0;
	return (uint64_t)d[0].effective | (uint64_t)d[1].effective << 32;
}

/*
 * Loading and attaching the probe needs CAP_BPF and CAP_PERFMON (tracing programs, their
 * kernel-memory reads, perf-event tracepoint links), or CAP_SYS_ADMIN, which covers both. The
 * error names what is missing: a missing capability is never reported as an old kernel.
 */
static int check_capabilities(void)
{
	uint64_t caps = effective_caps();
	const char *missing;

	if (caps & (1ull << CAP_SYS_ADMIN))
		return 0;
	if ((caps & (1ull << CAP_BPF)) && (caps & (1ull << CAP_PERFMON)))
		return 0;
	if (!(caps & (1ull << CAP_BPF)) && !(caps & (1ull << CAP_PERFMON)))
		missing = "CAP_BPF and CAP_PERFMON";
	else if (!(caps & (1ull << CAP_BPF)))
		missing = "CAP_BPF";
	else
		missing = "CAP_PERFMON";
	return fail_open(EPERM,
			 "bpf_core: live capture needs %s (or CAP_SYS_ADMIN; root has them all): the process "
			 "lacks %s in its effective set",
			 "CAP_BPF and CAP_PERFMON", missing);
}

static int check_support(void)
{
	struct utsname u;
	int major = 0, minor = 0;
	int rc;

	if ((rc = check_capabilities()) < 0)
		return rc;
	if (uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	    (major < 5 || (major == 5 && minor < 8)))
		return fail_open(ENOTSUP,
				 "bpf_core: kernel %s is too old: the CO-RE probe needs >= 5.8 "
				 "(BPF ring buffer)",
				 u.release);
	if (faccessat(AT_FDCWD, "/sys/kernel/btf/vmlinux", R_OK, AT_EACCESS) != 0)
		return fail_open(ENOTSUP, "bpf_core: this kernel has no BTF (/sys/kernel/btf/vmlinux is "
					  "missing): the CO-RE probe needs CONFIG_DEBUG_INFO_BTF=y");
	rc = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
	if (rc == -EPERM || rc == -EACCES)
		return fail_open(-rc,
				 "bpf_core: the kernel refuses to create a BPF ring buffer: %s (a LSM or "
				 "kernel.unprivileged_bpf_disabled policy, or a missing capability)",
				 strerror(-rc));
	if (rc != 1)
		return fail_open(ENOTSUP, "bpf_core: this kernel cannot create BPF ring buffers (needs >= 5.8)");
	return 0;
}

static int setup_rings(struct bpf_engine *e, uint32_t bytes)
{
	long page = sysconf(_SC_PAGESIZE);
	int outer = bpf_map__fd(e->skel->maps.ringbufs);

	e->rings = calloc(e->ncpus, sizeof(*e->rings));
	if (!e->rings)
		return fail_open(ENOMEM, "bpf_core: out of memory");
	for (int i = 0; i < e->ncpus; i++) {
		struct ring *r = &e->rings[i];
		r->fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, bytes, NULL);
		if (r->fd < 0)
			return fail_open(errno, "bpf_core: cannot create the ring buffer of CPU %d (%u bytes): %s", i,
					 bytes, strerror(errno));
		if (bpf_map_update_elem(outer, &i, &r->fd, BPF_ANY) < 0)
			return fail_open(errno, "bpf_core: cannot install the ring buffer of CPU %d: %s", i,
					 strerror(errno));
		r->cons_page = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
		if (r->cons_page == MAP_FAILED)
			return fail_open(errno, "bpf_core: cannot map the consumer page of CPU %d: %s", i,
					 strerror(errno));
		r->prod_len = page + 2 * (size_t)bytes;
		r->prod_map = mmap(NULL, r->prod_len, PROT_READ, MAP_SHARED, r->fd, page);
		if (r->prod_map == MAP_FAILED)
			return fail_open(errno, "bpf_core: cannot map the ring buffer of CPU %d: %s", i,
					 strerror(errno));
		r->data = (const uint8_t *)r->prod_map + page;
		r->mask = bytes - 1;
	}
	return 0;
}

/* Can this kernel run the fentry flavour of the TOCTOU enter events? The five syscall functions
 * in its BTF, and a trivial fentry program on one of them loads (BPF trampolines; some
 * sandboxes refuse tracing programs with EPERM). ~20 ms (the BTF parse), against the seconds a
 * failed load of the whole probe would cost. */
static bool fentry_works(void)
{
	const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct btf *btf = btf__load_vmlinux_btf();
	int id = -1, fd;

	if (!btf) {
		scap_log(SCAP_INFO, "bpf_core: no fentry (cannot read the kernel's BTF: %s)", strerror(errno));
		return false;
	}
	for (int i = 0; i < N_TOCTOU; i++) {
		char fn[64];

		snprintf(fn, sizeof(fn), "__x64_sys_%s", toctou[i].name);
		id = btf__find_by_name_kind(btf, fn, BTF_KIND_FUNC);
		if (id < 0) {
			scap_log(SCAP_INFO, "bpf_core: no fentry (%s is not in the kernel's BTF)", fn);
			btf__free(btf);
			return false;
		}
	}
	btf__free(btf);
	{
		LIBBPF_OPTS(bpf_prog_load_opts, lo, .expected_attach_type = BPF_TRACE_FENTRY, .attach_btf_id = id);
		fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "scap_fentry", "GPL", ret0, 2, &lo);
	}
	if (fd < 0) {
		scap_log(SCAP_INFO, "bpf_core: no fentry (the kernel refuses fentry programs: %s)", strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

#define TRACEFS "/sys/kernel/tracing"

/* Can this kernel attach programs to the TOCTOU syscalls' own tracepoints? They need
 * CONFIG_FTRACE_SYSCALLS and tracefs, which is mounted here when it is not (and said so): libbpf
 * reads a tracepoint's id from tracefs, or from debugfs' tracing/. */
static bool tracepoints_work(void)
{
	char path[256];
	struct stat st;

	/* faccessat(AT_EACCESS): with the effective ids and capabilities, as libbpf's open() of the
	 * id files will be (access() checks the real uid without capabilities: a non-root capture
	 * with CAP_DAC_READ_SEARCH reads the root-only tracefs). */
	if (faccessat(AT_FDCWD, TRACEFS "/events", F_OK, AT_EACCESS) != 0 &&
	    faccessat(AT_FDCWD, "/sys/kernel/debug/tracing/events", F_OK, AT_EACCESS) != 0) {
		if (errno == EACCES || (stat(TRACEFS, &st) == 0 && st.st_nlink > 2)) {
			scap_log(SCAP_INFO,
				 "bpf_core: no syscall tracepoints (tracefs on " TRACEFS " is not readable: %s; "
				 "it needs CAP_DAC_READ_SEARCH or root)",
				 strerror(EACCES));
			return false;
		}
		if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) != 0) {
			scap_log(SCAP_INFO,
				 "bpf_core: no syscall tracepoints (tracefs is not mounted, and mounting it on " TRACEFS
				 " failed: %s%s)",
				 strerror(errno), errno == EPERM ? "; mounting needs CAP_SYS_ADMIN" : "");
			return false;
		}
		scap_log(SCAP_INFO, "bpf_core: mounted tracefs on " TRACEFS " (for the syscall tracepoints)");
	}
	for (int i = 0; i < N_TOCTOU; i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/syscalls/sys_enter_%s/id", toctou[i].name);
		if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) != 0) {
			snprintf(path, sizeof(path), "/sys/kernel/debug/tracing/events/syscalls/sys_enter_%s/id",
				 toctou[i].name);
			if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) != 0) {
				scap_log(SCAP_INFO, "bpf_core: no syscall tracepoints (no syscalls/sys_enter_%s: %s)",
					 toctou[i].name, strerror(errno));
				return false;
			}
		}
	}
	return true;
}

/* Can this kernel attach kprobes (the ia32 TOCTOU enter events')? libbpf's are perf events of the
 * kprobe PMU, or tracefs' kprobe_events on older kernels; a kernel without CONFIG_KPROBES has
 * neither. */
static bool kprobes_work(void)
{
	return access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0 ||
	       access(TRACEFS "/kprobe_events", F_OK) == 0;
}

/* The best hook this kernel takes for the TOCTOU enter events. SCAP_BPF_CORE_TOCTOU=tracepoint
 * or sys_enter (tests, debugging) starts the search further down. */
static enum toctou_hook pick_toctou_hook(void)
{
	const char *want = getenv("SCAP_BPF_CORE_TOCTOU");

	if (want && !strcmp(want, "sys_enter"))
		return TOCTOU_SYS_ENTER;
	if (!(want && !strcmp(want, "tracepoint")) && fentry_works())
		return TOCTOU_FENTRY;
	return tracepoints_work() ? TOCTOU_TRACEPOINT : TOCTOU_SYS_ENTER;
}

/* Open the skeleton, size its maps for this machine and rings of `bytes`, and load it with the
 * programs of e->hook for the TOCTOU enter events. */
static int load_probe(struct bpf_engine *e, uint32_t bytes)
{
	struct probe *skel;
	struct bpf_program *p;
	int rc, tmpl;

	if (e->skel) {
		probe__destroy(e->skel);
		e->skel = NULL;
	}
	libbpf_msg[0] = 0;
	libbpf_prog[0] = 0;
	if (effective_caps() & (1ull << CAP_SYS_ADMIN)) {
		skel = probe__open();
	} else {
		/* Without CAP_SYS_ADMIN the kernel does not let libbpf list the modules' BTF, which it
		 * does for a CO-RE relocation that vmlinux cannot satisfy (a type flavour of another
		 * kernel version), and the load fails. Naming vmlinux's BTF as the target keeps the
		 * search in vmlinux (every type the probe reads is there). */
		LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = "/sys/kernel/btf/vmlinux");
		skel = probe__open_opts(&oo);
	}
	if (!skel) {
		rc = -errno;
		libbpf_msg_trim();
		return fail_open(rc, "bpf_core: cannot open the probe: %s: %s", strerror(-rc), libbpf_msg);
	}
	e->skel = skel;
	e->ncpus = libbpf_num_possible_cpus();
	if (e->ncpus <= 0 || e->ncpus > PROBE_MAX_CPUS)
		return fail_open(ENOTSUP, "bpf_core: %d possible CPUs (supported: 1..%d)", e->ncpus, PROBE_MAX_CPUS);
	bpf_map__set_max_entries(skel->maps.ringbufs, e->ncpus);
	/* The outer map's template must have the rings' size: give libbpf one to copy. */
	tmpl = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, bytes, NULL);
	if (tmpl < 0)
		return fail_open(errno, "bpf_core: cannot create a %u-byte BPF ring buffer: %s", bytes,
				 strerror(errno));
	bpf_map__set_inner_map_fd(skel->maps.ringbufs, tmpl);
	bpf_map__set_max_entries(skel->maps.auxmaps, e->ncpus);
	/* Programs are attached by sync_links(); tail-called ones never are. */
	bpf_object__for_each_program(p, skel->obj) bpf_program__set_autoattach(p, false);
	for (int i = 0; i < N_TOCTOU; i++) {
		bpf_program__set_autoload(toctou_prog(skel, i, TOCTOU_FENTRY), e->hook == TOCTOU_FENTRY);
		bpf_program__set_autoload(toctou_prog(skel, i, TOCTOU_TRACEPOINT), e->hook == TOCTOU_TRACEPOINT);
	}
	bpf_program__set_autoload(skel->progs.sys_enter, e->hook == TOCTOU_SYS_ENTER);
	memcpy((void *)&skel->rodata->excluded_paths, &e->excluded, sizeof(e->excluded));
	e->kprobes32 = e->hook != TOCTOU_SYS_ENTER && kprobes_work();
	for (int i = 0; i < N_TOCTOU; i++)
		bpf_program__set_autoload(toctou32_prog(skel, i), e->kprobes32);
	bpf_program__set_autoload(skel->progs.socketcall_k32, e->kprobes32);
	rc = probe__load(skel);
	close(tmpl);
	if (rc) {
		rc = rc < 0 ? rc : -EINVAL;
		libbpf_msg_trim();
		return fail_open(rc, "bpf_core: the kernel rejected the probe (program %s): %s: %s",
				 libbpf_prog[0] ? libbpf_prog : "?", strerror(-rc), libbpf_msg);
	}
	return 0;
}

struct scap_capture *scap_bpf_core_open(const struct scap_live_opts *o)
{
	uint32_t bytes = o->buffer_bytes ? o->buffer_bytes : DEFAULT_BUFFER_BYTES;
	long page = sysconf(_SC_PAGESIZE);
	struct probe_settings *st;
	struct bpf_engine *e;
	struct scap_capture *cap;
	struct timespec rt, bt;
	uint32_t ntgids = 0;
	int rc;

	rc = check_support();
	if (rc < 0)
		goto fail;
	if ((bytes & (bytes - 1)) || bytes < (uint32_t)page) {
		rc = fail_open(EINVAL, "bpf_core: buffer_bytes %u must be a power of 2 and at least one page (%ld)",
			       bytes, page);
		goto fail;
	}
	if (o->snaplen > SCAP_MAX_PARAM_SIZE) {
		rc = fail_open(EINVAL, "bpf_core: snaplen %u exceeds the maximum of %d", o->snaplen,
			       SCAP_MAX_PARAM_SIZE);
		goto fail;
	}
	ntgids = scap_live_opts_ntgids(o);
	if (ntgids + (o->exclude_self ? 1 : 0) > PROBE_MAX_EXCLUDED_TGIDS ||
	    o->n_exclude_comms > PROBE_MAX_EXCLUDED_COMMS) {
		rc = fail_open(EINVAL, "bpf_core: at most %d excluded tgids and %d excluded comms",
			       PROBE_MAX_EXCLUDED_TGIDS, PROBE_MAX_EXCLUDED_COMMS);
		goto fail;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		rc = fail_open(ENOMEM, "bpf_core: out of memory");
		goto fail;
	}
	for (uint32_t i = 0; i < o->n_exclude_paths; i++)
		e->excluded.len[i] = (uint8_t)scap_exclude_path_norm(o->exclude_paths[i], e->excluded.paths[i]);
	e->excluded.n = o->n_exclude_paths;
	libbpf_set_print(libbpf_print); /* before fentry_works(): its BTF load may log */
	e->hook = pick_toctou_hook();
	rc = load_probe(e, bytes);
	if (rc < 0 && e->hook == TOCTOU_FENTRY && strstr(libbpf_msg, "_fe'")) {
		/* a fentry program was refused (no BPF trampolines for it): the next hook */
		e->hook = tracepoints_work() ? TOCTOU_TRACEPOINT : TOCTOU_SYS_ENTER;
		scap_log(SCAP_INFO, "bpf_core: fentry programs rejected (%s), using %s", scap_last_error(),
			 toctou_hook_name[e->hook]);
		rc = load_probe(e, bytes);
	}
	if (rc < 0)
		goto fail_free;
	scap_log(e->hook == TOCTOU_SYS_ENTER ? SCAP_WARN : SCAP_INFO, "bpf_core: TOCTOU enter events on %s",
		 toctou_hook_name[e->hook]);
	if (e->hook != TOCTOU_SYS_ENTER && !e->kprobes32)
		scap_log(SCAP_INFO, "bpf_core: this kernel has no kprobes: the TOCTOU enter events of ia32 "
				    "syscalls are not produced (their exit events are; SCAP_BPF_CORE_TOCTOU=sys_enter "
				    "produces them on the raw sys_enter tracepoint)");
	rc = setup_rings(e, bytes);
	if (rc < 0)
		goto fail_free;

	st = &e->skel->bss->settings;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	st->boot_time = (rt.tv_sec - bt.tv_sec) * 1000000000ull + rt.tv_nsec - bt.tv_nsec;
	st->snaplen = o->snaplen ? o->snaplen : PROBE_DEFAULT_SNAPLEN;
	st->drop_failed = o->drop_failed;
	for (uint32_t i = 0; i < ntgids; i++)
		st->excluded_tgids[i] = o->exclude_tgids[i];
	if (o->exclude_self)
		st->excluded_tgids[ntgids++] = getpid();
	st->n_excluded_tgids = ntgids;
	for (uint32_t i = 0; i < o->n_exclude_comms; i++)
		strncpy(st->excluded_comms[i], o->exclude_comms[i], PROBE_COMM_LEN - 1);
	st->n_excluded_comms = o->n_exclude_comms;

	if (o->ppm_sc) {
		memcpy(e->ppm_sc, o->ppm_sc, sizeof(e->ppm_sc));
	} else {
		for (int sc = 1; sc < SCAP_SC_MAX; sc++)
			e->ppm_sc[sc] = true;
		e->ppm_sc[SCAP_SC_SCHED_SWITCH] = false;
		e->ppm_sc[SCAP_SC_SIGNAL_DELIVER] = false;
		e->ppm_sc[SCAP_SC_PAGE_FAULT_USER] = false;
		e->ppm_sc[SCAP_SC_PAGE_FAULT_KERNEL] = false;
	}
	apply_ppm_sc(e);

	cap = scap_capture_alloc(&bpf_ops, e);
	if (!cap) {
		rc = -ENOMEM;
		goto fail_free;
	}
	return cap;

fail_free:
	engine_free(e);
fail:
	errno = -rc;
	return NULL;
}

#else /* !SCAP_HAS_BPF_CORE */

struct scap_capture *scap_bpf_core_open(const struct scap_live_opts *o)
{
	(void)o;
	scap_fail(ENOTSUP, "this libscap was built without the CO-RE probe (PYSCAP_BUILD_BPF=OFF)");
	errno = ENOTSUP;
	return NULL;
}

#endif /* SCAP_HAS_BPF_CORE */
