"""The published build: under a base path, with feeds, sitemap, robots.txt; and the deploy workflow."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import FIXTURE_SITE, ROOT

BASE = "https://example.github.io/guide"
#: Any URL of the base's host, wherever it is written.
SAME_HOST_RE = re.compile(r"https?://example\.github\.io[^\s\"'<>)]*")
TEXT_SUFFIXES = {".html", ".xml", ".txt", ".css", ".js", ".svg", ".json"}
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("publish") / "site"
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--siteurl", BASE, "--content", str(FIXTURE_SITE), "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SITEURL": ""},
    )
    assert run.returncode == 0, run.stderr
    return output


def html_values(text: str):
    """Every attribute value of every tag, and every string of the structured data."""
    page = BeautifulSoup(text, "html.parser")
    for tag in page.find_all(True):
        for value in tag.attrs.values():
            yield from value if isinstance(value, list) else [value]
    for script in page.find_all("script", type="application/ld+json"):
        yield from json_strings(json.loads(script.string))


def json_strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict | list):
        for item in data.values() if isinstance(data, dict) else data:
            yield from json_strings(item)


@pytest.mark.build
def test_every_url_in_every_file_stays_under_the_base_path(published):
    """The strict publish checks the links; this, what no link check reads: meta tags, structured
    data, feeds, sitemap, robots.txt, scripts and styles."""
    escapes = []
    for path in sorted(published.rglob("*")):
        name = path.relative_to(published).as_posix()
        if path.suffix not in TEXT_SUFFIXES or name.startswith("pagefind/"):
            continue  # Pagefind's index is compressed; test_search_page_loads_pagefind_from_the_base_path covers it
        text = path.read_text(encoding="utf-8")
        escapes += [f"{name}: {url}" for url in SAME_HOST_RE.findall(text) if not url.startswith(BASE + "/")]
        if path.suffix == ".html":
            escapes += [f"{name}: root-relative {value}" for value in html_values(text) if value.startswith("/") and not value.startswith("//")]
    assert not escapes, "\n".join(escapes)


@pytest.mark.build
def test_sitemap_lists_each_page_once_with_absolute_urls(published):
    locs = [loc.text for loc in ET.parse(published / "sitemap.xml").getroot().findall("s:url/s:loc", SITEMAP_NS)]
    assert len(locs) == len(set(locs))
    assert sorted(locs) == sorted(
        f"{BASE}/{name}" for name in
        ["", "home.html", "second.html", "third.html", "blog/launch.html", "blog/notes.html", "table-of-contents.html", "blog.html"]
    )


@pytest.mark.build
def test_robots_points_at_the_sitemap(published):
    assert f"Sitemap: {BASE}/sitemap.xml" in (published / "robots.txt").read_text().splitlines()


@pytest.mark.build
def test_atom_feed_lists_the_posts_with_absolute_links(published):
    feed = ET.parse(published / "feeds" / "atom.xml").getroot()
    atom = {"a": "http://www.w3.org/2005/Atom"}
    links = [e.find("a:link", atom).get("href") for e in feed.findall("a:entry", atom)]
    assert links == [f"{BASE}/blog/notes.html", f"{BASE}/blog/launch.html"]
    head = BeautifulSoup((published / "home.html").read_text(), "html.parser").head
    assert head.find("link", type="application/atom+xml")["href"] == f"{BASE}/feeds/atom.xml"


@pytest.mark.build
def test_canonical_and_social_urls_are_absolute(published):
    head = BeautifulSoup((published / "second.html").read_text(), "html.parser").head
    assert head.find("link", rel="canonical")["href"] == f"{BASE}/second.html"
    assert head.find("meta", property="og:url")["content"] == f"{BASE}/second.html"


@pytest.mark.build
def test_search_page_loads_pagefind_from_the_base_path(published):
    """The search worker loads BASE/pagefind/pagefind.js: from search.js's data-base, or from the header form's action."""
    html = BeautifulSoup((published / "search.html").read_text(), "html.parser")
    assert html.find("script", src=re.compile("search.js"))["data-base"] == f"{BASE}/"
    assert html.find("form", class_="search-form")["action"] == f"{BASE}/search.html"
    assert (published / "pagefind" / "pagefind.js").is_file()


@pytest.mark.build
def test_publish_refuses_to_run_without_a_site_url(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--content", str(FIXTURE_SITE), "--output", str(tmp_path / "o")],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SITEURL": ""},
    )
    assert run.returncode == 2
    assert "publish needs the site's public URL" in run.stderr
    assert not (tmp_path / "o").exists()


# The deploy workflow


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())


def readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"^## Quick start.*?^```[^\n]*\n(.*?)^```", readme, re.S | re.M).group(1)
    commands = [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2, commands
    return commands[1]


def test_ci_script_ends_with_the_readmes_test_command():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip()]
    assert lines[-1] == readme_test_command() == "python3 tasks.py test"


def test_workflow_tests_with_the_ci_script_then_publishes(workflow):
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads "on" as True
    assert {"pull_request", "push"} <= set(triggers)
    assert triggers["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert any(step.get("run") == "bash .ci/run" for step in jobs["test"]["steps"])
    assert jobs["build"]["needs"] == "test"
    assert any(step.get("run") == "python3 tasks.py publish" for step in jobs["build"]["steps"])
    uses = [step["uses"] for job in jobs.values() for step in job["steps"] if "uses" in step]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= {use.split("@")[0] for use in uses}
    # Pinned to a commit, not a tag that can be moved (zizmor's unpinned-uses).
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", use) for use in uses), uses


def test_workflow_grants_pages_permissions_only_to_the_deploy_job(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "github.ref == 'refs/heads/main'" in jobs["deploy"]["if"]
    assert all("permissions" not in job for name, job in jobs.items() if name != "deploy")


@pytest.mark.build
def test_search_index_covers_every_page_and_post(published):
    entry = json.loads((published / "pagefind" / "pagefind-entry.json").read_text())
    bodies = [p for p in published.rglob("*.html") if "data-pagefind-body" in p.read_text()]
    assert len(bodies) == 5  # three guide pages and two posts of the fixture site
    assert entry["languages"]["en"]["page_count"] == len(bodies)


@pytest.mark.build
def test_articles_carry_structured_data_with_absolute_urls(published):
    page = BeautifulSoup((published / "second.html").read_text(), "html.parser")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert (data["@type"], data["headline"], data["url"]) == ("TechArticle", "Second page", f"{BASE}/second.html")
    post = BeautifulSoup((published / "blog" / "launch.html").read_text(), "html.parser")
    data = json.loads(post.find("script", type="application/ld+json").string)
    assert (data["@type"], data["datePublished"]) == ("BlogPosting", "2026-11-01")
