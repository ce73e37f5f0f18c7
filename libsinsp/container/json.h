// SPDX-License-Identifier: Apache-2.0
// A small JSON document reader and writer for the container runtimes' answers (Docker Engine and
// libpod APIs, the CRI's verbose info) and upstream's container event JSON. Input comes from other
// processes: the reader bounds nesting depth and size, and never throws.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sinsp::ctr::json
{

struct value {
	enum kind_t : uint8_t { NUL, BOOL, NUMBER, STRING, ARRAY, OBJECT };
	kind_t kind = NUL;
	bool b = false;
	double num = 0;
	std::string s;				      // STRING; NUMBER: the number's text (64-bit integers survive)
	std::vector<value> a;			      // ARRAY
	std::vector<std::pair<std::string, value>> o; // OBJECT, in document order

	// Object member (nullptr when this is not an object or has no such key).
	const value *get(std::string_view key) const;
	// A member path of objects: at({"Config", "Image"}).
	const value *at(std::initializer_list<std::string_view> path) const;
	bool is_string() const
	{
		return kind == STRING;
	}
	bool is_object() const
	{
		return kind == OBJECT;
	}
	bool is_array() const
	{
		return kind == ARRAY;
	}
	// The value as text: strings as they are, numbers as written, booleans "true"/"false", else "".
	std::string str() const;
	// Numbers (and numeric strings) as integers; def for anything else.
	int64_t i64(int64_t def = 0) const;
	// Booleans; def for anything else.
	bool boolean(bool def = false) const;
};

// Parse a whole document (surrounding whitespace allowed). false on any syntax error, on nesting
// deeper than max_depth, or on input larger than max_bytes.
bool parse(std::string_view text, value &out, size_t max_depth = 64, size_t max_bytes = 64u << 20);

// Serialization helpers (compact output, keys in the given order).
void put_string(std::string &out, std::string_view s);
void write(std::string &out, const value &v);

// Helpers to get typed members with defaults.
std::string get_str(const value *obj, std::string_view key);
int64_t get_i64(const value *obj, std::string_view key, int64_t def = 0);
bool get_bool(const value *obj, std::string_view key, bool def = false);
// An object of string values as a map (other values are rendered with str()).
std::map<std::string, std::string> get_string_map(const value *obj);

} // namespace sinsp::ctr::json
