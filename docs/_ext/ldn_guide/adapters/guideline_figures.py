"""``{outcome-figures}``: the forest-style figures of a condition's outcomes (drawn by
``figures.py``), each with its caption and the numbers in a table.

On the web a drawing is its own SVG file in ``_images/``, shown by an ``<img>`` with its title
as alt text: inline, the three fibromyalgia drawings were a quarter of the page's bytes and a
third of its elements (issue 24's page budget). The PDFs' single page keeps it inline
(pdf/printable.py turns it into an image with the same alt text)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes

from ..env_state import state
from ..report import Subtype, warn
from ..rules import guideline
from .guideline import GuidelineDirective, Paths
from .page_layout import PRINT_BUILDERS


class forest_drawing(nodes.General, nodes.Element):
    """A figure with its drawing: ``before`` + the drawing + ``after`` (HTML), the drawing kept
    in the environment (``state(env).figures``) under ``figure_id``."""


class OutcomeFigures(GuidelineDirective):
    """One forest-style figure per outcome with a number to draw, in the order of the summary
    of findings: the SVG in a named scroll region (it scrolls sideways on a phone rather than
    shrink its text), a one-sentence caption and the numbers in a table under a disclosure.
    An outcome with nothing to draw has no figure (``guideline.text.forest_figure_note`` says
    so, for the summary of findings). A figure's axis must say which side favours LDN, and its
    SVG must pass :func:`ldn_guide.rules.svg_figures.svg_problems`."""

    def run(self) -> list[nodes.Node]:
        from ..rules import svg_figures
        from ..rules.guideline import text
        from . import drawing_ahead, figures  # matplotlib: only when a figure is drawn

        data = self.condition()
        if data is None:
            return []
        path = Paths(self.env.srcdir).conditions / f"{data['condition']}.yaml"
        drawn = state(self.env).figures
        blocks = []
        for name, outcome in data["outcomes"].items():
            rows = guideline.forest_rows(outcome, data["studies"])
            if not text.forest_panels(rows):
                continue  # nothing to plot: no figure (the summary of findings says so)
            problems = text.forest_problems(name, rows)
            if problems:
                line = guideline.line_of(guideline.line_index(path.read_text(encoding="utf-8")),
                                         "outcomes", name)
                for message in problems:
                    warn(message, Subtype.EVIDENCE, location=f"{path}:{line}")
                continue
            figure_id, title, drawn_from = figure_key(data, name, outcome, rows)
            # Redraw only when the rows changed: editing a page's prose needs no matplotlib.
            # One entry per figure, so an edit replaces the old drawing instead of adding one.
            if drawn.get(figure_id, ("",))[0] != drawn_from:
                svg = (drawing_ahead.drawn(self.env, figure_id, drawn_from)
                       or figures.draw_forest(rows, figure_id, title))
                drawn[figure_id] = (drawn_from, svg)
            svg = drawn[figure_id][1]
            for message in svg_figures.svg_problems(svg, figure_id):
                warn(message, Subtype.EVIDENCE, location=self.get_location())
            before, after = self.figure_html(figure_id, title, outcome, rows)
            blocks.append(forest_drawing(figure_id=figure_id, title=title, before=before,
                                         after=after))
        return blocks

    @staticmethod
    def figure_html(figure_id: str, title: str, outcome: dict, rows: list[dict]
                    ) -> tuple[str, str]:
        """The figure around its drawing (HTML before it, after it): the drawing in a
        focusable, named region that scrolls sideways on a narrow screen, the one-sentence
        caption, and every row's result in a table (collapsed)."""
        from ..rules.guideline import text

        def cell(value: str) -> str:
            return html.escape(value, quote=False)

        body = "".join(
            f'<tr><th scope="row">{cell(row["label"])}</th><td>{cell(text.forest_kind(row))}</td>'
            f'<td>{cell(row["text"])}</td><td>{"Yes" if row["axis"] else "No: no number"}</td></tr>'
            for row in rows)
        # The scroll region is named by the figure's caption (aria-labelledby), and the data
        # table's caption is short: the title once, in the drawing's alt text (page weight).
        caption = f"{figure_id}-caption"
        return (f'<figure class="evidence-figure forest-plot" id="{figure_id}">'
                f'<div class="figure-scroll" role="region" tabindex="0" '
                f'aria-labelledby="{caption}">'), (
                # HTML puts a figure's caption first or last: the data table comes before it.
                '</div><details class="figure-data"><summary>The numbers in this figure</summary>'
                '<table class="figure-data-table"><caption>Each source as reported, drawn or '
                'not</caption><thead><tr><th scope="col">Source</th><th scope="col">Type</th>'
                '<th scope="col">Result as reported</th><th scope="col">Drawn</th></tr></thead>'
                f"<tbody>{body}</tbody></table></details>"
                f'<figcaption id="{caption}">{cell(text.forest_description(outcome, rows))}'
                "</figcaption></figure>")


def figure_key(data: dict, name: str, outcome: dict, rows: list[dict]) -> tuple[str, str, str]:
    """An outcome's figure id, its title, and what it is drawn from (its rows and title)."""
    figure_id = f"figure-{guideline.outcome_anchor(data['condition'], name)}"
    title = f"Forest-style plot: {outcome['name']}"
    return figure_id, title, json.dumps([rows, title], sort_keys=True)


def figures_to_draw(data: dict) -> list[dict]:
    """What the directive will draw for a condition, as jobs for the drawer process
    (drawing_ahead.py): every outcome with something to plot and nothing wrong with it."""
    from ..rules.guideline import text

    jobs = []
    for name, outcome in data["outcomes"].items():
        rows = guideline.forest_rows(outcome, data["studies"])
        if text.forest_panels(rows) and not text.forest_problems(name, rows):
            figure_id, title, drawn_from = figure_key(data, name, outcome, rows)
            jobs.append({"figure_id": figure_id, "title": title, "rows": rows,
                         "drawn_from": drawn_from})
    return jobs


SVG_SIZE = re.compile(r'<svg [^>]*?width="([\d.]+)pt" height="([\d.]+)pt"')
PX_PER_PT = 4 / 3


def visit_forest_drawing(self, node: forest_drawing) -> None:
    svg = state(self.builder.env).figures[node["figure_id"]][1]
    if self.builder.name in PRINT_BUILDERS:
        drawing = svg
    else:
        name = f"{node['figure_id']}.svg"
        target = Path(self.builder.outdir, self.builder.imagedir, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text(encoding="utf-8") != svg:
            target.write_text(svg, encoding="utf-8")
        width, height = (round(float(size) * PX_PER_PT) for size in SVG_SIZE.search(svg).groups())
        drawing = (f'<img class="forest-drawing" src="{self.builder.imgpath}/{name}" '
                   f'alt="{html.escape(node["title"], quote=True)}" width="{width}" '
                   f'height="{height}" loading="lazy" decoding="async">')
    self.body.append(node["before"] + drawing + node["after"])
    raise nodes.SkipNode


def skip_forest_drawing(self, node: forest_drawing) -> None:
    raise nodes.SkipNode  # builders without HTML (LaTeX in the benchmark, text) draw nothing


def add_nodes(app) -> None:
    skip = (skip_forest_drawing, None)
    app.add_node(forest_drawing, html=(visit_forest_drawing, None), latex=skip, text=skip,
                 man=skip, texinfo=skip)
