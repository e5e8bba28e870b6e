"""The theme's assets as the build writes them: the stylesheet, minified; the speculation rules."""

from __future__ import annotations

import json

from guide.build.theme_assets import minify_css, speculation_rules


def test_css_minifier_keeps_selectors_and_values():
    source = "/* note */\na:hover > b ,\n.c  .d {\n  grid-row: 1 / span 2;\n  content: \"✓ \";\n}\n@media (min-width: 768px) { .e { color: red; } }"
    assert minify_css(source) == 'a:hover>b,.c .d{grid-row:1 / span 2;content:"✓ "}@media (min-width:768px){.e{color:red}}\n'


def test_speculation_rules_prefetch_only_the_sites_own_pages_but_search():
    for siteurl, base in (("", "/"), ("https://example.github.io/guide/", "/guide/"), ("https://example.org", "/")):
        [rule] = json.loads(speculation_rules(siteurl))["prefetch"]
        assert rule["eagerness"] == "moderate"  # on hover or pointer-down, not every link in view
        assert rule["where"] == {
            "and": [{"href_matches": f"{base}*.html"}, {"not": {"href_matches": [f"{base}search.html", f"{base}pagefind/*"]}}]
        }
