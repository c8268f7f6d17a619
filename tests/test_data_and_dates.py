"""Condition files and review dates: bad input fails the build, naming file and line or page.

The faults are in tests/roots/faults (one build for all); the rules are unit-tested case by
case in tests/unit/test_grade.py (ldn_guide.rules.guideline) and
tests/unit/test_review_dates.py.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup


def test_a_condition_file_renders_its_profile_with_citations_and_figure(clean):
    """tests/roots/clean: the project's own docs/data/conditions/pain.yaml (not the guide's)."""
    assert not clean.failed, clean.warnings
    page = BeautifulSoup((clean.outdir / "pain.html").read_text(), "html.parser")
    item = page.select_one(".key-points #pn-1")
    assert "Do not offer LDN for chronic pain" in item.get_text()
    assert item.select_one('a[href="#outcome-pain-pain"]')
    row = page.select_one("table.summary-of-findings tbody tr")
    assert row.select_one('a[href$="#cite-smith2020"]') and "⊕⊕◯◯" in row.get_text()
    assert page.select_one("table.study-table").find(string=re.compile("Double-blind"))
    figure = page.select_one("figure.forest-plot")
    assert figure.select_one("svg[role=img] title").get_text() == (
        "Forest-style plot: Pain at 12 weeks")
    assert "-0.3 (95% CI -1.1 to 0.5)" in figure.select_one("table").get_text().replace("−", "-")


def test_a_faulty_condition_file_fails_naming_file_line_and_id(faults):
    assert faults.failed
    assert re.search(r"data/conditions/faulty\.yaml:43: WARNING: recommendation FX-1: "
                     r'certainty_stated "moderate" disagrees with the certainty computed from '
                     r'its outcomes, "low"', faults.warnings)


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
