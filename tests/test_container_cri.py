"""The CRI client (libsinsp/container/cri.cpp and its HTTP/2 gRPC client, grpc.cpp) against a
fake CRI runtime: grpcio serving tests/data/containers/cri_subset.proto (compiled here with
grpcio-tools) on a unix socket, answering as containerd and CRI-O do (verbose info JSON, the pod
sandbox's metadata): every container.* and k8s.* field, NotFound, a runtime that is down or slow,
and the GetContainerEvents stream."""

import importlib
import json
import queue
import sys
import time
from concurrent import futures

import pytest
from container_fakes import full_id, wait_until
from test_sinsp_lib import clone_x, libs, openat_x

from conftest import DATA, require
from pyscap import capture
from pyscap.containers import ContainerOptions

PROTO = DATA / "containers" / "cri_subset.proto"
CTR = full_id("c0ffee000001")
SANDBOX = full_id("5a0d00000001")
PAUSE = full_id("5a0d00000002")  # a sandbox looked up as a container (its pause process)


@pytest.fixture(scope="module")
def cri_pb(tmp_path_factory):
    try:
        import grpc  # noqa: F401
        from grpc_tools import protoc
    except ImportError:
        require(False, "grpcio and grpcio-tools are not installed (requirements-dev.txt)")
    out = tmp_path_factory.mktemp("cri_pb")
    rc = protoc.main(["protoc", f"-I{PROTO.parent}", f"--python_out={out}", f"--grpc_python_out={out}", str(PROTO)])
    assert rc == 0
    sys.path.insert(0, str(out))
    try:
        pb = importlib.import_module("cri_subset_pb2")
        pbg = importlib.import_module("cri_subset_pb2_grpc")
    finally:
        sys.path.remove(str(out))
    return pb, pbg


@pytest.fixture(autouse=True)
def _lib(build_dir):
    libs()


CONTAINERD_INFO = {
    "sandboxID": SANDBOX,
    "pid": 4242,
    "runtimeSpec": {"annotations": {"io.kubernetes.cri.image-name": "docker.io/library/redis:7.2"}},
    "config": {
        "image": {"image": "sha256:" + "b" * 64},
        "linux": {"security_context": {"privileged": True, "run_as_user": {"value": "999"}}},
    },
}
POD_INFO = {
    "cniResult": {
        "Interfaces": {"eth0": {"IPConfigs": [{"IP": "10.42.0.9", "Gateway": "10.42.0.1"}]}},
        "DNS": [{}, {}],
    }
}
LAST_APPLIED = json.dumps(
    {
        "spec": {
            "containers": [
                {
                    "name": "redis",
                    "livenessProbe": {"exec": {"command": ["redis-cli", "ping"]}},
                    "readinessProbe": {"exec": {"command": ["/bin/sh", "-c", "'test -f /ready'"]}},
                }
            ]
        }
    }
)


class FakeCri:
    def __init__(self, pb, pbg, path, runtime="containerd"):
        import grpc

        self.pb, self.path, self.runtime = pb, path, runtime
        self.calls: list[str] = []
        self.delay = 0.0
        self.events: queue.Queue = queue.Queue()
        self.streams = 0
        fake = self

        class Servicer(pbg.RuntimeServiceServicer):
            def Version(self, req, ctx):
                fake.calls.append("Version")
                return pb.VersionResponse(
                    version="0.1.0", runtime_name=fake.runtime, runtime_version="1.7", runtime_api_version="v1"
                )

            def ListContainers(self, req, ctx):
                fake.calls.append("ListContainers:" + req.filter.id)
                time.sleep(fake.delay)
                if req.filter.id and not CTR.startswith(req.filter.id):
                    return pb.ListContainersResponse()
                return pb.ListContainersResponse(
                    containers=[
                        pb.Container(id=CTR, pod_sandbox_id=SANDBOX, metadata=pb.ContainerMetadata(name="redis"))
                    ]
                )

            def ContainerStatus(self, req, ctx):
                fake.calls.append("ContainerStatus:" + req.container_id)
                st = pb.ContainerStatus(
                    id=CTR,
                    metadata=pb.ContainerMetadata(name="redis", attempt=0),
                    state=pb.CONTAINER_RUNNING,
                    created_at=1700000000123456789,
                    image=pb.ImageSpec(image="docker.io/library/redis:7.2"),
                    image_ref="docker.io/library/redis@sha256:" + "d" * 64,
                    labels={
                        "io.kubernetes.container.name": "redis",
                        "io.kubernetes.pod.name": "cache-0",
                        "io.kubernetes.pod.namespace": "data",
                        "io.kubernetes.pod.uid": "9b1d-uid",
                        "tier": "cache",
                    },
                    annotations={"io.kubernetes.container.restartCount": "0"},
                    mounts=[
                        pb.Mount(container_path="/data", host_path="/var/lib/redis", readonly=False, propagation=0),
                        pb.Mount(container_path="/etc/cfg", host_path="/srv/cfg", readonly=True, propagation=1),
                    ],
                    resources=pb.ContainerResources(
                        linux=pb.LinuxContainerResources(
                            cpu_period=100000, cpu_quota=50000, cpu_shares=256, memory_limit_in_bytes=1 << 30
                        )
                    ),
                )
                if fake.runtime == "cri-o":
                    info = {"privileged": False, "runtimeSpec": {"annotations": {}}}
                else:
                    info = CONTAINERD_INFO
                return pb.ContainerStatusResponse(status=st, info={"info": json.dumps(info)})

            def PodSandboxStatus(self, req, ctx):
                import grpc

                fake.calls.append("PodSandboxStatus:" + req.pod_sandbox_id)
                if req.pod_sandbox_id not in (SANDBOX, PAUSE):
                    ctx.abort(grpc.StatusCode.NOT_FOUND, "no such sandbox")
                st = pb.PodSandboxStatus(
                    id=req.pod_sandbox_id,
                    metadata=pb.PodSandboxMetadata(name="cache-0", uid="9b1d-uid", namespace="data", attempt=0),
                    state=pb.SANDBOX_READY,
                    created_at=1700000000000000000,
                    network=pb.PodSandboxNetworkStatus(ip="10.42.0.9"),
                    linux=pb.LinuxPodSandboxStatus(
                        namespaces=pb.Namespace(options=pb.NamespaceOption(network=pb.POD, pid=pb.NODE, ipc=pb.POD))
                    ),
                    labels={"app": "cache", "io.kubernetes.pod.name": "cache-0"},
                    annotations={"kubectl.kubernetes.io/last-applied-configuration": LAST_APPLIED},
                )
                info = (
                    POD_INFO
                    if fake.runtime == "containerd"
                    else {"runtimeSpec": {"annotations": {"io.kubernetes.cri-o.CNIResult": '{"cniVersion":"0.4.0"}'}}}
                )
                return pb.PodSandboxStatusResponse(status=st, info={"info": json.dumps(info)})

            def GetContainerEvents(self, req, ctx):
                fake.streams += 1
                while ctx.is_active():
                    try:
                        ev = fake.events.get(timeout=0.1)
                    except queue.Empty:
                        continue
                    if ev is None:
                        return
                    yield ev

        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        pbg.add_RuntimeServiceServicer_to_server(Servicer(), self.server)
        self.server.add_insecure_port("unix:" + path)
        self.server.start()

    def close(self):
        self.events.put(None)
        self.server.stop(0)


@pytest.fixture
def cri(cri_pb, tmp_path):
    f = FakeCri(*cri_pb, str(tmp_path / "containerd.sock"))
    yield f
    f.close()


def events_in(cgroup, tid=90):
    return (
        clone_x(10, tid, 0, pid=tid, ptid=1, comm="redis-server", cgroups=("cpu=" + cgroup,))
        + openat_x(20, tid, 3, "/data/dump.rdb")
        + openat_x(30, tid, 4, "/etc/cfg/redis.conf")
    )


def looked_up(c, cid):
    it = iter(c)
    t = time.monotonic()
    e = next(it)
    assert time.monotonic() - t < 0.5
    assert e["container.id"] == cid
    assert wait_until(lambda: c.container(cid), 5), c.container_stats()
    return next(it)


CONTAINERD_FIELDS = {
    "container.id": CTR[:12],
    "container.full_id": CTR,
    "container.name": "redis",
    "container.type": "containerd",
    "container.image": "docker.io/library/redis:7.2",
    "container.image.id": "b" * 64,
    "container.image.repository": "docker.io/library/redis",
    "container.image.tag": "7.2",
    "container.image.digest": "sha256:" + "d" * 64,
    "container.privileged": True,
    "container.mounts": "/var/lib/redis:/data::true:private,/srv/cfg:/etc/cfg::false:rslave",
    "container.mount.dest[/srv/cfg]": "/etc/cfg",
    "container.mount.rdwr[1]": "false",
    "container.label[tier]": "cache",
    "container.label[io.kubernetes.pod.name]": "cache-0",
    "container.labels": "tier:cache",
    "container.ip": "10.42.0.9",
    "container.cni.json": '{"Interfaces":{"eth0":{"IPConfigs":[{"IP":"10.42.0.9","Gateway":"10.42.0.1"}]}}}',
    "container.host_pid": True,
    "container.host_network": False,
    "container.host_ipc": False,
    "container.healthcheck": "NONE",
    "container.liveness_probe": "redis-cli ping",
    "container.readiness_probe": "/bin/sh -c test -f /ready",
    "k8s.pod.name": "cache-0",
    "k8s.ns.name": "data",
    "k8s.pod.uid": "9b1d-uid",
    "k8s.pod.sandbox_id": SANDBOX[:12],
    "k8s.pod.full_sandbox_id": SANDBOX,
    "k8s.pod.label[app]": "cache",
    "k8s.pod.labels": "app:cache",
    "k8s.pod.ip": "10.42.0.9",
    "k8s.pod.cni.json": '{"Interfaces":{"eth0":{"IPConfigs":[{"IP":"10.42.0.9","Gateway":"10.42.0.1"}]}}}',
}


@pytest.mark.parametrize(
    "cgroup",
    [
        "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod9b1d.slice/cri-containerd-" + CTR + ".scope",
        "/kubepods/besteffort/pod9b1d/" + CTR,  # k3s and containerd with cgroupfs
    ],
)
def test_containerd_fields(cri, cgroup):
    with capture.open_events(events_in(cgroup), containers=["cri:" + cri.path]) as c:
        e = looked_up(c, CTR[:12])
        got = {f: e[f] for f in CONTAINERD_FIELDS}
        assert got == CONTAINERD_FIELDS
        ct = e.container
        assert (
            ct.user == "999"
            and ct.created_time == 1700000000
            and ct.pod_sandbox_labels
            == {
                "app": "cache",
                "io.kubernetes.pod.name": "cache-0",
            }
        )
        assert (ct.raw["cpu_quota"], ct.raw["cpu_shares"], ct.raw["memory_limit"]) == (50000, 256, 1 << 30)
        st = c.container_stats()
        assert (st.found, st.errors, st.timeouts) == (1, 0, 0)
    assert f"ListContainers:{CTR}" in cri.calls and f"ContainerStatus:{CTR}" in cri.calls
    assert f"PodSandboxStatus:{SANDBOX}" in cri.calls


def test_crio_fields(cri_pb, tmp_path):
    f = FakeCri(*cri_pb, str(tmp_path / "crio.sock"), runtime="cri-o")
    try:
        cg = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod9b1d.slice/crio-" + CTR + ".scope"
        with capture.open_events(events_in(cg), containers=["cri:" + f.path]) as c:
            e = looked_up(c, CTR[:12])
            assert (e["container.type"], e["container.privileged"], e["container.cni.json"], e["k8s.pod.name"]) == (
                "cri-o",
                False,
                '{"cniVersion":"0.4.0"}',
                "cache-0",
            )
            # no image id in CRI-O's info: the digest stays, the image name comes from the status
            assert (e["container.image"], e["container.image.digest"]) == (
                "docker.io/library/redis:7.2",
                "sha256:" + "d" * 64,
            )
    finally:
        f.close()


def test_a_pod_sandbox_looked_up_as_a_container(cri):
    cg = "/kubepods/besteffort/pod9b1d/" + PAUSE
    with capture.open_events(events_in(cg, tid=70), containers=["cri:" + cri.path]) as c:
        e = looked_up(c, PAUSE[:12])
        assert (e["container.name"], e["k8s.pod.name"], e["k8s.pod.sandbox_id"], e["k8s.pod.ip"]) == (
            "cache-0",
            "cache-0",
            PAUSE[:12],
            "10.42.0.9",
        )
        assert c.container(PAUSE).is_pod_sandbox


def test_not_found_is_counted(cri):
    other = full_id("dead0000")
    opts = ContainerOptions(endpoints=("cri:" + cri.path,), retry=10, events=False, list=False)
    with capture.open_events(events_in("/kubepods/besteffort/pod1/" + other), containers=opts) as c:
        list(c)
        assert wait_until(lambda: c.container_stats().not_found == 1, 3), c.container_stats()
        assert c.container(other) is None and c.container_stats().errors == 0


def test_runtime_down_and_slow(cri, tmp_path):
    opts = ContainerOptions(endpoints=("cri:" + str(tmp_path / "none.sock"),), retry=10, events=False, list=False)
    with capture.open_events(events_in("/kubepods/besteffort/pod1/" + CTR), containers=opts) as c:
        t = time.monotonic()
        assert len(list(c)) == 3
        assert time.monotonic() - t < 0.5
        assert wait_until(lambda: c.container_stats().errors == 1, 3)
    cri.delay = 1.0
    opts = ContainerOptions(endpoints=("cri:" + cri.path,), timeout=0.3, retry=0.05, events=False, list=False)
    with capture.open_events(events_in("/kubepods/besteffort/pod1/" + CTR), containers=opts) as c:
        it = iter(c)
        t = time.monotonic()
        e = next(it)
        assert e["container.name"] is None
        assert wait_until(lambda: c.container_stats().timeouts >= 1, 3)
        e = next(it)
        assert time.monotonic() - t < 2 and e["container.name"] is None
        cri.delay = 0.0
        assert wait_until(lambda: c.container(CTR), 5), c.container_stats()
        assert next(it)["container.name"] == "redis"


def test_container_events_stream(cri):
    pb = cri.pb
    opts = ContainerOptions(endpoints=("cri:" + cri.path,), list=False)
    with capture.open_events(events_in("/kubepods/besteffort/pod1/" + CTR), containers=opts) as c:
        assert wait_until(lambda: c.container_stats().streams == 1 and cri.streams == 1)
        cri.events.put(pb.ContainerEventResponse(container_id=CTR, container_event_type=pb.CONTAINER_CREATED_EVENT))
        assert wait_until(lambda: c.container(CTR))
        assert next(iter(c))["container.name"] == "redis"  # known before its first event
        st = c.container_stats()
        assert st.runtime_events == 1 and st.lookups == 1
        # a removed container stays known for a grace period (its last events still need it)
        cri.events.put(pb.ContainerEventResponse(container_id=CTR, container_event_type=pb.CONTAINER_DELETED_EVENT))
        assert wait_until(lambda: c.container_stats().runtime_events == 2)
        assert c.container(CTR) is not None


def test_the_list_at_start(cri):
    opts = ContainerOptions(endpoints=("cri:" + cri.path,), events=False)
    with capture.open_events(events_in("/kubepods/besteffort/pod1/" + CTR), containers=opts) as c:
        assert wait_until(lambda: c.container(CTR))
        assert "ListContainers:" in cri.calls  # the unfiltered list


def test_several_runtimes_at_once(cri, tmp_path):
    """A Bottlerocket-style host: containerd for the pods and another runtime beside it; the
    cgroup layout says which runtime to ask."""
    from container_fakes import FakeDocker, docker_image, docker_inspect

    d = FakeDocker(str(tmp_path / "docker.sock"))
    did = full_id("d0c4e7")
    d.routes[f"/containers/{did}/json"] = (200, docker_inspect(did))
    d.routes[f"/images/sha256%3A{'e' * 64}/json"] = (200, docker_image())
    try:
        ev = events_in("/kubepods.slice/cri-containerd-" + CTR + ".scope") + events_in(
            "/system.slice/docker-" + did + ".scope", tid=91
        )
        with capture.open_events(ev, containers=["cri:" + cri.path, "docker:" + d.path]) as c:
            assert len(list(c)) == 6
            assert wait_until(lambda: c.container(CTR) and c.container(did))
            assert (c.container(CTR).type, c.container(did).type) == ("containerd", "docker")
            st = c.container_stats()
            assert st.endpoints == 2 and st.found == 2
        # the CRI was not asked about docker's container (its layout is docker's systemd one)
        assert not any(did in call for call in cri.calls)
    finally:
        d.close()
