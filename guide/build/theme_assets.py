"""Theme assets made at build time: highlighting CSS from Pygments styles, the inline boot script.

The stylesheet is the theme's hand-written ``site.css`` followed by rules generated from two
Pygments styles, merged with CSS ``light-dark()`` so one rule per token serves both colour
schemes. The boot script (``theme/inline/boot.js``) runs before first paint to apply the reader's
saved theme without a flash. The stylesheets, ``site.css`` and the ones only some pages use
(callouts, tabs: :mod:`guide.content.page_features`), are minified and, by default, inlined in
each page that uses them, so the first paint needs nothing but the HTML; like the boot script,
each is allowed by its hash in the Content-Security-Policy, never by ``unsafe-inline``. In
``tabs.css`` a selector written with ``:nth-child(N)`` is written once per tab position. The
speculation rules (:func:`speculation_rules`) that let Chromium prefetch a guide page from a
hovered link are inline JSON, allowed by their hash the same way.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import re
from urllib.parse import urlsplit

from markupsafe import Markup
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Token

from guide.content.page_features import ASSETS, TABS_PER_SET
from guide.content.panels import STYLESHEET as PANELS_STYLESHEET
from guide.problems import ProblemLog

STYLESHEET = "css/site.css"  #: under the theme's static folder, as the feature files are
BOOT_SCRIPT = os.path.join("inline", "boot.js")
#: The theme's files that only pages using a feature load ("css/tabs.css"), under its static folder,
#: and the panels' stylesheet, which every page loads when a sidebar panel is on.
FEATURE_FILES = (*(path for paths in ASSETS.values() for path in paths), PANELS_STYLESHEET)
#: How pages get the theme's stylesheets (the setting ``THEME_STYLESHEETS``): "inline" (the
#: default) puts each in the page in a <style> its hash allows, so the first paint needs no
#: request beyond the HTML; "linked" links the files, which a browser caches but must fetch
#: before it paints anything (benchmarks/README.md compares both).
STYLESHEET_DELIVERIES = ("inline", "linked")
DELIVERY_SETTING = "THEME_STYLESHEETS"


@dataclasses.dataclass(frozen=True)
class ThemeAssets:
    #: each stylesheet ("css/site.css", then "css/tabs.css"...) -> its text as written and inlined
    stylesheets: dict[str, str]
    #: each of those and each feature script ("js/tabs.js") -> a short hash, for cache-busting URLs
    versions: dict[str, str]
    #: each stylesheet -> "sha256-...", for a Content-Security-Policy that allows it inline
    style_hashes: dict[str, str]
    boot_script: str
    boot_script_hash: str  #: "sha256-...", for the Content-Security-Policy

    @property
    def stylesheet(self) -> str:
        """The stylesheet every page has."""
        return self.stylesheets[STYLESHEET]


def make_assets(theme_path: str, light_style: str, dark_style: str) -> ThemeAssets:
    with open(os.path.join(theme_path, "static", STYLESHEET), encoding="utf-8") as css:
        stylesheets = {STYLESHEET: minify_css(css.read() + "\n" + highlight_css(light_style, dark_style))}
    versions = {STYLESHEET: _version(stylesheets[STYLESHEET])}
    for path in FEATURE_FILES:
        with open(os.path.join(theme_path, "static", path), encoding="utf-8") as file:
            text = file.read()
        if path.endswith(".css"):
            text = stylesheets[path] = expand_positions(minify_css(text), TABS_PER_SET)
        versions[path] = _version(text)
    for path, text in stylesheets.items():
        if "</" in text:  # would end the <style> element it is inlined in
            raise ValueError(f"{path} has '</', which cannot be inlined in a <style> element")
    with open(os.path.join(theme_path, BOOT_SCRIPT), encoding="utf-8") as js:
        boot = js.read().strip()
    hashes = {path: csp_hash(text) for path, text in stylesheets.items()}
    return ThemeAssets(stylesheets, versions, hashes, boot, csp_hash(boot))


def csp_hash(text: str) -> str:
    """The source expression a Content-Security-Policy allows an inline <script> or <style> by."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _version(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def check_stylesheet_delivery(settings, log: ProblemLog, settings_file: str = "") -> None:
    """``THEME_STYLESHEETS`` ("inline" when not set) is one of :data:`STYLESHEET_DELIVERIES`."""
    value = settings.setdefault(DELIVERY_SETTING, STYLESHEET_DELIVERIES[0])
    if value not in STYLESHEET_DELIVERIES:
        choices = " or ".join(f'"{choice}"' for choice in STYLESHEET_DELIVERIES)
        log.add(settings_file, DELIVERY_SETTING, f"{value!r}: set it to {choices}")


def use_theme_assets(settings) -> ThemeAssets:
    """Make the theme's assets and give the templates what they read of them (``initialized``)."""
    assets = make_assets(settings["THEME"], settings["PYGMENTS_LIGHT_STYLE"], settings["PYGMENTS_DARK_STYLE"])
    settings["THEME_STYLES"] = {path: Markup(text) for path, text in assets.stylesheets.items()}  # trusted theme files
    settings["THEME_STYLE_HASHES"] = assets.style_hashes
    settings["THEME_ASSET_VERSIONS"] = assets.versions
    settings["THEME_BOOT_SCRIPT"] = Markup(assets.boot_script)  # trusted theme file, inlined as is
    settings["THEME_BOOT_SCRIPT_HASH"] = assets.boot_script_hash
    rules = speculation_rules(settings.get("SITEURL", ""))
    settings["THEME_SPECULATION_RULES"] = Markup(rules)  # json.dumps of our own data: no "</"
    settings["THEME_SPECULATION_RULES_HASH"] = csp_hash(rules)
    return assets


def speculation_rules(siteurl: str) -> str:
    """The <script type="speculationrules"> JSON: prefetch the guide's pages a reader is about to open.

    Document rules: any link on the page to an ``.html`` page under the site's path (so no
    feed, no Pagefind file, nothing outside a site published under a sub-path) except the
    search page, whose WebAssembly is not worth fetching on a hover. "moderate" eagerness is
    Chromium's hover (200 ms) or pointer-down, and it keeps at most two such prefetches.
    ``theme/static/js/reader.js`` does the same for browsers without speculation rules.
    """
    base = urlsplit(siteurl).path.rstrip("/") + "/"
    where = {"and": [{"href_matches": base + "*.html"}, {"not": {"href_matches": [base + "search.html", base + "pagefind/*"]}}]}
    return json.dumps({"prefetch": [{"where": where, "eagerness": "moderate"}]}, separators=(",", ":"))


def write_stylesheets(assets: ThemeAssets, output_path: str, static_dir: str) -> None:
    """Write the stylesheets as built over the theme's own copies (``finalized``), for linked delivery."""
    for path, text in assets.stylesheets.items():
        with open(os.path.join(output_path, static_dir, path), "w", encoding="utf-8") as file:
            file.write(text)


def expand_positions(css: str, count: int) -> str:
    """Each selector that says ``(N)`` written once per position, N = 1 to ``count``, in one list.

    Content tabs show block N when radio button N is checked; CSS cannot match a label or a block
    to its button by position, so every position is spelled out, as Material for MkDocs does.
    """

    def expand(match: re.Match) -> str:
        selectors = []
        for selector in match.group(1).split(","):
            positions = range(1, count + 1) if "(N)" in selector else [None]
            selectors += [selector.replace("(N)", f"({n})") for n in positions]
        return ",".join(selectors) + "{"

    return re.sub(r"([^{}]*\(N\)[^{}]*)\{", expand, css)


def minify_css(css: str) -> str:
    """Drop comments and the white space around punctuation: about 15% fewer bytes after gzip.

    Deliberately simple, for the theme's own stylesheet: it would also squeeze white space
    inside a quoted string next to ``{};,>~``, which the stylesheets do not have.
    """
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};,>~])\s*", r"\1", css)
    css = re.sub(r":\s+", ":", css)
    return css.replace(";}", "}").strip() + "\n"


def highlight_css(light_style: str, dark_style: str, scope: str = ".highlight") -> str:
    """CSS for Pygments token classes, each colour as ``light-dark(LIGHT, DARK)``."""
    light, dark = get_style_by_name(light_style), get_style_by_name(dark_style)
    lines = [f"/* Generated from the Pygments styles {light_style!r} (light) and {dark_style!r} (dark). */"]
    lines.append(f"{scope} {{ color: light-dark({_base_color(light)}, {_base_color(dark)}); }}")
    for token, short in sorted(STANDARD_TYPES.items(), key=lambda item: item[1]):
        if not short:
            continue
        rule = _token_rule(light.style_for_token(token), dark.style_for_token(token), _base_color(light), _base_color(dark))
        if rule:
            lines.append(f"{scope} .{short} {{ {rule} }}")
    return "\n".join(lines) + "\n"


def _base_color(style: StyleMeta) -> str:
    color = style.style_for_token(Token)["color"]
    # Without a base colour the code block's own (var(--code-fg)) shows through; currentColor
    # says so where var() would do (inside light-dark(), var() trips the W3C CSS validator).
    return f"#{color}" if color else "currentColor"


def _token_rule(light: dict, dark: dict, light_base: str, dark_base: str) -> str:
    declarations = []
    light_color = f"#{light['color']}" if light["color"] else light_base
    dark_color = f"#{dark['color']}" if dark["color"] else dark_base
    if (light_color, dark_color) != (light_base, dark_base):
        declarations.append(f"color: light-dark({light_color}, {dark_color});")
    if light["bold"]:
        declarations.append("font-weight: bold;")
    if light["italic"]:
        declarations.append("font-style: italic;")
    if light["underline"]:
        declarations.append("text-decoration: underline;")
    return " ".join(declarations)
