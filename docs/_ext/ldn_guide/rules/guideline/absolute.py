"""Anticipated absolute effects (GRADEpro's "risk with comparator / risk with intervention"):
the arithmetic, its check, and the words the summary of findings prints.

An outcome's ``absolute_effects`` each hold a ratio (risk ratio or odds ratio, with its 95% CI
and source), the comparator risk with its source, and the risk with LDN per 100 or per 1,000.
The risk with LDN must follow from the other two, within rounding (:func:`check_absolute`):

- risk ratio: risk with LDN = comparator risk x RR;
- odds ratio: on the odds, risk = OR x odds / (1 + OR x odds), odds = risk / (per - risk).

"Within rounding" means: each printed number stands for the interval that rounds to it (2.41
for 2.405 to 2.415, 130 for 129.5 to 130.5); the risk with LDN is accepted when it lies in the
range the formula gives over those intervals, widened by its own half unit. A risk over
``per`` (a risk ratio applied to a high comparator risk) is reported, not capped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import Problem
from .lines import at

ABBREVIATION = {"risk ratio": "RR", "odds ratio": "OR"}


def half_unit(value: float) -> float:
    """Half the last printed digit's unit: 2.41 -> 0.005, 130 -> 0.5 (YAML's own float text)."""
    text = repr(float(value))
    decimals = len(text.split(".")[1]) if float(value) % 1 else 0
    return 0.5 * 10 ** -decimals


def risk_with(comparator: float, ratio: float, measure: str, per: int) -> float:
    """The risk with LDN per ``per`` people that a ratio gives from a comparator risk."""
    if measure == "risk ratio":
        return comparator * ratio
    odds = ratio * comparator / (per - comparator)
    return per * odds / (1 + odds)


def accepted_range(comparator: float, ratio: float, measure: str, per: int,
                   printed: float) -> tuple[float, float]:
    """The values of the risk with LDN that agree with ``ratio`` and ``comparator`` within the
    rounding of all three (both formulas rise with the comparator risk and with the ratio)."""
    c, r = half_unit(comparator), half_unit(ratio)
    low = risk_with(max(comparator - c, 0), max(ratio - r, 0), measure, per)
    high = risk_with(min(comparator + c, per), ratio + r, measure, per)
    slack = half_unit(printed)
    return low - slack, high + slack


def check_absolute(name: str, outcome: Mapping[str, Any], known: set[str] | None,
                   lines: Mapping[tuple, int]) -> list[Problem]:
    """Each absolute effect: known citations, ordered intervals, the comparator risk within
    ``per``, and the risk with LDN (estimate and CI) agreeing with comparator risk x ratio."""
    problems = []
    for number, entry in enumerate(outcome.get("absolute_effects", [])):
        where = ("outcomes", name, "absolute_effects", number)
        who = f'outcome {name}: absolute effect "{entry["event"]}"'
        relative, comparator, ldn, per = (entry["relative"], entry["comparator"],
                                          entry["with_ldn"], entry["per"])
        for part in ("relative", "comparator"):
            key = entry[part]["citation"]
            if known is not None and key not in known:
                problems.append(at(lines, where + (part, "citation"),
                                   f'{who}: {part} citation "{key}" is not in refs.bib'))
        for part, values, point in (("relative", relative, "estimate"),
                                    ("with_ldn", ldn, "risk")):
            if not values["ci_low"] <= values[point] <= values["ci_high"]:
                problems.append(at(lines, where + (part,),
                                   f"{who}: {part} is not inside its own 95% CI"))
        if comparator["risk"] >= per:
            problems.append(at(lines, where + ("comparator", "risk"),
                               f"{who}: comparator risk {number_text(comparator['risk'])} is "
                               f"not below {per:,} people"))
            continue
        problems += check_risk_with_ldn(who, entry, where, lines)
    return problems


def check_risk_with_ldn(who: str, entry: Mapping[str, Any], where: tuple,
                        lines: Mapping[tuple, int]) -> list[Problem]:
    """The risk with LDN and its CI bounds, each against comparator risk x ratio."""
    relative, comparator, ldn, per = (entry["relative"], entry["comparator"],
                                      entry["with_ldn"], entry["per"])
    measure = relative["measure"]
    problems = []
    for field, ratio_field in (("risk", "estimate"), ("ci_low", "ci_low"),
                               ("ci_high", "ci_high")):
        ratio, printed = relative[ratio_field], ldn[field]
        expected = risk_with(comparator["risk"], ratio, measure, per)
        if expected > per:
            problems.append(at(lines, where + ("relative", ratio_field),
                               f"{who}: a {measure} of {number_text(ratio)} applied to a "
                               f"comparator risk of {number_text(comparator['risk'])} per "
                               f"{per:,} gives {expected:.0f}, more than {per:,}: use an odds "
                               "ratio, or leave the absolute effect out"))
            continue
        low, high = accepted_range(comparator["risk"], ratio, measure, per, printed)
        if not low <= printed <= high:
            problems.append(at(
                lines, where + ("with_ldn", field),
                f"{who}: with_ldn {field} {number_text(printed)} per {per:,} disagrees with "
                f"comparator risk {number_text(comparator['risk'])} x {measure} "
                f"{number_text(ratio)} = {expected:.1f} (within rounding {low:.1f} to "
                f"{high:.1f}); fix the risk, the ratio or the comparator risk"))
    return problems


def number_text(value: float) -> str:
    return f"{value:,g}" if float(value) % 1 else f"{int(value):,}"


# ---------------------------------------------------------------------------------------------
# What the summary of findings prints


def relative_text(entry: Mapping[str, Any]) -> str:
    """``"Vivid dreams: RR 2.41 (1.77 to 3.28)"`` (the adapter adds citation and footnote)."""
    from .text import estimate_with_ci

    relative = entry["relative"]
    numbers = estimate_with_ci(relative["estimate"], relative["ci_low"], relative["ci_high"])
    return f"{entry['event']}: {ABBREVIATION[relative['measure']]} {numbers.replace('95% CI ', '')}"


def absolute_text(entry: Mapping[str, Any], comparison: str) -> str:
    """``"Vivid dreams: 130 per 1,000 with placebo, 313 (230 to 426) with LDN: 183 more per
    1,000 (100 to 296 more)"``; the difference is derived here from the two risks."""
    per, comparator, ldn = entry["per"], entry["comparator"]["risk"], entry["with_ldn"]
    differences = [ldn[field] - comparator for field in ("risk", "ci_low", "ci_high")]
    return (f"{entry['event']}: {number_text(comparator)} per {per:,} with {comparison}, "
            f"{number_text(ldn['risk'])} ({number_text(ldn['ci_low'])} to "
            f"{number_text(ldn['ci_high'])}) with LDN: {difference_text(*differences)} per "
            f"{per:,}")


def difference_text(estimate: float, low: float, high: float) -> str:
    """``"183 more (100 to 296 more)"``, ``"32 fewer (189 fewer to 169 more)"``."""
    def word(value: float) -> str:
        return "more" if value > 0 else "fewer" if value < 0 else "no difference"

    def amount(value: float) -> str:
        return number_text(round(abs(value), 1)) if value else "0"

    if word(low) == word(high) == word(estimate):
        return f"{amount(estimate)} {word(estimate)} ({amount(low)} to {amount(high)} " \
               f"{word(high)})"
    return (f"{amount(estimate)} {word(estimate)} ({amount(low)} {word(low)} to "
            f"{amount(high)} {word(high)})")
