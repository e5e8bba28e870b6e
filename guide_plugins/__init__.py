"""The project's own Pelican plugins, wired to Pelican's signals in one place.

Pelican reads every file, then sends ``all_generators_finalized`` before it writes anything.
That is where the whole site is known, so everything computed across pages happens there, once
per build: validation (:mod:`.validation`), choices (:mod:`.choices`), site links
(:mod:`.site_links`). A build with errors stops there, before a single file is written.
"""

from __future__ import annotations

import os

from pelican import signals

from guide_plugins.choices import load_icons, resolve_choices
from guide_plugins.problems import ContentError, ProblemLog
from guide_plugins.site_index import SiteIndex
from guide_plugins.site_links import absolutize
from guide_plugins.validation import check_encoding, validate_site

PROBLEMS_SETTING = "GUIDE_PROBLEMS"
SITE_INDEX_SETTING = "GUIDE_SITE_INDEX"  #: the last build's SiteIndex, for the build runner


def problem_log(settings) -> ProblemLog:
    """The build's problem log: the build runner puts one in the settings; plain pelican gets its own."""
    return settings.setdefault(PROBLEMS_SETTING, ProblemLog())


def on_initialized(pelican) -> None:
    check_encoding(pelican.settings["PATH"], problem_log(pelican.settings))


def on_all_generators_finalized(generators) -> None:
    settings = generators[0].settings
    context = generators[0].context
    log = problem_log(settings)
    index = SiteIndex.from_generators(generators, settings)
    icons = load_icons(settings["THEME"])
    validate_site(index, set(icons), log)
    if log.errors:
        raise ContentError(log.errors)

    siteurl = settings["SITEURL"]
    for content in index.pages + index.posts:
        # Keep what the author wrote: Pelican's cache may hand this object to a later build.
        authored = content.__dict__.setdefault("_authored_content", content._content)
        content._content = absolutize(authored, siteurl)
    for page in index.pages:
        page.choices = resolve_choices(page, icons, siteurl)
    context["site_index"] = index
    settings[SITE_INDEX_SETTING] = index


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
