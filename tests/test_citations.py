"""Citation, reference-list and link checks: each fault fails the build with a clear message.

The faults are in one small guide, tests/roots/faults (fixture ``faults``, built once); the
rules behind the refs.bib messages are unit-tested case by case in tests/unit/test_bib_fields.py.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import FRONT_MATTER, ROOTS, sphinx_build

FAULT_BIB = (ROOTS / "faults" / "refs.bib").read_text(encoding="utf-8")


def line_of(key: str, occurrence: int = 1) -> int:
    """The line of the OCCURRENCE-th entry KEY in the fault root's refs.bib. The duplicate key
    is its last entry: pybtex drops every entry after a duplicate, so later faults would go
    unreported (the message says so)."""
    starts = [number for number, line in enumerate(FAULT_BIB.splitlines(), start=1)
              if re.match(rf"@\w+\{{{key},", line)]
    return starts[occurrence - 1]


@pytest.mark.parametrize(("key", "occurrence", "message"), [
    ("smith2020", 2, 'duplicate key "smith2020" (first defined at line 1)'),
    ("uncited2021", 1, 'entry "uncited2021" is never cited'),
    ("nodoi2020", 1, 'entry "nodoi2020" (@article) lacks doi or pmid.'),
    ("site", 1, 'entry "site" (@misc) lacks urldate.'),
    ("baddoi2020", 1, 'entry "baddoi2020": doi "https://doi.org/10.1000/trial.2" is malformed'),
    ("jones2021", 1, 'entry "jones2021": pmid "PMID12345678" is malformed'),
    ("retracted2019", 1,
     'entry "retracted2019" mentions a retraction but has no "retraction" field'),
], ids=["duplicate key", "uncited", "no doi or pmid", "web source without urldate",
        "malformed doi", "malformed pmid", "unflagged retraction"])
def test_each_refs_bib_fault_fails_naming_the_line(faults, key, occurrence, message):
    assert faults.failed
    assert re.search(rf"refs\.bib:{line_of(key, occurrence)}: WARNING: {re.escape(message)}",
                     faults.warnings), faults.warnings


def test_flagged_retraction_is_labelled_in_text_and_reference_list(clean):
    assert not clean.failed, clean.warnings
    index = BeautifulSoup((clean.outdir / "index.html").read_text(), "html.parser")
    citation = index.select_one('a[href$="#cite-smith2020"]')
    assert citation.find_next_sibling(class_="citation-flag").get_text() == " [Retracted]"
    references = (clean.outdir / "references.html").read_text()
    assert "Retracted: </strong>Retracted by the journal in 2022" in references


def test_banned_claim_fails_with_file_and_line(faults):
    assert re.search(r'claims\.md:8: WARNING: banned claim "cures"', faults.warnings)


def test_broken_internal_anchor_fails_the_link_check(clean, faults):
    link = '<a href="references.html#no-such-anchor">this</a>'
    for root in ("clean", "faults"):
        assert link in (ROOTS / root / "docs" / "index.md").read_text(encoding="utf-8")
    assert not clean.failed, clean.warnings  # Sphinx cannot see into raw HTML links ...
    # ... the offline link check in `nox -s docs` (the fault root is built with it) does.
    assert re.search(r"index\.md: WARNING: broken link in index\.html to \S+/references\.html"
                     r"#no-such-anchor: Cannot find fragment\. Fix the link", faults.warnings)


def test_editing_refs_bib_refreshes_citations_in_an_incremental_build(project):
    index = FRONT_MATTER + "# Guide\n\n```{toctree}\nchapter\nreferences\n```\n"
    chapter = FRONT_MATTER + "# Chapter\n\nA fact {cite:p}`smith2020`.\n"
    root = project(pages={"index.md": index, "chapter.md": chapter})
    assert not sphinx_build(root).failed
    bib = root / "refs.bib"
    bib.write_text(bib.read_text().replace("A trial", "A renamed trial"))
    result = sphinx_build(root)  # same output and doctree folders: incremental
    assert not result.failed, result.warnings
    chapter_html = BeautifulSoup((result.outdir / "chapter.html").read_text(), "html.parser")
    # A citation links to its entry (there are no tooltips): the entry is what must refresh.
    assert chapter_html.select_one('a[href="references.html#cite-smith2020"]')
    # Formatted entries are kept between builds (adapters/references.py), never stale ones.
    references = (result.outdir / "references.html").read_text()
    assert "A renamed trial" in references and "A trial." not in references
