"""Risk of bias per study and outcome, and the GRADE risk-of-bias domain it bounds.

Each study's ``risk_of_bias`` names its tool and judges it domain by domain
(docs/about/grading.md, "Risk of bias"):

- **RoB 2** (randomised; ``RoB 2 crossover`` adds DS, period and carryover effects): D1
  randomisation, D2 deviations from intended interventions, D3 missing outcome data, D4
  measurement of the outcome, D5 selection of the reported result; each low, some concerns,
  high or no information. Overall: high if any domain is high, otherwise "not assessed" if any
  has no information, otherwise some concerns if any has some concerns, otherwise low.
- **ROBINS-I** (non-randomised): D1 confounding, D2 selection of participants, D3
  classification of interventions, D4 deviations, D5 missing data, D6 measurement of outcomes,
  D7 selection of the reported result; each low, moderate, serious, critical or no information.
  Overall: the worst of critical or serious if any, otherwise "not assessed" if any domain has
  no information, otherwise the worst of moderate and low.
- **not applicable** for a review or meta-analysis (``review_tool`` says which tool, AMSTAR 2
  or ROBIS, would apply and whether it was done).

``results`` overrides domains for one outcome's result (a secondary outcome's selective
reporting, an adverse-event rate from a news report). The stated ``judgement`` must be the
computed overall for the study's main result.

**The GRADE rule** (:func:`bias_share`): an outcome's risk-of-bias level may be 0 (no
concern) only while less than half of its participants (studies weighted by their n) are in
studies at high risk for that outcome (RoB 2 high; ROBINS-I serious or critical) or not
assessed. Otherwise the build asks for at least -1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import Problem
from .lines import at
from .model import RANDOMISED, REVIEWS

ROB2 = {"D1": "Randomisation process", "D2": "Deviations from intended interventions",
        "D3": "Missing outcome data", "D4": "Measurement of the outcome",
        "D5": "Selection of the reported result"}
ROB2_CROSSOVER = {"D1": ROB2["D1"], "DS": "Period and carryover effects",
                  **{key: value for key, value in ROB2.items() if key != "D1"}}
ROBINS_I = {"D1": "Confounding", "D2": "Selection of participants",
            "D3": "Classification of interventions",
            "D4": "Deviations from intended interventions", "D5": "Missing data",
            "D6": "Measurement of outcomes", "D7": "Selection of the reported result"}
TOOLS = {"RoB 2": ROB2, "RoB 2 crossover": ROB2_CROSSOVER, "ROBINS-I": ROBINS_I}
NO_INFO = "no information"
NOT_ASSESSED = "not assessed"
JUDGEMENTS = {"RoB 2": ("low", "some concerns", "high"),
              "ROBINS-I": ("low", "moderate", "serious", "critical")}
HIGH = frozenset({"high", "serious", "critical"})  # a study at high risk, for the GRADE rule


def scale(tool: str) -> tuple[str, ...]:
    """The judgements a tool allows, best first (RoB 2 and its crossover variant alike)."""
    return JUDGEMENTS["ROBINS-I" if tool == "ROBINS-I" else "RoB 2"]


def overall(tool: str, domains: Mapping[str, Mapping[str, str]]) -> str:
    """The overall judgement from the domain judgements (module docstring)."""
    if tool == "not applicable":
        return "not applicable"
    levels = scale(tool)
    found = [value["judgement"] for value in domains.values()]
    worst = max((levels.index(j) for j in found if j in levels), default=0)
    if levels[worst] in HIGH:
        return levels[worst]
    if NO_INFO in found or len(domains) < len(TOOLS[tool]):
        return NOT_ASSESSED
    return levels[worst]


def for_outcome(study: Mapping[str, Any], outcome: str) -> str:
    """The study's overall judgement for one outcome's result (with its overrides)."""
    bias = study["risk_of_bias"]
    domains = {**bias.get("domains", {}), **bias.get("results", {}).get(outcome, {})}
    return overall(bias["tool"], domains)


def bias_share(outcome_name: str, outcome: Mapping[str, Any],
               studies: Mapping[str, Mapping[str, Any]]) -> tuple[int, int, list[str]]:
    """(participants at high risk or not assessed, all participants, "key judgement" list)."""
    flagged, total, named = 0, 0, []
    for key in outcome["studies"]:
        study = studies.get(key)
        if study is None or not isinstance(study["n"], int) or "tool" not in study["risk_of_bias"]:
            continue
        judgement = for_outcome(study, outcome_name)
        total += study["n"]
        if judgement in HIGH or judgement == NOT_ASSESSED:
            flagged += study["n"]
            named.append(f"{key} {judgement}")
    return flagged, total, named


def check_risk_of_bias(data: Mapping[str, Any], lines: Mapping[tuple, int]) -> list[Problem]:
    """Every study's tool, domains and overall judgement; every outcome's level against them."""
    problems: list[Problem] = []
    faulty = set()  # studies whose own assessment is wrong: their outcomes wait for the fix
    for key, study in data["studies"].items():
        found = check_study(key, study, data["outcomes"], lines)
        problems += found
        if found:
            faulty.add(key)
    for name, outcome in data["outcomes"].items():
        if not faulty & set(outcome["studies"]):
            problems += check_outcome_level(name, outcome, data["studies"], lines)
    return problems


def check_study(key: str, study: Mapping[str, Any], outcomes: Mapping[str, Any],
                lines: Mapping[tuple, int]) -> list[Problem]:
    bias, where = study["risk_of_bias"], ("studies", key, "risk_of_bias")
    tool, design = bias["tool"], study["design_class"]
    expected = ("not applicable" if design in REVIEWS
                else ("RoB 2 crossover" if design == "Crossover RCT" else "RoB 2")
                if design in RANDOMISED else "ROBINS-I")
    if tool != expected:
        return [at(lines, where + ("tool",),
                   f'study {key}: a {design} is rated with "{expected}", not "{tool}"')]
    if tool == "not applicable":
        if "review_tool" not in bias or "domains" in bias:
            return [at(lines, where + ("tool",),
                       f"study {key}: a review is not rated with RoB 2 or ROBINS-I; give "
                       "review_tool (which tool, e.g. AMSTAR 2 or ROBIS, and whether it was "
                       "done) and no domains")]
        return check_stated(key, bias, "not applicable", lines)
    problems = check_domains(key, tool, bias.get("domains", {}), where + ("domains",), lines,
                             complete=True)
    for name, override in bias.get("results", {}).items():
        if name not in outcomes or key not in outcomes[name]["studies"]:
            problems.append(at(lines, where + ("results", name),
                               f'study {key}: results names "{name}", which is not an '
                               "outcome this study contributes to"))
        problems += check_domains(key, tool, override, where + ("results", name), lines)
    if not problems:
        problems += check_stated(key, bias, overall(tool, bias["domains"]), lines)
    return problems


def check_domains(key: str, tool: str, domains: Mapping[str, Any], where: tuple,
                  lines: Mapping[tuple, int], complete: bool = False) -> list[Problem]:
    names, allowed = TOOLS[tool], scale(tool) + (NO_INFO,)
    problems = [at(lines, where + (name,), f'study {key}: {tool} has no domain "{name}"; its '
                                           f'domains are {", ".join(names)}')
                for name in domains if name not in names]
    problems += [at(lines, where + (name, "judgement"),
                    f'study {key}: {tool} {name} judgement "{value["judgement"]}" is not one '
                    f'of {", ".join(allowed)}')
                 for name, value in domains.items()
                 if name in names and value["judgement"] not in allowed]
    missing = [name for name in names if name not in domains]
    if complete and missing:
        problems.append(at(lines, where, f"study {key}: {tool} domains missing: "
                                         f'{", ".join(missing)} (write "{NO_INFO}" where the '
                                         "sources seen do not say)"))
    return problems


def check_stated(key: str, bias: Mapping[str, Any], computed: str,
                 lines: Mapping[tuple, int]) -> list[Problem]:
    if bias["judgement"] == computed:
        return []
    return [at(lines, ("studies", key, "risk_of_bias", "judgement"),
               f'study {key}: risk-of-bias judgement "{bias["judgement"]}" disagrees with '
               f'the one its domains give, "{computed}"')]


def check_outcome_level(name: str, outcome: Mapping[str, Any],
                        studies: Mapping[str, Mapping[str, Any]],
                        lines: Mapping[tuple, int]) -> list[Problem]:
    """Level 0 needs less than half the participants at high risk or not assessed."""
    if outcome["domains"]["risk_of_bias"]["level"] != 0:
        return []
    flagged, total, named = bias_share(name, outcome, studies)
    if not total or flagged * 2 < total:
        return []
    return [at(lines, ("outcomes", name, "domains", "risk_of_bias", "level"),
               f"outcome {name}: risk_of_bias is 0 (no concern) but {flagged} of {total} "
               f"participants are in studies at high risk of bias or not assessed for this "
               f'outcome ({", ".join(named)}); rate it down (-1) or complete the assessments '
               "(docs/about/grading.md, Risk of bias)")]
