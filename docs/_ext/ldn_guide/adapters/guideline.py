"""Key points, summary of findings, study table and patient lines from docs/data/conditions/.

Thin Sphinx glue over :mod:`ldn_guide.rules.guideline` (which loads, validates, computes and
words everything) and :mod:`.guideline_tables` (the MyST of the tables). Each directive takes
the condition's slug::

    ```{key-points} fibromyalgia
    ```

- ``{key-points}``: the Key points box (class ``key-points``); each item carries its ID, the
  anchor ``#fm-1``, the text, the derived certainty label and links to the summary-of-findings
  rows it rests on (the citations live in the tables).
- ``{summary-of-findings}``: one row per outcome (id ``outcome-<condition>-<outcome>``):
  participants (studies) with citations, the effect as reported and the published pooled
  results labelled as theirs, ⊕ certainty, footnotes naming each downguideline.
- ``{recommendation-rationale}``: "Rationale and impact", each current recommendation's
  ``rationale`` (at most five sentences) under a link to its Key point.
- ``{summary-of-findings}``: GRADE's summary of findings, one row per outcome (id
  ``outcome-<condition>-<outcome>``): outcome (importance), № participants (studies) with
  citations, relative effect (95% CI), anticipated absolute effect with the comparator risk
  (its source a lettered footnote), or the one-sentence narrative where nothing can be pooled,
  ⊕ certainty with the downgrades' footnote letters, and what it means; the footnotes directly
  under it; then "What published meta-analyses found", the reviews' own pooled results.
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
Every file is the project's own, under ``app.srcdir`` (:class:`Paths`): the condition files are
validated against its docs/data/guideline.schema.json.

Tables are generated as MyST and nested-parsed, so ``{cite:p}`` resolves as on any page. Faults
in a file warn as ``FILE:LINE: message`` (type ``ldn_guide``, subtype ``evidence``) once per
page that uses it. ``check_edition_control`` (env-check-consistency) compares every
recommendation with docs/data/last-edition.json and docs/changelog.md.

The extension's ``setup()`` calls :func:`setup` below.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..conventions import KEY_POINTS_CLASS
from ..env_state import state
from ..report import Subtype, warn, warn_problems
from ..rules import guideline
from . import guideline_tables as tables


def load(env, path: Path) -> tuple[dict | None, tuple]:
    """Load once per file version and bibliography, kept in the environment: the directives,
    the quick reference, the changelog, edition control and recommendations.json share one
    parse and validation, and a rebuild after an edit to a page's prose validates no data file
    again (an edit to guideline.schema.json does: its stamp is part of the key)."""
    known = frozenset(env.get_domain("cite").bibdata.data.entries)
    schema = Paths(env.srcdir).schema
    stamp = (file_stamp(path), file_stamp(schema),
             hashlib.sha256("\n".join(sorted(known)).encode()).hexdigest())
    cache = state(env).conditions
    kept = cache.get(str(path))
    if kept is None or kept[0] != stamp:
        data, problems = guideline.load_condition(
            path, known, json.loads(schema.read_text(encoding="utf-8")))
        kept = cache[str(path)] = (stamp, data, tuple(problems))
    return kept[1], kept[2]


def file_stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


class Paths:
    """Where a project keeps its guideline data: under its own source folder (``app.srcdir``),
    so a fixture project in the tests reads its own files, not the checkout's."""

    def __init__(self, srcdir) -> None:
        data = Path(srcdir) / "data"
        self.conditions = data / "conditions"
        self.schema = data / "guideline.schema.json"  # what every condition file must follow
        self.snapshot = data / "last-edition.json"  # the last published edition (release.py)
        self.published_schema = data / "recommendations.schema.json"
        self.changelog = Path(srcdir) / "changelog.md"


class GuidelineDirective(SphinxDirective):
    required_arguments = 1

    def condition(self, name: str | None = None) -> dict | None:
        name = name or self.arguments[0]
        paths = Paths(self.env.srcdir)
        path = paths.conditions / f"{name}.yaml"
        self.env.note_dependency(str(path))
        self.env.note_dependency(str(paths.schema))  # the page's checks depend on it too
        if not path.exists():
            warn(f"no condition file {path}; create it or fix the directive argument",
                 Subtype.EVIDENCE, location=self.get_location())
            return None
        data, problems = load(self.env, path)
        reported = self.env.temp_data.setdefault("guideline_reported", set())
        if path not in reported:  # once per page, not once per directive
            reported.add(path)
            warn_problems(problems, path, Subtype.EVIDENCE)
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
        for rec_id, rec in guideline.shown(data).items():
            label = guideline.printed_label(rec, outcomes)  # strength; certainty
            anchor = guideline.recommendation_anchor(rec_id)
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
                                refuri=f"#{guideline.outcome_anchor(condition, name)}")
                for name in rec.get("outcomes", []) if name in outcomes]
            links += self.see_links(rec.get("see", []))
            if links:
                paragraph += nodes.Text(" Evidence: " if rec.get("outcomes") else " See: ")
                for number, link in enumerate(links):
                    if number:
                        paragraph += nodes.Text("; ")
                    paragraph += link
                paragraph += nodes.Text(".")
            tag = f"{rec_id} {guideline.edition_labels(rec['history'])}"
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


class RecommendationRationale(GuidelineDirective):
    """Each current recommendation's rationale, under its ID (a link to its Key point)."""

    def run(self) -> list[nodes.Node]:
        data = self.condition()
        if data is None:
            return []
        items = nodes.bullet_list(bullet="-", classes=["recommendation-rationale"])
        for rec_id, rec in guideline.shown(data).items():
            paragraph = nodes.paragraph()
            paragraph += nodes.reference(
                "", rec_id, internal=True, classes=["recommendation-id"],
                refuri=f"#{guideline.recommendation_anchor(rec_id)}")
            paragraph += nodes.Text(f": {rec['rationale']}")
            items += nodes.list_item("", paragraph)
        return [items]


class SummaryOfFindings(GuidelineDirective):
    """One row per outcome, GRADEpro/Cochrane style, footnotes lettered under the table."""

    def run(self) -> list[nodes.Node]:
        data = self.condition()
        if data is None:
            return []
        container = self.parse(tables.summary_of_findings(data),
                               nodes.container(classes=["summary-of-findings-wrapper"]))
        tables.set_row_ids(container, [guideline.outcome_anchor(data["condition"], name)
                                       for name in data["outcomes"]])
        return [container]


class StudyTable(GuidelineDirective):
    """Every study, with its citation and risk-of-bias judgement (no certainty per study)."""

    def run(self) -> list[nodes.Node]:
        data = self.condition()
        if data is None:
            return []
        container = self.parse(tables.study_table(data),
                               nodes.container(classes=["evidence-table-wrapper"]))
        tables.set_row_ids(container, [f"study-{data['condition']}-{key}"
                                       for key in data["studies"]])
        return [container]


class PatientLines(GuidelineDirective):
    """The recommendations' lines for "What to tell the patient"."""

    def run(self) -> list[nodes.Node]:
        data = self.condition()
        if data is None:
            return []
        lines = [f"- {tables.escape(rec['patient_line'])} {tables.cite(rec['patient_cite'])}"
                 for rec in guideline.shown(data).values() if "patient_line" in rec]
        parsed = self.parse(lines, nodes.container()).children
        for node in parsed:
            node["classes"].append("patient-lines")
        return list(parsed)


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
            if data is not None:
                lines += tables.quick_reference_row(name, data)
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
        lines = []
        for path in sorted(paths.conditions.glob("*.yaml")):
            data = self.condition(path.stem)
            items = [] if data is None else tables.recommendation_changes(data, edition, snapshot)
            if items:
                lines += ["{.recommendation-changes-condition}",
                          f"{tables.escape(data['title'])}:", "", *items, ""]
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
    from .searches import literature_dates_of

    document = guideline.published_recommendations(conditions, app.config.release, pages,
                                                   app.builder.get_target_uri("changelog"),
                                                   literature_dates_of(app.env))
    schema = json.loads(paths.published_schema.read_text(encoding="utf-8"))
    for message in guideline.validate_published(document, schema):
        warn(f"recommendations.json: {message}", Subtype.EVIDENCE,
             location=str(paths.published_schema))
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
            lines = guideline.line_index(path.read_text("utf-8"))
            current = guideline.current_recommendations(data, lines)
        mine = {**snapshot, "recommendations": {rec_id: rec for rec_id, rec in published.items()
                                                if rec["condition"] == name}}
        where = path if path.exists() else paths.snapshot
        warn_problems(guideline.check_edition(current, mine, changelog), where, Subtype.EVIDENCE)


def add_directives(app: Sphinx) -> None:
    """The condition data's directives (the extension's setup() connects edition control and
    recommendations.json to their events)."""
    app.add_directive("key-points", KeyPoints)
    app.add_directive("recommendation-rationale", RecommendationRationale)
    app.add_directive("summary-of-findings", SummaryOfFindings)
    app.add_directive("study-table", StudyTable)
    app.add_directive("patient-lines", PatientLines)
    from .guideline_figures import OutcomeFigures, add_nodes  # it subclasses this module's base

    app.add_directive("outcome-figures", OutcomeFigures)
    add_nodes(app)
    app.add_directive("quick-reference-rows", QuickReferenceRows)
    app.add_directive("recommendation-changes", RecommendationChanges)
    from .guideline_wording import RecommendationWording  # it subclasses this module's base

    app.add_directive("recommendation-wording", RecommendationWording)
