// SPDX-License-Identifier: Apache-2.0
// Version and error reporting of the C API.
#include <cstring>

#include "scap/scap.h"
#include "sinsp/sinsp.h"
#include "sinsp_version.h"

namespace
{
thread_local char last_error[512];
}

namespace sinsp_internal
{
void set_error(const char *msg)
{
	std::strncpy(last_error, msg, sizeof(last_error) - 1);
	last_error[sizeof(last_error) - 1] = '\0';
}
} // namespace sinsp_internal

extern "C" {

const char *sinsp_version_string(void)
{
	return SINSP_VERSION_STRING;
}

const char *sinsp_scap_version_string(void)
{
	return scap_version_string();
}

const char *sinsp_last_error(void)
{
	return last_error;
}
}
