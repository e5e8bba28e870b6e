"""The theme's assets as the build writes them: the stylesheet, minified."""

from __future__ import annotations

from guide.build.theme_assets import minify_css


def test_css_minifier_keeps_selectors_and_values():
    source = "/* note */\na:hover > b ,\n.c  .d {\n  grid-row: 1 / span 2;\n  content: \"✓ \";\n}\n@media (min-width: 768px) { .e { color: red; } }"
    assert minify_css(source) == 'a:hover>b,.c .d{grid-row:1 / span 2;content:"✓ "}@media (min-width:768px){.e{color:red}}\n'
