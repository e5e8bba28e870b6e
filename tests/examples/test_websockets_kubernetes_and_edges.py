"""The Kubernetes and edges page: the draining server, the jittered client and the manifests.

The page says: on SIGTERM the server stops accepting, closes every client with 1012 and exits 0
before its drain deadline, even when a client never answers the Close frame (close_timeout); the client
reconnects after a random delay of at most MAX_JITTER; and the manifests agree with the code
and with each other (the preStop sleep plus the drain time fit in terminationGracePeriodSeconds,
the probe path is one the server answers, the route points at the Service's port).
"""

from __future__ import annotations

import asyncio
import base64
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
import yaml
from harness import CONTENT, Ports, example, exercises, python_env, start, write
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from guide.markdown.code_fences import iter_fences

PAGE = CONTENT / "pages" / "04-deployment" / "05-websockets-kubernetes-and-edges.md"
DRAIN = 3.0  # seconds; the page's 20 s scaled down


@pytest.fixture
def ports() -> Ports:
    return Ports()


def server_env(drain: float = DRAIN) -> dict[str, str]:
    return python_env(HOST="127.0.0.1", DRAIN_SECONDS=str(drain))


def raw_handshake(port: int) -> socket.socket:
    """A client that completes the handshake and then never reads or answers anything."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    assert sock.recv(4096).startswith(b"HTTP/1.1 101")
    return sock


@exercises("k8s-edges-drain-server")
def test_sigterm_closes_every_client_with_1012_and_exits_0_within_the_drain_time(tmp_path, ports):
    port = ports[8765]

    async def clients_see_restart(server) -> list:
        clients = [await connect(f"ws://127.0.0.1:{port}/ws") for _ in range(3)]
        for number, client in enumerate(clients):
            await client.send(f"hello {number}")
            assert await asyncio.wait_for(client.recv(), 5) == f"hello {number}"
        server.send_signal(signal.SIGTERM)
        received = []
        for client in clients:
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(client.recv(), 5)
            received.append((closed.value.rcvd.code, closed.value.rcvd.reason))
        return received

    with start("k8s-edges-drain-server", tmp_path, ports, env=server_env()) as server:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as probe:
            assert (probe.status, probe.read()) == (200, b"ok\n")
        signalled = time.monotonic()
        received = asyncio.run(clients_see_restart(server))
        assert server.wait(DRAIN + 2) == 0
        took = time.monotonic() - signalled
        with pytest.raises(ConnectionRefusedError):  # nothing listens once it has exited
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    assert received == [(1012, "server restarting")] * 3
    assert took < DRAIN
    assert "SIGTERM: closing 3 connection(s) with 1012" in server.log
    assert "drained" in server.log
    assert "connection handler failed" not in server.log
    assert "Traceback" not in server.log


@exercises("k8s-edges-drain-server")
def test_a_client_that_never_answers_does_not_hold_the_pod_past_the_drain_time(tmp_path, ports):
    # Without the page's close_timeout, websockets would wait its default 10 s for this
    # client's Close frame, and asyncio.run() would wait for that after the deadline too.
    drain = 2.0
    with start("k8s-edges-drain-server", tmp_path, ports, env=server_env(drain)) as server:
        silent = raw_handshake(ports[8765])
        try:
            signalled = time.monotonic()
            server.send_signal(signal.SIGTERM)
            assert server.wait(drain + 3) == 0
            took = time.monotonic() - signalled
        finally:
            silent.close()
    assert drain / 2 <= took < drain  # waited close_timeout (DRAIN_SECONDS / 2), not longer
    assert "drained" in server.log


def read_lines(process: subprocess.Popen) -> queue.Queue:
    lines: queue.Queue = queue.Queue()

    def pump():
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return lines


def next_line(lines: queue.Queue, timeout: float = 10) -> str:
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"the client printed nothing within {timeout} s")


@exercises("k8s-edges-reconnect-client")
def test_the_client_reconnects_after_1012_within_its_jitter(tmp_path, ports):
    jitter = 0.5
    client_script = write("k8s-edges-reconnect-client", tmp_path, ports)
    source = client_script.read_text(encoding="utf-8")
    assert "MAX_JITTER = 5.0" in source, "the page no longer sets MAX_JITTER = 5.0"
    client_script.write_text(source.replace("MAX_JITTER = 5.0", f"MAX_JITTER = {jitter}"), encoding="utf-8")

    with start("k8s-edges-drain-server", tmp_path, ports, env=server_env()) as first:
        client = subprocess.Popen(
            [sys.executable, str(client_script)],
            cwd=tmp_path,
            env=python_env(WEBSOCKETS_BACKOFF_INITIAL_DELAY="0.2"),  # if the new "pod" is not up yet
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            lines = read_lines(client)
            assert next_line(lines) == "connected"
            first.send_signal(signal.SIGTERM)
            assert first.wait(DRAIN + 2) == 0
            closed = next_line(lines)
            # The replacement pod comes up behind the same address, as behind a Service.
            with start("k8s-edges-drain-server", tmp_path, ports, env=server_env(), name="drain_server_2.py"):
                assert next_line(lines) == "connected"
        finally:
            client.kill()
            client.wait()
    match = re.fullmatch(r"closed with 1012; reconnecting in (\d+\.\d) s", closed)
    assert match, closed
    assert 0 <= float(match[1]) <= jitter


def page_yaml_blocks() -> dict[str, list[dict]]:
    """Every yaml block of the page, parsed, by test ID (all of them must carry one)."""
    blocks = {}
    for fence in iter_fences(PAGE.read_text(encoding="utf-8")):
        if fence.lang == "yaml":
            assert fence.test_id, f"{PAGE.name}:{fence.line}: a yaml block without test=ID"
            blocks[fence.test_id] = [doc for doc in yaml.safe_load_all(fence.code) if doc is not None]
    return blocks


def by_kind(docs: list[dict], kind: str) -> dict:
    [doc] = [doc for doc in docs if doc["kind"] == kind]
    return doc


@exercises("k8s-edges-httproute", "k8s-edges-legacy-ingress", "k8s-edges-deployment")
def test_the_manifests_agree_with_the_server_and_with_each_other():
    blocks = page_yaml_blocks()
    assert set(blocks) == {"k8s-edges-httproute", "k8s-edges-legacy-ingress", "k8s-edges-deployment"}
    for docs in blocks.values():
        for doc in docs:
            assert doc.get("apiVersion")
            assert doc.get("kind")
            assert doc["metadata"]["name"]

    service = by_kind(blocks["k8s-edges-httproute"], "Service")
    route = by_kind(blocks["k8s-edges-httproute"], "HTTPRoute")
    assert route["apiVersion"] == "gateway.networking.k8s.io/v1"
    [service_port] = service["spec"]["ports"]
    assert service_port["appProtocol"] == "kubernetes.io/ws"
    [rule] = route["spec"]["rules"]
    [backend] = rule["backendRefs"]
    assert (backend["name"], backend["port"]) == (service["metadata"]["name"], service_port["port"])
    assert rule["timeouts"] == {"request": "0s"}

    ingress = by_kind(blocks["k8s-edges-legacy-ingress"], "Ingress")
    annotations = ingress["metadata"]["annotations"]
    for name in ("proxy-read-timeout", "proxy-send-timeout"):
        value = annotations[f"nginx.ingress.kubernetes.io/{name}"]
        assert isinstance(value, str)
        assert int(value) >= 3600
    backend_service = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend_service == {"name": service["metadata"]["name"], "port": {"number": service_port["port"]}}

    deployment = by_kind(blocks["k8s-edges-deployment"], "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    assert deployment["spec"]["template"]["metadata"]["labels"] == service["spec"]["selector"]
    [container] = pod["containers"]
    grace = pod["terminationGracePeriodSeconds"]
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    drain = float({env["name"]: env["value"] for env in container["env"]}["DRAIN_SECONDS"])
    assert pre_stop < grace
    assert pre_stop + drain < grace

    server_code = example("k8s-edges-drain-server").code
    probe = container["readinessProbe"]["httpGet"]
    assert f'request.path == "{probe["path"]}"' in server_code
    assert probe["port"] == container["ports"][0]["containerPort"] == service_port["targetPort"]
    assert f'"DRAIN_SECONDS", "{drain:g}"' in server_code  # the code's default matches the manifest
    assert f'"PORT", "{probe["port"]}"' in server_code
