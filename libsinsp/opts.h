// SPDX-License-Identifier: Apache-2.0
// A caller's size-prefixed struct (options, seeds) by the one rule of both libraries
// (libscap/common/opts.h: older callers' missing fields are zero, a newer caller's unknown
// non-zero field or an sz smaller than a size_t is -EINVAL).
#pragma once

#include "libscap/common/opts.h"

namespace sinsp_internal
{
void set_error(const char *msg); // version.cpp
}

namespace sinsp
{

// Copy *src (NULL: all zero) into dst. 0, or -EINVAL with the thread's error message naming
// `what` (the entry point or the struct) and why.
template <class O> int copy_opts(O &dst, const O *src, const char *what)
{
	char why[160], msg[256];
	int rc = scap_sized_copy(&dst, sizeof(O), src, why, sizeof(why));
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "%s: %s", what, why);
		sinsp_internal::set_error(msg);
	}
	return rc;
}

} // namespace sinsp
