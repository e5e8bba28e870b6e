"""Page weight budgets over the built guide, by byte counts (gzip level 9, each file on its own).

- the first screen (the HTML up to the end of the first 1,500 characters of text, plus anything
  render-blocking) <= 14 KiB, and nothing render-blocking at all: the page paints after the first
  round trip of a new TCP connection (10 segments of about 1,460 bytes), at any length;
- whole first load, images and deferred scripts included, <= 50 KiB;
- the JavaScript a page loads before any tool is opened (its scripts, inline ones too, and the
  modules they import) <= 6 KiB, all of it deferred or a module; the search dialog's files, which
  load when it opens, <= 4 KiB each, and no page asks for them at load; likewise each in-page
  tool's module, and the kit and stylesheet the tools share, which load with the first one opened;
- no request to any other host.

How a page is weighed is :mod:`guide.site_tools.page_weight` (tested in tests/site_tools/).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from guide.site_tools.page_weight import gzipped_size, local_file, page_weight
from helpers import ROOT, build_site

pytestmark = pytest.mark.build

KIB = 1024
FIRST_SCREEN_BUDGET = 14 * KIB
WHOLE_BUDGET = 50 * KIB
SCRIPT_BUDGET = 6 * KIB
ON_DEMAND_BUDGET = 4 * KIB
#: The search dialog's files, under the theme's folder: site.js imports the dialog when it opens.
ON_DEMAND = ("js/search-dialog.js", "js/search-client.js", "js/search-worker.js", "css/search-dialog.css")
#: A module's static import of a sibling file: `import { search } from "./search-client.js";`
STATIC_IMPORT = re.compile(r"""^\s*import\s[^"'\n]*["'](\.{1,2}/[^"'\n]+)["']""")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("budget") / "output"
    build_site(ROOT / "content", output)
    return output


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_paints_after_one_round_trip_and_fits_the_whole_budget(site):
    weights = {page.relative_to(site).as_posix(): page_weight(site, page) for page in all_pages(site)}
    heaviest = max(weights, key=lambda name: weights[name].first_screen)
    report = f"heaviest first screen {heaviest}: {weights[heaviest].first_screen} bytes, {weights[heaviest].whole} whole"
    blocking = {name: weight.blocking for name, weight in weights.items() if weight.blocking}
    assert not blocking, f"render-blocking requests: {blocking}"
    over = {
        name: (weight.first_screen, weight.whole)
        for name, weight in weights.items()
        if weight.first_screen > FIRST_SCREEN_BUDGET or weight.whole > WHOLE_BUDGET
    }
    assert not over, f"over budget (first screen, whole): {over}; {report}"


def test_the_longest_page_is_weighed_by_its_first_screen_not_its_length(site):
    """The budget holds at any length because a page's first screen is a prefix of its HTML."""
    longest = max(all_pages(site), key=lambda page: page.stat().st_size)
    weight = page_weight(site, longest)
    assert weight.first_screen < gzipped_size(longest.read_bytes()) / 2, f"{longest.name}: {weight}"


def script_files_at_load(site: Path, page: Path) -> list[Path]:
    """The script files a page requests as it loads, and every file those import statically."""
    weight = page_weight(site, page)
    found = [local_file(site, url).resolve() for url in weight.blocking + weight.requests if urlsplit(url).path.endswith(".js")]
    for script in found:  # the list grows as imports are found
        for line in script.read_text(encoding="utf-8").splitlines():
            imported = STATIC_IMPORT.match(line)
            if imported and (script.parent / imported.group(1)).resolve() not in found:
                found.append((script.parent / imported.group(1)).resolve())
    return found


def inline_scripts(page: Path) -> list[str]:
    """The page's inline JavaScript (the boot script), not its data blocks (JSON-LD, speculation rules)."""
    scripts = BeautifulSoup(page.read_text(), "html.parser").find_all("script", src=False)
    return [script.string or "" for script in scripts if script.get("type") in (None, "", "module", "text/javascript")]


def javascript_at_load(site: Path, page: Path) -> int:
    files = sum(gzipped_size(file.read_bytes()) for file in script_files_at_load(site, page))
    return files + sum(gzipped_size(text.encode()) for text in inline_scripts(page))


def test_each_page_loads_little_javascript_before_a_tool_opens_and_none_that_blocks(site):
    totals = {page.relative_to(site).as_posix(): javascript_at_load(site, page) for page in all_pages(site)}
    heaviest = max(totals, key=lambda name: totals[name])
    assert totals["search.html"] > totals["index.html"], "search.js and the module it imports are counted"
    assert totals[heaviest] <= SCRIPT_BUDGET, f"{heaviest}: {totals[heaviest]} bytes of JavaScript before any tool opens"
    for page in all_pages(site):
        for script in BeautifulSoup(page.read_text(), "html.parser").find_all("script", src=True):
            assert script.has_attr("defer") or script.get("type") == "module", f"{page.name}: {script}"


def test_the_search_dialogs_files_are_small_and_no_page_loads_them_before_it_opens(site):
    theme = site / "theme"
    sizes = {path: gzipped_size((theme / path).read_bytes()) for path in ON_DEMAND}
    over = {path: size for path, size in sizes.items() if size > ON_DEMAND_BUDGET}
    assert not over, f"over {ON_DEMAND_BUDGET} bytes gzip: {over}"
    dialog_only = {(theme / path).resolve() for path in ON_DEMAND if path != "js/search-client.js"}
    engine = (theme / "js" / "search-client.js").resolve()  # search.html's too: the engine both share
    for page in all_pages(site):
        loaded = set(script_files_at_load(site, page)) & (dialog_only | ({engine} if page.name != "search.html" else set()))
        assert not loaded, f"{page.name} loads {sorted(map(str, loaded))} before the dialog opens"
        assert "search-dialog" not in page.read_text(), f"{page.name} names a file of the dialog"


def test_each_tool_is_small_and_no_page_loads_one_before_it_is_opened(site):
    theme = site / "theme"
    files = sorted((theme / "js" / "tools").glob("*.js")) + [theme / "css" / "tools.css"]
    assert len(files) >= 6, files  # four tools, their kit and their stylesheet
    sizes = {file.name: gzipped_size(file.read_bytes()) for file in files}
    over = {name: size for name, size in sizes.items() if size > ON_DEMAND_BUDGET}
    assert not over, f"over {ON_DEMAND_BUDGET} bytes gzip: {over}"
    tool_files = {file.resolve() for file in files}
    for page in all_pages(site):
        loaded = set(script_files_at_load(site, page)) & tool_files
        assert not loaded, f"{page.name} loads {sorted(map(str, loaded))} before a tool opens"


def test_no_page_requests_another_host(site):
    for page in all_pages(site):
        html = BeautifulSoup(page.read_text(), "html.parser")
        requested = [tag.get("src") for tag in html.find_all(["script", "img", "iframe", "source", "video", "audio"])]
        requested += [link["href"] for link in html.find_all("link", href=True) if link.get("rel") != ["canonical"] and link.get("rel") != ["alternate"]]
        for url in filter(None, requested):
            assert not urlsplit(url).netloc, f"{page.name} requests {url}"


def test_diagrams_are_svg_and_light(site):
    images = sorted((site / "images").iterdir())
    assert images and all(image.suffix == ".svg" for image in images)
    assert max(gzipped_size(image.read_bytes()) for image in images) < 4 * KIB
