// SPDX-License-Identifier: Apache-2.0
// Thread and fd tables, container ids from cgroup paths, path helpers.
#include "state.h"

#include <algorithm>
#include <cstring>

namespace sinsp
{

char fd_typechar(fd_type t)
{
	switch (t) {
	case SCAP_FD_FILE: return 'f';
	case SCAP_FD_DIRECTORY: return 'd';
	case SCAP_FD_IPV4_SOCK:
	case SCAP_FD_IPV4_SERVSOCK: return '4';
	case SCAP_FD_IPV6_SOCK:
	case SCAP_FD_IPV6_SERVSOCK: return '6';
	case SCAP_FD_FIFO: return 'p';
	case SCAP_FD_UNIX_SOCK: return 'u';
	case SCAP_FD_EVENT: return 'e';
	case SCAP_FD_UNSUPPORTED: return 'X';
	case SCAP_FD_SIGNALFD: return 's';
	case SCAP_FD_EVENTPOLL: return 'l';
	case SCAP_FD_INOTIFY: return 'i';
	case SCAP_FD_TIMERFD: return 't';
	case SCAP_FD_NETLINK: return 'n';
	case SCAP_FD_BPF: return 'b';
	case SCAP_FD_USERFAULTFD: return 'u';
	case SCAP_FD_IOURING: return 'r';
	case SCAP_FD_MEMFD: return 'm';
	case SCAP_FD_PIDFD: return 'P';
	default: return 'o';
	}
}

const char *fd_typestr(fd_type t)
{
	switch (t) {
	case SCAP_FD_FILE: return "file";
	case SCAP_FD_DIRECTORY: return "directory";
	case SCAP_FD_IPV4_SOCK:
	case SCAP_FD_IPV4_SERVSOCK: return "ipv4";
	case SCAP_FD_IPV6_SOCK:
	case SCAP_FD_IPV6_SERVSOCK: return "ipv6";
	case SCAP_FD_FIFO: return "pipe";
	case SCAP_FD_UNIX_SOCK: return "unix";
	case SCAP_FD_EVENT: return "event";
	case SCAP_FD_SIGNALFD: return "signalfd";
	case SCAP_FD_EVENTPOLL: return "eventpoll";
	case SCAP_FD_INOTIFY: return "inotify";
	case SCAP_FD_TIMERFD: return "timerfd";
	case SCAP_FD_NETLINK: return "netlink";
	case SCAP_FD_BPF: return "bpf";
	case SCAP_FD_USERFAULTFD: return "userfaultfd";
	case SCAP_FD_IOURING: return "io_uring";
	case SCAP_FD_MEMFD: return "memfd";
	case SCAP_FD_PIDFD: return "pidfd";
	default: return "<NA>";
	}
}

fd_map::fd_map(const fd_map &o)
{
	m_slots.reserve(o.m_slots.size());
	try {
		for (const slot_t &sl : o.m_slots)
			m_slots.push_back(slot_t{ sl.key, new value_type(*sl.v) });
	} catch (...) {
		for (slot_t &sl : m_slots)
			delete sl.v;
		throw;
	}
}

fd_map &fd_map::operator=(const fd_map &o)
{
	if (this != &o) {
		fd_map copy(o);
		*this = std::move(copy);
	}
	return *this;
}

fd_map::fd_map(fd_map &&o) noexcept : m_slots(std::move(o.m_slots)), m_spare(std::move(o.m_spare))
{
	o.m_slots.clear();
	o.m_spare.clear();
}

fd_map &fd_map::operator=(fd_map &&o) noexcept
{
	if (this != &o) {
		fd_map old(std::move(o)); // then swapped: ours go with it
		m_slots.swap(old.m_slots);
		m_spare.swap(old.m_spare);
	}
	return *this;
}

fd_map::~fd_map()
{
	for (slot_t &sl : m_slots)
		delete sl.v;
	for (value_type *v : m_spare)
		delete v;
}

fd_map::value_type *fd_map::insert_at(size_t i, int64_t k)
{
	// room first (geometric growth), so that the insert below cannot throw
	if (m_slots.size() == m_slots.capacity())
		m_slots.reserve(std::max<size_t>(8, 2 * m_slots.capacity()));
	value_type *v;
	if (m_spare.empty()) {
		v = new value_type(k, fdinfo());
	} else {
		v = m_spare.back();
		m_spare.pop_back();
		v->first = k;
	}
	m_slots.insert(m_slots.begin() + (std::ptrdiff_t)i, slot_t{ k, v });
	return v;
}

std::pair<fd_map::iterator, bool> fd_map::emplace(int64_t k, const fdinfo &v)
{
	size_t i = lower_index(k);
	if (i < m_slots.size() && m_slots[i].key == k)
		return { iterator(this, i), false };
	insert_at(i, k)->second = v;
	return { iterator(this, i), true };
}

fd_map::iterator fd_map::erase(const_iterator it)
{
	size_t i = it.m_i;
	value_type *v = m_slots[i].v;
	m_slots.erase(m_slots.begin() + (std::ptrdiff_t)i);
	if (m_spare.size() < MAX_SPARE)
		m_spare.push_back(v);
	else
		delete v;
	return iterator(this, i);
}

size_t fd_map::erase(int64_t k)
{
	iterator it = find(k);
	if (it == end())
		return 0;
	erase(it);
	return 1;
}

void fd_map::clear()
{
	while (!m_slots.empty())
		erase(const_iterator(this, m_slots.size() - 1));
}

fdinfo *fd_map::slot(int64_t k, size_t max)
{
	size_t i = lower_index(k);
	if (i < m_slots.size() && m_slots[i].key == k)
		return &m_slots[i].v->second;
	if (m_slots.size() >= max)
		return nullptr;
	return &insert_at(i, k)->second;
}

fdinfo *fdtable::add(int64_t fd, fdinfo &&fi)
{
	fdinfo *f = fds.slot(fd, MAX_FDS_PER_TABLE);
	if (!f)
		return nullptr;
	*f = std::move(fi);
	f->fd = fd;
	return f;
}

fdinfo *fdtable::reset(int64_t fd)
{
	fdinfo *f = fds.slot(fd, MAX_FDS_PER_TABLE);
	if (!f)
		return nullptr;
	f->clear();
	f->fd = fd;
	return f;
}

threadinfo *thread_table::add(std::unique_ptr<threadinfo> t)
{
	int64_t tid = t->tid;
	m_last = nullptr;
	auto it = m_threads.find(tid);
	if (it == m_threads.end()) {
		if (m_threads.size() >= m_max) {
			m_dropped++;
			return nullptr;
		}
	} else {
		m_group_count[it->second->pid]--;
		if (m_group_count[it->second->pid] == 0)
			m_group_count.erase(it->second->pid);
		// keep the known children of the old entry
		for (int64_t c : it->second->children)
			if (std::find(t->children.begin(), t->children.end(), c) == t->children.end())
				t->children.push_back(c);
	}
	threadinfo *p = t.get();
	m_group_count[p->pid]++;
	m_threads[tid] = std::move(t);
	return p;
}

void thread_table::remove(int64_t tid)
{
	m_last = nullptr;
	auto it = m_threads.find(tid);
	if (it == m_threads.end())
		return;
	threadinfo *t = it->second.get();
	unlink_child(t->ptid, tid);
	// orphans that were not reparented keep a dangling ptid: point them at the reaper if known
	for (int64_t c : t->children) {
		threadinfo *ct = find(c);
		if (ct && ct->ptid == tid)
			ct->ptid = t->reaper_tid > 0 ? t->reaper_tid : 0;
	}
	auto g = m_group_count.find(t->pid);
	if (g != m_group_count.end() && --g->second == 0)
		m_group_count.erase(g);
	m_threads.erase(it);
	m_removed++;
}

void thread_table::link_child(int64_t parent, int64_t child)
{
	threadinfo *p = find(parent);
	if (!p)
		return;
	if (std::find(p->children.begin(), p->children.end(), child) == p->children.end())
		p->children.push_back(child);
}

void thread_table::unlink_child(int64_t parent, int64_t child)
{
	threadinfo *p = find(parent);
	if (!p)
		return;
	auto it = std::find(p->children.begin(), p->children.end(), child);
	if (it != p->children.end()) {
		*it = p->children.back();
		p->children.pop_back();
	}
}

// The layouts upstream's matchers know (container/cgroup.cpp): the id as the cgroup path has it;
// container.id is its first 12 characters (lxc and libvirt-lxc ids are names, kept whole).
bool container_from_cgroup(const std::string &path, std::string &id, std::string &runtime)
{
	std::string full;
	if (!container_from_cgroup_full(path, full, runtime))
		return false;
	id = runtime == "lxc" || runtime == "libvirt-lxc" ? full : full.substr(0, 12);
	return true;
}

void threadinfo::set_cgroups_and_container(std::vector<std::pair<std::string, std::string>> &&cg)
{
	cgroups = std::move(cg);
	container_id = "host";
	container_runtime.clear();
	container_noticed = false;
	for (auto &c : cgroups) {
		std::string id, rt;
		if (container_from_cgroup(c.second, id, rt)) {
			container_id = id;
			container_runtime = rt;
			return;
		}
	}
}

// An absolute path with no empty, "." or ".." segment and no trailing '/' is its own normal form.
// 0x80 in each byte of w that is '/' (exact: no false positives).
static inline uint64_t slash_bytes(uint64_t w)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
	uint64_t x = w ^ 0x2f2f2f2f2f2f2f2fULL; // '/' bytes -> 0
	return ~(((x & low7) + low7) | x | low7);
}

bool path_is_normal_abs(std::string_view p)
{
	size_t n = p.size();
	if (n == 0 || p[0] != '/')
		return false;
	if (n == 1)
		return true;
	const char *s = p.data();
	if (s[n - 1] == '/')
		return false; // a trailing '/' (or an empty last segment)
	// the segment after the '/' at i (not the last byte): not empty, neither "." nor ".."
	auto bad = [s, n](size_t i) {
		if (s[i + 1] == '/')
			return true;
		if (s[i + 1] != '.')
			return false;
		if (i + 2 == n || s[i + 2] == '/')
			return true;
		return s[i + 2] == '.' && (i + 3 == n || s[i + 3] == '/');
	};
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	// the '/' bytes 8 at a time
	for (size_t base = 0; base < n; base += 8) {
		uint64_t w;
		if (n - base >= 8) {
			std::memcpy(&w, s + base, 8);
		} else if (n >= 8) { // the last bytes: the 8 ending at n, without those already seen
			std::memcpy(&w, s + n - 8, 8);
			w >>= 8 * (8 - (n - base));
		} else {
			w = 0; // zero padding: no '/'
			std::memcpy(&w, s, n);
		}
		for (uint64_t m = slash_bytes(w); m; m &= m - 1)
			if (bad(base + ((size_t)__builtin_ctzll(m) >> 3)))
				return false;
	}
#else
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' && bad(i))
			return false;
#endif
	return true;
}

std::string path_normalize(const std::string &p)
{
	if (path_is_normal_abs(p))
		return p; // the common case: a path the kernel resolved
	bool abs = !p.empty() && p[0] == '/';
	std::vector<std::string> parts;
	size_t i = 0;
	while (i <= p.size()) {
		size_t j = p.find('/', i);
		if (j == std::string::npos)
			j = p.size();
		std::string seg = p.substr(i, j - i);
		if (seg.empty() || seg == ".") {
		} else if (seg == "..") {
			if (!parts.empty() && parts.back() != "..")
				parts.pop_back();
			else if (!abs)
				parts.push_back(seg);
		} else {
			parts.push_back(seg);
		}
		i = j + 1;
	}
	std::string out = abs ? "/" : "";
	for (size_t k = 0; k < parts.size(); k++) {
		if (k)
			out += '/';
		out += parts[k];
	}
	if (out.empty())
		out = ".";
	return out;
}

std::string path_join(const std::string &dir, const std::string &rel)
{
	if (!rel.empty() && rel[0] == '/')
		return path_normalize(rel);
	if (dir.empty())
		return path_normalize(rel);
	return path_normalize(dir + "/" + rel);
}

} // namespace sinsp
