// SPDX-License-Identifier: Apache-2.0
/* scap_live_opts.exclude_paths (engines/exclude.h). */
#include "engines/exclude.h"

#include <errno.h>
#include <string.h>

#include "internal.h"

int scap_exclude_paths_check(const struct scap_live_opts *o)
{
	if (o->n_exclude_paths > SCAP_MAX_EXCLUDE_PATHS)
		return scap_fail(EINVAL, "exclude_paths: %u paths (at most %d)", o->n_exclude_paths,
				 SCAP_MAX_EXCLUDE_PATHS);
	if (o->n_exclude_paths && !o->exclude_paths)
		return scap_fail(EINVAL, "exclude_paths: NULL with n_exclude_paths %u", o->n_exclude_paths);
	for (uint32_t i = 0; i < o->n_exclude_paths; i++) {
		const char *p = o->exclude_paths[i];

		if (!p)
			return scap_fail(EINVAL, "exclude_paths[%u] is NULL", i);
		if (p[0] != '/')
			return scap_fail(EINVAL, "exclude_paths[%u] \"%s\" is not an absolute path", i, p);
		if (strlen(p) >= SCAP_EXCLUDE_PATH_MAX)
			return scap_fail(EINVAL, "exclude_paths[%u] is %zu bytes long (at most %d)", i, strlen(p),
					 SCAP_EXCLUDE_PATH_MAX - 1);
	}
	return 0;
}

uint32_t scap_exclude_path_norm(const char *path, char out[SCAP_EXCLUDE_PATH_MAX])
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	memset(out, 0, SCAP_EXCLUDE_PATH_MAX);
	memcpy(out, path, n);
	return (uint32_t)n;
}
