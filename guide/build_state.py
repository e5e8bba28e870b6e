"""What one build knows beyond Pelican's settings, shared by the build runner and the plugin.

Pelican hands its plugins nothing but its settings (and the objects it made from them), so the
state travels in the settings, under one key: :data:`SETTING`. The build runner puts a fresh
:class:`BuildState` there before Pelican starts (its problem log, its settings file, `invoke
serve`'s run) and reads what the plugin left in it (the site's index); a plain ``pelican`` run
gets one on first use. Everything else in the settings is configuration.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from guide.problems import ProblemLog

if TYPE_CHECKING:  # only for the annotations: these modules import this one
    from guide.build.preview import PreviewRun
    from guide.build.theme_assets import ThemeAssets
    from guide.content.site_index import SiteIndex
    from guide.content.validation import Source

#: The one settings key the state lives under (the preview's site signature leaves it out).
SETTING = "GUIDE_BUILD_STATE"


@dataclasses.dataclass(eq=False)
class BuildState:
    #: every problem of the build, from the runner, the plugin and Pelican's log
    problems: ProblemLog = dataclasses.field(default_factory=ProblemLog)
    #: the Pelican settings file, to name in a problem with a setting ("" when not known)
    settings_file: str = ""
    #: `invoke serve`'s current build (None in any other build)
    preview: PreviewRun | None = None
    #: the stylesheet and boot script made on ``initialized``, written on ``finalized``
    theme_assets: ThemeAssets | None = None
    #: source path -> what check_sources learnt of that page or post, for validate_site
    sources: dict[str, Source] = dataclasses.field(default_factory=dict)
    #: the content tree's ``guide.toml`` (where it is, or would be)
    tree_settings_file: str = ""
    #: every page and post, once all are read (None until then)
    site_index: SiteIndex | None = None
    #: the book's files (guide.build.book.BookFile), made before the pages, written on ``finalized``
    book_files: list = dataclasses.field(default_factory=list)


def build_state(settings) -> BuildState:
    """The state of the build these settings are for; a plain ``pelican`` run's starts here."""
    state = settings.get(SETTING)
    if state is None:
        state = settings[SETTING] = BuildState()
    return state


def start_build_state(settings, **fields) -> BuildState:
    """A fresh state for the build these settings are for (the runner's, before Pelican starts)."""
    state = settings[SETTING] = BuildState(**fields)
    return state
