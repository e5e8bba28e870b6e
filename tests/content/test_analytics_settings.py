"""Opt-in analytics (guide/content/analytics.py): nothing by default; one provider's script and
exactly its hosts when ``ANALYTICS`` is set; a bad setting is one line naming it."""

from __future__ import annotations

import pytest

from guide.content.analytics import TEMPLATE_SETTING, apply_analytics, setting_problems
from guide.problems import ProblemLog

UUID = "b59e9c65-ae32-47f1-8400-119fcf4861c4"


def applied(value) -> tuple[dict, ProblemLog]:
    settings, log = {"ANALYTICS": value}, ProblemLog()
    apply_analytics(settings, log, "pelicanconf.py")
    return settings, log


@pytest.mark.parametrize("value", [{}, None])
def test_no_setting_means_no_tag(value):
    settings, log = applied(value)
    assert settings[TEMPLATE_SETTING] is None
    assert log.problems == []
    unset = {}
    apply_analytics(unset, log)
    assert unset[TEMPLATE_SETTING] is None


@pytest.mark.parametrize(
    ("value", "src", "attributes", "script", "connect", "img"),
    [
        (
            {"provider": "plausible", "domain": "guide.example.org"},
            "https://plausible.io/js/script.js",
            {"data-domain": "guide.example.org"},
            ["https://plausible.io"],
            ["https://plausible.io"],
            [],
        ),
        (
            {"provider": "plausible", "domain": "guide.example.org", "address": "https://stats.example.org"},
            "https://stats.example.org/js/script.js",
            {"data-domain": "guide.example.org", "data-api": "https://stats.example.org/api/event"},
            ["https://stats.example.org"],
            ["https://stats.example.org"],
            [],
        ),
        (
            {"provider": "goatcounter", "code": "guide"},
            "https://gc.zgo.at/count.js",
            {"data-goatcounter": "https://guide.goatcounter.com/count"},
            ["https://gc.zgo.at"],
            ["https://guide.goatcounter.com"],
            ["https://guide.goatcounter.com"],
        ),
        (
            {"provider": "goatcounter", "address": "https://count.example.org/"},
            "https://count.example.org/count.js",
            {"data-goatcounter": "https://count.example.org/count"},
            ["https://count.example.org"],
            ["https://count.example.org"],
            ["https://count.example.org"],
        ),
        (
            {"provider": "umami", "website_id": UUID},
            "https://cloud.umami.is/script.js",
            {"data-website-id": UUID, "data-host-url": "https://gateway.umami.is"},
            ["https://cloud.umami.is"],
            ["https://gateway.umami.is"],
            [],
        ),
        (
            {"provider": "umami", "website_id": UUID, "address": "https://umami.example.org:8443"},
            "https://umami.example.org:8443/script.js",
            {"data-website-id": UUID, "data-host-url": "https://umami.example.org:8443"},
            ["https://umami.example.org:8443"],
            ["https://umami.example.org:8443"],
            [],
        ),
    ],
)
def test_each_provider_gets_its_script_and_exactly_its_hosts(value, src, attributes, script, connect, img):
    settings, log = applied(value)
    assert log.problems == []
    tag = settings[TEMPLATE_SETTING]
    assert (tag.src, dict(tag.attributes)) == (src, attributes)
    assert (list(tag.script_sources), list(tag.connect_sources), list(tag.img_sources)) == (script, connect, img)
    assert tag.src.startswith(tag.script_sources[0] + "/")  # the script comes from the host script-src allows


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("plausible", "'plausible': set it to a dict like"),
        ({"provider": "google"}, "'provider' 'google': one of 'plausible', 'goatcounter', 'umami'"),
        ({"domain": "a.example"}, "'provider' None: one of"),
        ({"provider": "plausible"}, "plausible needs 'domain'"),
        (
            {"provider": "plausible", "domain": "a.example", "id": "x"},
            "unknown key 'id' for plausible; its keys are provider, address, domain",
        ),
        (
            {"provider": "plausible", "domain": 'a.example" onload="x'},
            "'domain' 'a.example\" onload=\"x' is not a plausible domain",
        ),
        (
            {"provider": "plausible", "domain": "a.example", "address": "http://stats.example"},
            "'address' 'http://stats.example' does not start with https://",
        ),
        (
            {"provider": "plausible", "domain": "a.example", "address": "stats.example"},
            "'address' 'stats.example' does not start with https://",
        ),
        (
            {"provider": "plausible", "domain": "a.example", "address": "https://s.example/?x"},
            "'address' 'https://s.example/?x' has a ? query",
        ),
        ({"provider": "goatcounter"}, "goatcounter needs 'code' (goatcounter.com) or 'address' (self-hosted)"),
        ({"provider": "goatcounter", "code": "My Code"}, "'code' 'My Code' is not a goatcounter code"),
        ({"provider": "goatcounter", "code": "x", "address": "https://c.example"}, "give 'code' (goatcounter.com) or 'address'"),
        ({"provider": "umami"}, "umami needs 'website_id'"),
        ({"provider": "umami", "website_id": "12345"}, "'website_id' '12345' is not a umami website id"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(value, start):
    settings, log = applied(value)
    [problem] = [str(p) for p in log.problems]
    assert problem.startswith(f"pelicanconf.py: ANALYTICS: {start}"), problem
    assert settings[TEMPLATE_SETTING] is None


def test_the_footer_names_every_host():
    settings, _ = applied({"provider": "goatcounter", "code": "guide"})
    assert settings[TEMPLATE_SETTING].hosts == ("gc.zgo.at", "guide.goatcounter.com")
    assert setting_problems({"provider": "umami", "website_id": UUID}) == []
