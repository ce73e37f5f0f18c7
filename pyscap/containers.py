"""Container and Kubernetes metadata (libsinsp's container manager, sinsp/container.h).

Every event's thread has its container id from its cgroups at no cost (`container.id`). The rest
comes from the container runtimes when a capture is opened with `containers=`:

    open_live(containers=True)                              # the default sockets that exist
    open_live(containers=["podman:/run/podman/podman.sock"]) # KIND:PATH, several at once
    open_live(containers=ContainerOptions(endpoints=[...], timeout=0.5))

KIND is `docker` (the Docker Engine API: docker, or podman's compatible socket), `podman` (the
libpod API) or `cri` (the CRI gRPC API: containerd, CRI-O, k3s). Lookups run in libsinsp's worker
threads and never hold up the events: `evt.container` is None (and `container.name` missing)
until the runtime has answered. Capture files carry the metadata (upstream's container events),
so `open_file()` gives the same `Container` objects back.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._capi import CData

# upstream's container types (the "type" member of the container event JSON)
_TYPES = {
    0: "docker",
    1: "lxc",
    2: "libvirt-lxc",
    3: "mesos",
    4: "rkt",
    5: "custom",
    6: "cri",
    7: "containerd",
    8: "cri-o",
    9: "bpm",
    10: "static",
    11: "podman",
}
KINDS = ("docker", "podman", "cri")


@dataclass(frozen=True)
class Mount:
    """One mount of a container, as container.mount[...] shows it."""

    source: str
    dest: str
    mode: str
    rdwr: bool
    propagation: str

    def __str__(self) -> str:
        return f"{self.source}:{self.dest}:{self.mode}:{'true' if self.rdwr else 'false'}:{self.propagation}"


@dataclass(frozen=True)
class Container:
    """A container's metadata, as its runtime reported it (or a capture file recorded it)."""

    id: str  # 12 characters (lxc: the name)
    full_id: str
    type: str  # "docker", "podman", "containerd", "cri-o", "cri", ...
    name: str
    image: str
    image_id: str
    image_repository: str
    image_tag: str
    image_digest: str
    privileged: bool
    mounts: tuple[Mount, ...]
    labels: Mapping[str, str]
    ip: str  # primary IPv4 address, "" if none
    cni_json: str
    user: str
    host_pid: bool
    host_network: bool
    host_ipc: bool
    is_pod_sandbox: bool
    created_time: int  # seconds since the epoch
    pod_sandbox_id: str
    pod_sandbox_labels: Mapping[str, str]
    healthcheck: str | None  # the probe's command line, None without one
    liveness_probe: str | None
    readiness_probe: str | None
    raw: Mapping[str, Any] = field(repr=False, compare=False)  # the container event's JSON object

    @property
    def k8s_pod_name(self) -> str | None:
        return self.labels.get("io.kubernetes.pod.name")

    @property
    def k8s_ns_name(self) -> str | None:
        return self.labels.get("io.kubernetes.pod.namespace")

    @property
    def k8s_pod_uid(self) -> str | None:
        return self.labels.get("io.kubernetes.pod.uid")


def _probe(c: Mapping[str, Any], key: str) -> str | None:
    p = c.get(key)
    if not isinstance(p, dict):
        return None
    return " ".join([str(p.get("exe", ""))] + [str(a) for a in p.get("args") or []])


def parse_container_json(text: str) -> Container:
    """A Container from upstream's container event JSON ({"container": {...}})."""
    doc = json.loads(text)
    c: dict[str, Any] = doc.get("container", doc)
    ip = str(c.get("ip", ""))
    return Container(
        id=str(c.get("id", "")),
        full_id=str(c.get("full_id", "")),
        type=_TYPES.get(int(c.get("type", -1)), ""),
        name=str(c.get("name", "")),
        image=str(c.get("image", "")),
        image_id=str(c.get("imageid", "")),
        image_repository=str(c.get("imagerepo", "")),
        image_tag=str(c.get("imagetag", "")),
        image_digest=str(c.get("imagedigest", "")),
        privileged=bool(c.get("privileged", False)),
        mounts=tuple(
            Mount(
                str(m.get("Source", "")),
                str(m.get("Destination", "")),
                str(m.get("Mode", "")),
                bool(m.get("RW", False)),
                str(m.get("Propagation", "")),
            )
            for m in c.get("Mounts") or []
        ),
        labels=dict(c.get("labels") or {}),
        ip="" if ip == "0.0.0.0" else ip,
        cni_json=str(c.get("cni_json", "")),
        user=str(c.get("User", "")),
        host_pid=bool(c.get("host_pid", False)),
        host_network=bool(c.get("host_network", False)),
        host_ipc=bool(c.get("host_ipc", False)),
        is_pod_sandbox=bool(c.get("is_pod_sandbox", False)),
        created_time=int(c.get("created_time", 0)),
        pod_sandbox_id=str(c.get("pod_sandbox_id", "")),
        pod_sandbox_labels=dict(c.get("pod_sandbox_labels") or {}),
        healthcheck=_probe(c, "Healthcheck"),
        liveness_probe=_probe(c, "LivenessProbe"),
        readiness_probe=_probe(c, "ReadinessProbe"),
        raw=c,
    )


@dataclass(frozen=True)
class ContainerOptions:
    """How libsinsp asks the runtimes (sinsp_container_opts).

    endpoints: "KIND:PATH" strings (KIND docker, podman or cri); empty: the default sockets that
    exist when the capture opens. timeout: seconds for one lookup; ttl: seconds before metadata is
    fetched again; retry: seconds before the first retry of a failed lookup; events: follow the
    runtimes' event streams; list: look up the running containers at start; label_max_len: labels
    with longer values are left out (upstream's 100)."""

    endpoints: Sequence[str] = ()
    timeout: float = 2.0
    ttl: float = 600.0
    retry: float = 1.0
    events: bool = True
    list: bool = True
    label_max_len: int = 100


ContainersArg = bool | Iterable[str] | ContainerOptions | None


def options_of(arg: ContainersArg) -> ContainerOptions | None:
    """The ContainerOptions that open_live(containers=...) means (None: the id only)."""
    if arg is None or arg is False:
        return None
    if arg is True:
        return ContainerOptions()
    if isinstance(arg, ContainerOptions):
        opts = arg
    elif isinstance(arg, str):
        opts = ContainerOptions(endpoints=(arg,))
    else:
        opts = ContainerOptions(endpoints=tuple(arg))
    for ep in opts.endpoints:
        kind, sep, path = ep.partition(":")
        if not sep or not path or kind not in KINDS + ("containerd", "crio", "cri-o"):
            raise ValueError(f"container runtime {ep!r}: expected KIND:PATH with KIND one of {', '.join(KINDS)}")
    return opts


@dataclass(frozen=True)
class ContainerStats:
    """The container manager's counters (sinsp_container_stats)."""

    containers: int  # with metadata in the cache now
    lookups: int  # asked of a runtime
    found: int
    not_found: int
    timeouts: int  # not answered within the timeout
    errors: int  # socket missing or refused, bad answer
    runtime_events: int  # read from the runtimes' event streams
    pending: int  # lookups under way
    expired: int  # cache entries dropped
    file_events: int  # container events read from a capture file
    endpoints: int  # runtime sockets in use
    streams: int  # event streams connected now


def stats_of(st: CData) -> ContainerStats:
    return ContainerStats(
        st.n_containers,
        st.n_lookups,
        st.n_found,
        st.n_not_found,
        st.n_timeouts,
        st.n_errors,
        st.n_runtime_events,
        st.n_pending,
        st.n_expired,
        st.n_file_events,
        st.n_endpoints,
        st.n_streams,
    )
