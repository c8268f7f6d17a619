"""Certainty: computed, never typed.

An outcome starts ``high`` (every study randomised) or ``low`` (any study non-randomised), moves
down one level per -1 in its five domains and up one per +1 upgrade, and stops at ``very low``
and ``high`` (:func:`outcome_certainty`). A recommendation's certainty is the lowest of its
critical outcomes, or of all its outcomes if none is critical (:func:`recommendation_certainty`).
Good-practice points and hypotheses carry their own label, never a GRADE level.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import DOMAINS, KIND_LABEL, LEVELS, RANDOMISED, REVIEWS


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
