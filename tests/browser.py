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
DESKTOP = {"width": 1400, "height": 900}  # both of furo's sidebars on screen
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


def new_page(chromium, base: str, outside: list[str] | None = None, **options):
    """A page in a fresh context; every request that leaves `base` is blocked and recorded."""
    context = chromium.new_context(**options)

    def route(route):
        if route.request.url.startswith(base) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            if outside is not None:
                outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return context.new_page()


# -- Keyboard: Tab through a page (test_browser.py, keyboard_walk.py) -----------------------

FOCUSABLE = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
                 + ' [tabindex]:not([tabindex="-1"])';
  return [...document.querySelectorAll(selector)]
    .filter(el => !el.disabled && el.checkVisibility({visibilityProperty: true}))
    .map((el, i) => { el.dataset.kb = i; return el.outerHTML.slice(0, 100); });
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // A visually hidden checkbox shows its focus on the label that draws it.
  const shown = el.type === 'checkbox' && el.id
    ? [...document.querySelectorAll(`label[for="${el.id}"]`)]
        .find(l => l.getBoundingClientRect().width > 0) || el
    : el;
  const style = getComputedStyle(shown);
  const box = shown.getBoundingClientRect();
  return {
    kb: el.dataset.kb ?? null,
    html: el.outerHTML.slice(0, 100),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
          || style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
              && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def tab_through(page) -> tuple[list[str], list[dict]]:
    """Tab from the top of the page until focus leaves it; returns expected and reached."""
    expected = page.evaluate(FOCUSABLE)
    reached: list[dict] = []
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (reached and focused["kb"] == reached[0]["kb"]):
            break
        for _ in range(5):  # in case the page still scrolls or slides
            if focused["onScreen"]:
                break
            page.wait_for_timeout(200)
            focused = page.evaluate(FOCUSED)
        reached.append(focused)
    return expected, reached


def check_keyboard(page, url: str) -> list[str]:
    page.goto(url)
    expected, reached = tab_through(page)
    problems = []
    if not reached or "skip-to-content" not in reached[0]["html"]:
        problems.append(f"the first Tab stop is not the skip link: {reached[:1]}")
    missed = set(range(len(expected))) - {int(r["kb"]) for r in reached if r["kb"] is not None}
    problems += [f"not reachable with Tab: {expected[i]}" for i in sorted(missed)]
    problems += [f"no visible focus: {r['html']}" for r in reached if not r["ring"]]
    problems += [f"focused off screen: {r['html']}" for r in reached if not r["onScreen"]]
    return [f"{url}: {problem}" for problem in problems]
