"""The keepalive planner (theme/static/js/tools/keepalive-planner.js) in Chromium.

The site is the fixture site plus a chapter that holds a ``keepalive-timeouts`` page with the
guide's ``??? tool keepalive-planner`` block (copied from content/, so the block tested is the
one published), the same ``!data-table`` line and the sections the tool links to, and the guide's
own data file (content/data/idle-timeouts.toml). The planner is driven by its controls only, and
its answers are checked against answers worked out by hand from the guide's numbers; malformed
input gets a message naming the field. Nothing of it (module, kit, stylesheet, data) loads before
the block is opened; axe passes with a plan shown, light and dark. A copy of the data with other
numbers, built, changes the page's table, the JSON and the planner's answer together.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from urllib.parse import urlsplit

import pytest
from helpers import FIXTURE_SITE, LAYOUT_SHIFT, ROOT, axe_violations, build_site, tool_block
from playwright.sync_api import expect

from guide.site_tools.serve import serve

pytestmark = pytest.mark.browser

GUIDE_PAGE = ROOT / "content" / "pages" / "04-deployment" / "02-keepalive-timeouts.md"
DATA = ROOT / "content" / "data" / "idle-timeouts.toml"
PAGE = "keepalive-timeouts.html"
TOOL = "details.tool.keepalive-planner"
ON_DEMAND = re.compile(r"/js/tools/(keepalive-planner|kit)\.js$|/css/tools\.css$|/data/idle-timeouts\.json$")
#: The sections of the guide's page that the planner's "Why?" links name.
SECTIONS = {
    "who-closes-idle-connections": "## Who closes idle connections",
    "browsers-cannot-send-pings": "## Browsers cannot send pings",
    "half-open-connections": "## Half-open connections",
    "keepalive-ping-timeout": "### keepalive ping timeout { #keepalive-ping-timeout }",
    "choosing-values": "## Choosing values",
}


def page_text(title: str, slug: str, order: str, body: str) -> str:
    return f"title: {title}\nslug: {slug}\nsort-order: {order}\nmeta: A page of the planner's fixture.\n\n{body}"


def make_site(folder, data_text: str):
    """The fixture site with a chapter holding the planner's page and the pages its prose links to."""
    content = folder / "content"
    shutil.copytree(FIXTURE_SITE, content)
    (content / "data").mkdir()
    (content / "data" / "idle-timeouts.toml").write_text(data_text, encoding="utf-8")
    guide_page = GUIDE_PAGE.read_text(encoding="utf-8")
    table_line = next(line for line in guide_page.splitlines() if line.startswith("!data-table "))
    chapter = content / "pages" / "03-deployment"
    chapter.mkdir()
    (chapter / "_chapter.md").write_text("title: Deployment\n", encoding="utf-8")
    sections = "\n\n".join(f"{heading}\n\nText." for heading in SECTIONS.values())
    body = f"{sections}\n\n{table_line}\n\n{tool_block(guide_page, 'keepalive-planner')}"
    (chapter / "01-keepalive.md").write_text(page_text("Keepalive", "keepalive-timeouts", "0301", body), encoding="utf-8")
    for number, slug in enumerate(("websockets-cloud-platforms", "websockets-kubernetes-and-edges"), 2):
        (chapter / f"0{number}-{slug}.md").write_text(page_text(slug, slug, f"030{number}", "Text.\n"), encoding="utf-8")
    build_site(content, folder / "output", strict=True)
    return folder / "output"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    output = make_site(tmp_path_factory.mktemp("keepalive-planner"), DATA.read_text(encoding="utf-8"))
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(serve(output))


def open_tool(new_context, base, **options):
    """The page with the block opened and the first plan shown; returns (page, watch, paths requested before opening)."""
    context, watch = new_context(**options)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page = context.new_page()
    watch.where = PAGE
    page.goto(f"{base}/{PAGE}", wait_until="networkidle")
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(200)
    before = [path for path in requested if ON_DEMAND.search(path)]
    page.locator(f"{TOOL} > summary").click()
    expect(verdicts(page).first).to_be_visible()
    page.requested = requested
    return page, watch, before


def verdicts(page):
    return page.locator(f"{TOOL} .tool-output li")


def control(page, label: str):
    return page.locator(TOOL).get_by_label(label, exact=True)


def plan(page, *, server=None, interval=None, timeout=None, proxy=None, idle=None, platform=None, heartbeat="Off"):
    """Set the controls named (selects by their option's text, which starts with the row's name), then press Plan."""
    for label, value in (
        ("Server", server),
        ("Proxy in front", proxy),
        ("Platform or edge", platform),
        ("Browser heartbeat", heartbeat),
    ):
        if value is not None:
            options = control(page, label).locator("option").all_inner_texts()
            [choice] = [text for text in options if text == value or text.startswith(f"{value}:")]
            control(page, label).select_option(label=choice)
    for label, value in (("Ping interval (s)", interval), ("Ping timeout (s)", timeout), ("Proxy idle timeout (s)", idle)):
        if value is not None:
            control(page, label).fill(value)
    page.locator(TOOL).get_by_role("button", name="Plan").click()
    return verdicts(page).all_inner_texts()


def test_nothing_of_the_planner_loads_before_the_block_opens(base, new_context):
    page, watch, before = open_tool(new_context, base)
    assert not before, f"requested before the block was opened: {before}"
    loaded = {path.rsplit("/", 1)[-1] for path in page.requested if ON_DEMAND.search(path)}
    assert loaded == {"keepalive-planner.js", "kit.js", "tools.css", "idle-timeouts.json"}
    assert not watch.problems, "\n".join(watch.problems)


def test_nothing_moves_before_the_block_opens(base, new_context):
    context, _ = new_context()
    page = context.new_page()
    page.goto(f"{base}/{PAGE}", wait_until="networkidle")
    assert page.evaluate(LAYOUT_SHIFT) == 0


def test_the_options_come_from_the_data(base, new_context):
    page, watch, _ = open_tool(new_context, base)
    servers = control(page, "Server").locator("option").all_inner_texts()
    proxies = control(page, "Proxy in front").locator("option").all_inner_texts()
    platforms = control(page, "Platform or edge").locator("option").all_inner_texts()
    assert servers == ["Other", "websockets (server and client)", "Uvicorn", "Hypercorn", "Daphne"]
    assert {"nginx: idle 60 s", "HAProxy: idle not stated", "Caddy: idle none"} <= set(proxies)
    assert "Cloudflare: idle 100 s" in platforms
    assert "Google Cloud external Application Load Balancer: lifetime 30 s" in platforms
    assert not any(text.startswith(("Linux", "nginx")) for text in platforms), "TCP keepalive and proxies are no platforms"
    # The defaults: websockets' 20 s / 20 s, nothing in front.
    assert control(page, "Ping interval (s)").input_value() == "20"
    assert control(page, "Server").locator("option:checked").inner_text() == "websockets (server and client)"
    control(page, "Server").select_option(label="Daphne")
    assert (control(page, "Ping interval (s)").input_value(), control(page, "Ping timeout (s)").input_value()) == ("20", "30")
    control(page, "Server").select_option(label="Hypercorn")
    assert (control(page, "Ping interval (s)").input_value(), control(page, "Ping timeout (s)").input_value()) == ("none", "none")
    control(page, "Proxy in front").select_option(label="nginx: idle 60 s")
    assert control(page, "Proxy idle timeout (s)").input_value() == "60"
    assert not watch.problems, "\n".join(watch.problems)


def test_pings_every_20_s_keep_nginx_open(base, new_context):
    page, watch, _ = open_tool(new_context, base)
    rows = plan(page, server="websockets (server and client)", proxy="nginx")
    assert rows[0] == "Pass No idle timer fires: pings every 20 s keep every hop busy."
    # 20 + 20 s, and the half of nginx's 60 s.
    dead_peer = (
        "Note A dead peer goes unnoticed up to 40 s (interval + timeout); websockets then sends 1011 “keepalive ping timeout”"
    )
    assert f"{dead_peer} and logs 1006 as received. Why?" in rows
    assert any("Suggested: ping interval at most 30 s, half of nginx's 60 s" in r for r in rows)
    assert not watch.problems, "\n".join(watch.problems)


def test_without_pings_nginx_cuts_a_quiet_connection_after_60_s(base, new_context):
    page, watch, _ = open_tool(new_context, base)
    rows = plan(page, interval="none", timeout="none", proxy="nginx")
    assert rows[0] == "Fail First idle timer to fire: nginx, after 60 s. Both ends see 1006 (no Close frame). Why?"
    assert any(r.startswith("Fail No pings: a dead peer goes unnoticed until TCP gives up") for r in rows)
    link = page.locator(f"{TOOL} .tool-output li").first.get_by_role("link")
    assert link.get_attribute("href") == "keepalive-timeouts.html#who-closes-idle-connections"
    assert not watch.problems, "\n".join(watch.problems)


def test_hypercorn_defaults_behind_cloudflare(base, new_context):
    """Hypercorn sends no Pings by default: Cloudflare's 100 s cut the quiet connection, unless the page's heartbeat talks."""
    page, watch, _ = open_tool(new_context, base)
    rows = plan(page, server="Hypercorn", platform="Cloudflare")
    assert rows[0].startswith("Fail First idle timer to fire: Cloudflare, after 100 s. Both ends see 1006")
    assert any("Suggested: ping interval at most 50 s, half of Cloudflare's 100 s" in r for r in rows)
    assert any("No heartbeat" in r for r in rows)
    rows = plan(page, heartbeat="On")
    assert rows[0] == "Pass No idle timer fires: heartbeats every 15 s keep every hop busy."
    assert any("The heartbeat gives up on a dead server after 20 s and closes with its own 4000" in r for r in rows)
    assert not watch.problems, "\n".join(watch.problems)


def test_a_lifetime_cap_closes_busy_connections_too(base, new_context):
    page, watch, _ = open_tool(new_context, base)
    cap = "Fail Lifetime cap: Google Cloud external Application Load Balancer ends every connection after 30 s, busy or not. Both ends see 1006."
    rows = plan(page, interval="5", timeout="5", platform="Google Cloud external Application Load Balancer")
    assert rows[:2] == [cap, "Pass No idle timer fires: pings every 5 s keep every hop busy."]
    assert any("clients that reconnect" in r for r in rows)
    # Without pings behind nginx, the 30 s cap still comes before nginx's 60 s.
    rows = plan(page, interval="none", proxy="nginx")
    assert rows[0] == cap
    assert rows[1].startswith("Fail First idle timer to fire: nginx, after 60 s.")
    assert not watch.problems, "\n".join(watch.problems)


def test_other_paths(base, new_context):
    page, watch, _ = open_tool(new_context, base)
    # A proxy of the reader's own, 45 s: a 30 s interval keeps it open, with Front Door's 4 h cap after it.
    rows = plan(page, interval="30", timeout="10", proxy="None", idle="45", platform="Azure Front Door")
    front_door = "Fail Lifetime cap: Azure Front Door ends every connection after 14,400 s, busy or not. Both ends see 1006."
    assert rows[:2] == [front_door, "Pass No idle timer fires: pings every 30 s keep every hop busy."]
    assert any("at most 22.5 s, half of the proxy's 45 s" in r for r in rows)
    # No pings: the reader's proxy (45 s) before Front Door's 300 s.
    rows = plan(page, interval="none")
    assert rows[0].startswith("Fail First idle timer to fire: the proxy, after 45 s.")
    assert rows[1] == front_door
    # Daphne pings, and closes every connection itself after a day (no 1006 claimed for it).
    rows = plan(page, server="Daphne", proxy="None", platform="None")
    assert rows[:2] == [
        "Fail Lifetime cap: Daphne ends every connection after 86,400 s, busy or not.",
        "Pass No idle timer fires: pings every 20 s keep every hop busy.",
    ]
    assert any("unnoticed up to 50 s" in r for r in rows)
    # A ping interval but no timeout: a dead peer is never found by pings.
    rows = plan(page, server="Other", interval="15", timeout="none")
    assert any(r.startswith("Fail No ping timeout: a dead peer goes unnoticed until TCP gives up") for r in rows)
    assert not watch.problems, "\n".join(watch.problems)


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("Ping interval (s)", "-5"),
        ("Ping interval (s)", "twenty"),
        ("Ping interval (s)", ""),
        ("Ping timeout (s)", "0"),
        ("Ping timeout (s)", "1e9"),
        ("Proxy idle timeout (s)", "99999999"),
        ("Proxy idle timeout (s)", "60s"),
    ],
)
def test_malformed_input_is_named(base, new_context, label, value):
    page, watch, _ = open_tool(new_context, base)
    rows = plan(
        page, **{{"Ping interval (s)": "interval", "Ping timeout (s)": "timeout", "Proxy idle timeout (s)": "idle"}[label]: value}
    )
    field = label.removesuffix(" (s)")
    assert rows == [f"Fail {field}: “{value}” is not seconds (0.001 to 86400) nor “none”."]
    assert not watch.problems, "\n".join(watch.problems)


def test_a_10_mb_paste_is_answered_at_once(base, new_context):
    page, watch, _ = open_tool(new_context, base)
    control(page, "Ping interval (s)").fill("")
    control(page, "Ping interval (s)").focus()
    page.keyboard.insert_text("7" * 10_000_000)  # as a paste arrives: maxlength keeps the first 12 characters
    started = time.monotonic()
    rows = plan(page)
    assert time.monotonic() - started < 3
    assert rows == ["Fail Ping interval: “777777777777” is not seconds (0.001 to 86400) nor “none”."]
    assert not watch.problems, "\n".join(watch.problems)


def test_the_keyboard_alone_plans(base, new_context):
    page, watch, _ = open_tool(new_context, base)
    control(page, "Ping interval (s)").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("none")
    page.keyboard.press("Tab")  # to the ping timeout
    page.keyboard.press("Tab")  # to the proxy
    page.keyboard.press("ArrowDown")  # the first proxy of the data: nginx
    page.keyboard.press("Enter")
    expect(verdicts(page).first).to_contain_text("First idle timer to fire: nginx, after 60 s.")
    assert not watch.problems, "\n".join(watch.problems)


def test_the_data_failing_to_load_is_said(base, new_context):
    context, _ = new_context()
    context.route("**/data/idle-timeouts.json", lambda route: route.fulfill(status=404, body="gone"))
    page = context.new_page()
    page.goto(f"{base}/{PAGE}")
    page.locator(f"{TOOL} > summary").click()
    expect(page.locator(f"{TOOL} .tool-output")).to_have_text("The limits did not load (offline?): the table above lists them.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_a_plan_shown(base, new_context, axe_script, scheme):
    """axe is injected inline, so this context bypasses the CSP (the tests above keep it)."""
    page, watch, _ = open_tool(new_context, base, color_scheme=scheme, bypass_csp=True)
    plan(page, interval="none", proxy="nginx")
    page.add_script_tag(path=str(axe_script))
    violations = axe_violations(page, f"{PAGE}, planner open, {scheme}")
    assert not violations, "\n".join(violations)
    assert not watch.problems, "\n".join(watch.problems)


def test_the_page_table_the_json_and_the_planner_read_one_file(tmp_path, new_context):
    """nginx at 45 s in a copy of the data: the page's table, data/idle-timeouts.json and the planner all say 45."""
    data = DATA.read_text(encoding="utf-8")
    nginx = 'name = "nginx"\nkind = "proxy idle"\nseconds = 60\n'
    assert nginx in data, "the nginx row changed: update this test"
    output = make_site(tmp_path, data.replace(nginx, nginx.replace("60", "45")))
    html = (output / PAGE).read_text(encoding="utf-8")
    assert re.search(r"<td>nginx</td>\s*<td><code>proxy_read_timeout</code></td>\s*<td>45 s \(<a ", html)
    rows = json.loads((output / "data" / "idle-timeouts.json").read_text(encoding="utf-8"))["rows"]
    assert [row["seconds"] for row in rows if row["name"] == "nginx"] == [45]
    with serve(output) as site:
        page, watch, _ = open_tool(new_context, site)
        assert plan(page, interval="none", proxy="nginx")[0].startswith("Fail First idle timer to fire: nginx, after 45 s.")
        assert not watch.problems, "\n".join(watch.problems)


def test_every_section_the_planner_links_is_on_the_guide_page():
    """The "Why?" links are written by the module, so the link check never sees them: each names a heading of the page."""
    module = (ROOT / "theme" / "static" / "js" / "tools" / "keepalive-planner.js").read_text(encoding="utf-8")
    fragments = set(re.findall(r'HERE \+ "([a-z0-9-]+)"', module))
    assert fragments == set(SECTIONS)
    page = GUIDE_PAGE.read_text(encoding="utf-8")
    headings = {
        re.sub(r"[^a-z0-9]+", "-", line.lstrip("#").split("{")[0].strip().strip("`").lower()).strip("-")
        for line in page.splitlines()
        if line.startswith("## ")
    }
    anchors = set(re.findall(r"\{ #([a-z0-9-]+)", page))
    assert fragments - headings - anchors == set()
