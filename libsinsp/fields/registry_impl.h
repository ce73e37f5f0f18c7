// SPDX-License-Identifier: Apache-2.0
// The built-in field registry (fields.cpp): bound fields (ref_impl, dns_ref), name lookup and
// the table of fields each field class's file (fields/<class>.cpp) fills in.
#pragma once

#include <cerrno>
#include <cstdint>
#include "fields/field_helpers.h"

namespace sinsp
{
namespace fields_detail
{

class registry_impl;

class ref_impl : public field_ref
{
public:
	ref_impl(const fentry *f, bound b) : m_f(f), m_b(std::move(b))
	{
	}
	const field_def &def() const override
	{
		return m_f->def;
	}
	const std::string &arg() const override
	{
		return m_b.arg;
	}
	bool extract(const event &evt, std::vector<field_value> &out) override
	{
		size_t before = out.size();
		bool ok = m_f->x(evt, m_b, out);
		if (!ok)
			out.resize(before);
		return ok && out.size() > before;
	}
	bool has_scalar() const override
	{
		return m_f->sx != nullptr;
	}
	bool has_view() const override
	{
		return m_f->vx != nullptr;
	}
	int extract_view(const event &evt, std::string_view &v) override
	{
		return m_f->vx(evt, m_b, v);
	}
	bool extract_scalar(const event &evt, field_value &v) override
	{
		return m_f->sx(evt, &m_b, v);
	}
	scalar_fn scalar_function(const void *&ctx) const override
	{
		ctx = &m_b;
		return m_f->sx;
	}
	bool render(const event &evt, std::string &out) override
	{
		if (m_f->r)
			return m_f->r(evt, m_b, out);
		m_scratch.clear();
		if (!extract(evt, m_scratch))
			return false;
		if (m_scratch.size() == 1) {
			out += render_value(m_scratch[0]);
			return true;
		}
		out += '(';
		for (size_t i = 0; i < m_scratch.size(); i++) {
			if (i)
				out += ',';
			out += render_value(m_scratch[i]);
		}
		out += ')';
		return true;
	}

private:
	const fentry *m_f;
	bound m_b;
	std::vector<field_value> m_scratch;
};

// fd.sip.name & co. (fields/dns.h): in a filter, the names it is compared with are watched,
// and the field gives those of them that currently resolve to the endpoint's address (or "" when
// none does, so that `!=` and `not ... in` hold as upstream's DNS comparisons do); in an output,
// the watched names (of every filter) that resolve to the address, or nothing.
class dns_ref : public field_ref
{
public:
	dns_ref(const fentry *f, ep which) : m_f(f), m_which(which)
	{
	}
	const field_def &def() const override
	{
		return m_f->def;
	}
	const std::string &arg() const override
	{
		return m_noarg;
	}
	void watch_values(const std::vector<std::string> &values) override
	{
		for (const auto &v : values) {
			if (std::find(m_names.begin(), m_names.end(), v) == m_names.end())
				m_names.push_back(v);
			dns::watch(v);
		}
	}
	bool extract(const event &evt, std::vector<field_value> &out) override
	{
		uint8_t family;
		const uint8_t *ip;
		if (!address(evt, family, ip))
			return false;
		size_t before = out.size();
		if (m_names.empty()) {
			m_tmp.clear();
			dns::names_of(family, ip, m_tmp);
			for (auto &n : m_tmp)
				S(out, n);
		} else {
			for (const auto &n : m_names)
				if (dns::resolves_to(n, family, ip))
					S(out, n);
		}
		if (out.size() == before)
			S(out, "");
		return true;
	}
	bool render(const event &evt, std::string &out) override
	{
		uint8_t family;
		const uint8_t *ip;
		if (!address(evt, family, ip))
			return false;
		m_tmp.clear();
		dns::names_of(family, ip, m_tmp);
		if (m_tmp.empty())
			return false;
		out += m_tmp[0];
		return true;
	}

private:
	bool address(const event &evt, uint8_t &family, const uint8_t *&ip) const
	{
		uint16_t port;
		if (!endpoint(evt.fdi, m_which, &ip, &port))
			return false;
		family = evt.fdi->family == 10 ? 6 : 4;
		return true;
	}

	const fentry *m_f;
	ep m_which;
	std::string m_noarg;
	std::vector<std::string> m_names;
	std::vector<std::string> m_tmp;
};

inline size_t edit_distance(const std::string &a, const std::string &b)
{
	std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
	for (size_t j = 0; j <= b.size(); j++)
		prev[j] = j;
	for (size_t i = 1; i <= a.size(); i++) {
		cur[0] = i;
		for (size_t j = 1; j <= b.size(); j++)
			cur[j] =
				std::min({ prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1) });
		std::swap(prev, cur);
	}
	return prev[b.size()];
}

// The longest field reference accepted, without its [argument] (the longest built-in name is 30
// characters; dotted arguments as in evt.arg.NAME or thread.cgroup.CONTROLLER make it longer).
constexpr size_t kMaxFieldName = 256;

inline bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

class registry_impl : public field_registry
{
public:
	registry_impl();

	// each field class's fields, from its file (fields/<class>.cpp), in the order `-l` lists them
	void add_evt_fields();
	void add_process_fields();
	void add_user_fields();
	void add_container_fields();
	void add_fd_fields();
	void add_fspath_fields();
	void add_fdlist_fields();
	void add_fast_paths(); // after every class: they refer to fields by name

	std::unique_ptr<field_ref> bind(const std::string &name, const std::string *arg,
					std::string &err) const override
	{
		if (name.size() > kMaxFieldName) {
			// no field is this long: refused before the lookups and the suggestion search
			// (edit distance against every field), which are quadratic in the name's length
			err = "unknown field '" + name.substr(0, 32) + "...' (" + std::to_string(name.size()) +
			      " characters; field names have at most " + std::to_string(kMaxFieldName) + ")";
			return nullptr;
		}
		std::string fname = name, farg;
		bool has_arg = arg != nullptr;
		if (arg)
			farg = *arg;
		auto it = m_index.find(fname);
		if (it == m_index.end() && !has_arg) {
			// dotted argument forms: evt.arg.fd, evt.type.is.open, thread.cgroup.cpuacct
			size_t dot = fname.size();
			while ((dot = fname.rfind('.', dot - 1)) != std::string::npos && dot > 0) {
				auto j = m_index.find(fname.substr(0, dot));
				if (j != m_index.end() &&
				    (m_fields[j->second].def.flags & (FF_ARG_ALLOWED | FF_ARG_REQUIRED))) {
					farg = fname.substr(dot + 1);
					fname = fname.substr(0, dot);
					has_arg = true;
					it = j;
					break;
				}
				if (dot == 0)
					break;
			}
		}
		if (it == m_index.end()) {
			err = "unknown field '" + name + "'";
			std::string best;
			size_t bestd = SIZE_MAX;
			for (auto &f : m_fields) {
				// ties go to names that complete what was typed ("fd.nam" -> "fd.name")
				size_t d = 2 * edit_distance(name, f.def.name) -
					   (f.def.name.compare(0, name.size(), name) == 0 ? 1 : 0);
				if (d < bestd) {
					bestd = d;
					best = f.def.name;
				}
			}
			if (!best.empty() && bestd <= 2 * std::max<size_t>(3, name.size() / 3))
				err += " (did you mean '" + best + "'?)";
			return nullptr;
		}
		const fentry &f = m_fields[it->second];
		if (has_arg && !(f.def.flags & (FF_ARG_ALLOWED | FF_ARG_REQUIRED))) {
			err = "field '" + fname + "' does not take an argument";
			return nullptr;
		}
		if (!has_arg && (f.def.flags & FF_ARG_REQUIRED)) {
			err = "field '" + fname + "' requires an argument";
			return nullptr;
		}
		bound b;
		b.arg = farg;
		b.has_arg = has_arg;
		if (has_arg && !farg.empty() && farg.find_first_not_of("0123456789") == std::string::npos) {
			// a numeric argument (ancestor level, index): past INT32_MAX it is refused, not
			// clamped (strtoll saturates) or wrapped when narrowed
			errno = 0;
			long long v = strtoll(farg.c_str(), nullptr, 10);
			if (errno == ERANGE || v > INT32_MAX) {
				err = "field '" + fname + "': argument '" + farg + "' out of range (at most " +
				      std::to_string(INT32_MAX) + ")";
				return nullptr;
			}
			b.num = v;
		}
		if (has_arg && !check_arg(f.def.name, b, err))
			return nullptr;
		if (fname == "evt.rawarg") // typed by the parameter's type in the event table
			return std::make_unique<ref_impl>(rawarg_entry(b.param_type), b);
		if (f.dns >= 0)
			return std::make_unique<dns_ref>(&f, (ep)f.dns);
		return std::make_unique<ref_impl>(&f, b);
	}

	size_t match_prefix(const std::string &text, size_t pos) const override
	{
		size_t end = pos;
		while (end < text.size() && is_name_char(text[end]))
			end++;
		if (end - pos > kMaxFieldName)
			return 0; // no field is this long; the search below is quadratic in the length
		// the longest field name that is a prefix of text[pos, end) ending at a name boundary
		for (size_t len = end - pos; len > 0; len--) {
			if (pos + len < end && text[pos + len] != '.')
				continue;
			auto it = m_index.find(text.substr(pos, len));
			if (it == m_index.end())
				continue;
			const fentry &f = m_fields[it->second];
			if (pos + len < end && (f.def.flags & (FF_ARG_ALLOWED | FF_ARG_REQUIRED)))
				return end - pos; // dotted argument
			// a trailing '.' (end of a sentence) is not part of the name
			return len;
		}
		return 0;
	}

	std::vector<field_def> all() const override
	{
		std::vector<field_def> out;
		for (auto &f : m_fields)
			out.push_back(f.def);
		return out;
	}

	const std::vector<fentry> &entries() const
	{
		return m_fields;
	}

private:
	void add(const char *name, ftype t, uint32_t flags, const char *cls, const char *desc, xfn x, rfn r = nullptr)
	{
		fentry f;
		f.def.name = name;
		f.def.type = t;
		f.def.flags = flags;
		f.def.cls = cls;
		f.def.desc = desc;
		f.x = std::move(x);
		f.r = std::move(r);
		m_index[name] = m_fields.size();
		m_fields.push_back(std::move(f));
	}

	void scalar(const char *name, sfn sx)
	{
		m_fields[m_index.at(name)].sx = sx;
	}

	void view(const char *name, vfn vx)
	{
		m_fields[m_index.at(name)].vx = vx;
	}

	bool check_arg(const std::string &name, bound &b, std::string &err) const
	{
		if (name == "evt.arg" || name == "evt.rawarg") {
			if (b.num < 0) {
				int pt = find_param_type(b.arg);
				if (pt < 0) {
					err = "unknown event parameter '" + b.arg + "' in " + name;
					return false;
				}
				b.param_type = pt;
			} else {
				b.param_type = SCAP_PT_INT64;
			}
		} else if (name == "evt.type.is") {
			bool found = false;
			for (uint32_t t = 0; t < scap_event_table_size() && !found; t++)
				found = b.arg == scap_event_name((uint16_t)t);
			if (!found && scap_ppm_sc_from_name(b.arg.c_str()) < 0) {
				err = "unknown event type '" + b.arg + "' in evt.type.is";
				return false;
			}
		} else if (name == "proc.aname" || name == "proc.apid" || name == "proc.aexe" ||
			   name == "proc.aexepath" || name == "proc.acmdline") {
			if (b.num < 0) {
				err = "field '" + name + "' takes a numeric ancestor level, not '" + b.arg + "'";
				return false;
			}
		} else if (name == "proc.args" || name == "fd.types") {
			if (b.num < 0) {
				err = "field '" + name + "' takes a numeric index, not '" + b.arg + "'";
				return false;
			}
		}
		return true;
	}

	const fentry *rawarg_entry(int pt) const
	{
		auto it = m_rawarg.find(pt);
		return it->second.get();
	}

	std::vector<fentry> m_fields;
	std::unordered_map<std::string, size_t> m_index;
	std::unordered_map<int, std::unique_ptr<fentry>> m_rawarg; // evt.rawarg typed per parameter type
};

} // namespace fields_detail
} // namespace sinsp
