"""Evidence files (docs/data/evidence/*.yaml): each fault named with its row and line.

``load_evidence`` is a plain function (YAML and JSON Schema, no Sphinx state); the build
reports its problems as warnings on the file (tests/test_data_and_dates.py).
"""

from __future__ import annotations

import pytest
from ldn_guide.adapters.evidence import load_evidence

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
KNOWN = {"smith2020"}


def load(tmp_path, text: str):
    path = tmp_path / "pain.yaml"
    path.write_text(text, encoding="utf-8")
    return load_evidence(path, KNOWN)


@pytest.mark.parametrize(("text", "expected"), [
    (EVIDENCE.replace("    n: 40", "    participants: 40"), [
        (4, "row 1: Additional properties are not allowed ('participants' was unexpected); "
            "the allowed columns are in docs/data/evidence.schema.json"),
        (4, "row 1: 'n' is a required property")]),
    (EVIDENCE.replace("certainty: Low", "certainty: Medium"), [
        (4, "row 1 column \"certainty\": 'Medium' is not one of ['High', 'Moderate', 'Low', "
            "'Very low', 'Not assessed']")]),
    (EVIDENCE.replace("citation: smith2020", "citation: nobody1999"), [
        (4, 'row 1: citation key "nobody1999" is not in refs.bib; add the entry or fix the '
            "key")]),
    (EVIDENCE + ROW.replace("Smith 2020", "Smith 2021").replace("n: 40", "n: many"), [
        (16, "row 2 column \"n\": 'many' is not of type 'integer'")]),
    ("condition: Pain\nstudies: [\n", [(3, None)]),
], ids=["bad column", "unknown certainty", "unknown key", "second row", "not YAML"])
def test_each_fault_names_its_row_and_line(tmp_path, text, expected):
    data, errors = load(tmp_path, text)
    assert data is None
    if expected[0][1] is None:  # YAML's own message, with the line it stopped at
        assert [line for line, _ in errors] == [line for line, _ in expected]
        assert errors[0][1].startswith("not valid YAML: ")
    else:
        assert errors == expected


def test_valid_file_loads(tmp_path):
    data, errors = load(tmp_path, EVIDENCE)
    assert errors == []
    assert data["studies"][0]["certainty"] == "Low"
