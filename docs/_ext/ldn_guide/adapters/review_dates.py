"""Review dates in the build: validate each page's front matter and show it under the title."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from ..conventions import REVIEW_FIELDS
from ..report import Subtype, warn
from ..rules.review_dates import parse_dates, raw_front_matter


def front_matter(app: Sphinx, docname: str) -> dict:
    """MyST's parsed metadata, or the raw lines where YAML rejected a value (2026-13-01)."""
    metadata = dict(app.env.metadata.get(docname, {}))
    if all(field in metadata for field in REVIEW_FIELDS):
        return metadata
    raw = raw_front_matter(Path(app.env.doc2path(docname)).read_text(encoding="utf-8"))
    return {**raw, **metadata}


def show_review_dates(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    dates, errors = parse_dates(front_matter(app, docname))
    for error in errors:
        warn(error, Subtype.REVIEW_DATES, location=(docname, 1))
    title = next(iter(doctree.findall(nodes.title)), None)
    if errors or title is None:
        return
    line = nodes.paragraph(classes=["review-dates"])
    line += nodes.Text(f"Last reviewed: {dates['last_reviewed'].isoformat()}. ")
    line += nodes.Text(f"Next review due: {dates['next_review'].isoformat()}.")
    title.parent.insert(title.parent.index(title) + 1, line)
