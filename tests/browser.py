"""Helpers for the browser tests: serve a built site on 127.0.0.1, drive Debian's Chromium.

Never run `playwright install` (it downloads browsers); install Debian's `chromium` instead.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("GUIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WCAG 2.2 A and AA plus axe's best practices; every impact counts.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
AXE = Axe()


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 at a free port; yields the base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def site_pages(html: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to its root (with / separators)."""
    skip = {"_static", "_sources", "_images", "_downloads", "pdf"}
    return sorted(
        path.relative_to(html).as_posix()
        for path in html.rglob("*.html")
        if not skip.intersection(path.relative_to(html).parts[:-1])
    )


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the loaded page (WCAG 2.2 A/AA plus best practice)."""
    return AXE.run(page, options=AXE_OPTIONS).response["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        count = len(v["nodes"])
        lines.append(f"{v['id']} ({v['impact']}, {count} node(s)): {v['help']}: {targets}")
    return "\n".join(lines)
