/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * libsinsp's names for the macros of libscap's public headers (scap/common.h), so that both
 * libraries share one definition: SINSP_API marks the API, SINSP_NODISCARD a function whose result
 * must not be ignored, SINSP_OPTS declares an options struct (the same rules as SCAP_OPTS: zero-fill,
 * sz first; unknown non-zero fields from a newer caller: -EINVAL).
 */
#ifndef SINSP_COMMON_H
#define SINSP_COMMON_H

#include "scap/common.h"

#ifndef SINSP_API
/** What every libsinsp function is declared with: SCAP_EXPORT, unless defined before. */
#define SINSP_API SCAP_EXPORT
#endif
/** SCAP_NODISCARD: a function whose result must not be ignored (the constructors). */
#define SINSP_NODISCARD SCAP_NODISCARD
/** SCAP_OPTS: declares an options struct (zero-filled, sz set). */
#define SINSP_OPTS SCAP_OPTS

#endif /* SINSP_COMMON_H */
