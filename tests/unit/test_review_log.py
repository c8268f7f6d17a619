"""The review log answers every finding of the review, each with a status and a response."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ldn_guide.rules import review_log

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "docs" / "data"
# The finding IDs clinical review 1 names (review_log.finding_ids over the review's text, which
# is not part of the repository), kept here so that every clone checks the log against them.
NAMED = ({f"C-W{n}" for n in range(1, 5)} | {f"C-M{n}" for n in (1, 3, 4, 5, 6, 8)}
         | {f"D-W{n}" for n in range(1, 7)}
         | {f"D-M{n}" for n in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19)}
         | {f"O{n}" for n in range(1, 12)})
# The review's list 1.4 (missing safety content) and its section 5 (GRADE logic) number their
# items without IDs; the log names them L1-L14 and G1-G8.
UNNAMED = {f"L{n}" for n in range(1, 15)} | {f"G{n}" for n in range(1, 9)}
# Errors our own verification found, answered in the same log: V-<chapter>-N, Bib-<key>.
OWN = re.compile(r"(V-[A-Z]+-\d+|Bib-[a-z]+\d{4}[a-z]*)")


def load(path: Path = DATA / "review-log.yaml"):
    return review_log.load(path, DATA / "review-log.schema.json")


def test_the_log_is_valid_and_every_entry_has_a_status_and_a_response():
    data, problems = load()
    assert problems == []
    for finding in data["findings"]:
        assert finding["status"] in ("changed", "partly changed", "not changed")
        assert finding["response"].strip()


def test_every_finding_the_review_names_has_an_entry_and_every_entry_a_finding():
    data, _ = load()
    answered = {finding["id"] for finding in data["findings"]}
    assert len(NAMED) == 43
    assert sorted((NAMED | UNNAMED) - answered) == [], "findings the log does not answer"
    unknown = answered - NAMED - UNNAMED
    assert sorted(name for name in unknown if not OWN.fullmatch(name)) == [], (
        "entries answering no finding of the review (a mistyped ID?)")


def test_finding_ids_reads_the_ids_a_review_names():
    text = ("| C-W1 | wrong | ... |\n| D-M19 | misleading |\nO11: omitted. C-M2 cell line "
            "(a cell line, not a finding); C-M3, and O2.")
    assert review_log.finding_ids(text) == {"C-W1", "D-M19", "O11", "C-M3", "O2"}


@pytest.mark.parametrize(("fault", "line", "message"), [
    ("  - id: C-W1\n    said: 'Something was wrong here.'\n    status: changed\n", 4,
     "findings/0: 'response' is a required property"),
    ("  - id: C-W1\n    said: 'Something was wrong here.'\n    status: fixed\n"
     "    response: 'We changed it on the page.'\n", 4,
     "findings/0/status: 'fixed' is not one of"),
    ("  - id: C-W1\n    said: 'Something was wrong here.'\n    status: changed\n"
     "    response: 'We changed it on the page.'\n" * 2, 8, "finding C-W1 is answered twice"),
])
def test_a_faulty_entry_is_named_with_its_line(tmp_path, fault, line, message):
    path = tmp_path / "review-log.yaml"
    path.write_text(f"review: A review\nedition: '2026.2'\nfindings:\n{fault}", encoding="utf-8")
    _, problems = load(path)
    assert problems and problems[0].line == line, problems
    assert problems[0].message.startswith(message), problems
