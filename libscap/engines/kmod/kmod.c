/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "kmod" live engine: consumes the per-CPU rings of the pyscap kernel module (driver/).
 *
 * Each device /dev/pyscapN exposes one CPU's ring: an info page (head written by the kernel,
 * tail by us, counters) and the data mapped twice back to back, so every event in [tail, head)
 * is contiguous in our address space. For each ring we take a snapshot of head (a "block"),
 * deliver the events of all blocks in timestamp order (smallest ts across CPUs first, in place,
 * zero copy: the merge of engines/rings.h, shared with the bpf_core engine) and give a block back to the kernel (store tail) once all of it was delivered and
 * the caller came back for more, which is when the borrowed events become invalid.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engines/engine.h"
#include "engines/exclude.h"
#include "engines/ia32.h"
#include "engines/kmod/kmod.h"
#include "engines/rings.h"
#include "../../../driver/pyscap_ioctl.h"

_Static_assert(PYSCAP_MAX_EXCLUDED_PATHS == SCAP_MAX_EXCLUDE_PATHS && PYSCAP_PATH_PREFIX_LEN == SCAP_EXCLUDE_PATH_MAX,
	       "the module's excluded paths are scap_live_opts.exclude_paths");

#define KMOD_DEV_FMT "/dev/" PYSCAP_DEVICE_NAME "%u"

struct kmod_ring {
	int fd;
	struct pyscap_ring_info *info; /* shared page */
	const uint8_t *data;	       /* 2 * dim bytes: the ring mapped twice */
	uint32_t dim;
	uint32_t tail; /* start of the current block (== info->tail) */
	uint32_t len;  /* bytes in the current block */
	uint32_t off;  /* next undelivered byte of the block */
};

struct kmod_engine {
	struct kmod_ring *rings;
	uint32_t nrings;
	bool ppm_sc[SCAP_SC_MAX];
	uint8_t sent[SCAP_SYSCALL_NR_MAX]; /* the PYSCAP_SC_* bits the driver has of each number */
};

static inline uint32_t load_acquire32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store_release32(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------------------------------------ */
/* Settings                                                                                    */

static int kmod_ioctl(struct scap_capture *cap, struct kmod_engine *k, unsigned long req, void *arg, const char *what)
{
	if (ioctl(k->rings[0].fd, req, arg) < 0) {
		int err = errno;
		if (cap)
			return scap_capture_fail(cap, err, "kmod: %s: %s", what, strerror(err));
		return scap_fail(err, "kmod: %s: %s", what, strerror(err));
	}
	return 0;
}

/* The tracepoint switches that follow from the ppm_sc set. */
static int apply_tps(struct scap_capture *cap, struct kmod_engine *k)
{
	static const struct {
		uint32_t tp;
		int sc, sc2;
	} tps[] = {
		{ PYSCAP_TP_SCHED_PROCESS_EXEC, SCAP_SC_EXECVE, SCAP_SC_EXECVEAT },
		{ PYSCAP_TP_SCHED_PROCESS_EXIT, SCAP_SC_SCHED_PROCESS_EXIT, -1 },
		{ PYSCAP_TP_SCHED_SWITCH, SCAP_SC_SCHED_SWITCH, -1 },
		{ PYSCAP_TP_SIGNAL_DELIVER, SCAP_SC_SIGNAL_DELIVER, -1 },
		{ PYSCAP_TP_PAGE_FAULT_USER, SCAP_SC_PAGE_FAULT_USER, -1 },
		{ PYSCAP_TP_PAGE_FAULT_KERNEL, SCAP_SC_PAGE_FAULT_KERNEL, -1 },
	};
	struct pyscap_set set;
	int rc;

	for (size_t i = 0; i < sizeof(tps) / sizeof(tps[0]); i++) {
		set.what = tps[i].tp;
		set.value = k->ppm_sc[tps[i].sc] || (tps[i].sc2 >= 0 && k->ppm_sc[tps[i].sc2]);
		rc = kmod_ioctl(cap, k, PYSCAP_IOCTL_SET_TP, &set, "cannot set the tracepoints");
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* What syscall number nr is of interest as, for the ppm_sc set: PYSCAP_SC_* bits. */
static uint32_t syscall_bits(const struct kmod_engine *k, uint32_t nr)
{
	int sc = scap_native_to_ppm_sc(nr);
	uint32_t v = 0;

	if (sc > 0 && sc < SCAP_SC_MAX && k->ppm_sc[sc])
		v |= PYSCAP_SC_NATIVE;
	if (scap_ia32_wanted(nr, k->ppm_sc))
		v |= PYSCAP_SC_IA32;
	return v;
}

/* Translate the ppm_sc set into the driver's syscall set (x86_64 and ia32 numbers) and tracepoint
 * switches; with only_changed, send only the numbers whose bits changed (sent[] holds them). */
static int apply_ppm_sc_to(struct scap_capture *cap, struct kmod_engine *k, bool only_changed)
{
	struct pyscap_set set;
	int rc;

	for (uint32_t nr = 0; nr < SCAP_SYSCALL_NR_MAX; nr++) {
		set.what = nr;
		set.value = syscall_bits(k, nr);
		if (only_changed && set.value == k->sent[nr])
			continue;
		rc = kmod_ioctl(cap, k, PYSCAP_IOCTL_SET_SYSCALL, &set, "cannot set the syscall set");
		if (rc < 0)
			return rc;
		k->sent[nr] = (uint8_t)set.value;
	}
	return apply_tps(cap, k);
}

static int apply_ppm_sc(struct scap_capture *cap, struct kmod_engine *k)
{
	return apply_ppm_sc_to(cap, k, false);
}

/* ------------------------------------------------------------------------------------------ */
/* Ring consumption                                                                            */

/* Give fully delivered blocks back and take new snapshots of head. */
static void refill(struct kmod_engine *k)
{
	for (uint32_t i = 0; i < k->nrings; i++) {
		struct kmod_ring *r = &k->rings[i];
		uint32_t head;

		if (r->off < r->len)
			continue;
		if (r->len) {
			r->tail = (r->tail + r->len) & (r->dim - 1);
			store_release32(&r->info->tail, r->tail);
			r->len = r->off = 0;
		}
		head = load_acquire32(&r->info->head);
		r->len = (head - r->tail) & (r->dim - 1);
	}
}

/* The next undelivered event of ring's current block, or NULL. */
static inline const uint8_t *head(void *ring)
{
	struct kmod_ring *r = ring;

	return r->off < r->len ? r->data + r->tail + r->off : NULL;
}

static int pick(struct scap_capture *cap, struct kmod_engine *k, const struct scap_evt_hdr **evt, uint16_t *cpu)
{
	const uint8_t *best;
	int best_i = scap_rings_oldest(k->rings, sizeof(*k->rings), k->nrings, head, &best);
	uint32_t len;

	if (best_i < 0)
		return SCAP_STATUS_TIMEOUT;
	len = scap_rd32(best + 16);
	if (len < SCAP_EVENT_HEADER_SIZE || len > k->rings[best_i].len - k->rings[best_i].off)
		return scap_capture_fail(cap, EIO,
					 "kmod: corrupt ring of CPU %u: event length %u at offset %u "
					 "(block of %u bytes)",
					 (uint32_t)best_i, len, k->rings[best_i].tail + k->rings[best_i].off,
					 k->rings[best_i].len);
	k->rings[best_i].off += len;
	*evt = (const struct scap_evt_hdr *)best;
	*cpu = best_i;
	return 0;
}

static int kmod_next(struct scap_capture *cap, const struct scap_evt_hdr **evt, uint16_t *cpu, uint32_t *flags)
{
	struct kmod_engine *k = cap->engine;

	*flags = 0;
	refill(k);
	return pick(cap, k, evt, cpu);
}

static int kmod_next_batch(struct scap_capture *cap, struct scap_event_ref *out, uint32_t max, uint32_t *n)
{
	struct kmod_engine *k = cap->engine;
	uint32_t i = 0;
	int rc = 0;

	/* Blocks are given back only by refill(), before the batch: every event of it stays valid. */
	refill(k);
	for (; i < max; i++) {
		rc = pick(cap, k, &out[i].evt, &out[i].cpu);
		if (rc)
			break;
		out[i].flags = 0;
	}
	*n = i;
	if (i)
		return 0;
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Lifecycle                                                                                   */

static int kmod_start(struct scap_capture *cap)
{
	return kmod_ioctl(cap, cap->engine, PYSCAP_IOCTL_ENABLE_CAPTURE, NULL, "cannot start the capture");
}

static int kmod_stop(struct scap_capture *cap)
{
	return kmod_ioctl(cap, cap->engine, PYSCAP_IOCTL_DISABLE_CAPTURE, NULL, "cannot stop the capture");
}

static int kmod_configure(struct scap_capture *cap, enum scap_setting what, uint64_t a, uint64_t b)
{
	struct kmod_engine *k = cap->engine;
	uint32_t v;

	switch (what) {
	case SCAP_SET_SNAPLEN: v = a; return kmod_ioctl(cap, k, PYSCAP_IOCTL_SET_SNAPLEN, &v, "cannot set the snaplen");
	case SCAP_SET_DROP_FAILED:
		v = a ? 1 : 0;
		return kmod_ioctl(cap, k, PYSCAP_IOCTL_SET_DROP_FAILED, &v, "cannot set drop_failed");
	case SCAP_SET_PPM_SC:
		k->ppm_sc[a] = b != 0;
		/* One code touches a few numbers and at most one tracepoint: send just those. */
		return apply_ppm_sc_to(cap, k, true);
	}
	return scap_capture_fail(cap, EINVAL, "kmod: unknown setting %d", what);
}

/* The events of ring r not read yet: the rest of the current block and what the kernel wrote
 * after it (the data is mapped twice, so they are contiguous from the read position). */
static uint64_t ring_unread(const struct kmod_ring *r)
{
	uint32_t start = (r->tail + r->off) & (r->dim - 1);
	uint32_t bytes = (load_acquire32(&r->info->head) - start) & (r->dim - 1);
	uint64_t n = 0;

	for (uint32_t p = 0; p + SCAP_EVENT_HEADER_SIZE <= bytes; n++) {
		uint32_t len = scap_rd32(r->data + start + p + 16);

		if (len < SCAP_EVENT_HEADER_SIZE)
			break; /* corrupt: next() reports it */
		p += len;
	}
	return n;
}

static int kmod_stats(struct scap_capture *cap, struct scap_stats *st)
{
	struct kmod_engine *k = cap->engine;

	for (uint32_t i = 0; i < k->nrings; i++) {
		const volatile struct pyscap_ring_info *in = k->rings[i].info;

		st->n_unread += ring_unread(&k->rings[i]);
		st->n_evts += in->n_evts;
		st->n_drops_buffer += in->n_drops_buffer;
		st->n_drops_max_event_size += in->n_drops_max_event_size + in->n_drops_bug;
		for (int c = 0; c < SCAP_DROP_CATEGORIES; c++)
			st->n_drops_category[c] += in->n_drops_category[c];
		st->n_excluded += in->n_excluded_paths;
	}
	st->n_drops = st->n_drops_buffer + st->n_drops_max_event_size;
	return 0;
}

static void engine_free(struct kmod_engine *k)
{
	long page = sysconf(_SC_PAGESIZE);

	if (!k)
		return;
	/* The rings go away with the last device file; stop first so nothing is left half-attached. */
	if (k->rings && k->nrings && k->rings[0].fd >= 0)
		ioctl(k->rings[0].fd, PYSCAP_IOCTL_DISABLE_CAPTURE);
	for (uint32_t i = 0; k->rings && i < k->nrings; i++) {
		struct kmod_ring *r = &k->rings[i];

		if (r->data)
			munmap((void *)r->data, 2 * (size_t)r->dim);
		if (r->info)
			munmap(r->info, page);
		if (r->fd >= 0)
			close(r->fd);
	}
	free(k->rings);
	free(k);
}

static void kmod_close(struct scap_capture *cap)
{
	engine_free(cap->engine);
}

static const struct scap_engine_ops kmod_ops = {
	.name = "kmod",
	.next = kmod_next,
	.next_batch = kmod_next_batch,
	.start = kmod_start,
	.stop = kmod_stop,
	.configure = kmod_configure,
	.stats = kmod_stats,
	.close = kmod_close,
};

static int open_device(struct kmod_ring *r, uint32_t i, uint32_t bytes)
{
	char path[64];
	long page = sysconf(_SC_PAGESIZE);
	void *m;

	snprintf(path, sizeof(path), KMOD_DEV_FMT, i);
	r->fd = open(path, O_RDWR | O_CLOEXEC);
	if (r->fd < 0) {
		int err = errno;
		if (err == ENOENT && i == 0)
			return scap_fail(ENOENT,
					 "the pyscap kernel module is not loaded (modprobe pyscap / insmod "
					 "driver/pyscap.ko): %s does not exist",
					 path);
		if (err == EBUSY)
			return scap_fail(EBUSY,
					 "kmod: %s is busy: another process is capturing with the pyscap "
					 "kernel module (one consumer at a time)",
					 path);
		if (err == EEXIST)
			return scap_fail(EBUSY,
					 "kmod: %s is busy: this process already has a kmod capture open "
					 "(one capture per process)",
					 path);
		if (err == EACCES || err == EPERM)
			return scap_fail(err, "kmod: cannot open %s: %s (live capture needs root)", path,
					 strerror(err));
		return scap_fail(err, "kmod: cannot open %s: %s", path, strerror(err));
	}
	if (bytes && ioctl(r->fd, PYSCAP_IOCTL_SET_BUFFER_BYTES, &bytes) < 0)
		return scap_fail(errno, "kmod: %s: cannot set the buffer size to %u bytes: %s", path, bytes,
				 strerror(errno));
	if (ioctl(r->fd, PYSCAP_IOCTL_GET_BUFFER_BYTES, &r->dim) < 0)
		return scap_fail(errno, "kmod: %s: cannot read the buffer size: %s", path, strerror(errno));
	m = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (m == MAP_FAILED)
		return scap_fail(errno, "kmod: cannot map the info page of %s: %s", path, strerror(errno));
	r->info = m;
	m = mmap(NULL, 2 * (size_t)r->dim, PROT_READ, MAP_SHARED, r->fd, 0);
	if (m == MAP_FAILED)
		return scap_fail(errno, "kmod: cannot map the %u-byte ring of %s: %s", r->dim, path, strerror(errno));
	r->data = m;
	r->tail = load_acquire32(&r->info->tail);
	return 0;
}

static int check_versions(int fd)
{
	uint64_t api = 0, schema = 0;

	if (ioctl(fd, PYSCAP_IOCTL_GET_API_VERSION, &api) < 0 ||
	    ioctl(fd, PYSCAP_IOCTL_GET_SCHEMA_VERSION, &schema) < 0)
		return scap_fail(EPROTO,
				 "kmod: the driver behind /dev/" PYSCAP_DEVICE_NAME "0 does not answer the "
				 "version ioctls: %s",
				 strerror(errno));
	/* Same major API and schema, and a driver schema at least as new as ours (it may add params). */
	if (api >> 44 != SCAP_API_VERSION >> 44 || schema >> 44 != SCAP_SCHEMA_VERSION >> 44 ||
	    schema < SCAP_SCHEMA_VERSION)
		return scap_fail(EPROTO,
				 "kmod: version mismatch: the loaded pyscap module has API %llu.%llu.%llu, "
				 "schema %llu.%llu.%llu; this libscap needs API %llu.x and schema >= %llu.%llu.%llu "
				 "(reload the module built from the same tree)",
				 (unsigned long long)(api >> 44), (unsigned long long)((api >> 24) & 0xfffff),
				 (unsigned long long)(api & 0xffffff), (unsigned long long)(schema >> 44),
				 (unsigned long long)((schema >> 24) & 0xfffff),
				 (unsigned long long)(schema & 0xffffff), (unsigned long long)(SCAP_API_VERSION >> 44),
				 (unsigned long long)(SCAP_SCHEMA_VERSION >> 44),
				 (unsigned long long)((SCAP_SCHEMA_VERSION >> 24) & 0xfffff),
				 (unsigned long long)(SCAP_SCHEMA_VERSION & 0xffffff));
	return 0;
}

struct scap_capture *scap_kmod_open(const struct scap_live_opts *o)
{
	long page = sysconf(_SC_PAGESIZE);
	struct pyscap_exclude_tgids tg = { 0 };
	struct pyscap_exclude_comms cm = { 0 };
	struct pyscap_exclude_paths ep = { 0 };
	struct kmod_engine *k;
	struct scap_capture *cap;
	uint32_t ntgids = 0, ndevs = 0, v;
	char path[64];
	int rc;

	if (o->buffer_bytes && ((o->buffer_bytes & (o->buffer_bytes - 1)) || o->buffer_bytes < page)) {
		rc = scap_fail(EINVAL, "kmod: buffer_bytes %u must be a power of 2 and at least one page (%ld)",
			       o->buffer_bytes, page);
		goto fail;
	}
	if (o->snaplen > SCAP_MAX_PARAM_SIZE) {
		rc = scap_fail(EINVAL, "kmod: snaplen %u exceeds the maximum of %d", o->snaplen, SCAP_MAX_PARAM_SIZE);
		goto fail;
	}
	ntgids = scap_live_opts_ntgids(o);
	if (ntgids + (o->exclude_self ? 1 : 0) > PYSCAP_MAX_EXCLUDED_TGIDS ||
	    o->n_exclude_comms > PYSCAP_MAX_EXCLUDED_COMMS) {
		rc = scap_fail(EINVAL, "kmod: at most %d excluded tgids and %d excluded comms",
			       PYSCAP_MAX_EXCLUDED_TGIDS, PYSCAP_MAX_EXCLUDED_COMMS);
		goto fail;
	}
	/* How many devices: ask device 0 (one per possible CPU). */
	snprintf(path, sizeof(path), KMOD_DEV_FMT, 0);
	if (access(path, F_OK) != 0) {
		rc = scap_fail(ENOENT,
			       "the pyscap kernel module is not loaded (modprobe pyscap / insmod "
			       "driver/pyscap.ko): %s does not exist",
			       path);
		goto fail;
	}
	k = calloc(1, sizeof(*k));
	if (!k) {
		rc = scap_fail(ENOMEM, "kmod: out of memory");
		goto fail;
	}
	k->rings = calloc(1, sizeof(*k->rings));
	if (!k->rings) {
		rc = scap_fail(ENOMEM, "kmod: out of memory");
		goto fail_free;
	}
	k->rings[0].fd = -1;
	k->nrings = 1;
	rc = open_device(&k->rings[0], 0, o->buffer_bytes);
	if (rc < 0)
		goto fail_free;
	rc = check_versions(k->rings[0].fd);
	if (rc < 0)
		goto fail_free;
	if (ioctl(k->rings[0].fd, PYSCAP_IOCTL_GET_NDEVS, &ndevs) < 0 || ndevs == 0 || ndevs > 4096) {
		rc = scap_fail(EPROTO, "kmod: cannot read the number of devices from %s", path);
		goto fail_free;
	}
	{
		struct kmod_ring *rings = realloc(k->rings, ndevs * sizeof(*rings));
		if (!rings) {
			rc = scap_fail(ENOMEM, "kmod: out of memory");
			goto fail_free;
		}
		k->rings = rings;
		memset(rings + 1, 0, (ndevs - 1) * sizeof(*rings));
		for (uint32_t i = 1; i < ndevs; i++)
			rings[i].fd = -1;
	}
	for (uint32_t i = 1; i < ndevs; i++) {
		k->nrings = i + 1;
		rc = open_device(&k->rings[i], i, o->buffer_bytes);
		if (rc < 0)
			goto fail_free;
	}

	v = o->snaplen ? o->snaplen : PYSCAP_DEFAULT_SNAPLEN;
	rc = kmod_ioctl(NULL, k, PYSCAP_IOCTL_SET_SNAPLEN, &v, "cannot set the snaplen");
	if (rc < 0)
		goto fail_free;
	v = o->drop_failed;
	rc = kmod_ioctl(NULL, k, PYSCAP_IOCTL_SET_DROP_FAILED, &v, "cannot set drop_failed");
	if (rc < 0)
		goto fail_free;
	for (uint32_t i = 0; i < ntgids; i++)
		tg.tgids[i] = o->exclude_tgids[i];
	if (o->exclude_self)
		tg.tgids[ntgids++] = getpid();
	tg.n = ntgids;
	rc = kmod_ioctl(NULL, k, PYSCAP_IOCTL_SET_EXCLUDED_TGIDS, &tg, "cannot set the excluded tgids");
	if (rc < 0)
		goto fail_free;
	for (uint32_t i = 0; i < o->n_exclude_comms; i++)
		strncpy(cm.comms[i], o->exclude_comms[i], PYSCAP_COMM_LEN - 1);
	cm.n = o->n_exclude_comms;
	rc = kmod_ioctl(NULL, k, PYSCAP_IOCTL_SET_EXCLUDED_COMMS, &cm, "cannot set the excluded comms");
	if (rc < 0)
		goto fail_free;
	for (uint32_t i = 0; i < o->n_exclude_paths; i++)
		ep.len[i] = (uint8_t)scap_exclude_path_norm(o->exclude_paths[i], ep.paths[i]);
	ep.n = o->n_exclude_paths;
	rc = kmod_ioctl(NULL, k, PYSCAP_IOCTL_SET_EXCLUDED_PATHS, &ep, "cannot set the excluded paths");
	if (rc < 0)
		goto fail_free;

	if (o->ppm_sc) {
		memcpy(k->ppm_sc, o->ppm_sc, sizeof(k->ppm_sc));
	} else {
		for (int sc = 1; sc < SCAP_SC_MAX; sc++)
			k->ppm_sc[sc] = true;
		k->ppm_sc[SCAP_SC_SCHED_SWITCH] = false;
		k->ppm_sc[SCAP_SC_SIGNAL_DELIVER] = false;
		k->ppm_sc[SCAP_SC_PAGE_FAULT_USER] = false;
		k->ppm_sc[SCAP_SC_PAGE_FAULT_KERNEL] = false;
	}
	rc = apply_ppm_sc(NULL, k);
	if (rc < 0)
		goto fail_free;

	cap = scap_capture_alloc(&kmod_ops, k);
	if (!cap) {
		rc = -ENOMEM;
		goto fail_free;
	}
	return cap;

fail_free:
	engine_free(k);
fail:
	errno = -rc;
	return NULL;
}
