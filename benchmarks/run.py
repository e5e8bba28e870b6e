"""``invoke bench`` and ``python -m benchmarks [--sizes 100,1000] [--repeat 3]``."""

from __future__ import annotations

import argparse
import sys

from benchmarks.harness import DEFAULT_REPEAT, DEFAULT_SIZES, REBUILD_SIZE, run_bench
from benchmarks.report import print_report


def parse_sizes(text: str) -> list[int]:
    """``"100,1000"`` -> ``[100, 1000]``; thousands separators are allowed (``5_000``, ``5,000`` is two sizes)."""
    parts = [part.strip().replace("_", "") for part in str(text).split(",") if part.strip()]
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise ValueError(f"--sizes needs page counts, e.g. 100,1000,5000; got {text!r}")
    sizes = [int(part) for part in parts]
    if not sizes or any(size < 1 for size in sizes):
        raise ValueError(f"--sizes needs page counts of at least 1, e.g. 100,1000,5000; got {text!r}")
    return sizes


def bench(sizes: str | None = None, repeat: int = DEFAULT_REPEAT, rebuild_size: int = REBUILD_SIZE) -> None:
    chosen = parse_sizes(sizes) if sizes else list(DEFAULT_SIZES)
    print(
        f"Benchmark: sizes {', '.join(map(str, chosen))}, {repeat} run(s) each, one-page rebuild at {rebuild_size or 'none'}",
        flush=True,
    )
    result = run_bench(chosen, int(repeat), int(rebuild_size), progress=lambda line: print(line, flush=True))
    print()
    print_report(result)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    parser.add_argument("--rebuild-size", type=int, default=REBUILD_SIZE, help="pages for the one-page rebuild (0: skip)")
    args = parser.parse_args(argv)
    bench(args.sizes, args.repeat, args.rebuild_size)


if __name__ == "__main__":
    main(sys.argv[1:])
