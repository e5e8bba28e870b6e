"""`invoke audit`'s arithmetic: Lighthouse's runs become one row of medians per page and form."""

from __future__ import annotations

from guide.site_tools.audit import median_rows, score_table


def run(page: str, form: str, score: int, fcp: int) -> dict:
    scores = {"performance": score, "accessibility": 100, "best-practices": 100, "seo": 100}
    return {"page": page, "form": form, **scores, "FCP ms": fcp, "LCP ms": fcp + 50}


def test_each_page_and_form_gets_the_median_of_its_runs():
    rows = [run("a.html", "mobile", 90, 700), run("a.html", "mobile", 100, 900), run("a.html", "mobile", 99, 650)]
    rows.append(run("a.html", "desktop", 100, 300))
    merged = {(row["page"], row["form"]): row for row in median_rows(rows)}
    assert merged["a.html", "mobile"]["performance"] == 99
    assert merged["a.html", "mobile"]["FCP ms"] == 700
    assert merged["a.html", "mobile"]["LCP ms"] == 750
    assert merged["a.html", "desktop"]["FCP ms"] == 300


def test_a_failed_run_is_left_out_and_a_page_with_no_good_run_shows_its_failure():
    failed = {"page": "a.html", "form": "mobile", "error": ["Chrome crashed"]}
    merged = median_rows([failed, run("a.html", "mobile", 98, 800), {"page": "b.html", "form": "mobile", "error": ["timeout"]}])
    assert merged[0]["performance"] == 98
    assert "failed: ['timeout']" in score_table(merged)
