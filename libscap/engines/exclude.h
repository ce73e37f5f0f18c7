/* SPDX-License-Identifier: Apache-2.0 */
/* scap_live_opts.exclude_paths, checked and normalized once for both live engines. */
#ifndef SCAP_ENGINES_EXCLUDE_H
#define SCAP_ENGINES_EXCLUDE_H

#include <stdint.h>

#include "scap/capture.h"

/* 0, or -EINVAL with the reason (scap_fail: which entry, why) when o->exclude_paths has more
 * than SCAP_MAX_EXCLUDE_PATHS entries, or one that is NULL, not absolute or too long. */
int scap_exclude_paths_check(const struct scap_live_opts *o);

/* Entry path as the drivers compare it, NUL-padded into out: without trailing '/' ("/" stays);
 * returns its length. path has passed scap_exclude_paths_check(). */
uint32_t scap_exclude_path_norm(const char *path, char out[SCAP_EXCLUDE_PATH_MAX]);

#endif /* SCAP_ENGINES_EXCLUDE_H */
