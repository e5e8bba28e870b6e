"""Build, preview, test and publish the guide.

On a fresh machine run ``python3 tasks.py TASK``: it creates ``.venv``, installs there what the
task needs from the locks in ``requirements/`` (what building needs for most tasks; for ``test``
also the test tools and the examples' libraries; again only when a lock or ``pyproject.toml``
changes) and runs ``invoke TASK`` inside it. Once a task has run this way,
``.venv/bin/invoke TASK`` does the same without the check.
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
LOCKS = "requirements"  # one lock per install profile, PROFILE.txt, written by `invoke lock`
# The tasks that need more than building does; every other task installs the `build` profile.
TASK_PROFILES = {
    "test": "test", "audit": "test", "screenshots": "test", "compare-zensical": "test", "lint": "lint", "icons": "icons",
    "book": "book", "publish": "book", "gh-pages": "book",  # BOOK = True: EbookLib and WeasyPrint
}  # fmt: skip


def bootstrap(argv: list[str]) -> None:
    """Make .venv hold what the tasks in argv need, then hand over to invoke inside it."""
    if sys.version_info < (3, 11):  # noqa: UP036  runs under any python3, to say this one is too old
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    python = os.path.join(VENV_BIN, "python")
    if not os.path.exists(python):
        print("Creating .venv ...", flush=True)
        if subprocess.run([sys.executable, "-m", "venv", VENV]).returncode != 0:
            sys.exit("Could not create .venv. On Debian or Ubuntu: apt-get install python3-venv")
    for profile in _profiles_for(argv):
        if _read(_stamp_path(profile)) != _lock_digest(profile):
            _install(python, profile)
    os.chdir(ROOT)
    invoke = os.path.join(VENV_BIN, "invoke")
    os.execv(invoke, [invoke, *(argv or ["--list"])])


def _profiles_for(argv: list[str]) -> list[str]:
    """`build` first (every task builds or imports the project), then what the named tasks add."""
    wanted = ["build"]
    for profile in (TASK_PROFILES.get(word, "build") for word in argv):
        if profile not in wanted:
            wanted.append(profile)
    return wanted


def _lock_path(profile: str) -> str:
    return os.path.join(ROOT, LOCKS, f"{profile}.txt")


def _stamp_path(profile: str) -> str:
    return os.path.join(VENV, f".installed-{profile}")


def _read(path: str) -> str:
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as file:
        return file.read()


def _lock_digest(profile: str) -> str:
    """The lock and pyproject.toml (which names the project's own packages) as one hash."""
    digest = hashlib.sha256()
    for path in (_lock_path(profile), os.path.join(ROOT, "pyproject.toml")):
        if not os.path.exists(path):
            sys.exit(f"{os.path.relpath(path, ROOT)} is missing: restore it from git (or run .venv/bin/invoke lock)")
        with open(path, "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()


def _pins(profile: str) -> set[str]:
    """The `name==version` lines of a lock (its --hash and comment lines are indented or start with #)."""
    lines = _read(_lock_path(profile)).splitlines()
    return {line.split()[0] for line in lines if "==" in line and not line.startswith((" ", "#"))}


def _install(python: str, profile: str) -> None:
    """The lock's packages, each checked against its hashes, then the project itself.

    --no-build-isolation: the project is built with the lock's setuptools, so pip downloads nothing
    that the lock does not name. A profile whose pins all came with this one (`build` after `test`)
    is marked installed too, so it installs nothing next time.
    """
    lock = os.path.relpath(_lock_path(profile), ROOT)
    print(f"Installing {lock} into .venv ...", flush=True)
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    packages = [*pip, "--require-hashes", "--requirement", _lock_path(profile)]
    project = [*pip, "--no-deps", "--no-build-isolation", "--editable", ROOT]
    for command in (packages, project):
        if subprocess.run(command).returncode != 0:
            sys.exit(f"pip could not install {lock} into .venv (see above).")
    installed = _pins(profile)
    for other in os.listdir(os.path.join(ROOT, LOCKS)):
        covered = other.removesuffix(".txt")
        if other.endswith(".txt") and _pins(covered) <= installed:
            with open(_stamp_path(covered), "w", encoding="utf-8") as stamp:
                stamp.write(_lock_digest(covered))


if __name__ == "__main__":
    bootstrap(sys.argv[1:])

# Below this line runs inside .venv, where invoke and the project's packages are installed.
from invoke import Exit, task  # noqa: E402

OUTPUT = os.path.join(ROOT, "output")


def _build(settings="pelicanconf.py", content=None, output=None, strict=False, overrides=None, preview=None):
    from guide.build.output_folder import OutputRefused
    from guide.build.runner import BuildFailed, build

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


@task(
    help={
        "content": "Folder of pages in the guide's format to render (default: content/)",
        "output": "Folder to write the site into (default: output/)",
        "strict": "Treat warnings as errors (CI does)",
    }
)
def build(c, content=None, output=None, strict=False):
    """Build the site. A failed build leaves the previous output as it was."""
    _build(content=content, output=output, strict=strict)
    if not output:
        print("Preview it with: python3 tasks.py serve")


@task(
    optional=["echo"],
    help={
        "port": "Port on 127.0.0.1 (default 8000)",
        "content": "Folder of pages in the guide's format to render (default: content/)",
        "output": "Folder to write the site into (default: output/)",
        "echo": "Also run the guide's echo server on 127.0.0.1:8765 (--echo=PORT: another port), for the echo playground; installs websockets if missing",
    },
)
def serve(c, port=None, content=None, output=None, echo=None):
    """Build, serve on 127.0.0.1, rebuild on every change and reload the browser; a failed
    rebuild is shown in the page, over the last good build."""
    import tempfile

    from guide.build.preview import PreviewState, settle
    from guide.build.preview_server import PortProblem, PreviewServer, claim_port, stop_on_sigterm
    from guide.build.runner import PREVIEW_OVERRIDES

    try:
        sockets = claim_port(port)  # before the first build: a busy port is said at once
    except PortProblem as problem:
        raise Exit(str(problem), code=2) from None
    stop_on_sigterm()  # stopping serve runs the clean-up below, as Ctrl+C does
    overrides = dict(PREVIEW_OVERRIDES, BOOK=False)  # the book takes a minute (the PDFs); serve rebuilds on every save
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

    watched = [content or os.path.join(ROOT, "content")] + [
        os.path.join(ROOT, path) for path in ("theme", "guide", "pelicanconf.py")
    ]
    server = PreviewServer(os.path.abspath(output) if output else OUTPUT, watched, rebuild)
    echo_server = None
    try:
        if echo:  # before the first build: a busy port or a failed install is said at once
            echo_server = _start_echo(None if echo is True else echo)
        server.record(rebuild(first=True))
        settle()
        host, port = sockets[0].getsockname()[:2]
        print(f"Serving http://{host}:{port}/ (rebuilt on every save; Ctrl+C stops).", flush=True)
        server.run(sockets)
    except KeyboardInterrupt:
        pass
    finally:
        if echo_server:
            echo_server.stop()
        if "CACHE_PATH" in overrides:
            shutil.rmtree(overrides["CACHE_PATH"], ignore_errors=True)


def _start_echo(port):
    """The guide's echo server beside the preview (guide/site_tools/echo_server.py), or one line saying why not."""
    from pathlib import Path

    from guide.site_tools.echo_server import EchoProblem, start

    try:
        echo_server = start(sys.executable, Path(ROOT), port)
    except EchoProblem as problem:
        raise Exit(str(problem), code=problem.code) from None
    print(f"Echo server (the first page's echo_server.py) on {echo_server.url}, for the echo playground; it stops with serve.")
    return echo_server


@task(
    help={
        "content": "Folder of pages in the guide's format to render (default: content/)",
        "output": "Folder to write the site into (default: output/)",
        "strict": "Treat warnings as errors (CI does)",
    }
)
def book(c, content=None, output=None, strict=False):
    """Build the site with the book (BOOK = True): book/websockets-guide.epub and the A4 and US Letter PDFs."""
    _build(content=content, output=output, strict=strict, overrides={"BOOK": True})
    where = os.path.join(output or "output", "book")
    print(f"The book is in {where}/.")


@task
def clean(c):
    """Remove the built site and Pelican's cache."""
    import shutil

    for folder in (OUTPUT, os.path.join(ROOT, "cache")):
        shutil.rmtree(folder, ignore_errors=True)


@task(
    help={
        "title": "The page's title, which gives its slug and URL",
        "chapter": "Chapter number, e.g. 03: a folder content/pages/03-*/ (default: the last chapter)",
        "after": "The slug of the page it comes right after (the chapter's next pages move down one)",
        "content": "Folder of pages in the guide's format (default: content/)",
    }
)
def new(c, title, chapter=None, after=None, content=None):
    """Start a guide page: its file, with a header that builds, as a draft (`serve` shows it, `build` leaves it out)."""
    from guide.site_tools.new_page import Refused, plan_page

    try:
        plan = plan_page(_content_folder(content), title, chapter=chapter, after=after)
    except Refused as refusal:
        raise Exit(f"new: {refusal}", code=2) from None
    _write_new(plan, "page")


@task(help={"title": "The post's title, which gives its slug and URL", "content": "Content folder (default: content/)"})
def new_post(c, title, content=None):
    """Start a blog post dated today: content/blog/YYYY-MM-DD-slug.md, as a draft."""
    import datetime

    from guide.site_tools.new_page import Refused, plan_post

    try:
        plan = plan_post(_content_folder(content), title, datetime.date.today())
    except Refused as refusal:
        raise Exit(f"new-post: {refusal}", code=2) from None
    _write_new(plan, "post")


def _content_folder(content):
    from pathlib import Path

    folder = Path(content or os.path.join(ROOT, "content"))
    if not folder.is_dir():
        raise Exit(f"--content: {content}: no such folder; name a folder of pages in the guide's format", code=2)
    return folder


def _write_new(plan, kind):
    """Write a planned page or post and say what changed, where to read it and how to publish it."""
    from guide.build.preview_server import DEFAULT_PORT, HOST
    from guide.site_tools.new_page import apply_plan

    for note in plan.notes:
        print(f"Note: {note}")
    try:
        apply_plan(plan, report=print)  # one line per file, as it is written
    except OSError as error:
        where = error.filename or plan.path
        message = f"{kind}: cannot write {where}: {error.strerror or error}; the files listed above were changed"
        raise Exit(message, code=1) from None
    print(f"Preview: http://{HOST}:{DEFAULT_PORT}{plan.url} while `python3 tasks.py serve` runs.")
    print(f"It is a draft: serve shows it with a banner, build and publish leave it out. To publish the {kind}: write")
    print("its meta and text" + (", set its date to the day it goes out" if kind == "post" else "") + ", then change")
    print("`status: draft` to `status: published`.")


@task(
    help={
        "siteurl": "The site's public URL, e.g. https://example.github.io/websockets-guide (default: $SITEURL)",
        "content": "Folder of pages to render (default: content/)",
        "output": "Folder to write the site into (default: output/)",
    }
)
def publish(c, siteurl=None, content=None, output=None):
    """Build for publication with publishconf.py: absolute URLs and feeds, warnings are errors."""
    from guide.content.web_address import address_problem

    if siteurl is not None:
        os.environ["SITEURL"] = siteurl
    value = os.environ.get("SITEURL", "")
    if not value:
        raise Exit("publish needs the site's public URL: SITEURL=https://HOST/BASE python3 tasks.py publish", code=2)
    problem = address_problem(value)  # every link starts with it: https:// alone or a space would break them all
    if problem:
        given = "--siteurl" if siteurl is not None else "SITEURL"
        raise Exit(f"{given} {value!r}: {problem}; publish needs the site's public URL, e.g. --siteurl https://HOST/BASE", code=2)
    _build(settings="publishconf.py", content=content, output=output, strict=True)


@task(help={"siteurl": "The site's public URL (default: $SITEURL)"})
def gh_pages(c, siteurl=None):
    """Publish by hand: build with publishconf.py and push output/ to the gh-pages branch."""
    publish(c, siteurl=siteurl)
    c.run(f"{sys.executable} -m ghp_import --no-jekyll --push --force --message 'Publish the site' {OUTPUT}")


@task(
    help={
        "sizes": "Page counts to build, comma-separated (default: 100,1000,5000)",
        "repeat": "Builds of each kind at each size; the median counts (default: 3)",
    }
)
def bench(c, sizes="100,1000,5000", repeat="3"):
    """Time the build at scale against plain Pelican, and a one-page rebuild as serve does it."""
    from benchmarks.run import bench as run_bench
    from benchmarks.run import parse_sizes

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


#: The unit tier: no test that builds a site, drives Chromium or runs the guide's examples (the
#: markers are registered in pyproject.toml and applied in tests/conftest.py).
QUICK_TIER = "not build and not browser and not examples"


@task(
    help={
        "args": "Extra arguments for pytest, e.g. '-k nginx -x'",
        "quick": "Only the unit tests: no site build, browser or example (seconds, not minutes)",
    }
)
def test(c, args="", quick=False):
    """Lint (the `lint` task), then run the whole test suite (installing the pinned npm checkers
    first when npm is there). CI runs this, so a lint finding fails CI before any test runs.

    With --quick, only the unit tests (QUICK_TIER), and no lint: seconds instead of minutes.
    """
    if quick:
        args = f'-m "{QUICK_TIER}" {args}'  # the browser tests, which need the npm checkers, are left out
    else:
        lint(c)  # raises Exit, naming the failed tools, before any test runs
        _install_node_tools(c)
    result = c.run(f"{sys.executable} -m pytest {args}", pty=False, warn=True)
    if result.exited:
        raise Exit(code=result.exited)


@task(
    help={
        "external": "Also try every outside link (needs the network; never part of CI)",
        "content": "Folder of pages to build and check (default: content/)",
        "output": "Folder to build into (default: output/)",
        "report": "Where to write the report (default: build/linkcheck-report.md)",
    }
)
def linkcheck(c, external=False, content=None, output=None, report=None):
    """Build, then check every internal link and #fragment; --external tries the outside links too."""
    from guide.build.link_check import report as link_report

    text, broken = link_report(_build(content=content, output=output).output_path, external=external)
    report = os.path.abspath(report or os.path.join(ROOT, "build", "linkcheck-report.md"))
    os.makedirs(os.path.dirname(report), exist_ok=True)
    with open(report, "w", encoding="utf-8") as file:
        file.write(text)
    print(
        *(line.lstrip("# ") for line in text.splitlines() if line.startswith(("## ", "Outside"))), f"Report: {report}", sep="\n"
    )
    if broken:
        raise Exit(f"{broken} broken link(s): see {report}", code=1)


@task(
    help={
        "pages": "Pages to audit, comma-separated (default: home, two guide pages, search, a post)",
        "content": "Folder of pages to build (default: content/)",
        "runs": "Lighthouse runs per page and form; the table gives their medians (default: 3)",
    }
)
def audit(c, pages=None, content=None, runs="3"):
    """Lighthouse, mobile and desktop, on a few pages: prints the medians of the four scores and FCP/LCP (a report, not a gate)."""
    # Given as text and checked before building: invoke would answer `--runs abc` with a traceback.
    if not str(runs).isascii() or not str(runs).isdigit() or int(runs) < 1:
        raise Exit(f"--runs {runs!r}: give a whole number of runs, 1 or more, e.g. --runs 3", code=2)
    runs = int(runs)
    from guide.site_tools.audit import AUDIT_PAGES, lighthouse, median_rows, score_table
    from guide.site_tools.serve import serve as serve_folder  # not the `serve` task above

    site, reports = os.path.join(ROOT, "build", "audit-site"), os.path.join(ROOT, "build", "lighthouse")
    with serve_folder(site, like_github_pages=True) as base:  # the published build, served as GitHub Pages serves it
        os.environ["SITEURL"] = base
        _build(settings="publishconf.py", content=content, output=site)
        rows = [row for _ in range(runs) for row in lighthouse(base, site, pages.split(",") if pages else AUDIT_PAGES, reports)]
    print(
        f"Median of {runs} run(s):",
        score_table(median_rows(rows)),
        f"Reports of the last run (HTML and JSON): {reports}/",
        sep="\n",
    )


@task(
    help={
        "pages": "Pages to capture, comma-separated (default: index.html and two guide pages)",
        "content": "Folder of pages to build (default: content/)",
        "output": "Folder to build into (default: output/)",
    }
)
def screenshots(c, pages=None, content=None, output=None):
    """Full-page screenshots, desktop and mobile, light and dark, into build/screenshots/."""
    from guide.site_tools.audit import AUDIT_PAGES
    from guide.site_tools.screenshots import screenshots as take_screenshots

    site = _build(content=content, output=output).output_path
    saved = take_screenshots(site, pages.split(",") if pages else AUDIT_PAGES, os.path.join(ROOT, "build", "screenshots"))
    print(f"{len(saved)} screenshots in {os.path.join(ROOT, 'build', 'screenshots')}/")


@task
def compare_zensical(c):
    """Build tests/fixtures/authoring/every-feature.md with the guide and with Zensical (in its own
    venv, build/zensical-venv), side by side in build/zensical-compare/: HTML, screenshots, a summary."""
    from guide.site_tools.zensical_compare import CompareFailed, compare

    try:
        compare()
    except CompareFailed as failure:
        raise Exit(f"compare-zensical: {failure}", code=1) from None


# Lint. Each check: the tool, how to install it, and the commands to run with it (paths from ROOT).
WORKFLOW = ".github/workflows/pages.yml"
STEP_SCRIPTS = "build/lint"  # the workflow's run: steps as files, so shellcheck's findings point somewhere
PIP_LINT = ".venv/bin/python -m pip install -e '.[lint]'"


def _workflow_run_steps(workflow_path):
    """Each `run:` step of a GitHub Actions workflow as (name, script with a shebang), for shellcheck.

    `${{ ... }}` expressions become a plain word: GitHub pastes them in as text before the shell
    starts, and whether that is safe is zizmor's to judge (template-injection). Steps run by a shell
    other than bash or sh (python, pwsh) are left out.
    """
    import re

    import yaml

    with open(workflow_path, encoding="utf-8") as file:
        workflow = yaml.safe_load(file)
    workflow_shell = workflow.get("defaults", {}).get("run", {}).get("shell", "bash")
    steps = []
    for job_name, job in workflow.get("jobs", {}).items():
        job_shell = job.get("defaults", {}).get("run", {}).get("shell", workflow_shell)
        for number, step in enumerate(job.get("steps", []), 1):
            shell = os.path.basename(str(step.get("shell", job_shell)).split()[0])
            if "run" in step and shell in ("bash", "sh"):
                script = re.sub(r"\$\{\{.*?\}\}", "GITHUB_EXPRESSION", str(step["run"]))
                steps.append((f"{job_name}-step{number}", f"#!/usr/bin/env {shell}\n{script}\n"))
    return steps


def _shellcheck_commands(shellcheck):
    """shellcheck on .ci/run and on each run: step, written afresh to build/lint/pages.yml-JOB-stepN.sh."""
    shutil.rmtree(os.path.join(ROOT, STEP_SCRIPTS), ignore_errors=True)
    os.makedirs(os.path.join(ROOT, STEP_SCRIPTS))
    scripts = [".ci/run"]
    for name, script in _workflow_run_steps(os.path.join(ROOT, WORKFLOW)):
        scripts.append(f"{STEP_SCRIPTS}/{os.path.basename(WORKFLOW)}-{name}.sh")
        with open(os.path.join(ROOT, scripts[-1]), "w", encoding="utf-8") as file:
            file.write(script)
    return [[shellcheck, *scripts]]


LINT_CHECKS = [
    # The Python code: ruff's rules and its format (both configured in pyproject.toml).
    ("ruff", PIP_LINT, lambda ruff: [[ruff, "check", "--quiet", "."], [ruff, "format", "--check", "--quiet", "."]]),
    ("zizmor", PIP_LINT, lambda zizmor: [[zizmor, "--offline", WORKFLOW]]),
    ("check-jsonschema", PIP_LINT, lambda check: [[check, "--builtin-schema", "vendor.github-workflows", WORKFLOW]]),
    ("shellcheck", "apt-get install shellcheck", _shellcheck_commands),
]


def _lint_tool(tool):
    """Where the tool is: .venv's bin first (`.venv/bin/python -m invoke` leaves it off PATH), then PATH."""
    search = [os.path.dirname(sys.executable), os.environ.get("PATH", "")]
    return shutil.which(tool, path=os.pathsep.join(search))


def _run_lint_check(tool, install, commands):
    """Run one check and print one line; the tool's own output shows only with findings.

    Returns "ok", "findings" or "missing".
    """
    path, missing = _lint_tool(tool), f"not installed ({install})"
    try:
        commands = commands(path) if path else None
    except ModuleNotFoundError as error:  # pyyaml, which reads the workflow's run: steps
        path, missing = None, f"needs the Python module {error.name} ({PIP_LINT})"
    if not path:
        print(f"{tool}: {missing}: " + ("fails in CI" if os.environ.get("CI") == "true" else "skipped"))
        return "missing"
    runs = [subprocess.run(command, cwd=ROOT, capture_output=True, text=True) for command in commands]
    failed = [run for run in runs if run.returncode]
    for run in failed:
        print(run.stdout + run.stderr, end="")
    print(f"{tool}: findings (above)" if failed else f"{tool}: ok")
    return "findings" if failed else "ok"


@task
def lint(c):
    """Check the Python code (ruff), the workflow (zizmor, GitHub's schema, shellcheck on its run: steps) and .ci/run."""
    results = {tool: _run_lint_check(tool, install, commands) for tool, install, commands in LINT_CHECKS}
    in_ci = os.environ.get("CI") == "true"
    failed = [tool for tool, result in results.items() if result == "findings" or (result == "missing" and in_ci)]
    if failed:
        raise Exit(f"lint: {', '.join(failed)} failed", code=1)


@task
def icons(c):
    """Write theme/icons/fontawesome-free.json (and its licence) from the pinned fontawesomefree package."""
    from guide.site_tools import fontawesome

    try:
        folder, version = fontawesome.installed_package_folder()
        pinned = fontawesome.pinned_version(os.path.join(ROOT, "pyproject.toml"))
        if version != pinned:
            raise fontawesome.IconDataError(
                f"{fontawesome.PACKAGE} {version} is installed but pyproject.toml pins {pinned or 'none'}; "
                "run `python3 tasks.py icons`, which installs requirements/icons.txt"
            )
        written = fontawesome.write_icon_data(folder, version, os.path.join(ROOT, "theme", "icons"))
    except fontawesome.IconDataError as error:
        raise Exit(f"icons: {error}", code=1) from None
    print(
        f"Wrote {written.icons} icons, {written.aliases} aliases and {written.shims} Font Awesome 4 names "
        f"({written.size:,} bytes) to {os.path.relpath(written.data_path, ROOT)}, and {os.path.relpath(written.licence_path, ROOT)}."
    )


# The locks in requirements/: the extras each install profile adds to the build's dependencies.
# `test` is compiled first and constrains the others, so that every profile pins a package they
# share at the same version (and `build` after `test` installs nothing).
LOCK_EXTRAS = {
    "test": ("test", "examples", "audit", "lint", "book"),
    "build": (),
    "lint": ("lint",),
    "icons": ("icons",),
    "book": ("book",),
}
PIP_TOOLS = "pip-tools==7.6.2"  # what writes the locks: pinned here, as no lock can hold it
#: The Python that writes the locks: Debian 12's, the oldest the quick start promises. A lock
#: written by a later 3.11 drops what only older patch releases need (redis's async-timeout is
#: for Python < 3.11.3) and may pin releases that do not install on 3.11.2 (pymdown-extensions 13).
LOCK_PYTHON = (3, 11, 2)
PIP_COMPILE = [
    "--quiet", "--generate-hashes", "--strip-extras",
    "--allow-unsafe", "--all-build-deps",  # setuptools too: the bootstrap builds the project offline
    "--no-emit-index-url", "--no-emit-find-links",  # a lock names no machine's own mirrors
]  # fmt: skip


@task(help={"upgrade": "Move every package to the newest release pyproject.toml allows (default: keep the locked ones)"})
def lock(c, upgrade=False):
    """Refresh requirements/*.txt from pyproject.toml: every package, with its hashes, for this Python on Linux."""
    _check_lock_python(sys.version_info[:3])
    _install_pip_tools(c)
    before = {profile: _read(_lock_path(profile)) for profile in LOCK_EXTRAS}
    try:
        for profile, extras in LOCK_EXTRAS.items():
            _compile_lock(profile, extras, upgrade)
    except BaseException:  # a failure or Ctrl+C: locks that disagree would install a mix
        _restore_locks(before)
        raise
    changed = [f"{LOCKS}/{profile}.txt" for profile in LOCK_EXTRAS if _read(_lock_path(profile)) != before[profile]]
    print(f"Refreshed: {', '.join(changed)}." if changed else "The locks were up to date.")


def _check_lock_python(version: tuple[int, int, int]) -> None:
    if tuple(version) != LOCK_PYTHON:
        wanted, this = ".".join(map(str, LOCK_PYTHON)), ".".join(map(str, version))
        raise Exit(
            f"The locks are written with Python {wanted} (Debian 12's /usr/bin/python3), not {this}: a newer one drops "
            f"packages that {wanted} needs. Run: /usr/bin/python3 -m venv /tmp/lock-venv && "
            "/tmp/lock-venv/bin/pip install -r requirements/test.txt && /tmp/lock-venv/bin/invoke lock",
            code=2,
        )


def _compile_lock(profile, extras, upgrade):
    """pip-compile one lock; every lock but `test` within the test lock's versions."""
    command = [sys.executable, "-m", "piptools", "compile", *PIP_COMPILE, "--upgrade" if upgrade else "--no-upgrade"]
    command += [f"--extra={extra}" for extra in extras]
    if profile != "test":
        command.append(f"--constraint={LOCKS}/test.txt")
    command += [f"--output-file={LOCKS}/{profile}.txt", "pyproject.toml"]
    env = {**os.environ, "CUSTOM_COMPILE_COMMAND": "python3 tasks.py lock"}  # the header says how to refresh
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        # pip's ERROR lines say why (a conflict names both pins); its traceback and the build
        # backend's warnings would bury them. Without such a line, all of it.
        errors = [line.strip() for line in run.stderr.splitlines() if "ERROR:" in line]
        print(*(errors or [run.stdout + run.stderr]), sep="\n", file=sys.stderr)
        raise Exit(f"pip-compile could not lock {LOCKS}/{profile}.txt (see above); the locks are as they were", code=1)


def _install_pip_tools(c):
    """pip-tools into .venv, on the first `lock` only: building and testing do not need it."""
    from importlib.metadata import PackageNotFoundError, version

    name, wanted = PIP_TOOLS.split("==")
    try:
        installed = version(name)
    except PackageNotFoundError:
        installed = None
    if installed != wanted:
        print(f"Installing {PIP_TOOLS} into .venv ...", flush=True)
        if c.run(f"{sys.executable} -m pip install --quiet --disable-pip-version-check {PIP_TOOLS}", warn=True).failed:
            raise Exit(f"pip could not install {PIP_TOOLS} (see above); the locks are as they were", code=1)


def _restore_locks(before):
    """Put back the locks a failed refresh may have written: they must agree with each other."""
    for profile, text in before.items():
        if text:
            with open(_lock_path(profile), "w", encoding="utf-8") as file:
                file.write(text)
        elif os.path.exists(_lock_path(profile)):
            os.remove(_lock_path(profile))
