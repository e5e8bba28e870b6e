"""Results worth keeping from one build to the next in the same process.

`invoke serve` rebuilds in one long-lived process, and between two saves almost every page is
the same text as before: scanning its HTML for links and headings, or its source for code
blocks, would give the same answer. A :class:`Reuse` remembers answers by their input (the text
itself, so a changed text is a new question) for the next build, and forgets what the last build
did not ask. A build in a fresh process (`invoke build`) only pays for a dictionary lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

_ALL: list[Reuse] = []


class Reuse:
    """``reuse.get(key, compute)``: ``compute()``, or its result for the same key in this build or the last."""

    def __init__(self) -> None:
        self._current: dict[Hashable, Any] = {}
        self._previous: dict[Hashable, Any] = {}
        _ALL.append(self)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        try:
            return self._current[key]
        except KeyError:
            pass
        value = self._previous.pop(key) if key in self._previous else compute()
        self._current[key] = value
        return value

    def next_build(self) -> None:
        self._previous, self._current = self._current, {}


def next_build() -> None:
    """Called as a build starts: keep what the last build asked, forget the rest."""
    for reuse in _ALL:
        reuse.next_build()
