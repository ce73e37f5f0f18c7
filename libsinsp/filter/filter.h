// SPDX-License-Identifier: Apache-2.0
//
// The filter engine's C++ entry points (internal to libsinsp; the C API is sinsp/filter.h).
// A filter is compiled once against a field_registry (fields/field_api.h) into an evaluation tree
// and run per event through the sinsp_filter interface (filter_iface.h).
//
// Threading: a compiled filter keeps scratch buffers (it allocates nothing per event once warm),
// so one filter object must not run on two threads at once; compile one per thread instead.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fields/field_api.h"
#include "filter_iface.h"

namespace sinsp
{

using filter = ::sinsp_filter;

struct filter_error {
	size_t pos = 0;	     // 0-based byte offset into the filter text
	std::string message; // "expected a value after '=' at position 14"
};

// Macro and list names a filter may use as bare identifiers (Falco-style rules). Macros are
// filter text, expanded where they are used; lists are value lists for in/intersects/pmatch and
// the oneof/anyof/allof modifiers.
struct filter_symbols {
	std::map<std::string, std::string> macros;
	std::map<std::string, std::vector<std::string>> lists;
};

// nullptr with err set when the text does not parse or does not type-check against reg.
std::unique_ptr<filter> compile_filter(const std::string &text, const field_registry &reg, filter_error &err,
				       const filter_symbols *symbols = nullptr);

// Syntax only (fields, macros and values are not resolved). true if the text parses.
bool check_filter_syntax(const std::string &text, filter_error &err);

// The canonical text of a filter (parse -> print). false with err if it does not parse.
bool canonical_filter(const std::string &text, std::string &out, filter_error &err);

// The message followed by the (possibly shortened) filter text and a caret line under err.pos:
//   expected a value after '=' at position 12
//   proc.name =
//               ^
std::string describe_filter_error(const std::string &text, const filter_error &err);

} // namespace sinsp

struct sinsp_inspector;

namespace sinsp
{

// Provided by the inspector (not by the filter engine): the field registry filters of `insp` are
// compiled against; nullptr if it has none. Declared weak so that libsinsp links before an
// inspector defines it: sinsp_filter__compile() then fails with ENOSYS.
const field_registry *inspector_field_registry(struct sinsp_inspector *insp) __attribute__((weak));

} // namespace sinsp
