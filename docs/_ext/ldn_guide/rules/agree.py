"""The AGREE II table: where the guide meets each of the instrument's 23 items, as data.

docs/data/agree.yaml (schema docs/data/agree.schema.json, given by the caller) holds one entry
per item: its domain and wording, ``met`` / ``partly`` / ``not-met``, the pages or sections
that meet it (``doc`` or ``ref`` targets) and what is and is not there. :func:`check_items`
requires items 1 to 23 once each, in order, and :func:`check_targets` that every link target
exists. No Sphinx import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import Problem
from .guideline.lines import line_of, load_with_lines

ITEMS = range(1, 24)
# AGREE II's six domains and the items in each.
DOMAINS = {"Scope and purpose": range(1, 4), "Stakeholder involvement": range(4, 7),
           "Rigour of development": range(7, 15), "Clarity of presentation": range(15, 18),
           "Applicability": range(18, 22), "Editorial independence": range(22, 24)}
STATUS = {"met": "Met", "partly": "Partly met", "not-met": "Not met"}


def load_agree(path: Path, schema: Mapping[str, Any]
               ) -> tuple[dict | None, list[Problem], dict[tuple, int]]:
    import jsonschema

    text = path.read_text(encoding="utf-8")
    data, problems, lines = load_with_lines(text)
    if data is None and problems:
        return None, problems, {}
    for error in jsonschema.Draft202012Validator(schema).iter_errors(data):
        path_ = tuple(error.path)
        problems.append(Problem(line_of(lines, *path_),
                                f"{'.'.join(map(str, path_)) or 'the file'}: {error.message}"))
    if not problems:
        problems = check_items(data, lines)
    return (None if problems else data), sorted(problems, key=lambda p: p.line), lines


def check_items(data: Mapping[str, Any], lines: Mapping[tuple, int]) -> list[Problem]:
    """Items 1 to 23, each once, in order, each in its AGREE II domain."""
    problems = []
    seen: dict[int, int] = {}
    for index, entry in enumerate(data["items"]):
        number = entry["item"]
        where = line_of(lines, "items", index, "item")
        if number in seen:
            problems.append(Problem(where, f"AGREE II item {number} is listed twice (first at "
                                           f"items.{seen[number]}); merge the two"))
        seen.setdefault(number, index)
        domain = next(name for name, numbers in DOMAINS.items() if number in numbers)
        if entry["domain"] != domain:
            problems.append(Problem(line_of(lines, "items", index, "domain"),
                                    f'AGREE II item {number} belongs to domain "{domain}", not '
                                    f'"{entry["domain"]}"'))
    missing = [number for number in ITEMS if number not in seen]
    if missing:
        problems.append(Problem(line_of(lines, "items"),
                                "AGREE II items missing: " + ", ".join(map(str, missing))
                                + "; every item 1 to 23 needs an entry (\"not-met\" and why, "
                                  "if the guide does not meet it)"))
    elif [entry["item"] for entry in data["items"]] != list(ITEMS):
        problems.append(Problem(line_of(lines, "items"), "AGREE II items must be in order 1 "
                                                         "to 23"))
    return problems


def check_targets(data: Mapping[str, Any], lines: Mapping[tuple, int], docs: Iterable[str],
                  labels: Iterable[str]) -> list[Problem]:
    """Every ``doc`` target is a page of the guide and every ``ref`` target a label."""
    docs, labels = set(docs), set(labels)
    problems = []
    for index, entry in enumerate(data["items"]):
        for number, target in enumerate(entry.get("where", [])):
            kind, name = next(iter(target.items()))
            known = docs if kind == "doc" else labels
            if name not in known:
                what = "page" if kind == "doc" else "label"
                problems.append(Problem(line_of(lines, "items", index, "where", number),
                                        f"AGREE II item {entry['item']}: no {what} "
                                        f'"{name}" in the guide; fix the {kind} target'))
    return problems


def schema_of(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
