"""Imprecision anchored: a minimal important difference (MID) and an optimal information size
(OIS) per outcome, and the level they give (docs/about/grading.md, "Imprecision").

- **Thresholds**: continuous outcomes use -MID and +MID in the scale's units; dichotomous
  outcomes the risk ratios 2 - MID and MID (0.75 and 1.25, GRADE's rough guide, Guyatt 2011).
- **CI**: ``within`` (the 95% CI crosses neither threshold), ``crosses-one``, ``crosses-both``
  or ``none`` (no CI for the body of evidence). When the outcome's effect has a CI the build
  classifies it itself and the file must agree.
- **OIS**: the participants one adequately powered trial would need to detect the MID,
  4 (1.96 + 0.84)^2 SD^2 / MID^2 (two-sided alpha 0.05, power 80%, two equal arms), from the
  SD the file gives with its source; or an OIS given with its basis; otherwise not known, and
  then not met.
- **Level**: within: 0 if the OIS is met, else -1; crosses-one: -1; crosses-both: -2; none:
  -1 if the OIS is met, else -2. A level that departs from this needs ``departure`` saying why.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .. import Problem
from .lines import at

Z = 1.96 + 0.84  # two-sided alpha 0.05, power 80 %


def optimal_information_size(precision: Mapping[str, Any]) -> int | None:
    """Participants needed (both arms), or None when the file gives no way to know."""
    if "ois" in precision:
        return precision["ois"]["participants"]
    mid, sd = precision["mid"].get("value"), precision.get("sd", {}).get("value")
    if precision["type"] != "continuous" or not mid or not sd:
        return None
    return math.ceil(4 * Z ** 2 * sd ** 2 / mid ** 2)


def classify(low: float, high: float, precision: Mapping[str, Any]) -> str:
    """within / crosses-one / crosses-both for a CI against the outcome's thresholds."""
    mid = precision["mid"]["value"]
    down, up = (-mid, mid) if precision["type"] == "continuous" else (2 - mid, mid)
    crossed = sum(low < threshold < high for threshold in (down, up))
    return ("within", "crosses-one", "crosses-both")[crossed]


def expected_level(ci: str, ois_met: bool) -> int:
    return {"within": 0 if ois_met else -1, "crosses-one": -1, "crosses-both": -2,
            "none": -1 if ois_met else -2}[ci]


def check_precision(data: Mapping[str, Any], lines: Mapping[tuple, int]) -> list[Problem]:
    problems: list[Problem] = []
    for name, outcome in data["outcomes"].items():
        problems += check_outcome(name, outcome, lines)
    return problems


def check_outcome(name: str, outcome: Mapping[str, Any], lines: Mapping[tuple, int]
                  ) -> list[Problem]:
    precision, where = outcome["precision"], ("outcomes", name, "precision")
    mid = precision["mid"]
    if ("value" in mid) == ("none" in mid) or ("value" in mid and not {"unit", "cite"} <= set(mid)):
        return [at(lines, where + ("mid",),
                   f"outcome {name}: mid needs value, unit and cite (its source), or none "
                   "with the reason no MID is available")]
    ci = precision["ci"]
    effect = outcome["effect"]
    if isinstance(effect, dict) and "ci_low" in effect and "value" in mid:
        computed = classify(effect["ci_low"], effect["ci_high"], precision)
        if computed != ci:
            return [at(lines, where + ("ci",),
                       f'outcome {name}: ci is "{ci}" but the effect\'s 95% CI '
                       f'({effect["ci_low"]} to {effect["ci_high"]}) against an MID of '
                       f'{mid["value"]} is "{computed}"')]
    elif ci != "none" and "ci_source" not in precision:
        return [at(lines, where + ("ci",),
                   f'outcome {name}: ci is "{ci}" but the effect has no CI; give ci_source '
                   "(where the interval comes from) or write none")]
    ois = optimal_information_size(precision)
    met = ois is not None and outcome["participants"] >= ois
    expected = expected_level(ci, met)
    level = outcome["domains"]["imprecision"]["level"]
    if level == expected or "departure" in precision:
        return []
    size = (f"{outcome['participants']} participants against an optimal information size of "
            f"{ois}" if ois is not None else "no optimal information size known")
    return [at(lines, ("outcomes", name, "domains", "imprecision", "level"),
               f"outcome {name}: imprecision is {level} but the rule gives {expected} "
               f"(CI {ci}; {size}); change the level or say why in precision.departure "
               "(docs/about/grading.md, Imprecision)")]
