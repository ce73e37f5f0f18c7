/* SPDX-License-Identifier: Apache-2.0 */
/* Small file and string helpers of the /proc scan. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proc_int.h"

uint64_t proc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static ssize_t read_at(int dfd, const char *name, char *buf, size_t cap, bool until_eof)
{
	size_t got = 0;
	int fd;

	if (cap == 0)
		return -EINVAL;
	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		buf[0] = 0;
		return -errno;
	}
	while (got < cap - 1) {
		ssize_t r = read(fd, buf + got, cap - 1 - got);

		if (r < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			close(fd);
			buf[0] = 0;
			return -err;
		}
		if (r == 0)
			break;
		got += (size_t)r;
		/* seq_file, cmdline, environ and regular files: a short read is the end */
		if (!until_eof && got < cap - 1)
			break;
	}
	close(fd);
	buf[got] = 0;
	return (ssize_t)got;
}

ssize_t proc_read_at(int dfd, const char *name, char *buf, size_t cap)
{
	return read_at(dfd, name, buf, cap, false);
}

ssize_t proc_read_all_at(int dfd, const char *name, char *buf, size_t cap)
{
	return read_at(dfd, name, buf, cap, true);
}

ssize_t proc_readlink_at(int dfd, const char *name, char *buf, size_t cap)
{
	ssize_t r = readlinkat(dfd, name, buf, cap - 1);

	if (r < 0) {
		buf[0] = 0;
		return -errno;
	}
	buf[r] = 0;
	return r;
}

bool proc_parse_u64(const char **s, int base, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;
	bool any = false;

	while (*p == ' ' || *p == '\t')
		p++;
	for (;; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (d >= (unsigned)base)
			break;
		v = v * (uint64_t)base + d;
		any = true;
	}
	*s = p;
	if (any)
		*out = v;
	return any;
}

void proc_strlcpy(char *dst, const char *src, size_t n, size_t cap)
{
	if (cap == 0)
		return;
	if (n > cap - 1)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

bool proc_path(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < cap;
}
