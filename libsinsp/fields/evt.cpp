// SPDX-License-Identifier: Apache-2.0
// The evt: the event itself (number, time, type, arguments, result, latency, counters).
#include "fields/registry_impl.h"

namespace sinsp
{
namespace fields_detail
{

namespace
{
// The nanoseconds part of a time, as outputs show it: nine digits, zero-padded (upstream's
// PF_10_PADDED_DEC).
bool append_ns9(std::string &out, uint64_t ns)
{
	char b[24];
	snprintf(b, sizeof(b), "%09" PRIu64, ns);
	out += b;
	return true;
}

// "835ns", "3.43us", "17us", "1.37ms", "11ms", "2.05s": as sysdig prints latencies, two decimals
// (cut, not rounded) below 10 of a unit, none from 10 up
std::string human_duration(uint64_t ns)
{
	static const struct {
		uint64_t div;
		const char *unit;
	} units[] = { { 1000000000, "s" }, { 1000000, "ms" }, { 1000, "us" } };
	char b[48];
	for (const auto &u : units) {
		if (ns < u.div)
			continue;
		uint64_t whole = ns / u.div;
		if (whole >= 10)
			snprintf(b, sizeof(b), "%" PRIu64 "%s", whole, u.unit);
		else
			snprintf(b, sizeof(b), "%" PRIu64 ".%02" PRIu64 "%s", whole,
				 (uint64_t)(ns % u.div / (u.div / 100)), u.unit);
		return b;
	}
	snprintf(b, sizeof(b), "%" PRIu64 "ns", ns);
	return b;
}
} // namespace

void registry_impl::add_evt_fields()
{
	[[maybe_unused]] const uint32_t A = FF_ARG_ALLOWED, R = FF_ARG_REQUIRED, F = FF_FILTER_ONLY, P = FF_PRINT_ONLY,
					D = FF_DEPRECATED, L = FF_LIST;
	using ev [[maybe_unused]] = const event &;
	using bd [[maybe_unused]] = const bound &;

	// ---------------- evt ----------------
	const char *EVT = "evt";
	add(
		"evt.num", ftype::UINT64, 0, EVT, "event number", [](ev e, bd, vals &o) { return U64(o, e.num); },
		[](ev e, bd, std::string &out) {
			append_int(out, (int64_t)e.num);
			return true;
		});
	add(
		"evt.time", ftype::STRING, 0, EVT, "event time, local HH:MM:SS.nnnnnnnnn",
		[](ev e, bd, vals &o) { return S(o, format_time(e.ts(), false, false, false)); },
		[](ev e, bd, std::string &out) {
			append_time(out, e.ts());
			return true;
		});
	add("evt.time.s", ftype::STRING, 0, EVT, "event time, local HH:MM:SS",
	    [](ev e, bd, vals &o) { return S(o, format_time(e.ts(), false, true, false)); });
	add("evt.time.iso8601", ftype::STRING, 0, EVT, "event time, ISO 8601 UTC",
	    [](ev e, bd, vals &o) { return S(o, format_time(e.ts(), true, false, true)); });
	add("evt.datetime", ftype::STRING, 0, EVT, "event date and time, local",
	    [](ev e, bd, vals &o) { return S(o, format_time(e.ts(), true, false, false)); });
	add("evt.datetime.s", ftype::STRING, 0, EVT, "event date and time to the second, local",
	    [](ev e, bd, vals &o) { return S(o, format_time(e.ts(), true, true, false)); });
	add("evt.rawtime", ftype::ABSTIME, 0, EVT, "event timestamp, ns since the epoch",
	    [](ev e, bd, vals &o) { return U64(o, e.ts(), ftype::ABSTIME); });
	add("evt.rawtime.s", ftype::UINT64, 0, EVT, "event timestamp, seconds part",
	    [](ev e, bd, vals &o) { return U64(o, e.ts() / 1000000000ull); });
	add(
		"evt.rawtime.ns", ftype::UINT64, 0, EVT, "event timestamp, nanoseconds part",
		[](ev e, bd, vals &o) { return U64(o, e.ts() % 1000000000ull); },
		[](ev e, bd, std::string &out) { return append_ns9(out, e.ts() % 1000000000ull); });
	add("evt.reltime", ftype::RELTIME, 0, EVT, "ns since the first event",
	    [](ev e, bd, vals &o) { return U64(o, e.ts() - e.first_ts, ftype::RELTIME); });
	add("evt.reltime.s", ftype::UINT64, 0, EVT, "seconds since the first event",
	    [](ev e, bd, vals &o) { return U64(o, (e.ts() - e.first_ts) / 1000000000ull); });
	add(
		"evt.reltime.ns", ftype::UINT64, 0, EVT, "nanoseconds part of the time since the first event",
		[](ev e, bd, vals &o) { return U64(o, (e.ts() - e.first_ts) % 1000000000ull); },
		[](ev e, bd, std::string &out) { return append_ns9(out, (e.ts() - e.first_ts) % 1000000000ull); });
	// since the previous event this field instance extracted on (upstream: the filter check's
	// own state), so in an output the time since the previous event printed; 0 the first time
	add("evt.deltatime", ftype::RELTIME, 0, EVT, "ns since the previous event (of this output or filter)",
	    [](ev e, bd b, vals &o) { return U64(o, b.delta(e.num, e.ts()), ftype::RELTIME); });
	add("evt.deltatime.s", ftype::UINT64, 0, EVT, "seconds since the previous event (of this output or filter)",
	    [](ev e, bd b, vals &o) { return U64(o, b.delta(e.num, e.ts()) / 1000000000ull); });
	add(
		"evt.deltatime.ns", ftype::UINT64, 0, EVT,
		"nanoseconds part of the time since the previous event (of this output or filter)",
		[](ev e, bd b, vals &o) { return U64(o, b.delta(e.num, e.ts()) % 1000000000ull); },
		[](ev e, bd b, std::string &out) { return append_ns9(out, b.delta(e.num, e.ts()) % 1000000000ull); });
	// Latency: an exit event's time since its enter event (same thread, the event just before it
	// on that thread). Files written by old drivers have enter events; live captures and converted
	// files have exit events only, so there (as in upstream, whose fields now always give 0) it is 0.
	auto latency = [](ev e) -> uint64_t {
		if (!e.is_exit() || !e.enter)
			return 0;
		uint64_t ets = ((const scap_evt_hdr *)e.enter)->ts;
		return e.ts() > ets ? e.ts() - ets : 0;
	};
	add("evt.latency", ftype::RELTIME, D, EVT, "ns between an exit event and its enter event (deprecated)",
	    [latency](ev e, bd, vals &o) { return U64(o, latency(e), ftype::RELTIME); });
	add("evt.latency.s", ftype::RELTIME, D, EVT, "integer seconds of evt.latency (deprecated)",
	    [latency](ev e, bd, vals &o) { return U64(o, latency(e) / 1000000000ull, ftype::RELTIME); });
	add(
		"evt.latency.ns", ftype::RELTIME, D, EVT, "nanoseconds part of evt.latency (deprecated)",
		[latency](ev e, bd, vals &o) { return U64(o, latency(e) % 1000000000ull, ftype::RELTIME); },
		[latency](ev e, bd, std::string &out) { return append_ns9(out, latency(e) % 1000000000ull); });
	add("evt.latency.quantized", ftype::UINT64, D, EVT, "10-base log of evt.latency, integer part (0 for 0)",
	    [latency](ev e, bd, vals &o) {
		    uint64_t l = latency(e), q = 0;
		    for (; l >= 10; l /= 10)
			    q++;
		    return U64(o, q);
	    });
	add("evt.latency.human", ftype::STRING, D, EVT, "evt.latency for people: 835ns, 3.43us, 1.20ms, 2.05s",
	    [latency](ev e, bd, vals &o) { return S(o, human_duration(latency(e))); });
	add("evt.wait_latency", ftype::RELTIME, D, EVT, "evt.latency of events that make the thread wait, else 0",
	    [latency](ev e, bd, vals &o) {
		    return U64(o, (e.info().flags & SCAP_EF_WAITS) ? latency(e) : 0, ftype::RELTIME);
	    });
	// its value is the timestamp (JSON prints it); its text follows the inspector's time output
	// mode (sinsp_inspector__set_time_output_mode(), sysdig's -t), as upstream's
	add(
		"evt.outputtime", ftype::ABSTIME, P, EVT, "event time as the time output mode prints it (-t h|a|r|d|D)",
		[](ev e, bd, vals &o) { return U64(o, e.ts(), ftype::ABSTIME); },
		[](ev e, bd b, std::string &out) {
			char buf[48];
			uint64_t t;
			switch (e.insp ? e.insp->time_output_mode : 'h') {
			case 'a': // upstream prints the nanoseconds unpadded
				snprintf(buf, sizeof(buf), "%" PRIu64 ".%" PRIu64, (uint64_t)(e.ts() / 1000000000ull),
					 (uint64_t)(e.ts() % 1000000000ull));
				out += buf;
				return true;
			case 'r': t = e.ts() - e.first_ts; break;
			case 'd': t = 0; break; // upstream: latencies are not computed any more
			case 'D': t = b.delta(e.num, e.ts()); break;
			default: append_time(out, e.ts()); return true;
			}
			snprintf(buf, sizeof(buf), "%" PRIu64 ".%09" PRIu64, (uint64_t)(t / 1000000000ull),
				 (uint64_t)(t % 1000000000ull));
			out += buf;
			return true;
		});
	add("evt.dir", ftype::STRING, D, EVT, "direction: '>' enter, '<' exit (deprecated)",
	    [](ev e, bd, vals &o) { return S(o, e.is_exit() ? "<" : ">"); });
	add(
		"evt.type", ftype::STRING, 0, EVT, "event type (the syscall name for generic events)",
		[](ev e, bd, vals &o) { return S(o, e.name()); },
		[](ev e, bd, std::string &out) {
			out += e.name();
			return true;
		});
	add("evt.type.is", ftype::UINT64, R, EVT, "1 if the event type is the argument (evt.type.is.open)",
	    [](ev e, bd b, vals &o) { return U64(o, b.arg == e.name() ? 1 : 0); });
	add("syscall.type", ftype::STRING, 0, EVT, "syscall name, for syscall events only", [](ev e, bd, vals &o) {
		if (!(e.info().category & SCAP_EC_SRC_SYSCALL))
			return false;
		return S(o, e.name());
	});
	add("evt.category", ftype::STRING, 0, EVT, "event category (file, net, process, ...)", [](ev e, bd, vals &o) {
		static const std::unordered_map<uint32_t, const char *> names = {
			{ SCAP_EC_UNKNOWN, "unknown" },
			{ SCAP_EC_OTHER, "other" },
			{ SCAP_EC_FILE, "file" },
			{ SCAP_EC_NET, "net" },
			{ SCAP_EC_IPC, "IPC" },
			{ SCAP_EC_MEMORY, "memory" },
			{ SCAP_EC_PROCESS, "process" },
			{ SCAP_EC_SLEEP, "sleep" },
			{ SCAP_EC_SYSTEM, "system" },
			{ SCAP_EC_SIGNAL, "signal" },
			{ SCAP_EC_USER, "user" },
			{ SCAP_EC_TIME, "time" },
			{ SCAP_EC_PROCESSING, "processing" },
			{ SCAP_EC_IO_READ, "file" },
			{ SCAP_EC_IO_WRITE, "file" },
			{ SCAP_EC_IO_OTHER, "file" },
			{ SCAP_EC_WAIT, "wait" },
			{ SCAP_EC_SCHEDULER, "scheduler" },
			{ SCAP_EC_INTERNAL, "internal" },
		};
		uint32_t cat = e.info().category & ~SCAP_EC_SRC_MASK;
		if ((cat == SCAP_EC_IO_READ || cat == SCAP_EC_IO_WRITE || cat == SCAP_EC_IO_OTHER) && e.fdi &&
		    e.fdi->is_socket())
			return S(o, "net");
		auto it = names.find(cat);
		return S(o, it == names.end() ? "unknown" : it->second);
	});
	add(
		"evt.cpu", ftype::INT64, 0, EVT, "cpu the event happened on",
		[](ev e, bd, vals &o) { return I64(o, e.cpu); },
		[](ev e, bd, std::string &out) {
			append_int(out, e.cpu);
			return true;
		});
	add(
		"evt.args", ftype::STRING, 0, EVT, "all parameters, rendered",
		[](ev e, bd, vals &o) {
			std::string s;
			append_args(s, e);
			return S(o, std::move(s));
		},
		[](ev e, bd, std::string &out) {
			append_args(out, e);
			return true;
		});
	add(
		"evt.info", ftype::STRING, 0, EVT, "the same as evt.args",
		[](ev e, bd, vals &o) {
			std::string s;
			append_args(s, e);
			return S(o, std::move(s));
		},
		[](ev e, bd, std::string &out) {
			append_args(out, e);
			return true;
		});
	add("evt.arg", ftype::STRING, R, EVT, "one parameter, rendered: evt.arg.fd, evt.arg[0]",
	    [](ev e, bd b, vals &o) {
		    int i = arg_index(e, b);
		    if (i < 0 || (uint32_t)i >= e.nparams)
			    return false;
		    std::string s;
		    append_param_value(s, e, (uint32_t)i);
		    return S(o, std::move(s));
	    });
	// evt.rawarg's entries per parameter type (bound by name through rawarg_entry)
	for (int pt = 0; pt < SCAP_PT_MAX; pt++) {
		auto f = std::make_unique<fentry>();
		f->def.name = "evt.rawarg";
		f->def.type = ftype_of_param(pt);
		f->def.flags = R;
		f->def.cls = EVT;
		f->def.desc = "one parameter, raw: evt.rawarg.res";
		ftype ft = f->def.type;
		f->x = [ft](ev e, bd b, vals &o) {
			int i = arg_index(e, b);
			if (i < 0 || !e.has(i))
				return false;
			switch (ft) {
			case ftype::INT64: return I64(o, e.as_int(i));
			case ftype::UINT64:
			case ftype::PORT:
			case ftype::RELTIME:
			case ftype::ABSTIME: return U64(o, e.as_uint(i), ft);
			case ftype::BOOL: return B(o, e.as_uint(i) != 0);
			case ftype::DOUBLE: {
				field_value v;
				v.type = ftype::DOUBLE;
				memcpy(&v.d, e.pdata(i), std::min<uint32_t>(8, e.plen(i)));
				o.push_back(v);
				return true;
			}
			case ftype::BYTES: {
				field_value v;
				v.type = ftype::BYTES;
				v.s.assign((const char *)e.pdata(i), e.plen(i));
				o.push_back(std::move(v));
				return true;
			}
			case ftype::IPADDR: return IP(o, e.plen(i) == 16 ? 10 : 2, e.pdata(i));
			default: {
				int t = scap_event_param_type(e.type, (uint32_t)i);
				if (t == SCAP_PT_CHARBUF || t == SCAP_PT_FSPATH || t == SCAP_PT_FSRELPATH)
					return S(o, e.as_str(i));
				std::string s;
				append_param_value(s, e, (uint32_t)i);
				return S(o, std::move(s));
			}
			}
		};
		m_rawarg[pt] = std::move(f);
	}
	add("evt.rawarg", ftype::STRING, R, EVT, "one parameter, raw: evt.rawarg.res (typed by the parameter)",
	    [](ev, bd, vals &) { return false; });
	add("evt.buffer", ftype::BYTES, 0, EVT, "the data buffer of I/O events", [](ev e, bd, vals &o) {
		int i = e.param_index("data");
		if (i < 0 || scap_event_param_type(e.type, (uint32_t)i) != SCAP_PT_BYTEBUF)
			return false;
		field_value v;
		v.type = ftype::BYTES;
		v.s.assign((const char *)e.pdata(i), e.params[i].len);
		o.push_back(std::move(v));
		return true;
	});
	// upstream's buflen family: the result of an I/O exit (read, write, close, ...: category IO_*) on
	// a known fd, by direction and fd class (net: IP sockets, not unix ones)
	enum class io { ANY, IN, OUT };
	enum class fdc { ANY, FILE, NET };
	auto buflen = [](io dir, fdc cls) {
		return [dir, cls](ev e, bd, vals &o) {
			uint32_t cat = e.info().category & ~SCAP_EC_SRC_MASK;
			int64_t res;
			if (!e.fdi || !(cat & SCAP_EC_IO_READ) ||
			    (cat & ~(SCAP_EC_IO_READ | SCAP_EC_IO_WRITE | SCAP_EC_IO_OTHER)))
				return false;
			if ((dir == io::IN && cat != SCAP_EC_IO_READ) || (dir == io::OUT && cat != SCAP_EC_IO_WRITE))
				return false;
			if ((cls == fdc::FILE && e.fdi->type != SCAP_FD_FILE) ||
			    (cls == fdc::NET &&
			     (e.fdi->type < SCAP_FD_IPV4_SOCK || e.fdi->type > SCAP_FD_IPV6_SERVSOCK)))
				return false;
			return event_res(e, res) && res >= 0 && U64(o, (uint64_t)res);
		};
	};
	add("evt.buflen", ftype::UINT64, 0, EVT, "the result of an I/O event on a known fd (bytes; 0 for close)",
	    buflen(io::ANY, fdc::ANY));
	add("evt.buflen.in", ftype::UINT64, 0, EVT, "evt.buflen of input I/O events", buflen(io::IN, fdc::ANY));
	add("evt.buflen.out", ftype::UINT64, 0, EVT, "evt.buflen of output I/O events", buflen(io::OUT, fdc::ANY));
	add("evt.buflen.file", ftype::UINT64, 0, EVT, "evt.buflen of file I/O events", buflen(io::ANY, fdc::FILE));
	add("evt.buflen.file.in", ftype::UINT64, 0, EVT, "evt.buflen of file input events", buflen(io::IN, fdc::FILE));
	add("evt.buflen.file.out", ftype::UINT64, 0, EVT, "evt.buflen of file output events",
	    buflen(io::OUT, fdc::FILE));
	add("evt.buflen.net", ftype::UINT64, 0, EVT, "evt.buflen of network I/O events", buflen(io::ANY, fdc::NET));
	add("evt.buflen.net.in", ftype::UINT64, 0, EVT, "evt.buflen of network input events", buflen(io::IN, fdc::NET));
	add("evt.buflen.net.out", ftype::UINT64, 0, EVT, "evt.buflen of network output events",
	    buflen(io::OUT, fdc::NET));
	add("evt.res", ftype::STRING, 0, EVT, "result: SUCCESS or the errno name", [](ev e, bd, vals &o) {
		int64_t res;
		if (!event_res(e, res))
			return false;
		if (res >= 0)
			return S(o, "SUCCESS");
		const char *n = errno_name_of_res(res);
		return S(o, n ? n : std::to_string(res));
	});
	add("evt.rawres", ftype::INT64, 0, EVT, "result as a number", [](ev e, bd, vals &o) {
		int64_t res;
		return event_res(e, res) && I64(o, res);
	});
	add("evt.failed", ftype::BOOL, 0, EVT, "true for events that returned an error", [](ev e, bd, vals &o) {
		int64_t res;
		return event_res(e, res) && B(o, res < 0);
	});
	add("evt.is_io", ftype::BOOL, 0, EVT, "true for events that read or write data",
	    [](ev e, bd, vals &o) { return B(o, e.info().flags & (SCAP_EF_READS_FROM_FD | SCAP_EF_WRITES_TO_FD)); });
	add("evt.is_io_read", ftype::BOOL, 0, EVT, "true for events that read data",
	    [](ev e, bd, vals &o) { return B(o, e.info().flags & SCAP_EF_READS_FROM_FD); });
	add("evt.is_io_write", ftype::BOOL, 0, EVT, "true for events that write data",
	    [](ev e, bd, vals &o) { return B(o, e.info().flags & SCAP_EF_WRITES_TO_FD); });
	add("evt.io_dir", ftype::STRING, 0, EVT, "'r' or 'w' for I/O events", [](ev e, bd, vals &o) {
		uint32_t f = e.info().flags;
		if (f & SCAP_EF_READS_FROM_FD)
			return S(o, "r");
		if (f & SCAP_EF_WRITES_TO_FD)
			return S(o, "w");
		return false;
	});
	add("evt.is_wait", ftype::BOOL, 0, EVT, "true for events that wait",
	    [](ev e, bd, vals &o) { return B(o, e.info().flags & SCAP_EF_WAITS); });
	add("evt.is_syslog", ftype::BOOL, 0, EVT, "true for writes to /dev/log", [](ev e, bd, vals &o) {
		return B(o, (e.info().flags & SCAP_EF_WRITES_TO_FD) && e.fdi && e.fdi->name_raw == "/dev/log");
	});
	auto open_flag = [](uint32_t bit) {
		return [bit](ev e, bd, vals &o) {
			uint64_t fl;
			if (e.info().kind != ekind::OPEN || !e.is_exit())
				return B(o, false);
			if (!e.get_uint("flags", fl))
				fl = e.type == SCAP_EVT_CREAT_X ? SCAP_OPEN_FLAGS_O_CREAT | SCAP_OPEN_FLAGS_O_WRONLY |
									  SCAP_OPEN_FLAGS_O_F_CREATED
								: 0;
			return B(o, (fl & bit) == bit);
		};
	};
	add("evt.is_open_read", ftype::BOOL, 0, EVT, "true for opens for reading", open_flag(SCAP_OPEN_FLAGS_O_RDONLY));
	add("evt.is_open_write", ftype::BOOL, 0, EVT, "true for opens for writing",
	    open_flag(SCAP_OPEN_FLAGS_O_WRONLY));
	add("evt.is_open_create", ftype::BOOL, 0, EVT, "true for opens that created the file",
	    open_flag(SCAP_OPEN_FLAGS_O_F_CREATED));
	// upstream: an open/openat/openat2 that creates (O_CREAT or O_TMPFILE) with an execute bit in its
	// mode, or a creat() with one; open_by_handle_at has no mode
	add("evt.is_open_exec", ftype::BOOL, 0, EVT,
	    "true for opens and creats that create a file with execute permission", [](ev e, bd, vals &o) {
		    const uint64_t x =
			    SCAP_CHMOD_MODE_S_IXUSR | (SCAP_CHMOD_MODE_S_IXUSR >> 3) | (SCAP_CHMOD_MODE_S_IXUSR >> 6);
		    uint64_t fl = 0, mode = 0;
		    if (e.info().kind != ekind::OPEN || !e.is_exit())
			    return B(o, false);
		    if (e.type == SCAP_EVT_CREAT_X)
			    return B(o, e.get_uint("mode", mode) && (mode & x));
		    if (e.type == SCAP_EVT_OPEN_BY_HANDLE_AT_X || !e.get_uint("flags", fl) ||
			!(fl & (SCAP_OPEN_FLAGS_O_CREAT | SCAP_OPEN_FLAGS_O_TMPFILE)))
			    return B(o, false);
		    return B(o, e.get_uint("mode", mode) && (mode & x));
	    });
	add("evt.source", ftype::STRING, 0, EVT, "event source", [](ev, bd, vals &o) { return S(o, "syscall"); });
	add("evt.hostname", ftype::STRING, 0, EVT, "host name of the machine the capture comes from",
	    [](ev e, bd, vals &o) {
		    const scap_platform *pl = e.insp ? scap_capture__platform(e.insp->cap) : nullptr;
		    const char *h = pl ? scap_platform__machine(pl)->hostname : "";
		    if (*h)
			    return S(o, h);
		    char buf[256] = "";
		    if (gethostname(buf, sizeof(buf) - 1) != 0 || !*buf)
			    return false;
		    return S(o, buf);
	    });
	add("evt.asynctype", ftype::STRING, 0, EVT, "the name of an async event (its type); nothing for other events",
	    [](ev e, bd, vals &o) { return e.type == SCAP_EVT_ASYNCEVENT_E && e.has(1) && S(o, e.as_str(1)); });
	add("evt.is_async", ftype::BOOL, 0, EVT, "true for async events",
	    [](ev e, bd, vals &o) { return B(o, e.type == SCAP_EVT_ASYNCEVENT_E); });
	add("evt.count", ftype::UINT64, 0, EVT, "1 for every event (for aggregations)",
	    [](ev, bd, vals &o) { return U64(o, 1); });
	// Counters as upstream's: 1 or 0 on events with a return value, nothing on the others (enter
	// events); the .file/.net/.memory/.other forms only on events of their kind.
	enum class errkind { ANY, FILE, NET, MEMORY, OTHER };
	auto kind_of = [](ev e) {
		if ((e.info().category & ~SCAP_EC_SRC_MASK) == SCAP_EC_MEMORY)
			return errkind::MEMORY;
		if (e.fdi) {
			uint32_t t = e.fdi->type;
			if (t == SCAP_FD_FILE || t == SCAP_FD_DIRECTORY)
				return errkind::FILE;
			if (e.fdi->is_socket() || t == SCAP_FD_UNIX_SOCK)
				return errkind::NET;
			return errkind::OTHER;
		}
		// no fd (yet): the opens count as file, accept and connect as network
		if (e.info().kind == ekind::OPEN)
			return errkind::FILE;
		if (e.info().kind == ekind::ACCEPT || e.info().kind == ekind::CONNECT)
			return errkind::NET;
		return errkind::OTHER;
	};
	auto error_count = [kind_of](errkind want) {
		return [kind_of, want](ev e, bd, vals &o) {
			int64_t res;
			if (want != errkind::ANY && kind_of(e) != want)
				return false;
			return event_res(e, res) && U64(o, res < 0 ? 1 : 0);
		};
	};
	add("evt.count.error", ftype::UINT64, 0, EVT,
	    "1 for events that returned an error, 0 for the others with a result", error_count(errkind::ANY));
	add("evt.count.error.file", ftype::UINT64, 0, EVT, "evt.count.error of file events",
	    error_count(errkind::FILE));
	add("evt.count.error.net", ftype::UINT64, 0, EVT, "evt.count.error of network events",
	    error_count(errkind::NET));
	add("evt.count.error.memory", ftype::UINT64, 0, EVT, "evt.count.error of memory events",
	    error_count(errkind::MEMORY));
	add("evt.count.error.other", ftype::UINT64, 0, EVT, "evt.count.error of the events of no other class",
	    error_count(errkind::OTHER));
	add("evt.count.exit", ftype::UINT64, 0, EVT, "1 for exit events",
	    [](ev e, bd, vals &o) { return e.is_exit() && U64(o, 1); });
	add("evt.count.procinfo", ftype::UINT64, 0, EVT, "1 for procinfo events of main threads, else 0",
	    [](ev e, bd, vals &o) { return U64(o, e.type == SCAP_EVT_PROCINFO_E && e.tinfo && e.tinfo->is_main()); });
	add("evt.count.threadinfo", ftype::UINT64, 0, EVT, "1 for procinfo events, else 0",
	    [](ev e, bd, vals &o) { return U64(o, e.type == SCAP_EVT_PROCINFO_E); });
	add("evt.abspath", ftype::STRING, 0, EVT, "absolute path of single-path file events", [](ev e, bd, vals &o) {
		std::string s;
		return event_path(e, pathrole::NAME, false, s) && S(o, s);
	});
	add("evt.abspath.src", ftype::STRING, 0, EVT, "absolute source path of rename/link events",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::SOURCE, false, s) && S(o, s);
	    });
	add("evt.abspath.dst", ftype::STRING, 0, EVT, "absolute destination path of rename/link events",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::TARGET, false, s) && S(o, s);
	    });
}

} // namespace fields_detail
} // namespace sinsp
