"""Text for the rendered tables and figures (the adapters only assemble it): numbers as printed,
effects and pooled results, footnotes, anchors, and the forest-style figures' rows and text
alternative (each study's result and each published pooled result, as reported).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .certainty import downgrades

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


# How an axis says which side favours what: "(points; negative favours LDN)", "(positive
# favours the antagonist)", "(above 1 means more with LDN)" for a harm; "over X" names the
# comparator when it is not placebo. The figure prints it under the axis, not in its title.
DIRECTION = re.compile(r"(?:;\s*|\(\s*)?(?P<sign>negative|positive) favours (?P<side>[^;)]+?)"
                       r"(?: over (?P<other>[^;)]+?))?\s*(?=[;)])"
                       r"|(?:;\s*|\(\s*)?above 1 means more with (?P<harmed>[^;)]+?)\s*(?=[;)])")


def axis_direction(axis: str) -> tuple[str, str] | None:
    """What the left and right of an axis favour, from its name: ``("Favours LDN", "Favours
    placebo")`` for "negative favours LDN", and for a harm ratio ("above 1 means more with
    LDN"), since fewer harms favour LDN. None when the axis does not say."""
    match = DIRECTION.search(axis)
    if match is None:
        return None
    if match["harmed"]:
        return f"Favours {match['harmed']}", "Favours placebo"
    side, other = f"Favours {match['side']}", f"Favours {match['other'] or 'placebo'}"
    return (side, other) if match["sign"] == "negative" else (other, side)


def axis_title(axis: str) -> str:
    """The axis name without its direction clause: "Difference in pain (points)"."""
    title = DIRECTION.sub(lambda m: "(" if m.group(0).lstrip().startswith("(") else "", axis)
    return re.sub(r"\s*\(\s*\)", "", title).strip()


def is_ratio(axis: str) -> bool:
    """A ratio axis (its name says "ratio") is drawn on a log scale around 1."""
    return "ratio" in axis.lower()


def forest_panels(rows: list[dict]) -> list[dict]:
    """The figure's panels: one per measure (axis), trials before the reviews' pooled results,
    never both on one axis. Each: ``title``, ``axis``, ``pooled``, ``ratio``, ``favours``
    (left, right or None), ``rows``. Rows without a number are in no panel."""
    panels: dict[tuple[bool, str], dict] = {}
    for row in sorted((row for row in rows if row["axis"] is not None),
                      key=lambda row: row["pooled"]):
        panel = panels.setdefault((row["pooled"], row["axis"]), {
            "axis": row["axis"], "pooled": row["pooled"], "ratio": is_ratio(row["axis"]),
            "favours": axis_direction(row["axis"]), "rows": [],
            "title": axis_title(row["axis"])})
        panel["rows"].append(row)
    return list(panels.values())


def forest_problems(outcome_id: str, rows: list[dict]) -> list[str]:
    """A drawn axis must say which side favours LDN, so the figure can print it."""
    return [f'outcome {outcome_id}: the figure axis "{panel["axis"]}" does not say which side '
            'favours LDN; add "(negative favours LDN)", "(positive favours LDN)" or, for a '
            'harm ratio, "(above 1 means more with LDN)" to its axis'
            for panel in forest_panels(rows) if panel["favours"] is None]


def forest_figure_note(outcome: Mapping[str, Any], studies: Mapping[str, Mapping[str, Any]]
                       ) -> str | None:
    """None when the outcome has a figure; otherwise the sentence that says why it has none,
    for the summary of findings (no figure is drawn that would plot nothing)."""
    if forest_panels(forest_rows(outcome, studies)):
        return None
    return "No figure: no study or review reported an estimate with a number to draw."


def forest_kind(row: Mapping[str, Any]) -> str:
    """How the data table names a row's source."""
    return "Meta-analysis (its authors' pooled result)" if row["pooled"] else "Study"


def forest_description(outcome: Mapping[str, Any], rows: list[dict]) -> str:
    """The figure's one-sentence caption: what is plotted, and what is not (the data table
    under it reads every row out)."""
    drawn = [row for row in rows if row["axis"] is not None]
    trials = sum(not row["pooled"] for row in drawn)  # studies, trials or not
    reviews = len(drawn) - trials
    parts = []
    if trials:
        parts.append(f"{trials} {'study' if trials == 1 else 'studies'} as reported")
    if reviews:
        parts.append(f"{reviews} published {'meta-analysis' if reviews == 1 else 'meta-analyses'}"
                     f"' own pooled {'estimate' if reviews == 1 else 'estimates'}")
    text = f"{outcome['name']}: " + " and ".join(parts)
    if len(forest_panels(rows)) > 1:
        text += ", one panel per measure"
    missing = len(rows) - len(drawn)
    if missing:
        text += (f"; {missing} more {'source' if missing == 1 else 'sources'} gave no number to "
                 "draw (see the table)")
    return text + "."
