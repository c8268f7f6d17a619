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
- ``{outcome-figures}``: one forest-style figure per outcome (each study's estimate and 95% CI
  as reported, studies without one listed as such, published pooled estimates labelled as the
  authors'), SVG with a text alternative; drawn by :func:`.figures.draw_forest`.
- ``{quick-reference-rows} depression dissociation ...``: the quick reference's table, one row
  per condition, with the recommendations' text as on their pages.
- ``{recommendation-changes} 2026.2``: the changelog's list of the recommendations made,
  amended or withdrawn in an edition, from the data and docs/data/last-edition.json.

At build-finished (HTML builders) :func:`write_recommendations` writes ``recommendations.json``
next to the HTML, validated against docs/data/recommendations.schema.json (copied beside it).

Tables are generated as MyST and nested-parsed, so ``{cite:p}`` resolves as on any page. Faults
in a file warn as ``FILE:LINE: message`` (type ``ldn_guide``, subtype ``evidence``) once per
page that uses it. ``check_edition_control`` (env-check-consistency) compares every
recommendation with docs/data/last-edition.json and docs/changelog.md.

The extension's ``setup()`` calls :func:`setup` below.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..conventions import KEY_POINTS_CLASS, WARNING_TYPE
from ..rules import grade

logger = logging.getLogger(__name__)

SUBTYPE = "evidence"
STUDY_COLUMNS = [  # (heading, field)
    ("Design", "design"), ("n", "n"), ("Population", "population"),
    ("Dose and schedule", "dose"), ("Duration", "duration"),
    ("Primary outcome", "primary_outcome"), ("Result", "result"), ("Funding", "funding"),
]


def load(env, path: Path) -> tuple[dict | None, tuple]:
    """Load once per file version and bibliography, kept in the environment: the directives,
    the quick reference, the changelog, edition control and recommendations.json share one
    parse and validation, and a rebuild after an edit to a page's prose validates no data file
    again."""
    known = frozenset(env.get_domain("cite").bibdata.data.entries)
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size,
             hashlib.sha256("\n".join(sorted(known)).encode()).hexdigest())
    cache = env.__dict__.setdefault("ldn_conditions", {})
    kept = cache.get(str(path))
    if kept is None or kept[0] != stamp:
        data, problems = grade.load_condition(path, known)
        kept = cache[str(path)] = (stamp, data, tuple(problems))
    return kept[1], kept[2]


class Paths:
    """Where a project keeps its guideline data: under its own source folder (``app.srcdir``),
    so a fixture project in the tests reads its own files, not the checkout's."""

    def __init__(self, srcdir) -> None:
        data = Path(srcdir) / "data"
        self.conditions = data / "conditions"
        self.snapshot = data / "last-edition.json"  # the last published edition (release.py)
        self.published_schema = data / "recommendations.schema.json"
        self.changelog = Path(srcdir) / "changelog.md"


def escape(text: str) -> str:
    """Keep data text literal inside the generated MyST (no accidental markup)."""
    return re.sub(r"([*_`\[\]<>{}|$])", r"\\\1", text)


def cell(value) -> str:
    """A table cell's text: numbers as printed, "not reported" capitalised."""
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return text[:1].upper() + text[1:]


def cite(keys) -> str:
    return f"{{cite:p}}`{','.join(keys)}`" if keys else ""


class GuidelineDirective(SphinxDirective):
    required_arguments = 1

    def condition(self, name: str | None = None) -> dict | None:
        name = name or self.arguments[0]
        path = Paths(self.env.srcdir).conditions / f"{name}.yaml"
        self.env.note_dependency(str(path))
        if not path.exists():
            logger.warning(f"no condition file {path}; create it or fix the directive argument",
                           location=self.get_location(), type=WARNING_TYPE, subtype=SUBTYPE)
            return None
        data, problems = load(self.env, path)
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
    """The Key points admonition, one item per current recommendation, in file order.

    Each item: the text (span ``recommendation-text``, compared with recommendations.json by
    the tests), the certainty label, links to the outcome rows it rests on and to its ``see``
    sections, then its ID and edition labels. No citations: they live in the tables.
    """

    def run(self) -> list[nodes.Node]:
        data = self.condition()
        if data is None:
            return []
        condition, outcomes = data["condition"], data["outcomes"]
        box = nodes.admonition(classes=["admonition-key-points", KEY_POINTS_CLASS])
        box += nodes.title("Key points", "Key points")
        items = nodes.bullet_list(bullet="-")
        for rec_id, rec in grade.shown(data).items():
            label = grade.certainty_label(grade.certainty_of(rec, outcomes))
            anchor = grade.recommendation_anchor(rec_id)
            item = nodes.list_item(classes=["key-point", f"kind-{rec['kind']}"])
            item["names"].append(anchor)  # a label: {ref}`... <fm-1>` works from any page
            item["ids"].append(anchor)
            self.state.document.note_explicit_target(item, item)
            paragraph = nodes.paragraph()
            paragraph += nodes.inline(rec["text"], rec["text"], classes=["recommendation-text"])
            paragraph += nodes.Text(" ")
            paragraph += nodes.inline(label, label, classes=["certainty-label"])
            links: list[nodes.Node] = [
                nodes.reference("", outcomes[name]["name"], internal=True,
                                refuri=f"#{grade.outcome_anchor(condition, name)}")
                for name in rec.get("outcomes", []) if name in outcomes]
            links += self.see_links(rec.get("see", []))
            if links:
                paragraph += nodes.Text(" Evidence: " if rec.get("outcomes") else " See: ")
                for number, link in enumerate(links):
                    if number:
                        paragraph += nodes.Text("; ")
                    paragraph += link
                paragraph += nodes.Text(".")
            tag = f"{rec_id} {grade.edition_labels(rec['history'])}"
            paragraph += nodes.Text(" ")
            paragraph += nodes.inline(tag, tag, classes=["recommendation-id"])
            item += paragraph
            items += item
        box += items
        return [box]

    def see_links(self, see: list[dict]) -> list[nodes.Node]:
        """Cross-references parsed as MyST, so Sphinx resolves (and checks) them."""
        if not see:
            return []
        roles = [f"{{doc}}`{entry['doc']}`" if "doc" in entry else f"{{ref}}`{entry['ref']}`"
                 for entry in see]
        container = self.parse([" ".join(roles)], nodes.container())
        paragraph = container.children[0]
        return [child for child in paragraph.children if not isinstance(child, nodes.Text)]


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
                 ":class: summary-of-findings evidence-table", "",
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
            for key, result in outcome.get("study_results", {}).items():
                text = result if isinstance(result, str) else grade.effect_text(result)
                effect += ["", f"    {escape(data['studies'][key]['label'])}: {escape(text)}"]
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
            # The guide's grading judgements; the facts they rest on are cited in the rows.
            lines += ["", "{.summary-of-findings-notes .nonfactual}"]
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
                 ":class: study-table", ""]
        lines += ["* - Study"] + [f"  - {heading}" for heading, _ in STUDY_COLUMNS]
        lines.append("  - Risk of bias")
        for key, study in data["studies"].items():
            lines.append(f"* - {escape(study['label'])} {cite([key])}")
            lines += [f"  - {escape(cell(study[field]))}" for _, field in STUDY_COLUMNS]
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
        lines = [f"- {escape(rec['patient_line'])} {cite(rec['patient_cite'])}"
                 for rec in grade.shown(data).values() if "patient_line" in rec]
        parsed = self.parse(lines, nodes.container()).children
        for node in parsed:
            node["classes"].append("patient-lines")
        return list(parsed)


class OutcomeFigures(GuidelineDirective):
    """One forest-style figure per outcome, in the order of the summary of findings."""

    def run(self) -> list[nodes.Node]:
        from . import figures  # matplotlib is imported only when a figure is drawn

        data = self.condition()
        if data is None:
            return []
        drawn = self.env.__dict__.setdefault("evidence_figures", {})
        blocks = []
        for name, outcome in data["outcomes"].items():
            rows = grade.forest_rows(outcome, data["studies"])
            figure_id = f"figure-{grade.outcome_anchor(data['condition'], name)}"
            title = f"Forest-style plot: {outcome['name']}"
            # Redraw only when the rows changed: editing a page's prose needs no matplotlib.
            key = (figure_id, json.dumps(rows, sort_keys=True), title)
            if key not in drawn:
                drawn[key] = figures.draw_forest(rows, figure_id, title)
            caption = html.escape(grade.forest_description(outcome, rows), quote=False)
            blocks.append(nodes.raw(
                "", f'<figure class="evidence-figure forest-plot" id="{figure_id}">'
                    f"{drawn[key]}<figcaption>{caption}</figcaption></figure>",
                format="html"))
        return blocks


class QuickReferenceRows(GuidelineDirective):
    """The quick reference's "evidence by condition" table: one row per condition named."""

    required_arguments = 1
    optional_arguments = 20

    def run(self) -> list[nodes.Node]:
        lines = [":::{list-table}", ":header-rows: 1", ":widths: 13 47 40",
                 ":class: quick-reference-rows", "",
                 "* - Condition", "  - Best evidence", "  - Recommendation (certainty)"]
        for name in self.arguments:
            data = self.condition(name)
            if data is None:
                continue
            quick, outcomes = data["quick_reference"], data["outcomes"]
            lines += [f"* - {{doc}}`{escape(data['title'])} </conditions/{name}>`",
                      f"  - {escape(quick['evidence'])} {cite(quick['cite'])}"]
            for number, rec_id in enumerate(quick["recommendations"]):
                rec = data["recommendations"][rec_id]
                label = grade.certainty_label(grade.certainty_of(rec, outcomes))
                # The key point's own label (registered by {key-points}): Sphinx checks it.
                link = (f"{{ref}}`{rec['text']} <{grade.recommendation_anchor(rec_id)}>` "
                        f"{label} {rec_id}")
                lines += [f"  - {link}"] if number == 0 else ["", f"    {link}"]
        lines.append(":::")
        return [self.parse(lines, nodes.container(classes=["quick-reference-rows-wrapper"]))]


class RecommendationChanges(GuidelineDirective):
    """The changelog's list of recommendations made, amended or withdrawn in one edition.

    For the snapshot's edition, the recommendations as published then (last-edition.json);
    for a later edition, each one whose history names it, with the snapshot's text as "was".
    """

    def run(self) -> list[nodes.Node]:
        edition = self.arguments[0]
        paths = Paths(self.env.srcdir)
        self.env.note_dependency(str(paths.snapshot))
        snapshot = json.loads(paths.snapshot.read_text(encoding="utf-8"))
        published = snapshot["recommendations"]
        lines = []
        for path in sorted(paths.conditions.glob("*.yaml")):
            data = self.condition(path.stem)
            if data is None:
                continue
            items = []
            for rec_id, rec in data["recommendations"].items():
                labels = [label.split()[0] for label in rec["history"]
                          if label.split()[1] == edition]
                label = grade.certainty_label(grade.certainty_of(rec, data["outcomes"]))
                old = published.get(rec_id)
                if edition == snapshot["edition"]:
                    if old:
                        items.append(f"- **{rec_id}** {escape(old['text'])} "
                                     f"{grade.certainty_label(old['certainty'])}")
                elif "withdrawn" in labels:
                    items.append(f"- **{rec_id} withdrawn.** Was: {escape(rec['text'])} "
                                 f"{label}")
                elif "new" in labels:
                    items.append(f"- **{rec_id} new.** {escape(rec['text'])} {label}")
                elif "amended" in labels:
                    was = (f" Was: {escape(old['text'])} "
                           f"{grade.certainty_label(old['certainty'])}") if old else ""
                    items.append(f"- **{rec_id} amended.** Now: {escape(rec['text'])} "
                                 f"{label}.{was}")
            if items:
                lines += ["{.recommendation-changes-condition}", f"{escape(data['title'])}:",
                          "", *items, ""]
        return [self.parse(lines, nodes.container(classes=["recommendation-changes",
                                                           "nonfactual"]))]


def conditions_for_build(env, paths: Paths) -> list[dict]:
    """Every valid condition file, in name order (faults are reported by the directives)."""
    found = []
    for path in sorted(paths.conditions.glob("*.yaml")):
        data, _ = load(env, path)
        if data is not None:
            found.append(data)
    return found


def write_recommendations(app: Sphinx, exception: Exception | None) -> None:
    """recommendations.json and its schema next to the HTML; a schema fault is a warning."""
    paths = Paths(app.srcdir)
    if exception is not None or app.builder.format != "html" or not paths.snapshot.exists():
        return
    conditions = conditions_for_build(app.env, paths)
    if not conditions:
        return
    pages = {data["condition"]: app.builder.get_target_uri(f"conditions/{data['condition']}")
             for data in conditions}
    document = grade.published_recommendations(conditions, app.config.release, pages,
                                               app.builder.get_target_uri("changelog"))
    schema = json.loads(paths.published_schema.read_text(encoding="utf-8"))
    for message in grade.validate_published(document, schema):
        logger.warning(f"recommendations.json: {message}", location=str(paths.published_schema),
                       type=WARNING_TYPE, subtype=SUBTYPE)
    out = Path(app.outdir)
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (out / "recommendations.json").write_text(text, encoding="utf-8")
    (out / paths.published_schema.name).write_bytes(paths.published_schema.read_bytes())


def check_edition_control(app: Sphinx, env) -> None:
    """Recommendations changed since the last edition need a changelog entry naming them."""
    paths = Paths(app.srcdir)
    if not paths.snapshot.exists():
        return
    snapshot = json.loads(paths.snapshot.read_text(encoding="utf-8"))
    changelog = paths.changelog.read_text(encoding="utf-8") if paths.changelog.exists() else ""
    published = snapshot["recommendations"]
    for name in sorted({rec["condition"] for rec in published.values()}
                       | {path.stem for path in paths.conditions.glob("*.yaml")}):
        path = paths.conditions / f"{name}.yaml"
        current = {}
        if path.exists():
            data, _ = load(env, path)  # its faults are reported by the directives
            if data is None:
                continue
            current = grade.current_recommendations(data,
                                                    grade.line_index(path.read_text("utf-8")))
        mine = {**snapshot, "recommendations": {rec_id: rec for rec_id, rec in published.items()
                                                if rec["condition"] == name}}
        for problem in grade.check_edition(current, mine, changelog):
            where = path if path.exists() else paths.snapshot
            logger.warning(problem.message, location=f"{where}:{problem.line}",
                           type=WARNING_TYPE, subtype=SUBTYPE)


def setup(app: Sphinx) -> None:
    """Called by the extension's setup(); registers the directives and edition control."""
    app.add_directive("key-points", KeyPoints)
    app.add_directive("summary-of-findings", SummaryOfFindings)
    app.add_directive("study-table", StudyTable)
    app.add_directive("patient-lines", PatientLines)
    app.add_directive("outcome-figures", OutcomeFigures)
    app.add_directive("quick-reference-rows", QuickReferenceRows)
    app.add_directive("recommendation-changes", RecommendationChanges)
    app.connect("env-check-consistency", check_edition_control)
    app.connect("build-finished", write_recommendations)
