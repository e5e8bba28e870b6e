"""Build, preview, test and publish the guide.

On a fresh machine run ``python3 tasks.py TASK``: it creates ``.venv``, installs the pinned
dependencies there (again only when ``pyproject.toml`` changes) and runs ``invoke TASK`` inside
it. Once ``.venv`` exists, ``.venv/bin/invoke TASK`` does the same without the check.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(ROOT, ".venv")
VENV_BIN = os.path.join(VENV, "bin")


def bootstrap(argv: list[str]) -> None:
    """Make .venv match pyproject.toml, then hand over to invoke inside it."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    python = os.path.join(VENV_BIN, "python")
    if not os.path.exists(python):
        print("Creating .venv ...", flush=True)
        if subprocess.run([sys.executable, "-m", "venv", VENV]).returncode != 0:
            sys.exit("Could not create .venv. On Debian or Ubuntu: apt-get install python3-venv")
    stamp_path = os.path.join(VENV, ".installed")
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as project:
        wanted = hashlib.sha256(project.read()).hexdigest()
    installed = open(stamp_path).read() if os.path.exists(stamp_path) else ""
    if installed != wanted:
        print("Installing the pinned dependencies into .venv ...", flush=True)
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        if subprocess.run([*pip, "--editable", f"{ROOT}[test,examples]"]).returncode != 0:
            sys.exit("pip could not install the dependencies (see above).")
        with open(stamp_path, "w") as stamp:
            stamp.write(wanted)
    os.chdir(ROOT)
    invoke = os.path.join(VENV_BIN, "invoke")
    os.execv(invoke, [invoke, *(argv or ["--list"])])


if __name__ == "__main__":
    bootstrap(sys.argv[1:])

# Below this line runs inside .venv, where invoke and the project's packages are installed.
from invoke import Exit, task  # noqa: E402

OUTPUT = os.path.join(ROOT, "output")


def _build(settings="pelicanconf.py", content=None, output=None, strict=False, overrides=None, preview=None):
    from guide_plugins.build import BuildFailed, build
    from guide_plugins.output_folder import OutputRefused

    if content and not os.path.isdir(content):
        what = "is a file, not a folder" if os.path.exists(content) else "no such folder"
        raise Exit(f"--content: {content}: {what}; name a folder of pages in the guide's format (nothing was written)", code=2)
    try:
        result = build(settings, content=content, output=output, strict=strict, overrides=overrides, preview=preview)
    except BuildFailed as failure:
        raise Exit(failure.report(), code=1) from None
    except OutputRefused as refusal:
        raise Exit(f"--output: {refusal} (nothing was written)", code=2) from None
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    where = os.path.relpath(result.output_path, ROOT) if result.output_path.startswith(ROOT) else result.output_path
    print(f"Built {result.pages} pages and {result.posts} posts into {where}/ in {result.seconds:.2f} s.")
    return result


@task(help={
    "content": "Folder of pages in the guide's format to render (default: content/)",
    "output": "Folder to write the site into (default: output/)",
    "strict": "Treat warnings as errors (CI does)",
})  # fmt: skip
def build(c, content=None, output=None, strict=False):
    """Build the site. A failed build leaves the previous output as it was."""
    _build(content=content, output=output, strict=strict)
    if not output:
        print("Preview it with: python3 tasks.py serve")


@task(help={
    "port": "Port on 127.0.0.1 (default 8000)",
    "content": "Folder of pages in the guide's format to render (default: content/)",
    "output": "Folder to write the site into (default: output/)",
})  # fmt: skip
def serve(c, port=None, content=None, output=None):
    """Build, serve on 127.0.0.1, rebuild on every change and reload the browser; a failed
    rebuild is shown in the page, over the last good build."""
    import tempfile

    from guide_plugins.build import PREVIEW_OVERRIDES
    from guide_plugins.preview import PreviewState, settle
    from guide_plugins.preview_server import PortProblem, PreviewServer, claim_port, stop_on_sigterm

    try:
        sockets = claim_port(port)  # before the first build: a busy port is said at once
    except PortProblem as problem:
        raise Exit(str(problem), code=2) from None
    stop_on_sigterm()  # stopping serve runs the clean-up below, as Ctrl+C does
    overrides = dict(PREVIEW_OVERRIDES)
    if content or output:  # another tree's content cache stays out of the repository's cache/
        overrides["CACHE_PATH"] = tempfile.mkdtemp(prefix="serve-cache-")
    # Pelican's content cache, and a session that lets each rebuild render only the pages that
    # changed; the first build is a full one (search index included).
    session = PreviewState()

    def rebuild(first=False):
        """None when the build succeeded, else its report (the page shows it too)."""
        try:
            _build(content=content, output=output, overrides=overrides, preview=session)
        except Exit as failure:
            if first and failure.code == 2:  # a refused option (say --output): nothing to serve
                raise
            print(failure.message, file=sys.stderr)  # keep serving the last good site
            return failure.message
        return None

    watched = [content or os.path.join(ROOT, "content")] + [os.path.join(ROOT, path) for path in ("theme", "guide_plugins", "pelicanconf.py")]
    server = PreviewServer(os.path.abspath(output) if output else OUTPUT, watched, rebuild)
    try:
        server.record(rebuild(first=True))
        settle()
        host, port = sockets[0].getsockname()[:2]
        print(f"Serving http://{host}:{port}/ (rebuilt on every save; Ctrl+C stops).", flush=True)
        server.run(sockets)
    except KeyboardInterrupt:
        pass
    finally:
        if "CACHE_PATH" in overrides:
            shutil.rmtree(overrides["CACHE_PATH"], ignore_errors=True)


@task
def clean(c):
    """Remove the built site and Pelican's cache."""
    import shutil

    for folder in (OUTPUT, os.path.join(ROOT, "cache")):
        shutil.rmtree(folder, ignore_errors=True)


@task(help={
    "siteurl": "The site's public URL, e.g. https://example.github.io/websockets-guide (default: $SITEURL)",
    "content": "Folder of pages to render (default: content/)",
    "output": "Folder to write the site into (default: output/)",
})  # fmt: skip
def publish(c, siteurl=None, content=None, output=None):
    """Build for publication with publishconf.py: absolute URLs and feeds, warnings are errors."""
    if siteurl:
        os.environ["SITEURL"] = siteurl
    if not os.environ.get("SITEURL", "").startswith(("https://", "http://")):
        raise Exit("publish needs the site's public URL: SITEURL=https://HOST/BASE python3 tasks.py publish", code=2)
    _build(settings="publishconf.py", content=content, output=output, strict=True)


@task(help={"siteurl": "The site's public URL (default: $SITEURL)"})
def gh_pages(c, siteurl=None):
    """Publish by hand: build with publishconf.py and push output/ to the gh-pages branch."""
    publish(c, siteurl=siteurl)
    c.run(f"{sys.executable} -m ghp_import --no-jekyll --push --force --message 'Publish the site' {OUTPUT}")


@task(help={
    "sizes": "Page counts to build, comma-separated (default: 100,1000,5000)",
    "repeat": "Builds of each kind at each size; the median counts (default: 3)",
})  # fmt: skip
def bench(c, sizes="100,1000,5000", repeat="3"):
    """Time the build at scale against plain Pelican, and a one-page rebuild as serve does it."""
    from benchmarks.run import bench as run_bench, parse_sizes

    # Given as text and checked here: invoke would answer `--repeat abc` with a traceback.
    if not str(repeat).isascii() or not str(repeat).isdigit() or int(repeat) < 1:
        raise Exit(f"--repeat {repeat!r}: give a whole number of runs, e.g. --repeat 3", code=2)
    try:
        parse_sizes(sizes)
    except ValueError as error:
        raise Exit(str(error), code=2) from None
    run_bench(sizes, int(repeat))


def _install_node_tools(c):
    """axe-core, vnu-jar and Lighthouse from package-lock.json, again only when the lock changes.

    --ignore-scripts: vnu-jar's install script would try to download a Java runtime.
    Without npm the browser tests skip and say why (outside CI).
    """
    lock = os.path.join(ROOT, "package-lock.json")
    installed = os.path.join(ROOT, "node_modules", ".package-lock.json")
    if not shutil.which("npm"):
        print("npm not found: the accessibility and HTML checks will be skipped.", file=sys.stderr)
        return
    if not os.path.exists(installed) or os.path.getmtime(installed) < os.path.getmtime(lock):
        c.run("npm ci --ignore-scripts --no-audit --no-fund --loglevel=error", pty=False)


@task(help={"args": "Extra arguments for pytest, e.g. '-k nginx -x'"})
def test(c, args=""):
    """Run the whole test suite (installing the pinned npm checkers first when npm is there)."""
    _install_node_tools(c)
    result = c.run(f"{sys.executable} -m pytest {args}", pty=False, warn=True)
    if result.exited:
        raise Exit(code=result.exited)


@task(help={
    "external": "Also try every outside link (needs the network; never part of CI)",
    "content": "Folder of pages to build and check (default: content/)",
    "output": "Folder to build into (default: output/)",
    "report": "Where to write the report (default: build/linkcheck-report.md)",
})  # fmt: skip
def linkcheck(c, external=False, content=None, output=None, report=None):
    """Build, then check every internal link and #fragment; --external tries the outside links too."""
    from guide_plugins.link_check import report as link_report

    text, broken = link_report(_build(content=content, output=output).output_path, external=external)
    report = os.path.abspath(report or os.path.join(ROOT, "build", "linkcheck-report.md"))
    os.makedirs(os.path.dirname(report), exist_ok=True)
    with open(report, "w", encoding="utf-8") as file:
        file.write(text)
    print(*(line.lstrip("# ") for line in text.splitlines() if line.startswith(("## ", "Outside"))), f"Report: {report}", sep="\n")
    if broken:
        raise Exit(f"{broken} broken link(s): see {report}", code=1)


def _site_tools():
    """tests/browser/site_tools.py: how the browser tests serve a build and drive Chromium."""
    for folder in (os.path.join(ROOT, "tests"), os.path.join(ROOT, "tests", "browser")):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    import site_tools

    return site_tools


@task(help={
    "pages": "Pages to audit, comma-separated (default: index.html and two guide pages)",
    "content": "Folder of pages to build (default: content/)",
})  # fmt: skip
def audit(c, pages=None, content=None):
    """Lighthouse, mobile and desktop, on three pages: prints the four scores (a report, not a gate)."""
    tools = _site_tools()
    site, reports = os.path.join(ROOT, "build", "audit-site"), os.path.join(ROOT, "build", "lighthouse")
    with tools.serve(site) as base:  # the published build, its SITEURL the local server's address
        os.environ["SITEURL"] = base
        _build(settings="publishconf.py", content=content, output=site)
        rows = tools.lighthouse(base, site, pages.split(",") if pages else tools.AUDIT_PAGES, reports)
    print(tools.score_table(rows), f"Reports (HTML and JSON): {reports}/", sep="\n")


@task(help={
    "pages": "Pages to capture, comma-separated (default: index.html and two guide pages)",
    "content": "Folder of pages to build (default: content/)",
    "output": "Folder to build into (default: output/)",
})  # fmt: skip
def screenshots(c, pages=None, content=None, output=None):
    """Full-page screenshots, desktop and mobile, light and dark, into build/screenshots/."""
    tools = _site_tools()
    site = _build(content=content, output=output).output_path
    saved = tools.screenshots(site, pages.split(",") if pages else tools.AUDIT_PAGES, os.path.join(ROOT, "build", "screenshots"))
    print(f"{len(saved)} screenshots in {os.path.join(ROOT, 'build', 'screenshots')}/")
