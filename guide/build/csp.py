"""Each page's Content-Security-Policy, made in one place from what the site and the page use.

'self' for everything, plus: the hashes of the inline boot script and speculation rules
(:mod:`guide.build.theme_assets`) and of the stylesheets the page inlines; the loopback sources of
the page's in-page tools (:mod:`guide.content.page_features`); the analytics provider's hosts
(:mod:`guide.content.analytics`); the sign-up form's origin (:mod:`guide.content.panels`). Never
'unsafe-inline' or 'unsafe-eval'. ``head.html`` calls :func:`content_security_policy` and puts
its text in the page's ``<meta http-equiv="Content-Security-Policy">``.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

TEMPLATE_FUNCTION = "content_security_policy"  #: the name the templates call


def policy(
    *,
    script_hashes: list[str],
    style_hashes: list[str],
    connect_sources: tuple[str, ...] = (),
    analytics=None,
    form_origin: str = "",
) -> str:
    """The policy's text: ``default-src 'self'; script-src ...; ...; form-action ...``."""
    script = ["'self'", *(f"'{digest}'" for digest in script_hashes), *(analytics.script_sources if analytics else ())]
    style = ["'self'", *(f"'{digest}'" for digest in style_hashes)]
    img = ["'self'", "data:", *(analytics.img_sources if analytics else ())]
    connect = [*connect_sources, *(analytics.connect_sources if analytics else ())]
    directives = [("default-src", ["'self'"]), ("script-src", script), ("style-src", style), ("img-src", img)]
    if connect:  # 'self' is default-src's already: the directive appears only to widen it
        directives.append(("connect-src", ["'self'", *connect]))
    directives += [("object-src", ["'none'"]), ("base-uri", ["'self'"]), ("form-action", ["'self'", *filter(None, [form_origin])])]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


@pass_context
def content_security_policy(context, stylesheets, feature_assets) -> Markup:
    """The page's policy, from the settings the template sees (the theme's hashes, the analytics,
    the form) and what the page uses: the stylesheets it inlines, its tools' connect sources."""
    inline = context["THEME_STYLESHEETS"] == "inline"
    text = policy(
        script_hashes=[context["THEME_BOOT_SCRIPT_HASH"], context["THEME_SPECULATION_RULES_HASH"]],
        style_hashes=[context["THEME_STYLE_HASHES"][path] for path in stylesheets] if inline else [],
        connect_sources=feature_assets.connect_sources if feature_assets else (),
        analytics=context.get("ANALYTICS_TAG"),
        form_origin=context.get("PANELS_FORM_ORIGIN", ""),
    )
    # Every source is a hash, a keyword or an address the settings checks refused any quote,
    # space or angle bracket in: the quotes here are the policy's own.
    return Markup(text)


def use_policy(settings) -> None:
    """Give the templates :func:`content_security_policy` (``initialized``). A module function, not a
    closure: `invoke serve` pickles the settings with Pelican's content cache."""
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), TEMPLATE_FUNCTION: content_security_policy}
