"""Time the builds: each in a fresh subprocess, alternating (a) and (b), median of ``repeat`` runs.

(a) is the project's full build (search index included), (b) plain Pelican with its default theme
and the same Markdown settings. Wall time is measured around the subprocess, so it includes the
interpreter's start and the imports, as `invoke build` does; peak memory is the child's maximum
resident set size as ``wait4`` reports it, which also covers the processes the child waited for
(Pagefind).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from benchmarks.generator import GeneratedSite, generate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SIZES = (100, 1000, 5000)
DEFAULT_REPEAT = 3
REBUILD_SIZE = 1000
REBUILD_EDITS = 5
#: The theme's chapter navigation, the part of a guide page that depends on the site's size.
CHAPTER_NAV_RE = re.compile(rb'<details class="chapter-nav">.*?</details>', re.S)


@dataclasses.dataclass(frozen=True)
class Sample:
    """One build: wall seconds, peak resident memory in KiB, what the child reported, CPU seconds."""

    seconds: float
    peak_kib: int
    report: dict = dataclasses.field(default_factory=dict)
    cpu_seconds: float = 0.0  #: user + system, the child's and its own children's (Pagefind)


def median(values) -> float:
    values = list(values)
    if not values:
        raise ValueError("no samples")
    return statistics.median(values)


@dataclasses.dataclass
class SizeResult:
    pages: int
    chapters: int
    project: list[Sample]  #: (a)
    plain: list[Sample]  #: (b)
    largest_page: tuple[str, int] = ("", 0)  #: the largest guide page or post: (file, bytes)
    largest_file: tuple[str, int] = ("", 0)  #: the largest HTML file of any kind: (file, bytes)
    largest_page_nav: int | None = None  #: bytes of the largest page's chapter navigation

    @property
    def project_seconds(self) -> float:
        return median(s.seconds for s in self.project)

    @property
    def plain_seconds(self) -> float:
        return median(s.seconds for s in self.plain)

    @property
    def ratio(self) -> float:
        """a/b: how much longer the project's build takes than plain Pelican's."""
        return self.project_seconds / self.plain_seconds

    @property
    def project_cpu_seconds(self) -> float:
        return median(s.cpu_seconds for s in self.project)

    @property
    def plain_cpu_seconds(self) -> float:
        return median(s.cpu_seconds for s in self.plain)

    @property
    def cpu_ratio(self) -> float | None:
        """a/b in CPU time: steadier than wall time on a busy machine, blind to parallelism."""
        return self.project_cpu_seconds / self.plain_cpu_seconds if self.plain_cpu_seconds else None

    def ms_per_page(self, seconds: float) -> float:
        return 1000 * seconds / self.pages

    @property
    def project_peak_kib(self) -> int:
        return max(s.peak_kib for s in self.project)

    @property
    def plain_peak_kib(self) -> int:
        return max(s.peak_kib for s in self.plain)


@dataclasses.dataclass
class RebuildResult:
    pages: int
    first_seconds: float  #: the first build of the serve session (cache empty)
    seconds: list[float]  #: each one-page rebuild

    @property
    def median_seconds(self) -> float:
        return median(self.seconds)


@dataclasses.dataclass
class BenchResult:
    sizes: list[SizeResult]
    rebuild: RebuildResult | None
    repeat: int

    def size(self, pages: int) -> SizeResult | None:
        return next((s for s in self.sizes if s.pages == pages), None)

    def growth(self, small: int = 1000, large: int = 5000, which: str = "project") -> float | None:
        """t(large)/t(small) of (a) or (b); None unless both sizes were measured."""
        low, high = self.size(small), self.size(large)
        if not (low and high):
            return None
        attribute = f"{which}_seconds"
        return getattr(high, attribute) / getattr(low, attribute)


Runner = Callable[[list[str]], Sample]


def run_child(args: list[str]) -> Sample:
    """Run ``python -m benchmarks.child ARGS`` in a fresh interpreter; time it and take its peak RSS."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.child", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=errors
        )
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        if child.returncode != 0:
            errors.seek(0)
            raise RuntimeError(
                f"benchmark child {args[0]} failed ({child.returncode}):\n{errors.read().decode(errors='replace')[-4000:]}"
            )
    # ru_maxrss is in KiB on Linux
    return Sample(seconds, usage.ru_maxrss, json.loads(out), usage.ru_utime + usage.ru_stime)


def largest_html(output: str, site: GeneratedSite) -> tuple[tuple[str, int], tuple[str, int]]:
    """(largest guide page or post, largest HTML file of any kind), each as (relative path, bytes)."""
    content_pages = {f"{page.slug}.html" for page in site.pages}
    best_page, best_any = ("", 0), ("", 0)
    for folder, _, files in os.walk(output):
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            entry = (os.path.relpath(path, output), os.path.getsize(path))
            best_any = max(best_any, entry, key=lambda e: e[1])
            if name in content_pages or os.path.basename(folder) == "blog":
                best_page = max(best_page, entry, key=lambda e: e[1])
    return best_page, best_any


def chapter_nav_bytes(path: str) -> int | None:
    """How much of a built page is its chapter navigation (None: no page, or no navigation)."""
    try:
        with open(path, "rb") as page:
            found = CHAPTER_NAV_RE.search(page.read())
    except OSError:
        return None
    return len(found.group(0)) if found else None


def measure_size(pages: int, repeat: int, workdir: str, runner: Runner = run_child, progress=print) -> SizeResult:
    content = os.path.join(workdir, f"content-{pages}")
    shutil.rmtree(content, ignore_errors=True)
    site = generate(content, pages)
    result = SizeResult(pages, site.chapters, [], [])
    outputs = {kind: os.path.join(workdir, f"{kind}-{pages}") for kind in ("project", "plain")}
    for run in range(repeat):
        # Alternate which goes first, so neither always runs on a warmer page cache.
        order = ("project", "plain") if run % 2 == 0 else ("plain", "project")
        for kind in order:
            shutil.rmtree(outputs[kind], ignore_errors=True)
            sample = runner([kind, content, outputs[kind]])
            getattr(result, kind).append(sample)
            name = "(a) project" if kind == "project" else "(b) plain  "
            progress(
                f"  N={pages} run {run + 1}/{repeat} {name}: {sample.seconds:7.2f} s ({sample.cpu_seconds:.2f} s CPU), {sample.peak_kib / 1024:6.0f} MiB"
            )
    if os.path.isdir(outputs["project"]):
        result.largest_page, result.largest_file = largest_html(outputs["project"], site)
        result.largest_page_nav = chapter_nav_bytes(os.path.join(outputs["project"], result.largest_page[0]))
    return result


def measure_rebuild(
    pages: int, workdir: str, edits: int = REBUILD_EDITS, runner: Runner = run_child, progress=print
) -> RebuildResult:
    """The serve task's cycle at ``pages`` pages, in one fresh process: build, then edit-and-rebuild."""
    content = os.path.join(workdir, f"rebuild-content-{pages}")
    output = os.path.join(workdir, f"rebuild-output-{pages}")
    cache = os.path.join(workdir, f"rebuild-cache-{pages}")
    for folder in (content, output, cache):
        shutil.rmtree(folder, ignore_errors=True)
    site = generate(content, pages)
    page = site.page_path(len(site.pages) // 2)
    sample = runner(["rebuild", content, output, cache, page, str(edits)])
    result = RebuildResult(pages, sample.report["first_seconds"], list(sample.report["rebuild_seconds"]))
    progress(f"  N={pages} one-page rebuilds: {', '.join(f'{s:.2f}' for s in result.seconds)} s")
    return result


def run_bench(
    sizes=DEFAULT_SIZES,
    repeat: int = DEFAULT_REPEAT,
    rebuild_size: int | None = REBUILD_SIZE,
    workdir: str | None = None,
    runner: Runner = run_child,
    progress=print,
) -> BenchResult:
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    own = workdir is None
    workdir = workdir or tempfile.mkdtemp(prefix="guide-bench-")
    try:
        results = []
        for pages in sizes:
            progress(f"N={pages}:")
            results.append(measure_size(pages, repeat, workdir, runner, progress))
        rebuild = measure_rebuild(rebuild_size, workdir, runner=runner, progress=progress) if rebuild_size else None
        return BenchResult(results, rebuild, repeat)
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
