/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The dumper: writes .scap files (plain or gzip) in the current block versions.
 *
 * Blocks are appended to a 256 KiB write buffer. Plain files: a full buffer (or a flush) is
 * write(2)n at once. gzip files: a full buffer is handed to a compression thread, so that the
 * caller (a consumer draining per-CPU rings) never waits for deflate unless the thread falls
 * more than ZQ_MAX_BYTES behind; a flush is a Z_SYNC_FLUSH done by that thread in order, and
 * scap_dumper__flush() returns once it is done (the file then holds everything dumped so far).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "scap/file.h"
#include "event_table.h"
#include "file_internal.h"
#include "engines/engine.h"
#include "meta.h"

#define WBUF_SIZE    (256u << 10)
#define ZQ_MAX_BYTES (64u << 20) /* compression backlog before the writer waits */
/* zlib level 3: deflate's fast path, 2.3x the default level's speed on captures (470 against 200
 * MB/s on one core here) for 6 % more bytes; at the default level the thread fell behind a
 * 3.7 M events/s storm and the drain stalled (bench/README.md, -z rows). */
#define ZLIB_LEVEL_STR "3"

/* One buffer on its way to the compression thread. */
struct zblock {
	struct zblock *next;
	uint64_t seq; /* order of queueing */
	size_t len;
	bool flush; /* Z_SYNC_FLUSH after this block */
	uint8_t data[];
};

/* The compression thread and its queue (gzip dumpers only). */
struct zworker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;  /* a block was queued, or done */
	pthread_cond_t space; /* the backlog went down */
	struct zblock *head, *tail;
	struct zblock *spare; /* a drained block to reuse */
	size_t queued;	      /* bytes queued */
	uint64_t pushed;      /* blocks queued so far */
	uint64_t finished;    /* blocks compressed (and flushed) so far */
	bool done;
	int err; /* first failure, negative errno; errmsg says what */
	char errmsg[SCAP_ERRBUF_SIZE];
	gzFile gz;
};

struct scap_dumper {
	int fd;		    /* plain files; -1 when the zworker owns the output */
	struct zworker *zw; /* gzip files */
	struct zblock *cur; /* the write buffer */
	uint64_t offset;
	int err; /* first write error (negative errno) */
	char errbuf[SCAP_ERRBUF_SIZE];
};

static int dfail(struct scap_dumper *d, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int dfail(struct scap_dumper *d, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->errbuf, sizeof(d->errbuf), fmt, ap);
	va_end(ap);
	return scap_fail(err, "%s", d->errbuf);
}

static struct zblock *zblock_new(void)
{
	struct zblock *b = malloc(sizeof(*b) + WBUF_SIZE);

	if (b) {
		b->next = NULL;
		b->len = 0;
		b->flush = false;
	}
	return b;
}

/* ---- the compression thread ---- */

static int zw_fail(struct zworker *zw, int err, const char *msg)
{
	if (!zw->err) {
		zw->err = -err;
		snprintf(zw->errmsg, sizeof(zw->errmsg), "%s", msg);
	}
	return zw->err;
}

static void zw_compress(struct zworker *zw, struct zblock *b)
{
	const uint8_t *p = b->data;
	size_t n = b->len;
	int zerr;

	while (n && !zw->err) {
		int w = gzwrite(zw->gz, p, n > (1u << 30) ? (1u << 30) : (unsigned)n);

		if (w <= 0) {
			const char *msg = gzerror(zw->gz, &zerr);
			char text[SCAP_ERRBUF_SIZE];
			int err = zerr == Z_ERRNO ? (errno ? errno : EIO) : EIO;

			snprintf(text, sizeof(text), "write failed: %s", zerr == Z_ERRNO ? strerror(err) : msg);
			pthread_mutex_lock(&zw->mu);
			zw_fail(zw, err, text);
			pthread_mutex_unlock(&zw->mu);
			return;
		}
		p += w;
		n -= (size_t)w;
	}
	if (b->flush && !zw->err && gzflush(zw->gz, Z_SYNC_FLUSH) != Z_OK) {
		char text[SCAP_ERRBUF_SIZE];

		snprintf(text, sizeof(text), "flush failed: %s", gzerror(zw->gz, &zerr));
		pthread_mutex_lock(&zw->mu);
		zw_fail(zw, EIO, text);
		pthread_mutex_unlock(&zw->mu);
	}
}

static void *zw_main(void *arg)
{
	struct zworker *zw = arg;

	pthread_mutex_lock(&zw->mu);
	for (;;) {
		struct zblock *b;

		while (!zw->head && !zw->done)
			pthread_cond_wait(&zw->work, &zw->mu);
		b = zw->head;
		if (!b)
			break; /* done and drained */
		zw->head = b->next;
		if (!zw->head)
			zw->tail = NULL;
		pthread_mutex_unlock(&zw->mu);
		zw_compress(zw, b);
		pthread_mutex_lock(&zw->mu);
		zw->queued -= b->len;
		zw->finished = b->seq;
		if (!zw->spare) {
			b->len = 0;
			b->flush = false;
			zw->spare = b;
		} else {
			free(b);
		}
		pthread_cond_broadcast(&zw->space);
	}
	pthread_mutex_unlock(&zw->mu);
	return NULL;
}

/* Queue block b (taken over) and return an empty one in its place, or NULL (out of memory).
 * wait: return once the thread has done b (a flush). */
static struct zblock *zw_push(struct scap_dumper *d, struct zblock *b, bool wait)
{
	struct zworker *zw = d->zw;
	struct zblock *fresh;
	uint64_t seq;

	pthread_mutex_lock(&zw->mu);
	while (zw->queued + b->len > ZQ_MAX_BYTES && zw->head && !zw->err)
		pthread_cond_wait(&zw->space, &zw->mu);
	b->next = NULL;
	b->seq = seq = ++zw->pushed;
	if (zw->tail)
		zw->tail->next = b;
	else
		zw->head = b;
	zw->tail = b;
	zw->queued += b->len;
	fresh = zw->spare;
	zw->spare = NULL;
	pthread_cond_signal(&zw->work);
	while (wait && zw->finished < seq && !zw->err)
		pthread_cond_wait(&zw->space, &zw->mu);
	pthread_mutex_unlock(&zw->mu);
	return fresh ? fresh : zblock_new();
}

/* The compression thread's first failure, copied into the dumper (0 if none). */
static int zw_error(struct scap_dumper *d)
{
	struct zworker *zw = d->zw;
	int err;

	pthread_mutex_lock(&zw->mu);
	err = zw->err;
	if (err && !d->err)
		d->err = dfail(d, -err, "%s", zw->errmsg);
	pthread_mutex_unlock(&zw->mu);
	return err ? d->err : 0;
}

/* Stop the thread after the queue drains and close the gzip stream. 0 or negative errno. */
static int zw_finish(struct scap_dumper *d)
{
	struct zworker *zw = d->zw;
	int rc, zrc;

	pthread_mutex_lock(&zw->mu);
	zw->done = true;
	pthread_cond_signal(&zw->work);
	pthread_mutex_unlock(&zw->mu);
	pthread_join(zw->thread, NULL);
	rc = zw_error(d);
	zrc = gzclose(zw->gz);
	if (rc == 0 && zrc != Z_OK)
		rc = d->err = dfail(d, EIO, "close failed (zlib error %d)", zrc);
	free(zw->spare);
	pthread_mutex_destroy(&zw->mu);
	pthread_cond_destroy(&zw->work);
	pthread_cond_destroy(&zw->space);
	free(zw);
	d->zw = NULL;
	return rc;
}

static struct zworker *zw_start(int fd)
{
	struct zworker *zw = calloc(1, sizeof(*zw));

	if (!zw)
		return NULL;
	zw->gz = gzdopen(fd, "wb" ZLIB_LEVEL_STR);
	if (!zw->gz) {
		free(zw);
		return NULL;
	}
	/* one large deflate buffer: fewer, larger writes to the file */
	gzbuffer(zw->gz, 1u << 20);
	pthread_mutex_init(&zw->mu, NULL);
	pthread_cond_init(&zw->work, NULL);
	pthread_cond_init(&zw->space, NULL);
	if (pthread_create(&zw->thread, NULL, zw_main, zw) != 0) {
		gzclose(zw->gz);
		pthread_mutex_destroy(&zw->mu);
		pthread_cond_destroy(&zw->work);
		pthread_cond_destroy(&zw->space);
		free(zw);
		return NULL;
	}
	return zw;
}

/* ---- the write buffer ---- */

static int plain_write(struct scap_dumper *d, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(d->fd, p, n);

		if (w < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			return d->err = dfail(d, err, "write failed: %s", strerror(err));
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Send the write buffer on (flush: and push it to the file). */
static int drain(struct scap_dumper *d, bool flush)
{
	if (d->err)
		return d->err;
	if (!d->zw) {
		int rc = d->cur->len ? plain_write(d, d->cur->data, d->cur->len) : 0;

		d->cur->len = 0;
		return rc;
	}
	if (!d->cur->len && !flush)
		return 0;
	d->cur->flush = flush;
	d->cur = zw_push(d, d->cur, flush);
	if (!d->cur)
		return d->err = dfail(d, ENOMEM, "out of memory for the compression queue");
	return zw_error(d);
}

/* Append bytes to the stream through the write buffer. */
static int put(struct scap_dumper *d, const void *p, size_t n)
{
	const uint8_t *b = p;

	if (d->err)
		return d->err;
	while (n) {
		size_t room = WBUF_SIZE - d->cur->len, k = n < room ? n : room;
		int rc;

		memcpy(d->cur->data + d->cur->len, b, k);
		d->cur->len += k;
		b += k;
		n -= k;
		if (d->cur->len == WBUF_SIZE && (rc = drain(d, false)) < 0)
			return rc;
	}
	return 0;
}

int scap_dumper__flush(struct scap_dumper *d)
{
	return drain(d, true);
}

static void free_dumper(struct scap_dumper *d)
{
	free(d->cur);
	free(d);
}

struct scap_dumper *scap_dumper__open_fd(int fd, const struct scap_dumper_opts *user_opts)
{
	struct scap_dumper_opts opts;
	struct scap_platform *empty = NULL;
	const struct scap_platform *plat;
	struct scap_dumper *d;
	struct sbuf meta = { 0 };
	int rc;

	rc = scap_opts_copy(&opts, sizeof(opts), user_opts);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		errno = -rc;
		return NULL;
	}
	if (fd < 0 || (opts.compression != SCAP_COMPRESSION_NONE && opts.compression != SCAP_COMPRESSION_GZIP)) {
		scap_fail(EINVAL, fd < 0 ? "dumper: bad fd %d" : "dumper: unknown compression %d",
			  fd < 0 ? fd : (int)opts.compression);
		if (fd >= 0)
			close(fd);
		errno = EINVAL;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (d) {
		d->fd = fd;
		d->cur = zblock_new();
	}
	plat = opts.platform;
	if (!plat)
		plat = empty = scap_platform__new();
	if (!d || !d->cur || !plat) {
		if (d)
			free_dumper(d);
		scap_platform__free(empty);
		close(fd);
		scap_fail(ENOMEM, "dumper: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	if (opts.compression == SCAP_COMPRESSION_GZIP) {
		d->zw = zw_start(fd);
		if (!d->zw) {
			free_dumper(d);
			scap_platform__free(empty);
			close(fd);
			scap_fail(ENOMEM, "dumper: cannot start the gzip stream");
			errno = ENOMEM;
			return NULL;
		}
		d->fd = -1;
	}
	rc = scap_meta_write(&meta, plat);
	scap_platform__free(empty);
	if (rc == 0)
		rc = put(d, meta.data, meta.len);
	d->offset = meta.len;
	sbuf_free(&meta);
	if (rc == 0)
		rc = scap_dumper__flush(d);
	if (rc < 0) {
		char msg[SCAP_ERRBUF_SIZE];

		snprintf(msg, sizeof(msg), "%s", d->errbuf[0] ? d->errbuf : "out of memory writing the file header");
		scap_dumper__close(d);
		scap_fail(rc, "%s", msg);
		errno = -rc;
		return NULL;
	}
	return d;
}

struct scap_dumper *scap_dumper__open(const char *path, const struct scap_dumper_opts *opts)
{
	int fd;

	if (!path) {
		scap_fail(EINVAL, "dumper: no path");
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		int err = errno;

		scap_fail(err, "dumper: cannot create %s: %s", path, strerror(err));
		errno = err;
		return NULL;
	}
	return scap_dumper__open_fd(fd, opts);
}

static int dump(struct scap_dumper *d, const struct scap_evt_hdr *evt, uint16_t cpu, uint32_t flags)
{
	static const uint8_t zero[4];
	uint8_t head[14];
	uint32_t len = evt->len, btype, total, pad, hlen;
	int large = (scap_event_table[evt->type].flags & SCAP_EF_LARGE_PAYLOAD) != 0, rc;

	flags &= ~4u; /* the "large" hint of upstream writers: the block type says it */
	if (flags) {
		btype = large ? BT_EVF_V2_LARGE : BT_EVF_V2;
		hlen = 6;
	} else {
		btype = large ? BT_EV_V2_LARGE : BT_EV_V2;
		hlen = 2;
	}
	/* Padding makes 2 + len a multiple of 4 (also for EVF: the flags are 4 bytes). */
	pad = (4 - (2 + len) % 4) % 4;
	if ((uint64_t)len + 12 + hlen + pad > UINT32_MAX)
		return dfail(d, EINVAL, "dump: event of %u bytes is too large for a block", len);
	total = 12 + hlen + len + pad;
	memcpy(head, &btype, 4);
	memcpy(head + 4, &total, 4);
	memcpy(head + 8, &cpu, 2);
	if (hlen == 6)
		memcpy(head + 10, &flags, 4);
	if ((rc = put(d, head, 8 + hlen)) < 0 || (rc = put(d, evt, len)) < 0 || (rc = put(d, zero, pad)) < 0 ||
	    (rc = put(d, &total, 4)) < 0)
		return rc;
	d->offset += total;
	return 0;
}

int scap_dumper__write(struct scap_dumper *d, const struct scap_evt_hdr *evt, uint16_t cpu, uint32_t flags)
{
	int rc;

	if (d->err)
		return d->err;
	if (!evt)
		return dfail(d, EINVAL, "dump: no event");
	rc = scap_event_decode(evt, evt->len, NULL, 0, NULL);
	if (rc < 0)
		return dfail(d, -rc, "dump: invalid event: %s", scap_last_error());
	return dump(d, evt, cpu, flags);
}

int scap_dumper__write_decoded(struct scap_dumper *d, const struct scap_evt_hdr *evt, uint16_t cpu, uint32_t flags)
{
	if (d->err)
		return d->err;
	if (!evt || evt->type >= SCAP_EVT_MAX)
		return dfail(d, EINVAL, "dump: no event");
	return dump(d, evt, cpu, flags);
}

uint64_t scap_dumper__offset(const struct scap_dumper *d)
{
	return d->offset;
}

const char *scap_dumper__geterr(const struct scap_dumper *d)
{
	return d->errbuf;
}

int scap_dumper__close(struct scap_dumper *d)
{
	int rc, crc = 0;

	if (!d)
		return 0;
	rc = drain(d, false);
	if (d->zw) {
		int zrc = zw_finish(d);

		if (rc == 0)
			rc = zrc;
	} else if (close(d->fd) < 0) {
		crc = errno;
	}
	if (rc == 0 && crc)
		rc = dfail(d, crc, "close failed: %s", strerror(crc));
	if (rc == 0 && d->err)
		rc = d->err;
	free_dumper(d);
	return rc;
}
