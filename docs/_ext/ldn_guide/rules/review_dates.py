"""Review dates in a page's front matter: ``last_reviewed`` and ``next_review``.

Used by the build (every page must have both), by ``nox -s review-status`` (which pages are
due) and by the PDF covers. Overdue reviews are never checked in the build: that would make the
build depend on today's date.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

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


def main(arguments: list[str]) -> int:
    """``python -m ldn_guide.rules.review_dates DOCS TODAY``: the pages under DOCS due on or
    before TODAY (an ISO date; the caller reads the clock, the rule never does)."""
    docs, today = Path(arguments[0]), dt.date.fromisoformat(arguments[1])
    pages = {str(page.relative_to(docs.parent)): page.read_text(encoding="utf-8")
             for page in sorted(docs.rglob("*.md"))}
    due = overdue(pages, today)
    print(f"{len(due)} page(s) due for review on {today}")
    for line in due:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
