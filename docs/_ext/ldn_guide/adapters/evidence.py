"""Evidence tables and figures from the data files in docs/data/evidence/.

``{evidence-table} depression`` renders docs/data/evidence/depression.yaml as a table with
working citations; ``{evidence-figure} depression`` draws the same rows as an SVG chart with a
text alternative. Each file is validated against docs/data/evidence.schema.json, and every
citation key must exist in refs.bib: a fault stops the build naming the file and the row.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..conventions import WARNING_TYPE

logger = logging.getLogger(__name__)

DATA = Path(__file__).parents[3] / "data"
COLUMNS = [  # (heading, field)
    ("Study", "study"), ("Design", "design"), ("n", "n"), ("Population", "population"),
    ("Dose and schedule", "dose"), ("Duration", "duration"), ("Primary outcome", "outcome"),
    ("Result", "result"), ("Certainty", "certainty"),
]
DIRECTION_STYLE = {  # colour-blind-safe colours; the label carries the meaning, not the colour
    "Favours LDN": ("#1b7837", "favours LDN"),
    "No difference": ("#5e5e5e", "no difference"),
    "Favours placebo": ("#762a83", "favours placebo"),
    "Uncontrolled": ("#b35806", "uncontrolled"),
}


@cache
def schema() -> dict:
    return json.loads((DATA / "evidence.schema.json").read_text(encoding="utf-8"))


def load_evidence(path: Path, known_keys: set[str]) -> tuple[dict | None, list[tuple[int, str]]]:
    """The data, or None, and (line, message) for every fault, naming the row."""
    import jsonschema

    text = path.read_text(encoding="utf-8")
    try:
        data, root = yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [((mark.line + 1) if mark else 1, f"not valid YAML: {error}")]
    row_lines = rows_by_line(root)
    errors = []
    for error in jsonschema.Draft202012Validator(schema()).iter_errors(data):
        where = list(error.path)
        if len(where) >= 2 and where[0] == "studies":
            row = where[1]
            field = f' column "{where[2]}"' if len(where) > 2 else ""
            errors.append((row_lines.get(row, 1), f"row {row + 1}{field}: {plain(error)}"))
        else:
            errors.append((1, plain(error)))
    if errors:
        return None, errors
    for row, study in enumerate(data["studies"]):
        if study["citation"] not in known_keys:
            errors.append((row_lines.get(row, 1),
                           f'row {row + 1}: citation key "{study["citation"]}" is not in '
                           "refs.bib; add the entry or fix the key"))
    return (None if errors else data), errors


def plain(error) -> str:
    message = error.message
    if error.validator == "additionalProperties":
        message += "; the allowed columns are in docs/data/evidence.schema.json"
    return message


def rows_by_line(root) -> dict[int, int]:
    for key, value in getattr(root, "value", []):
        if getattr(key, "value", None) == "studies" and isinstance(value.value, list):
            return {row: item.start_mark.line + 1 for row, item in enumerate(value.value)}
    return {}


class EvidenceDirective(SphinxDirective):
    required_arguments = 1

    def evidence(self) -> dict | None:
        path = DATA / "evidence" / f"{self.arguments[0]}.yaml"
        self.env.note_dependency(str(path))
        if not path.exists():
            logger.warning(f"no evidence file {path}; create it or fix the directive argument",
                           location=self.get_location())
            return None
        known = set(self.env.get_domain("cite").bibdata.data.entries)
        data, errors = load_evidence(path, known)
        for line, message in errors:
            logger.warning(message, location=f"{path}:{line}", type=WARNING_TYPE,
                           subtype="evidence")
        return data


class EvidenceTable(EvidenceDirective):
    """A table of every study, citations included."""

    def run(self) -> list[nodes.Node]:
        data = self.evidence()
        if data is None:
            return []
        lines = [f":::{{list-table}} Evidence summary: {data['question']}", ":header-rows: 1",
                 ":class: evidence-table", ""]
        lines += [f"* - {COLUMNS[0][0]}"] + [f"  - {heading}" for heading, _ in COLUMNS[1:]]
        for study in data["studies"]:
            cells = [f"{study['study']} {{cite:p}}`{study['citation']}`"]
            cells += [escape(str(study[field])) for _, field in COLUMNS[1:]]
            lines += [f"* - {cells[0]}"] + [f"  - {cell}" for cell in cells[1:]]
        lines.append(":::")
        container = nodes.container(classes=["evidence-table-wrapper"])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]),
                                self.content_offset, container)
        return [container]


def escape(text: str) -> str:
    """Keep data text literal inside the generated MyST (no accidental markup)."""
    return re.sub(r"([*_`\[\]<>{}|])", r"\\\1", text)


class EvidenceFigure(EvidenceDirective):
    """Each study's size and design, coloured by the direction of its primary result."""

    def run(self) -> list[nodes.Node]:
        data = self.evidence()
        if data is None:
            return []
        name = self.arguments[0]
        summary = describe(data)
        # Redraw only when the data changed: editing a page's prose then needs no matplotlib.
        key = (name, json.dumps(data, sort_keys=True))
        drawn = self.env.__dict__.setdefault("evidence_figures", {})
        if key not in drawn:
            drawn[key] = draw(data, name)
        svg = drawn[key]
        html = (f'<figure class="evidence-figure" id="evidence-figure-{name}">'
                f"{svg}<figcaption>{summary}</figcaption></figure>")
        return [nodes.raw("", html, format="html")]


def describe(data: dict) -> str:
    parts = [f"{s['study']}: {s['design']}, n = {s['n']}, {DIRECTION_STYLE[s['direction']][1]} "
             f"on the primary outcome" for s in data["studies"]]
    return (f"Figure: studies of LDN in {data['condition'].lower()}, by number of participants. "
            + "; ".join(parts) + ".")


def draw(data: dict, name: str) -> str:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    # Reproducible SVG: fixed ids, no timestamp, text kept as text (searchable, small).
    matplotlib.rcParams.update({"svg.hashsalt": name, "svg.fonttype": "none",
                                "font.family": "DejaVu Sans", "font.size": 9})
    studies = data["studies"][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(studies) + 0.9))
    for row, study in enumerate(studies):
        colour, label = DIRECTION_STYLE[study["direction"]]
        ax.barh(row, study["n"], color=colour, height=0.6)
        ax.text(study["n"], row, f"  n = {study['n']}, {label}", va="center")
    ax.set_yticks(range(len(studies)), [f"{s['study']} ({s['design']})" for s in studies])
    ax.set_xlabel("Participants")
    ax.set_xlim(0, max(s["n"] for s in studies) * 1.9)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return svg_of(fig, name, f"Evidence for LDN in {data['condition'].lower()}, study by study")


def svg_of(fig, name: str, title: str) -> str:
    """The figure as inline SVG: no date or creator (reproducible), ids unique per figure
    (several figures share one page in the PDF input), and a title as its accessible name."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'(id="|url\(#|href="#)', rf"\g<1>{name}-", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{name}-svg-title" ', 1)
    opening_end = svg.index(">") + 1
    safe = title.replace("&", "&amp;").replace("<", "&lt;")
    return f'{svg[:opening_end]}<title id="{name}-svg-title">{safe}</title>{svg[opening_end:]}'


def keep_drawn_figures(app: Sphinx, env, docnames, other) -> None:
    """Parallel reads (-j) draw figures in worker processes: keep them for later rebuilds."""
    env.__dict__.setdefault("evidence_figures", {}).update(getattr(other, "evidence_figures", {}))


def add_directives(app: Sphinx) -> None:
    app.add_directive("evidence-table", EvidenceTable)
    app.add_directive("evidence-figure", EvidenceFigure)


# -- Forest-style figures for the GRADE outcomes (docs/data/conditions/, {outcome-figures}) --

FOREST_STUDY = "#2166ac"  # colour-blind-safe; the row label says "pooled by its authors"
FOREST_POOLED = "#b35806"


def draw_forest(rows: list[dict], name: str, title: str) -> str:
    """An SVG forest-style plot of ``rows`` (from ldn_guide.rules.grade.forest_rows).

    One panel per axis (estimates on one scale share it; a ratio axis is logarithmic around 1);
    a study's estimate is a square, a published pooled estimate a diamond, each with its 95%
    CI where reported (an open marker when no CI was reported); rows without a number are
    listed below as such. Reproducible like :func:`draw`: fixed hashsalt, no date, text as
    text, ids prefixed with ``name``, ``role="img"`` and a ``<title>``.
    """
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt
    from matplotlib.transforms import blended_transform_factory

    from ..rules import grade

    matplotlib.rcParams.update({"svg.hashsalt": name, "svg.fonttype": "none",
                                "font.family": "DejaVu Sans", "font.size": 8})
    panels: dict[str, list[dict]] = {}
    for row in rows:
        if row["axis"] is not None:
            panels.setdefault(row["axis"], []).append(row)
    words = [row for row in rows if row["axis"] is None]
    heights = [len(group) + 1.6 for group in panels.values()] + ([len(words) + 0.6] if words
                                                                   else [])
    fig, axes = plt.subplots(len(heights), 1, figsize=(7.5, 0.26 * sum(heights) + 0.4),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    axes = [ax for (ax,) in axes]
    for ax, (axis, group) in zip(axes, panels.items(), strict=False):
        ratio = "ratio" in axis.lower()
        where = blended_transform_factory(ax.transAxes, ax.transData)
        for y, row in enumerate(group):
            y = -y
            colour = FOREST_POOLED if row["pooled"] else FOREST_STUDY
            marker = "D" if row["pooled"] else "s"
            if row["ci_low"] is not None:
                ax.plot([row["ci_low"], row["ci_high"]], [y, y], color=colour, linewidth=1.4)
                ax.plot(row["estimate"], y, marker=marker, color=colour, markersize=6)
                numbers = grade.estimate_with_ci(row["estimate"], row["ci_low"], row["ci_high"])
            else:
                ax.plot(row["estimate"], y, marker=marker, markerfacecolor="white",
                        markeredgecolor=colour, markersize=6)
                numbers = f"{grade.number(row['estimate'])} (no CI reported)"
            ax.text(1.02, y, numbers, transform=where, va="center")
        ax.axvline(1 if ratio else 0, color="#5e5e5e", linewidth=0.8, linestyle="--")
        if ratio:
            ax.set_xscale("log")
        values = [v for row in group for v in (row["estimate"], row["ci_low"], row["ci_high"])
                  if v is not None] + [1 if ratio else 0]
        low, high = min(values), max(values)
        if ratio:
            ax.set_xlim(low / 1.3, high * 1.3)
        else:
            pad = (high - low) * 0.15 or 0.5
            ax.set_xlim(low - pad, high + pad)
        ax.set_ylim(-len(group) + 0.4, 0.6)
        ax.set_yticks([-y for y in range(len(group))],
                      [row["label"] + (" (pooled by its authors)" if row["pooled"] else "")
                       for row in group])
        ax.set_xlabel(axis)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.tick_params(axis="y", length=0)
    if words:
        ax = axes[-1]
        ax.set_axis_off()
        ax.set_ylim(-len(words) + 0.4, 0.6)
        for y, row in enumerate(words):
            kind = ("pooled result in words only" if row["pooled"]
                    else "no estimate with a 95% CI reported")
            ax.text(0, -y, f"{row['label']}: {kind}", va="center",
                    color=FOREST_POOLED if row["pooled"] else FOREST_STUDY)
    fig.subplots_adjust(left=0.36, right=0.74, top=0.98, bottom=0.04, hspace=1.1)
    if words:  # the list of rows without numbers starts under the labels, at the left edge
        box = axes[-1].get_position()
        axes[-1].set_position([0.02, box.y0, 0.96, box.height])
    return svg_of(fig, name, title)

