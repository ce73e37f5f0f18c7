/* SPDX-License-Identifier: Apache-2.0 */
/* The "kmod" live engine: events from the pyscap kernel module (driver/). */
#ifndef SCAP_ENGINE_KMOD_H
#define SCAP_ENGINE_KMOD_H

#include "scap/capture.h"

/*
 * Open the kmod engine with the (already size-normalized) live options: opens /dev/pyscap0..N-1,
 * maps every ring, checks the driver's API/schema versions and applies the options; capture
 * starts with scap_capture__start(). NULL + errno on failure (message in scap_last_error()):
 * ENOENT module not loaded, EBUSY another consumer, EPROTO version mismatch, EACCES not root.
 */
struct scap_capture *scap_kmod_open(const struct scap_live_opts *opts);

#endif
