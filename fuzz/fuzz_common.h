/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the libFuzzer targets of fuzz/ share: the input as a file (a memfd, or a temporary file
 * when memfds or /proc are missing), reads that ASan can check, and a check that aborts with a
 * message (a finding) when an invariant of the library does not hold.
 *
 * Nothing here writes outside the memfd or $TMPDIR (default /tmp); the temporary file is removed
 * at exit.
 */
#ifndef PYSCAP_FUZZ_COMMON_H
#define PYSCAP_FUZZ_COMMON_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "scap/scap.h"

/* A broken invariant: print it and abort, so that libFuzzer keeps the input. */
#define FZ_CHECK(cond, ...)                                                                                 \
	do {                                                                                                \
		if (!(cond)) {                                                                              \
			fprintf(stderr, "fuzz invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                                       \
			fputc('\n', stderr);                                                                \
			abort();                                                                            \
		}                                                                                           \
	} while (0)

/* Results the compiler must not drop: every byte a target reads goes in here. */
static volatile uint64_t fz_sink;

/* Read every byte of a NUL-terminated string (ASan reports a missing NUL or a freed string). */
static inline void fz_touch_str(const char *s)
{
	size_t n;

	if (!s)
		return;
	n = strlen(s);
	fz_sink += n + (n ? (unsigned char)s[n - 1] : 0);
}

static inline void fz_touch_mem(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h = h * 31 + b[i];
	fz_sink += h;
}

struct fz_file {
	int fd;
	char path[4096]; /* what scap_capture__open_file() is given */
	char tmp[4096];	 /* the temporary file to remove at exit ("" with a memfd) */
};

static struct fz_file fz_the_file = { .fd = -1 };

static inline void fz_remove_tmp(void)
{
	if (fz_the_file.tmp[0])
		unlink(fz_the_file.tmp);
}

/* The file targets read their input from; created at the first call. */
static inline struct fz_file *fz_file(void)
{
	struct fz_file *f = &fz_the_file;
	const char *dir;

	if (f->fd >= 0)
		return f;
	f->fd = memfd_create("pyscap-fuzz", MFD_CLOEXEC);
	if (f->fd >= 0) {
		snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
		if (access(f->path, R_OK) == 0)
			return f;
		close(f->fd);
	}
	dir = getenv("TMPDIR");
	snprintf(f->tmp, sizeof(f->tmp), "%s/pyscap-fuzz-XXXXXX", dir && *dir ? dir : "/tmp");
	f->fd = mkostemp(f->tmp, O_CLOEXEC);
	if (f->fd < 0) {
		perror("fuzz: cannot create a temporary file");
		abort();
	}
	snprintf(f->path, sizeof(f->path), "%s", f->tmp);
	atexit(fz_remove_tmp);
	return f;
}

/* Replace the file's contents with n bytes; returns its path. */
static inline const char *fz_write_file(const void *data, size_t n)
{
	struct fz_file *f = fz_file();
	const uint8_t *p = data;
	size_t done = 0;

	if (ftruncate(f->fd, 0) < 0) {
		perror("fuzz: ftruncate");
		abort();
	}
	while (done < n) {
		ssize_t w = pwrite(f->fd, p + done, n - done, (off_t)done);

		if (w <= 0) {
			perror("fuzz: write");
			abort();
		}
		done += (size_t)w;
	}
	return f->path;
}

/* Read an event's header fields (the header is packed and may be unaligned). */
static inline uint32_t fz_evt_len(const struct scap_evt_hdr *e)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)e + 16, 4);
	return v;
}

static inline uint16_t fz_evt_type(const struct scap_evt_hdr *e)
{
	uint16_t v;

	memcpy(&v, (const uint8_t *)e + 20, 2);
	return v;
}

/* Read everything a platform holds, and check what its header promises. */
static inline void fz_walk_platform(const struct scap_platform *p)
{
	const struct scap_machine_info *mi;
	uint32_t i, j, n;

	if (!p)
		return;
	mi = scap_platform__machine(p);
	FZ_CHECK(mi && memchr(mi->hostname, 0, sizeof(mi->hostname)), "machine info: hostname not terminated");
	fz_touch_str(mi->hostname);
	n = scap_platform__nthreads(p);
	for (i = 0; i < n; i++) {
		const struct scap_thread_info *t = scap_platform__thread(p, i);
		const struct scap_thread_info *byid;

		FZ_CHECK(t, "thread %u of %u missing", i, n);
		fz_touch_str(t->comm);
		fz_touch_str(t->exe);
		fz_touch_str(t->exepath);
		fz_touch_str(t->cwd);
		fz_touch_str(t->root);
		fz_touch_mem(t->args, t->args_len);
		fz_touch_mem(t->env, t->env_len);
		fz_touch_mem(t->cgroups, t->cgroups_len);
		for (j = 0; j < t->nfds; j++) {
			fz_touch_str(t->fds[j].name);
			fz_sink += (uint64_t)t->fds[j].fd + t->fds[j].type;
		}
		byid = scap_platform__thread_by_tid(p, t->tid);
		FZ_CHECK(byid && byid->tid == t->tid, "thread_by_tid(%llu) does not find it",
			 (unsigned long long)t->tid);
	}
	FZ_CHECK(!scap_platform__thread(p, n), "a thread past the end");
	for (i = 0; i < scap_platform__nifaces(p); i++)
		fz_touch_str(scap_platform__iface(p, i)->name);
	for (i = 0; i < scap_platform__nusers(p); i++) {
		const struct scap_user_info *u = scap_platform__user(p, i);

		fz_touch_str(u->name);
		fz_touch_str(u->homedir);
		fz_touch_str(u->shell);
	}
	for (i = 0; i < scap_platform__ngroups(p); i++)
		fz_touch_str(scap_platform__group(p, i)->name);
}

/* Messages of the libraries go nowhere (they would only slow the fuzzer down). */
static inline int fz_quiet(enum scap_print_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)ctx;
	fz_touch_str(msg);
	return 0;
}

static inline void fz_init_quiet(void)
{
	scap_set_print(fz_quiet, NULL);
}

#endif
