"""Opt-in analytics: one provider's script, named by the ``ANALYTICS`` setting, and nothing by default.

``ANALYTICS = {}`` (the default) puts no analytics code in any page and allows no other host in
the Content-Security-Policy. Set, it names a provider, hosted or self-hosted at ``address``:

- ``{"provider": "plausible", "domain": "guide.example.org"}``: Plausible's ``script.js`` with
  ``data-domain`` (no inline snippet: the CSP allows no inline script but the boot script);
- ``{"provider": "goatcounter", "code": "mycode"}``: GoatCounter's ``count.js`` from ``gc.zgo.at``,
  counting at ``https://mycode.goatcounter.com/count`` (a beacon, or an image where there is none);
- ``{"provider": "umami", "website_id": "UUID"}``: Umami Cloud's ``script.js``, sending to its
  gateway, named with ``data-host-url`` so that the host the CSP allows is the one it uses.

Self-hosted, ``"address": "https://stats.example.org"`` replaces the provider's hosts (and
GoatCounter's ``code``). Every page then loads exactly that script, deferred, after the article;
its CSP allows exactly the hosts the provider needs (script-src, connect-src, and img-src for
GoatCounter's image fallback), and the footer names the provider and hosts. A bad setting is one
line naming it (``initialized``).
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

from guide.content.web_address import address_problem, origin
from guide.problems import ProblemLog

SETTING = "ANALYTICS"
TEMPLATE_SETTING = "ANALYTICS_TAG"  #: what the templates read: an :class:`AnalyticsTag`, or None
PROVIDERS = {"plausible": "Plausible", "goatcounter": "GoatCounter", "umami": "Umami"}
#: Each provider's keys besides "provider" and "address"; those that must be given.
KEYS = {"plausible": ("domain",), "goatcounter": ("code",), "umami": ("website_id",)}
REQUIRED = {"plausible": ("domain",), "goatcounter": (), "umami": ("website_id",)}
PATTERNS = {
    "domain": re.compile(r"[A-Za-z0-9.-]+(,[A-Za-z0-9.-]+)*"),  # Plausible: the site's domain(s) as registered
    "code": re.compile(r"[a-z0-9][a-z0-9-]{0,62}"),  # GoatCounter: the site code, a subdomain of goatcounter.com
    "website_id": re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
}
EXAMPLE = '{"provider": "plausible", "domain": "guide.example.org"}'


@dataclasses.dataclass(frozen=True)
class AnalyticsTag:
    """The one <script> a page loads for analytics, and what its CSP allows for it."""

    provider: str  #: "Plausible", as the footer names it
    src: str
    attributes: tuple[tuple[str, str], ...]  #: data-* attributes, in order
    script_sources: tuple[str, ...]
    connect_sources: tuple[str, ...]
    img_sources: tuple[str, ...] = ()

    @property
    def hosts(self) -> tuple[str, ...]:
        """Every host the pages talk to for analytics, for the footer's note."""
        every = self.script_sources + self.connect_sources + self.img_sources
        return tuple(dict.fromkeys(urlsplit(source).hostname for source in every))


def tag_for(provider: str, value: dict) -> AnalyticsTag:
    """The script tag of a checked setting."""
    address = value.get("address", "").rstrip("/")
    name = PROVIDERS[provider]
    if provider == "plausible":
        if not address:
            cloud = "https://plausible.io"
            return AnalyticsTag(name, f"{cloud}/js/script.js", (("data-domain", value["domain"]),), (cloud,), (cloud,))
        here = origin(address)
        attributes = (("data-domain", value["domain"]), ("data-api", f"{address}/api/event"))
        return AnalyticsTag(name, f"{address}/js/script.js", attributes, (here,), (here,))
    if provider == "goatcounter":
        if not address:
            counter = f"https://{value['code']}.goatcounter.com"
            attributes = (("data-goatcounter", f"{counter}/count"),)
            return AnalyticsTag(name, "https://gc.zgo.at/count.js", attributes, ("https://gc.zgo.at",), (counter,), (counter,))
        here = origin(address)
        return AnalyticsTag(name, f"{address}/count.js", (("data-goatcounter", f"{address}/count"),), (here,), (here,), (here,))
    # Umami: the cloud script is served by cloud.umami.is and sends to gateway.umami.is by default;
    # data-host-url names the gateway, so the script sends where the CSP allows and nowhere else.
    host = address or "https://gateway.umami.is"
    script = f"{address}/script.js" if address else "https://cloud.umami.is/script.js"
    attributes = (("data-website-id", value["website_id"]), ("data-host-url", host))
    return AnalyticsTag(name, script, attributes, (origin(script),), (origin(host),))


def setting_problems(value) -> list[str]:
    """What is wrong with ``ANALYTICS``, one message each ([] when it is fine or empty)."""
    if value in (None, {}):
        return []
    if not isinstance(value, dict):
        return [f"{value!r}: set it to a dict like {EXAMPLE}, or {{}} for no analytics"]
    provider = value.get("provider")
    if provider not in PROVIDERS:
        return [f"'provider' {provider!r}: one of {', '.join(map(repr, PROVIDERS))}"]
    known = ("provider", "address", *KEYS[provider])
    problems = [f"unknown key {key!r} for {provider}; its keys are {', '.join(known)}" for key in value if key not in known]
    address = value.get("address")
    if address is not None:
        problem = address_problem(address) if isinstance(address, str) and address else "is empty or not text"
        if not problem and not address.startswith("https://"):
            problem = "does not start with https://"
        if problem:
            problems.append(f"'address' {address!r} {problem}: the self-hosted server, e.g. https://stats.example.org")
    for key in KEYS[provider]:
        given = value.get(key)
        if given is None:
            if key in REQUIRED[provider] or (key == "code" and address is None):
                problems.append(
                    f"{provider} needs {key!r}" + (" (goatcounter.com) or 'address' (self-hosted)" if key == "code" else "")
                )
        elif not (isinstance(given, str) and PATTERNS[key].fullmatch(given)):
            problems.append(f"{key!r} {given!r} is not a {provider} {key.replace('_', ' ')}: copy it from the provider's snippet")
    if provider == "goatcounter" and "code" in value and address is not None:
        problems.append("give 'code' (goatcounter.com) or 'address' (self-hosted), not both")
    return problems


def apply_analytics(settings, log: ProblemLog, settings_file: str = "") -> None:
    """Check ``ANALYTICS`` ({} when not set) and give the templates ``ANALYTICS_TAG`` (None when off)."""
    value = settings.setdefault(SETTING, {})
    settings[TEMPLATE_SETTING] = None
    problems = setting_problems(value)
    for problem in problems:
        log.add(settings_file, SETTING, problem)
    if value and not problems:
        settings[TEMPLATE_SETTING] = tag_for(value["provider"], value)
