"""The review log: the guide's response to each finding of an external review.

docs/data/review-log.yaml holds one entry per finding; its schema is
docs/data/review-log.schema.json. :func:`finding_ids` reads the IDs a review names, so a test
can prove the log answers every one of them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from . import Problem
from .guideline.lines import LOADER

# C-W1, C-M3, D-W4, D-M19, O11: the IDs of the review's WRONG, MISLEADING and omission rows.
FINDING_ID = re.compile(r"\b(C-[WM]\d+|D-[WM]\d+|O\d+)\b(?! cell)")  # not "C-M2 cell line"


def load(path: Path, schema_path: Path) -> tuple[dict | None, list[Problem]]:
    import jsonschema

    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=LOADER)  # libyaml's safe loader where installed
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [Problem((mark.line + 1) if mark else 1, f"not valid YAML: {error}")]
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    problems = []
    for error in jsonschema.Draft202012Validator(schema).iter_errors(data):
        where = list(error.path)
        entry = where[1] if len(where) > 1 and where[0] == "findings" else None
        line = line_of_entry(text, entry) if entry is not None else 1
        problems.append(Problem(line, f"{'/'.join(map(str, where)) or 'file'}: {error.message}"))
    seen: dict[str, int] = {}
    for index, finding in enumerate((data or {}).get("findings", []) if not problems else []):
        if finding["id"] in seen:
            problems.append(Problem(line_of_entry(text, index),
                                    f'finding {finding["id"]} is answered twice (first at entry '
                                    f'{seen[finding["id"]] + 1}); merge the two'))
        seen.setdefault(finding["id"], index)
    return (None if problems else data), problems


def line_of_entry(text: str, index: int) -> int:
    starts = [number for number, line in enumerate(text.splitlines(), start=1)
              if line.startswith("  - id:")]
    return starts[index] if index < len(starts) else 1


def finding_ids(review_text: str) -> set[str]:
    return set(FINDING_ID.findall(review_text))
