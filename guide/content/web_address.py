"""Web addresses given as settings or options: ``REPO_URL``, ``EDIT_URL`` and ``--siteurl``.

Each is written into every page as the start of a link (``REPO_URL/issues/new?...``,
``EDIT_URL/pages/...``, ``SITEURL/page.html``), so each must be an ``http://`` or ``https://``
address with a host and nothing a link would break on: no space, quote, ``<``, ``>``, backslash or
control character, no ``?`` query or ``#`` fragment. ``javascript:alert(1)//`` would otherwise be
a link on every page, and ``github.com/o/r`` (no scheme) a relative link that the link check
reports dozens of times instead of once here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from guide.problems import ProblemLog

REPOSITORY_SETTINGS = ("REPO_URL", "EDIT_URL")
FORBIDDEN = frozenset("\"'`<>\\")


def web_address_problem(value, *, https_only: bool = False) -> str | None:
    """What is wrong with ``value`` as an absolute web address, or None (a query is fine here)."""
    if not isinstance(value, str) or not value:
        return "is missing or not text"
    if any(char in FORBIDDEN or char.isspace() or not char.isprintable() for char in value):
        return "has a space, quote, <, > or backslash"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError on a port that is no number)
    except ValueError as error:
        return f"is not a web address ({error})"
    schemes = ("https",) if https_only else ("https", "http")
    if parts.scheme not in schemes:
        return "does not start with https://" + ("" if https_only else " (or http://)")
    if not parts.hostname or "@" in parts.netloc:
        return "names no host after https:// (or has a user name in it)"
    return None


def address_problem(value: str) -> str | None:
    """What is wrong with ``value`` as the start of the site's links, or None: a web address with
    no query or fragment, which the links added after it would break."""
    problem = web_address_problem(value)
    if problem:
        return problem
    parts = urlsplit(value)
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        return "has a ? query or # fragment, which the links added after it would break"
    return None


def origin(address: str) -> str:
    """``https://host[:port]``: what a CSP source expression allows of an address."""
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def check_repository_urls(settings, log: ProblemLog, settings_file: str = "") -> None:
    """``REPO_URL`` and ``EDIT_URL``, when set, are web addresses (``initialized``).

    An ``EDIT_URL`` derived from a bad ``REPO_URL`` (as pelicanconf.py derives it) is not reported:
    fixing ``REPO_URL`` fixes both, and one line says so.
    """
    reported = []
    for setting in REPOSITORY_SETTINGS:
        value = settings.get(setting) or ""
        problem = address_problem(value) if isinstance(value, str) else "is not text"
        echo = isinstance(value, str) and any(value.startswith(bad.rstrip("/")) for bad in reported)
        if value and problem and not echo:
            reported.append(value)
            example = "https://github.com/OWNER/REPO" + ("/edit/main/content" if setting == "EDIT_URL" else "")
            log.add(settings_file, setting, f'{value!r}: {problem}; set it to an address like {example}, or "" for no links')
