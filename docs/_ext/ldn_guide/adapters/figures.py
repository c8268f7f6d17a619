"""Forest-style figures for the GRADE outcomes in docs/data/conditions/ (``{outcome-figures}``).

:func:`draw_forest` draws one outcome's rows (from :func:`ldn_guide.rules.guideline.forest_rows`)
with matplotlib as inline SVG; :func:`svg_of` makes the SVG reproducible and accessible. The
directive (adapters/guideline.py) keeps drawn figures in the environment (``env_state``), so a
rebuild that changes only prose needs no matplotlib.
"""

from __future__ import annotations

import io
import math
import re
import textwrap

FAMILY = "font-family: 'DejaVu Sans', sans-serif"


def svg_of(fig, name: str, title: str) -> str:
    """The figure as inline SVG: no date or creator (reproducible), ids unique per figure
    (several figures share one page in the PDF input), and a title as its accessible name.

    Compacted, since every byte is in the page: no metadata, no layout whitespace, the font
    family once on the root, ids only where something refers to them, coordinates to two
    decimals (a hundredth of a point)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"\s*\n\s*", " ", svg)
    svg = re.sub(r">\s+<", "><", svg)
    svg = re.sub(r' transform="rotate\(-0 [^)]*\)"', "", svg)
    svg = svg.replace(f"; {FAMILY}", "").replace(f"{FAMILY}; ", "")
    svg = re.sub(r"(\d\.\d\d)\d+", r"\1", svg)
    used = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', svg))
    svg = re.sub(r' id="([^"]+)"', lambda m: m.group(0) if m.group(1) in used else "", svg)
    svg = re.sub(r"<g>(<g>)*(</g>)*</g>", "", svg)
    svg = re.sub(r'(id="|url\(#|href="#)', rf"\g<1>{name}-", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{name}-svg-title" '
                      f'style="{FAMILY}" ', 1)
    opening_end = svg.index(">") + 1
    safe = title.replace("&", "&amp;").replace("<", "&lt;")
    return f'{svg[:opening_end]}<title id="{name}-svg-title">{safe}</title>{svg[opening_end:]}'


FOREST_STUDY = "#2166ac"  # colour-blind-safe; the marker's shape says the same (legend)
FOREST_POOLED = "#b35806"
FONT = 10  # viewBox units; the page shows the figure at its own size or larger (guide.css)
SMALL = 9  # ticks and the "favours" line: the least rules/svg_figures.py allows
WIDTH = 6.5  # inches: 468 units, the narrowest the page shows it (guide.css min-width)
LEFT, RIGHT = 2.0, 1.95  # the row labels' and the numbers' columns, inches
ROW, TITLE_LINE, AXIS_FOOT, GAP, LEGEND_LINE = 0.34, 0.2, 0.5, 0.18, 0.24


def draw_forest(rows: list[dict], name: str, title: str) -> str:
    """An SVG forest-style plot of ``rows`` (from ldn_guide.rules.guideline.forest_rows).

    One panel per measure (:func:`ldn_guide.rules.guideline.text.forest_panels`): trials
    and the reviews' own pooled results never share an axis; a trial's estimate is a square,
    a pooled estimate a diamond, hollow when no 95% CI was reported, explained in a legend on
    top. A ratio axis is logarithmic, symmetric around 1, with plain decimal ticks (0.25, 0.5,
    1, 2, 4); a difference axis is symmetric around 0. Under each axis, what each side
    favours. Rows without a number are not drawn (the data table lists them). Reproducible:
    fixed hashsalt, no date, text as text, ids prefixed with ``name``, ``role="img"`` and a
    ``<title>``.
    """
    # matplotlib's Figure API, not pyplot: no global figure manager or backend switch in the
    # Sphinx process ("Embed in a web application server" in matplotlib's gallery), and the
    # style for this figure only (rc_context), not for the whole process.
    import matplotlib
    from matplotlib.figure import Figure

    from ..rules.guideline import text

    panels = text.forest_panels(rows)
    drawn = [row for panel in panels for row in panel["rows"]]
    legend = legend_entries(drawn)
    titles = [panel_title(panel) for panel in panels]
    # Reviews of one small field pool some of the same trials: say so once, under the legend.
    note = (textwrap.wrap("The meta-analyses may pool some of the same trials as each other and "
                          "as the studies shown: they are not independent results.", 84)
            if sum(row["pooled"] for row in drawn) > 1 else [])
    heights = [len(lines) * TITLE_LINE + len(panel["rows"]) * ROW + AXIS_FOOT
               + TITLE_LINE * stacked(panel) for lines, panel in zip(titles, panels, strict=True)]
    legend_height = LEGEND_LINE * ((len(legend) + 1) // 2) + TITLE_LINE * len(note) + 0.1
    total = legend_height + sum(heights) + GAP * len(panels)
    style = {"svg.hashsalt": name, "svg.fonttype": "none", "font.family": "sans-serif",
             "font.sans-serif": ["DejaVu Sans"], "font.size": FONT, "xtick.labelsize": SMALL}
    with matplotlib.rc_context(style):
        fig = Figure(figsize=(WIDTH, total))
        add_legend(fig, legend, note, total)
        top = total - legend_height
        reach = shared_reach(panels)
        for lines, panel, height in zip(titles, panels, heights, strict=True):
            top -= GAP
            for line, words in enumerate(lines):
                fig.text(0.1 / WIDTH, (top - (line + 0.75) * TITLE_LINE) / total, words,
                         fontweight="bold" if line == 0 else "normal")
            plot_top = top - len(lines) * TITLE_LINE
            plot_height = len(panel["rows"]) * ROW
            ax = fig.add_axes([LEFT / WIDTH, (plot_top - plot_height) / total,
                               (WIDTH - LEFT - RIGHT) / WIDTH, plot_height / total])
            draw_panel(ax, panel, reach[panel["axis"]])
            top -= height
        return svg_of(fig, name, title)


def add_legend(fig, legend: list[tuple[str, str, str, str]], note: list[str],
               total: float) -> None:
    """The marker legend on top, and the note on shared trials under it."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="none", marker=marker, markersize=7,
                      color=colour, markerfacecolor=face, label=label)
               for marker, colour, face, label in legend]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.1 / WIDTH, 1),
               ncols=2, frameon=False, handletextpad=0.3, columnspacing=1.2,
               borderaxespad=0.2, fontsize=FONT)
    for line, words in enumerate(note):
        fig.text(0.1 / WIDTH, (total - LEGEND_LINE * ((len(legend) + 1) // 2)
                               - (line + 0.7) * TITLE_LINE) / total, words, fontsize=SMALL)


def shared_reach(panels: list[dict]) -> dict[str, float]:
    """How far each measure's axis reaches from no effect: panels of one measure share it."""
    reach: dict[str, float] = {}
    for panel in panels:
        values = [abs(math.log2(v)) if panel["ratio"] else abs(v) for row in panel["rows"]
                  for v in (row["estimate"], row["ci_low"], row["ci_high"]) if v is not None]
        reach[panel["axis"]] = max(reach.get(panel["axis"], 0), *values)
    return reach


def legend_entries(drawn: list[dict]) -> list[tuple[str, str, str, str]]:
    """(marker, colour, face, label) for each kind of mark the figure uses, in a fixed order."""
    kinds = []
    for pooled, with_ci, label in [
            (False, True, "Study, with 95% CI"), (False, False, "Study, no CI reported"),
            (True, True, "Authors' pooled estimate, 95% CI"),
            (True, False, "Authors' pooled estimate, no CI")]:
        if any(row["pooled"] == pooled and (row["ci_low"] is not None) == with_ci
               for row in drawn):
            colour = FOREST_POOLED if pooled else FOREST_STUDY
            kinds.append(("D" if pooled else "s", colour, colour if with_ci else "white", label))
    return kinds


def panel_title(panel: dict) -> list[str]:
    """The panel's heading lines: whose estimates they are, then the measure."""
    several = len(panel["rows"]) > 1
    if not panel["pooled"]:
        first = "Studies" if several else "Study"
    else:
        first = ("Meta-analyses (their authors' pooled estimates)" if several else
                 "Meta-analysis (its authors' pooled estimate)")
    return [first, *textwrap.wrap(panel["title"], 50)]  # clear of "Estimate (95% CI)"


def stacked(panel: dict) -> bool:
    """Whether the two "favours" labels are too long to share one line under the axis."""
    left, right = panel["favours"] or ("", "")
    return (len(left) + len(right) + 6) * 0.62 * SMALL > (WIDTH - LEFT - RIGHT) * 72


def draw_panel(ax, panel: dict, reach: float) -> None:
    """One axis: each row's estimate and 95% CI, the line of no effect, the row labels, the
    numbers at the right and what each side favours under the ticks."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator
    from matplotlib.transforms import blended_transform_factory

    from ..rules import guideline

    group, ratio = panel["rows"], panel["ratio"]
    where = blended_transform_factory(ax.transAxes, ax.transData)
    for y, row in enumerate(group):
        y = -y
        colour = FOREST_POOLED if row["pooled"] else FOREST_STUDY
        marker = "D" if row["pooled"] else "s"
        if row["ci_low"] is not None:
            ax.plot([row["ci_low"], row["ci_high"]], [y, y], color=colour, linewidth=1.4)
            ax.plot(row["estimate"], y, marker=marker, color=colour, markersize=7)
            digits = guideline.places(row["estimate"], row["ci_low"], row["ci_high"])
            numbers = (f"{guideline.number(row['estimate'], digits)} "
                       f"({guideline.number(row['ci_low'], digits)} to "
                       f"{guideline.number(row['ci_high'], digits)})")
        else:
            ax.plot(row["estimate"], y, marker=marker, markerfacecolor="white",
                    markeredgecolor=colour, markeredgewidth=1.4, markersize=7)
            numbers = f"{guideline.number(row['estimate'])} (no CI)"
        ax.text(1.04, y, numbers, transform=where, va="center")
    ax.text(1.04, 0.62, "Estimate (95% CI)", transform=where, va="bottom", fontsize=SMALL,
            color="#444444")
    ax.axvline(1 if ratio else 0, color="#5e5e5e", linewidth=0.8, linestyle="--")
    if ratio:  # symmetric around 1 in powers of 2: 0.25, 0.5, 1, 2, 4
        ax.set_xscale("log")
        power = max(1, math.ceil(reach + 0.15))
        ax.set_xlim(2.0 ** -power, 2.0 ** power)
        ax.xaxis.set_major_locator(FixedLocator([2.0 ** p for p in range(-power, power + 1)]))
        ax.xaxis.set_minor_locator(NullLocator())
    else:  # symmetric around 0
        ax.set_xlim(-reach * 1.15, reach * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10],
                                               symmetric=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: guideline.number(round(v, 6))))
    ax.set_ylim(-len(group) + 0.5, 0.5)
    ax.set_yticks([-y for y in range(len(group))],
                  ["\n".join(textwrap.wrap(row["label"], 24, break_on_hyphens=False,
                                           break_long_words=False)) for row in group])
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.patch.set_visible(False)
    ax.tick_params(axis="y", length=0)
    left, right = panel["favours"] or ("", "")
    below = 14.4 if stacked(panel) else 0  # points: the right label on a line of its own
    for x, words, align, down in [(0, f"\u2190 {left}", "left", 0),
                                  (1, f"{right} \u2192", "right", below)]:
        ax.annotate(words, xy=(x, 0), xycoords="axes fraction", xytext=(0, -17 - down),
                    textcoords="offset points", ha=align, va="top", fontsize=SMALL)
