"""``{outcome-figures}``: the forest-style figures of a condition's outcomes (drawn by
``figures.py``), each with its caption and the numbers in a table."""

from __future__ import annotations

import html
import json

from docutils import nodes

from ..env_state import state
from ..report import Subtype, warn
from ..rules import guideline
from .guideline import GuidelineDirective, Paths


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
        from . import figures  # matplotlib is imported only when a figure is drawn

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
            figure_id = f"figure-{guideline.outcome_anchor(data['condition'], name)}"
            title = f"Forest-style plot: {outcome['name']}"
            # Redraw only when the rows changed: editing a page's prose needs no matplotlib.
            # One entry per figure, so an edit replaces the old drawing instead of adding one.
            drawn_from = json.dumps([rows, title], sort_keys=True)
            if drawn.get(figure_id, ("",))[0] != drawn_from:
                drawn[figure_id] = (drawn_from, figures.draw_forest(rows, figure_id, title))
            svg = drawn[figure_id][1]
            for message in svg_figures.svg_problems(svg, figure_id):
                warn(message, Subtype.EVIDENCE, location=self.get_location())
            blocks.append(nodes.raw("", self.figure_html(figure_id, title, svg, outcome, rows),
                                    format="html"))
        return blocks

    @staticmethod
    def figure_html(figure_id: str, title: str, svg: str, outcome: dict, rows: list[dict]
                    ) -> str:
        """The figure: its SVG in a focusable, named region that scrolls sideways on a narrow
        screen, the one-sentence caption, and every row's result in a table (collapsed)."""
        from ..rules.guideline import text

        def cell(value: str) -> str:
            return html.escape(value, quote=False)

        body = "".join(
            f'<tr><th scope="row">{cell(row["label"])}</th><td>{cell(text.forest_kind(row))}</td>'
            f'<td>{cell(row["text"])}</td><td>{"Yes" if row["axis"] else "No: no number"}</td></tr>'
            for row in rows)
        name = html.escape(f"{title} (scrolls sideways)", quote=True)
        return (f'<figure class="evidence-figure forest-plot" id="{figure_id}">'
                f'<div class="figure-scroll" role="region" tabindex="0" aria-label="{name}">{svg}'
                # HTML puts a figure's caption first or last: the data table comes before it.
                '</div><details class="figure-data"><summary>The numbers in this figure</summary>'
                f'<table class="figure-data-table"><caption>{cell(title)}: each source as '
                'reported</caption><thead><tr><th scope="col">Source</th><th scope="col">Type</th>'
                '<th scope="col">Result as reported</th><th scope="col">Drawn</th></tr></thead>'
                f"<tbody>{body}</tbody></table></details>"
                f"<figcaption>{cell(text.forest_description(outcome, rows))}</figcaption></figure>")
