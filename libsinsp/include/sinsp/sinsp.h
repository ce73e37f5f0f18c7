/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * libsinsp: system state (threads, fds, users), enrichment, filters and output formatting on top
 * of libscap. C++17 inside, this pure C API outside (callable from C, cffi and ctypes).
 * Conventions are libscap's (scap/common.h): 0 or a negative errno, NULL + errno from
 * constructors, sinsp_last_error() for the calling thread's last message.
 */
#ifndef SINSP_SINSP_H
#define SINSP_SINSP_H

#include <stdint.h>

#include "sinsp/inspector.h"
#include "sinsp/container.h"
#include "sinsp/format.h"
#include "sinsp/loop.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Product version, from the VERSION file: "0.1.0" (the same as libscap's). */
SINSP_API const char *sinsp_version_string(void);
/** The libscap version libsinsp runs against (checked at load: they must be equal). */
SINSP_API const char *sinsp_scap_version_string(void);
/** Message of the calling thread's last failure ("" if none). */
SINSP_API const char *sinsp_last_error(void);

#ifdef __cplusplus
}
#endif
#endif
