"""Helpers shared by the tests: build a content tree, fingerprint folders byte for byte."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below a folder -> the SHA-256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build_site(content: Path, output: Path, settings: str = "pelicanconf.py", **kwargs):
    """Build a content folder with the project's settings and theme, as `invoke build` does."""
    from guide_plugins.build import build

    return build(str(ROOT / settings), content=str(content), output=str(output), **kwargs)


def leftovers(output: Path) -> list[str]:
    """Staging or retired folders a build left beside its output folder."""
    return [name for name in os.listdir(output.parent) if name.startswith(f".{output.name}.")]
