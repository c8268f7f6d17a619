"""rules.review_dates: every page needs valid last_reviewed and next_review dates.

The build reports a fault on line 1 of the page (tests/test_data_and_dates.py); nox -s
review-status lists the pages that are due.
"""

from __future__ import annotations

import datetime as dt

import pytest
from ldn_guide.rules.review_dates import overdue, parse_dates, raw_front_matter


@pytest.mark.parametrize(("metadata", "message"), [
    ({"next_review": "2027-01-01"},
     "last_reviewed is missing; add `last_reviewed: YYYY-MM-DD` to the front matter"),
    ({"last_reviewed": "2026-01-01"},
     "next_review is missing; add `next_review: YYYY-MM-DD` to the front matter"),
    ({"last_reviewed": "2026-13-01", "next_review": "2027-01-01"},
     "last_reviewed '2026-13-01' is not an ISO date; write it as YYYY-MM-DD"),
    ({"last_reviewed": "2026-01-01", "next_review": "2025-?"},
     "next_review '2025-?' is not an ISO date; write it as YYYY-MM-DD"),
    ({"last_reviewed": "2026-01-01", "next_review": "2025-01-01"},
     "next_review must be after last_reviewed"),
    ({"last_reviewed": "2026-01-01", "next_review": "2026-01-01"},
     "next_review must be after last_reviewed"),
], ids=["no last_reviewed", "no next_review", "bad last_reviewed", "bad next_review",
        "next before last", "same day"])
def test_each_fault_has_its_message(metadata, message):
    assert parse_dates(metadata)[1] == [message]


def test_valid_dates_parse_from_strings_and_dates():
    expected = {"last_reviewed": dt.date(2026, 1, 1), "next_review": dt.date(2027, 1, 1)}
    assert parse_dates({"last_reviewed": "2026-01-01", "next_review": "2027-01-01"}) == (
        expected, [])
    assert parse_dates(dict(expected)) == (expected, [])  # as YAML gives them


def test_raw_front_matter_keeps_what_yaml_rejects():
    page = "---\nlast_reviewed: 2026-13-01\nnext_review: 2027-01-01\n---\n\n# Page\n"
    assert raw_front_matter(page) == {"last_reviewed": "2026-13-01", "next_review": "2027-01-01"}
    assert raw_front_matter("# No front matter\n") == {}


def test_overdue_lists_due_and_broken_pages():
    pages = {
        "due.md": "---\nlast_reviewed: 2025-01-01\nnext_review: 2026-01-01\n---\n",
        "later.md": "---\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\n---\n",
        "broken.md": "# No dates\n",
    }
    assert overdue(pages, dt.date(2026, 6, 1)) == [
        "broken.md: next review missing or malformed", "due.md: next review 2026-01-01"]


def test_the_command_lists_due_pages_under_a_folder(tmp_path, capsys):
    """`nox -s review-status` runs `python -m ldn_guide.rules.review_dates DOCS TODAY`."""
    from ldn_guide.rules.review_dates import main

    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "due.md").write_text("---\nlast_reviewed: 2025-01-01\nnext_review: "
                                         "2026-01-01\n---\n# Due\n", encoding="utf-8")
    (docs / "fresh.md").write_text("---\nlast_reviewed: 2026-01-01\nnext_review: "
                                   "2027-01-01\n---\n# Fresh\n", encoding="utf-8")
    assert main([str(docs), "2026-06-01"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "1 page(s) due for review on 2026-06-01", "docs/sub/due.md: next review 2026-01-01"]
