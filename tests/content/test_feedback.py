""" "Was this page helpful?" (guide/content/feedback.py): two links to a prefilled GitHub issue,
only when the site has a repository."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_SITE, build_site

from guide.content.feedback import feedback_links, issue_url

REPO = "https://github.com/example/guide"


def form_fields(url: str) -> tuple[str, dict[str, str]]:
    """The form's address and its prefilled fields, decoded as GitHub decodes them."""
    parts = urlsplit(url)
    fields = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in fields.values()), fields
    return f"{parts.scheme}://{parts.netloc}{parts.path}", {name: values[0] for name, values in fields.items()}


@pytest.mark.parametrize("repo", [REPO, REPO + "/"])
def test_the_issue_form_gets_title_and_body_back_intact(repo):
    title, body = "Q&A: 100% #1 + “quotes” é/?=", "Line one\n\nLine two & more"
    address, fields = form_fields(issue_url(repo, title, body))
    assert address == f"{REPO}/issues/new"
    assert fields == {"title": title, "body": body}


def test_a_plus_or_space_is_never_ambiguous():
    url = issue_url(REPO, "a b+c", "")
    assert "+" not in urlsplit(url).query  # a space is %20, a plus %2B: both decoders agree


def test_yes_and_no_name_the_page_and_its_url():
    links = feedback_links(REPO, "Closing a connection", "https://example.github.io/guide/closing.html")
    _, yes = form_fields(links.yes)
    _, no = form_fields(links.no)
    assert "Closing a connection" in yes["title"]
    assert "Closing a connection" in no["title"]
    assert yes["title"] != no["title"]
    for fields in (yes, no):
        assert "https://example.github.io/guide/closing.html" in fields["body"]


# --- In a built site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("feedback")
    build_site(FIXTURE_SITE, root / "with", strict=True, search=False, overrides={"REPO_URL": REPO})
    build_site(FIXTURE_SITE, root / "without", strict=True, search=False, overrides={"REPO_URL": ""})
    return {"with": root / "with", "without": root / "without"}


def helpful_links(path: Path) -> list:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser").select(".helpful a")


@pytest.mark.build
@pytest.mark.parametrize(("path", "title"), [("second.html", "Second page"), ("blog/launch.html", "Launching the fixture")])
def test_pages_and_posts_ask_when_the_repository_is_known(sites, path, title):
    links = helpful_links(sites["with"] / path)
    assert [link.get_text() for link in links] == ["Yes", "No"]
    for link in links:
        address, fields = form_fields(link["href"])
        assert address == f"{REPO}/issues/new"
        assert title in fields["title"]
        assert f"/{path}" in fields["body"]


@pytest.mark.build
def test_without_a_repository_no_page_asks(sites):
    pages = sorted(sites["without"].rglob("*.html"))
    assert pages
    assert [page.name for page in pages if helpful_links(page) or "Was this page helpful" in page.read_text("utf-8")] == []
