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

struct type_info {
	const char *name = "";
	uint32_t flags = 0;
	uint32_t category = 0;
	ekind kind = ekind::OTHER;
	int8_t fd_param = -1;	// index of the parameter naming the event's fd, -1 if none
	bool res_is_fd = false; // CREATES_FD event whose first parameter (res) is the new fd
	bool toctou_enter = false;
};
const type_info &type_of(uint16_t type);

class event
{
public:
	const scap_evt_hdr *hdr = nullptr;
	uint16_t cpu = 0;
	uint64_t num = 0;
	uint16_t type = 0;
	uint32_t nparams = 0; // min(table, wire)
	scap_param params[SCAP_MAX_PARAMS] = {};
	threadinfo *tinfo = nullptr;
	fdinfo *fdi = nullptr;
	int64_t fdnum = -1;
	inspector *insp = nullptr;
	uint64_t first_ts = 0; // ts of the first event of the capture (evt.reltime)
	uint64_t prev_ts = 0;  // ts of the previous event (evt.deltatime)
	// The TOCTOU enter event paired with this exit (same thread, enter type = exit type - 1).
	const uint8_t *enter = nullptr;
	uint32_t enter_nparams = 0;
	scap_param enter_params[SCAP_MAX_PARAMS] = {};

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
		return type_of(type);
	}
	const char *name() const; // evt.type (syscall name for generic events)
	bool is_exit() const
	{
		return type & 1;
	}

	int param_index(const char *pname) const;
	// The same for a name with static storage (a string literal): cached by pointer.
	int param_index_lit(const char *pname) const;
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
	bool get_int(const char *pname, int64_t &v) const;
	bool get_uint(const char *pname, uint64_t &v) const;
	bool get_str(const char *pname, std::string &v) const;
	const scap_param *get(const char *pname) const;
	// Same lookups on the paired enter event.
	const scap_param *enter_get(const char *pname) const;

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
	static std::string decode_str(const scap_param &p)
	{
		const char *s = (const char *)p.data;
		size_t n = p.len;
		while (n && s[n - 1] == '\0')
			n--;
		return std::string(s, strnlen(s, n));
	}
};

} // namespace sinsp
