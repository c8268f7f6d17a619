"""The searches behind the guide (docs/data/searches.yaml) in the build.

Thin glue over :mod:`ldn_guide.rules.searches` (which validates, recounts and dates
everything) and :mod:`.prisma` (the flow diagram's SVG):

- ``{searches-table}``: one row per search (source and how it was reached, date run, exact
  strategy, conditions, records found), then each tool's description and each unrecorded
  search's note. It reports the file's faults (``FILE:LINE``, subtype ``searches``).
- ``{prisma-flow}``: the PRISMA 2020 flow diagram, with its text alternative under it.
- ``{screened-records}``: every record found, the searches that found it and the decision on it.
- ``{review-interval}`` (role): the review interval the file states, e.g. "12 months", so the
  methods page never types it.
- :func:`show_literature_date` (doctree-read): "Literature current through: DATE" under each
  condition page's review-dates line, and a warning when the page's last review is further
  than the interval after that date.
- :func:`literature_dates_of` for recommendations.json and :func:`literature_date_of` for the
  pages' JSON-LD (``temporalCoverage``).
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..conventions import CONDITION_PAGES_DIR
from ..report import Subtype, warn, warn_problems
from ..rules import searches
from ..rules.review_dates import parse_dates
from . import prisma

# path -> (stamps, data or None, problems), once per process (every page reads the dates).
LOADED: dict[str, tuple] = {}
SECTION_LABEL = "sources-searched"  # the methods page's "Sources searched" section


def paths(srcdir) -> tuple[Path, Path]:
    data = Path(srcdir) / "data"
    return data / "searches.yaml", data / "searches.schema.json"


def stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def load(env, with_studies: bool = False) -> tuple[dict | None, list]:
    """The validated search data (None when absent or faulty) and its problems; with
    ``with_studies``, also checked against the condition files."""
    path, schema = paths(env.srcdir)
    if not path.exists():
        return None, []
    key = (stamp(path), stamp(schema))
    kept = LOADED.get(str(path))
    if kept is None or kept[0] != key:
        data, problems, lines = searches.load_searches(
            path, json.loads(schema.read_text(encoding="utf-8")))
        kept = LOADED[str(path)] = (key, data, problems, lines)
    _, data, problems, lines = kept
    if data is not None and with_studies:
        problems = searches.check_searches(data, lines, study_conditions(env))
        return (None if problems else data), problems
    return data, list(problems)


def study_conditions(env) -> dict[str, str]:
    """Every study key of the valid condition files -> its condition."""
    from .guideline import Paths, conditions_for_build

    return {key: data["condition"] for data in conditions_for_build(env, Paths(env.srcdir))
            for key in data["studies"]}


def study_labels(env) -> dict[str, tuple[str, str]]:
    """Every study key -> (its condition, its label), for the screened records' links."""
    from .guideline import Paths, conditions_for_build

    return {key: (data["condition"], study["label"])
            for data in conditions_for_build(env, Paths(env.srcdir))
            for key, study in data["studies"].items()}


class SearchDirective(SphinxDirective):
    def data(self) -> dict | None:
        path, schema = paths(self.env.srcdir)
        self.env.note_dependency(str(path))
        self.env.note_dependency(str(schema))
        if not path.exists():
            warn(f"no search data {path}; create it (see docs/data/searches.schema.json)",
                 Subtype.SEARCHES, location=self.get_location())
            return None
        data, problems = load(self.env, with_studies=True)
        reported = self.env.temp_data.setdefault("searches_reported", False)
        if not reported:  # once per page, not once per directive
            self.env.temp_data["searches_reported"] = True
            warn_problems(problems, path, Subtype.SEARCHES)
        return data


def table(widths: list[int], header: list[str], rows: list[list[nodes.Node | str]],
          classes: list[str], title: str) -> nodes.table:
    node = nodes.table(classes=classes)
    node += nodes.title("", title)
    group = nodes.tgroup(cols=len(widths))
    node += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += row(header)
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += row(cells)
    return node


def row(cells: list) -> nodes.row:
    line = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell if isinstance(cell, nodes.Node) else nodes.paragraph("", str(cell))
        line += entry
    return line


def literal(text: str) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    paragraph += nodes.literal(text, text)
    return paragraph


class SearchesTable(SearchDirective):
    def run(self) -> list[nodes.Node]:
        data = self.data()
        if data is None:
            return []
        rows = []
        for search in data["searches"]:
            found = "not recorded" if search["found"] is None else str(search["found"])
            strategy = (literal(search["strategy"]) if search["strategy"]
                        else "not recorded")
            rows.append([search["id"], f"{search['source']}; "
                                       f"{searches.HOW_REACHED[search['access']]}",
                         search["date_run"] or search.get("date_text", "not recorded"),
                         strategy, ", ".join(search["conditions"]), found])
        out: list[nodes.Node] = [table([6, 34, 12, 26, 12, 10],
                                       ["Search", "Source (how reached)", "Date run",
                                        "Strategy, exactly as run", "Conditions",
                                        "Records found"],
                                       rows, ["searches-table"], "Searches")]
        interfaces: dict[str, list[str]] = {}
        for search in data["searches"]:
            if "interface" in search:
                interfaces.setdefault(search["interface"], []).append(search["id"])
            if "note" in search:
                out.append(nodes.paragraph("", f"{search['id']}: {search['note']}",
                                           classes=["nonfactual"]))
        for text, ids in interfaces.items():
            out.append(nodes.paragraph("", f"{', '.join(ids)}: {text}", classes=["nonfactual"]))
        return out


def flow_inputs(data: dict) -> tuple:
    counts = searches.flow(data)
    reasons: dict[str, int] = {}
    for record in data["records"]:
        if record["decision"] == "excluded":
            reasons[record["reason"]] = reasons.get(record["reason"], 0) + 1
    dated = [search for search in data["searches"] if search["date_run"]]
    dates = sorted({search["date_run"] for search in dated})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}" if dates else "undated"
    kinds = sorted({search["access"] for search in dated})
    how = ("stored copies of public pages" if kinds == ["stored-copy"]
           else "the databases' own interfaces" if kinds == ["live"]
           else "the databases and stored copies of their pages")
    unrecorded = [search["id"] for search in data["searches"] if search["date_run"] is None]
    other = (f"{', '.join(unrecorded)}: strategies and counts not recorded" if unrecorded
             else "other sources")
    return counts, reasons, len(dated), when, how, other


class PrismaFlow(SearchDirective):
    def run(self) -> list[nodes.Node]:
        data = self.data()
        if data is None:
            return []
        inputs = flow_inputs(data)
        svg = prisma.draw_flow(*inputs, described_by="prisma-flow-text")
        figure = nodes.raw("", f'<figure class="prisma-figure" id="prisma-flow">'
                               f"{svg}</figure>", format="html")
        words = nodes.enumerated_list(ids=["prisma-flow-text"],
                                      classes=["prisma-flow-text", "nonfactual"])
        for line in prisma.flow_text(*inputs):
            item = nodes.list_item()
            item += nodes.paragraph("", line)
            words += item
        intro = nodes.paragraph("", "The flow diagram in words:", classes=["nonfactual"])
        return [figure, intro, words]


class ScreenedRecords(SearchDirective):
    def run(self) -> list[nodes.Node]:
        data = self.data()
        if data is None:
            return []
        found_by: dict[str, list[str]] = {}
        for search in data["searches"]:
            for hit in search.get("hits", []):
                found_by.setdefault(hit["record"], []).append(f"{search['id']} #{hit['rank']}")
        labels = study_labels(self.env)
        rows = []
        for record in data["records"]:
            decision = record["decision"]
            if decision == "included" and record["study"] in labels:
                condition, label = labels[record["study"]]
                outcome = nodes.paragraph()
                outcome += nodes.Text(f"{label}, in the evidence tables of ")
                outcome += addnodes.pending_xref(
                    "", nodes.inline("", condition), refdomain="std", reftype="doc",
                    reftarget=f"/{CONDITION_PAGES_DIR}/{condition}", refexplicit=True,
                    refwarn=True, refdoc=self.env.docname)
            elif decision == "excluded":
                outcome = nodes.paragraph("", f"{searches.REASONS[record['reason']]}: "
                                              f"{record['detail']}")
            else:
                outcome = nodes.paragraph("", record.get("detail", record.get("study", "")))
            rows.append([record["what"], ", ".join(found_by.get(record["id"], [])),
                         decision, outcome])
        return [table([34, 14, 10, 42], ["Record", "Found by (search #rank)", "Decision",
                                          "Study, or reason"], rows, ["screened-records"],
                      "Every record found, and the decision on it")]


def review_interval_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{review-interval}`` ``: the interval searches.yaml states, as "12 months"."""
    env = inliner.document.settings.env
    path, _ = paths(env.srcdir)
    env.note_dependency(str(path))
    data, _ = load(env)
    if data is None:
        message = inliner.reporter.error(f"no valid {path} to read the review interval from",
                                         line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    months = data["review_interval_months"]
    return [nodes.Text(f"{months} months")], []


def condition_of(docname: str) -> str | None:
    head, _, tail = docname.partition("/")
    return tail if head == CONDITION_PAGES_DIR and tail and "/" not in tail else None


def show_literature_date(app, doctree: nodes.document) -> None:
    """"Literature current through: DATE" on a condition page, under its review-dates line."""
    docname = app.env.docname
    condition = condition_of(docname)
    path, _ = paths(app.env.srcdir)
    if condition is None or not path.exists():
        return
    app.env.note_dependency(str(path))
    data, _ = load(app.env)  # faults: reported by the methods page's directives
    if data is None:
        return
    searched = searches.literature_dates(data).get(condition)
    dates, errors = parse_dates(app.env.metadata.get(docname, {}))
    if not errors:
        message = searches.stale_message(condition, searched,
                                         dates["last_reviewed"], data["review_interval_months"])
        if message:
            warn(message, Subtype.SEARCHES, location=(docname, 1))
    dates_line = next(iter(doctree.findall(lambda n: isinstance(n, nodes.paragraph)
                                           and "review-dates" in n["classes"])), None)
    if dates_line is None or searched is None:
        return
    waiting = searches.awaiting(data, condition)
    how = searches.latest_access(data, condition)
    line = nodes.paragraph(classes=["literature-date", "nonfactual"])
    dates_line.parent.insert(dates_line.parent.index(dates_line) + 1, line)
    line += nodes.Text(f"Literature current through: {searched} (latest search, of "
                       f"{searches.ACCESS[how]}; see ")
    line += addnodes.pending_xref("", nodes.inline("", "Sources searched"), refdomain="std",
                                  reftype="ref", reftarget=SECTION_LABEL, refexplicit=True,
                                  refwarn=True, refdoc=docname)
    more = "" if not waiting else (f"; {waiting} record awaiting assessment" if waiting == 1
                                   else f"; {waiting} records awaiting assessment")
    line += nodes.Text(f"{more}).")


def literature_dates_of(env) -> dict[str, str]:
    """Condition -> literature date, for recommendations.json (empty without search data)."""
    data, _ = load(env)
    return searches.literature_dates(data) if data else {}


def literature_date_of(env, pagename: str) -> str | None:
    condition = condition_of(pagename)
    return literature_dates_of(env).get(condition) if condition else None


def add_directives(app) -> None:
    app.add_directive("searches-table", SearchesTable)
    app.add_directive("prisma-flow", PrismaFlow)
    app.add_directive("screened-records", ScreenedRecords)
    app.add_role("review-interval", review_interval_role)
