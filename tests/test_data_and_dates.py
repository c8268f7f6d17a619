"""Evidence data files and review dates: bad input stops the build, naming file and row/page.

The faults are in tests/roots/faults (one build for all); the rules are unit-tested case by
case in tests/unit/test_evidence.py and tests/unit/test_review_dates.py.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup


def test_valid_evidence_renders_table_with_citations_and_figure(clean):
    assert not clean.failed, clean.warnings
    page = BeautifulSoup((clean.outdir / "pain.html").read_text(), "html.parser")
    row = page.select("table.evidence-table tbody tr")[0]
    assert row.select_one('a[href$="#cite-smith2020"]')
    assert "Low" in row.get_text()
    figure = page.select_one("figure.evidence-figure")
    assert figure.select_one("svg[role=img] title").get_text()
    assert "Smith 2020: Randomised" in figure.figcaption.get_text()


@pytest.mark.parametrize(("name", "message"), [
    ("bad-column",
     r"row 1: Additional properties are not allowed \('participants' was unexpected\)"),
    ("bad-certainty", r"row 1 column \"certainty\": 'Medium' is not one of"),
    ("unknown-key", r'row 1: citation key "nobody1999" is not in refs\.bib'),
])
def test_broken_evidence_file_fails_naming_file_and_row(faults, name, message):
    assert faults.failed
    assert re.search(rf"data/evidence/{name}\.yaml:4: WARNING: " + message, faults.warnings)


@pytest.mark.parametrize(("page", "message"), [
    ("dates-missing", "last_reviewed is missing"),
    ("dates-bad-last", "last_reviewed '2026-13-01' is not an ISO date"),
    ("dates-bad-next", "next_review '2025-?' is not an ISO date"),
    ("dates-order", "next_review must be after last_reviewed"),
])
def test_missing_or_malformed_review_date_fails_naming_the_page(faults, page, message):
    assert faults.failed
    assert re.search(rf"{page}\.md:1: WARNING: " + re.escape(message), faults.warnings)


def test_review_dates_are_shown_under_the_title(clean):
    page = BeautifulSoup((clean.outdir / "index.html").read_text(), "html.parser")
    assert page.select_one("h1 + p.review-dates").get_text() == (
        "Last reviewed: 2026-01-01. Next review due: 2027-01-01.")
