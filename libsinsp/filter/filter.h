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
#include <set>
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

// A set of evt.type names that may be co-finite: every name but `names` when all_but is set
// (the default: every event type).
struct evttype_set {
	bool all_but = true;
	std::set<std::string> names;

	static evttype_set every()
	{
		return evttype_set{};
	}
	static evttype_set none()
	{
		return evttype_set{ false, {} };
	}
	bool is_every() const
	{
		return all_but && names.empty();
	}
	bool contains(const std::string &name) const
	{
		return (names.count(name) != 0) != all_but;
	}
	evttype_set complement() const
	{
		return evttype_set{ !all_but, names };
	}
	evttype_set intersect(const evttype_set &o) const;
	evttype_set merge(const evttype_set &o) const;
};

// What compile_filter() learned about a filter besides its evaluation tree.
struct filter_info {
	// The evt.type values of events the filter can match (upstream's event-type resolver:
	// `evt.type = x`, `!= x`, `in (...)` checks narrow it through and/or/not, with the
	// negations pushed down to the checks by De Morgan's laws; every other check is neutral).
	evttype_set evttypes;
	std::set<std::string> macros; // macros expanded (directly or through other macros)
	std::set<std::string> lists;  // lists used (`in listname`, or a list name inside `(...)`)
};

// Macros compiled once for every filter of a ruleset, and evaluated once per event however many
// of its rules use them: give the same cache to each compile_filter() (with the same symbols:
// clear() it when they change) and call begin_event() before running the filters on an event.
// Filters compiled with a cache share parts of their trees: run them on one thread.
class filter_cache
{
public:
	filter_cache();
	~filter_cache();
	filter_cache(const filter_cache &) = delete;
	filter_cache &operator=(const filter_cache &) = delete;
	void clear();
	void begin_event()
	{
		++*m_epoch;
	}

	struct entry;
	struct view; // a string field read once per event (field_ref::extract_view()), for all filters
	std::shared_ptr<uint64_t> m_epoch;
	std::map<std::string, std::shared_ptr<entry>> m_macros;
	std::map<std::string, std::shared_ptr<view>> m_views;
};

// nullptr with err set when the text does not parse or does not type-check against reg.
// With symbols, a list name among the items of a `(...)` list stands for that list's items (as
// Falco rules write `proc.name in (shell_binaries, sudo)`). info, when given, is filled on success.
std::unique_ptr<filter> compile_filter(const std::string &text, const field_registry &reg, filter_error &err,
				       const filter_symbols *symbols = nullptr, filter_info *info = nullptr,
				       filter_cache *cache = nullptr);

// The names a filter text refers to without resolving them (for "unused macro" checks): bare
// identifiers (macros), `in name` list references and the items of `(...)` lists. false with err
// if it does not parse.
bool filter_references(const std::string &text, std::set<std::string> &macros, std::set<std::string> &words,
		       filter_error &err);

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
