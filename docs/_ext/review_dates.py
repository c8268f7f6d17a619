"""Validate each page's review dates and show them under the page title.

Every page starts with front matter::

    ---
    last_reviewed: 2026-11-24
    next_review: 2027-11-24
    ---

A missing or non-ISO date, or a next review that is not after the last one, is a warning
naming the page, so ``-W`` stops the build. Overdue reviews are *not* checked here (that would
make the build depend on today's date); ``nox -s review-status`` reports them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

FIELDS = ("last_reviewed", "next_review")


def parse_dates(metadata: dict) -> tuple[dict[str, dt.date], list[str]]:
    """The valid dates, and a message for each missing or malformed one."""
    dates, errors = {}, []
    for field in FIELDS:
        value = metadata.get(field)
        if value is None:
            errors.append(f"{field} is missing; add `{field}: YYYY-MM-DD` to the front matter")
            continue
        try:
            dates[field] = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            errors.append(f"{field} '{value}' is not an ISO date; write it as YYYY-MM-DD")
    if len(dates) == 2 and dates["next_review"] <= dates["last_reviewed"]:
        errors.append("next_review must be after last_reviewed")
    return dates, errors


def front_matter(app: Sphinx, docname: str) -> dict:
    """The page's review fields: MyST's parsed metadata, or the raw lines when YAML itself
    rejected a value (e.g. 2026-13-01), so the message can show what was written."""
    metadata = dict(app.env.metadata.get(docname, {}))
    if all(field in metadata for field in FIELDS):
        return metadata
    source = Path(app.env.doc2path(docname)).read_text(encoding="utf-8")
    if source.startswith("---"):
        head = source.split("---", 2)[1]
        for field in FIELDS:
            found = re.search(rf"^{field}:\s*(.+?)\s*$", head, re.MULTILINE)
            if found and field not in metadata:
                metadata[field] = found.group(1)
    return metadata


def show_review_dates(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    dates, errors = parse_dates(front_matter(app, docname))
    for error in errors:
        logger.warning(error, location=(docname, 1), type="review_dates", subtype="front_matter")
    title = next(iter(doctree.findall(nodes.title)), None)
    if errors or title is None:
        return
    line = nodes.paragraph(classes=["review-dates"])
    line += nodes.Text(f"Last reviewed: {dates['last_reviewed'].isoformat()}. ")
    line += nodes.Text(f"Next review due: {dates['next_review'].isoformat()}.")
    title.parent.insert(title.parent.index(title) + 1, line)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", show_review_dates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
