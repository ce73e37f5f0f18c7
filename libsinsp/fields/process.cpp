// SPDX-License-Identifier: Apache-2.0
// The process/thread: the thread table (names, ids, ancestors, command lines, credentials, resources).
#include "fields/registry_impl.h"

namespace sinsp
{
namespace fields_detail
{

void registry_impl::add_process_fields()
{
	[[maybe_unused]] const uint32_t A = FF_ARG_ALLOWED, R = FF_ARG_REQUIRED, F = FF_FILTER_ONLY, P = FF_PRINT_ONLY,
					D = FF_DEPRECATED, L = FF_LIST;
	using ev [[maybe_unused]] = const event &;
	using bd [[maybe_unused]] = const bound &;

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
	// upstream: the process's memory on its main thread, 0 on the other threads
	auto thread_mem = [](uint32_t threadinfo::*m, uint64_t unit) {
		return [m, unit](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			return t && U64(o, t->is_main() ? (uint64_t)(t->*m) * unit : 0);
		};
	};
	add("thread.vmsize", ftype::UINT64, 0, PR, "on the main thread, the process's virtual memory (kB); else 0",
	    thread_mem(&threadinfo::vmsize, 1));
	add("thread.vmrss", ftype::UINT64, 0, PR, "on the main thread, the process's resident memory (kB); else 0",
	    thread_mem(&threadinfo::vmrss, 1));
	add("thread.vmsize.b", ftype::UINT64, 0, PR, "thread.vmsize in bytes", thread_mem(&threadinfo::vmsize, 1024));
	add("thread.vmrss.b", ftype::UINT64, 0, PR, "thread.vmrss in bytes", thread_mem(&threadinfo::vmrss, 1024));
	add("thread.nametid", ftype::STRING, 0, PR, "the thread's name followed by its id (curl17497)",
	    [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    return t && S(o, t->comm + std::to_string(e.tid()));
	    });
	// context switches: what the switched-out thread ran since the CPU's previous switch; 0 on other events
	add("thread.exectime", ftype::RELTIME, 0, PR,
	    "on context switches, ns the thread ran since the CPU's last switch; else 0",
	    [](ev e, bd, vals &o) { return U64(o, e.exectime, ftype::RELTIME); });
	add("thread.totexectime", ftype::RELTIME, 0, PR,
	    "ns the thread ran since the capture began, summed over its context switches", [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    return t && U64(o, t->totexectime, ftype::RELTIME);
	    });
	// procinfo events (the kmod's, every second): the CPU the thread used since its previous one,
	// in hundredths of a second (percent of a CPU), at most 100; 0 on its first; nothing elsewhere
	auto thread_cpu = [](bool user, bool sys) {
		return [user, sys](ev e, bd, vals &o) {
			uint64_t u = 0, s = 0;
			if (e.type != SCAP_EVT_PROCINFO_E || !TI(e))
				return false;
			e.get_uint("cpu_usr", u);
			e.get_uint("cpu_sys", s);
			uint64_t now = (user ? u : 0) + (sys ? s : 0);
			uint64_t before = (user ? e.procinfo_prev_user : 0) + (sys ? e.procinfo_prev_sys : 0);
			field_value v;
			v.type = ftype::DOUBLE;
			v.d = before ? std::min(100.0, (double)(now - before)) : 0.0;
			o.push_back(v);
			return true;
		};
	};
	add("thread.cpu", ftype::DOUBLE, 0, PR, "on procinfo events, the CPU the thread used in the last second",
	    thread_cpu(true, true));
	add("thread.cpu.user", ftype::DOUBLE, 0, PR, "thread.cpu, user time only", thread_cpu(true, false));
	add("thread.cpu.system", ftype::DOUBLE, 0, PR, "thread.cpu, system time only", thread_cpu(false, true));
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
}

} // namespace fields_detail
} // namespace sinsp
