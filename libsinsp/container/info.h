// SPDX-License-Identifier: Apache-2.0
// One container's metadata, as the runtimes report it, and its JSON form: upstream's container
// event ({"container":{...}}, the `container` meta event of docs/events.md) that .scap files carry.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "container/json.h"

namespace sinsp::ctr
{

// Upstream's container types (the "type" member of the container JSON).
enum ctype : int {
	CT_DOCKER = 0,
	CT_LXC = 1,
	CT_LIBVIRT_LXC = 2,
	CT_MESOS = 3,
	CT_RKT = 4,
	CT_CUSTOM = 5,
	CT_CRI = 6,
	CT_CONTAINERD = 7,
	CT_CRIO = 8,
	CT_BPM = 9,
	CT_STATIC = 10,
	CT_PODMAN = 11,
	CT_UNKNOWN = 0xffff,
};
// "docker", "cri-o", ... as container.type shows them ("" for an unknown type).
const char *ctype_name(int t);
// The type of a runtime name ("docker", "podman", "containerd", "cri-o", "cri", "lxc", ...).
int ctype_of(const std::string &name);

struct mount_info {
	std::string source, dest, mode;
	bool rdwr = false;
	std::string propagation;
	// upstream's "source:dest:mode:rdwr:propagation"
	std::string str() const;
};

// A health check (docker/podman) or a Kubernetes liveness/readiness probe: the command a probe
// process runs.
enum probe_type : int { PT_NONE = 0, PT_HEALTHCHECK = 1, PT_LIVENESS_PROBE = 2, PT_READINESS_PROBE = 3 };
struct health_probe {
	int type = PT_NONE;
	std::string exe;
	std::vector<std::string> args;
	std::string cmdline() const; // exe and args, space-separated
};

struct info {
	std::string id; // 12 characters (or the whole id when shorter, e.g. lxc names)
	std::string full_id;
	int type = CT_UNKNOWN;
	std::string name, image, imageid, imagerepo, imagetag, imagedigest;
	std::string user;
	bool privileged = false;
	bool host_pid = false, host_network = false, host_ipc = false;
	bool is_pod_sandbox = false;
	std::vector<mount_info> mounts;
	std::map<std::string, std::string> labels;
	std::string ip; // the primary IPv4 address ("" if none)
	std::string cni_json;
	std::string pod_sandbox_id;
	std::map<std::string, std::string> pod_sandbox_labels;
	std::vector<health_probe> probes;
	int64_t created_time = 0; // seconds since the epoch
	int64_t memory_limit = 0, swap_limit = 0, cpu_shares = 1024, cpu_quota = 0, cpu_period = 100000;
	int64_t cpuset_cpu_count = 0;

	// The container event JSON (upstream's member names).
	std::string to_json() const;
	// Read one ({"container":{...}}, or the inner object); false if it is not one.
	static bool from_json(std::string_view text, info &out);

	const mount_info *mount_by_index(uint64_t i) const;
	// The first mount whose source (by_dest: destination) matches the glob.
	const mount_info *mount_by_glob(const std::string &glob, bool by_dest) const;
	// The probe whose command is exe + args, or nullptr.
	const health_probe *probe_for(const std::string &exe, const std::vector<std::string> &args) const;
	const health_probe *probe_of_type(int type) const;
	// A label's value (nullptr when absent).
	const std::string *label(const std::string &key) const;
};

using info_ptr = std::shared_ptr<const info>;

// Upstream's split of an image reference: [host[:port]/]name[:tag][@digest]; repo is host/name.
void split_image(const std::string &image, std::string &repo, std::string &tag, std::string &digest);

// Health probes from a Docker Engine / libpod container config (Config.Healthcheck, and the
// liveness/readiness probes of the pod spec in a kubectl last-applied-configuration label).
void parse_probes(const json::value *config, const std::map<std::string, std::string> &labels, info &c);
// Liveness/readiness probes from a pod spec (the kubectl last-applied-configuration JSON).
bool parse_k8s_probes(const std::string &pod_json, const std::string &container_name, info &c);

} // namespace sinsp::ctr
