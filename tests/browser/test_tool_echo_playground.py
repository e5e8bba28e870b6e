"""The echo playground (theme/static/js/tools/echo-playground.js) in Chromium, against the guide's
own echo server: the first page's ``intro-echo-server`` block, started on a free port the way
`invoke serve --echo` starts it (guide/site_tools/echo_server.py).

The page is the fixture site's second page with the browser-client page's ``??? tool
echo-playground`` block appended, copied from content/ (so the block tested is the one published).
The tool is driven by its controls only: text and binary sends echoed, a clean 4000 close,
close codes and reasons close() would throw on, hosts the page's CSP does not allow, nothing
listening, and pastes over its cap. Nothing of it loads before the block is opened; axe passes
with a full log, light and dark.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import sys
from urllib.parse import urlsplit

import pytest
from helpers import FIXTURE_SITE, LAYOUT_SHIFT, ROOT, axe_violations, build_site, tool_block
from playwright.sync_api import expect

from guide.site_tools import echo_server
from guide.site_tools.serve import serve

pytestmark = pytest.mark.browser

GUIDE_PAGE = ROOT / "content" / "pages" / "02-clients" / "01-browser-websocket-client.md"
PAGE = "second.html"  #: the fixture page that gets the block
TOOL = "details.tool.echo-playground"
ON_DEMAND = re.compile(r"/js/tools/(echo-playground|kit)\.js$|/css/tools\.css$")
LOOPBACK_SOURCES = "connect-src 'self' ws://127.0.0.1:* ws://localhost:*"
TIME = r"\d\d:\d\d:\d\d\.\d{3}"  #: each log entry starts with its time


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The fixture site, its second page carrying the guide's echo playground block, served."""
    folder = tmp_path_factory.mktemp("echo-playground")
    content = folder / "content"
    shutil.copytree(FIXTURE_SITE, content)
    second = content / "pages" / "01-start" / "02-second.md"
    second.write_text(
        second.read_text(encoding="utf-8") + "\n" + tool_block(GUIDE_PAGE.read_text(encoding="utf-8"), "echo-playground"),
        encoding="utf-8",
    )
    build_site(content, folder / "output", strict=True)
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(serve(folder / "output"))


@pytest.fixture(scope="module")
def echo_url():
    """The guide's echo server on a free port, as `invoke serve --echo=PORT` runs it."""
    server = echo_server.start(sys.executable, ROOT, free_port())
    yield server.url
    server.stop()


def open_tool(new_context, base, **options):
    """The page with the block opened and the tool mounted; returns (page, watch, paths requested before opening)."""
    context, watch = new_context(**options)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page = context.new_page()
    watch.where = PAGE
    page.goto(f"{base}/{PAGE}", wait_until="networkidle")
    before = [path for path in requested if ON_DEMAND.search(path)]
    page.locator(f"{TOOL} > summary").click()
    expect(page.locator(TOOL)).to_have_attribute("data-tool", "ready")
    page.requested = requested
    return page, watch, before


def entries(page):
    return page.locator(f"{TOOL} .echo-playground-log li")


def fill(page, label: str, value: str) -> None:
    page.locator(TOOL).get_by_label(label, exact=True).fill(value)


def press(page, button: str) -> None:
    page.locator(TOOL).get_by_role("button", name=button, exact=True).click()


def expect_entry(page, pattern: str, count: int = 1) -> None:
    """``count`` log entries match ``pattern`` (after their time), within 10 s."""
    expect(entries(page).filter(has_text=re.compile(f"^{TIME} {pattern}"))).to_have_count(count, timeout=10_000)


def expect_last(page, pattern: str) -> None:
    """The newest log entry matches ``pattern`` (after its time), within 10 s."""
    expect(entries(page).last).to_have_text(re.compile(f"^{TIME} {pattern}"), timeout=10_000)


def connect(page, url: str) -> None:
    fill(page, "WebSocket URL", url)
    press(page, "Connect")
    expect_entry(page, re.escape("open: readyState 1 OPEN"))


def send(page, kind: str, message: str) -> None:
    page.locator(TOOL).get_by_label("Send as", exact=True).select_option(label=kind)
    fill(page, "Message", message)
    press(page, "Send")


#: Click Send and return how long the tool's handler ran, in ms (Chromium's own layout of a 10 MB
#: text box, after a paste, is not the tool's time).
SEND_TIMED = f"""() => {{
    const send = [...document.querySelectorAll('{TOOL} button')].find((button) => button.textContent == 'Send');
    const started = performance.now();
    send.click();
    return performance.now() - started;
}}"""


def paste(page, expression: str) -> None:
    """Put a huge value in the message box, as a paste does (fill would type-check it slowly)."""
    page.evaluate(
        f"""() => {{
        const box = [...document.querySelectorAll('{TOOL} textarea')][0];
        box.value = {expression};
        box.dispatchEvent(new Event('input', {{bubbles: true}}));
    }}"""
    )


def test_nothing_of_the_tool_loads_before_the_block_opens(base, new_context):
    page, watch, before = open_tool(new_context, base)
    assert before == [], f"requested before the block was opened: {before}"
    loaded = [path.rsplit("/", 1)[-1] for path in page.requested if ON_DEMAND.search(path)]
    assert sorted(set(loaded)) == ["echo-playground.js", "kit.js", "tools.css"], loaded
    expect(page.locator(TOOL).get_by_label("WebSocket URL", exact=True)).to_have_value("ws://127.0.0.1:8765/")
    assert not watch.problems, "\n".join(watch.problems)


def test_nothing_moves_before_the_block_opens(base, new_context):
    context, _ = new_context()
    page = context.new_page()
    page.goto(f"{base}/{PAGE}", wait_until="networkidle")
    assert page.evaluate(LAYOUT_SHIFT) == 0


def test_text_and_binary_come_back_and_a_4000_close_is_clean(base, new_context, echo_url):
    page, watch, _ = open_tool(new_context, base)
    connect(page, echo_url)
    expect_entry(page, re.escape(f"connecting to {echo_url}: readyState 0 CONNECTING"))
    press(page, "Connect")
    expect_last(page, re.escape("Refused: already readyState 1 OPEN: disconnect first"))

    send(page, "Text", "héllo")  # 6 bytes of UTF-8, 5 characters
    expect_entry(page, r"sent text, 6 bytes: bufferedAmount \d+, readyState 1 OPEN")
    expect_entry(page, re.escape('message: text, 6 bytes: "héllo"'))

    send(page, "Binary (hex)", "48 69\n00FF")
    expect_entry(page, r"sent binary, 4 bytes: bufferedAmount \d+, readyState 1 OPEN")
    expect_entry(page, re.escape("message: binary, 4 bytes: 48 69 00 ff"))

    fill(page, "Close code", "4000")
    fill(page, "Close reason", "bye")
    press(page, "Disconnect")
    expect_entry(page, re.escape("closing: readyState 2 CLOSING"))
    expect_entry(page, re.escape('close: code 4000, reason "bye", wasClean true, readyState 3 CLOSED'))

    texts = entries(page).all_inner_texts()
    order = [
        next(i for i, text in enumerate(texts) if word in text)
        for word in ("open:", "message: text", "message: binary", "close:")
    ]
    assert order == sorted(order), texts
    assert [text for text in texts if "Refused" in text] == [texts[2]], texts  # the second Connect only
    send(page, "Text", "after the close")
    expect_entry(page, re.escape("Refused: not open: connect first"))
    assert not watch.problems, "\n".join(watch.problems)


def test_close_codes_and_reasons_close_would_throw_on_are_explained(base, new_context, echo_url):
    page, watch, _ = open_tool(new_context, base)
    connect(page, echo_url)
    for code, reason, said in [
        ("1005", "", "close code 1005: close() throws InvalidAccessError unless 1000 or 3000-4999"),
        ("2999", "", "close code 2999: close() throws InvalidAccessError"),
        ("5000", "", "close code 5000: close() throws InvalidAccessError"),
        ("abc", "", "close code abc: close() throws InvalidAccessError"),
        ("1000", "é" * 100, "the reason is 200 bytes of UTF-8: close() takes at most 123 (else SyntaxError)"),
        ("", "bye", "a reason needs a code"),
    ]:
        fill(page, "Close code", code)
        fill(page, "Close reason", reason)
        press(page, "Disconnect")
        expect_last(page, "Refused: " + re.escape(said))
    send(page, "Text", "still open")  # no refused close touched the connection
    expect_entry(page, re.escape('message: text, 10 bytes: "still open"'))
    assert not entries(page).filter(has_text="close:").count()

    fill(page, "Close code", "1000")
    fill(page, "Close reason", "é" * 61 + "x")  # 123 bytes: the most close() takes
    press(page, "Disconnect")
    expect_entry(page, re.escape('close: code 1000, reason "' + "é" * 61 + 'x", wasClean true'))
    assert not watch.problems, "\n".join(watch.problems)  # no console error: the tool never called close() with them


def test_the_browser_throws_what_the_tool_and_the_page_say(base, new_context, echo_url):
    """The control: under this page's CSP, close() really throws those errors, and the page's
    by-hand recipe (its first example's handlers) logs what its prose says."""
    context, watch = new_context()
    page = context.new_page()
    page.goto(f"{base}/{PAGE}")
    logged: list[str] = []
    page.on("console", lambda message: message.type == "log" and logged.append(message.text))
    thrown = page.evaluate(
        """async (url) => {
        const ws = new WebSocket(url);
        ws.addEventListener("message", (event) => console.log(`received: ${event.data}`));
        const closed = new Promise((resolve) => ws.addEventListener("close", (event) => {
            console.log(`closed: code=${event.code} clean=${event.wasClean}`);
            resolve();
        }));
        await new Promise((resolve) => ws.addEventListener("open", resolve));
        const thrown = [];
        for (const [code, reason] of [[1005, ""], [2999, ""], [1000, "é".repeat(62)]]) {
            try { ws.close(code, reason); thrown.push("nothing"); } catch (error) { thrown.push(error.name); }
        }
        ws.send(new Uint8Array([0x48, 0x69]).buffer);
        await new Promise((resolve) => ws.addEventListener("message", resolve));
        ws.close(4000, "bye");
        await closed;
        return thrown;
    }""",
        echo_url,
    )
    assert thrown == ["InvalidAccessError", "InvalidAccessError", "SyntaxError"]
    assert logged == ["received: [object Blob]", "closed: code=4000 clean=true"]
    assert not watch.problems, "\n".join(watch.problems)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (
            "ws://example.com/",
            "example.com is not this machine: the tool, and this page's CSP, allow only ws://127.0.0.1 and ws://localhost",
        ),
        ("wss://example.com:8765/echo", "example.com is not this machine"),
        ("ws://[::1]:8765/", "[::1] is not this machine"),
        ("ws://127.0.0.2:8765/", "127.0.0.2 is not this machine"),
        ("http://127.0.0.1:8765/", "http: is not ws:"),
        ("wss://localhost:8765/", "wss: is not ws:"),
        ("example.com", "not a URL: write one like ws://127.0.0.1:8765/"),
        ("", "not a URL"),
    ],
)
def test_a_url_to_another_host_is_refused_by_the_tool(base, new_context, url, said):
    page, watch, _ = open_tool(new_context, base)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    fill(page, "WebSocket URL", url)
    press(page, "Connect")
    expect_entry(page, "Refused: " + re.escape(said))
    assert sockets == [], "the tool opened a socket it should have refused"
    assert not watch.problems, "\n".join(watch.problems)  # refused before the CSP had to


def test_only_the_tool_page_allows_loopback_and_its_policy_blocks_other_hosts(base, new_context):
    context, _ = new_context()
    page = context.new_page()
    policy = "meta[http-equiv=Content-Security-Policy]"
    page.goto(f"{base}/home.html")
    assert "connect-src" not in page.locator(policy).get_attribute("content"), "a page without the tool widened connect-src"
    page.goto(f"{base}/{PAGE}")
    directives = [part.strip() for part in page.locator(policy).get_attribute("content").split(";")]
    assert [d for d in directives if d.startswith("connect-src")] == [LOOPBACK_SOURCES]
    violation = page.evaluate(
        """() => new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", (event) => resolve([event.effectiveDirective, event.blockedURI]));
        try { new WebSocket("ws://example.com/"); } catch (error) { resolve(["thrown", error.name]); }
        setTimeout(() => resolve(["nothing blocked it"]), 3000);
    })"""
    )
    assert violation[0] == "connect-src", violation


def test_nothing_listening_gives_error_then_close_1006(base, new_context):
    page, watch, _ = open_tool(new_context, base)
    url = f"ws://127.0.0.1:{free_port()}/"
    fill(page, "WebSocket URL", url)
    press(page, "Connect")
    expect_entry(page, re.escape("error (no reason given; close follows)"))
    expect_entry(page, re.escape('close: code 1006, reason "", wasClean false, readyState 3 CLOSED'))
    texts = entries(page).all_inner_texts()
    assert [i for i, t in enumerate(texts) if "error (" in t] < [i for i, t in enumerate(texts) if "close:" in t], texts
    # Chromium reports the refused connection in the console itself; nothing else may be there.
    others = [p for p in watch.problems if f"WebSocket connection to '{url}' failed" not in p]
    assert not others, "\n".join(others)


def test_pastes_over_the_cap_and_garbage_are_refused_at_once(base, new_context, echo_url):
    page, watch, _ = open_tool(new_context, base)
    url = page.locator(TOOL).get_by_label("WebSocket URL", exact=True)
    url.fill("ws://" + "a" * 100_000 + ".example/")  # a paste of a long URL keeps its first 999 characters
    assert len(url.input_value()) == 999
    press(page, "Connect")
    expect_last(page, "Refused: a{994} is not this machine")
    assert len(entries(page).last.inner_text()) < 1200

    connect(page, echo_url)
    # The longest time the tool may take: a 10 MB paste is refused on its length alone, at once;
    # a paste just over the cap is read through once (generous: the tests share the machine).
    at_once, one_pass = 200, 3000
    for kind, expression, said, most in [
        ("Text", "'x'.repeat(10_000_000)", "10000000 characters: over the 1048576 bytes the echo server accepts (it would close with 1009)", at_once),
        ("Text", "'é'.repeat(524_289)", "1048578 bytes: over the 1048576 bytes", one_pass),
        ("Binary (hex)", "'ab '.repeat(3_400_000)", "10200000 characters: over the 1048576 bytes", at_once),
        ("Binary (hex)", "'ab '.repeat(1_048_577)", "1048577 bytes: over the 1048576 bytes", one_pass),
        ("Binary (hex)", "'zz'", "not hex: write bytes as pairs of 0-9 and a-f, such as 48 69", at_once),
        ("Binary (hex)", "'0x48'", "not hex", at_once),
        ("Binary (hex)", "'48 6'", "3 hex digits: odd, so one is missing", at_once),
    ]:  # fmt: skip
        page.locator(TOOL).get_by_label("Send as", exact=True).select_option(label=kind)
        paste(page, expression)
        milliseconds = page.evaluate(SEND_TIMED)
        expect_last(page, "Refused: " + re.escape(said))
        assert milliseconds < most, f"{expression}: the tool took {milliseconds:.0f} ms to refuse it"
    assert page.evaluate("1 + 1") == 2  # the page still answers

    send(page, "Text", "a" * 1000)  # shown clipped to its first 200 characters
    expect_entry(page, re.escape('message: text, 1000 bytes: "' + "a" * 200 + '" …'))
    paste(page, "'é'.repeat(524_288)")  # exactly 1 MiB: the echo server's max_size, still accepted
    press(page, "Send")
    expect_entry(page, re.escape("message: text, 1048576 bytes: "), count=1)
    assert not watch.problems, "\n".join(watch.problems)


def test_the_log_keeps_the_last_200_events(base, new_context, echo_url):
    page, _, _ = open_tool(new_context, base)
    connect(page, echo_url)
    for number in range(110):  # two entries each: sent and message
        send(page, "Text", f"n{number}")
    expect_entry(page, re.escape('message: text, 4 bytes: "n109"'))
    expect(entries(page)).to_have_count(200)
    assert "open:" not in entries(page).first.inner_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_tool_with_a_log(base, new_context, axe_script, echo_url, scheme):
    page, _, _ = open_tool(new_context, base, color_scheme=scheme, bypass_csp=True)
    connect(page, echo_url)
    send(page, "Text", "hello")
    expect_entry(page, re.escape('message: text, 5 bytes: "hello"'))
    fill(page, "Close code", "1005")
    press(page, "Disconnect")
    expect_entry(page, "Refused: close code 1005")
    page.add_script_tag(path=str(axe_script))
    assert axe_violations(page, f"{PAGE} ({scheme})") == []


def test_the_guide_page_places_the_tool_after_its_first_example():
    text = GUIDE_PAGE.read_text(encoding="utf-8")
    block = tool_block(text, "echo-playground")
    assert text.index('test="browser-first-socket"') < text.index(block) < text.index("## The API in brief")
    assert "python echo_server.py" in block
    assert "invoke serve --echo" in block
