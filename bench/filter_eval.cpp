// SPDX-License-Identifier: Apache-2.0
//
// bench/filter_eval: how fast filters compile and evaluate, on synthetic field values (a small
// registry of its own; no capture, no state), so the numbers isolate the filter engine:
// parsing + binding + constant conversion per compile, extraction copy + comparisons per event.
//
//   filter_eval [seconds per measurement, default 0.5]
//
// Prints one line per filter: compiles/s, evaluations/s and ns per evaluation by CPU time of the
// thread (steady on a loaded machine), evaluations/s by wall time, and the match ratio.
#include <arpa/inet.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fields/field_api.h"
#include "filter/filter.h"

namespace
{

using namespace sinsp;

struct synth_event {
	std::string type, name, fdname;
	int64_t pid;
	uint8_t sip[4];
	std::vector<std::string> args;
};

const synth_event *g_cur = nullptr;

enum fid { F_TYPE, F_NAME, F_FDNAME, F_PID, F_SIP, F_ARGS };

const std::vector<field_def> &defs()
{
	static const std::vector<field_def> d = {
		{ "evt.type", ftype::STRING, 0, "event type", "evt" },
		{ "proc.name", ftype::STRING, 0, "process name", "process" },
		{ "fd.name", ftype::STRING, 0, "fd name", "fd" },
		{ "proc.pid", ftype::INT64, 0, "pid", "process" },
		{ "fd.sip", ftype::IPADDR, 0, "server ip", "fd" },
		{ "proc.args", ftype::STRING, FF_LIST, "arguments", "process" },
	};
	return d;
}

class synth_ref : public field_ref
{
public:
	explicit synth_ref(size_t id) : id_(id)
	{
	}
	const field_def &def() const override
	{
		return defs()[id_];
	}
	const std::string &arg() const override
	{
		return arg_;
	}
	bool extract(const event &, std::vector<field_value> &out) override
	{
		const synth_event &e = *g_cur;
		out.emplace_back();
		field_value &v = out.back();
		v.type = defs()[id_].type;
		switch (id_) {
		case F_TYPE: v.s = e.type; break;
		case F_NAME: v.s = e.name; break;
		case F_FDNAME: v.s = e.fdname; break;
		case F_PID: v.i = e.pid; break;
		case F_SIP:
			std::copy(e.sip, e.sip + 4, v.ip);
			v.ip_family = 4;
			break;
		default:
			out.pop_back();
			for (const auto &a : e.args) {
				out.emplace_back();
				out.back().s = a;
			}
		}
		return true;
	}
	bool render(const event &, std::string &) override
	{
		return false;
	}

private:
	size_t id_;
	std::string arg_;
};

class synth_registry : public field_registry
{
public:
	std::unique_ptr<field_ref> bind(const std::string &name, const std::string *, std::string &err) const override
	{
		for (size_t i = 0; i < defs().size(); i++) {
			if (defs()[i].name == name) {
				return std::make_unique<synth_ref>(i);
			}
		}
		err = "unknown field '" + name + "'";
		return nullptr;
	}
	size_t match_prefix(const std::string &, size_t) const override
	{
		return 0;
	}
	std::vector<field_def> all() const override
	{
		return defs();
	}
};

std::vector<synth_event> make_events(size_t n)
{
	static const char *types[] = { "openat", "read", "write", "close", "connect", "mmap", "execve", "recvfrom" };
	static const char *names[] = { "bash", "curl", "nginx", "python3", "sshd", "systemd", "java", "node" };
	static const char *paths[] = { "/etc/passwd",	  "/usr/lib/x86_64-linux-gnu/libc.so.6",
				       "/tmp/x",	  "/var/log/syslog",
				       "/proc/self/stat", "/etc/ld.so.cache",
				       "/home/u/.bashrc", "/dev/null" };
	std::vector<synth_event> ev(n);
	uint32_t x = 12345;
	auto rnd = [&]() {
		x = x * 1103515245u + 12345u;
		return (x >> 16) & 0x7fff;
	};
	for (auto &e : ev) {
		e.type = types[rnd() % 8];
		e.name = names[rnd() % 8];
		e.fdname = paths[rnd() % 8];
		e.pid = static_cast<int64_t>(rnd() % 40000);
		uint32_t ip = (rnd() % 2) ? htonl(0x0a000000u | rnd()) : htonl(0xc0a80000u | rnd());
		std::memcpy(e.sip, &ip, 4);
		e.args = { "-v", "--name", e.name };
	}
	return ev;
}

double wall()
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU time of this thread: steady on a machine loaded by other work.
double cpu()
{
	timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

} // namespace

int main(int argc, char **argv)
{
	double secs = argc > 1 ? std::atof(argv[1]) : 0.5;
	std::string oneof = "proc.name = oneof (";
	for (int i = 0; i < 64; i++) {
		oneof += (i ? ", t" : "t") + std::to_string(i);
	}
	oneof += ", curl)";
	const std::vector<std::string> filters = {
		"evt.type = openat",
		"evt.type = openat and fd.name startswith /etc",
		"proc.name in (bash, sh, zsh, curl, wget, python3, node, java, nginx, sshd)",
		"fd.name startswith /etc and not proc.name in (sshd, sudo)",
		"fd.name glob \"/usr/lib/*.so*\"",
		"proc.name regex \"ba?sh|cu.l\"",
		"fd.sip = 10.0.0.0/8 or fd.sip = 192.168.1.0/24",
		oneof,
		"tolower(proc.name) contains ur",
		"proc.pid > 1000 and proc.pid < 20000",
		"proc.args intersects (-v, -q)",
		"(evt.type = read or evt.type = write) and (proc.name = nginx or proc.name = java) and fd.name != "
		"/dev/null",
	};
	synth_registry reg;
	auto events = make_events(4096);
	static const char dummy = 0;
	const auto &evt = *reinterpret_cast<const event *>(&dummy);
	std::printf("%-60s %11s %12s %8s %12s %6s\n", "filter", "compiles/s", "evals/s", "ns/eval", "wall evals/s",
		    "match");
	for (const auto &text : filters) {
		filter_error err;
		size_t n = 0;
		double c0 = cpu(), c1;
		do {
			for (int i = 0; i < 100; i++) {
				auto f = compile_filter(text, reg, err);
				if (!f) {
					std::fprintf(stderr, "%s\n", describe_filter_error(text, err).c_str());
					return 1;
				}
			}
			n += 100;
			c1 = cpu();
		} while (c1 - c0 < secs);
		double compiles = static_cast<double>(n) / (c1 - c0);

		auto f = compile_filter(text, reg, err);
		size_t evals = 0, matches = 0;
		double w0 = wall(), w1;
		c0 = cpu();
		do {
			for (const auto &e : events) {
				g_cur = &e;
				matches += f->run(evt) ? 1 : 0;
			}
			evals += events.size();
			c1 = cpu();
		} while (c1 - c0 < secs);
		w1 = wall();
		double rate = static_cast<double>(evals) / (c1 - c0);
		double wrate = static_cast<double>(evals) / (w1 - w0);
		std::string shown = text.size() > 58 ? text.substr(0, 55) + "..." : text;
		std::printf("%-60s %11.0f %12.0f %8.1f %12.0f %5.1f%%\n", shown.c_str(), compiles, rate, 1e9 / rate,
			    wrate, 100.0 * static_cast<double>(matches) / static_cast<double>(evals));
	}
	return 0;
}
