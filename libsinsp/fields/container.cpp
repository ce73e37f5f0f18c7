// SPDX-License-Identifier: Apache-2.0
// The container and k8s: the container manager's metadata (libsinsp/container/).
#include "fields/registry_impl.h"

namespace sinsp
{
namespace fields_detail
{

void registry_impl::add_container_fields()
{
	[[maybe_unused]] const uint32_t A = FF_ARG_ALLOWED, R = FF_ARG_REQUIRED, F = FF_FILTER_ONLY, P = FF_PRINT_ONLY,
					D = FF_DEPRECATED, L = FF_LIST;
	using ev [[maybe_unused]] = const event &;
	using bd [[maybe_unused]] = const bound &;

	// ---------------- container ----------------
	// Upstream's container and k8s fields (the container plugin's names and types, docs/containers.md):
	// the id and type from the cgroups, the rest from the runtimes' metadata (sinsp/container.h).
	// A host process reads "host" in container.id, .full_id, .name and .type, nothing elsewhere; a
	// container whose metadata is not known (yet) has its id and the cgroup layout's type only.
	const char *CT = "container";
	add("container.id", ftype::STRING, 0, CT, "container id (12 chars) or 'host'", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && !t->incomplete && S(o, t->container_id);
	});
	add("container.full_id", ftype::STRING, 0, CT, "the whole container id ('host' on the host)",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c;
		    threadinfo *t = TI(e);
		    if (t && !t->incomplete && t->container_id == "host")
			    return S(o, "host");
		    return (c = CINFO(e)) && NS(o, c->full_id);
	    });
	add("container.name", ftype::STRING, 0, CT, "container name ('host' on the host)", [](ev e, bd, vals &o) {
		const ctr::info *c;
		threadinfo *t = TI(e);
		if (t && !t->incomplete && t->container_id == "host")
			return S(o, "host");
		return (c = CINFO(e)) && NS(o, c->name);
	});
	add("container.image", ftype::STRING, 0, CT, "container image name (repository:tag)",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::image); });
	add("container.image.id", ftype::STRING, 0, CT, "container image id",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::imageid); });
	add("container.type", ftype::STRING, 0, CT, "container runtime: docker, podman, cri-o, containerd, lxc, ...",
	    [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    if (!t || t->incomplete)
			    return false;
		    if (t->container_id == "host")
			    return S(o, "host");
		    const ctr::info *c = CINFO(e);
		    if (c && *ctr::ctype_name(c->type))
			    return S(o, ctr::ctype_name(c->type));
		    return !t->container_runtime.empty() && S(o, t->container_runtime);
	    });
	add("container.privileged", ftype::BOOL, 0, CT, "true for a privileged container", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && B(o, c->privileged);
	});
	add("container.mounts", ftype::STRING, 0, CT, "mounts, comma-separated source:dest:mode:rdwr:propagation",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c = CINFO(e);
		    if (!c)
			    return false;
		    std::string s;
		    for (size_t i = 0; i < c->mounts.size(); i++)
			    s += (i ? "," : "") + c->mounts[i].str();
		    return S(o, s);
	    });
	add("container.mount", ftype::STRING, R, CT,
	    "one mount by index or source glob: source:dest:mode:rdwr:propagation", [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->str());
	    });
	add("container.mount.source", ftype::STRING, R, CT, "a mount's source, by index or destination glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, true);
		    return m && S(o, m->source);
	    });
	add("container.mount.dest", ftype::STRING, R, CT, "a mount's destination, by index or source glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->dest);
	    });
	add("container.mount.mode", ftype::STRING, R, CT, "a mount's mode, by index or source glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->mode);
	    });
	add("container.mount.rdwr", ftype::STRING, R, CT, "a mount's rdwr (true/false), by index or source glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->rdwr ? "true" : "false");
	    });
	add("container.mount.propagation", ftype::STRING, R, CT, "a mount's propagation, by index or source glob",
	    [](ev e, bd b, vals &o) {
		    const ctr::mount_info *m = CMOUNT(e, b, false);
		    return m && S(o, m->propagation);
	    });
	add("container.image.repository", ftype::STRING, 0, CT, "container image repository",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::imagerepo); });
	add("container.image.tag", ftype::STRING, 0, CT, "container image tag",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::imagetag); });
	add("container.image.digest", ftype::STRING, 0, CT, "container image registry digest",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::imagedigest); });
	auto probe = [](int type) {
		return [type](ev e, bd, vals &o) {
			const ctr::info *c = CINFO(e);
			if (!c)
				return false;
			const ctr::health_probe *p = c->probe_of_type(type);
			return S(o, p ? p->cmdline() : std::string("NONE"));
		};
	};
	add("container.healthcheck", ftype::STRING, 0, CT, "the health check's command line, NONE without one",
	    probe(ctr::PT_HEALTHCHECK));
	add("container.liveness_probe", ftype::STRING, 0, CT, "the liveness probe's command line, NONE without one",
	    probe(ctr::PT_LIVENESS_PROBE));
	add("container.readiness_probe", ftype::STRING, 0, CT, "the readiness probe's command line, NONE without one",
	    probe(ctr::PT_READINESS_PROBE));
	add("container.start_ts", ftype::ABSTIME, 0, CT,
	    "container start: proc.pidns_init_start_ts (ns since the epoch)", [](ev e, bd, vals &o) {
		    threadinfo *t = TI(e);
		    return t && t->container_id != "host" && t->pidns_init_start_ts &&
			   U64(o, t->pidns_init_start_ts, ftype::ABSTIME);
	    });
	add("container.duration", ftype::RELTIME, 0, CT, "ns since container.start_ts", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && t->container_id != "host" && t->pidns_init_start_ts && e.ts() >= t->pidns_init_start_ts &&
		       U64(o, e.ts() - t->pidns_init_start_ts, ftype::RELTIME);
	});
	add("container.ip", ftype::STRING, 0, CT, "the container's primary IPv4 address",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::ip); });
	add("container.cni.json", ftype::STRING, 0, CT, "the pod's CNI result (CRI runtimes), JSON",
	    [](ev e, bd, vals &o) { return CSTR(e, o, &ctr::info::cni_json); });
	add("container.host_pid", ftype::BOOL, 0, CT, "true in the host's PID namespace", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && B(o, c->host_pid);
	});
	add("container.host_network", ftype::BOOL, 0, CT, "true in the host's network namespace",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c = CINFO(e);
		    return c && B(o, c->host_network);
	    });
	add("container.host_ipc", ftype::BOOL, 0, CT, "true in the host's IPC namespace", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && B(o, c->host_ipc);
	});
	add("container.label", ftype::STRING, R, CT, "a container label (container.label[KEY], container.label.KEY)",
	    [](ev e, bd b, vals &o) {
		    const ctr::info *c = CINFO(e);
		    const std::string *v = c ? c->label(b.arg) : nullptr;
		    return v && S(o, *v);
	    });
	add("container.labels", ftype::STRING, 0, CT, "the container's labels, key:value, comma-separated",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c = CINFO(e);
		    return c && S(o, CLABELS(c->labels));
	    });
	auto category = [](uint8_t cat) {
		return [cat](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			return t && B(o, t->container_category == cat);
		};
	};
	add("proc.is_container_healthcheck", ftype::BOOL, 0, "process", "true in the container's health check",
	    category(ctr::CAT_HEALTHCHECK));
	add("proc.is_container_liveness_probe", ftype::BOOL, 0, "process", "true in the container's liveness probe",
	    category(ctr::CAT_LIVENESS));
	add("proc.is_container_readiness_probe", ftype::BOOL, 0, "process", "true in the container's readiness probe",
	    category(ctr::CAT_READINESS));
	const char *K8S = "k8s";
	auto label_of = [](const char *key) {
		return [key](ev e, bd, vals &o) {
			const ctr::info *c = CINFO(e);
			const std::string *v = c ? c->label(key) : nullptr;
			return v && S(o, *v);
		};
	};
	add("k8s.pod.name", ftype::STRING, 0, K8S, "Kubernetes pod name (the CRI's io.kubernetes.pod.name label)",
	    label_of("io.kubernetes.pod.name"));
	add("k8s.ns.name", ftype::STRING, 0, K8S, "Kubernetes namespace name", label_of("io.kubernetes.pod.namespace"));
	add("k8s.pod.uid", ftype::STRING, 0, K8S, "Kubernetes pod UID", label_of("io.kubernetes.pod.uid"));
	add("k8s.pod.id", ftype::STRING, D, K8S, "legacy name of k8s.pod.uid", label_of("io.kubernetes.pod.uid"));
	add("k8s.pod.sandbox_id", ftype::STRING, 0, K8S, "the pod sandbox id (12 chars)", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && NS(o, c->pod_sandbox_id.substr(0, 12));
	});
	add("k8s.pod.full_sandbox_id", ftype::STRING, 0, K8S, "the whole pod sandbox id", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e);
		return c && NS(o, c->pod_sandbox_id);
	});
	add("k8s.pod.label", ftype::STRING, R, K8S, "a pod label (k8s.pod.label[KEY], k8s.pod.label.KEY)",
	    [](ev e, bd b, vals &o) {
		    const std::map<std::string, std::string> *l = PODLABELS(e);
		    auto it = l ? l->find(b.arg) : std::map<std::string, std::string>::const_iterator();
		    return l && it != l->end() && S(o, it->second);
	    });
	add("k8s.pod.labels", ftype::STRING, 0, K8S, "the pod's labels, key:value, comma-separated",
	    [](ev e, bd, vals &o) {
		    const std::map<std::string, std::string> *l = PODLABELS(e);
		    return l && S(o, CLABELS(*l));
	    });
	add("k8s.pod.ip", ftype::STRING, 0, K8S, "the pod's IPv4 address", [](ev e, bd, vals &o) {
		const ctr::info *c = CINFO(e), *sb = c ? SANDBOX(e, c) : nullptr;
		return c && (NS(o, c->ip) || (sb && NS(o, sb->ip)));
	});
	add("k8s.pod.cni.json", ftype::STRING, 0, K8S, "the pod's CNI result (CRI runtimes), JSON",
	    [](ev e, bd, vals &o) {
		    const ctr::info *c = CINFO(e), *sb = c ? SANDBOX(e, c) : nullptr;
		    return c && (NS(o, c->cni_json) || (sb && NS(o, sb->cni_json)));
	    });
}

} // namespace fields_detail
} // namespace sinsp
