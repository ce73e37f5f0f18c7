// SPDX-License-Identifier: Apache-2.0
// The built-in field registry (fields.cpp) and value rendering shared with the output formatter.
#pragma once

#include <string>

#include "fields/field_api.h"

struct sinsp_inspector;

namespace sinsp
{

// All built-in field classes; one process-wide instance (fields read state through the event).
const field_registry &builtin_field_registry();
// What filters of an inspector are compiled against (declared weak in filter/filter.h).
const field_registry *inspector_field_registry(struct sinsp_inspector *insp);
// A value as text outputs show it ("true", "2001:db8::1", "42").
std::string render_field_value(const field_value &v);

} // namespace sinsp
