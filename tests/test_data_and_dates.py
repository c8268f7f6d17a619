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
    assert figure.select_one(".figure-scroll img")["alt"] == "Forest-style plot: Pain at 12 weeks"
    assert "-0.3 (95% CI -1.1 to 0.5)" in figure.select_one("table").get_text().replace("−", "-")


def test_a_faulty_condition_file_fails_naming_file_line_and_id(faults):
    assert faults.failed
    assert re.search(r"data/conditions/faulty\.yaml:45: WARNING: recommendation FX-1: "
                     r'certainty_stated "moderate" disagrees with the certainty computed from '
                     r'its outcomes, "low"', faults.warnings)


def test_an_absolute_effect_that_disagrees_with_its_relative_effect_fails(faults):
    """faulty-absolute.yaml: 300 per 1,000 with LDN where 130 x RR 2.41 gives 313."""
    assert faults.failed
    assert re.search(r"data/conditions/faulty-absolute\.yaml:37: WARNING: outcome dreams: "
                     r'absolute effect "Vivid dreams": with_ldn risk 300 per 1,000 disagrees '
                     r"with comparator risk 130 x risk ratio 2\.41 = 313\.3 \(within rounding "
                     r"310\.9 to 315\.7\); fix the risk, the ratio or the comparator risk",
                     faults.warnings)


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


def test_a_condition_page_layers_its_decision_sections_and_narratives(clean):
    """tests/roots/clean/docs/pain.md: the jump row links the sections the page has, the
    rationale comes from the data under a link to its Key point, and a narrative is a closed
    <details> whose label names it (the {ref} takes its title) and opens it when followed."""
    assert not clean.failed, clean.warnings
    page = BeautifulSoup((clean.outdir / "pain.html").read_text(), "html.parser")
    row = page.select_one("nav.on-this-page[aria-label='On this page']")
    assert [a["href"] for a in row.select("a")] == ["#rationale-and-impact", "#evidence-summary",
                                                    "#studies"]
    for link in row.select("a"):
        assert page.find(id=link["href"][1:]).name == "section"
    item = page.select_one("ul.recommendation-rationale li")
    assert item.select_one('a[href="#pn-1"]').get_text() == "PN-1"
    assert "The one trial was small and null." in item.get_text()
    details = page.select_one("details.study-narrative")
    assert details.summary.get_text() == "Smith 2020: randomised controlled trial"
    assert "open" not in details.attrs
    assert details.select_one(":scope > div")["id"] == "pain-smith2020"
    assert details.find("a", href="#pain-smith2020").get_text() == (
        "Smith 2020: randomised controlled trial")
    assert not page.select(".toc-tree a[href='#pain-smith2020']"), "narratives stay out of the toc"
