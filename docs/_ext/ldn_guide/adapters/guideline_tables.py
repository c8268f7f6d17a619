"""The MyST that ``adapters/guideline.py``'s directives nested-parse: the summary of findings,
the study table, the quick reference's rows and the changelog's list of changes, as lines of
Markdown built from one condition's data (the words come from :mod:`ldn_guide.rules.guideline`).

Data text is escaped (:func:`escape`) so it stays literal; citations are ``{cite:p}`` roles, so
they resolve as on any page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from docutils import nodes

from ..rules import guideline

STUDY_COLUMNS = [  # (heading, field)
    ("Design", "design"), ("n", "n"), ("Population", "population"),
    ("Dose and schedule", "dose"), ("Duration", "duration"),
    ("Primary outcome", "primary_outcome"), ("Result", "result"), ("Funding", "funding"),
]


def escape(text: str) -> str:
    """Keep data text literal inside the generated MyST (no accidental markup)."""
    return re.sub(r"([*_`\[\]<>{}|$])", r"\\\1", text)


def cell(value) -> str:
    """A table cell's text: numbers as printed, "not reported" capitalised."""
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return text[:1].upper() + text[1:]


def cite(keys) -> str:
    return f"{{cite:p}}`{','.join(keys)}`" if keys else ""


def set_row_ids(container: nodes.Element, ids: list[str]) -> None:
    """Give each body row of the (first) table its anchor, in data order."""
    for table in container.findall(nodes.tbody):
        for row, row_id in zip(table.findall(nodes.row), ids, strict=False):
            row["ids"].append(row_id)
        return


def summary_of_findings(data: Mapping[str, Any]) -> list[str]:
    """The summary-of-findings table, one row per outcome, then its lettered footnotes."""
    question = data["question"]
    caption = (f"Summary of findings: {question['intervention']} compared with "
               f"{question['comparison'].lower()} for {question['population'].lower()}")
    lines = [f":::{{list-table}} {escape(caption)}", ":header-rows: 1",
             ":class: summary-of-findings evidence-table", "",
             "* - Outcome", "  - Participants (studies)", "  - Effect as reported",
             "  - Certainty", "  - What it means"]
    notes: list[str] = []
    for outcome in data["outcomes"].values():
        letters = []
        for text in guideline.footnotes(outcome):
            notes.append(text)
            letters.append(guideline.footnote_mark(len(notes)))
        lines += outcome_row(outcome, data["studies"], letters)
    lines.append(":::")
    if notes:
        # The guide's grading judgements; the facts they rest on are cited in the rows.
        lines += ["", "{.summary-of-findings-notes .nonfactual}"]
        lines += [f"- {{sup}}`{guideline.footnote_mark(number)}` {escape(text)}"
                  for number, text in enumerate(notes, start=1)]
    return lines


def outcome_row(outcome: Mapping[str, Any], studies: Mapping[str, Any], letters: list[str]
                ) -> list[str]:
    """One outcome's row: the effect as reported, each study's and each pooled result."""
    level = guideline.outcome_certainty(outcome)
    effect = [f"  - {escape(guideline.effect_text(outcome['effect']))}"]
    for key, result in outcome.get("study_results", {}).items():
        text = result if isinstance(result, str) else guideline.effect_text(result)
        effect += ["", f"    {escape(studies[key]['label'])}: {escape(text)}"]
    for pooled in outcome.get("pooled", []):  # a paragraph each, labelled as theirs
        effect += ["", f"    Pooled by {cite([pooled['citation']])} (their analysis): "
                       f"{escape(guideline.pooled_text(pooled))}"]
    marks = f" {{sup}}`{','.join(letters)}`" if letters else ""
    return [
        f"* - {escape(outcome['name'])} ({outcome['importance']})",
        f"  - {escape(guideline.participants_text(outcome))} {cite(outcome['studies'])}",
        *effect,
        f"  - {guideline.certainty_symbols(level)} {level.capitalize()}{marks}",
        f"  - {escape(outcome['finding'])}",
    ]


def study_table(data: Mapping[str, Any]) -> list[str]:
    """Every study, with its citation and risk-of-bias judgement."""
    lines = [f":::{{list-table}} Studies: {escape(data['title'])}", ":header-rows: 1",
             ":class: study-table", ""]
    lines += ["* - Study"] + [f"  - {heading}" for heading, _ in STUDY_COLUMNS]
    lines.append("  - Risk of bias")
    for key, study in data["studies"].items():
        lines.append(f"* - {escape(study['label'])} {cite([key])}")
        lines += [f"  - {escape(cell(study[field]))}" for _, field in STUDY_COLUMNS]
        bias = study["risk_of_bias"]
        lines.append(f"  - {bias['judgement'].capitalize()}: {escape(bias['reason'])}")
    lines.append(":::")
    return lines


def quick_reference_row(name: str, data: Mapping[str, Any]) -> list[str]:
    """One condition's row of the quick reference: best evidence, then each recommendation
    linked to its key point (the label {key-points} registers, so Sphinx checks it)."""
    quick, outcomes = data["quick_reference"], data["outcomes"]
    lines = [f"* - {{doc}}`{escape(data['title'])} </conditions/{name}>`",
             f"  - {escape(quick['evidence'])} {cite(quick['cite'])}"]
    for number, rec_id in enumerate(quick["recommendations"]):
        rec = data["recommendations"][rec_id]
        label = guideline.printed_label(rec, outcomes)  # strength; certainty
        link = (f"{{ref}}`{rec['text']} <{guideline.recommendation_anchor(rec_id)}>` "
                f"{label} {rec_id}")
        lines += [f"  - {link}"] if number == 0 else ["", f"    {link}"]
    return lines


def recommendation_changes(data: Mapping[str, Any], edition: str,
                           snapshot: Mapping[str, Any]) -> list[str]:
    """One condition's items in the changelog's list for ``edition``: as published in the
    snapshot's edition, else each recommendation its history names as new, amended or
    withdrawn in it (with the snapshot's text as "was")."""
    items = []
    for rec_id, rec in data["recommendations"].items():
        labels = [label.split()[0] for label in rec["history"] if label.split()[1] == edition]
        label = guideline.certainty_label(guideline.certainty_of(rec, data["outcomes"]))
        old = snapshot["recommendations"].get(rec_id)
        was = (f"{escape(old['text'])} {guideline.certainty_label(old['certainty'])}"
               if old else "")
        if edition == snapshot["edition"]:
            if old:
                items.append(f"- **{rec_id}** {was}")
        elif "withdrawn" in labels:
            items.append(f"- **{rec_id} withdrawn.** Was: {escape(rec['text'])} {label}")
        elif "new" in labels:
            items.append(f"- **{rec_id} new.** {escape(rec['text'])} {label}")
        elif "amended" in labels:
            before = f" Was: {was}" if old else ""
            items.append(f"- **{rec_id} amended.** Now: {escape(rec['text'])} {label}.{before}")
    return items
