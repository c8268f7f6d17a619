"""The review log answers every finding of the review, each with a status and a response."""

from __future__ import annotations

from pathlib import Path

import pytest
from ldn_guide.rules import review_log

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "docs" / "data"
REVIEW = REPO.parent / "shared" / "reviews" / "clinical-review-1.md"
# The review's list 1.4 (missing safety content) and its section 5 (GRADE logic) number their
# items without IDs; the log names them L1-L14 and G1-G8.
UNNAMED = {f"L{n}" for n in range(1, 15)} | {f"G{n}" for n in range(1, 9)}


def load(path: Path = DATA / "review-log.yaml"):
    return review_log.load(path, DATA / "review-log.schema.json")


def test_the_log_is_valid_and_every_entry_has_a_status_and_a_response():
    data, problems = load()
    assert problems == []
    for finding in data["findings"]:
        assert finding["status"] in ("changed", "partly changed", "not changed")
        assert finding["response"].strip()


@pytest.mark.skipif(not REVIEW.is_file(), reason="the review is in ../shared, beside the repo")
def test_every_finding_the_review_names_has_an_entry():
    data, _ = load()
    answered = {finding["id"] for finding in data["findings"]}
    named = review_log.finding_ids(REVIEW.read_text(encoding="utf-8"))
    assert len(named) > 40  # the pattern still finds the review's IDs
    assert sorted((named | UNNAMED) - answered) == []


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
