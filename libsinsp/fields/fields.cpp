// SPDX-License-Identifier: Apache-2.0
// The built-in field classes (docs/upstream-facts.md §8.7): evt, process/thread, user, group, fd, fs.path, fdlist,
// container. Implements the field_registry contract of fields/field_api.h.
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

namespace
{

struct bound {
	std::string arg;
	bool has_arg = false;
	int64_t num = -1;   // numeric argument (index, ancestor level)
	int param_type = 0; // evt.rawarg: the parameter type found in the event table
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
bool S(vals &o, std::string s)
{
	field_value v;
	v.type = ftype::STRING;
	v.s = std::move(s);
	o.push_back(std::move(v));
	return true;
}
bool I64(vals &o, int64_t x, ftype t = ftype::INT64)
{
	field_value v;
	v.type = t;
	v.i = x;
	o.push_back(std::move(v));
	return true;
}
bool U64(vals &o, uint64_t x, ftype t = ftype::UINT64)
{
	field_value v;
	v.type = t;
	v.u = x;
	if (t == ftype::ABSTIME || t == ftype::RELTIME)
		v.i = (int64_t)x;
	o.push_back(std::move(v));
	return true;
}
bool B(vals &o, bool b)
{
	field_value v;
	v.type = ftype::BOOL;
	v.i = b;
	o.push_back(std::move(v));
	return true;
}
bool IP(vals &o, uint8_t family, const uint8_t *ip, ftype t = ftype::IPADDR)
{
	field_value v;
	v.type = t;
	v.ip_family = family == 10 ? 6 : 4;
	memcpy(v.ip, ip, family == 10 ? 16 : 4);
	o.push_back(std::move(v));
	return true;
}

threadinfo *TI(const event &e)
{
	return e.tinfo;
}
threadinfo *MT(const event &e)
{
	return e.tinfo ? e.insp->main_thread(e.tinfo) : nullptr;
}
threadinfo *PT(const event &e)
{
	return e.tinfo ? e.insp->parent_thread(e.tinfo) : nullptr;
}
// The Nth ancestor (0 = the process itself).
threadinfo *ancestor(const event &e, int64_t n)
{
	threadinfo *t = MT(e);
	for (int64_t k = 0; t && k < n; k++)
		t = e.insp->parent_thread(t);
	return t;
}

std::string join(const std::vector<std::string> &v, const char *sep)
{
	std::string out;
	for (size_t i = 0; i < v.size(); i++) {
		if (i)
			out += sep;
		out += v[i];
	}
	return out;
}

std::string cmdline(const threadinfo *t)
{
	std::string s = t->comm;
	for (auto &a : t->args) {
		s += ' ';
		s += a;
	}
	return s;
}

// upstream: exe, a space, the arguments space-separated (so "exe " without arguments)
std::string exeline(const threadinfo *t)
{
	std::string s = t->exe + " ";
	for (size_t i = 0; i < t->args.size(); i++) {
		if (i)
			s += ' ';
		s += t->args[i];
	}
	return s;
}

const char *cap_names[] = { "CAP_CHOWN",
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

std::string caps_str(uint64_t caps)
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
bool event_res(const event &e, int64_t &res)
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
void append_time(std::string &out, uint64_t ts)
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

void append_int(std::string &out, int64_t v)
{
	char buf[24];
	auto r = std::to_chars(buf, buf + sizeof(buf), v);
	out.append(buf, r.ptr - buf);
}

std::string format_time(uint64_t ts, bool date, bool seconds_only, bool iso)
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

const char *l4_name(uint8_t l4)
{
	switch (l4) {
	case L4_TCP: return "tcp";
	case L4_UDP: return "udp";
	case L4_ICMP: return "icmp";
	case L4_RAW: return "raw";
	default: return nullptr;
	}
}

bool is_servsock(const fdinfo *f)
{
	return f && (f->type == SINSP_FD_IPV4_SERVSOCK || f->type == SINSP_FD_IPV6_SERVSOCK);
}
// endpoint selectors for fd.{c,s,l,r}{ip,port}
enum class ep { CLIENT, SERVER, LOCAL, REMOTE };
bool endpoint(const fdinfo *f, ep which, const uint8_t **ip, uint16_t *port)
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
bool event_path(const event &e, pathrole role, bool raw, std::string &out)
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
bool fdlist(const event &e, std::vector<int64_t> &fds)
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

int find_param_type(const std::string &pname)
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

ftype ftype_of_param(int pt)
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
int arg_index(const event &e, const bound &b)
{
	if (b.num >= 0)
		return (uint64_t)b.num < e.nparams ? (int)b.num : -1;
	return e.param_index(b.arg.c_str());
}

std::string render_value(const field_value &v)
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
			s += (c >= 0x20 && c < 0x7f) ? (char)c : '.';
		return s;
	}
	case ftype::STRING:
	default: return v.s;
	}
}

// ---- container helpers (container/info.h) ----
// The container metadata of the event's thread (nullptr on the host or when not known).
const ctr::info *CINFO(const event &e)
{
	threadinfo *t = e.tinfo;
	if (!t || t->incomplete || t->container_id == "host" || !e.insp->containers)
		return nullptr;
	return e.insp->containers->find(t->container_id);
}
// A non-empty string (upstream: an empty metadata string is no value).
bool NS(vals &o, const std::string &s)
{
	return !s.empty() && S(o, s);
}
bool CSTR(const event &e, vals &o, std::string ctr::info::*m)
{
	const ctr::info *c = CINFO(e);
	return c && NS(o, c->*m);
}
// container.mount*[N or glob]: by index, or by source (by_dest: destination) glob
const ctr::mount_info *CMOUNT(const event &e, const bound &b, bool by_dest)
{
	const ctr::info *c = CINFO(e);
	if (!c)
		return nullptr;
	return b.num >= 0 ? c->mount_by_index((uint64_t)b.num) : c->mount_by_glob(b.arg, by_dest);
}
// upstream's label list: key:value (key alone when empty), ", " between, without the runtime's own
std::string CLABELS(const std::map<std::string, std::string> &labels)
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
const ctr::info *SANDBOX(const event &e, const ctr::info *c)
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
const std::map<std::string, std::string> *PODLABELS(const event &e)
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

class registry_impl;

class ref_impl : public field_ref
{
public:
	ref_impl(const fentry *f, bound b) : m_f(f), m_b(std::move(b))
	{
	}
	const field_def &def() const override
	{
		return m_f->def;
	}
	const std::string &arg() const override
	{
		return m_b.arg;
	}
	bool extract(const event &evt, std::vector<field_value> &out) override
	{
		size_t before = out.size();
		bool ok = m_f->x(evt, m_b, out);
		if (!ok)
			out.resize(before);
		return ok && out.size() > before;
	}
	bool has_scalar() const override
	{
		return m_f->sx != nullptr;
	}
	bool has_view() const override
	{
		return m_f->vx != nullptr;
	}
	int extract_view(const event &evt, std::string_view &v) override
	{
		return m_f->vx(evt, m_b, v);
	}
	bool extract_scalar(const event &evt, field_value &v) override
	{
		return m_f->sx(evt, &m_b, v);
	}
	scalar_fn scalar_function(const void *&ctx) const override
	{
		ctx = &m_b;
		return m_f->sx;
	}
	bool render(const event &evt, std::string &out) override
	{
		if (m_f->r)
			return m_f->r(evt, m_b, out);
		m_scratch.clear();
		if (!extract(evt, m_scratch))
			return false;
		if (m_scratch.size() == 1) {
			out += render_value(m_scratch[0]);
			return true;
		}
		out += '(';
		for (size_t i = 0; i < m_scratch.size(); i++) {
			if (i)
				out += ',';
			out += render_value(m_scratch[i]);
		}
		out += ')';
		return true;
	}

private:
	const fentry *m_f;
	bound m_b;
	std::vector<field_value> m_scratch;
};

// fd.sip.name & co. (fields/dns.h): in a filter, the names it is compared with are watched,
// and the field gives those of them that currently resolve to the endpoint's address (or "" when
// none does, so that `!=` and `not ... in` hold as upstream's DNS comparisons do); in an output,
// the watched names (of every filter) that resolve to the address, or nothing.
class dns_ref : public field_ref
{
public:
	dns_ref(const fentry *f, ep which) : m_f(f), m_which(which)
	{
	}
	const field_def &def() const override
	{
		return m_f->def;
	}
	const std::string &arg() const override
	{
		return m_noarg;
	}
	void watch_values(const std::vector<std::string> &values) override
	{
		for (const auto &v : values) {
			if (std::find(m_names.begin(), m_names.end(), v) == m_names.end())
				m_names.push_back(v);
			dns::watch(v);
		}
	}
	bool extract(const event &evt, std::vector<field_value> &out) override
	{
		uint8_t family;
		const uint8_t *ip;
		if (!address(evt, family, ip))
			return false;
		size_t before = out.size();
		if (m_names.empty()) {
			m_tmp.clear();
			dns::names_of(family, ip, m_tmp);
			for (auto &n : m_tmp)
				S(out, n);
		} else {
			for (const auto &n : m_names)
				if (dns::resolves_to(n, family, ip))
					S(out, n);
		}
		if (out.size() == before)
			S(out, "");
		return true;
	}
	bool render(const event &evt, std::string &out) override
	{
		uint8_t family;
		const uint8_t *ip;
		if (!address(evt, family, ip))
			return false;
		m_tmp.clear();
		dns::names_of(family, ip, m_tmp);
		if (m_tmp.empty())
			return false;
		out += m_tmp[0];
		return true;
	}

private:
	bool address(const event &evt, uint8_t &family, const uint8_t *&ip) const
	{
		uint16_t port;
		if (!endpoint(evt.fdi, m_which, &ip, &port))
			return false;
		family = evt.fdi->family == 10 ? 6 : 4;
		return true;
	}

	const fentry *m_f;
	ep m_which;
	std::string m_noarg;
	std::vector<std::string> m_names;
	std::vector<std::string> m_tmp;
};

size_t edit_distance(const std::string &a, const std::string &b)
{
	std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
	for (size_t j = 0; j <= b.size(); j++)
		prev[j] = j;
	for (size_t i = 1; i <= a.size(); i++) {
		cur[0] = i;
		for (size_t j = 1; j <= b.size(); j++)
			cur[j] =
				std::min({ prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1) });
		std::swap(prev, cur);
	}
	return prev[b.size()];
}

bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

class registry_impl : public field_registry
{
public:
	registry_impl();

	std::unique_ptr<field_ref> bind(const std::string &name, const std::string *arg,
					std::string &err) const override
	{
		std::string fname = name, farg;
		bool has_arg = arg != nullptr;
		if (arg)
			farg = *arg;
		auto it = m_index.find(fname);
		if (it == m_index.end() && !has_arg) {
			// dotted argument forms: evt.arg.fd, evt.type.is.open, thread.cgroup.cpuacct
			size_t dot = fname.size();
			while ((dot = fname.rfind('.', dot - 1)) != std::string::npos && dot > 0) {
				auto j = m_index.find(fname.substr(0, dot));
				if (j != m_index.end() &&
				    (m_fields[j->second].def.flags & (FF_ARG_ALLOWED | FF_ARG_REQUIRED))) {
					farg = fname.substr(dot + 1);
					fname = fname.substr(0, dot);
					has_arg = true;
					it = j;
					break;
				}
				if (dot == 0)
					break;
			}
		}
		if (it == m_index.end()) {
			err = "unknown field '" + name + "'";
			std::string best;
			size_t bestd = SIZE_MAX;
			for (auto &f : m_fields) {
				// ties go to names that complete what was typed ("fd.nam" -> "fd.name")
				size_t d = 2 * edit_distance(name, f.def.name) -
					   (f.def.name.compare(0, name.size(), name) == 0 ? 1 : 0);
				if (d < bestd) {
					bestd = d;
					best = f.def.name;
				}
			}
			if (!best.empty() && bestd <= 2 * std::max<size_t>(3, name.size() / 3))
				err += " (did you mean '" + best + "'?)";
			return nullptr;
		}
		const fentry &f = m_fields[it->second];
		if (has_arg && !(f.def.flags & (FF_ARG_ALLOWED | FF_ARG_REQUIRED))) {
			err = "field '" + fname + "' does not take an argument";
			return nullptr;
		}
		if (!has_arg && (f.def.flags & FF_ARG_REQUIRED)) {
			err = "field '" + fname + "' requires an argument";
			return nullptr;
		}
		bound b;
		b.arg = farg;
		b.has_arg = has_arg;
		if (has_arg && !farg.empty()) {
			char *end;
			long long v = strtoll(farg.c_str(), &end, 10);
			if (*end == '\0' && v >= 0)
				b.num = v;
		}
		if (has_arg && !check_arg(f.def.name, b, err))
			return nullptr;
		if (fname == "evt.rawarg") // typed by the parameter's type in the event table
			return std::make_unique<ref_impl>(rawarg_entry(b.param_type), b);
		if (f.dns >= 0)
			return std::make_unique<dns_ref>(&f, (ep)f.dns);
		return std::make_unique<ref_impl>(&f, b);
	}

	size_t match_prefix(const std::string &text, size_t pos) const override
	{
		size_t end = pos;
		while (end < text.size() && is_name_char(text[end]))
			end++;
		// the longest field name that is a prefix of text[pos, end) ending at a name boundary
		for (size_t len = end - pos; len > 0; len--) {
			if (pos + len < end && text[pos + len] != '.')
				continue;
			auto it = m_index.find(text.substr(pos, len));
			if (it == m_index.end())
				continue;
			const fentry &f = m_fields[it->second];
			if (pos + len < end && (f.def.flags & (FF_ARG_ALLOWED | FF_ARG_REQUIRED)))
				return end - pos; // dotted argument
			// a trailing '.' (end of a sentence) is not part of the name
			return len;
		}
		return 0;
	}

	std::vector<field_def> all() const override
	{
		std::vector<field_def> out;
		for (auto &f : m_fields)
			out.push_back(f.def);
		return out;
	}

	const std::vector<fentry> &entries() const
	{
		return m_fields;
	}

private:
	void add(const char *name, ftype t, uint32_t flags, const char *cls, const char *desc, xfn x, rfn r = nullptr)
	{
		fentry f;
		f.def.name = name;
		f.def.type = t;
		f.def.flags = flags;
		f.def.cls = cls;
		f.def.desc = desc;
		f.x = std::move(x);
		f.r = std::move(r);
		m_index[name] = m_fields.size();
		m_fields.push_back(std::move(f));
	}

	void scalar(const char *name, sfn sx)
	{
		m_fields[m_index.at(name)].sx = sx;
	}

	void view(const char *name, vfn vx)
	{
		m_fields[m_index.at(name)].vx = vx;
	}

	bool check_arg(const std::string &name, bound &b, std::string &err) const
	{
		if (name == "evt.arg" || name == "evt.rawarg") {
			if (b.num < 0) {
				int pt = find_param_type(b.arg);
				if (pt < 0) {
					err = "unknown event parameter '" + b.arg + "' in " + name;
					return false;
				}
				b.param_type = pt;
			} else {
				b.param_type = SCAP_PT_INT64;
			}
		} else if (name == "evt.type.is") {
			bool found = false;
			for (uint32_t t = 0; t < scap_event_table_size() && !found; t++)
				found = b.arg == scap_event_name((uint16_t)t);
			if (!found && scap_ppm_sc_from_name(b.arg.c_str()) < 0) {
				err = "unknown event type '" + b.arg + "' in evt.type.is";
				return false;
			}
		} else if (name == "proc.aname" || name == "proc.apid" || name == "proc.aexe" ||
			   name == "proc.aexepath" || name == "proc.acmdline") {
			if (b.num < 0) {
				err = "field '" + name + "' takes a numeric ancestor level, not '" + b.arg + "'";
				return false;
			}
		} else if (name == "proc.args" || name == "fd.types") {
			if (b.num < 0) {
				err = "field '" + name + "' takes a numeric index, not '" + b.arg + "'";
				return false;
			}
		}
		return true;
	}

	const fentry *rawarg_entry(int pt) const
	{
		auto it = m_rawarg.find(pt);
		return it->second.get();
	}

	std::vector<fentry> m_fields;
	std::unordered_map<std::string, size_t> m_index;
	std::unordered_map<int, std::unique_ptr<fentry>> m_rawarg; // evt.rawarg typed per parameter type
};

registry_impl::registry_impl()
{
	const uint32_t A = FF_ARG_ALLOWED, R = FF_ARG_REQUIRED, F = FF_FILTER_ONLY, P = FF_PRINT_ONLY,
		       D = FF_DEPRECATED, L = FF_LIST;
	using ev = const event &;
	using bd = const bound &;

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
	add("evt.rawtime.ns", ftype::UINT64, 0, EVT, "event timestamp, nanoseconds part",
	    [](ev e, bd, vals &o) { return U64(o, e.ts() % 1000000000ull); });
	add("evt.reltime", ftype::RELTIME, 0, EVT, "ns since the first event",
	    [](ev e, bd, vals &o) { return U64(o, e.ts() - e.first_ts, ftype::RELTIME); });
	add("evt.reltime.s", ftype::UINT64, 0, EVT, "seconds since the first event",
	    [](ev e, bd, vals &o) { return U64(o, (e.ts() - e.first_ts) / 1000000000ull); });
	add("evt.reltime.ns", ftype::UINT64, 0, EVT, "nanoseconds part of the time since the first event",
	    [](ev e, bd, vals &o) { return U64(o, (e.ts() - e.first_ts) % 1000000000ull); });
	add("evt.deltatime", ftype::RELTIME, 0, EVT, "ns since the previous event",
	    [](ev e, bd, vals &o) { return U64(o, e.ts() - e.prev_ts, ftype::RELTIME); });
	add("evt.deltatime.s", ftype::UINT64, 0, EVT, "seconds since the previous event",
	    [](ev e, bd, vals &o) { return U64(o, (e.ts() - e.prev_ts) / 1000000000ull); });
	add("evt.deltatime.ns", ftype::UINT64, 0, EVT, "nanoseconds part of the time since the previous event",
	    [](ev e, bd, vals &o) { return U64(o, (e.ts() - e.prev_ts) % 1000000000ull); });
	add("evt.outputtime", ftype::ABSTIME, P, EVT, "event timestamp for outputs (ns since the epoch)",
	    [](ev e, bd, vals &o) { return U64(o, e.ts(), ftype::ABSTIME); });
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
	add("evt.buflen", ftype::UINT64, 0, EVT, "bytes read or written by an I/O event", [](ev e, bd, vals &o) {
		int64_t res;
		if (!(e.info().flags & (SCAP_EF_READS_FROM_FD | SCAP_EF_WRITES_TO_FD)) || !event_res(e, res) || res < 0)
			return false;
		return U64(o, (uint64_t)res);
	});
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
	add("evt.is_open_exec", ftype::BOOL, 0, EVT, "true for opens of executables (not tracked: always false)",
	    [](ev e, bd, vals &o) { return B(o, e.info().kind == ekind::OPEN && false); });
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
	add("evt.is_async", ftype::BOOL, 0, EVT, "true for async events",
	    [](ev e, bd, vals &o) { return B(o, e.type == SCAP_EVT_ASYNCEVENT_E); });
	add("evt.count", ftype::UINT64, 0, EVT, "1 for every event (for aggregations)",
	    [](ev, bd, vals &o) { return U64(o, 1); });
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

	// ---------------- process / thread ----------------
	const char *PR = "process";
	add("proc.pid", ftype::INT64, 0, PR, "process id", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && I64(o, t->pid >= 0 ? t->pid : t->tid); // unknown thread: its own process, like upstream
	});
	add("proc.exe", ftype::STRING, 0, PR, "argv[0] of the process", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && S(o, t->exe);
	});
	add(
		"proc.name", ftype::STRING, 0, PR, "process name (comm)",
		[](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			return t && S(o, t->comm);
		},
		[](ev e, bd, std::string &out) {
			threadinfo *t = TI(e);
			if (!t)
				return false;
			out += t->comm;
			return true;
		});
	add("proc.args", ftype::STRING, A, PR, "command-line arguments; proc.args[N] the Nth", [](ev e, bd b, vals &o) {
		threadinfo *t = TI(e);
		if (!t)
			return false;
		if (b.has_arg)
			return (uint64_t)b.num < t->args.size() && S(o, t->args[b.num]);
		return S(o, join(t->args, " "));
	});
	add("proc.env", ftype::STRING, A, PR, "environment; proc.env[NAME] one variable", [](ev e, bd b, vals &o) {
		threadinfo *t = MT(e);
		if (!t)
			return false;
		if (!b.has_arg)
			return S(o, join(t->env, " "));
		for (auto &kv : t->env)
			if (kv.size() > b.arg.size() && kv.compare(0, b.arg.size(), b.arg) == 0 &&
			    kv[b.arg.size()] == '=')
				return S(o, kv.substr(b.arg.size() + 1));
		return false;
	});
	add("proc.cmdline", ftype::STRING, 0, PR, "name and arguments", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && S(o, cmdline(t));
	});
	add("proc.exeline", ftype::STRING, 0, PR, "exe and arguments", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && S(o, exeline(t));
	});
	add("proc.cmdnargs", ftype::UINT64, 0, PR, "number of arguments", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->args.size());
	});
	add("proc.cmdlenargs", ftype::UINT64, 0, PR, "total length of the arguments", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		if (!t)
			return false;
		uint64_t n = 0;
		for (auto &a : t->args)
			n += a.size();
		return U64(o, n);
	});
	add("proc.cwd", ftype::STRING, 0, PR, "current working directory, ending with '/' (empty if unknown)",
	    [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    if (!t)
			    return false;
		    const std::string &c = e.insp->cwd_of(t);
		    return S(o, c.empty() || c.back() == '/' ? c : c + "/");
	    });
	add("proc.exepath", ftype::STRING, 0, PR, "full path of the executable", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && S(o, t->exepath);
	});
	add("proc.nthreads", ftype::UINT64, 0, PR, "threads of the process", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->pid >= 0 ? e.insp->threads.nthreads(t->pid) : 1);
	});
	add("proc.nchilds", ftype::UINT64, 0, PR, "child processes known", [](ev e, bd, vals &o) {
		threadinfo *t = MT(e);
		return t && U64(o, t->children.size());
	});
	add("proc.ppid", ftype::INT64, 0, PR, "parent process id", [](ev e, bd, vals &o) {
		threadinfo *p = PT(e);
		if (p)
			return I64(o, p->pid >= 0 ? p->pid : p->tid);
		threadinfo *m = MT(e);
		return m && I64(o, m->ptid); // -1 when unknown, as upstream prints it
	});
	add("proc.pname", ftype::STRING, 0, PR, "parent name", [](ev e, bd, vals &o) {
		threadinfo *p = PT(e);
		return p && !p->comm.empty() && S(o, p->comm);
	});
	add("proc.pcmdline", ftype::STRING, 0, PR, "parent command line", [](ev e, bd, vals &o) {
		threadinfo *p = PT(e);
		return p && !p->comm.empty() && S(o, cmdline(p));
	});
	add("proc.pexe", ftype::STRING, 0, PR, "parent argv[0]", [](ev e, bd, vals &o) {
		threadinfo *p = PT(e);
		return p && S(o, p->exe);
	});
	add("proc.pexepath", ftype::STRING, 0, PR, "parent executable path", [](ev e, bd, vals &o) {
		threadinfo *p = PT(e);
		return p && !p->exepath.empty() && S(o, p->exepath);
	});
	auto anc = [](std::function<bool(threadinfo *, vals &)> get) {
		return [get](ev e, bd b, vals &o) {
			if (b.has_arg) {
				threadinfo *t = ancestor(e, b.num);
				return t && get(t, o);
			}
			bool any = false;
			for (threadinfo *t = ancestor(e, 1); t; t = e.insp->parent_thread(t))
				any |= get(t, o);
			return any;
		};
	};
	add("proc.aname", ftype::STRING, A | L, PR, "name of an ancestor: proc.aname[1] = parent; no argument: any",
	    anc([](threadinfo *t, vals &o) { return !t->comm.empty() && S(o, t->comm); }));
	add("proc.apid", ftype::INT64, A | L, PR, "pid of an ancestor",
	    anc([](threadinfo *t, vals &o) { return I64(o, t->pid >= 0 ? t->pid : t->tid); }));
	add("proc.aexe", ftype::STRING, A | L, PR, "argv[0] of an ancestor",
	    anc([](threadinfo *t, vals &o) { return S(o, t->exe); }));
	add("proc.aexepath", ftype::STRING, A | L, PR, "executable path of an ancestor",
	    anc([](threadinfo *t, vals &o) { return !t->exepath.empty() && S(o, t->exepath); }));
	add("proc.acmdline", ftype::STRING, A | L, PR, "command line of an ancestor",
	    anc([](threadinfo *t, vals &o) { return !t->comm.empty() && S(o, cmdline(t)); }));
	for (const char *n : { "proc.aname", "proc.apid", "proc.aexe", "proc.aexepath", "proc.acmdline" })
		m_fields[m_index.at(n)].def.each = true; // upstream compares each ancestor on its own
	add("proc.loginshellid", ftype::INT64, 0, PR, "pid of the oldest shell among the ancestors",
	    [](ev e, bd, vals &o) {
		    int64_t found = -1;
		    int guard = 0;
		    for (threadinfo *t = MT(e); t && guard < 4096; t = e.insp->parent_thread(t), guard++) {
			    const std::string &c = t->comm;
			    if (c.size() >= 2 && c.compare(c.size() - 2, 2, "sh") == 0)
				    found = t->pid;
		    }
		    return found >= 0 && I64(o, found);
	    });
	add("proc.tty", ftype::INT64, 0, PR, "controlling terminal (0 if none)", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && I64(o, t->tty);
	});
	add("proc.sid", ftype::INT64, 0, PR, "session id", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && I64(o, t->sid);
	});
	add("proc.sname", ftype::STRING, 0, PR,
	    "name of the session leader: the process whose pid is proc.sid, else the eldest ancestor in the same "
	    "session",
	    [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    if (!t)
			    return false;
		    threadinfo *l = t->sid > 0 ? e.insp->threads.find(t->sid) : nullptr;
		    if (!l) {
			    l = e.insp->main_thread(t);
			    int guard = 0;
			    for (threadinfo *p = e.insp->parent_thread(l); p && p->sid == t->sid && guard < 4096;
				 p = e.insp->parent_thread(p), guard++)
				    l = p;
		    }
		    return S(o, l->comm);
	    });
	add("proc.sid.exe", ftype::STRING, 0, PR, "argv[0] of the session leader", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		threadinfo *l = t && t->sid > 0 ? e.insp->threads.find(t->sid) : nullptr;
		return l && S(o, l->exe);
	});
	add("proc.sid.exepath", ftype::STRING, 0, PR, "executable path of the session leader", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		threadinfo *l = t && t->sid > 0 ? e.insp->threads.find(t->sid) : nullptr;
		return l && S(o, l->exepath);
	});
	add("proc.vpgid", ftype::INT64, 0, PR, "process group id (in the process's pid namespace)",
	    [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    return t && I64(o, t->vpgid);
	    });
	add("proc.pgid", ftype::INT64, 0, PR, "process group id", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->pgid >= 0 && I64(o, t->pgid);
	});
	auto leader = [](bool v, int what) {
		return [v, what](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			int64_t id = t ? (v ? t->vpgid : t->pgid) : -1;
			threadinfo *l = id > 0 ? e.insp->threads.find(id) : nullptr;
			if (!l)
				return false;
			return what == 0   ? (!l->comm.empty() && S(o, l->comm))
			       : what == 1 ? S(o, l->exe)
					   : S(o, l->exepath);
		};
	};
	add("proc.vpgid.name", ftype::STRING, 0, PR, "name of the process group leader", leader(true, 0));
	add("proc.vpgid.exe", ftype::STRING, 0, PR, "argv[0] of the process group leader", leader(true, 1));
	add("proc.vpgid.exepath", ftype::STRING, 0, PR, "executable path of the process group leader", leader(true, 2));
	add("proc.pgid.name", ftype::STRING, 0, PR, "name of the process group leader", leader(false, 0));
	add("proc.pgid.exe", ftype::STRING, 0, PR, "argv[0] of the process group leader", leader(false, 1));
	add("proc.pgid.exepath", ftype::STRING, 0, PR, "executable path of the process group leader", leader(false, 2));
	add("proc.is_sid_leader", ftype::BOOL, 0, PR, "true if the process leads its session", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->sid >= 0 && B(o, t->sid == (t->vpid > 0 ? t->vpid : t->pid));
	});
	add("proc.is_vpgid_leader", ftype::BOOL, 0, PR, "true if the process leads its group", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->vpgid >= 0 && B(o, t->vpgid == (t->vpid > 0 ? t->vpid : t->pid));
	});
	add("proc.is_pgid_leader", ftype::BOOL, 0, PR, "true if the process leads its group", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->pgid >= 0 && B(o, t->pgid == t->pid);
	});
	add("proc.vpid", ftype::INT64, 0, PR, "pid in the process's pid namespace", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->vpid >= 0 && I64(o, t->vpid);
	});
	add("proc.pvpid", ftype::INT64, 0, PR, "parent's pid in its pid namespace", [](ev e, bd, vals &o) {
		threadinfo *p = PT(e);
		return p && p->vpid >= 0 && I64(o, p->vpid);
	});
	add("proc.duration", ftype::RELTIME, 0, PR, "ns since the thread started", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->clone_ts && e.ts() >= t->clone_ts && U64(o, e.ts() - t->clone_ts, ftype::RELTIME);
	});
	add("proc.pid.ts", ftype::ABSTIME, 0, PR, "start time of the process", [](ev e, bd, vals &o) {
		threadinfo *t = MT(e);
		return t && t->clone_ts && U64(o, t->clone_ts, ftype::ABSTIME);
	});
	add("proc.ppid.ts", ftype::ABSTIME, 0, PR, "start time of the parent", [](ev e, bd, vals &o) {
		threadinfo *p = PT(e);
		return p && p->clone_ts && U64(o, p->clone_ts, ftype::ABSTIME);
	});
	add("proc.ppid.duration", ftype::RELTIME, 0, PR, "ns since the parent started", [](ev e, bd, vals &o) {
		threadinfo *p = PT(e);
		return p && p->clone_ts && e.ts() >= p->clone_ts && U64(o, e.ts() - p->clone_ts, ftype::RELTIME);
	});
	auto exeflag = [](uint32_t bit) {
		return [bit](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			return t && B(o, t->exe_flags & bit);
		};
	};
	add("proc.is_exe_writable", ftype::BOOL, 0, PR, "executable writable by the process",
	    exeflag(SCAP_EXECVE_FLAGS_EXE_WRITABLE));
	add("proc.is_exe_upper_layer", ftype::BOOL, 0, PR, "executable in an overlayfs upper layer",
	    exeflag(SCAP_EXECVE_FLAGS_EXE_UPPER_LAYER));
	add("proc.is_exe_lower_layer", ftype::BOOL, 0, PR, "executable in an overlayfs lower layer",
	    exeflag(SCAP_EXECVE_FLAGS_EXE_LOWER_LAYER));
	add("proc.is_exe_from_memfd", ftype::BOOL, 0, PR, "executable from a memfd",
	    exeflag(SCAP_EXECVE_FLAGS_EXE_FROM_MEMFD));
	add("proc.exe_ino", ftype::INT64, 0, PR, "inode of the executable", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->exe_ino && I64(o, (int64_t)t->exe_ino);
	});
	add("proc.exe_ino.ctime", ftype::ABSTIME, 0, PR, "ctime of the executable's inode", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->exe_ino_ctime && U64(o, t->exe_ino_ctime, ftype::ABSTIME);
	});
	add("proc.exe_ino.mtime", ftype::ABSTIME, 0, PR, "mtime of the executable's inode", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->exe_ino_mtime && U64(o, t->exe_ino_mtime, ftype::ABSTIME);
	});
	add("proc.exe_ino.ctime_duration_proc_start", ftype::ABSTIME, 0, PR,
	    "ns between the executable's inode ctime and the process start (clone)", [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    return t && t->exe_ino_ctime && t->clone_ts &&
			   U64(o, t->clone_ts - t->exe_ino_ctime, ftype::ABSTIME); // wraps when later, as upstream's
	    });
	add("proc.exe_ino.ctime_duration_pidns_start", ftype::ABSTIME, 0, PR,
	    "ns between the pid namespace's start and the executable's inode ctime, when the ctime is later",
	    [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    return t && t->pidns_init_start_ts && t->exe_ino_ctime > t->pidns_init_start_ts &&
			   U64(o, t->exe_ino_ctime - t->pidns_init_start_ts, ftype::ABSTIME);
	    });
	add("proc.pidns_init_start_ts", ftype::UINT64, 0, PR, "start time of the pid namespace's init",
	    [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    return t && t->pidns_init_start_ts && U64(o, t->pidns_init_start_ts);
	    });
	auto capf = [](int which) {
		return [which](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			if (!t || t->incomplete)
				return false;
			uint64_t c = which == 0 ? t->cap_permitted : which == 1 ? t->cap_inheritable : t->cap_effective;
			return S(o, caps_str(c));
		};
	};
	add("thread.cap_permitted", ftype::STRING, 0, PR, "permitted capabilities", capf(0));
	add("thread.cap_inheritable", ftype::STRING, 0, PR, "inheritable capabilities", capf(1));
	add("thread.cap_effective", ftype::STRING, 0, PR, "effective capabilities", capf(2));
	add("proc.fdopencount", ftype::UINT64, 0, PR, "open fds of the process", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->fds->fds.size());
	});
	add("proc.fdlimit", ftype::INT64, 0, PR, "fd limit of the process", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && I64(o, t->fdlimit);
	});
	add("proc.fdusage", ftype::DOUBLE, 0, PR, "open fds in percent of the limit", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		if (!t)
			return false;
		field_value v;
		v.type = ftype::DOUBLE;
		v.d = t->fdlimit > 0 ? 100.0 * (double)t->fds->fds.size() / (double)t->fdlimit : 0.0;
		o.push_back(v);
		return true;
	});
	add("proc.vmsize", ftype::UINT64, 0, PR, "virtual memory size (kB)", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->vmsize);
	});
	add("proc.vmrss", ftype::UINT64, 0, PR, "resident memory (kB)", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->vmrss);
	});
	add("proc.vmswap", ftype::UINT64, 0, PR, "swapped memory (kB)", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->vmswap);
	});
	add("thread.pfmajor", ftype::UINT64, 0, PR, "major page faults", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->pfmajor);
	});
	add("thread.pfminor", ftype::UINT64, 0, PR, "minor page faults", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->pfminor);
	});
	add(
		"thread.tid", ftype::INT64, 0, PR, "thread id", [](ev e, bd, vals &o) { return I64(o, e.tid()); },
		[](ev e, bd, std::string &out) {
			append_int(out, e.tid());
			return true;
		});
	add("thread.ismain", ftype::BOOL, 0, PR, "true for the main thread of a process", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && B(o, t->pid < 0 || t->is_main()); // unknown thread: its own process
	});
	add("thread.vtid", ftype::INT64, 0, PR, "thread id in its pid namespace", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->vtid >= 0 && I64(o, t->vtid);
	});
	add("thread.cgroups", ftype::STRING, 0, PR, "all cgroups, subsys=path space-separated", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		if (!t || t->cgroups.empty())
			return false;
		std::string s;
		for (auto &c : t->cgroups) {
			if (!s.empty())
				s += ' ';
			s += c.first + "=" + c.second;
		}
		return S(o, s);
	});
	add("thread.cgroup", ftype::STRING, R, PR, "the cgroup of a subsystem: thread.cgroup.cpuacct",
	    [](ev e, bd b, vals &o) {
		    threadinfo *t = TI(e);
		    if (!t)
			    return false;
		    for (auto &c : t->cgroups)
			    if (c.first == b.arg)
				    return S(o, c.second);
		    return false;
	    });
	auto stdfd = [](int64_t fd, bool name) {
		return [fd, name](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			fdinfo *f = t ? t->fds->find(fd) : nullptr;
			return f && S(o, name ? f->name : fd_typestr(f->type));
		};
	};
	add("proc.stdin.type", ftype::STRING, 0, PR, "type of fd 0", stdfd(0, false));
	add("proc.stdin.name", ftype::STRING, 0, PR, "name of fd 0", stdfd(0, true));
	add("proc.stdout.type", ftype::STRING, 0, PR, "type of fd 1", stdfd(1, false));
	add("proc.stdout.name", ftype::STRING, 0, PR, "name of fd 1", stdfd(1, true));
	add("proc.stderr.type", ftype::STRING, 0, PR, "type of fd 2", stdfd(2, false));
	add("proc.stderr.name", ftype::STRING, 0, PR, "name of fd 2", stdfd(2, true));

	// ---------------- user / group ----------------
	add("user.uid", ftype::UINT64, 0, "user", "effective user id", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->uid); // 4294967295 when unknown, as upstream prints it
	});
	auto userf = [](int what) {
		return [what](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			if (!t || t->uid == UINT32_MAX)
				return false;
			auto it = e.insp->users.find(t->uid);
			if (it == e.insp->users.end())
				return what == 0 && t->uid == 0 && S(o, "root");
			const user_entry &u = it->second;
			return S(o, what == 0 ? u.name : what == 1 ? u.home : u.shell);
		};
	};
	add("user.name", ftype::STRING, 0, "user", "user name", userf(0));
	add("user.homedir", ftype::STRING, 0, "user", "home directory", userf(1));
	add("user.shell", ftype::STRING, 0, "user", "login shell", userf(2));
	add("user.loginuid", ftype::INT64, 0, "user", "audit login uid (-1 if unset)", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && I64(o, t->loginuid == UINT32_MAX ? -1 : (int64_t)t->loginuid);
	});
	add("user.loginname", ftype::STRING, 0, "user", "name of the audit login user", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		if (!t || t->loginuid == UINT32_MAX)
			return false;
		auto it = e.insp->users.find(t->loginuid);
		if (it == e.insp->users.end())
			return t->loginuid == 0 && S(o, "root");
		return S(o, it->second.name);
	});
	add("group.gid", ftype::UINT64, 0, "group", "effective group id", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->gid);
	});
	add("group.name", ftype::STRING, 0, "group", "group name", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		if (!t || t->gid == UINT32_MAX)
			return false;
		auto it = e.insp->groups.find(t->gid);
		if (it == e.insp->groups.end())
			return t->gid == 0 && S(o, "root");
		return S(o, it->second.name);
	});

	// ---------------- container ----------------
	// Upstream's container and k8s fields (the container plugin's names and types, docs/containers.md):
	// the id and type from the cgroups, the rest from the runtimes' metadata (sinsp/container.h).
	// A host process reads "host" in container.id, .full_id, .name and .type, nothing elsewhere; a
	// container whose metadata is not known (yet) has its id and the cgroup layout's type only.
	const char *CT = "container";
	add("container.id", ftype::STRING, 0, CT, "container id (12 chars) or 'host'", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && !t->incomplete && S(o, t->container_id);
	});
	add("container.full_id", ftype::STRING, 0, CT, "the whole container id ('host' on the host)",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c;
		    threadinfo *t = TI(e);
		    if (t && !t->incomplete && t->container_id == "host")
			    return S(o, "host");
		    return (c = CINFO(e)) && NS(o, c->full_id);
	    });
	add("container.name", ftype::STRING, 0, CT, "container name ('host' on the host)", [](ev e, bd, vals &o) {
		const ctr::info *c;
		threadinfo *t = TI(e);
		if (t && !t->incomplete && t->container_id == "host")
			return S(o, "host");
		return (c = CINFO(e)) && NS(o, c->name);
	});
	add("container.image", ftype::STRING, 0, CT, "container image name (repository:tag)",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::image); });
	add("container.image.id", ftype::STRING, 0, CT, "container image id",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::imageid); });
	add("container.type", ftype::STRING, 0, CT, "container runtime: docker, podman, cri-o, containerd, lxc, ...",
	    [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    if (!t || t->incomplete)
			    return false;
		    if (t->container_id == "host")
			    return S(o, "host");
		    const ctr::info *c = CINFO(e);
		    if (c && *ctr::ctype_name(c->type))
			    return S(o, ctr::ctype_name(c->type));
		    return !t->container_runtime.empty() && S(o, t->container_runtime);
	    });
	add("container.privileged", ftype::BOOL, 0, CT, "true for a privileged container", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && B(o, c->privileged);
	});
	add("container.mounts", ftype::STRING, 0, CT, "mounts, comma-separated source:dest:mode:rdwr:propagation",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c = CINFO(e);
		    if (!c)
			    return false;
		    std::string s;
		    for (size_t i = 0; i < c->mounts.size(); i++)
			    s += (i ? "," : "") + c->mounts[i].str();
		    return S(o, s);
	    });
	add("container.mount", ftype::STRING, R, CT,
	    "one mount by index or source glob: source:dest:mode:rdwr:propagation", [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->str());
	    });
	add("container.mount.source", ftype::STRING, R, CT, "a mount's source, by index or destination glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, true);
		    return m && S(o, m->source);
	    });
	add("container.mount.dest", ftype::STRING, R, CT, "a mount's destination, by index or source glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->dest);
	    });
	add("container.mount.mode", ftype::STRING, R, CT, "a mount's mode, by index or source glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->mode);
	    });
	add("container.mount.rdwr", ftype::STRING, R, CT, "a mount's rdwr (true/false), by index or source glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->rdwr ? "true" : "false");
	    });
	add("container.mount.propagation", ftype::STRING, R, CT, "a mount's propagation, by index or source glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->propagation);
	    });
	add("container.image.repository", ftype::STRING, 0, CT, "container image repository",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::imagerepo); });
	add("container.image.tag", ftype::STRING, 0, CT, "container image tag",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::imagetag); });
	add("container.image.digest", ftype::STRING, 0, CT, "container image registry digest",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::imagedigest); });
	auto probe = [](int type) {
		return [type](ev e, bd, vals &o) {
			const ctr::info *c = CINFO(e);
			if (!c)
				return false;
			const ctr::health_probe *p = c->probe_of_type(type);
			return S(o, p ? p->cmdline() : std::string("NONE"));
		};
	};
	add("container.healthcheck", ftype::STRING, 0, CT, "the health check's command line, NONE without one",
	    probe(ctr::PT_HEALTHCHECK));
	add("container.liveness_probe", ftype::STRING, 0, CT, "the liveness probe's command line, NONE without one",
	    probe(ctr::PT_LIVENESS_PROBE));
	add("container.readiness_probe", ftype::STRING, 0, CT, "the readiness probe's command line, NONE without one",
	    probe(ctr::PT_READINESS_PROBE));
	add("container.start_ts", ftype::ABSTIME, 0, CT,
	    "container start: proc.pidns_init_start_ts (ns since the epoch)", [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    return t && t->container_id != "host" && t->pidns_init_start_ts &&
			   U64(o, t->pidns_init_start_ts, ftype::ABSTIME);
	    });
	add("container.duration", ftype::RELTIME, 0, CT, "ns since container.start_ts", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->container_id != "host" && t->pidns_init_start_ts && e.ts() >= t->pidns_init_start_ts &&
		       U64(o, e.ts() - t->pidns_init_start_ts, ftype::RELTIME);
	});
	add("container.ip", ftype::STRING, 0, CT, "the container's primary IPv4 address",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::ip); });
	add("container.cni.json", ftype::STRING, 0, CT, "the pod's CNI result (CRI runtimes), JSON",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::cni_json); });
	add("container.host_pid", ftype::BOOL, 0, CT, "true in the host's PID namespace", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && B(o, c->host_pid);
	});
	add("container.host_network", ftype::BOOL, 0, CT, "true in the host's network namespace",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c = CINFO(e);
		    return c && B(o, c->host_network);
	    });
	add("container.host_ipc", ftype::BOOL, 0, CT, "true in the host's IPC namespace", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && B(o, c->host_ipc);
	});
	add("container.label", ftype::STRING, R, CT, "a container label (container.label[KEY], container.label.KEY)",
	    [](ev e, bd b, vals &o) {
		    const ctr::info *c = CINFO(e);
		    const std::string *v = c ? c->label(b.arg) : nullptr;
		    return v && S(o, *v);
	    });
	add("container.labels", ftype::STRING, 0, CT, "the container's labels, key:value, comma-separated",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c = CINFO(e);
		    return c && S(o, CLABELS(c->labels));
	    });
	auto category = [](uint8_t cat) {
		return [cat](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			return t && B(o, t->container_category == cat);
		};
	};
	add("proc.is_container_healthcheck", ftype::BOOL, 0, "process", "true in the container's health check",
	    category(ctr::CAT_HEALTHCHECK));
	add("proc.is_container_liveness_probe", ftype::BOOL, 0, "process", "true in the container's liveness probe",
	    category(ctr::CAT_LIVENESS));
	add("proc.is_container_readiness_probe", ftype::BOOL, 0, "process", "true in the container's readiness probe",
	    category(ctr::CAT_READINESS));
	const char *K8S = "k8s";
	auto label_of = [](const char *key) {
		return [key](ev e, bd, vals &o) {
			const ctr::info *c = CINFO(e);
			const std::string *v = c ? c->label(key) : nullptr;
			return v && S(o, *v);
		};
	};
	add("k8s.pod.name", ftype::STRING, 0, K8S, "Kubernetes pod name (the CRI's io.kubernetes.pod.name label)",
	    label_of("io.kubernetes.pod.name"));
	add("k8s.ns.name", ftype::STRING, 0, K8S, "Kubernetes namespace name", label_of("io.kubernetes.pod.namespace"));
	add("k8s.pod.uid", ftype::STRING, 0, K8S, "Kubernetes pod UID", label_of("io.kubernetes.pod.uid"));
	add("k8s.pod.id", ftype::STRING, D, K8S, "legacy name of k8s.pod.uid", label_of("io.kubernetes.pod.uid"));
	add("k8s.pod.sandbox_id", ftype::STRING, 0, K8S, "the pod sandbox id (12 chars)", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && NS(o, c->pod_sandbox_id.substr(0, 12));
	});
	add("k8s.pod.full_sandbox_id", ftype::STRING, 0, K8S, "the whole pod sandbox id", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && NS(o, c->pod_sandbox_id);
	});
	add("k8s.pod.label", ftype::STRING, R, K8S, "a pod label (k8s.pod.label[KEY], k8s.pod.label.KEY)",
	    [](ev e, bd b, vals &o) {
		    const std::map<std::string, std::string> *l = PODLABELS(e);
		    auto it = l ? l->find(b.arg) : std::map<std::string, std::string>::const_iterator();
		    return l && it != l->end() && S(o, it->second);
	    });
	add("k8s.pod.labels", ftype::STRING, 0, K8S, "the pod's labels, key:value, comma-separated",
	    [](ev e, bd, vals &o) {
		    const std::map<std::string, std::string> *l = PODLABELS(e);
		    return l && S(o, CLABELS(*l));
	    });
	add("k8s.pod.ip", ftype::STRING, 0, K8S, "the pod's IPv4 address", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e), *sb = c ? SANDBOX(e, c) : nullptr;
		return c && (NS(o, c->ip) || (sb && NS(o, sb->ip)));
	});
	add("k8s.pod.cni.json", ftype::STRING, 0, K8S, "the pod's CNI result (CRI runtimes), JSON",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c = CINFO(e), *sb = c ? SANDBOX(e, c) : nullptr;
		    return c && (NS(o, c->cni_json) || (sb && NS(o, sb->cni_json)));
	    });

	// ---------------- fd ----------------
	const char *FD = "fd";
	add("fd.num", ftype::INT64, 0, FD, "fd number", [](ev e, bd, vals &o) { return e.fdi && I64(o, e.fdnum); });
	add("fd.type", ftype::STRING, 0, FD, "fd type: file, directory, ipv4, ipv6, unix, pipe, ...",
	    [](ev e, bd, vals &o) { return e.fdi && S(o, fd_typestr(e.fdi->type)); });
	add("fd.typechar", ftype::STRING, 0, FD, "fd type as one character",
	    [](ev e, bd, vals &o) { return e.fdi && S(o, std::string(1, fd_typechar(e.fdi->type))); });
	add("fd.name", ftype::STRING, 0, FD, "fd name: path, tuple, ...", [](ev e, bd, vals &o) {
		if (e.fdi)
			return S(o, e.fdi->name);
		// fd events whose fd is unknown (failed, or opened before the capture): upstream gives the
		// path a failed open tried, and an empty name for the others
		const type_info &ti = e.info();
		if (!e.is_exit() || !(ti.flags & (SCAP_EF_CREATES_FD | SCAP_EF_USES_FD | SCAP_EF_DESTROYS_FD)))
			return false;
		if (ti.kind == ekind::OPEN) {
			for (uint32_t i = 0; i < e.nparams; i++) {
				int t = scap_event_param_type(e.type, i);
				if ((t == SCAP_PT_FSPATH || t == SCAP_PT_FSRELPATH) && e.has((int)i))
					return S(o, resolve_path_param(e, i));
			}
			if (const scap_param *p = e.enter_get("name"))
				return S(o, e.tinfo ? path_join(e.insp->cwd_of(e.tinfo), event::decode_str(*p))
						    : event::decode_str(*p));
		}
		return S(o, "");
	});
	add("fd.nameraw", ftype::STRING, 0, FD, "fd name as the syscall gave it",
	    [](ev e, bd, vals &o) { return e.fdi && S(o, e.fdi->name_raw.empty() ? e.fdi->name : e.fdi->name_raw); });
	add("fd.directory", ftype::STRING, 0, FD, "directory of a file fd", [](ev e, bd, vals &o) {
		if (!e.fdi)
			return false;
		if (e.fdi->type == SINSP_FD_DIRECTORY)
			return S(o, e.fdi->name);
		if (e.fdi->type != SINSP_FD_FILE)
			return false;
		size_t s = e.fdi->name.rfind('/');
		return s != std::string::npos && S(o, s == 0 ? "/" : e.fdi->name.substr(0, s));
	});
	add("fd.filename", ftype::STRING, 0, FD, "file name (no directory) of a file fd", [](ev e, bd, vals &o) {
		if (!e.fdi || e.fdi->type != SINSP_FD_FILE)
			return false;
		size_t s = e.fdi->name.rfind('/');
		return S(o, s == std::string::npos ? e.fdi->name : e.fdi->name.substr(s + 1));
	});
	auto ipf = [](ep which) {
		return [which](ev e, bd, vals &o) {
			const uint8_t *ip;
			uint16_t port;
			return endpoint(e.fdi, which, &ip, &port) && IP(o, e.fdi->family, ip);
		};
	};
	auto portf = [](ep which) {
		return [which](ev e, bd, vals &o) {
			const uint8_t *ip;
			uint16_t port;
			return endpoint(e.fdi, which, &ip, &port) && U64(o, port, ftype::PORT);
		};
	};
	auto netf = [](ep which) {
		return [which](ev e, bd, vals &o) {
			const uint8_t *ip;
			uint16_t port;
			return endpoint(e.fdi, which, &ip, &port) && IP(o, e.fdi->family, ip, ftype::IPNET);
		};
	};
	add("fd.ip", ftype::IPADDR, F | L, FD, "client or server address (filters only)", [](ev e, bd, vals &o) {
		const uint8_t *ip;
		uint16_t port;
		bool any = false;
		if (endpoint(e.fdi, ep::CLIENT, &ip, &port))
			any = IP(o, e.fdi->family, ip);
		if (endpoint(e.fdi, ep::SERVER, &ip, &port))
			any = IP(o, e.fdi->family, ip);
		return any;
	});
	add("fd.cip", ftype::IPADDR, 0, FD, "client address", ipf(ep::CLIENT));
	add("fd.sip", ftype::IPADDR, 0, FD, "server address", ipf(ep::SERVER));
	add("fd.lip", ftype::IPADDR, 0, FD, "local address", ipf(ep::LOCAL));
	add("fd.rip", ftype::IPADDR, 0, FD, "remote address", ipf(ep::REMOTE));
	auto no_value = [](ev, bd, vals &) { return false; }; // dns_ref extracts these
	add("fd.cip.name", ftype::STRING, 0, FD, "domain name of the client address (names filters compare with)",
	    no_value);
	m_fields.back().dns = (int)ep::CLIENT;
	add("fd.sip.name", ftype::STRING, 0, FD, "domain name of the server address (names filters compare with)",
	    no_value);
	m_fields.back().dns = (int)ep::SERVER;
	add("fd.lip.name", ftype::STRING, 0, FD, "domain name of the local address (names filters compare with)",
	    no_value);
	m_fields.back().dns = (int)ep::LOCAL;
	add("fd.rip.name", ftype::STRING, 0, FD, "domain name of the remote address (names filters compare with)",
	    no_value);
	m_fields.back().dns = (int)ep::REMOTE;
	add("fd.port", ftype::PORT, F | L, FD, "client or server port (filters only)", [](ev e, bd, vals &o) {
		const uint8_t *ip;
		uint16_t port;
		bool any = false;
		if (endpoint(e.fdi, ep::CLIENT, &ip, &port))
			any = U64(o, port, ftype::PORT);
		if (endpoint(e.fdi, ep::SERVER, &ip, &port))
			any = U64(o, port, ftype::PORT);
		return any;
	});
	add("fd.cport", ftype::PORT, 0, FD, "client port", portf(ep::CLIENT));
	add("fd.sport", ftype::PORT, 0, FD, "server port", portf(ep::SERVER));
	add("fd.lport", ftype::PORT, 0, FD, "local port", portf(ep::LOCAL));
	add("fd.rport", ftype::PORT, 0, FD, "remote port", portf(ep::REMOTE));
	add("fd.net", ftype::IPNET, F | L, FD, "client or server address against a CIDR (filters only)",
	    [](ev e, bd, vals &o) {
		    const uint8_t *ip;
		    uint16_t port;
		    bool any = false;
		    if (endpoint(e.fdi, ep::CLIENT, &ip, &port))
			    any = IP(o, e.fdi->family, ip, ftype::IPNET);
		    if (endpoint(e.fdi, ep::SERVER, &ip, &port))
			    any = IP(o, e.fdi->family, ip, ftype::IPNET);
		    return any;
	    });
	add("fd.cnet", ftype::IPNET, F, FD, "client address against a CIDR", netf(ep::CLIENT));
	add("fd.snet", ftype::IPNET, F, FD, "server address against a CIDR", netf(ep::SERVER));
	add("fd.lnet", ftype::IPNET, F, FD, "local address against a CIDR", netf(ep::LOCAL));
	add("fd.rnet", ftype::IPNET, F, FD, "remote address against a CIDR", netf(ep::REMOTE));
	add("fd.l4proto", ftype::STRING, 0, FD, "IP protocol: tcp, udp, icmp, raw", [](ev e, bd, vals &o) {
		const char *n = e.fdi && e.fdi->is_ip() ? l4_name(e.fdi->l4) : nullptr;
		return n && S(o, n);
	});
	add("fd.sockfamily", ftype::STRING, 0, FD, "socket family: ip or unix", [](ev e, bd, vals &o) {
		if (!e.fdi)
			return false;
		if (e.fdi->is_ip())
			return S(o, "ip");
		if (e.fdi->type == SINSP_FD_UNIX_SOCK)
			return S(o, "unix");
		return false;
	});
	add("fd.is_server", ftype::BOOL, 0, FD, "true if the process is the server of the connection",
	    [](ev e, bd, vals &o) {
		    return e.fdi && e.fdi->is_socket() && B(o, (e.fdi->flags & FDF_ROLE_SERVER) || is_servsock(e.fdi));
	    });
	add("fd.connected", ftype::BOOL, 0, FD, "true for connected sockets",
	    [](ev e, bd, vals &o) { return e.fdi && e.fdi->is_socket() && B(o, e.fdi->flags & FDF_CONNECTED); });
	add("fd.name_changed", ftype::BOOL, 0, FD, "true when this event changed the fd name",
	    [](ev e, bd, vals &o) { return e.fdi && B(o, !e.fdi->oldname.empty() && e.fdi->oldname != e.fdi->name); });
	add("fd.uid", ftype::STRING, 0, FD, "unique fd id: tid and fd number",
	    [](ev e, bd, vals &o) { return e.fdi && S(o, std::to_string(e.tid()) + std::to_string(e.fdnum)); });
	add("fd.containername", ftype::STRING, 0, FD, "container id and fd name",
	    [](ev e, bd, vals &o) { return e.fdi && e.tinfo && S(o, e.tinfo->container_id + ":" + e.fdi->name); });
	add("fd.containerdirectory", ftype::STRING, 0, FD, "container id and fd directory", [](ev e, bd, vals &o) {
		if (!e.fdi || !e.tinfo || e.fdi->type != SINSP_FD_FILE)
			return false;
		size_t s = e.fdi->name.rfind('/');
		return s != std::string::npos &&
		       S(o, e.tinfo->container_id + ":" + (s == 0 ? std::string("/") : e.fdi->name.substr(0, s)));
	});
	add("fd.dev", ftype::UINT64, 0, FD, "device number of a file fd",
	    [](ev e, bd, vals &o) { return e.fdi && U64(o, e.fdi->dev); });
	add("fd.dev.major", ftype::UINT64, 0, FD, "major device number",
	    [](ev e, bd, vals &o) { return e.fdi && U64(o, e.fdi->dev >> 20); });
	add("fd.dev.minor", ftype::UINT64, 0, FD, "minor device number",
	    [](ev e, bd, vals &o) { return e.fdi && U64(o, e.fdi->dev & 0xfffff); });
	add("fd.ino", ftype::INT64, 0, FD, "inode number",
	    [](ev e, bd, vals &o) { return e.fdi && I64(o, (int64_t)e.fdi->ino); });
	add("fd.is_upper_layer", ftype::BOOL, 0, FD, "file in an overlayfs upper layer",
	    [](ev e, bd, vals &o) { return e.fdi && B(o, e.fdi->flags & FDF_OVERLAY_UPPER); });
	add("fd.is_lower_layer", ftype::BOOL, 0, FD, "file in an overlayfs lower layer",
	    [](ev e, bd, vals &o) { return e.fdi && B(o, e.fdi->flags & FDF_OVERLAY_LOWER); });
	add("fd.types", ftype::STRING, A | L, FD, "types of all fds of the process; fd.types[N] of fd N",
	    [](ev e, bd b, vals &o) {
		    threadinfo *t = TI(e);
		    if (!t)
			    return false;
		    if (b.has_arg) {
			    fdinfo *f = t->fds->find(b.num);
			    return f && S(o, fd_typestr(f->type));
		    }
		    std::vector<std::string> seen;
		    for (auto &kv : t->fds->fds) {
			    std::string ty = fd_typestr(kv.second.type);
			    if (std::find(seen.begin(), seen.end(), ty) == seen.end())
				    seen.push_back(ty);
		    }
		    for (auto &s : seen)
			    S(o, s);
		    return !seen.empty();
	    });

	// ---------------- fs.path ----------------
	const char *FS = "fs.path";
	add("fs.path.name", ftype::STRING, 0, FS, "path of a single-path file event (resolved)", [](ev e, bd, vals &o) {
		std::string s;
		return event_path(e, pathrole::NAME, false, s) && S(o, s);
	});
	add("fs.path.nameraw", ftype::STRING, 0, FS, "path of a single-path file event (as given)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::NAME, true, s) && S(o, s);
	    });
	add("fs.path.source", ftype::STRING, 0, FS, "source path of rename/link/symlink (resolved)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::SOURCE, false, s) && S(o, s);
	    });
	add("fs.path.sourceraw", ftype::STRING, 0, FS, "source path of rename/link/symlink (as given)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::SOURCE, true, s) && S(o, s);
	    });
	add("fs.path.target", ftype::STRING, 0, FS, "target path of rename/link/symlink (resolved)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::TARGET, false, s) && S(o, s);
	    });
	add("fs.path.targetraw", ftype::STRING, 0, FS, "target path of rename/link/symlink (as given)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::TARGET, true, s) && S(o, s);
	    });

	// ---------------- fdlist ----------------
	const char *FL = "fdlist";
	auto fl = [](int what) {
		return [what](ev e, bd, vals &o) {
			std::vector<int64_t> fds;
			if (!fdlist(e, fds) || fds.empty())
				return false;
			std::string s;
			for (int64_t fd : fds) {
				fdinfo *f = e.tinfo ? e.tinfo->fds->find(fd) : nullptr;
				std::string item;
				const uint8_t *ip;
				uint16_t port;
				char buf[INET6_ADDRSTRLEN] = "";
				switch (what) {
				case 0: item = std::to_string(fd); break;
				case 1: item = f ? f->name : "<NA>"; break;
				case 2:
				case 3:
					if (!endpoint(f, what == 2 ? ep::CLIENT : ep::SERVER, &ip, &port))
						continue;
					inet_ntop(f->family == 10 ? AF_INET6 : AF_INET, ip, buf, sizeof(buf));
					item = buf;
					break;
				default:
					if (!endpoint(f, what == 4 ? ep::CLIENT : ep::SERVER, &ip, &port))
						continue;
					item = std::to_string(port);
					break;
				}
				if (!s.empty())
					s += ',';
				s += item;
			}
			return !s.empty() && S(o, s);
		};
	};
	add("fdlist.nums", ftype::STRING, 0, FL, "fd numbers of poll-like events, comma-separated", fl(0));
	add("fdlist.names", ftype::STRING, 0, FL, "fd names of poll-like events", fl(1));
	add("fdlist.cips", ftype::STRING, 0, FL, "client addresses of poll-like events", fl(2));
	add("fdlist.sips", ftype::STRING, 0, FL, "server addresses of poll-like events", fl(3));
	add("fdlist.cports", ftype::STRING, 0, FL, "client ports of poll-like events", fl(4));
	add("fdlist.sports", ftype::STRING, 0, FL, "server ports of poll-like events", fl(5));

	// The scalar fast paths (field_ref::extract_scalar()): the same values as the extractors
	// above, for the numeric fields filters compare most.
	scalar("evt.num", [](ev e, const void *, field_value &v) {
		v.type = ftype::UINT64;
		v.u = e.num;
		return true;
	});
	scalar("evt.cpu", [](ev e, const void *, field_value &v) {
		v.type = ftype::INT64;
		v.i = e.cpu;
		return true;
	});
	scalar("thread.tid", [](ev e, const void *, field_value &v) {
		v.type = ftype::INT64;
		v.i = e.tid();
		return true;
	});
	scalar("proc.pid", [](ev e, const void *, field_value &v) {
		threadinfo *t = TI(e);
		if (!t)
			return false;
		v.type = ftype::INT64;
		v.i = t->pid >= 0 ? t->pid : t->tid;
		return true;
	});
	scalar("fd.num", [](ev e, const void *, field_value &v) {
		if (!e.fdi)
			return false;
		v.type = ftype::INT64;
		v.i = e.fdnum;
		return true;
	});

	// The string views (field_ref::extract_view()): the same values as the extractors above,
	// without a copy, for the string fields rules compare most. -1: extract() handles it.
	view("evt.type", [](ev e, bd, std::string_view &v) {
		v = e.name();
		return 1;
	});
	view("proc.name", [](ev e, bd, std::string_view &v) {
		threadinfo *t = TI(e);
		if (!t)
			return 0;
		v = t->comm;
		return 1;
	});
	view("proc.exe", [](ev e, bd, std::string_view &v) {
		threadinfo *t = TI(e);
		if (!t)
			return 0;
		v = t->exe;
		return 1;
	});
	view("proc.exepath", [](ev e, bd, std::string_view &v) {
		threadinfo *t = TI(e);
		if (!t)
			return 0;
		v = t->exepath;
		return 1;
	});
	view("proc.pname", [](ev e, bd, std::string_view &v) {
		threadinfo *p = PT(e);
		if (!p || p->comm.empty())
			return 0;
		v = p->comm;
		return 1;
	});
	view("proc.aname", [](ev e, bd b, std::string_view &v) {
		if (!b.has_arg)
			return -1; // every ancestor: a list
		threadinfo *t = ancestor(e, b.num);
		if (!t || t->comm.empty())
			return 0;
		v = t->comm;
		return 1;
	});
	view("fd.name", [](ev e, bd, std::string_view &v) {
		if (!e.fdi)
			return -1; // the name of a failed open and others: extract()
		v = e.fdi->name;
		return 1;
	});
	view("fd.type", [](ev e, bd, std::string_view &v) {
		if (!e.fdi)
			return 0;
		v = fd_typestr(e.fdi->type);
		return 1;
	});
	view("fd.typechar", [](ev e, bd, std::string_view &v) {
		static char chars[256];
		static bool init = [] {
			for (int i = 0; i < 256; i++)
				chars[i] = (char)i;
			return true;
		}();
		(void)init;
		if (!e.fdi)
			return 0;
		v = std::string_view(&chars[(unsigned char)fd_typechar(e.fdi->type)], 1);
		return 1;
	});
	view("fd.directory", [](ev e, bd, std::string_view &v) {
		if (!e.fdi)
			return 0;
		const std::string &n = e.fdi->name;
		if (e.fdi->type == SINSP_FD_DIRECTORY) {
			v = n;
			return 1;
		}
		if (e.fdi->type != SINSP_FD_FILE)
			return 0;
		size_t s = n.rfind('/');
		if (s == std::string::npos)
			return 0;
		v = std::string_view(n.data(), s == 0 ? 1 : s);
		return 1;
	});
	view("fd.filename", [](ev e, bd, std::string_view &v) {
		if (!e.fdi || e.fdi->type != SINSP_FD_FILE)
			return 0;
		const std::string &n = e.fdi->name;
		size_t s = n.rfind('/');
		v = s == std::string::npos ? std::string_view(n) : std::string_view(n).substr(s + 1);
		return 1;
	});
	view("user.name", [](ev e, bd, std::string_view &v) {
		threadinfo *t = TI(e);
		if (!t || t->uid == UINT32_MAX)
			return 0;
		auto it = e.insp->users.find(t->uid);
		if (it == e.insp->users.end()) {
			if (t->uid != 0)
				return 0;
			v = "root";
			return 1;
		}
		v = it->second.name;
		return 1;
	});
}

} // namespace

const field_registry &builtin_field_registry()
{
	static const registry_impl reg;
	return reg;
}

const field_registry *inspector_field_registry(struct sinsp_inspector *)
{
	return &builtin_field_registry();
}

std::string render_field_value(const field_value &v)
{
	return render_value(v);
}

} // namespace sinsp
