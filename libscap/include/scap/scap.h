/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * libscap: capture of Linux system-call events. Include this one header.
 */
#ifndef SCAP_SCAP_H
#define SCAP_SCAP_H

#include <string.h>

#include "scap/common.h"
#include "scap/event.h"
#include "scap/capture.h"
#include "scap/platform.h"
#include "scap/file.h"

#endif
