"""A content tree's own settings: ``guide.toml`` at the root of the folder being built.

Some settings belong to the content, not to the site machinery: the editorial rule that code
blocks in some languages say whether the test suite runs them, and the chapter titles. They live
beside the pages, so that ``invoke build --content OTHER`` renders another tree with its own
settings, or with the defaults, and never with this guide's::

    # content/guide.toml
    tested_or_illustrative = ["python", "javascript", "nginx"]

    error_index_page = "websocket-troubleshooting"  # the page that lists every tagged error

    [chapters]
    01 = "Foundations"
    02 = "Clients"

The file is data (TOML), never run: a tree from elsewhere cannot execute code in the build.
Without it, every code block builds without a mark.

A chapter's title (and description) is best given by its own folder, ``pages/NN-name/_chapter.md``
(:mod:`guide.content.chapter_files`), which wins over ``[chapters]`` here; ``CHAPTERS`` from the
Pelican settings is the fallback for a chapter neither titles.
"""

from __future__ import annotations

import os
import re
import tomllib

from guide.build_state import build_state
from guide.content import chapter_files
from guide.content.error_index import SETTING as ERROR_INDEX_SETTING
from guide.content.front_matter import did_you_mean
from guide.content.schema import SLUG
from guide.markdown.code_fences import canonical_language
from guide.problems import ProblemLog, toml_syntax_problem

FILE_NAME = "guide.toml"
POLICY_SETTING = "TESTED_OR_ILLUSTRATIVE"  #: languages whose blocks must be tested or illustrative
CHAPTER_KEY_RE = re.compile(r"^(?!00)[0-9]{2}$")


def _chapters(value, problem) -> dict[str, str] | None:
    if not isinstance(value, dict):
        problem("chapters", 'must be a table: [chapters] then lines such as 01 = "Foundations"')
        return None
    chapters = {}
    for key, title in value.items():
        if not CHAPTER_KEY_RE.fullmatch(key):  # fullmatch: a quoted key may end in a newline
            problem(f"chapters.{key}", "a chapter is two digits from 01 to 99, the first two of its pages' sort-order")
        elif not isinstance(title, str) or not title.strip():
            problem(f"chapters.{key}", f'the title must be text, e.g. {key} = "Foundations"')
        else:
            chapters[key] = title.strip()
    return chapters


def _languages(value, problem) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        problem("tested_or_illustrative", 'must be a list of language names, e.g. ["python", "nginx"]')
        return None
    languages = []
    for name in value:
        canonical = canonical_language(name)
        if canonical is None:
            problem(
                "tested_or_illustrative",
                f"unknown language {name!r}; use a Pygments lexer name such as python, javascript, nginx",
            )
        else:
            languages.append(canonical)
    return tuple(languages)


def _error_index_page(value, problem) -> str | None:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        problem("error_index_page", 'must be the slug of a page, e.g. error_index_page = "websocket-troubleshooting"')
        return None
    return value


#: key in guide.toml -> (Pelican setting, reader that checks and converts the value)
KEYS = {
    "chapters": ("CHAPTERS", _chapters),
    "tested_or_illustrative": (POLICY_SETTING, _languages),
    "error_index_page": (ERROR_INDEX_SETTING, _error_index_page),  # guide.content.error_index
}
DEFAULTS = {"CHAPTERS": {}, POLICY_SETTING: (), ERROR_INDEX_SETTING: None}


def read_tree_settings(content_path: str, log: ProblemLog) -> dict:
    """The Pelican settings ``content_path/guide.toml`` gives; its problems go to ``log``."""
    path = os.path.join(content_path, FILE_NAME)
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as error:
        field, message = toml_syntax_problem(error)
        log.add(path, field, f"{message}; see the README's content-tree settings")
        return {}
    except (OSError, UnicodeDecodeError) as error:
        log.add(path, "file", f"cannot read it: {error}")
        return {}

    def problem(field: str, message: str) -> None:
        log.add(path, field, message)

    settings = {}
    for key, value in data.items():
        if key not in KEYS:
            problem(key, f"unknown setting{did_you_mean(key, KEYS)}; known: {', '.join(KEYS)}")
            continue
        name, read = KEYS[key]
        converted = read(value, problem)
        if converted is not None:
            settings[name] = converted
    return settings


def apply_tree_settings(settings: dict, log: ProblemLog) -> None:
    """Put the tree's settings in place of the defaults (``initialized`` time, before any reading):
    ``guide.toml``'s, then the chapter files' titles and descriptions over ``CHAPTERS``."""
    for name, default in DEFAULTS.items():
        settings.setdefault(name, default)
    tree_file = build_state(settings).tree_settings_file = os.path.join(settings["PATH"], FILE_NAME)
    tree = read_tree_settings(settings["PATH"], log)
    tree_titles = tree.pop("CHAPTERS", {})
    settings.update(tree)
    chapter_files.ignore_chapter_files(settings)
    files = chapter_files.read_chapter_files(settings, log)
    settings["CHAPTERS"] = chapter_files.chapter_titles(files, tree_titles, settings["CHAPTERS"], tree_file, log)
    settings[chapter_files.DESCRIPTIONS_SETTING] = {
        number: file.description for number, file in files.items() if file.description
    }
