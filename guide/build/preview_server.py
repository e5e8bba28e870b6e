"""The server behind `invoke serve`: the last good build, reloaded in the browser after each save.

The site's pages carry a Content-Security-Policy that allows only the site's own script files
(and one inline script, by hash). So the preview adds no inline script: every HTML page it
serves gets one extra tag before ``</head>``, ``<script src="/__preview__/preview.js?build=ID"
defer>``, a same-origin file that ``script-src 'self'`` already allows. The pages on disk stay
exactly what the build wrote. The script opens a WebSocket to ``/__preview__/events`` (same
origin, allowed by ``default-src 'self'``), which tells it after every rebuild either the new
build's id (the page reloads if it shows an older one) or the failed build's report (the page
shows it in a banner and keeps the last good output; the next good build reloads the page,
which clears the banner). Nothing of the preview is written into the output folder.

The port is claimed before the first build, so a busy or bad ``--port`` is one line at once.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import signal
import socket
import sys
import time
from collections.abc import Callable

from tornado import netutil, web, websocket
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PREFIX = "/__preview__"  #: the preview's own paths; no page of the site can be written there
POLL_SECONDS = 0.1  #: between two looks at the watched files, or more for large trees (see poll)
POLL_SHARE = 0.05  #: at most this share of the time goes into looking
#: Editors' swap and backup files: saving one must not rebuild the site.
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".pyc")


class PortProblem(Exception):
    """A ``--port`` that cannot be used; the message is the one line to show."""


def claim_port(text: str | int | None) -> list[socket.socket]:
    """Listen on HOST:port now (before any build) and return the sockets for the server."""
    port = _port_number(text)
    try:
        return netutil.bind_sockets(port, HOST)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortProblem(f"port {port} on {HOST} is in use (another serve?); pick another with --port {_free_port_near(port)}") from None
        if error.errno == errno.EACCES:
            raise PortProblem(f"port {port} on {HOST} needs administrator rights (ports below 1024); pick one from 1024 up, e.g. --port {DEFAULT_PORT}") from None
        raise PortProblem(f"cannot listen on {HOST}:{port}: {error.strerror}; pick another with --port") from None


def _port_number(text: str | int | None) -> int:
    if text is None:
        return DEFAULT_PORT
    text = str(text)
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 65535:
        return int(text)
    raise PortProblem(f"--port {text!r} is not a port number; give a number from 1 to 65535, e.g. --port {DEFAULT_PORT}")


def _free_port_near(port: int) -> int:
    """The first port after ``port`` that is free now (a suggestion, not a promise)."""
    for candidate in [*range(port + 1, min(port + 20, 65535) + 1), 0]:
        try:
            with socket.socket() as probe:
                probe.bind((HOST, candidate))
                return probe.getsockname()[1]
        except OSError:
            continue
    return port + 1


class PreviewServer:
    """Serves ``root`` on the claimed sockets and runs ``rebuild`` when a watched file changes.

    ``rebuild()`` returns None when the build succeeded, else the report to show (its lines).
    """

    def __init__(self, root: str, watched: list[str], rebuild: Callable[[], str | None]) -> None:
        self.root = os.path.abspath(root)
        self.watched = [os.path.abspath(path) for path in watched]
        self.rebuild = rebuild
        self.session = secrets.token_hex(4)  # a restarted serve reloads the pages left open
        self.builds = 0
        self.errors: list[str] = []
        self.listeners: set[BuildEvents] = set()
        self.files = self.snapshot()
        self.changed = False

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Every watched file -> (mtime_ns, size): a new, removed or saved file changes it."""
        files = {}
        for path in (path for top in self.watched for path in _files_below(top)):
            try:
                status = os.stat(path)
            except OSError:  # removed meanwhile: the next snapshot will not list it
                continue
            files[path] = (status.st_mtime_ns, status.st_size)
        return files

    @property
    def build_id(self) -> str:
        return f"{self.session}-{self.builds}"

    def status(self) -> str:
        return json.dumps({"build": self.build_id, "errors": self.errors})

    def record(self, report: str | None) -> None:
        """A build finished: its report (None when it succeeded) goes to every open page."""
        self.builds += 1
        self.errors = report.splitlines() if report else []
        for listener in list(self.listeners):
            listener.send(self.status())

    def poll(self) -> None:
        """Rebuild once the watched files changed and then stayed as they are for one poll,
        so that a save written in several steps is built once, whole. The next poll comes
        later when looking took long (a tree of thousands of files)."""
        looking = time.perf_counter()
        files = self.snapshot()
        wait = max(POLL_SECONDS, (time.perf_counter() - looking) / POLL_SHARE)
        IOLoop.current().call_later(wait, self.poll)
        if files != self.files:
            self.files, self.changed = files, True
        elif self.changed:
            self.changed = False
            try:
                report = self.rebuild()
            except Exception as error:  # keep serving: the next save may fix it
                report = f"The rebuild stopped: {type(error).__name__}: {error}"
                print(report, file=sys.stderr)
            self.record(report)

    def page(self, html: bytes) -> bytes:
        """An HTML page as served in preview: the reload script added before </head>."""
        tag = f'<script src="{PREFIX}/preview.js?build={self.build_id}" defer></script>'.encode()
        at = html.find(b"</head>")
        return html[:at] + tag + html[at:] if at >= 0 else html + tag

    def application(self) -> web.Application:
        return web.Application([
            (f"{PREFIX}/events", BuildEvents, {"preview": self}),
            (f"{PREFIX}/preview.js", PreviewScript),
            (r"/(.*)", PreviewFiles, {"path": self.root, "preview": self}),
        ])

    def run(self, sockets: list[socket.socket]) -> None:
        """Serve until interrupted (KeyboardInterrupt)."""
        HTTPServer(self.application()).add_sockets(sockets)
        IOLoop.current().call_later(POLL_SECONDS, self.poll)
        IOLoop.current().start()


def _files_below(top: str):
    """``top`` itself when it is a file, else the files below it, without hidden ones, caches
    and editors' swap files."""
    if not os.path.isdir(top):
        yield top
        return
    for folder, dirs, names in os.walk(top):
        dirs[:] = [name for name in dirs if not name.startswith(".") and name != "__pycache__"]
        for name in names:
            if not name.startswith((".", "#")) and not name.endswith(IGNORED_SUFFIXES):
                yield os.path.join(folder, name)


def stop_on_sigterm() -> None:
    """SIGTERM stops serve as Ctrl+C does (KeyboardInterrupt), so that its clean-up runs."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


class BuildEvents(websocket.WebSocketHandler):
    """Tells an open page the current build's status at once, then after every rebuild."""

    def initialize(self, preview: PreviewServer) -> None:
        self.preview = preview

    def open(self) -> None:
        self.preview.listeners.add(self)
        self.send(self.preview.status())

    def on_close(self) -> None:
        self.preview.listeners.discard(self)

    def send(self, message: str) -> None:
        try:
            self.write_message(message)
        except websocket.WebSocketClosedError:
            self.preview.listeners.discard(self)


class PreviewScript(web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(PREVIEW_SCRIPT)


class PreviewFiles(web.StaticFileHandler):
    """The output folder as it is, except that HTML pages carry the reload script.

    Nothing is cached: every rebuild may change any file.
    """

    def initialize(self, path: str, preview: PreviewServer) -> None:
        super().initialize(path=path, default_filename="index.html")
        self.preview = preview
        self.html: bytes | None = None

    def compute_etag(self) -> None:
        return None  # the base class would hash get_content(), which is per request here

    def should_return_304(self) -> bool:
        return False

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def served_page(self) -> bytes | None:
        """The HTML page with the script (read once per request), or None for other files."""
        if self.html is None and self.absolute_path.endswith(".html"):
            with open(self.absolute_path, "rb") as file:
                self.html = self.preview.page(file.read())
        return self.html

    def get_content_size(self) -> int:
        page = self.served_page()
        return len(page) if page is not None else super().get_content_size()

    def get_content(self, abspath: str, start: int | None = None, end: int | None = None):
        page = self.served_page()
        return page[start:end] if page is not None else super().get_content(abspath, start, end)

    def write_error(self, status_code: int, **kwargs) -> None:
        """An error page that carries the script too, so that it shows a failed build and reloads
        after a good one: for a missing page, the site's 404 page, or one line before any build."""
        not_found = os.path.join(self.preview.root, "404.html")
        if status_code == 404 and os.path.isfile(not_found):
            with open(not_found, "rb") as file:
                html = file.read()
        else:
            hint = " Nothing is built here yet, or the page moved." if status_code == 404 else ""
            html = f"<!doctype html><title>{status_code}</title><p>{status_code}: {self._reason}.{hint}</p>".encode()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.preview.page(html))


#: The page's side of the preview. It builds the banner with DOM calls and sets its look through
#: the CSSOM, which the CSP (style-src 'self') allows, unlike style attributes or inline styles.
PREVIEW_SCRIPT = """\
"use strict";
(function () {
  var shown = new URL(document.currentScript.src).searchParams.get("build");
  var banner = null;

  function showErrors(lines) {
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "preview-build-failed";
      banner.setAttribute("role", "alert");
      Object.assign(banner.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647",
        maxHeight: "50vh", overflow: "auto", margin: "0", padding: "0.75rem 1rem",
        background: "#fff0f0", color: "#600", borderTop: "3px solid #c00", font: "14px/1.4 monospace"
      });
      document.body.appendChild(banner);
    }
    var title = document.createElement("strong");
    title.textContent = "The last save did not build; this page is the last good build.";
    var report = document.createElement("pre");
    report.textContent = lines.join("\\n");
    Object.assign(report.style, {whiteSpace: "pre-wrap", margin: "0.5rem 0 0", font: "inherit"});
    banner.replaceChildren(title, report);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var events = new WebSocket(scheme + location.host + "%(prefix)s/events");
    events.onmessage = function (message) {
      var status = JSON.parse(message.data);
      if (status.errors.length) {
        showErrors(status.errors);
      } else if (status.build !== shown) {
        location.reload();
      }
    };
    // serve stopped or restarted: try again; a new session's first message reloads the page
    events.onclose = function () { setTimeout(connect, 1000); };
  }

  connect();
})();
""" % {"prefix": PREFIX}
