"""The icons a "what's next" card may draw: the theme's own, then any of Font Awesome Free.

``choiceNicon: fa-NAME`` names an icon. The theme's drawn icons (``theme/icons/NAME.svg``) win
where they exist; any other name is looked up in ``theme/icons/fontawesome-free.json``, which
``python3 tasks.py icons`` writes from the ``fontawesomefree`` package
(:mod:`guide.site_tools.fontawesome`): a Font Awesome 6 name, else a Font Awesome 4 name
(``hdd-o``, ``bar-chart-o``) through the package's v4 shims, else one of its aliases
(``tachometer-alt``). That file (1.5 MB) is read only when a page names an icon the theme does not draw, and
once per process (``invoke serve`` rebuilds reuse it).

A Font Awesome icon is inlined with the attributes the theme's icons have (``class="icon"``,
``aria-hidden``, ``focusable``, 24 px) and filled with ``currentColor``, in a square box padded
like the theme's 24-unit grid so that both kinds look the same size; it keeps Font Awesome's
attribution comment, as the licence (CC BY 4.0) asks.
"""

from __future__ import annotations

import difflib
import json
import os

from markupsafe import Markup, escape

FA_DATA_FILE = "fontawesome-free.json"  #: in the theme's icons folder; see guide.site_tools.fontawesome
#: Class names that pick a Font Awesome style (``far fa-user``: the outlined user).
STYLE_CLASSES = {
    "fas": "solid", "fa-solid": "solid",
    "far": "regular", "fa-regular": "regular",
    "fab": "brands", "fa-brands": "brands",
}  # fmt: skip
#: Font Awesome draws on a 512-unit em with no margin; the theme's icons leave about 1/12 of
#: their box on each side. The box around a Font Awesome icon gets the same margin.
MARGIN_FRACTION = 1 / 12

_FA_CACHE: dict[tuple, dict] = {}  #: (path, mtime, size) -> the parsed data file


def style_of(classes: str) -> str:
    """``far fa-user`` -> ``regular``; "" when the classes name no style (then solid, if drawn so)."""
    styles = [STYLE_CLASSES[c] for c in classes.split() if c in STYLE_CLASSES]
    return styles[-1] if styles else ""


class Icons:
    """What a build's choices may draw, by name (without ``fa-``)."""

    def __init__(self, theme_path: str) -> None:
        self.folder = os.path.join(theme_path, "icons")
        self.theme = _theme_svgs(self.folder)  #: name -> the theme's own SVG
        self._drawn: dict[tuple[str, str], Markup | None] = {}

    def draws(self, name: str) -> bool:
        return self.svg(name) is not None

    def svg(self, name: str, style: str = "") -> Markup | None:
        """The SVG for ``fa-NAME`` (in ``style`` if it has one: solid, regular, brands), or None."""
        if name in self.theme:
            return self.theme[name]
        if not name:  # "no icon": the caller's default, without reading Font Awesome's file
            return None
        key = (name, style)
        if key not in self._drawn:
            self._drawn[key] = self._fa_svg(name, style)
        return self._drawn[key]

    def unknown_message(self, name: str) -> str:
        """One line for a name neither the theme nor Font Awesome Free draws."""
        data, trouble = self._fa_data()
        names = set(self.theme) | set(data.get("icons", ())) | set(data.get("aliases", ())) | set(data.get("shims", ()))
        close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.6)
        hint = f" (did you mean fa-{close[0]}?)" if close else ""
        where = f"; {trouble}" if trouble else "; see https://fontawesome.com/search?m=free"
        return f"fa-{name} is not a Font Awesome Free icon nor one the theme draws{hint}; the default icon is used{where}"

    def fa_names(self) -> dict[str, list[str]]:
        """Every name the data file answers to: ``icons``, ``aliases``, ``shims`` (for the tests and docs)."""
        data, _ = self._fa_data()
        return {part: sorted(data.get(part, ())) for part in ("icons", "aliases", "shims")}

    def fa_target(self, name: str, style: str = "") -> tuple[str, str] | None:
        """Which Font Awesome icon and style ``fa-NAME`` draws: an icon of that name, else the icon a
        Font Awesome 4 name became, else the icon it is an alias of; or None."""
        data, _ = self._fa_data()
        icons = data.get("icons", {})
        if name in icons:
            target, implied = name, ""
        elif name in data.get("shims", {}):  # before the aliases: where they differ (31 names), the
            target, implied = data["shims"][name]  # alias gives the name a new icon, the shim its v4 one
        elif name in data.get("aliases", {}):
            target, implied = data["aliases"][name], ""
        else:
            return None
        styles = icons.get(target, {})
        for candidate in (style, implied, *data.get("styles", ())):
            if candidate in styles:
                return target, candidate
        return None

    def _fa_svg(self, name: str, style: str) -> Markup | None:
        found = self.fa_target(name, style)
        if found is None:
            return None
        data, _ = self._fa_data()
        view_box, path = data["icons"][found[0]][found[1]]
        return fa_svg(view_box, path, data.get("notice", ""))

    def _fa_data(self) -> tuple[dict, str]:
        """The data file, parsed once per process and file version; and what is wrong with it ("" if nothing)."""
        return load_fa_data(os.path.join(self.folder, FA_DATA_FILE))


def load_fa_data(path: str) -> tuple[dict, str]:
    """The Font Awesome data file (``{}`` if missing or unreadable) and, if so, what to do about it."""
    try:
        stat = os.stat(path)
    except OSError:
        return {}, f"{os.path.basename(path)} is missing from the theme: restore it from git or run `python3 tasks.py icons`"
    key = (path, stat.st_mtime_ns, stat.st_size)  # a refreshed file is read again
    if key not in _FA_CACHE:
        try:
            with open(path, encoding="utf-8") as file:
                data = json.load(file)
        except (OSError, ValueError) as error:
            return {}, f"{path} cannot be read ({error}): restore it from git or run `python3 tasks.py icons`"
        if not isinstance(data, dict) or not isinstance(data.get("icons"), dict):
            return {}, f"{path} is not the icon data `python3 tasks.py icons` writes: restore it from git or run that task"
        _FA_CACHE.clear()
        _FA_CACHE[key] = data
    return _FA_CACHE[key], ""


def fa_svg(view_box: str, path: str, notice: str) -> Markup:
    """An inline SVG like the theme's own icons, filled instead of stroked, with Font Awesome's attribution."""
    x, y, width, height = (float(n) for n in view_box.split())
    side = max(width, height) * (1 + 2 * MARGIN_FRACTION)
    box = " ".join(_number(n) for n in (x - (side - width) / 2, y - (side - height) / 2, side, side))
    comment = f"<!--! {notice.replace('--', '- -')} -->" if notice else ""
    return Markup(
        f'<svg class="icon" viewBox="{box}" width="24" height="24" aria-hidden="true" focusable="false" fill="currentColor">'
        f'{comment}<path d="{escape(path)}"/></svg>'
    )


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _theme_svgs(folder: str) -> dict[str, Markup]:
    """``theme/icons/NAME.svg`` is the icon ``fa-NAME``."""
    icons = {}
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
        if name.endswith(".svg"):
            with open(os.path.join(folder, name), encoding="utf-8") as svg:
                icons[name.removesuffix(".svg")] = Markup(svg.read().strip())
    return icons
