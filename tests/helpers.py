"""Helpers shared by the tests: build a content tree, fingerprint folders byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guide.site_tools.chromium import CHROMIUM_ARGS  # noqa: F401 (the tests that start Chromium)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"
EVERY_FEATURE = ROOT / "tests" / "fixtures" / "authoring" / "every-feature.md"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below a folder -> the SHA-256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build_site(content: Path, output: Path, settings: str = "pelicanconf.py", **kwargs):
    """Build a content folder with the project's settings and theme, as `invoke build` does."""
    from guide.build.runner import build

    return build(str(ROOT / settings), content=str(content), output=str(output), **kwargs)


def replace(path: str, old: str, new: str):
    """A fault for the fault tables: replace the first ``old`` in a file of a content tree."""

    def fault(content: Path) -> None:
        file = content / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"fixture changed: {old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return fault


def append(path: str, text: str):
    """A fault for the fault tables: add ``text`` at the end of a file of a content tree."""

    def fault(content: Path) -> None:
        with open(content / path, "a", encoding="utf-8") as file:
            file.write(text)

    return fault


def invoke_build(*args: str) -> subprocess.CompletedProcess:
    """`invoke build ARGS` as an author runs it, from the project's folder: its exit status and output."""
    return subprocess.run([sys.executable, "-m", "invoke", "build", *args], cwd=ROOT, capture_output=True, text=True)


def leftovers(output: Path) -> list[str]:
    """Staging or retired folders a build left beside its output folder."""
    return [name for name in os.listdir(output.parent) if name.startswith(f".{output.name}.")]


def require_tool(name: str, why: str) -> str:
    """The path of a system tool; skip (outside CI) or fail (when CI=true) when it is missing."""
    path = shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.path.exists(p)), None)
    if not path:
        unavailable(f"{name} is not installed ({why}); apt-get install it to run this test")
    return path


def unavailable(message: str):
    """Something a test needs is missing: skip saying why, except in CI (CI=true), where it fails."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this test: {message}")
    pytest.skip(message)


def add_every_feature_chapter(content: Path) -> Path:
    """every-feature.md (and its diagram) as chapter 03 of a copy of the fixture site; its folder."""
    chapter = content / "pages" / "03-authoring"
    chapter.mkdir()
    text = EVERY_FEATURE.read_text(encoding="utf-8").replace("sort-order: 0101", "sort-order: 0301")
    (chapter / "01-every-feature.md").write_text(text, encoding="utf-8")
    shutil.copy(EVERY_FEATURE.parent / "diagram.svg", chapter / "diagram.svg")
    return chapter


#: The rules axe runs: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


def axe_violations(page, where: str) -> list[str]:
    """axe-core's violations on the page as it is now (axe already injected), one line each, led by ``where``."""
    result = page.evaluate(_AXE_RUN, AXE_TAGS)
    lines = []
    for violation in result["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}: {targets}")
    return lines


def vnu_errors(vnu_jar: Path, files: list[Path], root: Path) -> list[str]:
    """The Nu Html Checker's errors over HTML and CSS files, one "path:line: message" each."""
    java = require_tool("java", "the Nu Html Checker runs on Java (default-jre-headless)")
    run = subprocess.run(
        [java, "-jar", str(vnu_jar), "--format", "json", "--exit-zero-always", "--also-check-css", *map(str, files)],
        capture_output=True,
        text=True,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    return [
        f"{m.get('url', '').rsplit(str(root), 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


#: Layout shifts since the page started loading (buffered), as Chromium reports them: page.evaluate(LAYOUT_SHIFT).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  new PerformanceObserver(list => resolve(list.getEntries().reduce((sum, e) => sum + e.value, 0)))
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(0), 500);
})"""


def tool_block(markdown: str, name: str) -> str:
    """A page's one ``??? tool NAME`` block: its first line and every indented or blank line after it."""
    lines = markdown.splitlines()
    starts = [number for number, line in enumerate(lines) if line.startswith(f"??? tool {name} ")]
    assert len(starts) == 1, f"the page should hold one {name} block, not {len(starts)}"
    block = [lines[starts[0]]]
    for line in lines[starts[0] + 1 :]:
        if line.strip() and not line.startswith("    "):
            break
        block.append(line)
    return "\n".join(block).rstrip() + "\n"
