"""Checks every rule of the page format before anything is written.

Each check adds one-line problems to the build's :class:`~guide.problems.ProblemLog`.
:func:`check_sources` reads the source files as the build starts, before Pelican does, so that
what stops Pelican from reading a file is explained first, in the author's terms (Pelican's own
message about that file is then left out); :func:`validate_site` runs the rest once every file is
read, so that one build reports every problem at once.

One mistake is one line: a page that could not be read is not also a "matches no page" error on
every page that links to it (:func:`unread_paths`).
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from collections import defaultdict

from guide import pelican_internals
from guide.build.memo import Reuse
from guide.build_state import build_state
from guide.content import chapter_files, front_matter, page_images, schema, tree_settings
from guide.content.chapters import untitled_chapters
from guide.content.drafts import draft_link_problem, shows_drafts
from guide.content.front_matter import did_you_mean
from guide.content.icons import Icons
from guide.content.site_index import SiteIndex, site_path
from guide.content.site_links import iter_site_paths
from guide.content.source_files import MARKDOWN_SUFFIXES, SOURCE_SUFFIXES
from guide.markdown.code_fences import canonical_language, iter_fences, unclosed_fence_problem
from guide.markdown.snippets import SNIPPETS_OFF, snippet_lines, snippets_enabled
from guide.problems import ContentError, ProblemLog, display_path

_SITE_PATHS = Reuse()  #: HTML -> the site paths it links to
_FENCES = Reuse()  #: (source text, policy) -> its fenced code blocks


@dataclasses.dataclass(frozen=True)
class Source:
    """A page or post as written: what is known of it even when Pelican cannot read it."""

    kind: str  #: "page" or "post"
    header: front_matter.Header
    published_at: str  #: the site path its slug gives ("/slug.html"), or "" without a slug


# --- As the build starts: the files as written ---------------------------------------------


def check_sources(settings, log: ProblemLog) -> None:
    """Every content file is UTF-8 and readable; every page's and post's header follows the rules,
    and so do its code blocks (read once, here, for both).

    What is learnt of each page and post goes to the build's state for validate_site.
    """
    sources = {}
    test_ids: dict[str, tuple[str, int]] = {}  #: test ID -> where it is first used
    policy = tuple(settings.get(tree_settings.POLICY_SETTING, ()))
    allow_overrides = bool(settings.get(schema.ALLOW_OVERRIDES_SETTING, False))
    site_lang = str(settings.get("DEFAULT_LANG", "en")).lower()
    special = []
    for path in content_files(settings["PATH"]):
        if _is_special_file(path):
            special.append(path)
            continue
        text, readable = read_source(path, log)
        kind = content_kind(os.path.relpath(path, settings["PATH"]), settings)
        if kind is None or text is None:
            continue
        header = front_matter.read_header(text, rst=path.endswith(".rst"))
        source = Source(kind, header, published_path(header.first("slug"), kind, settings))
        sources[path] = source
        if not readable:
            continue  # its header is known (for unread_paths), but its one problem is the encoding
        for problem in front_matter.check_header(
            header, kind, site_lang=site_lang, allow_overrides=allow_overrides, published_at=source.published_at
        ):
            log.add(path, problem.field, problem.message)
        if header.first("status").lower() != "draft" or shows_drafts(settings):  # a draft's blocks wait until it is shown
            check_code_blocks(path, text, log, policy, test_ids, snippets_enabled(settings))
    build_state(settings).sources = sources
    if special:
        _stop_before_reading(special, settings["PATH"], log)


def _stop_before_reading(paths: list[str], content_path: str, log: ProblemLog) -> None:
    """Pelican would read a pipe or a device as a page, and never finish: the build stops here."""
    root = os.path.realpath(content_path)
    for path in paths:
        if os.path.commonpath([root, os.path.realpath(path)]) == root:  # a link out of the tree is reported as such (tree_links)
            log.add(path, "file", "not a regular file (a pipe or a device), which the build cannot read; remove it")
    raise ContentError(log.errors)


def content_files(content_path: str):
    """The Markdown and reStructuredText files below the content folder (chapter files are no
    pages: guide.content.chapter_files reads them)."""
    for folder, _, files in os.walk(content_path):
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES) and name != chapter_files.FILE_NAME:
                yield os.path.join(folder, name)


def _is_special_file(path: str) -> bool:
    """A pipe or a device (reading one may never end), or a link to one."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # e.g. a broken link: reading it says why


def read_source(path: str, log: ProblemLog) -> tuple[str | None, bool]:
    """(the file's text, whether it is valid UTF-8); its problem goes to the log. The text of a
    file that is not UTF-8 has the bad bytes replaced, so its header can still be read."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        log.add(path, "file", f"a link to {os.path.realpath(path)}, which does not exist; fix or remove the link")
        return None, False
    except OSError as error:
        log.add(path, "file", f"cannot read it: {error.strerror or error}; check its permissions")
        return None, False
    try:
        return _universal_newlines(data.decode("utf-8")), True
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        log.add(path, "encoding", f"not valid UTF-8 (byte 0x{data[error.start]:02x} on line {line}); save the file as UTF-8")
        return _universal_newlines(data.decode("utf-8", errors="replace")), False


def _universal_newlines(text: str) -> str:
    """Lines as Pelican's readers see them (they open files in text mode)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_kind(relative_path: str, settings) -> str | None:
    """ "page", "post" or None, by the folders Pelican reads pages and posts from."""
    for kind, setting in (("page", "PAGE_PATHS"), ("post", "ARTICLE_PATHS")):
        for configured in settings.get(setting, ()):
            folder = os.path.normpath(configured) if configured else ""
            if not folder or relative_path.startswith(folder + os.sep):
                return kind
    return None


def published_path(slug: str, kind: str, settings) -> str:
    """The site path a page or post with this slug is published at, or "" when it cannot be told."""
    pattern = settings.get("PAGE_URL" if kind == "page" else "ARTICLE_URL", "")
    if not slug or not isinstance(pattern, str):
        return ""
    try:
        return site_path(pattern.format(slug=slug))
    except (KeyError, IndexError, ValueError):
        return ""  # the pattern needs more than the slug (a date, a language)


# --- Once every file is read -----------------------------------------------------------------


def validate_site(index: SiteIndex, icons: Icons, log: ProblemLog, settings=None) -> None:
    """Every rule that needs what Pelican read; ``settings``: the build's (chapter titles, what
    check_sources learnt)."""
    settings = settings if settings is not None else {}
    sources = build_state(settings).sources
    unread = unread_paths(index, sources, log, settings)
    lost_fields = {path: lost_fields_of(source) for path, source in sources.items()}
    for page in index.pages:
        check_page(page, index, icons, log, unread, lost_fields.get(page.source_path, set()))
    check_unique(index.pages, "slug", log)
    check_unique(index.pages, "sort-order", log)
    for post in index.posts:
        for problem in front_matter.check_fields(post.metadata, schema.POST):
            if problem.field not in lost_fields.get(post.source_path, ()):
                log.add(post.source_path, problem.field, problem.message)
        check_site_links(post, index, log, unread)
    check_unique(index.posts, "slug", log)
    check_generated_paths(index, settings, log)
    check_chapter_titles(index.pages, settings, log)


def lost_fields_of(source: Source) -> set[str]:
    """The fields of a header cut short by a line that is not a field: the required ones, which
    that line may be (``sort order: 0101``), and those below it. That line is the one problem."""
    if source.header.stray is None:
        return set()
    return set(source.header.lost) | set(schema.required_names())


def unread_paths(index: SiteIndex, sources: dict, log: ProblemLog, settings) -> set[str]:
    """The site paths of the pages and posts that could not be read, or lack a slug.

    A link to one of them is broken because of that file's own problem, which is already
    reported: the link is not reported again. The paths are the one the file's slug gives and the
    one its name suggests (``02-second.md``: ``/second.html``), which links made before a
    mistaken slug point at.
    """
    failed = {problem.path for problem in log.errors}
    without_slug = {c.source_path for c in index.pages + index.posts if not front_matter.text_field(c.metadata, "slug")}
    paths = set()
    for path, source in sources.items():
        shown = display_path(path)
        if path in without_slug or any(shown == f or shown.endswith(os.sep + f) for f in failed):
            named_slug = re.sub(r"^(?:[0-9]+-)+", "", os.path.splitext(os.path.basename(path))[0])
            paths.update({source.published_at, published_path(named_slug, source.kind, settings)})
    paths.discard("")
    return paths


def check_page(
    page, index: SiteIndex, icons: Icons, log: ProblemLog, unread: set[str] = frozenset(), lost: set[str] = frozenset()
) -> None:
    """``lost``: fields the author wrote below a line that ended the header (reported there)."""
    for problem in front_matter.check_fields(page.metadata, schema.PAGE):
        if problem.field in lost:
            continue
        log.add(page.source_path, problem.field, problem.message, "warning" if problem.warning else "error")
    choices, problems = front_matter.read_choices(page.metadata)
    for problem in problems:
        log.add(page.source_path, problem.field, problem.message)
    for choice in choices:
        field = f"choice{choice.number}"
        if not choice.is_external and not index.resolves(choice.url) and _site_path(choice.url) not in unread:
            hint = did_you_mean(choice.url, index.page_paths(), cutoff=0.5)
            draft = draft_link_problem(_site_path(choice.url), index.drafts, "the choice")
            log.add(page.source_path, f"{field}url", draft or f"{choice.url} matches no page{hint}")
        if choice.icon and not icons.draws(choice.icon):  # the theme's icons, then Font Awesome Free's
            log.warn(page.source_path, f"{field}icon", icons.unknown_message(choice.icon))
    check_site_links(page, index, log, unread)


def _site_path(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0]


def check_site_links(content, index: SiteIndex, log: ProblemLog, unread: set[str] = frozenset()) -> None:
    """Links and images written as site paths (/slug.html, /images/x.svg), relative to the page
    (an image beside it) or with {static} must name something the site publishes."""
    html = pelican_internals.body_html(content) or ""
    for path in _SITE_PATHS.get(html, lambda: tuple(match["path"] for match in iter_site_paths(html))):
        url = _site_path(path)
        if not index.resolves(url) and url not in unread:
            hint = did_you_mean(url, index.paths, cutoff=0.5)
            problem = draft_link_problem(url, index.drafts) or f"link {url} matches no page or file{hint}"
            log.add(content.source_path, "body", problem)
    # Images written beside the page (diagram.svg) and {static} links name a file the site publishes.
    for message in page_images.reference_problems(content, html, page_images.PublishedFiles(index, content.settings)):
        log.add(content.source_path, "body", message)


def check_unique(contents: list, field: str, log: ProblemLog) -> None:
    owners = defaultdict(list)
    for content in contents:
        value = front_matter.text_field(content.metadata, field)
        if value:
            owners[value].append(content.source_path)
    for value, paths in owners.items():
        for path in paths[1:]:
            log.add(path, field, f"{value!r} is already used by {paths[0]}; pick another")


def generated_paths(index: SiteIndex, settings) -> dict[str, str]:
    """Every site path the site writes besides pages and posts -> what it is."""
    paths = {path: "a static file" for path, kind in index.paths.items() if kind == "static file"}
    for name, value in settings.items():
        if isinstance(name, str) and name.endswith("_SAVE_AS") and isinstance(value, str) and value and "{" not in value:
            paths[site_path(value)] = f"its {name.removesuffix('_SAVE_AS').lower().replace('_', ' ')} page"
    for name in settings.get("DIRECT_TEMPLATES", ()):
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        if save_as:
            paths[site_path(save_as)] = f"its {name} page"
    for feed_setting in ("FEED_ALL_ATOM", "FEED_ATOM", "FEED_ALL_RSS", "FEED_RSS"):
        if settings.get(feed_setting) and "{" not in settings[feed_setting]:
            paths[site_path(settings[feed_setting])] = "its feed"
    for extra in settings.get("EXTRA_SITE_PATHS", ()):
        paths[site_path(extra)] = "a generated file"
    return paths


def check_generated_paths(index: SiteIndex, settings, log: ProblemLog) -> None:
    """No page or post is written where the site writes something else (``slug: index``)."""
    taken = generated_paths(index, settings)
    owners: dict[str, tuple[str, str]] = {}  #: site path -> (kind, slug) of the page or post there
    overrides_reported = not settings.get(schema.ALLOW_OVERRIDES_SETTING, False)
    for content, kind in [(page, "page") for page in index.pages] + [(post, "post") for post in index.posts]:
        if overrides_reported and {"save_as", "url", "override_save_as", "override_url"} & content.metadata.keys():
            continue  # the field itself is the problem, reported by check_sources
        path = site_path(content.save_as)
        field = "save_as" if "save_as" in content.metadata else "slug"
        value = front_matter.text_field(content.metadata, field) or content.slug
        if path in taken and owners.get(path) != (kind, content.slug):  # the same slug twice: check_unique's
            log.add(
                content.source_path,
                field,
                f"{value!r} would publish this {kind} at {path}, where the site writes {taken[path]}; pick another {field}",
            )
        elif path not in taken:
            taken[path] = f"the {kind} {display_path(content.source_path)}"
            owners[path] = (kind, content.slug)


def check_code_blocks(
    path: str, text: str, log: ProblemLog, policy: tuple[str, ...], test_ids: dict, snippets_on: bool = False
) -> None:
    """A file's fenced blocks close, name a known language and, in the policy's languages, mark
    whether they are tested; its test IDs are not in ``test_ids`` (the site's, so far) already.
    reStructuredText code directives follow the policy. Done on the text check_sources read."""
    if path.endswith(".rst"):
        check_rst_code_blocks(path, text, log, policy)
    if not path.endswith(MARKDOWN_SUFFIXES):
        return
    if not snippets_on:
        for line in snippet_lines(text):
            log.add(path, f"line {line}", SNIPPETS_OFF)
    unclosed = unclosed_fence_problem(text)
    if unclosed:
        log.add(path, f"line {unclosed[0]} code block", unclosed[1])
    for fence in _FENCES.get((text, policy), lambda: tuple(iter_fences(text, policy=policy))):
        where = f"line {fence.line} code block"
        for message in fence.problems:
            log.add(path, where, message)
        if fence.test_id:
            here = (path, fence.line)
            first = test_ids.setdefault(fence.test_id, here)
            if first != here:
                log.add(
                    path,
                    where,
                    f"test={fence.test_id!r} is already used at {display_path(first[0])} line {first[1]}; test IDs are unique across the site",
                )


#: ``.. code-block:: python`` and the options below it, in reStructuredText.
RST_CODE_RE = re.compile(
    r"^(?P<indent>[ \t]*)\.\.[ \t]+(?P<directive>(?i:code-block|sourcecode|code))[ ]?::(?:[ \t]+(?P<lang>\S+))?[ \t]*$"
)
RST_OPTION_RE = re.compile(r"^[ \t]+:(?P<name>[^:\s][^:]*):(?:[ \t]+(?P<value>.*))?$")


def check_rst_code_blocks(path: str, text: str, log: ProblemLog, policy: tuple[str, ...]) -> None:
    """In a post, a code directive in a policy language carries ``:class: illustrative``.

    Posts' examples are never run, so the mark is always "illustrative"; only docutils' own
    ``code`` directive takes a ``:class:`` option (Pelican's ``code-block`` and ``sourcecode``
    reject it), so such a block is written ``.. code:: python``.
    """
    if not policy:
        return
    lines = text.split("\n")
    for number, line in enumerate(lines):
        match = RST_CODE_RE.match(line)
        if not match or not match["lang"]:
            continue
        lang = canonical_language(match["lang"]) or match["lang"]
        if lang not in policy:
            continue
        options = _rst_options(lines, number + 1)
        classes = options.get("class", "").split()
        if match["directive"].lower() != "code":
            if "class" in options:
                continue  # docutils rejects the option on this line already: one line for one mistake
            message = (
                f"write `.. code:: {match['lang']}` with `:class: illustrative` below it (`{match['directive']}` takes no class)"
            )
        elif "illustrative" not in classes:
            message = "add `:class: illustrative` below the directive"
        else:
            continue
        log.add(
            path,
            f"line {number + 1} code block",
            f"{lang} blocks must say whether they are tested; a post's examples are not run: {message}",
        )


def _rst_options(lines: list[str], number: int) -> dict[str, str]:
    """The ``:name: value`` options right below a directive."""
    options = {}
    while number < len(lines):
        option = RST_OPTION_RE.match(lines[number])
        if not option:
            break
        options[option["name"].strip().lower()] = (option["value"] or "").strip()
        number += 1
    return options


def check_chapter_titles(pages: list, settings, log: ProblemLog) -> None:
    """In a tree that titles its chapters, a chapter without a title (which shows its first
    page's title instead) is most likely forgotten: a warning says how to give one. A page whose
    folder names another chapter than its sort-order is a warning too.

    A tree that titles none of its chapters uses its first pages' titles by design (the
    default for any tree), so it builds without a warning, also with --strict.
    """
    chapter_files.check_page_folders(pages, log)
    titles = settings.get("CHAPTERS") or {}
    if not titles:
        return
    settings_file = build_state(settings).tree_settings_file or os.path.join(
        settings.get("PATH", "content"), tree_settings.FILE_NAME
    )
    for number, page in untitled_chapters(pages, titles):
        log.warn(
            page.source_path,
            "sort-order",
            f"chapter {number} has no title; {chapter_files.title_hint(number, page.source_path, settings_file)}",
        )
