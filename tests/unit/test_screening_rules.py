"""rules.screening: the "Before you supply" table's checks, one fault per fixture reported with
its line, the three-valued evaluation, and patient files (one line naming the key, never a
traceback)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ldn_guide.rules import guideline, screening, screening_patients

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "screening"
DATA = REPO / "docs" / "data"
SCHEMA = screening.schema_at(DATA / screening.SCHEMA_NAME)
TABLE = DATA / "screening.yaml"
BIB_KEYS = set(re.findall(r"^@\w+\{([^,\s]+),", (REPO / "refs.bib").read_text("utf-8"), re.M))


def recommendations() -> dict[str, str]:
    found = {}
    for path in sorted((REPO / "docs" / "data" / "conditions").glob("*.yaml")):
        data, problems = guideline.load_condition(
            path, BIB_KEYS, json.loads((DATA / "guideline.schema.json").read_text("utf-8")))
        assert not problems, problems
        found.update({rec_id: rec["verb"] for rec_id, rec in data["recommendations"].items()})
    return found


def test_the_guides_table_passes_every_check():
    table, problems = screening.load(TABLE, SCHEMA, BIB_KEYS, recommendations())
    assert problems == [] and table is not None
    # every topic issue 25 names is asked about (by the patient keys its questions use)
    used = {atom["key"] for question in table["questions"] for rule in question["rules"]
            for atom in screening.atoms(rule["when"])}
    assert used == set(SCHEMA.patient_keys)


def test_the_small_fixture_table_is_valid():
    table, problems = screening.load(FIXTURES / "small-table.yaml", SCHEMA, {"smith2020"}, {})
    assert problems == [] and table is not None


# (fixture in tests/screening/faults/, line, message): each file carries one fault.
FAULTS = [
    ("no-source", 39, r"rule under-7 has no source"),
    ("unknown-action", 54, r'rule met: unknown action "refuse"; allowed: do-not-supply, '
                           r"supply-and-counsel, supply"),
    ("conflict", 49, r"question interval: rules under-7 \(do-not-supply\) and met \(supply\) "
                     r"give different actions for the same answers, e\.g\. "
                     r'\{"opioid_last_dose_days_ago": 6, "opioid_last_kind": "short-acting"\}'),
    ("unknown-cite", 35, r'rule opioid-now: citation key "nosuchkey2020" is not in refs\.bib'),
    ("wrong-test", 30, r"rule opioid-now: pregnant is a boolean key; test it with is, "
                       r"not less_than"),
    ("duplicate-rule", 49, r'rule ID "under-7" is used twice \(first at line 39\)'),
    ("unknown-value", 42, r'rule under-7: opioid_last_kind has no value "fentanyl"'),
    ("banned-claim", 55, r'banned claim "completely safe"'),
]


@pytest.mark.parametrize(("name", "line", "message"), FAULTS, ids=[f[0] for f in FAULTS])
def test_each_fault_is_reported_at_its_line(name, line, message):
    path = FIXTURES / "faults" / f"{name}.yaml"
    table, problems = screening.load(path, SCHEMA, {"smith2020"}, {})
    assert table is None
    assert len(problems) == 1, problems
    assert problems[0].line == line, problems
    assert re.search(message, problems[0].message), problems[0].message
    # the line named is the faulty line's (or its rule's) own
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert text.strip(), text


def test_a_recommendation_id_must_exist():
    text = (FIXTURES / "small-table.yaml").read_text(encoding="utf-8").replace(
        '{kind: good-practice, note: "A fixture\'s point"}', "{kind: recommendation, "
        "recommendation: XX-9}")
    table, problems = screening.parse(text, SCHEMA, {"smith2020"}, {"FM-1": "do-not-offer"})
    assert [p.message for p in problems] == [
        'rule met: no recommendation "XX-9" in docs/data/conditions/']


def test_disjoint_rules_and_rules_that_agree_are_no_conflict():
    table, _ = screening.load(FIXTURES / "small-table.yaml", SCHEMA, {"smith2020"}, {})
    question = table["questions"][1]
    assert screening.conflicts(question, {}, ("questions", 1), SCHEMA) == []
    same = {**question, "rules": [question["rules"][0],
                                  {**question["rules"][1], "action": "do-not-supply"}]}
    overlap = {**same, "rules": [same["rules"][0], {**same["rules"][1], "when": {
        "key": "opioid_last_dose_days_ago", "at_least": 0}}]}
    # the same action: no conflict
    assert screening.conflicts(overlap, {}, ("questions", 1), SCHEMA) == []


# -- Evaluation: absent is "still to ask", never "no" -----------------------------------------

WHEN = {"all": [{"key": "opioid_last_kind", "in": ["short-acting"]},
                {"key": "opioid_last_dose_days_ago", "less_than": 7}]}


@pytest.mark.parametrize(("patient", "expected"), [
    ({}, None),
    ({"opioid_last_dose_days_ago": 3}, None),  # the kind is still to ask
    ({"opioid_last_dose_days_ago": 8}, False),  # whatever the kind: false
    ({"opioid_last_dose_days_ago": None}, False),  # null: no opioid
    ({"opioid_last_dose_days_ago": 6.9, "opioid_last_kind": "short-acting"}, True),
    ({"opioid_last_dose_days_ago": 7, "opioid_last_kind": "short-acting"}, False),
    ({"opioid_last_dose_days_ago": 3, "opioid_last_kind": "methadone"}, False),
])
def test_conditions_are_three_valued(patient, expected):
    assert screening.truth(WHEN, patient) is expected


def test_names_match_case_insensitively_inside_an_entry():
    when = {"key": "opioids_now", "contains_any": ["buprenorphine"]}
    assert screening.truth(when, {"opioids_now": ["Buprenorphine 5 microgram patch"]})
    assert screening.truth(when, {"opioids_now": ["tramadol"]}) is False
    assert screening.truth(when, {"opioids_now": []}) is False


def test_the_decision_orders_do_not_supply_ask_first_counsel_supply():
    table, _ = screening.load(FIXTURES / "small-table.yaml", SCHEMA, {"smith2020"}, {})
    assert screening.evaluate(table, {})["action"] == "ask-first"
    blocked = screening.evaluate(table, {"opioids_now": ["codeine"]})
    assert blocked["action"] == "do-not-supply" and blocked["counsel"] == []
    assert [r["rule"] for r in blocked["reasons"]] == ["opioid-now"]
    assert [a["question"] for a in blocked["ask"]] == ["interval"]
    ok = screening.evaluate(table, {"opioids_now": [], "opioid_last_dose_days_ago": 9,
                                    "opioid_last_kind": "short-acting"})
    assert ok["action"] == "supply" and [r["rule"] for r in ok["reasons"]] == ["met"]
    assert ok["counsel"] == [{"point": "night", "text": "Take it at night.",
                              "source": "study: A trial [smith2020]"}]
    assert ok["reasons"][0]["source"] == "good practice: A fixture's point"


# -- Patient files -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("{", r"^not valid JSON: line 1 column 2: "),
    ("[1]", r"^a patient file holds one JSON object of answers, not a list$"),
    ('{"age": 40}', r'^unknown key "age"; the keys are: age_years, '),
    ('{"age_years": "forty"}', r'^key "age_years": expected a number of 0 or more, got "forty"$'),
    ('{"pregnant": "no"}', r'^key "pregnant": expected true or false, got "no"$'),
    ('{"opioids_now": "tramadol"}', r'^key "opioids_now": expected a list of names'),
    ('{"condition": "pain"}', r'^key "condition": expected one of depression, dissociation, '),
    ('{"surgery_planned_days": -2}', r'^key "surgery_planned_days": expected a number of 0 or '
                                     r"more, or null \(none\), got -2$"),
])
def test_a_malformed_patient_file_gets_one_line_naming_the_key(text, message):
    patient, problem = screening_patients.load_patient(text, SCHEMA)
    assert patient is None and "\n" not in problem
    assert re.search(message, problem), problem


def run_screen(path: Path) -> subprocess.CompletedProcess:
    """What `nox -s screen -- FILE` runs (noxfile.py)."""
    return subprocess.run([sys.executable, "-m", "ldn_guide.rules.screening_patients",
                           str(TABLE), str(path)],
                          capture_output=True, text=True, cwd=REPO,
                          env={"PYTHONPATH": str(REPO / "docs" / "_ext"), "PATH": ""})


def test_the_screen_command_prints_the_decision_as_json(tmp_path):
    path = tmp_path / "patient.json"
    path.write_text(json.dumps({"opioids_now": ["tramadol"]}), encoding="utf-8")
    result = run_screen(path)
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["action"] == "do-not-supply"
    assert decision["reasons"][0]["rule"] == "opioid-now"
    assert set(decision["reasons"][0]) >= {"rule", "text", "source"}
    assert decision["counsel"] == []


@pytest.mark.parametrize(("text", "key"), [
    ('{"age_years": 40,}', None), ('{"wrong_key": 1}', "wrong_key"),
    ('{"breastfeeding": 1}', "breastfeeding")])
def test_the_screen_command_fails_in_one_line_without_a_traceback(tmp_path, text, key):
    path = tmp_path / "patient.json"
    path.write_text(text, encoding="utf-8")
    result = run_screen(path)
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"{path}: ")
    if key:
        assert f'"{key}"' in lines[0]
