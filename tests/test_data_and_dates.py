"""Evidence data files and review dates: bad input stops the build, naming file and row/page."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import FRONT_MATTER, GOOD_INDEX, sphinx_build

ROW = """  - study: Smith 2020
    citation: smith2020
    design: Randomised, double-blind, placebo-controlled
    design_class: RCT
    n: 40
    population: Adults
    dose: 4.5 mg once daily
    duration: 12 weeks
    outcome: Pain (0-10)
    result: "No difference (p = 0.4)"
    direction: No difference
    certainty: Low
"""
EVIDENCE = 'condition: Pain\nquestion: "Does LDN reduce pain?"\nstudies:\n' + ROW
PAGE = FRONT_MATTER + "# Pain\n\n```{evidence-table} pain\n```\n\n```{evidence-figure} pain\n```\n"
INDEX = GOOD_INDEX.replace("references\n", "pain\nreferences\n")


def build_with_evidence(project, evidence: str):
    return sphinx_build(project(pages={"index.md": INDEX, "pain.md": PAGE},
                                data={"evidence/pain.yaml": evidence}))


def test_valid_evidence_renders_table_with_citations_and_figure(project):
    result = build_with_evidence(project, EVIDENCE)
    assert not result.failed, result.warnings
    page = BeautifulSoup((result.outdir / "pain.html").read_text(), "html.parser")
    row = page.select("table.evidence-table tbody tr")[0]
    assert row.select_one('a[href$="#cite-smith2020"]')
    assert "Low" in row.get_text()
    figure = page.select_one("figure.evidence-figure")
    assert figure.select_one("svg[role=img] title").get_text()
    assert "Smith 2020: Randomised" in figure.figcaption.get_text()


@pytest.mark.parametrize(("fault", "evidence", "message"), [
    ("bad column", EVIDENCE.replace("    n: 40", "    participants: 40"),
     r"row 1: Additional properties are not allowed \('participants' was unexpected\)"),
    ("unknown certainty", EVIDENCE.replace("certainty: Low", "certainty: Medium"),
     r"row 1 column \"certainty\": 'Medium' is not one of"),
    ("unknown key", EVIDENCE.replace("citation: smith2020", "citation: nobody1999"),
     r'row 1: citation key "nobody1999" is not in refs\.bib'),
])
def test_broken_evidence_file_fails_naming_file_and_row(project, fault, evidence, message):
    result = build_with_evidence(project, evidence)
    assert result.failed, fault
    assert re.search(r"data/evidence/pain\.yaml:4: WARNING: " + message, result.warnings)


@pytest.mark.parametrize(("front_matter", "message"), [
    ("---\nnext_review: 2027-01-01\n---\n", "last_reviewed is missing"),
    ("---\nlast_reviewed: 2026-13-01\nnext_review: 2027-01-01\n---\n",
     "last_reviewed '2026-13-01' is not an ISO date"),
    ("---\nlast_reviewed: 2026-01-01\nnext_review: 2025-?\n---\n",
     "next_review '2025-?' is not an ISO date"),
    ("---\nlast_reviewed: 2026-01-01\nnext_review: 2025-01-01\n---\n",
     "next_review must be after last_reviewed"),
])
def test_missing_or_malformed_review_date_fails_naming_the_page(project, front_matter, message):
    page = front_matter + "\n# Page\n\nText.\n"
    index = GOOD_INDEX.replace("references\n", "chapter\nreferences\n")
    result = sphinx_build(project(pages={"index.md": index, "chapter.md": page}))
    assert result.failed
    assert re.search(r"chapter\.md:1: WARNING: " + re.escape(message), result.warnings)


def test_review_dates_are_shown_under_the_title(project):
    result = sphinx_build(project())
    page = BeautifulSoup((result.outdir / "index.html").read_text(), "html.parser")
    assert page.select_one("h1 + p.review-dates").get_text() == (
        "Last reviewed: 2026-01-01. Next review due: 2027-01-01.")
