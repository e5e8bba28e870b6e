"""The troubleshooting page's claims, reproduced: its failures script prints what the page shows, its
browser probe reads Chromium's events as the page says, Uvicorn reports what the page quotes, and
its nginx log format records a WebSocket's lifetime and a 502."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import sys
import textwrap
import time
from pathlib import Path

import pytest
from harness import Ports, example, exercises, free_port, require_tool, run_python, running, write
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

PAGE = Path(__file__).resolve().parents[2] / "content/pages/06-operations/05-websocket-troubleshooting.md"


def run_async(coroutine):
    """asyncio.run() in a thread of its own: Playwright's sync API keeps an event loop running in
    this one while the module's browser fixture is alive."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def console_block_after(command: str) -> list[str]:
    """The lines the page prints under `$ command` in a console block."""
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(rf"```console\n\$ {re.escape(command)}\n(.*?)```", text, re.S)
    assert match, f"the page has no console block for `$ {command}`"
    return match[1].rstrip("\n").splitlines()


# --- failures.py ---------------------------------------------------------------------------------


@exercises("trouble-failures")
def test_failures_script_prints_what_the_page_shows(tmp_path):
    run = run_python(write("trouble-failures", tmp_path, Ports()), timeout=40)
    assert run.stdout.rstrip("\n").splitlines() == console_block_after("python failures.py")


# --- the browser probe ---------------------------------------------------------------------------

# One process, three listeners: a websockets server that allows one Origin (the probe's page has
# another), a server whose paths close with 4000, crash, or note how the browser closed, and a raw
# server that answers the handshake and then sends a Close frame with the reserved code 1015.
BROWSER_SERVERS = textwrap.dedent(
    """
    import asyncio, base64, hashlib, struct, sys

    from websockets.asyncio.server import serve
    from websockets.exceptions import ConnectionClosed

    REFUSING, CLOSING, RAW = (int(port) for port in sys.argv[1:4])


    async def closing(websocket):
        path = websocket.request.path
        if path == "/close-4000":
            await asyncio.sleep(0.3)
            await websocket.close(4000, "bye")
        elif path == "/crash":
            await asyncio.sleep(0.3)
            websocket.transport.abort()
        else:  # /watch: wait for the browser to close
            try:
                await websocket.wait_closed()
            finally:
                print(f"watch closed by browser: code={websocket.close_code}", flush=True)


    async def raw(reader, writer):
        request = (await reader.readuntil(b"\\r\\n\\r\\n")).decode()
        key = next(line.split(":", 1)[1].strip() for line in request.split("\\r\\n")
                   if line.lower().startswith("sec-websocket-key:"))
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        writer.write(b"HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\\r\\n\\r\\n")
        writer.write(b"\\x88\\x02" + struct.pack("!H", 1015))  # a Close frame with a reserved code
        await writer.drain()
        await asyncio.sleep(1)
        writer.close()


    async def main():
        async with (
            serve(closing, "127.0.0.1", CLOSING),
            serve(closing, "127.0.0.1", REFUSING, origins=["https://app.example.com"]),
            await asyncio.start_server(raw, "127.0.0.1", RAW),
        ):
            await asyncio.Future()


    asyncio.run(main())
    """
)


def wait_for_line(page, lines: list[str], prefix: str, timeout_ms: int = 10_000) -> str:
    for _ in range(timeout_ms // 50):
        found = [line for line in lines if line.startswith(prefix)]
        if found:
            return found[0]
        page.wait_for_timeout(50)  # lets Playwright deliver queued console events
    pytest.fail(f"no console line starting with {prefix!r} within {timeout_ms} ms: {lines}")


@pytest.mark.browser
def test_probe_reads_refusals_closes_and_crashes_in_chromium(browser, static_server, tmp_path):
    ports = Ports()
    refusing, closing, raw = ports[8765], free_port(), free_port()
    write("trouble-probe", tmp_path, ports)  # its last line probes ws://localhost:<refusing>/
    (tmp_path / "index.html").write_text('<!doctype html><title>probe</title><script src="probe.js"></script>')
    (tmp_path / "servers.py").write_text(BROWSER_SERVERS)
    args = [sys.executable, str(tmp_path / "servers.py"), str(refusing), str(closing), str(raw)]
    with running(args, closing, tmp_path) as servers:
        page = browser.new_page()
        logs: list[str] = []
        errors: list[str] = []
        page.on("console", lambda m: logs.append(m.text) if m.type == "log" else None)
        # Chromium's own lines about sockets (not the favicon's 404).
        page.on("console", lambda m: m.type == "error" and m.text.startswith("WebSocket") and errors.append(m.text))
        page.goto(f"{static_server}/index.html")

        # The Origin refused: the console names the status, the page sees error then 1006.
        wait_for_line(page, logs, "close after")
        assert [line.split(" after")[0] for line in logs] == ["error", "close"]
        assert logs[1].endswith('code=1006 reason="" clean=false')
        assert errors == [
            f"WebSocket connection to 'ws://localhost:{refusing}/' failed: "
            "Error during WebSocket handshake: Unexpected response code: 403"
        ]

        # A deliberate close: the code and reason arrive, clean.
        logs.clear()
        page.evaluate(f"probe('ws://127.0.0.1:{closing}/close-4000')")
        assert wait_for_line(page, logs, "close after").endswith('code=4000 reason="bye" clean=true')
        assert logs[0].startswith("open after")

        # A crash after open: 1006, no error event and no console line.
        logs.clear()
        page.evaluate(f"probe('ws://127.0.0.1:{closing}/crash')")
        assert wait_for_line(page, logs, "close after").endswith('code=1006 reason="" clean=false')
        assert [line.split(" after")[0] for line in logs] == ["open", "close"]
        assert len(errors) == 1

        # A Close frame carrying 1015: Chromium rejects it and reports 1006.
        logs.clear()
        page.evaluate(f"probe('ws://127.0.0.1:{raw}/')")
        assert wait_for_line(page, logs, "close after").endswith('code=1006 reason="" clean=false')
        assert errors[1] == (
            f"WebSocket connection to 'ws://127.0.0.1:{raw}/' failed: "
            "Received a broken close frame containing a reserved status code."
        )

        # Leaving the page closes an open socket with 1001.
        page.evaluate(f"window.kept = probe('ws://127.0.0.1:{closing}/watch')")
        page.wait_for_function("window.kept.readyState === WebSocket.OPEN", timeout=5_000)
        page.goto(f"{static_server}/index.html?again")
        log = tmp_path / f"server-{closing}.log"
        for _ in range(100):
            if "watch closed" in log.read_text():
                break
            page.wait_for_timeout(50)
        page.close()
    assert "watch closed by browser: code=1001" in servers.log


# --- Uvicorn 0.54.0 ------------------------------------------------------------------------------

UVICORN_APP = textwrap.dedent(
    """
    from fastapi import FastAPI, WebSocket, WebSocketDisconnect

    app = FastAPI()


    @app.websocket("/deny")
    async def deny(websocket: WebSocket):
        await websocket.close(code=1008)  # before accept()


    @app.websocket("/boom")
    async def boom(websocket: WebSocket):
        await websocket.accept()
        await websocket.receive_text()
        raise RuntimeError("a bug in the handler")


    @app.websocket("/echo")
    async def echo(websocket: WebSocket):
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect as disconnect:
            print(f"app saw disconnect code={disconnect.code}", flush=True)
    """
)


def uvicorn(tmp_path: Path, port: int, *options: str):
    (tmp_path / "app.py").write_text(UVICORN_APP)
    args = [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port), *options]
    return running(args, port, tmp_path)


async def client_error(url: str, action=None) -> Exception:
    try:
        async with asyncio.timeout(10), connect(url, close_timeout=1) as websocket:
            if action:
                await action(websocket)
            await websocket.recv()
    except (ConnectionClosed, InvalidStatus) as error:
        return error
    raise AssertionError(f"{url}: no error")


async def say_hello(websocket):
    await websocket.send("hello")


async def stop_reading(websocket):
    websocket.transport.pause_reading()  # Pings go unanswered
    await asyncio.sleep(2)
    websocket.transport.resume_reading()


def test_uvicorn_403_before_accept_1006_on_exceptions_1005_after_a_keepalive_timeout(tmp_path):
    port = free_port()
    with uvicorn(tmp_path, port, "--ws-ping-interval", "0.5", "--ws-ping-timeout", "0.5") as server:
        base = f"ws://127.0.0.1:{port}"
        denied = run_async(client_error(f"{base}/deny"))
        crashed = run_async(client_error(f"{base}/boom", say_hello))
        timed_out = run_async(client_error(f"{base}/echo", stop_reading))
        for _ in range(40):
            if "app saw disconnect" in (tmp_path / f"server-{port}.log").read_text():
                break
            time.sleep(0.05)
    assert isinstance(denied, InvalidStatus)
    assert denied.response.status_code == 403
    assert '"WebSocket /deny" 403' in server.log
    assert str(crashed) == "no close frame received or sent"
    assert "Exception in ASGI application" in server.log
    assert str(timed_out).startswith("received 1011 (internal error) keepalive ping timeout")
    assert "app saw disconnect code=1005" in server.log
    assert "keepalive" not in server.log  # nothing at the default log level


def test_uvicorn_without_a_websocket_library_answers_404(tmp_path):
    port = free_port()
    with uvicorn(tmp_path, port, "--ws", "none") as server:
        refused = run_async(client_error(f"ws://127.0.0.1:{port}/echo"))
    assert isinstance(refused, InvalidStatus)
    assert refused.response.status_code == 404
    assert "Unsupported upgrade request." in server.log
    assert "No supported WebSocket library detected" in server.log


# --- nginx ---------------------------------------------------------------------------------------


def nginx_config(tmp_path: Path, ports: Ports) -> Path:
    """The nginx page's proxy with this page's log format, a 1 s read timeout, logs in tmp_path."""
    proxy = example("nginx-ws-proxy").code
    changed = proxy.replace("proxy_read_timeout 3600s;", "proxy_read_timeout 1s;").replace(
        "location /ws/ {", f"location /ws/ {{\n        access_log {tmp_path}/websocket.log websocket;", 1
    )
    assert "proxy_read_timeout 1s;" in changed, "the nginx page's proxy block no longer sets proxy_read_timeout 3600s"
    assert "websocket.log" in changed, "the nginx page's proxy block no longer has `location /ws/ {`"
    temp = "\n".join(
        f"    {kind}_temp_path {tmp_path}/tmp/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "tmp").mkdir(exist_ok=True)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n{temp}\n{example('trouble-nginx-log').code}\n{ports.rewrite(changed)}\n}}\n"
    )
    return conf


async def wait_silently(url: str) -> float:
    async with connect(url, proxy=None, ping_interval=None) as websocket:
        started = asyncio.get_running_loop().time()
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(websocket.recv(), 10)
        assert websocket.close_code == 1006
        return asyncio.get_running_loop().time() - started


async def handshake_status(url: str) -> int:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, proxy=None):
            pass
    return refused.value.response.status_code


@exercises("trouble-nginx-log")
def test_log_format_records_lifetime_and_a_502(tmp_path):
    nginx = require_tool("nginx", "the nginx log format is served for real")
    ports = Ports()
    conf = nginx_config(tmp_path, ports)
    nginx_cmd = [nginx, "-e", "stderr", "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"]
    url = f"ws://127.0.0.1:{ports[8080]}/ws/"
    backend = write("nginx-backend", tmp_path, ports)
    with running([sys.executable, str(backend)], ports[8765], tmp_path), running(nginx_cmd, ports[8080], tmp_path):
        after = run_async(wait_silently(url))
    with running(nginx_cmd, ports[8080], tmp_path):  # the backend is down now
        status = run_async(handshake_status(url))

    upgraded, refused = (tmp_path / "websocket.log").read_text().splitlines()
    lived = re.search(rf'"GET /ws/ HTTP/1.1" 101 lived=(\d+\.\d+)s upstream=127\.0\.0\.1:{ports[8765]}$', upgraded)
    assert lived, upgraded
    assert 0.9 <= float(lived[1]) <= after + 0.5
    assert status == 502
    assert re.search(r'" 502 lived=0\.\d+s upstream=127\.0\.0\.1:\d+$', refused), refused
    assert "connect() failed (111: Connection refused) while connecting to upstream" in (tmp_path / "error.log").read_text()
