// SPDX-License-Identifier: Apache-2.0
// The event loop of a job (sinsp/loop.h): inspector -> file (rotated) / lines / counts, in slices.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <new>
#include <poll.h>
#include <string>
#include <unistd.h>
#include <unordered_map>
#include <utility>
#include <vector>

#include "capi_guard.h"
#include "inspector_impl.h"
#include "opts.h"
#include "sinsp/loop.h"
#include "sinsp/sinsp.h"

using namespace sinsp;

namespace
{

constexpr size_t OUT_BUFFER = 64 << 10;
constexpr uint32_t CLOCK_EVERY = 256; // events between looks at the clock (a vDSO call each)

uint64_t mono_ns()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

// The names of consecutive files, as sysdig's cycle writer makes them: -G with a strftime
// pattern in the name formats the file's first event time, else a counter is appended (-G, -e),
// and -C appends the counter padded to the digits of -W. The counter wraps at -W (a ring).
class file_names
{
public:
	void setup(const sinsp_loop_opts &o, const std::string &base)
	{
		m_base = base;
		m_opts = o;
		if (o.rotate_bytes) {
			int digits = 0;
			for (uint32_t w = o.rotate_files; w > 0; w /= 10)
				digits++;
			m_pad = digits;
		}
		if (o.rotate_ns && o.rotate_files && base.find('%') != std::string::npos)
			m_past.assign(o.rotate_files, "");
	}
	bool rotating() const
	{
		return m_opts.rotate_bytes || m_opts.rotate_ns || m_opts.rotate_events;
	}
	// The next file's name; the name of the file it replaces in a ring of strftime names goes
	// into *remove ("" if none).
	std::string next(uint64_t ts_ns, std::string *remove)
	{
		remove->clear();
		if (m_opts.rotate_files && m_index >= m_opts.rotate_files)
			m_index = 0;
		std::string name = m_base;
		if (m_opts.rotate_ns) {
			if (m_base.find('%') != std::string::npos) {
				char buf[4096];
				time_t secs = (time_t)(ts_ns / 1000000000ull);
				struct tm tm;
				localtime_r(&secs, &tm);
				size_t n = strftime(buf, sizeof(buf), m_base.c_str(), &tm);
				name.assign(buf, n);
				if (!m_past.empty()) {
					*remove = m_past[m_index];
					m_past[m_index] = name;
				}
			} else {
				name = m_base + std::to_string(m_index);
			}
		}
		if (m_opts.rotate_bytes) {
			char idx[32];
			snprintf(idx, sizeof(idx), "%0*llu", m_pad, (unsigned long long)m_index);
			name += idx;
		}
		if (m_opts.rotate_events)
			name = m_base + std::to_string(m_index);
		m_index++;
		return name;
	}

private:
	std::string m_base;
	sinsp_loop_opts m_opts = {};
	int m_pad = 0;
	uint64_t m_index = 0;
	std::vector<std::string> m_past; // -G -W with strftime names: the ring's current names
};

} // namespace

struct sinsp_loop {
	sinsp_inspector *insp = nullptr;
	inspector *impl = nullptr;
	sinsp_loop_opts o = {};
	bool live = false;
	// lines
	std::vector<char> out;
	size_t out_len = 0;
	// alerts: their own buffer, or the lines' one when they go to the same fd
	std::vector<char> aout;
	size_t aout_len = 0;
	bool alerts_in_lines = false;
	std::vector<uint32_t> match_ids;
	// file
	std::string base;
	file_names names;
	std::string cur_name;
	scap_dumper *dumper = nullptr;
	scap_platform *state_platform = nullptr; // rotated files' process tables
	uint64_t file_events = 0, file_first_ts = 0;
	bool file_has_ts = false;
	uint64_t file_containers = 0; // the container metadata version the file has (sinsp/container.h)
	uint64_t flushed_at_offset = 0, flushed_at_ns = 0;
	// limits and state
	uint64_t first_ts = 0;
	bool have_first = false;
	uint64_t t_start = 0;
	volatile sig_atomic_t brk = 0;
	bool draining = false;
	int drain_status = 0;
	int empty_polls = 0;
	int final = 0; // the status run() keeps returning once set
	sinsp_loop_stats st = {};
	// summary: (direction, name) -> count, in the order first seen
	struct count_entry {
		uint64_t count;
		char dir;
		const char *name;
	};
	std::unordered_map<const char *, size_t> count_index[2]; // [exit?] name -> entries[i]
	std::vector<count_entry> entries, sorted;
	bool sorted_valid = false;

	int fail(int err, const std::string &what)
	{
		set_error("%s", what.c_str());
		return -err;
	}

	// ---- lines ----
	int write_all(const char *p, size_t n)
	{
		return write_fd(o.out_fd, p, n);
	}
	int write_fd(int fd, const char *p, size_t n)
	{
		while (n) {
			ssize_t w = ::write(fd, p, n);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN) { // a non-blocking fd: wait until it takes more
					struct pollfd pfd = { fd, POLLOUT, 0 };
					poll(&pfd, 1, 1000);
					continue;
				}
				int err = errno;
				return fail(err, std::string("writing the output: ") + std::strerror(err));
			}
			p += w;
			n -= (size_t)w;
		}
		return 0;
	}
	int flush_lines()
	{
		int rc = 0;
		if (out_len) {
			rc = write_all(out.data(), out_len);
			out_len = 0;
		}
		if (aout_len) {
			int arc = write_fd(o.alert_fd, aout.data(), aout_len);
			aout_len = 0;
			if (rc == 0)
				rc = arc;
		}
		return rc;
	}

	// ---- alerts ----
	// One line (s, n bytes, then a newline) into an alert buffer, written out when full.
	int put_alert(const char *s, size_t n)
	{
		std::vector<char> &buf = alerts_in_lines ? out : aout;
		size_t &len = alerts_in_lines ? out_len : aout_len;
		int fd = alerts_in_lines ? o.out_fd : o.alert_fd;
		if (n + 1 > buf.size() - len) {
			if (int rc = write_fd(fd, buf.data(), len); rc < 0)
				return rc;
			len = 0;
			if (n + 1 > buf.size()) { // longer than the buffer: at once
				if (int rc = write_fd(fd, s, n); rc < 0)
					return rc;
				return write_fd(fd, "\n", 1);
			}
		}
		std::memcpy(buf.data() + len, s, n);
		len += n;
		buf[len++] = '\n';
		return 0;
	}
	int alerts(const sinsp_event *evt)
	{
		uint32_t nrules = sinsp_ruleset__count(o.ruleset);
		if (match_ids.size() < nrules)
			match_ids.resize(nrules);
		int n = sinsp_ruleset__eval(o.ruleset, evt, o.first_match ? SINSP_RULESET_FIRST : 0, match_ids.data(),
					    (uint32_t)match_ids.size());
		if (n <= 0)
			return n;
		for (int i = 0; i < n; i++) {
			const char *a = sinsp_ruleset__alert_str(o.ruleset, match_ids[i], evt, (int)o.alert_mode);
			if (!a)
				return -(errno ? errno : EINVAL);
			if (int rc = put_alert(a, std::strlen(a)); rc < 0)
				return rc;
			st.n_alerts++;
		}
		return o.line_buffered ? flush_lines() : 0;
	}
	int print(const sinsp_event *evt)
	{
		size_t room = out.size() - out_len;
		int n = sinsp_formatter__format(o.formatter, evt, out.data() + out_len, room);
		if (n == -ENODATA)
			return 0;
		if (n < 0)
			return n;
		if ((size_t)n >= room) { // it did not fit (with its NUL, whose place the newline takes)
			if (int rc = flush_lines(); rc < 0)
				return rc;
			if ((size_t)n < out.size()) {
				n = sinsp_formatter__format(o.formatter, evt, out.data(), out.size());
			} else { // longer than the buffer: straight from the formatter's own string
				const char *s = sinsp_formatter__format_str(o.formatter, evt);
				if (!s)
					return 0;
				if (int rc = write_all(s, (size_t)n); rc < 0)
					return rc;
				st.n_lines++;
				return write_all("\n", 1);
			}
		}
		out_len += (size_t)n;
		out[out_len++] = '\n';
		st.n_lines++;
		return o.line_buffered ? flush_lines() : 0;
	}

	// ---- files ----
	int open_file(uint64_t ts)
	{
		std::string remove;
		std::string name = names.rotating() ? names.next(ts, &remove) : base;
		if (!remove.empty() && remove != name)
			::unlink(remove.c_str());
		const scap_platform *plat = scap_capture__platform(sinsp_inspector__capture(insp));
		if (dumper) { // a rotated file: the state now
			if (int rc = close_file(); rc < 0)
				return rc;
			if (!state_platform && !(state_platform = scap_platform__new()))
				return fail(ENOMEM, "out of memory");
			if (int rc = impl->export_platform(state_platform); rc < 0)
				return fail(-rc,
					    std::string("exporting the state for ") + name + ": " + std::strerror(-rc));
			plat = state_platform;
		}
		scap_dumper_opts dopts = {};
		dopts.sz = sizeof(dopts);
		dopts.compression = o.compression;
		dopts.platform = plat;
		dumper = scap_dumper__open(name.c_str(), &dopts);
		if (!dumper)
			return fail(errno ? errno : EIO, scap_last_error());
		cur_name = name;
		st.n_files++;
		file_events = 0;
		file_containers = 0; // every file carries all the metadata known, before its first event
		file_first_ts = ts;
		file_has_ts = ts != 0;
		flushed_at_offset = scap_dumper__offset(dumper);
		return 0;
	}
	int close_file()
	{
		scap_dumper *d = dumper;
		dumper = nullptr;
		if (!d)
			return 0;
		std::string msg = scap_dumper__geterr(d);
		int rc = scap_dumper__close(d);
		if (rc < 0)
			return fail(-rc, cur_name + ": " + (msg.empty() ? scap_last_error() : msg));
		return 0;
	}
	int flush_file(uint64_t now)
	{
		if (int rc = scap_dumper__flush(dumper); rc < 0)
			return fail(-rc, cur_name + ": " + scap_dumper__geterr(dumper));
		flushed_at_offset = scap_dumper__offset(dumper);
		flushed_at_ns = now;
		st.n_flushes++;
		return 0;
	}
	int write_event(const sinsp_event *evt, uint64_t ts, uint32_t flags = 0)
	{
		if (!file_has_ts) {
			file_first_ts = ts;
			file_has_ts = true;
		}
		// -C: the file's whole size, as sysdig's; at least one event per file, so that a process
		// table larger than the limit cannot make a file per event of nothing but metadata
		bool next = (o.rotate_bytes && file_events && scap_dumper__offset(dumper) > o.rotate_bytes) ||
			    (o.rotate_events && file_events >= o.rotate_events) ||
			    (o.rotate_ns && ts - file_first_ts >= o.rotate_ns);
		if (next)
			if (int rc = open_file(ts); rc < 0)
				return rc;
		// container metadata that came since the last event: before the event, as it was live
		if (sinsp_inspector__containers_version(insp) != file_containers)
			if (int rc = sinsp_inspector__dump_containers(insp, dumper, ts, &file_containers); rc < 0)
				return fail(-rc, cur_name + ": " + scap_dumper__geterr(dumper));
		int rc = scap_dumper__write_decoded(dumper, sinsp_event__hdr(evt), sinsp_event__cpu(evt), flags);
		if (rc < 0)
			return fail(-rc, cur_name + ": " + scap_dumper__geterr(dumper));
		file_events++;
		st.n_written++;
		if (scap_dumper__offset(dumper) - flushed_at_offset >= (uint64_t)o.flush_kb << 10)
			return flush_file(mono_ns());
		return 0;
	}

	// ---- the loop ----
	// After sinsp_loop__break(): a live capture is stopped and drained first.
	int stop(int s)
	{
		if (live && !draining) {
			scap_capture__stop(sinsp_inspector__capture(insp));
			draining = true;
			drain_status = s;
			empty_polls = 0;
			return 0;
		}
		return end(s);
	}
	int end(int s)
	{
		int rc = flush_lines();
		if (rc == 0 && dumper)
			rc = flush_file(mono_ns());
		final = rc < 0 ? rc : s;
		return final;
	}
	// Time-driven work: file flushes, the wall-clock limit. Non-zero: stop with that status.
	int tick(uint64_t now)
	{
		if (dumper && now - flushed_at_ns >= (uint64_t)o.flush_ms * 1000000ull)
			if (int rc = flush_file(now); rc < 0)
				return rc;
		if (o.duration_ns && !draining && now - t_start >= o.duration_ns)
			return end(SINSP_LOOP_DONE); // the capture goes on: what it has is the next reader's
		return 0;
	}
	// One event. Non-zero: stop with that status (or an error).
	int handle(const sinsp_event *evt)
	{
		uint64_t ts = sinsp_event__ts(evt);
		if (reinterpret_cast<const event *>(evt)->state_only) {
			// fatfile: an event the filter removed that modifies state, for the file only (a
			// reader parses it and does not show it); nothing else sees or counts it
			if (!dumper)
				return 0;
			if (int rc = write_event(evt, ts, SCAP_DUMP_STATE_ONLY); rc < 0)
				return rc;
			st.n_state_only++;
			return 0;
		}
		if (o.max_span_ns) {
			if (!have_first) {
				first_ts = ts;
				have_first = true;
			} else if (ts - first_ts > o.max_span_ns) {
				return draining ? 0 : end(SINSP_LOOP_DONE); // this event is not taken
			}
		}
		if (dumper)
			if (int rc = write_event(evt, ts); rc < 0)
				return rc;
		if (o.formatter)
			if (int rc = print(evt); rc < 0)
				return rc;
		if (o.ruleset)
			if (int rc = alerts(evt); rc < 0)
				return rc;
		if (o.summary) {
			int x = sinsp_event__type(evt) & 1; // odd ids are exit events
			const char *name = sinsp_event__name(evt);
			auto it = count_index[x].find(name);
			if (it == count_index[x].end()) {
				count_index[x].emplace(name, entries.size());
				entries.push_back({ 1, x ? '<' : '>', name });
			} else {
				entries[it->second].count++;
			}
			sorted_valid = false;
		}
		st.n_events++;
		if (o.max_events && st.n_events >= o.max_events)
			return end(SINSP_LOOP_DONE); // exactly N: what is still in the rings is not taken
		return 0;
	}
	int run(uint32_t slice_ms)
	{
		if (final)
			return final;
		uint64_t now = mono_ns();
		if (!t_start) {
			t_start = now;
			flushed_at_ns = now;
		}
		uint64_t slice_end = slice_ms ? now + (uint64_t)slice_ms * 1000000ull : 0;
		for (uint32_t k = 1;; k++) {
			if (brk && !draining) {
				if (int rc = stop(SINSP_LOOP_STOPPED); rc != 0)
					return rc < 0 ? (final = rc) : rc;
			}
			const sinsp_event *evt;
			int rc = sinsp_inspector__next(insp, &evt);
			if (rc == 0) {
				empty_polls = 0;
				if (int s = handle(evt); s != 0) {
					if (s < 0)
						return final = s;
					if (final)
						return final;
				}
				if (k % CLOCK_EVERY == 0) {
					now = mono_ns();
					if (int s = tick(now); s != 0)
						return s < 0 ? (final = s) : s;
					if (slice_end && now >= slice_end)
						return SINSP_LOOP_MORE;
				}
				continue;
			}
			if (rc == SCAP_STATUS_TIMEOUT) {
				// after a stop, two empty polls in a row (each after the engine's wait) mean
				// every ring is drained
				if (draining && ++empty_polls >= 2)
					return end(drain_status);
				if (int w = flush_lines(); w < 0) // idle: show what there is
					return final = w;
				now = mono_ns();
				if (int s = tick(now); s != 0)
					return s < 0 ? (final = s) : s;
				if (slice_end && now >= slice_end)
					return SINSP_LOOP_MORE;
				continue;
			}
			if (rc == SCAP_STATUS_EOF)
				return end(draining ? drain_status : SINSP_LOOP_DONE);
			// a capture error: what was handled before it still goes out
			std::string msg = sinsp_last_error();
			end(SINSP_LOOP_DONE);
			set_error("%s", msg.c_str());
			return final = rc;
		}
	}
};

extern "C" {

struct sinsp_loop *sinsp_loop__create(struct sinsp_inspector *insp, const struct sinsp_loop_opts *user_opts)
{
	return sinsp::guard_or<struct sinsp_loop *>(
		"sinsp_loop__create", nullptr, [&]() -> struct sinsp_loop * {
			if (!insp) {
				set_error("sinsp_loop__create: no inspector");
				errno = EINVAL;
				return nullptr;
			}
			sinsp_loop_opts o;
			if (int rc = copy_opts(o, user_opts, "sinsp_loop__create"); rc < 0) {
				errno = -rc;
				return nullptr;
			}
			if (o.formatter && o.out_fd < 0) {
				set_error("sinsp_loop__create: a formatter needs an out_fd");
				errno = EINVAL;
				return nullptr;
			}
			if (o.ruleset && o.alert_fd < 0) {
				set_error("sinsp_loop__create: a ruleset needs an alert_fd");
				errno = EINVAL;
				return nullptr;
			}
			if (o.ruleset && o.alert_mode != SINSP_ALERT_TEXT && o.alert_mode != SINSP_ALERT_JSON) {
				set_error("sinsp_loop__create: unknown alert_mode");
				errno = EINVAL;
				return nullptr;
			}
			if ((o.rotate_bytes || o.rotate_ns || o.rotate_events || o.rotate_files) && !o.write_path) {
				set_error("sinsp_loop__create: file rotation needs a write_path");
				errno = EINVAL;
				return nullptr;
			}
			if (o.rotate_files && !(o.rotate_bytes || o.rotate_ns || o.rotate_events)) {
				set_error("sinsp_loop__create: a number of files (-W) needs a size, time or event "
					  "count to rotate on");
				errno = EINVAL;
				return nullptr;
			}
			sinsp_loop *l = new (std::nothrow) sinsp_loop;
			if (!l) {
				set_error("out of memory");
				errno = ENOMEM;
				return nullptr;
			}
			try {
				l->insp = insp;
				l->impl = reinterpret_cast<inspector *>(insp);
				if (!o.flush_ms)
					o.flush_ms = 1000;
				if (!o.flush_kb)
					o.flush_kb = 4096;
				l->o = o;
				const char *engine = scap_capture__engine(sinsp_inspector__capture(insp));
				l->live = std::strcmp(engine, "file") != 0 && std::strcmp(engine, "test") != 0;
				if (o.formatter)
					l->out.resize(OUT_BUFFER);
				if (o.ruleset) {
					l->alerts_in_lines = o.formatter && o.alert_fd == o.out_fd;
					if (!l->alerts_in_lines)
						l->aout.resize(OUT_BUFFER);
				}
				if (o.write_path) {
					l->base = o.write_path;
					l->o.write_path = nullptr; // not kept: the caller's string may go
					l->names.setup(o, l->base);
					if (int rc = l->open_file(0); rc < 0) {
						delete l;
						errno = -rc;
						return nullptr;
					}
					l->impl->fatfile = o.fatfile; // back off at close
				}
			} catch (...) {
				delete l;
				errno = sinsp::caught("sinsp_loop__create");
				return nullptr;
			}
			return l;
		});
}

int sinsp_loop__run(struct sinsp_loop *l, uint32_t slice_ms)
{
	return sinsp::guard("sinsp_loop__run", [&]() -> int {
		if (!l) {
			set_error("sinsp_loop__run: no loop");
			return -EINVAL;
		}
		try {
			return l->run(slice_ms);
		} catch (...) {
			return l->final = -sinsp::caught("sinsp_loop__run");
		}
	});
}

void sinsp_loop__break(struct sinsp_loop *l)
{
	if (l)
		l->brk = 1;
}

int sinsp_loop__stats(const struct sinsp_loop *l, struct sinsp_loop_stats *st)
{
	return sinsp::guard("sinsp_loop__stats", [&]() -> int {
		if (!l || !st || st->sz < sizeof(size_t)) {
			set_error("sinsp_loop__stats: bad argument");
			return -EINVAL;
		}
		sinsp_loop_stats s = l->st;
		s.file_bytes = l->dumper ? scap_dumper__offset(l->dumper) : 0;
		size_t n = std::min(st->sz, sizeof(s));
		s.sz = st->sz;
		std::memcpy(st, &s, n);
		return 0;
	});
}

const char *sinsp_loop__file(const struct sinsp_loop *l)
{
	return l ? l->cur_name.c_str() : "";
}

int sinsp_loop__summary(struct sinsp_loop *l, uint32_t i, char *dir, const char **name, uint64_t *count)
{
	return sinsp::guard("sinsp_loop__summary", [&]() -> int {
		if (!l || !dir || !name || !count) {
			set_error("sinsp_loop__summary: NULL argument");
			return -EINVAL;
		}
		try {
			if (!l->sorted_valid) { // most frequent first; ties in the order first seen
				l->sorted = l->entries;
				std::stable_sort(l->sorted.begin(), l->sorted.end(),
						 [](const auto &a, const auto &b) { return a.count > b.count; });
				l->sorted_valid = true;
			}
		} catch (...) {
			return -sinsp::caught("sinsp_loop__summary");
		}
		if (i >= l->sorted.size())
			return -ENOENT;
		*count = l->sorted[i].count;
		*dir = l->sorted[i].dir;
		*name = l->sorted[i].name;
		return 0;
	});
}

int sinsp_loop__close(struct sinsp_loop *l)
{
	return sinsp::guard("sinsp_loop__close", [&]() -> int {
		if (!l)
			return 0;
		int rc = l->flush_lines();
		int frc = l->close_file();
		if (rc == 0)
			rc = frc;
		if (l->o.fatfile)
			l->impl->fatfile = false;
		scap_platform__free(l->state_platform);
		delete l;
		return rc;
	});
}

} // extern "C"
