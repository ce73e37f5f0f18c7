// SPDX-License-Identifier: Apache-2.0
// Thread and fd tables, container ids from cgroup paths, path helpers.
#include "state.h"

#include <algorithm>

namespace sinsp
{

char fd_typechar(fd_type t)
{
	switch (t) {
	case SINSP_FD_FILE: return 'f';
	case SINSP_FD_DIRECTORY: return 'd';
	case SINSP_FD_IPV4_SOCK:
	case SINSP_FD_IPV4_SERVSOCK: return '4';
	case SINSP_FD_IPV6_SOCK:
	case SINSP_FD_IPV6_SERVSOCK: return '6';
	case SINSP_FD_FIFO: return 'p';
	case SINSP_FD_UNIX_SOCK: return 'u';
	case SINSP_FD_EVENT: return 'e';
	case SINSP_FD_UNSUPPORTED: return 'X';
	case SINSP_FD_SIGNALFD: return 's';
	case SINSP_FD_EVENTPOLL: return 'l';
	case SINSP_FD_INOTIFY: return 'i';
	case SINSP_FD_TIMERFD: return 't';
	case SINSP_FD_NETLINK: return 'n';
	case SINSP_FD_BPF: return 'b';
	case SINSP_FD_USERFAULTFD: return 'u';
	case SINSP_FD_IOURING: return 'r';
	case SINSP_FD_MEMFD: return 'm';
	case SINSP_FD_PIDFD: return 'P';
	default: return 'o';
	}
}

const char *fd_typestr(fd_type t)
{
	switch (t) {
	case SINSP_FD_FILE: return "file";
	case SINSP_FD_DIRECTORY: return "directory";
	case SINSP_FD_IPV4_SOCK:
	case SINSP_FD_IPV4_SERVSOCK: return "ipv4";
	case SINSP_FD_IPV6_SOCK:
	case SINSP_FD_IPV6_SERVSOCK: return "ipv6";
	case SINSP_FD_FIFO: return "pipe";
	case SINSP_FD_UNIX_SOCK: return "unix";
	case SINSP_FD_EVENT: return "event";
	case SINSP_FD_SIGNALFD: return "signalfd";
	case SINSP_FD_EVENTPOLL: return "eventpoll";
	case SINSP_FD_INOTIFY: return "inotify";
	case SINSP_FD_TIMERFD: return "timerfd";
	case SINSP_FD_NETLINK: return "netlink";
	case SINSP_FD_BPF: return "bpf";
	case SINSP_FD_USERFAULTFD: return "userfaultfd";
	case SINSP_FD_IOURING: return "io_uring";
	case SINSP_FD_MEMFD: return "memfd";
	case SINSP_FD_PIDFD: return "pidfd";
	default: return "<NA>";
	}
}

fdinfo *fdtable::add(int64_t fd, fdinfo &&fi)
{
	auto it = fds.find(fd);
	if (it == fds.end()) {
		if (fds.size() >= MAX_FDS_PER_TABLE)
			return nullptr;
		it = fds.emplace(fd, fdinfo()).first;
	}
	it->second = std::move(fi);
	it->second.fd = fd;
	return &it->second;
}

threadinfo *thread_table::add(std::unique_ptr<threadinfo> t)
{
	int64_t tid = t->tid;
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

static bool is_hex_id(const std::string &s, size_t min_len)
{
	if (s.size() < min_len)
		return false;
	for (char c : s)
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	return true;
}

// Historical cgroup layouts (docs/upstream-facts.md §8.5): the id between a prefix and a suffix.
bool container_from_cgroup(const std::string &path, std::string &id, std::string &runtime)
{
	struct layout {
		const char *prefix, *suffix, *runtime;
	};
	static const layout layouts[] = {
		{ "/docker-", ".scope", "docker" }, // systemd driver
		{ "/docker/", "", "docker" },	    // cgroupfs driver
		{ "/libpod-", ".scope", "podman" }, // podman, systemd
		{ "/libpod-", "", "podman" },	    // podman, cgroupfs
		{ "/crio-", ".scope", "cri-o" },
		{ "/crio-", "", "cri-o" },
		{ "/cri-containerd-", ".scope", "containerd" },
		{ ":cri-containerd:", "", "containerd" },
		{ "/containerd/", "", "containerd" },
	};
	for (const layout &l : layouts) {
		size_t pos = path.rfind(l.prefix);
		if (pos == std::string::npos)
			continue;
		size_t start = pos + strlen(l.prefix);
		size_t end = path.find('/', start);
		std::string seg = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
		size_t sl = strlen(l.suffix);
		if (sl) {
			if (seg.size() <= sl || seg.compare(seg.size() - sl, sl, l.suffix) != 0)
				continue;
			seg.resize(seg.size() - sl);
		}
		if (!is_hex_id(seg, 64))
			continue;
		id = seg.substr(0, 12);
		runtime = l.runtime;
		return true;
	}
	// Kubernetes with the docker runtime and cgroupfs: .../pod<uid>/<64 hex>
	size_t last = path.rfind('/');
	if (last != std::string::npos && path.find("kubepods") != std::string::npos) {
		std::string seg = path.substr(last + 1);
		if (seg.size() == 64 && is_hex_id(seg, 64)) {
			id = seg.substr(0, 12);
			runtime = "docker";
			return true;
		}
	}
	// containerd's default namespace: /default/<id> (any id, unless a systemd unit)
	size_t d = path.rfind("/default/");
	if (d != std::string::npos) {
		std::string seg = path.substr(d + 9);
		auto ends = [&](const char *s) {
			size_t n = strlen(s);
			return seg.size() >= n && seg.compare(seg.size() - n, n, s) == 0;
		};
		if (!seg.empty() && seg.find('/') == std::string::npos && !ends(".service") && !ends(".slice") &&
		    !ends(".scope")) {
			id = seg.size() > 12 ? seg.substr(0, 12) : seg;
			runtime = "containerd";
			return true;
		}
	}
	return false;
}

void threadinfo::set_cgroups_and_container(std::vector<std::pair<std::string, std::string>> &&cg)
{
	cgroups = std::move(cg);
	container_id = "host";
	container_runtime.clear();
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
static bool is_normal_abs(const std::string &p)
{
	if (p.empty() || p[0] != '/')
		return false;
	if (p.size() == 1)
		return true;
	size_t i = 1;
	for (;;) {
		size_t j = p.find('/', i);
		size_t n = (j == std::string::npos ? p.size() : j) - i;
		if (n == 0 || (p[i] == '.' && (n == 1 || (n == 2 && p[i + 1] == '.'))))
			return false;
		if (j == std::string::npos)
			return true;
		i = j + 1;
	}
}

std::string path_normalize(const std::string &p)
{
	if (is_normal_abs(p))
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
