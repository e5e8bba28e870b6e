"""`invoke audit`: Lighthouse's four scores, mobile and desktop, for a few pages of a served build.

Lighthouse comes from node_modules/ (`npm ci --ignore-scripts`, pinned in package.json and
package-lock.json); the browser is Debian's Chromium.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path

from guide.site_tools.chromium import CHROMIUM_ARGS, chromium_path
from guide.site_tools.serve import existing

#: The project's folder (this file is guide/site_tools/audit.py): `npm ci` fills its node_modules/.
ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
#: Pages `invoke audit` and `invoke screenshots` look at: the home page, two guide pages (one long), search, a post.
AUDIT_PAGES = [
    "index.html",
    "websocket-protocol.html",
    "nginx-websocket-proxy.html",
    "search.html",
    "blog/websockets-14-to-17.html",
]
LIGHTHOUSE_CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
#: The paint timings reported beside the scores (ms, Lighthouse's simulated slow 4G on mobile).
LIGHTHOUSE_TIMINGS = {"FCP ms": "first-contentful-paint", "LCP ms": "largest-contentful-paint"}


def lighthouse(base: str, folder: str | os.PathLike, pages: list[str], reports: str | os.PathLike) -> list[dict]:
    """Run Lighthouse on each page of the site served at ``base`` from ``folder``, mobile and
    desktop; write the HTML and JSON reports; return the scores and paint timings."""
    chromium = chromium_path()
    if not chromium or not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse needs Chromium (apt-get install chromium) and node_modules (npm ci --ignore-scripts)")
    Path(reports).mkdir(parents=True, exist_ok=True)
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    rows = []
    for page in existing(folder, pages):
        for form in ("mobile", "desktop"):
            stem = Path(reports) / f"{page.replace('/', '_').removesuffix('.html')}-{form}"
            command = [
                "node",
                str(LIGHTHOUSE),
                f"{base}/{page}",
                "--quiet",
                f"--chrome-flags={flags}",
                f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
                "--output=json",
                "--output=html",
                f"--output-path={stem}",
                *(["--preset=desktop"] if form == "desktop" else []),
            ]
            run = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chromium})
            if run.returncode != 0:
                rows.append({"page": page, "form": form, "error": (run.stderr or run.stdout).strip().splitlines()[-1:]})
                continue
            result = json.loads(Path(f"{stem}.report.json").read_text())
            scores = {name: round(100 * (result["categories"][name]["score"] or 0)) for name in LIGHTHOUSE_CATEGORIES}
            timings = {name: round(result["audits"][audit]["numericValue"]) for name, audit in LIGHTHOUSE_TIMINGS.items()}
            rows.append({"page": page, "form": form, **scores, **timings})
    return rows


def median_rows(rows: list[dict]) -> list[dict]:
    """One row per page and form: the median of each score and timing over its runs (a failed run left out)."""
    runs: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        runs.setdefault((row["page"], row["form"]), []).append(row)
    merged = []
    for (page, form), found in runs.items():
        good = [row for row in found if "error" not in row]
        if not good:
            merged.append(found[-1])
            continue
        keys = [*LIGHTHOUSE_CATEGORIES, *LIGHTHOUSE_TIMINGS]
        merged.append({"page": page, "form": form, **{key: statistics.median(row[key] for row in good) for key in keys}})
    return merged


def score_table(rows: list[dict]) -> str:
    header = ["page", "form", *LIGHTHOUSE_CATEGORIES, *LIGHTHOUSE_TIMINGS]
    lines = [" | ".join(header), " | ".join("---" for _ in header)]
    for row in rows:
        cells = (
            [str(row.get(name, "")) for name in header]
            if "error" not in row
            else [row["page"], row["form"], f"failed: {row['error']}"]
        )
        lines.append(" | ".join(cells))
    return "\n".join(lines)
