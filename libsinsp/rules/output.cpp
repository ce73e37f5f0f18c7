// SPDX-License-Identifier: Apache-2.0
// A rule's output format (rules/output.h).
#include "rules/output.h"

#include <cinttypes>
#include <cstdio>

#include "event.h"
#include "fields/registry.h"

namespace sinsp::rules
{

bool output_format::compile(const std::string &text, std::string &err, size_t &pos)
{
	const field_registry &reg = builtin_field_registry();
	size_t p = !text.empty() && text[0] == '*' ? 1 : 0; // Falco prints every output as with '*'
	std::string lit;
	while (p < text.size()) {
		char c = text[p];
		if (c != '%') {
			lit += c;
			p++;
			continue;
		}
		if (p + 1 < text.size() && text[p + 1] == '%') {
			lit += '%';
			p += 2;
			continue;
		}
		size_t start = p + 1;
		size_t len = reg.match_prefix(text, start);
		if (len == 0) {
			size_t e = start;
			while (e < text.size() && text[e] != ' ' && text[e] != '%' && text[e] != ')' && text[e] != ',')
				e++;
			std::string why;
			if (e > start)
				reg.bind(text.substr(start, e - start), nullptr, why);
			pos = start;
			err = (why.empty() ? std::string("expected a field after '%'") : why) + " at position " +
			      std::to_string(start);
			return false;
		}
		std::string name = text.substr(start, len);
		size_t q = start + len;
		std::string arg;
		bool has_arg = false;
		if (q < text.size() && text[q] == '[') {
			size_t close = text.find(']', q);
			if (close == std::string::npos) {
				pos = q;
				err = "expected ']' after the argument at position " + std::to_string(q);
				return false;
			}
			arg = text.substr(q + 1, close - q - 1);
			has_arg = true;
			q = close + 1;
		}
		std::string why;
		auto ref = reg.bind(name, has_arg ? &arg : nullptr, why);
		if (!ref) {
			pos = start;
			err = why + " at position " + std::to_string(start);
			return false;
		}
		token t;
		t.literal = std::move(lit);
		lit.clear();
		t.key = has_arg ? name + "[" + arg + "]" : name;
		const field_def &d = ref->def();
		if (d.name == "evt.time" || d.name == "evt.time.iso8601")
			t.json_kind = 3;		  // upstream's JSON gives the event time as a number of ns
		else if ((d.flags & FF_LIST) && !has_arg) // proc.aname[2] is one value
			t.json_kind = 2;
		else if (d.type == ftype::STRING || d.type == ftype::BYTES || d.type == ftype::IPADDR ||
			 d.type == ftype::IPNET)
			t.json_kind = 1;
		else
			t.json_kind = 0;
		t.field = std::move(ref);
		m_tokens.push_back(std::move(t));
		p = q;
	}
	m_tail = lit;
	return true;
}

void output_format::text(const event &evt, std::string &out)
{
	for (auto &t : m_tokens) {
		out += t.literal;
		size_t start = out.size();
		if (!t.field->render(evt, out)) {
			out.resize(start);
			out += "<NA>";
		}
	}
	out += m_tail;
}

void output_format::json_string(std::string &out, const std::string &s)
{
	static const char hex[] = "0123456789abcdef";
	out += '"';
	for (unsigned char c : s) {
		switch (c) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		case '\b': out += "\\b"; break;
		case '\f': out += "\\f"; break;
		default:
			if (c < 0x20) {
				out += "\\u00";
				out += hex[c >> 4];
				out += hex[c & 15];
			} else {
				out += (char)c;
			}
		}
	}
	out += '"';
}

void output_format::json_value(const event &evt, token &t, std::string &out)
{
	if (t.json_kind == 3) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%" PRIu64, evt.ts());
		out += buf;
		return;
	}
	if (t.json_kind < 2) {
		m_tmp.clear();
		if (!t.field->render(evt, m_tmp))
			out += "null";
		else if (t.json_kind == 0)
			out += m_tmp; // numbers and booleans render as JSON
		else
			json_string(out, m_tmp);
		return;
	}
	m_vals.clear();
	if (!t.field->extract(evt, m_vals)) {
		out += "null";
		return;
	}
	out += '[';
	for (size_t i = 0; i < m_vals.size(); i++) {
		if (i)
			out += ',';
		const field_value &v = m_vals[i];
		std::string s = render_field_value(v);
		if (v.type == ftype::STRING || v.type == ftype::BYTES || v.type == ftype::IPADDR ||
		    v.type == ftype::IPNET)
			json_string(out, s);
		else
			out += s;
	}
	out += ']';
}

void output_format::json_fields(const event &evt, std::map<std::string, std::string> &fields)
{
	for (auto &t : m_tokens) {
		std::string &v = fields[t.key];
		v.clear();
		json_value(evt, t, v);
	}
}

} // namespace sinsp::rules
