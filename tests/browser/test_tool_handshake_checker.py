"""The handshake checker (theme/static/js/tools/handshake-checker.js) in Chromium.

The site is the fixture site plus a chapter of stand-ins for the guide pages that the checker's
block links to: the ``websocket-protocol`` stand-in holds the guide's ``??? tool handshake-checker``
block, copied from content/ so that the block tested is the one published, and every stand-in has
a heading for each anchor the block names. The checker reads its links and the causes of refusals
from that block's lists, so the tests compare its answers with the block's items.

It is fed the RFC 6455 sample handshake (section 1.3), handshakes captured from a websockets server
that the test starts (over a raw socket as the developer tools show them, and as `curl -v` prints
them), mutations of the sample that each break one rule, refusals (a real 400, then 426, 502 and a
status the block does not list), garbage, half a handshake and a 10 MB paste. Nothing of the tool
loads before its block is opened, no console error appears, and axe passes with verdicts shown,
light and dark. On the real guide (when it builds) both pages hold the block and every link the
checker gives leads to an existing section, the troubleshooting index's ``#http-NNN`` where it has one.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import FIXTURE_SITE, LAYOUT_SHIFT, ROOT, axe_violations, build_site, tool_block, unavailable
from playwright.sync_api import expect

from guide.site_tools.serve import serve

pytestmark = pytest.mark.browser

PAGES = {
    "websocket-protocol.html": ROOT / "content" / "pages" / "01-foundations" / "03-websocket-protocol.md",
    "nginx-websocket-proxy.html": ROOT / "content" / "pages" / "04-deployment" / "01-nginx-websocket-proxy.md",
}
TOOL = "details.tool.handshake-checker"
ON_DEMAND = re.compile(r"/js/tools/(handshake-checker|kit)\.js$|/css/tools\.css$")
#: A guide link in the block's Markdown: (slug, anchor or "").
GUIDE_LINK = re.compile(r"\]\(/([a-z0-9-]+)\.html(?:#([a-z0-9-]+))?\)")
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
CHECK = "async ([a, b]) => (await import('/theme/js/tools/handshake-checker.js')).check([a, b])"

#: RFC 6455, section 1.3: the client's handshake and the server's answer.
RFC_REQUEST = """GET /chat HTTP/1.1
Host: server.example.com
Upgrade: websocket
Connection: Upgrade
Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
Origin: http://example.com
Sec-WebSocket-Protocol: chat, superchat
Sec-WebSocket-Version: 13
"""
RFC_RESPONSE = """HTTP/1.1 101 Switching Protocols
Upgrade: websocket
Connection: Upgrade
Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
Sec-WebSocket-Protocol: chat
"""
#: Every rule a complete 101 exchange is checked against (Origin is a note, never a rule).
RULES = {
    "Request line",
    "Host",
    "Upgrade",
    "Connection",
    "Sec-WebSocket-Version",
    "Sec-WebSocket-Key",
    "Status line",
    "Response Upgrade and Connection",
    "Sec-WebSocket-Accept",
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Extensions",
}


def accept(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def make_site(folder: Path) -> Path:
    """The fixture site with a chapter of stand-ins for the pages the block links to; its content folder."""
    content = folder / "content"
    shutil.copytree(FIXTURE_SITE, content)
    block = tool_block(PAGES["websocket-protocol.html"].read_text(encoding="utf-8"), "handshake-checker")
    anchors: dict[str, list[str]] = {"websocket-protocol": []}
    for slug, anchor in GUIDE_LINK.findall(block):
        ids = anchors.setdefault(slug, [])
        if anchor and anchor not in ids:
            ids.append(anchor)
    chapter = content / "pages" / "03-handshakes"
    chapter.mkdir()
    (chapter / "_chapter.md").write_text("title: Handshakes\n", encoding="utf-8")
    for number, (slug, ids) in enumerate(sorted(anchors.items()), start=1):
        sections = "\n\n".join(f"## Section {anchor} {{ #{anchor} }}\n\nText." for anchor in ids)
        body = f"{sections}\n\n{block}" if slug == "websocket-protocol" else sections
        text = f"title: Stand-in for {slug}\nslug: {slug}\nsort-order: 03{number:02d}\nmeta: A page of the handshake checker's fixture.\n\n{body}\n"
        (chapter / f"{number:02d}-{slug}.md").write_text(text, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """That site, built strictly and served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("handshake-checker")
    output = folder / "out"
    build_site(make_site(folder), output, strict=True)
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(serve(output))


@pytest.fixture(scope="module")
def ws_port():
    """A websockets server on a free port of 127.0.0.1 that speaks the subprotocol "chat"."""
    from websockets.asyncio.server import serve as ws_serve

    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state = {}

    async def handler(connection):
        await connection.close()

    async def main():
        state["stop"] = asyncio.Event()
        async with ws_serve(handler, "127.0.0.1", 0, subprotocols=["chat"]) as server:
            state["port"] = server.sockets[0].getsockname()[1]
            ready.set()
            await state["stop"].wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10), "the websockets server did not start"
    yield state["port"]
    loop.call_soon_threadsafe(state["stop"].set)
    thread.join(10)


def raw_exchange(port: int, request: str) -> str:
    """Send a request over a plain socket; the response's head, as the server wrote it."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(request.replace("\n", "\r\n").encode())
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = conn.recv(4096)
            if not chunk:
                break
            received += chunk
    return received.split(b"\r\n\r\n")[0].decode() + "\r\n\r\n"


def browser_request(port: int, key: str) -> str:
    return (
        f"GET /chat HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: Upgrade\nPragma: no-cache\nUpgrade: websocket\n"
        "Origin: http://127.0.0.1:8000\nSec-WebSocket-Version: 13\n"
        f"Sec-WebSocket-Key: {key}\nSec-WebSocket-Protocol: superchat, chat\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\n\n"
    )


def open_tool(page, base: str):
    page.goto(f"{base}/websocket-protocol.html", wait_until="networkidle")
    page.locator(f"{TOOL} > summary").click()
    expect(page.locator(f"{TOOL} textarea")).to_have_count(2)


def run(page, request: str, response: str = "") -> list[tuple[str, str, str]]:
    """Paste into the boxes, press Check: (mark, text, link) per verdict shown."""
    boxes = page.locator(f"{TOOL} textarea")
    boxes.nth(0).fill(request)
    boxes.nth(1).fill(response)
    return press_check(page)


def press_check(page) -> list[tuple[str, str, str]]:
    """Press Check with whatever the boxes hold: the verdicts shown, after the previous ones are gone."""
    output = page.locator(f"{TOOL} .tool-output")
    output.evaluate("node => node.replaceChildren()")
    page.locator(f"{TOOL} button").click()
    expect(output.locator("li").first).to_be_visible()
    return verdicts(page)


def verdicts(page) -> list[tuple[str, str, str]]:
    rows = page.locator(f"{TOOL} .tool-output li").evaluate_all(
        """items => items.map(li => [li.querySelector('.tool-mark').textContent,
             li.textContent.replace(/^\\S+ /, '').replace(/ Why\\?$/, ''), li.querySelector('a')?.href || ''])"""
    )
    return [tuple(row) for row in rows]


def failed(rows) -> set[str]:
    """The names of the rules that failed, from check()'s rows ("bad") or those shown ("Fail")."""
    return {text.split(":")[0] for kind, text, _ in rows if kind in ("bad", "Fail")}


def block_items(page) -> dict[str, tuple[str, str]]:
    """The block's list items on the page: the text before the first colon -> (whole text, first link)."""
    items = page.locator(f"{TOOL} > ul > li").evaluate_all(
        "items => items.map(li => [li.textContent.trim(), li.querySelector('a')?.href || ''])"
    )
    return {text.split(":")[0]: (text, link) for text, link in items}


def assert_clean(watch):
    assert not watch.problems, "\n".join(watch.problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_nothing_loads_or_moves_before_the_block_opens_and_axe_passes(base, new_context, axe_script, scheme):
    context, watch = new_context(color_scheme=scheme, bypass_csp=True)  # axe is injected inline
    requested: list[str] = []
    context.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page = context.new_page()
    watch.where = f"websocket-protocol.html ({scheme})"
    page.goto(f"{base}/websocket-protocol.html", wait_until="networkidle")
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    assert not [path for path in requested if ON_DEMAND.search(path)], "loaded before the block was opened"
    assert page.evaluate(LAYOUT_SHIFT) == 0

    page.locator(f"{TOOL} > summary").focus()
    page.keyboard.press("Enter")  # the keyboard opens it
    expect(page.locator(TOOL)).to_have_attribute("data-tool", "ready")
    wanted = {"/js/tools/handshake-checker.js", "/js/tools/kit.js", "/css/tools.css"}
    for _ in range(50):  # the stylesheet's link is added by mount(), its request follows
        loaded = {ON_DEMAND.search(path).group(0) for path in requested if ON_DEMAND.search(path)}
        if loaded == wanted:
            break
        page.wait_for_timeout(100)
    assert loaded == wanted, loaded

    page.locator(f"{TOOL} textarea").first.focus()
    page.keyboard.insert_text(RFC_REQUEST + "\n" + RFC_RESPONSE)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(f"{TOOL} button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"{TOOL} .tool-output li").first).to_be_visible()
    page.add_script_tag(path=str(axe_script))
    assert axe_violations(page, watch.where) == []
    assert_clean(watch)


def test_the_rfc_sample_passes_every_rule(base, new_context):
    context, watch = new_context()
    page = context.new_page()
    open_tool(page, base)
    for request, response in ((RFC_REQUEST, RFC_RESPONSE), (RFC_REQUEST + "\n" + RFC_RESPONSE, "")):
        rows = run(page, request, response)
        assert {text.split(":")[0] for mark, text, _ in rows if mark == "Pass"} == RULES, rows
        assert [mark for mark, *_ in rows if mark != "Pass"] == ["Note"], rows
        assert 'Sec-WebSocket-Accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="' in "\n".join(text for _, text, _ in rows)
        assert 'Origin: "http://example.com"' in rows[-1][1]
    items = block_items(page)
    for _mark, text, link in rows:  # each verdict links to what its item in the block links to
        assert link, text
        assert link == items[text.split(":")[0]][1], (text, link)
    assert_clean(watch)


def test_a_handshake_captured_from_websockets_passes(base, new_context, ws_port):
    key = base64.b64encode(bytes(range(100, 116))).decode()
    request = browser_request(ws_port, key)
    response = raw_exchange(ws_port, request)
    assert response.startswith("HTTP/1.1 101 "), response
    assert "permessage-deflate" in response, response
    assert "Sec-WebSocket-Protocol: chat" in response, response

    context, watch = new_context()
    page = context.new_page()
    open_tool(page, base)
    rows = run(page, request, response)  # as the developer tools show them: one box each
    assert {text.split(":")[0] for mark, text, _ in rows if mark == "Pass"} == RULES, rows
    assert f'Sec-WebSocket-Accept: "{accept(key)}"' in "\n".join(text for _, text, _ in rows)
    assert_clean(watch)


def test_a_curl_v_transcript_passes_with_its_marks_removed(base, new_context, ws_port):
    curl = shutil.which("curl")
    if not curl:
        unavailable("curl is not installed (apt-get install curl)")
    key = base64.b64encode(b"sixteen byte key").decode()
    headers = [
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Protocol: chat",
    ]
    args = [curl, "-v", "-s", "-N", "--http1.1", "--max-time", "5", "-o", "/dev/null"]
    for header in headers:
        args += ["-H", header]
    transcript = subprocess.run([*args, f"http://127.0.0.1:{ws_port}/"], capture_output=True, text=True, timeout=10).stderr
    assert "> GET / HTTP/1.1" in transcript, transcript
    assert "< HTTP/1.1 101 Switching Protocols" in transcript, transcript

    context, watch = new_context()
    page = context.new_page()
    open_tool(page, base)
    rows = run(page, transcript)  # the whole transcript in one box
    assert {text.split(":")[0] for mark, text, _ in rows if mark == "Pass"} == RULES, rows
    assert rows[-1][:2] == ("Note", "Origin: none"), rows  # curl sends none: a note, not a failure
    assert_clean(watch)


#: A mutation of the RFC sample -> the one rule it breaks.
KEY_15 = base64.b64encode(b"fifteen bytes!!").decode()
MUTATIONS = {
    "wrong accept": (("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "s3pPLMBiTxaQ9kYGzzhZRbK+xOA="), "Sec-WebSocket-Accept"),
    "no Upgrade": (("Upgrade: websocket\nConnection", "Connection"), "Upgrade"),
    "keep-alive only": (("Connection: Upgrade\nSec-WebSocket-Key", "Connection: keep-alive\nSec-WebSocket-Key"), "Connection"),
    "version 8": (("Version: 13", "Version: 8"), "Sec-WebSocket-Version"),
    "15-byte key": (("dGhlIHNhbXBsZSBub25jZQ==", KEY_15, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", accept(KEY_15)), "Sec-WebSocket-Key"),
    "unoffered subprotocol": (
        ("Sec-WebSocket-Protocol: chat\n", "Sec-WebSocket-Protocol: superduperchat\n"),
        "Sec-WebSocket-Protocol",
    ),
    "two subprotocols": (
        ("Sec-WebSocket-Protocol: chat\n", "Sec-WebSocket-Protocol: chat, superchat\n"),
        "Sec-WebSocket-Protocol",
    ),
    "HTTP/1.0": (("GET /chat HTTP/1.1", "GET /chat HTTP/1.0"), "Request line"),
    "POST": (("GET /chat", "POST /chat"), "Request line"),
    "no Host": (("Host: server.example.com\n", ""), "Host"),
    "unoffered extension": (
        ("Sec-WebSocket-Protocol: chat\n", "Sec-WebSocket-Protocol: chat\nSec-WebSocket-Extensions: permessage-deflate\n"),
        "Sec-WebSocket-Extensions",
    ),
    "window bits 16": (
        (
            "Origin:",
            "Sec-WebSocket-Extensions: permessage-deflate\nOrigin:",
            "Protocol: chat\n",
            "Protocol: chat\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16\n",
        ),
        "Sec-WebSocket-Extensions",
    ),
    "client bits not offered": (
        (
            "Origin:",
            "Sec-WebSocket-Extensions: permessage-deflate\nOrigin:",
            "Protocol: chat\n",
            "Protocol: chat\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10\n",
        ),
        "Sec-WebSocket-Extensions",
    ),
    "response without Upgrade": (
        ("Upgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Accept", "Connection: Upgrade\nSec-WebSocket-Accept"),
        "Response Upgrade and Connection",
    ),
}
#: Variations that break nothing: tokens are case-insensitive and Connection is a list.
HARMLESS = {
    "WebSocket in capitals": ("Upgrade: websocket\nConnection", "Upgrade: WebSocket\nConnection"),
    "Connection as a list": ("Connection: Upgrade\nSec-WebSocket-Key", "Connection: keep-alive, Upgrade\nSec-WebSocket-Key"),
    "no subprotocol chosen": ("Sec-WebSocket-Protocol: chat\n", ""),
    "deflate offered and accepted": (
        "Origin:",
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\nOrigin:",
        "Protocol: chat\n",
        "Protocol: chat\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12; client_max_window_bits=12\n",
    ),
}


def mutate(replacements) -> tuple[str, str]:
    request, response = RFC_REQUEST, RFC_RESPONSE
    for old, new in zip(replacements[::2], replacements[1::2], strict=True):
        if old in request:
            request = request.replace(old, new, 1)
        else:
            assert old in response, old
            response = response.replace(old, new, 1)
    return request, response


def test_each_mutation_fails_exactly_the_rule_it_breaks(base, new_context):
    context, watch = new_context()
    page = context.new_page()
    open_tool(page, base)
    for name, (replacements, rule) in MUTATIONS.items():
        rows = page.evaluate(CHECK, list(mutate(replacements)))
        assert failed(rows) == {rule}, (name, rows)
    for name, replacements in HARMLESS.items():
        rows = page.evaluate(CHECK, list(mutate(replacements)))
        assert failed(rows) == set(), (name, rows)
    assert_clean(watch)


def test_a_refusal_gives_the_cause_the_block_gives(base, new_context, ws_port):
    key = base64.b64encode(bytes(16)).decode()
    request = browser_request(ws_port, key).replace("Sec-WebSocket-Protocol: superchat, chat\n", "")
    real_400 = raw_exchange(ws_port, request)  # the server speaks "chat" and nothing was offered
    assert real_400.startswith("HTTP/1.1 400 Bad Request"), real_400

    context, watch = new_context()
    page = context.new_page()
    open_tool(page, base)
    items = block_items(page)
    refusals = {
        "400": (real_400, "subprotocol"),
        "426": ("HTTP/1.1 426 Upgrade Required\nUpgrade: websocket\n", "proxy"),
        "502": ("HTTP/1.1 502 Bad Gateway\nServer: nginx\n", "backend"),
        "503": ("HTTP/1.1 503 Service Unavailable\n", "shutting down"),
        "302": ("HTTP/1.1 302 Found\nLocation: https://example.com/chat\n", "redirect"),
    }
    for status, (response, word) in refusals.items():
        rows = run(page, request, response)
        [(mark, text, link)] = [row for row in rows if row[1].startswith("Status line")]
        item_text, item_link = next(value for head, value in items.items() if re.match(r"\d", head) and status in head)
        assert mark == "Fail", (status, text)
        assert word in text, (status, text)
        assert text.endswith(item_text.split(":", 1)[1]), (status, text)  # the block's cause, word for word
        assert link == item_link, (status, link)
        assert failed(rows) == {"Status line"}, rows

    rows = run(page, request, "HTTP/1.1 418 I'm a teapot\n")  # not in the block's list
    [(mark, text, link)] = [row for row in rows if row[1].startswith("Status line")]
    assert mark == "Fail", text
    assert "any status but 101 refuses the upgrade" in text, text
    assert link == items["Status line"][1]
    assert_clean(watch)


def test_garbage_and_half_a_handshake_get_a_clear_message(base, new_context):
    context, watch = new_context()
    page = context.new_page()
    open_tool(page, base)
    garbage = [
        "",
        "hello world",
        "\x00\x01\x02 ☃ <script>alert(1)</script>",
        "__proto__: x\nconstructor: y",
        "GET\n" * 1000,
        "{]" * 5000,
    ]
    for text in garbage:
        rows = run(page, text)
        assert rows == [("Fail", "No request line (GET /path HTTP/1.1) or status line (HTTP/1.1 101 …) found.", "")], (
            text[:40],
            rows,
        )
    assert page.locator("script:text('alert(1)')").count() == 0

    request_only = run(page, RFC_REQUEST)
    assert ("Fail", "Status line: none (paste it too)") in [row[:2] for row in request_only], request_only
    response_only = run(page, "", RFC_RESPONSE)
    assert response_only[0][:2] == ("Fail", "Request line: none (paste it too)"), response_only
    cut = run(page, RFC_REQUEST[:40])  # a request cut after its second line
    assert {"Upgrade", "Connection", "Sec-WebSocket-Key"} <= failed(cut), cut
    assert_clean(watch)


def test_a_10_mb_paste_is_refused_at_once(base, new_context):
    """Pasted with the keyboard from the clipboard: refused before the box takes it (drawing 10 MB
    in a text box freezes Chromium for seconds), while a handshake pasted the same way goes in."""
    context, watch = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_tool(page, base)
    box = page.locator(f"{TOOL} textarea").first
    page.evaluate("size => navigator.clipboard.writeText('Sec-WebSocket-Key: abc\\n'.repeat(size / 24))", 10 * 1024 * 1024)
    box.focus()
    started = time.monotonic()
    page.keyboard.press("Control+V")
    expect(page.locator(f"{TOOL} .tool-output li")).to_have_text(re.compile("Over 64 KiB"), timeout=2_000)
    assert time.monotonic() - started < 2
    assert box.input_value() == ""

    page.evaluate("text => navigator.clipboard.writeText(text)", RFC_REQUEST + "\n" + RFC_RESPONSE)
    page.keyboard.press("Control+V")
    assert box.input_value() == RFC_REQUEST + "\n" + RFC_RESPONSE
    page.locator(f"{TOOL} button").click()
    expect(page.locator(f"{TOOL} .tool-output li").first).to_have_text(re.compile("^Pass Request line"))

    box.evaluate("box => { box.value = 'x'.repeat(70 * 1024) }")  # typed or dropped: refused by Check
    assert press_check(page)[0][:2] == ("Fail", "Over 64 KiB: paste the handshake's headers only.")
    elapsed, answer = page.evaluate(
        "async () => { const big = 'x'.repeat(10 * 1024 * 1024); const started = performance.now();"
        " const rows = await (await import('/theme/js/tools/handshake-checker.js')).check([big, '']);"
        " return [performance.now() - started, rows[0][1]]; }"
    )
    assert elapsed < 100, elapsed
    assert "Over 64 KiB" in answer, answer
    under = page.evaluate(CHECK, [RFC_REQUEST + "X-Padding: " + "a" * 60_000 + "\n", RFC_RESPONSE])
    assert failed(under) == set(), "a paste under the cap is checked"
    assert_clean(watch)


def test_on_the_guide_every_link_of_the_checker_leads_to_a_section(guide_site, new_context):
    """Both guide pages hold the block; each rule's and each refusal's link names an existing anchor,
    the troubleshooting index's #http-NNN when the index has one for that status."""
    index = guide_site.folder / "websocket-troubleshooting.html"
    index_ids = set(re.findall(r'id="(http-\d{3})"', index.read_text(encoding="utf-8"))) if index.is_file() else set()
    for name in PAGES:
        context, watch = new_context()
        page = context.new_page()
        watch.where = name
        requested: list[str] = []
        context.on("request", lambda request, seen=requested: seen.append(urlsplit(request.url).path))
        page.goto(guide_site.url(name), wait_until="networkidle")
        assert not [path for path in requested if ON_DEMAND.search(path)], f"{name}: loaded before the block was opened"
        page.locator(f"{TOOL} > summary").click()
        expect(page.locator(TOOL)).to_have_attribute("data-tool", "ready")
        rows = run(page, RFC_REQUEST, RFC_RESPONSE)
        links = [link for _, _, link in rows]
        statuses = [status for head in block_items(page) for status in re.findall(r"^\d{3}|(?<=[ ,])\d{3}", head)]
        assert {"400", "426", "502"} <= set(statuses), f"{name}: the block lists {statuses}"
        for status in statuses:
            refused = run(page, RFC_REQUEST, f"HTTP/1.1 {status} Refused\n")
            [(_, text, link)] = [row for row in refused if row[1].startswith("Status line")]
            assert "any status but 101" not in text, f"{name}: the block gives no cause for {status}"
            if f"http-{status}" in index_ids:
                assert link.endswith(f"/websocket-troubleshooting.html#http-{status}"), (
                    f"{name}: link {status} to the troubleshooting index"
                )
            links.append(link)
        for link in links:
            assert link, f"{name}: a verdict without a link: {rows}"
            target = urlsplit(link)
            html = (guide_site.folder / target.path.lstrip("/")).read_text(encoding="utf-8")
            anchor = target.fragment
            assert not anchor or f'id="{anchor}"' in html, f"{name}: {link} names no section"
        assert_clean(watch)
