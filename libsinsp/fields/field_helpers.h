// SPDX-License-Identifier: Apache-2.0
// What the field classes share (fields/*.cpp): a bound field's argument, the value helpers, the
// lookups of an event's threads, fds, paths and container (private to libsinsp/fields/).
#pragma once

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <unordered_map>

#include <unistd.h>

#include "container/manager.h"
#include "fields/dns.h"
#include "fields/field_api.h"
#include "fields/registry.h"
#include "format/names.h"
#include "format/render.h"
#include "inspector_impl.h"

namespace sinsp
{
namespace fields_detail
{

struct bound {
	std::string arg;
	bool has_arg = false;
	int64_t num = -1;   // numeric argument (index, ancestor level)
	int param_type = 0; // evt.rawarg: the parameter type found in the event table
	// evt.deltatime and evt.outputtime (-t D): the previous event this field instance extracted
	// on (upstream keeps it in the filter check), and the delta it gave for event last_num, so
	// that extracting twice on one event gives the same value
	mutable uint64_t last_ts = 0, last_num = UINT64_MAX, last_delta = 0;
	uint64_t delta(uint64_t num, uint64_t ts) const
	{
		if (num != last_num) {
			last_delta = last_ts && ts >= last_ts ? ts - last_ts : 0;
			last_ts = ts;
			last_num = num;
		}
		return last_delta;
	}
};

using vals = std::vector<field_value>;
using xfn = std::function<bool(const event &, const bound &, vals &)>;
using rfn = std::function<bool(const event &, const bound &, std::string &)>;
using sfn = field_ref::scalar_fn; // its context is the field's bound
using vfn = int (*)(const event &, const bound &, std::string_view &);

struct fentry {
	field_def def;
	xfn x;
	rfn r;		  // optional custom rendering
	sfn sx = nullptr; // optional: field_ref::extract_scalar() (the same value as x)
	int dns = -1;	  // fd.{c,s,l,r}ip.name: the endpoint (enum ep) whose domain names it gives
	vfn vx = nullptr; // optional: field_ref::extract_view() (the same value as x)
};

// ---- value helpers ----
inline bool S(vals &o, std::string s)
{
	field_value v;
	v.type = ftype::STRING;
	v.s = std::move(s);
	o.push_back(std::move(v));
	return true;
}
inline bool I64(vals &o, int64_t x, ftype t = ftype::INT64)
{
	field_value v;
	v.type = t;
	v.i = x;
	o.push_back(std::move(v));
	return true;
}
inline bool U64(vals &o, uint64_t x, ftype t = ftype::UINT64)
{
	field_value v;
	v.type = t;
	v.u = x;
	if (t == ftype::ABSTIME || t == ftype::RELTIME)
		v.i = (int64_t)x;
	o.push_back(std::move(v));
	return true;
}
inline bool B(vals &o, bool b)
{
	field_value v;
	v.type = ftype::BOOL;
	v.i = b;
	o.push_back(std::move(v));
	return true;
}
inline bool IP(vals &o, uint8_t family, const uint8_t *ip, ftype t = ftype::IPADDR)
{
	field_value v;
	v.type = t;
	v.ip_family = family == 10 ? 6 : 4;
	memcpy(v.ip, ip, family == 10 ? 16 : 4);
	o.push_back(std::move(v));
	return true;
}

inline threadinfo *TI(const event &e)
{
	return e.tinfo;
}
inline threadinfo *MT(const event &e)
{
	return e.tinfo ? e.insp->main_thread(e.tinfo) : nullptr;
}
inline threadinfo *PT(const event &e)
{
	return e.tinfo ? e.insp->parent_thread(e.tinfo) : nullptr;
}
// The Nth ancestor (0 = the process itself).
inline threadinfo *ancestor(const event &e, int64_t n)
{
	threadinfo *t = MT(e);
	for (int64_t k = 0; t && k < n; k++)
		t = e.insp->parent_thread(t);
	return t;
}

inline std::string join(const std::vector<std::string> &v, const char *sep)
{
	std::string out;
	for (size_t i = 0; i < v.size(); i++) {
		if (i)
			out += sep;
		out += v[i];
	}
	return out;
}

inline std::string cmdline(const threadinfo *t)
{
	std::string s = t->comm;
	for (auto &a : t->args) {
		s += ' ';
		s += a;
	}
	return s;
}

// upstream: exe, a space, the arguments space-separated (so "exe " without arguments)
inline std::string exeline(const threadinfo *t)
{
	std::string s = t->exe + " ";
	for (size_t i = 0; i < t->args.size(); i++) {
		if (i)
			s += ' ';
		s += t->args[i];
	}
	return s;
}

inline const char *cap_names[] = { "CAP_CHOWN",
				   "CAP_DAC_OVERRIDE",
				   "CAP_DAC_READ_SEARCH",
				   "CAP_FOWNER",
				   "CAP_FSETID",
				   "CAP_KILL",
				   "CAP_SETGID",
				   "CAP_SETUID",
				   "CAP_SETPCAP",
				   "CAP_LINUX_IMMUTABLE",
				   "CAP_NET_BIND_SERVICE",
				   "CAP_NET_BROADCAST",
				   "CAP_NET_ADMIN",
				   "CAP_NET_RAW",
				   "CAP_IPC_LOCK",
				   "CAP_IPC_OWNER",
				   "CAP_SYS_MODULE",
				   "CAP_SYS_RAWIO",
				   "CAP_SYS_CHROOT",
				   "CAP_SYS_PTRACE",
				   "CAP_SYS_PACCT",
				   "CAP_SYS_ADMIN",
				   "CAP_SYS_BOOT",
				   "CAP_SYS_NICE",
				   "CAP_SYS_RESOURCE",
				   "CAP_SYS_TIME",
				   "CAP_SYS_TTY_CONFIG",
				   "CAP_MKNOD",
				   "CAP_LEASE",
				   "CAP_AUDIT_WRITE",
				   "CAP_AUDIT_CONTROL",
				   "CAP_SETFCAP",
				   "CAP_MAC_OVERRIDE",
				   "CAP_MAC_ADMIN",
				   "CAP_SYSLOG",
				   "CAP_WAKE_ALARM",
				   "CAP_BLOCK_SUSPEND",
				   "CAP_AUDIT_READ",
				   "CAP_PERFMON",
				   "CAP_BPF",
				   "CAP_CHECKPOINT_RESTORE" };

inline std::string caps_str(uint64_t caps)
{
	std::string s;
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (caps & (1ull << i)) {
			if (!s.empty())
				s += ' ';
			s += cap_names[i];
		}
	return s;
}

// The event's result: the first parameter when it is res/fd-like (ERRNO, FD, PID) on an exit.
inline bool event_res(const event &e, int64_t &res)
{
	if (!e.is_exit() || !e.has(0))
		return false;
	int t = scap_event_param_type(e.type, 0);
	if (t != SCAP_PT_ERRNO && t != SCAP_PT_FD && t != SCAP_PT_PID)
		return false;
	res = e.as_int(0);
	return true;
}

// "HH:MM:SS.nnnnnnnnn" local time, with the broken-down second cached (outputs call it per event)
inline void append_time(std::string &out, uint64_t ts)
{
	thread_local time_t last = (time_t)-1;
	thread_local char prefix[16];
	time_t secs = (time_t)(ts / 1000000000ull);
	if (secs != last) {
		struct tm tm;
		localtime_r(&secs, &tm);
		strftime(prefix, sizeof(prefix), "%H:%M:%S", &tm);
		last = secs;
	}
	char buf[32];
	size_t n = strlen(prefix);
	memcpy(buf, prefix, n);
	buf[n++] = '.';
	uint64_t ns = ts % 1000000000ull;
	for (int k = 8; k >= 0; k--) {
		buf[n + k] = (char)('0' + ns % 10);
		ns /= 10;
	}
	out.append(buf, n + 9);
}

inline void append_int(std::string &out, int64_t v)
{
	char buf[24];
	auto r = std::to_chars(buf, buf + sizeof(buf), v);
	out.append(buf, r.ptr - buf);
}

inline std::string format_time(uint64_t ts, bool date, bool seconds_only, bool iso)
{
	time_t secs = (time_t)(ts / 1000000000ull);
	struct tm tm;
	char buf[96];
	if (!date && !seconds_only && !iso) {
		std::string s;
		append_time(s, ts);
		return s;
	}
	if (iso) {
		gmtime_r(&secs, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
		return std::string(buf) + "." + std::to_string(1000000000ull + ts % 1000000000ull).substr(1) + "Z";
	}
	localtime_r(&secs, &tm);
	strftime(buf, sizeof(buf), date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
	if (seconds_only)
		return buf;
	return std::string(buf) + "." + std::to_string(1000000000ull + ts % 1000000000ull).substr(1);
}

inline const char *l4_name(uint8_t l4)
{
	switch (l4) {
	case SCAP_L4_TCP: return "tcp";
	case SCAP_L4_UDP: return "udp";
	case SCAP_L4_ICMP: return "icmp";
	case SCAP_L4_RAW: return "raw";
	default: return nullptr;
	}
}

inline bool is_servsock(const fdinfo *f)
{
	return f && (f->type == SCAP_FD_IPV4_SERVSOCK || f->type == SCAP_FD_IPV6_SERVSOCK);
}
// endpoint selectors for fd.{c,s,l,r}{ip,port}
enum class ep { CLIENT, SERVER, LOCAL, REMOTE };
inline bool endpoint(const fdinfo *f, ep which, const uint8_t **ip, uint16_t *port)
{
	if (!f || !f->is_ip())
		return false;
	bool server_side;
	switch (which) {
	case ep::CLIENT: server_side = false; break;
	case ep::SERVER: server_side = true; break;
	case ep::LOCAL:
	case ep::REMOTE:
		if (!(f->flags & (FDF_ROLE_CLIENT | FDF_ROLE_SERVER)) && !is_servsock(f))
			return false;
		server_side = (f->flags & FDF_ROLE_CLIENT) ? which == ep::REMOTE : which == ep::LOCAL;
		break;
	default: return false;
	}
	if (is_servsock(f)) {
		if (!server_side)
			return false;
	} else if (!f->has_tuple) {
		return false;
	}
	*ip = server_side ? f->dip : f->sip;
	*port = server_side ? f->dport : f->sport;
	return true;
}

// Paths of file-changing events for fs.path.* and evt.abspath*.
enum class pathrole { NAME, SOURCE, TARGET };
inline bool event_path(const event &e, pathrole role, bool raw, std::string &out)
{
	const char *n = e.info().name;
	static const char *single[] = { "mkdir",   "mkdirat", "rmdir",	  "unlink", "unlinkat", "chmod", "fchmodat",
					"chown",   "lchown",  "fchownat", "mknod",  "mknodat",	"open",	 "openat",
					"openat2", "creat",   "chdir",	  "chroot", "truncate", nullptr };
	static const char *pair[] = { "rename", "renameat", "renameat2", "link",
				      "linkat", "symlink",  "symlinkat", nullptr };
	bool is_single = false, is_pair = false;
	for (const char **s = single; *s; s++)
		if (!strcmp(*s, n))
			is_single = true;
	for (const char **s = pair; *s; s++)
		if (!strcmp(*s, n))
			is_pair = true;
	if (!e.is_exit() || (!is_single && !is_pair))
		return false;
	if ((role == pathrole::NAME) != is_single)
		return false;
	// the k-th path-typed parameter (symlink's target is a CHARBUF: the link's content)
	int want = role == pathrole::TARGET ? 1 : 0;
	bool symlink = !strncmp(n, "symlink", 7);
	int k = 0;
	for (uint32_t i = 0; i < e.nparams; i++) {
		int t = scap_event_param_type(e.type, i);
		bool pathlike = t == SCAP_PT_FSPATH || t == SCAP_PT_FSRELPATH || (symlink && t == SCAP_PT_CHARBUF);
		if (!pathlike)
			continue;
		if (k++ != want)
			continue;
		if (!e.has((int)i))
			return false;
		if (raw || (symlink && t == SCAP_PT_CHARBUF))
			out = e.as_str((int)i);
		else
			out = resolve_path_param(e, i);
		return true;
	}
	return false;
}

// fdlist param of poll-like events: (fd, flags) pairs
inline bool fdlist(const event &e, std::vector<int64_t> &fds)
{
	for (uint32_t i = 0; i < e.nparams; i++) {
		if (scap_event_param_type(e.type, i) != SCAP_PT_FDLIST || !e.has((int)i))
			continue;
		const uint8_t *d = e.pdata((int)i);
		uint32_t len = e.params[i].len;
		if (len < 2)
			return false;
		uint16_t n;
		memcpy(&n, d, 2);
		for (uint32_t k = 0; k < n && 2u + k * 10u + 10u <= len; k++) {
			int64_t fd;
			memcpy(&fd, d + 2 + k * 10, 8);
			fds.push_back(fd);
		}
		return true;
	}
	return false;
}

inline int find_param_type(const std::string &pname)
{
	uint32_t n = scap_event_table_size();
	for (uint32_t t = 0; t < n; t++) {
		int np = scap_event_nparams((uint16_t)t);
		for (int i = 0; i < np; i++) {
			const char *nm = scap_event_param_name((uint16_t)t, (uint32_t)i);
			if (nm && pname == nm)
				return scap_event_param_type((uint16_t)t, (uint32_t)i);
		}
	}
	return -1;
}

inline ftype ftype_of_param(int pt)
{
	switch (pt) {
	case SCAP_PT_INT8:
	case SCAP_PT_INT16:
	case SCAP_PT_INT32:
	case SCAP_PT_INT64:
	case SCAP_PT_ERRNO:
	case SCAP_PT_FD:
	case SCAP_PT_PID:
	case SCAP_PT_FD32:
	case SCAP_PT_PID32: return ftype::INT64;
	case SCAP_PT_UINT8:
	case SCAP_PT_UINT16:
	case SCAP_PT_UINT32:
	case SCAP_PT_UINT64:
	case SCAP_PT_FLAGS8:
	case SCAP_PT_FLAGS16:
	case SCAP_PT_FLAGS32:
	case SCAP_PT_ENUMFLAGS8:
	case SCAP_PT_ENUMFLAGS16:
	case SCAP_PT_ENUMFLAGS32:
	case SCAP_PT_UID:
	case SCAP_PT_GID:
	case SCAP_PT_MODE:
	case SCAP_PT_SIGTYPE:
	case SCAP_PT_SYSCALLID:
	case SCAP_PT_SIGSET:
	case SCAP_PT_L4PROTO:
	case SCAP_PT_SOCKFAMILY: return ftype::UINT64;
	case SCAP_PT_PORT: return ftype::PORT;
	case SCAP_PT_BOOL: return ftype::BOOL;
	case SCAP_PT_RELTIME: return ftype::RELTIME;
	case SCAP_PT_ABSTIME: return ftype::ABSTIME;
	case SCAP_PT_DOUBLE: return ftype::DOUBLE;
	case SCAP_PT_BYTEBUF: return ftype::BYTES;
	case SCAP_PT_IPV4ADDR:
	case SCAP_PT_IPV6ADDR: return ftype::IPADDR;
	default: return ftype::STRING;
	}
}

// parameter index of evt.arg / evt.rawarg for this event (numeric argument or name)
inline int arg_index(const event &e, const bound &b)
{
	if (b.num >= 0)
		return (uint64_t)b.num < e.nparams ? (int)b.num : -1;
	return e.param_index(b.arg.c_str());
}

inline std::string render_value(const field_value &v)
{
	char buf[64];
	switch (v.type) {
	case ftype::INT64: snprintf(buf, sizeof(buf), "%" PRId64, v.i); return buf;
	case ftype::UINT64:
	case ftype::PORT: snprintf(buf, sizeof(buf), "%" PRIu64, v.u); return buf;
	case ftype::ABSTIME:
	case ftype::RELTIME: snprintf(buf, sizeof(buf), "%" PRId64, v.i); return buf;
	case ftype::BOOL: return v.i ? "true" : "false";
	case ftype::DOUBLE: snprintf(buf, sizeof(buf), "%.1f", v.d); return buf; // upstream's rendering
	case ftype::IPADDR:
	case ftype::IPNET: {
		char ip[INET6_ADDRSTRLEN] = "";
		inet_ntop(v.ip_family == 6 ? AF_INET6 : AF_INET, v.ip, ip, sizeof(ip));
		return ip;
	}
	case ftype::BYTES: {
		std::string s;
		for (unsigned char c : v.s)
			s += printable_or_dot(c);
		return s;
	}
	case ftype::STRING:
	default: return v.s;
	}
}

// ---- container helpers (container/info.h) ----
// The container metadata of the event's thread (nullptr on the host or when not known).
inline const ctr::info *CINFO(const event &e)
{
	threadinfo *t = e.tinfo;
	if (!t || t->incomplete || t->container_id == "host" || !e.insp->containers)
		return nullptr;
	return e.insp->containers->find(t->container_id);
}
// A non-empty string (upstream: an empty metadata string is no value).
inline bool NS(vals &o, const std::string &s)
{
	return !s.empty() && S(o, s);
}
inline bool CSTR(const event &e, vals &o, std::string ctr::info::*m)
{
	const ctr::info *c = CINFO(e);
	return c && NS(o, c->*m);
}
// container.mount*[N or glob]: by index, or by source (by_dest: destination) glob
inline const ctr::mount_info *CMOUNT(const event &e, const bound &b, bool by_dest)
{
	const ctr::info *c = CINFO(e);
	if (!c)
		return nullptr;
	return b.num >= 0 ? c->mount_by_index((uint64_t)b.num) : c->mount_by_glob(b.arg, by_dest);
}
// upstream's label list: key:value (key alone when empty), ", " between, without the runtime's own
inline std::string CLABELS(const std::map<std::string, std::string> &labels)
{
	std::string s;
	for (const auto &kv : labels) {
		if (kv.first.compare(0, 11, "annotation.") == 0 || kv.first.compare(0, 14, "io.kubernetes.") == 0)
			continue;
		if (!s.empty())
			s += ", ";
		s += kv.first;
		if (!kv.second.empty())
			s += ":" + kv.second;
	}
	return s;
}
// The pod's sandbox container, when it is another one the cache knows.
inline const ctr::info *SANDBOX(const event &e, const ctr::info *c)
{
	std::string sb = c->pod_sandbox_id;
	if (sb.empty())
		if (const std::string *l = c->label("io.kubernetes.sandbox.id"))
			sb = *l;
	if (sb.empty() || sb.compare(0, 12, c->id) == 0)
		return nullptr;
	return e.insp->containers->find(sb);
}
// The pod's labels: the CRI's sandbox labels, else those of the sandbox container (dockershim).
inline const std::map<std::string, std::string> *PODLABELS(const event &e)
{
	const ctr::info *c = CINFO(e);
	if (!c)
		return nullptr;
	if (!c->pod_sandbox_labels.empty())
		return &c->pod_sandbox_labels;
	const ctr::info *sb = SANDBOX(e, c);
	if (!sb)
		return c->pod_sandbox_id.empty() && !c->label("io.kubernetes.sandbox.id") ? nullptr
											  : &c->pod_sandbox_labels;
	return sb->pod_sandbox_labels.empty() ? &sb->labels : &sb->pod_sandbox_labels;
}

} // namespace fields_detail
} // namespace sinsp
