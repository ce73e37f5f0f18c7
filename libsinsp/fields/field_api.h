// SPDX-License-Identifier: Apache-2.0
//
// The contract between field extraction (fields/, state-aware: proc.*, fd.*, evt.*, ...) and its
// consumers (the filter compiler in filter/, the output formatter). A consumer resolves a field
// name (with its optional argument) through a field_registry into a field_ref once, then calls
// extract() per event. Values are typed so that comparisons are type-aware (numbers, IPs/nets,
// ports, booleans, times).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sinsp
{

class event; // the inspector's event (libsinsp/event.h): opaque to consumers

enum class ftype : uint8_t {
	INT64,	// signed numbers: pids, fds, errnos
	UINT64, // unsigned numbers, sizes, counters
	STRING, // text (names, paths, rendered args)
	BYTES,	// raw bytes (evt.buffer)
	BOOL,
	IPADDR,	 // IPv4 or IPv6 address (field_value::ip)
	IPNET,	 // filter-only: compares an address against a CIDR
	PORT,	 // u16
	ABSTIME, // ns since epoch
	RELTIME, // ns duration
	DOUBLE,
};

enum field_flags : uint32_t {
	FF_ARG_ALLOWED = 1,  // proc.aname[2], proc.env[HOME]
	FF_ARG_REQUIRED = 2, // evt.arg[...], evt.type.is[...]
	FF_FILTER_ONLY = 4,  // fd.ip, fd.port, fd.net: only in filters
	FF_PRINT_ONLY = 8,   // evt.outputtime: only in outputs
	FF_DEPRECATED = 16,
	FF_LIST = 32, // may yield several values (proc.args, fd.types)
};

struct field_def {
	std::string name; // "proc.name"
	ftype type;
	uint32_t flags;	  // field_flags
	std::string desc; // one line, shown by `list fields`
	std::string cls;  // field class: "evt", "process", "user", "group", "fd", "fs.path", "fdlist"
	// A list that filters test value by value: a condition holds when it holds for one value
	// (upstream's ancestor fields: `proc.aname in (a, b)` is "an ancestor is a or b").
	bool each = false;
};

struct field_value {
	ftype type = ftype::STRING;
	int64_t i = 0;	       // INT64, BOOL (0/1), ABSTIME/RELTIME as ns
	uint64_t u = 0;	       // UINT64, PORT
	double d = 0;	       // DOUBLE
	std::string s;	       // STRING, BYTES
	uint8_t ip[16] = {};   // IPADDR: IPv4 in the first 4 bytes (network order) when ip_family == 4
	uint8_t ip_family = 0; // 4 or 6 for IPADDR
};

// A resolved field (name + argument), reusable across events.
class field_ref
{
public:
	virtual ~field_ref() = default;
	virtual const field_def &def() const = 0;
	virtual const std::string &arg() const = 0; // "" when none
	// Append this field's value(s) for evt to out; false when the field is not available for evt.
	virtual bool extract(const event &evt, std::vector<field_value> &out) = 0;
	// Render the value the way outputs show it (e.g. "3(<f>/etc/passwd)" for evt.arg.fd); false if missing.
	virtual bool render(const event &evt, std::string &out) = 0;
	// Optional fast path of some single-valued numeric fields (evt.num, thread.tid, ...), for
	// filters that compare them with a number: the one value extract() would give, in v.type
	// and v.i / v.u / v.d (v.s is not touched), without a vector. false when the field is
	// missing for evt. Only called when has_scalar().
	virtual bool has_scalar() const
	{
		return false;
	}
	virtual bool extract_scalar(const event &evt, field_value &v)
	{
		(void)evt;
		(void)v;
		return false;
	}
	// The same as a plain function and its context, for a caller's inner loop (the filter's):
	// fn(evt, ctx, v) is extract_scalar(evt, v), valid as long as this field_ref. nullptr when
	// has_scalar() is false.
	using scalar_fn = bool (*)(const event &evt, const void *ctx, field_value &v);
	virtual scalar_fn scalar_function(const void *&ctx) const
	{
		ctx = nullptr;
		return nullptr;
	}
	// Optional fast path of some single-valued string fields (proc.name, fd.name, evt.type, ...),
	// for filters that compare them with constants: 1 with the value extract() would give in v
	// (valid until the event or the state changes), 0 when the field is missing for evt, -1 when
	// this event needs extract(). Only called when has_view().
	virtual bool has_view() const
	{
		return false;
	}
	virtual int extract_view(const event &evt, std::string_view &v)
	{
		(void)evt;
		(void)v;
		return -1;
	}
	// The filter compiler gives a field the constant values it is compared with, once, before
	// any event (fd.sip.name resolves these domain names); most fields ignore them.
	virtual void watch_values(const std::vector<std::string> &values)
	{
		(void)values;
	}
};

class field_registry
{
public:
	virtual ~field_registry() = default;
	// Bind `name` (no argument) or `name[arg]` / `name.arg` forms. On failure returns nullptr and
	// sets err, e.g. "unknown field 'proc.nmae' (did you mean 'proc.name'?)".
	virtual std::unique_ptr<field_ref> bind(const std::string &name, const std::string *arg,
						std::string &err) const = 0;
	// The longest prefix of text[pos..] that names a field (for "%proc.name)" style scanning); 0 if none.
	virtual size_t match_prefix(const std::string &text, size_t pos) const = 0;
	virtual std::vector<field_def> all() const = 0;
};

} // namespace sinsp
