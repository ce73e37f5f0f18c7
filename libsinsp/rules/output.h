// SPDX-License-Identifier: Apache-2.0
// A rule's output: the "%field" message of a Falco rule, rendered as text (fields missing for the
// event as <NA>) and as the output_fields of a JSON alert (typed values, null when missing).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fields/field_api.h"

namespace sinsp::rules
{

class output_format
{
public:
	// false with err ("unknown field 'x' (did you mean 'y'?) at position 12") and pos set.
	bool compile(const std::string &text, std::string &err, size_t &pos);
	// Append the message to out.
	void text(const event &evt, std::string &out);
	// Each field as `"key":value` (JSON), into fields, keyed as written (proc.aname[2]).
	void json_fields(const event &evt, std::map<std::string, std::string> &fields);

	// JSON helpers shared with the alert writer.
	static void json_string(std::string &out, const std::string &s);

private:
	struct token {
		std::string literal; // text before the field
		std::unique_ptr<field_ref> field;
		std::string key;   // the field as written
		int json_kind = 1; // 0: a bare JSON value (numbers, booleans), 1: a string, 2: a list, 3: a time (ns)
	};
	void json_value(const event &evt, token &t, std::string &out);

	std::vector<token> m_tokens;
	std::string m_tail;
	std::vector<field_value> m_vals;
	std::string m_tmp;
};

} // namespace sinsp::rules
