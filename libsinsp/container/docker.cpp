// SPDX-License-Identifier: Apache-2.0
// The Docker Engine API client (docker; podman's compatible socket answers it too) and the libpod
// API client (podman): HTTP/1.1 GETs of JSON over a unix socket, and the /events stream. What is
// taken from the answers follows upstream's docker engine (docs/containers.md).
#include <algorithm>
#include <cstdio>
#include <ctime>

#include "container/runtime.h"

namespace sinsp::ctr
{

const char *rt_kind_name(rt_kind k)
{
	switch (k) {
	case rt_kind::DOCKER: return "docker";
	case rt_kind::PODMAN: return "podman";
	case rt_kind::CRI: return "cri";
	}
	return "";
}

int64_t parse_rfc3339(const std::string &s)
{
	struct tm tm = {};
	int y, mo, d, h, mi, sec;
	if (sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6)
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	time_t t = timegm(&tm);
	// a zone offset (+hh:mm / -hh:mm) after the seconds and their fraction
	size_t p = s.find_first_of("Zz+-", 19);
	if (p != std::string::npos && (s[p] == '+' || s[p] == '-')) {
		int oh = 0, om = 0;
		if (sscanf(s.c_str() + p + 1, "%d:%d", &oh, &om) >= 1)
			t -= (s[p] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
	}
	return t < 0 ? 0 : (int64_t)t;
}

namespace
{

std::string strip_sha(const std::string &s)
{
	size_t c = s.find(':');
	return c == std::string::npos ? s : s.substr(c + 1);
}

int64_t cpuset_count(const std::string &cpus)
{
	// "0-3,8" -> 5
	int64_t n = 0;
	size_t pos = 0;
	while (pos < cpus.size()) {
		size_t e = cpus.find(',', pos);
		std::string part = cpus.substr(pos, e == std::string::npos ? std::string::npos : e - pos);
		int a = 0, b = 0;
		if (sscanf(part.c_str(), "%d-%d", &a, &b) == 2 && b >= a)
			n += b - a + 1;
		else if (!part.empty())
			n++;
		if (e == std::string::npos)
			break;
		pos = e + 1;
	}
	return n;
}

// RepoDigests / RepoTags of an image answer, as upstream's parse_image_info()
void image_info(const json::value &img, info &c)
{
	if (const json::value *dg = img.get("Digest"); dg && dg->is_string() && !dg->s.empty()) {
		c.imagedigest = dg->s; // podman's own member
	} else if (const json::value *rd = img.get("RepoDigests"); rd && rd->is_array()) {
		std::vector<std::string> digests;
		for (const json::value &x : rd->a) {
			if (!x.is_string())
				continue;
			size_t at = x.s.find('@');
			std::string repo = x.s.substr(0, at),
				    digest = at == std::string::npos ? "" : x.s.substr(at + 1);
			if (std::find(digests.begin(), digests.end(), digest) == digests.end())
				digests.push_back(digest);
			if (c.imagerepo.empty())
				c.imagerepo = repo;
			if (repo == c.imagerepo) {
				c.imagedigest = digest;
				break;
			}
		}
		if (c.imagedigest.empty() && digests.size() == 1)
			c.imagedigest = digests[0];
	}
	if (const json::value *rt = img.get("RepoTags"); rt && rt->is_array() && c.imagetag.empty())
		for (const json::value &x : rt->a) {
			if (!x.is_string())
				continue;
			size_t colon = x.s.rfind(':');
			std::string repo = x.s.substr(0, colon);
			if (c.imagerepo.empty())
				c.imagerepo = repo;
			if (repo == c.imagerepo && colon != std::string::npos) {
				c.imagetag = x.s.substr(colon + 1);
				break;
			}
		}
}

} // namespace

bool parse_docker_inspect(const json::value &root, const json::value *image, bool libpod, int type,
			  size_t label_max_len, info &c)
{
	if (!root.is_object())
		return false;
	c.full_id = json::get_str(&root, "Id");
	if (c.full_id.empty())
		return false;
	c.id = c.full_id.substr(0, 12);
	c.type = type;
	const json::value *config = root.get("Config");
	const json::value *host = root.get("HostConfig");
	const json::value *net = root.get("NetworkSettings");
	c.name = json::get_str(&root, "Name");
	if (!c.name.empty() && c.name[0] == '/')
		c.name.erase(0, 1);
	c.is_pod_sandbox = c.name.compare(0, 7, "k8s_POD") == 0;
	if (libpod) {
		c.image = json::get_str(&root, "ImageName");
		c.imageid = strip_sha(json::get_str(&root, "Image"));
		split_image(c.image, c.imagerepo, c.imagetag, c.imagedigest);
		std::string dg = json::get_str(&root, "ImageDigest");
		if (!dg.empty())
			c.imagedigest = dg;
		c.is_pod_sandbox = c.is_pod_sandbox || json::get_bool(&root, "IsInfra");
	} else {
		c.image = json::get_str(config, "Image");
		std::string img = json::get_str(&root, "Image");
		if (img.find('/') == std::string::npos)
			c.imageid = strip_sha(img); // docker: the id ("sha256:..."); old podman: the name
		split_image(c.image, c.imagerepo, c.imagetag, c.imagedigest);
		if (image)
			image_info(*image, c);
	}
	if (c.imagetag.empty() && !c.image.empty())
		c.imagetag = "latest"; // upstream's default
	c.user = json::get_str(config, "User");
	c.created_time = parse_rfc3339(json::get_str(&root, "Created"));
	c.privileged = json::get_bool(host, "Privileged");
	c.host_pid = json::get_str(host, "PidMode") == "host";
	c.host_network = json::get_str(host, "NetworkMode") == "host";
	c.host_ipc = json::get_str(host, "IpcMode") == "host";
	c.ip = json::get_str(net, "IPAddress");
	if (c.ip.empty())
		if (const json::value *nets = net ? net->get("Networks") : nullptr; nets && nets->is_object())
			for (const auto &kv : nets->o) {
				std::string ip = json::get_str(&kv.second, "IPAddress");
				if (!ip.empty()) {
					c.ip = ip;
					break;
				}
			}
	if (const json::value *ms = root.get("Mounts"); ms && ms->is_array())
		for (const json::value &m : ms->a) {
			mount_info mi;
			mi.source = json::get_str(&m, "Source");
			mi.dest = json::get_str(&m, "Destination");
			mi.mode = json::get_str(&m, "Mode");
			mi.rdwr = json::get_bool(&m, "RW");
			mi.propagation = json::get_str(&m, "Propagation");
			c.mounts.push_back(std::move(mi));
		}
	std::map<std::string, std::string> labels = json::get_string_map(config ? config->get("Labels") : nullptr);
	parse_probes(config, labels, c);
	for (auto &kv : labels)
		if (kv.second.size() <= label_max_len)
			c.labels.insert(kv);
	c.memory_limit = json::get_i64(host, "Memory");
	c.swap_limit = json::get_i64(host, "MemorySwap");
	if (int64_t v = json::get_i64(host, "CpuShares"); v > 0)
		c.cpu_shares = v;
	c.cpu_quota = json::get_i64(host, "CpuQuota");
	if (int64_t v = json::get_i64(host, "CpuPeriod"); v > 0)
		c.cpu_period = v;
	if (int64_t nano = json::get_i64(host, "NanoCpus"); nano > 0 && c.cpu_quota == 0)
		c.cpu_quota = nano * c.cpu_period / 1000000000; // docker run --cpus
	c.cpuset_cpu_count = cpuset_count(json::get_str(host, "CpusetCpus"));
	// a Kubernetes pod through dockershim / cri-dockerd: the sandbox is a label
	if (const std::string *sb = c.label("io.kubernetes.sandbox.id"))
		c.pod_sandbox_id = *sb;
	return true;
}

namespace
{

class docker_client : public runtime_client
{
public:
	docker_client(const std::string &sock, bool libpod, int stop_fd, size_t label_max_len)
	    : m_sock(sock), m_libpod(libpod), m_stop(stop_fd), m_label_max(label_max_len), m_events(stop_fd)
	{
	}

	lookup_result lookup(const std::string &id, uint64_t deadline_ns) override
	{
		lookup_result r;
		http_response resp;
		std::string target = (m_libpod ? "/v4.0.0/libpod/containers/" : "/containers/") + id + "/json";
		r.st = http_get(m_sock, target, deadline_ns, m_stop, resp, r.err);
		if (r.st != io_status::OK)
			return r;
		if (resp.status == 404) {
			r.st = io_status::NOT_FOUND;
			return r;
		}
		// docker, or podman's compatible API (whose answers name libpod; /version would tell too,
		// but podman takes a second or more to answer it: it runs conmon and the OCI runtime)
		const std::string *server = resp.header("server");
		int type = m_libpod || resp.header("libpod-api-version") ||
					   (server && server->compare(0, 6, "Libpod") == 0)
				   ? CT_PODMAN
				   : CT_DOCKER;
		json::value root;
		if (resp.status != 200 || !json::parse(resp.body, root)) {
			r.st = io_status::ERROR;
			r.err = m_sock + ": " + target + ": HTTP " + std::to_string(resp.status);
			return r;
		}
		json::value image;
		bool have_image = false;
		if (!m_libpod) {
			std::string img = json::get_str(&root, "Image");
			if (!img.empty()) {
				http_response ir;
				std::string ierr;
				if (http_get(m_sock, "/images/" + url_encode(img) + "/json", deadline_ns, m_stop, ir,
					     ierr) == io_status::OK &&
				    ir.status == 200)
					have_image = json::parse(ir.body, image);
			}
		}
		auto c = std::make_shared<info>();
		if (!parse_docker_inspect(root, have_image ? &image : nullptr, m_libpod, type, m_label_max, *c)) {
			r.st = io_status::ERROR;
			r.err = m_sock + ": " + target + ": not a container";
			return r;
		}
		// sharing another container's network: its address (upstream does the same)
		std::string nm = json::get_str(root.get("HostConfig"), "NetworkMode");
		if (c->ip.empty() && nm.compare(0, 10, "container:") == 0) {
			http_response o;
			std::string oerr;
			json::value other;
			std::string ot =
				(m_libpod ? "/v4.0.0/libpod/containers/" : "/containers/") + nm.substr(10) + "/json";
			if (http_get(m_sock, ot, deadline_ns, m_stop, o, oerr) == io_status::OK && o.status == 200 &&
			    json::parse(o.body, other))
				c->ip = json::get_str(other.get("NetworkSettings"), "IPAddress");
		}
		r.c = std::move(c);
		r.st = io_status::OK;
		return r;
	}

	io_status list(std::vector<std::string> &ids, uint64_t deadline_ns, std::string &err) override
	{
		http_response resp;
		io_status st = http_get(m_sock, m_libpod ? "/v4.0.0/libpod/containers/json" : "/containers/json",
					deadline_ns, m_stop, resp, err);
		if (st != io_status::OK)
			return st;
		json::value root;
		if (resp.status != 200 || !json::parse(resp.body, root) || !root.is_array()) {
			err = m_sock + ": container list: HTTP " + std::to_string(resp.status);
			return io_status::ERROR;
		}
		for (const json::value &x : root.a) {
			std::string id = json::get_str(&x, "Id");
			if (!id.empty())
				ids.push_back(id);
		}
		return io_status::OK;
	}

	io_status open_events(uint64_t deadline_ns, std::string &err) override
	{
		std::string filters = url_encode("{\"type\":[\"container\"]}");
		std::string target = m_libpod ? "/v4.0.0/libpod/events?stream=true&filters=" + filters
					      : "/events?filters=" + filters;
		return m_events.open(m_sock, target, deadline_ns, err);
	}

	io_status pump_events(uint64_t deadline_ns, const std::function<void(const rt_event &)> &cb,
			      std::string &err) override
	{
		io_status st = m_events.pump(deadline_ns, [&](std::string_view line) {
			json::value ev;
			if (!json::parse(line, ev) || !ev.is_object())
				return;
			std::string type = json::get_str(&ev, "Type");
			if (!type.empty() && type != "container")
				return;
			std::string action = json::get_str(&ev, "Action");
			if (action.empty())
				action = json::get_str(&ev, "status");
			if (action.empty())
				action = json::get_str(&ev, "Status");
			std::string id = json::get_str(&ev, "id");
			if (id.empty())
				id = json::get_str(&ev, "ID");
			if (id.empty())
				id = json::get_str(ev.get("Actor"), "ID");
			if (id.empty())
				return;
			if (action == "create" || action == "start" || action == "init") {
				rt_event re{ action == "create" ? rt_event::CREATED : rt_event::STARTED, id, nullptr };
				if (action == "create")
					re.partial = partial_info(ev, id);
				cb(re);
			} else if (action == "destroy" || action == "remove" || action == "cleanup") {
				cb(rt_event{ rt_event::REMOVED, id, nullptr });
			}
		});
		if (st != io_status::OK && err.empty())
			err = m_sock + ": event stream ended";
		return st;
	}

	int events_fd() const override
	{
		return m_events.fd();
	}
	void close_events() override
	{
		m_events.close();
	}

private:
	// A create event's attributes: the name, the image and the labels (docker and podman put
	// them there, beside a few keys of their own), before the runtime lets us inspect the
	// container (podman holds its lock until the container runs).
	std::shared_ptr<info> partial_info(const json::value &ev, const std::string &id)
	{
		const json::value *attrs = ev.at({ "Actor", "Attributes" });
		if (!attrs)
			attrs = ev.get("Attributes");
		if (!attrs || !attrs->is_object() || id.size() != 64)
			return nullptr;
		auto c = std::make_shared<info>();
		c->full_id = id;
		c->id = id.substr(0, 12);
		c->type = m_libpod || m_events.libpod() ? CT_PODMAN : CT_DOCKER;
		static const char *const own[] = { "name",     "image",	 "podId", "containerExitCode",
						   "exitCode", "signal", "execID" };
		for (const auto &kv : attrs->o) {
			if (!kv.second.is_string())
				continue;
			if (kv.first == "name")
				c->name = kv.second.s;
			else if (kv.first == "image")
				c->image = kv.second.s;
			if (std::find_if(std::begin(own), std::end(own),
					 [&](const char *k) { return kv.first == k; }) == std::end(own) &&
			    kv.second.s.size() <= m_label_max)
				c->labels[kv.first] = kv.second.s;
		}
		if (c->name.empty())
			return nullptr;
		split_image(c->image, c->imagerepo, c->imagetag, c->imagedigest);
		if (c->imagetag.empty() && !c->image.empty())
			c->imagetag = "latest";
		return c;
	}

	std::string m_sock;
	bool m_libpod;
	int m_stop;
	size_t m_label_max;
	http_stream m_events;
};

} // namespace

std::unique_ptr<runtime_client> make_docker_client(const std::string &sock, bool libpod, int stop_fd,
						   size_t label_max_len)
{
	return std::make_unique<docker_client>(sock, libpod, stop_fd, label_max_len);
}

} // namespace sinsp::ctr
