"""The announcement banner: one line from the ``ANNOUNCEMENT`` setting, at the top of every page.

The setting is plain text in which ``[text](url)`` is a link, to a page of the site (``/blog/v2.html``,
made absolute under ``SITEURL`` like every site path) or to a web address (``https://`` or ``http://``). Nothing
else is markup: the text is escaped, so ``<b>`` shows as written, and a link to anything else
(``javascript:``, ``blog.html``, which would break on ``/blog/`` pages) is a problem naming the
setting. The banner is rendered once per build into ``ANNOUNCEMENT_HTML``, with
``ANNOUNCEMENT_KEY``, a short hash of the text: a reader who dismisses the banner (theme/static/js/site.js)
is remembered under that key, so a new announcement shows again while the old one stays away.
An empty setting (the default) shows nothing. More than :data:`MAX_VISIBLE` characters of visible
text (links count by their text) is a warning: on a phone such a banner fills the screen.
"""

from __future__ import annotations

import hashlib
import re

from markupsafe import Markup, escape

from guide.problems import ProblemLog

SETTING = "ANNOUNCEMENT"
HTML_SETTING = "ANNOUNCEMENT_HTML"  #: what base.html prints, escaped but for the links
KEY_SETTING = "ANNOUNCEMENT_KEY"  #: what a dismissal remembers
#: ``[text](url)``: no brackets in the text, no space or ``)`` in the URL (write ``%29``); linear.
LINK_RE = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\((?P<url>[^)\s]+)\)")
WEB_SCHEMES = ("https://", "http://")
MAX_VISIBLE = 200  #: characters a reader sees; beyond, a warning (--strict fails)
HOW = 'set it to one line of text, links written [text](/page.html) or [text](https://...), or "" for none'


def announcement_key(text: str) -> str:
    """12 hex digits of the text's SHA-256: a new text, a new key."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def link_problem(url: str) -> str | None:
    """What is wrong with a link's URL, or None."""
    if url.startswith(WEB_SCHEMES) or (url.startswith("/") and not url.startswith("//")):
        return None
    return f"link to {url!r}: write a site path starting with / (e.g. /blog/launch.html) or a web address starting with https://"


def as_written(url: str, text: str, end: int) -> str:
    """The URL as the author wrote it: LINK_RE ends it at its first ")", so ``javascript:alert(1)``
    matched as ``javascript:alert(1``; give back the ")" that close its open "(" (``end``: where the match ended)."""
    opened, closed = url.count("("), 0
    while closed < opened and text.startswith(")", end + closed):
        closed += 1
    return url + ")" * closed


def render(text: str, siteurl: str) -> tuple[Markup, list[str]]:
    """The announcement's HTML (whitespace collapsed, escaped, its links made) and its problems."""
    text = " ".join(text.split())
    parts, problems, end = [], [], 0
    for match in LINK_RE.finditer(text):
        url = match["url"]
        if link_problem(url):
            problems.append(link_problem(as_written(url, text, match.end())))
            continue
        href = siteurl + url if url.startswith("/") else url
        parts.append(escape(text[end : match.start()]))
        parts.append(Markup('<a href="{}">{}</a>').format(href, match["text"]))
        end = match.end()
    parts.append(escape(text[end:]))
    return Markup("").join(parts), problems


def apply_announcement(settings, log: ProblemLog, settings_file: str = "") -> None:
    """Check ``ANNOUNCEMENT`` ("" when not set) and give the templates its HTML and key ("" for none)."""
    value = settings.setdefault(SETTING, "")
    settings[HTML_SETTING], settings[KEY_SETTING] = Markup(""), ""
    if not isinstance(value, str):
        log.add(settings_file, SETTING, f"{value!r}: {HOW}")
        return
    html, problems = render(value, settings.get("SITEURL", ""))
    for problem in problems:
        log.add(settings_file, SETTING, problem)
    visible = len(html.striptags())
    if visible > MAX_VISIBLE:
        message = f"{visible} characters of visible text, more than {MAX_VISIBLE}: on a phone the banner would fill the screen"
        log.warn(settings_file, SETTING, f"{message}; keep one short line and link to a page for the details")
    if html and not problems:
        settings[HTML_SETTING], settings[KEY_SETTING] = html, announcement_key(value)
