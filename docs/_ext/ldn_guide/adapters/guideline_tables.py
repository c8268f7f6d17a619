"""The MyST that ``adapters/guideline.py``'s directives nested-parse: the summary of findings
(with its footnotes and "What published meta-analyses found"),
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
STUDY_HEADINGS = ("Study", *(heading for heading, _ in STUDY_COLUMNS), "Risk of bias")


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


SOF_COLUMNS = ("Outcome (importance)", "№ participants (studies)", "Relative effect (95% CI)",
               "Anticipated absolute effect", "Certainty", "What it means")
META_COLUMNS = ("Review", "Trials (n)", "Estimate (95% CI)", "Overlap with the trials above",
                "Note")


class Notes:
    """The table's lettered footnotes, in the order the rows first mark them."""

    def __init__(self) -> None:
        self.items: list[str] = []  # MyST, already escaped

    def mark(self, texts: list[str]) -> str:
        """Number the notes and return their ``{sup}`` letters (empty for none)."""
        letters = []
        for text in texts:
            self.items.append(text)
            letters.append(guideline.footnote_mark(len(self.items)))
        return f" {{sup}}`{','.join(letters)}`" if letters else ""


def summary_of_findings(data: Mapping[str, Any]) -> list[str]:
    """GRADE's summary-of-findings table, one line of evidence per outcome (Cochrane/GRADEpro
    columns), the lettered footnotes directly under it, then "What published meta-analyses
    found": the reviews' own pooled results, one compact table per outcome that has them."""
    question = data["question"]
    caption = (f"Summary of findings: {question['intervention']} compared with "
               f"{question['comparison'].lower()} for {question['population'].lower()}")
    lines = [f":::{{list-table}} {escape(caption)}", ":header-rows: 1",
             ":widths: 17 11 17 24 11 20",
             ":class: summary-of-findings evidence-table", "",
             f"* - {SOF_COLUMNS[0]}", *[f"  - {heading}" for heading in SOF_COLUMNS[1:]]]
    notes = Notes()
    for outcome in data["outcomes"].values():
        lines += outcome_row(outcome, question["comparison"].lower(), notes)
    lines.append(":::")
    if notes.items:
        # The guide's grading judgements and how it derived its numbers; the facts they rest
        # on are cited in the rows or in the note itself.
        lines += ["", "{.summary-of-findings-notes .nonfactual}"]
        lines += [f"- {{sup}}`{guideline.footnote_mark(number)}` {text}"
                  for number, text in enumerate(notes.items, start=1)]
    for outcome in data["outcomes"].values():
        lines += published_meta_analyses(outcome, data["studies"])
    return lines


def outcome_row(outcome: Mapping[str, Any], comparison: str, notes: Notes) -> list[str]:
    """One outcome's row, one short cell each; the detail goes into the footnotes."""
    level = guideline.outcome_certainty(outcome)
    relative, absolute = effect_cells(outcome, comparison, notes)
    marks = notes.mark([escape(text) for text in guideline.footnotes(outcome)])
    return [
        f"* - {escape(outcome['name'])} ({outcome['importance']})",
        f"  - {escape(guideline.participants_text(outcome))} {cite(outcome['studies'])}",
        *cell_lines(relative),
        *cell_lines(absolute),
        f"  - {guideline.certainty_symbols(level)} {level.capitalize()}{marks}",
        f"  - {escape(outcome['finding'])}",
    ]


def effect_cells(outcome: Mapping[str, Any], comparison: str, notes: Notes
                 ) -> tuple[list[str], list[str]]:
    """(relative effect, anticipated absolute effect) paragraphs of one row.

    Ratios with a comparator risk give both columns; a single mean difference is an absolute
    effect with no relative one (as in Cochrane's tables); where nothing can be pooled the
    absolute column holds GRADE's one-sentence narrative summary."""
    relative, absolute = [], []
    entries = outcome.get("absolute_effects", [])
    for entry in entries:  # lettered in reading order: this column, then the next
        ratio = entry["relative"]
        derived = notes.mark([escape(ratio["derived"])] if "derived" in ratio else [])
        relative.append(f"{escape(guideline.relative_text(entry))} {cite([ratio['citation']])}"
                        f"{derived}")
    for entry in entries:
        source = notes.mark([f"{escape(entry['comparator']['source'])} "
                             f"{cite([entry['comparator']['citation']])}"])
        absolute.append(f"{escape(guideline.absolute_text(entry, comparison))}{source}")
    effect = outcome["effect"]
    if isinstance(effect, Mapping):
        absolute.append(escape(guideline.effect_text(effect)))
    if "narrative" in outcome:
        absolute.append(escape(outcome["narrative"]))
    if not relative:
        relative = ["Not applicable (not a ratio)" if isinstance(effect, Mapping)
                    else "Not pooled"]
    return relative, absolute


def cell_lines(paragraphs: list[str]) -> list[str]:
    """One list-table cell holding one paragraph per item."""
    lines = [f"  - {paragraphs[0]}"]
    for paragraph in paragraphs[1:]:
        lines += ["", f"    {paragraph}"]
    return lines


def published_meta_analyses(outcome: Mapping[str, Any], studies: Mapping[str, Any]
                            ) -> list[str]:
    """"What published meta-analyses found" for one outcome: each review's own pooled result,
    labelled as theirs (the guide pools nothing), with how far it overlaps the row's trials."""
    pooled = outcome.get("pooled", [])
    if not pooled:
        return []
    title = f"What published meta-analyses found: {outcome['name']}"
    lines = ["", f":::{{list-table}} {escape(title)}", ":header-rows: 1",
             ":widths: 16 10 30 22 22", ":class: published-meta-analyses evidence-table", "",
             f"* - {META_COLUMNS[0]}", *[f"  - {heading}" for heading in META_COLUMNS[1:]]]
    for entry in pooled:
        label = entry.get("label") or studies[entry["citation"]]["label"]
        if "estimate" in entry:
            numbers = guideline.estimate_with_ci(entry["estimate"], entry["ci_low"],
                                                 entry["ci_high"])
            estimate = f"{entry['measure']} {numbers}"
        else:
            estimate = f"{entry['measure']}: {entry['result']}"
        note = "; ".join(entry[field] for field in ("scope", "note") if field in entry)
        lines += [f"* - {escape(label)} {cite([entry['citation']])}",
                  f"  - {escape(trials_text(entry))}",
                  f"  - {escape(estimate)}",
                  f"  - {escape(entry.get('overlap', 'Not stated in the records seen'))}",
                  f"  - {escape(note) or 'None'}"]
    lines.append(":::")
    return lines


def trials_text(pooled: Mapping[str, Any]) -> str:
    """``"4 (222)"``: studies pooled and, when reported, participants."""
    if "n_studies" not in pooled:
        return "Not reported"
    people = f" ({pooled['participants']:,})" if "participants" in pooled else ""
    return f"{pooled['n_studies']}{people}"


def study_table(data: Mapping[str, Any]) -> list[str]:
    """Every study, with its citation and risk-of-bias judgement."""
    lines = [f":::{{list-table}} Studies: {escape(data['title'])}", ":header-rows: 1",
             ":class: study-table", ""]
    lines += [f"* - {STUDY_HEADINGS[0]}"] + [f"  - {heading}" for heading in STUDY_HEADINGS[1:]]
    for key, study in data["studies"].items():
        lines.append(f"* - {escape(study['label'])} {cite([key, *study.get('sources', [])])}")
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
