""""Before you supply": the pharmacist's screening checklist as one decision table.

``docs/data/screening.yaml`` (schema ``docs/data/screening.schema.json``) holds questions, each
with rules: a condition over the patient's answers, an action, the words shown, the reason and
the sources. Nothing here imports Sphinx: the build (``adapters/screening.py``), ``nox -s
screen`` and the tests call the same functions, and the web checklist's script
(``docs/_static/screening.js``) evaluates the same published table the same way.

Three-valued answers. A patient key that is absent has not been asked: a condition over it is
*unknown*, never false. ``all`` is false when any part is false, unknown when none is false and
one is unknown, else true. The decision (:func:`evaluate`):

1. ``do-not-supply`` (do not supply; contact the prescriber) when a rule that holds says so;
2. else ``ask-first`` while any rule is unknown, listing the questions still to ask;
3. else ``supply-and-counsel`` when a rule that holds says so;
4. else ``supply``. The counselling points go with every supply.

The checks (:func:`check_table`), each reported at its line of the YAML file: the schema (a
rule without a source, an unknown action ...); unique IDs; every condition fits its key's type
(``is`` for yes/no keys, ``less_than``/``at_least`` for numbers, ``in`` with the key's own
values, ``contains_any``/``not_empty`` for lists); every citation key in refs.bib; every
recommendation ID in the condition files; banned claims; and **no two rules of one question give
different actions for the same answers**. That last check is decided by enumeration: a
condition tells apart only finitely many answers (each yes/no value, each enum value, each
number threshold with the values just below and above it, null, an empty list, the names it
looks for), so the rules of a question are compared on every combination of those.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from . import Problem, claims
from .guideline.lines import LOADER, index_lines, line_of
from .guideline.load import schema_problems

# Beside the table in the project's data folder (docs/data/): the build, nox and the tests pass
# its path in (schema_at); the rules never look for it next to themselves.
SCHEMA_NAME = "screening.schema.json"

ACTIONS = ("do-not-supply", "supply-and-counsel", "supply")  # most severe first
OUTCOMES = ("do-not-supply", "ask-first", "supply-and-counsel", "supply")
ACTION_WORDS = {
    "do-not-supply": "Do not supply: contact the prescriber",
    "ask-first": "Ask first: do not supply until these questions are answered",
    "supply-and-counsel": "Supply and counsel",
    "supply": "Supply",
}
# Which test fits which kind of patient key.
TESTS_FOR = {"boolean": {"is"}, "number": {"less_than", "at_least"},
             "number-or-null": {"less_than", "at_least"}, "enum": {"in"},
             "list": {"contains_any", "not_empty"}}


@dataclass(frozen=True)
class Schema:
    """The table's JSON Schema, with the patient file's keys (``$defs/patient``)."""

    document: dict = dataclasses.field(hash=False, compare=False)

    @property
    def patient_keys(self) -> dict[str, dict]:
        """Patient key -> its JSON Schema."""
        return self.document["$defs"]["patient"]["properties"]

    def key_type(self, key: str) -> str:
        """boolean, number, number-or-null, enum or list."""
        prop = self.patient_keys[key]
        if "enum" in prop:
            return "enum"
        kind = prop["type"]
        if kind == ["number", "null"]:
            return "number-or-null"
        return {"array": "list"}.get(kind, kind)


@cache
def schema_at(path: Path | str) -> Schema:
    """The schema file at ``path``, read once per process."""
    return Schema(json.loads(Path(path).read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------------------------
# Loading and checking the table


def load(path: Path, schema: Schema, known_keys: Iterable[str] | None = None,
         recommendations: Mapping[str, str] | None = None) -> tuple[dict | None, list[Problem]]:
    """Read, validate and check the table: (data or None, problems). ``known_keys``: refs.bib
    keys; ``recommendations``: recommendation ID -> verb; None skips either check."""
    return parse(path.read_text(encoding="utf-8"), schema, known_keys, recommendations)


def parse(text: str, schema: Schema, known_keys: Iterable[str] | None = None,
          recommendations: Mapping[str, str] | None = None) -> tuple[dict | None, list[Problem]]:
    import jsonschema

    try:
        data, root = yaml.load(text, Loader=LOADER), yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [Problem((mark.line + 1) if mark else 1, f"not valid YAML: {error}")]
    lines: dict[tuple, int] = {}
    problems = index_lines(root, (), lines)
    validator = jsonschema.Draft202012Validator(schema.document)
    namer = describer(data)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        problems += table_schema_problems(error, lines, namer)
    problems += claims.find_banned(text)
    if problems:
        return None, sorted(problems, key=lambda p: p.line)
    problems = check_table(data, lines, schema, known_keys, recommendations)
    return (None if problems else data), problems


def describer(data):
    """A function naming a path of the table: 'question liver rule acute-hepatitis action'."""
    def describe(path: tuple) -> str:
        words, node = [], data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                words.append(str(part))
                continue
            if isinstance(part, int) and isinstance(node, dict) and "id" in node:
                kind = {"questions": "question", "rules": "rule", "counsel": "counsel point"}
                words[-1:] = [f"{kind.get(words[-1] if words else '', 'item')} {node['id']}"]
            elif isinstance(part, int):
                words.append(f"item {part + 1}")
            else:
                words.append(str(part))
        return " ".join(words) or "the file"
    return describe


def table_schema_problems(error, lines, describe) -> list[Problem]:
    path = tuple(error.path)
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in (error.instance or {})]
        if "sources" in missing:
            return [Problem(line_of(lines, *path), f"{describe(path)} has no source: add "
                            "sources (a label with its section and refs.bib key, a study, "
                            "expert opinion, a recommendation ID or a good-practice point)")]
    if error.validator == "enum" and path[-1:] == ("action",):
        allowed = ", ".join(error.validator_value)
        return [Problem(line_of(lines, *path), f"{describe(path[:-1])}: unknown action "
                        f"{json.dumps(error.instance)}; allowed: {allowed}")]
    if error.validator == "oneOf" and path[-1:] == ("when",) or "when" in path:
        return [Problem(line_of(lines, *path), f"{describe(path)}: a condition is one test "
                        "{key: K, is|less_than|at_least|in|contains_any|not_empty: V} or "
                        f"{{all: [tests]}}; got {json.dumps(error.instance)}")]
    return schema_problems(error, lines, describe)


def atoms(condition: Mapping) -> list[Mapping]:
    return list(condition["all"]) if "all" in condition else [condition]


def test_of(atom: Mapping) -> tuple[str, Any]:
    (name, value), = ((k, v) for k, v in atom.items() if k != "key")
    return name, value


def check_table(data: Mapping, lines: Mapping[tuple, int], schema: Schema,
                known_keys: Iterable[str] | None = None,
                recommendations: Mapping[str, str] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    known = None if known_keys is None else frozenset(known_keys)
    seen: dict[str, dict[str, int]] = {}

    def unique(kind: str, ident: str, path: tuple) -> None:
        first = seen.setdefault(kind, {})
        if ident in first:
            problems.append(Problem(line_of(lines, *path), f'{kind} ID "{ident}" is used twice '
                                    f"(first at line {first[ident]}); IDs must be unique"))
        first.setdefault(ident, line_of(lines, *path))

    def check_sources(sources, path, owner) -> None:
        for number, source in enumerate(sources):
            where = path + ("sources", number)
            cite = source.get("cite")
            if cite and known is not None and cite not in known:
                problems.append(Problem(line_of(lines, *where, "cite"),
                                        f'{owner}: citation key "{cite}" is not in refs.bib'))
            rec = source.get("recommendation")
            if rec and recommendations is not None and rec not in recommendations:
                problems.append(Problem(line_of(lines, *where, "recommendation"),
                                        f'{owner}: no recommendation "{rec}" in '
                                        "docs/data/conditions/"))

    for key, field in data["fields"].items():
        values = set(field.get("values", {}))
        if schema.key_type(key) == "enum" and values != set(schema.patient_keys[key]["enum"]):
            problems.append(Problem(line_of(lines, "fields", key),
                                    f"field {key}: values must name each of "
                                    f"{', '.join(schema.patient_keys[key]['enum'])}"))
        if "none" in field and schema.key_type(key) not in ("list", "number-or-null"):
            problems.append(Problem(line_of(lines, "fields", key, "none"),
                                    f"field {key}: only a list or a nullable number has a 'none'"))
    for q_number, question in enumerate(data["questions"]):
        q_path = ("questions", q_number)
        unique("question", question["id"], q_path)
        for r_number, rule in enumerate(question["rules"]):
            r_path = q_path + ("rules", r_number)
            owner = f"rule {rule['id']}"
            unique("rule", rule["id"], r_path)
            for a_number, atom in enumerate(atoms(rule["when"])):
                a_path = r_path + (("when", "all", a_number) if "all" in rule["when"]
                                   else ("when",))
                problems += check_atom(atom, owner, line_of(lines, *a_path), schema)
            check_sources(rule["sources"], r_path, owner)
        problems += conflicts(question, lines, q_path, schema)
    for c_number, point in enumerate(data["counsel"]):
        c_path = ("counsel", c_number)
        unique("counsel point", point["id"], c_path)
        check_sources(point["sources"], c_path, f"counsel point {point['id']}")
    return sorted(problems, key=lambda p: p.line)


def check_atom(atom: Mapping, owner: str, line: int, schema: Schema) -> list[Problem]:
    key = atom["key"]
    name, value = test_of(atom)
    kind = schema.key_type(key)
    if name not in TESTS_FOR[kind]:
        return [Problem(line, f"{owner}: {key} is a {kind.replace('-', ' ')} key; test it with "
                              f"{' or '.join(sorted(TESTS_FOR[kind]))}, not {name}")]
    if name == "in":
        allowed = schema.patient_keys[key]["enum"]
        wrong = [v for v in value if v not in allowed]
        if wrong:
            return [Problem(line, f"{owner}: {key} has no value "
                                  f"{', '.join(map(json.dumps, wrong))}; "
                                  f"allowed: {', '.join(allowed)}")]
    return []


# ---------------------------------------------------------------------------------------------
# Conflicts: two rules of one question, different actions, the same answers


def representatives(key: str, rules: Iterable[Mapping], schema: Schema) -> list[Any]:
    """Every answer to ``key`` that the rules' conditions can tell apart, one of each kind."""
    tests = [test_of(atom) for rule in rules for atom in atoms(rule["when"])
             if atom["key"] == key]
    kind = schema.key_type(key)
    if kind == "boolean":
        return [True, False]
    if kind == "enum":
        return list(schema.patient_keys[key]["enum"])
    if kind == "list":
        names = sorted({name for test, value in tests if test == "contains_any" for name in value})
        return [[], ["something else"], *([name] for name in names), [*names, "something else"]]
    thresholds = sorted({value for test, value in tests})
    values = {0.0} | {v for t in thresholds for v in (t - 0.5, t, t + 0.5) if v >= 0}
    return sorted(values) + ([None] if kind == "number-or-null" else [])


def conflicts(question: Mapping, lines: Mapping[tuple, int], path: tuple,
              schema: Schema) -> list[Problem]:
    rules = question["rules"]
    keys = sorted({atom["key"] for rule in rules for atom in atoms(rule["when"])})
    found: dict[tuple[int, int], dict] = {}
    for values in itertools.product(*(representatives(key, rules, schema) for key in keys)):
        answers = dict(zip(keys, values, strict=True))
        held = [number for number, rule in enumerate(rules) if truth(rule["when"], answers)]
        for first, second in itertools.combinations(held, 2):
            if rules[first]["action"] != rules[second]["action"]:
                found.setdefault((first, second), answers)
    return [Problem(line_of(lines, *path, "rules", second),
                    f'question {question["id"]}: rules {rules[first]["id"]} '
                    f'({rules[first]["action"]}) and {rules[second]["id"]} '
                    f'({rules[second]["action"]}) give different actions for the same answers, '
                    f"e.g. {json.dumps(answers)}; make their conditions exclusive")
            for (first, second), answers in found.items()]


# ---------------------------------------------------------------------------------------------
# Evaluating a patient


def truth(condition: Mapping, patient: Mapping) -> bool | None:
    """True, False or None (unknown: a key it needs has not been asked)."""
    if "all" in condition:
        values = [truth(atom, patient) for atom in condition["all"]]
        if False in values:
            return False
        return None if None in values else True
    key = condition["key"]
    if key not in patient:
        return None
    value = patient[key]
    name, wanted = test_of(condition)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "is":
        return value is wanted
    if name == "less_than":
        return number and value < wanted
    if name == "at_least":
        return number and value >= wanted
    if name == "in":
        return value in wanted
    if name == "contains_any":
        return any(want.lower() in item.lower() for item in value for want in wanted)
    if name == "not_empty":
        return len(value) > 0
    raise ValueError(f"unknown test {name}")


def keys_of(condition: Mapping) -> list[str]:
    return list(dict.fromkeys(atom["key"] for atom in atoms(condition)))


def source_text(sources: Iterable[Mapping]) -> str:
    """The sources as one line: 'US label, Contraindications [dailymedf3305f0b]; ...'."""
    parts = []
    for source in sources:
        kind = source["kind"]
        if kind == "label":
            parts.append(f"{source['label']} label, {source['section']} [{source['cite']}]")
        elif kind == "recommendation":
            parts.append(f"this guide's recommendation {source['recommendation']}")
        else:
            prefix = {"good-practice": "good practice", "expert-opinion": "expert opinion",
                      "evidence": "study"}[kind]
            cite = f" [{source['cite']}]" if source.get("cite") else ""
            parts.append(f"{prefix}: {source['note']}{cite}")
    return "; ".join(parts)


def reason_entry(question: Mapping, rule: Mapping) -> dict:
    return {"rule": rule["id"], "question": question["id"], "action": rule["action"],
            "text": rule["says"], "reason": rule["reason"],
            "source": source_text(rule["sources"])}


def evaluate(table: Mapping, patient: Mapping) -> dict:
    """The decision for one patient (see the module's docstring for the order)."""
    held, unknown = [], []
    for question in table["questions"]:
        for rule in question["rules"]:
            value = truth(rule["when"], patient)
            if value:
                held.append((question, rule))
            elif value is None:
                unknown.append((question, rule))
    by_action = {action: [reason_entry(q, r) for q, r in held if r["action"] == action]
                 for action in ACTIONS}
    ask = []
    for question, rule in unknown:
        missing = [key for key in keys_of(rule["when"]) if key not in patient]
        entry = next((item for item in ask if item["question"] == question["id"]), None)
        if entry is None:
            entry = {"question": question["id"], "ask": question["ask"], "keys": []}
            ask.append(entry)
        entry["keys"] += [key for key in missing if key not in entry["keys"]]
    if by_action["do-not-supply"]:
        action, reasons = "do-not-supply", by_action["do-not-supply"]
    elif ask:
        action, reasons = "ask-first", by_action["supply-and-counsel"]
    elif by_action["supply-and-counsel"]:
        action, reasons = "supply-and-counsel", by_action["supply-and-counsel"]
    else:
        action, reasons = "supply", by_action["supply"]
    counsel = ([{"point": point["id"], "text": point["text"],
                 "source": source_text(point["sources"])} for point in table["counsel"]]
               if action in ("supply", "supply-and-counsel") else [])
    return {"action": action, "says": ACTION_WORDS[action], "reasons": reasons,
            "ask": ask, "counsel": counsel}


def published(data: Mapping) -> dict:
    """The table as published (screening.json): the data, with its schema named."""
    return {"$schema": "screening.schema.json", **data}
