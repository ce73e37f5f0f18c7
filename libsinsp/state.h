// SPDX-License-Identifier: Apache-2.0
// The state the inspector keeps (threads, their fd tables, users and groups), docs/upstream-facts.md §8.3-§8.5.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sinsp/inspector.h"

namespace sinsp
{

// fd types: the values of libscap's enum scap_fd_type (scap/platform.h); a file is SCAP_FD_FILE
// whether it was opened during the capture or found by the /proc scan (no SCAP_FD_FILE_V2 here).
using fd_type = uint32_t;
char fd_typechar(fd_type t);
const char *fd_typestr(fd_type t); // "file", "ipv4", ... "<NA>"
// The state's type of an fd of libscap's type t (its fd lists, a seed): FILE_V2 is a FILE, a
// type libscap does not have is UNKNOWN.
inline fd_type state_fd_type(uint32_t t)
{
	return t == SCAP_FD_FILE_V2 ? (fd_type)SCAP_FD_FILE : t < SCAP_FD_TYPE_MAX ? t : (fd_type)SCAP_FD_UNKNOWN;
}
// The address family of a socket type (2 IPv4, 10 IPv6, 1 unix; 0 for other types).
inline uint8_t fd_type_family(fd_type t)
{
	switch (t) {
	case SCAP_FD_IPV4_SOCK:
	case SCAP_FD_IPV4_SERVSOCK: return 2;
	case SCAP_FD_IPV6_SOCK:
	case SCAP_FD_IPV6_SERVSOCK: return 10;
	case SCAP_FD_UNIX_SOCK: return 1;
	default: return 0;
	}
}

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

// The fixed-size members of an fd's entry (fdinfo below adds its strings), apart so that
// fdinfo::clear() resets them all in one assignment.
struct fdinfo_fixed {
	int64_t fd = -1;
	fd_type type = SCAP_FD_UNKNOWN;
	uint32_t openflags = 0; // ppm O_* bits (O_CLOEXEC tracked for execve purges)
	uint32_t flags = 0;	// fd_flags
	uint32_t dev = 0;
	uint64_t ino = 0;
	int64_t pid = 0; // pidfd target
	// sockets: client endpoint in sip/sport, server endpoint in dip/dport (docs/upstream-facts.md §8.4);
	// for server sockets (bind/listen) only dip/dport are set.
	uint8_t family = 0; // 2 = IPv4, 10 = IPv6, 1 = unix
	uint8_t l4 = SCAP_L4_UNKNOWN;
	uint8_t sip[16] = {}, dip[16] = {};
	uint16_t sport = 0, dport = 0;
	uint64_t unix_src = 0, unix_dst = 0;
	bool has_tuple = false;
};

struct fdinfo : fdinfo_fixed {
	std::string name;     // resolved name (path, tuple, ...)
	std::string name_raw; // path as the syscall gave it
	std::string oldname;

	// Back to a new fdinfo(), keeping the strings' buffers (a new string member goes here too).
	void clear()
	{
		static_cast<fdinfo_fixed &>(*this) = fdinfo_fixed();
		name.clear();
		name_raw.clear();
		oldname.clear();
	}
	bool is_socket() const
	{
		return type == SCAP_FD_IPV4_SOCK || type == SCAP_FD_IPV6_SOCK || type == SCAP_FD_IPV4_SERVSOCK ||
		       type == SCAP_FD_IPV6_SERVSOCK || type == SCAP_FD_UNIX_SOCK || type == SCAP_FD_NETLINK;
	}
	bool is_ip() const
	{
		return type == SCAP_FD_IPV4_SOCK || type == SCAP_FD_IPV6_SOCK || type == SCAP_FD_IPV4_SERVSOCK ||
		       type == SCAP_FD_IPV6_SERVSOCK;
	}
};

// Upstream's MAX_FD_TABLE_SIZE: fds beyond this many per table are not tracked.
constexpr size_t MAX_FDS_PER_TABLE = 4096;

// The fds of a table by number, in order, with the part of std::map's interface the code uses
// (find, lower_bound, emplace, erase, size, iteration over (number, fdinfo) pairs). The numbers
// are a sorted array (a lookup reads a cache line or two, no pointer chasing), each with a
// pointer to its entry; entries never move: an fdinfo pointer stays valid until its fd is erased. Iterators
// are positions: an insert or an erase invalidates them (erase() returns the next one). A few
// erased entries are kept for the next inserts, with their strings' buffers: an open/close storm
// then neither allocates nor frees.
class fd_map
{
public:
	using key_type = int64_t;
	using mapped_type = fdinfo;
	using value_type = std::pair<int64_t, fdinfo>;

	template <bool CONST> class iter
	{
	public:
		using iterator_category = std::bidirectional_iterator_tag;
		using value_type = fd_map::value_type;
		using difference_type = std::ptrdiff_t;
		using pointer = std::conditional_t<CONST, const value_type *, value_type *>;
		using reference = std::conditional_t<CONST, const value_type &, value_type &>;
		using map_ptr = std::conditional_t<CONST, const fd_map *, fd_map *>;

		iter() = default;
		iter(map_ptr m, size_t i) : m_map(m), m_i(i)
		{
		}
		template <bool C = CONST, typename = std::enable_if_t<C>>
		iter(const iter<false> &o) : m_map(o.m_map), m_i(o.m_i)
		{
		}
		reference operator*() const
		{
			return *m_map->m_slots[m_i].v;
		}
		pointer operator->() const
		{
			return m_map->m_slots[m_i].v;
		}
		iter &operator++()
		{
			++m_i;
			return *this;
		}
		iter operator++(int)
		{
			iter t = *this;
			++m_i;
			return t;
		}
		iter &operator--()
		{
			--m_i;
			return *this;
		}
		iter operator--(int)
		{
			iter t = *this;
			--m_i;
			return t;
		}
		bool operator==(const iter &o) const
		{
			return m_i == o.m_i;
		}
		bool operator!=(const iter &o) const
		{
			return m_i != o.m_i;
		}

	private:
		friend class fd_map;
		friend class iter<true>;
		map_ptr m_map = nullptr;
		size_t m_i = 0;
	};
	using iterator = iter<false>;
	using const_iterator = iter<true>;

	fd_map() = default;
	fd_map(const fd_map &o);
	fd_map &operator=(const fd_map &o);
	fd_map(fd_map &&o) noexcept;
	fd_map &operator=(fd_map &&o) noexcept;
	~fd_map();

	size_t size() const
	{
		return m_slots.size();
	}
	bool empty() const
	{
		return m_slots.empty();
	}
	iterator begin()
	{
		return iterator(this, 0);
	}
	iterator end()
	{
		return iterator(this, m_slots.size());
	}
	const_iterator begin() const
	{
		return const_iterator(this, 0);
	}
	const_iterator end() const
	{
		return const_iterator(this, m_slots.size());
	}
	const_iterator cbegin() const
	{
		return begin();
	}
	const_iterator cend() const
	{
		return end();
	}
	iterator lower_bound(int64_t k)
	{
		return iterator(this, lower_index(k));
	}
	const_iterator lower_bound(int64_t k) const
	{
		return const_iterator(this, lower_index(k));
	}
	iterator find(int64_t k)
	{
		size_t i = lower_index(k);
		return iterator(this, i < m_slots.size() && m_slots[i].key == k ? i : m_slots.size());
	}
	const_iterator find(int64_t k) const
	{
		size_t i = lower_index(k);
		return const_iterator(this, i < m_slots.size() && m_slots[i].key == k ? i : m_slots.size());
	}
	size_t count(int64_t k) const
	{
		return find(k) != end() ? 1 : 0;
	}
	// The entry of k (nullptr if none).
	fdinfo *get(int64_t k)
	{
		size_t i = lower_index(k);
		return i < m_slots.size() && m_slots[i].key == k ? &m_slots[i].v->second : nullptr;
	}
	// Insert (k, v) unless k is present (std::map::emplace).
	std::pair<iterator, bool> emplace(int64_t k, const fdinfo &v);
	iterator erase(const_iterator it);
	iterator erase(iterator it)
	{
		return erase(const_iterator(it));
	}
	size_t erase(int64_t k);
	void clear();
	// The entry of k, inserted if missing, nullptr when missing and the map holds max entries. A
	// new entry's fdinfo is whatever a kept one held (or a new fdinfo()): the caller sets it.
	fdinfo *slot(int64_t k, size_t max);

private:
	static constexpr size_t MAX_SPARE = 8;
	struct slot_t {
		int64_t key;   // == v->first
		value_type *v; // owned
	};
	std::vector<slot_t> m_slots; // sorted by key
	std::vector<value_type *> m_spare;

	size_t lower_index(int64_t k) const
	{
		size_t n = m_slots.size();
		if (n <= 16) { // most tables: a short scan of a few cache lines
			const slot_t *b = m_slots.data(), *e = b + n, *q = b;
			while (q != e && q->key < k)
				q++;
			return (size_t)(q - b);
		}
		auto it = std::lower_bound(m_slots.begin(), m_slots.end(), k,
					   [](const slot_t &a, int64_t b) { return a.key < b; });
		return (size_t)(it - m_slots.begin());
	}
	value_type *insert_at(size_t i, int64_t k); // a kept or new entry, inserted at i
};

struct fdtable {
	using map_type = fd_map;
	map_type fds; // ordered: close_range and fdlist fields walk it

	fdinfo *find(int64_t fd)
	{
		return fds.get(fd);
	}
	// Insert or replace; nullptr when the table is full (the fd is then not tracked).
	fdinfo *add(int64_t fd, fdinfo &&fi);
	// The same with a new fdinfo() to fill in place (its fd set); nullptr when the table is full.
	fdinfo *reset(int64_t fd);
	// Remove fd (if present).
	void erase(int64_t fd)
	{
		fds.erase(fd);
	}
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
	uint64_t totexectime = 0;		      // ns run, summed over its context switches (thread.totexectime)
	uint64_t procinfo_user = 0, procinfo_sys = 0; // CPU counters of its last procinfo event (thread.cpu)
	std::string container_id = "host";	      // 12 chars or "host"
	std::string container_runtime;		      // "docker", "podman", "containerd", "cri-o", "lxc", ... or ""
	bool container_noticed = false;		      // the container manager has seen this thread's container id
	uint8_t container_category = 0;		      // container/manager.h: the container's init, a health probe
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
// The same with the whole id (64 hex characters for runc-based runtimes): container/cgroup.cpp.
bool container_from_cgroup_full(const std::string &path, std::string &id, std::string &runtime);

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
		// consecutive events mostly come from the same thread: the last hit is remembered
		// (add() and remove() forget it)
		if (tid == m_last_tid && m_last)
			return m_last;
		auto it = m_threads.find(tid);
		if (it == m_threads.end())
			return nullptr;
		m_last_tid = tid;
		m_last = it->second.get();
		return m_last;
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
	int64_t m_last_tid = -1;
	threadinfo *m_last = nullptr;
};

// The name of a socket fd from its endpoints ("sip:sport->dip:dport", "ip:port", "src->dst path").
// A socket fd's name from its endpoints; resolve_ports: service names for the ports (sysdig's -R).
std::string socket_name(const fdinfo &f, bool resolve_ports);
// A port as a service name (resolve, and the services database has it, for TCP/UDP or, for
// l4 unknown, any protocol) or as a number.
std::string port_name(uint16_t port, uint8_t l4, bool resolve);

// Path helpers.
std::string path_join(const std::string &dir, const std::string &rel); // normalized, absolute if dir is
std::string path_normalize(const std::string &p);
// An absolute path with no empty, "." or ".." segment and no trailing '/': path_normalize() returns it as it is.
bool path_is_normal_abs(std::string_view p);

} // namespace sinsp
