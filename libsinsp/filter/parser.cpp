// SPDX-License-Identifier: Apache-2.0
//
// Recursive-descent parser and canonical printer of the filter language (docs/upstream-facts.md §8.6).
// Positions are 0-based byte offsets into the filter text. Errors are thrown internally as
// syntax_error and caught in parse(); nothing escapes but std::bad_alloc.
#include "filter/ast.h"

#include <cstring>

namespace sinsp::flt
{

namespace
{

struct opdef {
	const char *text;
	op o;
	bool word; // a keyword (needs a boundary after it) rather than a symbol
};

// Longest symbols first so that "<=" wins over "<".
const opdef k_ops[] = {
	{ "==", op::EQ, false },
	{ "!=", op::NE, false },
	{ "<=", op::LE, false },
	{ ">=", op::GE, false },
	{ "=", op::EQ, false },
	{ "<", op::LT, false },
	{ ">", op::GT, false },
	{ "exists", op::EXISTS, true },
	{ "contains", op::CONTAINS, true },
	{ "icontains", op::ICONTAINS, true },
	{ "bcontains", op::BCONTAINS, true },
	{ "startswith", op::STARTSWITH, true },
	{ "bstartswith", op::BSTARTSWITH, true },
	{ "endswith", op::ENDSWITH, true },
	{ "glob", op::GLOB, true },
	{ "iglob", op::IGLOB, true },
	{ "pmatch", op::PMATCH, true },
	{ "intersects", op::INTERSECTS, true },
	{ "in", op::IN, true },
	{ "regex", op::REGEX, true },
};

struct xdef {
	const char *name;
	xform x;
};

const xdef k_xforms[] = {
	{ "tolower", xform::TOLOWER },	 { "toupper", xform::TOUPPER }, { "b64", xform::B64 },
	{ "basename", xform::BASENAME }, { "len", xform::LEN },		{ "join", xform::JOIN },
	{ "concat", xform::CONCAT },	 { "getopt", xform::GETOPT },
};

bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool is_word_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// StrValue bare characters: [^ \t\r\n(),="']
bool is_bare_value_char(char c)
{
	return !is_space(c) && c != '(' && c != ')' && c != ',' && c != '=' && c != '"' && c != '\'' && c != '\0';
}

// Field argument bare characters: [^ \t\r\n\[\]"']
bool is_bare_arg_char(char c)
{
	return !is_space(c) && c != '[' && c != ']' && c != '"' && c != '\'' && c != '\0';
}

bool is_operator_op(op o)
{
	return o == op::LT || o == op::LE || o == op::GT || o == op::GE;
}

bool is_list_op(op o)
{
	return o == op::IN || o == op::INTERSECTS || o == op::PMATCH;
}

std::string quote_for_message(const std::string &s)
{
	std::string out = "'";
	for (char c : s) {
		if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
			out += '?';
		} else {
			out += c;
		}
		if (out.size() > 60) {
			out += "...";
			break;
		}
	}
	return out + "'";
}

class parser
{
public:
	explicit parser(const std::string &text) : s_(text)
	{
	}

	std::unique_ptr<expr> parse_all()
	{
		skip_ws();
		if (at_end()) {
			fail(p_, "expected a condition");
		}
		auto e = parse_or("");
		skip_ws();
		if (!at_end()) {
			fail(p_, "expected 'and', 'or' or the end of the filter");
		}
		return e;
	}

	// The whole text is one quoted string ("..." or '...', with the filter's escapes).
	bool whole_quoted(std::string &out)
	{
		if (peek() != '"' && peek() != '\'') {
			return false;
		}
		out = lex_quoted();
		return at_end();
	}

	[[noreturn]] void fail(size_t pos, const std::string &what, const std::string &tail = "")
	{
		syntax_error err;
		err.pos = pos;
		err.message = what + " at position " + std::to_string(pos) + tail;
		throw err;
	}

private:
	const std::string &s_;
	size_t p_ = 0;
	int depth_ = 0;

	bool at_end() const
	{
		return p_ >= s_.size();
	}
	char peek(size_t off = 0) const
	{
		return p_ + off < s_.size() ? s_[p_ + off] : '\0';
	}

	void skip_ws()
	{
		while (!at_end() && is_space(s_[p_])) {
			p_++;
		}
	}

	void enter(size_t pos)
	{
		if (++depth_ > max_depth) {
			fail(pos, "filter nested too deeply (more than " + std::to_string(max_depth) + " levels)");
		}
	}

	// `kw` at p_, followed by whitespace, '(' or the end.
	bool keyword_at(const char *kw) const
	{
		size_t n = std::strlen(kw);
		if (s_.compare(p_, n, kw) != 0) {
			return false;
		}
		char next = p_ + n < s_.size() ? s_[p_ + n] : '\0';
		return next == '\0' || is_space(next) || next == '(';
	}

	std::unique_ptr<expr> parse_or(const std::string &after)
	{
		size_t start = p_;
		auto first = parse_and(after);
		skip_ws();
		if (!keyword_at("or")) {
			return first;
		}
		auto node = std::make_unique<expr>();
		node->kind = expr::OR;
		node->pos = start;
		add_child(*node, std::move(first));
		while (keyword_at("or")) {
			p_ += 2;
			add_child(*node, parse_and("'or'"));
			skip_ws();
		}
		return node;
	}

	std::unique_ptr<expr> parse_and(const std::string &after)
	{
		size_t start = p_;
		auto first = parse_not(after);
		skip_ws();
		if (!keyword_at("and")) {
			return first;
		}
		auto node = std::make_unique<expr>();
		node->kind = expr::AND;
		node->pos = start;
		add_child(*node, std::move(first));
		while (keyword_at("and")) {
			p_ += 3;
			add_child(*node, parse_not("'and'"));
			skip_ws();
		}
		return node;
	}

	// Associativity: (a and b) and c is the same tree as a and b and c.
	static void add_child(expr &parent, std::unique_ptr<expr> kid)
	{
		if (kid->kind == parent.kind) {
			for (auto &k : kid->kids) {
				parent.kids.push_back(std::move(k));
			}
		} else {
			parent.kids.push_back(std::move(kid));
		}
	}

	std::unique_ptr<expr> parse_not(const std::string &after)
	{
		skip_ws();
		int saved_depth = depth_;
		std::vector<size_t> nots;
		std::string ctx = after;
		while (keyword_at("not")) {
			enter(p_);
			nots.push_back(p_);
			p_ += 3;
			skip_ws();
			ctx = "'not'";
		}
		std::unique_ptr<expr> e;
		if (peek() == '(') {
			size_t open = p_;
			enter(open);
			p_++;
			skip_ws();
			e = parse_or("'('");
			skip_ws();
			if (peek() != ')') {
				if (at_end()) {
					fail(p_, "expected ')'",
					     " to close the '(' at position " + std::to_string(open));
				}
				fail(p_, "expected 'and', 'or' or ')'");
			}
			p_++;
		} else {
			e = parse_check(ctx);
		}
		for (size_t i = nots.size(); i-- > 0;) {
			auto n = std::make_unique<expr>();
			n->kind = expr::NOT;
			n->pos = nots[i];
			n->kids.push_back(std::move(e));
			e = std::move(n);
		}
		depth_ = saved_depth;
		return e;
	}

	// [A-Za-z_][A-Za-z0-9_]* ( '.' [A-Za-z0-9_]+ )*
	std::string lex_name()
	{
		size_t start = p_;
		if (!(is_alpha(peek()) || peek() == '_')) {
			return "";
		}
		while (is_word_char(peek())) {
			p_++;
		}
		while (peek() == '.' && is_word_char(peek(1))) {
			p_++;
			while (is_word_char(peek())) {
				p_++;
			}
		}
		return s_.substr(start, p_ - start);
	}

	static bool find_xform(const std::string &name, xform &x)
	{
		for (const auto &d : k_xforms) {
			if (name == d.name) {
				x = d.x;
				return true;
			}
		}
		return false;
	}

	std::unique_ptr<expr> parse_check(const std::string &after)
	{
		skip_ws();
		size_t start = p_;
		std::string what = after.empty() ? "expected a condition" : "expected a condition after " + after;
		std::string name = lex_name();
		if (name.empty()) {
			fail(start, what);
		}
		auto e = std::make_unique<expr>();
		e->pos = start;
		xform x;
		if (peek() == '(' && find_xform(name, x)) {
			p_ = start;
			e->lhs = parse_operand(false);
		} else if (name.find('.') != std::string::npos) {
			e->lhs = parse_field_rest(name, start);
		} else {
			if (peek() == '(') {
				fail(start, "unknown transformer '" + name + "'");
			}
			e->kind = expr::MACRO;
			e->name = name;
			return e;
		}
		e->kind = expr::CHECK;
		parse_condition(*e);
		return e;
	}

	// The name has been lexed; parse an optional [arg] right after it.
	operand parse_field_rest(const std::string &name, size_t start)
	{
		operand o;
		o.kind = operand::FIELD;
		o.pos = start;
		o.name = name;
		parse_arg(o);
		return o;
	}

	void parse_arg(operand &o)
	{
		if (peek() != '[') {
			return;
		}
		p_++;
		o.has_arg = true;
		o.arg_pos = p_;
		if (peek() == '"' || peek() == '\'') {
			o.arg = lex_quoted();
		} else {
			size_t a = p_;
			while (is_bare_arg_char(peek())) {
				p_++;
			}
			if (p_ == a) {
				fail(p_, "expected an argument after '['");
			}
			o.arg = s_.substr(a, p_ - a);
		}
		if (peek() != ']') {
			fail(p_, "expected ']' after the argument");
		}
		p_++;
	}

	// Field or transformer (allow_literal: a quoted string is accepted as a literal argument).
	operand parse_operand(bool allow_literal)
	{
		skip_ws();
		size_t start = p_;
		if (allow_literal && (peek() == '"' || peek() == '\'')) {
			operand o;
			o.kind = operand::LITERAL;
			o.pos = start;
			o.text = lex_quoted();
			return o;
		}
		std::string name = lex_name();
		xform x;
		if (!name.empty() && peek() == '(' && find_xform(name, x)) {
			enter(start);
			operand o;
			o.kind = operand::TRANSFORMER;
			o.pos = start;
			o.fn = x;
			p_++;
			parse_xform_args(o, name);
			parse_arg(o);
			depth_--;
			return o;
		}
		if (!name.empty() && name.find('.') != std::string::npos) {
			return parse_field_rest(name, start);
		}
		if (!name.empty() && peek() == '(') {
			fail(start, "unknown transformer '" + name + "'");
		}
		fail(start, allow_literal ? "expected a field, a transformer or a quoted string"
					  : "expected a field or a transformer");
	}

	// Literal string argument (quoted or bare).
	operand parse_literal_arg(const std::string &fname)
	{
		skip_ws();
		operand o;
		o.kind = operand::LITERAL;
		o.pos = p_;
		if (peek() == '"' || peek() == '\'') {
			o.text = lex_quoted();
		} else {
			size_t a = p_;
			while (is_bare_value_char(peek())) {
				p_++;
			}
			if (p_ == a) {
				fail(p_, "expected a string argument in '" + fname + "('");
			}
			o.text = s_.substr(a, p_ - a);
		}
		return o;
	}

	void expect_comma(const std::string &fname)
	{
		skip_ws();
		if (peek() != ',') {
			fail(p_, "expected ',' in '" + fname + "('");
		}
		p_++;
	}

	void parse_xform_args(operand &o, const std::string &fname)
	{
		switch (o.fn) {
		case xform::JOIN:
			o.args.push_back(parse_literal_arg(fname));
			expect_comma(fname);
			o.args.push_back(parse_operand(false));
			break;
		case xform::GETOPT:
			o.args.push_back(parse_operand(false));
			expect_comma(fname);
			o.args.push_back(parse_literal_arg(fname));
			break;
		case xform::CONCAT:
			o.args.push_back(parse_operand(true));
			expect_comma(fname);
			o.args.push_back(parse_operand(true));
			skip_ws();
			while (peek() == ',') {
				p_++;
				o.args.push_back(parse_operand(true));
				skip_ws();
			}
			break;
		default: o.args.push_back(parse_operand(false)); break;
		}
		skip_ws();
		if (peek() != ')') {
			fail(p_, o.fn == xform::CONCAT ? "expected ',' or ')' in 'concat('"
						       : "expected ')' to close '" + fname + "('");
		}
		p_++;
	}

	std::string lex_quoted()
	{
		size_t open = p_;
		char q = s_[p_++];
		std::string out;
		for (;;) {
			if (at_end()) {
				fail(open, "unterminated string");
			}
			char c = s_[p_];
			if (c == q) {
				p_++;
				return out;
			}
			if (c != '\\') {
				out += c;
				p_++;
				continue;
			}
			size_t esc = p_;
			p_++;
			if (at_end()) {
				fail(open, "unterminated string");
			}
			char e = s_[p_++];
			switch (e) {
			case '\\': out += '\\'; break;
			case '"': out += '"'; break;
			case '\'': out += '\''; break;
			case '/': out += '/'; break;
			case 'n': out += '\n'; break;
			case 'r': out += '\r'; break;
			case 't': out += '\t'; break;
			case 'b': out += '\b'; break;
			case 'f': out += '\f'; break;
			case 'x':
				if (!is_hex(peek()) || !is_hex(peek(1))) {
					fail(esc, "invalid escape sequence (\\x needs two hex digits)");
				}
				out += static_cast<char>(std::stoi(s_.substr(p_, 2), nullptr, 16));
				p_ += 2;
				break;
			default: fail(esc, "invalid escape sequence");
			}
		}
	}

	// A string value: quoted, or bare [^ \t\r\n(),="']+. Returns false if there is none.
	bool lex_str_value(std::string &out)
	{
		if (peek() == '"' || peek() == '\'') {
			out = lex_quoted();
			return true;
		}
		size_t a = p_;
		while (is_bare_value_char(peek())) {
			p_++;
		}
		if (p_ == a) {
			return false;
		}
		out = s_.substr(a, p_ - a);
		return true;
	}

	// 0x-hex | [+-]?digits[.digits][e[+-]digits]
	bool lex_number(std::string &out)
	{
		size_t a = p_;
		if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X') && is_hex(peek(2))) {
			p_ += 2;
			while (is_hex(peek())) {
				p_++;
			}
		} else {
			if (peek() == '+' || peek() == '-') {
				p_++;
			}
			if (!is_digit(peek())) {
				p_ = a;
				return false;
			}
			while (is_digit(peek())) {
				p_++;
			}
			if (peek() == '.') {
				p_++;
				while (is_digit(peek())) {
					p_++;
				}
			}
			if ((peek() == 'e' || peek() == 'E') &&
			    (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
				p_ += 2;
				while (is_digit(peek())) {
					p_++;
				}
			}
		}
		out = s_.substr(a, p_ - a);
		return true;
	}

	// val(field) or transformer at p_?
	bool value_operand_ahead() const
	{
		size_t q = p_;
		while (q < s_.size() && is_word_char(s_[q])) {
			q++;
		}
		if (q >= s_.size() || s_[q] != '(' || q == p_) {
			return false;
		}
		std::string w = s_.substr(p_, q - p_);
		xform x;
		return w == "val" || find_xform(w, x);
	}

	void parse_value_operand(rhs &r)
	{
		r.kind = rhs::VALUE;
		r.pos = p_;
		if (s_.compare(p_, 4, "val(") == 0) {
			enter(p_);
			p_ += 4;
			skip_ws();
			size_t fpos = p_;
			std::string name = lex_name();
			if (name.empty() || name.find('.') == std::string::npos) {
				fail(fpos, "expected a field after 'val('");
			}
			r.is_val = true;
			r.src = parse_field_rest(name, fpos);
			skip_ws();
			if (peek() != ')') {
				fail(p_, "expected ')' to close 'val('");
			}
			p_++;
			depth_--;
		} else {
			r.src = parse_operand(false);
		}
	}

	void parse_list(rhs &r)
	{
		// at '('
		r.kind = rhs::LIST;
		r.pos = p_;
		p_++;
		skip_ws();
		if (peek() == ')') {
			p_++;
			return;
		}
		for (;;) {
			skip_ws();
			size_t ipos = p_;
			std::string v;
			if (!lex_str_value(v)) {
				fail(p_, "expected a value in the list");
			}
			r.items.push_back(v);
			r.item_pos.push_back(ipos);
			skip_ws();
			if (peek() == ',') {
				p_++;
				continue;
			}
			if (peek() == ')') {
				p_++;
				return;
			}
			fail(p_, "expected ',' or ')' in the list");
		}
	}

	// ListValue after `what` (an operator or modifier name).
	void parse_list_value(rhs &r, const std::string &what, bool allow_value)
	{
		skip_ws();
		if (peek() == '(') {
			parse_list(r);
			return;
		}
		if (allow_value && value_operand_ahead()) {
			parse_value_operand(r);
			return;
		}
		size_t a = p_;
		if (is_alpha(peek()) || peek() == '_') {
			while (is_word_char(peek())) {
				p_++;
			}
			r.kind = rhs::LIST_REF;
			r.pos = a;
			r.text = s_.substr(a, p_ - a);
			return;
		}
		fail(p_, "expected a list after '" + what + "'");
	}

	void parse_condition(expr &e)
	{
		size_t before = p_;
		skip_ws();
		e.op_pos = p_;
		const opdef *found = nullptr;
		for (const auto &d : k_ops) {
			size_t n = std::strlen(d.text);
			if (s_.compare(p_, n, d.text) != 0) {
				continue;
			}
			if (d.word && (is_word_char(peek(n)) || peek(n) == '.')) {
				continue;
			}
			if (d.word && p_ == before) {
				continue; // "proc.nameexists" is not "proc.name exists"
			}
			found = &d;
			break;
		}
		if (!found) {
			fail(p_, "expected an operator after " + quote_for_message(print(e.lhs)));
		}
		e.cmp = found->o;
		p_ += std::strlen(found->text);
		std::string opq = std::string("'") + found->text + "'";
		if (e.cmp == op::EXISTS) {
			e.value.kind = rhs::NONE;
			return;
		}
		skip_ws();
		if (is_operator_op(e.cmp)) {
			if (value_operand_ahead()) {
				parse_value_operand(e.value);
				return;
			}
			e.value.kind = rhs::NUMBER;
			e.value.pos = p_;
			if (!lex_number(e.value.text)) {
				fail(p_, "expected a number after " + opq);
			}
			return;
		}
		if (is_list_op(e.cmp)) {
			parse_list_value(e.value, found->text, true);
			return;
		}
		// StrOp: modifier, val()/transformer or a string
		static const struct {
			const char *text;
			modifier m;
		} mods[] = { { "oneof", modifier::ONEOF }, { "anyof", modifier::ANYOF }, { "allof", modifier::ALLOF } };
		for (const auto &m : mods) {
			if (keyword_at(m.text)) {
				e.mod = m.m;
				e.mod_pos = p_;
				p_ += std::strlen(m.text);
				parse_list_value(e.value, m.text, false);
				return;
			}
		}
		if (value_operand_ahead()) {
			parse_value_operand(e.value);
			return;
		}
		e.value.kind = rhs::STRING;
		e.value.pos = p_;
		if (!lex_str_value(e.value.text)) {
			fail(p_, "expected a value after " + opq);
		}
	}
};

// ---- printing ----

bool is_reserved_word(const std::string &s)
{
	static const char *words[] = { "and", "or", "not", "oneof", "anyof", "allof" };
	for (const char *w : words) {
		if (s == w) {
			return true;
		}
	}
	return false;
}

bool bare_safe_char(char c)
{
	// c != '\0': strchr() finds the terminator, and a NUL must be printed quoted (as \x00)
	return is_word_char(c) || (c != '\0' && std::strchr("./:*?+@%~-", c) != nullptr);
}

std::string quote(const std::string &s)
{
	static const char hex[] = "0123456789abcdef";
	std::string out = "\"";
	for (char c : s) {
		unsigned char u = static_cast<unsigned char>(c);
		switch (c) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		case '\b': out += "\\b"; break;
		case '\f': out += "\\f"; break;
		default:
			if (u < 0x20 || u == 0x7f) {
				out += "\\x";
				out += hex[u >> 4];
				out += hex[u & 15];
			} else {
				out += c;
			}
		}
	}
	return out + "\"";
}

std::string print_value(const std::string &s)
{
	if (s.empty() || is_reserved_word(s)) {
		return quote(s);
	}
	for (char c : s) {
		if (!bare_safe_char(c)) {
			return quote(s);
		}
	}
	return s;
}

std::string print_arg(const std::string &s)
{
	if (s.empty()) {
		return quote(s);
	}
	for (char c : s) {
		if (!(is_word_char(c) || c == '.' || c == '/' || c == ':' || c == '-')) {
			return quote(s);
		}
	}
	return s;
}

void print_list(std::string &out, const std::vector<std::string> &items)
{
	out += '(';
	for (size_t i = 0; i < items.size(); i++) {
		if (i) {
			out += ", ";
		}
		out += print_value(items[i]);
	}
	out += ')';
}

void print_expr(std::string &out, const expr &e, expr::kind_t parent, bool has_parent)
{
	switch (e.kind) {
	case expr::OR:
	case expr::AND: {
		bool paren = has_parent && (parent == expr::NOT || (parent == expr::AND && e.kind == expr::OR));
		if (paren) {
			out += '(';
		}
		const char *sep = e.kind == expr::OR ? " or " : " and ";
		for (size_t i = 0; i < e.kids.size(); i++) {
			if (i) {
				out += sep;
			}
			print_expr(out, *e.kids[i], e.kind, true);
		}
		if (paren) {
			out += ')';
		}
		break;
	}
	case expr::NOT:
		out += "not ";
		print_expr(out, *e.kids[0], expr::NOT, true);
		break;
	case expr::MACRO: out += e.name; break;
	case expr::CHECK:
		out += print(e.lhs);
		out += ' ';
		out += op_name(e.cmp);
		if (e.mod != modifier::NONE) {
			out += ' ';
			out += modifier_name(e.mod);
		}
		switch (e.value.kind) {
		case rhs::NONE: break;
		case rhs::STRING: out += ' ' + print_value(e.value.text); break;
		case rhs::NUMBER: out += ' ' + e.value.text; break;
		case rhs::LIST:
			out += ' ';
			print_list(out, e.value.items);
			break;
		case rhs::LIST_REF: out += ' ' + e.value.text; break;
		case rhs::VALUE:
			out += ' ';
			if (e.value.is_val) {
				out += "val(" + print(e.value.src) + ")";
			} else {
				out += print(e.value.src);
			}
			break;
		}
		break;
	}
}

void dump_operand(std::string &out, const operand &o)
{
	switch (o.kind) {
	case operand::FIELD: out += "(field " + quote(o.name); break;
	case operand::LITERAL: out += "(lit " + quote(o.text) + ")"; return;
	case operand::TRANSFORMER:
		out += "(";
		out += xform_name(o.fn);
		for (const auto &a : o.args) {
			out += ' ';
			dump_operand(out, a);
		}
		break;
	}
	if (o.has_arg) {
		out += " [" + quote(o.arg) + "]";
	}
	out += ")";
}

void dump_expr(std::string &out, const expr &e)
{
	switch (e.kind) {
	case expr::AND:
	case expr::OR:
	case expr::NOT:
		out += e.kind == expr::AND ? "(and" : e.kind == expr::OR ? "(or" : "(not";
		for (const auto &k : e.kids) {
			out += ' ';
			dump_expr(out, *k);
		}
		out += ')';
		break;
	case expr::MACRO: out += "(macro " + e.name + ")"; break;
	case expr::CHECK:
		out += "(check ";
		dump_operand(out, e.lhs);
		out += ' ';
		out += std::to_string(static_cast<int>(e.cmp));
		if (e.mod != modifier::NONE) {
			out += ' ';
			out += modifier_name(e.mod);
		}
		switch (e.value.kind) {
		case rhs::NONE: break;
		case rhs::STRING: out += " (str " + quote(e.value.text) + ")"; break;
		case rhs::NUMBER: out += " (num " + e.value.text + ")"; break;
		case rhs::LIST:
			out += " (list";
			for (const auto &i : e.value.items) {
				out += ' ' + quote(i);
			}
			out += ')';
			break;
		case rhs::LIST_REF: out += " (listref " + e.value.text + ")"; break;
		case rhs::VALUE:
			out += e.value.is_val ? " (val " : " (xf ";
			dump_operand(out, e.value.src);
			out += ')';
			break;
		}
		out += ')';
		break;
	}
}

} // namespace

const char *op_name(op o)
{
	switch (o) {
	case op::EQ: return "=";
	case op::NE: return "!=";
	case op::LT: return "<";
	case op::LE: return "<=";
	case op::GT: return ">";
	case op::GE: return ">=";
	case op::CONTAINS: return "contains";
	case op::IN: return "in";
	case op::EXISTS: return "exists";
	case op::ICONTAINS: return "icontains";
	case op::STARTSWITH: return "startswith";
	case op::GLOB: return "glob";
	case op::PMATCH: return "pmatch";
	case op::ENDSWITH: return "endswith";
	case op::INTERSECTS: return "intersects";
	case op::BCONTAINS: return "bcontains";
	case op::BSTARTSWITH: return "bstartswith";
	case op::IGLOB: return "iglob";
	case op::REGEX: return "regex";
	}
	return "?";
}

const char *modifier_name(modifier m)
{
	switch (m) {
	case modifier::ONEOF: return "oneof";
	case modifier::ANYOF: return "anyof";
	case modifier::ALLOF: return "allof";
	case modifier::NONE: break;
	}
	return "";
}

const char *xform_name(xform x)
{
	for (const auto &d : k_xforms) {
		if (d.x == x) {
			return d.name;
		}
	}
	return "?";
}

std::unique_ptr<expr> parse(const std::string &text, syntax_error &err)
{
	parser p(text);
	try {
		return p.parse_all();
	} catch (const syntax_error &e) {
		err = e;
		return nullptr;
	}
}

bool unquote(const std::string &text, std::string &out)
{
	parser p(text);
	try {
		return p.whole_quoted(out);
	} catch (const syntax_error &) {
		return false;
	}
}

std::string print(const operand &o)
{
	std::string out;
	switch (o.kind) {
	case operand::FIELD: out = o.name; break;
	case operand::LITERAL: return quote(o.text);
	case operand::TRANSFORMER:
		out = xform_name(o.fn);
		out += '(';
		for (size_t i = 0; i < o.args.size(); i++) {
			if (i) {
				out += ", ";
			}
			out += print(o.args[i]);
		}
		out += ')';
		break;
	}
	if (o.has_arg) {
		out += '[' + print_arg(o.arg) + ']';
	}
	return out;
}

std::string print(const expr &e)
{
	std::string out;
	print_expr(out, e, expr::CHECK, false);
	return out;
}

std::string dump(const expr &e)
{
	std::string out;
	dump_expr(out, e);
	return out;
}

} // namespace sinsp::flt
