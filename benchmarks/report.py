"""Print the benchmark's figures, and whether each target of issue 8 is met."""

from __future__ import annotations

import os
import platform
import sys

from benchmarks.harness import BenchResult

TARGET_RATIO = 1.3  #: a/b at 1,000 pages
TARGET_GROWTH = 5.5  #: t(5,000)/t(1,000) of the project's build
TARGET_REBUILD = 1.0  #: seconds for a one-page rebuild at 1,000 pages
#: The largest page may differ by this much between sizes and still count as independent of N
#: (its body is the same text at every N; only the chapter navigation around it may change).
PAGE_SIZE_TOLERANCE = 0.05


def machine() -> str:
    """nproc, CPU model, memory and Python version, for the record."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), model)
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal")))
        memory = f", {kib / 1024 / 1024:.1f} GiB memory"
    except (OSError, StopIteration):
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}){memory}, Python {platform.python_version()} on {platform.system()} {platform.release()}"
    )


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def format_report(result: BenchResult) -> str:
    lines = [
        f"Machine: {machine()}",
        f"Median of {result.repeat} run(s) per build, each build in a fresh process; s is wall time, cpu is user+system",
        "(child and grandchildren), peak is the largest resident set of the build's processes.",
        "",
    ]
    header = (
        f"{'pages':>6} {'chap':>4} | {'(a) s':>7} {'ms/page':>8} {'cpu s':>7} {'peak MiB':>8} | {'(b) s':>7} {'ms/page':>8} {'cpu s':>7} {'peak MiB':>8} | "
        f"{'a/b':>5} {'cpu a/b':>7} | {'largest page (bytes)':>34} | largest HTML file (bytes)"
    )
    lines += [header, "-" * len(header)]
    for size in result.sizes:
        page_name, page_bytes = size.largest_page
        file_name, file_bytes = size.largest_file
        cpu_ratio = f"{size.cpu_ratio:>7.2f}" if size.cpu_ratio is not None else f"{'n/a':>7}"
        lines.append(
            f"{size.pages:>6} {size.chapters:>4} | "
            f"{size.project_seconds:>7.2f} {size.ms_per_page(size.project_seconds):>8.2f} {size.project_cpu_seconds:>7.2f} {size.project_peak_kib / 1024:>8.0f} | "
            f"{size.plain_seconds:>7.2f} {size.ms_per_page(size.plain_seconds):>8.2f} {size.plain_cpu_seconds:>7.2f} {size.plain_peak_kib / 1024:>8.0f} | "
            f"{size.ratio:>5.2f} {cpu_ratio} | {page_bytes:>10} {page_name:>23} | {file_bytes} {file_name}"
        )
    lines.append("")
    growth, plain_growth = result.growth(), result.growth(which="plain")
    if growth is not None:
        lines.append(f"Growth t(5,000)/t(1,000): (a) {growth:.2f}, (b) {plain_growth:.2f} (linear is 5.0)")
    if result.rebuild:
        rebuild = result.rebuild
        each = ", ".join(f"{s:.3f}" for s in rebuild.seconds)
        lines.append(
            f"One-page rebuild at {rebuild.pages} pages (serve, content cache): median {rebuild.median_seconds:.3f} s "
            f"(each: {each} s; the session's first build: {rebuild.first_seconds:.2f} s)"
        )
    navigation = [f"{s.largest_page_nav} at {s.pages}" for s in result.sizes if s.largest_page_nav is not None]
    if navigation:
        lines.append(f"Of the largest page, the chapter navigation: {', '.join(navigation)} bytes")
    lines += ["", "Targets:"]
    at_1000 = result.size(1000)
    lines.append(
        f"  a/b at 1,000 pages <= {TARGET_RATIO}: "
        + (f"{at_1000.ratio:.2f}, {_verdict(at_1000.ratio <= TARGET_RATIO)}" if at_1000 else "n/a (1,000 not measured)")
    )
    lines.append(
        f"  t(5,000)/t(1,000) <= {TARGET_GROWTH}: "
        + (
            f"{growth:.2f}, {_verdict(growth <= TARGET_GROWTH)}"
            if growth is not None
            else "n/a (1,000 and 5,000 not both measured)"
        )
    )
    if result.rebuild:
        lines.append(
            f"  one-page rebuild at {result.rebuild.pages} pages < {TARGET_REBUILD} s: {result.rebuild.median_seconds:.3f} s, {_verdict(result.rebuild.median_seconds < TARGET_REBUILD)}"
        )
    else:
        lines.append(f"  one-page rebuild < {TARGET_REBUILD} s: n/a (not measured)")
    page_sizes = [s.largest_page[1] for s in result.sizes if s.largest_page[1]]
    if len(page_sizes) > 1:
        spread = max(page_sizes) / min(page_sizes) - 1
        figures = ", ".join(f"{s.largest_page[1]} at {s.pages}" for s in result.sizes)
        lines.append(
            f"  largest page independent of N (within {PAGE_SIZE_TOLERANCE:.0%}): {figures} bytes; spread {spread:.1%}, {_verdict(spread <= PAGE_SIZE_TOLERANCE)}"
        )
    return "\n".join(lines)


def print_report(result: BenchResult, file=None) -> None:
    print(format_report(result), file=file or sys.stdout)
