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


# Clinical review 2 (four parts): the IDs its sections 2 to 6 name, kept here for every clone.
NAMED_2 = set(re.findall(r"\S+", """
C-M1 C-M6 P-M1 P-M2 P-M3 P-U1 P-U2 P-U3 P-U4 P-U5 P-U6 P-U7 P-U8 P-U9 P-W1 S-M1 S-M2 S-M3 S-M5
S-M6 S-U1 S-U2 S-W1 S-W2
A-M1 A-M2 A-M3 A-M4 A-M5 A-M6 A-M7 A-M8 A-M9 A-W1 A-W2 A-W3 A-W4 A-W5 A-W6 C-M8 D-M1 D-M2 D-M3
M-M1 M-M2 O-M1 O-M2
F-G1 F-G2 F-G3 F-G4 F-G5 F-G6 F-G7 F-G8 F-G9 F-G10 F-M2 F-M3 F-M4 F-M5 F-M6 F-M8 F-U1 F-U2 F-U3
F-U4 F-U5 F-U6 F-U7 F-U8 F-U9 F-U10 F-W1
H-M1 H-M2 H-M3 H-M4 H-O1 H-O2 H-O3 H-O4 H-O5 H-O6 H-O7 H-O8 H-O9 H-W1 Q-M2 Q-M3 Q-M4 Q-M5 Q-O1
Q-O2 Q-O3 Y-B1 Y-B2 Y-M1 Y-M2 Y-M3 Y-M4 Y-M5 Y-M6 Y-O1 Y-O2 Y-O3 Y-O4 Y-O5 Y-O6 Y-O7 Y-O8 Y-O9
Y-O10 Y-O11 Y-O12 Y-O13 Y-W1
"""))
# Its unnumbered items of sections 4 to 6 (and 8 of part 2), named in order of appearance
# (P-G1, Y-E3, F-C2, H-L1 ...), and the errors our own verification found (V-FM-4).
OWN_2 = re.compile(r"[A-Z]-[GECL]\d+|V-[A-Z]+-\d+|Q-M1")


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


def test_review_2_every_finding_it_names_has_an_entry_and_every_entry_a_finding():
    answered: set[str] = set()
    for part in range(1, 5):
        data, problems = load(DATA / "review-log-2" / f"part-{part}.yaml")
        assert problems == [], part
        ids = {finding["id"] for finding in data["findings"]}
        assert not ids & answered, f"part {part} answers a finding another part answers"
        answered |= ids
    assert len(NAMED_2) == 117
    assert sorted(NAMED_2 - answered) == [], "findings of review 2 the log does not answer"
    assert sorted(name for name in answered - NAMED_2 if not OWN_2.fullmatch(name)) == [], (
        "entries answering no finding of review 2 (a mistyped ID?)")


def test_the_review_log_pages_show_both_reviews():
    about = DATA.parent / "about"
    page = (about / "review-log.md").read_text(encoding="utf-8")
    assert "```{review-log}\n```" in page
    for part in range(1, 5):
        assert f"review-2/part-{part}\n" in page  # in its toctree
        text = (about / "review-2" / f"part-{part}.md").read_text(encoding="utf-8")
        assert f"```{{review-log}} review-log-2/part-{part}.yaml\n```" in text
