"""Forest-style figures for the GRADE outcomes in docs/data/conditions/ (``{outcome-figures}``).

:func:`draw_forest` draws one outcome's rows (from :func:`ldn_guide.rules.guideline.forest_rows`)
with matplotlib as inline SVG; :func:`svg_of` makes the SVG reproducible and accessible. The
directive (adapters/guideline.py) keeps drawn figures in the environment (``env_state``), so a
rebuild that changes only prose needs no matplotlib.
"""

from __future__ import annotations

import io
import re


def svg_of(fig, name: str, title: str) -> str:
    """The figure as inline SVG: no date or creator (reproducible), ids unique per figure
    (several figures share one page in the PDF input), and a title as its accessible name."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'(id="|url\(#|href="#)', rf"\g<1>{name}-", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{name}-svg-title" ', 1)
    opening_end = svg.index(">") + 1
    safe = title.replace("&", "&amp;").replace("<", "&lt;")
    return f'{svg[:opening_end]}<title id="{name}-svg-title">{safe}</title>{svg[opening_end:]}'


FOREST_STUDY = "#2166ac"  # colour-blind-safe; the row label says "pooled by its authors"
FOREST_POOLED = "#b35806"


def draw_forest(rows: list[dict], name: str, title: str) -> str:
    """An SVG forest-style plot of ``rows`` (from ldn_guide.rules.guideline.forest_rows).

    One panel per axis (estimates on one scale share it; a ratio axis is logarithmic around 1);
    a study's estimate is a square, a published pooled estimate a diamond, each with its 95%
    CI where reported (an open marker when no CI was reported); rows without a number are
    listed below as such. Reproducible: fixed hashsalt, no date, text as
    text, ids prefixed with ``name``, ``role="img"`` and a ``<title>``.
    """
    # matplotlib's Figure API, not pyplot: no global figure manager or backend switch in the
    # Sphinx process ("Embed in a web application server" in matplotlib's gallery), and the
    # style for this figure only (rc_context), not for the whole process.
    import matplotlib
    from matplotlib.figure import Figure

    panels: dict[str, list[dict]] = {}
    for row in rows:
        if row["axis"] is not None:
            panels.setdefault(row["axis"], []).append(row)
    words = [row for row in rows if row["axis"] is None]
    heights = [len(group) + 1.6 for group in panels.values()] + ([len(words) + 0.6] if words
                                                                   else [])
    style = {"svg.hashsalt": name, "svg.fonttype": "none", "font.family": "DejaVu Sans",
             "font.size": 8}
    with matplotlib.rc_context(style):
        fig = Figure(figsize=(7.5, 0.26 * sum(heights) + 0.4))
        axes = [ax for (ax,) in fig.subplots(len(heights), 1, squeeze=False,
                                             gridspec_kw={"height_ratios": heights})]
        for ax, (axis, group) in zip(axes, panels.items(), strict=False):
            draw_panel(ax, axis, group)
        if words:
            list_words(axes[-1], words)
        fig.subplots_adjust(left=0.36, right=0.74, top=0.98, bottom=0.04, hspace=1.1)
        if words:  # the list of rows without numbers starts under the labels, at the left edge
            box = axes[-1].get_position()
            axes[-1].set_position([0.02, box.y0, 0.96, box.height])
        return svg_of(fig, name, title)


def draw_panel(ax, axis: str, group: list[dict]) -> None:
    """One axis: each row's estimate and 95% CI, the line of no effect, the row labels."""
    from matplotlib.transforms import blended_transform_factory

    from ..rules import guideline

    ratio = "ratio" in axis.lower()
    where = blended_transform_factory(ax.transAxes, ax.transData)
    for y, row in enumerate(group):
        y = -y
        colour = FOREST_POOLED if row["pooled"] else FOREST_STUDY
        marker = "D" if row["pooled"] else "s"
        if row["ci_low"] is not None:
            ax.plot([row["ci_low"], row["ci_high"]], [y, y], color=colour, linewidth=1.4)
            ax.plot(row["estimate"], y, marker=marker, color=colour, markersize=6)
            numbers = guideline.estimate_with_ci(row["estimate"], row["ci_low"], row["ci_high"])
        else:
            ax.plot(row["estimate"], y, marker=marker, markerfacecolor="white",
                    markeredgecolor=colour, markersize=6)
            numbers = f"{guideline.number(row['estimate'])} (no CI reported)"
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


def list_words(ax, words: list[dict]) -> None:
    """The rows reported without a number, as a list under the panels."""
    ax.set_axis_off()
    ax.set_ylim(-len(words) + 0.4, 0.6)
    for y, row in enumerate(words):
        kind = ("pooled result in words only" if row["pooled"]
                else "no estimate with a 95% CI reported")
        ax.text(0, -y, f"{row['label']}: {kind}", va="center",
                color=FOREST_POOLED if row["pooled"] else FOREST_STUDY)
