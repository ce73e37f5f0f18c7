"""Container metadata from a real runtime: Debian's podman (with runc), started by the tests on a
private storage root, a locally built busybox image (`podman import`) and `podman system service`
on a temporary socket, which answers both the Docker Engine API and the libpod API. A labelled
container opens a known file; a live capture shows every container field for its events, and
the .scap file it writes shows them again when read back without any runtime.

This VM needs runc (not crun), explicit default ulimits (no CAP_SYS_RESOURCE) and cgroupfs
(hybrid cgroups v1): the test's own containers.conf (CONTAINERS_CONF) says so, the system's is
not touched. --network none: the host's network is not touched either."""

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from container_fakes import wait_until

from conftest import require
from pyscap import capture
from pyscap.containers import ContainerOptions

IMAGE = "localhost/pyscap-busybox:1.0"
CONF = """[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
events_logger = "file"
"""


class Podman:
    def __init__(self, base: Path):
        self.base = base
        self.env = dict(os.environ, CONTAINERS_CONF=str(base / "containers.conf"))
        self.flags = [
            "--root",
            str(base / "root"),
            "--runroot",
            str(base / "run"),
            "--tmpdir",
            str(base / "tmp"),
            "--storage-driver",
            "vfs",
        ]
        self.sock = str(base / "api.sock")
        self.service: subprocess.Popen | None = None

    def __call__(self, *args, check=True, timeout=60):
        r = subprocess.run(
            ["podman", *self.flags, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if check:
            assert r.returncode == 0, f"podman {' '.join(args)}: {r.stderr}"
        return r


@pytest.fixture(scope="session")
def podman(live_bpf):
    for tool in ("podman", "runc", "busybox"):
        require(shutil.which(tool) is not None, f"{tool} is not installed: apt-get install podman runc busybox-static")
    busybox = shutil.which("busybox")
    base = Path(tempfile.mkdtemp(prefix="pyscap-podman-", dir="/tmp"))  # short: conmon's socket paths
    pm = Podman(base)
    try:
        (base / "containers.conf").write_text(CONF)
        rootfs = base / "rootfs"
        (rootfs / "bin").mkdir(parents=True)
        shutil.copy(busybox, rootfs / "bin" / "busybox")
        for applet in ("sh", "cat", "sleep", "true"):
            os.symlink("busybox", rootfs / "bin" / applet)
        subprocess.run(["tar", "-C", str(rootfs), "-cf", str(base / "rootfs.tar"), "."], check=True)
        pm("import", "--change", "LABEL=org.pyscap.image=busybox", str(base / "rootfs.tar"), IMAGE)
        pm.service = subprocess.Popen(
            ["podman", *pm.flags, "system", "service", "--time", "0", "unix://" + pm.sock],
            env=pm.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert wait_until(lambda: os.path.exists(pm.sock), 20), "podman system service did not start"
        yield pm
    finally:
        if pm.service is not None:
            os.killpg(pm.service.pid, signal.SIGTERM)
            try:
                pm.service.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(pm.service.pid, signal.SIGKILL)
                pm.service.wait()
        pm("rm", "--all", "--force", check=False)
        shutil.rmtree(base, ignore_errors=True)


def run_container(pm: Podman, marker: str, name: str, cidfile: Path) -> threading.Thread:
    """A labelled, privileged container with a bind mount, opening the marker file twice (the
    second time after the runtime has had time to answer)."""
    host = pm.base / ("m-" + name)
    host.write_text("pyscap\n")
    args = [
        "run",
        "--rm",
        "--network",
        "none",
        "--privileged",
        "--name",
        name,
        "--cidfile",
        str(cidfile),
        "--label",
        "org.pyscap.test=live",
        "--label",
        "tier=front",
        "--health-cmd",
        "/bin/true",
        "--health-interval",
        "disable",
        "-v",
        f"{host}:{marker}:ro",
        IMAGE,
        "/bin/sh",
        "-c",
        f"cat {marker}; sleep 1.5; cat {marker}",
    ]

    def go():
        time.sleep(0.3)
        pm(*args)

    t = threading.Thread(target=go)
    t.start()
    return t


def container_events(pm, endpoint, name, filt_extra="", write=None):
    marker = "/pyscap-marker-" + uuid.uuid4().hex[:8]
    cidfile = pm.base / (name + ".cid")
    opts = ContainerOptions(endpoints=(endpoint,), timeout=5)
    filt = f"evt.type=openat and fd.name={marker}"
    with capture.open_live(containers=opts, filter=filt, timeout=20) as c:
        th = run_container(pm, marker, name, cidfile)
        rows = []
        for e in c:
            rows.append(
                {f: e[f] for f in FIELDS}
                | {
                    "_container": e.container,
                    "proc.name": e["proc.name"],
                    "_start": e["container.start_ts"],
                    "_duration": e["container.duration"],
                }
            )
            if len(rows) == 2:
                break
        th.join(30)
        stats = c.container_stats()
    return rows, cidfile.read_text().strip(), marker, stats


FIELDS = [
    "container.id",
    "container.full_id",
    "container.name",
    "container.image",
    "container.image.id",
    "container.image.repository",
    "container.image.tag",
    "container.image.digest",
    "container.type",
    "container.privileged",
    "container.mounts",
    "container.mount.source[/pyscap-marker-*]",
    "container.label[org.pyscap.test]",
    "container.label[tier]",
    "container.labels",
    "container.healthcheck",
    "container.ip",
    "k8s.pod.name",
]


def image_id(pm):
    return pm("image", "inspect", "--format", "{{.Id}}", IMAGE).stdout.strip()


def image_digest(pm):
    return pm("image", "inspect", "--format", "{{.Digest}}", IMAGE).stdout.strip()


def check(rows, full, name, marker, pm):
    assert len(rows) == 2, rows
    # the first event has the id at once
    assert rows[0]["container.id"] == full[:12] and rows[0]["proc.name"] == "cat"
    last = rows[-1]
    mount = last["container.mounts"]
    assert mount.endswith(f":{marker}::false:rprivate") and mount.startswith(str(pm.base / ("m-" + name)))
    got = {f: last[f] for f in FIELDS}
    want = {
        "container.id": full[:12],
        "container.full_id": full,
        "container.name": name,
        "container.image": IMAGE,
        "container.image.id": image_id(pm),
        "container.image.repository": "localhost/pyscap-busybox",
        "container.image.tag": "1.0",
        "container.image.digest": image_digest(pm),
        "container.type": "podman",
        "container.privileged": True,
        "container.mounts": mount,
        "container.mount.source[/pyscap-marker-*]": str(pm.base / ("m-" + name)),
        "container.label[org.pyscap.test]": "live",
        "container.label[tier]": "front",
        "container.labels": "org.pyscap.image:busybox, org.pyscap.test:live, tier:front",
        "container.healthcheck": "/bin/sh -c /bin/true",
        "container.ip": None,  # --network none
        "k8s.pod.name": None,
    }
    assert got == want
    # the container's start: its pid namespace's init (proc.pidns_init_start_ts), before this event
    start, dur = last["_start"], last["_duration"]
    assert start and abs(start - time.time_ns()) < 120 * 10**9 and dur is not None and 0 <= dur < 60 * 10**9
    ct = last["_container"]
    assert ct is not None and ct.full_id == full and ct.labels["tier"] == "front"


def test_podman_docker_compatible_api(podman):
    rows, full, marker, st = container_events(podman, "docker:" + podman.sock, "pyscap-compat")
    check(rows, full, "pyscap-compat", marker, podman)
    assert st.found >= 1 and st.errors == 0 and st.streams == 1


def test_podman_libpod_api(podman):
    rows, full, marker, st = container_events(podman, "podman:" + podman.sock, "pyscap-libpod")
    check(rows, full, "pyscap-libpod", marker, podman)
    assert st.found >= 1 and st.errors == 0 and st.streams == 1


def test_podman_capture_file_keeps_the_metadata(podman, tmp_path):
    """What the live capture knew is in the file it writes, read back with no runtime at all."""
    out = tmp_path / "live.scap"
    marker = "/pyscap-marker-" + uuid.uuid4().hex[:8]
    name = "pyscap-file"
    cidfile = podman.base / (name + ".cid")
    opts = ContainerOptions(endpoints=("podman:" + podman.sock,), timeout=5)
    with capture.open_live(containers=opts, filter="container.id != host") as c:
        th = run_container(podman, marker, name, cidfile)
        n = c.dump_to(str(out), timeout=5)
        th.join(30)
        live_json = c.container(cidfile.read_text().strip())
    assert n > 0 and live_json is not None
    full = cidfile.read_text().strip()
    with capture.open_file(str(out), filter=f"evt.type=openat and fd.name={marker}") as f:
        rows = [
            {fl: e[fl] for fl in FIELDS}
            | {
                "_container": e.container,
                "proc.name": e["proc.name"],
                "_start": e["container.start_ts"],
                "_duration": e["container.duration"],
            }
            for e in f
        ]
        assert f.container_stats().file_events >= 1
    check(rows, full, name, marker, podman)
    assert rows[-1]["_container"] == live_json


def test_podman_health_check_process_is_flagged(podman):
    """`podman healthcheck run`: the probe runs beside the container's init (runc exec) with the
    configured command line, and proc.is_container_healthcheck says so; the init's own processes
    do not."""
    name = "pyscap-health"
    marker = "/pyscap-health-" + uuid.uuid4().hex[:8]
    host = podman.base / "m-health"
    host.write_text("x\n")
    opts = ContainerOptions(endpoints=("podman:" + podman.sock,), timeout=5)
    filt = f"evt.type=openat and fd.name={marker}"
    with capture.open_live(containers=opts, filter=filt, timeout=20) as c:
        cid = podman(
            "run",
            "-d",
            "--rm",
            "--network",
            "none",
            "--name",
            name,
            "--health-cmd",
            f"cat {marker}",
            "--health-interval",
            "disable",
            "-v",
            f"{host}:{marker}:ro",
            IMAGE,
            "/bin/sh",
            "-c",
            f"cat {marker}; sleep 1.5; cat {marker}; sleep 30",
        ).stdout.strip()
        try:
            rows = []
            started = False
            for e in c:
                rows.append(
                    (e["proc.name"], e["proc.vpid"], e["proc.is_container_healthcheck"], e["container.healthcheck"])
                )
                if len(rows) == 2 and not started:
                    started = True
                    podman("healthcheck", "run", name)
                if len(rows) == 3:
                    break
            assert c.container(cid) is not None
        finally:
            podman("rm", "--force", "--time", "0", name, check=False)
    assert [r[2] for r in rows] == [False, False, True], rows
    assert rows[-1][3] == f"/bin/sh -c cat {marker}" and rows[-1][0] == "cat"
