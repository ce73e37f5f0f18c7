/* SPDX-License-Identifier: Apache-2.0 */
/* The dumper: writes .scap files (plain or gzip) in the current block versions. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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

#define WBUF_SIZE (256u << 10)

struct scap_dumper {
	gzFile gz;
	uint8_t *wbuf;
	size_t wlen;
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

static int raw_write(struct scap_dumper *d, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
		int w = gzwrite(d->gz, b, chunk);

		if (w <= 0) {
			int zerr;
			const char *msg = gzerror(d->gz, &zerr);

			if (!d->err)
				d->err = dfail(d, zerr == Z_ERRNO ? (errno ? errno : EIO) : EIO, "write failed: %s",
					       zerr == Z_ERRNO ? strerror(errno ? errno : EIO) : msg);
			return d->err;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int drain(struct scap_dumper *d)
{
	int rc = 0;

	if (d->wlen) {
		rc = raw_write(d, d->wbuf, d->wlen);
		d->wlen = 0;
	}
	return rc;
}

/* Append bytes to the stream through the write buffer. */
static int put(struct scap_dumper *d, const void *p, size_t n)
{
	if (d->err)
		return d->err;
	if (d->wlen + n > WBUF_SIZE) {
		int rc = drain(d);

		if (rc < 0)
			return rc;
		if (n > WBUF_SIZE)
			return raw_write(d, p, n);
	}
	memcpy(d->wbuf + d->wlen, p, n);
	d->wlen += n;
	return 0;
}

int scap_dumper__flush(struct scap_dumper *d)
{
	int rc = drain(d);

	if (rc < 0)
		return rc;
	if (gzflush(d->gz, Z_SYNC_FLUSH) != Z_OK) {
		int zerr;
		const char *msg = gzerror(d->gz, &zerr);

		if (!d->err)
			d->err = dfail(d, EIO, "flush failed: %s", msg);
		return d->err;
	}
	return 0;
}

static void free_dumper(struct scap_dumper *d)
{
	free(d->wbuf);
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

	rc = scap_opts_copy(&opts, sizeof(opts), user_opts, user_opts ? user_opts->sz : 0);
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
	if (d)
		d->wbuf = malloc(WBUF_SIZE);
	plat = opts.platform;
	if (!plat)
		plat = empty = scap_platform__new();
	if (!d || !d->wbuf || !plat) {
		if (d)
			free_dumper(d);
		scap_platform__free(empty);
		close(fd);
		scap_fail(ENOMEM, "dumper: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	d->gz = gzdopen(fd, opts.compression == SCAP_COMPRESSION_GZIP ? "wb" : "wbT");
	if (!d->gz) {
		free_dumper(d);
		scap_platform__free(empty);
		close(fd);
		scap_fail(ENOMEM, "dumper: cannot open the output through zlib");
		errno = ENOMEM;
		return NULL;
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
		gzclose(d->gz);
		free_dumper(d);
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

int scap_dumper__write(struct scap_dumper *d, const struct scap_evt_hdr *evt, uint16_t cpu, uint32_t flags)
{
	static const uint8_t zero[4];
	uint8_t head[14];
	uint32_t len, btype, total, pad, hlen;
	int large, rc;

	if (d->err)
		return d->err;
	if (!evt)
		return dfail(d, EINVAL, "dump: no event");
	len = evt->len;
	rc = scap_event_decode(evt, len, NULL, 0, NULL);
	if (rc < 0)
		return dfail(d, -rc, "dump: invalid event: %s", scap_last_error());
	large = (scap_event_table[evt->type].flags & SCAP_EF_LARGE_PAYLOAD) != 0;
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
	int rc, zrc;

	if (!d)
		return 0;
	rc = drain(d);
	zrc = gzclose(d->gz);
	if (rc == 0 && zrc != Z_OK)
		rc = dfail(d, EIO, "close failed (zlib error %d)", zrc);
	if (rc == 0 && d->err)
		rc = d->err;
	free_dumper(d);
	return rc;
}
