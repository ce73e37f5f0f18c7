/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The byte source of the .scap reader: plain files are read with read(2) straight into the
 * caller's buffer; gzip files (one or more concatenated members) are inflated with zlib. Unlike
 * gzread(), which drops everything a failing call decompressed, every byte inflated before a
 * problem is handed out first; the problem is then reported through `state`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "source.h"

#define IN_SIZE (256u << 10)

static ssize_t read_fd(int fd, void *buf, size_t len)
{
	ssize_t r;

	do {
		r = read(fd, buf, len);
	} while (r < 0 && errno == EINTR);
	return r;
}

int scap_source_open(struct scap_source *s, int fd)
{
	ssize_t r;
	size_t have = 0;

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->in_cap = IN_SIZE;
	s->in = malloc(s->in_cap);
	if (!s->in)
		return scap_fail(ENOMEM, "out of memory");
	/* Sniff: gzip starts with 1f 8b. */
	while (have < 2) {
		r = read_fd(fd, s->in + have, s->in_cap - have);
		if (r < 0)
			return scap_fail(errno, "read error: %s", strerror(errno));
		if (r == 0) {
			s->input_eof = 1;
			break;
		}
		have += (size_t)r;
	}
	if (have >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
		s->gz = 1;
		if (inflateInit2(&s->zs, 15 + 16) != Z_OK)
			return scap_fail(ENOMEM, "cannot initialize zlib");
		s->zinit = 1;
		s->zs.next_in = s->in;
		s->zs.avail_in = (uInt)have;
		s->in_member = 1;
	} else {
		s->pending_off = 0;
		s->pending_len = have;
	}
	return 0;
}

static size_t read_plain(struct scap_source *s, uint8_t *out, size_t len)
{
	size_t got = 0;
	ssize_t r;

	if (s->pending_len) {
		size_t n = s->pending_len < len ? s->pending_len : len;

		memcpy(out, s->in + s->pending_off, n);
		s->pending_off += n;
		s->pending_len -= n;
		got = n;
	}
	while (got < len && !s->input_eof) {
		r = read_fd(s->fd, out + got, len - got);
		if (r < 0) {
			snprintf(s->err, sizeof(s->err), "read error: %s", strerror(errno));
			s->state = SRC_ERROR;
			break;
		}
		if (r == 0) {
			s->input_eof = 1;
			break;
		}
		got += (size_t)r;
		break; /* one read per call is enough: the caller asks again */
	}
	if (!got && s->input_eof && s->state == SRC_OK)
		s->state = SRC_END;
	return got;
}

static size_t read_gz(struct scap_source *s, uint8_t *out, size_t len)
{
	z_stream *z = &s->zs;

	if (len > UINT32_MAX)
		len = UINT32_MAX;
	z->next_out = out;
	z->avail_out = (uInt)len;
	while (z->avail_out && s->state == SRC_OK) {
		int ret;

		if (z->avail_in == 0 && !s->input_eof) {
			ssize_t r = read_fd(s->fd, s->in, s->in_cap);

			if (r < 0) {
				snprintf(s->err, sizeof(s->err), "read error: %s", strerror(errno));
				s->state = SRC_ERROR;
				break;
			}
			if (r == 0)
				s->input_eof = 1;
			z->next_in = s->in;
			z->avail_in = (uInt)r;
		}
		if (z->avail_in == 0 && s->input_eof) {
			s->state = s->in_member ? SRC_TRUNCATED : SRC_END;
			break;
		}
		if (!s->in_member) {
			/* After a member: another gzip member (concatenated files) or the end. */
			if (z->next_in[0] != 0x1f) {
				s->state =
					SRC_END; /* trailing bytes that are no gzip member are ignored, as zlib does */
				break;
			}
			inflateReset(z);
			s->in_member = 1;
		}
		{
			uInt before = z->avail_in;

			ret = inflate(z, Z_NO_FLUSH);
			s->in_total += before - z->avail_in;
		}
		if (ret == Z_STREAM_END) {
			s->in_member = 0;
		} else if (ret == Z_BUF_ERROR) {
			if (z->avail_in) { /* no progress possible with input left: should not happen */
				snprintf(s->err, sizeof(s->err), "gzip: inflate made no progress");
				s->state = SRC_ERROR;
			}
		} else if (ret != Z_OK) {
			snprintf(s->err, sizeof(s->err), "gzip: %s (compressed byte %llu)",
				 z->msg ? z->msg : "data error", (unsigned long long)s->in_total);
			s->state = SRC_ERROR;
		}
	}
	return len - z->avail_out;
}

size_t scap_source_read(struct scap_source *s, uint8_t *out, size_t len)
{
	if (s->state != SRC_OK || !len)
		return 0;
	return s->gz ? read_gz(s, out, len) : read_plain(s, out, len);
}

void scap_source_close(struct scap_source *s)
{
	if (s->zinit)
		inflateEnd(&s->zs);
	s->zinit = 0;
	free(s->in);
	s->in = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
