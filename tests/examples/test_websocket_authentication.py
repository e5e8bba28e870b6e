"""The authentication page's ticket server, run for real on 127.0.0.1 against real websockets clients.

The page says: a fresh ticket opens one connection; the same ticket again, a ticket older than
TICKET_TTL and no ticket at all are refused with 401 before the upgrade; a connection is closed
with 4001 "authentication expired" once AUTH_LIFETIME has passed, and the client then reconnects
with a new ticket; logging out closes the session's sockets with 1008 "logged out" and stops new
tickets. The server's lifetimes are scaled down (30 s and 15 min become 1 s and 1 s or more) by
rewriting the page's constants, as the keepalive test does.
"""

from __future__ import annotations

import asyncio
import sys
import time
import urllib.error
import urllib.request

import pytest
from harness import Ports, exercises, run_python, running, write
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosedError, InvalidStatus

SERVER_ID, CLIENT_ID = "auth-ticket-server", "auth-ticket-client"
SESSION = "demo-session"  # the page's stand-in session


@pytest.fixture
def ports() -> Ports:
    return Ports()


def server_script(tmp_path, ports: Ports, ticket_ttl: float = 30, auth_lifetime: float = 15 * 60):
    """The page's ticket_server.py with its lifetimes replaced; fails if the page renamed them."""
    script = write(SERVER_ID, tmp_path, ports)
    source = script.read_text(encoding="utf-8")
    for line, value in (("TICKET_TTL = 30 ", ticket_ttl), ("AUTH_LIFETIME = 15 * 60 ", auth_lifetime)):
        assert source.count(line) == 1, f"the page no longer sets {line.strip()}"
        name = line.split(" =")[0]
        source = source.replace(line, f"{name} = {value} ")
    script.write_text(source, encoding="utf-8")
    return script


def start_server(tmp_path, ports: Ports, **lifetimes):
    return running([sys.executable, str(server_script(tmp_path, ports, **lifetimes))], ports[8765], tmp_path)


def post(port: int, path: str, session: str = SESSION) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=b"", headers={"Authorization": f"Bearer {session}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def fetch_ticket(port: int) -> str:
    status, body = post(port, "/ticket")
    assert status == 200, body
    return body


async def handshake(port: int, ticket: str | None) -> tuple[int, str]:
    """(101, first message) when accepted, else (status, body) of the refusal."""
    url = f"ws://127.0.0.1:{port}/ws" + (f"?ticket={ticket}" if ticket is not None else "")
    try:
        async with asyncio.timeout(5), connect(url) as websocket:
            return 101, await websocket.recv()
    except InvalidStatus as refused:
        return refused.response.status_code, refused.response.body.decode()


@exercises(SERVER_ID)
def test_a_ticket_opens_one_connection_and_reused_expired_or_missing_ones_get_401(tmp_path, ports):
    port = ports[8765]
    with start_server(tmp_path, ports, ticket_ttl=1) as server:
        ticket, stale = fetch_ticket(port), fetch_ticket(port)
        first = asyncio.run(handshake(port, ticket))
        again = asyncio.run(handshake(port, ticket))
        missing = asyncio.run(handshake(port, None))
        time.sleep(1.3)  # past the 1 s TICKET_TTL; `stale` was never used
        expired = asyncio.run(handshake(port, stale))
        fresh = asyncio.run(handshake(port, fetch_ticket(port)))  # the server still accepts new tickets
        not_logged_in = post(port, "/ticket", session="guess")
    assert first == (101, "hello alice")
    assert again == (401, "invalid or expired ticket\n")
    assert missing == (401, "missing ticket\n")
    assert expired == (401, "invalid or expired ticket\n")
    assert fresh == (101, "hello alice")
    assert not_logged_in == (401, "log in first\n")
    assert "connection handler failed" not in server.log


@exercises()
def test_the_refusal_carries_a_challenge_and_the_ticket_is_not_cached(tmp_path, ports):
    port = ports[8765]

    async def refused_headers():
        with pytest.raises(InvalidStatus) as refused:
            async with asyncio.timeout(5), connect(f"ws://127.0.0.1:{port}/ws"):
                pass
        return refused.value.response.headers

    with start_server(tmp_path, ports):
        headers = asyncio.run(refused_headers())
        with urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{port}/ticket", data=b"", headers={"Authorization": f"Bearer {SESSION}"}),
            timeout=5,
        ) as response:
            cache_control = response.headers["Cache-Control"]
            ticket = response.read().decode()
    assert headers["WWW-Authenticate"] == 'Ticket realm="ws"'
    assert cache_control == "no-store"
    assert len(ticket) == 43  # token_urlsafe(32): 32 bytes in unpadded base64


@exercises()
def test_the_server_closes_with_4001_when_the_authentication_expires(tmp_path, ports):
    port = ports[8765]
    lifetime = 1.0

    async def wait_for_close():
        url = f"ws://127.0.0.1:{port}/ws?ticket={fetch_ticket(port)}"
        async with asyncio.timeout(5), connect(url) as websocket:
            opened = time.monotonic()
            assert await websocket.recv() == "hello alice"
            await websocket.send("still here")
            assert await websocket.recv() == "still here"  # the connection works until the deadline
            with pytest.raises(ConnectionClosedError) as closed:
                await websocket.recv()
            return closed.value.rcvd, time.monotonic() - opened

    with start_server(tmp_path, ports, auth_lifetime=lifetime) as server:
        rcvd, after = asyncio.run(wait_for_close())
        time.sleep(0.5)  # the handler ends once the TCP connection is gone; let it log if it fails
    assert (rcvd.code, rcvd.reason) == (4001, "authentication expired")
    assert lifetime - 0.2 < after < lifetime + 1.0
    assert "connection handler failed" not in server.log  # the handler catches ConnectionClosed


@exercises(CLIENT_ID)
def test_the_page_client_sees_each_refusal_then_4001_then_reconnects(tmp_path, ports):
    with start_server(tmp_path, ports, auth_lifetime=2) as server:
        run = run_python(write(CLIENT_ID, tmp_path, ports), timeout=30)
        time.sleep(0.5)  # as above: a failing handler logs after the client has gone
    assert run.stdout.strip().splitlines() == [
        "fresh ticket: hello alice",
        "same ticket again: HTTP 401 invalid or expired ticket",
        "no ticket: HTTP 401 missing ticket",
        "closed by server: 4001 authentication expired",
        "reconnected: hello alice",
    ]
    assert "Traceback" not in server.log


@exercises()
def test_logging_out_closes_the_sessions_sockets_with_1008_and_stops_new_tickets(tmp_path, ports):
    port = ports[8765]

    async def log_out_while_connected():
        url = f"ws://127.0.0.1:{port}/ws?ticket={fetch_ticket(port)}"
        async with asyncio.timeout(5), connect(url) as websocket:
            assert await websocket.recv() == "hello alice"
            status, body = await asyncio.to_thread(post, port, "/logout")
            assert (status, body) == (200, "logged out\n")
            with pytest.raises(ConnectionClosedError) as closed:
                await websocket.recv()
            return closed.value.rcvd

    with start_server(tmp_path, ports):
        rcvd = asyncio.run(log_out_while_connected())
        after_logout = post(port, "/ticket")
    assert (rcvd.code, rcvd.reason) == (1008, "logged out")
    assert after_logout == (401, "log in first\n")
