// SPDX-License-Identifier: Apache-2.0
//
// Test helper for the filter engine (driven by tests/test_filter*.py). Reads one JSON document
// per line on stdin, writes one JSON line per input on stdout.
//
//   filter_check parse   in: "filter text"
//                        out: {"ok":true,"text":T,"dump":D,"text2":T2,"dump2":D2}
//                             (T/D: canonical text and tree dump; T2/D2: the same after parsing T)
//                          | {"ok":false,"pos":N,"msg":M,"desc":M+excerpt+caret}
//   filter_check eval    in: {"filter":F,"records":[{field key: value},...],
//                             "macros":{name:text},"lists":{name:[values]}}
//                        out: {"ok":true,"results":[true,false,...]} | {"ok":false,"pos":N,"msg":M}
// Fields come from a fake registry (fake_fields.h), not from libsinsp's real one.
#include <cstdio>
#include <iostream>
#include <string>

#include "fake_fields.h"
#include "filter/ast.h"
#include "filter/filter.h"
#include "json.h"

namespace
{

std::string error_json(const std::string &text, size_t pos, const std::string &msg)
{
	sinsp::filter_error e;
	e.pos = pos;
	e.message = msg;
	return "{\"ok\":false,\"pos\":" + std::to_string(pos) + ",\"msg\":" + json::quote(msg) +
	       ",\"desc\":" + json::quote(sinsp::describe_filter_error(text, e)) + "}";
}

std::string do_parse(const std::string &text)
{
	sinsp::flt::syntax_error err;
	auto tree = sinsp::flt::parse(text, err);
	if (!tree) {
		return error_json(text, err.pos, err.message);
	}
	std::string t1 = sinsp::flt::print(*tree), d1 = sinsp::flt::dump(*tree);
	std::string t2 = "<parse error>", d2;
	auto again = sinsp::flt::parse(t1, err);
	if (again) {
		t2 = sinsp::flt::print(*again);
		d2 = sinsp::flt::dump(*again);
	} else {
		d2 = err.message;
	}
	return "{\"ok\":true,\"text\":" + json::quote(t1) + ",\"dump\":" + json::quote(d1) +
	       ",\"text2\":" + json::quote(t2) + ",\"dump2\":" + json::quote(d2) + "}";
}

std::string do_eval(const json::value &req)
{
	const json::value *f = req.get("filter");
	if (!f || f->kind != json::value::STRING) {
		return "{\"ok\":false,\"pos\":0,\"msg\":\"request without filter\"}";
	}
	sinsp::filter_symbols sym;
	if (const json::value *m = req.get("macros")) {
		for (const auto &p : m->o) {
			sym.macros[p.first] = p.second.s;
		}
	}
	if (const json::value *l = req.get("lists")) {
		for (const auto &p : l->o) {
			for (const auto &v : p.second.a) {
				sym.lists[p.first].push_back(v.s);
			}
		}
	}
	fake::registry reg;
	sinsp::filter_error err;
	auto flt = sinsp::compile_filter(f->s, reg, err, &sym);
	if (!flt) {
		return error_json(f->s, err.pos, err.message);
	}
	std::string out = "{\"ok\":true,\"results\":[";
	static const char dummy = 0;
	const auto &evt = *reinterpret_cast<const sinsp::event *>(&dummy);
	const json::value *recs = req.get("records");
	if (recs) {
		for (size_t i = 0; i < recs->a.size(); i++) {
			fake::record r;
			for (const auto &p : recs->a[i].o) {
				r.values[p.first] = p.second;
			}
			reg.current = &r;
			out += i ? "," : "";
			out += flt->run(evt) ? "true" : "false";
			reg.current = nullptr;
		}
	}
	return out + "]}";
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: filter_check parse|eval < requests\n");
		return 2;
	}
	std::string mode = argv[1];
	std::string line;
	while (std::getline(std::cin, line)) {
		json::value req;
		try {
			req = json::reader(line).parse();
		} catch (const std::exception &e) {
			std::fprintf(stderr, "bad request line: %s\n", e.what());
			return 2;
		}
		std::string out = mode == "parse" ? do_parse(req.s) : do_eval(req);
		std::fwrite(out.data(), 1, out.size(), stdout);
		std::fputc('\n', stdout);
		std::fflush(stdout);
	}
	return 0;
}
