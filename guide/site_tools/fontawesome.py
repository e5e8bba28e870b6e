"""`invoke icons`: the Font Awesome Free icons the theme may draw, as one compact committed file.

The ``fontawesomefree`` package (pinned in pyproject.toml's ``icons`` extra) is 87 MB installed:
fonts, CSS, JavaScript and 2,000 SVG files. A build needs only each icon's outline, so this reads
the package's metadata once and writes ``theme/icons/fontawesome-free.json``: per icon and style
its viewBox and path, the package's aliases (``tachometer-alt`` -> ``gauge-high``) and its
Font Awesome 4 names (``metadata/shims.json``: ``hdd-o`` -> ``hard-drive``, regular style), and
the package's version and attribution line. The licence goes beside it. Builds read that file
(:mod:`guide.content.icons`), never the package.

Only the standard library is used, so the generator runs under any Python where the package is
installed: ``python -m guide.site_tools.fontawesome [PACKAGE_FOLDER]``.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import importlib.util
import json
import os
import sys
import tomllib

PACKAGE = "fontawesomefree"
DATA_FILE = "fontawesome-free.json"  #: written beside the theme's own icons (theme/icons/)
LICENCE_FILE = "fontawesome-free-LICENSE.txt"
#: The styles a name draws in when the page does not say: Font Awesome's own default is solid.
STYLES = ("solid", "regular", "brands")
#: shims.json's prefixes (Font Awesome 5 class names) -> style
PREFIX_STYLES = {"fas": "solid", "far": "regular", "fab": "brands"}
#: What the package's SVG files say of themselves; used when none can be read.
DEFAULT_NOTICE = (
    "Font Awesome Free {version} by @fontawesome - https://fontawesome.com License - https://fontawesome.com/license/free"
)


class IconDataError(Exception):
    """The package is missing, or is not what this generator reads: one line saying what to do."""


@dataclasses.dataclass(frozen=True)
class Written:
    data_path: str
    licence_path: str
    version: str
    icons: int
    aliases: int
    shims: int
    size: int  #: bytes of the data file


def installed_package_folder() -> tuple[str, str]:
    """The installed package's asset folder (``.../fontawesomefree/static/fontawesomefree``) and version."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise IconDataError(f"{PACKAGE} is not installed; run `python3 tasks.py icons`, which installs requirements/icons.txt")
    root = next(iter(spec.submodule_search_locations))
    return os.path.join(root, "static", PACKAGE), importlib.metadata.version(PACKAGE)


def pinned_version(pyproject_path: str) -> str:
    """The version pyproject.toml's ``icons`` extra pins (``fontawesomefree==X``), or "" if none."""
    with open(pyproject_path, "rb") as file:
        extras = tomllib.load(file).get("project", {}).get("optional-dependencies", {})
    for requirement in extras.get("icons", []):
        name, _, version = requirement.partition("==")
        if name.strip().lower() == PACKAGE:
            return version.split(";")[0].strip()
    return ""


def icon_data(package_folder: str, version: str) -> dict:
    """What the build needs of the package: the icons' outlines, the aliases, the v4 names."""
    metadata = _read_json(os.path.join(package_folder, "metadata", "icons.json"))
    shims_list = _read_json(os.path.join(package_folder, "metadata", "shims.json"))
    icons = {name: _outlines(name, entry) for name, entry in sorted(metadata.items())}
    icons = {name: styles for name, styles in icons.items() if styles}
    aliases = {
        alias: name
        for name, entry in metadata.items()
        if name in icons
        for alias in entry.get("aliases", {}).get("names", [])
        if alias not in icons  # a name of its own wins over another icon's old name
    }
    return {
        "about": f"Written by `python3 tasks.py icons` from {PACKAGE} {version}; do not edit. Icons: CC BY 4.0, see {LICENCE_FILE}.",
        "package": PACKAGE,
        "version": version,
        "notice": _notice(package_folder, version),
        "styles": list(STYLES),
        "icons": icons,
        "aliases": dict(sorted(aliases.items())),
        "shims": _shims(shims_list, icons),
    }


def _outlines(name: str, entry: dict) -> dict[str, list[str]]:
    """style -> [viewBox, path], for the free styles in Font Awesome's default order."""
    svgs, free = entry.get("svg", {}), set(entry.get("free", STYLES))
    outlines = {}
    for style in STYLES:
        svg = svgs.get(style)
        if style not in free or not svg:
            continue
        path = svg.get("path")
        if isinstance(path, list):  # duotone (Pro only): secondary layer then primary; keep the shape
            path = " ".join(p for p in path if p)
        box = svg.get("viewBox") or [0, 0, svg.get("width"), svg.get("height")]
        if not isinstance(path, str) or not path or len(box) != 4:
            raise IconDataError(f"metadata/icons.json: {name} ({style}) has no path or viewBox; is this a {PACKAGE} package?")
        outlines[style] = [" ".join(str(n) for n in box), path]
    return outlines


def _shims(shims_list: list, icons: dict) -> dict[str, list[str]]:
    """v4 name -> [v6 name, style or ""]; only those whose icon is in the set.

    Rows keyed by a code point (61440: the v4 font's glyph) are for fonts, not names: left out.
    """
    shims = {}
    for row in shims_list:
        old, prefix, new = [*row, None, None, None][:3]
        target = new or old
        if isinstance(old, str) and old and target in icons:
            shims[old] = [target, PREFIX_STYLES.get(prefix or "", "")]
    return dict(sorted(shims.items()))


def _notice(package_folder: str, version: str) -> str:
    """The attribution line the package's SVG files carry (``<!--! Font Awesome Free ... -->``)."""
    folder = os.path.join(package_folder, "svgs", "solid")
    for name in sorted(os.listdir(folder))[:1] if os.path.isdir(folder) else ():
        with open(os.path.join(folder, name), encoding="utf-8") as svg:
            text = svg.read()
        start, end = text.find("<!--!"), text.find("-->")
        if 0 <= start < end:
            return text[start + 5 : end].strip()
    return DEFAULT_NOTICE.format(version=version)


def _read_json(path: str):
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except OSError as error:
        raise IconDataError(f"{path}: cannot read ({error.strerror}); is this a {PACKAGE} package?") from None
    except ValueError as error:
        raise IconDataError(f"{path}: not valid JSON ({error})") from None


def dumps(data: dict) -> str:
    """Compact JSON with one icon, alias or shim a line, so that a refresh reads well as a diff."""
    lines = ["{"]
    keys = list(data)
    for number, key in enumerate(keys):
        value, comma = data[key], "," if number < len(keys) - 1 else ""
        if isinstance(value, dict):
            entries = [f"{json.dumps(k)}:{json.dumps(v, separators=(',', ':'))}" for k, v in value.items()]
            lines.append(f"{json.dumps(key)}:{{")
            lines.extend(entry + ("," if i < len(entries) - 1 else "") for i, entry in enumerate(entries))
            lines.append("}" + comma)
        else:
            lines.append(f"{json.dumps(key)}:{json.dumps(value, separators=(',', ':'))}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def licence_text(package_folder: str, version: str) -> str:
    """The notice beside the data file: what is used, under which licence, what was changed."""
    try:
        with open(os.path.join(package_folder, "LICENSE.txt"), encoding="utf-8") as file:
            original = file.read().strip()
    except OSError:
        raise IconDataError(f"{package_folder}/LICENSE.txt is missing; is this a {PACKAGE} package?") from None
    return (
        f"{DATA_FILE} holds the outlines of the Font Awesome Free {version} icons\n"
        "by Fonticons, Inc. (https://fontawesome.com), taken from the fontawesomefree package.\n"
        "\n"
        "The icons are licensed under the Creative Commons Attribution 4.0 International\n"
        "licence (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/). Their path data is\n"
        "unchanged; the theme draws each icon inline, in a square box padded to match its own\n"
        "icons, filled with the text colour, and keeps Font Awesome's attribution comment in\n"
        "every SVG it inlines. Brand icons are trademarks of their respective owners.\n"
        "\n"
        "Font Awesome Free's licence file, as shipped in the package, follows.\n"
        "\n" + "-" * 80 + "\n\n" + original + "\n"
    )


def write_icon_data(package_folder: str, version: str, out_folder: str) -> Written:
    """Write the data file and its licence into ``out_folder`` (the theme's icons folder)."""
    data = icon_data(package_folder, version)
    text, licence = dumps(data), licence_text(package_folder, version)
    data_path, licence_path = os.path.join(out_folder, DATA_FILE), os.path.join(out_folder, LICENCE_FILE)
    for path, content in ((data_path, text), (licence_path, licence)):
        with open(path + ".tmp", "w", encoding="utf-8", newline="\n") as file:
            file.write(content)
        os.replace(path + ".tmp", path)  # a reader never sees half a file
    return Written(
        data_path, licence_path, version, len(data["icons"]), len(data["aliases"]), len(data["shims"]), len(text.encode())
    )


def main(argv: list[str]) -> int:
    """``python -m guide.site_tools.fontawesome [PACKAGE_FOLDER VERSION]``: write into theme/icons."""
    try:
        folder, version = argv if len(argv) == 2 else installed_package_folder()
        theme_icons = os.path.join(os.path.dirname(__file__), "..", "..", "theme", "icons")
        written = write_icon_data(folder, version, os.path.normpath(theme_icons))
    except IconDataError as error:
        print(f"icons: {error}", file=sys.stderr)
        return 1
    print(
        f"Wrote {written.icons} icons, {written.aliases} aliases, {written.shims} v4 names ({written.size:,} bytes) to {written.data_path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
