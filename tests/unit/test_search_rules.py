"""rules/searches.py and rules/agree.py on the guide's own data and on one fault at a time."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from conftest import DOCS
from ldn_guide.rules import agree, searches
from ldn_guide.rules.guideline.lines import line_index

DATA = DOCS / "data"
SCHEMA = json.loads((DATA / "searches.schema.json").read_text("utf-8"))
TEXT = (DATA / "searches.yaml").read_text("utf-8")


def guide_studies() -> dict[str, str]:
    return {key: path.stem for path in sorted((DATA / "conditions").glob("*.yaml"))
            for key in yaml.safe_load(path.read_text("utf-8"))["studies"]}


def check(text: str) -> list[str]:
    data, problems, lines = searches.parse_searches(text, SCHEMA)
    if data is None:
        return [f"{p.line}: {p.message}" for p in problems]
    return [f"{p.line}: {p.message}" for p in searches.check_searches(data, lines,
                                                                       guide_studies())]


def test_the_guides_search_data_is_valid_and_adds_up():
    assert check(TEXT) == []
    data, _, _ = searches.parse_searches(TEXT, SCHEMA)
    counts = searches.flow(data)
    assert counts["found"] - counts["duplicates"] == counts["screened"]
    assert counts["screened"] - counts["excluded"] - counts["awaiting"] == counts["included"]
    assert counts["included"] + counts["other_methods"] == len(guide_studies())
    assert set(searches.literature_dates(data)) == set(guide_studies().values())


def test_every_stored_copy_search_says_so_and_the_unrecorded_one_has_no_numbers():
    data, _, _ = searches.parse_searches(TEXT, SCHEMA)
    for search in data["searches"]:
        if search["access"] == "not-recorded":
            assert search["strategy"] is search["found"] is search["date_run"] is None
        else:
            assert search["access"] == "stored-copy"  # nothing in this edition was run live
            assert "Not the live PubMed" in search["interface"]


def replace_once(old: str, new: str) -> str:
    assert TEXT.count(old) >= 1, old
    return TEXT.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    found: 8\n", "    found: 9\n", "search S1: found is 9 but 8 hits are listed"),
    ("  duplicates: 16\n", "  duplicates: 15\n", "totals.duplicates is 15, but the hits"),
    ("  excluded: 11\n", "  excluded: 10\n", "totals: screened 24 - excluded 10 - awaiting 1 "
                                              "must equal included 12"),
    ("study: bruun2024}", "study: bruun2025}", 'included study "bruun2025" is not a study'),
    ("  - {study: bested2023, how: E1}\n", "", 'study "bested2023" (fibromyalgia) is in a '
                                               "condition file but no record includes it"),
    ("  - {study: raknes2019, how: E1}\n", "  - {study: raknes2019, how: E1}\n"
                                           "  - {study: bruun2024, how: E1}\n",
     'other_methods: "bruun2024" is already included'),
    ("record: final-cpm2024,", "record: no-such-record,", 'no record "no-such-record"'),
    ("{rank: 2, record: final-cpm2024", "{rank: 3, record: final-cpm2024",
     "hits must be listed in rank order"),
    ("  - id: S2\n", "  - id: S1\n", 'id "S1" is used twice'),
])
def test_one_fault_is_reported_at_its_line(old, new, message):
    text = replace_once(old, new)
    problems = check(text)
    assert any(message in problem for problem in problems), problems
    # Every message names a line of the file.
    assert all(int(problem.split(":")[0]) >= 1 for problem in problems)


def test_schema_faults_name_the_line():
    text = replace_once("    strategy: null\n", "    strategy: something we do not know\n")
    problems = check(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "something we do not" in row)
    assert any(problem.startswith(f"{line}: searches.0.strategy") for problem in problems), (
        problems)
    text = replace_once("    reason: untraceable\n", "    reason: boring\n")
    assert any("records.8.reason: 'boring' is not one of" in p for p in check(text))


def test_literature_is_stale_only_beyond_the_interval():
    assert searches.stale_message("pain", "2025-12-01", dt.date(2026, 12, 1), 12) is None
    message = searches.stale_message("pain", "2025-12-01", dt.date(2026, 12, 2), 12)
    assert "more than 12 months before this page's last review (2026-12-02)" in message
    assert "no dated search" in searches.stale_message("pain", None, dt.date(2026, 1, 1), 12)
    assert searches.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


AGREE_SCHEMA = json.loads((DATA / "agree.schema.json").read_text("utf-8"))


def test_the_guides_agree_table_has_every_item_once_and_is_honest():
    data, problems, _ = agree.load_agree(DATA / "agree.yaml", AGREE_SCHEMA)
    assert problems == []
    assert [entry["item"] for entry in data["items"]] == list(range(1, 24))
    status = {entry["item"]: entry["status"] for entry in data["items"]}
    # Patients' views, facilitators and barriers, and resource implications are not met.
    assert status[5] == status[18] == status[20] == "not-met"
    assert status[22] != "met"  # the publisher sells LDN: independence is not shown


def test_agree_targets_are_checked(tmp_path):
    path = tmp_path / "agree.yaml"
    path.write_text((DATA / "agree.yaml").read_text("utf-8").replace(
        "{ref: safety-monitoring}", "{ref: no-such-section}"), "utf-8")
    data, problems, lines = agree.load_agree(path, AGREE_SCHEMA)
    assert problems == []
    found = agree.check_targets(data, lines, docs={"index", "about/scope", "about/authors",
                                                   "about/methods", "about/grading",
                                                   "about/review-log", "changelog",
                                                   "conditions/fibromyalgia",
                                                   "conditions/depression",
                                                   "conditions/dissociation", "ldn/safety",
                                                   "ldn/dosing", "quick-reference",
                                                   "patients/handout"},
                                labels={"sources-searched", "fibromyalgia-evidence",
                                        "fibromyalgia-harms"})
    line = line_index(path.read_text("utf-8"))[("items", 20, "where", 0)]
    assert [(p.line, p.message) for p in found] == [
        (line, 'AGREE II item 21: no label "no-such-section" in the guide; fix the ref target')]
