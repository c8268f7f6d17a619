"""Strength of recommendation (docs/about/grading.md, "Strength of recommendation").

- Every graded recommendation (kind ``recommendation``) states a strength, and good-practice
  points and hypotheses do not (they are not graded).
- The strength's direction fits the verb: ``offer`` is strong for, ``consider`` conditional
  for, ``tell`` for, ``do-not-offer`` and ``do-not`` against.
- A strong recommendation at low or very low certainty names one of GRADE's five paradigmatic
  situations in ``strength_justification`` (Andrews 2013, GRADE guidelines 15).

:data:`VERB_STRENGTHS` and :data:`STRENGTH_MEANING` are also what the grading page's wording
table prints (``{recommendation-wording}``), so the page cannot drift from the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import Problem
from .certainty import recommendation_certainty
from .lines import at
from .model import VERB_WORDS

VERB_STRENGTHS = {
    "offer": ("strong for",), "consider": ("conditional for",),
    "tell": ("strong for", "conditional for"),
    "do-not-offer": ("strong against", "conditional against"),
    "do-not": ("strong against", "conditional against"),
}
VERB_MEANING = {
    "offer": "Benefits clearly outweigh harms for most patients.",
    "consider": "The balance depends on the patient's values, or the evidence is uncertain; "
                "discuss the options and record the discussion.",
    "tell": "Information the patient must be given.",
    "do-not-offer": "Do not start it, except in a research study where the text says so.",
    "do-not": "Do not take the action named (any other prohibition).",
}
STRENGTH_MEANING = {
    "strong for": "Most informed patients would choose it.",
    "conditional for": "Many would choose it, some would not: decide with the patient.",
    "conditional against": "Most informed patients would not choose it outside research, but "
                           "some might: the balance is uncertain.",
    "strong against": "Almost no informed patient would choose it.",
}
LOW = ("low", "very low")


def check_strength(data: Mapping[str, Any], lines: Mapping[tuple, int],
                   unsure: Iterable[str] = ()) -> list[Problem]:
    """The three rules of the module docstring, one message per recommendation."""
    problems = []
    skip = set(unsure)
    for rec_id, rec in data["recommendations"].items():
        where = ("recommendations", rec_id)
        message = strength_problem(rec, data["outcomes"], skip)
        if message:
            field = "strength" if "strength" in rec else "kind"
            problems.append(at(lines, where + (field,), f"recommendation {rec_id}: {message}"))
    return problems


def strength_problem(rec: Mapping[str, Any], outcomes: Mapping[str, Any],
                     unsure: set[str]) -> str | None:
    strength, verb = rec.get("strength"), rec["verb"]
    if rec["kind"] != "recommendation":
        return (f'a {rec["kind"]} point is not graded, so it has no strength'
                if strength else None)
    if strength is None:
        return ('state its strength (strong or conditional, for or against; '
                'docs/about/grading.md)')
    if strength not in VERB_STRENGTHS[verb]:
        return (f'"{VERB_WORDS[verb]} ..." is {" or ".join(VERB_STRENGTHS[verb])}, not '
                f'"{strength}"')
    if any(name in unsure for name in rec.get("outcomes", [])):
        return None
    certainty = recommendation_certainty(rec, outcomes)
    if strength.startswith("strong") and certainty in LOW and "strength_justification" not in rec:
        return (f'a strong recommendation at {certainty} certainty needs '
                "strength_justification naming one of GRADE's five paradigmatic situations "
                "(docs/about/grading.md); otherwise make it conditional")
    return None


def printed_label(rec: Mapping[str, Any], outcomes: Mapping[str, Any]) -> str:
    """The parenthesis after a recommendation wherever it is printed (Key points, the quick
    reference, recommendations.json): ``(conditional against; very low-certainty evidence)``,
    or the kind's own label for a point that is not graded."""
    from .certainty import certainty_label, certainty_of

    label = certainty_label(certainty_of(rec, outcomes))
    strength = rec.get("strength")
    return f"({strength}; {label[1:]}" if strength else label
