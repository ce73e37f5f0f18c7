// SPDX-License-Identifier: Apache-2.0
// Output formats (docs/upstream-facts.md §8.8), the field listing and batch extraction: C API of sinsp/format.h.
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <new>

#include "capi_guard.h"
#include "fields/registry.h"
#include "format/render.h"
#include "inspector_impl.h"
#include "sinsp/format.h"

namespace sinsp
{

namespace
{

struct token {
	std::string literal;		  // text before the field (or the whole tail)
	std::unique_ptr<field_ref> field; // nullptr for the trailing literal
	std::string key;		  // the field as written (JSON key)
	int width = -1;
	int json_kind = 0; // 0: a bare JSON value (numbers, booleans), 1: a string, 2: a list
};

void json_value(std::string &out, const field_value &v)
{
	char buf[64];
	switch (v.type) {
	case ftype::INT64:
		snprintf(buf, sizeof(buf), "%" PRId64, v.i);
		out += buf;
		break;
	case ftype::UINT64:
	case ftype::PORT:
		snprintf(buf, sizeof(buf), "%" PRIu64, v.u);
		out += buf;
		break;
	case ftype::ABSTIME:
	case ftype::RELTIME:
		snprintf(buf, sizeof(buf), "%" PRId64, v.i);
		out += buf;
		break;
	case ftype::BOOL: out += v.i ? "true" : "false"; break;
	case ftype::DOUBLE:
		snprintf(buf, sizeof(buf), "%.17g", v.d);
		out += buf;
		break;
	default: json_escape(out, render_field_value(v)); break;
	}
}

} // namespace

class formatter
{
public:
	bool compile(const std::string &fmt, bool json, std::string &err, int &err_pos)
	{
		m_json = json;
		size_t pos = 0;
		if (!fmt.empty() && fmt[0] == '*') {
			m_star = true;
			pos = 1;
		}
		const field_registry &reg = builtin_field_registry();
		std::string lit;
		while (pos < fmt.size()) {
			char c = fmt[pos];
			if (c != '%') {
				lit += c;
				pos++;
				continue;
			}
			if (pos + 1 < fmt.size() && fmt[pos + 1] == '%') {
				lit += '%';
				pos += 2;
				continue;
			}
			size_t p = pos + 1;
			int width = -1;
			while (p < fmt.size() && fmt[p] >= '0' && fmt[p] <= '9') {
				width = (width < 0 ? 0 : width * 10) + (fmt[p] - '0');
				if (width > 4096) { // before it overflows; a wider column pads every line
					err_pos = (int)(pos + 1);
					err = "invalid format at position " + std::to_string(pos + 1) +
					      ": a width larger than 4096";
					return false;
				}
				p++;
			}
			size_t len = reg.match_prefix(fmt, p);
			if (len == 0) {
				size_t e = p;
				while (e < fmt.size() && fmt[e] != ' ' && fmt[e] != '%')
					e++;
				std::string bad = fmt.substr(p, e - p);
				std::string why;
				reg.bind(bad, nullptr, why);
				err_pos = (int)p;
				err = "invalid format at position " + std::to_string(p) + ": " +
				      (why.empty() ? "no field after '%'" : why);
				return false;
			}
			std::string name = fmt.substr(p, len);
			p += len;
			std::string arg;
			bool has_arg = false;
			if (p < fmt.size() && fmt[p] == '[') {
				size_t close = fmt.find(']', p);
				if (close == std::string::npos) {
					err_pos = (int)p;
					err = "invalid format at position " + std::to_string(p) + ": missing ']'";
					return false;
				}
				arg = fmt.substr(p + 1, close - p - 1);
				has_arg = true;
				p = close + 1;
			}
			std::string why;
			auto ref = reg.bind(name, has_arg ? &arg : nullptr, why);
			if (!ref) {
				err_pos = (int)(pos + 1);
				err = "invalid format at position " + std::to_string(pos + 1) + ": " + why;
				return false;
			}
			token t;
			t.literal = std::move(lit);
			lit.clear();
			t.field = std::move(ref);
			t.key = has_arg ? name + "[" + arg + "]" : name;
			t.width = width;
			const field_def &d = t.field->def();
			if (d.flags & FF_LIST)
				t.json_kind = 2;
			else if (d.type == ftype::INT64 || d.type == ftype::UINT64 || d.type == ftype::PORT ||
				 d.type == ftype::ABSTIME || d.type == ftype::RELTIME || d.type == ftype::BOOL ||
				 d.type == ftype::DOUBLE)
				t.json_kind = 0;
			else
				t.json_kind = 1;
			m_tokens.push_back(std::move(t));
			pos = p;
		}
		m_tail = lit;
		return true;
	}

	// false: a field is missing and the format has no '*'
	bool format(const event &e, std::string &out)
	{
		out.clear();
		if (m_json)
			return format_json(e, out);
		for (auto &t : m_tokens) {
			out += t.literal;
			size_t start = out.size();
			if (!t.field->render(e, out)) {
				out.resize(start);
				if (!m_star)
					return false;
				out += "<NA>";
			}
			if (t.width >= 0) {
				size_t n = out.size() - start;
				if (n > (size_t)t.width)
					out.resize(start + t.width);
				else
					out.append(t.width - n, ' ');
			}
		}
		out += m_tail;
		return true;
	}

	std::string line;

private:
	bool format_json(const event &e, std::string &out)
	{
		out += '{';
		bool first = true;
		for (auto &t : m_tokens) {
			if (!first)
				out += ',';
			first = false;
			json_escape(out, t.key);
			out += ':';
			if (t.json_kind == 1) {
				m_tmp.clear();
				if (!t.field->render(e, m_tmp)) {
					if (!m_star)
						return false;
					out += "null";
				} else {
					json_escape(out, m_tmp);
				}
				continue;
			}
			// numbers and booleans: their value, not their text (which may be padded, as the
			// nine-digit .ns fields are: 000000835 is not a JSON number)
			m_vals.clear();
			if (t.json_kind == 0) {
				if (!t.field->extract(e, m_vals) || m_vals.empty()) {
					if (!m_star)
						return false;
					out += "null";
				} else {
					json_value(out, m_vals[0]);
				}
				continue;
			}
			if (!t.field->extract(e, m_vals)) {
				if (!m_star)
					return false;
				out += "null";
				continue;
			}
			out += '[';
			for (size_t i = 0; i < m_vals.size(); i++) {
				if (i)
					out += ',';
				json_value(out, m_vals[i]);
			}
			out += ']';
		}
		out += '}';
		return true;
	}

	bool m_json = false;
	bool m_star = false;
	std::vector<token> m_tokens;
	std::string m_tail;
	std::vector<field_value> m_vals;
	std::string m_tmp;
};

struct column {
	std::unique_ptr<field_ref> ref;
	uint32_t type = SINSP_COL_STRING;
	std::vector<uint8_t> present;
	std::vector<int64_t> i64;
	std::vector<uint64_t> u64;
	std::vector<double> f64;
	std::vector<uint32_t> offsets;
	std::string data;
	// dictionary encoding (sinsp_extractor__set_dict): codes per row, the distinct values of the
	// run in dict_offsets + dict_data, and an open-addressing table (code, 0 = empty) over them
	bool dict = false;
	std::vector<uint32_t> codes;
	std::vector<uint32_t> dict_offsets;
	std::string dict_data;
	std::vector<size_t> dict_hash; // per distinct value
	std::vector<uint32_t> slots;   // power of two

	void dict_reset()
	{
		size_t used = dict_hash.size();
		codes.clear();
		dict_offsets.assign(1, 0);
		dict_data.clear();
		dict_hash.clear();
		if (slots.size() > 4096 && slots.size() > 8 * used)
			slots.assign(4096, 0); // the last run had few distinct values: a smaller table to clear
		else
			std::fill(slots.begin(), slots.end(), 0);
	}

	void dict_grow()
	{
		slots.assign(slots.empty() ? 1024 : slots.size() * 2, 0);
		size_t mask = slots.size() - 1;
		for (uint32_t code = 1; code <= dict_hash.size(); code++) {
			size_t j = dict_hash[code - 1] & mask;
			while (slots[j])
				j = (j + 1) & mask;
			slots[j] = code;
		}
	}

	// the value rendered at dict_data[start, end): its code, kept once
	void dict_add(bool ok, size_t start)
	{
		if (!ok) {
			dict_data.resize(start);
			codes.push_back(0);
			return;
		}
		std::string_view v(dict_data.data() + start, dict_data.size() - start);
		size_t h = std::hash<std::string_view>()(v);
		if (2 * (dict_hash.size() + 1) > slots.size())
			dict_grow();
		size_t mask = slots.size() - 1;
		size_t j = h & mask;
		for (uint32_t code; (code = slots[j]) != 0; j = (j + 1) & mask) {
			uint32_t a = dict_offsets[code - 1], b = dict_offsets[code];
			if (dict_hash[code - 1] == h && b - a == v.size() &&
			    memcmp(dict_data.data() + a, v.data(), v.size()) == 0) {
				dict_data.resize(start);
				codes.push_back(code);
				return;
			}
		}
		dict_hash.push_back(h);
		dict_offsets.push_back((uint32_t)dict_data.size());
		slots[j] = (uint32_t)dict_hash.size();
		codes.push_back((uint32_t)dict_hash.size());
	}
};

class extractor
{
public:
	std::vector<column> cols;
	uint32_t n = 0;
	std::vector<field_value> vals;
	std::string scratch;

	void reset(uint32_t max)
	{
		n = 0;
		for (auto &c : cols) {
			c.present.clear();
			c.present.reserve(max);
			c.i64.clear();
			c.u64.clear();
			c.f64.clear();
			c.offsets.assign(1, 0);
			c.data.clear();
			if (c.dict) {
				c.codes.reserve(max);
				c.dict_reset();
			}
		}
	}

	void add(const event &e)
	{
		for (auto &c : cols) {
			bool ok;
			switch (c.type) {
			case SINSP_COL_INT64:
				vals.clear();
				ok = c.ref->extract(e, vals);
				c.i64.push_back(ok ? vals[0].i : 0);
				break;
			case SINSP_COL_UINT64:
				vals.clear();
				ok = c.ref->extract(e, vals);
				c.u64.push_back(ok ? (vals[0].type == ftype::ABSTIME || vals[0].type == ftype::RELTIME
							      ? (uint64_t)vals[0].i
							      : vals[0].u)
						   : 0);
				break;
			case SINSP_COL_DOUBLE:
				vals.clear();
				ok = c.ref->extract(e, vals);
				c.f64.push_back(ok ? vals[0].d : 0);
				break;
			default:
				if (c.dict) {
					size_t start = c.dict_data.size();
					ok = c.ref->render(e, c.dict_data);
					c.dict_add(ok, start);
					break;
				}
				ok = c.ref->render(e, c.data);
				c.offsets.push_back((uint32_t)c.data.size());
				break;
			}
			c.present.push_back(ok);
		}
		n++;
	}
};

} // namespace sinsp

using namespace sinsp;

extern "C" {

uint32_t sinsp_fields__count(void)
{
	return sinsp::guard_or<uint32_t>("sinsp_fields__count", 0, [&]() -> uint32_t {
		static const uint32_t n = (uint32_t)builtin_field_registry().all().size();
		return n;
	});
}

int sinsp_fields__get(uint32_t i, struct sinsp_field_info *info)
{
	return sinsp::guard("sinsp_fields__get", [&]() -> int {
		static const std::vector<field_def> defs = builtin_field_registry().all();
		if (!info || i >= defs.size() || info->sz < sizeof(size_t)) {
			set_error("sinsp_fields__get: bad index %u or info", i);
			return -EINVAL;
		}
		struct sinsp_field_info fi;
		fi.sz = info->sz;
		fi.name = defs[i].name.c_str();
		fi.cls = defs[i].cls.c_str();
		fi.desc = defs[i].desc.c_str();
		fi.type = (uint32_t)defs[i].type;
		fi.flags = defs[i].flags;
		memcpy(info, &fi, info->sz < sizeof(fi) ? info->sz : sizeof(fi));
		return 0;
	});
}

int sinsp_fields__check(const char *field)
{
	return sinsp::guard("sinsp_fields__check", [&]() -> int {
		if (!field) {
			set_error("sinsp_fields__check: NULL field");
			return -EINVAL;
		}
		std::string s(field), name = s, arg;
		bool has_arg = false;
		size_t br = s.find('[');
		if (br != std::string::npos) {
			if (s.back() != ']') {
				set_error("field '%s': missing ']'", field);
				return -EINVAL;
			}
			name = s.substr(0, br);
			arg = s.substr(br + 1, s.size() - br - 2);
			has_arg = true;
		}
		std::string err;
		if (!builtin_field_registry().bind(name, has_arg ? &arg : nullptr, err)) {
			set_error("%s", err.c_str());
			return err.compare(0, 13, "unknown field") == 0 ? -ENOENT : -EINVAL;
		}
		return 0;
	});
}

struct sinsp_formatter *sinsp_formatter__compile(const char *fmt, int mode, int *err_pos)
{
	return sinsp::guard_or<struct sinsp_formatter *>(
		"sinsp_formatter__compile", nullptr, [&]() -> struct sinsp_formatter * {
			if (err_pos)
				*err_pos = -1;
			if (!fmt || (mode != SINSP_FORMAT_TEXT && mode != SINSP_FORMAT_JSON)) {
				set_error("sinsp_formatter__compile: bad arguments");
				errno = EINVAL;
				return nullptr;
			}
			auto f = std::unique_ptr<formatter>(new (std::nothrow) formatter());
			if (!f) {
				errno = ENOMEM;
				return nullptr;
			}
			std::string err;
			int pos = -1;
			bool ok;
			try {
				ok = f->compile(fmt, mode == SINSP_FORMAT_JSON, err, pos);
			} catch (...) {
				errno = sinsp::caught("sinsp_formatter__compile");
				return nullptr;
			}
			if (!ok) {
				set_error("%s", err.c_str());
				if (err_pos)
					*err_pos = pos;
				errno = EINVAL;
				return nullptr;
			}
			return reinterpret_cast<sinsp_formatter *>(f.release());
		});
}

struct sinsp_formatter *sinsp_formatter__create(const char *fmt, int mode)
{
	return sinsp_formatter__compile(fmt, mode, nullptr);
}

void sinsp_formatter__free(struct sinsp_formatter *f)
{
	delete reinterpret_cast<formatter *>(f);
}

int sinsp_formatter__format(struct sinsp_formatter *fp, const struct sinsp_event *evt, char *buf, size_t size)
{
	return sinsp::guard("sinsp_formatter__format", [&]() -> int {
		if (!fp || !evt)
			return -EINVAL;
		formatter *f = reinterpret_cast<formatter *>(fp);
		if (!f->format(*reinterpret_cast<const event *>(evt), f->line))
			return -ENODATA;
		if (size) {
			size_t n = f->line.size() < size - 1 ? f->line.size() : size - 1;
			memcpy(buf, f->line.data(), n);
			buf[n] = '\0';
		}
		return (int)f->line.size();
	});
}

const char *sinsp_formatter__format_str(struct sinsp_formatter *fp, const struct sinsp_event *evt)
{
	return sinsp::guard_or<const char *>("sinsp_formatter__format_str", nullptr, [&]() -> const char * {
		if (!fp || !evt) {
			errno = EINVAL;
			return nullptr;
		}
		formatter *f = reinterpret_cast<formatter *>(fp);
		if (!f->format(*reinterpret_cast<const event *>(evt), f->line)) {
			errno = ENODATA;
			return nullptr;
		}
		return f->line.c_str();
	});
}

struct sinsp_extractor *sinsp_extractor__create(const char *const *fields, uint32_t nfields)
{
	return sinsp::guard_or<struct sinsp_extractor *>(
		"sinsp_extractor__create", nullptr, [&]() -> struct sinsp_extractor * {
			if (!fields && nfields) {
				errno = EINVAL;
				return nullptr;
			}
			auto x = std::make_unique<extractor>();
			for (uint32_t i = 0; i < nfields; i++) {
				std::string s = fields[i] ? fields[i] : "", name = s, arg;
				bool has_arg = false;
				size_t br = s.find('[');
				if (br != std::string::npos && s.back() == ']') {
					name = s.substr(0, br);
					arg = s.substr(br + 1, s.size() - br - 2);
					has_arg = true;
				}
				std::string err;
				column c;
				c.ref = builtin_field_registry().bind(name, has_arg ? &arg : nullptr, err);
				if (!c.ref) {
					set_error("field %u: %s", i, err.c_str());
					errno = EINVAL;
					return nullptr;
				}
				const field_def &d = c.ref->def();
				if (d.flags & FF_LIST)
					c.type = SINSP_COL_STRING;
				else
					switch (d.type) {
					case ftype::INT64:
					case ftype::BOOL: c.type = SINSP_COL_INT64; break;
					case ftype::UINT64:
					case ftype::PORT:
					case ftype::ABSTIME:
					case ftype::RELTIME: c.type = SINSP_COL_UINT64; break;
					case ftype::DOUBLE: c.type = SINSP_COL_DOUBLE; break;
					default: c.type = SINSP_COL_STRING; break;
					}
				x->cols.push_back(std::move(c));
			}
			return reinterpret_cast<sinsp_extractor *>(x.release());
		});
}

void sinsp_extractor__free(struct sinsp_extractor *x)
{
	delete reinterpret_cast<extractor *>(x);
}

int sinsp_extractor__run(struct sinsp_extractor *xp, struct sinsp_inspector *insp, uint32_t max, uint32_t *n)
{
	return sinsp::guard("sinsp_extractor__run", [&]() -> int {
		if (!xp || !insp || !n)
			return -EINVAL;
		extractor *x = reinterpret_cast<extractor *>(xp);
		x->reset(max);
		*n = 0;
		inspector *in = reinterpret_cast<inspector *>(insp);
		int rc = 0;
		try {
			while (x->n < max) {
				event *e;
				rc = in->next(&e);
				if (rc != 0)
					break;
				x->add(*e);
			}
		} catch (...) {
			return -sinsp::caught("sinsp_extractor__run");
		}
		*n = x->n;
		if (x->n > 0 && rc >= 0)
			return 0;
		return rc;
	});
}

int sinsp_extractor__column(struct sinsp_extractor *xp, uint32_t i, struct sinsp_column *col)
{
	return sinsp::guard("sinsp_extractor__column", [&]() -> int {
		extractor *x = reinterpret_cast<extractor *>(xp);
		if (!x || !col || i >= x->cols.size() || col->sz < sizeof(size_t))
			return -EINVAL;
		const column &c = x->cols[i];
		struct sinsp_column out;
		memset(&out, 0, sizeof(out));
		out.sz = col->sz;
		out.type = c.type;
		out.n = x->n;
		out.present = c.present.data();
		out.i64 = c.i64.data();
		out.u64 = c.u64.data();
		out.f64 = c.f64.data();
		bool plain = c.type == SINSP_COL_STRING && !c.dict;
		out.offsets = plain ? c.offsets.data() : nullptr;
		out.data = plain ? c.data.data() : nullptr;
		if (c.dict) {
			out.codes = c.codes.data();
			out.ndict = (uint32_t)c.dict_hash.size();
			out.dict_offsets = c.dict_offsets.data();
			out.dict_data = c.dict_data.data();
		}
		memcpy(col, &out, col->sz < sizeof(out) ? col->sz : sizeof(out));
		return 0;
	});
}

int sinsp_extractor__set_dict(struct sinsp_extractor *xp, uint32_t i, int on)
{
	return sinsp::guard("sinsp_extractor__set_dict", [&]() -> int {
		extractor *x = reinterpret_cast<extractor *>(xp);
		if (!x || i >= x->cols.size() || x->cols[i].type != SINSP_COL_STRING) {
			set_error("sinsp_extractor__set_dict: no string column %u", i);
			return -EINVAL;
		}
		column &c = x->cols[i];
		if (c.dict != (on != 0)) {
			// the last run's values go with the mode they were extracted in
			c.dict = on != 0;
			x->n = 0;
			c.present.clear();
			c.offsets.assign(1, 0);
			c.data.clear();
			c.dict_reset();
		}
		return 0;
	});
}

} // extern "C"
