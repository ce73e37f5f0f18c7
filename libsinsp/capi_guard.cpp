// SPDX-License-Identifier: Apache-2.0
#include "capi_guard.h"

#include <cstdio>
#include <exception>
#include <new>

namespace sinsp_internal
{
void set_error(const char *msg); // version.cpp
}

namespace sinsp
{

int caught(const char *what) noexcept
{
	char msg[512];
	int err = EIO;
	try {
		throw;
	} catch (const std::bad_alloc &) {
		std::snprintf(msg, sizeof(msg), "%s: out of memory", what);
		err = ENOMEM;
	} catch (const std::exception &e) {
		std::snprintf(msg, sizeof(msg), "%s: internal error: %s", what, e.what());
	} catch (...) {
		std::snprintf(msg, sizeof(msg), "%s: internal error", what);
	}
	sinsp_internal::set_error(msg);
	return err;
}

} // namespace sinsp
