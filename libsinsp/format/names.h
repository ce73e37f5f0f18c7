// SPDX-License-Identifier: Apache-2.0
// Name tables used when rendering values.
#pragma once

#include <cstdint>

namespace sinsp
{
const char *errno_name(int64_t e);	    // 2 -> "ENOENT"; nullptr if unknown
const char *errno_name_of_res(int64_t res); // -2 -> "ENOENT"; nullptr unless res is -4095..-1
const char *signal_name(uint64_t s);	    // 9 -> "SIGKILL"; nullptr if unknown
} // namespace sinsp
