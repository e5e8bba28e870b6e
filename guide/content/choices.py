"""The "what's next" choices: resolved once per build into what the theme draws."""

from __future__ import annotations

import dataclasses
import os

from markupsafe import Markup

from guide.content import front_matter
from guide.content.site_links import site_url

DEFAULT_ICON = "arrow-right"


@dataclasses.dataclass(frozen=True)
class ResolvedChoice:
    href: str  #: where the card links: SITEURL + site path, or the https:// URL
    text: str
    icon: Markup  #: inline SVG from the theme's icons folder
    external: bool


def load_icons(theme_path: str) -> dict[str, Markup]:
    """The icons the theme draws: ``theme/icons/NAME.svg`` is the icon ``fa-NAME``."""
    folder = os.path.join(theme_path, "icons")
    icons = {}
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
        if name.endswith(".svg"):
            with open(os.path.join(folder, name), encoding="utf-8") as svg:
                icons[name.removesuffix(".svg")] = Markup(svg.read().strip())
    return icons


def resolve_choices(page, icons: dict[str, Markup], siteurl: str) -> list[ResolvedChoice]:
    choices, _ = front_matter.read_choices(page.metadata)
    default = icons.get(DEFAULT_ICON, Markup(""))
    return [
        ResolvedChoice(
            href=choice.url if choice.is_external else site_url(siteurl, choice.url),
            text=choice.text,
            icon=icons.get(choice.icon, default),
            external=choice.is_external,
        )
        for choice in choices
    ]
