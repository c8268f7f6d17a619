"""Review dates in a page's front matter: ``last_reviewed`` and ``next_review``.

Used by the build (every page must have both), by ``nox -s review-status`` (which pages are
due) and by the PDF covers. Overdue reviews are never checked in the build: that would make the
build depend on today's date.
"""

from __future__ import annotations

import datetime as dt
import re

from ..conventions import REVIEW_FIELDS


def parse_dates(metadata: dict) -> tuple[dict[str, dt.date], list[str]]:
    """The valid dates, and a message for each missing or malformed one."""
    dates, errors = {}, []
    for field in REVIEW_FIELDS:
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


def raw_front_matter(source: str) -> dict[str, str]:
    """The review fields as written in the page's front matter, without a YAML parser: YAML
    itself rejects a value like 2026-13-01, and the message should show what was written."""
    fields: dict[str, str] = {}
    if source.startswith("---"):
        head = source.split("---", 2)[1]
        for field in REVIEW_FIELDS:
            found = re.search(rf"^{field}:\s*(.+?)\s*$", head, re.MULTILINE)
            if found:
                fields[field] = found.group(1)
    return fields


def overdue(pages: dict[str, str], today: dt.date) -> list[str]:
    """``path: next review DATE`` for each page (path -> source) due on or before ``today``."""
    due = []
    for path, source in sorted(pages.items()):
        dates, errors = parse_dates(raw_front_matter(source))
        if errors or dates["next_review"] <= today:
            shown = dates.get("next_review", "missing or malformed")
            due.append(f"{path}: next review {shown}")
    return due
