"""rules.guideline: GRADE arithmetic, and one fault per fixture reported with its line and ID."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ldn_guide.rules import Problem
from ldn_guide.rules.guideline import (
    absolute_text,
    certainty_after,
    certainty_label,
    certainty_symbols,
    check_edition,
    current_recommendations,
    effect_text,
    footnote_mark,
    footnotes,
    line_index,
    load_condition,
    outcome_certainty,
    parse_condition,
    pooled_text,
    recommendation_certainty,
)

REPO = Path(__file__).resolve().parents[2]
CONDITIONS = REPO / "docs" / "data" / "conditions"
SCHEMA = json.loads((REPO / "docs" / "data" / "guideline.schema.json").read_text("utf-8"))
BIB_KEYS = set(re.findall(r"^@\w+\{([^,\s]+),", (REPO / "refs.bib").read_text("utf-8"), re.M))
KNOWN = {"trial2020", "review2021", "label2019"}

# A valid condition file; each fault below changes one thing. Line numbers are on the right.
VALID = """\
condition: demo
title: Demo
question:
  population: Adults with demo pain
  intervention: LDN 4.5 mg a day
  comparison: Placebo
studies:
  trial2020:
    label: Trial 2020
    design: Parallel RCT, double-blind
    design_class: RCT
    n: 100
    population: Adults with demo pain
    dose: 4.5 mg once daily
    duration: 12 weeks
    primary_outcome: Pain
    result: No difference
    direction: no difference
    funding: Public grant
    risk_of_bias: {judgement: low, reason: Double-blind, tool: RoB 2,
                   domains: {D1: {judgement: low, support: Computer list}, D2: {judgement: low, support: Masked}, D3: {judgement: low, support: All completed}, D4: {judgement: low, support: Masked}, D5: {judgement: low, support: As registered}}}
  review2021:
    label: Review 2021
    design: Meta-analysis
    design_class: Meta-analysis
    n: 300
    population: Adults with demo pain
    dose: As in the trials
    duration: As in the trials
    primary_outcome: Pain
    result: Small effect
    direction: favours LDN
    funding: None
    risk_of_bias: {judgement: not applicable, reason: A review, tool: not applicable,
                   review_tool: AMSTAR 2 would apply; not done}
outcomes:
  pain:
    name: Pain at 12 weeks
    importance: critical
    studies: [trial2020]
    participants: 100
    n_studies: 1
    effect: not reported
    narrative: "1 trial, 100 people: no difference from placebo."
    start: high
    precision: {type: continuous, mid: {value: 1, unit: point, cite: [label2019]}, ci: none}
    domains:
      risk_of_bias: {level: 0, reason: Double-blind}
      inconsistency: {level: 0, reason: One trial}
      indirectness: {level: 0, reason: Direct}
      imprecision: {level: -2, reason: One small trial}
      publication_bias: {level: 0, reason: Not assessable}
    pooled:
      - {citation: review2021, measure: Mean difference, estimate: -0.5, ci_low: -1, ci_high: 0}
    finding: LDN may make little or no difference to pain.
recommendations:
  DM-1:
    kind: recommendation
    verb: do-not-offer
    text: Do not offer LDN for demo pain.
    outcomes: [pain]
    strength: conditional against
    certainty_stated: low
    rationale: The trial was null.
    history: [new 2026.1]
  DM-2:
    kind: hypothesis
    verb: do-not
    text: Do not prescribe on the strength of the mechanism.
    basis: [label2019]
    see: [{doc: /ldn/mechanism}]
    certainty_stated: hypothesis
    rationale: Mechanism-based reasoning.
    history: [new 2026.1]
"""


def line_of(text: str, fragment: str) -> int:
    """1-based line of the (unique) fragment in the fixture, so the tables stay readable."""
    [number] = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return number


def test_valid_fixture_has_no_problems():
    data, problems = parse_condition(VALID, KNOWN, SCHEMA)
    assert problems == []
    assert outcome_certainty(data["outcomes"]["pain"]) == "low"


# (id, old text, new text, fragment on the faulty line, message)
FAULTS = [
    ("stated-certainty-disagrees",
     "certainty_stated: low", "certainty_stated: moderate", "certainty_stated: moderate",
     'recommendation DM-1: certainty_stated "moderate" disagrees with the certainty computed '
     'from its outcomes, "low" (lowest critical outcome: pain low)'),
    ("outcome-names-unknown-study",
     "studies: [trial2020]", "studies: [trial2002]", "studies: [trial2002]",
     'outcome pain: study "trial2002" is not in the studies table; add its row or fix the key'),
    ("unknown-downgrade-domain",
     "      publication_bias: {level: 0, reason: Not assessable}\n",
     "      publication_bias: {level: 0, reason: Not assessable}\n"
     "      funder: {level: -1, reason: Industry funded}\n",
     "funder:",
     'outcome pain domains: unknown downgrade domain "funder"; allowed: imprecision, '
     "inconsistency, indirectness, publication_bias, risk_of_bias"),
    ("unknown-downgrade-level",
     "imprecision: {level: -2", "imprecision: {level: -3", "level: -3",
     "outcome pain domains.imprecision.level: unknown level -3; allowed: 0, -1, -2"),
    ("reduces-at-low-certainty",
     "finding: LDN may make little or no difference to pain.", "finding: LDN reduces pain.",
     "finding: LDN reduces pain.",
     'outcome pain: finding says "reduces" at low certainty without "may" (GRADE informative '
     'statements: "probably" or "likely" moderate, "may" low, "very uncertain" very low)'),
    ("probably-at-low-certainty",
     "finding: LDN may make little or no difference to pain.",
     "finding: LDN probably improves pain.", "probably improves",
     'outcome pain: finding says "improves" at low certainty without "may" (GRADE informative '
     'statements: "probably" or "likely" moderate, "may" low, "very uncertain" very low)'),
    ("hypothesis-with-grade-label",
     "certainty_stated: hypothesis", "certainty_stated: very low", "certainty_stated: very low",
     'recommendation DM-2: a hypothesis point carries the GRADE certainty "very low"; GRADE '
     'rates evidence, so label it "hypothesis"'),
    ("rationale-longer-than-five-sentences",
     "rationale: The trial was null.",
     "rationale: The trial was null. It was small. It was short. It was early. It was "
     "unblinded. It was funded by the maker.", "rationale: The trial was null. It",
     "recommendation DM-1: its rationale has 6 sentences; keep it to 5 (the balance of "
     "benefit, harm and certainty), the detail belongs in the page's evidence sections"),
    ("offer-at-low-certainty",
     "verb: do-not-offer\n    text: Do not offer LDN for demo pain.\n    outcomes: [pain]\n"
     "    strength: conditional against",
     "verb: offer\n    text: Offer LDN for demo pain.\n    outcomes: [pain]\n    strength: strong for\n"
     "    strength_justification: {situation: life-threatening, reason: Demo}",
     "verb: offer",
     'recommendation DM-1: "offer" is a strong recommendation and needs moderate or high '
     'certainty; the evidence is low: use "consider" or "tell"'),
    ("text-does-not-begin-with-verb",
     "text: Do not offer LDN for demo pain.", "text: Avoid LDN for demo pain.",
     "text: Avoid",
     'recommendation DM-1: verb is "do-not-offer" but the text does not begin "Do not offer ..."'),
    ("start-disagrees-with-design",
     "start: high", "start: low", "start: low",
     'outcome pain: start is "low" but every study is randomised, so it starts "high"'),
    ("review-as-outcome-study",
     "studies: [trial2020]\n    participants: 100",
     "studies: [review2021]\n    participants: 100", "studies: [review2021]",
     'outcome pain: "review2021" is a meta-analysis; list primary studies here and put its '
     "pooled result under pooled"),
    ("recommendation-names-unknown-outcome",
     "outcomes: [pain]", "outcomes: [pains]", "outcomes: [pains]",
     'recommendation DM-1: outcome "pains" is not in outcomes'),
    ("citation-not-in-refs-bib",
     "basis: [label2019]", "basis: [label2091]", "basis: [label2091]",
     'recommendation DM-2: basis citation "label2091" is not in refs.bib'),
    ("rob-level-0-while-not-assessed",
     "{judgement: low, reason: Double-blind, tool: RoB 2,\n                   domains: {D1: {judgement: low, "
     "support: Computer list}, D2: {judgement: low, support: Masked}, D3: {judgement: low, support: "
     "All completed}",
     "{judgement: not assessed, reason: Double-blind, tool: RoB 2,\n                   domains: {D1: "
     "{judgement: low, support: Computer list}, D2: {judgement: low, support: Masked}, D3: "
     "{judgement: no information, support: Not seen}",
     "risk_of_bias: {level: 0",
     "outcome pain: risk_of_bias is 0 (no concern) but 100 of 100 participants are in studies at "
     "high risk of bias or not assessed for this outcome (trial2020 not assessed); rate it down "
     "(-1) or complete the assessments (docs/about/grading.md, Risk of bias)"),
    ("rob-judgement-disagrees-with-domains",
     "risk_of_bias: {judgement: low,", "risk_of_bias: {judgement: high,", "judgement: high,",
     'study trial2020: risk-of-bias judgement "high" disagrees with the one its domains give, "low"'),
    ("rob-tool-for-the-design",
     "reason: Double-blind, tool: RoB 2,", "reason: Double-blind, tool: ROBINS-I,", "tool: ROBINS-I",
     'study trial2020: a RCT is rated with "RoB 2", not "ROBINS-I"'),
    ("imprecision-ci-without-interval",
     "ci: none}", "ci: within}", "ci: within}",
     'outcome pain: ci is "within" but the effect has no CI; give ci_source (where the interval '
     "comes from) or write none"),
    ("strong-at-low-certainty-without-justification",
     "strength: conditional against", "strength: strong against", "strength: strong against",
     "recommendation DM-1: a strong recommendation at low certainty needs strength_justification "
     "naming one of GRADE's five paradigmatic situations (docs/about/grading.md); otherwise make it "
     "conditional"),
    ("strength-against-the-verb",
     "strength: conditional against", "strength: conditional for", "strength: conditional for",
     'recommendation DM-1: "Do not offer ..." is strong against or conditional against, not '
     '"conditional for"'),
    ("recommendation-without-strength",
     "    strength: conditional against\n", "", "  DM-1:",
     "recommendation DM-1: 'strength' is a required property"),
    ("recommendation-without-outcomes",
     "    outcomes: [pain]\n", "", "  DM-1:",
     "recommendation DM-1: 'outcomes' is a required property"),
]


@pytest.mark.parametrize(("old", "new", "fragment", "message"),
                         [fault[1:] for fault in FAULTS], ids=[fault[0] for fault in FAULTS])
def test_one_fault_one_problem(old, new, fragment, message):
    assert VALID.count(old) == 1
    text = VALID.replace(old, new)
    data, problems = parse_condition(text, KNOWN, SCHEMA)
    assert data is None
    assert problems == [Problem(line_of(text, fragment), message)]


UPGRADED = VALID.replace("    pooled:\n", "    upgrades:\n      large_effect: {level: 1, reason: Big}\n"
                         "    pooled:\n")


def test_randomised_evidence_rated_up_is_reported_unless_the_file_says_why():
    """From high, an upgrade only cancels a rating down (here imprecision's -2 becomes -1)."""
    _, problems = parse_condition(UPGRADED, KNOWN, SCHEMA)
    upgrade = Problem(line_of(UPGRADED, "large_effect:"),
                      'outcome pain: it starts "high" (every study randomised) and is rated up for '
                      "large effect; an upgrade there only cancels a rating down: set its level "
                      "to 0, or say why in upgrades.large_effect.departure")
    assert upgrade in problems
    departed = UPGRADED.replace("reason: Big}", "reason: Big, departure: A stated reason}")
    _, problems = parse_condition(departed, KNOWN, SCHEMA)
    assert upgrade.message not in [problem.message for problem in problems]
    low_start = UPGRADED.replace("start: high", "start: low")
    _, problems = parse_condition(low_start, KNOWN, SCHEMA)
    assert "rated up" not in " ".join(problem.message for problem in problems)


def test_duplicate_id_is_reported_not_silently_dropped():
    text = VALID.replace("  DM-2:", "  DM-1:")
    data, problems = parse_condition(text, KNOWN, SCHEMA)
    assert data is None
    assert problems == [Problem(line_of(text, "kind: hypothesis") - 1,
                                'recommendation DM-1: duplicate key "DM-1"; YAML keeps only the '
                                "last one")]


# (start, domain levels, upgrade levels, expected)
ARITHMETIC = [
    ("high", [0, 0, 0, 0, 0], [], "high"),
    ("high", [-1, 0, 0, 0, 0], [], "moderate"),
    ("high", [0, -1, 0, -1, 0], [], "low"),
    ("high", [-2, 0, 0, -1, 0], [], "very low"),
    ("high", [-2, -2, -2, -2, -2], [], "very low"),  # floor
    ("low", [0, 0, 0, 0, 0], [], "low"),
    ("low", [-1, 0, 0, 0, 0], [], "very low"),
    ("low", [0, 0, 0, 0, 0], [2], "high"),
    ("low", [0, 0, 0, 0, 0], [1, 1, 1], "high"),  # ceiling
    ("low", [-1, 0, 0, 0, 0], [1], "low"),
]


def outcome(start="high", levels=(0, 0, 0, 0, 0), ups=(), importance="critical"):
    names = ["risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"]
    result = {"start": start, "importance": importance,
              "domains": {name: {"level": level, "reason": "r"}
                          for name, level in zip(names, levels, strict=True)}}
    upgrades = ["large_effect", "dose_response", "plausible_confounding"]
    if ups:
        result["upgrades"] = {name: {"level": level, "reason": "r"}
                              for name, level in zip(upgrades, ups, strict=False)}
    return result


@pytest.mark.parametrize(("start", "levels", "ups", "expected"), ARITHMETIC)
def test_outcome_certainty(start, levels, ups, expected):
    assert outcome_certainty(outcome(start, levels, ups)) == expected


def test_certainty_after_clamps():
    assert certainty_after("moderate", -5) == "very low"
    assert certainty_after("moderate", 5) == "high"


OUTCOMES = {
    "high-critical": outcome(),
    "low-critical": outcome(levels=(0, -1, 0, -1, 0)),
    "very-low-important": outcome(levels=(-2, 0, 0, -1, 0), importance="important"),
    "moderate-important": outcome(levels=(-1, 0, 0, 0, 0), importance="important"),
}


@pytest.mark.parametrize(("outcomes", "expected"), [
    (["high-critical", "low-critical"], "low"),  # lowest critical
    (["high-critical", "very-low-important"], "high"),  # important outcomes do not count
    (["very-low-important", "moderate-important"], "very low"),  # none critical: all count
    (["moderate-important"], "moderate"),
])
def test_recommendation_certainty(outcomes, expected):
    rec = {"kind": "recommendation", "outcomes": outcomes}
    assert recommendation_certainty(rec, OUTCOMES) == expected


def test_good_practice_and_hypothesis_have_no_grade():
    for kind in ("good-practice", "hypothesis"):
        assert recommendation_certainty({"kind": kind, "outcomes": ["high-critical"]},
                                        OUTCOMES) is None


@pytest.mark.parametrize(("level", "symbols", "label"), [
    ("high", "⊕⊕⊕⊕", "(high-certainty evidence)"),
    ("moderate", "⊕⊕⊕◯", "(moderate-certainty evidence)"),
    ("low", "⊕⊕◯◯", "(low-certainty evidence)"),
    ("very low", "⊕◯◯◯", "(very low-certainty evidence)"),
])
def test_symbols_and_labels(level, symbols, label):
    assert certainty_symbols(level) == symbols
    assert certainty_label(level) == label


def test_kind_labels():
    assert certainty_label("good practice") == "(good practice)"
    assert certainty_label("hypothesis") == "(hypothesis; OCEBM level 5)"


@pytest.mark.parametrize(("effect", "text"), [
    ("not reported", "Not reported"),
    ({"measure": "Mean difference", "estimate": -0.86, "ci_low": -1.2, "ci_high": -0.51},
     "Mean difference \u22120.86 (95% CI \u22121.20 to \u22120.51)"),  # reported precision kept
    ({"measure": "DiD", "estimate": -2.8, "note": "p < 0.001"}, "DiD \u22122.8; p < 0.001"),
])
def test_effect_text(effect, text):
    assert effect_text(effect) == text


def test_pooled_text_and_footnotes():
    assert pooled_text({"citation": "x", "measure": "IRR", "estimate": 1.4, "ci_low": 1.12,
                        "ci_high": 1.75, "n_studies": 7, "scope": "chronic pain"}) == (
        "IRR 1.40 (95% CI 1.12 to 1.75); 7 studies; chronic pain")
    assert pooled_text({"citation": "x", "measure": "Pain", "result": "not effective",
                        "participants": 406}) == "Pain: not effective; 406 participants"
    worse = outcome(levels=(0, -1, 0, -2, 0))
    worse["domains"]["imprecision"]["reason"] = "n = 12"
    assert footnotes(worse) == ["Inconsistency (\u22121): r", "Imprecision (\u22122): n = 12"]
    assert [footnote_mark(n) for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]


# Edition control -------------------------------------------------------------------------------

SNAPSHOT = {"edition": "2026.1", "recommendations": {
    "DM-1": {"condition": "demo", "kind": "recommendation", "verb": "do-not-offer",
             "text": "Do not offer LDN for demo pain.", "certainty": "low"},
    "DM-2": {"condition": "demo", "kind": "hypothesis", "verb": "do-not",
             "text": "Do not prescribe on the strength of the mechanism.",
             "certainty": "hypothesis"},
}}
CHANGELOG = "# Changes\n\n{later}\n## Edition 2026.1 (24 November 2026)\n\n- DM-1 new. {old}\n"


def amended(text: str) -> str:
    """DM-1 labelled "amended 2026.2", as a changed recommendation must be."""
    return text.replace("history: [new 2026.1]", "history: [new 2026.1, amended 2026.2]", 1)


def current(text=VALID):
    data, problems = parse_condition(text, KNOWN, SCHEMA)
    assert problems == []
    return current_recommendations(data, line_index(text))


def test_unchanged_recommendations_need_no_entry():
    assert check_edition(current(), SNAPSHOT, CHANGELOG.format(later="", old="")) == []


def test_changed_recommendation_without_changelog_entry():
    text = amended(VALID.replace("Do not offer LDN for demo pain.",
                                 "Do not offer LDN for any pain."))
    changelog = CHANGELOG.format(later="## Edition 2026.2\n\n- DM-2 reworded.\n", old="")
    assert check_edition(current(text), SNAPSHOT, changelog) == [Problem(
        line_of(text, "  DM-1:"),
        "recommendation DM-1: text changed since edition 2026.1 but no changelog entry names "
        "DM-1")]


def test_changed_certainty_and_verb_are_named():
    text = amended(VALID.replace("verb: do-not-offer\n    text: Do not offer LDN",
                                 "verb: consider\n    text: Consider LDN")
                   .replace("strength: conditional against", "strength: conditional for"))
    text = text.replace("imprecision: {level: -2", "imprecision: {level: -1").replace(
        "ci: none}", "ci: none, departure: Rated once for the test}")
    text = text.replace("certainty_stated: low", "certainty_stated: moderate")
    [problem] = check_edition(current(text), SNAPSHOT, CHANGELOG.format(later="", old=""))
    assert problem.message == (
        'recommendation DM-1: text, verb, certainty changed since edition 2026.1 but no '
        'changelog entry names DM-1 (verb "do-not-offer" -> "consider"; certainty "low" -> '
        '"moderate")')


def test_entry_under_the_old_edition_does_not_count_but_a_later_one_does():
    text = amended(VALID.replace("Do not offer LDN for demo pain.",
                                 "Do not offer LDN for any pain."))
    assert check_edition(current(text), SNAPSHOT,
                         CHANGELOG.format(later="", old="DM-1 again.")) != []
    assert check_edition(current(text), SNAPSHOT,
                         CHANGELOG.format(later="## Edition 2026.2\n\n- DM-1: wider.", old="")
                         ) == []


def test_withdrawn_recommendation_without_changelog_entry():
    snapshot = json.loads(json.dumps(SNAPSHOT))
    snapshot["recommendations"]["DM-3"] = dict(snapshot["recommendations"]["DM-1"])
    assert check_edition(current(), snapshot, CHANGELOG.format(later="", old="")) == [Problem(
        1, "recommendation DM-3 was published in edition 2026.1 and has gone, but no changelog "
           "entry names it")]


# The real data ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["depression", "dissociation", "fibromyalgia"])
def test_real_condition_files_validate(name):
    data, problems = load_condition(CONDITIONS / f"{name}.yaml", BIB_KEYS, SCHEMA)
    assert problems == []
    assert data["condition"] == name


def test_snapshot_ids_exist_in_the_data():
    snapshot = json.loads((REPO / "docs" / "data" / "last-edition.json").read_text("utf-8"))
    ids = set()
    for path in CONDITIONS.glob("*.yaml"):
        data, _ = load_condition(path, BIB_KEYS, SCHEMA)
        ids |= set(data["recommendations"])
    assert set(snapshot["recommendations"]) <= ids


def test_schema_is_valid_draft_2020_12():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_risk_of_bias_overall_follows_the_tools():
    from ldn_guide.rules.guideline.risk_of_bias import overall

    def domains(*judgements):
        return {f"D{n}": {"judgement": j, "support": "x"} for n, j in enumerate(judgements, 1)}
    assert overall("RoB 2", domains("low", "low", "low", "low", "low")) == "low"
    assert overall("RoB 2", domains("low", "some concerns", "low", "low", "low")) == "some concerns"
    assert overall("RoB 2", domains("no information", "high", "low", "low", "low")) == "high"
    assert overall("RoB 2", domains("no information", "low", "low", "low", "low")) == "not assessed"
    assert overall("ROBINS-I", domains(*["low"] * 6, "no information")) == "not assessed"
    assert overall("ROBINS-I", domains("critical", *["no information"] * 6)) == "critical"
    assert overall("ROBINS-I", domains("serious", "moderate", *["low"] * 5)) == "serious"


def test_optimal_information_size_and_ci_classes():
    from ldn_guide.rules.guideline.precision import classify, optimal_information_size
    pain = {"type": "continuous", "mid": {"value": 1}, "sd": {"value": 1.55, "source": "x"}}
    assert optimal_information_size(pain) == 76  # FINAL's derived SD, 1-point MID
    assert classify(-0.95, 0.27, pain) == "within"
    assert classify(-1.20, -0.51, pain) == "crosses-one"
    assert classify(-1.5, 1.5, pain) == "crosses-both"
    harm = {"type": "dichotomous", "mid": {"value": 1.25}}
    assert classify(0.66, 1.06, harm) == "crosses-one" and classify(1.77, 3.28, harm) == "within"
    assert optimal_information_size(harm) is None


# ---------------------------------------------------------------------------------------------
# Anticipated absolute effects (rules/guideline/absolute.py) and the narrative row

ABSOLUTE = VALID.replace("""    narrative: "1 trial, 100 people: no difference from placebo."
""", """    narrative: "1 trial, 100 people: no difference from placebo."
    absolute_effects:
      - event: Vivid dreams
        relative: {measure: risk ratio, estimate: 2.41, ci_low: 1.77, ci_high: 3.28,
                   citation: review2021}
        comparator: {risk: 130, citation: trial2020, source: "Placebo arm, 13 of 100"}
        per: 1000
        with_ldn: {risk: 313, ci_low: 230, ci_high: 426}
""")


def test_absolute_effect_that_agrees_within_rounding_passes():
    data, problems = parse_condition(ABSOLUTE, KNOWN, SCHEMA)
    assert problems == []
    [entry] = data["outcomes"]["pain"]["absolute_effects"]
    assert absolute_text(entry, "placebo") == (
        "Vivid dreams: 130 per 1,000 with placebo, 313 (230 to 426) with LDN: 183 more "
        "(100 to 296 more) per 1,000")


# (id, old text, new text, fragment on the faulty line, message)
ABSOLUTE_FAULTS = [
    ("risk-with-ldn-disagrees",
     "with_ldn: {risk: 313,", "with_ldn: {risk: 300,", "with_ldn: {risk: 300,",
     'outcome pain: absolute effect "Vivid dreams": with_ldn risk 300 per 1,000 disagrees with '
     "comparator risk 130 x risk ratio 2.41 = 313.3 (within rounding 310.9 to 315.7); fix the "
     "risk, the ratio or the comparator risk"),
    ("ci-bound-disagrees",
     "ci_low: 230, ci_high: 426}", "ci_low: 230, ci_high: 462}", "ci_high: 462}",
     'outcome pain: absolute effect "Vivid dreams": with_ldn ci_high 462 per 1,000 disagrees '
     "with comparator risk 130 x risk ratio 3.28 = 426.4 (within rounding 423.6 to 429.2); fix "
     "the risk, the ratio or the comparator risk"),
    ("ratio-gives-more-than-everyone",
     "{risk: 130, citation: trial2020", "{risk: 720, citation: trial2020", "{risk: 720,",
     None),  # several bounds: checked below
    ("comparator-citation-not-in-refs-bib",
     "citation: trial2020, source", "citation: trial2002, source", "trial2002, source",
     'outcome pain: absolute effect "Vivid dreams": comparator citation "trial2002" is not in '
     "refs.bib"),
    ("no-narrative-and-nothing-to-show",
     """    narrative: "1 trial, 100 people: no difference from placebo."
    absolute_effects:
      - event: Vivid dreams
        relative: {measure: risk ratio, estimate: 2.41, ci_low: 1.77, ci_high: 3.28,
                   citation: review2021}
        comparator: {risk: 130, citation: trial2020, source: "Placebo arm, 13 of 100"}
        per: 1000
        with_ldn: {risk: 313, ci_low: 230, ci_high: 426}
""", "", "effect: not reported",
     'outcome pain: effect is "not reported" and there are no absolute_effects, so the summary '
     'of findings has nothing to show: add narrative, one sentence such as "3 trials, 187 '
     'people: one small crossover favoured LDN; two larger trials found no difference"'),
]


@pytest.mark.parametrize(("old", "new", "fragment", "message"),
                         [fault[1:] for fault in ABSOLUTE_FAULTS if fault[4]],
                         ids=[fault[0] for fault in ABSOLUTE_FAULTS if fault[4]])
def test_absolute_effect_fault_one_problem(old, new, fragment, message):
    assert ABSOLUTE.count(old) == 1
    text = ABSOLUTE.replace(old, new)
    data, problems = parse_condition(text, KNOWN, SCHEMA)
    assert data is None
    assert problems == [Problem(line_of(text, fragment), message)]


def test_a_risk_ratio_that_gives_more_than_everyone_is_reported():
    text = ABSOLUTE.replace("{risk: 130, citation: trial2020", "{risk: 720, citation: trial2020")
    _, problems = parse_condition(text, KNOWN, SCHEMA)
    line = line_of(text, "relative: {measure: risk ratio")
    assert Problem(line, 'outcome pain: absolute effect "Vivid dreams": a risk ratio of 2.41 '
                         "applied to a comparator risk of 720 per 1,000 gives 1735, more than "
                         "1,000: use an odds ratio, or leave the absolute effect out") in problems


def test_odds_ratio_is_applied_to_the_odds():
    # 200 per 1,000 is odds 0.25; OR 2 gives odds 0.5, a risk of 333 per 1,000 (not 400).
    text = ABSOLUTE.replace("measure: risk ratio, estimate: 2.41, ci_low: 1.77, ci_high: 3.28",
                            "measure: odds ratio, estimate: 2, ci_low: 1, ci_high: 4").replace(
        "risk: 130, citation", "risk: 200, citation").replace(
        "{risk: 313, ci_low: 230, ci_high: 426}", "{risk: 333, ci_low: 200, ci_high: 500}")
    assert parse_condition(text, KNOWN, SCHEMA)[1] == []
    wrong = text.replace("{risk: 333,", "{risk: 400,")
    [problem] = parse_condition(wrong, KNOWN, SCHEMA)[1]
    assert "with_ldn risk 400 per 1,000 disagrees" in problem.message
