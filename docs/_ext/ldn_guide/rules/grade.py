"""GRADE evidence profiles and recommendations: load, compute certainty, check, compare editions.

One file per condition, ``docs/data/conditions/<condition>.yaml``, validated against
``docs/data/guideline.schema.json``. Nothing here imports Sphinx or docutils: the adapters
report each :class:`~ldn_guide.rules.Problem` as ``FILE:LINE: message``, with LINE relative to
the condition file and the message naming the study, outcome or recommendation ID.

The rules, each one a check below:

- **Certainty is computed, never typed.** An outcome starts ``high`` (every study randomised)
  or ``low`` (any study non-randomised), moves down one level per -1 in its five domains and up
  one per +1 upgrade, and stops at ``very low`` and ``high`` (:func:`outcome_certainty`).
- **A recommendation's certainty** is the lowest of its critical outcomes, or of all its
  outcomes if none is critical (:func:`recommendation_certainty`); its ``certainty_stated``
  must equal it. Good-practice points and hypotheses carry their own label ("good practice",
  "hypothesis"), never a GRADE level.
- **Verb and strength** (a deliberately simple rule): ``offer`` is a strong recommendation and
  needs moderate or high certainty; ``consider``, ``do-not-offer``, ``tell`` and ``do-not`` are
  allowed at any certainty (a "do not offer" may rest on low-certainty null trials; see
  docs/about/grading.md). A hypothesis may not ``offer`` or ``consider``. The text must begin
  with its verb ("Do not offer ...").
- **Wording**: a finding that says an effect ``reduces``/``improves``/``increases`` (and the
  like) uses GRADE's informative statement for its certainty: "probably" (moderate), "may"
  (low), "very uncertain" (very low) (Santesso et al. 2020, GRADE guidelines 26,
  doi:10.1016/j.jclinepi.2019.10.014).
- **Keys resolve**: outcomes name studies in the study table (primary studies, not reviews,
  whose results go under ``pooled``); recommendations name outcomes that exist; every citation
  key is in refs.bib (``known_keys``).
- **Edition control** (:func:`check_edition`): a recommendation whose text, verb or certainty
  differs from the last published edition's snapshot (docs/data/last-edition.json), or that
  has gone, needs a changelog entry naming its ID above that edition's heading.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ldn_guide.rules import Problem

SCHEMA = Path(__file__).resolve().parents[3] / "data" / "guideline.schema.json"

LEVELS = ("very low", "low", "moderate", "high")  # index = number of ⊕
DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
UPGRADES = ("large_effect", "dose_response", "plausible_confounding")
RANDOMISED = frozenset({"RCT", "Crossover RCT"})
REVIEWS = frozenset({"Meta-analysis", "Systematic review"})
KIND_LABEL = {"good-practice": "good practice", "hypothesis": "hypothesis"}
VERB_WORDS = {  # how the text must begin for each verb
    "offer": "Offer", "consider": "Consider", "do-not-offer": "Do not offer", "tell": "Tell",
    "do-not": "Do not",
}
# GRADE informative statements (Santesso 2020): the hedge each certainty requires.
HEDGE = {"moderate": r"\bprobably\b", "low": r"\bmay\b", "very low": r"\bvery uncertain\b"}
HEDGE_WORD = {"moderate": "probably", "low": "may", "very low": "very uncertain"}
EFFECT_VERBS = ("reduce", "improve", "increase", "decrease", "raise", "ease", "relieve",
                "lower", "worsen")
EFFECT_WORDING = re.compile(  # each verb with -s, -d/-ed and -ing
    r"\b(?:" + "|".join(rf"{verb.removesuffix('e')}(?:e|es|ed|ing|s)?" for verb in EFFECT_VERBS)
    + r")\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Loading


@cache
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def load_condition(path: Path, known_keys: Iterable[str] | None = None
                   ) -> tuple[dict | None, list[Problem]]:
    """Read, validate and check one condition file: (data or None, problems).

    The data is returned only when there are no problems. ``known_keys`` are the refs.bib
    citation keys; None skips that check. The condition slug must equal the file's stem.
    """
    data, problems = parse_condition(path.read_text(encoding="utf-8"), known_keys)
    if data is not None and data["condition"] != path.stem:
        problems.append(Problem(1, f'condition "{data["condition"]}" must equal the file name '
                                   f'"{path.stem}"'))
        data = None
    return data, problems


# libyaml's parser where PyYAML was built with it (the wheels are): ten times faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Each condition file is read by several directives (key points, tables, figures, quick
# reference) and once per page that shows it: parse and check each text once per process.
PARSED: dict[tuple, tuple[dict | None, list[Problem]]] = {}


def parse_condition(text: str, known_keys: Iterable[str] | None = None
                    ) -> tuple[dict | None, list[Problem]]:
    """As :func:`load_condition`, from the file's text (used by the tests' fixtures)."""
    key = (text, None if known_keys is None else frozenset(known_keys))
    if key not in PARSED:
        data, problems = check_text(text, known_keys)
        PARSED[key] = (data, problems)
    data, problems = PARSED[key]
    return copy.deepcopy(data), list(problems)


def check_text(text: str, known_keys: Iterable[str] | None) -> tuple[dict | None, list[Problem]]:
    import jsonschema  # imported here: only builds that read evidence pay for it

    try:
        data, root = yaml.load(text, Loader=LOADER), yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [Problem((mark.line + 1) if mark else 1, f"not valid YAML: {error}")]
    lines: dict[tuple, int] = {}
    problems = index_lines(root, (), lines)
    validator = jsonschema.Draft202012Validator(schema())
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        problems += schema_problems(error, lines)
    if problems:
        return None, sorted(problems, key=lambda p: p.line)
    problems = check_condition(data, lines, known_keys)
    return (None if problems else data), problems


def line_index(text: str) -> dict[tuple, int]:
    """Path (("recommendations", "FM-1", "text"), ...) -> 1-based line, for valid YAML text."""
    lines: dict[tuple, int] = {}
    index_lines(yaml.compose(text, Loader=LOADER), (), lines)
    return lines


def index_lines(node, path: tuple, lines: dict[tuple, int]) -> list[Problem]:
    """Fill ``lines`` with path -> 1-based line for every node; report duplicate keys.

    YAML silently keeps the last of two equal keys, which would hide a recommendation.
    """
    problems = []
    if node is None:
        return problems
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key, value in node.value:
            name = key.value
            if name in seen:
                problems.append(Problem(key.start_mark.line + 1,
                                        f'{describe(path + (name,))}: duplicate key "{name}"; '
                                        "YAML keeps only the last one"))
            seen.add(name)
            lines[path + (name,)] = key.start_mark.line + 1  # the key's line, not the value's
            problems += index_lines(value, path + (name,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            problems += index_lines(item, path + (number,), lines)
    return problems


def line_of(lines: Mapping[tuple, int], *path) -> int:
    """The line of the deepest part of ``path`` that the file has (1 if none)."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1


def describe(path: tuple) -> str:
    """Name the thing a path points into: 'recommendation FM-1', 'outcome pain', ..."""
    names = {"studies": "study", "outcomes": "outcome", "recommendations": "recommendation"}
    if len(path) >= 2 and path[0] in names:
        rest = ".".join(str(part) for part in path[2:])
        return f"{names[path[0]]} {path[1]}" + (f" {rest}" if rest else "")
    return ".".join(str(part) for part in path) or "the file"


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


# ---------------------------------------------------------------------------------------------
# Certainty


def certainty_after(start: str, change: int) -> str:
    """The level ``change`` steps from ``start`` (negative = down), kept within the 4 levels."""
    index = LEVELS.index(start) + change
    return LEVELS[max(0, min(len(LEVELS) - 1, index))]


def outcome_certainty(outcome: Mapping[str, Any]) -> str:
    """GRADE certainty of one outcome from its start, five domains and upgrades."""
    down = sum(outcome["domains"][domain]["level"] for domain in DOMAINS)
    up = sum(value["level"] for value in outcome.get("upgrades", {}).values())
    return certainty_after(outcome["start"], down + up)


def recommendation_certainty(recommendation: Mapping[str, Any],
                             outcomes: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Lowest certainty of its critical outcomes (of all, if none is critical).

    None for good-practice points and hypotheses, and for a recommendation with no known
    outcome.
    """
    if recommendation["kind"] != "recommendation":
        return None
    rested = [outcomes[name] for name in recommendation.get("outcomes", []) if name in outcomes]
    critical = [outcome for outcome in rested if outcome["importance"] == "critical"]
    levels = [outcome_certainty(outcome) for outcome in (critical or rested)]
    return min(levels, key=LEVELS.index) if levels else None


def certainty_of(recommendation: Mapping[str, Any],
                 outcomes: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The label to print: a GRADE level, "good practice" or "hypothesis"."""
    if recommendation["kind"] in KIND_LABEL:
        return KIND_LABEL[recommendation["kind"]]
    return recommendation_certainty(recommendation, outcomes)


def certainty_symbols(level: str) -> str:
    """``"low"`` -> ``"⊕⊕◯◯"``."""
    filled = LEVELS.index(level) + 1
    return "⊕" * filled + "◯" * (len(LEVELS) - filled)


def certainty_label(label: str) -> str:
    """The parenthesis printed after a key point: ``(low-certainty evidence)`` ..."""
    if label == "good practice":
        return "(good practice)"
    if label == "hypothesis":
        return "(hypothesis; OCEBM level 5)"
    return f"({label}-certainty evidence)"


def expected_start(outcome: Mapping[str, Any], studies: Mapping[str, Mapping[str, Any]]) -> str:
    """high when every (known, primary) study is randomised, otherwise low."""
    classes = [studies[key]["design_class"] for key in outcome["studies"]
               if key in studies and studies[key]["design_class"] not in REVIEWS]
    return "high" if classes and all(c in RANDOMISED for c in classes) else "low"


def downgrades(outcome: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    """(domain, level, reason) for each domain or upgrade that moved the certainty."""
    moved = [(domain, outcome["domains"][domain]["level"], outcome["domains"][domain]["reason"])
             for domain in DOMAINS if outcome["domains"][domain]["level"]]
    moved += [(name, value["level"], value["reason"])
              for name, value in outcome.get("upgrades", {}).items() if value["level"]]
    return moved


# ---------------------------------------------------------------------------------------------
# Checks beyond the schema


def check_condition(data: Mapping[str, Any], lines: Mapping[tuple, int],
                    known_keys: Iterable[str] | None = None) -> list[Problem]:
    """Every rule of the module docstring on schema-valid data; messages name the ID."""
    known = None if known_keys is None else set(known_keys)
    studies, outcomes = data["studies"], data["outcomes"]
    problems: list[Problem] = []

    def add(path: tuple, message: str) -> None:
        problems.append(Problem(line_of(lines, *path), message))

    if known is not None:
        for key in studies:
            if key not in known:
                add(("studies", key), f'study {key}: citation key "{key}" is not in refs.bib; '
                                      "add the entry or fix the key")

    # Outcomes whose certainty cannot be trusted (bad study keys or start): the checks that
    # depend on it are skipped, so that one fault gives one message.
    unsure: set[str] = set()
    for name, outcome in outcomes.items():
        where = ("outcomes", name)
        for number, key in enumerate(outcome["studies"]):
            if key not in studies:
                unsure.add(name)
                add(where + ("studies", number),
                    f'outcome {name}: study "{key}" is not in the studies table; add its row '
                    "or fix the key")
            elif studies[key]["design_class"] in REVIEWS:
                unsure.add(name)
                add(where + ("studies", number),
                    f'outcome {name}: "{key}" is a {studies[key]["design_class"].lower()}; '
                    "list primary studies here and put its pooled result under pooled")
        if outcome["n_studies"] != len(outcome["studies"]):
            add(where + ("n_studies",),
                f"outcome {name}: n_studies is {outcome['n_studies']} but "
                f"{len(outcome['studies'])} studies are listed")
        total = sum(studies[key]["n"] for key in outcome["studies"]
                    if key in studies and isinstance(studies[key]["n"], int))
        if all(key in studies for key in outcome["studies"]) and outcome["participants"] > total:
            add(where + ("participants",),
                f"outcome {name}: {outcome['participants']} participants, more than the "
                f"{total} its studies enrolled")
        start = expected_start(outcome, studies)
        if name not in unsure and outcome["start"] != start:
            unsure.add(name)
            why = ("every study is randomised" if start == "high"
                   else "not every study is randomised")
            add(where + ("start",),
                f'outcome {name}: start is "{outcome["start"]}" but {why}, so it starts '
                f'"{start}"')
        for key in outcome.get("study_results", {}):
            if key not in outcome["studies"]:
                add(where + ("study_results", key),
                    f'outcome {name}: study_results names "{key}", which is not one of its '
                    "studies")
        for number, pooled in enumerate(outcome.get("pooled", [])):
            if known is not None and pooled["citation"] not in known:
                add(where + ("pooled", number, "citation"),
                    f'outcome {name}: pooled citation "{pooled["citation"]}" is not in refs.bib')
            if "label" not in pooled and pooled["citation"] not in studies:
                add(where + ("pooled", number, "citation"),
                    f'outcome {name}: pooled citation "{pooled["citation"]}" is not a row of the '
                    "study table, so give it a label")
        wording = None if name in unsure else check_wording(outcome["finding"],
                                                            outcome_certainty(outcome))
        if wording:
            add(where + ("finding",), f"outcome {name}: {wording}")

    for rec_id, rec in data["recommendations"].items():
        where = ("recommendations", rec_id)
        for number, name in enumerate(rec.get("outcomes", [])):
            if name not in outcomes:
                add(where + ("outcomes", number),
                    f'recommendation {rec_id}: outcome "{name}" is not in outcomes')
        for field in ("basis", "patient_cite"):
            for number, key in enumerate(rec.get(field, [])):
                if known is not None and key not in known:
                    add(where + (field, number),
                        f'recommendation {rec_id}: {field.replace("_", " ")} citation "{key}" '
                        "is not in refs.bib")
        if rec["kind"] != "recommendation" and not rec.get("see") and not is_withdrawn(rec):
            add(where + ("kind",),
                f"recommendation {rec_id}: a {rec['kind']} point rests on no outcome, so it "
                "needs see (a page or section its key point links to)")
        trusted = {name: value for name, value in outcomes.items() if name not in unsure}
        if any(name in unsure for name in rec.get("outcomes", [])):
            trusted = {}  # its certainty is unknown until the outcome's fault is fixed
        problems += [Problem(line_of(lines, *where, field), f"recommendation {rec_id}: {text}")
                     for field, text in check_recommendation(rec, trusted)]
    quick = data.get("quick_reference", {})
    for number, rec_id in enumerate(quick.get("recommendations", [])):
        if rec_id not in data["recommendations"]:
            add(("quick_reference", "recommendations", number),
                f'quick_reference: recommendation "{rec_id}" is not in recommendations')
        elif is_withdrawn(data["recommendations"][rec_id]):
            add(("quick_reference", "recommendations", number),
                f"quick_reference: recommendation {rec_id} is withdrawn")
    for number, key in enumerate(quick.get("cite", [])):
        if known is not None and key not in known:
            add(("quick_reference", "cite", number),
                f'quick_reference: citation "{key}" is not in refs.bib')
    return sorted(problems, key=lambda p: p.line)


def is_withdrawn(rec: Mapping[str, Any]) -> bool:
    """True when the recommendation's last edition label is "withdrawn ..."."""
    return rec["history"][-1].startswith("withdrawn ")


def shown(data: Mapping[str, Any]) -> dict[str, dict]:
    """The recommendations printed on the page (not withdrawn), in file order."""
    return {rec_id: rec for rec_id, rec in data["recommendations"].items()
            if not is_withdrawn(rec)}


def edition_key(edition: str) -> tuple[int, ...]:
    """``"2026.2"`` -> ``(2026, 2)``, so editions compare in order."""
    return tuple(int(part) for part in edition.split("."))


def edition_labels(history: Iterable[str]) -> str:
    """NICE-style edition label: ``["new 2026.1", "amended 2026.2"]`` -> ``"[2026.1, amended
    2026.2]"``."""
    parts = [label.split()[1] if label.startswith("new ") else label for label in history]
    return "[" + ", ".join(parts) + "]"


def check_recommendation(rec: Mapping[str, Any], outcomes: Mapping[str, Mapping[str, Any]]
                         ) -> list[tuple[str, str]]:
    """(field, message) for the label, verb and wording rules of one recommendation."""
    found = []
    stated, kind, verb = rec["certainty_stated"], rec["kind"], rec["verb"]
    if kind in KIND_LABEL:
        if stated in LEVELS:
            found.append(("certainty_stated",
                          f'a {kind} point carries the GRADE certainty "{stated}"; GRADE rates '
                          f'evidence, so label it "{KIND_LABEL[kind]}"'))
        elif stated != KIND_LABEL[kind]:
            found.append(("certainty_stated",
                          f'certainty_stated "{stated}" is not the label of a {kind} point, '
                          f'"{KIND_LABEL[kind]}"'))
        if kind == "hypothesis" and verb in ("offer", "consider"):
            found.append(("verb", f'a hypothesis (OCEBM level 5) cannot support "{verb}"'))
    else:
        computed = recommendation_certainty(rec, outcomes)
        if computed is not None and stated != computed:
            found.append(("certainty_stated",
                          f'certainty_stated "{stated}" disagrees with the certainty computed '
                          f'from its outcomes, "{computed}" ({basis_of(rec, outcomes)})'))
        if computed is not None and verb == "offer" and computed not in ("moderate", "high"):
            found.append(("verb",
                          f'"offer" is a strong recommendation and needs moderate or high '
                          f'certainty; the evidence is {computed}: use "consider" or "tell"'))
    words = VERB_WORDS[verb]
    if not rec["text"].startswith(words) or (
            verb == "do-not" and rec["text"].startswith(VERB_WORDS["do-not-offer"])):
        found.append(("text", f'verb is "{verb}" but the text does not begin "{words} ..."'))
    return found


def basis_of(rec: Mapping[str, Any], outcomes: Mapping[str, Mapping[str, Any]]) -> str:
    named = [name for name in rec.get("outcomes", []) if name in outcomes]
    critical = [name for name in named if outcomes[name]["importance"] == "critical"]
    used = critical or named
    parts = ", ".join(f"{name} {outcome_certainty(outcomes[name])}" for name in used)
    return ("lowest critical outcome: " if critical else "lowest outcome: ") + parts


def check_wording(finding: str, certainty: str) -> str | None:
    """The message if a finding states an effect without the hedge its certainty needs."""
    if certainty == "high" or not EFFECT_WORDING.search(finding):
        return None
    if re.search(HEDGE[certainty], finding, re.IGNORECASE):
        return None
    verb = EFFECT_WORDING.search(finding)[0]
    return (f'finding says "{verb}" at {certainty} certainty without "{HEDGE_WORD[certainty]}" '
            f'(GRADE informative statements: "probably" moderate, "may" low, "very uncertain" '
            "very low)")


# ---------------------------------------------------------------------------------------------
# Edition control and published data


def current_recommendations(data: Mapping[str, Any], lines: Mapping[tuple, int] | None = None
                            ) -> dict[str, dict]:
    """ID -> {condition, kind, verb, text, certainty, outcomes, history, line} for one condition.

    ``certainty`` is the computed label (GRADE level, "good practice" or "hypothesis").
    """
    lines = lines or {}
    return {
        rec_id: {
            "condition": data["condition"], "kind": rec["kind"], "verb": rec["verb"],
            "text": rec["text"], "certainty": certainty_of(rec, data["outcomes"]),
            "outcomes": list(rec.get("outcomes", [])), "history": list(rec["history"]),
            "withdrawn": is_withdrawn(rec), "line": line_of(lines, "recommendations", rec_id),
        }
        for rec_id, rec in data["recommendations"].items()
    }


def snapshot(recommendations: Mapping[str, Mapping[str, Any]], edition: str,
             published: str) -> dict:
    """The last-edition.json document for ``recommendations`` (from current_recommendations)."""
    fields = ("condition", "kind", "verb", "text", "certainty")
    return {"edition": edition, "published": published,
            "recommendations": {rec_id: {field: rec[field] for field in fields}
                                for rec_id, rec in sorted(recommendations.items())
                                if not rec.get("withdrawn")}}


def check_edition(current_recs: Mapping[str, Mapping[str, Any]],
                  snapshot_recs: Mapping[str, Any], changelog_text: str) -> list[Problem]:
    """A recommendation changed or withdrawn since the snapshot without a changelog entry.

    ``current_recs``: ID -> {text, verb, certainty[, line]}, as from current_recommendations
    (merged across conditions). ``snapshot_recs``: the last-edition.json document, or just its
    ``recommendations`` mapping. Only changelog text above the snapshot edition's own heading
    ("## Edition 2026.1 ...") counts, so the entry that first published an ID does not excuse
    a later change; without that heading the whole changelog counts.
    """
    edition = snapshot_recs.get("edition") if "recommendations" in snapshot_recs else None
    published = snapshot_recs.get("recommendations", snapshot_recs)
    since = changelog_text
    if edition:
        heading = re.search(rf"^#+ .*\bEdition {re.escape(edition)}\b", changelog_text,
                            re.MULTILINE)
        if heading:
            since = changelog_text[:heading.start()]
    problems = []

    def named(rec_id: str) -> bool:
        return bool(re.search(rf"(?<![\w-]){re.escape(rec_id)}(?![\w-])", since))

    def later(rec: Mapping[str, Any]) -> list[str]:
        """Its history labels for editions after the snapshot's."""
        if not edition:
            return list(rec.get("history", []))
        return [label for label in rec.get("history", [])
                if edition_key(label.split()[1]) > edition_key(edition)]

    for rec_id, new in sorted(current_recs.items()):
        if rec_id in published or "history" not in new or new.get("withdrawn"):
            continue  # published before, or withdrawn before the snapshot was taken
        if not named(rec_id):
            problems.append(Problem(new.get("line", 1),
                                    f"recommendation {rec_id} is new since edition "
                                    f"{edition or 'the snapshot'} but no changelog entry "
                                    f"names {rec_id}"))
        if not any(label.startswith("new ") for label in later(new)):
            problems.append(Problem(new.get("line", 1),
                                    f"recommendation {rec_id} is new since edition "
                                    f"{edition or 'the snapshot'}; its history needs "
                                    '"new <edition>" for a later edition'))
    for rec_id, old in sorted(published.items()):
        new = current_recs.get(rec_id)
        line = new.get("line", 1) if new else 1
        if new is None or new.get("withdrawn"):
            if not named(rec_id):
                problems.append(Problem(line, f"recommendation {rec_id} was published in edition "
                                              f"{edition or 'the snapshot'} and has gone, but no "
                                              "changelog entry names it"))
            continue
        changed = [field for field in ("text", "verb", "certainty") if new[field] != old[field]]
        if changed and "history" in new and not any(label.startswith("amended ")
                                                    for label in later(new)):
            problems.append(Problem(
                line, f"recommendation {rec_id}: {', '.join(changed)} changed since edition "
                      f"{edition or 'the snapshot'} but its history has no later "
                      '"amended <edition>" label'))
        if changed and not named(rec_id):
            detail = "; ".join(f"{field} {json.dumps(old[field], ensure_ascii=False)} -> "
                               f"{json.dumps(new[field], ensure_ascii=False)}"
                               for field in changed if field != "text")
            problems.append(Problem(
                line, f"recommendation {rec_id}: {', '.join(changed)} changed since edition "
                      f"{edition or 'the snapshot'} but no changelog entry names {rec_id}"
                      + (f" ({detail})" if detail else "")))
    return problems


# ---------------------------------------------------------------------------------------------
# Text for the rendered tables (the adapters only assemble it)

DOMAIN_NAMES = {
    "risk_of_bias": "Risk of bias", "inconsistency": "Inconsistency",
    "indirectness": "Indirectness", "imprecision": "Imprecision",
    "publication_bias": "Publication bias", "large_effect": "Large effect",
    "dose_response": "Dose-response", "plausible_confounding": "Plausible confounding",
}


def recommendation_anchor(rec_id: str) -> str:
    """``FM-1`` -> ``fm-1`` (page.html#fm-1)."""
    return rec_id.lower()


def outcome_anchor(condition: str, outcome_id: str) -> str:
    """The id of an outcome's summary-of-findings row: ``outcome-fibromyalgia-pain-45mg``."""
    return f"outcome-{condition}-{outcome_id}"


def number(value: float, places: int | None = None) -> str:
    """A reported number as printed, with a true minus sign; ``places`` decimals if given."""
    text = f"{value:.{places}f}" if places is not None else f"{value:g}"
    return text.replace("-", "\u2212")


def places(*values: float) -> int:
    """Decimals to print an estimate and its CI with (YAML reads -1.20 as -1.2): the most any
    of them has, so "−0.86 (95% CI −1.20 to −0.51)" keeps the reported precision."""
    return max((len(repr(float(v)).split(".")[1]) if float(v) % 1 else 0) for v in values)


def estimate_with_ci(estimate: float, low: float | None = None, high: float | None = None
                     ) -> str:
    """``"−0.86 (95% CI −1.20 to −0.51)"``; the estimate alone if no CI."""
    if low is None or high is None:
        return number(estimate)
    digits = places(estimate, low, high)
    return (f"{number(estimate, digits)} "
            f"(95% CI {number(low, digits)} to {number(high, digits)})")


def footnote_mark(index: int) -> str:
    """Footnote letters, Cochrane style: 1 -> a, 26 -> z, 27 -> aa."""
    text = ""
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def effect_text(effect: str | Mapping[str, Any]) -> str:
    """``"Mean difference −0.34 (95% CI −0.95 to 0.27); p = 0.27"`` or ``"Not reported"``."""
    if isinstance(effect, str):
        return effect[:1].upper() + effect[1:]
    text = (f"{effect['measure']} "
            f"{estimate_with_ci(effect['estimate'], effect.get('ci_low'), effect.get('ci_high'))}")
    return text + (f"; {effect['note']}" if "note" in effect else "")


def pooled_text(pooled: Mapping[str, Any]) -> str:
    """One published pooled result, without its citation (the adapter adds it)."""
    if "estimate" in pooled:
        text = (f"{pooled['measure']} "
                f"{estimate_with_ci(pooled['estimate'], pooled['ci_low'], pooled['ci_high'])}")
    else:
        text = f"{pooled['measure']}: {pooled['result']}"
    size = []
    if "n_studies" in pooled:
        size.append(f"{pooled['n_studies']} {'study' if pooled['n_studies'] == 1 else 'studies'}")
    if "participants" in pooled:
        size.append(f"{pooled['participants']:,} participants")
    details = ", ".join(size) + ("; " if size and "scope" in pooled else "")
    details += pooled.get("scope", "")
    return text + (f"; {details}" if details else "")


def participants_text(outcome: Mapping[str, Any]) -> str:
    """``"89 (2 studies)"``."""
    count = outcome["n_studies"]
    return f"{outcome['participants']:,} ({count} {'study' if count == 1 else 'studies'})"


def footnotes(outcome: Mapping[str, Any]) -> list[str]:
    """One line per domain or upgrade that moved the certainty: ``"Imprecision (−1): ..."``."""
    return [f"{DOMAIN_NAMES[name]} ({number(level) if level < 0 else f'+{level}'}): {reason}"
            for name, level, reason in downgrades(outcome)]


# ---------------------------------------------------------------------------------------------
# Forest-style figures: each study's result and each published pooled result, as reported


def forest_rows(outcome: Mapping[str, Any], studies: Mapping[str, Mapping[str, Any]]
                ) -> list[dict]:
    """One row per study of the outcome, then one per published pooled result.

    Each row: ``label``, ``citation``, ``pooled`` (bool), ``axis`` (None when there is no
    number to draw), ``estimate``, ``ci_low``, ``ci_high`` (None when not reported) and
    ``text``, the result read out in words for the text alternative. The guide pools nothing:
    a pooled row is always a published review's own analysis.
    """
    rows = []
    results = outcome.get("study_results", {})
    for key in outcome["studies"]:
        result = results.get(key)
        if result is None and len(outcome["studies"]) == 1 and isinstance(outcome["effect"],
                                                                          Mapping):
            result = outcome["effect"]
        rows.append(forest_row(studies[key]["label"], key, result, pooled=False))
    for pooled in outcome.get("pooled", []):
        label = pooled.get("label") or studies[pooled["citation"]]["label"]
        result = pooled if "estimate" in pooled else f"{pooled['measure']}: {pooled['result']}"
        rows.append(forest_row(label, pooled["citation"], result, pooled=True))
    return rows


def forest_row(label: str, citation: str, result, pooled: bool) -> dict:
    row = {"label": label, "citation": citation, "pooled": pooled, "axis": None,
           "estimate": None, "ci_low": None, "ci_high": None}
    if isinstance(result, Mapping):
        row.update(axis=result.get("axis", result["measure"]), estimate=result["estimate"],
                   ci_low=result.get("ci_low"), ci_high=result.get("ci_high"))
        numbers = estimate_with_ci(result["estimate"], result.get("ci_low"),
                                   result.get("ci_high"))
        text = f"{result['measure']} {numbers}"
        if result.get("ci_low") is None:
            text += ", no 95% CI reported"
        if result.get("note"):
            text += f" ({result['note']})"
        row["text"] = text
    else:
        row["text"] = result or "no estimate reported"
    return row


def forest_description(outcome: Mapping[str, Any], rows: list[dict]) -> str:
    """The figure's text alternative: every estimate read out, pooled ones as the authors'."""
    own = [f"{row['label']}: {row['text']}" for row in rows if not row["pooled"]]
    theirs = [f"{row['label']}: {row['text']}" for row in rows if row["pooled"]]
    text = f"Figure: {outcome['name']}. Each study as reported: " + "; ".join(own) + "."
    if theirs:
        text += (" Pooled estimates published by the reviews' authors (this guide pools "
                 "nothing): " + "; ".join(theirs) + ".")
    return text


# ---------------------------------------------------------------------------------------------
# Published data: recommendations.json


def published_recommendations(conditions: Iterable[Mapping[str, Any]], edition: str,
                              pages: Mapping[str, str], changelog_page: str) -> dict:
    """The recommendations.json document: every recommendation of every condition, by ID.

    ``pages``: condition slug -> the condition page's URL relative to the site root. A
    withdrawn recommendation points to the changelog instead of an anchor. Deterministic: no
    dates, IDs sorted.
    """
    records = []
    for data in conditions:
        outcomes, page = data["outcomes"], pages[data["condition"]]
        for rec_id, rec in data["recommendations"].items():
            withdrawn = is_withdrawn(rec)
            label = certainty_of(rec, outcomes)
            anchor = None if withdrawn else recommendation_anchor(rec_id)
            records.append({
                "id": rec_id, "condition": data["condition"], "kind": rec["kind"],
                "verb": rec["verb"], "text": rec["text"], "certainty": label,
                "certainty_label": certainty_label(label),
                "status": "withdrawn" if withdrawn else "current",
                "outcomes": [{"id": name, "name": outcomes[name]["name"],
                              "certainty": outcome_certainty(outcomes[name]),
                              "importance": outcomes[name]["importance"],
                              "url": f"{page}#{outcome_anchor(data['condition'], name)}"}
                             for name in rec.get("outcomes", [])],
                "page": changelog_page if withdrawn else page, "anchor": anchor,
                "url": changelog_page if withdrawn else f"{page}#{anchor}",
                "history": list(rec["history"]), "edition_label": edition_labels(rec["history"]),
                "rationale": rec["rationale"],
            })
    return {"edition": edition, "recommendations": sorted(records, key=id_order)}


def id_order(record: Mapping[str, Any]) -> tuple[str, int]:
    """``FM-10`` after ``FM-9``."""
    prefix, number = record["id"].rsplit("-", 1)
    return prefix, int(number)


def validate_published(document: Mapping[str, Any], schema_document: Mapping[str, Any]
                       ) -> list[str]:
    """Messages for every way ``document`` breaks recommendations.schema.json."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema_document)
    return [f"{'/'.join(map(str, error.path)) or 'document'}: {error.message}"
            for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path))]
