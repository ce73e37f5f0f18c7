// SPDX-License-Identifier: Apache-2.0
// The container manager (container/manager.h): cache, runtime workers, results, maintenance.
#include "container/manager.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "inspector_impl.h"
#include "scap/file.h"

namespace sinsp::ctr
{

namespace
{

constexpr uint64_t MS = 1000000ull;
constexpr uint32_t MAX_TRIES = 5;		  // upstream: 5 retries, exponential backoff
constexpr uint64_t REMOVED_GRACE_NS = 30000 * MS; // a removed container's metadata stays that long
constexpr size_t MAX_QUEUE = 4096;		  // lookups waiting for one runtime

bool is_hex(std::string_view s)
{
	for (char c : s)
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	return !s.empty();
}

void wake(int fd)
{
	uint64_t one = 1;
	ssize_t n = write(fd, &one, sizeof(one));
	(void)n;
}

} // namespace

std::string manager::key_of(std::string_view id)
{
	// 64-hex ids are known by their first 12 characters (container.id); names as they are
	if (id.size() > 12 && is_hex(id))
		return std::string(id.substr(0, 12));
	return std::string(id);
}

manager::manager(const sinsp_container_opts *o, const std::string &root)
{
	sinsp_container_opts opts = {};
	if (o)
		memcpy(&opts, o, std::min(o->sz, sizeof(opts)));
	m_timeout_ns = (opts.timeout_ms ? opts.timeout_ms : 2000) * MS;
	m_ttl_ns = (opts.ttl_ms ? opts.ttl_ms : 600000) * MS;
	m_retry_ns = (opts.retry_ms ? opts.retry_ms : 1000) * MS;
	m_events = !opts.no_events;
	m_list = !opts.no_list;
	m_label_max = opts.label_max_len ? opts.label_max_len : 100;
	if (!o)
		return;
	std::string prefix = root;
	while (!prefix.empty() && prefix.back() == '/')
		prefix.pop_back();
	std::vector<std::pair<rt_kind, std::string>> eps;
	bool defaults = !opts.endpoints || !opts.n_endpoints;
	if (defaults) {
		static const std::pair<rt_kind, const char *> dflt[] = {
			{ rt_kind::DOCKER, "/var/run/docker.sock" },
			{ rt_kind::PODMAN, "/run/podman/podman.sock" },
			{ rt_kind::CRI, "/run/containerd/containerd.sock" },
			{ rt_kind::CRI, "/run/crio/crio.sock" },
			{ rt_kind::CRI, "/run/k3s/containerd/containerd.sock" },
		};
		for (auto &d : dflt) {
			std::string p = prefix + d.second;
			struct stat sb;
			if (stat(p.c_str(), &sb) == 0 && S_ISSOCK(sb.st_mode))
				eps.emplace_back(d.first, p); // upstream's rule: the sockets that exist
		}
	} else {
		for (uint32_t i = 0; i < opts.n_endpoints; i++) {
			std::string s = opts.endpoints[i] ? opts.endpoints[i] : "";
			size_t colon = s.find(':');
			std::string kind = s.substr(0, colon),
				    path = colon == std::string::npos ? "" : s.substr(colon + 1);
			rt_kind k;
			if (kind == "docker")
				k = rt_kind::DOCKER;
			else if (kind == "podman")
				k = rt_kind::PODMAN;
			else if (kind == "cri" || kind == "containerd" || kind == "crio" || kind == "cri-o")
				k = rt_kind::CRI;
			else
				continue; // validated by sinsp_inspector__open()
			if (path.empty())
				continue;
			eps.emplace_back(k, path[0] == '/' ? prefix + path : path);
		}
	}
	if (eps.empty())
		return;
	m_stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m_stop_fd < 0)
		return;
	for (auto &e : eps) {
		auto ep = std::make_unique<endpoint>();
		ep->kind = e.first;
		ep->path = e.second;
		ep->work_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (ep->work_fd < 0)
			continue;
		ep->client = e.first == rt_kind::CRI
				     ? make_cri_client(e.second, m_stop_fd, m_label_max)
				     : make_docker_client(e.second, e.first == rt_kind::PODMAN, m_stop_fd, m_label_max);
		m_eps.push_back(std::move(ep));
	}
	for (size_t i = 0; i < m_eps.size(); i++)
		m_eps[i]->thread = std::thread(&manager::worker, this, i);
}

manager::~manager()
{
	m_stopping = true;
	if (m_stop_fd >= 0)
		wake(m_stop_fd);
	for (auto &ep : m_eps) {
		if (ep->thread.joinable())
			ep->thread.join();
		if (ep->work_fd >= 0)
			close(ep->work_fd);
	}
	if (m_stop_fd >= 0)
		close(m_stop_fd);
}

// ---- the workers ----

void manager::push(result &&r)
{
	std::lock_guard<std::mutex> g(m_res_mu);
	m_results.push_back(std::move(r));
	m_has_results.store(true, std::memory_order_release);
}

void manager::enqueue(endpoint &ep, const std::string &id, bool asked)
{
	{
		std::lock_guard<std::mutex> g(ep.mu);
		if (!asked) {
			for (auto &q : ep.queue)
				if (q.first == id)
					return; // already coming
		}
		if (ep.queue.size() >= MAX_QUEUE && !asked)
			return;
		ep.queue.emplace_back(id, asked);
	}
	wake(ep.work_fd);
}

void manager::worker(size_t i)
{
	endpoint &ep = *m_eps[i];
	runtime_client &cl = *ep.client;
	uint64_t next_stream = 0, backoff = 1000 * MS, next_list = 0, list_backoff = 1000 * MS;
	bool listed = false, streaming = false, had_stream = false;
	auto on_event = [&](const rt_event &ev) {
		n_runtime_events++;
		if (ev.kind == rt_event::REMOVED) {
			push(result{ i, ev.id, false, true, lookup_result(), false });
			return;
		}
		if (ev.partial) {
			lookup_result pr;
			pr.st = io_status::OK;
			pr.c = ev.partial;
			push(result{ i, ev.id, false, false, std::move(pr), true });
		}
		enqueue(ep, ev.id, false); // look it up now: before its first process, mostly
	};
	while (!m_stopping) {
		uint64_t now = mono_ns();
		std::string err;
		if (m_events && !streaming && now >= next_stream) {
			io_status st = cl.open_events(now + m_timeout_ns, err);
			if (st == io_status::STOPPED)
				break;
			if (st == io_status::OK) {
				streaming = true;
				n_streams++;
				backoff = 1000 * MS;
				if (had_stream)
					listed = false; // what started while the stream was down
				had_stream = true;
			} else {
				next_stream = mono_ns() + backoff;
				backoff = std::min<uint64_t>(backoff * 2, 30000 * MS);
			}
		}
		if (m_list && !listed && mono_ns() >= next_list) {
			// after the stream is up (or was tried): nothing starts unseen in between
			std::vector<std::string> ids;
			io_status st = cl.list(ids, mono_ns() + m_timeout_ns, err);
			if (st == io_status::STOPPED)
				break;
			listed = st == io_status::OK;
			if (!listed) {
				next_list = mono_ns() + list_backoff;
				list_backoff = std::min<uint64_t>(list_backoff * 2, 30000 * MS);
			}
			for (const std::string &id : ids)
				enqueue(ep, id, false);
		}
		struct pollfd p[3] = { { ep.work_fd, POLLIN, 0 }, { m_stop_fd, POLLIN, 0 }, { -1, POLLIN, 0 } };
		int n = 2;
		if (streaming && cl.events_fd() >= 0)
			p[n++].fd = cl.events_fd();
		int wait_ms = 1000;
		if (m_events && !streaming) {
			uint64_t t = mono_ns();
			wait_ms = next_stream > t ? (int)std::min<uint64_t>((next_stream - t) / MS + 1, 1000) : 0;
		}
		bool have_work;
		{
			std::lock_guard<std::mutex> g(ep.mu);
			have_work = !ep.queue.empty();
		}
		if (::poll(p, (nfds_t)n, have_work ? 0 : wait_ms) < 0 && errno != EINTR)
			break;
		if (m_stopping || (p[1].revents & POLLIN))
			break;
		if (p[0].revents & POLLIN) {
			uint64_t v;
			ssize_t r = read(ep.work_fd, &v, sizeof(v));
			(void)r;
		}
		for (;;) {
			std::pair<std::string, bool> item;
			{
				std::lock_guard<std::mutex> g(ep.mu);
				if (ep.queue.empty())
					break;
				item = std::move(ep.queue.front());
				ep.queue.pop_front();
			}
			lookup_result r = cl.lookup(item.first, mono_ns() + m_timeout_ns);
			if (r.st == io_status::STOPPED)
				return;
			push(result{ i, item.first, item.second, false, std::move(r), false });
			if (m_stopping)
				return;
		}
		if (streaming && n == 3 && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
			io_status st = cl.pump_events(mono_ns() + 10 * MS, on_event, err);
			if (st == io_status::STOPPED)
				return;
			if (st != io_status::OK) {
				cl.close_events();
				streaming = false;
				n_streams--;
				next_stream = mono_ns() + backoff;
			}
		}
	}
}

// ---- the inspector's side ----

void manager::request(const std::string &key, entry &e)
{
	// which runtimes may know it: the cgroup layout's runtime, else all of them
	e.pending = 0;
	e.any_found = false;
	e.all_not_found = true;
	for (auto &ep : m_eps) {
		bool match;
		if (e.runtime == "podman")
			match = ep->kind != rt_kind::CRI;
		else if (e.runtime == "cri-o" || e.runtime == "containerd")
			match = ep->kind == rt_kind::CRI;
		else if (e.runtime == "docker")
			match = ep->kind != rt_kind::CRI; // docker's own layouts (a bare id: e.runtime is "")
		else if (e.runtime == "lxc" || e.runtime == "libvirt-lxc")
			match = false; // no runtime API: the id and type only (upstream's)
		else
			match = true;
		if (!match)
			continue;
		enqueue(*ep, e.ask_id.empty() ? key : e.ask_id, true);
		e.pending++;
	}
}

void manager::notice(threadinfo &t)
{
	t.container_noticed = true;
	if (m_eps.empty() || t.container_id == "host")
		return;
	auto it = m_cache.find(t.container_id);
	if (it != m_cache.end())
		return;
	entry &e = m_cache[t.container_id];
	// the whole id from the cgroups (runtimes answer prefixes too, but a whole id is exact)
	for (auto &cg : t.cgroups) {
		std::string full, rt;
		if (container_from_cgroup_full(cg.second, full, rt) && key_of(full) == t.container_id) {
			e.ask_id = full;
			// a bare id (kubepods with cgroupfs: dockershim, containerd, k3s) may be any runtime's
			e.runtime = rt == "docker" && cg.second.find("docker") == std::string::npos ? "any" : rt;
			break;
		}
	}
	if (e.runtime.empty())
		e.runtime = t.container_runtime;
	request(t.container_id, e);
}

void manager::take(result &r, uint64_t now)
{
	if (r.removed) {
		auto it = m_cache.find(key_of(r.id));
		if (it != m_cache.end() && !it->second.removed_at)
			it->second.removed_at = now;
		return;
	}
	if (r.partial) {
		auto pit = m_cache.find(r.r.c->id);
		if (pit != m_cache.end() && pit->second.c)
			return; // the lookup answered already
		entry &pe = m_cache[r.r.c->id];
		pe.c = std::move(r.r.c);
		pe.json.clear();
		pe.version = ++m_version;
		if (pe.ask_id.empty())
			pe.ask_id = pe.c->full_id;
		return; // the lookup under way completes it
	}
	n_lookups++;
	switch (r.r.st) {
	case io_status::OK: n_found++; break;
	case io_status::NOT_FOUND: n_not_found++; break;
	case io_status::TIMEOUT: n_timeouts++; break;
	case io_status::ERROR: n_errors++; break;
	case io_status::STOPPED: break;
	}
	std::string key = r.r.c ? r.r.c->id : key_of(r.id);
	auto it = m_cache.find(key);
	if (it == m_cache.end()) {
		if (!r.r.c)
			return; // an unasked lookup that found nothing
		it = m_cache.emplace(key, entry()).first;
	}
	entry &e = it->second;
	if (r.r.c) {
		e.c = std::move(r.r.c);
		e.json.clear();
		e.version = ++m_version;
		e.fetched_ns = now;
		e.tries = 0;
		e.removed_at = 0;
		if (e.ask_id.empty())
			e.ask_id = e.c->full_id;
		e.any_found = true;
	} else if (r.r.st != io_status::NOT_FOUND) {
		e.all_not_found = false;
	}
	if (r.asked) {
		if (!e.pending || --e.pending)
			return;
		if (e.any_found)
			return;
	} else if (r.r.c || e.pending || (e.c && e.fetched_ns)) {
		return; // an unasked lookup counts only when it failed for a runtime event's partial entry
	}
	if (e.c && e.fetched_ns && e.all_not_found) {
		// a refresh that no runtime answered: the container is gone
		m_cache.erase(it);
		n_expired++;
		return;
	}
	if (!e.c || !e.fetched_ns) { // nothing, or only a runtime event's partial metadata
		e.tries++;
		e.retry_at = now + (m_retry_ns << std::min<uint32_t>(e.tries - 1, 16));
	} else {
		e.fetched_ns = now; // keep what we had; ask again after another ttl
	}
}

void manager::maintain(uint64_t now)
{
	for (auto it = m_cache.begin(); it != m_cache.end();) {
		entry &e = it->second;
		if (e.removed_at && now - e.removed_at > REMOVED_GRACE_NS) {
			it = m_cache.erase(it);
			n_expired++;
			continue;
		}
		if (!m_eps.empty() && !e.pending && !e.removed_at) {
			if ((!e.c || !e.fetched_ns) && e.tries > 0 && e.tries < MAX_TRIES && now >= e.retry_at)
				request(it->first, e);
			else if (e.c && e.fetched_ns && now - e.fetched_ns > m_ttl_ns)
				request(it->first, e);
		}
		++it;
	}
}

void manager::poll_slow()
{
	m_tick = 0;
	uint64_t now = 0;
	if (m_has_results.load(std::memory_order_acquire)) {
		std::vector<result> rs;
		{
			std::lock_guard<std::mutex> g(m_res_mu);
			rs.swap(m_results);
			m_has_results.store(false, std::memory_order_relaxed);
		}
		now = mono_ns();
		for (result &r : rs)
			take(r, now);
	}
	if (m_eps.empty() && m_cache.empty())
		return;
	if (!now)
		now = mono_ns();
	if (now - m_last_maintain >= 250 * MS) {
		m_last_maintain = now;
		maintain(now);
	}
}

const info *manager::find(std::string_view id) const
{
	auto it = m_cache.find(key_of(id));
	return it == m_cache.end() ? nullptr : it->second.c.get();
}

bool manager::add_json(std::string_view json, bool from_file)
{
	auto c = std::make_shared<info>();
	if (!info::from_json(json, *c) || c->id.empty())
		return false;
	if (from_file)
		n_file_events++;
	std::string key = key_of(c->id);
	entry &e = m_cache[key];
	e.c = std::move(c);
	e.json.clear();
	e.version = ++m_version;
	e.fetched_ns = mono_ns();
	e.tries = 0;
	e.removed_at = 0;
	return true;
}

const std::string *manager::json_of(std::string_view id)
{
	auto it = m_cache.find(key_of(id));
	if (it == m_cache.end() || !it->second.c)
		return nullptr;
	if (it->second.json.empty())
		it->second.json = it->second.c->to_json();
	return &it->second.json;
}

std::vector<std::string> manager::ids() const
{
	std::vector<std::string> out;
	for (auto &kv : m_cache)
		if (kv.second.c)
			out.push_back(kv.first);
	std::sort(out.begin(), out.end());
	return out;
}

int manager::dump(scap_dumper *d, uint64_t ts, uint64_t &since)
{
	std::vector<std::pair<uint64_t, entry *>> todo;
	for (auto &kv : m_cache)
		if (kv.second.c && kv.second.version > since)
			todo.emplace_back(kv.second.version, &kv.second);
	std::sort(todo.begin(), todo.end(), [](auto &a, auto &b) { return a.first < b.first; });
	std::vector<uint8_t> buf;
	for (auto &t : todo) {
		entry &e = *t.second;
		if (e.json.empty())
			e.json = e.c->to_json();
		struct scap_param p;
		p.data = e.json.c_str();
		p.len = (uint32_t)e.json.size() + 1; // with its NUL, as upstream writes it
		buf.resize(64 + p.len);
		size_t len = 0;
		int rc = scap_event_encode(buf.data(), buf.size(), &len, ts, (uint64_t)-1, SCAP_EVT_CONTAINER_E, 1, &p);
		if (rc < 0)
			return rc;
		if ((rc = scap_dumper__write_decoded(d, (const scap_evt_hdr *)buf.data(), 0, 0)) < 0)
			return rc;
	}
	since = m_version;
	return 0;
}

void manager::stats(sinsp_container_stats &st) const
{
	uint64_t pending = 0, n = 0;
	for (auto &kv : m_cache) {
		pending += kv.second.pending;
		n += kv.second.c ? 1 : 0;
	}
	st.n_containers = n;
	st.n_lookups = n_lookups;
	st.n_found = n_found;
	st.n_not_found = n_not_found;
	st.n_timeouts = n_timeouts;
	st.n_errors = n_errors;
	st.n_runtime_events = n_runtime_events.load();
	st.n_pending = pending;
	st.n_expired = n_expired;
	st.n_file_events = n_file_events;
	st.n_endpoints = (uint32_t)m_eps.size();
	st.n_streams = n_streams.load();
}

// ---- health probes: upstream's thread categories ----

void manager::after_parse(inspector &insp, event &e)
{
	const type_info &ti = e.info();
	if (!e.is_exit())
		return;
	int64_t res = -1;
	if (!e.get_int("res", res) || res < 0)
		return;
	threadinfo *t = nullptr;
	if (ti.kind == ekind::CLONE)
		t = insp.threads.find(res > 0 ? res : e.tid());
	else if (ti.kind == ekind::EXECVE && res == 0)
		t = e.tinfo ? e.tinfo : insp.threads.find(e.tid());
	if (!t || t->container_id == "host")
		return;
	if (t->vpid == 1) {
		t->container_category = CAT_CONTAINER;
		return;
	}
	if (t->container_category != CAT_NONE)
		return; // kept across exec (a probe's `sh -c cmd` that execs cmd)
	threadinfo *parent = t->ptid > 0 ? insp.threads.find(t->ptid) : nullptr;
	if (parent && parent->container_category != CAT_NONE) {
		t->container_category = parent->container_category; // passed from parent to child
		return;
	}
	if (ti.kind != ekind::EXECVE)
		return;
	const info *c = find(t->container_id);
	if (!c)
		return;
	const health_probe *p = c->probe_for(t->exe, t->args);
	if (!p)
		return;
	// a probe runs beside the container's init (runc exec), not under it
	threadinfo *a = parent;
	for (int depth = 0; a && depth < 64; depth++) {
		if (a->vpid == 1 && a->container_id != "host")
			return;
		a = a->ptid > 0 && a->ptid != a->tid ? insp.threads.find(a->ptid) : nullptr;
	}
	t->container_category = p->type == PT_HEALTHCHECK      ? CAT_HEALTHCHECK
				: p->type == PT_LIVENESS_PROBE ? CAT_LIVENESS
							       : CAT_READINESS;
}

} // namespace sinsp::ctr
