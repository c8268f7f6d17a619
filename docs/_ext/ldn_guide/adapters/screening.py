"""The "Before you supply" checklist from docs/data/screening.yaml: checks, directives, data.

Thin Sphinx glue over :mod:`ldn_guide.rules.screening`, which loads, checks and evaluates the
table. A project without the table (most test fixtures) gets none of this.

- :func:`check_table` (builder-inited, after sphinxcontrib-bibtex has read refs.bib): every
  problem of the table as ``docs/data/screening.yaml:LINE: message`` (type ``ldn_guide``,
  subtype ``screening``), so the strict build fails on it.
- ``{screening-checklist}``: one tick-box line per question with what each answer means, the
  words shown and their citations (the card's "Before you supply", the web page's print copy).
- ``{screening-counsel}``: the counselling points, cited.
- ``{screening-form}``: the interactive checklist. The form is written here, at build time,
  with the table itself embedded as JSON data (``<script type="application/json">`` is data:
  the Content-Security-Policy does not run or block it); ``_static/screening.js``, the site's
  own script, added to that page only, evaluates it as :func:`rules.screening.evaluate` does.
  No request is made, so the page works offline and from ``file:``.
- :func:`publish` (build-finished, HTML builders): ``screening.json`` and
  ``screening.schema.json`` next to the HTML.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..conventions import NONFACTUAL_CLASS, SITEMAP_BUILDERS
from ..env_state import state
from ..report import Subtype, warn, warn_problems
from ..rules import Problem, guideline, screening
from . import guideline as conditions
from .guideline_tables import escape

FORM_ID = "screening-form"
SCRIPT = "screening.js"
# A line that rests only on the guide's own good-practice points or recommendations (linked,
# and cited where they are made) carries no citation: it is marked as the guide's own words.
OWN_WORDS_CLASS = NONFACTUAL_CLASS


def table_path(srcdir) -> Path:
    return Path(srcdir) / "data" / "screening.yaml"


def table_schema(srcdir) -> screening.Schema:
    """The table's schema, beside it in the project's data folder."""
    return screening.schema_at(table_path(srcdir).with_name(screening.SCHEMA_NAME))


def recommendations(env) -> dict[str, str]:
    """Recommendation ID -> verb, from the project's condition files (valid ones only)."""
    found = {}
    for path in sorted(conditions.Paths(env.srcdir).conditions.glob("*.yaml")):
        data, _ = conditions.load(env, path)  # its own faults are reported by the directives
        for rec_id, rec in (data or {}).get("recommendations", {}).items():
            found[rec_id] = rec["verb"]
    return found


def load(env) -> tuple[dict | None, tuple]:
    """The table and its problems, once per file version and bibliography (kept in the
    environment, like the condition files)."""
    path = table_path(env.srcdir)
    known = frozenset(env.get_domain("cite").bibdata.data.entries)
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size,
             hashlib.sha256("\n".join(sorted(known)).encode()).hexdigest())
    kept = state(env).screening
    schema_path = path.with_name(screening.SCHEMA_NAME)
    if not schema_path.exists():
        return None, (Problem(1, f"no {schema_path.name} beside the table; copy the guide's "
                                 f"docs/data/{schema_path.name} there"),)
    if kept is None or kept[0] != stamp:
        data, problems = screening.load(path, table_schema(env.srcdir), known,
                                        recommendations(env))
        kept = state(env).screening = (stamp, data, tuple(problems))
    return kept[1], kept[2]


def check_table(app: Sphinx, env, docnames: list[str]) -> None:
    path = table_path(app.srcdir)
    if not path.exists():
        return
    _, problems = load(env)
    warn_problems(problems, path, Subtype.SCREENING)


def cite_keys(sources) -> list[str]:
    return list(dict.fromkeys(s["cite"] for s in sources if s.get("cite")))


def sources_markup(sources) -> str:
    """Citations, links to the guide's recommendations, and 'good practice' where it is one."""
    parts = []
    keys = cite_keys(sources)
    if keys:
        parts.append(f"{{cite:p}}`{','.join(keys)}`")
    recs = list(dict.fromkeys(s["recommendation"] for s in sources
                              if s["kind"] == "recommendation"))
    if recs:
        links = ", ".join(f"{{ref}}`{rec} <{guideline.recommendation_anchor(rec)}>`"
                          for rec in recs)
        parts.append(f"({links})")
    if any(source["kind"] == "good-practice" for source in sources):
        parts.append("(good practice)")
    return " ".join(parts)


class ScreeningDirective(SphinxDirective):
    def table(self) -> dict | None:
        path = table_path(self.env.srcdir)
        self.env.note_dependency(str(path))
        if not path.exists():
            warn(f"no screening table {path}", Subtype.SCREENING, location=self.get_location())
            return None
        data, _ = load(self.env)  # its problems are reported once, by check_table
        return data

    def parse(self, lines: list[str], classes: list[str]) -> nodes.Element:
        from docutils.statemachine import StringList

        container = nodes.container(classes=classes)
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]),
                                self.content_offset, container)
        return container


class Checklist(ScreeningDirective):
    """Each question as a tick-box line, then what an answer that needs action means: the
    action alone where every such rule says "do not supply" on a yes/no or list answer, the
    question's ``card`` words where it has them, else each rule's words."""

    def run(self) -> list[nodes.Node]:
        data = self.table()
        if data is None:
            return []
        lines, cited = [], []  # cited: per list item, in document order
        for question in data["questions"]:
            acting = [rule for rule in question["rules"] if rule["action"] != "supply"]
            sources = [source for rule in acting for source in rule["sources"]]
            ask = f"- **{escape(question['ask'])}**"
            cited.append(bool(cite_keys(sources)))
            if "card" in question:
                lines.append(f"{ask} {escape(question['card'])} {sources_markup(sources)}")
            elif all(rule["action"] == "do-not-supply" and "all" not in rule["when"]
                     for rule in acting):
                words = screening.ACTION_WORDS["do-not-supply"].replace(":", ";")
                lines.append(f"{ask} If yes: {words.lower()}. {sources_markup(sources)}")
            else:
                lines.append(ask)
                for rule in acting:
                    lines += ["", f"  - {escape(rule['says'])} {sources_markup(rule['sources'])}"]
                    cited.append(bool(cite_keys(rule["sources"])))
            lines.append("")
        container = self.parse(lines, ["screening-checklist"])
        for item, has_citation in zip(container.findall(nodes.list_item), cited, strict=True):
            if isinstance(item.parent.parent, nodes.container):
                item["classes"].append("tick")
            if not has_citation:
                item["classes"].append(OWN_WORDS_CLASS)
        return [container]


class Counsel(ScreeningDirective):
    def run(self) -> list[nodes.Node]:
        data = self.table()
        if data is None:
            return []
        lines = [f"- {escape(point['text'])} {sources_markup(point['sources'])}"
                 for point in data["counsel"]]
        container = self.parse(lines, ["screening-counsel"])
        for item, point in zip(container.findall(nodes.list_item), data["counsel"], strict=True):
            if not cite_keys(point["sources"]):
                item["classes"].append(OWN_WORDS_CLASS)
        return [container]


def control_html(key: str, field: dict, kind: str) -> str:
    """One form control per patient key (``kind``: its type in the schema); every control
    starts as "not asked yet"."""
    label = html.escape(field["label"])
    ident = f"sc-{key}"
    hint = (f'<p class="screening-hint nonfactual" id="{ident}-hint">'
            f'{html.escape(field["hint"])}</p>'
            if field.get("hint") else "")
    described = f' aria-describedby="{ident}-hint"' if field.get("hint") else ""
    if kind in ("boolean", "enum"):  # one Tab stop each: a select, not a radio group
        values = (field["values"].items() if kind == "enum"
                  else (("true", "Yes"), ("false", "No")))
        options = '<option value="">Not asked yet</option>' + "".join(
            f'<option value="{html.escape(value)}">{html.escape(text)}</option>'
            for value, text in values)
        return (f'<div class="screening-field" data-key="{key}" data-kind="{kind}">'
                f'<label for="{ident}">{label}</label>'
                f'<select id="{ident}" name="{key}">{options}</select></div>')
    if kind == "list":
        box = (f'<input type="text" id="{ident}" name="{key}" autocomplete="off"'
               f'{described}>')
    else:
        box = (f'<input type="number" id="{ident}" name="{key}" min="0" step="any" '
               f'inputmode="decimal">')
    none = (f'<label class="screening-none"><input type="checkbox" id="{ident}-none" '
            f'name="{key}-none"> {html.escape(field["none"])}</label>'
            if field.get("none") else "")
    return (f'<div class="screening-field" data-key="{key}" data-kind="{kind}">'
            f'<label for="{ident}">{label}</label>{hint}{box}{none}</div>')


class Form(ScreeningDirective):
    """The interactive checklist: the questions, and the outcome beside them (aria-live)."""

    def run(self) -> list[nodes.Node]:
        data = self.table()
        if data is None:
            return []
        schema = table_schema(self.env.srcdir)
        controls = "".join(control_html(key, field, schema.key_type(key))
                           for key, field in data["fields"].items())
        payload = json.dumps(screening.published(data), ensure_ascii=False,
                             separators=(",", ":")).replace("</", "<\\/")
        markup = (
            f'<div class="screening-app">'
            f'<form id="{FORM_ID}" class="screening-form" aria-label="Before you supply: '
            f'the patient\'s answers" novalidate>{controls}'
            '<p class="nonfactual"><button type="reset" class="screening-reset">Clear all answers'
            "</button></p>"
            "</form>"
            '<section class="screening-outcome" aria-labelledby="screening-outcome-title">'
            '<h2 id="screening-outcome-title">Outcome</h2>'
            '<div id="screening-outcome" aria-live="polite" data-action="">'
            '<p class="nonfactual">This checklist needs the guide\'s script. Without it, use '
            "the printed "
            "checklist below.</p></div></section></div>"
            f'<script type="application/json" id="screening-data">{payload}</script>'
        )
        return [nodes.raw("", markup, format="html")]


def add_script(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The checklist's script on the page that has the form, and on no other."""
    if doctree is not None and f'id="{FORM_ID}"' in context.get("body", ""):
        app.add_js_file(SCRIPT, loading_method="defer")


def publish(app: Sphinx, exception: Exception | None) -> None:
    """screening.json (the table, checked) and its schema next to the HTML."""
    path = table_path(app.srcdir)
    if exception or app.builder.name not in SITEMAP_BUILDERS or not path.exists():
        return
    data, problems = load(app.env)
    if data is None:
        return  # the build has already failed on the table's problems
    out = Path(app.outdir)
    text = json.dumps(screening.published(data), indent=1, ensure_ascii=False, sort_keys=False)
    (out / "screening.json").write_text(text + "\n", encoding="utf-8")
    shutil.copyfile(path.with_name(screening.SCHEMA_NAME), out / screening.SCHEMA_NAME)


def add_directives(app: Sphinx) -> None:
    """The checklist's directives (the extension's setup() connects the checks and data)."""
    app.add_directive("screening-checklist", Checklist)
    app.add_directive("screening-counsel", Counsel)
    app.add_directive("screening-form", Form)
