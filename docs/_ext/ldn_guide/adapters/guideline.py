"""Key points, summary of findings, study table and patient lines from docs/data/conditions/.

Thin Sphinx glue over :mod:`ldn_guide.rules.grade` (which loads, validates, computes and
words everything). Each directive takes the condition's slug::

    ```{key-points} fibromyalgia
    ```

- ``{key-points}``: the Key points box (class ``key-points``); each item carries its ID, the
  anchor ``#fm-1``, the text, the derived certainty label and links to the summary-of-findings
  rows it rests on (the citations live in the tables).
- ``{summary-of-findings}``: one row per outcome (id ``outcome-<condition>-<outcome>``):
  participants (studies) with citations, the effect as reported and the published pooled
  results labelled as theirs, ⊕ certainty, footnotes naming each downgrade.
- ``{study-table}``: one row per study (id ``study-<condition>-<key>``).
- ``{patient-lines}``: the recommendations' patient-facing lines, as a bullet list.

Tables are generated as MyST and nested-parsed, so ``{cite:p}`` resolves as on any page. Faults
in a file warn as ``FILE:LINE: message`` (type ``ldn_guide``, subtype ``evidence``) once per
page that uses it. ``check_edition_control`` (env-check-consistency) compares every
recommendation with docs/data/last-edition.json and docs/changelog.md.

Not yet registered: the extension's ``setup()`` calls :func:`setup` below.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..conventions import KEY_POINTS_CLASS, WARNING_TYPE
from ..rules import grade

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[3] / "data"
CONDITIONS = DATA / "conditions"
SNAPSHOT = DATA / "last-edition.json"
CHANGELOG = DATA.parent / "changelog.md"
SUBTYPE = "evidence"
STUDY_COLUMNS = [  # (heading, field)
    ("Design", "design"), ("n", "n"), ("Population", "population"),
    ("Dose and schedule", "dose"), ("Duration", "duration"),
    ("Primary outcome", "primary_outcome"), ("Result", "result"), ("Funding", "funding"),
]


@lru_cache(maxsize=32)
def load(path: Path, mtime_ns: int, known: frozenset[str]) -> tuple[dict | None, tuple]:
    """Load once per file version and bibliography (four directives and the quick reference
    share it)."""
    data, problems = grade.load_condition(path, known)
    return data, tuple(problems)


def escape(text: str) -> str:
    """Keep data text literal inside the generated MyST (no accidental markup)."""
    return re.sub(r"([*_`\[\]<>{}|$])", r"\\\1", text)


def cite(keys) -> str:
    return f"{{cite:p}}`{','.join(keys)}`" if keys else ""


class GuidelineDirective(SphinxDirective):
    required_arguments = 1

    def condition(self) -> dict | None:
        name = self.arguments[0]
        path = CONDITIONS / f"{name}.yaml"
        self.env.note_dependency(str(path))
        if not path.exists():
            logger.warning(f"no condition file {path}; create it or fix the directive argument",
                           location=self.get_location(), type=WARNING_TYPE, subtype=SUBTYPE)
            return None
        known = frozenset(self.env.get_domain("cite").bibdata.data.entries)
        data, problems = load(path, path.stat().st_mtime_ns, known)
        reported = self.env.temp_data.setdefault("guideline_reported", set())
        if path not in reported:  # once per page, not once per directive
            reported.add(path)
            for problem in problems:
                logger.warning(problem.message, location=f"{path}:{problem.line}",
                               type=WARNING_TYPE, subtype=SUBTYPE)
        return data

    def parse(self, lines: list[str], container: nodes.Element) -> nodes.Element:
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]),
                                self.content_offset, container)
        return container


class KeyPoints(GuidelineDirective):
    """The Key points admonition, one item per recommendation, in ID order of the file."""

    def run(self) -> list[nodes.Node]:
        data = self.condition()
        if data is None:
            return []
        condition, outcomes = data["condition"], data["outcomes"]
        box = nodes.admonition(classes=["admonition-key-points", KEY_POINTS_CLASS])
        box += nodes.title("Key points", "Key points")
        items = nodes.bullet_list(bullet="-")
        for rec_id, rec in data["recommendations"].items():
            label = grade.certainty_label(grade.certainty_of(rec, outcomes))
            line = f"**{rec_id}** {escape(rec['text'])} {label} {cite(rec.get('basis', []))}"
            item = nodes.list_item(ids=[grade.recommendation_anchor(rec_id)],
                                   classes=["key-point", f"kind-{rec['kind']}"])
            self.parse([line.rstrip()], item)
            named = [name for name in rec.get("outcomes", []) if name in outcomes]
            if named and isinstance(item.children[-1], nodes.paragraph):
                paragraph = item.children[-1]
                paragraph += nodes.Text(" Evidence: ")
                for number, name in enumerate(named):
                    if number:
                        paragraph += nodes.Text("; ")
                    paragraph += nodes.reference(
                        "", outcomes[name]["name"], internal=True,
                        refuri=f"#{grade.outcome_anchor(condition, name)}")
                paragraph += nodes.Text(".")
            items += item
        box += items
        return [box]


class SummaryOfFindings(GuidelineDirective):
    """One row per outcome, GRADEpro/Cochrane style, footnotes lettered under the table."""

    def run(self) -> list[nodes.Node]:
        data = self.condition()
        if data is None:
            return []
        condition, question = data["condition"], data["question"]
        caption = (f"Summary of findings: {question['intervention']} compared with "
                   f"{question['comparison'].lower()} for {question['population'].lower()}")
        lines = [f":::{{list-table}} {escape(caption)}", ":header-rows: 1",
                 ":class: summary-of-findings", "",
                 "* - Outcome", "  - Participants (studies)", "  - Effect as reported",
                 "  - Certainty", "  - What it means"]
        notes: list[str] = []
        for outcome in data["outcomes"].values():
            level = grade.outcome_certainty(outcome)
            letters = []
            for text in grade.footnotes(outcome):
                notes.append(text)
                letters.append(grade.footnote_mark(len(notes)))
            effect = [f"  - {escape(grade.effect_text(outcome['effect']))}"]
            for pooled in outcome.get("pooled", []):  # a paragraph each, labelled as theirs
                effect += ["", f"    Pooled by {cite([pooled['citation']])} (their analysis): "
                               f"{escape(grade.pooled_text(pooled))}"]
            marks = f" {{sup}}`{','.join(letters)}`" if letters else ""
            lines += [
                f"* - {escape(outcome['name'])} ({outcome['importance']})",
                f"  - {escape(grade.participants_text(outcome))} {cite(outcome['studies'])}",
                *effect,
                f"  - {grade.certainty_symbols(level)} {level.capitalize()}{marks}",
                f"  - {escape(outcome['finding'])}",
            ]
        lines.append(":::")
        if notes:
            lines += ["", "{.summary-of-findings-notes}"]
            lines += [f"- {{sup}}`{grade.footnote_mark(number)}` {escape(text)}"
                      for number, text in enumerate(notes, start=1)]
        container = self.parse(lines, nodes.container(classes=["summary-of-findings-wrapper"]))
        set_row_ids(container, [grade.outcome_anchor(condition, name)
                                for name in data["outcomes"]])
        return [container]


def set_row_ids(container: nodes.Element, ids: list[str]) -> None:
    """Give each body row of the (first) table its anchor, in data order."""
    for table in container.findall(nodes.tbody):
        for row, row_id in zip(table.findall(nodes.row), ids, strict=False):
            row["ids"].append(row_id)
        return


class StudyTable(GuidelineDirective):
    """Every study, with its citation and risk-of-bias judgement (no certainty per study)."""

    def run(self) -> list[nodes.Node]:
        data = self.condition()
        if data is None:
            return []
        lines = [f":::{{list-table}} Studies: {escape(data['title'])}", ":header-rows: 1",
                 ":class: evidence-table", ""]
        lines += ["* - Study"] + [f"  - {heading}" for heading, _ in STUDY_COLUMNS]
        lines.append("  - Risk of bias")
        for key, study in data["studies"].items():
            lines.append(f"* - {escape(study['label'])} {cite([key])}")
            lines += [f"  - {escape(str(study[field]))}" for _, field in STUDY_COLUMNS]
            bias = study["risk_of_bias"]
            lines.append(f"  - {bias['judgement'].capitalize()}: {escape(bias['reason'])}")
        lines.append(":::")
        container = self.parse(lines, nodes.container(classes=["evidence-table-wrapper"]))
        set_row_ids(container, [f"study-{data['condition']}-{key}" for key in data["studies"]])
        return [container]


class PatientLines(GuidelineDirective):
    """The recommendations' lines for "What to tell the patient"."""

    def run(self) -> list[nodes.Node]:
        data = self.condition()
        if data is None:
            return []
        lines = [f"- {escape(rec['patient_line'])}"
                 for rec in data["recommendations"].values() if "patient_line" in rec]
        parsed = self.parse(lines, nodes.container()).children
        for node in parsed:
            node["classes"].append("patient-lines")
        return list(parsed)


def check_edition_control(app: Sphinx, env) -> None:
    """Recommendations changed since the last edition need a changelog entry naming them."""
    if not SNAPSHOT.exists():
        return
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    changelog = CHANGELOG.read_text(encoding="utf-8") if CHANGELOG.exists() else ""
    published = snapshot["recommendations"]
    for name in sorted({rec["condition"] for rec in published.values()}
                       | {path.stem for path in CONDITIONS.glob("*.yaml")}):
        path = CONDITIONS / f"{name}.yaml"
        current = {}
        if path.exists():
            data, _ = grade.load_condition(path)  # its faults are reported by the directives
            if data is None:
                continue
            current = grade.current_recommendations(data,
                                                    grade.line_index(path.read_text("utf-8")))
        mine = {**snapshot, "recommendations": {rec_id: rec for rec_id, rec in published.items()
                                                if rec["condition"] == name}}
        for problem in grade.check_edition(current, mine, changelog):
            where = path if path.exists() else SNAPSHOT
            logger.warning(problem.message, location=f"{where}:{problem.line}",
                           type=WARNING_TYPE, subtype=SUBTYPE)


def setup(app: Sphinx) -> None:
    """Called by the extension's setup(); registers the directives and edition control."""
    app.add_directive("key-points", KeyPoints)
    app.add_directive("summary-of-findings", SummaryOfFindings)
    app.add_directive("study-table", StudyTable)
    app.add_directive("patient-lines", PatientLines)
    app.connect("env-check-consistency", check_edition_control)
