"""Citation, reference-list and prose checks: each fault fails the build with a clear message."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from conftest import FRONT_MATTER, GOOD_BIB, GOOD_INDEX, sphinx_build

SECOND = """@article{jones2021,
  author = {Jones, Ann},
  title = {Another trial},
  journal = {Journal of Trials},
  year = {2021},
  pmid = {12345678},
}
"""
CITES_BOTH = GOOD_INDEX.replace("A fact {cite:p}`smith2020`.",
                                "A fact {cite:p}`smith2020`. Another {cite:p}`jones2021`.")


def test_duplicate_key_fails_before_pybtex_drops_entries(project):
    bib = GOOD_BIB + GOOD_BIB + SECOND
    result = sphinx_build(project(bib=bib, pages={"index.md": CITES_BOTH}))
    assert result.failed
    assert re.search(r'refs\.bib:9: WARNING: duplicate key "smith2020" \(first defined at line 1\)',
                     result.warnings)


def test_uncited_entry_fails(project):
    result = sphinx_build(project(bib=GOOD_BIB + SECOND))
    assert result.failed
    assert re.search(r'refs\.bib:9: WARNING: entry "jones2021" is never cited', result.warnings)


def test_article_without_doi_or_pmid_fails(project):
    bib = GOOD_BIB.replace("  doi = {10.1000/trial.1},\n", "")
    result = sphinx_build(project(bib=bib))
    assert result.failed
    assert re.search(r'refs\.bib:1: WARNING: entry "smith2020" \(@article\) lacks doi or pmid',
                     result.warnings)


def test_web_source_without_access_date_fails(project):
    bib = GOOD_BIB + "@misc{site,\n  title = {A page},\n  url = {https://example.org/},\n}\n"
    page = GOOD_INDEX.replace("{cite:p}`smith2020`", "{cite:p}`smith2020,site`")
    result = sphinx_build(project(bib=bib, pages={"index.md": page}))
    assert result.failed
    assert re.search(r'refs\.bib:9: WARNING: entry "site" \(@misc\) lacks urldate', result.warnings)


def test_malformed_doi_fails(project):
    bib = GOOD_BIB.replace("10.1000/trial.1", "https://doi.org/10.1000/trial.1")
    result = sphinx_build(project(bib=bib))
    assert result.failed
    expected = 'entry "smith2020": doi "https://doi.org/10.1000/trial.1" is malformed'
    assert expected in result.warnings


def test_malformed_pmid_fails(project):
    bib = GOOD_BIB + SECOND.replace("12345678", "PMID12345678")
    result = sphinx_build(project(bib=bib, pages={"index.md": CITES_BOTH}))
    assert result.failed
    assert 'entry "jones2021": pmid "PMID12345678" is malformed' in result.warnings


def test_unflagged_retraction_fails(project):
    note = "  note = {This article was retracted in 2022},\n"
    bib = GOOD_BIB.replace("  verified", note + "  verified")
    result = sphinx_build(project(bib=bib))
    assert result.failed
    assert re.search(r'refs\.bib:1: WARNING: entry "smith2020" mentions a retraction but has no '
                     r'"retraction" field', result.warnings)


def test_flagged_retraction_is_labelled_in_text_and_reference_list(project):
    bib = GOOD_BIB.replace("  verified", "  retraction = {Retracted by the journal in 2022},\n"
                                         "  verified")
    result = sphinx_build(project(bib=bib))
    assert not result.failed, result.warnings
    index = BeautifulSoup((result.outdir / "index.html").read_text(), "html.parser")
    citation = index.select_one('a[href$="#cite-smith2020"]')
    assert citation.find_next_sibling(class_="citation-flag").get_text() == " [Retracted]"
    references = (result.outdir / "references.html").read_text()
    assert "Retracted: </strong>Retracted by the journal in 2022" in references


def test_banned_claim_fails_with_file_and_line(project):
    page = FRONT_MATTER + "# Page\n\nIn one trial LDN cures depression {cite:p}`smith2020`.\n"
    result = sphinx_build(project(pages={"chapter.md": page}))
    assert result.failed
    assert re.search(r'chapter\.md:8: WARNING: banned claim "cures"', result.warnings)


def test_broken_internal_anchor_fails_the_link_check(project):
    link = '<a href="references.html#no-such-anchor">this</a>'
    page = GOOD_INDEX.replace("A fact", f"See {link}. A fact")
    root = project(pages={"index.md": page})
    result = sphinx_build(root)
    assert not result.failed, result.warnings  # Sphinx cannot see into raw HTML links ...
    result = sphinx_build(root, "html", "-D", "internal_links_check=1")
    assert result.failed  # ... the offline link check in `nox -s docs` does.
    assert re.search(r"index\.md: WARNING: broken link in index\.html to \S+/references\.html"
                     r"#no-such-anchor: Cannot find fragment\. Fix the link", result.warnings)


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
    citation = chapter_html.select_one('a[href$="#cite-smith2020"]')
    assert "A renamed trial" in citation["title"]
