"""Every tested Nginx block passes `nginx -t`; the main WebSocket proxy carries a real WebSocket, over
ws:// and, with a certificate made for the test, over wss://."""

from __future__ import annotations

import asyncio
import re
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from harness import Ports, all_examples, example, exercises, free_port, require_tool, running, write
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

NGINX_IDS = sorted(test_id for test_id, ex in all_examples().items() if ex.lang == "nginx")
exercises(*NGINX_IDS)
PROXY = "nginx-ws-proxy"  # the guide's main WebSocket proxy configuration
BACKEND = "nginx-backend"  # the guide's Python echo server behind it
TLS = "nginx-tls"  # the wss:// server blocks; the page says they reuse PROXY's map and upstream
TLS_NAME = "chat.example.com"  # the server_name the TLS block serves


@pytest.fixture(scope="module")
def nginx() -> str:
    return require_tool("nginx", "Nginx examples are checked with nginx -t and served for real")


def nginx_conf(snippet: str, context: str, prefix: Path, listen_port: int) -> str:
    """Wrap a snippet in the context it declares, with every path inside a private prefix."""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/tmp/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    if context == "main":
        return snippet
    if context == "location":
        snippet = f"server {{\n    listen 127.0.0.1:{listen_port};\n    location / {{\n{snippet}\n    }}\n}}"
    elif context == "server":
        snippet = f"server {{\n    listen 127.0.0.1:{listen_port};\n{snippet}\n}}"
    return (
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n{temp}\n{snippet}\n}}\n"
    )


def write_conf(nginx_code: str, context: str, tmp_path: Path, ports: Ports) -> Path:
    (tmp_path / "tmp").mkdir(exist_ok=True)
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf(ports.rewrite(nginx_code), context, tmp_path, ports[8080]))
    return conf


def nginx_args(nginx: str, conf: Path) -> list[str]:
    return [nginx, "-e", "stderr", "-p", str(conf.parent), "-c", str(conf)]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for TLS_NAME, valid for a day, as a reader's CA would issue."""
    openssl = require_tool("openssl", "the TLS example is served with a certificate made by the test")
    cert, key = folder / f"{TLS_NAME}.pem", folder / f"{TLS_NAME}.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={TLS_NAME}",
         "-addext", f"subjectAltName=DNS:{TLS_NAME}", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def tls_conf_code(folder: Path, tls_port: int, http_port: int) -> str:
    """The TLS blocks as a reader deploys them: after PROXY's map and upstream, with the test's
    certificate in place of the Let's Encrypt paths and free loopback ports for 443 and 80."""
    cert, key = self_signed_certificate(folder)
    code, swaps = example(TLS).code, 0
    for pattern, replacement in (
        (r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};"),
        (r"listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;"),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
    ):
        code, count = re.subn(pattern, replacement, code)
        swaps += count
    assert swaps == 4, f"the TLS block no longer has the lines this test replaces:\n{code}"
    return example(PROXY).code + "\n" + code


@pytest.mark.parametrize("test_id", NGINX_IDS)
def test_nginx_block_passes_nginx_t(test_id, nginx, tmp_path):
    ex = example(test_id)
    code = tls_conf_code(tmp_path, free_port(), free_port()) if test_id == TLS else ex.code
    conf = write_conf(code, ex.context, tmp_path, Ports())
    check = subprocess.run([*nginx_args(nginx, conf), "-t"], capture_output=True, text=True)
    assert check.returncode == 0, f"{ex.source.name} line {ex.line}:\n{check.stderr}\n{conf.read_text()}"


async def talk_through_proxy(url: str, **tls):
    async with connect(url, proxy=None, **tls) as ws:
        await ws.send("text through nginx")
        text = await ws.recv()
        await ws.send(b"\x00binary\xff")
        data = await ws.recv()
        latency = await asyncio.wait_for(await ws.ping(), 5)
    return text, data, latency >= 0, ws.close_code


def serve_proxy(nginx: str, nginx_code: str, tmp_path: Path, ports: Ports):
    conf = write_conf(nginx_code, example(PROXY).context, tmp_path, ports)
    return running([*nginx_args(nginx, conf), "-g", "daemon off;"], ports[8080], tmp_path)


@exercises(BACKEND)
def test_proxy_carries_text_binary_pings_and_a_clean_close(nginx, tmp_path):
    ports = Ports()
    backend = write(BACKEND, tmp_path, ports)
    with running([sys.executable, str(backend)], ports[8765], tmp_path), serve_proxy(nginx, example(PROXY).code, tmp_path, ports):
        result = asyncio.run(talk_through_proxy(f"ws://127.0.0.1:{ports[8080]}/ws/"))
    assert result == ("text through nginx", b"\x00binary\xff", True, 1000)


def test_without_upgrade_headers_the_handshake_fails(nginx, tmp_path):
    """Negative control: the same configuration minus Upgrade/Connection must not carry a WebSocket."""
    ports = Ports()
    crippled = re.sub(r"^\s*proxy_set_header (Upgrade|Connection) .*$", "", example(PROXY).code, flags=re.M)
    assert crippled != example(PROXY).code
    backend = write(BACKEND, tmp_path, ports)
    with (
        running([sys.executable, str(backend)], ports[8765], tmp_path),
        serve_proxy(nginx, crippled, tmp_path, ports),
        pytest.raises(InvalidHandshake),
    ):
        asyncio.run(talk_through_proxy(f"ws://127.0.0.1:{ports[8080]}/ws/"))


def serve_tls(nginx: str, tmp_path: Path, ports: Ports, tls_port: int):
    conf = write_conf(tls_conf_code(tmp_path, tls_port, free_port()), example(TLS).context, tmp_path, ports)
    return running([*nginx_args(nginx, conf), "-g", "daemon off;"], tls_port, tmp_path)


def wss_through(nginx, tmp_path, trust_test_certificate: bool):
    """Serve the TLS configuration with the backend behind it and talk to it as a wss:// client would,
    trusting the certificate nginx was given, or only the system's authorities."""
    ports, tls_port = Ports(), free_port()
    backend = write(BACKEND, tmp_path, ports)
    with running([sys.executable, str(backend)], ports[8765], tmp_path) as server, serve_tls(nginx, tmp_path, ports, tls_port):
        cafile = tmp_path / f"{TLS_NAME}.pem" if trust_test_certificate else None
        trust = ssl.create_default_context(cafile=cafile)
        # The URL names the server as a browser would; the TCP connection goes to loopback.
        url = f"wss://{TLS_NAME}:{tls_port}/ws/"
        result = asyncio.run(talk_through_proxy(url, ssl=trust, host="127.0.0.1", server_hostname=TLS_NAME))
    return result, server.log


def test_tls_block_carries_wss_to_the_plain_backend(nginx, tmp_path):
    result, backend_log = wss_through(nginx, tmp_path, trust_test_certificate=True)
    assert result == ("text through nginx", b"\x00binary\xff", True, 1000)
    # nginx terminated TLS and said so: the backend saw X-Forwarded-Proto https and the served name.
    assert f"scheme=https host={TLS_NAME}" in backend_log, backend_log


def test_tls_block_refuses_a_client_that_does_not_trust_its_certificate(nginx, tmp_path):
    """Negative control: TLS is really in the path, so a client without the test's certificate fails."""
    with pytest.raises(ssl.SSLCertVerificationError):
        wss_through(nginx, tmp_path, trust_test_certificate=False)


async def wait_silently(url: str) -> tuple[int, float]:
    """Connect without Pings, send nothing, and return the close code and when it came."""
    async with connect(url, proxy=None, ping_interval=None) as ws:
        started = asyncio.get_running_loop().time()
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
        return ws.close_code, asyncio.get_running_loop().time() - started


@pytest.mark.parametrize("level", ["info", "default"])
def test_a_proxy_read_timeout_cut_is_1006_and_logged_only_at_info(nginx, tmp_path, level):
    """The keepalive page: when proxy_read_timeout ends a quiet WebSocket, both ends see 1006, and
    nginx logs "upstream timed out ... while proxying upgraded connection" at `info` only."""
    ports = Ports()
    quick = example(PROXY).code.replace("proxy_read_timeout 3600s;", "proxy_read_timeout 1s;")
    assert quick != example(PROXY).code
    conf = write_conf(quick, example(PROXY).context, tmp_path, ports)
    if level == "info":
        conf.write_text(conf.read_text().replace("error.log;", "error.log info;", 1))
    backend = write(BACKEND, tmp_path, ports)
    with (
        running([sys.executable, str(backend)], ports[8765], tmp_path),
        running([*nginx_args(nginx, conf), "-g", "daemon off;"], ports[8080], tmp_path),
    ):
        code, after = asyncio.run(wait_silently(f"ws://127.0.0.1:{ports[8080]}/ws/"))
    assert code == 1006
    assert 0.9 <= after < 5, f"closed after {after:.1f} s, not after the 1 s read timeout"
    logged = (
        "upstream timed out (110: Connection timed out) while proxying upgraded connection"
        in (tmp_path / "error.log").read_text()
    )
    assert logged == (level == "info")


def test_timeouts_in_the_text_match_the_configuration():
    ex = example(PROXY)
    [configured] = re.findall(r"proxy_read_timeout\s+(\d+)s;", ex.code)
    prose = re.sub(r"^(`{3,}|~{3,}).*?^\1\s*$", "", ex.source.read_text(), flags=re.M | re.S)
    assert re.search(rf"\b{configured}(s\b| seconds)", prose), f"the text never states {configured}s"
    stated = {int(n) for n in re.findall(r"proxy_read_timeout`?\s*(?:to\s+)?(\d+)", prose)}
    assert stated <= {int(configured), 60}, f"text states proxy_read_timeout values {stated}"
