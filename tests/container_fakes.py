"""Fake container runtimes for the container metadata tests: a Docker Engine / libpod API server on
a unix socket (http.server), canned answers, a streamed /events, and a helper to wait for the
asynchronous lookups."""

import json
import os
import queue
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler

HEX = "0123456789abcdef"


def full_id(seed: str) -> str:
    """A 64-hex container id starting with seed (hex)."""
    return (seed + HEX * 5)[:64]


def wait_until(pred, timeout=5.0, step=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeDocker:
    """routes: path (without the query) -> (status, JSON-able body or raw bytes); delay: seconds
    before any answer; libpod: answer with podman's headers. /events and /libpod/events stream
    what emit() sends."""

    def __init__(self, path: str, libpod_headers: bool = False):
        self.path = path
        self.routes: dict[str, tuple[int, object]] = {}
        self.delay = 0.0
        self.libpod_headers = libpod_headers
        self.requests: list[str] = []
        self._streams: list[queue.Queue] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _headers(self, code, length=None):
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                if fake.libpod_headers:
                    self.send_header("Libpod-Api-Version", "4.3.1")
                    self.send_header("Server", "Libpod/4.3.1 (linux)")
                if length is None:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(length))
                self.end_headers()

            def do_GET(self):
                with fake._lock:
                    fake.requests.append(self.path)
                target = self.path.split("?", 1)[0]
                if target.endswith("/events"):
                    return self._stream()
                if fake.delay:
                    time.sleep(fake.delay)
                code, body = fake.routes.get(target, (404, {"message": "no such container"}))
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self._headers(code, len(raw))
                    self.wfile.write(raw)
                except OSError:
                    pass

            def _stream(self):
                q: queue.Queue = queue.Queue()
                with fake._lock:
                    fake._streams.append(q)
                try:
                    self._headers(200)
                    self.wfile.flush()
                    while True:
                        item = q.get()
                        if item is None:
                            self.wfile.write(b"0\r\n\r\n")
                            return
                        line = json.dumps(item).encode() + b"\n"
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                        self.wfile.flush()
                except OSError:
                    pass
                finally:
                    with fake._lock:
                        if q in fake._streams:
                            fake._streams.remove(q)

        if os.path.exists(path):
            os.unlink(path)
        self.server = _Server(path, Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def streams(self) -> int:
        with self._lock:
            return len(self._streams)

    def emit(self, event: dict) -> None:
        with self._lock:
            for q in self._streams:
                q.put(event)

    def close(self) -> None:
        with self._lock:
            for q in self._streams:
                q.put(None)
        self.server.shutdown()
        self.server.server_close()


def docker_inspect(cid: str, **over) -> dict:
    """A Docker Engine API /containers/{id}/json answer (the members libsinsp reads)."""
    d = {
        "Id": cid,
        "Created": "2024-01-02T03:04:05.123456789Z",
        "Name": "/web",
        "Image": "sha256:" + "e" * 64,
        "Config": {
            "Image": "registry.example.com:5000/team/nginx:1.25",
            "User": "nobody",
            "Labels": {"app": "web", "tier": "front", "long": "x" * 200},
            "Healthcheck": {"Test": ["CMD", "/bin/check", "--quick"]},
        },
        "HostConfig": {
            "Privileged": True,
            "NetworkMode": "bridge",
            "PidMode": "",
            "IpcMode": "private",
            "Memory": 268435456,
            "CpuShares": 512,
            "CpusetCpus": "0-1",
        },
        "NetworkSettings": {"IPAddress": "172.17.0.2"},
        "Mounts": [
            {"Source": "/srv/data", "Destination": "/data", "Mode": "rw", "RW": True, "Propagation": "rprivate"},
            {"Source": "/etc/hosts", "Destination": "/etc/hosts", "Mode": "ro", "RW": False, "Propagation": ""},
        ],
    }
    d.update(over)
    return d


def docker_image(**over) -> dict:
    d = {
        "Id": "sha256:" + "e" * 64,
        "RepoTags": ["registry.example.com:5000/team/nginx:1.25"],
        "RepoDigests": ["registry.example.com:5000/team/nginx@sha256:" + "a" * 64],
    }
    d.update(over)
    return d
