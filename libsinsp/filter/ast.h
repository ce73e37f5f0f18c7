// SPDX-License-Identifier: Apache-2.0
//
// The filter language's syntax tree (docs/upstream-facts.md §8.6). The parser (parser.cpp) builds it from
// text, print() turns it back into canonical text (parse -> print -> parse gives the same tree),
// and the compiler (compiler.cpp) turns it into an evaluation tree over field_refs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sinsp::flt
{

// Operator ids are upstream's (EQ 1 ... REGEX 19).
enum class op : uint8_t {
	EQ = 1,
	NE = 2,
	LT = 3,
	LE = 4,
	GT = 5,
	GE = 6,
	CONTAINS = 7,
	IN = 8,
	EXISTS = 9,
	ICONTAINS = 10,
	STARTSWITH = 11,
	GLOB = 12,
	PMATCH = 13,
	ENDSWITH = 14,
	INTERSECTS = 15,
	BCONTAINS = 16,
	BSTARTSWITH = 17,
	IGLOB = 18,
	REGEX = 19,
};

enum class modifier : uint8_t { NONE, ONEOF, ANYOF, ALLOF };

enum class xform : uint8_t { TOLOWER, TOUPPER, B64, BASENAME, LEN, JOIN, CONCAT, GETOPT };

const char *op_name(op o);	       // "=", "contains", ...
const char *modifier_name(modifier m); // "oneof", ...
const char *xform_name(xform x);       // "tolower", ...

// Something that yields values per event: a field, a transformer over operands, or (only as a
// transformer argument) a literal string.
struct operand {
	enum kind_t : uint8_t { FIELD, TRANSFORMER, LITERAL } kind = FIELD;
	size_t pos = 0;	      // offset of the operand's first character in the filter text
	std::string name;     // FIELD: "proc.name", "evt.arg.fd"
	bool has_arg = false; // FIELD or TRANSFORMER followed by [arg]
	std::string arg;
	size_t arg_pos = 0;
	xform fn = xform::TOLOWER; // TRANSFORMER
	std::vector<operand> args; // TRANSFORMER arguments (fields, transformers, literals)
	std::string text;	   // LITERAL
};

// The right-hand side of a condition.
struct rhs {
	enum kind_t : uint8_t {
		NONE,	  // 'exists'
		STRING,	  // quoted or bare string
		NUMBER,	  // number token of a <, <=, >, >= comparison (original text kept)
		LIST,	  // ( a, b, c )
		LIST_REF, // identifier naming a list, resolved by the caller's symbols
		VALUE,	  // val(field) or a transformer: another field's value
	} kind = NONE;
	size_t pos = 0;
	std::string text;		// STRING, NUMBER, LIST_REF (name)
	std::vector<std::string> items; // LIST
	std::vector<size_t> item_pos;
	bool is_val = false; // VALUE written as val(field)
	operand src;	     // VALUE
};

struct expr {
	enum kind_t : uint8_t { AND, OR, NOT, CHECK, MACRO } kind = CHECK;
	size_t pos = 0;
	std::vector<std::unique_ptr<expr>> kids; // AND/OR: two or more, NOT: one
	// CHECK
	operand lhs;
	op cmp = op::EQ;
	size_t op_pos = 0;
	modifier mod = modifier::NONE;
	size_t mod_pos = 0;
	rhs value;
	// MACRO
	std::string name;
};

struct syntax_error {
	size_t pos = 0;
	std::string message; // ends with "at position N"
};

// Parses `text`; nullptr with err set on failure. Never throws (except std::bad_alloc).
std::unique_ptr<expr> parse(const std::string &text, syntax_error &err);

// true with the value when the whole text is one quoted string of the filter language ("a b",
// 'x', with its escapes): how Falco rules files write list items such as '"75-system-updat"'.
bool unquote(const std::string &text, std::string &out);

// Canonical filter text: single spaces, '=' for '==', minimal parentheses, strings quoted only
// when they would not read back as the same bare word.
std::string print(const expr &e);
std::string print(const operand &o);

// An unambiguous s-expression of the tree (node kinds, operators, values), for tests.
std::string dump(const expr &e);

// Maximum nesting of parentheses, 'not's and transformers: deeper input is rejected.
constexpr int max_depth = 200;

} // namespace sinsp::flt
