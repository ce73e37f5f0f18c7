"""Container metadata (libsinsp/container/, docs/containers.md): the container ids of every
runtime's cgroup layout, and the Docker Engine and libpod API clients against a fake runtime on a
unix socket: every container.* and k8s.* field, runtimes that are down, slow or answer garbage
(counted, never a stall), the event stream, capture files that carry the metadata, and the CLI's
-pc / -pk lines."""

import json
import os
import subprocess
import sys
import time

import pytest
from container_fakes import FakeDocker, docker_image, docker_inspect, full_id, wait_until
from test_sinsp_lib import clone_x, encode, execve_x, libs, nul, openat_x

from conftest import ROOT, require, run
from pyscap import _native, capture
from pyscap.containers import ContainerOptions, parse_container_json

FULL = full_id("0123456789ab")
CID = FULL[:12]


@pytest.fixture(autouse=True)
def _lib(build_dir):
    libs()


@pytest.fixture
def docker(tmp_path):
    d = FakeDocker(str(tmp_path / "docker.sock"))
    d.routes[f"/containers/{FULL}/json"] = (200, docker_inspect(FULL))
    d.routes[f"/images/sha256%3A{'e' * 64}/json"] = (200, docker_image())
    d.routes["/containers/json"] = (200, [])
    yield d
    d.close()


def cgroup_id(path):
    ffi, s = _native.ffi, _native.sinsp
    idb, rt = ffi.new("char[300]"), ffi.new("char[32]")
    assert s.sinsp_container_from_cgroup(path.encode(), idb, 300, rt, 32) == 0
    return ffi.string(idb).decode(), ffi.string(rt).decode()


H = "9f" * 32  # a 64-hex id


@pytest.mark.parametrize(
    "path,cid,runtime",
    [
        # docker: cgroupfs driver, systemd driver, docker in docker (the innermost)
        ("/docker/" + H, H[:12], "docker"),
        ("/system.slice/docker-" + H + ".scope", H[:12], "docker"),
        ("/docker/" + "1" * 64 + "/docker/" + H, H[:12], "docker"),
        # podman: systemd (rootful, rootless), cgroupfs
        ("/machine.slice/libpod-" + H + ".scope", H[:12], "podman"),
        (
            "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + H + ".scope/container",
            H[:12],
            "podman",
        ),
        ("/libpod_parent/libpod-" + H, H[:12], "podman"),
        # containerd's CRI plugin: systemd, and without SystemdCgroup; ctr's namespaces
        (
            "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-" + H + ".scope",
            H[:12],
            "containerd",
        ),
        ("/system.slice/containerd.service/kubepods-burstable-pod2.slice:cri-containerd:" + H, H[:12], "containerd"),
        ("/default/" + H, H[:12], "containerd"),
        ("/default/redis-1", "redis-1", "containerd"),
        # CRI-O: systemd, cgroupfs
        (
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3.slice/crio-" + H + ".scope",
            H[:12],
            "cri-o",
        ),
        ("/kubepods/burstable/pod3/crio-" + H, H[:12], "cri-o"),
        # Kubernetes with cgroupfs (dockershim, containerd, k3s's default): the bare id
        ("/kubepods/besteffort/pod4a2b/" + H, H[:12], "docker"),
        ("/kubepods/pod4a2b/" + H, H[:12], "docker"),
        # k3s with the systemd driver
        ("/kubepods.slice/kubepods-pod5.slice/cri-containerd-" + H + ".scope", H[:12], "containerd"),
        # lxc (3.x, 4.x, systemd), libvirt-lxc
        ("/lxc/web01", "web01", "lxc"),
        ("/lxc.payload.web02", "web02", "lxc"),
        ("/lxc.payload/web03/init.scope", "web03", "lxc"),
        ("/machine.slice/machine-lxc\\x2dguest1.scope", "guest1", "libvirt-lxc"),
        ("/guest2.libvirt-lxc", "guest2", "libvirt-lxc"),
        # the host, and near misses
        ("/", "", ""),
        ("/user.slice/user-1000.slice/session-2.scope", "", ""),
        ("/system.slice/docker.service", "", ""),
        ("/docker/" + H[:63], "", ""),
        ("/docker/" + H[:63] + "g", "", ""),
        ("/system.slice/docker-" + H + ".service", "", ""),
        ("/default/foo.service", "", ""),
    ],
)
def test_cgroup_layouts(path, cid, runtime):
    assert cgroup_id(path) == (cid, runtime)


def test_cgroup_layout_gives_the_thread_its_id_and_type_without_lookups():
    ev = clone_x(
        10, 90, 0, pid=90, ptid=1, comm="app", cgroups=("cpuset=/", "cpu=/machine.slice/libpod-" + H + ".scope")
    )
    with capture.open_events(ev) as c:
        e = next(iter(c))
        assert (e["container.id"], e["container.type"], e["container.name"], e["container.image"]) == (
            H[:12],
            "podman",
            None,
            None,
        )
        assert e.container is None
    with capture.open_events(clone_x(10, 91, 0, pid=91, ptid=1, comm="h", cgroups=("cpu=/user.slice",))) as c:
        e = next(iter(c))
        assert [e[f] for f in ("container.id", "container.full_id", "container.name", "container.type")] == ["host"] * 4
        assert e["container.image"] is None and e["k8s.pod.name"] is None


def clone_ns(ts, tid, res, *, pid, ptid, vtid, vpid, pidns_ts, cgroups, comm="runc"):
    """A clone exit event with its pidns_init_start_ts (test_sinsp_lib's clone_x leaves it 0)."""
    fields = (res, "/usr/bin/runc", nul(), tid, pid, ptid, "/", 1024, 0, 0, 0, 0, 0, comm, nul(*cgroups))
    return encode(ts, tid, "CLONE_X", *fields, 0, 0, 0, vtid, vpid, pidns_ts)


def test_container_start_is_its_own_pid_namespace_init():
    """runc's container init: the parent's side of the clone comes first (the host's pid
    namespace), then the child's own side names its new namespace's init: container.start_ts is
    that one, not the host's."""
    cg = ("cpu=/libpod_parent/libpod-" + H,)
    host_init, ctr_init = 1_700_000_000 * 10**9, 1_800_000_000 * 10**9
    ev = (
        clone_ns(10, 50, 60, pid=50, ptid=1, vtid=50, vpid=50, pidns_ts=host_init, cgroups=cg)
        + clone_ns(11, 60, 0, pid=60, ptid=50, vtid=1, vpid=1, pidns_ts=ctr_init, cgroups=cg)
        + openat_x(ctr_init + 5 * 10**9, 60, 3, "/etc/passwd")
    )
    with capture.open_events(ev) as c:
        rows = [(e.tid, e["proc.vpid"], e["container.start_ts"], e["container.duration"]) for e in c]
    assert rows[-1] == (60, 1, ctr_init, 5 * 10**9)


DOCKER_FIELDS = {
    "container.id": CID,
    "container.full_id": FULL,
    "container.name": "web",
    "container.image": "registry.example.com:5000/team/nginx:1.25",
    "container.image.id": "e" * 64,
    "container.image.repository": "registry.example.com:5000/team/nginx",
    "container.image.tag": "1.25",
    "container.image.digest": "sha256:" + "a" * 64,
    "container.type": "docker",
    "container.privileged": True,
    "container.mounts": "/srv/data:/data:rw:true:rprivate,/etc/hosts:/etc/hosts:ro:false:",
    "container.mount[0]": "/srv/data:/data:rw:true:rprivate",
    "container.mount[1]": "/etc/hosts:/etc/hosts:ro:false:",
    "container.mount[/srv/*]": "/srv/data:/data:rw:true:rprivate",
    "container.mount.dest[/srv/data]": "/data",
    "container.mount.source[/data]": "/srv/data",
    "container.mount.mode[1]": "ro",
    "container.mount.rdwr[0]": "true",
    "container.mount.propagation[0]": "rprivate",
    "container.mount[7]": None,
    "container.label[app]": "web",
    "container.label.tier": "front",
    "container.label[long]": None,  # longer than label_max_len
    "container.labels": "app:web, tier:front",
    "container.ip": "172.17.0.2",
    "container.cni.json": None,
    "container.healthcheck": "/bin/check --quick",
    "container.liveness_probe": "NONE",
    "container.readiness_probe": "NONE",
    "container.host_pid": False,
    "container.host_network": False,
    "container.host_ipc": False,
    "k8s.pod.name": None,
    "k8s.ns.name": None,
    "k8s.pod.sandbox_id": None,
}


def container_events(cgroup, tid=90):
    return (
        clone_x(10, tid, 0, pid=tid, ptid=1, comm="nginx", cgroups=("cpu=" + cgroup,))
        + openat_x(20, tid, 3, "/etc/passwd")
        + openat_x(30, tid, 4, "/etc/group")
    )


def first_then_known(c, cid=CID, timeout=5.0):
    """The first event (the container id at once, no metadata yet), then the next one after
    the runtime has answered."""
    it = iter(c)
    t0 = time.monotonic()
    e = next(it)
    assert time.monotonic() - t0 < 0.5
    assert e["container.id"] == cid
    assert wait_until(lambda: c.container(cid), timeout), c.container_stats()
    return next(it)


def test_docker_engine_api_gives_every_field(docker):
    ev = container_events("/docker/" + FULL)
    with capture.open_events(ev, containers=["docker:" + docker.path]) as c:
        it = iter(c)
        e = next(it)
        assert e["container.id"] == CID and e["container.name"] is None  # not answered yet
        assert wait_until(lambda: c.container(CID))
        e = next(it)
        for f, v in DOCKER_FIELDS.items():
            assert e[f] == v, f
        ct = e.container
        assert ct is not None and ct == c.container(FULL)
        assert (ct.name, ct.type, ct.user, ct.created_time, ct.image_tag) == (
            "web",
            "docker",
            "nobody",
            1704164645,
            "1.25",
        )
        assert ct.labels == {"app": "web", "tier": "front"} and ct.healthcheck == "/bin/check --quick"
        assert ct.raw["memory_limit"] == 268435456 and ct.raw["cpu_shares"] == 512 and ct.raw["cpuset_cpu_count"] == 2
        assert e.thread.container == ct
        st = c.container_stats()
        assert (st.lookups, st.found, st.timeouts, st.errors, st.endpoints, st.containers) == (1, 1, 0, 0, 1, 1)
        assert [x.id for x in c.containers()] == [CID]
    # asked by the whole id from the cgroup path, and the image by its id
    assert f"/containers/{FULL}/json" in docker.requests
    assert f"/images/sha256%3A{'e' * 64}/json" in docker.requests


def test_libpod_api_and_podman_type(tmp_path):
    pid = full_id("abcdef012345")
    d = FakeDocker(str(tmp_path / "podman.sock"), libpod_headers=True)
    try:
        d.routes[f"/v4.0.0/libpod/containers/{pid}/json"] = (
            200,
            docker_inspect(
                pid,
                Name="db",
                Image="2a" * 32,
                ImageName="localhost/pyscap-busybox:1.0",
                ImageDigest="sha256:" + "41" * 32,
                Config={"Image": "localhost/pyscap-busybox:1.0", "Labels": {"role": "db"}},
                HostConfig={"Privileged": False, "PidMode": "host", "NetworkMode": "host", "IpcMode": "host"},
                NetworkSettings={"IPAddress": "", "Networks": {"podman": {"IPAddress": "10.88.0.7"}}},
            ),
        )
        ev = container_events("/libpod_parent/libpod-" + pid)
        with capture.open_events(ev, containers=["podman:" + d.path]) as c:
            e = first_then_known(c, pid[:12])
            got = {f: e[f] for f in ("container.name", "container.type", "container.image", "container.image.id")}
            assert got == {
                "container.name": "db",
                "container.type": "podman",
                "container.image": "localhost/pyscap-busybox:1.0",
                "container.image.id": "2a" * 32,
            }
            assert (e["container.image.repository"], e["container.image.tag"], e["container.image.digest"]) == (
                "localhost/pyscap-busybox",
                "1.0",
                "sha256:" + "41" * 32,
            )
            assert (e["container.host_pid"], e["container.host_network"], e["container.host_ipc"]) == (True, True, True)
            assert (e["container.ip"], e["container.label[role]"], e["container.privileged"]) == (
                "10.88.0.7",
                "db",
                False,
            )
        assert f"/v4.0.0/libpod/containers/{pid}/json" in d.requests
        # podman's Docker-compatible socket: the same answer through /containers, typed podman by its headers
        d.routes[f"/containers/{pid}/json"] = (200, docker_inspect(pid, Name="/db"))
        with capture.open_events(
            container_events("/libpod_parent/libpod-" + pid), containers=["docker:" + d.path]
        ) as c:
            e = first_then_known(c, pid[:12])
            assert (e["container.type"], e["container.name"]) == ("podman", "db")
    finally:
        d.close()


def test_dockershim_pod_labels_give_the_k8s_fields(tmp_path):
    """Kubernetes through dockershim / cri-dockerd: the pod is in the io.kubernetes labels, its
    labels on the sandbox (pause) container."""
    d = FakeDocker(str(tmp_path / "docker.sock"))
    sb, app = full_id("5a5a5a5a5a5a"), full_id("6b6b6b6b6b6b")
    k8s = {
        "io.kubernetes.pod.name": "web-7d4b9",
        "io.kubernetes.pod.namespace": "shop",
        "io.kubernetes.pod.uid": "1f2e3d4c-0000-4000-8000-000000000001",
        "io.kubernetes.container.name": "nginx",
    }
    d.routes[f"/containers/{sb}/json"] = (
        200,
        docker_inspect(
            sb,
            Name="/k8s_POD_web-7d4b9_shop_1f2e_0",
            Config={
                "Image": "k8s.gcr.io/pause:3.9",
                "Labels": {**k8s, "io.kubernetes.docker.type": "podsandbox", "app": "web"},
            },
        ),
    )
    d.routes[f"/containers/{app}/json"] = (
        200,
        docker_inspect(
            app,
            Name="/k8s_nginx_web-7d4b9_shop_1f2e_0",
            Config={"Image": "nginx:1.25", "Labels": {**k8s, "io.kubernetes.sandbox.id": sb}},
            HostConfig={"NetworkMode": "container:" + sb},
            NetworkSettings={"IPAddress": ""},
        ),
    )
    try:
        ev = clone_x(
            5, 80, 0, pid=80, ptid=1, comm="pause", cgroups=("cpu=/kubepods/besteffort/pod1f2e/" + sb,)
        ) + container_events("/kubepods/besteffort/pod1f2e/" + app)
        with capture.open_events(ev, containers=["docker:" + d.path]) as c:
            it = iter(c)
            next(it)
            next(it)
            assert wait_until(lambda: c.container(sb) and c.container(app))
            e = next(it)
            assert e["container.id"] == app[:12]
            want = {
                "k8s.pod.name": "web-7d4b9",
                "k8s.ns.name": "shop",
                "k8s.pod.uid": "1f2e3d4c-0000-4000-8000-000000000001",
                "k8s.pod.sandbox_id": sb[:12],
                "k8s.pod.full_sandbox_id": sb,
                "k8s.pod.label[app]": "web",
                "k8s.pod.labels": "app:web",
                "k8s.pod.ip": "172.17.0.2",  # the sandbox's: the app shares its network
                "container.ip": "172.17.0.2",
                "container.image.tag": "1.25",
                "container.image.repository": "nginx",
            }
            assert {f: e[f] for f in want} == want
            assert c.container(sb).is_pod_sandbox and not c.container(app).is_pod_sandbox
    finally:
        d.close()


def test_health_check_processes_are_flagged(docker):
    """proc.is_container_healthcheck: a process the runtime runs beside the container's init
    (runc exec) with the health check's command line; the init and its children are not."""
    cg = ("cpu=/docker/" + FULL,)
    ev = (
        clone_x(10, 90, 0, pid=90, ptid=1, comm="nginx", cgroups=cg, vtid=1, vpid=1)
        + execve_x(11, 90, exe="/usr/sbin/nginx", comm="nginx", cgroups=cg, ptid=1, pid=90)
        + clone_x(12, 95, 0, pid=95, ptid=1, comm="runc", cgroups=cg, vtid=7, vpid=7)
        + execve_x(13, 95, exe="/bin/check", args=("--quick",), comm="check", cgroups=cg, ptid=1, pid=95)
        + clone_x(14, 96, 0, pid=96, ptid=90, comm="nginx", cgroups=cg, vtid=8, vpid=8)
        + execve_x(15, 96, exe="/bin/check", args=("--quick",), comm="check", cgroups=cg, ptid=90, pid=96)
        + openat_x(16, 95, 3, "/etc/passwd")
        + openat_x(17, 96, 3, "/etc/passwd")
    )
    with capture.open_events(ev, containers=["docker:" + docker.path]) as c:
        it = iter(c)
        next(it)
        assert wait_until(lambda: c.container(CID))
        rows = [(e.tid, e["proc.is_container_healthcheck"], e["proc.is_container_liveness_probe"]) for e in it]
    assert (95, True, False) in rows and (96, False, False) in rows
    assert rows[-2:] == [(95, True, False), (96, False, False)]


def test_runtime_down_is_counted_not_a_stall(tmp_path):
    ev = b"".join(openat_x(20 + i, 90, 3, "/etc/passwd") for i in range(200))
    ev = clone_x(10, 90, 0, pid=90, ptid=1, comm="x", cgroups=("cpu=/docker/" + FULL,)) + ev
    opts = ContainerOptions(endpoints=("docker:" + str(tmp_path / "nobody.sock"),), retry=0.05, timeout=0.2)
    with capture.open_events(ev, containers=opts) as c:
        t0 = time.monotonic()
        names = [e["container.name"] for e in c]
        assert time.monotonic() - t0 < 0.5
        assert names == [None] * 201
        st = wait_until(lambda: (s := c.container_stats()).errors >= 1 and s, 3)
        assert st and st.found == 0 and st.timeouts == 0 and st.endpoints == 1
        # retried with backoff (5 tries at most), each one counted
        assert wait_until(lambda: c.container_stats().errors >= 2, 3)
        assert c.container(CID) is None


def test_runtime_slow_costs_a_timeout_then_the_answer_fills_in(docker):
    docker.delay = 0.6
    ev = b"".join(openat_x(20 + i, 90, 3, "/etc/passwd") for i in range(3))
    ev = clone_x(10, 90, 0, pid=90, ptid=1, comm="x", cgroups=("cpu=/docker/" + FULL,)) + ev
    opts = ContainerOptions(endpoints=("docker:" + docker.path,), timeout=0.25, retry=0.05, events=False, list=False)
    with capture.open_events(ev, containers=opts) as c:
        it = iter(c)
        slowest = 0.0
        t = time.monotonic()
        e = next(it)
        slowest = max(slowest, time.monotonic() - t)
        assert e["container.name"] is None
        # the first lookup times out (counted) while the events keep coming
        assert wait_until(lambda: c.container_stats().timeouts >= 1, 3)
        t = time.monotonic()
        e = next(it)
        slowest = max(slowest, time.monotonic() - t)
        assert e["container.name"] is None
        assert slowest < 0.05
        docker.delay = 0.0  # the runtime recovers: the retry answers
        assert wait_until(lambda: c.container(CID), 5), c.container_stats()
        e = next(it)
        assert (e["container.name"], e["container.image.tag"]) == ("web", "1.25")
        st = c.container_stats()
        assert st.found == 1 and st.timeouts >= 1 and st.pending == 0


def test_closing_while_a_runtime_hangs_does_not_wait_for_it(docker):
    docker.delay = 5.0
    opts = ContainerOptions(endpoints=("docker:" + docker.path,), timeout=4, events=False, list=False)
    c = capture.open_events(container_events("/docker/" + FULL), containers=opts)
    next(iter(c))
    assert wait_until(lambda: any("/containers/" in r for r in docker.requests), 3)  # the lookup is under way
    t = time.monotonic()
    c.close()
    assert time.monotonic() - t < 0.5


@pytest.mark.parametrize(
    "body",
    [
        b'{"Id": "' + FULL.encode() + b'", "Name": ',  # cut off
        b"[1, 2, 3]",  # not a container
        b'{"Name": "/no-id"}',
        b"\xff\xfe garbage",
        b"{" * 100000 + b"}" * 100000,  # too deep
    ],
)
def test_malformed_answers_are_counted_errors(docker, body):
    docker.routes[f"/containers/{FULL}/json"] = (200, body)
    opts = ContainerOptions(endpoints=("docker:" + docker.path,), retry=10, events=False, list=False)
    with capture.open_events(container_events("/docker/" + FULL), containers=opts) as c:
        list(c)
        assert wait_until(lambda: c.container_stats().errors == 1, 3), c.container_stats()
        assert c.container(CID) is None and c.container_stats().found == 0


def test_a_garbage_server_is_an_error(tmp_path):
    import socket
    import threading

    path = str(tmp_path / "junk.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)

    def serve():
        while True:
            try:
                s, _ = srv.accept()
            except OSError:
                return
            s.recv(4096)
            s.sendall(b"SSH-2.0-OpenSSH\r\n\r\n")
            s.close()

    threading.Thread(target=serve, daemon=True).start()
    opts = ContainerOptions(endpoints=("docker:" + path,), retry=10, events=False, list=False)
    try:
        with capture.open_events(container_events("/docker/" + FULL), containers=opts) as c:
            list(c)
            assert wait_until(lambda: c.container_stats().errors == 1, 3)
    finally:
        srv.close()


def test_not_found_is_counted(docker):
    other = full_id("77aa")
    opts = ContainerOptions(endpoints=("docker:" + docker.path,), retry=10, events=False, list=False)
    with capture.open_events(container_events("/docker/" + other), containers=opts) as c:
        list(c)
        assert wait_until(lambda: c.container_stats().not_found == 1, 3)
        assert c.container(other) is None


def test_event_stream_makes_a_container_known_before_its_first_process(docker):
    """The runtime's /events: a created container is looked up at once, so its first event
    already has the metadata."""
    opts = ContainerOptions(endpoints=("docker:" + docker.path,), list=False)
    ev = container_events("/docker/" + FULL)
    with capture.open_events(ev, containers=opts) as c:
        assert wait_until(lambda: c.container_stats().streams == 1 and docker.streams() == 1)
        docker.emit(
            {
                "Type": "container",
                "Action": "create",
                "id": FULL,
                "Actor": {"ID": FULL, "Attributes": {"name": "web", "image": "nginx:1.25", "app": "web"}},
            }
        )
        assert wait_until(lambda: c.container(CID) and c.container_stats().found == 1)
        e = next(iter(c))
        assert (e["container.name"], e["container.image.digest"], e["container.label[app]"]) == (
            "web",
            "sha256:" + "a" * 64,
            "web",
        )
        assert c.container_stats().runtime_events == 1


def test_event_stream_partial_metadata_until_inspect_answers(docker):
    """podman holds a container's lock until it runs: the create event's own attributes (name,
    image, labels) are its metadata until the inspect answers."""
    docker.delay = 1.0  # inspect does not answer in time
    opts = ContainerOptions(endpoints=("docker:" + docker.path,), list=False, timeout=0.3, retry=0.2)
    with capture.open_events(container_events("/docker/" + FULL), containers=opts) as c:
        assert wait_until(lambda: docker.streams() == 1)
        docker.emit(
            {
                "Type": "container",
                "Action": "create",
                "id": FULL,
                "Actor": {"ID": FULL, "Attributes": {"name": "web", "image": "nginx:1.25", "app": "web"}},
            }
        )
        assert wait_until(lambda: c.container(CID))
        e = next(iter(c))
        assert (e["container.name"], e["container.image"], e["container.image.tag"], e["container.label[app]"]) == (
            "web",
            "nginx:1.25",
            "1.25",
            "web",
        )
        assert e["container.image.digest"] is None and e["container.privileged"] is False
        # the lookup timed out (counted); its retry completes the metadata once inspect answers
        assert wait_until(lambda: c.container_stats().timeouts >= 1, 3)
        docker.delay = 0.0
        assert wait_until(lambda: c.container(CID).image_digest, 5), c.container_stats()
        e = next(iter(c))
        assert (e["container.image.digest"], e["container.privileged"], e["container.image"]) == (
            "sha256:" + "a" * 64,
            True,
            "registry.example.com:5000/team/nginx:1.25",
        )


def test_list_at_start_knows_the_running_containers(docker):
    docker.routes["/containers/json"] = (200, [{"Id": FULL}])
    opts = ContainerOptions(endpoints=("docker:" + docker.path,), events=False)
    with capture.open_events(container_events("/docker/" + FULL), containers=opts) as c:
        assert wait_until(lambda: c.container(CID))
        assert c.container_stats().lookups == 1  # not asked twice


def test_bad_endpoint_strings_are_refused():
    for bad in ("docker", "docker:", "rkt:/run/rkt.sock", ":/x"):
        with pytest.raises(ValueError):
            capture.open_events(b"", containers=[bad])


def test_parse_docker_c_api():
    ffi, s = _native.ffi, _native.sinsp
    out = ffi.new("char[65536]")
    n = s.sinsp_container_parse_docker(
        json.dumps(docker_inspect(FULL)).encode(), json.dumps(docker_image()).encode(), False, b"docker", out, 65536
    )
    assert n > 0
    ct = parse_container_json(ffi.string(out).decode())
    assert (ct.id, ct.name, ct.image_digest, ct.image_tag) == (CID, "web", "sha256:" + "a" * 64, "1.25")
    assert s.sinsp_container_parse_docker(b"[]", ffi.NULL, False, b"docker", out, 65536) < 0
    assert s.sinsp_container_parse_docker(b"{", ffi.NULL, False, b"docker", out, 65536) < 0
    # cut: the length it needs
    small = ffi.new("char[16]")
    args = (json.dumps(docker_inspect(FULL)).encode(), json.dumps(docker_image()).encode(), False, b"docker")
    assert s.sinsp_container_parse_docker(*args, small, 16) == n
    assert ffi.string(small) == ffi.string(out)[:15]


# ---- capture files ----


def known_file(docker, out, **inspect):
    """A capture file written while the fake runtime knew the container from the start (listed
    when the capture opened, as a live capture knows a running one)."""
    if inspect:
        docker.routes[f"/containers/{FULL}/json"] = (200, docker_inspect(FULL, **inspect))
    docker.routes["/containers/json"] = (200, [{"Id": FULL}])
    ev = container_events("/docker/" + FULL)
    with capture.open_events(ev, containers=["docker:" + docker.path]) as c:
        assert wait_until(lambda: c.container(CID))
        assert c.dump_to(str(out)) == 3
    with capture.open_events(ev, containers=["docker:" + docker.path]) as c:
        assert wait_until(lambda: c.container(CID))
        return [{f: e[f] for f in DOCKER_FIELDS} for e in c]


def test_capture_file_carries_the_metadata(docker, tmp_path):
    out = tmp_path / "c.scap"
    live = known_file(docker, out)
    assert live[-1]["container.name"] == "web"
    docker.close()  # no runtime from here on
    with capture.open_file(str(out)) as f:
        assert [{fl: e[fl] for fl in DOCKER_FIELDS} for e in f] == live
        assert f.container_stats().file_events == 1 and f.container(CID).labels == {"app": "web", "tier": "front"}
    with capture.open_file(str(out), internal_events=True) as f:
        kinds = [e.name for e in f]
    assert kinds.count("container") == 1 and kinds.index("container") < kinds.index("clone")


def test_added_metadata_is_written_and_read_back(tmp_path):
    ct = {
        "container": {
            "id": H[:12],
            "full_id": H,
            "type": 8,
            "name": "api",
            "image": "quay.io/x/api:2",
            "imagerepo": "quay.io/x/api",
            "imagetag": "2",
            "labels": {"io.kubernetes.pod.name": "api-0", "io.kubernetes.pod.namespace": "prod", "team": "a"},
            "pod_sandbox_id": "c" * 64,
            "pod_sandbox_labels": {"app": "api"},
            "cni_json": '{"cniVersion":"1.0.0"}',
            "ip": "10.1.2.3",
            "Mounts": [],
        }
    }
    ev = container_events("/kubepods/burstable/pod1/crio-" + H)
    out = tmp_path / "k.scap"
    with capture.open_events(ev) as c:
        c.add_container(json.dumps(ct))
        with pytest.raises(pyscap_error()):
            c.add_container('{"container": {"name": "no id"}}')
        assert c.dump_to(str(out)) == 3
    with capture.open_file(str(out)) as f:
        e = next(iter(f))
        got = {
            fl: e[fl]
            for fl in (
                "container.type",
                "container.name",
                "k8s.pod.name",
                "k8s.ns.name",
                "k8s.pod.label[app]",
                "k8s.pod.labels",
                "k8s.pod.sandbox_id",
                "k8s.pod.ip",
                "k8s.pod.cni.json",
                "container.labels",
            )
        }
    assert got == {
        "container.type": "cri-o",
        "container.name": "api",
        "k8s.pod.name": "api-0",
        "k8s.ns.name": "prod",
        "k8s.pod.label[app]": "api",
        "k8s.pod.labels": "app:api",
        "k8s.pod.sandbox_id": "c" * 12,
        "k8s.pod.ip": "10.1.2.3",
        "k8s.pod.cni.json": '{"cniVersion":"1.0.0"}',
        "container.labels": "team:a",
    }


def pyscap_error():
    import pyscap

    return pyscap.Error


# ---- the CLI: -pc and -pk as sysdig's ----


SYSDIG_FIELDS = [
    "container.id",
    "container.name",
    "container.image",
    "container.image.id",
    "container.image.repository",
    "container.image.tag",
    "container.image.digest",
    "container.type",
    "container.privileged",
    "container.mounts",
    "container.mount[0]",
    "container.mount.dest[/srv/data]",
    "container.mount.source[1]",
    "container.healthcheck",
    "container.liveness_probe",
    "k8s.pod.name",
    "k8s.pod.id",
    "k8s.ns.name",
]  # sysdig 0.29.3's container and k8s fields (it has no container.full_id, .ip, .label)


def test_cli_pc_pk_and_fields_as_sysdig(tmp_path, docker, sysdig):
    """sysdig 0.29.3 reads the file's container event too: the same -pc / -pk columns (pyscap's
    line has no direction: enter and exit are one event) and the same fields."""
    out = tmp_path / "c.scap"
    labels = {
        "app": "web",
        "io.kubernetes.pod.name": "web-0",
        "io.kubernetes.pod.namespace": "shop",
        "io.kubernetes.pod.uid": "1f",
    }
    known_file(
        docker, out, Config={"Image": "nginx:1.25", "Labels": labels, "Healthcheck": {"Test": ["CMD-SHELL", "true"]}}
    )
    for flag, col in (("-pc", "web"), ("-pk", "web-0")):
        r = run([sys.executable, "-m", "pyscap", "-r", out, flag], cwd=ROOT)
        assert r.returncode == 0, r.stderr
        mine = r.stdout.splitlines()
        theirs = subprocess.run([sysdig, "-r", str(out), flag], capture_output=True, text=True, timeout=60).stdout
        theirs = theirs.splitlines()
        assert len(mine) == len(theirs) == 3
        for m, t in zip(mine, theirs):
            assert m.split()[:7] == t.split()[:7], (m, t)
        assert mine[1].split()[3:7] == [col, f"({CID})", "nginx", "(90:90)"]
    fmt = " ;; ".join("%" + f for f in SYSDIG_FIELDS)
    r = run([sys.executable, "-m", "pyscap", "-r", out, "-p", fmt], cwd=ROOT)
    sd = subprocess.run([sysdig, "-r", str(out), "-p", fmt], capture_output=True, text=True, timeout=60)
    theirs = sd.stdout
    assert sd.returncode == 0, sd.stderr
    assert r.stdout.splitlines() == theirs.splitlines()
    assert r.stdout.splitlines()[-1].split(" ;; ") == [
        CID,
        "web",
        "nginx:1.25",
        "e" * 64,
        "nginx",
        "1.25",
        "sha256:" + "a" * 64,
        "docker",
        "true",
        "/srv/data:/data:rw:true:rprivate,/etc/hosts:/etc/hosts:ro:false:",
        "/srv/data:/data:rw:true:rprivate",
        "/data",
        "/etc/hosts",
        "/bin/sh -c true",
        "NONE",
        "web-0",
        "1f",
        "shop",
    ]


def test_container_clients_under_asan(asan_build_dir):
    """The JSON, HTTP, HTTP/2 and protobuf readers and the workers, under ASan/UBSan: this file's
    fake-runtime tests and the CRI ones again, on the sanitizer build."""
    libasan = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True).stdout.strip()
    require(os.path.isabs(libasan), "gcc's libasan.so (for Python over the sanitizer build)")
    env = dict(
        os.environ,
        LD_PRELOAD=libasan,
        ASAN_OPTIONS="detect_leaks=0:abort_on_error=1",
        UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1",
        PYSCAP_BUILD_DIR=str(asan_build_dir),
    )
    tests = ["tests/test_containers.py", "tests/test_container_cri.py"]
    r = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, "-k", "not asan and not sysdig"],
        cwd=ROOT,
        env=env,
        timeout=240,
    )
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    assert " passed" in r.stdout and "ERROR: AddressSanitizer" not in r.stderr + r.stdout
