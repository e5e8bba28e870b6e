"""`invoke compare-zensical`: one Markdown page built by the guide and by Zensical, side by side.

The guide's Markdown is meant to be portable: the same page should render the same way in
Zensical (the successor of Material for MkDocs), so that authors can move content in either
direction. This task shows how far that holds, on one page that uses every authoring feature,
``tests/fixtures/authoring/every-feature.md`` (callouts, collapsible blocks, tabs, code blocks
with titles, highlighted and numbered lines, a table, a footnote, a definition list,
abbreviations, an image beside the page, a figure, a heading with its own id).

Zensical cannot live in ``.venv``: its releases pin newer Pygments than Pelican allows. So it
gets its own virtual environment, ``build/zensical-venv`` (``build/`` is git-ignored), created on
the first run with :data:`ZENSICAL_VERSION` and reinstalled when that pin changes. It is never
in a lock and no test imports it; running this needs the package index.

Everything is written into ``build/zensical-compare/`` (printed at the end), replaced on each run:

- ``content/``: a content tree in the guide's format holding the page as written, plus the same
  page with its header fenced by ``---`` lines (slug ``every-feature-fenced``): the form Zensical
  reads as front matter. ``project-site/`` is that tree built by this project (``invoke build
  --content``, without the search index).
- ``zensical/``: a Zensical project (``mkdocs.yml``; ``docs/`` holds the two pages, the fenced one
  byte for byte the same file as the guide's) and its build in ``zensical/site/``. Its Markdown
  extensions are the project's own (read from ``pelicanconf.py``'s ``MARKDOWN``), with
  SuperFences and Highlight, configured as ``zensical new`` does, standing in for the guide's
  code-block extension; its theme loads no web fonts, so nothing leaves the machine.
- ``project.html`` and ``zensical.html``: the body of the page (the guide's ``div.prose``,
  Zensical's ``article``), one element per line, for ``diff``.
- ``screenshots/``: full-page screenshots (Chromium, desktop and mobile, light) of both, and of
  Zensical's rendering of the page as written; ``index.html`` puts them side by side with the
  summary below. Requests leaving 127.0.0.1 are blocked and counted.
- ``summary.txt``: what the task prints: per authoring feature, how many elements each side
  rendered (``same`` or ``DIFFERS``), the titles and ids each side shows, and the CSS classes
  only one side uses.

Run it with ``python3 tasks.py compare-zensical`` (or ``.venv/bin/invoke compare-zensical``).
"""

from __future__ import annotations

import html
import html.parser
import json
import runpy
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "authoring" / "every-feature.md"
VENV = ROOT / "build" / "zensical-venv"
OUTPUT = ROOT / "build" / "zensical-compare"
MARKER = ".zensical-compare"  # marks OUTPUT as this task's, so that a rerun may replace it

#: The newest release that installs from the package index this project uses: 0.0.74 and later
#: depend on ``zensical-ui``, which the index does not serve. Raise it when a newer one installs.
ZENSICAL_VERSION = "0.0.73"

#: How ``zensical new`` configures code blocks (its bootstrap zensical.toml): what a Zensical
#: author gets, standing in for the project's own code-block extension.
ZENSICAL_CODE_EXTENSIONS = {
    "pymdownx.highlight": {"anchor_linenums": True, "line_spans": "__span", "pygments_lang_class": True},
    "pymdownx.inlinehilite": {},
    "pymdownx.superfences": {},
}
#: The content tree's settings: the guide's own policy for code blocks, one chapter.
GUIDE_TOML = 'tested_or_illustrative = ["python", "javascript", "nginx"]\n\n[chapters]\n01 = "Authoring"\n'
FENCED_SLUG = "every-feature-fenced"


class CompareFailed(Exception):
    """A step of the comparison failed; the message says which and what to do."""


# --- The two configurations ------------------------------------------------------------------


def zensical_extensions(markdown: dict) -> tuple[dict[str, dict], list[str]]:
    """Pelican's MARKDOWN setting as Zensical's ``markdown_extensions``, and what was left out.

    Python-Markdown's own extensions go by their short name (``markdown.extensions.toc`` is
    ``toc``); the project's own (``guide.*``) cannot run in Zensical and are replaced by
    SuperFences and Highlight as ``zensical new`` sets them. An option that is not plain data
    (a function) cannot be written to mkdocs.yml and is left out, and said.
    """
    configs = markdown.get("extension_configs", {})
    extensions: dict[str, dict] = {}
    left_out = []
    for name in markdown.get("extensions", []):
        if not isinstance(name, str):
            left_out.append(f"{type(name).__name__} (an extension object, not a name)")
            continue
        if name.startswith("guide."):
            left_out.append(f"{name} (the project's own; SuperFences and Highlight stand in)")
            continue
        options = {}
        for key, value in configs.get(name, {}).items():
            if _plain_data(value):
                options[key] = value
            else:
                left_out.append(f"{name}: option {key} (not plain data)")
        extensions[name.removeprefix("markdown.extensions.")] = options
    for name, options in ZENSICAL_CODE_EXTENSIONS.items():
        extensions.setdefault(name, dict(options))
    return extensions, left_out


def _plain_data(value) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def zensical_config(extensions: dict[str, dict], pages: list[str]) -> dict:
    """mkdocs.yml for Zensical: the pages, the extensions, page URLs like the guide's, no web fonts."""
    return {
        "site_name": "Zensical rendering of the guide's sample page",
        "site_url": "http://127.0.0.1/",
        "use_directory_urls": False,  # every-feature.html, as the guide publishes it
        "docs_dir": "docs",
        "site_dir": "site",
        "nav": pages,
        "theme": {"font": False},  # no request to a font service
        "markdown_extensions": [{name: options} if options else name for name, options in extensions.items()],
    }


def fence_header(text: str, slug: str) -> str:
    """The page with its Pelican header (the lines before the first blank one) between ``---``
    lines, as YAML front matter, and its slug replaced (both pages share one content tree)."""
    header, blank, body = text.partition("\n\n")
    lines = [f"slug: {slug}" if line.lower().startswith("slug:") else line for line in header.split("\n")]
    return "---\n" + "\n".join(lines) + "\n---" + blank + body


# --- Reading the built pages -------------------------------------------------------------------

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    """An element of a parsed page: its tag, attributes, children and text."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self) -> Iterator[Node]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(html.parser.HTMLParser):
    """A forgiving tree of the page: an end tag closes up to its open element, or is ignored."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value if value is not None else "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID_TAGS:
            self.current = node

    def handle_endtag(self, tag):
        for node in [self.current, *self.current.ancestors()]:
            if node.tag == tag:
                self.current = node.parent or self.root
                return

    def handle_data(self, data):
        self.current.children.append(data)


def parse(page: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


#: Where each side puts the page body: the guide's theme a ``div.prose`` in ``article.page``,
#: Zensical an ``article.md-content__inner``.
BODY = {
    "project": lambda node: node.tag == "div" and "prose" in node.classes,
    "zensical": lambda node: node.tag == "article" and "md-content__inner" in node.classes,
}


def page_body(page: str, side: str) -> Node:
    found = next((node for node in parse(page).walk() if BODY[side](node)), None)
    if found is None:
        raise CompareFailed(f"the {side} page has no body where one was expected; has its theme changed?")
    return found


def outline(body: Node) -> str:
    """The body as one element per line, indented by depth, with its classes and text: for diff."""
    lines = []

    def visit(node: Node, depth: int) -> None:
        attrs = " ".join(f'{name}="{value}"' for name, value in sorted(node.attrs.items()))
        lines.append("  " * depth + f"<{node.tag}{' ' if attrs else ''}{attrs}>")
        for child in node.children:
            if isinstance(child, Node):
                visit(child, depth + 1)
            elif child.strip():
                lines.append("  " * (depth + 1) + " ".join(child.split()))

    visit(body, 0)
    return "\n".join(lines) + "\n"


# --- The structural summary -------------------------------------------------------------------


def _element(tag: str | tuple[str, ...], *classes: str) -> Callable[[Node], bool]:
    tags = (tag,) if isinstance(tag, str) else tag
    return lambda node: node.tag in tags and set(classes) <= node.classes


def _any(*tests: Callable[[Node], bool]) -> Callable[[Node], bool]:
    return lambda node: any(test(node) for test in tests)


def _in(parent: Callable[[Node], bool], test: Callable[[Node], bool]) -> Callable[[Node], bool]:
    return lambda node: test(node) and node.parent is not None and parent(node.parent)


def _code_block(node: Node) -> bool:
    """A highlighted block: the guide's ``figure.code``, Pygments' ``div.highlight`` (Zensical)."""
    return _element("figure", "code")(node) or _element("div", "highlight")(node)


#: Each authoring feature: the elements that show it, in either side's markup.
FEATURES: tuple[tuple[str, Callable[[Node], bool]], ...] = (
    *(
        (f"callout: {kind}", _element("div", "admonition", kind))
        for kind in ("note", "tip", "warning", "danger", "info", "example", "question", "abstract")
    ),
    ("callout title", _element("p", "admonition-title")),
    ("collapsible (details)", _element("details")),
    ("  of which open", lambda node: node.tag == "details" and "open" in node.attrs),
    ("tab set", _element("div", "tabbed-set")),
    ("tab label", _in(_element("div", "tabbed-labels"), _element("label"))),
    ("code block", _code_block),
    ("code block title", _element("span", "filename")),
    ("code block title", _element("span", "code-title")),
    ("code language label", _element("span", "code-lang")),
    ("highlighted line (span.hll)", _element("span", "hll")),
    ("numbered line", _any(_element("span", "linenos"), _in(_element("pre"), _element("span", "normal")))),
    ("numbered line", _in(_element("td", "linenos"), _element("span", "normal"))),
    ("table", lambda node: node.tag == "table" and "highlighttable" not in node.classes),
    ("right-aligned cell", lambda node: node.tag in ("th", "td") and "right" in node.attrs.get("style", "")),
    ("definition term", _element("dt")),
    ("abbreviation", _element("abbr")),
    ("footnote", lambda node: node.tag == "li" and node.attrs.get("id", "").startswith("fn")),
    ("footnote reference", lambda node: node.tag == "sup" and node.attrs.get("id", "").startswith("fnref")),
    ("image", _element("img")),
    ("figure caption", lambda node: node.tag == "figcaption" and "code-head" not in node.classes),
    ("heading (h2, h3)", _element(("h2", "h3"))),
    ("heading permalink", _element("a", "headerlink")),
    ("fence attribute in the HTML", lambda node: any(name in node.attrs for name in ("test", "illustrative", "context"))),
)

#: Texts worth comparing one by one: what a reader sees as a title, and the ids links use.
TEXTS: tuple[tuple[str, Callable[[Node], bool]], ...] = (
    ("callout titles", _any(_element("p", "admonition-title"), _element("summary"))),
    ("code block titles", _any(_element("span", "filename"), _element("span", "code-title"))),
    ("tab labels", _in(_element("div", "tabbed-labels"), _element("label"))),
    ("heading ids", lambda node: node.tag in ("h2", "h3") and "id" in node.attrs),
)


def feature_counts(body: Node) -> Counter:
    counts: Counter = Counter()
    for node in body.walk():
        for name, test in FEATURES:
            if test(node):
                counts[name] += 1
    return counts


def texts(body: Node) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {name: [] for name, _ in TEXTS}
    for node in body.walk():
        for name, test in TEXTS:
            if test(node):
                found[name].append(node.attrs["id"] if name == "heading ids" else " ".join(node.text().split()))
    return found


def css_classes(body: Node, in_code: bool) -> set[str]:
    """The classes used in the body (not on the body's own element), outside code (the markup)
    or inside it (Pygments' tokens)."""
    used = set()
    for node in body.walk():
        if node is not body and any(ancestor.tag == "code" for ancestor in node.ancestors()) == in_code:
            used |= node.classes
    return used


#: Classes on spans inside code that are not Pygments tokens: line marks, line numbers.
NOT_TOKENS = {"hll", "linenos", "normal"}


def code_tokens(block: Node) -> list[tuple[str, str]]:
    """The highlighted code of a block as (token class, text) pairs: what the lexer made of it,
    whatever markup wraps the lines. Whitespace is left out; neighbours of one class are joined."""
    code = next((node for node in block.walk() if node.tag == "code"), None)
    tokens: list[tuple[str, str]] = []

    def visit(node: Node, token: str) -> None:
        own = node.classes - NOT_TOKENS
        if node.classes & {"linenos"}:
            return
        token = min(own) if own else token
        for child in node.children:
            if isinstance(child, Node):
                visit(child, token)
            elif child.strip():
                if tokens and tokens[-1][0] == token:
                    tokens[-1] = (token, tokens[-1][1] + child.strip())
                else:
                    tokens.append((token, child.strip()))

    if code is not None:
        visit(code, "")
    return tokens


def token_differences(project: Node, zensical: Node) -> list[str]:
    """Per code block, whether both lexers split the code into the same tokens."""
    lines = []
    # A different number of blocks shows in the feature table; here the first ones are paired.
    blocks = zip([n for n in project.walk() if _code_block(n)], [n for n in zensical.walk() if _code_block(n)], strict=False)
    for number, (mine, theirs) in enumerate(blocks, 1):
        mine_tokens, their_tokens = code_tokens(mine), code_tokens(theirs)
        name = f"code block {number} ({mine.attrs.get('data-lang', '?')})"
        if mine_tokens == their_tokens:
            lines.append(f"{name}: same tokens ({len(mine_tokens)})")
            continue
        at = next((i for i, pair in enumerate(zip(mine_tokens, their_tokens, strict=False)) if pair[0] != pair[1]), None)
        at = min(len(mine_tokens), len(their_tokens)) if at is None else at
        shown = [tokens[at] if at < len(tokens) else "(end)" for tokens in (mine_tokens, their_tokens)]
        lines.append(f"{name}: tokens DIFFER from token {at + 1}: project {shown[0]}, zensical {shown[1]}")
    return lines


def summary(project: Node, zensical: Node) -> list[str]:
    """The structural differences between the two bodies, as lines to print."""
    counts = {"project": feature_counts(project), "zensical": feature_counts(zensical)}
    names = list(dict.fromkeys(name for name, _ in FEATURES))
    width = max(len(name) for name in names)
    lines = [f"{'feature':<{width}}  project  zensical", "-" * (width + 19)]
    for name in names:
        mine, theirs = counts["project"][name], counts["zensical"][name]
        if mine or theirs:
            verdict = "same" if mine == theirs else "DIFFERS"
            lines.append(f"{name:<{width}}  {mine:>7}  {theirs:>8}  {verdict}")
    mine_texts, their_texts = texts(project), texts(zensical)
    for name, _ in TEXTS:
        if mine_texts[name] == their_texts[name]:
            lines.append(f"{name}: same ({len(mine_texts[name])})")
        else:
            lines.append(f"{name}: DIFFER\n  project:  {mine_texts[name]}\n  zensical: {their_texts[name]}")
    lines += token_differences(project, zensical)
    for label, in_code in (("markup classes", False), ("highlighting token classes", True)):
        mine_classes, their_classes = css_classes(project, in_code), css_classes(zensical, in_code)
        for side, only in (("project", mine_classes - their_classes), ("zensical", their_classes - mine_classes)):
            if only:
                lines.append(f"{label} only in {side}: {' '.join(sorted(only))}")
    return lines


# --- Building both sides ----------------------------------------------------------------------


def ensure_zensical(venv: Path = VENV, version: str = ZENSICAL_VERSION) -> Path:
    """The ``zensical`` command of a virtual environment holding ``zensical==version``."""
    command = venv / "bin" / "zensical"
    installed = subprocess.run([command, "--version"], capture_output=True, text=True) if command.exists() else None
    if installed and installed.returncode == 0 and installed.stdout.strip() == version:
        return command
    if not (venv / "bin" / "python").exists():
        print(f"Creating {_shown(venv)} ...", flush=True)
        if subprocess.run([sys.executable, "-m", "venv", str(venv)]).returncode != 0:
            raise CompareFailed(f"could not create {_shown(venv)}; on Debian or Ubuntu: apt-get install python3-venv")
    print(f"Installing zensical=={version} into {_shown(venv)} ...", flush=True)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if subprocess.run([*pip, f"zensical=={version}"]).returncode != 0:
        raise CompareFailed(f"pip could not install zensical=={version} (see above); ZENSICAL_VERSION in {_shown(__file__)}")
    return command


def prepare_output(folder: Path) -> None:
    """An empty ``folder``: a new one, or one an earlier run wrote (marked); anything else is refused."""
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise CompareFailed(f"{_shown(folder)} holds files this task did not write; move them away or remove it")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("Written by `invoke compare-zensical`; replaced on each run.\n", encoding="utf-8")


def write_sources(sample: Path, folder: Path) -> dict[str, Path]:
    """The guide's content tree and Zensical's docs folder, each with the page as written and fenced,
    and the files beside the sample page (its images)."""
    text = sample.read_text(encoding="utf-8")
    fenced = fence_header(text, FENCED_SLUG)
    chapter = folder / "content" / "pages" / "01-authoring"
    docs = folder / "zensical" / "docs"
    for target in (chapter, docs):
        target.mkdir(parents=True)
        for extra in sample.parent.iterdir():
            if extra.is_file() and extra != sample:
                shutil.copy2(extra, target / extra.name)
    (folder / "content" / "guide.toml").write_text(GUIDE_TOML, encoding="utf-8")
    (chapter / f"01-{sample.name}").write_text(text, encoding="utf-8")
    (chapter / f"02-{FENCED_SLUG}.md").write_text(_with_sort_order(fenced, "0102"), encoding="utf-8")
    (docs / sample.name).write_text(text, encoding="utf-8")
    (docs / f"{FENCED_SLUG}.md").write_text(_with_sort_order(fenced, "0102"), encoding="utf-8")
    return {"content": folder / "content", "zensical": folder / "zensical"}


def _with_sort_order(text: str, order: str) -> str:
    return "\n".join(f"sort-order: {order}" if line.startswith("sort-order:") else line for line in text.split("\n"))


def build_project(content: Path, output: Path) -> Path:
    """The content tree built as `invoke build --content` does (without the search index)."""
    from guide.build.runner import BuildFailed, build

    try:
        result = build(str(ROOT / "pelicanconf.py"), content=str(content), output=str(output), search=False)
    except BuildFailed as failure:
        raise CompareFailed(f"the guide could not build the sample page:\n{failure.report()}") from None
    for warning in result.warnings:
        print(f"guide: {warning}")
    return Path(result.output_path)


def build_zensical(zensical: Path, project: Path, sample: Path) -> Path:
    """The Zensical project written and built; returns its site folder."""
    settings = runpy.run_path(str(ROOT / "pelicanconf.py"))
    extensions, left_out = zensical_extensions(settings.get("MARKDOWN", {}))
    for item in left_out:
        print(f"zensical: left out {item}")
    pages = [f"{FENCED_SLUG}.md", sample.name]
    (project / "mkdocs.yml").write_text(json.dumps(zensical_config(extensions, pages), indent=2) + "\n", encoding="utf-8")
    run = subprocess.run([zensical, "build", "--clean", "-f", "mkdocs.yml"], cwd=project, capture_output=True, text=True)
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise CompareFailed(f"Zensical could not build the sample page: {last}")
    return project / "site"


# --- Screenshots -------------------------------------------------------------------------------


def take_screenshots(shots: list[tuple[str, Path, str]], folder: Path) -> list[str]:
    """Full-page screenshots, desktop and mobile: (name, site folder, page) each. Returns notes:
    the requests that were blocked for leaving the machine, the browser's console errors."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return ["no screenshots: playwright is missing (python3 tasks.py compare-zensical installs it)"]
    from guide.site_tools.chromium import CHROMIUM_ARGS, VIEWPORTS, chromium_path
    from guide.site_tools.serve import serve

    chromium = chromium_path()
    if not chromium:
        return ["no screenshots: Chromium is missing (apt-get install chromium)"]
    folder.mkdir(parents=True, exist_ok=True)
    notes = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for name, site, page_name in shots:
            with serve(site) as base:
                for form, viewport in VIEWPORTS.items():
                    seen = _screenshot(browser, viewport, f"{base}/{page_name}", folder / f"{name}-{form}.png")
                    if form == "desktop":  # the same page: its messages once
                        notes += [f"{name}: {note}" for note in seen]
        browser.close()
    return notes


def _screenshot(browser, viewport: dict, url: str, path: Path) -> list[str]:
    """One full-page screenshot; requests to other hosts are refused. Returns what the page did
    wrong: requests blocked, console errors (a Content-Security-Policy refusal, a missing file)."""
    blocked, errors = [], Counter()
    local = url.split("/", 3)[:3]

    def route(request_route):
        if request_route.request.url.split("/", 3)[:3] == local or request_route.request.url.startswith("data:"):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    context = browser.new_context(viewport=viewport, color_scheme="light", device_scale_factor=1)
    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: errors.update([message.text[:110]]) if message.type == "error" else None)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)  # Zensical's scripts lay the tabs out after load
    page.screenshot(path=str(path), full_page=True)
    context.close()
    notes = [f"blocked {len(blocked)} request(s) off this machine, first {blocked[0]}"] if blocked else []
    return notes + [f"console error x{count}: {text}" for text, count in errors.items()]


def side_by_side(folder: Path, names: list[str], lines: list[str]) -> Path:
    """index.html: the screenshots in columns, one row per viewport, and the summary."""
    rows = []
    for form in ("desktop", "mobile"):
        cells = "".join(
            f'<td><p>{html.escape(name)}</p><a href="screenshots/{name}-{form}.png">'
            f'<img src="screenshots/{name}-{form}.png" width="{420 if form == "desktop" else 240}" alt="{name}, {form}"></a></td>'
            for name in names
            if (folder / "screenshots" / f"{name}-{form}.png").exists()
        )
        rows.append(f"<h2>{form}</h2><table><tr>{cells}</tr></table>")
    page = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>The guide and Zensical, side by side</title>"
        f"<h1>The same Markdown, built by the guide and by Zensical {ZENSICAL_VERSION}</h1>{''.join(rows)}"
        f"<h2>Structure</h2><pre>{html.escape(chr(10).join(lines))}</pre>\n"
    )
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder / "index.html"


# --- The task ---------------------------------------------------------------------------------


def compare(sample: Path = SAMPLE, folder: Path = OUTPUT, venv: Path = VENV) -> Path:
    """Build the sample page both ways into ``folder``, print the summary; returns ``folder``."""
    if not sample.is_file():
        raise CompareFailed(f"{_shown(sample)}: no such page")
    zensical = ensure_zensical(venv)
    prepare_output(folder)
    sources = write_sources(sample, folder)
    project_site = build_project(sources["content"], folder / "project-site")
    zensical_site = build_zensical(zensical, sources["zensical"], sample)
    from guide.content.front_matter import read_header

    slug = read_header(sample.read_text(encoding="utf-8")).first("slug") or sample.stem
    bodies = {
        "project": page_body(_read(project_site / f"{slug}.html"), "project"),
        "zensical": page_body(_read(zensical_site / f"{FENCED_SLUG}.html"), "zensical"),
    }
    for side, body in bodies.items():
        (folder / f"{side}.html").write_text(outline(body), encoding="utf-8")
    lines = header_findings(project_site, zensical_site, slug)
    lines += ["", *summary(bodies["project"], bodies["zensical"])]
    shots = [
        ("project", project_site, f"{slug}.html"),
        ("zensical", zensical_site, f"{FENCED_SLUG}.html"),
        ("zensical-header-as-written", zensical_site, f"{slug}.html"),
    ]
    lines += take_screenshots(shots, folder / "screenshots")
    (folder / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    side_by_side(folder, [name for name, _, _ in shots], lines)
    print(*lines, sep="\n")
    print(f"\nBoth pages, their bodies (project.html, zensical.html), screenshots: {_shown(folder)}/index.html")
    return folder


def header_findings(project_site: Path, zensical_site: Path, slug: str) -> list[str]:
    """What each side makes of the header: its title, whether the guide reads a ``---`` fenced
    header, and whether Zensical reads the guide's unfenced one (or shows it as a paragraph)."""
    project = _read(project_site / f"{slug}.html")
    fenced = _read(project_site / f"{FENCED_SLUG}.html")
    same = outline(page_body(fenced, "project")) == outline(page_body(project, "project"))
    as_written = _read(zensical_site / f"{slug}.html")
    first = next((node for node in page_body(as_written, "zensical").walk() if node.tag == "p"), None)
    leaked = first is not None and first.text().lstrip().lower().startswith("title:")
    return [
        f"page title: guide {page_title(project)!r}; zensical, fenced header {page_title(_read(zensical_site / f'{FENCED_SLUG}.html'))!r}",
        f"guide, header fenced by ---: {'read; the same body as unfenced' if same else 'the body DIFFERS from unfenced'}",
        f"zensical, the guide's unfenced header: {'shown as a paragraph of text' if leaked else 'not shown'};"
        f" title {page_title(as_written)!r}",
    ]


def page_title(page: str) -> str:
    """The text of the page's first h1 (both themes show the title as one)."""
    found = next((node for node in parse(page).walk() if node.tag == "h1"), None)
    return " ".join(found.text().split()) if found else ""


def _read(path: Path) -> str:
    if not path.is_file():
        raise CompareFailed(f"{_shown(path)} was not built")
    return path.read_text(encoding="utf-8")


def _shown(path) -> str:
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
