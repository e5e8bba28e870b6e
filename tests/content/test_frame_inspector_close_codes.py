"""The frame inspector's close code names are the build's (guide/content/close_codes.py).

The tool (theme/static/js/tools/frame-inspector.js) carries the 16 IANA names itself, in one
string, so that it needs no request of its own; this test keeps that copy equal to the list the
build uses, so the tool and the pages cannot name a code differently.
"""

from __future__ import annotations

import re

from helpers import ROOT

from guide.content.close_codes import CLOSE_CODES

TOOL = ROOT / "theme" / "static" / "js" / "tools" / "frame-inspector.js"


def tool_names() -> dict[int, str]:
    """The tool's ``NAMES`` string: the names of 1000, 1001... separated by ``|``."""
    match = re.search(r'^const NAMES = "([^"]*)"\.split\("\|"\);$', TOOL.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{TOOL.name} no longer declares NAMES as one string split on |"
    return {1000 + i: name for i, name in enumerate(match[1].split("|"))}


def test_the_tool_names_every_registered_code_as_the_build_does():
    assert tool_names() == CLOSE_CODES
