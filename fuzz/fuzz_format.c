/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_format: output formats (libsinsp/format/: the format-string parser, field rendering, JSON)
 * through sinsp_formatter__create() with the input (up to its first NUL) as the format, once as
 * text and once as JSON, each formatting every fixed event (fuzz_sinsp.h: real events of the
 * repository's captures, with their state).
 * Checks: a format that compiles as text compiles as JSON; a rejection sets errno EINVAL and a
 * message; sinsp_formatter__format() gives the same length into a large
 * and a small buffer, NUL-terminated, the small one a prefix of the large one, and the same text
 * as sinsp_formatter__format_str(); formatting twice gives the same line; a JSON line is one JSON
 * object.
 */
#include "fuzz_sinsp.h"

static void format_all(struct sinsp_formatter *f, int json)
{
	for (size_t i = 0; i < FZ_NFIXED; i++) {
		const struct sinsp_event *e = fz_fixed[i].evt;
		char big[8192];
		int n = sinsp_formatter__format(f, e, big, sizeof(big));
		const char *s;
		char *copy;

		fz_format_line(f, e); /* lengths and truncation */
		s = sinsp_formatter__format_str(f, e);
		if (n == -ENODATA) {
			FZ_CHECK(!s && errno == ENODATA, "format_str of a line with a missing field");
			continue;
		}
		FZ_CHECK(n >= 0 && s, "format: %d", n);
		FZ_CHECK(strlen(s) == (size_t)n, "format_str: %zu bytes, format says %d", strlen(s), n);
		FZ_CHECK((size_t)n >= sizeof(big) || !strcmp(s, big), "format and format_str differ:\n%s\n%s", big, s);
		FZ_CHECK(!json || fz_json_object(s), "JSON output of event %zu is not one JSON object:\n%s", i, s);
		copy = strdup(s); /* s lives until the next call on f */
		FZ_CHECK(copy, "out of memory");
		s = sinsp_formatter__format_str(f, e);
		FZ_CHECK(s && !strcmp(s, copy), "a second format of the same event differs:\n%s\n%s", copy, s);
		free(copy);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_init_quiet();
	fz_sinsp_init();
	fz_fixed_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *fmt = malloc(size + 1);
	struct sinsp_formatter *t, *j;
	int terr;

	FZ_CHECK(fmt, "out of memory");
	memcpy(fmt, data, size);
	fmt[size] = 0;
	errno = 0;
	t = sinsp_formatter__create(fmt, SINSP_FORMAT_TEXT);
	terr = errno;
	if (!t) {
		/* (JSON is not tried then: a rejection's "did you mean" costs most of a run) */
		FZ_CHECK(terr == EINVAL && *sinsp_last_error(), "create: errno %d", terr);
		free(fmt);
		return 0;
	}
	j = sinsp_formatter__create(fmt, SINSP_FORMAT_JSON);
	FZ_CHECK(j, "the format compiles as text only: %s", sinsp_last_error());
	format_all(t, 0);
	format_all(j, 1);
	sinsp_formatter__free(t);
	sinsp_formatter__free(j);
	free(fmt);
	return 0;
}
