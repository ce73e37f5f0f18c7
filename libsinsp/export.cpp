// SPDX-License-Identifier: Apache-2.0
// The inspector's state as a libscap platform: what a .scap file opened in the middle of a capture
// (a rotated file) writes as its process table, so that it reads on its own. The reverse of
// inspector::seed_from_platform().
#include <cerrno>
#include <cstring>

#include "inspector_impl.h"
#include "scap/platform.h"

namespace sinsp
{

namespace
{

// the state's types are libscap's; a file goes out as FILE_V2 (with its open flags and dev)
uint32_t scap_fd_type(fd_type t)
{
	return t == SCAP_FD_FILE ? (uint32_t)SCAP_FD_FILE_V2 : t < SCAP_FD_TYPE_MAX ? t : (uint32_t)SCAP_FD_UNKNOWN;
}

std::string join_nul(const std::vector<std::string> &v)
{
	std::string out;
	for (const auto &s : v) {
		out += s;
		out += '\0';
	}
	return out;
}

int export_fd(scap_platform *p, uint64_t tid, const fdinfo &f)
{
	scap_fd_info fi = {};
	fi.sz = sizeof(fi);
	fi.fd = f.fd;
	fi.ino = f.ino;
	fi.type = scap_fd_type(f.type);
	fi.l4proto = f.l4; // enum scap_l4_proto
	fi.name = "";
	switch (f.type) {
	case SCAP_FD_IPV4_SOCK:
	case SCAP_FD_IPV6_SOCK:
		// the endpoints as the fd table keeps them: client in sip/sport, server in dip/dport
		std::memcpy(fi.sip, f.sip, 16);
		std::memcpy(fi.dip, f.dip, 16);
		fi.sport = f.sport;
		fi.dport = f.dport;
		break;
	case SCAP_FD_IPV4_SERVSOCK:
	case SCAP_FD_IPV6_SERVSOCK:
		std::memcpy(fi.sip, f.dip, 16); // a server socket's bound endpoint
		fi.sport = f.dport;
		break;
	case SCAP_FD_UNIX_SOCK:
		fi.unix_source = f.unix_src;
		fi.unix_dest = f.unix_dst;
		fi.name = f.name.c_str();
		break;
	case SCAP_FD_FILE:
		fi.open_flags = f.openflags;
		fi.dev = f.dev;
		fi.name = f.name.c_str();
		break;
	default: fi.name = f.name.c_str(); break;
	}
	return scap_platform__add_fd(p, tid, &fi);
}

} // namespace

int inspector::export_platform(scap_platform *p)
{
	scap_platform__clear(p);
	if (const scap_platform *src = scap_capture__platform(cap)) {
		int rc = scap_platform__set_machine(p, scap_platform__machine(src));
		for (uint32_t k = 0; rc == 0 && k < scap_platform__nifaces(src); k++)
			rc = scap_platform__add_iface(p, scap_platform__iface(src, k));
		if (rc < 0)
			return rc;
	}
	for (const auto &kv : threads.all()) {
		const threadinfo &t = *kv.second;
		if (t.dead)
			continue;
		std::string args = join_nul(t.args), env = join_nul(t.env), cgroups;
		for (const auto &cg : t.cgroups) {
			cgroups += cg.first + "=" + cg.second;
			cgroups += '\0';
		}
		scap_thread_info ti = {};
		ti.sz = sizeof(ti);
		ti.tid = (uint64_t)t.tid;
		ti.pid = (uint64_t)t.pid;
		ti.ptid = (uint64_t)t.ptid;
		ti.sid = (uint64_t)t.sid;
		ti.vpgid = (uint64_t)t.vpgid;
		ti.pgid = t.pgid;
		ti.comm = t.comm.c_str();
		ti.exe = t.exe.c_str();
		ti.exepath = t.exepath.c_str();
		ti.args = args.data();
		ti.args_len = (uint32_t)args.size();
		ti.cwd = t.cwd.c_str();
		ti.fdlimit = (uint64_t)t.fdlimit;
		ti.flags = t.flags;
		ti.uid = t.uid;
		ti.gid = t.gid;
		ti.vmsize_kb = t.vmsize;
		ti.vmrss_kb = t.vmrss;
		ti.vmswap_kb = t.vmswap;
		ti.pfmajor = t.pfmajor;
		ti.pfminor = t.pfminor;
		ti.env = env.data();
		ti.env_len = (uint32_t)env.size();
		ti.vtid = t.vtid;
		ti.vpid = t.vpid;
		ti.cgroups = cgroups.data();
		ti.cgroups_len = (uint32_t)cgroups.size();
		ti.root = t.root.c_str();
		ti.pidns_init_start_ts = t.pidns_init_start_ts;
		ti.tty = t.tty;
		ti.loginuid = t.loginuid;
		ti.exe_writable = (t.exe_flags & SCAP_EXECVE_FLAGS_EXE_WRITABLE) != 0;
		ti.exe_upper_layer = (t.exe_flags & SCAP_EXECVE_FLAGS_EXE_UPPER_LAYER) != 0;
		ti.exe_from_memfd = (t.exe_flags & SCAP_EXECVE_FLAGS_EXE_FROM_MEMFD) != 0;
		ti.exe_lower_layer = (t.exe_flags & SCAP_EXECVE_FLAGS_EXE_LOWER_LAYER) != 0;
		ti.cap_inheritable = t.cap_inheritable;
		ti.cap_permitted = t.cap_permitted;
		ti.cap_effective = t.cap_effective;
		ti.exe_ino = t.exe_ino;
		ti.exe_ino_ctime = t.exe_ino_ctime;
		ti.exe_ino_mtime = t.exe_ino_mtime;
		int rc = scap_platform__add_thread(p, &ti);
		// the fds go with each thread that uses the table, as /proc lists them
		for (auto it = t.fds->fds.begin(); rc == 0 && it != t.fds->fds.end(); ++it)
			rc = export_fd(p, ti.tid, it->second);
		if (rc < 0)
			return rc;
	}
	for (const auto &kv : users) {
		const user_entry &u = kv.second;
		scap_user_info ui = { sizeof(ui), u.uid, u.gid, u.name.c_str(), u.home.c_str(), u.shell.c_str() };
		if (int rc = scap_platform__add_user(p, &ui); rc < 0)
			return rc;
	}
	for (const auto &kv : groups) {
		scap_group_info gi = { sizeof(gi), kv.second.gid, kv.second.name.c_str() };
		if (int rc = scap_platform__add_group(p, &gi); rc < 0)
			return rc;
	}
	return 0;
}

} // namespace sinsp
