// SPDX-License-Identifier: Apache-2.0
//
// Filter compiler: syntax tree (ast.h) -> evaluation tree over field_refs (fields/field_api.h).
// Everything that can be decided once is decided here: field binding, operator/type checks,
// constant conversion (numbers, booleans, IPs/CIDRs, hex byte strings), regex compilation, sets
// for large lists. Evaluation reuses per-node value vectors, so a warm filter does not allocate
// for fixed-size values.
#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>
#include <string_view>
#include <unordered_set>

#include <re2/re2.h>

#include "filter/ast.h"
#include "filter/filter.h"

namespace sinsp
{

namespace
{

using flt::expr;
using flt::modifier;
using flt::op;
using flt::operand;
using flt::rhs;
using flt::xform;

struct compile_failure {
	size_t pos;
	std::string message;
};

[[noreturn]] void fail(size_t pos, const std::string &what)
{
	throw compile_failure{ pos, what + " at position " + std::to_string(pos) };
}

const char *ftype_name(ftype t)
{
	switch (t) {
	case ftype::INT64: return "INT64";
	case ftype::UINT64: return "UINT64";
	case ftype::STRING: return "STRING";
	case ftype::BYTES: return "BYTES";
	case ftype::BOOL: return "BOOL";
	case ftype::IPADDR: return "IPADDR";
	case ftype::IPNET: return "IPNET";
	case ftype::PORT: return "PORT";
	case ftype::ABSTIME: return "ABSTIME";
	case ftype::RELTIME: return "RELTIME";
	case ftype::DOUBLE: return "DOUBLE";
	}
	return "?";
}

// Comparison classes: values of one class compare with each other.
enum class tclass : uint8_t { NUM, STR, BOOL, IP };

tclass class_of(ftype t)
{
	switch (t) {
	case ftype::STRING:
	case ftype::BYTES: return tclass::STR;
	case ftype::BOOL: return tclass::BOOL;
	case ftype::IPADDR:
	case ftype::IPNET: return tclass::IP;
	default: return tclass::NUM;
	}
}

bool is_set_op(op o)
{
	return o == op::IN || o == op::INTERSECTS || o == op::PMATCH;
}

bool op_allowed(tclass c, op o)
{
	switch (c) {
	case tclass::STR: return true;
	case tclass::NUM:
		return o == op::EQ || o == op::NE || o == op::LT || o == op::LE || o == op::GT || o == op::GE ||
		       o == op::IN || o == op::INTERSECTS || o == op::EXISTS;
	case tclass::BOOL:
	case tclass::IP: return o == op::EQ || o == op::NE || o == op::IN || o == op::INTERSECTS || o == op::EXISTS;
	}
	return false;
}

// ---- value sources ----

class source
{
public:
	virtual ~source() = default;
	// Append this source's values for evt to out; false when not available.
	virtual bool get(const event &evt, std::vector<field_value> &out) = 0;
	ftype type = ftype::STRING;
	bool list = false;
	std::string label; // canonical text, for messages
};

class field_source : public source
{
public:
	explicit field_source(std::unique_ptr<field_ref> r) : ref(std::move(r))
	{
	}
	bool get(const event &evt, std::vector<field_value> &out) override
	{
		return ref->extract(evt, out);
	}
	std::unique_ptr<field_ref> ref;
};

class literal_source : public source
{
public:
	bool get(const event &, std::vector<field_value> &out) override
	{
		out.push_back(value);
		return true;
	}
	field_value value;
};

char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

char ascii_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

int b64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

// Standard base64 with '=' padding (padding optional); false on any other character.
bool b64_decode(const std::string &in, std::string &out)
{
	out.clear();
	size_t n = in.size();
	while (n > 0 && in[n - 1] == '=') {
		n--;
	}
	if (in.size() - n > 2 || n % 4 == 1) {
		return false;
	}
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int d = b64_digit(in[i]);
		if (d < 0) {
			return false;
		}
		acc = (acc << 6) | static_cast<uint32_t>(d);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out += static_cast<char>((acc >> bits) & 0xff);
		}
	}
	return true;
}

class xform_source : public source
{
public:
	xform fn = xform::TOLOWER;
	std::vector<std::unique_ptr<source>> args;
	std::string text_arg; // join separator, getopt optstring
	bool has_key = false;
	std::string key; // getopt option letter
	bool has_index = false;
	size_t index = 0; // [N] on other transformers
	std::vector<field_value> tmp, words;
	std::string buf;

	bool get(const event &evt, std::vector<field_value> &out) override
	{
		size_t base = out.size();
		if (!compute(evt, out)) {
			out.resize(base);
			return false;
		}
		if (has_index) {
			if (base + index >= out.size()) {
				out.resize(base);
				return false;
			}
			if (index > 0) {
				std::swap(out[base], out[base + index]);
			}
			out.resize(base + 1);
		}
		return true;
	}

private:
	bool compute(const event &evt, std::vector<field_value> &out)
	{
		size_t base = out.size();
		switch (fn) {
		case xform::TOLOWER:
		case xform::TOUPPER:
		case xform::BASENAME:
		case xform::B64:
			if (!args[0]->get(evt, out)) {
				return false;
			}
			for (size_t i = base; i < out.size(); i++) {
				std::string &s = out[i].s;
				if (fn == xform::TOLOWER) {
					for (char &c : s)
						c = ascii_lower(c);
				} else if (fn == xform::TOUPPER) {
					for (char &c : s)
						c = ascii_upper(c);
				} else if (fn == xform::BASENAME) {
					size_t slash = s.rfind('/');
					if (slash != std::string::npos) {
						s.erase(0, slash + 1);
					}
				} else {
					if (!b64_decode(s, buf)) {
						return false;
					}
					s.swap(buf);
				}
				out[i].type = type;
			}
			return true;
		case xform::LEN: {
			tmp.clear();
			if (!args[0]->get(evt, tmp)) {
				return false;
			}
			field_value v;
			v.type = ftype::UINT64;
			if (args[0]->list) {
				v.u = tmp.size();
			} else {
				if (tmp.empty()) {
					return false;
				}
				v.u = tmp[0].s.size();
			}
			out.push_back(std::move(v));
			return true;
		}
		case xform::JOIN: {
			tmp.clear();
			if (!args[0]->get(evt, tmp)) {
				return false;
			}
			field_value v;
			v.type = ftype::STRING;
			for (size_t i = 0; i < tmp.size(); i++) {
				if (i) {
					v.s += text_arg;
				}
				v.s += tmp[i].s;
			}
			out.push_back(std::move(v));
			return true;
		}
		case xform::CONCAT: {
			field_value v;
			v.type = ftype::STRING;
			for (auto &a : args) {
				tmp.clear();
				if (!a->get(evt, tmp)) {
					return false;
				}
				for (const auto &t : tmp) {
					v.s += t.s;
				}
			}
			out.push_back(std::move(v));
			return true;
		}
		case xform::GETOPT:
			tmp.clear();
			if (!args[0]->get(evt, tmp)) {
				return false;
			}
			if (!args[0]->list) {
				split_words();
			}
			getopt(out);
			return true;
		}
		return false;
	}

	// A single-valued argument (proc.args is one string) is split on blanks into words.
	void split_words()
	{
		words.clear();
		for (const auto &v : tmp) {
			size_t i = 0;
			while (i < v.s.size()) {
				while (i < v.s.size() && (v.s[i] == ' ' || v.s[i] == '\t')) {
					i++;
				}
				size_t start = i;
				while (i < v.s.size() && v.s[i] != ' ' && v.s[i] != '\t') {
					i++;
				}
				if (i > start) {
					words.emplace_back();
					words.back().type = ftype::STRING;
					words.back().s.assign(v.s, start, i - start);
				}
			}
		}
		tmp.swap(words);
	}

	// POSIX short options: stops at the first non-option or after "--"; "-abc" groups flags,
	// "-bVAL" and "-b VAL" give an argument to 'b:'; unknown letters are skipped.
	// Without a key: one value per option occurrence, the letter. With [x]: the arguments of x
	// ("" for each occurrence of a flag without argument).
	void getopt(std::vector<field_value> &out)
	{
		for (size_t i = 0; i < tmp.size(); i++) {
			const std::string &a = tmp[i].s;
			if (a == "--" || a.size() < 2 || a[0] != '-') {
				return;
			}
			for (size_t j = 1; j < a.size(); j++) {
				char c = a[j];
				size_t at = c == ':' ? std::string::npos : text_arg.find(c);
				if (at == std::string::npos) {
					continue;
				}
				bool takes_arg = at + 1 < text_arg.size() && text_arg[at + 1] == ':';
				std::string optarg;
				if (takes_arg) {
					if (j + 1 < a.size()) {
						optarg = a.substr(j + 1);
					} else if (i + 1 < tmp.size()) {
						optarg = tmp[++i].s;
					} else {
						optarg.clear();
					}
				}
				if (!has_key || key[0] == c) {
					field_value v;
					v.type = ftype::STRING;
					v.s = has_key ? optarg : std::string(1, c);
					out.push_back(std::move(v));
				}
				if (takes_arg) {
					break;
				}
			}
		}
	}
};

// ---- constants ----

struct rhs_item {
	field_value v;
	int prefix = -1; // IP: CIDR prefix length, -1 = exact address
	std::unique_ptr<RE2> re;
};

bool parse_int64(const std::string &t, int64_t &out)
{
	if (t.empty()) {
		return false;
	}
	size_t i = (t[0] == '+' || t[0] == '-') ? 1 : 0;
	if (i >= t.size() || !(t[i] >= '0' && t[i] <= '9')) {
		return false;
	}
	int base = (t.size() > i + 2 && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X')) ? 16 : 10;
	errno = 0;
	char *end = nullptr;
	long long v = std::strtoll(t.c_str(), &end, base);
	if (errno != 0 || end != t.c_str() + t.size()) {
		return false;
	}
	out = v;
	return true;
}

bool parse_uint64(const std::string &t, uint64_t &out)
{
	if (t.empty()) {
		return false;
	}
	size_t i = t[0] == '+' ? 1 : 0;
	if (i >= t.size() || !(t[i] >= '0' && t[i] <= '9')) {
		return false;
	}
	int base = (t.size() > i + 2 && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X')) ? 16 : 10;
	errno = 0;
	char *end = nullptr;
	unsigned long long v = std::strtoull(t.c_str(), &end, base);
	if (errno != 0 || end != t.c_str() + t.size()) {
		return false;
	}
	out = v;
	return true;
}

bool parse_double(const std::string &t, double &out)
{
	if (t.empty() || t[0] == '\0' || std::strchr("+-.0123456789", t[0]) == nullptr) {
		return false;
	}
	errno = 0;
	char *end = nullptr;
	double v = std::strtod(t.c_str(), &end);
	if (end != t.c_str() + t.size() || std::isnan(v)) {
		return false;
	}
	out = v;
	return true;
}

// "10.0.0.1", "10.0.0.0/8", "2001:db8::1", "2001:db8::/32"
bool parse_ip(const std::string &t, rhs_item &out)
{
	std::string addr = t;
	int prefix = -1;
	size_t slash = t.find('/');
	if (slash != std::string::npos) {
		addr = t.substr(0, slash);
		std::string bits = t.substr(slash + 1);
		if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos) {
			return false;
		}
		prefix = std::atoi(bits.c_str());
	}
	field_value &v = out.v;
	if (inet_pton(AF_INET, addr.c_str(), v.ip) == 1) {
		v.ip_family = 4;
		if (prefix > 32) {
			return false;
		}
	} else if (inet_pton(AF_INET6, addr.c_str(), v.ip) == 1) {
		v.ip_family = 6;
		if (prefix > 128) {
			return false;
		}
	} else {
		return false;
	}
	out.prefix = prefix;
	return true;
}

int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool parse_hex(const std::string &t, std::string &out)
{
	if (t.size() % 2 != 0) {
		return false;
	}
	out.clear();
	for (size_t i = 0; i < t.size(); i += 2) {
		int hi = hex_nibble(t[i]), lo = hex_nibble(t[i + 1]);
		if (hi < 0 || lo < 0) {
			return false;
		}
		out += static_cast<char>(hi * 16 + lo);
	}
	return true;
}

// ---- comparisons ----

// -1, 0, 1, or 2 when unordered (NaN).
int num_cmp(const field_value &a, const field_value &b)
{
	auto is_double = [](const field_value &v) { return v.type == ftype::DOUBLE; };
	auto is_unsigned = [](const field_value &v) { return v.type == ftype::UINT64 || v.type == ftype::PORT; };
	if (is_double(a) || is_double(b)) {
		auto as_d = [&](const field_value &v) {
			return is_double(v)	? v.d
			       : is_unsigned(v) ? static_cast<double>(v.u)
						: static_cast<double>(v.i);
		};
		double x = as_d(a), y = as_d(b);
		if (std::isnan(x) || std::isnan(y)) {
			return 2;
		}
		return x < y ? -1 : x > y ? 1 : 0;
	}
	bool ua = is_unsigned(a), ub = is_unsigned(b);
	if (ua && ub) {
		return a.u < b.u ? -1 : a.u > b.u ? 1 : 0;
	}
	if (!ua && !ub) {
		return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
	}
	if (ua) { // a unsigned, b signed
		if (b.i < 0)
			return 1;
		uint64_t y = static_cast<uint64_t>(b.i);
		return a.u < y ? -1 : a.u > y ? 1 : 0;
	}
	if (a.i < 0)
		return -1;
	uint64_t x = static_cast<uint64_t>(a.i);
	return x < b.u ? -1 : x > b.u ? 1 : 0;
}

bool ip_match(const field_value &l, const rhs_item &r)
{
	if (l.ip_family != r.v.ip_family || (l.ip_family != 4 && l.ip_family != 6)) {
		return false;
	}
	int nbytes = l.ip_family == 4 ? 4 : 16;
	int bits = r.prefix < 0 ? nbytes * 8 : r.prefix;
	int full = bits / 8;
	if (std::memcmp(l.ip, r.v.ip, static_cast<size_t>(full)) != 0) {
		return false;
	}
	int rest = bits % 8;
	if (rest == 0) {
		return true;
	}
	uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
	return (l.ip[full] & mask) == (r.v.ip[full] & mask);
}

bool ci_contains(const std::string &hay, const std::string &needle)
{
	if (needle.size() > hay.size()) {
		return false;
	}
	for (size_t i = 0; i + needle.size() <= hay.size(); i++) {
		size_t j = 0;
		while (j < needle.size() && ascii_lower(hay[i + j]) == ascii_lower(needle[j])) {
			j++;
		}
		if (j == needle.size()) {
			return true;
		}
	}
	return false;
}

bool starts_with(const std::string &s, const std::string &p)
{
	return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

bool ends_with(const std::string &s, const std::string &p)
{
	return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

// path is prefix, or lies under the directory prefix.
// One pattern element at pat[p] ('?', a [set], an escaped or plain byte) against byte x; on a
// match, *next is the position after the element.
bool glob_one(const std::string &pat, size_t p, unsigned char x, bool fold, size_t *next)
{
	auto low = [fold](unsigned char c) { return fold ? (unsigned char)tolower(c) : c; };
	unsigned char c = (unsigned char)pat[p];
	if (c == '?') {
		*next = p + 1;
		return true;
	}
	if (c == '[') {
		size_t q = p + 1;
		bool neg = q < pat.size() && (pat[q] == '!' || pat[q] == '^');
		if (neg) {
			q++;
		}
		bool hit = false;
		for (bool first = true; q < pat.size(); first = false) {
			unsigned char lo = (unsigned char)pat[q];
			if (lo == ']' && !first) {
				*next = q + 1;
				return hit != neg;
			}
			if (lo == '\\' && q + 1 < pat.size()) {
				lo = (unsigned char)pat[++q];
			}
			q++;
			unsigned char hi = lo;
			if (q + 1 < pat.size() && pat[q] == '-' && pat[q + 1] != ']') {
				q++;
				if (pat[q] == '\\' && q + 1 < pat.size()) {
					q++;
				}
				hi = (unsigned char)pat[q++];
			}
			if (low(lo) <= low(x) && low(x) <= low(hi)) {
				hit = true;
			}
		}
		// an unclosed '[' is an ordinary byte
	} else if (c == '\\' && p + 1 < pat.size()) {
		c = (unsigned char)pat[++p];
	}
	*next = p + 1;
	return low(c) == low(x);
}

// fnmatch(3) without flags (FNM_CASEFOLD for iglob) over byte strings that may hold NULs: '*'
// any bytes ('/' included), '?' one byte, [set] with ranges and '!'/'^' negation, '\\' escapes.
// Linear backtracking to the last '*' (enough for globs: a later '*' subsumes earlier choices).
bool glob_match(const std::string &pat, const std::string &s, bool fold)
{
	size_t p = 0, i = 0, star_p = std::string::npos, star_i = 0, next = 0;
	while (i < s.size()) {
		if (p < pat.size() && pat[p] == '*') {
			star_p = ++p;
			star_i = i;
		} else if (p < pat.size() && glob_one(pat, p, (unsigned char)s[i], fold, &next)) {
			p = next;
			i++;
		} else if (star_p != std::string::npos) {
			p = star_p;
			i = ++star_i;
		} else {
			return false;
		}
	}
	while (p < pat.size() && pat[p] == '*') {
		p++;
	}
	return p == pat.size();
}

bool path_match(const std::string &path, const std::string &prefix)
{
	if (prefix.empty() || !starts_with(path, prefix)) {
		return false;
	}
	return path.size() == prefix.size() || prefix.back() == '/' || path[prefix.size()] == '/';
}

bool test_one(tclass cls, op o, const field_value &l, const rhs_item &r)
{
	switch (cls) {
	case tclass::NUM: {
		int c = num_cmp(l, r.v);
		switch (o) {
		case op::EQ: return c == 0;
		case op::LT: return c == -1;
		case op::LE: return c == -1 || c == 0;
		case op::GT: return c == 1;
		case op::GE: return c == 1 || c == 0;
		default: return false;
		}
	}
	case tclass::BOOL: return o == op::EQ && (l.i != 0) == (r.v.i != 0);
	case tclass::IP: return o == op::EQ && ip_match(l, r);
	case tclass::STR: break;
	}
	const std::string &a = l.s, &b = r.v.s;
	switch (o) {
	case op::EQ: return a == b;
	case op::LT: return a.compare(b) < 0;
	case op::LE: return a.compare(b) <= 0;
	case op::GT: return a.compare(b) > 0;
	case op::GE: return a.compare(b) >= 0;
	case op::CONTAINS:
	case op::BCONTAINS: return a.find(b) != std::string::npos;
	case op::ICONTAINS: return ci_contains(a, b);
	case op::STARTSWITH:
	case op::BSTARTSWITH: return starts_with(a, b);
	case op::ENDSWITH: return ends_with(a, b);
	case op::GLOB: return glob_match(b, a, false);
	case op::IGLOB: return glob_match(b, a, true);
	case op::REGEX: return r.re && RE2::FullMatch(a, *r.re);
	case op::PMATCH: return path_match(a, b);
	default: return false;
	}
}

// ---- evaluation tree ----

class enode
{
public:
	virtual ~enode() = default;
	virtual bool eval(const event &evt) = 0;
};

} // namespace

// A macro compiled once (filter_cache): its tree, the value it had at the cache's last epoch
// (event), and what it used.
struct filter_cache::entry {
	std::unique_ptr<enode> node;
	std::shared_ptr<uint64_t> epoch;
	uint64_t seen = 0;
	bool value = false;
	std::set<std::string> macros, lists;

	// The value when it is known for this event, else -1.
	int known() const
	{
		return seen == *epoch ? value : -1;
	}
};

namespace
{

class and_node : public enode
{
public:
	std::vector<std::unique_ptr<enode>> kids;
	std::vector<filter_cache::entry *> memo; // per kid: its macro's entry when it is one (no call then)
	bool eval(const event &evt) override
	{
		for (size_t i = 0; i < kids.size(); i++) {
			int v = memo[i] ? memo[i]->known() : -1;
			if (v == 0 || (v < 0 && !kids[i]->eval(evt))) {
				return false;
			}
		}
		return true;
	}
};

class or_node : public enode
{
public:
	std::vector<std::unique_ptr<enode>> kids;
	bool eval(const event &evt) override
	{
		for (auto &k : kids) {
			if (k->eval(evt)) {
				return true;
			}
		}
		return false;
	}
};

class not_node : public enode
{
public:
	std::unique_ptr<enode> kid;
	filter_cache::entry *memo = nullptr; // the kid's macro entry when it is one
	bool eval(const event &evt) override
	{
		int v = memo ? memo->known() : -1;
		return v < 0 ? !kid->eval(evt) : v == 0;
	}
};

class check_node : public enode
{
public:
	std::unique_ptr<source> lhs;
	op o = op::EQ;
	modifier mod = modifier::NONE;
	tclass cls = tclass::STR;
	std::vector<rhs_item> items;	 // constant right-hand side (one value, a list, or modifier list)
	std::unique_ptr<source> rhs_src; // val(field) / transformer right-hand side
	bool use_set = false;		 // string `in`/`intersects` over a large list
	std::unordered_set<std::string> strset;
	std::vector<field_value> numset;		    // sorted integers: `in`/`intersects` over a large list
	bool use_count = false;				    // string `=`/`!=` with a modifier over a large list
	std::unordered_map<std::string, uint32_t> strcount; // item -> how many times it is listed
	std::vector<field_value> lv, rv, all;
	std::vector<rhs_item> dyn;
	bool each = false; // FF_EACH field (proc.aname): true when the condition holds for one value

	bool eval(const event &evt) override
	{
		lv.clear();
		bool ok = lhs->get(evt, lv);
		if (o == op::EXISTS) {
			return ok;
		}
		if (!ok || lv.empty()) {
			return false;
		}
		if (each && lv.size() > 1) {
			return decide_each(evt);
		}
		return decide(evt);
	}

private:
	// The condition on each value alone, until one holds.
	bool decide_each(const event &evt)
	{
		all.swap(lv);
		lv.resize(1);
		bool hit = false;
		for (auto &v : all) {
			std::swap(lv[0], v);
			hit = decide(evt);
			std::swap(lv[0], v);
			if (hit) {
				break;
			}
		}
		lv.swap(all);
		return hit;
	}

	bool decide(const event &evt)
	{
		if (rhs_src) {
			rv.clear();
			if (!rhs_src->get(evt, rv) || rv.empty()) {
				return false;
			}
			if (dyn.size() < rv.size()) {
				dyn.resize(rv.size());
			}
			size_t n = is_set_op(o) ? rv.size() : 1;
			for (size_t i = 0; i < n; i++) {
				std::swap(dyn[i].v, rv[i]);
			}
			return is_set_op(o) ? set_test(dyn, n, false) : single(dyn[0]);
		}
		if (mod != modifier::NONE && use_count) {
			size_t eq_hits = 0;
			for (size_t i = 0; i < lv.size(); i++) {
				bool repeated = false;
				for (size_t j = 0; j < i && !repeated; j++) {
					repeated = lv[j].s == lv[i].s;
				}
				if (!repeated) {
					auto it = strcount.find(lv[i].s);
					eq_hits += it == strcount.end() ? 0 : it->second;
				}
			}
			size_t hits = o == op::EQ ? eq_hits : items.size() - eq_hits;
			switch (mod) {
			case modifier::ONEOF: return hits == 1;
			case modifier::ANYOF: return hits > 0;
			default: return hits == items.size();
			}
		}
		if (mod != modifier::NONE) {
			size_t hits = 0;
			for (const auto &r : items) {
				bool m = single(r);
				if (m) {
					hits++;
					if (mod == modifier::ANYOF || (mod == modifier::ONEOF && hits > 1)) {
						break;
					}
				} else if (mod == modifier::ALLOF) {
					return false;
				}
			}
			switch (mod) {
			case modifier::ONEOF: return hits == 1;
			case modifier::ANYOF: return hits > 0;
			default: return true; // ALLOF: no miss
			}
		}
		if (is_set_op(o)) {
			return set_test(items, items.size(), use_set);
		}
		return single(items[0]);
	}

private:
	// Any left value matches; '!=' is "no left value equals".
	bool single(const rhs_item &r)
	{
		if (o == op::NE) {
			for (const auto &l : lv) {
				if (test_one(cls, op::EQ, l, r)) {
					return false;
				}
			}
			return true;
		}
		for (const auto &l : lv) {
			if (test_one(cls, o, l, r)) {
				return true;
			}
		}
		return false;
	}

	bool in_set(const field_value &l, const std::vector<rhs_item> &set, size_t n, bool hashed)
	{
		if (hashed) {
			if (cls == tclass::NUM) {
				auto it = std::lower_bound(
					numset.begin(), numset.end(), l,
					[](const field_value &a, const field_value &b) { return num_cmp(a, b) < 0; });
				return it != numset.end() && num_cmp(*it, l) == 0;
			}
			return strset.count(l.s) != 0;
		}
		for (size_t i = 0; i < n; i++) {
			if (test_one(cls, op::EQ, l, set[i])) {
				return true;
			}
		}
		return false;
	}

	bool set_test(const std::vector<rhs_item> &set, size_t n, bool hashed)
	{
		switch (o) {
		case op::IN:
			for (const auto &l : lv) {
				if (!in_set(l, set, n, hashed)) {
					return false;
				}
			}
			return true;
		case op::INTERSECTS:
			for (const auto &l : lv) {
				if (in_set(l, set, n, hashed)) {
					return true;
				}
			}
			return false;
		default: // PMATCH
			for (const auto &l : lv) {
				for (size_t i = 0; i < n; i++) {
					if (path_match(l.s, set[i].v.s)) {
						return true;
					}
				}
			}
			return false;
		}
	}
};

// A single-valued numeric field (with field_ref::extract_scalar()) against one number: what
// check_node does for it (one left value, no vector), e.g. evt.num=0, thread.tid!=42.
class num_check_node : public enode
{
public:
	std::unique_ptr<source> lhs; // the field_source of ref
	field_ref *ref = nullptr;
	field_ref::scalar_fn fn = nullptr; // ref's extract_scalar(), called directly
	const void *ctx = nullptr;
	op o = op::EQ;
	rhs_item item;
	field_value v;

protected:
	// check_node's test of the one value
	bool generic() const
	{
		return o == op::NE ? !test_one(tclass::NUM, op::EQ, v, item) : test_one(tclass::NUM, o, v, item);
	}
};

// The same, specialized by operator and by the constant's type (unsigned: v.u, else v.i): when
// the field gives a value of the constant's type, num_cmp() is one comparison.
template <op O, bool UNSIGNED> class num_check_fast : public num_check_node
{
public:
	bool eval(const event &evt) override
	{
		if (!fn(evt, ctx, v)) {
			return false;
		}
		if (v.type != item.v.type) {
			return generic();
		}
		auto a = UNSIGNED ? v.u : (uint64_t)0;
		auto b = UNSIGNED ? item.v.u : (uint64_t)0;
		int64_t x = UNSIGNED ? 0 : v.i, y = UNSIGNED ? 0 : item.v.i;
		bool lt = UNSIGNED ? a < b : x < y, eq = UNSIGNED ? a == b : x == y;
		switch (O) {
		case op::EQ: return eq;
		case op::NE: return !eq;
		case op::LT: return lt;
		case op::LE: return lt || eq;
		case op::GT: return !lt && !eq;
		default: return !lt; // GE
		}
	}
};

template <bool UNSIGNED> std::unique_ptr<num_check_node> make_num_check(op o)
{
	switch (o) {
	case op::EQ: return std::make_unique<num_check_fast<op::EQ, UNSIGNED>>();
	case op::NE: return std::make_unique<num_check_fast<op::NE, UNSIGNED>>();
	case op::LT: return std::make_unique<num_check_fast<op::LT, UNSIGNED>>();
	case op::LE: return std::make_unique<num_check_fast<op::LE, UNSIGNED>>();
	case op::GT: return std::make_unique<num_check_fast<op::GT, UNSIGNED>>();
	default: return std::make_unique<num_check_fast<op::GE, UNSIGNED>>();
	}
}

} // namespace

// A field's view at the cache's last epoch, shared by the filters that compare that field.
struct filter_cache::view {
	std::unique_ptr<field_ref> ref; // its own binding of the field
	std::shared_ptr<uint64_t> epoch;
	uint64_t seen = 0;
	int r = 0;
	std::string_view v;
};

filter_cache::filter_cache() : m_epoch(std::make_shared<uint64_t>(1))
{
}

filter_cache::~filter_cache() = default;

void filter_cache::clear()
{
	m_macros.clear(); // the views stay: they do not depend on the symbols
}

namespace
{

class memo_node : public enode
{
public:
	std::shared_ptr<filter_cache::entry> e;
	bool eval(const event &evt) override
	{
		if (e->seen != *e->epoch) {
			e->value = e->node->eval(evt);
			e->seen = *e->epoch;
		}
		return e->value;
	}
};

// check_node's equivalent for a string field read as a view (field_ref::extract_view()) against
// constants: =, !=, startswith, endswith, contains one value; in/intersects a set.
class str_check_node : public enode
{
public:
	field_ref *ref = nullptr; // owned by slow
	op o = op::EQ;
	std::vector<std::string> values;
	std::unordered_set<std::string_view> set; // views of values (large lists only)
	std::unique_ptr<enode> slow;		  // the check_node, for events without a view
	std::shared_ptr<filter_cache::view> memo; // with a filter_cache: the view, once per event

	bool eval(const event &evt) override
	{
		std::string_view v;
		int r;
		if (memo) {
			if (memo->seen != *memo->epoch) {
				memo->r = memo->ref->extract_view(evt, memo->v);
				memo->seen = *memo->epoch;
			}
			r = memo->r;
			v = memo->v;
		} else {
			r = ref->extract_view(evt, v);
		}
		if (r < 0) {
			return slow->eval(evt);
		}
		if (r == 0) {
			return false;
		}
		switch (o) {
		case op::EQ: return v == values[0];
		case op::NE: return v != values[0];
		case op::STARTSWITH:
			return v.size() >= values[0].size() && v.compare(0, values[0].size(), values[0]) == 0;
		case op::ENDSWITH:
			return v.size() >= values[0].size() &&
			       v.compare(v.size() - values[0].size(), values[0].size(), values[0]) == 0;
		case op::CONTAINS: return v.find(values[0]) != std::string_view::npos;
		default: // IN, INTERSECTS of one value
			if (!set.empty()) {
				return set.count(v) != 0;
			}
			for (const auto &x : values) {
				if (v == x) {
					return true;
				}
			}
			return false;
		}
	}
};

class compiled_filter : public filter
{
public:
	std::unique_ptr<enode> root;
	bool run(const event &evt) override
	{
		return root->eval(evt);
	}
};

// ---- compiler ----

class compiler
{
public:
	compiler(const field_registry &reg, const filter_symbols *sym, filter_info *info, filter_cache *cache)
	    : reg_(reg), sym_(sym), info_(info), cache_(cache)
	{
	}

	// Where the expression may be true (t) and may be false (f), as sets of evt.type values:
	// the negations pushed down to the checks (De Morgan), as upstream's event-type resolver.
	struct type_sets {
		evttype_set t, f;
	};

	type_sets types_of(const expr &e)
	{
		switch (e.kind) {
		case expr::AND: {
			type_sets r{ evttype_set::every(), evttype_set::none() };
			for (const auto &k : e.kids) {
				type_sets c = types_of(*k);
				r.t = r.t.intersect(c.t);
				r.f = r.f.merge(c.f);
			}
			return r;
		}
		case expr::OR: {
			type_sets r{ evttype_set::none(), evttype_set::every() };
			for (const auto &k : e.kids) {
				type_sets c = types_of(*k);
				r.t = r.t.merge(c.t);
				r.f = r.f.intersect(c.f);
			}
			return r;
		}
		case expr::NOT: {
			type_sets c = types_of(*e.kids[0]);
			return type_sets{ c.f, c.t };
		}
		case expr::MACRO: {
			const expr *tree = macro_tree(e.name);
			if (!tree ||
			    std::find(types_stack_.begin(), types_stack_.end(), e.name) != types_stack_.end()) {
				return type_sets{ evttype_set::every(), evttype_set::every() };
			}
			types_stack_.push_back(e.name);
			type_sets r = types_of(*tree);
			types_stack_.pop_back();
			return r;
		}
		case expr::CHECK: break;
		}
		const operand &l = e.lhs;
		bool evttype =
			l.kind == operand::FIELD && l.name == "evt.type" && !l.has_arg && e.mod == modifier::NONE;
		if (evttype && e.cmp == op::EXISTS) {
			return type_sets{ evttype_set::every(), evttype_set::none() };
		}
		if (evttype && (e.cmp == op::EQ || e.cmp == op::NE || e.cmp == op::IN)) {
			evttype_set names = evttype_set::none();
			switch (e.value.kind) {
			case rhs::STRING: names.names.insert(e.value.text); break;
			case rhs::LIST:
			case rhs::LIST_REF:
				for (const auto &v : list_values(e.value, false)) {
					names.names.insert(v.first);
				}
				break;
			default: return type_sets{ evttype_set::every(), evttype_set::every() };
			}
			if (e.cmp == op::NE) {
				return type_sets{ names.complement(), names };
			}
			return type_sets{ names, names.complement() };
		}
		return type_sets{ evttype_set::every(), evttype_set::every() };
	}

	std::unique_ptr<enode> compile(const expr &e)
	{
		switch (e.kind) {
		case expr::AND: {
			auto n = std::make_unique<and_node>();
			for (const auto &k : e.kids) {
				n->kids.push_back(compile(*k));
				auto *m = dynamic_cast<memo_node *>(n->kids.back().get());
				n->memo.push_back(m ? m->e.get() : nullptr);
			}
			return n;
		}
		case expr::OR: {
			auto n = std::make_unique<or_node>();
			for (const auto &k : e.kids) {
				n->kids.push_back(compile(*k));
			}
			return n;
		}
		case expr::NOT: {
			auto n = std::make_unique<not_node>();
			n->kid = compile(*e.kids[0]);
			if (auto *m = dynamic_cast<memo_node *>(n->kid.get())) {
				n->memo = m->e.get();
			}
			return n;
		}
		case expr::MACRO: return compile_macro(e);
		case expr::CHECK: return compile_check(e);
		}
		fail(e.pos, "internal error: unknown node");
	}

private:
	const field_registry &reg_;
	const filter_symbols *sym_;
	filter_info *info_;
	filter_cache *cache_;
	std::vector<std::string> macro_stack_;
	std::vector<std::string> types_stack_;
	std::map<std::string, std::unique_ptr<expr>> macro_trees_; // parsed once per compilation

	// The parsed text of a macro (nullptr if undefined or not parsing).
	const expr *macro_tree(const std::string &name)
	{
		auto it = macro_trees_.find(name);
		if (it != macro_trees_.end()) {
			return it->second.get();
		}
		const std::string *text = nullptr;
		if (sym_) {
			auto m = sym_->macros.find(name);
			if (m != sym_->macros.end()) {
				text = &m->second;
			}
		}
		std::unique_ptr<expr> tree;
		if (text) {
			flt::syntax_error serr;
			tree = flt::parse(*text, serr);
		}
		return (macro_trees_[name] = std::move(tree)).get();
	}

	// The values of a (...) list or a list reference, with their positions: a list name among
	// the items of (...) stands for that list's items (Falco's `in (shell_binaries, sudo)`).
	// record: note the lists used in info_.
	std::vector<std::pair<std::string, size_t>> list_values(const rhs &r, bool record)
	{
		std::vector<std::pair<std::string, size_t>> out;
		auto named = [&](const std::string &name) -> const std::vector<std::string> * {
			if (!sym_) {
				return nullptr;
			}
			auto it = sym_->lists.find(name);
			return it == sym_->lists.end() ? nullptr : &it->second;
		};
		if (r.kind == rhs::LIST_REF) {
			const std::vector<std::string> *list = named(r.text);
			if (!list) {
				fail(r.pos, "undefined list '" + r.text + "'");
			}
			if (record && info_) {
				info_->lists.insert(r.text);
			}
			for (const auto &v : *list) {
				out.emplace_back(v, r.pos);
			}
			return out;
		}
		for (size_t i = 0; i < r.items.size(); i++) {
			const std::vector<std::string> *list = named(r.items[i]);
			if (!list) {
				out.emplace_back(r.items[i], r.item_pos[i]);
				continue;
			}
			if (record && info_) {
				info_->lists.insert(r.items[i]);
			}
			for (const auto &v : *list) {
				out.emplace_back(v, r.item_pos[i]);
			}
		}
		return out;
	}

	std::unique_ptr<enode> compile_macro(const expr &e)
	{
		const std::string *text = nullptr;
		if (sym_) {
			auto it = sym_->macros.find(e.name);
			if (it != sym_->macros.end()) {
				text = &it->second;
			}
		}
		if (!text) {
			fail(e.pos, "undefined macro '" + e.name + "'");
		}
		for (const auto &m : macro_stack_) {
			if (m == e.name) {
				fail(e.pos, "macro '" + e.name + "' refers to itself");
			}
		}
		if (macro_stack_.size() >= 32) {
			fail(e.pos, "macros nested too deeply");
		}
		flt::syntax_error serr;
		auto tree = flt::parse(*text, serr);
		if (!tree) {
			fail(e.pos, "in macro '" + e.name + "' (" + serr.message + ")");
		}
		if (info_) {
			info_->macros.insert(e.name);
		}
		if (cache_) {
			auto it = cache_->m_macros.find(e.name);
			if (it != cache_->m_macros.end()) {
				if (info_) {
					info_->macros.insert(it->second->macros.begin(), it->second->macros.end());
					info_->lists.insert(it->second->lists.begin(), it->second->lists.end());
				}
				auto m = std::make_unique<memo_node>();
				m->e = it->second;
				return m;
			}
		}
		macro_stack_.push_back(e.name);
		filter_info inner, *outer = info_;
		if (cache_) {
			info_ = &inner; // what this macro uses, for the cache entry
		}
		try {
			auto n = compile(*tree);
			macro_stack_.pop_back();
			info_ = outer;
			if (!cache_) {
				return n;
			}
			auto entry = std::make_shared<filter_cache::entry>();
			entry->node = std::move(n);
			entry->epoch = cache_->m_epoch;
			entry->macros = std::move(inner.macros);
			entry->lists = std::move(inner.lists);
			if (info_) {
				info_->macros.insert(entry->macros.begin(), entry->macros.end());
				info_->lists.insert(entry->lists.begin(), entry->lists.end());
			}
			cache_->m_macros[e.name] = entry;
			auto m = std::make_unique<memo_node>();
			m->e = std::move(entry);
			return m;
		} catch (const compile_failure &f) {
			info_ = outer;
			fail(e.pos, "in macro '" + e.name + "' (" + f.message + ")");
		}
	}

	std::unique_ptr<source> bind_field(const operand &o)
	{
		std::string err;
		auto ref = reg_.bind(o.name, o.has_arg ? &o.arg : nullptr, err);
		if (!ref) {
			fail(o.pos, err.empty() ? "unknown field '" + o.name + "'" : err);
		}
		const field_def &d = ref->def();
		if (d.flags & FF_PRINT_ONLY) {
			fail(o.pos, "field '" + d.name + "' can only be used in outputs");
		}
		if ((d.flags & FF_ARG_REQUIRED) && ref->arg().empty()) {
			fail(o.pos, "field '" + d.name + "' requires an argument");
		}
		if (o.has_arg && !(d.flags & (FF_ARG_ALLOWED | FF_ARG_REQUIRED))) {
			fail(o.arg_pos, "field '" + d.name + "' does not take an argument");
		}
		auto s = std::make_unique<field_source>(std::move(ref));
		s->type = d.type;
		s->list = (d.flags & FF_LIST) != 0;
		s->label = flt::print(o);
		return s;
	}

	std::unique_ptr<source> build(const operand &o)
	{
		if (o.kind == operand::FIELD) {
			return bind_field(o);
		}
		if (o.kind == operand::LITERAL) {
			auto s = std::make_unique<literal_source>();
			s->type = ftype::STRING;
			s->value.type = ftype::STRING;
			s->value.s = o.text;
			s->label = flt::print(o);
			return s;
		}
		auto x = std::make_unique<xform_source>();
		x->fn = o.fn;
		x->label = flt::print(o);
		std::string fname = flt::xform_name(o.fn);
		auto need_str = [&](const source &a, const operand &ao) {
			if (class_of(a.type) != tclass::STR) {
				fail(ao.pos, "'" + fname + "' needs a string argument, '" + a.label + "' is " +
						     ftype_name(a.type));
			}
		};
		switch (o.fn) {
		case xform::JOIN:
			x->text_arg = o.args[0].text;
			x->args.push_back(build(o.args[1]));
			need_str(*x->args[0], o.args[1]);
			x->type = ftype::STRING;
			break;
		case xform::GETOPT:
			x->args.push_back(build(o.args[0]));
			need_str(*x->args[0], o.args[0]);
			x->text_arg = o.args[1].text;
			x->type = ftype::STRING;
			x->list = true;
			break;
		case xform::CONCAT:
			for (const auto &a : o.args) {
				x->args.push_back(build(a));
				need_str(*x->args.back(), a);
			}
			x->type = ftype::STRING;
			break;
		case xform::LEN:
			x->args.push_back(build(o.args[0]));
			if (!x->args[0]->list) {
				need_str(*x->args[0], o.args[0]);
			}
			x->type = ftype::UINT64;
			break;
		default:
			x->args.push_back(build(o.args[0]));
			need_str(*x->args[0], o.args[0]);
			x->type = o.fn == xform::B64 ? ftype::STRING : x->args[0]->type;
			x->list = x->args[0]->list;
			break;
		}
		if (o.has_arg) {
			if (o.fn == xform::GETOPT) {
				if (o.arg.size() != 1 || o.arg[0] == ':' ||
				    x->text_arg.find(o.arg[0]) == std::string::npos) {
					fail(o.arg_pos,
					     "'getopt' key must be one option letter of '" + x->text_arg + "'");
				}
				x->has_key = true;
				x->key = o.arg;
			} else {
				uint64_t idx;
				if (o.arg.find_first_not_of("0123456789") != std::string::npos ||
				    !parse_uint64(o.arg, idx)) {
					fail(o.arg_pos,
					     "the index of '" + fname + "(...)' must be a non-negative integer");
				}
				x->has_index = true;
				x->index = static_cast<size_t>(idx);
				x->list = false;
			}
		}
		return x;
	}

	void convert(const check_node &n, const std::string &text, size_t pos, rhs_item &out)
	{
		ftype t = n.lhs->type;
		auto bad = [&](const char *what) {
			fail(pos, std::string("invalid ") + what + " '" + text + "' for '" + n.lhs->label + "' (" +
					  ftype_name(t) + ")");
		};
		out.v.type = t;
		switch (class_of(t)) {
		case tclass::STR:
			if (n.o == op::BCONTAINS || n.o == op::BSTARTSWITH) {
				if (!parse_hex(text, out.v.s)) {
					bad("hex string");
				}
			} else {
				out.v.s = text;
			}
			if (n.o == op::REGEX) {
				RE2::Options opts;
				opts.set_log_errors(false);
				out.re = std::make_unique<RE2>(text, opts);
				if (!out.re->ok()) {
					fail(pos, "invalid regular expression '" + text + "': " + out.re->error());
				}
			}
			return;
		case tclass::BOOL:
			if (text == "true") {
				out.v.i = 1;
			} else if (text == "false") {
				out.v.i = 0;
			} else {
				bad("boolean (true or false)");
			}
			return;
		case tclass::IP:
			if (!parse_ip(text, out)) {
				bad("IP address or network");
			}
			return;
		case tclass::NUM: break;
		}
		switch (t) {
		case ftype::UINT64:
			if (!parse_uint64(text, out.v.u)) {
				bad("unsigned number");
			}
			return;
		case ftype::PORT:
			if (!parse_uint64(text, out.v.u) || out.v.u > 65535) {
				bad("port");
			}
			return;
		case ftype::DOUBLE:
			if (!parse_double(text, out.v.d)) {
				bad("number");
			}
			return;
		default:
			if (!parse_int64(text, out.v.i)) {
				bad("number");
			}
			return;
		}
	}

	std::unique_ptr<enode> compile_check(const expr &e)
	{
		auto n = std::make_unique<check_node>();
		n->lhs = build(e.lhs);
		n->o = e.cmp;
		n->mod = e.mod;
		n->cls = class_of(n->lhs->type);
		if (!op_allowed(n->cls, e.cmp)) {
			fail(e.op_pos, std::string("operator '") + flt::op_name(e.cmp) + "' cannot be used with '" +
					       n->lhs->label + "' (" + ftype_name(n->lhs->type) + ")");
		}
		const rhs &r = e.value;
		switch (r.kind) {
		case rhs::NONE: break;
		case rhs::STRING:
		case rhs::NUMBER:
			n->items.emplace_back();
			convert(*n, r.text, r.pos, n->items.back());
			break;
		case rhs::LIST:
		case rhs::LIST_REF:
			for (const auto &v : list_values(r, true)) {
				n->items.emplace_back();
				convert(*n, v.first, v.second, n->items.back());
			}
			break;
		case rhs::VALUE:
			if (e.cmp == op::REGEX) {
				fail(r.pos, "'regex' needs a constant pattern");
			}
			n->rhs_src = build(r.src);
			if (class_of(n->rhs_src->type) != n->cls) {
				fail(r.pos, "cannot compare '" + n->lhs->label + "' (" + ftype_name(n->lhs->type) +
						    ") with '" + n->rhs_src->label + "' (" +
						    ftype_name(n->rhs_src->type) + ")");
			}
			break;
		}
		if (auto *fs = dynamic_cast<field_source *>(n->lhs.get()); fs && fs->ref->def().each) {
			n->each = true;
		}
		if (auto *fs = dynamic_cast<field_source *>(n->lhs.get()); fs && !n->items.empty()) {
			std::vector<std::string> values;
			for (const auto &i : n->items) {
				values.push_back(i.v.s);
			}
			fs->ref->watch_values(values);
		}
		if (n->cls == tclass::STR && e.mod != modifier::NONE && (e.cmp == op::EQ || e.cmp == op::NE) &&
		    n->items.size() > 8) {
			n->use_count = true;
			for (const auto &i : n->items) {
				n->strcount[i.v.s]++;
			}
		}
		if (n->cls == tclass::STR && (e.cmp == op::IN || e.cmp == op::INTERSECTS) && n->items.size() > 8) {
			n->use_set = true;
			for (const auto &i : n->items) {
				n->strset.insert(i.v.s);
			}
		}
		if (n->cls == tclass::NUM && n->lhs->type != ftype::DOUBLE &&
		    (e.cmp == op::IN || e.cmp == op::INTERSECTS) && n->items.size() > 8) {
			n->use_set = true; // integers only: a total order (no NaN)
			for (const auto &i : n->items) {
				n->numset.push_back(i.v);
			}
			std::sort(n->numset.begin(), n->numset.end(),
				  [](const field_value &a, const field_value &b) { return num_cmp(a, b) < 0; });
		}
		if (auto fast = numeric_fast_path(*n)) {
			return fast;
		}
		return string_fast_path(std::move(n), e.lhs);
	}

	// A single-valued string field with field_ref::extract_view() against constants: compared
	// without copying the value; check_node does the events the view cannot give (-1).
	std::unique_ptr<enode> string_fast_path(std::unique_ptr<check_node> n, const operand &lhs)
	{
		bool single = n->o == op::EQ || n->o == op::NE || n->o == op::STARTSWITH || n->o == op::ENDSWITH ||
			      n->o == op::CONTAINS;
		bool set = n->o == op::IN || n->o == op::INTERSECTS;
		auto *fs = dynamic_cast<field_source *>(n->lhs.get());
		if (!fs || n->lhs->type != ftype::STRING || n->lhs->list || n->mod != modifier::NONE || n->rhs_src ||
		    !(single || set) || (single && n->items.size() != 1) || !fs->ref->has_view()) {
			return n;
		}
		auto f = std::make_unique<str_check_node>();
		f->ref = fs->ref.get();
		f->o = n->o;
		for (const auto &i : n->items) {
			f->values.push_back(i.v.s);
		}
		if (set && f->values.size() > 8) {
			for (const auto &v : f->values) {
				f->set.insert(v);
			}
		}
		f->slow = std::move(n);
		if (cache_ && lhs.kind == operand::FIELD) {
			std::string key = flt::print(lhs);
			auto &m = cache_->m_views[key];
			if (!m) {
				std::string err;
				auto ref = reg_.bind(lhs.name, lhs.has_arg ? &lhs.arg : nullptr, err);
				if (ref && ref->has_view()) {
					m = std::make_shared<filter_cache::view>();
					m->ref = std::move(ref);
					m->epoch = cache_->m_epoch;
				}
			}
			f->memo = m;
		}
		return f;
	}

	// check_node's equivalent for a scalar numeric field against one number, or nullptr.
	static std::unique_ptr<enode> numeric_fast_path(check_node &n)
	{
		bool cmp = n.o == op::EQ || n.o == op::NE || n.o == op::LT || n.o == op::LE || n.o == op::GT ||
			   n.o == op::GE;
		if (n.cls != tclass::NUM || !cmp || n.mod != modifier::NONE || n.rhs_src || n.items.size() != 1 ||
		    n.lhs->list) {
			return nullptr;
		}
		auto *fs = dynamic_cast<field_source *>(n.lhs.get());
		const void *ctx = nullptr;
		field_ref::scalar_fn fn = fs && fs->ref->has_scalar() ? fs->ref->scalar_function(ctx) : nullptr;
		if (!fn) {
			return nullptr;
		}
		ftype t = n.items[0].v.type;
		if (t == ftype::DOUBLE) {
			return nullptr; // NaN: num_cmp()'s unordered case
		}
		auto f =
			t == ftype::UINT64 || t == ftype::PORT ? make_num_check<true>(n.o) : make_num_check<false>(n.o);
		f->ref = fs->ref.get();
		f->fn = fn;
		f->ctx = ctx;
		f->lhs = std::move(n.lhs);
		f->o = n.o;
		f->item = std::move(n.items[0]);
		return f;
	}
};

std::string excerpt_line(const std::string &text, size_t pos, size_t &caret)
{
	const size_t half = 60;
	size_t from = pos > half ? pos - half : 0;
	size_t to = std::min(text.size(), pos + half);
	std::string line;
	if (from > 0) {
		line = "...";
	}
	caret = line.size() + (pos - from);
	for (size_t i = from; i < to; i++) {
		unsigned char c = static_cast<unsigned char>(text[i]);
		line += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
	}
	if (to < text.size()) {
		line += "...";
	}
	return line;
}

} // namespace

evttype_set evttype_set::intersect(const evttype_set &o) const
{
	evttype_set r;
	if (!all_but && !o.all_but) { // A & B
		r.all_but = false;
		std::set_intersection(names.begin(), names.end(), o.names.begin(), o.names.end(),
				      std::inserter(r.names, r.names.end()));
	} else if (all_but && o.all_but) { // ~A & ~B = ~(A | B)
		r.names = names;
		r.names.insert(o.names.begin(), o.names.end());
	} else { // A & ~B = A - B
		const evttype_set &fin = all_but ? o : *this, &cof = all_but ? *this : o;
		r.all_but = false;
		std::set_difference(fin.names.begin(), fin.names.end(), cof.names.begin(), cof.names.end(),
				    std::inserter(r.names, r.names.end()));
	}
	return r;
}

evttype_set evttype_set::merge(const evttype_set &o) const
{
	// A | B = ~(~A & ~B)
	return complement().intersect(o.complement()).complement();
}

std::unique_ptr<filter> compile_filter(const std::string &text, const field_registry &reg, filter_error &err,
				       const filter_symbols *symbols, filter_info *info, filter_cache *cache)
{
	flt::syntax_error serr;
	auto tree = flt::parse(text, serr);
	if (!tree) {
		err.pos = serr.pos;
		err.message = serr.message;
		return nullptr;
	}
	try {
		filter_info scratch;
		compiler c(reg, symbols, info ? &scratch : nullptr, cache);
		auto f = std::make_unique<compiled_filter>();
		f->root = c.compile(*tree);
		if (info) {
			scratch.evttypes = c.types_of(*tree).t;
			*info = std::move(scratch);
		}
		return f;
	} catch (const compile_failure &f) {
		err.pos = f.pos;
		err.message = f.message;
		return nullptr;
	}
}

namespace
{

void collect_references(const flt::expr &e, std::set<std::string> &macros, std::set<std::string> &words)
{
	switch (e.kind) {
	case flt::expr::MACRO: macros.insert(e.name); return;
	case flt::expr::CHECK:
		if (e.value.kind == flt::rhs::LIST_REF) {
			words.insert(e.value.text);
		} else if (e.value.kind == flt::rhs::LIST) {
			words.insert(e.value.items.begin(), e.value.items.end());
		}
		return;
	default:
		for (const auto &k : e.kids) {
			collect_references(*k, macros, words);
		}
	}
}

} // namespace

bool filter_references(const std::string &text, std::set<std::string> &macros, std::set<std::string> &words,
		       filter_error &err)
{
	flt::syntax_error serr;
	auto tree = flt::parse(text, serr);
	if (!tree) {
		err.pos = serr.pos;
		err.message = serr.message;
		return false;
	}
	collect_references(*tree, macros, words);
	return true;
}

bool check_filter_syntax(const std::string &text, filter_error &err)
{
	flt::syntax_error serr;
	if (!flt::parse(text, serr)) {
		err.pos = serr.pos;
		err.message = serr.message;
		return false;
	}
	return true;
}

bool canonical_filter(const std::string &text, std::string &out, filter_error &err)
{
	flt::syntax_error serr;
	auto tree = flt::parse(text, serr);
	if (!tree) {
		err.pos = serr.pos;
		err.message = serr.message;
		return false;
	}
	out = flt::print(*tree);
	return true;
}

std::string describe_filter_error(const std::string &text, const filter_error &err)
{
	size_t caret = 0;
	std::string line = excerpt_line(text, std::min(err.pos, text.size()), caret);
	return err.message + "\n" + line + "\n" + std::string(caret, ' ') + "^";
}

} // namespace sinsp
