"""rules/svg_figures.py: a figure's text inside its viewBox, no scientific notation, no text
below 9 units; on a fixture with deliberate faults and on the guide's own figures."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from ldn_guide.rules import guideline
from ldn_guide.rules.guideline import text
from ldn_guide.rules.svg_figures import svg_problems

REPO = Path(__file__).resolve().parents[2]


def faulty_svg() -> str:
    """matplotlib's defaults on a log axis (ticks as 6×10⁻¹) and a label past the right edge."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "fault"}):
        fig = Figure(figsize=(3, 2))
        ax = fig.add_subplot()
        ax.set_xscale("log")
        ax.plot([0.6, 4], [0, 1])
        fig.text(0.9, 0.5, "Favours placebo, far too long for the figure")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def test_the_checker_catches_text_outside_the_viewbox_and_scientific_ticks():
    problems = svg_problems(faulty_svg(), "fixture")
    assert any('"Favours placebo, far too long for the figure" reaches outside the viewBox'
               in p for p in problems), problems
    assert any("scientific notation" in p and "×10" in p for p in problems), problems


def test_a_small_text_is_caught():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">'
           '<text x="5" y="20" style="font-size: 6px">tiny</text></svg>')
    assert svg_problems(svg) == ['figure: the text "tiny" is 6 units, below 9: too small to read']


@pytest.mark.parametrize("condition", ["fibromyalgia", "depression", "dissociation"])
def test_the_guides_figures_pass_and_empty_outcomes_have_none(condition):
    from ldn_guide.adapters import figures

    data = yaml.safe_load((REPO / f"docs/data/conditions/{condition}.yaml").read_text())
    for name, outcome in data["outcomes"].items():
        rows = guideline.forest_rows(outcome, data["studies"])
        if not text.forest_panels(rows):
            assert text.forest_figure_note(outcome, data["studies"]).startswith("No figure")
            continue
        assert text.forest_problems(name, rows) == []
        svg = figures.draw_forest(rows, f"figure-{name}", outcome["name"])
        assert svg_problems(svg, name) == []
        assert 'role="img"' in svg and "<title" in svg


def test_an_axis_must_say_which_side_favours_ldn():
    assert text.axis_direction("Difference in pain (points; negative favours LDN)") == (
        "Favours LDN", "Favours placebo")
    assert text.axis_direction("Vivid dreams: risk ratio (above 1 means more with LDN)") == (
        "Favours LDN", "Favours placebo")
    rows = [{"label": "X", "pooled": False, "axis": "Mean difference", "estimate": 1.0,
             "ci_low": None, "ci_high": None}]
    [message] = text.forest_problems("pain", rows)
    assert 'the figure axis "Mean difference" does not say which side favours LDN' in message
