// SPDX-License-Identifier: Apache-2.0
// Rulesets (sinsp/ruleset.h): rules compiled once, filed under the event types their conditions
// can match, evaluated per event in rule order; Falco's alerts as text or JSON.
#include <fnmatch.h>
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <new>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "capi_guard.h"
#include "event.h"
#include "fields/dns.h"
#include "fields/registry.h"
#include "opts.h"
#include "filter/ast.h"
#include "filter/filter.h"
#include "rules/output.h"
#include "sinsp/ruleset.h"
#include "sinsp/sinsp.h"

namespace sinsp_internal
{
void set_error(const char *msg); // version.cpp
}

namespace
{

using sinsp::rules::output_format;

const char *const k_priorities[] = { "Emergency", "Alert",  "Critical",	     "Error",
				     "Warning",	  "Notice", "Informational", "Debug" };
constexpr uint32_t N_PRIORITIES = 8;

int fail(int err, const std::string &msg)
{
	sinsp_internal::set_error(msg.c_str());
	return -err;
}

// The event type ids of the event table by name, and the generic ones (syscalls without an
// event of their own, whose evt.type is the syscall's name).
struct type_table {
	uint32_t n = 0;
	std::unordered_map<std::string, std::vector<uint16_t>> by_name;
	std::vector<uint16_t> generic;
	std::vector<std::string> names; // per id

	type_table()
	{
		n = scap_event_table_size();
		names.resize(n);
		for (uint32_t t = 0; t < n; t++) {
			const char *nm = scap_event_name((uint16_t)t);
			names[t] = nm ? nm : "";
			if (t == SCAP_EVT_SYSCALL_E || t == SCAP_EVT_SYSCALL_X)
				generic.push_back((uint16_t)t);
			else if (!names[t].empty())
				by_name[names[t]].push_back((uint16_t)t);
		}
	}

	// The ids an evt.type set stands for.
	std::vector<uint16_t> ids(const sinsp::evttype_set &s) const
	{
		std::vector<uint16_t> out;
		if (s.all_but) {
			for (uint32_t t = 0; t < n; t++) {
				bool generic_id = t == SCAP_EVT_SYSCALL_E || t == SCAP_EVT_SYSCALL_X;
				if (generic_id || !s.names.count(names[t]))
					out.push_back((uint16_t)t);
			}
			return out;
		}
		bool need_generic = false;
		for (const auto &name : s.names) {
			auto it = by_name.find(name);
			if (it != by_name.end())
				out.insert(out.end(), it->second.begin(), it->second.end());
			else if (scap_ppm_sc_from_name(name.c_str()) >= 0)
				need_generic = true; // a syscall without an event of its own
		}
		if (need_generic)
			out.insert(out.end(), generic.begin(), generic.end());
		std::sort(out.begin(), out.end());
		out.erase(std::unique(out.begin(), out.end()), out.end());
		return out;
	}
};

const type_table &types()
{
	static const type_table t;
	return t;
}

std::string join(const std::set<std::string> &names)
{
	std::string s;
	for (const auto &n : names) {
		if (!s.empty())
			s += ',';
		s += n;
	}
	return s;
}

struct rule_entry {
	std::string name, condition, output, desc, source;
	uint32_t priority = SINSP_PRIORITY_DEBUG;
	std::vector<std::string> tags;
	std::vector<const char *> tag_ptrs;
	bool enabled = true;
	std::unique_ptr<sinsp::filter> filter;
	output_format out;
	bool all_types = false;
	std::vector<uint16_t> types;
	std::string types_str, types_except;
};

bool has_glob(const char *p)
{
	return std::strpbrk(p, "*?[") != nullptr;
}

} // namespace

struct sinsp_ruleset {
	std::vector<std::unique_ptr<rule_entry>> rules;
	std::unordered_map<std::string, uint32_t> by_name;
	sinsp::filter_symbols sym;
	sinsp::filter_cache cache; // macros compiled once, evaluated once per event
	// what is used: by rule conditions (through macros), and names inside macros and lists
	std::set<std::string> used_macros, used_lists;
	std::map<std::string, std::set<std::string>> macro_refs; // macro -> the names its text mentions
	std::map<std::string, std::set<std::string>> list_refs;	 // list -> the earlier lists it took in
	uint32_t min_priority = SINSP_PRIORITY_DEBUG;
	std::string hostname;
	// the index: the active rules of event type t are slots[off[t], off[t + 1]), in rule order;
	// the counters are per rule id, contiguous (the loop touches nothing else per rule)
	struct slot {
		sinsp::filter *f;
		uint32_t id;
	};
	bool dirty = true;
	std::vector<uint32_t> off;
	std::vector<slot> slots;
	std::vector<uint64_t> evaluated, matched;
	sinsp_ruleset_stats st = {};
	// alerts
	std::unique_ptr<sinsp::field_ref> time_ref;
	std::string alert, scratch;
	std::map<std::string, std::string> fields;

	bool active(const rule_entry &r) const
	{
		return r.enabled && r.priority <= min_priority;
	}

	void reindex()
	{
		uint32_t n = types().n;
		std::vector<std::vector<uint32_t>> per(n);
		for (uint32_t id = 0; id < rules.size(); id++) {
			if (!active(*rules[id]))
				continue;
			for (uint16_t t : rules[id]->types)
				per[t].push_back(id);
		}
		off.assign(n + 1, 0);
		slots.clear();
		for (uint32_t t = 0; t < n; t++) {
			off[t] = (uint32_t)slots.size();
			for (uint32_t id : per[t])
				slots.push_back(slot{ rules[id]->filter.get(), id });
		}
		off[n] = (uint32_t)slots.size();
		evaluated.resize(rules.size(), 0);
		matched.resize(rules.size(), 0);
		dirty = false;
	}

	int eval(const sinsp::event &e, uint32_t flags, uint32_t *out, uint32_t max)
	{
		if (dirty)
			reindex();
		st.n_events++;
		if (e.type >= types().n)
			return 0;
		cache.begin_event();
		uint32_t n = 0, k = off[e.type], start = k, end = off[e.type + 1];
		for (; k < end; k++) {
			const slot &s = slots[k];
			evaluated[s.id]++;
			if (!s.f->run(e))
				continue;
			matched[s.id]++;
			if (n < max)
				out[n] = s.id;
			n++;
			if (flags & SINSP_RULESET_FIRST) {
				k++;
				break;
			}
		}
		st.n_evaluated += k - start;
		st.n_matches += n;
		return (int)n;
	}

	// Falco's alert for rule r: "TIME: Priority message", or the JSON object around it.
	void format_alert(rule_entry &r, const sinsp::event &e, int mode)
	{
		alert.clear();
		if (mode != SINSP_ALERT_JSON) {
			if (!time_ref->render(e, alert))
				alert += "<NA>";
			alert += ": ";
			alert += k_priorities[r.priority];
			alert += ' ';
			r.out.text(e, alert);
			return;
		}
		scratch.clear();
		if (!time_ref->render(e, scratch))
			scratch += "<NA>";
		scratch += ": ";
		scratch += k_priorities[r.priority];
		scratch += ' ';
		r.out.text(e, scratch);
		fields.clear();
		r.out.json_fields(e, fields);
		fields["evt.time"] = std::to_string(e.ts()); // the prefix's field, as upstream adds it
		alert += "{\"hostname\":";
		output_format::json_string(alert, hostname);
		alert += ",\"output\":";
		output_format::json_string(alert, scratch);
		alert += ",\"output_fields\":{";
		bool first = true;
		for (const auto &kv : fields) {
			if (!first)
				alert += ',';
			first = false;
			output_format::json_string(alert, kv.first);
			alert += ':';
			alert += kv.second;
		}
		alert += "},\"priority\":";
		output_format::json_string(alert, k_priorities[r.priority]);
		alert += ",\"rule\":";
		output_format::json_string(alert, r.name);
		alert += ",\"source\":";
		output_format::json_string(alert, r.source);
		alert += ",\"tags\":[";
		for (size_t i = 0; i < r.tags.size(); i++) {
			if (i)
				alert += ',';
			output_format::json_string(alert, r.tags[i]);
		}
		alert += "],\"time\":\"";
		time_t secs = (time_t)(e.ts() / 1000000000ull);
		struct tm tm;
		gmtime_r(&secs, &tm);
		char buf[64];
		size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(buf + n, sizeof(buf) - n, ".%09lluZ", (unsigned long long)(e.ts() % 1000000000ull));
		alert += buf;
		alert += "\"}";
	}
};

namespace
{

template <class O> bool read_opts(O &dst, const O *src, const char *what)
{
	return sinsp::copy_opts(dst, src, what) == 0;
}

const sinsp::event &as_event(const sinsp_event *evt)
{
	// struct sinsp_event is the inspector's sinsp::event (capi_inspector.cpp hands them out so)
	return *reinterpret_cast<const sinsp::event *>(evt);
}

void set_rule_error(sinsp_rule_error *err, int where, int pos)
{
	if (!err || err->sz < sizeof(size_t))
		return;
	sinsp_rule_error e = {};
	e.sz = err->sz;
	e.where = where;
	e.pos = pos;
	std::memcpy(err, &e, std::min(err->sz, sizeof(e)));
}

int add_rule(sinsp_ruleset *rs, const sinsp_rule_opts &o, sinsp_rule_error *err)
{
	auto bad = [&](int code, const std::string &msg) {
		set_rule_error(err, SINSP_RULE_ERR_RULE, -1);
		return fail(code, msg);
	};
	if (!o.name || !*o.name)
		return bad(EINVAL, "a rule needs a name");
	std::string name = o.name;
	if (!o.condition)
		return bad(EINVAL, "rule '" + name + "' has no condition");
	if (rs->by_name.count(name))
		return bad(EEXIST, "rule '" + name + "' is already defined");
	if (o.priority >= N_PRIORITIES)
		return bad(EINVAL, "rule '" + name + "': invalid priority " + std::to_string(o.priority));
	std::string source = o.source ? o.source : "syscall";
	if (source != "syscall")
		return bad(ENOTSUP,
			   "rule '" + name + "': unknown source '" + source + "' (only 'syscall' is supported)");
	if (o.n_tags && !o.tags)
		return bad(EINVAL, "rule '" + name + "': NULL tags");

	auto r = std::make_unique<rule_entry>();
	r->name = name;
	r->condition = o.condition;
	r->output = o.output ? o.output : "";
	r->desc = o.desc ? o.desc : "";
	r->source = source;
	r->priority = o.priority;
	r->enabled = !o.disabled;
	std::set<std::string> tags;
	for (uint32_t i = 0; i < o.n_tags; i++) {
		if (!o.tags[i])
			return bad(EINVAL, "rule '" + name + "': NULL tag");
		tags.insert(o.tags[i]);
	}
	r->tags.assign(tags.begin(), tags.end());
	for (const auto &t : r->tags)
		r->tag_ptrs.push_back(t.c_str());

	sinsp::filter_error ferr;
	sinsp::filter_info info;
	r->filter =
		sinsp::compile_filter(r->condition, sinsp::builtin_field_registry(), ferr, &rs->sym, &info, &rs->cache);
	if (!r->filter) {
		set_rule_error(err, SINSP_RULE_ERR_CONDITION, (int)ferr.pos);
		return fail(EINVAL, sinsp::describe_filter_error(r->condition, ferr));
	}
	std::string oerr;
	size_t opos = 0;
	if (!r->out.compile(r->output, oerr, opos)) {
		set_rule_error(err, SINSP_RULE_ERR_OUTPUT, (int)opos);
		return fail(EINVAL, oerr);
	}
	r->all_types = info.evttypes.is_every();
	r->types = types().ids(info.evttypes);
	std::set<std::string> names;
	for (uint16_t t : r->types)
		names.insert(types().names[t]);
	if (!r->all_types) {
		r->types_str = join(names);
		if (info.evttypes.all_but)
			r->types_except = join(info.evttypes.names);
	}
	rs->used_macros.insert(info.macros.begin(), info.macros.end());
	rs->used_lists.insert(info.lists.begin(), info.lists.end());
	uint32_t id = (uint32_t)rs->rules.size();
	rs->by_name[name] = id;
	rs->rules.push_back(std::move(r));
	rs->dirty = true;
	set_rule_error(err, SINSP_RULE_ERR_NONE, -1);
	return (int)id;
}

} // namespace

extern "C" {

const char *sinsp_priority_name(uint32_t priority)
{
	return priority < N_PRIORITIES ? k_priorities[priority] : nullptr;
}

int sinsp_priority_from_name(const char *name)
{
	if (!name)
		return -ENOENT;
	for (uint32_t i = 0; i < N_PRIORITIES; i++)
		if (!strcasecmp(name, k_priorities[i]))
			return (int)i;
	if (!strcasecmp(name, "info")) // Falco takes "info" for "informational" too
		return SINSP_PRIORITY_INFORMATIONAL;
	return -ENOENT;
}

struct sinsp_ruleset *sinsp_ruleset__create(const struct sinsp_ruleset_opts *user_opts)
{
	return sinsp::guard_or<struct sinsp_ruleset *>(
		"sinsp_ruleset__create", nullptr, [&]() -> struct sinsp_ruleset * {
			sinsp_ruleset_opts o;
			if (!read_opts(o, user_opts, "sinsp_ruleset__create")) {
				errno = EINVAL;
				return nullptr;
			}
			sinsp_ruleset *rs = new (std::nothrow) sinsp_ruleset;
			if (!rs) {
				fail(ENOMEM, "out of memory");
				errno = ENOMEM;
				return nullptr;
			}
			try {
				if (o.hostname) {
					rs->hostname = o.hostname;
				} else {
					char buf[256] = "";
					if (gethostname(buf, sizeof(buf) - 1) == 0)
						rs->hostname = buf;
				}
				std::string why;
				rs->time_ref = sinsp::builtin_field_registry().bind("evt.time", nullptr, why);
				types();
			} catch (...) {
				delete rs;
				errno = sinsp::caught("sinsp_ruleset__create");
				return nullptr;
			}
			return rs;
		});
}

void sinsp_ruleset__free(struct sinsp_ruleset *rs)
{
	delete rs;
}

int sinsp_ruleset__add_list(struct sinsp_ruleset *rs, const char *name, const char *const *items, uint32_t n)
{
	return sinsp::guard("sinsp_ruleset__add_list", [&]() -> int {
		if (!rs || !name || !*name || (n && !items))
			return fail(EINVAL, "sinsp_ruleset__add_list: bad argument");
		std::vector<std::string> values;
		std::set<std::string> took;
		for (uint32_t i = 0; i < n; i++) {
			if (!items[i])
				return fail(EINVAL, std::string("list '") + name + "': NULL item");
			std::string item = items[i];
			auto earlier = rs->sym.lists.find(item);
			if (earlier != rs->sym.lists.end() && item != name) {
				values.insert(values.end(), earlier->second.begin(), earlier->second.end());
				took.insert(item);
				continue;
			}
			std::string plain;
			if (sinsp::flt::unquote(item, plain))
				item = plain;
			values.push_back(item);
		}
		rs->sym.lists[name] = std::move(values);
		rs->list_refs[name] = std::move(took);
		rs->cache.clear(); // macros compiled from now on see the new list
		return 0;
	});
}

int sinsp_ruleset__add_macro(struct sinsp_ruleset *rs, const char *name, const char *text, int *err_pos)
{
	return sinsp::guard("sinsp_ruleset__add_macro", [&]() -> int {
		if (err_pos)
			*err_pos = -1;
		if (!rs || !name || !*name || !text)
			return fail(EINVAL, "sinsp_ruleset__add_macro: bad argument");
		std::set<std::string> macros, words;
		sinsp::filter_error ferr;
		if (!sinsp::filter_references(text, macros, words, ferr)) {
			if (err_pos)
				*err_pos = (int)ferr.pos;
			return fail(EINVAL, sinsp::describe_filter_error(text, ferr));
		}
		macros.insert(words.begin(), words.end());
		rs->macro_refs[name] = std::move(macros);
		rs->sym.macros[name] = text;
		rs->cache.clear();
		return 0;
	});
}

int sinsp_ruleset__add_rule(struct sinsp_ruleset *rs, const struct sinsp_rule_opts *rule, struct sinsp_rule_error *err)
{
	return sinsp::guard("sinsp_ruleset__add_rule", [&]() -> int {
		sinsp_rule_opts o;
		if (!rs || !rule || !read_opts(o, rule, "sinsp_ruleset__add_rule")) {
			set_rule_error(err, SINSP_RULE_ERR_RULE, -1);
			return fail(EINVAL, "sinsp_ruleset__add_rule: bad argument");
		}
		return add_rule(rs, o, err);
	});
}

uint32_t sinsp_ruleset__count(const struct sinsp_ruleset *rs)
{
	return rs ? (uint32_t)rs->rules.size() : 0;
}

int sinsp_ruleset__find(const struct sinsp_ruleset *rs, const char *name)
{
	return sinsp::guard("sinsp_ruleset__find", [&]() -> int {
		if (!rs || !name)
			return fail(EINVAL, "sinsp_ruleset__find: bad argument");
		auto it = rs->by_name.find(name);
		if (it == rs->by_name.end())
			return fail(ENOENT, std::string("no rule named '") + name + "'");
		return (int)it->second;
	});
}

int sinsp_ruleset__rule(const struct sinsp_ruleset *rs, uint32_t id, struct sinsp_rule_info *info)
{
	return sinsp::guard("sinsp_ruleset__rule", [&]() -> int {
		if (!rs || !info || info->sz < sizeof(size_t))
			return fail(EINVAL, "sinsp_ruleset__rule: bad argument");
		if (id >= rs->rules.size())
			return fail(ENOENT, "no rule with id " + std::to_string(id));
		const rule_entry &r = *rs->rules[id];
		sinsp_rule_info i = {};
		i.sz = info->sz;
		i.name = r.name.c_str();
		i.condition = r.condition.c_str();
		i.output = r.output.c_str();
		i.desc = r.desc.c_str();
		i.source = r.source.c_str();
		i.priority = r.priority;
		i.enabled = r.enabled;
		i.active = rs->active(r);
		i.n_tags = (uint32_t)r.tags.size();
		i.tags = r.tag_ptrs.data();
		i.all_evttypes = r.all_types;
		i.n_evttypes = (uint32_t)r.types.size();
		i.evttypes = r.types_str.c_str();
		i.evttypes_except = r.types_except.c_str();
		i.n_matches = id < rs->matched.size() ? rs->matched[id] : 0;
		i.n_evaluated = id < rs->evaluated.size() ? rs->evaluated[id] : 0;
		std::memcpy(info, &i, std::min(info->sz, sizeof(i)));
		return 0;
	});
}

int sinsp_ruleset__enable(struct sinsp_ruleset *rs, const char *pattern, bool enabled)
{
	return sinsp::guard("sinsp_ruleset__enable", [&]() -> int {
		if (!rs || !pattern)
			return fail(EINVAL, "sinsp_ruleset__enable: bad argument");
		int n = 0;
		bool glob = has_glob(pattern);
		for (auto &r : rs->rules) {
			if (glob ? fnmatch(pattern, r->name.c_str(), 0) == 0 : r->name == pattern) {
				r->enabled = enabled;
				n++;
			}
		}
		rs->dirty = true;
		return n ? n : fail(ENOENT, std::string("no rule matches '") + pattern + "'");
	});
}

int sinsp_ruleset__enable_tag(struct sinsp_ruleset *rs, const char *tag, bool enabled)
{
	return sinsp::guard("sinsp_ruleset__enable_tag", [&]() -> int {
		if (!rs || !tag)
			return fail(EINVAL, "sinsp_ruleset__enable_tag: bad argument");
		int n = 0;
		for (auto &r : rs->rules) {
			if (std::binary_search(r->tags.begin(), r->tags.end(), std::string(tag))) {
				r->enabled = enabled;
				n++;
			}
		}
		rs->dirty = true;
		return n ? n : fail(ENOENT, std::string("no rule has the tag '") + tag + "'");
	});
}

int sinsp_ruleset__enable_id(struct sinsp_ruleset *rs, uint32_t id, bool enabled)
{
	return sinsp::guard("sinsp_ruleset__enable_id", [&]() -> int {
		if (!rs)
			return fail(EINVAL, "sinsp_ruleset__enable_id: bad argument");
		if (id >= rs->rules.size())
			return fail(ENOENT, "no rule with id " + std::to_string(id));
		rs->rules[id]->enabled = enabled;
		rs->dirty = true;
		return 1;
	});
}

int sinsp_ruleset__set_min_priority(struct sinsp_ruleset *rs, uint32_t priority)
{
	return sinsp::guard("sinsp_ruleset__set_min_priority", [&]() -> int {
		if (!rs || priority >= N_PRIORITIES)
			return fail(EINVAL, "sinsp_ruleset__set_min_priority: bad argument");
		rs->min_priority = priority;
		rs->dirty = true;
		return 0;
	});
}

int sinsp_ruleset__is_used(const struct sinsp_ruleset *rs, const char *name, int kind)
{
	return sinsp::guard("sinsp_ruleset__is_used", [&]() -> int {
		if (!rs || !name || (kind != 0 && kind != 1))
			return fail(EINVAL, "sinsp_ruleset__is_used: bad argument");
		std::string n = name;
		if (kind == 0) {
			if (!rs->sym.macros.count(n))
				return fail(ENOENT, "no macro named '" + n + "'");
			if (rs->used_macros.count(n))
				return 1;
			for (const auto &kv : rs->macro_refs)
				if (kv.first != n && kv.second.count(n))
					return 1;
			return 0;
		}
		if (!rs->sym.lists.count(n))
			return fail(ENOENT, "no list named '" + n + "'");
		if (rs->used_lists.count(n))
			return 1;
		for (const auto &kv : rs->macro_refs)
			if (kv.second.count(n))
				return 1;
		for (const auto &kv : rs->list_refs)
			if (kv.first != n && kv.second.count(n))
				return 1;
		return 0;
	});
}

int sinsp_ruleset__eval(struct sinsp_ruleset *rs, const struct sinsp_event *evt, uint32_t flags, uint32_t *ids,
			uint32_t max)
{
	return sinsp::guard("sinsp_ruleset__eval", [&]() -> int {
		if (!rs || !evt || (max && !ids))
			return fail(EINVAL, "sinsp_ruleset__eval: bad argument");
		return rs->eval(as_event(evt), flags, ids, max);
	});
}

int sinsp_ruleset__next(struct sinsp_ruleset *rs, struct sinsp_inspector *insp, uint32_t flags,
			const struct sinsp_event **evt, uint32_t *ids, uint32_t max, uint32_t *n)
{
	return sinsp::guard("sinsp_ruleset__next", [&]() -> int {
		if (!rs || !insp || !evt || !n || (max && !ids))
			return fail(EINVAL, "sinsp_ruleset__next: bad argument");
		*n = 0;
		for (;;) {
			int rc = sinsp_inspector__next(insp, evt);
			if (rc != 0)
				return rc;
			int m = rs->eval(as_event(*evt), flags, ids, max);
			if (m > 0) {
				*n = (uint32_t)m;
				return 0;
			}
		}
	});
}

int sinsp_ruleset__alert(struct sinsp_ruleset *rs, uint32_t id, const struct sinsp_event *evt, int mode, char *buf,
			 size_t size)
{
	return sinsp::guard("sinsp_ruleset__alert", [&]() -> int {
		if (!rs || !evt || (size && !buf) || (mode != SINSP_ALERT_TEXT && mode != SINSP_ALERT_JSON))
			return fail(EINVAL, "sinsp_ruleset__alert: bad argument");
		if (id >= rs->rules.size())
			return fail(ENOENT, "no rule with id " + std::to_string(id));
		rs->format_alert(*rs->rules[id], as_event(evt), mode);
		if (size) {
			size_t k = std::min(rs->alert.size(), size - 1);
			std::memcpy(buf, rs->alert.data(), k);
			buf[k] = '\0';
		}
		return (int)rs->alert.size();
	});
}

const char *sinsp_ruleset__alert_str(struct sinsp_ruleset *rs, uint32_t id, const struct sinsp_event *evt, int mode)
{
	int rc = sinsp_ruleset__alert(rs, id, evt, mode, nullptr, 0);
	if (rc < 0) {
		errno = -rc;
		return nullptr;
	}
	return rs->alert.c_str();
}

int sinsp_ruleset__stats(const struct sinsp_ruleset *rs, struct sinsp_ruleset_stats *st)
{
	return sinsp::guard("sinsp_ruleset__stats", [&]() -> int {
		if (!rs || !st || st->sz < sizeof(size_t))
			return fail(EINVAL, "sinsp_ruleset__stats: bad argument");
		sinsp_ruleset_stats s = rs->st;
		s.sz = st->sz;
		std::memcpy(st, &s, std::min(st->sz, sizeof(s)));
		return 0;
	});
}

int sinsp_ruleset__wait_names(struct sinsp_ruleset *rs, uint32_t timeout_ms)
{
	return sinsp::guard("sinsp_ruleset__wait_names", [&]() -> int {
		if (!rs)
			return fail(EINVAL, "sinsp_ruleset__wait_names: bad argument");
		return (int)sinsp::dns::wait_first(timeout_ms);
	});
}

} // extern "C"
