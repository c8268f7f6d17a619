"""Checks beyond the schema, on schema-valid data; every message names the ID.

- **Keys resolve**: outcomes name studies in the study table (primary studies, not reviews,
  whose results go under ``pooled``); recommendations name outcomes that exist; every citation
  key is in refs.bib (``known_keys``).
- **A recommendation's certainty**: its ``certainty_stated`` must equal the computed one.
- **Verb and strength** (:func:`check_recommendation`): ``offer`` needs moderate or high
  certainty; a hypothesis may not ``offer`` or ``consider``; the text begins with its verb.
- **Absolute effects** (:func:`.absolute.check_absolute`): the risk with LDN agrees with the
  comparator risk and the ratio, within rounding.
- **A summary-of-findings row says something** (:func:`check_summary_row`): an outcome with
  no effect and no absolute effects carries a one-sentence ``narrative``.
- **Wording** (:func:`check_wording`): a finding that states an effect uses GRADE's informative
  statement for its certainty.
- **A short rationale** (:func:`check_rationale`): at most five sentences, since the page prints
  it under "Rationale and impact", NICE-style, before any evidence.

An outcome whose certainty cannot be trusted (bad study keys or start) skips the checks that
depend on it, so that one fault gives one message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .. import Problem
from .absolute import check_absolute
from .certainty import expected_start, outcome_certainty, recommendation_certainty
from .lines import at
from .model import KIND_LABEL, LEVELS, REVIEWS, VERB_WORDS, is_withdrawn
from .precision import check_precision
from .risk_of_bias import check_risk_of_bias
from .strength import check_strength

# GRADE informative statements (Santesso 2020): the hedge each certainty requires.
# Moderate takes "probably" or "likely" (Santesso 2020 gives "likely results in").
HEDGE = {"moderate": r"\bprobably\b|\blikely\b", "low": r"\bmay\b",
         "very low": r"\bvery uncertain\b"}
HEDGE_WORD = {"moderate": "probably", "low": "may", "very low": "very uncertain"}
EFFECT_VERBS = ("reduce", "improve", "increase", "decrease", "raise", "ease", "relieve",
                "lower", "worsen")
EFFECT_WORDING = re.compile(  # each verb with -s, -d/-ed and -ing
    r"\b(?:" + "|".join(rf"{verb.removesuffix('e')}(?:e|es|ed|ing|s)?" for verb in EFFECT_VERBS)
    + r")\b", re.IGNORECASE)

Lines = Mapping[tuple, int]
Known = set[str] | None  # the refs.bib keys; None skips the citation checks


def check_condition(data: Mapping[str, Any], lines: Lines,
                    known_keys: Iterable[str] | None = None) -> list[Problem]:
    """Every rule of the module docstring on schema-valid data; messages name the ID."""
    known = None if known_keys is None else set(known_keys)
    studies, outcomes = data["studies"], data["outcomes"]
    problems = check_study_keys(studies, known, lines)
    # Outcomes whose certainty cannot be trusted (bad study keys or start): the checks that
    # depend on it are skipped, so that one fault gives one message.
    unsure: set[str] = set()
    for name, outcome in outcomes.items():
        found, trusted = check_outcome(name, outcome, studies, known, lines)
        problems += found
        if not trusted:
            unsure.add(name)
    for rec_id, rec in data["recommendations"].items():
        problems += check_recommendation_refs(rec_id, rec, outcomes, known, lines)
        problems += check_recommendation_certainty(rec_id, rec, outcomes, unsure, lines)
        problems += check_rationale(rec_id, rec, lines)
    problems += check_quick_reference(data, known, lines)
    # Risk of bias per study, imprecision's anchor, strength (grading page).
    problems += check_risk_of_bias(data, lines) + check_precision(data, lines)
    problems += check_strength(data, lines, unsure)
    return sorted(problems, key=lambda p: p.line)


def check_study_keys(studies: Mapping[str, Any], known: Known, lines: Lines) -> list[Problem]:
    """Each study's key is a refs.bib citation key."""
    return [at(lines, ("studies", key), f'study {key}: citation key "{key}" is not in refs.bib; '
                                        "add the entry or fix the key")
            for key in studies if known is not None and key not in known]


def check_outcome(name: str, outcome: Mapping[str, Any], studies: Mapping[str, Any],
                  known: Known, lines: Lines) -> tuple[list[Problem], bool]:
    """(problems, trusted): trusted is False when the outcome's certainty cannot be computed
    from what the file says (a study key that is not a primary study, or a wrong start)."""
    problems = check_outcome_studies(name, outcome, studies, lines)
    trusted = not problems
    problems += check_outcome_counts(name, outcome, studies, lines)
    if trusted:
        start = check_start(name, outcome, studies, lines)
        trusted = not start
        problems += start
    problems += check_upgrades(name, outcome, lines)
    problems += check_outcome_results(name, outcome, studies, known, lines)
    problems += check_absolute(name, outcome, known, lines) + check_summary_row(name, outcome,
                                                                                 lines)
    wording = check_wording(outcome["finding"], outcome_certainty(outcome)) if trusted else None
    if wording:
        problems.append(at(lines, ("outcomes", name, "finding"), f"outcome {name}: {wording}"))
    return problems, trusted


def check_upgrades(name: str, outcome: Mapping[str, Any], lines: Lines) -> list[Problem]:
    """Only evidence that starts low is rated up (the grading page): from high it cannot rise,
    so an upgrade would only cancel a rating down, unless the file says why (departure)."""
    if outcome["start"] != "high":
        return []
    return [at(lines, ("outcomes", name, "upgrades", upgrade),
               f'outcome {name}: it starts "high" (every study randomised) and is rated up '
               f"for {upgrade.replace('_', ' ')}; an upgrade there only cancels a rating "
               f"down: set its level to 0, or say why in upgrades.{upgrade}.departure")
            for upgrade, value in outcome.get("upgrades", {}).items()
            if value["level"] and "departure" not in value]


def check_summary_row(name: str, outcome: Mapping[str, Any], lines: Lines) -> list[Problem]:
    """Where nothing can be pooled, the row needs GRADE's one-sentence narrative summary."""
    if (outcome["effect"] != "not reported" or outcome.get("absolute_effects")
            or outcome.get("narrative")):
        return []
    return [at(lines, ("outcomes", name, "effect"),
               f'outcome {name}: effect is "not reported" and there are no absolute_effects, '
               "so the summary of findings has nothing to show: add narrative, one sentence "
               'such as "3 trials, 187 people: one small crossover favoured LDN; two larger '
               'trials found no difference"')]


def check_outcome_studies(name: str, outcome: Mapping[str, Any], studies: Mapping[str, Any],
                          lines: Lines) -> list[Problem]:
    """Every study the outcome names is a primary study of the study table."""
    problems = []
    for number, key in enumerate(outcome["studies"]):
        where = ("outcomes", name, "studies", number)
        if key not in studies:
            problems.append(at(lines, where, f'outcome {name}: study "{key}" is not in the '
                                             "studies table; add its row or fix the key"))
        elif studies[key]["design_class"] in REVIEWS:
            problems.append(at(lines, where,
                               f'outcome {name}: "{key}" is a '
                               f'{studies[key]["design_class"].lower()}; list primary studies '
                               "here and put its pooled result under pooled"))
    return problems


def check_outcome_counts(name: str, outcome: Mapping[str, Any], studies: Mapping[str, Any],
                         lines: Lines) -> list[Problem]:
    """n_studies counts the studies listed; participants are no more than they enrolled."""
    problems = []
    listed = outcome["studies"]
    if outcome["n_studies"] != len(listed):
        problems.append(at(lines, ("outcomes", name, "n_studies"),
                           f"outcome {name}: n_studies is {outcome['n_studies']} but "
                           f"{len(listed)} studies are listed"))
    total = sum(studies[key]["n"] for key in listed
                if key in studies and isinstance(studies[key]["n"], int))
    if all(key in studies for key in listed) and outcome["participants"] > total:
        problems.append(at(lines, ("outcomes", name, "participants"),
                           f"outcome {name}: {outcome['participants']} participants, more than "
                           f"the {total} its studies enrolled"))
    return problems


def check_start(name: str, outcome: Mapping[str, Any], studies: Mapping[str, Any],
                lines: Lines) -> list[Problem]:
    """The outcome starts high when every study is randomised, low otherwise."""
    start = expected_start(outcome, studies)
    if outcome["start"] == start:
        return []
    why = "every study is randomised" if start == "high" else "not every study is randomised"
    return [at(lines, ("outcomes", name, "start"),
               f'outcome {name}: start is "{outcome["start"]}" but {why}, so it starts '
               f'"{start}"')]


def check_outcome_results(name: str, outcome: Mapping[str, Any], studies: Mapping[str, Any],
                          known: Known, lines: Lines) -> list[Problem]:
    """Study results belong to the outcome's studies; pooled results cite known entries."""
    where = ("outcomes", name)
    problems = [at(lines, where + ("study_results", key),
                   f'outcome {name}: study_results names "{key}", which is not one of its '
                   "studies")
                for key in outcome.get("study_results", {}) if key not in outcome["studies"]]
    for number, pooled in enumerate(outcome.get("pooled", [])):
        citation = pooled["citation"]
        if known is not None and citation not in known:
            problems.append(at(lines, where + ("pooled", number, "citation"),
                               f'outcome {name}: pooled citation "{citation}" is not in '
                               "refs.bib"))
        if "label" not in pooled and citation not in studies:
            problems.append(at(lines, where + ("pooled", number, "citation"),
                               f'outcome {name}: pooled citation "{citation}" is not a row of '
                               "the study table, so give it a label"))
    return problems


def check_recommendation_refs(rec_id: str, rec: Mapping[str, Any], outcomes: Mapping[str, Any],
                              known: Known, lines: Lines) -> list[Problem]:
    """Its outcomes exist, its citations are in refs.bib, and a point with no outcome has see."""
    where = ("recommendations", rec_id)
    problems = [at(lines, where + ("outcomes", number),
                   f'recommendation {rec_id}: outcome "{name}" is not in outcomes')
                for number, name in enumerate(rec.get("outcomes", [])) if name not in outcomes]
    for field in ("basis", "patient_cite"):
        problems += [at(lines, where + (field, number),
                        f'recommendation {rec_id}: {field.replace("_", " ")} citation "{key}" '
                        "is not in refs.bib")
                     for number, key in enumerate(rec.get(field, []))
                     if known is not None and key not in known]
    if (rec["kind"] != "recommendation" and not rec.get("see") and not rec.get("outcomes")
            and not is_withdrawn(rec)):
        problems.append(at(lines, where + ("kind",),
                           f"recommendation {rec_id}: a {rec['kind']} point rests on no "
                           "outcome, so it needs see (a page or section its key point links "
                           "to)"))
    return problems


def check_recommendation_certainty(rec_id: str, rec: Mapping[str, Any],
                                   outcomes: Mapping[str, Any], unsure: set[str],
                                   lines: Lines) -> list[Problem]:
    """:func:`check_recommendation` against the outcomes whose certainty can be trusted."""
    trusted = {name: value for name, value in outcomes.items() if name not in unsure}
    if any(name in unsure for name in rec.get("outcomes", [])):
        trusted = {}  # its certainty is unknown until the outcome's fault is fixed
    return [at(lines, ("recommendations", rec_id, field), f"recommendation {rec_id}: {text}")
            for field, text in check_recommendation(rec, trusted)]


MAX_RATIONALE_SENTENCES = 5
# A sentence ends at . ! or ? before a space and a capital, a digit or a quote; not after an
# initial ("D.M. Bear") or a common abbreviation.
SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)"
                          r"[.!?][\"”’)]?\s+(?=[A-Z0-9\"“‘(])")


def sentences(text: str) -> int:
    return len(SENTENCE_END.findall(text.strip())) + 1 if text.strip() else 0


def check_rationale(rec_id: str, rec: Mapping[str, Any], lines: Lines) -> list[Problem]:
    """The rationale a page prints under its recommendation: at most five sentences."""
    count = sentences(rec["rationale"])
    if count <= MAX_RATIONALE_SENTENCES:
        return []
    return [at(lines, ("recommendations", rec_id, "rationale"),
               f"recommendation {rec_id}: its rationale has {count} sentences; keep it to "
               f"{MAX_RATIONALE_SENTENCES} (the balance of benefit, harm and certainty), the "
               "detail belongs in the page's evidence sections")]


def check_quick_reference(data: Mapping[str, Any], known: Known, lines: Lines) -> list[Problem]:
    """The quick reference names current recommendations and cites known entries."""
    quick = data.get("quick_reference", {})
    problems = []
    for number, rec_id in enumerate(quick.get("recommendations", [])):
        where = ("quick_reference", "recommendations", number)
        if rec_id not in data["recommendations"]:
            problems.append(at(lines, where, f'quick_reference: recommendation "{rec_id}" is not '
                                             "in recommendations"))
        elif is_withdrawn(data["recommendations"][rec_id]):
            problems.append(at(lines, where,
                               f"quick_reference: recommendation {rec_id} is withdrawn"))
    problems += [at(lines, ("quick_reference", "cite", number),
                    f'quick_reference: citation "{key}" is not in refs.bib')
                 for number, key in enumerate(quick.get("cite", []))
                 if known is not None and key not in known]
    return problems


def check_recommendation(rec: Mapping[str, Any], outcomes: Mapping[str, Mapping[str, Any]]
                         ) -> list[tuple[str, str]]:
    """(field, message) for the label, verb and wording rules of one recommendation."""
    found = (check_point_label(rec) if rec["kind"] in KIND_LABEL
             else check_graded(rec, outcomes))
    verb = rec["verb"]
    words = VERB_WORDS[verb]
    if not rec["text"].startswith(words) or (
            verb == "do-not" and rec["text"].startswith(VERB_WORDS["do-not-offer"])):
        found.append(("text", f'verb is "{verb}" but the text does not begin "{words} ..."'))
    return found


def check_point_label(rec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A good-practice point or hypothesis: its own label, and a hypothesis does not advise."""
    found = []
    stated, kind, verb = rec["certainty_stated"], rec["kind"], rec["verb"]
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
    return found


def check_graded(rec: Mapping[str, Any], outcomes: Mapping[str, Mapping[str, Any]]
                 ) -> list[tuple[str, str]]:
    """A graded recommendation: the stated certainty is the computed one, and "offer" needs
    moderate or high certainty."""
    found = []
    stated, verb = rec["certainty_stated"], rec["verb"]
    computed = recommendation_certainty(rec, outcomes)
    if computed is not None and stated != computed:
        found.append(("certainty_stated",
                      f'certainty_stated "{stated}" disagrees with the certainty computed '
                      f'from its outcomes, "{computed}" ({basis_of(rec, outcomes)})'))
    if computed is not None and verb == "offer" and computed not in ("moderate", "high"):
        found.append(("verb",
                      f'"offer" is a strong recommendation and needs moderate or high '
                      f'certainty; the evidence is {computed}: use "consider" or "tell"'))
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
            '(GRADE informative statements: "probably" or "likely" moderate, "may" low, '
            '"very uncertain" very low)')
