"""Each page's Content-Security-Policy (guide/build/csp.py): 'self', the page's hashes, and exactly
the hosts its tools and the site's settings add."""

from __future__ import annotations

from types import SimpleNamespace

from guide.build.csp import policy


def directives(text: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in text.split("; "):
        name, *sources = directive.split(" ")
        parsed[name] = sources
    return parsed


def test_a_plain_page_allows_itself_and_its_hashes_only():
    text = policy(script_hashes=["sha256-boot", "sha256-rules"], style_hashes=["sha256-site"])
    assert directives(text) == {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'sha256-boot'", "'sha256-rules'"],
        "style-src": ["'self'", "'sha256-site'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    assert "unsafe" not in text


def test_tools_analytics_and_a_form_each_add_exactly_their_sources():
    analytics = SimpleNamespace(
        script_sources=("https://gc.zgo.at",), connect_sources=("https://x.goatcounter.com",), img_sources=("https://x.goatcounter.com",)
    )
    text = policy(
        script_hashes=["sha256-boot"],
        style_hashes=[],
        connect_sources=("ws://127.0.0.1:*",),
        analytics=analytics,
        form_origin="https://buttondown.com",
    )
    found = directives(text)
    assert found["script-src"] == ["'self'", "'sha256-boot'", "https://gc.zgo.at"]
    assert found["style-src"] == ["'self'"]
    assert found["connect-src"] == ["'self'", "ws://127.0.0.1:*", "https://x.goatcounter.com"]
    assert found["img-src"] == ["'self'", "data:", "https://x.goatcounter.com"]
    assert found["form-action"] == ["'self'", "https://buttondown.com"]
