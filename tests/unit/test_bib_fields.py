"""rules.bib_fields: each fixture entry has one fault, reported with its line and message.

The build reports the same problems as warnings on refs.bib (tests/test_citations.py, one build
of tests/roots/faults); here each rule is checked on its own, without Sphinx.
"""

from __future__ import annotations

from pathlib import Path

import pybtex.database
import pybtex.errors
import pytest
from ldn_guide.rules.bib_fields import check_entries, scan_entries

GOOD = (Path(__file__).resolve().parents[1] / "roots" / "good.bib").read_text(encoding="utf-8")
WEB = """@misc{site,
  title = {A page},
  url = {https://example.org/},
  urldate = {2026-01-01},
  verified = {fixture},
}
"""


def problems(text: str) -> list[tuple[int, str]]:
    """What check_entries finds in TEXT, parsed as sphinxcontrib-bibtex parses it (pybtex
    keeps the first of two entries under one key and reports the second, not raising)."""
    with pybtex.errors.capture():
        parsed = pybtex.database.parse_string(text, "bibtex").entries
    return [(problem.line, problem.message) for problem in
            check_entries(scan_entries(text, parsed))]


# (id, refs.bib text, line, start of the message)
FAULTS = [
    ("duplicate key", GOOD + GOOD, 9,
     'duplicate key "smith2020" (first defined at line 1); pybtex would drop every entry'),
    ("no doi or pmid", GOOD.replace("  doi = {10.1000/trial.1},\n", ""), 1,
     'entry "smith2020" (@article) lacks doi or pmid.'),
    ("no author", GOOD.replace("  author = {Smith, Jane},\n", ""), 1,
     'entry "smith2020" (@article) lacks author.'),
    ("no verified", GOOD.replace("  verified = {fixture},\n", ""), 1,
     'entry "smith2020" (@article) lacks verified.'),
    ("web source without urldate", GOOD + WEB.replace("  urldate = {2026-01-01},\n", ""), 9,
     'entry "site" (@misc) lacks urldate.'),
    ("web source without url", GOOD + WEB.replace("  url = {https://example.org/},\n", ""), 9,
     'entry "site" (@misc) lacks url.'),
    ("malformed doi", GOOD.replace("10.1000/trial.1", "https://doi.org/10.1000/trial.1"), 1,
     'entry "smith2020": doi "https://doi.org/10.1000/trial.1" is malformed; write a DOI'),
    ("malformed pmid", GOOD.replace("doi = {10.1000/trial.1}", "pmid = {PMID12345678}"), 1,
     'entry "smith2020": pmid "PMID12345678" is malformed; write digits only'),
    ("malformed pmcid", GOOD.replace("  verified", "  pmcid = {2891387},\n  verified"), 1,
     'entry "smith2020": pmcid "2891387" is malformed; write PMC followed by digits'),
    ("malformed urldate", GOOD + WEB.replace("2026-01-01", "1 January 2026"), 9,
     'entry "site": urldate "1 January 2026" is malformed; write an ISO date'),
    ("unflagged retraction",
     GOOD.replace("  verified", "  note = {This article was retracted in 2022},\n  verified"), 1,
     'entry "smith2020" mentions a retraction but has no "retraction" field'),
    ("verified points outside the repository",
     GOOD.replace("verified = {fixture}", "verified = {evidence.md Part C item 8}"), 1,
     "entry \"smith2020\": verified names 'evidence.md', which is outside the repository"),
    ("unflagged correction", GOOD.replace("A trial", "Erratum: A trial"), 1,
     'entry "smith2020" mentions a correction but has no "correction" field'),
]


@pytest.mark.parametrize(("text", "line", "message"), [case[1:] for case in FAULTS],
                         ids=[case[0] for case in FAULTS])
def test_each_fault_is_reported_once_with_its_line(text: str, line: int, message: str):
    found = problems(text)
    assert len(found) == 1, found
    assert found[0][0] == line
    assert found[0][1].startswith(message), found[0][1]


VALID = [
    ("article with doi", GOOD),
    ("article with pmid", GOOD.replace("doi = {10.1000/trial.1}", "pmid = {19453963}")),
    ("web source", WEB),
    ("flagged retraction", GOOD.replace(
        "  verified", "  note = {Retracted in 2022},\n  retraction = {Retracted},\n  verified")),
    ("flagged correction", GOOD.replace("A trial", "Erratum: A trial").replace(
        "  verified", "  correction = {Corrected in 2021},\n  verified")),
]


@pytest.mark.parametrize("text", [case[1] for case in VALID], ids=[case[0] for case in VALID])
def test_valid_entries_have_no_problems(text: str):
    assert problems(text) == []


def test_an_entry_after_a_blank_line_is_reported_at_its_own_line():
    """refs.bib separates its entries by blank lines; the line named is the entry's "@" line."""
    text = GOOD + "\n" + WEB.replace("  urldate = {2026-01-01},\n", "")
    assert text.splitlines()[9].startswith("@misc{site,")
    assert [line for line, _ in problems(text)] == [10]
