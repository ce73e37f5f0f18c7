// SPDX-License-Identifier: Apache-2.0
// A minimal JSON reader/writer for the filter test helpers (one document per line).
// Numbers keep their text (so 64-bit integers survive); \u escapes become UTF-8; on output,
// bytes >= 0x80 are written as \u00XX (Latin-1), so any byte string round-trips.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace json
{

struct value {
	enum kind_t { NUL, BOOL, NUMBER, STRING, ARRAY, OBJECT } kind = NUL;
	bool b = false;
	std::string s; // STRING, NUMBER (text)
	std::vector<value> a;
	std::vector<std::pair<std::string, value>> o;

	const value *get(const std::string &k) const
	{
		for (const auto &p : o) {
			if (p.first == k) {
				return &p.second;
			}
		}
		return nullptr;
	}
};

class reader
{
public:
	explicit reader(const std::string &t) : t_(t)
	{
	}
	value parse()
	{
		value v = parse_value();
		ws();
		if (p_ != t_.size()) {
			throw std::runtime_error("trailing data");
		}
		return v;
	}

private:
	const std::string &t_;
	size_t p_ = 0;

	void ws()
	{
		while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\n' || t_[p_] == '\r')) {
			p_++;
		}
	}
	char next()
	{
		if (p_ >= t_.size()) {
			throw std::runtime_error("unexpected end");
		}
		return t_[p_++];
	}
	void put_utf8(std::string &out, unsigned cp)
	{
		if (cp < 0x80) {
			out += static_cast<char>(cp);
		} else if (cp < 0x800) {
			out += static_cast<char>(0xc0 | (cp >> 6));
			out += static_cast<char>(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			out += static_cast<char>(0xe0 | (cp >> 12));
			out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
			out += static_cast<char>(0x80 | (cp & 0x3f));
		} else {
			out += static_cast<char>(0xf0 | (cp >> 18));
			out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
			out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
			out += static_cast<char>(0x80 | (cp & 0x3f));
		}
	}
	unsigned hex4()
	{
		unsigned v = 0;
		for (int i = 0; i < 4; i++) {
			char c = next();
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= static_cast<unsigned>(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= static_cast<unsigned>(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v |= static_cast<unsigned>(c - 'A' + 10);
			else
				throw std::runtime_error("bad \\u");
		}
		return v;
	}
	std::string parse_string()
	{
		std::string out;
		for (;;) {
			char c = next();
			if (c == '"') {
				return out;
			}
			if (c != '\\') {
				out += c;
				continue;
			}
			char e = next();
			switch (e) {
			case '"': out += '"'; break;
			case '\\': out += '\\'; break;
			case '/': out += '/'; break;
			case 'b': out += '\b'; break;
			case 'f': out += '\f'; break;
			case 'n': out += '\n'; break;
			case 'r': out += '\r'; break;
			case 't': out += '\t'; break;
			case 'u': {
				unsigned cp = hex4();
				if (cp >= 0xd800 && cp < 0xdc00 && p_ + 1 < t_.size() && t_[p_] == '\\' &&
				    t_[p_ + 1] == 'u') {
					p_ += 2;
					unsigned lo = hex4();
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				}
				put_utf8(out, cp);
				break;
			}
			default: throw std::runtime_error("bad escape");
			}
		}
	}
	value parse_value()
	{
		ws();
		value v;
		char c = next();
		if (c == '{') {
			v.kind = value::OBJECT;
			ws();
			if (p_ < t_.size() && t_[p_] == '}') {
				p_++;
				return v;
			}
			for (;;) {
				ws();
				if (next() != '"')
					throw std::runtime_error("expected key");
				std::string k = parse_string();
				ws();
				if (next() != ':')
					throw std::runtime_error("expected ':'");
				v.o.emplace_back(k, parse_value());
				ws();
				char d = next();
				if (d == '}')
					return v;
				if (d != ',')
					throw std::runtime_error("expected ','");
			}
		}
		if (c == '[') {
			v.kind = value::ARRAY;
			ws();
			if (p_ < t_.size() && t_[p_] == ']') {
				p_++;
				return v;
			}
			for (;;) {
				v.a.push_back(parse_value());
				ws();
				char d = next();
				if (d == ']')
					return v;
				if (d != ',')
					throw std::runtime_error("expected ','");
			}
		}
		if (c == '"') {
			v.kind = value::STRING;
			v.s = parse_string();
			return v;
		}
		if (t_.compare(p_ - 1, 4, "true") == 0) {
			p_ += 3;
			v.kind = value::BOOL;
			v.b = true;
			return v;
		}
		if (t_.compare(p_ - 1, 5, "false") == 0) {
			p_ += 4;
			v.kind = value::BOOL;
			return v;
		}
		if (t_.compare(p_ - 1, 4, "null") == 0) {
			p_ += 3;
			return v;
		}
		size_t a = p_ - 1;
		while (p_ < t_.size() && std::string("+-0123456789.eE").find(t_[p_]) != std::string::npos) {
			p_++;
		}
		v.kind = value::NUMBER;
		v.s = t_.substr(a, p_ - a);
		return v;
	}
};

inline std::string quote(const std::string &s)
{
	static const char hex[] = "0123456789abcdef";
	std::string out = "\"";
	for (char c : s) {
		unsigned char u = static_cast<unsigned char>(c);
		if (c == '"' || c == '\\') {
			out += '\\';
			out += c;
		} else if (u < 0x20 || u >= 0x7f) {
			out += "\\u00";
			out += hex[u >> 4];
			out += hex[u & 15];
		} else {
			out += c;
		}
	}
	return out + "\"";
}

} // namespace json
