"""Build, preview, test and publish the guide.

On a fresh machine run ``python3 tasks.py TASK``: it creates ``.venv``, installs the pinned
dependencies there (again only when ``pyproject.toml`` changes) and runs ``invoke TASK`` inside
it. Once ``.venv`` exists, ``.venv/bin/invoke TASK`` does the same without the check.
"""

from __future__ import annotations

import hashlib
import os
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


def _build(settings="pelicanconf.py", content=None, output=None, strict=False, overrides=None):
    from guide_plugins.build import BuildFailed, build

    try:
        result = build(settings, content=content, output=output, strict=strict, overrides=overrides)
    except BuildFailed as failure:
        raise Exit(failure.report(), code=1) from None
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


@task(help={"port": "Port on 127.0.0.1 (default 8000)"})
def serve(c, port=8000):
    """Build, serve on 127.0.0.1, rebuild on every change and reload the browser."""
    from livereload import Server

    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}

    def rebuild():
        try:
            _build(overrides=cached)
        except Exit as failure:
            print(failure.message, file=sys.stderr)  # keep serving the last good site

    rebuild()
    server = Server()
    for path in ("content", "theme", "guide_plugins", "pelicanconf.py"):
        server.watch(os.path.join(ROOT, path), rebuild, delay=0.2)
    server.serve(host="127.0.0.1", port=int(port), root=OUTPUT, open_url_delay=None)


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


@task(help={"args": "Extra arguments for pytest, e.g. '-k nginx -x'"})
def test(c, args=""):
    """Run the whole test suite."""
    result = c.run(f"{sys.executable} -m pytest {args}", pty=False, warn=True)
    if result.exited:
        raise Exit(code=result.exited)
