"""`invoke compare-zensical`'s own logic: the Zensical configuration, the fenced header, the summary.

No network, no Zensical and no build: the task itself is run by hand (its docstring says how).
"""

from __future__ import annotations

import pytest

from guide.content.front_matter import read_header
from guide.site_tools import zensical_compare as compare
from guide.site_tools.zensical_compare import CompareFailed

PAGE = "title: A page\nslug: a-page\nsort-order: 0101\nmeta: One sentence: with a colon.\n\nBody text.\n\nslug: not a field\n"


def test_the_projects_extensions_become_zensicals_by_their_short_names():
    markdown = {
        "extensions": ["guide.markdown.code_blocks", "markdown.extensions.toc", "pymdownx.tabbed", "markdown.extensions.abbr"],
        "extension_configs": {"markdown.extensions.toc": {"permalink": "#"}, "pymdownx.tabbed": {"alternate_style": True}},
    }
    extensions, left_out = compare.zensical_extensions(markdown)
    assert list(extensions)[:3] == ["toc", "pymdownx.tabbed", "abbr"]
    assert extensions["toc"] == {"permalink": "#"}
    assert extensions["abbr"] == {}
    assert "guide.markdown.code_blocks" not in extensions
    assert [item.split()[0] for item in left_out] == ["guide.markdown.code_blocks"]
    # The project's code-block extension is stood in for by what `zensical new` configures.
    assert extensions["pymdownx.highlight"]["line_spans"] == "__span"
    assert "pymdownx.superfences" in extensions


def test_an_option_that_is_not_plain_data_is_left_out_and_said():
    markdown = {
        "extensions": ["pymdownx.superfences"],
        "extension_configs": {"pymdownx.superfences": {"custom_fences": [{"format": print}], "preserve_tabs": True}},
    }
    extensions, left_out = compare.zensical_extensions(markdown)
    assert extensions["pymdownx.superfences"] == {"preserve_tabs": True}  # the project's own setting, not zensical new's
    assert left_out == ["pymdownx.superfences: option custom_fences (not plain data)"]


def test_the_config_lists_extensions_without_options_by_name():
    config = compare.zensical_config({"abbr": {}, "toc": {"permalink": "#"}}, ["a.md"])
    assert config["markdown_extensions"] == ["abbr", {"toc": {"permalink": "#"}}]
    assert config["use_directory_urls"] is False
    assert config["theme"] == {"font": False}


def test_the_fenced_header_is_read_by_the_guide_as_the_same_fields():
    fenced = compare.fence_header(PAGE, "other-slug")
    assert fenced.startswith("---\ntitle: A page\n")
    assert "\nmeta: One sentence: with a colon.\n---\n\nBody text." in fenced
    assert fenced.endswith("slug: not a field\n")  # only the header's slug is replaced
    as_written = {field.name: field.value for field in read_header(PAGE).fields}
    read = {field.name: field.value for field in read_header(fenced).fields}
    assert read == {**as_written, "slug": "other-slug"}


PROJECT_BODY = """<html><body><article class="page"><header><h1>T</h1></header><div class="prose">
<div class="admonition note"><p class="admonition-title">Note</p><p>x</p></div>
<figure class="code" data-lang="python"><figcaption class="code-head"><span class="code-title">a.py</span>
<span class="code-lang">Python</span></figcaption><pre class="highlight"><code><span class="linenos">1</span><span class="k">import</span> <span class="nn">os</span>
<span class="hll"><span class="linenos">2</span><span class="n">x</span></span></code></pre></figure>
<h2 id="one">One<a class="headerlink" href="#one">#</a></h2></div></article></body></html>"""

ZENSICAL_BODY = """<html><body><article class="md-content__inner md-typeset"><h1>T</h1>
<div class="admonition note"><p class="admonition-title">Note</p><p>x</p></div>
<div class="admonition tip"><p class="admonition-title">Tip</p><p>y</p></div>
<div class="language-python highlight"><table class="highlighttable"><tr><th class="filename" colspan="2"><span class="filename">a.py</span></th></tr>
<tr><td class="linenos"><div class="linenodiv"><pre><span class="normal">1</span>
<span class="normal">2</span></pre></div></td><td class="code"><div><pre><code><span id="__span-0-1"><span class="k">import</span> <span class="nn">os</span>
</span><span id="__span-0-2"><span class="hll"><span class="n">y</span></span></span></code></pre></div></td></tr></table></div>
<h2 id="one">One<a class="headerlink" href="#one">#</a></h2></article></body></html>"""


@pytest.fixture
def bodies():
    return compare.page_body(PROJECT_BODY, "project"), compare.page_body(ZENSICAL_BODY, "zensical")


def test_each_sides_markup_counts_as_the_same_feature(bodies):
    project, zensical = (compare.feature_counts(body) for body in bodies)
    for feature, count in {"code block": 1, "code block title": 1, "highlighted line (span.hll)": 1, "numbered line": 2}.items():
        assert project[feature] == zensical[feature] == count, feature
    assert (project["callout: tip"], zensical["callout: tip"]) == (0, 1)


def test_the_summary_says_what_differs(bodies):
    lines = compare.summary(*bodies)
    verdicts = {line.split("  ")[0].strip(): line.split()[-1] for line in lines if line.endswith(("same", "DIFFERS"))}
    assert verdicts["callout: tip"] == "DIFFERS"
    assert verdicts["callout: note"] == "same"
    assert verdicts["code block title"] == "same"
    assert "code block titles: same (1)" in lines
    assert "heading ids: same (1)" in lines
    assert any(line.startswith("callout titles: DIFFER") for line in lines)
    assert "markup classes only in project: code-head code-lang code-title" in lines


def test_tokens_are_compared_whatever_wraps_the_lines(bodies):
    project, zensical = bodies
    assert compare.code_tokens(project)[:2] == compare.code_tokens(zensical)[:2] == [("k", "import"), ("nn", "os")]
    [verdict] = compare.token_differences(project, zensical)
    assert verdict == "code block 1 (python): tokens DIFFER from token 3: project ('n', 'x'), zensical ('n', 'y')"


def test_a_page_without_the_expected_body_is_named():
    with pytest.raises(CompareFailed, match="the zensical page has no body"):
        compare.page_body(PROJECT_BODY, "zensical")


def test_the_output_folder_is_replaced_only_when_this_task_wrote_it(tmp_path):
    folder = tmp_path / "compare"
    compare.prepare_output(folder)
    (folder / "old.png").write_text("from the last run")
    compare.prepare_output(folder)
    assert sorted(path.name for path in folder.iterdir()) == [compare.MARKER]
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep me")
    with pytest.raises(CompareFailed, match="holds files this task did not write"):
        compare.prepare_output(theirs)
    assert (theirs / "notes.txt").read_text() == "keep me"
