"""The "what's next" choices: resolved once per build into what the theme draws."""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from guide.content import front_matter
from guide.content.icons import Icons, style_of
from guide.content.site_links import site_url

DEFAULT_ICON = "arrow-right"


@dataclasses.dataclass(frozen=True)
class ResolvedChoice:
    href: str  #: where the card links: SITEURL + site path, or the https:// URL
    text: str
    icon: Markup  #: inline SVG: the theme's own icon, or Font Awesome Free's (guide.content.icons)
    external: bool


def load_icons(theme_path: str) -> Icons:
    """The icons the theme draws (``theme/icons/NAME.svg`` is ``fa-NAME``), then Font Awesome Free's."""
    return Icons(theme_path)


def resolve_choices(page, icons: Icons, siteurl: str) -> list[ResolvedChoice]:
    choices, _ = front_matter.read_choices(page.metadata)
    default = icons.svg(DEFAULT_ICON) or Markup("")
    return [
        ResolvedChoice(
            href=choice.url if choice.is_external else site_url(siteurl, choice.url),
            text=choice.text,
            icon=icons.svg(choice.icon, _style(page, choice)) or default,
            external=choice.is_external,
        )
        for choice in choices
    ]


def _style(page, choice: front_matter.Choice) -> str:
    """The Font Awesome style the field's classes name (``far fa-user``), or ""."""
    return style_of(front_matter.text_field(page.metadata, f"choice{choice.number}icon"))
