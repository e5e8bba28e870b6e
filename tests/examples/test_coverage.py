"""The page's "tested" marks and the tests cannot drift apart: every block marked test="ID" is
run by a test here, and every ID a test claims is still on a page."""

from __future__ import annotations

import importlib
from pathlib import Path

import harness

EXAMPLE_TEST_MODULES = sorted(p.stem for p in Path(__file__).parent.glob("test_*.py") if p.stem != "test_coverage")


def exercised_ids() -> set[str]:
    for name in EXAMPLE_TEST_MODULES:
        importlib.import_module(name)  # each module registers its IDs with @exercises on import
    return set(harness.EXERCISED)


def test_every_tested_block_is_run_by_a_test():
    missing = sorted(set(harness.all_examples()) - exercised_ids())
    assert not missing, f"blocks marked test=ID that no test runs (add a test or mark them illustrative): {missing}"


def test_every_claimed_id_names_a_block_of_the_content():
    stale = sorted(exercised_ids() - set(harness.all_examples()))
    assert not stale, f"tests claim IDs that no page carries any more: {stale}"


def test_tested_marks_cover_python_javascript_and_nginx():
    languages = {ex.lang for ex in harness.all_examples().values()}
    assert {"python", "javascript", "nginx"} <= languages
