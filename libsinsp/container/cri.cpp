// SPDX-License-Identifier: Apache-2.0
// The CRI client (runtime.v1.RuntimeService over gRPC: containerd, CRI-O, k3s): Version,
// ListContainers, ContainerStatus and PodSandboxStatus (verbose), and GetContainerEvents. The
// field numbers are the CRI API's (k8s.io/cri-api runtime/v1 api.proto); what is taken from the
// answers follows upstream's CRI engine (docs/containers.md).
#include <cstdio>
#include <string_view>
#include <vector>

#include "container/grpc.h"
#include "container/runtime.h"

namespace sinsp::ctr
{

namespace
{

// A message's fields, by number (length-delimited ones as views into the buffer).
struct pb_msg {
	std::vector<std::pair<uint32_t, std::string_view>> b;
	std::vector<std::pair<uint32_t, uint64_t>> v;
	bool ok = true;

	explicit pb_msg(std::string_view buf)
	{
		pb_reader r(buf);
		uint32_t f, wt;
		while (r.next(f, wt)) {
			if (wt == 2) {
				std::string_view s;
				if (!r.bytes(s))
					break;
				b.emplace_back(f, s);
			} else if (wt == 0) {
				uint64_t x;
				if (!r.varint(x))
					break;
				v.emplace_back(f, x);
			} else if (!r.skip(wt)) {
				break;
			}
		}
		ok = r.ok();
	}
	std::string_view sub(uint32_t f) const
	{
		for (auto &x : b)
			if (x.first == f)
				return x.second;
		return std::string_view();
	}
	std::string str(uint32_t f) const
	{
		return std::string(sub(f));
	}
	uint64_t u64(uint32_t f) const
	{
		for (auto &x : v)
			if (x.first == f)
				return x.second;
		return 0;
	}
	std::vector<std::string_view> all(uint32_t f) const
	{
		std::vector<std::string_view> out;
		for (auto &x : b)
			if (x.first == f)
				out.push_back(x.second);
		return out;
	}
	std::map<std::string, std::string> map(uint32_t f) const
	{
		std::map<std::string, std::string> m;
		for (std::string_view e : all(f)) {
			std::string k, val;
			if (pb_map_entry(e, k, val))
				m[k] = val;
		}
		return m;
	}
};

const char SVC[] = "/runtime.v1.RuntimeService/";

std::string compact(const json::value &v)
{
	std::string s;
	json::write(s, v);
	return s;
}

class cri_client : public runtime_client
{
public:
	cri_client(const std::string &sock, int stop_fd, size_t label_max_len)
	    : m_sock(sock), m_stop(stop_fd), m_label_max(label_max_len), m_events(stop_fd)
	{
	}

	lookup_result lookup(const std::string &id, uint64_t deadline_ns) override
	{
		lookup_result r;
		grpc_client g(m_stop);
		if ((r.st = g.connect(m_sock, deadline_ns, r.err)) != io_status::OK)
			return r;
		if (m_type < 0 && (r.st = version(g, deadline_ns, r.err)) != io_status::OK)
			return r;
		// the container (its full id and its sandbox) by id or id prefix
		pb_writer filter, req;
		filter.bytes(1, id);
		req.bytes(1, filter.data());
		std::string resp;
		r.st = g.unary(std::string(SVC) + "ListContainers", req.data(), resp, deadline_ns, r.err);
		if (r.st != io_status::OK && r.st != io_status::NOT_FOUND)
			return r;
		pb_msg list(resp);
		std::vector<std::string_view> ctrs = list.all(1);
		if (ctrs.empty()) {
			// not a container: maybe a pod sandbox (the pause container of a pod)
			return sandbox_as_container(g, id, deadline_ns);
		}
		pb_msg ctr(ctrs[0]);
		std::string full = ctr.str(1), sandbox = ctr.str(2);
		pb_writer sreq;
		sreq.bytes(1, full);
		sreq.varint(2, 1); // verbose: the runtime's "info" JSON
		if ((r.st = g.unary(std::string(SVC) + "ContainerStatus", sreq.data(), resp, deadline_ns, r.err)) !=
		    io_status::OK)
			return r;
		pb_msg st_resp(resp);
		std::string sbresp;
		if (!sandbox.empty()) {
			pb_writer preq;
			preq.bytes(1, sandbox);
			preq.varint(2, 1);
			io_status ps =
				g.unary(std::string(SVC) + "PodSandboxStatus", preq.data(), sbresp, deadline_ns, r.err);
			if (ps == io_status::TIMEOUT || ps == io_status::STOPPED) {
				r.st = ps;
				return r;
			}
			r.err.clear();
		}
		auto c = std::make_shared<info>();
		if (!to_info(st_resp, pb_msg(sbresp), sandbox, *c)) {
			r.st = io_status::ERROR;
			r.err = m_sock + ": malformed ContainerStatus answer";
			return r;
		}
		r.c = std::move(c);
		r.st = io_status::OK;
		return r;
	}

	io_status list(std::vector<std::string> &ids, uint64_t deadline_ns, std::string &err) override
	{
		grpc_client g(m_stop);
		io_status st = g.connect(m_sock, deadline_ns, err);
		if (st == io_status::OK && m_type < 0)
			st = version(g, deadline_ns, err);
		if (st != io_status::OK)
			return st;
		std::string resp;
		st = g.unary(std::string(SVC) + "ListContainers", "", resp, deadline_ns, err);
		if (st == io_status::NOT_FOUND)
			return io_status::OK;
		if (st != io_status::OK)
			return st;
		for (std::string_view c : pb_msg(resp).all(1))
			ids.push_back(pb_msg(c).str(1));
		return io_status::OK;
	}

	io_status open_events(uint64_t deadline_ns, std::string &err) override
	{
		io_status st = m_events.connect(m_sock, deadline_ns, err);
		if (st == io_status::OK)
			st = m_events.start(std::string(SVC) + "GetContainerEvents", "", deadline_ns, err);
		if (st != io_status::OK)
			m_events.close();
		return st;
	}

	io_status pump_events(uint64_t deadline_ns, const std::function<void(const rt_event &)> &cb,
			      std::string &err) override
	{
		io_status st = m_events.read(
			deadline_ns,
			[&](std::string_view msg) {
				pb_msg ev(msg);
				std::string id = ev.str(1);
				if (id.empty())
					return;
				switch (ev.u64(2)) {
				case 0: cb(rt_event{ rt_event::CREATED, id, nullptr }); break;
				case 1: cb(rt_event{ rt_event::STARTED, id, nullptr }); break;
				case 3: cb(rt_event{ rt_event::REMOVED, id, nullptr }); break;
				default: break; // stopped
				}
			},
			err);
		if (st != io_status::OK)
			m_events.close();
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
	io_status version(grpc_client &g, uint64_t deadline_ns, std::string &err)
	{
		std::string resp;
		io_status st = g.unary(std::string(SVC) + "Version", "", resp, deadline_ns, err);
		if (st == io_status::NOT_FOUND) {
			err = m_sock + ": not a CRI v1 runtime";
			return io_status::ERROR;
		}
		if (st != io_status::OK)
			return st;
		std::string name = pb_msg(resp).str(2);
		m_type = name == "containerd" ? CT_CONTAINERD : name == "cri-o" ? CT_CRIO : CT_CRI;
		return io_status::OK;
	}

	// the pod's metadata from a PodSandboxStatusResponse into c (labels, ip, namespaces, cni)
	void pod_info(const pb_msg &resp, info &c, std::map<std::string, std::string> &annotations)
	{
		pb_msg st(resp.sub(1));
		pb_msg md(st.sub(2));
		if (!md.str(2).empty() || !md.str(1).empty()) {
			c.labels["io.kubernetes.pod.uid"] = md.str(2);
			c.labels["io.kubernetes.pod.name"] = md.str(1);
			c.labels["io.kubernetes.pod.namespace"] = md.str(3);
		}
		c.ip = pb_msg(st.sub(5)).str(1);
		pb_msg opts(pb_msg(pb_msg(st.sub(6)).sub(1)).sub(2));
		c.host_network = opts.u64(1) == 2; // NamespaceMode NODE
		c.host_pid = opts.u64(2) == 2;
		c.host_ipc = opts.u64(3) == 2;
		for (auto &kv : st.map(7))
			if (kv.second.size() <= m_label_max)
				c.pod_sandbox_labels[kv.first] = kv.second;
		annotations = st.map(8);
		// the CNI result: containerd's verbose info has it; CRI-O keeps it in an annotation
		std::map<std::string, std::string> inf = resp.map(2);
		json::value v;
		if (auto it = inf.find("info"); it != inf.end() && json::parse(it->second, v)) {
			if (const json::value *cni = v.get("cniResult"); cni && cni->is_object()) {
				json::value trimmed = *cni;
				for (auto i = trimmed.o.begin(); i != trimmed.o.end();)
					i = i->first == "DNS" || i->first == "dns" ? trimmed.o.erase(i) : i + 1;
				c.cni_json = compact(trimmed);
			} else if (const json::value *a = v.at({ "runtimeSpec", "annotations" })) {
				c.cni_json = json::get_str(a, "io.kubernetes.cri-o.CNIResult");
			}
		}
		if (c.cni_json.size() > 4096)
			c.cni_json.resize(4096); // upstream's limit
	}

	lookup_result sandbox_as_container(grpc_client &g, const std::string &id, uint64_t deadline_ns)
	{
		lookup_result r;
		pb_writer preq;
		preq.bytes(1, id);
		preq.varint(2, 1);
		std::string resp;
		r.st = g.unary(std::string(SVC) + "PodSandboxStatus", preq.data(), resp, deadline_ns, r.err);
		if (r.st != io_status::OK)
			return r;
		pb_msg m(resp);
		pb_msg st(m.sub(1));
		auto c = std::make_shared<info>();
		c->full_id = st.str(1);
		if (c->full_id.empty()) {
			r.st = io_status::NOT_FOUND;
			return r;
		}
		c->id = c->full_id.substr(0, 12);
		c->type = m_type;
		c->is_pod_sandbox = true;
		c->pod_sandbox_id = c->full_id;
		c->name = pb_msg(st.sub(2)).str(1);
		c->created_time = (int64_t)(st.u64(4) / 1000000000ull);
		std::map<std::string, std::string> ann;
		pod_info(m, *c, ann);
		c->labels["io.kubernetes.sandbox.id"] = c->full_id;
		r.c = std::move(c);
		r.st = io_status::OK;
		return r;
	}

	bool to_info(const pb_msg &resp, const pb_msg &sandbox_resp, const std::string &sandbox, info &c)
	{
		pb_msg st(resp.sub(1));
		if (!resp.ok || !st.ok)
			return false;
		c.full_id = st.str(1);
		if (c.full_id.empty())
			return false;
		c.id = c.full_id.substr(0, 12);
		c.type = m_type;
		c.name = pb_msg(st.sub(2)).str(1);
		c.created_time = (int64_t)(st.u64(4) / 1000000000ull);
		std::map<std::string, std::string> labels = st.map(12), annotations = st.map(13);
		for (auto &kv : labels)
			if (kv.second.size() <= m_label_max)
				c.labels[kv.first] = kv.second;
		for (std::string_view mv : st.all(14)) {
			pb_msg m(mv);
			mount_info mi;
			mi.dest = m.str(1);
			mi.source = m.str(2);
			mi.rdwr = !m.u64(3);
			switch (m.u64(5)) {
			case 0: mi.propagation = "private"; break;
			case 1: mi.propagation = "rslave"; break;
			case 2: mi.propagation = "rshared"; break;
			default: mi.propagation = "unknown"; break;
			}
			c.mounts.push_back(std::move(mi));
		}
		pb_msg lin(pb_msg(st.sub(16)).sub(1));
		if (int64_t v = (int64_t)lin.u64(1); v > 0)
			c.cpu_period = v;
		c.cpu_quota = (int64_t)lin.u64(2);
		if (int64_t v = (int64_t)lin.u64(3); v > 0)
			c.cpu_shares = v;
		c.memory_limit = (int64_t)lin.u64(4);
		c.swap_limit = (int64_t)lin.u64(10);
		// the runtime's verbose info: privileged, the image id, the image name's annotation
		json::value inf;
		std::map<std::string, std::string> infos = resp.map(2);
		if (auto it = infos.find("info"); it != infos.end())
			json::parse(it->second, inf);
		const json::value *priv = inf.at({ "runtimeSpec", "linux", "security_context", "privileged" });
		if (!priv)
			priv = inf.at({ "config", "linux", "security_context", "privileged" });
		if (!priv)
			priv = inf.get("privileged");
		c.privileged = priv && priv->boolean();
		const json::value *spec_ann = inf.at({ "runtimeSpec", "annotations" });
		// the image: upstream's CRI parsing (image_ref is "sha256:..." or "repo@sha256:...")
		std::string image = pb_msg(st.sub(8)).str(1), image_ref = st.str(9);
		bool tag_from_image = false;
		size_t sha = image_ref.find("sha256:");
		if (sha == 0) {
			c.imagedigest = image_ref;
		} else if (sha != std::string::npos && image_ref[sha - 1] == '@') {
			image = image_ref.substr(0, sha - 1);
			c.imagedigest = image_ref.substr(sha);
			tag_from_image = true;
		}
		if (image.empty() || image.compare(0, 6, "sha256") == 0) {
			for (const char *k : { "io.kubernetes.cri.image-name", "io.kubernetes.cri-o.Image",
					       "io.kubernetes.cri-o.ImageName" }) {
				std::string v = spec_ann ? json::get_str(spec_ann, k) : std::string();
				if (v.empty())
					if (auto it = annotations.find(k); it != annotations.end())
						v = it->second;
				if (!v.empty()) {
					image = v;
					tag_from_image = false;
					break;
				}
			}
		}
		std::string digest;
		split_image(image, c.imagerepo, c.imagetag, digest);
		if (tag_from_image) {
			std::string r2, d2;
			split_image(pb_msg(st.sub(8)).str(1), r2, c.imagetag, d2);
			if (!c.imagetag.empty())
				image += ":" + c.imagetag;
		}
		c.image = image;
		std::string imgid = json::get_str(inf.at({ "config", "image" }), "image");
		if (imgid.empty() && image_ref.compare(0, 7, "sha256:") == 0)
			imgid = image_ref;
		size_t colon = imgid.find(':');
		c.imageid = colon == std::string::npos ? imgid : imgid.substr(colon + 1);
		if (const json::value *uid = inf.at({ "config", "linux", "security_context", "run_as_user" }))
			c.user = json::get_str(uid, "value");
		// the pod
		c.pod_sandbox_id = sandbox;
		c.labels["io.kubernetes.sandbox.id"] = sandbox;
		std::map<std::string, std::string> pod_ann;
		if (!sandbox_resp.b.empty())
			pod_info(sandbox_resp, c, pod_ann);
		// liveness/readiness probes: kubectl's last applied configuration of the pod
		std::map<std::string, std::string> probe_src = pod_ann;
		for (auto &kv : annotations)
			probe_src.insert(kv);
		probe_src["io.kubernetes.container.name"] = c.name;
		parse_probes(nullptr, probe_src, c);
		return true;
	}

	std::string m_sock;
	int m_stop;
	size_t m_label_max;
	int m_type = -1;
	grpc_client m_events;
};

} // namespace

std::unique_ptr<runtime_client> make_cri_client(const std::string &sock, int stop_fd, size_t label_max_len)
{
	return std::make_unique<cri_client>(sock, stop_fd, label_max_len);
}

} // namespace sinsp::ctr
