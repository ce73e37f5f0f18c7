// SPDX-License-Identifier: Apache-2.0
// The C API of the inspector, its events, threads and fds (sinsp/inspector.h).
#include <cerrno>
#include <cstring>
#include <new>

#include "capi_guard.h"
#include "container/manager.h"
#include "inspector_impl.h"
#include "opts.h"
#include "sinsp/container.h"

using namespace sinsp;

namespace
{

inspector *I(sinsp_inspector *p)
{
	return reinterpret_cast<inspector *>(p);
}
const event *E(const sinsp_event *p)
{
	return reinterpret_cast<const event *>(p);
}
const threadinfo *T(const sinsp_thread *p)
{
	return reinterpret_cast<const threadinfo *>(p);
}
const fdinfo *F(const sinsp_fd *p)
{
	return reinterpret_cast<const fdinfo *>(p);
}
const sinsp_thread *CT(const threadinfo *t)
{
	return reinterpret_cast<const sinsp_thread *>(t);
}
const sinsp_fd *CF(const fdinfo *f)
{
	return reinterpret_cast<const sinsp_fd *>(f);
}

std::vector<std::pair<std::string, std::string>> parse_cgroups(const char *buf, size_t len)
{
	std::vector<std::pair<std::string, std::string>> cg;
	if (!buf)
		return cg;
	for (auto &entry : split_nul(buf, len)) {
		size_t eq = entry.find('=');
		if (eq != std::string::npos)
			cg.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
	}
	return cg;
}

} // namespace

extern "C" {

struct sinsp_inspector *sinsp_inspector__open(struct scap_capture *cap, const struct sinsp_opts *user_opts)
{
	return sinsp::guard_or<struct sinsp_inspector *>(
		"sinsp_inspector__open", nullptr, [&]() -> struct sinsp_inspector * {
			if (!cap) {
				set_error("sinsp_inspector__open: no capture");
				errno = EINVAL;
				return nullptr;
			}
			sinsp_opts opts;
			int rc = copy_opts(opts, user_opts, "sinsp_inspector__open");
			if (rc < 0) {
				scap_capture__close(cap);
				errno = -rc;
				return nullptr;
			}
			sinsp_container_opts copts;
			if (opts.containers) {
				if ((rc = copy_opts(copts, opts.containers, "sinsp_opts.containers")) < 0) {
					scap_capture__close(cap);
					errno = -rc;
					return nullptr;
				}
				for (uint32_t i = 0; i < copts.n_endpoints; i++) {
					const char *ep = copts.endpoints ? copts.endpoints[i] : nullptr;
					const char *colon = ep ? strchr(ep, ':') : nullptr;
					std::string kind = colon ? std::string(ep, colon - ep) : "";
					if (!colon || !colon[1] ||
					    (kind != "docker" && kind != "podman" && kind != "cri" &&
					     kind != "containerd" && kind != "crio" && kind != "cri-o")) {
						set_error("container runtime '%s': expected KIND:PATH with KIND "
							  "docker, podman or cri",
							  ep ? ep : "(null)");
						scap_capture__close(cap);
						errno = EINVAL;
						return nullptr;
					}
				}
			}
			inspector *insp = new (std::nothrow) inspector(cap, opts);
			if (!insp) {
				scap_capture__close(cap);
				set_error("out of memory");
				errno = ENOMEM;
				return nullptr;
			}
			try {
				insp->containers = std::make_shared<ctr::manager>(opts.containers ? &copts : nullptr,
										  insp->proc_root);
			} catch (...) {
				delete insp;
				errno = sinsp::caught("sinsp_inspector__open");
				return nullptr;
			}
			return reinterpret_cast<sinsp_inspector *>(insp);
		});
}

void sinsp_inspector__close(struct sinsp_inspector *insp)
{
	delete I(insp);
}

struct scap_capture *sinsp_inspector__capture(struct sinsp_inspector *insp)
{
	return insp ? I(insp)->cap : nullptr;
}

int sinsp_inspector__next(struct sinsp_inspector *insp, const struct sinsp_event **evt)
{
	return sinsp::guard("sinsp_inspector__next", [&]() -> int {
		if (!insp || !evt) {
			set_error("sinsp_inspector__next: NULL argument");
			return -EINVAL;
		}
		event *e = nullptr;
		int rc;
		try {
			rc = I(insp)->next(&e);
		} catch (...) {
			return -sinsp::caught("sinsp_inspector__next");
		}
		if (rc == 0)
			*evt = reinterpret_cast<const sinsp_event *>(e);
		return rc;
	});
}

int sinsp_inspector__export_platform(struct sinsp_inspector *insp, struct scap_platform *out)
{
	return sinsp::guard("sinsp_inspector__export_platform", [&]() -> int {
		if (!insp || !out) {
			set_error("sinsp_inspector__export_platform: NULL argument");
			return -EINVAL;
		}
		try {
			int rc = I(insp)->export_platform(out);
			if (rc < 0)
				set_error("exporting the state: %s", std::strerror(-rc));
			return rc;
		} catch (...) {
			return -sinsp::caught("sinsp_inspector__export_platform");
		}
	});
}

int sinsp_inspector__set_filter(struct sinsp_inspector *insp, struct sinsp_filter *filter)
{
	if (!insp)
		return -EINVAL;
	I(insp)->filter = filter;
	return 0;
}

int sinsp_inspector__set_time_output_mode(struct sinsp_inspector *insp, char mode)
{
	if (!insp || !mode || !strchr("hardD", mode)) {
		set_error("time output mode '%c': expected h, a, r, d or D", mode ? mode : '?');
		return -EINVAL;
	}
	I(insp)->time_output_mode = mode;
	return 0;
}

int sinsp_inspector__set_buffer_format(struct sinsp_inspector *insp, int format)
{
	if (!insp || format < SINSP_BUFFER_DOTS || format > SINSP_BUFFER_BASE64) {
		set_error("buffer format %d: expected 0 (dots) to 4 (base64)", format);
		return -EINVAL;
	}
	I(insp)->buffer_format = format;
	return 0;
}

int sinsp_inspector__set_buffer_limit(struct sinsp_inspector *insp, uint32_t limit)
{
	if (!insp)
		return -EINVAL;
	I(insp)->buffer_limit = limit;
	return 0;
}

int sinsp_inspector__set_port_resolution(struct sinsp_inspector *insp, bool enable)
{
	if (!insp)
		return -EINVAL;
	I(insp)->resolve_ports = enable;
	return 0;
}

int sinsp_inspector__stats(struct sinsp_inspector *insp, struct sinsp_stats *st)
{
	return sinsp::guard("sinsp_inspector__stats", [&]() -> int {
		if (!insp || !st || st->sz < sizeof(size_t))
			return -EINVAL;
		inspector *p = I(insp);
		sinsp_stats s = p->st;
		s.n_threads = p->threads.size();
		s.n_threads_removed = p->threads.n_removed();
		s.n_threads_dropped = p->threads.n_dropped();
		std::vector<const fdtable *> seen;
		uint64_t nfds = 0;
		for (auto &kv : p->threads.all()) {
			const fdtable *ft = kv.second->fds.get();
			if (kv.second->tid != kv.second->pid && kv.second->pid >= 0 &&
			    p->threads.find(kv.second->pid) && p->threads.find(kv.second->pid)->fds.get() == ft)
				continue; // counted with the leader
			nfds += ft->fds.size();
		}
		s.n_fds = nfds;
		size_t sz = st->sz < sizeof(s) ? st->sz : sizeof(s);
		s.sz = st->sz;
		std::memcpy(st, &s, sz);
		return 0;
	});
}

int sinsp_inspector__scap_stats(struct sinsp_inspector *insp, struct scap_stats *st)
{
	if (!insp)
		return -EINVAL;
	return scap_capture__stats(I(insp)->cap, st);
}

int sinsp_inspector__suppress_comm(struct sinsp_inspector *insp, const char *comm)
{
	return sinsp::guard("sinsp_inspector__suppress_comm", [&]() -> int {
		if (!insp || !comm)
			return -EINVAL;
		I(insp)->suppress_comms.insert(comm);
		return 0;
	});
}

int sinsp_inspector__suppress_tid(struct sinsp_inspector *insp, int64_t tid)
{
	return sinsp::guard("sinsp_inspector__suppress_tid", [&]() -> int {
		if (!insp)
			return -EINVAL;
		I(insp)->suppress_tids.insert(tid);
		return 0;
	});
}

int sinsp_inspector__add_thread(struct sinsp_inspector *insp, const struct sinsp_thread_seed *useed)
{
	return sinsp::guard("sinsp_inspector__add_thread", [&]() -> int {
		sinsp_thread_seed s;
		if (!insp || !useed) {
			set_error("sinsp_inspector__add_thread: NULL argument");
			return -EINVAL;
		}
		int rc = copy_opts(s, useed, "sinsp_inspector__add_thread");
		if (rc < 0)
			return rc;
		if (s.tid <= 0) {
			set_error("sinsp_inspector__add_thread: bad tid %lld", (long long)s.tid);
			return -EINVAL;
		}
		inspector *p = I(insp);
		auto t = std::make_unique<threadinfo>();
		t->tid = s.tid;
		t->pid = s.pid > 0 ? s.pid : s.tid;
		t->ptid = s.ptid;
		t->sid = s.sid;
		t->vpgid = s.vpgid;
		t->pgid = s.pgid;
		t->vtid = s.vtid;
		t->vpid = s.vpid;
		t->comm = s.comm ? s.comm : "";
		t->exe = s.exe ? s.exe : "";
		t->exepath = s.exepath ? s.exepath : "";
		t->cwd = s.cwd ? s.cwd : "";
		t->root = s.root && *s.root ? s.root : "/";
		if (s.args)
			t->args = split_nul(s.args, s.args_len);
		if (s.env)
			t->env = split_nul(s.env, s.env_len);
		t->set_cgroups_and_container(parse_cgroups(s.cgroups, s.cgroups_len));
		t->uid = s.uid;
		t->gid = s.gid;
		t->loginuid = s.loginuid;
		t->fdlimit = s.fdlimit;
		t->cap_permitted = s.cap_permitted;
		t->cap_effective = s.cap_effective;
		t->cap_inheritable = s.cap_inheritable;
		t->tty = s.tty;
		t->clone_ts = s.clone_ts;
		// threads of a known process share its fd table
		if (t->pid != t->tid)
			if (threadinfo *leader = p->threads.find(t->pid))
				t->fds = leader->fds;
		if (threadinfo *old = p->threads.find(t->tid))
			t->fds = old->fds;
		int64_t tid = t->tid, ptid = t->ptid;
		bool is_main = t->pid == t->tid;
		if (!p->threads.add(std::move(t))) {
			set_error("thread table full");
			return -ENOSPC;
		}
		if (is_main && ptid > 0)
			p->threads.link_child(ptid, tid);
		// children added before their parent
		for (auto &kv : p->threads.all())
			if (kv.second->ptid == tid && kv.second->is_main())
				p->threads.link_child(tid, kv.first);
		return 0;
	});
}

int sinsp_inspector__add_fd(struct sinsp_inspector *insp, int64_t tid, const struct sinsp_fd_seed *useed)
{
	return sinsp::guard("sinsp_inspector__add_fd", [&]() -> int {
		sinsp_fd_seed s;
		if (!insp || !useed)
			return -EINVAL;
		int rc = copy_opts(s, useed, "sinsp_inspector__add_fd");
		if (rc < 0)
			return rc;
		threadinfo *t = I(insp)->threads.find(tid);
		if (!t) {
			set_error("sinsp_inspector__add_fd: no thread %lld", (long long)tid);
			return -ENOENT;
		}
		if (s.fd < 0 || s.type >= SCAP_FD_TYPE_MAX || s.l4proto > SCAP_L4_RAW) {
			set_error("sinsp_inspector__add_fd: bad fd %lld, type %u or l4proto %u", (long long)s.fd,
				  s.type, s.l4proto);
			return -EINVAL;
		}
		fdinfo fi;
		fi.type = state_fd_type(s.type);
		fi.openflags = s.openflags;
		fi.flags = FDF_FROM_PROC;
		fi.dev = s.dev;
		fi.ino = s.ino;
		fi.l4 = s.l4proto;
		memcpy(fi.sip, s.sip, 16);
		memcpy(fi.dip, s.dip, 16);
		fi.sport = s.sport;
		fi.dport = s.dport;
		fi.unix_src = s.unix_src;
		fi.unix_dst = s.unix_dst;
		std::string name = s.name ? s.name : "";
		fi.family = fd_type_family(fi.type);
		if (fi.family == 2 || fi.family == 10 || (fi.family == 1 && (fi.unix_src || fi.unix_dst))) {
			fi.name_raw = name;
			fi.has_tuple = true;
			fi.name = socket_name(fi, I(insp)->resolve_ports);
		} else {
			fi.name = name;
			fi.name_raw = name;
		}
		if (!t->fds->add(s.fd, std::move(fi))) {
			set_error("fd table of %lld is full", (long long)tid);
			return -ENOSPC;
		}
		return 0;
	});
}

int sinsp_inspector__add_user(struct sinsp_inspector *insp, uint32_t uid, uint32_t gid, const char *name,
			      const char *home, const char *shell)
{
	if (!insp || !name)
		return -EINVAL;
	I(insp)->users[uid] = user_entry{ uid, gid, name, home ? home : "", shell ? shell : "" };
	return 0;
}

int sinsp_inspector__add_group(struct sinsp_inspector *insp, uint32_t gid, const char *name)
{
	if (!insp || !name)
		return -EINVAL;
	I(insp)->groups[gid] = group_entry{ gid, name };
	return 0;
}

const char *sinsp_inspector__user_name(struct sinsp_inspector *insp, uint32_t uid)
{
	auto it = I(insp)->users.find(uid);
	return it == I(insp)->users.end() ? nullptr : it->second.name.c_str();
}

const char *sinsp_inspector__group_name(struct sinsp_inspector *insp, uint32_t gid)
{
	auto it = I(insp)->groups.find(gid);
	return it == I(insp)->groups.end() ? nullptr : it->second.name.c_str();
}

uint64_t sinsp_event__num(const struct sinsp_event *evt)
{
	return E(evt)->num;
}
const struct scap_evt_hdr *sinsp_event__hdr(const struct sinsp_event *evt)
{
	return E(evt)->hdr;
}
uint16_t sinsp_event__cpu(const struct sinsp_event *evt)
{
	return E(evt)->cpu;
}
uint16_t sinsp_event__type(const struct sinsp_event *evt)
{
	return E(evt)->type;
}
uint64_t sinsp_event__ts(const struct sinsp_event *evt)
{
	return E(evt)->ts();
}
int64_t sinsp_event__tid(const struct sinsp_event *evt)
{
	return E(evt)->tid();
}
const char *sinsp_event__name(const struct sinsp_event *evt)
{
	return E(evt)->name();
}
const struct sinsp_thread *sinsp_event__thread(const struct sinsp_event *evt)
{
	return CT(E(evt)->tinfo);
}
const struct sinsp_fd *sinsp_event__fd(const struct sinsp_event *evt)
{
	return CF(E(evt)->fdi);
}
int64_t sinsp_event__fdnum(const struct sinsp_event *evt)
{
	return E(evt)->fdi ? E(evt)->fdnum : -1;
}

const struct sinsp_thread *sinsp_inspector__thread(struct sinsp_inspector *insp, int64_t tid)
{
	return insp ? CT(I(insp)->threads.find(tid)) : nullptr;
}
uint64_t sinsp_inspector__nthreads(struct sinsp_inspector *insp)
{
	return I(insp)->threads.size();
}

int64_t sinsp_thread__tid(const struct sinsp_thread *t)
{
	return T(t)->tid;
}
int64_t sinsp_thread__pid(const struct sinsp_thread *t)
{
	return T(t)->pid;
}
int64_t sinsp_thread__ptid(const struct sinsp_thread *t)
{
	return T(t)->ptid;
}
int64_t sinsp_thread__sid(const struct sinsp_thread *t)
{
	return T(t)->sid;
}
int64_t sinsp_thread__pgid(const struct sinsp_thread *t)
{
	return T(t)->pgid;
}
int64_t sinsp_thread__vpgid(const struct sinsp_thread *t)
{
	return T(t)->vpgid;
}
int64_t sinsp_thread__vtid(const struct sinsp_thread *t)
{
	return T(t)->vtid;
}
int64_t sinsp_thread__vpid(const struct sinsp_thread *t)
{
	return T(t)->vpid;
}
int64_t sinsp_thread__reaper_tid(const struct sinsp_thread *t)
{
	return T(t)->reaper_tid;
}
const char *sinsp_thread__comm(const struct sinsp_thread *t)
{
	return T(t)->comm.c_str();
}
const char *sinsp_thread__exe(const struct sinsp_thread *t)
{
	return T(t)->exe.c_str();
}
const char *sinsp_thread__exepath(const struct sinsp_thread *t)
{
	return T(t)->exepath.c_str();
}
const char *sinsp_thread__cwd(const struct sinsp_thread *t)
{
	return T(t)->cwd.c_str();
}
const char *sinsp_thread__root(const struct sinsp_thread *t)
{
	return T(t)->root.c_str();
}
uint32_t sinsp_thread__nargs(const struct sinsp_thread *t)
{
	return (uint32_t)T(t)->args.size();
}
const char *sinsp_thread__arg(const struct sinsp_thread *t, uint32_t i)
{
	return i < T(t)->args.size() ? T(t)->args[i].c_str() : nullptr;
}
uint32_t sinsp_thread__nenv(const struct sinsp_thread *t)
{
	return (uint32_t)T(t)->env.size();
}
const char *sinsp_thread__env(const struct sinsp_thread *t, uint32_t i)
{
	return i < T(t)->env.size() ? T(t)->env[i].c_str() : nullptr;
}
uint32_t sinsp_thread__uid(const struct sinsp_thread *t)
{
	return T(t)->uid;
}
uint32_t sinsp_thread__gid(const struct sinsp_thread *t)
{
	return T(t)->gid;
}
uint32_t sinsp_thread__loginuid(const struct sinsp_thread *t)
{
	return T(t)->loginuid;
}
uint64_t sinsp_thread__cap(const struct sinsp_thread *t, int which)
{
	return which == 0 ? T(t)->cap_permitted : which == 1 ? T(t)->cap_effective : T(t)->cap_inheritable;
}
uint32_t sinsp_thread__flags(const struct sinsp_thread *t)
{
	return T(t)->flags;
}
int64_t sinsp_thread__fdlimit(const struct sinsp_thread *t)
{
	return T(t)->fdlimit;
}
uint32_t sinsp_thread__tty(const struct sinsp_thread *t)
{
	return T(t)->tty;
}
bool sinsp_thread__dead(const struct sinsp_thread *t)
{
	return T(t)->dead;
}
const char *sinsp_thread__container_id(const struct sinsp_thread *t)
{
	return T(t)->container_id.c_str();
}
const char *sinsp_thread__container_runtime(const struct sinsp_thread *t)
{
	return T(t)->container_runtime.c_str();
}
uint32_t sinsp_thread__nchildren(const struct sinsp_thread *t)
{
	return (uint32_t)T(t)->children.size();
}
int64_t sinsp_thread__child(const struct sinsp_thread *t, uint32_t i)
{
	return i < T(t)->children.size() ? T(t)->children[i] : -1;
}
uint32_t sinsp_thread__nfds(const struct sinsp_thread *t)
{
	return (uint32_t)T(t)->fds->fds.size();
}
const struct sinsp_fd *sinsp_thread__fd_at(const struct sinsp_thread *t, uint32_t i)
{
	return sinsp::guard_or<const struct sinsp_fd *>(
		"sinsp_thread__fd_at", nullptr, [&]() -> const struct sinsp_fd * {
			const auto &fds = T(t)->fds->fds;
			if (i >= fds.size())
				return nullptr;
			auto it = fds.begin();
			std::advance(it, i);
			return CF(&it->second);
		});
}
const struct sinsp_fd *sinsp_thread__fd(const struct sinsp_thread *t, int64_t fd)
{
	return CF(T(t)->fds->find(fd));
}
bool sinsp_thread__shares_fds(const struct sinsp_thread *a, const struct sinsp_thread *b)
{
	return T(a)->fds == T(b)->fds;
}

int64_t sinsp_fd__num(const struct sinsp_fd *f)
{
	return F(f)->fd;
}
uint32_t sinsp_fd__type(const struct sinsp_fd *f)
{
	return F(f)->type;
}
const char *sinsp_fd__typestr(const struct sinsp_fd *f)
{
	return fd_typestr(F(f)->type);
}
char sinsp_fd__typechar(const struct sinsp_fd *f)
{
	return fd_typechar(F(f)->type);
}
const char *sinsp_fd__name(const struct sinsp_fd *f)
{
	return F(f)->name.c_str();
}
const char *sinsp_fd__name_raw(const struct sinsp_fd *f)
{
	return F(f)->name_raw.c_str();
}
uint32_t sinsp_fd__openflags(const struct sinsp_fd *f)
{
	return F(f)->openflags;
}
uint32_t sinsp_fd__flags(const struct sinsp_fd *f)
{
	return F(f)->flags;
}
uint32_t sinsp_fd__dev(const struct sinsp_fd *f)
{
	return F(f)->dev;
}
uint64_t sinsp_fd__ino(const struct sinsp_fd *f)
{
	return F(f)->ino;
}
int64_t sinsp_fd__pid(const struct sinsp_fd *f)
{
	return F(f)->pid;
}
uint8_t sinsp_fd__l4proto(const struct sinsp_fd *f)
{
	return F(f)->l4;
}
int sinsp_fd__tuple(const struct sinsp_fd *f, uint8_t *sip, uint16_t *sport, uint8_t *dip, uint16_t *dport)
{
	return sinsp::guard("sinsp_fd__tuple", [&]() -> int {
		if (!F(f)->is_ip())
			return -EINVAL;
		if (sip)
			memcpy(sip, F(f)->sip, 16);
		if (dip)
			memcpy(dip, F(f)->dip, 16);
		if (sport)
			*sport = F(f)->sport;
		if (dport)
			*dport = F(f)->dport;
		return F(f)->family;
	});
}
uint64_t sinsp_fd__unix_src(const struct sinsp_fd *f)
{
	return F(f)->unix_src;
}
uint64_t sinsp_fd__unix_dst(const struct sinsp_fd *f)
{
	return F(f)->unix_dst;
}

} // extern "C"
