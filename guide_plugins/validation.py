"""Checks every rule of the page format before anything is written.

Each check adds one-line problems to the build's :class:`~guide_plugins.problems.ProblemLog`;
:func:`validate_site` runs them all so that one build reports every problem at once.
"""

from __future__ import annotations

import os
from collections import defaultdict

from guide_plugins import page_format
from guide_plugins.code_fences import iter_fences
from guide_plugins.memo import Reuse
from guide_plugins.page_format import did_you_mean
from guide_plugins.problems import ProblemLog, display_path
from guide_plugins.site_index import SiteIndex
from guide_plugins.site_links import iter_site_paths

CONTENT_EXTENSIONS = (".md", ".markdown", ".rst")

_SITE_PATHS = Reuse()  #: HTML -> the site paths it links to
_FENCES = Reuse()  #: source text -> its fenced code blocks


def check_encoding(content_path: str, log: ProblemLog) -> None:
    """Every content file must be UTF-8; Pelican alone would skip a bad one with a traceback."""
    for folder, _, files in os.walk(content_path):
        for name in sorted(files):
            if not name.endswith(CONTENT_EXTENSIONS):
                continue
            path = os.path.join(folder, name)
            data = open(path, "rb").read()
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                line = data.count(b"\n", 0, error.start) + 1
                log.add(path, "encoding", f"not valid UTF-8 (byte 0x{data[error.start]:02x} on line {line}); save the file as UTF-8")


def validate_site(index: SiteIndex, icons: set[str], log: ProblemLog) -> None:
    for page in index.pages:
        check_page(page, index, icons, log)
    check_unique(index.pages, "slug", log)
    check_unique(index.pages, "sort-order", log)
    for post in index.posts:
        for problem in page_format.check_post_fields(post.metadata):
            log.add(post.source_path, problem.field, problem.message)
        check_site_links(post, index, log)
    check_unique(index.posts, "slug", log)
    check_code_blocks(index.pages + index.posts, log)


def check_page(page, index: SiteIndex, icons: set[str], log: ProblemLog) -> None:
    for problem in page_format.check_page_fields(page.metadata):
        log.add(page.source_path, problem.field, problem.message, "warning" if problem.warning else "error")
    choices, problems = page_format.read_choices(page.metadata)
    for problem in problems:
        log.add(page.source_path, problem.field, problem.message)
    for choice in choices:
        field = f"choice{choice.number}"
        if not choice.is_external and not index.resolves(choice.url):
            hint = did_you_mean(choice.url, index.page_paths(), cutoff=0.5)
            log.add(page.source_path, f"{field}url", f"{choice.url} matches no page{hint}")
        if choice.icon and choice.icon not in icons:
            hint = did_you_mean(choice.icon, icons)
            log.warn(page.source_path, f"{field}icon", f"fa-{choice.icon} is not an icon the theme draws{hint}; the default icon is used. Known: {', '.join('fa-' + i for i in sorted(icons))}")
    check_site_links(page, index, log)


def check_site_links(content, index: SiteIndex, log: ProblemLog) -> None:
    """Links and images written as site paths (/slug.html, /images/x.svg) must name something."""
    html = content._content or ""
    for path in _SITE_PATHS.get(html, lambda: tuple(match["path"] for match in iter_site_paths(html))):
        url = path.split("#", 1)[0].split("?", 1)[0]
        if not index.resolves(url):
            hint = did_you_mean(url, index.paths, cutoff=0.5)
            log.add(content.source_path, "body", f"link {url} matches no page or file{hint}")


def check_unique(contents: list, field: str, log: ProblemLog) -> None:
    owners = defaultdict(list)
    for content in contents:
        value = page_format.text_field(content.metadata, field)
        if value:
            owners[value].append(content.source_path)
    for value, paths in owners.items():
        for path in paths[1:]:
            log.add(path, field, f"{value!r} is already used by {paths[0]}; pick another")


def check_code_blocks(contents: list, log: ProblemLog) -> None:
    """Fenced blocks name a known language and mark whether they are tested; test IDs are unique."""
    test_ids: dict[str, tuple[str, int]] = {}
    for content in contents:
        if not content.source_path.endswith((".md", ".markdown")):
            continue
        with open(content.source_path, encoding="utf-8") as source:
            text = source.read()
        for fence in _FENCES.get(text, lambda: tuple(iter_fences(text))):
            where = f"line {fence.line} code block"
            for message in fence.problems:
                log.add(content.source_path, where, message)
            if fence.test_id:
                here = (content.source_path, fence.line)
                first = test_ids.setdefault(fence.test_id, here)
                if first != here:
                    first_path = display_path(first[0])
                    log.add(content.source_path, where, f"test={fence.test_id!r} is already used at {first_path} line {first[1]}; test IDs are unique across the site")
