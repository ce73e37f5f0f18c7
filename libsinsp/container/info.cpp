// SPDX-License-Identifier: Apache-2.0
// Container metadata: the container event JSON (upstream's member names, written and read), image
// references, mounts and health probes (upstream's semantics, docs/containers.md).
#include "container/info.h"

#include <fnmatch.h>

#include <cstring>

namespace sinsp::ctr
{

const char *ctype_name(int t)
{
	switch (t) {
	case CT_DOCKER: return "docker";
	case CT_LXC: return "lxc";
	case CT_LIBVIRT_LXC: return "libvirt-lxc";
	case CT_MESOS: return "mesos";
	case CT_RKT: return "rkt";
	case CT_CUSTOM: return "custom";
	case CT_CRI: return "cri";
	case CT_CONTAINERD: return "containerd";
	case CT_CRIO: return "cri-o";
	case CT_BPM: return "bpm";
	case CT_STATIC: return "static";
	case CT_PODMAN: return "podman";
	default: return "";
	}
}

int ctype_of(const std::string &name)
{
	for (int t : { CT_DOCKER, CT_LXC, CT_LIBVIRT_LXC, CT_MESOS, CT_RKT, CT_CUSTOM, CT_CRI, CT_CONTAINERD, CT_CRIO,
		       CT_BPM, CT_STATIC, CT_PODMAN })
		if (name == ctype_name(t))
			return t;
	return CT_UNKNOWN;
}

std::string mount_info::str() const
{
	return source + ":" + dest + ":" + mode + ":" + (rdwr ? "true" : "false") + ":" + propagation;
}

std::string health_probe::cmdline() const
{
	std::string s = exe;
	for (const auto &a : args) {
		s += ' ';
		s += a;
	}
	return s;
}

namespace
{

const char *const probe_keys[] = { "None", "Healthcheck", "LivenessProbe", "ReadinessProbe" };

void put_key(std::string &out, const char *k)
{
	json::put_string(out, k);
	out += ':';
}
void put_str(std::string &out, const char *k, const std::string &v)
{
	put_key(out, k);
	json::put_string(out, v);
	out += ',';
}
void put_int(std::string &out, const char *k, int64_t v)
{
	put_key(out, k);
	out += std::to_string(v);
	out += ',';
}
void put_bool(std::string &out, const char *k, bool v)
{
	put_key(out, k);
	out += v ? "true," : "false,";
}
void put_map(std::string &out, const char *k, const std::map<std::string, std::string> &m)
{
	put_key(out, k);
	out += '{';
	bool first = true;
	for (const auto &kv : m) {
		if (!first)
			out += ',';
		first = false;
		json::put_string(out, kv.first);
		out += ':';
		json::put_string(out, kv.second);
	}
	out += "},";
}

} // namespace

std::string info::to_json() const
{
	std::string o = "{\"container\":{";
	put_str(o, "id", id);
	put_str(o, "full_id", full_id);
	put_int(o, "type", type);
	put_str(o, "name", name);
	put_str(o, "image", image);
	put_str(o, "imageid", imageid);
	put_str(o, "imagerepo", imagerepo);
	put_str(o, "imagetag", imagetag);
	put_str(o, "imagedigest", imagedigest);
	put_str(o, "User", user);
	put_bool(o, "privileged", privileged);
	put_bool(o, "host_pid", host_pid);
	put_bool(o, "host_network", host_network);
	put_bool(o, "host_ipc", host_ipc);
	put_bool(o, "is_pod_sandbox", is_pod_sandbox);
	put_int(o, "lookup_state", 1); // upstream: SUCCESSFUL
	put_int(o, "created_time", created_time);
	put_key(o, "Mounts");
	o += '[';
	for (size_t k = 0; k < mounts.size(); k++) {
		const mount_info &m = mounts[k];
		if (k)
			o += ',';
		o += '{';
		put_str(o, "Source", m.source);
		put_str(o, "Destination", m.dest);
		put_str(o, "Mode", m.mode);
		put_bool(o, "RW", m.rdwr);
		put_key(o, "Propagation");
		json::put_string(o, m.propagation);
		o += '}';
	}
	o += "],";
	for (const health_probe &p : probes) {
		if (p.type <= PT_NONE || p.type > PT_READINESS_PROBE)
			continue;
		put_key(o, probe_keys[p.type]);
		o += "{\"exe\":";
		json::put_string(o, p.exe);
		o += ",\"args\":[";
		for (size_t k = 0; k < p.args.size(); k++) {
			if (k)
				o += ',';
			json::put_string(o, p.args[k]);
		}
		o += "]},";
	}
	// upstream wrote the IPv4 address with inet_ntop(): 0.0.0.0 when there is none
	put_str(o, "ip", ip.empty() ? std::string("0.0.0.0") : ip);
	put_str(o, "cni_json", cni_json);
	o += "\"port_mappings\":[],";
	put_map(o, "labels", labels);
	o += "\"env\":[],";
	put_int(o, "memory_limit", memory_limit);
	put_int(o, "swap_limit", swap_limit);
	put_int(o, "cpu_shares", cpu_shares);
	put_int(o, "cpu_quota", cpu_quota);
	put_int(o, "cpu_period", cpu_period);
	put_int(o, "cpuset_cpu_count", cpuset_cpu_count);
	put_str(o, "pod_sandbox_id", pod_sandbox_id);
	put_map(o, "pod_sandbox_labels", pod_sandbox_labels);
	put_key(o, "metadata_deadline");
	o += "0}}";
	return o;
}

bool info::from_json(std::string_view text, info &out)
{
	json::value doc;
	if (!json::parse(text, doc) || !doc.is_object())
		return false;
	const json::value *c = doc.get("container");
	if (!c)
		c = &doc;
	if (!c->is_object() || !c->get("id"))
		return false;
	info r;
	r.id = json::get_str(c, "id");
	r.full_id = json::get_str(c, "full_id");
	r.type = (int)json::get_i64(c, "type", CT_UNKNOWN);
	r.name = json::get_str(c, "name");
	r.image = json::get_str(c, "image");
	r.imageid = json::get_str(c, "imageid");
	r.imagerepo = json::get_str(c, "imagerepo");
	r.imagetag = json::get_str(c, "imagetag");
	r.imagedigest = json::get_str(c, "imagedigest");
	r.user = json::get_str(c, "User");
	r.privileged = json::get_bool(c, "privileged");
	r.host_pid = json::get_bool(c, "host_pid");
	r.host_network = json::get_bool(c, "host_network");
	r.host_ipc = json::get_bool(c, "host_ipc");
	r.is_pod_sandbox = json::get_bool(c, "is_pod_sandbox");
	r.created_time = json::get_i64(c, "created_time");
	if (const json::value *ms = c->get("Mounts"); ms && ms->is_array())
		for (const json::value &m : ms->a) {
			mount_info mi;
			mi.source = json::get_str(&m, "Source");
			mi.dest = json::get_str(&m, "Destination");
			mi.mode = json::get_str(&m, "Mode");
			mi.rdwr = json::get_bool(&m, "RW");
			mi.propagation = json::get_str(&m, "Propagation");
			r.mounts.push_back(std::move(mi));
		}
	for (int t = PT_HEALTHCHECK; t <= PT_READINESS_PROBE; t++) {
		const json::value *p = c->get(probe_keys[t]);
		if (!p || !p->is_object())
			continue;
		health_probe hp;
		hp.type = t;
		hp.exe = json::get_str(p, "exe");
		if (const json::value *a = p->get("args"); a && a->is_array())
			for (const json::value &x : a->a)
				hp.args.push_back(x.str());
		r.probes.push_back(std::move(hp));
	}
	r.ip = json::get_str(c, "ip");
	if (r.ip == "0.0.0.0")
		r.ip.clear();
	r.cni_json = json::get_str(c, "cni_json");
	r.labels = json::get_string_map(c->get("labels"));
	r.memory_limit = json::get_i64(c, "memory_limit");
	r.swap_limit = json::get_i64(c, "swap_limit");
	r.cpu_shares = json::get_i64(c, "cpu_shares", 1024);
	r.cpu_quota = json::get_i64(c, "cpu_quota");
	r.cpu_period = json::get_i64(c, "cpu_period", 100000);
	r.cpuset_cpu_count = json::get_i64(c, "cpuset_cpu_count");
	r.pod_sandbox_id = json::get_str(c, "pod_sandbox_id");
	r.pod_sandbox_labels = json::get_string_map(c->get("pod_sandbox_labels"));
	out = std::move(r);
	return true;
}

const mount_info *info::mount_by_index(uint64_t i) const
{
	return i < mounts.size() ? &mounts[i] : nullptr;
}

const mount_info *info::mount_by_glob(const std::string &glob, bool by_dest) const
{
	for (const mount_info &m : mounts)
		if (fnmatch(glob.c_str(), (by_dest ? m.dest : m.source).c_str(), 0) == 0)
			return &m;
	return nullptr;
}

const health_probe *info::probe_for(const std::string &exe, const std::vector<std::string> &args) const
{
	for (const health_probe &p : probes)
		if (p.exe == exe && p.args == args)
			return &p;
	return nullptr;
}

const health_probe *info::probe_of_type(int t) const
{
	for (const health_probe &p : probes)
		if (p.type == t)
			return &p;
	return nullptr;
}

const std::string *info::label(const std::string &key) const
{
	auto it = labels.find(key);
	return it == labels.end() ? nullptr : &it->second;
}

void split_image(const std::string &image, std::string &repo, std::string &tag, std::string &digest)
{
	// upstream (sinsp_utils::split_container_image without split_repo): the first '/' ends the
	// host part, the first '@' starts the digest, the first ':' of the rest starts the tag
	std::string host, rest = image;
	size_t slash = image.find('/');
	if (slash != std::string::npos) {
		host = image.substr(0, slash + 1);
		rest = image.substr(slash + 1);
	}
	std::string nametag = rest;
	digest.clear();
	size_t at = rest.find('@');
	if (at != std::string::npos) {
		nametag = rest.substr(0, at);
		digest = rest.substr(at + 1);
	}
	size_t colon = nametag.find(':');
	std::string name = colon == std::string::npos ? nametag : nametag.substr(0, colon);
	tag = colon == std::string::npos ? std::string() : nametag.substr(colon + 1);
	repo = host + name;
}

namespace
{

// upstream's normalize_arg(): pairs of surrounding quotes go
std::string unquote(std::string s)
{
	while (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
		s.pop_back();
		s.erase(0, 1);
	}
	return s;
}

bool exec_probe(const json::value *probe, int type, info &c)
{
	const json::value *cmd = probe ? probe->at({ "exec", "command" }) : nullptr;
	if (!cmd || !cmd->is_array() || cmd->a.empty())
		return false;
	health_probe p;
	p.type = type;
	p.exe = unquote(cmd->a[0].str());
	for (size_t k = 1; k < cmd->a.size(); k++)
		p.args.push_back(unquote(cmd->a[k].str()));
	c.probes.push_back(std::move(p));
	return true;
}

} // namespace

bool parse_k8s_probes(const std::string &pod_json, const std::string &container_name, info &c)
{
	json::value pod;
	if (pod_json.empty() || !json::parse(pod_json, pod))
		return false;
	const json::value *ctrs = pod.at({ "spec", "containers" });
	if (!ctrs || !ctrs->is_array() || ctrs->a.empty())
		return false;
	// the container of that name (upstream took the first one)
	const json::value *spec = &ctrs->a[0];
	for (const json::value &x : ctrs->a)
		if (!container_name.empty() && json::get_str(&x, "name") == container_name)
			spec = &x;
	bool added = exec_probe(spec->get("livenessProbe"), PT_LIVENESS_PROBE, c);
	added = exec_probe(spec->get("readinessProbe"), PT_READINESS_PROBE, c) || added;
	return added;
}

void parse_probes(const json::value *config, const std::map<std::string, std::string> &labels, info &c)
{
	// a Kubernetes pod's liveness/readiness probes: kubectl's last applied configuration, as a
	// label (dockershim gave annotations as "annotation."-prefixed labels) or an annotation
	static const char *const keys[] = { "annotation.kubectl.kubernetes.io/last-applied-configuration",
					    "kubectl.kubernetes.io/last-applied-configuration" };
	std::string cname;
	if (auto it = labels.find("io.kubernetes.container.name"); it != labels.end())
		cname = it->second;
	for (const char *k : keys)
		if (auto it = labels.find(k); it != labels.end() && parse_k8s_probes(it->second, cname, c))
			return; // upstream: a health check counts only without liveness/readiness probes
	const json::value *test = config ? config->at({ "Healthcheck", "Test" }) : nullptr;
	if (!test || !test->is_array() || test->a.size() < 2)
		return; // none, or ["NONE"]: disabled
	std::string kind = test->a[0].str();
	health_probe p;
	p.type = PT_HEALTHCHECK;
	if (kind == "CMD") {
		p.exe = unquote(test->a[1].str());
		for (size_t k = 2; k < test->a.size(); k++)
			p.args.push_back(unquote(test->a[k].str()));
	} else if (kind == "CMD-SHELL") {
		p.exe = "/bin/sh";
		p.args = { "-c", test->a[1].str() };
	} else {
		return;
	}
	c.probes.push_back(std::move(p));
}

} // namespace sinsp::ctr
