// SPDX-License-Identifier: Apache-2.0
//
// A test double of the field registry (libsinsp/fields/field_api.h): a fixed table of fields of
// every type whose values come from a "record" (field key -> JSON value) set before each run.
// Keys are "name" or "name[arg]" ("proc.env[HOME]", "evt.arg[fd]"); a missing key means the
// field is not available, JSON null means "available, no values" (an empty list).
#pragma once

#include <arpa/inet.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fields/field_api.h"
#include "json.h"

namespace fake
{

using namespace sinsp;

struct record {
	std::map<std::string, json::value> values;
};

inline const std::vector<field_def> &table()
{
	static const std::vector<field_def> t = {
		{ "proc.name", ftype::STRING, 0, "process name", "process" },
		{ "proc.pname", ftype::STRING, 0, "parent name", "process" },
		{ "proc.exe", ftype::STRING, 0, "argv[0]", "process" },
		{ "proc.cmdline", ftype::STRING, 0, "command line", "process" },
		{ "proc.args", ftype::STRING, FF_LIST | FF_ARG_ALLOWED, "arguments", "process" },
		{ "proc.env", ftype::STRING, FF_ARG_ALLOWED, "environment", "process" },
		{ "proc.aname", ftype::STRING, FF_ARG_ALLOWED, "ancestor name", "process" },
		{ "proc.pid", ftype::INT64, 0, "pid", "process" },
		{ "proc.ppid", ftype::INT64, 0, "parent pid", "process" },
		{ "proc.fdusage", ftype::DOUBLE, 0, "fd usage ratio", "process" },
		{ "fd.name", ftype::STRING, 0, "fd name", "fd" },
		{ "fd.num", ftype::INT64, 0, "fd number", "fd" },
		{ "fd.types", ftype::STRING, FF_LIST | FF_ARG_ALLOWED, "fd types", "fd" },
		{ "fd.ip", ftype::IPADDR, FF_FILTER_ONLY, "any ip", "fd" },
		{ "fd.sip", ftype::IPADDR, 0, "server ip", "fd" },
		{ "fd.net", ftype::IPNET, FF_FILTER_ONLY, "any net", "fd" },
		{ "fd.port", ftype::PORT, FF_FILTER_ONLY, "any port", "fd" },
		{ "fd.sport", ftype::PORT, 0, "server port", "fd" },
		{ "fd.is_server", ftype::BOOL, 0, "server role", "fd" },
		{ "evt.num", ftype::UINT64, 0, "event number", "evt" },
		{ "evt.buflen", ftype::UINT64, 0, "buffer length", "evt" },
		{ "evt.buffer", ftype::BYTES, 0, "buffer", "evt" },
		{ "evt.failed", ftype::BOOL, 0, "failed", "evt" },
		{ "evt.rawtime", ftype::ABSTIME, 0, "timestamp", "evt" },
		{ "evt.deltatime", ftype::RELTIME, 0, "delta", "evt" },
		{ "evt.arg", ftype::STRING, FF_ARG_REQUIRED, "argument", "evt" },
		{ "evt.rawarg", ftype::INT64, FF_ARG_REQUIRED, "raw argument", "evt" },
		{ "evt.outputtime", ftype::ABSTIME, FF_PRINT_ONLY, "output time", "evt" },
	};
	return t;
}

inline size_t edit_distance(const std::string &a, const std::string &b)
{
	std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
	for (size_t j = 0; j <= b.size(); j++)
		prev[j] = j;
	for (size_t i = 1; i <= a.size(); i++) {
		cur[0] = i;
		for (size_t j = 1; j <= b.size(); j++) {
			cur[j] =
				std::min({ prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1) });
		}
		prev.swap(cur);
	}
	return prev[b.size()];
}

// Values of a field, converted from the record's JSON by the field's type.
inline bool convert(const field_def &d, const json::value &j, field_value &v)
{
	v.type = d.type;
	switch (d.type) {
	case ftype::STRING: v.s = j.s; return j.kind == json::value::STRING;
	case ftype::BYTES: { // hex in the record
		v.s.clear();
		for (size_t i = 0; i + 1 < j.s.size(); i += 2) {
			v.s += static_cast<char>(std::stoi(j.s.substr(i, 2), nullptr, 16));
		}
		return true;
	}
	case ftype::BOOL: v.i = j.b ? 1 : 0; return j.kind == json::value::BOOL;
	case ftype::IPADDR:
	case ftype::IPNET:
		if (inet_pton(AF_INET, j.s.c_str(), v.ip) == 1) {
			v.ip_family = 4;
			return true;
		}
		if (inet_pton(AF_INET6, j.s.c_str(), v.ip) == 1) {
			v.ip_family = 6;
			return true;
		}
		return false;
	case ftype::UINT64:
	case ftype::PORT: v.u = std::stoull(j.s); return true;
	case ftype::DOUBLE: v.d = std::stod(j.s); return true;
	default: v.i = std::stoll(j.s); return true;
	}
}

class ref : public field_ref
{
public:
	ref(const field_def &d, std::string arg, const record *const *cur) : d_(d), arg_(std::move(arg)), cur_(cur)
	{
		key_ = d.name + (arg_.empty() ? "" : "[" + arg_ + "]");
	}
	const field_def &def() const override
	{
		return d_;
	}
	const std::string &arg() const override
	{
		return arg_;
	}
	bool extract(const event &, std::vector<field_value> &out) override
	{
		const record *r = *cur_;
		if (!r) {
			return false;
		}
		auto it = r->values.find(key_);
		if (it == r->values.end()) {
			return false;
		}
		const json::value &j = it->second;
		if (j.kind == json::value::NUL) {
			return true;
		}
		if (j.kind == json::value::ARRAY) {
			for (const auto &e : j.a) {
				out.emplace_back();
				if (!convert(d_, e, out.back())) {
					return false;
				}
			}
			return true;
		}
		out.emplace_back();
		return convert(d_, j, out.back());
	}
	bool render(const event &, std::string &out) override
	{
		out = key_;
		return true;
	}

private:
	const field_def &d_;
	std::string arg_;
	std::string key_;
	const record *const *cur_;
};

class registry : public field_registry
{
public:
	const record *current = nullptr;

	std::unique_ptr<field_ref> bind(const std::string &name, const std::string *arg,
					std::string &err) const override
	{
		for (const auto &d : table()) {
			if (d.name == name) {
				return std::make_unique<ref>(d, arg ? *arg : "", &current);
			}
		}
		// "name.arg" forms: evt.arg.fd, evt.rawarg.res
		for (const auto &d : table()) {
			if ((d.flags & (FF_ARG_ALLOWED | FF_ARG_REQUIRED)) && !arg && name.size() > d.name.size() + 1 &&
			    name.compare(0, d.name.size() + 1, d.name + ".") == 0) {
				return std::make_unique<ref>(d, name.substr(d.name.size() + 1), &current);
			}
		}
		const field_def *best = nullptr;
		size_t best_d = 0;
		for (const auto &d : table()) {
			size_t dist = edit_distance(name, d.name);
			if (!best || dist < best_d) {
				best = &d;
				best_d = dist;
			}
		}
		err = "unknown field '" + name + "' (did you mean '" + best->name + "'?)";
		return nullptr;
	}
	size_t match_prefix(const std::string &text, size_t pos) const override
	{
		size_t best = 0;
		for (const auto &d : table()) {
			if (text.compare(pos, d.name.size(), d.name) == 0) {
				best = std::max(best, d.name.size());
			}
		}
		return best;
	}
	std::vector<field_def> all() const override
	{
		return table();
	}
};

} // namespace fake
