/* SPDX-License-Identifier: Apache-2.0 */
/* Thread-local error messages, the print callback and the version. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scap/common.h"
#include "internal.h"

static __thread char last_error[SCAP_ERRBUF_SIZE];
static scap_print_fn_t print_fn;
static void *print_ctx;

const char *scap_last_error(void)
{
	return last_error;
}

int scap_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return err < 0 ? err : -err;
}

scap_print_fn_t scap_set_print(scap_print_fn_t fn, void *ctx)
{
	scap_print_fn_t old = print_fn;

	print_fn = fn;
	print_ctx = ctx;
	return old;
}

void scap_log(enum scap_print_level level, const char *fmt, ...)
{
	char msg[SCAP_ERRBUF_SIZE];
	va_list ap;

	if (!print_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_fn(level, msg, print_ctx);
}

const char *scap_version_string(void)
{
	return SCAP_VERSION_STRING;
}

uint32_t scap_version(void)
{
	return (SCAP_VERSION_MAJOR << 16) | (SCAP_VERSION_MINOR << 8) | SCAP_VERSION_PATCH;
}
