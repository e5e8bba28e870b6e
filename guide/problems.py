"""Content problems: one line each, naming the file, the field and what to do."""

from __future__ import annotations

import dataclasses
import os
import re

ERROR = "error"
WARNING = "warning"


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    path: str  #: the source file, relative to the working directory where possible
    field: str  #: the front-matter field, or where in the file ("line 12 code block", "body")
    message: str  #: what is wrong and what to do
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == WARNING else ""
        where = f"{self.path}: " if self.path else ""
        return f"{prefix}{where}{self.field}: {self.message}"


class ContentError(Exception):
    """Raised before anything is written when the content has errors."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ProblemLog:
    """Collects the problems of one build so that all of them are reported in one run."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, field: str, message: str, severity: str = ERROR) -> None:
        problem = Problem(display_path(path), field, message, severity)
        if problem not in self.problems:
            self.problems.append(problem)

    def warn(self, path: str, field: str, message: str) -> None:
        self.add(path, field, message, WARNING)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def paths(self) -> set[str]:
        return {p.path for p in self.problems}


def display_path(path: str) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    if not path or not os.path.isabs(path):
        return path
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


#: Where tomllib says a syntax error is: "(at line 3, column 7)" or "(at end of document)".
_TOML_POSITION_RE = re.compile(r"\(at (?:line (?P<line>[0-9]+), column [0-9]+|end of document)\)$")


def toml_syntax_problem(error: ValueError) -> tuple[str, str]:
    """A TOML syntax error as a problem's field and message: ("line 3", "Expected '=' ...")."""
    message = str(error)
    position = _TOML_POSITION_RE.search(message)
    field = "syntax"
    if position:
        field = f"line {position['line']}" if position["line"] else "end of file"
    return field, _TOML_POSITION_RE.sub("", message).strip()
