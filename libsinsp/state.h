// SPDX-License-Identifier: Apache-2.0
// The state the inspector keeps (threads, their fd tables, users and groups), docs/upstream-facts.md §8.3-§8.5.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sinsp/inspector.h"

namespace sinsp
{

// fd types: the values of enum sinsp_fd_type (public header).
using fd_type = uint32_t;
char fd_typechar(fd_type t);
const char *fd_typestr(fd_type t); // "file", "ipv4", ... "<NA>"

enum fd_flags : uint32_t {
	FDF_FROM_PROC = 1,
	FDF_ROLE_CLIENT = 4,
	FDF_ROLE_SERVER = 8,
	FDF_CONNECTED = 8192,
	FDF_CLONED = 16384,
	FDF_CONN_PENDING = 32768,
	FDF_CONN_FAILED = 65536,
	FDF_OVERLAY_UPPER = 1u << 17,
	FDF_OVERLAY_LOWER = 1u << 18,
};

enum l4proto : uint8_t { L4_UNKNOWN = 0, L4_TCP = 1, L4_UDP = 2, L4_ICMP = 3, L4_RAW = 4 };

struct fdinfo {
	int64_t fd = -1;
	fd_type type = SINSP_FD_UNKNOWN;
	uint32_t openflags = 0; // ppm O_* bits (O_CLOEXEC tracked for execve purges)
	uint32_t flags = 0;	// fd_flags
	std::string name;	// resolved name (path, tuple, ...)
	std::string name_raw;	// path as the syscall gave it
	std::string oldname;
	uint32_t dev = 0;
	uint64_t ino = 0;
	int64_t pid = 0; // pidfd target
	// sockets: client endpoint in sip/sport, server endpoint in dip/dport (docs/upstream-facts.md §8.4);
	// for server sockets (bind/listen) only dip/dport are set.
	uint8_t family = 0; // 2 = IPv4, 10 = IPv6, 1 = unix
	uint8_t l4 = L4_UNKNOWN;
	uint8_t sip[16] = {}, dip[16] = {};
	uint16_t sport = 0, dport = 0;
	uint64_t unix_src = 0, unix_dst = 0;
	bool has_tuple = false;

	bool is_socket() const
	{
		return type == SINSP_FD_IPV4_SOCK || type == SINSP_FD_IPV6_SOCK || type == SINSP_FD_IPV4_SERVSOCK ||
		       type == SINSP_FD_IPV6_SERVSOCK || type == SINSP_FD_UNIX_SOCK || type == SINSP_FD_NETLINK;
	}
	bool is_ip() const
	{
		return type == SINSP_FD_IPV4_SOCK || type == SINSP_FD_IPV6_SOCK || type == SINSP_FD_IPV4_SERVSOCK ||
		       type == SINSP_FD_IPV6_SERVSOCK;
	}
};

// Upstream's MAX_FD_TABLE_SIZE: fds beyond this many per table are not tracked.
constexpr size_t MAX_FDS_PER_TABLE = 4096;

struct fdtable {
	std::map<int64_t, fdinfo> fds; // ordered: close_range and fdlist fields walk it
	fdinfo *find(int64_t fd)
	{
		auto it = fds.find(fd);
		return it == fds.end() ? nullptr : &it->second;
	}
	// Insert or replace; nullptr when the table is full (the fd is then not tracked).
	fdinfo *add(int64_t fd, fdinfo &&fi);
};

struct threadinfo {
	int64_t tid = -1, pid = -1, ptid = -1, reaper_tid = -1;
	int64_t sid = -1, vpgid = -1, pgid = -1, vtid = -1, vpid = -1;
	std::string comm, exe, exepath, cwd, root = "/";
	std::vector<std::string> args, env;
	std::vector<std::pair<std::string, std::string>> cgroups;
	uint32_t flags = 0; // CL_* bits of the last clone/exec
	int64_t fdlimit = -1;
	uint32_t uid = UINT32_MAX, gid = UINT32_MAX, loginuid = UINT32_MAX;
	uint64_t cap_permitted = 0, cap_effective = 0, cap_inheritable = 0;
	uint32_t exe_flags = 0; // EXE_* bits (writable, upper layer, memfd, lower layer)
	uint64_t exe_ino = 0, exe_ino_ctime = 0, exe_ino_mtime = 0;
	uint32_t vmsize = 0, vmrss = 0, vmswap = 0;
	uint64_t pfmajor = 0, pfminor = 0, pidns_init_start_ts = 0;
	uint32_t tty = 0;
	uint64_t clone_ts = 0, lastexec_ts = 0;
	std::string container_id = "host"; // 12 chars or "host"
	std::string container_runtime;	   // "docker", "podman", "containerd", "cri-o" or ""
	bool dead = false;
	bool incomplete = false; // created from an event of an unknown tid (no process info yet)
	std::shared_ptr<fdtable> fds = std::make_shared<fdtable>();
	std::vector<int64_t> children; // tids
	// TOCTOU pairing: the last enter event of this thread (copied), and its type.
	std::vector<uint8_t> enter_evt;
	uint16_t last_type = 0xffff;

	bool is_main() const
	{
		return tid == pid;
	}
	void set_cgroups_and_container(std::vector<std::pair<std::string, std::string>> &&cg);
};

// Container id + runtime from one cgroup path; false if the path names no container.
bool container_from_cgroup(const std::string &path, std::string &id, std::string &runtime);

struct user_entry {
	uint32_t uid = 0, gid = 0;
	std::string name, home, shell;
};
struct group_entry {
	uint32_t gid = 0;
	std::string name;
};

class thread_table
{
public:
	explicit thread_table(size_t max_threads) : m_max(max_threads)
	{
	}
	threadinfo *find(int64_t tid)
	{
		auto it = m_threads.find(tid);
		return it == m_threads.end() ? nullptr : it->second.get();
	}
	// Insert (replacing any previous entry of the same tid). nullptr when the table is full.
	threadinfo *add(std::unique_ptr<threadinfo> t);
	// Remove now, unlinking it from its parent's children list.
	void remove(int64_t tid);
	size_t size() const
	{
		return m_threads.size();
	}
	uint64_t n_removed() const
	{
		return m_removed;
	}
	uint64_t n_dropped() const
	{
		return m_dropped;
	}
	const std::unordered_map<int64_t, std::unique_ptr<threadinfo>> &all() const
	{
		return m_threads;
	}
	// Number of live threads whose pid is `pid`.
	uint32_t nthreads(int64_t pid) const
	{
		auto it = m_group_count.find(pid);
		return it == m_group_count.end() ? 0 : it->second;
	}
	void link_child(int64_t parent, int64_t child);
	void unlink_child(int64_t parent, int64_t child);

private:
	size_t m_max;
	std::unordered_map<int64_t, std::unique_ptr<threadinfo>> m_threads;
	std::unordered_map<int64_t, uint32_t> m_group_count;
	uint64_t m_removed = 0, m_dropped = 0;
};

// The name of a socket fd from its endpoints ("sip:sport->dip:dport", "ip:port", "src->dst path").
std::string socket_name(const fdinfo &f);

// Path helpers.
std::string path_join(const std::string &dir, const std::string &rel); // normalized, absolute if dir is
std::string path_normalize(const std::string &p);

} // namespace sinsp
