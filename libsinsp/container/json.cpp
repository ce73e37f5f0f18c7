// SPDX-License-Identifier: Apache-2.0
// The JSON reader and writer of container/json.h: a recursive descent parser with a depth limit.
#include "container/json.h"
#include "format/render.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sinsp::ctr::json
{

const value *value::get(std::string_view key) const
{
	if (kind != OBJECT)
		return nullptr;
	for (const auto &m : o)
		if (m.first == key)
			return &m.second;
	return nullptr;
}

const value *value::at(std::initializer_list<std::string_view> path) const
{
	const value *v = this;
	for (std::string_view k : path) {
		v = v->get(k);
		if (!v)
			return nullptr;
	}
	return v;
}

std::string value::str() const
{
	switch (kind) {
	case STRING:
	case NUMBER: return s;
	case BOOL: return b ? "true" : "false";
	default: return std::string();
	}
}

int64_t value::i64(int64_t def) const
{
	if (kind != NUMBER && kind != STRING)
		return def;
	if (s.empty())
		return def;
	char *end = nullptr;
	long long v = strtoll(s.c_str(), &end, 10);
	if (end && *end == '\0')
		return v;
	// 1e3, 12.0: through the double
	double d = strtod(s.c_str(), &end);
	if (!end || *end != '\0' || !std::isfinite(d) || d < -9.2e18 || d > 9.2e18)
		return def;
	return (int64_t)d;
}

bool value::boolean(bool def) const
{
	return kind == BOOL ? b : def;
}

namespace
{

struct parser {
	std::string_view t;
	size_t i = 0;
	size_t max_depth;

	void ws()
	{
		while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
			i++;
	}
	bool lit(const char *w, size_t n)
	{
		if (t.size() - i < n || t.compare(i, n, w) != 0)
			return false;
		i += n;
		return true;
	}
	static void utf8(std::string &out, uint32_t cp)
	{
		if (cp < 0x80) {
			out += (char)cp;
		} else if (cp < 0x800) {
			out += (char)(0xc0 | (cp >> 6));
			out += (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			out += (char)(0xe0 | (cp >> 12));
			out += (char)(0x80 | ((cp >> 6) & 0x3f));
			out += (char)(0x80 | (cp & 0x3f));
		} else {
			out += (char)(0xf0 | (cp >> 18));
			out += (char)(0x80 | ((cp >> 12) & 0x3f));
			out += (char)(0x80 | ((cp >> 6) & 0x3f));
			out += (char)(0x80 | (cp & 0x3f));
		}
	}
	bool hex4(uint32_t &v)
	{
		if (t.size() - i < 4)
			return false;
		v = 0;
		for (int k = 0; k < 4; k++) {
			char c = t[i++];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (uint32_t)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (uint32_t)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v |= (uint32_t)(c - 'A' + 10);
			else
				return false;
		}
		return true;
	}
	bool string(std::string &out)
	{
		if (i >= t.size() || t[i] != '"')
			return false;
		i++;
		for (;;) {
			size_t start = i;
			while (i < t.size() && t[i] != '"' && t[i] != '\\' && (unsigned char)t[i] >= 0x20)
				i++;
			out.append(t.data() + start, i - start);
			if (i >= t.size() || (unsigned char)t[i] < 0x20)
				return false;
			if (t[i] == '"') {
				i++;
				return true;
			}
			i++; // backslash
			if (i >= t.size())
				return false;
			char c = t[i++];
			switch (c) {
			case '"': out += '"'; break;
			case '\\': out += '\\'; break;
			case '/': out += '/'; break;
			case 'b': out += '\b'; break;
			case 'f': out += '\f'; break;
			case 'n': out += '\n'; break;
			case 'r': out += '\r'; break;
			case 't': out += '\t'; break;
			case 'u': {
				uint32_t cp;
				if (!hex4(cp))
					return false;
				if (cp >= 0xd800 && cp < 0xdc00 && t.size() - i >= 6 && t[i] == '\\' &&
				    t[i + 1] == 'u') {
					size_t save = i;
					i += 2;
					uint32_t lo;
					if (hex4(lo) && lo >= 0xdc00 && lo < 0xe000)
						cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					else
						i = save;
				}
				utf8(out, cp);
				break;
			}
			default: return false;
			}
		}
	}
	bool number(value &v)
	{
		size_t start = i;
		if (i < t.size() && t[i] == '-')
			i++;
		size_t digits = i;
		while (i < t.size() && t[i] >= '0' && t[i] <= '9')
			i++;
		if (i == digits)
			return false;
		if (i < t.size() && t[i] == '.') {
			i++;
			size_t f = i;
			while (i < t.size() && t[i] >= '0' && t[i] <= '9')
				i++;
			if (i == f)
				return false;
		}
		if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
			i++;
			if (i < t.size() && (t[i] == '+' || t[i] == '-'))
				i++;
			size_t e = i;
			while (i < t.size() && t[i] >= '0' && t[i] <= '9')
				i++;
			if (i == e)
				return false;
		}
		v.kind = value::NUMBER;
		v.s.assign(t.data() + start, i - start);
		v.num = strtod(v.s.c_str(), nullptr);
		return true;
	}
	bool val(value &v, size_t depth)
	{
		if (depth > max_depth)
			return false;
		ws();
		if (i >= t.size())
			return false;
		char c = t[i];
		if (c == '{') {
			i++;
			v.kind = value::OBJECT;
			ws();
			if (i < t.size() && t[i] == '}') {
				i++;
				return true;
			}
			for (;;) {
				ws();
				std::pair<std::string, value> m;
				if (!string(m.first))
					return false;
				ws();
				if (i >= t.size() || t[i] != ':')
					return false;
				i++;
				if (!val(m.second, depth + 1))
					return false;
				v.o.push_back(std::move(m));
				ws();
				if (i < t.size() && t[i] == ',') {
					i++;
					continue;
				}
				if (i < t.size() && t[i] == '}') {
					i++;
					return true;
				}
				return false;
			}
		}
		if (c == '[') {
			i++;
			v.kind = value::ARRAY;
			ws();
			if (i < t.size() && t[i] == ']') {
				i++;
				return true;
			}
			for (;;) {
				v.a.emplace_back();
				if (!val(v.a.back(), depth + 1))
					return false;
				ws();
				if (i < t.size() && t[i] == ',') {
					i++;
					continue;
				}
				if (i < t.size() && t[i] == ']') {
					i++;
					return true;
				}
				return false;
			}
		}
		if (c == '"') {
			v.kind = value::STRING;
			return string(v.s);
		}
		if (lit("true", 4)) {
			v.kind = value::BOOL;
			v.b = true;
			return true;
		}
		if (lit("false", 5)) {
			v.kind = value::BOOL;
			return true;
		}
		if (lit("null", 4)) {
			v.kind = value::NUL;
			return true;
		}
		return number(v);
	}
};

} // namespace

bool parse(std::string_view text, value &out, size_t max_depth, size_t max_bytes)
{
	out = value();
	if (text.size() > max_bytes)
		return false;
	parser p{ text, 0, max_depth };
	if (!p.val(out, 0)) {
		out = value();
		return false;
	}
	p.ws();
	if (p.i != text.size()) {
		out = value();
		return false;
	}
	return true;
}

void put_string(std::string &out, std::string_view s)
{
	sinsp::json_escape(out, s); // the -j output's escaping (format/render.cpp)
}

void write(std::string &out, const value &v)
{
	switch (v.kind) {
	case value::NUL: out += "null"; break;
	case value::BOOL: out += v.b ? "true" : "false"; break;
	case value::NUMBER: out += v.s.empty() ? "0" : v.s; break;
	case value::STRING: put_string(out, v.s); break;
	case value::ARRAY:
		out += '[';
		for (size_t k = 0; k < v.a.size(); k++) {
			if (k)
				out += ',';
			write(out, v.a[k]);
		}
		out += ']';
		break;
	case value::OBJECT:
		out += '{';
		for (size_t k = 0; k < v.o.size(); k++) {
			if (k)
				out += ',';
			put_string(out, v.o[k].first);
			out += ':';
			write(out, v.o[k].second);
		}
		out += '}';
		break;
	}
}

std::string get_str(const value *obj, std::string_view key)
{
	const value *v = obj ? obj->get(key) : nullptr;
	return v ? v->str() : std::string();
}

int64_t get_i64(const value *obj, std::string_view key, int64_t def)
{
	const value *v = obj ? obj->get(key) : nullptr;
	return v ? v->i64(def) : def;
}

bool get_bool(const value *obj, std::string_view key, bool def)
{
	const value *v = obj ? obj->get(key) : nullptr;
	return v ? v->boolean(def) : def;
}

std::map<std::string, std::string> get_string_map(const value *obj)
{
	std::map<std::string, std::string> m;
	if (!obj || obj->kind != value::OBJECT)
		return m;
	for (const auto &kv : obj->o)
		m[kv.first] = kv.second.str();
	return m;
}

} // namespace sinsp::ctr::json
