"""The sidebar panels' settings (guide/content/panels.py): off by default; UPDATES_PANEL,
UPDATES_FORM and SPONSOR_PANEL checked at ``initialized``, each bad value one line naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURE_SITE

from guide.content.panels import FORM_ORIGIN_SETTING, PANELS_SETTING, apply_panels, shown_size
from guide.problems import ProblemLog

BUTTONDOWN = {"action": "https://buttondown.com/api/emails/embed-subscribe/guide", "email_field": "email"}
#: Mailchimp's embed form: a query in the action, EMAIL, a bot trap named b_<user>_<list>.
MAILCHIMP = {
    "action": "https://example.us21.list-manage.com/subscribe/post?u=1a2b3c&id=4d5e6f",
    "email_field": "EMAIL",
    "honeypot": "b_1a2b3c_4d5e6f",
}
SPONSOR = {"name": "Example Inc.", "url": "https://example.com/?ref=guide"}


def applied(**settings) -> tuple[dict, ProblemLog]:
    settings = {"PATH": str(FIXTURE_SITE), "STATIC_PATHS": ["images"], **settings}
    log = ProblemLog()
    apply_panels(settings, log, "pelicanconf.py")
    return settings, log


def lines(log: ProblemLog) -> list[str]:
    return [str(problem) for problem in log.problems]


def test_no_setting_means_no_panel_and_no_form_origin():
    settings, log = applied()
    assert (settings[PANELS_SETTING], settings[FORM_ORIGIN_SETTING], log.problems) == (None, "", [])


@pytest.mark.parametrize(
    ("form", "origin"), [(BUTTONDOWN, "https://buttondown.com"), (MAILCHIMP, "https://example.us21.list-manage.com")]
)
def test_a_form_allows_exactly_its_origin(form, origin):
    settings, log = applied(UPDATES_PANEL=True, UPDATES_FORM=form)
    assert log.problems == []
    assert settings[FORM_ORIGIN_SETTING] == origin
    assert settings[PANELS_SETTING]["updates"]["form"]["action"] == form["action"]
    assert settings[PANELS_SETTING]["sponsor"] is None


def test_the_panel_without_a_form_links_to_the_feed_and_allows_no_other_origin():
    settings, _log = applied(UPDATES_PANEL=True)
    assert settings[PANELS_SETTING] == {"updates": {"form": None}, "sponsor": None}
    assert settings[FORM_ORIGIN_SETTING] == ""


def test_a_form_without_the_panel_is_a_warning_and_allows_nothing():
    settings, log = applied(UPDATES_FORM=BUTTONDOWN)
    assert lines(log) == [
        "warning: pelicanconf.py: UPDATES_FORM: is set but UPDATES_PANEL is False: set UPDATES_PANEL = True to show the form"
    ]
    assert (settings[PANELS_SETTING], settings[FORM_ORIGIN_SETTING]) == (None, "")


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("https://buttondown.com/x", "UPDATES_FORM: 'https://buttondown.com/x': set it to a dict like"),
        ({"action": "http://buttondown.com/x"}, "UPDATES_FORM: 'action' 'http://buttondown.com/x' does not start with https://"),
        ({"action": "javascript:alert(1)"}, "UPDATES_FORM: 'action' 'javascript:alert(1)' does not start with https://"),
        ({"action": "https://a.example/x y"}, "UPDATES_FORM: 'action' 'https://a.example/x y' has a space"),
        ({"action": "https://user@a.example/x"}, "UPDATES_FORM: 'action' 'https://user@a.example/x' names no host"),
        ({"email_field": "email"}, "UPDATES_FORM: 'action' None is missing"),
        (
            {**BUTTONDOWN, "method": "get"},
            "UPDATES_FORM: unknown key 'method'; the keys are action, email_field, hidden, honeypot",
        ),
        ({**BUTTONDOWN, "email_field": 'x" onfocus="y'}, "UPDATES_FORM: 'email_field' "),
        ({**BUTTONDOWN, "hidden": {"tag": 1}}, "UPDATES_FORM: 'hidden' {'tag': 1}: a dict of field names"),
        ({**BUTTONDOWN, "honeypot": ["b_x"]}, "UPDATES_FORM: 'honeypot' ['b_x']"),
    ],
)
def test_a_bad_form_is_one_line_naming_the_setting(value, start):
    settings, log = applied(UPDATES_PANEL=True, UPDATES_FORM=value)
    [line] = lines(log)
    assert line.startswith(f"pelicanconf.py: {start}"), line
    assert settings[FORM_ORIGIN_SETTING] == ""


@pytest.mark.parametrize("value", ["yes", 1, None, {"form": BUTTONDOWN}])
def test_updates_panel_is_true_or_false(value):
    _, log = applied(UPDATES_PANEL=value)
    assert lines(log) == [f"pelicanconf.py: UPDATES_PANEL: {value!r}: set it to True (a sign-up form or a feed link) or False"]


def test_a_sponsor_with_a_logo_gets_the_files_size_or_one_in_proportion(tmp_path):
    settings, log = applied(SPONSOR_PANEL={**SPONSOR, "logo": "images/diagram.svg"})
    assert log.problems == []
    sponsor = settings[PANELS_SETTING]["sponsor"]
    assert sponsor["name"] == "Example Inc."
    assert sponsor["url"] == SPONSOR["url"]
    natural = (sponsor["logo"]["width"], sponsor["logo"]["height"])
    assert sponsor["logo"]["path"] == "images/diagram.svg"
    assert min(natural) > 0
    scaled, _ = applied(SPONSOR_PANEL={**SPONSOR, "logo": "images/diagram.svg", "width": natural[0] * 2})
    assert (scaled[PANELS_SETTING]["sponsor"]["logo"]["height"]) == natural[1] * 2
    assert settings[FORM_ORIGIN_SETTING] == ""  # a sponsor adds no origin: its logo is the site's own file


def test_shown_size():
    assert shown_size((200, 100), None, None) == (200, 100)
    assert shown_size((200, 100), 100, None) == (100, 50)
    assert shown_size((200, 100), None, 20) == (40, 20)
    assert shown_size((200, 100), 30, 30) == (30, 30)


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("Example Inc.", "SPONSOR_PANEL: 'Example Inc.': set it to a dict like"),
        ({"url": "https://example.com"}, "SPONSOR_PANEL: 'name' None: the sponsor's name"),
        ({"name": "X", "url": "example.com"}, "SPONSOR_PANEL: 'url' 'example.com' does not start with https://"),
        ({**SPONSOR, "href": "x"}, "SPONSOR_PANEL: unknown key 'href'; the keys are name, url, logo, width, height"),
        ({**SPONSOR, "width": 100}, "SPONSOR_PANEL: 'width' and 'height' size the logo: add 'logo' or remove them"),
        ({**SPONSOR, "logo": "images/missing.svg"}, "SPONSOR_PANEL: 'logo' 'images/missing.svg' in "),
        ({**SPONSOR, "logo": "../secret.png"}, "SPONSOR_PANEL: 'logo' '../secret.png': a path inside the content folder"),
        ({**SPONSOR, "logo": "/etc/passwd"}, "SPONSOR_PANEL: 'logo' '/etc/passwd': a path inside the content folder"),
        (
            {**SPONSOR, "logo": "guide.toml"},
            "SPONSOR_PANEL: 'logo' 'guide.toml': put the file in a folder the site publishes (images)",
        ),
        ({**SPONSOR, "logo": "images/diagram.svg", "width": "160px"}, "SPONSOR_PANEL: 'width' '160px': a whole number"),
        ({**SPONSOR, "logo": "images/diagram.svg", "height": 0}, "SPONSOR_PANEL: 'height' 0: a whole number"),
    ],
)
def test_a_bad_sponsor_is_one_line_naming_the_setting(value, start):
    settings, log = applied(SPONSOR_PANEL=value)
    [line] = lines(log)
    assert line.startswith(f"pelicanconf.py: {start}"), line
    assert settings[PANELS_SETTING] is None


def test_a_logo_that_is_not_an_image_is_named(tmp_path: Path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_text("not a png")
    settings = {"PATH": str(tmp_path), "STATIC_PATHS": ["images"], "SPONSOR_PANEL": {**SPONSOR, "logo": "images/logo.png"}}
    log = ProblemLog()
    apply_panels(settings, log, "pelicanconf.py")
    [line] = lines(log)
    assert line.startswith("pelicanconf.py: SPONSOR_PANEL: 'logo' 'images/logo.png' in ")
