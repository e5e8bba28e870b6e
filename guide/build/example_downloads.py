"""Example downloads: a zip of each guide page's tested code blocks, with pins and a README.

A page whose blocks carry ``test="ID"`` (any language) gets ``downloads/<slug>-examples.zip``,
made from the blocks :func:`guide.markdown.code_fences.iter_fences` finds, the parser the example
tests use too (``tests/examples/harness.py``): the reader downloads the very text the tests ran.
The zip holds one folder, ``<slug>-examples/``, with:

- each tested block under its title (``chat/consumers.py``), or ``<test-id>.<ext>`` untitled,
  named as the harness names it;
- ``requirements.txt``: exact pins of what the page's Python files import (found with
  :mod:`ast`) and of the servers its commands run (``uvicorn app:app``), from the extras of
  ``pyproject.toml`` (``examples`` first), else from the test lock, which holds what the tests
  installed (Starlette, which FastAPI brings);
- ``README.txt``: how to install and run them, with the commands the page's own console blocks
  give for these files (a ``$`` line that names one), else ``python FILE``; and the line
  "Tested with websockets X on Python Y".

Pages learn their download (``page.example_download``, read by ``partials/example_download.html``)
before the site is validated, so an author's link to a zip resolves; the zips are written on
``finalized`` into the staged output, where the link check finds them. The zip is deterministic:
the same blocks and pins give the same bytes (fixed dates, modes and compression, sorted names).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import html
import io
import os
import re
import shlex
import sys
import tomllib
import zipfile

from guide.content.site_index import site_path
from guide.content.site_links import site_url
from guide.markdown.code_fences import Fence, iter_fences
from guide.problems import ProblemLog

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYPROJECT = os.path.join(PROJECT_ROOT, "pyproject.toml")
#: What `invoke test` installs, locked: the versions the tests ran for what no extra pins itself.
TEST_LOCK = os.path.join(PROJECT_ROOT, "requirements", "test.txt")
FOLDER = "downloads"
#: The Python the CI runs the examples on (.ci/run, .github/workflows/pages.yml; a test checks it).
TESTED_PYTHON = "3.11"
#: As tests/examples/harness.py names an untitled block.
EXTENSIONS = {"python": ".py", "javascript": ".js", "nginx": ".conf"}
#: Distributions whose import name is not their name with "-" as "_".
IMPORT_NAMES = {"websocket-client": "websocket", "protobuf": "google.protobuf", "pyyaml": "yaml", "beautifulsoup4": "bs4"}
#: What an import or a server needs at run time without importing it by name.
COMPANIONS = {
    "starlette.testclient": ("httpx2",),  # Starlette's TestClient imports httpx2 when it is used
    "fastapi.testclient": ("httpx2",),
    "uvicorn": ("websockets",),  # uvicorn serves WebSockets with the websockets library
}
PYTHONS = ("python", "python3")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  #: the earliest date a zip can hold: no build time in the bytes
ZIP_LEVEL = 9
FILE_MODE = 0o644
INSTALL_COMMANDS = ("python3 -m venv .venv", ". .venv/bin/activate", "python -m pip install -r requirements.txt")
LANGUAGE_NAMES = {"javascript": "JavaScript", "nginx": "nginx configuration", "yaml": "YAML", "ini": "INI file", "text": "text"}
PYTEST_FILE_RE = re.compile(r"^(test_.*|.*_test)\.py$")
RUN_WITH_RE = re.compile(r"^#\s*run (?:it )?with:?\s+(?P<command>\S.*)$", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class ExampleDownload:
    """What a page shows of its zip; ``data`` is the zip itself, written on ``finalized``."""

    path: str  #: relative to the site: downloads/<slug>-examples.zip
    files: int  #: example files (the README and requirements.txt not counted)
    size: int  #: bytes
    websockets: str
    python: str
    data: bytes = dataclasses.field(repr=False, compare=False)

    @property
    def kilobytes(self) -> str:
        return f"{self.size / 1024:.1f}"


@dataclasses.dataclass(frozen=True)
class ExampleFile:
    name: str  #: path inside the page's folder of the zip
    fence: Fence


def add_example_downloads(index, settings, problems: ProblemLog) -> None:
    """Give each page with tested blocks its ``example_download`` and its zip a path in the index."""
    pins = example_pins()
    for page in index.pages:
        download = page_download(page, pins, problems, settings.get("SITEURL", ""))
        page.example_download = download
        if download:
            index.paths[site_path(download.path)] = "generated file"


def write_example_downloads(index, output_path: str) -> None:
    """Write every page's zip into the (staged) output folder."""
    for page in index.pages if index else ():
        download = getattr(page, "example_download", None)
        if download:
            target = os.path.join(output_path, download.path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as file:
                file.write(download.data)


def page_download(page, pins: dict[str, str], problems: ProblemLog, siteurl: str = "") -> ExampleDownload | None:
    with open(page.source_path, encoding="utf-8") as file:
        fences = list(iter_fences(file.read()))
    files = example_files(page.source_path, fences, problems)
    if not files:
        return None
    folder = f"{page.slug}-examples"
    requirements = requirement_pins(page.source_path, files, fences, pins, problems)
    websockets = pins.get("websockets", "?")
    readme = Readme(plain(page.title), site_url(siteurl, site_path(page.url)) if siteurl else "", websockets)
    commands = commands_by_file(files, fences, pins)
    others = [
        c for c in page_commands(fences) if program_of(c) in requirements and all(c not in found for found in commands.values())
    ]
    contents = {f"{folder}/{f.name}": f.fence.code for f in files}
    contents[f"{folder}/requirements.txt"] = requirements_text(requirements)
    contents[f"{folder}/README.txt"] = readme.text(files, commands, others, requirements)
    data = zip_bytes(contents)
    return ExampleDownload(f"{FOLDER}/{folder}.zip", len(files), len(data), websockets, TESTED_PYTHON, data)


def example_files(source: str, fences: list[Fence], problems: ProblemLog) -> list[ExampleFile]:
    """The page's tested blocks, named as the harness names them; a name no zip can hold is replaced."""
    files, taken = [], set()
    for fence in fences:
        if not fence.test_id:
            continue
        default = f"{fence.test_id}{EXTENSIONS.get(fence.lang, '.txt')}"
        name = fence.title or default
        why = unsafe_name(name) if fence.title else None
        if why is None and name in taken:
            why = "another tested block of this page has that title"
        if why:
            problems.warn(
                source,
                f"line {fence.line} code block",
                f"title={name!r} cannot name a file of the examples zip ({why}); it is saved as {default}",
            )
            name = default
        taken.add(name)
        files.append(ExampleFile(name, fence))
    return files


def unsafe_name(name: str) -> str | None:
    """Why ``name`` is not a relative file path every unzip tool writes where it says, or None."""
    if name.startswith("/") or "\\" in name or ":" in name:
        return "a relative path with / between folders"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return "no empty, . or .. part"
    return None


# Pins: the extras of pyproject.toml, then the test lock.


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def _pins_of(pyproject: str, lock: str) -> dict[str, str]:
    with open(pyproject, "rb") as file:
        extras = tomllib.load(file).get("project", {}).get("optional-dependencies", {})
    pins: dict[str, str] = {}
    for extra in sorted(extras, key=lambda name: name != "examples"):  # the examples' own pins win
        for requirement in extras[extra]:
            name, _, version = requirement.partition("==")
            pins.setdefault(normalized(name.split("[")[0]), version.strip())
    if os.path.isfile(lock):
        with open(lock, encoding="utf-8") as file:
            for line in file:
                match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", line)
                if match:
                    pins.setdefault(normalized(match[1]), match[2])
    return pins


def example_pins() -> dict[str, str]:
    """Distribution (normalized name) -> version, as pinned for the examples."""
    return dict(_pins_of(PYPROJECT, TEST_LOCK))


def distribution_for(module: str, pins: dict[str, str]) -> str | None:
    """The pinned distribution that provides ``module`` (``google.protobuf.json_format``), if any."""
    by_import = {IMPORT_NAMES.get(name, name.replace("-", "_")): name for name in pins}
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        found = by_import.get(".".join(parts[:end]))
        if found:
            return found
    return None


def requirement_pins(
    source: str, files: list[ExampleFile], fences: list[Fence], pins: dict[str, str], problems: ProblemLog
) -> dict[str, str]:
    """What the page's Python files import and its commands run -> exact version."""
    local = local_modules(files)
    needed: set[str] = set()
    for item in files:
        if item.fence.lang != "python":
            continue
        unpinned = set()
        for module, line in imports_of(item, source, problems):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top in local or top in unpinned:
                continue
            name = distribution_for(module, pins)
            if name is None:
                unpinned.add(top)
                where = f"line {item.fence.line + line} code block"
                problems.warn(
                    source,
                    where,
                    f"test={item.fence.test_id!r} imports {module}, which neither pyproject.toml nor the test lock pins; add it to the `examples` extra",
                )
                continue
            needed.add(name)
            needed.update(COMPANIONS.get(module, ()))
    for commands in commands_by_file(files, fences, pins).values():
        for command in commands:
            program = program_of(command)
            if program in pins:
                needed.add(program)
                needed.update(COMPANIONS.get(program, ()))
    return {name: pins[name] for name in sorted(needed) if name in pins}


def local_modules(files: list[ExampleFile]) -> set[str]:
    """Top-level names the page's own files give (app.py: app; chat/consumers.py: chat)."""
    return {f.name.split("/")[0].removesuffix(".py") for f in files if f.name.endswith(".py")}


def imports_of(item: ExampleFile, source: str, problems: ProblemLog) -> tuple[tuple[str, int], ...]:
    """(module, line in the block) of every absolute import of a Python block."""
    found = _imports(item.fence.code)
    if isinstance(found, SyntaxError):
        message = f"test={item.fence.test_id!r} is not valid Python ({found.msg}, line {found.lineno}); fix it"
        problems.warn(source, f"line {item.fence.line} code block", message)
        return ()
    return found


@functools.lru_cache(maxsize=512)
def _imports(code: str) -> tuple[tuple[str, int], ...] | SyntaxError:
    """Kept per block text: `invoke serve` rebuilds parse only the blocks that changed."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        return error
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
            found.extend((f"{node.module}.{alias.name}", node.lineno) for alias in node.names if alias.name != "*")
    return tuple(found)


# Commands: the page's console blocks, and a file's own "# Run with:" comment.


def page_commands(fences: list[Fence]) -> list[str]:
    """Every ``$`` command of the page's console blocks, continuation lines joined."""
    commands = []
    for fence in fences:
        if fence.lang not in ("console", "shell-session"):
            continue
        current = None
        for line in fence.code.splitlines():
            if current is not None:
                current += "\n" + line
            elif line.startswith("$ "):
                current = line[2:].strip()
            if current is not None and not current.endswith("\\"):
                commands.append(current)
                current = None
    return commands


def commands_by_file(files: list[ExampleFile], fences: list[Fence], pins: dict[str, str]) -> dict[str, list[str]]:
    """File name -> the commands that run it: its "# Run with:" line, then the page's that name it."""
    found: dict[str, list[str]] = {f.name: [] for f in files}
    for item in files:
        run_with = first_comment_command(item.fence)
        if run_with:
            found[item.name].append(run_with)
    for command in page_commands(fences):
        if not runnable(command, pins):
            continue
        words = command_words(command)
        for item in files:
            if names_file(words, item.name) and command not in found[item.name]:
                found[item.name].append(command)
    return found


def first_comment_command(fence: Fence) -> str | None:
    if fence.lang != "python":
        return None
    for line in fence.code.splitlines():
        if line.strip():
            match = RUN_WITH_RE.match(line.strip())
            return match["command"].strip() if match else None
    return None


def command_words(command: str) -> list[str]:
    try:
        return shlex.split(command.replace("\\\n", " "), comments=True)
    except ValueError:  # an unbalanced quote: words as written
        return command.split()


def program_of(command: str) -> str | None:
    """The program a command runs: ``uvicorn``; ``python -m pytest``: pytest; ``python x.py``: python."""
    words = [w for w in command_words(command) if w != "sudo" and not re.match(r"^[A-Z_][A-Z0-9_]*=", w)]
    if not words:
        return None
    if words[0] in PYTHONS and len(words) > 2 and words[1] == "-m":
        return normalized(words[2])
    return words[0] if words[0] in PYTHONS else normalized(words[0])


def runnable(command: str, pins: dict[str, str]) -> bool:
    """A command the zip can run: Python, or a program requirements.txt can pin."""
    program = program_of(command)
    return program is not None and (program in PYTHONS or program in pins)


def names_file(words: list[str], name: str) -> bool:
    """Whether a command names a file: ``python app.py``, ``pytest test_app.py``, ``uvicorn app:app``."""
    module = name.removesuffix(".py").replace("/", ".") if name.endswith(".py") else None
    for word in words:
        if word in (name, f"./{name}"):
            return True
        if module and word.split(":")[0] == module and ":" in word:
            return True
    return False


# The files of the zip.


def requirements_text(requirements: dict[str, str]) -> str:
    lines = ["# Exact versions the guide's tests ran these examples with."]
    lines += [f"{name}=={version}" for name, version in requirements.items()] or [
        "# (nothing to install: no Python file here imports a package)"
    ]
    return "\n".join(lines) + "\n"


@dataclasses.dataclass(frozen=True)
class Readme:
    title: str
    url: str  #: the page's address when the site has one (SITEURL), else ""
    websockets: str

    def text(
        self, files: list[ExampleFile], commands: dict[str, list[str]], others: list[str], requirements: dict[str, str]
    ) -> str:
        lines = [f"Examples of the page: {self.title}", *([self.url] if self.url else []), ""]
        lines += [f"Tested with websockets {self.websockets} on Python {TESTED_PYTHON}.", ""]
        if requirements:
            lines += ["Install what they need, in a virtual environment:", ""]
            lines += [f"    $ {command}" for command in INSTALL_COMMANDS]
            lines.append("")
        lines += ["Run them as the page does (servers listen on localhost; a command ending in & runs in the background):", ""]
        imported = imported_locally(files)
        for item in files:
            lines.append(item.name)
            lines.extend(f"    {text}" for text in how_to_run(item, commands[item.name], imported))
            lines.append("")
        if others:
            lines += ["The page also shows:", "", *(f"    $ {command}" for command in others), ""]
        return "\n".join(lines)


def how_to_run(item: ExampleFile, commands: list[str], imported: set[str]) -> list[str]:
    if commands:
        return [f"$ {command}" for command in commands]
    if item.fence.lang != "python":
        kind = LANGUAGE_NAMES.get(item.fence.lang or "", item.fence.lang or "text")
        return [f"{kind}: the page says where it goes."]
    if item.name in imported:
        return ["imported by the other files here."]
    if item.name.rsplit("/", 1)[-1] == "conftest.py":
        return ["pytest reads it when it runs the tests of this folder."]
    if PYTEST_FILE_RE.match(item.name.rsplit("/", 1)[-1]):
        return [f"$ python -m pytest -q {item.name}"]
    return [f"$ python {item.name}"]


def imported_locally(files: list[ExampleFile]) -> set[str]:
    """The page's Python files that another of its files imports (a module, not a script)."""
    by_module = {f.name.removesuffix(".py").replace("/", "."): f.name for f in files if f.name.endswith(".py")}
    found = set()
    for item in files:
        if item.fence.lang != "python":
            continue
        for module, _ in imports_of(item, "", ProblemLog()):
            if module in by_module and by_module[module] != item.name:
                found.add(by_module[module])
    return found


def plain(title: str) -> str:
    """A page title as text (titles may hold entities such as &amp;)."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(title)))


def zip_bytes(contents: dict[str, str]) -> bytes:
    """A zip of ``contents`` (name -> text) whose bytes depend on nothing else."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(contents):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, so that the mode below is read
            info.external_attr = (0o100000 | FILE_MODE) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, contents[name].encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)
    return buffer.getvalue()
