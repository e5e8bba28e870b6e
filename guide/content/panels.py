"""The sidebar panels: a sign-up or feed panel for updates, a sponsor panel. Both off by default.

``UPDATES_PANEL = True`` shows the updates panel: the sign-up form of ``UPDATES_FORM`` when it is
set (a plain HTML form posting to the provider, e.g. Buttondown's or Mailchimp's embed address),
else a link to the site's Atom feed (``publishconf.py`` writes it; builds without a feed link to
the blog instead). ``SPONSOR_PANEL`` names a sponsor, links to it and may show a logo from the
content folder, its width and height read from the file (or given, to scale it).

The panels are partials (``theme/templates/partials/panel_*.html``) that ``base.html`` places
after ``<main>``, so they are never part of a page's first screen; ``css/panels.css``, inlined only
when a panel is on, puts them beside the article on wide screens and hides them in print. With a
form, the page's Content-Security-Policy ``form-action`` allows the form's origin, and only then.
Each bad setting is one line naming it (``initialized``).
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from guide.content.image_sizes import UnreadableImage, image_size
from guide.content.web_address import origin, web_address_problem
from guide.problems import ProblemLog, display_path

PANELS_SETTING = "PANELS"  #: what the templates read: {"updates": {...} or None, "sponsor": {...} or None}, or None
FORM_ORIGIN_SETTING = "PANELS_FORM_ORIGIN"  #: "https://host" for the CSP's form-action, or ""
STYLESHEET = "css/panels.css"  #: under the theme's static folder; inlined in every page when a panel is on
FORM_KEYS = ("action", "email_field", "hidden", "honeypot")
SPONSOR_KEYS = ("name", "url", "logo", "width", "height")
FORM_EXAMPLE = '{"action": "https://buttondown.com/api/emails/embed-subscribe/NAME", "email_field": "email"}'
SPONSOR_EXAMPLE = '{"name": "Example Inc.", "url": "https://example.com", "logo": "images/sponsor.svg"}'
#: A form field's name: what providers use (email, EMAIL, b_1a2b_3c4d, fields[email]).
FIELD_NAME = re.compile(r"[A-Za-z0-9_.\-\[\]]{1,100}")


def unknown_keys(value: dict, known: tuple[str, ...]) -> list[str]:
    return [f"unknown key {key!r}; the keys are {', '.join(known)}" for key in value if key not in known]


def check_form(value, log: ProblemLog, settings_file: str) -> dict | None:
    """``UPDATES_FORM``: the form the template draws, or None when it is empty or wrong (reported)."""
    if value in (None, {}):
        return None
    if not isinstance(value, dict):
        log.add(settings_file, "UPDATES_FORM", f"{value!r}: set it to a dict like {FORM_EXAMPLE}, or {{}} for a link to the feed")
        return None
    problems = unknown_keys(value, FORM_KEYS)
    action_problem = web_address_problem(value.get("action"), https_only=True)
    if action_problem:
        problems.append(
            f"'action' {value.get('action')!r} {action_problem}: copy the form's action from the provider's embed code"
        )
    email_field = value.get("email_field", "email")
    if not (isinstance(email_field, str) and FIELD_NAME.fullmatch(email_field)):
        problems.append(f'\'email_field\' {email_field!r}: the name of the form\'s email input, e.g. "email" or "EMAIL"')
    hidden = value.get("hidden", {})
    if not (
        isinstance(hidden, dict)
        and all(isinstance(k, str) and FIELD_NAME.fullmatch(k) and isinstance(v, str) for k, v in hidden.items())
    ):
        problems.append(f'\'hidden\' {hidden!r}: a dict of field names to text values, e.g. {{"embed": "1"}}')
    honeypot = value.get("honeypot", "")
    if not (isinstance(honeypot, str) and (not honeypot or FIELD_NAME.fullmatch(honeypot))):
        problems.append(f"'honeypot' {honeypot!r}: the name of the provider's bot trap field, e.g. \"b_1a2b_3c4d\"")
    for problem in problems:
        log.add(settings_file, "UPDATES_FORM", problem)
    if problems:
        return None
    return {"action": value["action"], "email_field": email_field, "hidden": sorted(hidden.items()), "honeypot": honeypot}


def check_logo(value: dict, content_path: str, static_paths, log: ProblemLog, settings_file: str) -> dict | None:
    """The sponsor's logo: a file of the content folder that the site publishes, and its shown size."""
    logo = value["logo"]
    where = f"'logo' {logo!r}"
    normal = os.path.normpath(logo) if isinstance(logo, str) and logo else ""
    if not normal or os.path.isabs(logo) or normal.startswith("..") or "\\" in logo:
        log.add(settings_file, "SPONSOR_PANEL", f'{where}: a path inside the content folder, e.g. "images/sponsor.svg"')
        return None
    if not any(normal == folder or normal.startswith(folder.rstrip("/") + "/") for folder in static_paths):
        log.add(
            settings_file, "SPONSOR_PANEL", f"{where}: put the file in a folder the site publishes ({', '.join(static_paths)})"
        )
        return None
    try:
        natural = image_size(os.path.join(content_path, normal))
    except UnreadableImage as error:
        log.add(settings_file, "SPONSOR_PANEL", f"{where} in {display_path(content_path)}: {error}")
        return None
    size = shown_size(natural, value.get("width"), value.get("height"))
    if isinstance(size, str):
        log.add(settings_file, "SPONSOR_PANEL", size)
        return None
    return {"path": normal.replace(os.sep, "/"), "width": size[0], "height": size[1]}


def shown_size(natural: tuple[int, int], width, height) -> tuple[int, int] | str:
    """The logo's width and height: as given, one given and the other in proportion, or the file's."""
    for name, given in (("width", width), ("height", height)):
        if given is not None and (isinstance(given, bool) or not isinstance(given, int) or given <= 0):
            return f"'{name}' {given!r}: a whole number of pixels, or leave it out to use the file's"
    if width and height:
        return width, height
    if width:
        return width, max(1, round(natural[1] * width / natural[0]))
    if height:
        return max(1, round(natural[0] * height / natural[1])), height
    return natural


def check_sponsor(value, settings, log: ProblemLog, settings_file: str) -> dict | None:
    """``SPONSOR_PANEL``: what the template draws, or None when it is empty or wrong (reported)."""
    if value in (None, {}):
        return None
    if not isinstance(value, dict):
        log.add(settings_file, "SPONSOR_PANEL", f"{value!r}: set it to a dict like {SPONSOR_EXAMPLE}, or {{}} for no panel")
        return None
    problems = unknown_keys(value, SPONSOR_KEYS)
    name = value.get("name")
    if not (isinstance(name, str) and name.strip()):
        problems.append(f"'name' {name!r}: the sponsor's name, as the panel shows it")
    url_problem = web_address_problem(value.get("url"), https_only=False)
    if url_problem:
        problems.append(f"'url' {value.get('url')!r} {url_problem}: the sponsor's web address")
    if "logo" not in value and ("width" in value or "height" in value):
        problems.append("'width' and 'height' size the logo: add 'logo' or remove them")
    for problem in problems:
        log.add(settings_file, "SPONSOR_PANEL", problem)
    if problems:
        return None
    logo = None
    if "logo" in value:
        logo = check_logo(value, settings["PATH"], list(settings.get("STATIC_PATHS", ())), log, settings_file)
        if logo is None:
            return None
    return {"name": " ".join(name.split()), "url": value["url"], "logo": logo}


def apply_panels(settings, log: ProblemLog, settings_file: str = "") -> None:
    """Check the panels' settings and give the templates ``PANELS`` and ``PANELS_FORM_ORIGIN`` (``initialized``)."""
    settings[PANELS_SETTING], settings[FORM_ORIGIN_SETTING] = None, ""
    updates_on = settings.setdefault("UPDATES_PANEL", False)
    if not isinstance(updates_on, bool):
        log.add(settings_file, "UPDATES_PANEL", f"{updates_on!r}: set it to True (a sign-up form or a feed link) or False")
        updates_on = False
    form = check_form(settings.get("UPDATES_FORM"), log, settings_file)
    if form and not updates_on:
        log.warn(settings_file, "UPDATES_FORM", "is set but UPDATES_PANEL is False: set UPDATES_PANEL = True to show the form")
    sponsor = check_sponsor(settings.get("SPONSOR_PANEL"), settings, log, settings_file)
    updates = {"form": form} if updates_on else None
    if updates or sponsor:
        settings[PANELS_SETTING] = {"updates": updates, "sponsor": sponsor}
    if updates and form:
        settings[FORM_ORIGIN_SETTING] = origin(form["action"])
