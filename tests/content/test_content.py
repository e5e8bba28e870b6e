"""The guide itself: every page meets the editorial numbers, links well, and the site builds strictly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, build_site

from guide.content.front_matter import read_choices
from guide.markdown.code_fences import FENCE_RE, iter_fences

CONTENT = ROOT / "content"
#: The guide pages (a chapter's own _chapter.md is no page).
PAGES = sorted(path for path in (CONTENT / "pages").rglob("*.md") if path.name != "_chapter.md")

#: The chapter plan: slug -> sort-order.
PLAN = {
    "websockets": "0101", "why-websockets": "0102", "websocket-protocol": "0103",
    "websockets-over-http2-http3": "0104", "browser-websocket-client": "0201",
    "python-websocket-clients": "0202", "python-websocket-libraries": "0301",
    "websockets-library": "0302", "asgi-websockets": "0303", "django-channels": "0304",
    "flask-websockets": "0305", "nginx-websocket-proxy": "0401", "keepalive-timeouts": "0402",
    "websockets-cloud-platforms": "0403", "scaling-websockets": "0404", "websocket-security": "0501",
    "websocket-authentication": "0502", "message-protocol-design": "0503",
    "delivery-and-backpressure": "0504", "websockets-kubernetes-and-edges": "0405",
    "testing-websockets": "0601", "testing-websockets-in-browsers": "0602", "load-testing-websockets": "0603",
    "observability": "0604", "websocket-troubleshooting": "0605", "websocket-resources": "0606",
}  # fmt: skip
MIN_PROSE_WORDS = 600
MIN_SOURCES = 3
#: The pages of the second brief, which asks more of each: 800 words of prose, four sources.
SECOND_BRIEF = {
    "websocket-authentication", "message-protocol-design", "delivery-and-backpressure",
    "websockets-kubernetes-and-edges", "testing-websockets-in-browsers", "load-testing-websockets",
    "observability", "websocket-troubleshooting",
}  # fmt: skip
#: Hosts and pages that are gone or moved (see the resource page for their current homes).
DEAD_LINKS = [
    "chimera.labs.oreilly.com", "tools.ietf.org", "faqs.org", "w3.org/TR/websockets", "dev.w3.org",
    "developer.mozilla.org/en-US/docs/WebSockets", "caniuse.com/#feat", "code.google.com",
    "nginx.com/blog", "kemalcr.com", "gimite/web-socket-js", "tavendo.com", "blog.jupo.org",
    "uvicorn.org", "starlette.io",  # the Uvicorn and Starlette docs moved to uvicorn.dev and starlette.dev
]  # fmt: skip
LINK_RE = re.compile(r"\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)|<(?P<auto>https?://[^>]+)>|href=\"(?P<href>[^\"]+)\"")


def header_and_body(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    fields = dict(line.split(":", 1) for line in header.splitlines() if ":" in line)
    return {k.strip().lower(): v.strip() for k, v in fields.items()}, body


def prose(body: str) -> str:
    """The body without code: fenced blocks and inline code spans removed, link targets dropped."""
    text = FENCE_RE.sub("", body)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def links(body: str) -> list[str]:
    text = re.sub(r"`[^`\n]*`", "", FENCE_RE.sub("", body))
    return [next(g for g in m.groups() if g) for m in LINK_RE.finditer(text)]


def page_id(path: Path) -> str:
    return path.relative_to(CONTENT).as_posix()


def test_the_guide_has_every_page_of_the_plan_in_order():
    found = {header_and_body(p)[0]["slug"]: header_and_body(p)[0]["sort-order"] for p in PAGES}
    assert found == PLAN


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_has_enough_prose(path):
    fields, body = header_and_body(path)
    words = re.findall(r"[A-Za-z0-9][\w'’.-]*", prose(body))
    least = 800 if fields["slug"] in SECOND_BRIEF else MIN_PROSE_WORDS
    assert len(words) >= least, f"{len(words)} words of prose"


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_cites_enough_sources(path):
    fields, body = header_and_body(path)
    sources = {url.split("#")[0] for url in links(body) if url.startswith("https://")}
    least = 4 if fields["slug"] in SECOND_BRIEF else MIN_SOURCES
    assert len(sources) >= least, sorted(sources)


@pytest.mark.parametrize("path", sorted(CONTENT.rglob("*.md")) + sorted(CONTENT.rglob("*.rst")), ids=page_id)
def test_no_plain_http_and_no_dead_links(path):
    text = path.read_text(encoding="utf-8")
    _, body = header_and_body(path)
    for url in links(body) + re.findall(r"<(https?://[^>]+)>`_", text):
        assert not url.startswith("http://"), f"plain http link {url}; use https://"
        dead = [d for d in DEAD_LINKS if d in url]
        assert not dead, f"{url} points at a dead or moved location"


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_offers_one_to_four_choices_and_names_every_code_language(path):
    fields, body = header_and_body(path)
    choices, problems = read_choices(fields)
    assert 1 <= len(choices) <= 4
    assert not problems
    unnamed = [fence.line for fence in iter_fences(body) if not fence.lang]
    assert not unnamed, f"code blocks without a language (body lines {unnamed})"
    assert len(fields["meta"]) <= 160


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("guide") / "output"
    result = build_site(CONTENT, output, strict=True)
    assert result.pages == len(PLAN)
    assert result.posts >= 2
    return output


@pytest.mark.build
def test_every_page_is_reachable_from_the_table_of_contents(site):
    toc = BeautifulSoup((site / "table-of-contents.html").read_text(), "html.parser")
    listed = [a["href"] for a in toc.select("ol.toc a")]
    assert listed == [f"/{slug}.html" for slug in sorted(PLAN, key=PLAN.get)]


@pytest.mark.build
def test_every_page_shows_the_choices_its_front_matter_names(site):
    """Where a card leads the strict build checks; that every card is drawn, in order, only this."""
    for path in PAGES:
        fields, _ = header_and_body(path)
        choices, _ = read_choices(fields)
        page = BeautifulSoup((site / f"{fields['slug']}.html").read_text(), "html.parser")
        cards = [(card["href"], card.get_text(strip=True)) for card in page.select(".choices a")]
        assert cards == [(choice.url, choice.text) for choice in choices], page_id(path)


@pytest.mark.build
def test_chapters_are_titled_and_described_by_their_chapter_files(site):
    toc = BeautifulSoup((site / "table-of-contents.html").read_text(), "html.parser")
    described = [chapter.select_one(".chapter-description") for chapter in toc.select("ol.toc > li")]
    assert all(d is not None and len(d.text.split()) >= 8 for d in described), "each chapter says what its pages cover"
    titles = [header_and_body(path)[0]["title"] for path in sorted((CONTENT / "pages").glob("*/_chapter.md"))]
    assert len(titles) == len({order[:2] for order in PLAN.values()})  # a chapter file for every chapter of the plan
    assert [h.text for h in toc.select("ol.toc h2")] == titles


@pytest.mark.build
def test_blog_has_the_launch_post_in_restructuredtext_and_a_markdown_post(site):
    assert list((CONTENT / "blog").glob("*.rst"))
    assert list((CONTENT / "blog").glob("*.md"))
    blog = BeautifulSoup((site / "blog.html").read_text(), "html.parser")
    assert len(blog.select(".post-list li")) >= 2


@pytest.mark.build
def test_diagrams_are_svg_with_a_text_alternative(site):
    diagrams = sorted((CONTENT / "images").glob("*"))
    assert len(diagrams) >= 4
    assert all(d.suffix == ".svg" for d in diagrams)
    for diagram in diagrams:
        svg = BeautifulSoup(diagram.read_text(), "html.parser").svg
        assert svg.find("title"), diagram.name
        assert svg.find("desc"), diagram.name
    for page in site.glob("*.html"):
        for img in BeautifulSoup(page.read_text(), "html.parser").select("img"):
            assert img.get("alt", "").strip(), f"{page.name}: {img}"
