"""Build-speed benchmark (`invoke bench`): synthetic content, a timing harness and a report.

- :mod:`benchmarks.generator` writes N guide pages over 20+ chapters, plus a few blog posts, in
  the page format of the README's authors' guide.
- :mod:`benchmarks.harness` builds them, each build in a fresh subprocess, with the project's
  build and with plain Pelican, and times a one-page rebuild the way `invoke serve` does it.
- :mod:`benchmarks.report` prints the figures.

Results and the machine they were taken on are in ``benchmarks/README.md``.
"""
