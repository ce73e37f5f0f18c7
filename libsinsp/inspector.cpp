// SPDX-License-Identifier: Apache-2.0
// The inspector's event pipeline (docs/upstream-facts.md §8.2), lazy /proc lookups, users from /etc.
#include <dirent.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "container/manager.h"
#include "inspector_impl.h"
#include "scap/platform.h"
#include "scap/proc.h"

namespace sinsp_internal
{
void set_error(const char *msg);
}

namespace sinsp
{

void set_error(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sinsp_internal::set_error(buf);
}

std::vector<std::string> split_nul(const void *data, size_t len)
{
	std::vector<std::string> out;
	const char *p = (const char *)data, *end = p + len;
	while (p < end) {
		const char *z = (const char *)memchr(p, '\0', end - p);
		if (!z) {
			out.emplace_back(p, end - p);
			break;
		}
		out.emplace_back(p, z - p);
		p = z + 1;
	}
	return out;
}

// ---- the event type table, derived once from libscap's ----

namespace
{

struct kind_name {
	const char *name;
	ekind kind;
};
const kind_name kind_names[] = {
	{ "open", ekind::OPEN },
	{ "creat", ekind::OPEN },
	{ "openat", ekind::OPEN },
	{ "openat2", ekind::OPEN },
	{ "open_by_handle_at", ekind::OPEN },
	{ "close", ekind::CLOSE },
	{ "close_range", ekind::CLOSE_RANGE },
	{ "socket", ekind::SOCKET },
	{ "socketpair", ekind::SOCKETPAIR },
	{ "bind", ekind::BIND },
	{ "connect", ekind::CONNECT },
	{ "listen", ekind::LISTEN },
	{ "accept", ekind::ACCEPT },
	{ "accept4", ekind::ACCEPT },
	{ "send", ekind::SEND },
	{ "sendto", ekind::SEND },
	{ "sendmsg", ekind::SEND },
	{ "sendmmsg", ekind::SEND },
	{ "recv", ekind::RECV },
	{ "recvfrom", ekind::RECV },
	{ "recvmmsg", ekind::RECV },
	{ "recvmsg", ekind::RECVMSG },
	{ "shutdown", ekind::SHUTDOWN },
	{ "getsockopt", ekind::GETSOCKOPT },
	{ "pipe", ekind::PIPE },
	{ "pipe2", ekind::PIPE },
	{ "dup", ekind::DUP },
	{ "dup2", ekind::DUP },
	{ "dup3", ekind::DUP },
	{ "fcntl", ekind::FCNTL },
	{ "eventfd", ekind::EVENTFD },
	{ "eventfd2", ekind::EVENTFD },
	{ "signalfd", ekind::SIGNALFD },
	{ "signalfd4", ekind::SIGNALFD },
	{ "timerfd_create", ekind::TIMERFD },
	{ "inotify_init", ekind::INOTIFY },
	{ "inotify_init1", ekind::INOTIFY },
	{ "epoll_create", ekind::EPOLL },
	{ "epoll_create1", ekind::EPOLL },
	{ "userfaultfd", ekind::USERFAULTFD },
	{ "io_uring_setup", ekind::IOURING },
	{ "bpf", ekind::BPF },
	{ "memfd_create", ekind::MEMFD },
	{ "pidfd_open", ekind::PIDFD_OPEN },
	{ "pidfd_getfd", ekind::PIDFD_GETFD },
	{ "clone", ekind::CLONE },
	{ "fork", ekind::CLONE },
	{ "vfork", ekind::CLONE },
	{ "clone3", ekind::CLONE },
	{ "execve", ekind::EXECVE },
	{ "execveat", ekind::EXECVE },
	{ "procexit", ekind::PROCEXIT },
	{ "setuid", ekind::SETUID },
	{ "setresuid", ekind::SETUID },
	{ "setreuid", ekind::SETUID },
	{ "setgid", ekind::SETGID },
	{ "setresgid", ekind::SETGID },
	{ "setregid", ekind::SETGID },
	{ "capset", ekind::CAPSET },
	{ "chdir", ekind::CHDIR },
	{ "fchdir", ekind::FCHDIR },
	{ "getcwd", ekind::GETCWD },
	{ "chroot", ekind::CHROOT },
	{ "setsid", ekind::SETSID },
	{ "setpgid", ekind::SETPGID },
	{ "prctl", ekind::PRCTL },
	{ "unshare", ekind::UNSHARE },
	{ "setns", ekind::SETNS },
	{ "useradded", ekind::USERADDED },
	{ "userdeleted", ekind::USERDELETED },
	{ "groupadded", ekind::GROUPADDED },
	{ "groupdeleted", ekind::GROUPDELETED },
	{ "brk", ekind::MEMORY },
	{ "mmap", ekind::MEMORY },
	{ "mmap2", ekind::MEMORY },
	{ "munmap", ekind::MEMORY },
	{ "switch", ekind::SWITCH },
};

} // namespace

const char *const pn_names[(size_t)pn::COUNT] = { "fd", "res", "name", "path", "dirfd", "flags", "dev", "ino" };

namespace
{

std::vector<type_info> build_types()
{
	uint32_t n = scap_event_table_size();
	std::vector<type_info> types(n);
	for (uint32_t t = 0; t < n; t++) {
		type_info &ti = types[t];
		const char *name = scap_event_name((uint16_t)t);
		ti.name = name ? name : "";
		int fl = scap_event_flags((uint16_t)t);
		ti.flags = fl < 0 ? 0 : (uint32_t)fl;
		int cat = scap_event_category((uint16_t)t);
		ti.category = cat < 0 ? 0 : (uint32_t)cat;
		for (const kind_name &k : kind_names)
			if (strcmp(k.name, ti.name) == 0)
				ti.kind = k.kind;
		int np = scap_event_nparams((uint16_t)t);
		int first_fd = -1, named_fd = -1;
		for (int i = 0; i < np; i++) {
			if (scap_event_param_type((uint16_t)t, i) != SCAP_PT_FD)
				continue;
			if (first_fd < 0)
				first_fd = i;
			const char *pn = scap_event_param_name((uint16_t)t, i);
			if (named_fd < 0 && pn && strcmp(pn, "fd") == 0)
				named_fd = i;
		}
		bool creates = ti.flags & SCAP_EF_CREATES_FD;
		if (creates && np > 0 && scap_event_param_type((uint16_t)t, 0) == SCAP_PT_FD)
			ti.fd_param = 0;
		else if (named_fd >= 0)
			ti.fd_param = (int8_t)named_fd;
		else
			ti.fd_param = (int8_t)first_fd;
		if (creates && ti.fd_param < 0 && (t & 1) && np > 0 &&
		    scap_event_param_type((uint16_t)t, 0) == SCAP_PT_ERRNO) {
			ti.fd_param = 0;
			ti.res_is_fd = true;
		}
		ti.toctou_enter = !(t & 1) && !(ti.flags & SCAP_EF_OLD_VERSION) &&
				  (ti.kind == ekind::OPEN || ti.kind == ekind::CONNECT);
		ti.large = ti.flags & SCAP_EF_LARGE_PAYLOAD;
		ti.nparams = (uint8_t)(np < 0 ? 0 : np > SCAP_MAX_PARAMS ? SCAP_MAX_PARAMS : np);
		uint32_t ecat = ti.category & ~SCAP_EC_SRC_MASK;
		ti.no_new_thread = (ti.category & SCAP_EC_SRC_METAEVENT) || ecat == SCAP_EC_INTERNAL ||
				   ti.kind == ekind::SWITCH || ti.kind == ekind::PROCEXIT;
		ti.internal = ecat == SCAP_EC_INTERNAL;
		for (size_t k = 0; k < (size_t)pn::COUNT; k++)
			for (int i = 0; i < ti.nparams; i++) {
				const char *pname = scap_event_param_name((uint16_t)t, (uint32_t)i);
				if (pname && strcmp(pname, pn_names[k]) == 0) {
					ti.pidx[k] = (int8_t)i;
					break;
				}
			}
	}
	return types;
}

const std::vector<type_info> &types()
{
	static const std::vector<type_info> t = build_types();
	return t;
}

} // namespace

// built at load time: type_of() (event.h) is on every hot path
const type_info g_type_none;
const type_info *g_type_table = types().data();
uint32_t g_type_count = (uint32_t)types().size();

// ---- event ----

const char *event::name() const
{
	if ((type == SCAP_EVT_SYSCALL_X || type == SCAP_EVT_SYSCALL_E) && has(0)) {
		const char *n = scap_ppm_sc_name((uint32_t)as_uint(0));
		if (n && *n)
			return n;
	}
	return info().name;
}

int event::param_index(const char *pname) const
{
	for (uint32_t i = 0; i < nparams; i++) {
		const char *n = scap_event_param_name(type, i);
		if (n && strcmp(n, pname) == 0)
			return (int)i;
	}
	return -1;
}

inline __attribute__((always_inline)) bool event::split(const uint8_t *p, scap_param *out, uint32_t *nout)
{
	uint32_t len, n;
	uint16_t type;
	std::memcpy(&len, p + 16, 4);
	std::memcpy(&type, p + 20, 2);
	std::memcpy(&n, p + 22, 4);
	if (type >= g_type_count)
		return false; // not in the event table
	const type_info &ti = g_type_table[type];
	const uint8_t *lens = p + SCAP_EVENT_HEADER_SIZE;
	uint64_t off = SCAP_EVENT_HEADER_SIZE + (uint64_t)n * (ti.large ? 4 : 2);
	if (off > len)
		return false;
	uint32_t keep = n < ti.nparams ? n : ti.nparams, i = 0;
	if (!ti.large) {
		for (; i < keep; i++) {
			uint16_t l;
			std::memcpy(&l, lens + 2 * i, 2);
			out[i].data = p + off;
			out[i].len = l;
			off += l;
		}
		for (; i < n; i++) {
			uint16_t l;
			std::memcpy(&l, lens + 2 * i, 2);
			off += l;
		}
	} else {
		for (; i < keep; i++) {
			uint32_t l;
			std::memcpy(&l, lens + 4 * i, 4);
			out[i].data = p + off;
			out[i].len = l;
			off += l;
		}
		for (; i < n; i++) {
			uint32_t l;
			std::memcpy(&l, lens + 4 * i, 4);
			off += l;
		}
	}
	// one check for all (scap_event_decode() checks each parameter): off only grows, and n
	// lengths of at most 32 bits each (n < 2^31) cannot wrap it
	if (off > len)
		return false;
	*nout = keep;
	return true;
}

int event::param_index_miss(const char *pname) const
{
	int idx = -1;
	int n = scap_event_nparams(type);
	for (int i = 0; i < n; i++) {
		const char *pn = scap_event_param_name(type, (uint32_t)i);
		if (pn && strcmp(pn, pname) == 0) {
			idx = i;
			break;
		}
	}
	m_pcache[(((uintptr_t)pname >> 3) * 31 + type) & 511] = pcache_slot{ pname, type, (int16_t)idx };
	return idx;
}

const scap_param *event::enter_get(const char *pname) const
{
	if (!enter)
		return nullptr;
	if (!enter_split) {
		enter_split = true;
		enter_nparams = 0;
		uint32_t n = 0;
		if (split(enter, enter_params, &n))
			enter_nparams = n;
	}
	uint16_t et = (uint16_t)(type - 1);
	for (uint32_t i = 0; i < enter_nparams; i++) {
		const char *n = scap_event_param_name(et, i);
		if (n && strcmp(n, pname) == 0)
			return enter_params[i].len ? &enter_params[i] : nullptr;
	}
	return nullptr;
}

bool event::get_str(const char *pname, std::string &v) const
{
	const scap_param *p = get(pname);
	if (!p)
		return false;
	v = decode_str(*p);
	return true;
}

// ---- inspector ----

inspector::inspector(scap_capture *c, const sinsp_opts &opts)
    : cap(c), threads(opts.max_threads ? opts.max_threads : 262144)
{
	const char *engine = scap_capture__engine(cap);
	bool live_engine = engine && (strcmp(engine, "bpf_core") == 0 || strcmp(engine, "kmod") == 0);
	live = opts.live == 0 ? live_engine : opts.live > 0;
	debug = opts.debug;
	self_pid = opts.self_pid ? opts.self_pid : getpid();
	if (opts.proc_root && *opts.proc_root)
		proc_root = opts.proc_root;
	for (uint32_t i = 0; i < opts.n_suppress_comms; i++)
		if (opts.suppress_comms && opts.suppress_comms[i])
			suppress_comms.insert(opts.suppress_comms[i]);
	for (uint32_t i = 0; i < opts.n_suppress_tids; i++)
		if (opts.suppress_tids)
			suppress_tids.insert(opts.suppress_tids[i]);
	evt.insp = this;
	if (const scap_platform *pl = scap_capture__platform(cap)) {
		seed_from_platform(pl);
	} else if (live) {
		// a live engine has no process table of its own: scan /proc now, as upstream does at
		// open (threads it misses are still read lazily when their first event comes)
		std::string root = proc_root + (proc_root.back() == '/' ? "" : "/");
		std::string p = root + "proc", e = root + "etc", y = root + "sys";
		scap_platform *scanned = scap_platform__new();
		if (scanned) {
			scap_scan_opts so;
			memset(&so, 0, sizeof(so));
			so.sz = sizeof(so);
			so.proc_root = p.c_str();
			so.etc_root = e.c_str();
			so.sys_root = y.c_str();
			so.what = SCAP_SCAN_ALL;
			so.timeout_ms = 10000;
			if (scap_platform__scan(scanned, &so) >= 0)
				seed_from_platform(scanned);
			scap_platform__free(scanned);
		}
	}
	if (live && users.empty())
		load_users_from_etc();
}

// The initial state: the capture's process table (file metadata or the live /proc scan).
void inspector::seed_from_platform(const scap_platform *pl)
{
	uint32_t n = scap_platform__nthreads(pl);
	// leaders first, so that their threads can share their fd tables
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t k = 0; k < n; k++) {
			const scap_thread_info *ti = scap_platform__thread(pl, k);
			if (!ti || (pass == 0) != (ti->tid == ti->pid))
				continue;
			auto t = std::make_unique<threadinfo>();
			t->tid = (int64_t)ti->tid;
			t->pid = (int64_t)ti->pid;
			t->ptid = (int64_t)ti->ptid;
			t->sid = (int64_t)ti->sid;
			t->vpgid = (int64_t)ti->vpgid;
			t->pgid = ti->pgid;
			t->vtid = ti->vtid;
			t->vpid = ti->vpid;
			t->comm = ti->comm;
			t->exe = ti->exe;
			t->exepath = ti->exepath;
			t->args = split_nul(ti->args, ti->args_len);
			t->env = split_nul(ti->env, ti->env_len);
			std::vector<std::pair<std::string, std::string>> cg;
			for (auto &entry : split_nul(ti->cgroups, ti->cgroups_len)) {
				size_t eq = entry.find('=');
				if (eq != std::string::npos)
					cg.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
			}
			t->set_cgroups_and_container(std::move(cg));
			t->cwd = ti->cwd;
			t->root = *ti->root ? ti->root : "/";
			t->fdlimit = (int64_t)ti->fdlimit;
			t->flags = ti->flags;
			t->uid = ti->uid;
			t->gid = ti->gid;
			t->vmsize = ti->vmsize_kb;
			t->vmrss = ti->vmrss_kb;
			t->vmswap = ti->vmswap_kb;
			t->pfmajor = ti->pfmajor;
			t->pfminor = ti->pfminor;
			t->pidns_init_start_ts = ti->pidns_init_start_ts;
			t->tty = ti->tty;
			t->loginuid = ti->loginuid;
			t->exe_flags = (ti->exe_writable ? SCAP_EXECVE_FLAGS_EXE_WRITABLE : 0) |
				       (ti->exe_upper_layer ? SCAP_EXECVE_FLAGS_EXE_UPPER_LAYER : 0) |
				       (ti->exe_from_memfd ? SCAP_EXECVE_FLAGS_EXE_FROM_MEMFD : 0) |
				       (ti->exe_lower_layer ? SCAP_EXECVE_FLAGS_EXE_LOWER_LAYER : 0);
			t->cap_inheritable = ti->cap_inheritable;
			t->cap_permitted = ti->cap_permitted;
			t->cap_effective = ti->cap_effective;
			t->exe_ino = ti->exe_ino;
			t->exe_ino_ctime = ti->exe_ino_ctime;
			t->exe_ino_mtime = ti->exe_ino_mtime;
			if (pass == 1)
				if (threadinfo *leader = threads.find(t->pid))
					t->fds = leader->fds;
			for (uint32_t j = 0; j < ti->nfds; j++)
				seed_fd(*t->fds, ti->fds[j]);
			threads.add(std::move(t));
		}
	}
	for (auto &kv : threads.all())
		if (kv.second->is_main() && kv.second->ptid > 0)
			threads.link_child(kv.second->ptid, kv.first);
	for (uint32_t k = 0; k < scap_platform__nusers(pl); k++) {
		const scap_user_info *u = scap_platform__user(pl, k);
		users[u->uid] = user_entry{ u->uid, u->gid, u->name, u->homedir, u->shell };
	}
	for (uint32_t k = 0; k < scap_platform__ngroups(pl); k++) {
		const scap_group_info *g = scap_platform__group(pl, k);
		groups[g->gid] = group_entry{ g->gid, g->name };
	}
}

void inspector::seed_fd(fdtable &ft, const scap_fd_info &fi)
{
	fdinfo f;
	f.flags = FDF_FROM_PROC;
	f.ino = fi.ino;
	f.name = fi.name;
	f.name_raw = fi.name;
	// libscap's types, but one for files: the scan's FILE_V2 is a FILE with flags and dev
	f.type = state_fd_type(fi.type);
	f.family = fd_type_family(f.type);
	if (fi.type == SCAP_FD_FILE_V2) {
		f.openflags = fi.open_flags;
		f.dev = fi.dev;
	}
	if (fi.l4proto >= SCAP_L4_TCP && fi.l4proto <= SCAP_L4_RAW)
		f.l4 = fi.l4proto;
	static const uint8_t zero[16] = {};
	bool no_tuple = !fi.sport && !fi.dport && !memcmp(fi.sip, zero, 16) && !memcmp(fi.dip, zero, 16);
	if ((fi.type == SCAP_FD_IPV4_SOCK || fi.type == SCAP_FD_IPV6_SOCK) && no_tuple) {
		// a socket that was never bound or connected (what export_platform() writes for one)
		f.name.clear();
	} else if (fi.type == SCAP_FD_IPV4_SOCK || fi.type == SCAP_FD_IPV6_SOCK) {
		memcpy(f.sip, fi.sip, 16);
		memcpy(f.dip, fi.dip, 16);
		f.sport = fi.sport;
		f.dport = fi.dport;
		f.has_tuple = true;
		f.name = socket_name(f, resolve_ports);
	} else if (fi.type == SCAP_FD_IPV4_SERVSOCK || fi.type == SCAP_FD_IPV6_SERVSOCK) {
		memcpy(f.dip, fi.sip, 16);
		f.dport = fi.sport;
		f.flags |= FDF_ROLE_SERVER;
		f.name = socket_name(f, resolve_ports);
	} else if (fi.type == SCAP_FD_UNIX_SOCK) {
		f.unix_src = fi.unix_source;
		f.unix_dst = fi.unix_dest;
		f.has_tuple = true;
	}
	ft.add(fi.fd, std::move(f));
}

inspector::~inspector()
{
	scap_capture__close(cap);
}

threadinfo *inspector::main_thread(threadinfo *t)
{
	if (!t || t->pid < 0 || t->pid == t->tid)
		return t;
	threadinfo *m = threads.find(t->pid);
	return m ? m : t;
}

threadinfo *inspector::parent_thread(threadinfo *t)
{
	if (!t)
		return nullptr;
	threadinfo *m = main_thread(t);
	if (m->ptid <= 0 || m->ptid == m->tid)
		return nullptr;
	return threads.find(m->ptid);
}

const std::string &inspector::cwd_of(threadinfo *t)
{
	threadinfo *m = main_thread(t);
	return m->cwd.empty() ? t->cwd : m->cwd;
}

void inspector::set_cwd(threadinfo *t, const std::string &cwd)
{
	t->cwd = cwd;
	threadinfo *m = main_thread(t);
	if (m != t)
		m->cwd = cwd;
}

fdinfo *inspector::add_fd(threadinfo *t, int64_t fd, fdinfo &&fi)
{
	return t->fds->add(fd, std::move(fi));
}

static std::string read_file(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	if (!f)
		return std::string();
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

static std::string read_link(const std::string &path)
{
	char buf[4096];
	ssize_t n = readlink(path.c_str(), buf, sizeof(buf) - 1);
	return n > 0 ? std::string(buf, n) : std::string();
}

// Live mode: a thread we have not seen, read from /proc/<tid> (tid may be any thread of a process).
std::unique_ptr<threadinfo> inspector::thread_from_proc(int64_t tid)
{
	std::string base = proc_root + (proc_root.back() == '/' ? "" : "/") + "proc/" + std::to_string(tid);
	std::string status = read_file(base + "/status");
	if (status.empty())
		return nullptr;
	auto t = std::make_unique<threadinfo>();
	t->tid = tid;
	std::istringstream ss(status);
	std::string line;
	while (std::getline(ss, line)) {
		auto val = [&](const char *key) -> const char * {
			size_t n = strlen(key);
			return line.compare(0, n, key) == 0 ? line.c_str() + n : nullptr;
		};
		const char *v;
		if ((v = val("Name:\t")))
			t->comm = v;
		else if ((v = val("Tgid:\t")))
			t->pid = strtoll(v, nullptr, 10);
		else if ((v = val("PPid:\t")))
			t->ptid = strtoll(v, nullptr, 10);
		else if ((v = val("Uid:\t")))
			sscanf(v, "%*u %u", &t->uid);
		else if ((v = val("Gid:\t")))
			sscanf(v, "%*u %u", &t->gid);
		else if ((v = val("CapInh:\t")))
			t->cap_inheritable = strtoull(v, nullptr, 16);
		else if ((v = val("CapPrm:\t")))
			t->cap_permitted = strtoull(v, nullptr, 16);
		else if ((v = val("CapEff:\t")))
			t->cap_effective = strtoull(v, nullptr, 16);
		else if ((v = val("VmSize:\t")))
			t->vmsize = (uint32_t)strtoul(v, nullptr, 10);
		else if ((v = val("VmRSS:\t")))
			t->vmrss = (uint32_t)strtoul(v, nullptr, 10);
		else if ((v = val("VmSwap:\t")))
			t->vmswap = (uint32_t)strtoul(v, nullptr, 10);
	}
	std::string cmdline = read_file(base + "/cmdline");
	auto argv = split_nul(cmdline.data(), cmdline.size());
	if (!argv.empty()) {
		t->exe = argv[0];
		t->args.assign(argv.begin() + 1, argv.end());
	}
	std::string env = read_file(base + "/environ");
	t->env = split_nul(env.data(), env.size());
	t->exepath = read_link(base + "/exe");
	t->cwd = read_link(base + "/cwd");
	std::string root = read_link(base + "/root");
	if (!root.empty())
		t->root = root;
	std::string lu = read_file(base + "/loginuid");
	if (!lu.empty())
		t->loginuid = (uint32_t)strtoul(lu.c_str(), nullptr, 10);
	std::string stat = read_file(base + "/stat");
	size_t rp = stat.rfind(')');
	if (rp != std::string::npos) {
		long long pgrp = 0, session = 0, tty = 0;
		char state;
		int ppid;
		if (sscanf(stat.c_str() + rp + 1, " %c %d %lld %lld %lld", &state, &ppid, &pgrp, &session, &tty) == 5) {
			t->pgid = t->vpgid = pgrp;
			t->sid = session;
			t->tty = (uint32_t)tty;
		}
	}
	std::string cg = read_file(base + "/cgroup");
	std::vector<std::pair<std::string, std::string>> cgroups;
	std::istringstream cs(cg);
	while (std::getline(cs, line)) {
		// hierarchy-id:controllers:path
		size_t a = line.find(':'), b = a == std::string::npos ? a : line.find(':', a + 1);
		if (b == std::string::npos)
			continue;
		std::string ctl = line.substr(a + 1, b - a - 1);
		cgroups.emplace_back(ctl.empty() ? "unified" : ctl, line.substr(b + 1));
	}
	t->set_cgroups_and_container(std::move(cgroups));
	if (t->pid == t->tid) {
		// fds of the process: paths only (sockets and anonymous inodes get their type)
		std::string fdir = base + "/fd/";
		DIR *dir = opendir(fdir.c_str());
		struct dirent *de;
		while (dir && (de = readdir(dir)) != nullptr) {
			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			int64_t fd = strtoll(de->d_name, nullptr, 10);
			std::string target = read_link(fdir + de->d_name);
			if (target.empty())
				continue;
			fdinfo fi;
			fi.flags = FDF_FROM_PROC;
			if (target[0] == '/') {
				fi.type = SCAP_FD_FILE;
				fi.name = target;
			} else if (target.compare(0, 7, "socket:") == 0) {
				fi.type = SCAP_FD_UNKNOWN;
			} else if (target.compare(0, 5, "pipe:") == 0) {
				fi.type = SCAP_FD_FIFO;
				fi.ino = strtoull(target.c_str() + 6, nullptr, 10);
			} else if (target == "anon_inode:[eventfd]") {
				fi.type = SCAP_FD_EVENT;
			} else if (target == "anon_inode:[eventpoll]") {
				fi.type = SCAP_FD_EVENTPOLL;
			} else {
				fi.type = SCAP_FD_UNKNOWN;
				fi.name = target;
			}
			t->fds->add(fd, std::move(fi));
		}
		if (dir)
			closedir(dir);
	} else if (threadinfo *m = get_thread(t->pid, true)) {
		t->fds = m->fds; // a thread of a process: the leader's table (read first)
	}
	return t;
}

threadinfo *inspector::get_thread(int64_t tid, bool create)
{
	threadinfo *t = threads.find(tid);
	if (t || !create)
		return t;
	std::unique_ptr<threadinfo> nt;
	if (live)
		nt = thread_from_proc(tid);
	if (!nt) {
		nt = std::make_unique<threadinfo>();
		nt->tid = tid;
		nt->incomplete = true;
		// what upstream (and sysdig) show for a thread nothing is known about, until a clone or
		// execve repairs it; the pid stays unknown (-1): fields show the tid then
		nt->comm = nt->exe = "<NA>";
	}
	return threads.add(std::move(nt));
}

void inspector::load_users_from_etc()
{
	std::string base = proc_root + (proc_root.back() == '/' ? "" : "/") + "etc/";
	std::istringstream pw(read_file(base + "passwd"));
	std::string line;
	while (std::getline(pw, line)) {
		std::vector<std::string> f;
		std::stringstream ls(line);
		std::string x;
		while (std::getline(ls, x, ':'))
			f.push_back(x);
		if (f.size() < 7)
			f.resize(7);
		if (f[0].empty() || f[2].empty())
			continue;
		uint32_t uid = (uint32_t)strtoul(f[2].c_str(), nullptr, 10);
		users[uid] = user_entry{ uid, (uint32_t)strtoul(f[3].c_str(), nullptr, 10), f[0], f[5], f[6] };
	}
	std::istringstream gr(read_file(base + "group"));
	while (std::getline(gr, line)) {
		size_t a = line.find(':'), b = a == std::string::npos ? a : line.find(':', a + 1);
		if (b == std::string::npos)
			continue;
		uint32_t gid = (uint32_t)strtoul(line.c_str() + b + 1, nullptr, 10);
		groups[gid] = group_entry{ gid, line.substr(0, a) };
	}
}

void inspector::do_deferred()
{
	for (auto &p : m_fds_to_remove)
		p.first->erase(p.second);
	m_fds_to_remove.clear();
	for (int64_t tid : m_threads_to_remove) {
		threadinfo *t = threads.find(tid);
		if (!t || !t->dead)
			continue;
		int64_t pid = t->pid;
		if (t->is_main() && threads.nthreads(pid) > 1)
			continue; // the leader stays (dead) until its last thread exits
		threads.remove(tid);
		if (pid != tid && pid >= 0) {
			threadinfo *leader = threads.find(pid);
			if (leader && leader->dead && threads.nthreads(pid) == 1)
				threads.remove(pid);
		}
	}
	m_threads_to_remove.clear();
}

bool inspector::suppressed(event &e)
{
	const type_info &ti = e.info();
	int64_t tid = e.tid();
	if (!suppress_comms.empty() && e.is_exit() && (ti.kind == ekind::CLONE || ti.kind == ekind::EXECVE)) {
		std::string comm;
		int64_t res = -1;
		e.get_int("res", res);
		if (e.get_str("comm", comm) && suppress_comms.count(comm)) {
			if (ti.kind == ekind::CLONE && res > 0)
				suppress_tids.insert(res);
			else if (res == 0)
				suppress_tids.insert(tid);
		}
	}
	if (suppress_tids.empty() || !suppress_tids.count(tid))
		return false;
	if (ti.kind == ekind::PROCEXIT) {
		suppress_tids.erase(tid);
		return false; // state cleanup always happens
	}
	return true;
}

// (once per event, from next() only: inline there)
inline __attribute__((always_inline)) void inspector::reset(event &e)
{
	const type_info &ti = e.info();
	e.tinfo = nullptr;
	e.fdi = nullptr;
	e.fdnum = -1;
	e.enter = nullptr;
	e.exectime = 0;
	e.enter_split = false;
	e.enter_nparams = 0;
	// the child side of a clone creates its own entry (from the event's parameters)
	bool clone_child = false;
	if (ti.kind == ekind::CLONE && e.is_exit()) {
		int64_t res = -1;
		clone_child = e.get_int("res", res) && res == 0;
	}
	// no entry is made (nor read from /proc) for: meta events, the child side of a clone (it makes
	// its own from the event's parameters), context switches (mostly kernel threads), and a
	// thread's exit (a dead thread read back from /proc would be a fake entry) -- upstream's rule
	// (ti.no_new_thread)
	e.tinfo = threads.find(e.tid());
	if (!e.tinfo && !ti.no_new_thread && !clone_child)
		e.tinfo = get_thread(e.tid(), true);
	threadinfo *t = e.tinfo;
	if (e.type == SCAP_EVT_PROCINFO_E && t) {
		// thread.cpu: this event's counters against the previous procinfo event's
		uint64_t u = 0, s = 0;
		e.get_uint("cpu_usr", u);
		e.get_uint("cpu_sys", s);
		e.procinfo_prev_user = t->procinfo_user;
		e.procinfo_prev_sys = t->procinfo_sys;
		t->procinfo_user = u;
		t->procinfo_sys = s;
	}
	// a context switch (the tracepoint fires for the thread switched out, between a syscall's enter
	// and exit) leaves the pairing alone: the syscall's exit still belongs to its enter (sysdig's
	// latency of a poll that slept across switches is exit - enter)
	if (t && !(ti.flags & SCAP_EF_SKIPPARSERESET) && ti.kind != ekind::SWITCH) {
		// TOCTOU enters (live), and any syscall enter of an old capture read without conversion
		if (ti.toctou_enter || (!e.is_exit() && (ti.category & SCAP_EC_SRC_SYSCALL))) {
			t->enter_evt.assign((const uint8_t *)e.hdr, (const uint8_t *)e.hdr + e.hdr->len);
		} else if (e.is_exit() && !t->enter_evt.empty() && t->last_type == e.type - 1) {
			// split on first use (event::enter_get()): the copy was a valid event
			m_enter_copy.swap(t->enter_evt);
			t->enter_evt.clear();
			e.enter = m_enter_copy.data();
		} else if (!t->enter_evt.empty()) {
			t->enter_evt.clear();
		}
		t->last_type = e.type;
	}
	if (t && ti.fd_param >= 0 && e.has(ti.fd_param)) {
		e.fdnum = e.as_int(ti.fd_param);
		if (e.fdnum >= 0) // negative fds (AT_FDCWD, errors) have no fdinfo
			e.fdi = t->fds->find(e.fdnum);
	} else if (t && e.enter) {
		// an old exit without its fd: the fd of the paired enter event
		const scap_param *p = e.enter_get("fd");
		if (p) {
			e.fdnum = event::decode_int(*p);
			e.fdi = t->fds->find(e.fdnum);
		}
	}
}

int inspector::next(event **out)
{
	for (;;) {
		if (!m_fds_to_remove.empty() || !m_threads_to_remove.empty())
			do_deferred();
		if (containers)
			containers->poll(); // what the runtimes answered meanwhile
		const scap_evt_hdr *hdr;
		uint16_t cpu = 0;
		uint32_t flags = 0;
		int rc = scap_capture__next(cap, &hdr, &cpu, &flags);
		if (rc != 0) {
			if (rc < 0)
				set_error("%s", scap_capture__geterr(cap));
			return rc;
		}
		event &e = evt;
		if (!e.first_ts)
			e.first_ts = hdr->ts;
		e.state_only = false;
		e.hdr = hdr;
		e.cpu = cpu;
		e.type = hdr->type;
		e.ti = &type_of(e.type);
		e.nparams = 0;
		if (!event::split((const uint8_t *)hdr, e.params, &e.nparams))
			continue; // the engine validated it already: only an unknown type gets here
		if ((!suppress_tids.empty() || !suppress_comms.empty()) && suppressed(e)) {
			st.n_suppressed++;
			continue;
		}
		st.n_events++;
		e.num = st.n_events;
		reset(e);
		if (e.tinfo && !e.tinfo->container_noticed && containers)
			containers->notice(*e.tinfo);
		const type_info &ti = e.info();
		if (live && !debug) {
			bool exempt = e.type == SCAP_EVT_SWITCH_E || e.type == SCAP_EVT_DROP_E ||
				      e.type == SCAP_EVT_DROP_X || e.type == SCAP_EVT_SCAPEVENT_E ||
				      e.type == SCAP_EVT_PROCINFO_E || e.type == SCAP_EVT_CPU_HOTPLUG_E;
			int64_t pid = e.tinfo && e.tinfo->pid >= 0 ? e.tinfo->pid : e.tid();
			if (!exempt && (pid == self_pid || e.tid() == self_pid)) {
				st.n_self++;
				// still keep our own state consistent (our fds and threads)
				parse(e);
				continue;
			}
		}
		if (!live && (flags & SCAP_EVF_STATE_ONLY)) {
			// a fatfile's state-only event (sysdig -F): parsed for the state, never handed out
			// (upstream's rule for offline captures); counted as filtered, as sysdig does
			parse(e);
			if (!e.fdi && e.tinfo && e.fdnum >= 0)
				e.fdi = e.tinfo->fds->find(e.fdnum);
			st.n_filtered++;
			continue;
		}
		if (e.type == SCAP_EVT_CONTAINER_E) {
			// container metadata (a capture file's): kept, not handed out (sinsp/container.h)
			if (containers && e.has(0))
				containers->add_json(e.as_str(0), true);
			if (!debug) {
				st.n_internal++;
				continue;
			}
		}
		if (ti.internal && !debug) {
			// procinfo, drop, scapevent, container, ...: internal bookkeeping, parsed but not
			// handed out (upstream's and sysdig's rule; the debug option shows them)
			parse(e);
			st.n_internal++;
			continue;
		}
		bool state = ti.flags & SCAP_EF_MODIFIES_STATE;
		if (state || !filter) {
			parse(e);
			if (containers && (ti.kind == ekind::CLONE || ti.kind == ekind::EXECVE)) {
				if (e.tinfo && !e.tinfo->container_noticed)
					containers->notice(*e.tinfo);
				containers->after_parse(*this, e);
			}
			if (!e.fdi && e.tinfo && e.fdnum >= 0)
				e.fdi = e.tinfo->fds->find(e.fdnum);
			if (ti.res_is_fd && e.tinfo && e.has(0) && e.as_int(0) >= 0) {
				e.fdnum = e.as_int(0);
				e.fdi = e.tinfo->fds->find(e.fdnum);
			}
			if (filter && !filter->run(e)) {
				st.n_filtered++;
				if (fatfile && state) {
					e.state_only = true; // for the writer only (loop.cpp)
					*out = &e;
					return 0;
				}
				continue;
			}
		} else {
			if (!filter->run(e)) {
				st.n_filtered++;
				continue;
			}
			parse(e);
		}
		st.n_returned++;
		*out = &e;
		return 0;
	}
}

} // namespace sinsp
