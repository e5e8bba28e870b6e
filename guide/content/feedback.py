""" "Was this page helpful?": two links that open a prefilled issue in the site's repository.

No script, no counter, no third party on the page: each answer is a plain link to GitHub's "new
issue" form (``REPO_URL/issues/new?title=...&body=...``) with the page's title and URL filled in,
which the reader may edit or abandon. Without a ``REPO_URL`` (pelicanconf.py derives it from
``GITHUB_REPOSITORY``) there is nowhere to send an answer, and pages ask nothing.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import quote, urlencode

REPO_URL_SETTING = "REPO_URL"
PROMPTS = {
    True: "What did the page answer for you?",
    False: "What were you looking for, and what was missing or unclear?",
}


@dataclasses.dataclass(frozen=True)
class FeedbackLinks:
    yes: str
    no: str


def issue_url(repo_url: str, title: str, body: str) -> str:
    """GitHub's new-issue form for ``repo_url`` with its title and body filled in, every character
    of both percent-encoded (``quote``, so a space is ``%20`` and ``&``, ``#`` or ``+`` stay text)."""
    return f"{repo_url.rstrip('/')}/issues/new?{urlencode({'title': title, 'body': body}, quote_via=quote, safe='')}"


def feedback_links(repo_url: str, title: str, page_url: str) -> FeedbackLinks:
    """The "yes" and "no" links for one page."""

    def answer(helpful: bool) -> str:
        verdict = "helpful" if helpful else "not helpful"
        return issue_url(repo_url, f"Feedback: “{title}” was {verdict}", f"Page: {page_url}\n\n{PROMPTS[helpful]}\n")

    return FeedbackLinks(answer(True), answer(False))


def add_feedback_links(contents: list, settings) -> None:
    """Give each page or post its ``feedback`` links, or None when the site has no repository."""
    repo_url = settings.get(REPO_URL_SETTING) or ""
    for content in contents:
        content.feedback = feedback_links(repo_url, content.title, f"{settings['SITEURL']}/{content.url}") if repo_url else None
