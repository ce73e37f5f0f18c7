// SPDX-License-Identifier: Apache-2.0
// Container ids in cgroup paths: the layouts of docker (cgroupfs and systemd drivers), podman
// (libpod-<id>, rootful and rootless), CRI-O, containerd (CRI plugin, systemd or not; ctr's
// namespaces), Kubernetes' kubepods hierarchy (k3s included), lxc and libvirt-lxc, as upstream's
// matchers have them (docs/upstream-facts.md §8.5, docs/containers.md).
#include <cstring>
#include <string>

#include "state.h"

namespace sinsp
{

namespace
{

bool hex64(const std::string &s)
{
	if (s.size() != 64)
		return false;
	for (char c : s)
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	return true;
}

bool ends_with(const std::string &s, const char *suffix)
{
	size_t n = strlen(suffix);
	return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// The path segment (up to the next '/') after the last occurrence of prefix.
bool segment_after(const std::string &path, const char *prefix, std::string &seg)
{
	size_t pos = path.rfind(prefix);
	if (pos == std::string::npos)
		return false;
	size_t start = pos + strlen(prefix);
	size_t end = path.find('/', start);
	seg = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
	return true;
}

// A name-like id (lxc, libvirt-lxc, containerd namespaces): no empty, no '/'.
bool name_ok(const std::string &s)
{
	return !s.empty() && s.size() <= 253 && s.find('/') == std::string::npos;
}

} // namespace

bool container_from_cgroup_full(const std::string &path, std::string &id, std::string &runtime)
{
	struct layout {
		const char *prefix, *suffix, *runtime;
	};
	// <prefix><64 hex ids><suffix>, in upstream's order of engines (podman, docker, CRI)
	static const layout layouts[] = {
		{ "/libpod-", ".scope", "podman" },		// podman, systemd (rootless too: .scope/container)
		{ "/libpod-", "", "podman" },			// podman, cgroupfs
		{ "/docker-", ".scope", "docker" },		// docker, systemd driver (also cri-dockerd)
		{ "/docker/", "", "docker" },			// docker, cgroupfs driver
		{ "/crio-", ".scope", "cri-o" },		// CRI-O, systemd
		{ "/crio-", "", "cri-o" },			// CRI-O, cgroupfs
		{ "/cri-containerd-", ".scope", "containerd" }, // containerd's CRI plugin, systemd
		{ ":cri-containerd:", "", "containerd" },	// containerd without SystemdCgroup = true
	};
	std::string seg;
	for (const layout &l : layouts) {
		if (!segment_after(path, l.prefix, seg))
			continue;
		size_t sl = strlen(l.suffix);
		if (sl) {
			if (!ends_with(seg, l.suffix))
				continue;
			seg.resize(seg.size() - sl);
		}
		if (!hex64(seg))
			continue;
		id = seg;
		runtime = l.runtime;
		return true;
	}
	// lxc: /lxc/<name>, /lxc.payload/<name> (systemd), /lxc.payload.<name> (lxc 4.0)
	for (const char *p : { "/lxc.payload/", "/lxc.payload.", "/lxc/" }) {
		if (path.find(p) == std::string::npos)
			continue;
		size_t start = path.find(p) + strlen(p);
		size_t end = path.find('/', start);
		std::string name = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
		if (name_ok(name)) {
			id = name;
			runtime = "lxc";
			return true;
		}
	}
	// libvirt-lxc: /<name>.libvirt-lxc, machine-lxc\x2d<name>.scope (systemd), /libvirt/lxc/<name>
	if (ends_with(path, ".libvirt-lxc")) {
		size_t slash = path.rfind('/');
		std::string name = path.substr(slash + 1, path.size() - slash - 1 - strlen(".libvirt-lxc"));
		if (name_ok(name)) {
			id = name;
			runtime = "libvirt-lxc";
			return true;
		}
	}
	if (size_t p = path.find("-lxc\\x2d"); p != std::string::npos) {
		const char *delim = path.find(".scope/libvirt") != std::string::npos ? ".scope/libvirt" : ".scope";
		size_t q = path.find(delim, p);
		if (q != std::string::npos && q + strlen(delim) == path.size()) {
			size_t start = p + strlen("-lxc\\x2d");
			std::string name = path.substr(start, q - start);
			if (name_ok(name)) {
				id = name;
				runtime = "libvirt-lxc";
				return true;
			}
		}
	}
	if (size_t p = path.find("/libvirt/lxc/"); p != std::string::npos) {
		std::string name = path.substr(p + strlen("/libvirt/lxc/"));
		if (name_ok(name)) {
			id = name;
			runtime = "libvirt-lxc";
			return true;
		}
	}
	// a bare 64-hex last segment: Kubernetes' kubepods hierarchy with cgroupfs (dockershim,
	// containerd, k3s), or a containerd namespace (/<namespace>/<id>)
	size_t last = path.rfind('/');
	if (last != std::string::npos && hex64(path.substr(last + 1))) {
		id = path.substr(last + 1);
		runtime = path.find("kubepods") != std::string::npos ? "docker" : "containerd";
		return true;
	}
	// containerd's default namespace with a name as id (ctr run ... mycontainer)
	if (segment_after(path, "/default/", seg) && path.compare(path.size() - seg.size(), seg.size(), seg) == 0 &&
	    name_ok(seg) && seg.size() <= 64 && !ends_with(seg, ".service") && !ends_with(seg, ".slice") &&
	    !ends_with(seg, ".scope")) {
		id = seg;
		runtime = "containerd";
		return true;
	}
	return false;
}

} // namespace sinsp
