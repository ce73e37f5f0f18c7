// SPDX-License-Identifier: Apache-2.0
// The inspector's event: a decoded libscap event plus its thread/fd context.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "scap/scap.h"
#include "state.h"

namespace sinsp
{

class inspector;

// What the parser does with an event type (derived once from the event table's names).
enum class ekind : uint8_t {
	OTHER,
	OPEN, // open, creat, openat, openat2, open_by_handle_at
	CLOSE,
	CLOSE_RANGE,
	SOCKET,
	SOCKETPAIR,
	BIND,
	CONNECT,
	LISTEN,
	ACCEPT,
	SEND,
	RECV,
	SHUTDOWN,
	GETSOCKOPT,
	PIPE,
	DUP,
	FCNTL,
	EVENTFD,
	SIGNALFD,
	TIMERFD,
	INOTIFY,
	EPOLL,
	USERFAULTFD,
	IOURING,
	BPF,
	MEMFD,
	PIDFD_OPEN,
	PIDFD_GETFD,
	CLONE, // clone, fork, vfork, clone3
	EXECVE,
	PROCEXIT,
	SETUID,
	SETGID,
	CAPSET,
	CHDIR,
	FCHDIR,
	GETCWD,
	CHROOT,
	SETSID,
	SETPGID,
	PRCTL,
	UNSHARE,
	SETNS,
	USERADDED,
	USERDELETED,
	GROUPADDED,
	GROUPDELETED,
	RECVMSG,
	MEMORY, // brk, mmap, mmap2, munmap: their exits carry the process's memory counters
	SWITCH, // a context switch: the switched-out thread's page faults and memory counters
};

// Parameter names the hottest parsers (open, close) ask for: their indexes are found once per
// event type (type_info::pidx) rather than through param_index_lit()'s cache on every event.
enum class pn : uint8_t { FD, RES, NAME, PATH, DIRFD, FLAGS, DEV, INO, COUNT };
extern const char *const pn_names[(size_t)pn::COUNT]; // "fd", "res", ...

struct type_info {
	const char *name = "";
	uint32_t flags = 0;
	uint32_t category = 0;
	ekind kind = ekind::OTHER;
	int8_t fd_param = -1;	// index of the parameter naming the event's fd, -1 if none
	bool res_is_fd = false; // CREATES_FD event whose first parameter (res) is the new fd
	bool toctou_enter = false;
	bool large = false;  // LARGE_PAYLOAD: u32 parameter lengths
	uint8_t nparams = 0; // the table's parameter count (at most SCAP_MAX_PARAMS)
	// reset()'s thread rule: no entry is made for this type (meta events, switch, procexit)
	bool no_new_thread = false;
	bool internal = false; // category SCAP_EC_INTERNAL: parsed, not handed out (unless debug)
	int8_t pidx[(size_t)pn::COUNT] = { -1, -1, -1, -1, -1, -1, -1, -1 }; // table index of each pn, -1 if none
};
// The table derived from libscap's (inspector.cpp), indexed by event type.
extern const type_info g_type_none;
extern const type_info *g_type_table;
extern uint32_t g_type_count;
inline const type_info &type_of(uint16_t type)
{
	return type < g_type_count ? g_type_table[type] : g_type_none;
}

class event
{
public:
	const scap_evt_hdr *hdr = nullptr;
	uint16_t cpu = 0;
	uint64_t num = 0;
	uint16_t type = 0;
	const type_info *ti = &g_type_none; // type_of(type)
	uint32_t nparams = 0;		    // min(table, wire)
	scap_param params[SCAP_MAX_PARAMS] = {};
	threadinfo *tinfo = nullptr;
	fdinfo *fdi = nullptr;
	int64_t fdnum = -1;
	inspector *insp = nullptr;
	// fatfile mode (inspector::fatfile): the filter removed it, but it modifies state
	bool state_only = false;
	uint64_t first_ts = 0; // ts of the first event of the capture (evt.reltime)
	uint64_t exectime = 0; // context switches: ns the switched-out thread ran (thread.exectime)
	// procinfo events: the thread's CPU counters at its previous procinfo event (thread.cpu)
	uint64_t procinfo_prev_user = 0, procinfo_prev_sys = 0;
	// The TOCTOU enter event paired with this exit (same thread, enter type = exit type - 1),
	// split into enter_params on the first enter_get() (most exits never look at it).
	const uint8_t *enter = nullptr;
	mutable bool enter_split = false;
	mutable uint32_t enter_nparams = 0;
	mutable scap_param enter_params[SCAP_MAX_PARAMS] = {};

	uint64_t ts() const
	{
		return hdr->ts;
	}
	int64_t tid() const
	{
		return (int64_t)hdr->tid;
	}
	const type_info &info() const
	{
		return *ti; // type_of(type), set with it
	}
	const char *name() const; // evt.type (syscall name for generic events)
	bool is_exit() const
	{
		return type & 1;
	}

	int param_index(const char *pname) const;
	// The same for a name with static storage (a string literal): cached by pointer.
	int param_index_lit(const char *pname) const
	{
		// The parsers ask by name with string literals (static storage): remember (type, name
		// pointer) -> index in a small direct-mapped cache, so the name comparisons run once
		// per call site and type. The index is the table's, bounded by this event's nparams
		// (old events may carry fewer parameters).
		const pcache_slot &c = m_pcache[(((uintptr_t)pname >> 3) * 31 + type) & 511];
		int idx = c.name == pname && c.type == type ? c.index : param_index_miss(pname);
		return idx >= 0 && (uint32_t)idx < nparams ? idx : -1;
	}
	bool has(int i) const
	{
		return i >= 0 && (uint32_t)i < nparams && params[i].len > 0;
	}
	uint32_t plen(int i) const
	{
		return has(i) ? params[i].len : 0;
	}
	const uint8_t *pdata(int i) const
	{
		return (const uint8_t *)params[i].data;
	}
	int64_t as_int(int i) const
	{
		return decode_int(params[i]);
	}
	uint64_t as_uint(int i) const
	{
		return decode_uint(params[i]);
	}
	std::string as_str(int i) const
	{
		return has(i) ? decode_str(params[i]) : std::string();
	}
	// By name: false when the parameter is missing or empty.
	bool get_int(const char *pname, int64_t &v) const
	{
		const scap_param *p = get(pname);
		if (!p || (p->len != 1 && p->len != 2 && p->len != 4 && p->len != 8))
			return false;
		v = decode_int(*p);
		return true;
	}
	bool get_uint(const char *pname, uint64_t &v) const
	{
		const scap_param *p = get(pname);
		if (!p || (p->len != 1 && p->len != 2 && p->len != 4 && p->len != 8))
			return false;
		v = decode_uint(*p);
		return true;
	}
	bool get_str(const char *pname, std::string &v) const;
	// The same by pn (the same results as by name).
	const scap_param *get(pn k) const
	{
		int i = info().pidx[(size_t)k];
		if (i >= 0 && (uint32_t)i < nparams && params[i].len > 0)
			return &params[i];
		return (i < 0 || (uint32_t)i >= nparams) ? enter_get(pn_names[(size_t)k]) : nullptr;
	}
	bool get_int(pn k, int64_t &v) const
	{
		const scap_param *p = get(k);
		if (!p || (p->len != 1 && p->len != 2 && p->len != 4 && p->len != 8))
			return false;
		v = decode_int(*p);
		return true;
	}
	bool get_uint(pn k, uint64_t &v) const
	{
		const scap_param *p = get(k);
		if (!p || (p->len != 1 && p->len != 2 && p->len != 4 && p->len != 8))
			return false;
		v = decode_uint(*p);
		return true;
	}
	const scap_param *get(const char *pname) const
	{
		int i = param_index_lit(pname);
		if (has(i))
			return &params[i];
		// old captures read without conversion: parameters the exit lacks come from its enter event
		return (i < 0 || (uint32_t)i >= nparams) ? enter_get(pname) : nullptr;
	}
	// Same lookups on the paired enter event.
	const scap_param *enter_get(const char *pname) const;

	// Split the event at p (validated by the engine: its header's len and nparams) into out[]:
	// what scap_event_decode() does, with the same bounds checks, for the table's parameters
	// only (*n = min(table, wire)). false when it does not decode (then out is partly written).
	static bool split(const uint8_t *p, scap_param *out, uint32_t *n);

private:
	// param_index_lit()'s cache: (name pointer, type) -> index, direct-mapped. Per event (so per
	// inspector, used by one thread at a time) rather than thread_local, whose every access in a
	// shared library is a call to __tls_get_addr.
	struct pcache_slot {
		const char *name;
		uint16_t type;
		int16_t index;
	};
	mutable pcache_slot m_pcache[512] = {};
	int param_index_miss(const char *pname) const; // fills the slot

public:
	static int64_t decode_int(const scap_param &p)
	{
		switch (p.len) {
		case 1: {
			int8_t v;
			std::memcpy(&v, p.data, 1);
			return v;
		}
		case 2: {
			int16_t v;
			std::memcpy(&v, p.data, 2);
			return v;
		}
		case 4: {
			int32_t v;
			std::memcpy(&v, p.data, 4);
			return v;
		}
		case 8: {
			int64_t v;
			std::memcpy(&v, p.data, 8);
			return v;
		}
		default: return 0;
		}
	}
	static uint64_t decode_uint(const scap_param &p)
	{
		switch (p.len) {
		case 1: {
			uint8_t v;
			std::memcpy(&v, p.data, 1);
			return v;
		}
		case 2: {
			uint16_t v;
			std::memcpy(&v, p.data, 2);
			return v;
		}
		case 4: {
			uint32_t v;
			std::memcpy(&v, p.data, 4);
			return v;
		}
		case 8: {
			uint64_t v;
			std::memcpy(&v, p.data, 8);
			return v;
		}
		default: return 0;
		}
	}
	// A string parameter without its terminating NUL(s), up to the first NUL.
	static std::string_view str_view(const scap_param &p)
	{
		const char *s = (const char *)p.data;
		size_t n = p.len;
		while (n && s[n - 1] == '\0')
			n--;
		return std::string_view(s, strnlen(s, n));
	}
	static std::string decode_str(const scap_param &p)
	{
		std::string_view v = str_view(p);
		return std::string(v.data(), v.size());
	}
};

} // namespace sinsp
