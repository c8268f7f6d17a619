"""Patient files for "Before you supply": checked against the table's schema, one line per
fault naming the key (never a traceback), and ``nox -s screen``'s command."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from .screening import SCHEMA_NAME, Schema, evaluate, load, schema_at


def check_patient(patient: Any, schema: Schema) -> str | None:
    """None for a valid patient (a JSON object of known keys), else one line naming the key."""
    import jsonschema

    if not isinstance(patient, dict):
        return (f"a patient file holds one JSON object of answers, not a "
                f"{type(patient).__name__ if patient is not None else 'null'}")
    unknown = sorted(set(patient) - set(schema.patient_keys))
    if unknown:
        return (f'unknown key "{unknown[0]}"; the keys are: {", ".join(schema.patient_keys)}')
    validator = jsonschema.Draft202012Validator(schema.document["$defs"]["patient"])
    errors = sorted(validator.iter_errors(patient), key=lambda e: list(map(str, e.path)))
    if not errors:
        return None
    error = errors[0]
    key = error.path[0]
    expected = {"boolean": "true or false", "number": "a number of 0 or more",
                "number-or-null": "a number of 0 or more, or null (none)",
                "enum": "one of " + ", ".join(schema.patient_keys[key].get("enum") or []),
                "list": "a list of names (strings)"}[schema.key_type(key)]
    return f'key "{key}": expected {expected}, got {json.dumps(patient[key])}'


def load_patient(text: str, schema: Schema) -> tuple[dict | None, str | None]:
    """(patient, None) or (None, a one-line error)."""
    try:
        patient = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"not valid JSON: line {error.lineno} column {error.colno}: {error.msg}"
    problem = check_patient(patient, schema)
    return (None, problem) if problem else (copy.deepcopy(patient), None)




def main(argv: list[str]) -> int:
    """``python -m ldn_guide.rules.screening_patients TABLE PATIENT.json``: the decision as
    JSON (TABLE: the project's docs/data/screening.yaml, its schema beside it)."""
    import sys

    if len(argv) != 2:
        print("give one patient file: nox -s screen -- PATIENT.json", file=sys.stderr)
        return 2
    table_path = Path(argv[0])
    schema = schema_at(table_path.with_name(SCHEMA_NAME))
    table, problems = load(table_path, schema)
    if table is None:
        for problem in problems:
            print(f"{table_path}:{problem.line}: {problem.message}", file=sys.stderr)
        return 1
    path = Path(argv[1])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{path}: cannot read: {error}", file=sys.stderr)
        return 1
    patient, problem = load_patient(text, schema)
    if problem:
        print(f"{path}: {problem}", file=sys.stderr)
        return 1
    print(json.dumps(evaluate(table, patient), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
