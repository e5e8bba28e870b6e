"""Drafts: a page or post with ``status: draft`` is previewed by `invoke serve` and published by nothing.

`invoke build` and `publish` write no file for a draft, so it is in no chapter, table of
contents, pager, sitemap, feed or search index, and a link to it from a page that is published
fails the build (:func:`draft_link_problem`): once published, the link would lead nowhere.

`invoke serve` sets :data:`SHOW_DRAFTS` (``guide.build.runner.PREVIEW_OVERRIDES``): each draft is
then rendered at the URL it will have once published and listed where it will be listed (its
chapter, the table of contents, the pager, the blog), with the theme's "Draft" banner and marks
(``theme/templates/partials/draft.html``), so that its author reads it in place. Its code blocks
and links are checked like a published page's, since it is rendered.

``status: hidden`` is Pelican's own: the page is built and reachable at its URL, and listed
nowhere (no chapter, table of contents, pager, sitemap or search index).
"""

from __future__ import annotations

from guide.problems import display_path

#: The setting that renders drafts (`invoke serve` sets it; pelicanconf.py leaves it False).
SHOW_DRAFTS = "SHOW_DRAFTS"
DRAFT, HIDDEN, PUBLISHED = "draft", "hidden", "published"
#: The Pelican settings of drafts, and the settings of published content whose values they take.
_DRAFT_SETTINGS = (("DRAFT", "ARTICLE"), ("DRAFT_PAGE", "PAGE"))


def shows_drafts(settings) -> bool:
    """True in a build that renders drafts (`invoke serve`)."""
    return bool(settings.get(SHOW_DRAFTS, False))


def apply_draft_settings(settings) -> None:
    """A draft's URL is the one it will have once published (so a link to it is known for what it
    is); it is written there only when the build shows drafts, otherwise nowhere."""
    show = shows_drafts(settings)
    for draft, published in _DRAFT_SETTINGS:
        settings[f"{draft}_URL"] = settings[f"{published}_URL"]
        settings[f"{draft}_SAVE_AS"] = settings[f"{published}_SAVE_AS"] if show else ""


def status_of(content) -> str:
    return getattr(content, "status", PUBLISHED) or PUBLISHED


def is_draft(content) -> bool:
    return status_of(content) == DRAFT


def draft_paths(drafts: list) -> dict[str, str]:
    """The site path each draft will have once published ("/slug.html") -> its source file."""
    return {"/" + draft.url.lstrip("/"): draft.source_path for draft in drafts}


def draft_link_problem(path: str, drafts: dict[str, str], what: str = "link") -> str | None:
    """The problem of a link (``what``) to a draft this build does not publish, or None.

    ``drafts`` is :func:`draft_paths` of the drafts left out (``SiteIndex.drafts``).
    """
    source = drafts.get(path)
    if source is None:
        return None
    return (
        f"{what} {path} leads to a draft ({display_path(source)}), which only `invoke serve` shows; "
        "publish it (`status: published`) or remove the link"
    )
