"""Loading: read a condition file, parse it once, validate it against the schema it is given
(docs/data/guideline.schema.json, passed in by the caller: nothing here finds a file by its own
position), then run the checks beyond the schema (:mod:`.checks`).

jsonschema reports what the schema says; its ``additionalProperties`` and ``enum`` errors are
rewritten to name the unknown field or value and list the allowed ones, and every error is
reported on the line of the path it points at (:mod:`.lines`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .. import Problem
from .checks import check_condition
from .lines import LOADER, describe, index_lines, line_of

# Each condition file is read by several directives (key points, tables, figures, quick
# reference) and once per page that shows it: parse and check each text once per process.
PARSED: dict[tuple, tuple[dict | None, list[Problem]]] = {}


def load_condition(path: Path, known_keys: Iterable[str] | None, schema: Mapping[str, Any]
                   ) -> tuple[dict | None, list[Problem]]:
    """Read, validate and check one condition file: (data or None, problems).

    The data is returned only when there are no problems. ``known_keys`` are the refs.bib
    citation keys; None skips that check. ``schema`` is the loaded guideline.schema.json. The
    condition slug must equal the file's stem.
    """
    data, problems = parse_condition(path.read_text(encoding="utf-8"), known_keys, schema)
    if data is not None and data["condition"] != path.stem:
        problems.append(Problem(1, f'condition "{data["condition"]}" must equal the file name '
                                   f'"{path.stem}"'))
        data = None
    return data, problems


def parse_condition(text: str, known_keys: Iterable[str] | None, schema: Mapping[str, Any]
                    ) -> tuple[dict | None, list[Problem]]:
    """As :func:`load_condition`, from the file's text (used by the tests' fixtures)."""
    key = (text, None if known_keys is None else frozenset(known_keys),
           json.dumps(schema, sort_keys=True))
    if key not in PARSED:
        PARSED[key] = check_text(text, known_keys, schema)
    data, problems = PARSED[key]
    return copy.deepcopy(data), list(problems)


def check_text(text: str, known_keys: Iterable[str] | None, schema: Mapping[str, Any]
               ) -> tuple[dict | None, list[Problem]]:
    import jsonschema  # imported here: only builds that read evidence pay for it

    lines: dict[tuple, int] = {}
    loader = LOADER(text)
    try:  # parsed once: the nodes give the lines, then the same nodes give the data
        root = loader.get_single_node()
        problems = index_lines(root, (), lines)  # before construction, which rewrites merges
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [Problem((mark.line + 1) if mark else 1, f"not valid YAML: {error}")]
    finally:
        loader.dispose()
    validator = jsonschema.Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        problems += schema_problems(error, lines)
    if problems:
        return None, sorted(problems, key=lambda p: p.line)
    problems = check_condition(data, lines, known_keys)
    return (None if problems else data), problems


def schema_problems(error, lines: Mapping[tuple, int], describe=describe) -> list[Problem]:
    """One jsonschema error as problems at their lines; ``describe`` names a path (the
    screening table passes its own)."""
    path = tuple(error.path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extras = [key for key in error.instance if key not in allowed]
        what = ("downgrade domain" if path[-1:] == ("domains",)
                else "upgrade" if path[-1:] == ("upgrades",) else "field")
        hint = sorted(allowed)
        return [Problem(line_of(lines, *path, key),
                        f'{describe(path)}: unknown {what} "{key}"; allowed: {", ".join(hint)}')
                for key in extras]
    if error.validator == "enum":
        allowed = ", ".join(json.dumps(value) for value in error.validator_value)
        what = "level" if path[-1:] == ("level",) else "value"
        return [Problem(line_of(lines, *path),
                        f"{describe(path)}: unknown {what} {json.dumps(error.instance)}; "
                        f"allowed: {allowed}")]
    return [Problem(line_of(lines, *path), f"{describe(path)}: {error.message}")]
